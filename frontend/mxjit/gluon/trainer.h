//===- trainer.h - mxjit::gluon::Trainer, MXNet Gluon's Trainer -*- C++ -*-===//
//
// MXNet 1.x's gluon/trainer.py on one context (no kvstore): applies an
// Optimizer to a ParameterDict's parameters after backward, following the
// contract at the top of mxjit/optimizer.h. Parameter i (in dict order) is
// optimizer index i; its lr_mult/wd_mult go through set_param_mult.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_TRAINER_H
#define MXJIT_GLUON_TRAINER_H

#include "mxjit/gluon/parameter.h"
#include "mxjit/optimizer.h"

#include <memory>
#include <string>
#include <vector>

namespace mxjit::gluon {

class Trainer {
public:
  /// optimizer::create(optimizer, optimizer_params).
  Trainer(const ParameterDict &params, const std::string &optimizer,
          const optimizer::Kwargs &optimizer_params = {});
  Trainer(const ParameterDict &params,
          std::shared_ptr<optimizer::Optimizer> optimizer);

  /// allreduce_grads() then update(batch_size, ignore_stale_grad).
  void step(double batch_size, bool ignore_stale_grad = false);
  /// Summing gradients across devices: nothing to do on one context.
  void allreduce_grads();
  /// Sets rescale_grad = scale / batch_size (scale is the optimizer's
  /// rescale_grad at construction) and updates every parameter whose
  /// grad_req is not "null". A parameter whose gradient no backward wrote
  /// since the last update throws MXNet's stale-gradient error, unless
  /// ignore_stale_grad, which skips it.
  void update(double batch_size, bool ignore_stale_grad = false);

  /// Writes the optimizer states and update counts with nd::save, as
  /// `state:<i>:<k>` (array k of parameter i's state) and `count:<i>`.
  /// MXNet pickles its updater instead, so the files are mxjit's own.
  void save_states(const std::string &path) const;
  /// Reads what save_states wrote. The file must match this Trainer: a
  /// parameter index beyond its parameters, a state of another shape or
  /// dtype, or a state count that the optimizer's create_state does not
  /// make throws mxjit::Error naming the key, and nothing is changed.
  void load_states(const std::string &path);

  double learning_rate() { return optimizer_->learning_rate(); }
  void set_learning_rate(double lr) { optimizer_->set_learning_rate(lr); }
  optimizer::Optimizer &optimizer() { return *optimizer_; }
  const std::vector<ParameterPtr> &params() const { return params_; }

private:
  void init(const ParameterDict &params);

  std::vector<ParameterPtr> params_;
  std::shared_ptr<optimizer::Optimizer> optimizer_;
  double scale_;
  std::vector<std::optional<optimizer::State>> states_;
};

} // namespace mxjit::gluon

#endif // MXJIT_GLUON_TRAINER_H
