//===- optimizer.h - mxjit::optimizer and mxjit::lr_scheduler ---*- C++ -*-===//
//
// MXNet 1.x's optimizers (python/mxnet/optimizer/optimizer.py) and learning
// rate schedules (python/mxnet/lr_scheduler.py). Updates are NDArray ops, so
// they stay lazy and fuse into one compiled function per (optimizer,
// shapes); the weight and state arrays are rebound in place, so every
// handle of them (a Gluon Parameter's, a Trainer's) sees the new values.
//
// Contract for a Trainer (gluon.Trainer builds on this):
//   * one Optimizer per Trainer; parameter i is `index` i throughout;
//   * State s = opt.create_state(i, weight) once per parameter;
//   * each step: opt.set_rescale_grad(scale / batch_size), then
//     opt.update(i, weight, grad, s) per parameter. update() counts the
//     step for `i` (update_count(i)), advances num_update() to the largest
//     count (what the lr_scheduler sees), then reads the learning rate and
//     weight decay for `i` with their multipliers;
//   * per-parameter lr_mult / wd_mult (a Parameter's attributes) go through
//     set_param_mult(i, lr_mult, wd_mult), which wins over set_lr_mult /
//     set_wd_mult, as MXNet's param_dict does.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_OPTIMIZER_H
#define MXJIT_OPTIMIZER_H

#include "mxjit/ndarray.h"

#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mxjit::lr_scheduler {

/// A learning rate as a function of the number of updates so far. Warmup
/// (num_update < warmup_steps) rises linearly from warmup_begin_lr to
/// base_lr, or stays at warmup_begin_lr ("constant"). Schedules keep state
/// as MXNet's do (Factor and MultiFactor decay base_lr as they pass steps),
/// so call them with non-decreasing num_update.
class LRScheduler {
public:
  explicit LRScheduler(double base_lr = 0.01, int64_t warmup_steps = 0,
                       double warmup_begin_lr = 0,
                       const std::string &warmup_mode = "linear");
  virtual ~LRScheduler() = default;

  virtual double operator()(int64_t num_update) = 0;

  double base_lr() const { return baseLr_; }
  /// The rate the schedule starts from (after warmup). An Optimizer given
  /// both a learning_rate and a schedule sets it, as MXNet does; here the
  /// warmup target and Poly/Cosine's starting rate follow it too.
  virtual void set_base_lr(double lr);
  int64_t warmup_steps() const { return warmupSteps_; }
  /// The warmup rate at `num_update` (< warmup_steps).
  double get_warmup_lr(int64_t num_update) const;

protected:
  double baseLr_;
  int64_t warmupSteps_;
  double warmupBeginLr_, warmupFinalLr_;
  bool linearWarmup_;
};

/// base_lr * factor^k after k full `step`s past warmup (decays when
/// num_update > count + step), never below stop_factor_lr.
class FactorScheduler : public LRScheduler {
public:
  explicit FactorScheduler(int64_t step, double factor = 1,
                           double stop_factor_lr = 1e-8, double base_lr = 0.01,
                           int64_t warmup_steps = 0, double warmup_begin_lr = 0,
                           const std::string &warmup_mode = "linear");
  double operator()(int64_t num_update) override;

private:
  int64_t step_;
  double factor_, stopFactorLr_;
  int64_t count_ = 0;
};

/// Multiplies by `factor` each time num_update passes one of the
/// increasing `step`s.
class MultiFactorScheduler : public LRScheduler {
public:
  explicit MultiFactorScheduler(std::vector<int64_t> step, double factor = 1,
                                double base_lr = 0.01, int64_t warmup_steps = 0,
                                double warmup_begin_lr = 0,
                                const std::string &warmup_mode = "linear");
  double operator()(int64_t num_update) override;

private:
  std::vector<int64_t> step_;
  double factor_;
  size_t curStep_ = 0;
};

/// final_lr + (base_lr - final_lr) * (1 - t / T)^pwr with t counted after
/// warmup and T = max_update - warmup_steps; final_lr after max_update.
class PolyScheduler : public LRScheduler {
public:
  explicit PolyScheduler(int64_t max_update, double base_lr = 0.01,
                         double pwr = 2, double final_lr = 0,
                         int64_t warmup_steps = 0, double warmup_begin_lr = 0,
                         const std::string &warmup_mode = "linear");
  double operator()(int64_t num_update) override;

private:
  int64_t maxUpdate_;
  double power_, finalLr_;
};

