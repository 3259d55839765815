//===- Norm.cpp - gluon.nn.BatchNorm via the BatchNorm registry op -------===//

#include "mxjit/gluon/nn.h"
#include "mxjit/nd_registry_ops.h"

namespace mxjit::gluon::nn {

namespace {

/// A per-channel parameter of shape (in_channels,), deferred when 0.
ParameterOptions channelParam(int64_t in_channels, DType dtype,
                              init::InitializerPtr given,
                              init::InitializerPtr fallback, bool trainable) {
  ParameterOptions o;
  o.shape = {in_channels};
  o.dtype = dtype;
  // As Dense's bias: the initializer fills whatever the name, so each
  // parameter carries Gluon's default ('ones' / 'zeros') explicitly.
  o.init = given ? std::move(given) : std::move(fallback);
  o.grad_req = trainable ? "write" : "null";
  o.allow_deferred_init = true;
  return o;
}

} // namespace

BatchNorm::BatchNorm(int64_t axis, double momentum, double epsilon, bool center,
                     bool scale, bool use_global_stats,
                     init::InitializerPtr beta_initializer,
                     init::InitializerPtr gamma_initializer,
                     init::InitializerPtr running_mean_initializer,
                     init::InitializerPtr running_variance_initializer,
                     int64_t in_channels, DType dtype,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : HybridBlock("batchnorm", std::move(prefix), std::move(params)),
      axis_(axis) {
  std::string me = "BatchNorm '" + name() + "'";
  if (in_channels < 0)
    throw Error(me + ": in_channels must be >= 0, got " +
                std::to_string(in_channels));
  if (!(epsilon > 0))
    throw Error(me + ": epsilon must be positive");
  if (!(momentum >= 0 && momentum <= 1))
    throw Error(me + ": momentum must be in [0, 1], got " +
                std::to_string(momentum));
  kwargs_ = {{"axis", axis},
             {"eps", epsilon},
             {"momentum", momentum},
             {"fix_gamma", !scale},
             {"use_global_stats", use_global_stats}};
  auto ones = std::make_shared<init::One>();
  auto zeros = std::make_shared<init::Zero>();
  gamma_ = this->params().get(
      "gamma", channelParam(in_channels, dtype, std::move(gamma_initializer),
                            ones, scale));
  beta_ = this->params().get("beta", channelParam(in_channels, dtype,
                                                  std::move(beta_initializer),
                                                  zeros, center));
  runningMean_ = this->params().get(
      "running_mean",
      channelParam(in_channels, dtype, std::move(running_mean_initializer),
                   zeros, false));
  runningVar_ = this->params().get(
      "running_var",
      channelParam(in_channels, dtype, std::move(running_variance_initializer),
                   ones, false));
}

nd::NDArray BatchNorm::forward(const nd::NDArray &x) {
  std::string me = "BatchNorm '" + name() + "'";
  if (x.empty() || x.ndim() < 2)
    throw Error(me + ": input must have rank >= 2");
  int64_t rank = x.ndim(), axis = axis_ < 0 ? axis_ + rank : axis_;
  if (axis < 0 || axis >= rank)
    throw Error(me + ": axis " + std::to_string(axis_) +
                " is out of range for input of rank " + std::to_string(rank));
  int64_t channels = x.shape()[axis];
  for (const ParameterPtr &p : {gamma_, beta_, runningMean_, runningVar_})
    p->set_shape({channels});
  finishDeferredInit();
  return nd::Op("BatchNorm",
                {x, gamma_->data(), beta_->data(), runningMean_->data(),
                 runningVar_->data()},
                kwargs_)[0];
}

} // namespace mxjit::gluon::nn
