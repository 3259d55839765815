//===- Regression.cpp - L2Loss, L1Loss, HuberLoss -------------------------===//

#include "mxjit/gluon/loss.h"

namespace mxjit::gluon::loss {

using nd::NDArray;

L2Loss::L2Loss(double weight, int64_t batch_axis) : Loss(weight, batch_axis) {}

NDArray L2Loss::forward(const NDArray &pred, const NDArray &label,
                        const NDArray &sample_weight) const {
  NDArray diff = reshapeLike(label, pred) - pred;
  // MXNet folds the 1/2 into the scalar weight: weight / 2.
  NDArray loss = applyWeighting(nd::square(diff), sample_weight,
                                weight() ? *weight() / 2 : 0.5);
  return batchMean(loss);
}

L1Loss::L1Loss(std::optional<double> weight, int64_t batch_axis)
    : Loss(weight, batch_axis) {}

NDArray L1Loss::forward(const NDArray &pred, const NDArray &label,
                        const NDArray &sample_weight) const {
  NDArray loss = nd::abs(reshapeLike(label, pred) - pred);
  return batchMean(applyWeighting(loss, sample_weight));
}

HuberLoss::HuberLoss(double rho, std::optional<double> weight,
                     int64_t batch_axis)
    : Loss(weight, batch_axis), rho_(rho) {
  if (!(rho > 0))
    throw Error("HuberLoss: rho must be positive, got " + std::to_string(rho));
}

NDArray HuberLoss::forward(const NDArray &pred, const NDArray &label,
                           const NDArray &sample_weight) const {
  NDArray dist = nd::abs(reshapeLike(label, pred) - pred);
  // MXNet's where(dist > rho, ...) as a 0/1 mask; the mask is piecewise
  // constant, so it carries no gradient.
  NDArray big = nd::stop_gradient(dist > rho_);
  NDArray loss = big * (dist - 0.5 * rho_) +
                 (1.0 - big) * ((0.5 / rho_) * nd::square(dist));
  return batchMean(applyWeighting(loss, sample_weight));
}

} // namespace mxjit::gluon::loss
