//===- Sequential.cpp - gluon.nn.Sequential and HybridSequential ---------===//

#include "mxjit/gluon/block.h"

namespace mxjit::gluon {

Sequential::Sequential(std::optional<std::string> prefix,
                       std::shared_ptr<ParameterDict> params)
    : Block("sequential", std::move(prefix), std::move(params)) {}

Sequential::Sequential(const std::string &alias,
                       std::optional<std::string> prefix,
                       std::shared_ptr<ParameterDict> params)
    : Block(alias, std::move(prefix), std::move(params)) {}

HybridSequential::HybridSequential(std::optional<std::string> prefix,
                                   std::shared_ptr<ParameterDict> params)
    : Sequential("hybridsequential", std::move(prefix), std::move(params)) {}

void Sequential::add(const std::vector<BlockPtr> &blocks) {
  for (const BlockPtr &b : blocks)
    add(b);
}

BlockPtr Sequential::operator[](size_t i) const {
  if (i >= size())
    throw Error("Sequential '" + name() + "': index " + std::to_string(i) +
                " out of range for " + std::to_string(size()) + " children");
  return children()[i];
}

nd::NDArray Sequential::forward(const nd::NDArray &x) {
  nd::NDArray y = x;
  for (const BlockPtr &child : children())
    y = child->forward(y);
  return y;
}

} // namespace mxjit::gluon
