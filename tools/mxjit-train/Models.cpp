//===- Models.cpp - the demo's networks
//------------------------------------===//
//
// Gluon networks built as an MXNet user would write them, plus the same MLP
// as a Symbol so viz can draw it: the Symbol's layer names are taken from
// the Gluon blocks, so the graph's parameter names match the trained ones.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include "mxjit/gluon/nn.h"
#include "mxjit/init.h"

namespace mxjit::train {
namespace {

/// The Symbol twin of a Sequential of Dense layers: FullyConnected named
/// after each Dense (`sequential0_dense0`), its activation after the block
/// plus the activation, and MXNet's SoftmaxOutput on top.
sym::Symbol denseStackSymbol(const gluon::Sequential &net,
                             const std::vector<int64_t> &units,
                             const std::vector<std::string> &acts) {
  sym::Symbol x = sym::Variable("data");
  for (size_t i = 0; i < units.size(); ++i) {
    std::string name = net[i]->name();
    x = sym::FullyConnected(x, {{"num_hidden", units[i]}}, name);
    if (!acts[i].empty())
      x = sym::Activation(x, {{"act_type", acts[i]}}, name + "_" + acts[i]);
  }
  return sym::SoftmaxOutput(x, {}, "softmax");
}

Model mlp() {
  // A fresh name manager so the parameters are `sequential0_dense0_weight`
  // however many models the process built before.
  gluon::NameManager names;
  auto net = std::make_shared<gluon::Sequential>();
  const std::vector<int64_t> units = {256, 256, 10};
  const std::vector<std::string> acts = {"relu", "relu", ""};
  {
    auto scope = net->name_scope();
    for (size_t i = 0; i < units.size(); ++i)
      net->add(std::make_shared<gluon::nn::Dense>(units[i], acts[i]));
  }
  net->initialize(std::make_shared<init::Xavier>());
  Model m;
  m.net = net;
  m.symbol = denseStackSymbol(*net, units, acts);
  m.sampleShape = {784};
  return m;
}

} // namespace

Model buildModel(const std::string &name) {
  if (name == "mlp")
    return mlp();
  throw Error("mxjit-train: unknown model '" + name + "'");
}

} // namespace mxjit::train
