//===- Adam.cpp - Adam ----------------------------------------------------===//

#include "mxjit/optimizer.h"

#include <cmath>

namespace mxjit::optimizer {

using nd::NDArray;

Adam::Adam(double beta1, double beta2, double epsilon, OptimizerParams params)
    : Optimizer(std::move(params), 0.001), beta1_(beta1), beta2_(beta2),
      epsilon_(epsilon) {
  if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1))
    throw Error("optimizer adam: beta1 and beta2 must lie in [0, 1), got " +
                std::to_string(beta1) + " and " + std::to_string(beta2));
}

State Adam::create_state(int64_t, const NDArray &weight) {
  return zerosLike(weight, 2);
}

void Adam::update(int64_t index, NDArray &weight, const NDArray &grad,
                  State &state) {
  checkArgs(weight, grad, state, 2);
  countUpdate(index);
  double lr = lr_for(index), wd = wd_for(index);
  // Bias correction folded into the rate, per parameter's own step count.
  double t = static_cast<double>(update_count(index));
  lr *= std::sqrt(1 - std::pow(beta2_, t)) / (1 - std::pow(beta1_, t));
  // Unlike SGD, adam_update adds weight decay before clipping.
  NDArray scaled = grad * scalar(rescale_grad(), grad);
  NDArray g = clipped(wd != 0 ? scaled + weight * scalar(wd, weight) : scaled);
  NDArray &mean = state[0], &var = state[1];
  mean *= beta1_;
  mean += g * (1 - beta1_);
  var *= beta2_;
  var += nd::square(g) * (1 - beta2_);
  weight -= mean * scalar(lr, weight) / (nd::sqrt(var) + epsilon_);
}

} // namespace mxjit::optimizer
