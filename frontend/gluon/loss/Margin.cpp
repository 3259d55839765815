//===- Margin.cpp - HingeLoss, SquaredHingeLoss, LogisticLoss -------------===//

#include "mxjit/gluon/loss.h"

namespace mxjit::gluon::loss {

using nd::NDArray;

HingeLoss::HingeLoss(double margin, std::optional<double> weight,
                     int64_t batch_axis)
    : Loss(weight, batch_axis), margin_(margin) {}

NDArray HingeLoss::forward(const NDArray &pred, const NDArray &label,
                           const NDArray &sample_weight) const {
  NDArray loss = nd::relu(margin_ - pred * reshapeLike(label, pred));
  return batchMean(applyWeighting(loss, sample_weight));
}

SquaredHingeLoss::SquaredHingeLoss(double margin, std::optional<double> weight,
                                   int64_t batch_axis)
    : Loss(weight, batch_axis), margin_(margin) {}

NDArray SquaredHingeLoss::forward(const NDArray &pred, const NDArray &label,
                                  const NDArray &sample_weight) const {
  NDArray loss =
      nd::square(nd::relu(margin_ - pred * reshapeLike(label, pred)));
  return batchMean(applyWeighting(loss, sample_weight));
}

LogisticLoss::LogisticLoss(std::optional<double> weight, int64_t batch_axis,
                           const std::string &label_format)
    : Loss(weight, batch_axis), binary_(label_format == "binary") {
  if (label_format != "signed" && label_format != "binary")
    throw Error("LogisticLoss: label_format must be 'signed' or 'binary', "
                "got '" +
                label_format + "'");
}

NDArray LogisticLoss::forward(const NDArray &pred, const NDArray &label,
                              const NDArray &sample_weight) const {
  NDArray z = reshapeLike(label, pred);
  if (binary_)
    z = 2.0 * z - 1.0; // {0, 1} -> {-1, 1}
  // log(1 + exp(-x z)) without overflow: relu(-x z) + softrelu(-|x|), as
  // MXNet (|x z| == |x| for z in {-1, 1}).
  NDArray loss = nd::relu(-(pred * z)) + nd::softrelu(-nd::abs(pred));
  return batchMean(applyWeighting(loss, sample_weight));
}

} // namespace mxjit::gluon::loss
