//===- Basic.cpp - gluon.nn.Activation, Flatten and Dropout --------------===//

#include "mxjit/gluon/nn.h"

#include "mxjit/autograd.h"

namespace mxjit::gluon::nn {

nd::NDArray activation(const nd::NDArray &x, const std::string &act_type) {
  if (act_type == "relu")
    return nd::relu(x);
  if (act_type == "sigmoid")
    return nd::sigmoid(x);
  if (act_type == "tanh")
    return nd::tanh(x);
  if (act_type == "softrelu")
    return nd::softrelu(x);
  if (act_type == "softsign")
    return nd::softsign(x);
  throw Error("Activation: act_type must be one of relu, sigmoid, tanh, "
              "softrelu, softsign, got '" +
              act_type + "'");
}

Activation::Activation(std::string act_type, std::optional<std::string> prefix,
                       std::shared_ptr<ParameterDict> params)
    : HybridBlock(act_type, std::move(prefix), std::move(params)),
      act_(std::move(act_type)) {
  activation(nd::zeros({1}), act_);
}

nd::NDArray Activation::forward(const nd::NDArray &x) {
  return activation(x, act_);
}

Flatten::Flatten(std::optional<std::string> prefix,
                 std::shared_ptr<ParameterDict> params)
    : HybridBlock("flatten", std::move(prefix), std::move(params)) {}

nd::NDArray Flatten::forward(const nd::NDArray &x) {
  if (x.empty() || x.ndim() < 1)
    throw Error("Flatten '" + name() + "': input needs a batch axis");
  int64_t rest = 1;
  for (size_t i = 1; i < x.shape().size(); ++i)
    rest *= x.shape()[i];
  return x.reshape({x.shape()[0], rest});
}

Dropout::Dropout(double rate, std::optional<std::string> prefix,
                 std::shared_ptr<ParameterDict> params)
    : HybridBlock("dropout", std::move(prefix), std::move(params)),
      rate_(rate) {
  if (!(rate >= 0 && rate <= 1))
    throw Error("Dropout '" + name() + "': rate must be in [0, 1], got " +
                std::to_string(rate));
}

nd::NDArray Dropout::forward(const nd::NDArray &x) {
  if (!autograd::is_training() || rate_ == 0)
    return x;
  if (rate_ == 1)
    return x * 0.0;
  // The mask depends on random numbers only, so the gradient is the mask.
  nd::NDArray u = nd::random::uniform(0, 1, x.shape(), x.context(), x.dtype());
  return x * ((u >= rate_) * (1.0 / (1.0 - rate_)));
}

} // namespace mxjit::gluon::nn
