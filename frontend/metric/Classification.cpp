//===- Classification.cpp - Accuracy, TopKAccuracy, CrossEntropy ----------===//

#include "mxjit/metric.h"

#include "metric/Check.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <numeric>
#include <sstream>

namespace mxjit::metric {

using detail::checkCounts;
using detail::checkSame;
using detail::shapeStr;

namespace {

/// Index of the first largest value along `axis` (numpy's argmax), as
/// doubles in row-major order of the remaining axes.
std::vector<double> argmax(const nd::NDArray &x, int64_t axis,
                           const std::string &metric) {
  int64_t rank = x.ndim();
  int64_t a = axis < 0 ? axis + rank : axis;
  if (a < 0 || a >= rank)
    throw Error(metric + ": axis " + std::to_string(axis) +
                " is out of range for predictions of shape " + shapeStr(x));
  const nd::Shape &s = x.shape();
  int64_t outer = 1, inner = 1, n = s[a];
  for (int64_t d = 0; d < a; ++d)
    outer *= s[d];
  for (int64_t d = a + 1; d < rank; ++d)
    inner *= s[d];
  if (n == 0)
    throw Error(metric +
                ": cannot take the argmax of an empty axis in "
                "predictions of shape " +
                shapeStr(x));
  std::vector<double> v = x.asvector<double>(), out(outer * inner);
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t i = 0; i < inner; ++i) {
      int64_t best = 0;
      for (int64_t k = 1; k < n; ++k)
        if (v[(o * n + k) * inner + i] > v[(o * n + best) * inner + i])
          best = k;
      out[o * inner + i] = static_cast<double>(best);
    }
  return out;
}

/// Class ids as MXNet's astype('int32') reads them (truncation). NaN,
/// infinities and huge values map to one sentinel (numpy gives INT_MIN)
/// instead of an undefined conversion.
int64_t classId(double v) {
  if (!std::isfinite(v) || std::abs(v) > 9.0e18)
    return std::numeric_limits<int64_t>::min();
  return static_cast<int64_t>(v);
}

std::string formatLabel(double v) {
  std::ostringstream os;
  os << v;
  return os.str();
}

} // namespace

void Accuracy::update(const std::vector<nd::NDArray> &labels,
                      const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    std::vector<double> p = preds[i].shape() == labels[i].shape()
                                ? preds[i].asvector<double>()
                                : argmax(preds[i], axis_, name_);
    std::vector<double> l = labels[i].asvector<double>();
    checkSame(name_, static_cast<int64_t>(l.size()),
              static_cast<int64_t>(p.size()));
    for (size_t k = 0; k < l.size(); ++k)
      sum_metric += classId(p[k]) == classId(l[k]);
    num_inst += static_cast<int64_t>(l.size());
  }
}

TopKAccuracy::TopKAccuracy(int64_t top_k, const std::string &name)
    : EvalMetric(name + "_" + std::to_string(top_k)), topK_(top_k) {
  if (top_k <= 1)
    throw Error("TopKAccuracy: top_k must be > 1 (got " +
                std::to_string(top_k) + "); use Accuracy for top-1");
}

void TopKAccuracy::update(const std::vector<nd::NDArray> &labels,
                          const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    const nd::NDArray &pred = preds[i];
    if (pred.ndim() > 2 || pred.ndim() == 0)
      throw Error(name_ + ": predictions should have 1 or 2 dimensions, got " +
                  shapeStr(pred));
    std::vector<double> p = pred.asvector<double>();
    std::vector<double> l = labels[i].asvector<double>();
    int64_t samples = pred.shape()[0];
    checkSame(name_, static_cast<int64_t>(l.size()), samples);
    if (pred.ndim() == 1) {
      for (int64_t s = 0; s < samples; ++s)
        sum_metric += classId(p[s]) == classId(l[s]);
    } else {
      int64_t classes = pred.shape()[1];
      int64_t k = std::min(classes, topK_);
      std::vector<int64_t> order(classes);
      for (int64_t s = 0; s < samples; ++s) {
        const double *row = p.data() + s * classes;
        std::iota(order.begin(), order.end(), 0);
        // Ties go to the lower class id, so results do not depend on the
        // sort's internals.
        std::partial_sort(order.begin(), order.begin() + k, order.end(),
                          [&](int64_t a, int64_t b) {
                            return row[a] > row[b] ||
                                   (row[a] == row[b] && a < b);
                          });
        int64_t label = classId(l[s]);
        sum_metric += std::find(order.begin(), order.begin() + k, label) !=
                      order.begin() + k;
      }
    }
    num_inst += samples;
  }
}

void CrossEntropy::update(const std::vector<nd::NDArray> &labels,
                          const std::vector<nd::NDArray> &preds) {
  checkCounts(name_, labels, preds);
  for (size_t i = 0; i < labels.size(); ++i) {
    const nd::NDArray &pred = preds[i];
    if (pred.ndim() != 2)
      throw Error(name_ +
                  ": predictions should be (batch, classes) "
                  "probabilities, got shape " +
                  shapeStr(pred));
    std::vector<double> l = labels[i].asvector<double>();
    int64_t samples = pred.shape()[0], classes = pred.shape()[1];
    checkSame(name_, static_cast<int64_t>(l.size()), samples);
    std::vector<double> p = pred.asvector<double>();
    for (int64_t s = 0; s < samples; ++s) {
      // Checked as a double first: NaN or huge labels must not reach the
      // integer conversion.
      if (!(l[s] >= 0 && l[s] < static_cast<double>(classes)))
        throw Error(name_ + ": label " + formatLabel(l[s]) + " of sample " +
                    std::to_string(s) + " is not a class id in [0, " +
                    std::to_string(classes) + ")");
      int64_t label = static_cast<int64_t>(l[s]);
      sum_metric += -std::log(p[s * classes + label] + eps_);
    }
    num_inst += samples;
  }
}

} // namespace mxjit::metric
