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
#include "mxjit/symbol.h"

#include <initializer_list>

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
class Dense : public HybridBlock {
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
class Activation : public HybridBlock {
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
class Flatten : public HybridBlock {
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
class Dropout : public HybridBlock {
public:
  explicit Dropout(double rate, std::optional<std::string> prefix = {},
                   std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;

private:
  double rate_;
};

/// An int or a tuple of ints, as Gluon's kernel_size / strides / padding /
/// dilation / pool_size take: a single value applies to every spatial axis.
struct Dims {
  Dims(int64_t v) : values{v}, scalar(true) {}
  Dims(int v) : Dims(static_cast<int64_t>(v)) {}
  Dims(std::initializer_list<int64_t> v) : values(v) {}
  Dims(nd::Shape v) : values(std::move(v)) {}
  nd::Shape values;
  bool scalar = false;
};

/// Convolution through the registry op nd::Op("Convolution") (the Symbol
/// API's lowering). Weight (channels, in_channels / groups, kernel...),
/// bias (channels,), named `conv<n>_weight` / `conv<n>_bias` as Gluon's
/// _Conv alias "conv". in_channels 0 defers it to the first input. Only
/// channels-first layouts (NCW, NCHW). `dtype` is an mxjit extension
/// (MXNet casts the block instead).
class ConvBase : public HybridBlock {
public:
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;
  const ParameterPtr &weight() const { return weight_; }
  /// Null without use_bias.
  const ParameterPtr &bias() const { return bias_; }

protected:
  ConvBase(const char *kind, size_t rank, int64_t channels, Dims kernel_size,
           Dims strides, Dims padding, Dims dilation, int64_t groups,
           std::string layout, std::string activation, bool use_bias,
           init::InitializerPtr weight_initializer,
           init::InitializerPtr bias_initializer, int64_t in_channels,
           DType dtype, std::optional<std::string> prefix,
           std::shared_ptr<ParameterDict> params);

private:
  std::string kind_;
  int64_t channels_, groups_;
  nd::Shape kernel_, strides_, padding_, dilation_;
  std::string act_;
  ParameterPtr weight_, bias_;
};

/// (N, C, W) -> (N, channels, W').
class Conv1D : public ConvBase {
public:
  Conv1D(int64_t channels, Dims kernel_size, Dims strides = 1, Dims padding = 0,
         Dims dilation = 1, int64_t groups = 1, std::string layout = "NCW",
         std::string activation = "", bool use_bias = true,
         init::InitializerPtr weight_initializer = nullptr,
         init::InitializerPtr bias_initializer = nullptr,
         int64_t in_channels = 0, DType dtype = DType::Float32,
         std::optional<std::string> prefix = {},
         std::shared_ptr<ParameterDict> params = nullptr);
};

/// (N, C, H, W) -> (N, channels, H', W').
class Conv2D : public ConvBase {
public:
  Conv2D(int64_t channels, Dims kernel_size, Dims strides = 1, Dims padding = 0,
         Dims dilation = 1, int64_t groups = 1, std::string layout = "NCHW",
         std::string activation = "", bool use_bias = true,
         init::InitializerPtr weight_initializer = nullptr,
         init::InitializerPtr bias_initializer = nullptr,
         int64_t in_channels = 0, DType dtype = DType::Float32,
         std::optional<std::string> prefix = {},
         std::shared_ptr<ParameterDict> params = nullptr);
};

/// Pooling through nd::Op("Pooling"); named `pool<n>_` (Gluon's _Pooling
/// alias "pool"). strides unset means pool_size, as in Gluon; ceil_mode
/// selects pooling_convention "full".
class PoolBase : public HybridBlock {
public:
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;

protected:
  PoolBase(const char *kind, size_t rank, const char *pool_type, Dims pool_size,
           std::optional<Dims> strides, Dims padding, const std::string &layout,
           bool ceil_mode, bool global, std::optional<bool> count_include_pad,
           std::optional<std::string> prefix,
           std::shared_ptr<ParameterDict> params);

private:
  std::string kind_;
  sym::Kwargs kwargs_;
  size_t rank_;
};

class MaxPool1D : public PoolBase {
public:
  explicit MaxPool1D(Dims pool_size = 2, std::optional<Dims> strides = {},
                     Dims padding = 0, std::string layout = "NCW",
                     bool ceil_mode = false,
                     std::optional<std::string> prefix = {},
                     std::shared_ptr<ParameterDict> params = nullptr);
};
class MaxPool2D : public PoolBase {
public:
  explicit MaxPool2D(Dims pool_size = {2, 2}, std::optional<Dims> strides = {},
                     Dims padding = 0, std::string layout = "NCHW",
                     bool ceil_mode = false,
                     std::optional<std::string> prefix = {},
                     std::shared_ptr<ParameterDict> params = nullptr);
};
/// count_include_pad: padded zeros count in the average (Gluon's default).
class AvgPool1D : public PoolBase {
public:
  explicit AvgPool1D(Dims pool_size = 2, std::optional<Dims> strides = {},
                     Dims padding = 0, std::string layout = "NCW",
                     bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<std::string> prefix = {},
                     std::shared_ptr<ParameterDict> params = nullptr);
};
class AvgPool2D : public PoolBase {
public:
  explicit AvgPool2D(Dims pool_size = {2, 2}, std::optional<Dims> strides = {},
                     Dims padding = 0, std::string layout = "NCHW",
                     bool ceil_mode = false, bool count_include_pad = true,
                     std::optional<std::string> prefix = {},
                     std::shared_ptr<ParameterDict> params = nullptr);
};
/// (N, C, H, W) -> (N, C, 1, 1).
class GlobalMaxPool2D : public PoolBase {
public:
  explicit GlobalMaxPool2D(std::string layout = "NCHW",
                           std::optional<std::string> prefix = {},
                           std::shared_ptr<ParameterDict> params = nullptr);
};
class GlobalAvgPool2D : public PoolBase {
public:
  explicit GlobalAvgPool2D(std::string layout = "NCHW",
                           std::optional<std::string> prefix = {},
                           std::shared_ptr<ParameterDict> params = nullptr);
};

/// Batch normalization through nd::Op("BatchNorm") with Gluon's
/// parameters `batchnorm<n>_gamma`, `_beta`, `_running_mean`,
/// `_running_var` (shape (in_channels,), deferred when 0; the running
/// statistics have grad_req "null", gamma / beta too without scale /
/// center). Training mode (autograd::is_training()) normalizes with batch
/// statistics and updates the running statistics in place; otherwise the
/// running statistics are used. fix_gamma is !scale, as in Gluon.
class BatchNorm : public HybridBlock {
public:
  explicit BatchNorm(
      int64_t axis = 1, double momentum = 0.9, double epsilon = 1e-5,
      bool center = true, bool scale = true, bool use_global_stats = false,
      init::InitializerPtr beta_initializer = nullptr,
      init::InitializerPtr gamma_initializer = nullptr,
      init::InitializerPtr running_mean_initializer = nullptr,
      init::InitializerPtr running_variance_initializer = nullptr,
      int64_t in_channels = 0, DType dtype = DType::Float32,
      std::optional<std::string> prefix = {},
      std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;
  const ParameterPtr &gamma() const { return gamma_; }
  const ParameterPtr &beta() const { return beta_; }
  const ParameterPtr &running_mean() const { return runningMean_; }
  const ParameterPtr &running_var() const { return runningVar_; }

private:
  int64_t axis_;
  sym::Kwargs kwargs_;
  ParameterPtr gamma_, beta_, runningMean_, runningVar_;
};

/// out = weight[indices]: indices of any shape and dtype (truncated to
/// integers and clipped to [0, input_dim) as MXNet's Embedding) give
/// shape + (output_dim,). Weight (input_dim, output_dim),
/// `embedding<n>_weight`. There is no gather op, so the lookup is a dot of
/// the one-hot matrix (N, input_dim) with the weight: O(N * input_dim *
/// output_dim) work and N * input_dim memory, fine for small vocabularies;
/// its gradient is dense.
class Embedding : public HybridBlock {
public:
  Embedding(int64_t input_dim, int64_t output_dim, DType dtype = DType::Float32,
            init::InitializerPtr weight_initializer = nullptr,
            std::optional<std::string> prefix = {},
            std::shared_ptr<ParameterDict> params = nullptr);
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;
  const ParameterPtr &weight() const { return weight_; }

private:
  int64_t inputDim_, outputDim_;
  ParameterPtr weight_;
};

} // namespace mxjit::gluon::nn

#endif // MXJIT_GLUON_NN_H
