//===- Embedding.cpp - TripletLoss, CosineEmbeddingLoss, PoissonNLLLoss ---===//

#include "mxjit/gluon/loss.h"

#include "runtime/TensorSpec.h"

#include <cmath>

namespace mxjit::gluon::loss {

using nd::NDArray;
using nd::Shape;

namespace {

/// `x` shaped like `like` (same size), or an error naming `what`.
NDArray likeOrThrow(const NDArray &xIn, const NDArray &like, const char *who,
                    const char *what) {
  if (xIn.empty() || like.empty())
    throw Error(std::string(who) + ": " + what + " is an empty NDArray");
  NDArray x = xIn.dtype() == like.dtype() ? xIn : nd::cast(xIn, like.dtype());
  if (x.shape() == like.shape())
    return x;
  if (x.size() != like.size())
    throw Error(std::string(who) + ": " + what + " of shape " +
                formatShape(x.shape()) + " cannot be reshaped to " +
                formatShape(like.shape()));
  return x.reshape(like.shape());
}

} // namespace

PoissonNLLLoss::PoissonNLLLoss(std::optional<double> weight, bool from_logits,
                               int64_t batch_axis, bool compute_full)
    : Loss(weight, batch_axis), fromLogits_(from_logits),
      computeFull_(compute_full) {}

NDArray PoissonNLLLoss::forward(const NDArray &pred, const NDArray &target,
                                const NDArray &sample_weight) const {
  NDArray t = reshapeLike(target, pred);
  NDArray loss =
      fromLogits_ ? nd::exp(pred) - t * pred : pred - t * nd::log(pred + 1e-8);
  if (computeFull_) {
    // Stirling's approximation of log(target!), used where target > 1 only;
    // the max keeps log finite where the mask discards the term.
    NDArray safe = nd::maximum(t, 1.0);
    NDArray stirling =
        safe * nd::log(safe) - safe + 0.5 * nd::log(2 * M_PI * safe);
    loss = loss + stirling * nd::stop_gradient(t > 1.0);
  }
  return nd::mean(applyWeighting(loss, sample_weight));
}

TripletLoss::TripletLoss(double margin, std::optional<double> weight,
                         int64_t batch_axis)
    : margin_(margin), weight_(weight), batchAxis_(batch_axis) {}

NDArray TripletLoss::operator()(const NDArray &pred, const NDArray &positive,
                                const NDArray &negative) const {
  NDArray pos = likeOrThrow(positive, pred, "TripletLoss", "positive");
  NDArray neg = likeOrThrow(negative, pred, "TripletLoss", "negative");
  int64_t b = batchAxis_ < 0 ? batchAxis_ + pred.ndim() : batchAxis_;
  if (b < 0 || b >= pred.ndim())
    throw Error("TripletLoss: batch_axis " + std::to_string(batchAxis_) +
                " is out of range for pred of rank " +
                std::to_string(pred.ndim()));
  NDArray gap = nd::square(pos - pred) - nd::square(neg - pred);
  Shape axes;
  for (int64_t i = 0; i < pred.ndim(); ++i)
    if (i != b)
      axes.push_back(i);
  if (!axes.empty())
    gap = nd::sum(gap, axes);
  NDArray loss = nd::relu(gap + margin_);
  return weight_ ? loss * *weight_ : loss;
}

CosineEmbeddingLoss::CosineEmbeddingLoss(std::optional<double> weight,
                                         int64_t batch_axis, double margin)
    : weight_(weight), batchAxis_(batch_axis), margin_(margin) {}

NDArray CosineEmbeddingLoss::operator()(const NDArray &input1,
                                        const NDArray &input2,
                                        const NDArray &label,
                                        const NDArray &sample_weight) const {
  NDArray x = likeOrThrow(input1, input2, "CosineEmbeddingLoss", "input1");
  if (label.empty())
    throw Error("CosineEmbeddingLoss: label is an empty NDArray");
  const NDArray &y = input2;
  int64_t last = y.ndim() - 1;
  NDArray xNorm = nd::sqrt(nd::sum(nd::square(x), {last})).reshape({-1, 1});
  NDArray yNorm = nd::sqrt(nd::sum(nd::square(y), {last})).reshape({-1, 1});
  NDArray dot = nd::sum(x * y, {last}).reshape({-1, 1});
  NDArray cos = dot / nd::maximum(xNorm * yNorm, 1e-12);
  NDArray z = nd::cast(label, cos.dtype()).reshape({-1, 1});
  if (z.shape()[0] != cos.shape()[0])
    throw Error("CosineEmbeddingLoss: label of shape " +
                formatShape(label.shape()) +
                " does not give one label per row " +
                "of the inputs of shape " + formatShape(y.shape()));
  NDArray isSimilar = nd::stop_gradient(nd::cast(z == 1.0, cos.dtype()));
  NDArray isDissimilar = nd::stop_gradient(nd::cast(z == -1.0, cos.dtype()));
  NDArray loss = (1.0 - cos) * isSimilar +
                 nd::maximum(isDissimilar * (cos - margin_), 0.0);
  if (!sample_weight.empty())
    loss = loss * nd::cast(sample_weight, loss.dtype());
  return weight_ ? loss * *weight_ : loss;
}

} // namespace mxjit::gluon::loss
