//===- LRScheduler.cpp - Factor, MultiFactor, Poly and Cosine schedules ---===//

#include "mxjit/optimizer.h"

#include <cmath>

namespace mxjit::lr_scheduler {

LRScheduler::LRScheduler(double base_lr, int64_t warmup_steps,
                         double warmup_begin_lr, const std::string &warmup_mode)
    : baseLr_(base_lr), warmupSteps_(warmup_steps),
      warmupBeginLr_(warmup_begin_lr), warmupFinalLr_(base_lr),
      linearWarmup_(warmup_mode == "linear") {
  if (warmup_steps < 0)
    throw Error("lr_scheduler: warmup_steps must be >= 0, got " +
                std::to_string(warmup_steps));
  if (warmup_begin_lr > base_lr)
    throw Error("lr_scheduler: base_lr " + std::to_string(base_lr) +
                " must not be below warmup_begin_lr " +
                std::to_string(warmup_begin_lr));
  if (warmup_mode != "linear" && warmup_mode != "constant")
    throw Error("lr_scheduler: warmup_mode must be 'linear' or 'constant', "
                "got '" +
                warmup_mode + "'");
}

void LRScheduler::set_base_lr(double lr) {
  baseLr_ = lr;
  warmupFinalLr_ = lr;
}

double LRScheduler::get_warmup_lr(int64_t num_update) const {
  if (num_update >= warmupSteps_)
    throw Error("lr_scheduler: get_warmup_lr(" + std::to_string(num_update) +
                ") is past warmup_steps " + std::to_string(warmupSteps_));
  if (!linearWarmup_)
    return warmupBeginLr_;
  return warmupBeginLr_ + (warmupFinalLr_ - warmupBeginLr_) *
                              static_cast<double>(num_update) /
                              static_cast<double>(warmupSteps_);
}

FactorScheduler::FactorScheduler(int64_t step, double factor,
                                 double stop_factor_lr, double base_lr,
                                 int64_t warmup_steps, double warmup_begin_lr,
                                 const std::string &warmup_mode)
    : LRScheduler(base_lr, warmup_steps, warmup_begin_lr, warmup_mode),
      step_(step), factor_(factor), stopFactorLr_(stop_factor_lr) {
  if (step < 1)
    throw Error("FactorScheduler: step must be >= 1, got " +
                std::to_string(step));
  if (factor > 1.0)
    throw Error(
        "FactorScheduler: factor must be <= 1 to reduce the rate, got " +
        std::to_string(factor));
}

double FactorScheduler::operator()(int64_t num_update) {
  if (num_update < warmupSteps_)
    return get_warmup_lr(num_update);
  // A loop, not an if, so resuming at a late num_update catches up.
  while (num_update > count_ + step_) {
    count_ += step_;
    baseLr_ = std::max(baseLr_ * factor_, stopFactorLr_);
  }
  return baseLr_;
}

MultiFactorScheduler::MultiFactorScheduler(std::vector<int64_t> step,
                                           double factor, double base_lr,
                                           int64_t warmup_steps,
                                           double warmup_begin_lr,
                                           const std::string &warmup_mode)
    : LRScheduler(base_lr, warmup_steps, warmup_begin_lr, warmup_mode),
      step_(std::move(step)), factor_(factor) {
  if (step_.empty())
    throw Error("MultiFactorScheduler: step must list at least one update");
  for (size_t i = 0; i < step_.size(); ++i) {
    if (step_[i] < 1)
      throw Error("MultiFactorScheduler: step[" + std::to_string(i) +
                  "] must be >= 1, got " + std::to_string(step_[i]));
    if (i > 0 && step_[i] <= step_[i - 1])
      throw Error("MultiFactorScheduler: step must be strictly increasing");
  }
  if (factor > 1.0)
    throw Error(
        "MultiFactorScheduler: factor must be <= 1 to reduce the rate, got " +
        std::to_string(factor));
}

double MultiFactorScheduler::operator()(int64_t num_update) {
  if (num_update < warmupSteps_)
    return get_warmup_lr(num_update);
  while (curStep_ < step_.size() && num_update > step_[curStep_]) {
    ++curStep_;
    baseLr_ *= factor_;
  }
  return baseLr_;
}

namespace {
void checkMaxUpdate(const char *who, int64_t max_update, int64_t warmup) {
  if (max_update < 1)
    throw Error(std::string(who) + ": max_update must be >= 1, got " +
                std::to_string(max_update));
  // The schedule divides by max_update - warmup_steps.
  if (warmup >= max_update)
    throw Error(std::string(who) + ": warmup_steps " + std::to_string(warmup) +
                " must be below max_update " + std::to_string(max_update));
}
} // namespace

PolyScheduler::PolyScheduler(int64_t max_update, double base_lr, double pwr,
                             double final_lr, int64_t warmup_steps,
                             double warmup_begin_lr,
                             const std::string &warmup_mode)
    : LRScheduler(base_lr, warmup_steps, warmup_begin_lr, warmup_mode),
      maxUpdate_(max_update), power_(pwr), finalLr_(final_lr) {
  checkMaxUpdate("PolyScheduler", max_update, warmup_steps);
}

double PolyScheduler::operator()(int64_t num_update) {
  if (num_update < warmupSteps_)
    return get_warmup_lr(num_update);
  if (num_update > maxUpdate_)
    return finalLr_;
  double t = static_cast<double>(num_update - warmupSteps_) /
             static_cast<double>(maxUpdate_ - warmupSteps_);
  return finalLr_ + (baseLr_ - finalLr_) * std::pow(1 - t, power_);
}

CosineScheduler::CosineScheduler(int64_t max_update, double base_lr,
                                 double final_lr, int64_t warmup_steps,
                                 double warmup_begin_lr,
                                 const std::string &warmup_mode)
    : LRScheduler(base_lr, warmup_steps, warmup_begin_lr, warmup_mode),
      maxUpdate_(max_update), finalLr_(final_lr) {
  checkMaxUpdate("CosineScheduler", max_update, warmup_steps);
}

double CosineScheduler::operator()(int64_t num_update) {
  if (num_update < warmupSteps_)
    return get_warmup_lr(num_update);
  if (num_update > maxUpdate_)
    return finalLr_;
  double t = static_cast<double>(num_update - warmupSteps_) /
             static_cast<double>(maxUpdate_ - warmupSteps_);
  return finalLr_ + (baseLr_ - finalLr_) * (1 + std::cos(M_PI * t)) / 2;
}

} // namespace mxjit::lr_scheduler
