//===- CrossEntropy.cpp - softmax / sigmoid cross entropy, KL divergence --===//

#include "mxjit/gluon/loss.h"

namespace mxjit::gluon::loss {

using nd::NDArray;

namespace {
/// Added inside logs of probabilities, as MXNet, so log(0) stays finite.
constexpr double kEps = 1e-12;
} // namespace

SoftmaxCrossEntropyLoss::SoftmaxCrossEntropyLoss(int64_t axis,
                                                 bool sparse_label,
                                                 bool from_logits,
                                                 std::optional<double> weight,
                                                 int64_t batch_axis)
    : Loss(weight, batch_axis), axis_(axis), sparseLabel_(sparse_label),
      fromLogits_(from_logits) {}

NDArray SoftmaxCrossEntropyLoss::forward(const NDArray &pred,
                                         const NDArray &label,
                                         const NDArray &sample_weight) const {
  if (pred.empty() || label.empty())
    throw Error("SoftmaxCrossEntropyLoss: pred and label must not be empty");
  int64_t axis = axis_ < 0 ? axis_ + pred.ndim() : axis_;
  if (axis < 0 || axis >= pred.ndim())
    throw Error("SoftmaxCrossEntropyLoss: axis " + std::to_string(axis_) +
                " is out of range for pred of rank " +
                std::to_string(pred.ndim()));
  NDArray logp = fromLogits_ ? pred : nd::log_softmax(pred, axis);
  NDArray loss = sparseLabel_
                     ? -pick(logp, label, axis, /*keepdims=*/true)
                     : -nd::sum(logp * reshapeLike(label, pred), {axis}, true);
  return batchMean(applyWeighting(loss, sample_weight));
}

SigmoidBinaryCrossEntropyLoss::SigmoidBinaryCrossEntropyLoss(
    bool from_sigmoid, std::optional<double> weight, int64_t batch_axis)
    : Loss(weight, batch_axis), fromSigmoid_(from_sigmoid) {}

NDArray SigmoidBinaryCrossEntropyLoss::forward(
    const NDArray &pred, const NDArray &label, const NDArray &sample_weight,
    const NDArray &pos_weight) const {
  NDArray z = reshapeLike(label, pred);
  NDArray loss;
  if (!fromSigmoid_) {
    // log(1 + exp(-|x|)) never overflows; relu supplies the rest of
    // log(1 + exp(x)) - x z.
    NDArray softAbs = nd::softrelu(-nd::abs(pred));
    if (pos_weight.empty()) {
      loss = nd::relu(pred) - pred * z + softAbs;
    } else {
      NDArray logWeight = 1.0 + (castLike(pos_weight, pred) - 1.0) * z;
      loss = pred - pred * z + logWeight * (softAbs + nd::relu(-pred));
    }
  } else {
    NDArray pos = nd::log(pred + kEps) * z;
    if (!pos_weight.empty())
      pos = pos * castLike(pos_weight, pred);
    loss = -(pos + nd::log(1.0 - pred + kEps) * (1.0 - z));
  }
  return batchMean(applyWeighting(loss, sample_weight));
}

KLDivLoss::KLDivLoss(bool from_logits, int64_t axis,
                     std::optional<double> weight, int64_t batch_axis)
    : Loss(weight, batch_axis), fromLogits_(from_logits), axis_(axis) {}

NDArray KLDivLoss::forward(const NDArray &pred, const NDArray &label,
                           const NDArray &sample_weight) const {
  NDArray logp = fromLogits_ ? pred : nd::log_softmax(pred, axis_);
  NDArray q = castLike(label, pred);
  NDArray loss = q * (nd::log(q + kEps) - logp);
  return batchMean(applyWeighting(loss, sample_weight));
}

} // namespace mxjit::gluon::loss
