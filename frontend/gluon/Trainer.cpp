//===- Trainer.cpp - gluon.Trainer: rescaling, stale gradients, updates --===//

#include "mxjit/gluon/trainer.h"

#include "mxjit/autograd.h"

namespace mxjit::gluon {

Trainer::Trainer(const ParameterDict &params, const std::string &optimizer,
                 const optimizer::Kwargs &optimizer_params)
    : optimizer_(optimizer::create(optimizer, optimizer_params)) {
  init(params);
}

Trainer::Trainer(const ParameterDict &params,
                 std::shared_ptr<optimizer::Optimizer> optimizer)
    : optimizer_(std::move(optimizer)) {
  if (!optimizer_)
    throw Error("Trainer: the optimizer is null");
  init(params);
}

void Trainer::init(const ParameterDict &params) {
  params_ = params.values();
  scale_ = optimizer_->rescale_grad();
  states_.assign(params_.size(), std::nullopt);
  for (size_t i = 0; i < params_.size(); ++i)
    optimizer_->set_param_mult(static_cast<int64_t>(i), params_[i]->lr_mult,
                               params_[i]->wd_mult);
}

void Trainer::step(double batch_size, bool ignore_stale_grad) {
  allreduce_grads();
  update(batch_size, ignore_stale_grad);
}

void Trainer::allreduce_grads() {}

void Trainer::update(double batch_size, bool ignore_stale_grad) {
  if (!(batch_size > 0))
    throw Error("Trainer: batch_size must be positive, got " +
                std::to_string(batch_size));
  optimizer_->set_rescale_grad(scale_ / batch_size);
  // Check every parameter before touching any, so an error leaves the
  // weights as they were.
  std::vector<bool> apply(params_.size(), false);
  for (size_t i = 0; i < params_.size(); ++i) {
    const Parameter &p = *params_[i];
    if (p.grad_req() == "null")
      continue;
    if (ignore_stale_grad) {
      apply[i] = p.initialized() && p.grad_fresh();
      continue;
    }
    p.data(); // uninitialized or deferred: its own error
    if (!p.grad_fresh())
      throw Error(
          "Gradient of Parameter `" + p.name() + "` on context " +
          p.context().str() +
          " has not been updated by backward since last `step`. This could "
          "mean a bug in your model that made it only use a subset of the "
          "Parameters (Blocks) for this iteration. If you are intentionally "
          "only using a subset, call step with ignore_stale_grad=True to "
          "suppress this warning and skip updating of Parameters with stale "
          "gradient");
    apply[i] = true;
  }
  // Updates are new ops on the weights; they must not join a recording.
  auto scope = autograd::pause();
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!apply[i])
      continue;
    Parameter &p = *params_[i];
    // A parameter may change its multipliers between steps.
    optimizer_->set_param_mult(static_cast<int64_t>(i), p.lr_mult, p.wd_mult);
    nd::NDArray weight = p.data();
    if (!states_[i])
      states_[i] = optimizer_->create_state(static_cast<int64_t>(i), weight);
    optimizer_->update(static_cast<int64_t>(i), weight, p.grad(), *states_[i]);
    p.mark_grad_seen();
  }
}

} // namespace mxjit::gluon
