//===- SaveLoadTest.cpp - Block parameters and Trainer states on disk -----===//
//
// MXNet's test_gluon save/load semantics: structural names, renamed models,
// missing and extra parameters, legacy prefixed files, deduplication, and
// resuming training from saved parameters plus Trainer states.
//
//===----------------------------------------------------------------------===//

#include "GluonTestUtil.h"

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"
#include "mxjit/gluon/trainer.h"

#include <filesystem>

#include <unistd.h>

using namespace mxjit;
using namespace mxjit::gluon;
using namespace mxjit::gluontest;

namespace {

std::string tempPath(const std::string &name) {
  return (std::filesystem::temp_directory_path() /
          ("mxjit-saveload-" + std::to_string(::getpid()) + "-" + name))
      .string();
}

/// Dense(4, relu) then Dense(2) (and Dense(extraUnits)) on 3 features,
/// their input sizes given or left to deferred initialization.
std::shared_ptr<nn::Sequential> mlp(bool knownShapes = true,
                                    int64_t extraUnits = 0) {
  auto dense = [&](int64_t units, const std::string &act, int64_t inUnits) {
    return std::make_shared<nn::Dense>(units, act, true, true, DType::Float32,
                                       nullptr, nullptr,
                                       knownShapes ? inUnits : 0);
  };
  auto net = std::make_shared<nn::Sequential>();
  auto scope = net->name_scope();
  net->add(dense(4, "relu", 3));
  net->add(dense(2, "", 4));
  if (extraUnits)
    net->add(dense(extraUnits, "", 2));
  return net;
}

std::vector<std::string> keysOf(const std::map<std::string, nd::NDArray> &m) {
  std::vector<std::string> keys;
  for (const auto &entry : m)
    keys.push_back(entry.first);
  return keys;
}

} // namespace

TEST(SaveLoadTest, StructuralNamesSurviveRenaming) {
  std::string path = tempPath("structural.params");
  nd::NDArray x = nd::array({1, -2, 0.5, 3, 0, -1}, {2, 3});
  std::vector<double> expected;
  {
    NameManager names;
    auto net = mlp();
    net->initialize(std::make_shared<init::Normal>(0.5));
    EXPECT_EQ(net->collect_params().keys().front(),
              "sequential0_dense0_weight");
    expected = (*net)(x).asvector<double>();
    net->save_parameters(path);
  }
  EXPECT_EQ(
      keysOf(nd::load(path)),
      (std::vector<std::string>{"0.bias", "0.weight", "1.bias", "1.weight"}));
  // Another scope gives other prefixes; the structural names still match.
  NameManager names;
  auto decoy = std::make_shared<nn::Sequential>();
  auto net = mlp(/*knownShapes=*/false);
  EXPECT_EQ(net->collect_params().keys().front(), "sequential1_dense0_weight");
  net->load_parameters(path);
  expectNear((*net)(x), expected);
  std::filesystem::remove(path);
}

TEST(SaveLoadTest, MissingAndExtraParameters) {
  std::string small = tempPath("small.params"), big = tempPath("big.params");
  NameManager names;
  auto net = mlp();
  net->initialize();
  net->save_parameters(small);
  auto bigger = mlp(true, 5);
  bigger->initialize();
  bigger->save_parameters(big);

  auto target = mlp(true, 5);
  std::string err = errorOf([&] { target->load_parameters(small); });
  EXPECT_TRUE(contains(err, "Parameter '2.bias' is missing in file")) << err;
  EXPECT_TRUE(contains(err, "allow_missing")) << err;
  target->load_parameters(small, cpu(), /*allow_missing=*/true);
  expectNear(
      target->collect_params_with_prefix()["0.weight"]->data(),
      net->collect_params_with_prefix()["0.weight"]->data().asvector<double>());
  EXPECT_FALSE(target->collect_params_with_prefix()["2.weight"]->initialized());

  auto smaller = mlp();
  err = errorOf([&] { smaller->load_parameters(big); });
  EXPECT_TRUE(contains(err, "Parameter '2.bias' loaded from file")) << err;
  EXPECT_TRUE(contains(err, "ignore_extra")) << err;
  smaller->load_parameters(big, cpu(), false, /*ignore_extra=*/true);
  expectNear(smaller->collect_params_with_prefix()["1.bias"]->data(),
             bigger->collect_params_with_prefix()["1.bias"]
                 ->data()
                 .asvector<double>());
  std::filesystem::remove(small);
  std::filesystem::remove(big);
}

