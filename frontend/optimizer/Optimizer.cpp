//===- Optimizer.cpp - Optimizer base: rates, multipliers, counts ---------===//

#include "mxjit/optimizer.h"

#include "runtime/TensorSpec.h"

#include <algorithm>

namespace mxjit::optimizer {

using nd::NDArray;

namespace {
bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

Optimizer::Optimizer(OptimizerParams params, double default_learning_rate)
    : lr_(params.learning_rate.value_or(default_learning_rate)), wd_(params.wd),
      rescaleGrad_(params.rescale_grad), clipGradient_(params.clip_gradient),
      scheduler_(std::move(params.lr_scheduler)),
      idx2name_(std::move(params.param_idx2name)),
      beginNumUpdate_(params.begin_num_update),
      numUpdate_(params.begin_num_update) {
  if (scheduler_ && params.learning_rate)
    scheduler_->set_base_lr(*params.learning_rate);
  set_wd_mult({});
}

State Optimizer::create_state(int64_t, const NDArray &) { return {}; }

double Optimizer::learning_rate() {
  return scheduler_ ? (*scheduler_)(numUpdate_) : lr_;
}

void Optimizer::set_learning_rate(double lr) {
  if (scheduler_)
    throw Error("optimizer: set_learning_rate is not allowed while an "
                "lr_scheduler drives the rate");
  lr_ = lr;
}

double Optimizer::lr_for(int64_t index) {
  double lr = learning_rate();
  if (auto it = paramMult_.find(index); it != paramMult_.end())
    return lr * it->second.first;
  if (auto it = lrMultByIndex_.find(index); it != lrMultByIndex_.end())
    return lr * it->second;
  if (auto it = idx2name_.find(index); it != idx2name_.end()) {
    auto m = lrMultByName_.find(it->second);
    if (m != lrMultByName_.end())
      return lr * m->second;
  }
  return lr;
}

double Optimizer::wd_for(int64_t index) const {
  if (auto it = paramMult_.find(index); it != paramMult_.end())
    return wd_ * it->second.second;
  if (auto it = wdMultByIndex_.find(index); it != wdMultByIndex_.end())
    return wd_ * it->second;
  if (auto it = idx2name_.find(index); it != idx2name_.end()) {
    auto m = wdMultByName_.find(it->second);
    if (m != wdMultByName_.end())
      return wd_ * m->second;
  }
  return wd_;
}

void Optimizer::set_lr_mult(const std::map<std::string, double> &by_name,
                            const std::map<int64_t, double> &by_index) {
  lrMultByName_ = by_name;
  lrMultByIndex_ = by_index;
}

void Optimizer::set_wd_mult(const std::map<std::string, double> &by_name,
                            const std::map<int64_t, double> &by_index) {
  // MXNet decays only weights and BatchNorm gammas by default.
  wdMultByName_.clear();
  for (const auto &[index, name] : idx2name_)
    if (!endsWith(name, "_weight") && !endsWith(name, "_gamma"))
      wdMultByName_[name] = 0.0;
  for (const auto &[name, mult] : by_name)
    wdMultByName_[name] = mult;
  wdMultByIndex_ = by_index;
}

void Optimizer::set_param_mult(int64_t index, double lr_mult, double wd_mult) {
  paramMult_[index] = {lr_mult, wd_mult};
}

int64_t Optimizer::update_count(int64_t index) const {
  auto it = updateCounts_.find(index);
  return it == updateCounts_.end() ? beginNumUpdate_ : it->second;
}

void Optimizer::set_update_count(int64_t index, int64_t count) {
  updateCounts_[index] = count;
  numUpdate_ = std::max(numUpdate_, count);
}

void Optimizer::countUpdate(int64_t index) {
  auto [it, inserted] = updateCounts_.try_emplace(index, beginNumUpdate_);
  ++it->second;
  numUpdate_ = std::max(numUpdate_, it->second);
}

NDArray Optimizer::clipped(const NDArray &x) const {
  if (clipGradient_ && *clipGradient_ > 0)
    return nd::clip(x, -*clipGradient_, *clipGradient_);
  return x;
}

NDArray Optimizer::scalar(double value, const NDArray &like) {
  // array() of a rank-0 shape is not expressible; such weights take the
  // attribute path (a recompile when the value changes, still correct).
  if (like.ndim() == 0)
    return nd::full({}, value, like.context(), like.dtype());
  return nd::array({value}, nd::Shape(like.ndim(), 1), like.context(),
                   like.dtype());
}

NDArray Optimizer::rescaled(const NDArray &grad) const {
  return clipped(grad * scalar(rescaleGrad_, grad));
}

void Optimizer::checkArgs(const NDArray &weight, const NDArray &grad,
                          const State &state, size_t stateSize) const {
  std::string who = "optimizer " + name() + ": ";
  if (weight.empty() || grad.empty())
    throw Error(who + (weight.empty() ? "weight" : "grad") +
                " is an empty NDArray");
  if (grad.shape() != weight.shape())
    throw Error(who + "grad of shape " + formatShape(grad.shape()) +
                " does not match weight of shape " +
                formatShape(weight.shape()));
  if (state.size() != stateSize)
    throw Error(who + "state holds " + std::to_string(state.size()) +
                " arrays, expected " + std::to_string(stateSize) +
                " (use create_state)");
  for (size_t i = 0; i < state.size(); ++i)
    if (state[i].empty() || state[i].shape() != weight.shape())
      throw Error(who + "state[" + std::to_string(i) +
                  "] does not match weight of shape " +
                  formatShape(weight.shape()));
}

State Optimizer::zerosLike(const NDArray &weight, size_t n) {
  State s;
  for (size_t i = 0; i < n; ++i)
    s.push_back(nd::zeros(weight.shape(), weight.context(), weight.dtype()));
  return s;
}

} // namespace mxjit::optimizer
