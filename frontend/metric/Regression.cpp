//===- Regression.cpp - Loss, MAE, MSE, RMSE ------------------------------===//

#include "mxjit/metric.h"

#include "metric/Check.h"

#include <cmath>

namespace mxjit::metric {

using detail::checkCounts;
using detail::checkSame;

void Loss::update(const std::vector<nd::NDArray> &,
                  const std::vector<nd::NDArray> &preds) {
  for (const nd::NDArray &pred : preds) {
    if (pred.empty())
      throw Error(name_ + ": a loss array is empty");
    for (double v : pred.asvector<double>())
      sum_metric += v;
    num_inst += pred.size();
  }
}

namespace {

/// Mean over the elements of f(label - pred) for one label/pred pair.
template <typename F>
double meanOf(const std::string &metric, const nd::NDArray &label,
              const nd::NDArray &pred, F f) {
  std::vector<double> l = label.asvector<double>(), p = pred.asvector<double>();
  checkSame(metric, static_cast<int64_t>(l.size()),
            static_cast<int64_t>(p.size()));
  if (l.empty())
    return 0;
  double sum = 0;
  for (size_t i = 0; i < l.size(); ++i)
    sum += f(l[i] - p[i]);
  return sum / static_cast<double>(l.size());
}

} // namespace

void MAE::update(const std::vector<nd::NDArray> &labels,
                 const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    sum_metric += meanOf(name_, labels[i], preds[i],
                         [](double d) { return std::abs(d); });
    num_inst += 1;
  }
}

void MSE::update(const std::vector<nd::NDArray> &labels,
                 const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    sum_metric +=
        meanOf(name_, labels[i], preds[i], [](double d) { return d * d; });
    num_inst += 1;
  }
}

void RMSE::update(const std::vector<nd::NDArray> &labels,
                  const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    sum_metric += std::sqrt(
        meanOf(name_, labels[i], preds[i], [](double d) { return d * d; }));
    num_inst += 1;
  }
}

} // namespace mxjit::metric