TEST(SaveLoadTest, ShapeMismatchNamesTheParameter) {
  std::string path = tempPath("shape.params");
  NameManager names;
  auto net = mlp();
  net->initialize();
  net->save_parameters(path);
  auto wide = std::make_shared<nn::Sequential>();
  {
    auto scope = wide->name_scope();
    wide->add(std::make_shared<nn::Dense>(4, "relu", true, true, DType::Float32,
                                          nullptr, nullptr, 7));
    wide->add(std::make_shared<nn::Dense>(2));
  }
  std::string err = errorOf([&] { wide->load_parameters(path); });
  EXPECT_TRUE(contains(err, "dense0_weight")) << err;
  std::filesystem::remove(path);
}

TEST(SaveLoadTest, LegacyPrefixedFiles) {
  std::string path = tempPath("legacy.params");
  NameManager names;
  auto dense = std::make_shared<nn::Dense>(3, "", true, true, DType::Float32,
                                           nullptr, nullptr, 2);
  dense->initialize(std::make_shared<init::Uniform>(1.0));
  // A lone Dense's structural names have no '.', so its file is read as
  // ParameterDict::save's prefixed names: "weight" under "dense1_".
  dense->save_parameters(path);
  EXPECT_EQ(keysOf(nd::load(path)),
            (std::vector<std::string>{"bias", "weight"}));
  auto copy = std::make_shared<nn::Dense>(3, "", true, true, DType::Float32,
                                          nullptr, nullptr, 2);
  copy->load_parameters(path);
  expectNear(copy->weight()->data(),
             dense->weight()->data().asvector<double>());
  // MXNet's older save_params wrote the dict with the block's prefix
  // stripped; a block of any prefix reads it.
  dense->collect_params().save(path, dense->prefix());
  auto third =
      std::make_shared<nn::Dense>(3, "", true, true, DType::Float32, nullptr,
                                  nullptr, 2, std::string("mine_"));
  third->load_parameters(path);
  expectNear(third->bias()->data(), dense->bias()->data().asvector<double>());
  std::filesystem::remove(path);
}

TEST(SaveLoadTest, DeduplicateSharedParameters) {
  std::string path = tempPath("dedup.params");
  NameManager names;
  auto net = std::make_shared<nn::Sequential>();
  {
    auto scope = net->name_scope();
    auto first = std::make_shared<nn::Dense>(3, "", true, true, DType::Float32,
                                             nullptr, nullptr, 3);
    net->add(first);
    net->add(std::make_shared<nn::Dense>(3, "", true, true, DType::Float32,
                                         nullptr, nullptr, 3, std::nullopt,
                                         first->params_ptr()));
  }
  net->initialize(std::make_shared<init::Normal>(1.0));
  net->save_parameters(path);
  EXPECT_EQ(nd::load(path).size(), 4u);
  net->save_parameters(path, /*deduplicate=*/true);
  EXPECT_EQ(keysOf(nd::load(path)),
            (std::vector<std::string>{"0.bias", "0.weight"}));
  // "1.weight" is the same Parameter as "0.weight", so nothing is missing.
  nd::NDArray before = net->collect_params_with_prefix()["1.weight"]->data();
  std::vector<double> saved = before.asvector<double>();
  net->initialize(std::make_shared<init::Zero>(), cpu(), true);
  net->load_parameters(path);
  expectNear(net->collect_params_with_prefix()["1.weight"]->data(), saved);
  std::filesystem::remove(path);
}

TEST(SaveLoadTest, ChildNamesMustBeUnique) {
  NameManager names;
  auto parent = std::make_shared<nn::Sequential>();
  parent->register_child(std::make_shared<nn::Dense>(2), "head");
  std::string err = errorOf(
      [&] { parent->register_child(std::make_shared<nn::Dense>(2), "head"); });
  EXPECT_TRUE(contains(err, "'head' is already registered")) << err;
  EXPECT_EQ(parent->collect_params_with_prefix().count("head.weight"), 1u);
}

namespace {

/// A user-defined block, as MXNet users write them: children registered
/// under attribute names.
class TwoLayerNet : public HybridBlock {
public:
  TwoLayerNet() : HybridBlock("twolayernet") {
    auto scope = name_scope();
    encoder = register_child(std::make_shared<nn::Dense>(5, "tanh", true, true,
                                                         DType::Float32,
                                                         nullptr, nullptr, 3),
                             "encoder");
    head = register_child(std::make_shared<nn::Dense>(2), "head");
  }
  nd::NDArray forward(const nd::NDArray &x) override {
    return (*head)((*encoder)(x));
  }
  std::shared_ptr<nn::Dense> encoder, head;
};

} // namespace

