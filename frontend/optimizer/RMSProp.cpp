//===- RMSProp.cpp - RMSProp, plain and centered --------------------------===//

#include "mxjit/optimizer.h"

namespace mxjit::optimizer {

using nd::NDArray;

RMSProp::RMSProp(double gamma1, double gamma2, double epsilon, bool centered,
                 std::optional<double> clip_weights, OptimizerParams params)
    : Optimizer(std::move(params), 0.001), gamma1_(gamma1), gamma2_(gamma2),
      epsilon_(epsilon), centered_(centered), clipWeights_(clip_weights) {}

State RMSProp::create_state(int64_t, const NDArray &weight) {
  return zerosLike(weight, centered_ ? 3 : 1);
}

void RMSProp::update(int64_t index, NDArray &weight, const NDArray &grad,
                     State &state) {
  checkArgs(weight, grad, state, centered_ ? 3 : 1);
  countUpdate(index);
  double lr = lr_for(index), wd = wd_for(index);
  NDArray scaled = grad * scalar(rescale_grad(), grad);
  NDArray g = clipped(wd != 0 ? scaled + weight * scalar(wd, weight) : scaled);
  NDArray lrArray = scalar(lr, weight);
  NDArray &n = state[0];
  n *= gamma1_;
  n += nd::square(g) * (1 - gamma1_);
  if (!centered_) {
    weight -= g * lrArray / nd::sqrt(n + epsilon_);
  } else {
    // Graves' variant divides by the variance estimate n - m^2.
    NDArray &m = state[1], &delta = state[2];
    m *= gamma1_;
    m += g * (1 - gamma1_);
    delta *= gamma2_;
    delta -= g * lrArray / nd::sqrt(n - nd::square(m) + epsilon_);
    weight += delta;
  }
  if (clipWeights_ && *clipWeights_ > 0)
    nd::clip(weight, -*clipWeights_, *clipWeights_).copyto(weight);
}

} // namespace mxjit::optimizer
