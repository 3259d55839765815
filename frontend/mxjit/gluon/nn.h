//===- nn.h - mxjit::gluon::nn, MXNet Gluon's basic layers ------*- C++ -*-===//
//
// The layers of MXNet 1.x's gluon/nn/basic_layers.py built from NDArray
// ops, so they are lazy and differentiable like any NDArray expression.
// Sequential and HybridSequential live in mxjit/gluon/block.h and are
// re-exported here.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_NN_H
#define MXJIT_GLUON_NN_H

#include "mxjit/gluon/block.h"

namespace mxjit::gluon::nn {

using gluon::HybridSequential;
using gluon::Sequential;

/// MXNet's activation by name: "relu", "sigmoid", "tanh", "softrelu",
/// "softsign"; others throw mxjit::Error.
nd::NDArray activation(const nd::NDArray &x, const std::string &act_type);

/// y = activation(x W^T + b) through nd::fully_connected. Weight
/// (units, in_units), bias (units,). With flatten, x is (batch, ...) and
/// its trailing axes are flattened; without, only the last axis is
/// contracted. in_units 0 defers it to the first input.
class Dense : public Block {
public:
  explicit Dense(int64_t units, std::string activation = "",
                 bool use_bias = true, bool flatten = true,
                 DType dtype = DType::Float32,
                 init::InitializerPtr weight_initializer = nullptr,
                 init::InitializerPtr bias_initializer = nullptr,
                 int64_t in_units = 0, std::optional<std::string> prefix = {},
                 std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;
  const ParameterPtr &weight() const { return weight_; }
  /// Null without use_bias.
  const ParameterPtr &bias() const { return bias_; }

private:
  int64_t units_;
  std::string act_;
  bool flatten_;
  ParameterPtr weight_, bias_;
};

/// activation(x, act_type); the type is checked when the layer is made.
class Activation : public Block {
public:
  explicit Activation(std::string act_type,
                      std::optional<std::string> prefix = {},
                      std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;

private:
  std::string act_;
};

/// (batch, ...) -> (batch, product of the rest).
class Flatten : public Block {
public:
  explicit Flatten(std::optional<std::string> prefix = {},
                   std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;
};

/// In training mode (autograd::is_training()) zeroes each element with
/// probability `rate` and scales the rest by 1 / (1 - rate); identity
/// otherwise. The mask comes from nd::random::uniform, so it is
/// reproducible with nd::random::seed.
class Dropout : public Block {
public:
  explicit Dropout(double rate, std::optional<std::string> prefix = {},
                   std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;

private:
  double rate_;
};

} // namespace mxjit::gluon::nn

#endif // MXJIT_GLUON_NN_H