TEST(SaveLoadTest, UserBlockSavesByAttributeNames) {
  std::string path = tempPath("user.params");
  NameManager names;
  auto net = std::make_shared<TwoLayerNet>();
  EXPECT_EQ(net->encoder->weight()->name(), "twolayernet0_dense0_weight");
  net->initialize(std::make_shared<init::Normal>(0.3));
  nd::NDArray x = nd::array({0.5, -1, 2}, {1, 3});
  std::vector<double> expected = (*net)(x).asvector<double>();
  net->save_parameters(path);
  EXPECT_EQ(keysOf(nd::load(path)),
            (std::vector<std::string>{"encoder.bias", "encoder.weight",
                                      "head.bias", "head.weight"}));
  auto copy = std::make_shared<TwoLayerNet>();
  EXPECT_EQ(copy->prefix(), "twolayernet1_");
  copy->load_parameters(path);
  expectNear((*copy)(x), expected);
  std::filesystem::remove(path);
}

namespace {

/// Trains `net` for `steps` Adam steps on fixed data through `trainer`.
void trainSteps(Block &net, Trainer &trainer, int steps) {
  nd::NDArray x = nd::array({1, -2, 0.5, 3, 0, -1, 2, 2, -0.5}, {3, 3});
  nd::NDArray y = nd::array({0, 1, 1});
  loss::SoftmaxCrossEntropyLoss lossFn;
  for (int i = 0; i < steps; ++i) {
    {
      auto rec = autograd::record();
      nd::NDArray l = lossFn(net(x), y);
      l.backward();
    }
    trainer.step(3);
  }
}

} // namespace

TEST(SaveLoadTest, ResumeTrainingFromParametersAndStates) {
  std::string params = tempPath("resume.params");
  std::string states = tempPath("resume.states");
  NameManager names;
  optimizer::Kwargs adam{{"learning_rate", 0.05}};
  auto net = mlp();
  net->initialize(std::make_shared<init::Xavier>());
  Trainer trainer(net->collect_params(), "adam", adam);
  trainSteps(*net, trainer, 3);
  net->save_parameters(params);
  trainer.save_states(states);
  trainSteps(*net, trainer, 2);
  EXPECT_EQ(trainer.optimizer().num_update(), 5);

  auto resumed = mlp();
  resumed->load_parameters(params);
  Trainer again(resumed->collect_params(), "adam", adam);
  again.load_states(states);
  EXPECT_EQ(again.optimizer().num_update(), 3);
  trainSteps(*resumed, again, 2);
  // Adam's moments and its bias correction (from the update counts) came
  // back, so the two runs agree.
  for (const auto &[key, p] : net->collect_params_with_prefix())
    expectNear(resumed->collect_params_with_prefix()[key]->data(),
               p->data().asvector<double>(), 1e-5);

  // Resuming without the states differs: Adam restarts its moments.
  auto fresh = mlp();
  fresh->load_parameters(params);
  Trainer restart(fresh->collect_params(), "adam", adam);
  trainSteps(*fresh, restart, 2);
  std::vector<double> a = fresh->collect_params_with_prefix()["0.weight"]
                              ->data()
                              .asvector<double>();
  std::vector<double> b =
      net->collect_params_with_prefix()["0.weight"]->data().asvector<double>();
  double diff = 0;
  for (size_t i = 0; i < a.size(); ++i)
    diff = std::max(diff, std::abs(a[i] - b[i]));
  EXPECT_GT(diff, 1e-4);
  std::filesystem::remove(params);
  std::filesystem::remove(states);
}

TEST(SaveLoadTest, TrainerStatesMustMatch) {
  std::string states = tempPath("mismatch.states");
  NameManager names;
  auto net = mlp();
  net->initialize();
  Trainer adam(net->collect_params(), "adam");
  trainSteps(*net, adam, 1);
  adam.save_states(states);

  Trainer sgd(net->collect_params(), "sgd", {{"momentum", 0.9}});
  std::string err = errorOf([&] { sgd.load_states(states); });
  EXPECT_TRUE(contains(err, "has 2 state arrays")) << err;
  EXPECT_TRUE(contains(err, "keeps 1")) << err;

  auto single = std::make_shared<nn::Dense>(4, "", true, true, DType::Float32,
                                            nullptr, nullptr, 3);
  single->initialize();
  Trainer fewer(single->collect_params(), "adam");
  err = errorOf([&] { fewer.load_states(states); });
  EXPECT_TRUE(contains(err, "but the Trainer has 2 parameters")) << err;

  nd::save(states, {{"weights", nd::zeros({1})}});
  err = errorOf([&] { adam.load_states(states); });
  EXPECT_TRUE(contains(err, "'weights'")) << err;
  std::filesystem::remove(states);
}
