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
  m.sampleShape = {1, 28, 28}; // ToTensor's CHW; Dense flattens it
  return m;
}

/// LeNet-5's sizes with relu and max pooling (Conv2D 6 and 16 channels,
/// Dense 120 and 84): the convolutions lower to plain loops today, so a
/// smaller net keeps an epoch within minutes on two cores.
Model lenet() {
  gluon::NameManager names;
  auto net = std::make_shared<gluon::Sequential>();
  std::shared_ptr<gluon::nn::Conv2D> conv0, conv1;
  std::shared_ptr<gluon::nn::MaxPool2D> pool0, pool1;
  std::shared_ptr<gluon::nn::Dense> fc0, fc1, fc2;
  std::shared_ptr<gluon::nn::Flatten> flat;
  {
    auto scope = net->name_scope();
    // in_channels given, so every shape is known before the first batch.
    conv0 = std::make_shared<gluon::nn::Conv2D>(
        6, 5, 1, 2, 1, 1, "NCHW", "relu", true, nullptr, nullptr, 1);
    pool0 = std::make_shared<gluon::nn::MaxPool2D>(2, 2);
    conv1 = std::make_shared<gluon::nn::Conv2D>(
        16, 5, 1, 0, 1, 1, "NCHW", "relu", true, nullptr, nullptr, 6);
    pool1 = std::make_shared<gluon::nn::MaxPool2D>(2, 2);
    flat = std::make_shared<gluon::nn::Flatten>();
    fc0 = std::make_shared<gluon::nn::Dense>(120, "relu");
    fc1 = std::make_shared<gluon::nn::Dense>(84, "relu");
    fc2 = std::make_shared<gluon::nn::Dense>(10);
    net->add({conv0, pool0, conv1, pool1, flat, fc0, fc1, fc2});
  }
  net->initialize(std::make_shared<init::Xavier>());

  auto conv = [](const sym::Symbol &x, const gluon::Block &b, int64_t filters,
                 int64_t pad) {
    sym::Symbol c = sym::Convolution(
        x, {{"kernel", {5, 5}}, {"num_filter", filters}, {"pad", {pad, pad}}},
        b.name());
    return sym::Activation(c, {{"act_type", "relu"}}, b.name() + "_relu");
  };
  auto pool = [](const sym::Symbol &x, const gluon::Block &b) {
    return sym::Pooling(
        x, {{"kernel", {2, 2}}, {"stride", {2, 2}}, {"pool_type", "max"}},
        b.name());
  };
  auto dense = [](const sym::Symbol &x, const gluon::Block &b, int64_t units,
                  bool relu) {
    sym::Symbol y = sym::FullyConnected(x, {{"num_hidden", units}}, b.name());
    return relu ? sym::Activation(y, {{"act_type", "relu"}}, b.name() + "_relu")
                : y;
  };
  sym::Symbol x = sym::Variable("data");
  x = pool(conv(x, *conv0, 6, 2), *pool0);
  x = pool(conv(x, *conv1, 16, 0), *pool1);
  x = sym::Flatten(x, {}, flat->name());
  x = dense(dense(dense(x, *fc0, 120, true), *fc1, 84, true), *fc2, 10, false);

  Model m;
  m.net = net;
  m.symbol = sym::SoftmaxOutput(x, {}, "softmax");
  m.sampleShape = {1, 28, 28};
  return m;
}

} // namespace

Model buildModel(const std::string &name) {
  if (name == "mlp")
    return mlp();
  if (name == "lenet")
    return lenet();
  throw Error("mxjit-train: unknown model '" + name + "'");
}

} // namespace mxjit::train