/// final_lr + (base_lr - final_lr) * (1 + cos(pi t / T)) / 2, t and T as
/// PolyScheduler; final_lr after max_update.
class CosineScheduler : public LRScheduler {
public:
  explicit CosineScheduler(int64_t max_update, double base_lr = 0.01,
                           double final_lr = 0, int64_t warmup_steps = 0,
                           double warmup_begin_lr = 0,
                           const std::string &warmup_mode = "linear");
  double operator()(int64_t num_update) override;

private:
  int64_t maxUpdate_;
  double finalLr_;
};

} // namespace mxjit::lr_scheduler

namespace mxjit::optimizer {

/// An optimizer's per-parameter state (momentum, moments); empty when the
/// optimizer keeps none.
using State = std::vector<nd::NDArray>;

/// The arguments every MXNet optimizer takes.
struct OptimizerParams {
  /// Unset: the optimizer's default (0.01; Adam and RMSProp 0.001), or the
  /// lr_scheduler's base_lr when there is one. Set with a scheduler: becomes
  /// the scheduler's base_lr (MXNet's override).
  std::optional<double> learning_rate;
  double wd = 0.0;
  double rescale_grad = 1.0;
  /// Gradients are clipped to [-c, c] when set and positive (MXNet skips
  /// clipping for None and 0; the kernels for negative values).
  std::optional<double> clip_gradient;
  std::shared_ptr<lr_scheduler::LRScheduler> lr_scheduler;
  /// Parameter names by index, for name-keyed lr/wd multipliers. As MXNet,
  /// every named parameter not ending in "_weight" or "_gamma" (biases,
  /// BatchNorm betas) gets wd_mult 0 unless set_wd_mult says otherwise.
  std::map<int64_t, std::string> param_idx2name;
  /// The count each index starts from (resuming training).
  int64_t begin_num_update = 0;
};

class Optimizer {
public:
  Optimizer(OptimizerParams params, double default_learning_rate);
  virtual ~Optimizer() = default;

  /// The registry name ("sgd", "adam", ...).
  virtual std::string name() const = 0;
  /// Zero-filled state for parameter `index` shaped like `weight`.
  virtual State create_state(int64_t index, const nd::NDArray &weight);
  /// One step for parameter `index`: counts it, then rebinds `weight` (and
  /// the arrays in `state`) to their updated values. Throws mxjit::Error
  /// when grad's shape differs from weight's or `state` is not what
  /// create_state returns.
  virtual void update(int64_t index, nd::NDArray &weight,
                      const nd::NDArray &grad, State &state) = 0;

  /// The current base rate: the scheduler's at num_update(), else the
  /// fixed one (multipliers not applied).
  double learning_rate();
  /// Throws mxjit::Error when a scheduler drives the rate.
  void set_learning_rate(double lr);
  /// The rate `index` would be updated with now (multipliers applied).
  double lr_for(int64_t index);
  /// The weight decay for `index` (multipliers applied).
  double wd_for(int64_t index) const;

  double wd() const { return wd_; }
  double rescale_grad() const { return rescaleGrad_; }
  /// Trainer::step sets this to scale / batch_size before each step.
  void set_rescale_grad(double rescale_grad) { rescaleGrad_ = rescale_grad; }
  std::optional<double> clip_gradient() const { return clipGradient_; }
  const std::shared_ptr<lr_scheduler::LRScheduler> &lr_scheduler() const {
    return scheduler_;
  }

  /// Multipliers by parameter name and by index (index wins), replacing
  /// earlier ones. set_wd_mult first restores the idx2name defaults.
  void set_lr_mult(const std::map<std::string, double> &by_name,
                   const std::map<int64_t, double> &by_index = {});
  void set_wd_mult(const std::map<std::string, double> &by_name,
                   const std::map<int64_t, double> &by_index = {});
  /// A parameter's own lr_mult / wd_mult (MXNet's param_dict): these win
  /// over set_lr_mult / set_wd_mult.
  void set_param_mult(int64_t index, double lr_mult, double wd_mult);

