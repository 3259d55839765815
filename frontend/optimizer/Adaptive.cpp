//===- Adaptive.cpp - AdaGrad, AdaDelta, Adamax ---------------------------===//

#include "mxjit/optimizer.h"

#include <cmath>

namespace mxjit::optimizer {

using nd::NDArray;

AdaGrad::AdaGrad(double eps, OptimizerParams params)
    : Optimizer(std::move(params), 0.01), eps_(eps) {}

State AdaGrad::create_state(int64_t, const NDArray &weight) {
  return zerosLike(weight, 1);
}

void AdaGrad::update(int64_t index, NDArray &weight, const NDArray &grad,
                     State &state) {
  checkArgs(weight, grad, state, 1);
  countUpdate(index);
  double lr = lr_for(index), wd = wd_for(index);
  NDArray g = rescaled(grad);
  NDArray &history = state[0];
  history += nd::square(g);
  // Weight decay sits outside the adaptive scaling, as MXNet's AdaGrad.
  NDArray step = g / nd::sqrt(history + eps_);
  if (wd != 0)
    step = step + weight * scalar(wd, weight);
  weight -= step * scalar(lr, weight);
}

AdaDelta::AdaDelta(double rho, double epsilon, OptimizerParams params)
    : Optimizer(std::move(params), 1.0), rho_(rho), epsilon_(epsilon) {}

State AdaDelta::create_state(int64_t, const NDArray &weight) {
  return zerosLike(weight, 2);
}

void AdaDelta::update(int64_t index, NDArray &weight, const NDArray &grad,
                      State &state) {
  checkArgs(weight, grad, state, 2);
  countUpdate(index);
  double wd = wd_for(index);
  NDArray g = rescaled(grad);
  NDArray &accG = state[0], &accDelta = state[1];
  accG *= rho_;
  accG += nd::square(g) * (1 - rho_);
  // The step's scale comes from past steps, so there is no learning rate.
  NDArray delta = nd::sqrt(accDelta + epsilon_) / nd::sqrt(accG + epsilon_) * g;
  accDelta *= rho_;
  accDelta += nd::square(delta) * (1 - rho_);
  weight -= wd != 0 ? delta + weight * scalar(wd, weight) : delta;
}

Adamax::Adamax(double beta1, double beta2, OptimizerParams params)
    : Optimizer(std::move(params), 0.002), beta1_(beta1), beta2_(beta2) {}

State Adamax::create_state(int64_t, const NDArray &weight) {
  return zerosLike(weight, 2);
}

void Adamax::update(int64_t index, NDArray &weight, const NDArray &grad,
                    State &state) {
  checkArgs(weight, grad, state, 2);
  countUpdate(index);
  double lr = lr_for(index), wd = wd_for(index);
  lr /= 1 - std::pow(beta1_, static_cast<double>(update_count(index)));
  NDArray scaled = grad * scalar(rescale_grad(), grad);
  NDArray g = clipped(wd != 0 ? scaled + weight * scalar(wd, weight) : scaled);
  NDArray &m = state[0], &u = state[1];
  m *= beta1_;
  m += g * (1 - beta1_);
  nd::maximum(u * beta2_, nd::abs(g)).copyto(u);
  weight -= m * scalar(lr, weight) / u;
}

} // namespace mxjit::optimizer
