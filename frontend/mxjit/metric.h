//===- metric.h - mxjit::metric, MXNet's evaluation metrics -----*- C++ -*-===//
//
// MXNet 1.x's mx.metric: a metric accumulates sum_metric and num_inst over
// update(labels, preds) calls and reports sum_metric / num_inst. Values are
// read to the host (asvector) and computed there, as MXNet does with numpy.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_METRIC_H
#define MXJIT_METRIC_H

#include "mxjit/ndarray.h"

#include <initializer_list>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace mxjit::metric {

using NameValue = std::pair<std::string, double>;

class EvalMetric {
public:
  explicit EvalMetric(std::string name) : name_(std::move(name)) {}
  virtual ~EvalMetric() = default;

  const std::string &name() const { return name_; }
  /// Adds one batch: labels[i] goes with preds[i]. Throws mxjit::Error when
  /// the lists or the arrays' shapes do not match.
  virtual void update(const std::vector<nd::NDArray> &labels,
                      const std::vector<nd::NDArray> &preds) = 0;
  void update(const nd::NDArray &label, const nd::NDArray &pred) {
    update(std::vector<nd::NDArray>{label}, std::vector<nd::NDArray>{pred});
  }
  virtual void reset() {
    sum_metric = 0;
    num_inst = 0;
  }
  /// (name, sum_metric / num_inst); the value is NaN before any update.
  virtual NameValue get() const;
  /// Every (name, value) pair: one here, one per child for a composite.
  virtual std::vector<NameValue> get_name_value() const { return {get()}; }
  /// MXNet's repr: "EvalMetric: {'accuracy': 0.5}".
  std::string str() const;

  double sum_metric = 0;
  int64_t num_inst = 0;

protected:
  std::string name_;
};

/// Fraction of predictions equal to the labels. Predictions whose shape
/// differs from the label's are scores: their argmax along `axis` is the
/// predicted class.
class Accuracy : public EvalMetric {
public:
  explicit Accuracy(int64_t axis = 1, std::string name = "accuracy")
      : EvalMetric(std::move(name)), axis_(axis) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;

private:
  int64_t axis_;
};

/// Fraction of labels among the top_k scores of (batch, classes)
/// predictions; named "top_k_accuracy_<k>". As in MXNet, top_k must be > 1
/// (use Accuracy), and 1-D predictions are compared as class ids.
class TopKAccuracy : public EvalMetric {
public:
  explicit TopKAccuracy(int64_t top_k = 2,
                        const std::string &name = "top_k_accuracy");
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;

private:
  int64_t topK_;
};

/// Mean of -log(p[label] + eps) over samples; preds are (batch, classes)
/// probabilities, labels class ids.
class CrossEntropy : public EvalMetric {
public:
  explicit CrossEntropy(double eps = 1e-12, std::string name = "cross-entropy")
      : EvalMetric(std::move(name)), eps_(eps) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;

private:
  double eps_;
};

/// Mean of the elements of loss arrays (the preds; labels are ignored).
class Loss : public EvalMetric {
public:
  explicit Loss(std::string name = "loss") : EvalMetric(std::move(name)) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;
};

/// Regression metrics as MXNet 1.x: each update adds the batch's mean
/// absolute error, mean squared error, or its square root, and counts one.
class MAE : public EvalMetric {
public:
  explicit MAE(std::string name = "mae") : EvalMetric(std::move(name)) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;
};
class MSE : public EvalMetric {
public:
  explicit MSE(std::string name = "mse") : EvalMetric(std::move(name)) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;
};
class RMSE : public EvalMetric {
public:
  explicit RMSE(std::string name = "rmse") : EvalMetric(std::move(name)) {}
  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;
};

/// Several metrics updated together. get() throws (there are several
/// values); use get_name_value().
class CompositeEvalMetric : public EvalMetric {
public:
  explicit CompositeEvalMetric(
      std::vector<std::shared_ptr<EvalMetric>> metrics = {},
      std::string name = "composite");
  void add(std::shared_ptr<EvalMetric> metric);
  /// The index-th child; throws mxjit::Error when out of range.
  std::shared_ptr<EvalMetric> get_metric(size_t index) const;
  const std::vector<std::shared_ptr<EvalMetric>> &metrics() const {
    return metrics_;
  }

  using EvalMetric::update;
  void update(const std::vector<nd::NDArray> &labels,
              const std::vector<nd::NDArray> &preds) override;
  void reset() override;
  NameValue get() const override;
  std::vector<NameValue> get_name_value() const override;

private:
  std::vector<std::shared_ptr<EvalMetric>> metrics_;
};

/// A metric by MXNet name: "acc"/"accuracy", "ce"/"cross-entropy",
/// "loss", "mae", "mse", "rmse", "top_k_accuracy_<k>" / "top_k_acc_<k>".
/// Throws mxjit::Error listing the names for an unknown one.
std::shared_ptr<EvalMetric> create(const std::string &name);
/// A CompositeEvalMetric of the named metrics.
std::shared_ptr<EvalMetric> create(const std::vector<std::string> &names);
/// create({"acc", "ce"}): a braced list of literals would otherwise be
/// ambiguous with std::string's iterator-pair constructor.
std::shared_ptr<EvalMetric> create(std::initializer_list<const char *> names);

} // namespace mxjit::metric

#endif // MXJIT_METRIC_H
