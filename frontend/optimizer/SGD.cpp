//===- SGD.cpp - SGD and NAG (momentum family) ----------------------------===//

#include "mxjit/optimizer.h"

namespace mxjit::optimizer {

using nd::NDArray;

SGD::SGD(double momentum, OptimizerParams params)
    : Optimizer(std::move(params), 0.01), momentum_(momentum) {}

State SGD::create_state(int64_t, const NDArray &weight) {
  return momentum_ != 0.0 ? zerosLike(weight, 1) : State{};
}

void SGD::update(int64_t index, NDArray &weight, const NDArray &grad,
                 State &state) {
  checkArgs(weight, grad, state, momentum_ != 0.0 ? 1 : 0);
  countUpdate(index);
  double lr = lr_for(index), wd = wd_for(index);
  // Weight decay joins after clipping, as in sgd_update.
  NDArray g =
      wd != 0 ? rescaled(grad) + weight * scalar(wd, weight) : rescaled(grad);
  NDArray step = g * scalar(lr, weight);
  if (state.empty()) {
    weight -= step;
    return;
  }
  applyMomentum(weight, state[0], step);
}

void SGD::applyMomentum(NDArray &weight, NDArray &mom,
                        const NDArray &step) const {
  mom *= momentum_;
  mom -= step;
  weight += mom;
}

void NAG::applyMomentum(NDArray &weight, NDArray &mom,
                        const NDArray &step) const {
  // The look-ahead step: the new velocity once more, plus the plain step.
  mom *= momentum_;
  mom -= step;
  weight += mom * momentum_ - step;
}

} // namespace mxjit::optimizer
