//===- Dense.cpp - gluon.nn.Dense: fully connected with deferred in_units ===//

#include "mxjit/gluon/nn.h"

#include "gluon/nn/Dims.h"

namespace mxjit::gluon::nn {

Dense::Dense(int64_t units, std::string activation, bool use_bias, bool flatten,
             DType dtype, init::InitializerPtr weight_initializer,
             init::InitializerPtr bias_initializer, int64_t in_units,
             std::optional<std::string> prefix,
             std::shared_ptr<ParameterDict> params)
    : HybridBlock("dense", std::move(prefix), std::move(params)), units_(units),
      act_(std::move(activation)), flatten_(flatten) {
  if (units <= 0)
    throw Error("Dense '" + name() + "': units must be positive, got " +
                std::to_string(units));
  if (in_units < 0)
    throw Error("Dense '" + name() + "': in_units must be >= 0, got " +
                std::to_string(in_units));
  if (!act_.empty()) // reject a bad name now, not at the first forward
    nn::activation(nd::zeros({1}), act_);
  auto scope = name_scope();
  detail::weightAndBias(this->params(), {units, in_units}, units, dtype,
                        std::move(weight_initializer),
                        std::move(bias_initializer), use_bias, weight_, bias_);
}

nd::NDArray Dense::forward(const nd::NDArray &x) {
  if (x.empty())
    throw Error("Dense '" + name() + "': empty input");
  if (x.ndim() < (flatten_ ? 2 : 1))
    throw Error("Dense '" + name() + "': input of rank " +
                std::to_string(x.ndim()) + " has no feature axis");
  int64_t inUnits = x.shape().back();
  if (flatten_) {
    inUnits = 1;
    for (size_t i = 1; i < x.shape().size(); ++i)
      inUnits *= x.shape()[i];
  }
  // The first input fixes in_units (deferred initialization); later ones
  // must agree, which set_shape checks and reports by parameter name.
  weight_->set_shape({units_, inUnits});
  finishDeferredInit();
  nd::NDArray y = nd::fully_connected(x, weight_->data(),
                                      bias_ ? bias_->data() : nd::NDArray(),
                                      units_, flatten_);
  return act_.empty() ? y : activation(y, act_);
}

} // namespace mxjit::gluon::nn
