//===- Loss.cpp - Loss base: weighting, batch mean, pick ------------------===//

#include "mxjit/gluon/loss.h"

#include "runtime/TensorSpec.h"

namespace mxjit::gluon::loss {

using nd::NDArray;
using nd::Shape;

namespace {

/// `axis` made non-negative for an array of rank `ndim`.
int64_t normalizeAxis(int64_t axis, int64_t ndim, const char *what) {
  int64_t a = axis < 0 ? axis + ndim : axis;
  if (a < 0 || a >= ndim)
    throw Error(std::string(what) + " " + std::to_string(axis) +
                " is out of range for an array of rank " +
                std::to_string(ndim));
  return a;
}

void requireArray(const NDArray &a, const char *what) {
  if (a.empty())
    throw Error(std::string("loss: ") + what + " is an empty NDArray");
}

} // namespace

NDArray pick(const NDArray &data, const NDArray &index, int64_t axis,
             bool keepdims) {
  requireArray(data, "pick data");
  requireArray(index, "pick index");
  int64_t a = normalizeAxis(axis, data.ndim(), "pick: axis");
  const Shape &shape = data.shape();
  int64_t n = shape[a];
  // The index in keepdims form: data's shape with `axis` of size 1.
  Shape kept = shape;
  kept[a] = 1;
  Shape dropped = shape;
  dropped.erase(dropped.begin() + a);
  if (index.shape() != kept && index.shape() != dropped &&
      !(dropped.empty() && index.size() == 1))
    throw Error("pick: index shape " + formatShape(index.shape()) +
                " does not match data shape " + formatShape(shape) +
                " without axis " + std::to_string(axis) + " " +
                formatShape(dropped));
  NDArray idx =
      nd::clip(nd::cast(index, data.dtype()), 0.0, static_cast<double>(n - 1))
          .reshape(kept);
  // arange(n) laid along `axis` so it broadcasts against the index.
  Shape line(shape.size(), 1);
  line[a] = n;
  NDArray classes =
      nd::arange(0, static_cast<double>(n), 1.0, data.context(), data.dtype())
          .reshape(line);
  NDArray mask = nd::stop_gradient(nd::equal(idx, classes));
  return nd::sum(data * mask, {a}, keepdims);
}

Loss::Loss(std::optional<double> weight, int64_t batch_axis)
    : weight_(weight), batchAxis_(batch_axis) {}

NDArray Loss::applyWeighting(const NDArray &loss, const NDArray &sample_weight,
                             std::optional<double> weight) const {
  NDArray out = loss;
  if (!sample_weight.empty()) {
    try {
      out = out * castLike(sample_weight, loss);
    } catch (const Error &e) {
      throw Error("loss: sample_weight of shape " +
                  formatShape(sample_weight.shape()) +
                  " does not broadcast against the loss of shape " +
                  formatShape(loss.shape()) + ": " + e.what());
    }
  }
  if (weight)
    out = out * *weight;
  return out;
}

NDArray Loss::batchMean(const NDArray &loss) const {
  int64_t b = normalizeAxis(batchAxis_, loss.ndim(), "loss: batch_axis");
  Shape axes;
  for (int64_t i = 0; i < loss.ndim(); ++i)
    if (i != b)
      axes.push_back(i);
  // A loss that is already (batch,) has nothing to average.
  if (axes.empty())
    return loss;
  return nd::mean(loss, axes);
}

NDArray Loss::castLike(const NDArray &x, const NDArray &like) {
  return x.dtype() == like.dtype() ? x : nd::cast(x, like.dtype());
}

NDArray Loss::reshapeLike(const NDArray &labelIn, const NDArray &pred) {
  requireArray(pred, "pred");
  requireArray(labelIn, "label");
  // Mixed dtypes are rejected by the dialect; integer labels are common.
  NDArray label = castLike(labelIn, pred);
  if (label.shape() == pred.shape())
    return label;
  if (label.size() != pred.size())
    throw Error("loss: label of shape " + formatShape(label.shape()) +
                " cannot be reshaped like pred of shape " +
                formatShape(pred.shape()));
  return label.reshape(pred.shape());
}

} // namespace mxjit::gluon::loss
