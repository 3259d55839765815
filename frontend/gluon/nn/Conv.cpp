//===- Conv.cpp - gluon.nn.Conv1D/Conv2D via the Convolution registry op --===//

#include "gluon/nn/Dims.h"
#include "mxjit/nd_registry_ops.h"

namespace mxjit::gluon::nn {

using detail::expand;
using detail::layoutFor;
using detail::weightAndBias;

ConvBase::ConvBase(const char *kind, size_t rank, int64_t channels,
                   Dims kernel_size, Dims strides, Dims padding, Dims dilation,
                   int64_t groups, std::string layout, std::string activation,
                   bool use_bias, init::InitializerPtr weight_initializer,
                   init::InitializerPtr bias_initializer, int64_t in_channels,
                   DType dtype, std::optional<std::string> prefix,
                   std::shared_ptr<ParameterDict> params)
    : HybridBlock("conv", std::move(prefix), std::move(params)), kind_(kind),
      channels_(channels), groups_(groups), act_(std::move(activation)) {
  std::string me = kind_ + " '" + name() + "'";
  kernel_ = expand(kernel_size, rank, me, "kernel_size", 1);
  strides_ = expand(strides, rank, me, "strides", 1);
  padding_ = expand(padding, rank, me, "padding", 0);
  dilation_ = expand(dilation, rank, me, "dilation", 1);
  if (channels <= 0)
    throw Error(me + ": channels must be positive, got " +
                std::to_string(channels));
  if (groups <= 0 || channels % groups != 0)
    throw Error(me + ": groups " + std::to_string(groups) +
                " must be positive and divide channels " +
                std::to_string(channels));
  if (in_channels < 0 || in_channels % groups != 0)
    throw Error(me + ": in_channels " + std::to_string(in_channels) +
                " must be >= 0 and divisible by groups " +
                std::to_string(groups));
  if (layout != layoutFor(rank))
    throw Error(me + ": layout '" + layout + "' is not supported (only " +
                layoutFor(rank) + ")");
  if (!act_.empty()) // reject a bad name now, not at the first forward
    nn::activation(nd::zeros({1}), act_);
  nd::Shape weightShape{channels, in_channels / groups};
  weightShape.insert(weightShape.end(), kernel_.begin(), kernel_.end());
  weightAndBias(this->params(), std::move(weightShape), channels, dtype,
                std::move(weight_initializer), std::move(bias_initializer),
                use_bias, weight_, bias_);
}

nd::NDArray ConvBase::forward(const nd::NDArray &x) {
  std::string me = kind_ + " '" + name() + "'";
  size_t rank = kernel_.size();
  if (x.empty() || x.ndim() != static_cast<int64_t>(rank + 2))
    throw Error(me + ": input must have rank " + std::to_string(rank + 2) +
                " (" + layoutFor(rank) + "), got rank " +
                std::to_string(x.empty() ? 0 : x.ndim()));
  int64_t inC = x.shape()[1];
  if (inC % groups_ != 0)
    throw Error(me + ": input channels " + std::to_string(inC) +
                " not divisible by groups " + std::to_string(groups_));
  // The first input fixes in_channels; set_shape reports a later mismatch
  // by parameter name.
  nd::Shape wshape = {channels_, inC / groups_};
  wshape.insert(wshape.end(), kernel_.begin(), kernel_.end());
  weight_->set_shape(wshape);
  finishDeferredInit();
  std::vector<nd::NDArray> in = {x, weight_->data()};
  if (bias_)
    in.push_back(bias_->data());
  sym::Kwargs kw = {{"kernel", kernel_},       {"stride", strides_},
                    {"dilate", dilation_},     {"pad", padding_},
                    {"num_filter", channels_}, {"num_group", groups_},
                    {"no_bias", !bias_},       {"layout", layoutFor(rank)}};
  nd::NDArray y = nd::Op("Convolution", in, kw)[0];
  return act_.empty() ? y : activation(y, act_);
}

Conv1D::Conv1D(int64_t channels, Dims kernel_size, Dims strides, Dims padding,
               Dims dilation, int64_t groups, std::string layout,
               std::string activation, bool use_bias,
               init::InitializerPtr weight_initializer,
               init::InitializerPtr bias_initializer, int64_t in_channels,
               DType dtype, std::optional<std::string> prefix,
               std::shared_ptr<ParameterDict> params)
    : ConvBase("Conv1D", 1, channels, std::move(kernel_size),
               std::move(strides), std::move(padding), std::move(dilation),
               groups, std::move(layout), std::move(activation), use_bias,
               std::move(weight_initializer), std::move(bias_initializer),
               in_channels, dtype, std::move(prefix), std::move(params)) {}

Conv2D::Conv2D(int64_t channels, Dims kernel_size, Dims strides, Dims padding,
               Dims dilation, int64_t groups, std::string layout,
               std::string activation, bool use_bias,
               init::InitializerPtr weight_initializer,
               init::InitializerPtr bias_initializer, int64_t in_channels,
               DType dtype, std::optional<std::string> prefix,
               std::shared_ptr<ParameterDict> params)
    : ConvBase("Conv2D", 2, channels, std::move(kernel_size),
               std::move(strides), std::move(padding), std::move(dilation),
               groups, std::move(layout), std::move(activation), use_bias,
               std::move(weight_initializer), std::move(bias_initializer),
               in_channels, dtype, std::move(prefix), std::move(params)) {}

} // namespace mxjit::gluon::nn
