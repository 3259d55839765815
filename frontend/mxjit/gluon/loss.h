//===- loss.h - mxjit::gluon::loss, MXNet Gluon's losses --------*- C++ -*-===//
//
// The losses of MXNet 1.x's gluon/loss.py, composed from NDArray ops only,
// so every loss is lazy, fuses with the graph that produced `pred`, and is
// differentiable through autograd like any other NDArray expression.
//
// Every loss follows MXNet's reduction exactly: the elementwise loss is
// multiplied by `sample_weight` (NumPy broadcasting) and by the scalar
// `weight` when set, then averaged over every axis except `batch_axis`, so
// the result has shape (batch,). Labels and weights of another dtype than
// `pred` (int32 class labels from a data loader) are cast to pred's dtype.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_LOSS_H
#define MXJIT_GLUON_LOSS_H

#include "mxjit/ndarray.h"

#include <optional>
#include <string>

namespace mxjit::gluon::loss {

/// MXNet's pick(data, index, axis, mode='clip'): the element of `data` at
/// `index` along `axis`. `index` holds integral values (any dtype) and has
/// data's shape without `axis`, or with `axis` of size 1; out-of-range
/// indices are clipped. There is no gather op in the dialect, so this is
/// sum(data * (index == arange(n)), axis): the one-hot mask depends on the
/// index only, so the gradient flows to `data` alone.
nd::NDArray pick(const nd::NDArray &data, const nd::NDArray &index,
                 int64_t axis = -1, bool keepdims = false);

/// Base of every loss. `weight` (MXNet's None when unset) scales the loss;
/// `batch_axis` is the axis kept by the final mean.
class Loss {
public:
  Loss(std::optional<double> weight, int64_t batch_axis);
  virtual ~Loss() = default;

  /// The loss per sample, shape (batch,). `sample_weight` may be empty.
  nd::NDArray operator()(const nd::NDArray &pred, const nd::NDArray &label,
                         const nd::NDArray &sample_weight = {}) const {
    return forward(pred, label, sample_weight);
  }
  virtual nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                              const nd::NDArray &sample_weight) const = 0;

  std::optional<double> weight() const { return weight_; }
  int64_t batch_axis() const { return batchAxis_; }

protected:
  /// MXNet's _apply_weighting: loss * sample_weight * weight.
  nd::NDArray applyWeighting(const nd::NDArray &loss,
                             const nd::NDArray &sample_weight,
                             std::optional<double> weight) const;
  nd::NDArray applyWeighting(const nd::NDArray &loss,
                             const nd::NDArray &sample_weight) const {
    return applyWeighting(loss, sample_weight, weight_);
  }
  /// Mean over every axis but batch_axis (MXNet's mean(exclude=True)).
  nd::NDArray batchMean(const nd::NDArray &loss) const;
  /// MXNet's _reshape_like(label, pred), with an error naming both shapes;
  /// the label is also cast to pred's dtype.
  static nd::NDArray reshapeLike(const nd::NDArray &label,
                                 const nd::NDArray &pred);
  /// `x` cast to like's dtype when it differs.
  static nd::NDArray castLike(const nd::NDArray &x, const nd::NDArray &like);

private:
  std::optional<double> weight_;
  int64_t batchAxis_;
};