  /// The largest per-index update count so far (what schedules see).
  int64_t num_update() const { return numUpdate_; }
  /// Updates made to `index` (begin_num_update before its first).
  int64_t update_count(int64_t index) const;
  /// Sets update_count(index) (restoring a Trainer's saved states);
  /// num_update() becomes at least `count`.
  void set_update_count(int64_t index, int64_t count);

protected:
  /// Counts one update of `index` (MXNet's _update_count).
  void countUpdate(int64_t index);
  /// `value` as a broadcastable array (all-ones shape of like's rank, its
  /// dtype and context). Rates and scales change between steps (schedules,
  /// Adam's bias correction, a Trainer's batch size); as array inputs
  /// rather than op attributes they leave the compiled update's structure
  /// unchanged, so a training loop compiles its updates once.
  static nd::NDArray scalar(double value, const nd::NDArray &like);
  /// clip(rescale_grad * grad) when clipping is on.
  nd::NDArray rescaled(const nd::NDArray &grad) const;
  /// clip(x) when clipping is on.
  nd::NDArray clipped(const nd::NDArray &x) const;
  /// Throws unless weight and grad are non-empty with equal shapes and
  /// `state` holds `stateSize` arrays shaped like weight.
  void checkArgs(const nd::NDArray &weight, const nd::NDArray &grad,
                 const State &state, size_t stateSize) const;
  static State zerosLike(const nd::NDArray &weight, size_t n);

private:
  double lr_;
  double wd_, rescaleGrad_;
  std::optional<double> clipGradient_;
  std::shared_ptr<lr_scheduler::LRScheduler> scheduler_;
  std::map<int64_t, std::string> idx2name_;
  int64_t beginNumUpdate_, numUpdate_;
  std::map<int64_t, int64_t> updateCounts_;
  std::map<std::string, double> lrMultByName_, wdMultByName_;
  std::map<int64_t, double> lrMultByIndex_, wdMultByIndex_;
  std::map<int64_t, std::pair<double, double>> paramMult_;
};

/// Stochastic gradient descent, MXNet's sgd_update / sgd_mom_update:
/// g = clip(rescale_grad * grad) + wd * weight;
/// momentum 0: weight -= lr * g; else mom = momentum * mom - lr * g,
/// weight += mom. lazy_update concerns sparse gradients and is ignored.
class SGD : public Optimizer {
public:
  explicit SGD(double momentum = 0.0, OptimizerParams params = {});
  std::string name() const override { return "sgd"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;
  double momentum() const { return momentum_; }

protected:
  /// Applies the step lr * g to the weight through the momentum buffer
  /// (mom = momentum * mom - step; weight += mom).
  virtual void applyMomentum(nd::NDArray &weight, nd::NDArray &mom,
                             const nd::NDArray &step) const;

  double momentum_;
};

/// Nesterov momentum, MXNet's nag_mom_update: g as SGD,
/// mom = momentum * mom - lr * g, weight += momentum * mom - lr * g.
class NAG : public SGD {
public:
  explicit NAG(double momentum = 0.0, OptimizerParams params = {})
      : SGD(momentum, std::move(params)) {}
  std::string name() const override { return "nag"; }

protected:
  void applyMomentum(nd::NDArray &weight, nd::NDArray &mom,
                     const nd::NDArray &step) const override;
};

/// Adam, MXNet's adam_update: g = clip(rescale_grad * grad + wd * weight),
/// mean = beta1 mean + (1-beta1) g, var = beta2 var + (1-beta2) g^2,
/// weight -= lr' * mean / (sqrt(var) + epsilon) with the bias correction
/// lr' = lr * sqrt(1 - beta2^t) / (1 - beta1^t), t = update_count(index).
/// State: {mean, var}. Default learning rate 0.001.
class Adam : public Optimizer {
public:
  explicit Adam(double beta1 = 0.9, double beta2 = 0.999, double epsilon = 1e-8,
                OptimizerParams params = {});
  std::string name() const override { return "adam"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;

private:
  double beta1_, beta2_, epsilon_;
};

/// RMSProp, MXNet's rmsprop_update (Tieleman & Hinton) and, when centered,
/// rmspropalex_update (Graves): g = clip(rescale_grad * grad + wd * weight),
/// n = (1-gamma1) g^2 + gamma1 n;
/// plain:    weight -= lr * g / sqrt(n + epsilon);
/// centered: m = (1-gamma1) g + gamma1 m,
///           delta = gamma2 delta - lr * g / sqrt(n - m^2 + epsilon),
///           weight += delta.
/// Then weight is clipped to [-clip_weights, clip_weights] when positive.
/// State: {n} or {n, m, delta}. Default learning rate 0.001.
class RMSProp : public Optimizer {
public:
  explicit RMSProp(double gamma1 = 0.9, double gamma2 = 0.9,
                   double epsilon = 1e-8, bool centered = false,
                   std::optional<double> clip_weights = std::nullopt,
                   OptimizerParams params = {});
  std::string name() const override { return "rmsprop"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;

private:
  double gamma1_, gamma2_, epsilon_;
  bool centered_;
  std::optional<double> clipWeights_;
};

/// AdaGrad: g = clip(rescale_grad * grad); history += g^2;
/// weight -= lr * (g / sqrt(history + eps) + wd * weight). State: {history}.
class AdaGrad : public Optimizer {
public:
  explicit AdaGrad(double eps = 1e-7, OptimizerParams params = {});
  std::string name() const override { return "adagrad"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;

private:
  double eps_;
};

/// AdaDelta (no learning rate, as MXNet): g = clip(rescale_grad * grad);
/// acc_g = rho acc_g + (1-rho) g^2;
/// d = sqrt(acc_delta + epsilon) / sqrt(acc_g + epsilon) * g;
/// acc_delta = rho acc_delta + (1-rho) d^2; weight -= d + wd * weight.
/// State: {acc_g, acc_delta}.
class AdaDelta : public Optimizer {
public:
  explicit AdaDelta(double rho = 0.9, double epsilon = 1e-5,
                    OptimizerParams params = {});
  std::string name() const override { return "adadelta"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;

private:
  double rho_, epsilon_;
};

/// Adamax (Adam with the infinity norm): g = clip(rescale_grad * grad + wd *
/// weight); m = beta1 m + (1-beta1) g; u = max(beta2 u, |g|);
/// weight -= lr / (1 - beta1^t) * m / u. State: {m, u}. Default rate 0.002.
class Adamax : public Optimizer {
public:
  explicit Adamax(double beta1 = 0.9, double beta2 = 0.999,
                  OptimizerParams params = {});
  std::string name() const override { return "adamax"; }
  State create_state(int64_t index, const nd::NDArray &weight) override;
  void update(int64_t index, nd::NDArray &weight, const nd::NDArray &grad,
              State &state) override;

private:
  double beta1_, beta2_;
};

/// Numeric keyword arguments by MXNet's names: the OptimizerParams fields
/// (learning_rate, wd, rescale_grad, clip_gradient, begin_num_update) and
/// the optimizer's own (momentum; beta1, beta2, epsilon; gamma1, gamma2,
/// centered (0/1), clip_weights; eps; rho; lazy_update and multi_precision
/// are accepted and ignored).
using Kwargs = std::map<std::string, double>;
using Factory = std::function<std::unique_ptr<Optimizer>(
    const Kwargs &kwargs, const OptimizerParams &params)>;

/// MXNet's optimizer.create: the optimizer registered as `name` (case
/// insensitive). The scheduler and parameter names are passed alongside
/// since they are not numbers. Throws mxjit::Error for an unknown name or
/// argument.
std::unique_ptr<Optimizer>
create(const std::string &name, const Kwargs &kwargs = {},
       std::shared_ptr<lr_scheduler::LRScheduler> lr_scheduler = nullptr,
       std::map<int64_t, std::string> param_idx2name = {});
/// Adds (or replaces) an optimizer under `name` (MXNet's register). The
/// factory receives the kwargs with the common ones already moved into
/// `params`.
void register_optimizer(const std::string &name, Factory factory);
/// Registered names, sorted.
std::vector<std::string> registered();

} // namespace mxjit::optimizer

#endif // MXJIT_OPTIMIZER_H
