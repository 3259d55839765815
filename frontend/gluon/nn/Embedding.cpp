//===- Embedding.cpp - gluon.nn.Embedding as a one-hot matrix product ----===//

#include "mxjit/gluon/nn.h"

namespace mxjit::gluon::nn {

Embedding::Embedding(int64_t input_dim, int64_t output_dim, DType dtype,
                     init::InitializerPtr weight_initializer,
                     std::optional<std::string> prefix,
                     std::shared_ptr<ParameterDict> params)
    : HybridBlock("embedding", std::move(prefix), std::move(params)),
      inputDim_(input_dim), outputDim_(output_dim) {
  if (input_dim <= 0 || output_dim <= 0)
    throw Error("Embedding '" + name() +
                "': input_dim and output_dim must be positive, got " +
                std::to_string(input_dim) + " and " +
                std::to_string(output_dim));
  ParameterOptions w;
  w.shape = {input_dim, output_dim};
  w.dtype = dtype;
  w.init = std::move(weight_initializer);
  weight_ = this->params().get("weight", w);
}

nd::NDArray Embedding::forward(const nd::NDArray &x) {
  if (x.empty())
    throw Error("Embedding '" + name() + "': empty input");
  nd::NDArray w = weight_->data();
  int64_t n = 1;
  for (int64_t d : x.shape())
    n *= d;
  // MXNet's Embedding truncates float indices and clips them into range;
  // the int cast truncates, the clip happens before it so that huge values
  // cannot overflow the cast.
  nd::NDArray idx = nd::clip(nd::cast(x, DType::Float64), 0,
                             static_cast<double>(inputDim_ - 1));
  idx = nd::cast(nd::cast(idx, DType::Int32), w.dtype());
  // No gather op exists: one_hot(idx) . weight picks the rows and
  // differentiates into a dense weight gradient.
  nd::NDArray ids =
      nd::arange(0, static_cast<double>(inputDim_), 1.0, w.context(), w.dtype())
          .reshape({1, inputDim_});
  nd::NDArray oneHot = nd::stop_gradient(nd::equal(idx.reshape({n, 1}), ids));
  nd::Shape out = x.shape();
  out.push_back(outputDim_);
  return nd::dot(oneHot, w).reshape(out);
}

} // namespace mxjit::gluon::nn