/// 0.5 * weight * (pred - label)^2 (label reshaped like pred).
class L2Loss : public Loss {
public:
  explicit L2Loss(double weight = 1.0, int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;
};

/// |pred - label|.
class L1Loss : public Loss {
public:
  explicit L1Loss(std::optional<double> weight = std::nullopt,
                  int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;
};

/// Cross entropy of softmax(pred) along `axis`. Sparse labels are class
/// indices (pred's shape without `axis`): -pick(log_softmax(pred), label).
/// Dense labels are distributions like pred: -sum(label * log_softmax).
/// from_logits: pred already holds log-probabilities.
class SoftmaxCrossEntropyLoss : public Loss {
public:
  explicit SoftmaxCrossEntropyLoss(int64_t axis = -1, bool sparse_label = true,
                                   bool from_logits = false,
                                   std::optional<double> weight = std::nullopt,
                                   int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  int64_t axis_;
  bool sparseLabel_, fromLogits_;
};
using SoftmaxCELoss = SoftmaxCrossEntropyLoss;

/// Binary cross entropy with labels in {0, 1}. On logits it uses MXNet's
/// stable form relu(x) - x*z + softrelu(-|x|); with `pos_weight` (broadcast
/// against pred) positive terms are scaled: x - x*z + (1 + (pw-1)*z) *
/// (softrelu(-|x|) + relu(-x)). from_sigmoid: pred holds probabilities and
/// -(z*log(p + 1e-12) [* pw] + (1-z)*log(1 - p + 1e-12)) is used.
class SigmoidBinaryCrossEntropyLoss : public Loss {
public:
  explicit SigmoidBinaryCrossEntropyLoss(
      bool from_sigmoid = false, std::optional<double> weight = std::nullopt,
      int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override {
    return forward(pred, label, sample_weight, nd::NDArray());
  }
  /// MXNet's forward(pred, label, sample_weight, pos_weight); either weight
  /// may be empty.
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight,
                      const nd::NDArray &pos_weight) const;

private:
  bool fromSigmoid_;
};
using SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss;

/// label * (log(label + 1e-12) - pred); pred is log-probabilities when
/// from_logits, else log_softmax(pred, axis) is taken first.
class KLDivLoss : public Loss {
public:
  explicit KLDivLoss(bool from_logits = true, int64_t axis = -1,
                     std::optional<double> weight = std::nullopt,
                     int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  bool fromLogits_;
  int64_t axis_;
};

/// Smoothed L1: |d| - rho/2 where |d| > rho, else d^2 / (2 rho).
class HuberLoss : public Loss {
public:
  explicit HuberLoss(double rho = 1.0,
                     std::optional<double> weight = std::nullopt,
                     int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  double rho_;
};

/// relu(margin - pred * label) with labels in {-1, 1}.
class HingeLoss : public Loss {
public:
  explicit HingeLoss(double margin = 1.0,
                     std::optional<double> weight = std::nullopt,
                     int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  double margin_;
};

/// relu(margin - pred * label)^2 with labels in {-1, 1}.
class SquaredHingeLoss : public Loss {
public:
  explicit SquaredHingeLoss(double margin = 1.0,
                            std::optional<double> weight = std::nullopt,
                            int64_t batch_axis = 0);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  double margin_;
};

/// log(1 + exp(-pred * label)) in a stable form; label_format "signed"
/// takes labels in {-1, 1}, "binary" labels in {0, 1}.
class LogisticLoss : public Loss {
public:
  explicit LogisticLoss(std::optional<double> weight = std::nullopt,
                        int64_t batch_axis = 0,
                        const std::string &label_format = "signed");
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &label,
                      const nd::NDArray &sample_weight) const override;

private:
  bool binary_;
};

/// Negative log likelihood of a Poisson target: exp(pred) - target * pred
/// (from_logits), else pred - target * log(pred + 1e-8); compute_full adds
/// Stirling's term target*log(target) - target + 0.5*log(2*pi*target) where
/// target > 1. As MXNet, the result is the mean over every element (shape
/// (1,)), not one value per sample.
class PoissonNLLLoss : public Loss {
public:
  explicit PoissonNLLLoss(std::optional<double> weight = std::nullopt,
                          bool from_logits = true, int64_t batch_axis = 0,
                          bool compute_full = false);
  nd::NDArray forward(const nd::NDArray &pred, const nd::NDArray &target,
                      const nd::NDArray &sample_weight) const override;

private:
  bool fromLogits_, computeFull_;
};

/// relu(sum(|positive - pred|^2 - |negative - pred|^2 over every axis but
/// batch_axis) + margin) * weight: the anchor `pred` should be nearer to
/// `positive` than to `negative` by `margin`. Shape (batch,).
class TripletLoss {
public:
  explicit TripletLoss(double margin = 1.0,
                       std::optional<double> weight = std::nullopt,
                       int64_t batch_axis = 0);
  nd::NDArray operator()(const nd::NDArray &pred, const nd::NDArray &positive,
                         const nd::NDArray &negative) const;
  int64_t batch_axis() const { return batchAxis_; }

private:
  double margin_;
  std::optional<double> weight_;
  int64_t batchAxis_;
};

/// For label 1: 1 - cos(input1, input2); for label -1: max(0, cos - margin),
/// cosine over the last axis (norms floored at 1e-12). As MXNet, the result
/// has shape (batch, 1) and is not averaged.
class CosineEmbeddingLoss {
public:
  explicit CosineEmbeddingLoss(std::optional<double> weight = std::nullopt,
                               int64_t batch_axis = 0, double margin = 0);
  nd::NDArray operator()(const nd::NDArray &input1, const nd::NDArray &input2,
                         const nd::NDArray &label,
                         const nd::NDArray &sample_weight = {}) const;
  /// Kept for MXNet's signature; the cosine is always over the last axis.
  int64_t batch_axis() const { return batchAxis_; }

private:
  std::optional<double> weight_;
  int64_t batchAxis_;
  double margin_;
};

} // namespace mxjit::gluon::loss

#endif // MXJIT_GLUON_LOSS_H
