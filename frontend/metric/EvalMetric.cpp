//===- EvalMetric.cpp - base metric, CompositeEvalMetric, create ----------===//

#include "mxjit/metric.h"

#include "metric/Check.h"
#include "runtime/TensorSpec.h"

#include <cctype>
#include <cmath>
#include <limits>
#include <sstream>

namespace mxjit::metric {

namespace detail {

void checkSame(const std::string &metric, int64_t labels, int64_t preds) {
  if (labels != preds)
    throw Error(metric + ": Shape of labels " + std::to_string(labels) +
                " does not match shape of predictions " +
                std::to_string(preds));
}

void checkCounts(const std::string &metric,
                 const std::vector<nd::NDArray> &labels,
                 const std::vector<nd::NDArray> &preds) {
  checkSame(metric, static_cast<int64_t>(labels.size()),
            static_cast<int64_t>(preds.size()));
  for (size_t i = 0; i < labels.size(); ++i)
    if (labels[i].empty() || preds[i].empty())
      throw Error(metric + ": " + (labels[i].empty() ? "label " : "pred ") +
                  std::to_string(i) + " is an empty NDArray");
}

std::string shapeStr(const nd::NDArray &x) { return formatShape(x.shape()); }

} // namespace detail

NameValue EvalMetric::get() const {
  if (num_inst == 0)
    return {name_, std::numeric_limits<double>::quiet_NaN()};
  return {name_, sum_metric / static_cast<double>(num_inst)};
}

std::string EvalMetric::str() const {
  std::ostringstream os;
  os << "EvalMetric: {";
  bool first = true;
  for (const auto &[n, v] : get_name_value()) {
    os << (first ? "" : ", ") << "'" << n << "': " << v;
    first = false;
  }
  os << "}";
  return os.str();
}

CompositeEvalMetric::CompositeEvalMetric(
    std::vector<std::shared_ptr<EvalMetric>> metrics, std::string name)
    : EvalMetric(std::move(name)) {
  for (auto &m : metrics)
    add(std::move(m));
}

void CompositeEvalMetric::add(std::shared_ptr<EvalMetric> metric) {
  if (!metric)
    throw Error("CompositeEvalMetric: cannot add a null metric");
  metrics_.push_back(std::move(metric));
}

std::shared_ptr<EvalMetric>
CompositeEvalMetric::get_metric(size_t index) const {
  if (index >= metrics_.size())
    throw Error("CompositeEvalMetric: metric index " + std::to_string(index) +
                " is out of range for " + std::to_string(metrics_.size()) +
                " metrics");
  return metrics_[index];
}

void CompositeEvalMetric::update(const std::vector<nd::NDArray> &labels,
                                 const std::vector<nd::NDArray> &preds) {
  for (auto &m : metrics_)
    m->update(labels, preds);
}

void CompositeEvalMetric::reset() {
  for (auto &m : metrics_)
    m->reset();
}

NameValue CompositeEvalMetric::get() const {
  throw Error("CompositeEvalMetric: holds " + std::to_string(metrics_.size()) +
              " values; use get_name_value()");
}

std::vector<NameValue> CompositeEvalMetric::get_name_value() const {
  std::vector<NameValue> out;
  for (const auto &m : metrics_)
    for (auto &nv : m->get_name_value())
      out.push_back(std::move(nv));
  return out;
}

std::shared_ptr<EvalMetric> create(const std::string &name) {
  std::string n;
  for (char c : name)
    n += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (n == "acc" || n == "accuracy")
    return std::make_shared<Accuracy>();
  if (n == "ce" || n == "cross-entropy" || n == "crossentropy")
    return std::make_shared<CrossEntropy>();
  if (n == "loss")
    return std::make_shared<Loss>();
  if (n == "mae")
    return std::make_shared<MAE>();
  if (n == "mse")
    return std::make_shared<MSE>();
  if (n == "rmse")
    return std::make_shared<RMSE>();
  for (const char *prefix : {"top_k_accuracy_", "top_k_acc_"}) {
    std::string p = prefix;
    if (n.size() > p.size() && n.compare(0, p.size(), p) == 0) {
      std::string k = n.substr(p.size());
      if (k.find_first_not_of("0123456789") == std::string::npos &&
          k.size() < 10)
        return std::make_shared<TopKAccuracy>(std::stoll(k));
    }
  }
  throw Error("metric::create: unknown metric '" + name +
              "'; known: acc, accuracy, ce, cross-entropy, loss, mae, mse, "
              "rmse, top_k_accuracy_<k>, top_k_acc_<k>");
}

std::shared_ptr<EvalMetric> create(const std::vector<std::string> &names) {
  auto composite = std::make_shared<CompositeEvalMetric>();
  for (const auto &n : names)
    composite->add(create(n));
  return composite;
}

std::shared_ptr<EvalMetric> create(std::initializer_list<const char *> names) {
  return create(std::vector<std::string>(names.begin(), names.end()));
}

} // namespace mxjit::metric
