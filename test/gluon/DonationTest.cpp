//===- DonationTest.cpp - optimizer updates in the weights' own buffers ---===//
//
// The engine computes an update `w' = f(w, ...)` in w's buffer when nothing
// else can read w any more (nd::detail::Engine::donation(), MXJIT_DONATE).
// These tests train with donation on and off from the same start and
// compare the results bit for bit, check that the weights keep their
// buffers, and that every handle MXNet says keeps the old value does.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/trainer.h"

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"

#include "nd/Engine.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon;

namespace {

/// Sets the engine's donation switch for one scope.
class DonationScope {
public:
  explicit DonationScope(bool on)
      : previous_(nd::detail::Engine::get().donation()) {
    nd::detail::Engine::get().setDonation(on);
  }
  ~DonationScope() { nd::detail::Engine::get().setDonation(previous_); }

private:
  bool previous_;
};

/// Where the value of `a` lives once computed.
const void *bufferOf(const nd::NDArray &a) {
  a.wait_to_read();
  return a.node()->value->data();
}

std::vector<std::vector<float>> valuesOf(const ParameterDict &params) {
  std::vector<std::vector<float>> out;
  for (const ParameterPtr &p : params.values())
    out.push_back(p->data().asvector<float>());
  return out;
}

/// Inputs and labels of a 3-class problem on 4 features.
struct Data {
  nd::NDArray x = nd::array({0.5, -1,  2, 0.25, 1,  1, -0.5, 0,     -2,  0.5,
                             1,   1.5, 0, 0.75, -1, 2, 1.25, -0.25, 0.5, -1.5},
                            {5, 4});
  nd::NDArray label = nd::array({0, 2, 1, 1, 0});
};

/// A two-layer MLP, with the same initial weights on every call.
std::shared_ptr<nn::Sequential> makeMlp() {
  nd::random::seed(7);
  auto net = std::make_shared<nn::Sequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<nn::Dense>(6, "relu"));
    net->add(std::make_shared<nn::Dense>(3));
  }
  net->initialize(std::make_shared<init::Uniform>(0.5));
  return net;
}

/// Trains `net` for `steps` steps the way a training loop does (forward and
/// backward recorded, trainer.step, the loss read back); after each step
/// `afterStep(i)` runs.
void train(Block &net, Trainer &trainer, int steps,
           const std::function<void(int)> &afterStep = nullptr) {
  Data data;
  loss::SoftmaxCrossEntropyLoss loss;
  for (int i = 0; i < steps; ++i) {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = loss(net(data.x), data.label);
      l.backward();
    }
    trainer.step(5);
    nd::mean(l).asscalar<float>();
    if (afterStep)
      afterStep(i);
  }
}

/// A fresh MLP from makeMlp() and its Trainer (SGD with momentum unless
/// told otherwise).
struct Training {
  explicit Training(const std::string &optimizer = "sgd",
                    const optimizer::Kwargs &kwargs = {{"learning_rate", 0.1},
                                                       {"momentum", 0.9}})
      : trainer(params, optimizer, kwargs) {}
  NameManager names;
  std::shared_ptr<nn::Sequential> net = makeMlp();
  ParameterDict params = net->collect_params();
  Trainer trainer;
};

/// Trains a fresh MLP with `optimizer` for 6 steps and returns its weights,
/// with donation on or off.
std::vector<std::vector<float>> trainMlp(bool donate,
                                         const std::string &optimizer,
                                         const optimizer::Kwargs &kwargs) {
  DonationScope scope(donate);
  Training t(optimizer, kwargs);
  train(*t.net, t.trainer, 6);
  return valuesOf(t.params);
}

} // namespace

TEST(DonationTest, WeightsKeepTheirBuffersAcrossSteps) {
  DonationScope scope(true);
  Training t;
  std::vector<const void *> buffers;
  uint64_t donated = 0;
  train(*t.net, t.trainer, 6, [&](int step) {
    std::vector<const void *> now;
    for (const ParameterPtr &p : t.params.values())
      now.push_back(bufferOf(p->data()));
    uint64_t total = nd::detail::Engine::get().donatedOutputs();
    // The first step's update reads the initial values, whose buffers the
    // initializer may share; from then on every update is in place: each
    // weight and its momentum.
    if (step >= 2) {
      EXPECT_EQ(now, buffers) << "step " << step;
      EXPECT_EQ(total - donated, 2 * t.params.size()) << "step " << step;
    }
    buffers = now;
    donated = total;
  });
}

TEST(DonationTest, SwitchedOffNothingIsDonated) {
  DonationScope scope(false);
  Training t;
  uint64_t before = nd::detail::Engine::get().donatedOutputs();
  train(*t.net, t.trainer, 3);
  EXPECT_EQ(nd::detail::Engine::get().donatedOutputs(), before);
}

TEST(DonationTest, SameWeightsAsWithoutDonation) {
  for (auto [name, kwargs] :
       std::vector<std::pair<std::string, optimizer::Kwargs>>{
           {"sgd", {{"learning_rate", 0.1}, {"momentum", 0.9}, {"wd", 1e-3}}},
           {"sgd", {{"learning_rate", 0.1}}},
           {"nag", {{"learning_rate", 0.1}, {"momentum", 0.9}}},
           {"adam", {{"learning_rate", 0.01}}},
           {"rmsprop", {{"learning_rate", 0.01}}}}) {
    std::vector<std::vector<float>> on = trainMlp(true, name, kwargs);
    std::vector<std::vector<float>> off = trainMlp(false, name, kwargs);
    EXPECT_EQ(on, off) << name; // bit for bit
  }
}

TEST(DonationTest, CopyTakenBeforeAStepKeepsTheOldValues) {
  DonationScope scope(true);
  Training t;
  train(*t.net, t.trainer, 3);
  ParameterPtr w = t.params.values().front();
  nd::NDArray copy = w->data().copy();
  nd::NDArray handle = w->data(); // shares the parameter's array
  std::vector<float> before = copy.asvector<float>();
  const void *buffer = bufferOf(w->data());
  train(*t.net, t.trainer, 2);
  EXPECT_EQ(copy.asvector<float>(), before);
  EXPECT_NE(w->data().asvector<float>(), before);
  // The handle sees the update, as in MXNet, and the weight its buffer.
  EXPECT_EQ(handle.asvector<float>(), w->data().asvector<float>());
  EXPECT_EQ(bufferOf(w->data()), buffer);
}

TEST(DonationTest, OldValueStillReadIsNotOverwritten) {
  // An array computed from the weight before the step, still pending when
  // the step's update runs, must see the old weight.
  DonationScope scope(true);
  ParameterDict params("");
  ParameterPtr w =
      params.get("w", {{3}, std::make_shared<init::Constant>(1.0)});
  params.initialize();
  Trainer trainer(params, "sgd", {{"learning_rate", 1.0}});
  for (int i = 0; i < 3; ++i) {
    nd::NDArray x = nd::array({1, 2, 3});
    {
      auto rec = autograd::record();
      nd::sum(w->data() * x).backward();
    }
    nd::NDArray before = w->data() * 2; // pending, reads the old weight
    trainer.step(1);
    std::vector<float> old = w->data().asvector<float>();
    for (float &v : old)
      v = 2 * v;
    std::vector<float> expected = {2.0f * (1 - i), 2.0f * (1 - 2 * i),
                                   2.0f * (1 - 3 * i)};
    EXPECT_EQ(before.asvector<float>(), expected) << "step " << i;
  }
  expectNear(w->data(), {-2, -5, -8});
}

TEST(DonationTest, GradReqAddAccumulates) {
  auto run = [](bool donate) {
    DonationScope scope(donate);
    ParameterDict params("");
    ParameterOptions options({2}, std::make_shared<init::Constant>(1.0));
    options.grad_req = "add";
    ParameterPtr w = params.get("w", options);
    params.initialize();
    Trainer trainer(params, "sgd", {{"learning_rate", 0.5}});
    std::vector<std::vector<float>> seen;
    for (int step = 0; step < 3; ++step) {
      // Two backward passes accumulate into the gradient before the step.
      for (double s : {1.0, 2.0}) {
        auto rec = autograd::record();
        nd::sum(w->data() * nd::array({s, -s})).backward();
      }
      trainer.step(1);
      seen.push_back(w->data().asvector<float>());
      seen.push_back(w->grad().asvector<float>());
      params.zero_grad();
    }
    return seen;
  };
  std::vector<std::vector<float>> on = run(true);
  EXPECT_EQ(on, run(false));
  // grad = (3, -3) every step (zeroed after each), w -= 0.5 * grad.
  EXPECT_EQ(on[0], (std::vector<float>{-0.5f, 2.5f}));
  EXPECT_EQ(on[1], (std::vector<float>{3, -3}));
  EXPECT_EQ(on[4], (std::vector<float>{-3.5f, 5.5f}));
}

TEST(DonationTest, SharedParametersMatchWithoutDonation) {
  // One Dense applied twice and a second Dense sharing its parameters: both
  // uses add to one gradient, and one update changes the shared weight.
  auto run = [](bool donate) {
    DonationScope scope(donate);
    NameManager names;
    nd::random::seed(3);
    auto first = std::make_shared<nn::Dense>(
        4, "tanh", true, true, DType::Float32, nullptr, nullptr, 4);
    auto second = std::make_shared<nn::Dense>(4, "", true, true, DType::Float32,
                                              nullptr, nullptr, 4, std::nullopt,
                                              first->params_ptr());
    first->initialize(std::make_shared<init::Uniform>(0.5));
    ParameterDict params = first->collect_params();
    EXPECT_EQ(second->weight(), first->weight());
    Trainer trainer(params, "sgd", {{"learning_rate", 0.1}, {"momentum", 0.5}});
    Data data;
    std::vector<std::vector<float>> seen;
    for (int step = 0; step < 4; ++step) {
      nd::NDArray l;
      {
        auto rec = autograd::record();
        l = nd::sum((*second)((*first)((*first)(data.x))));
        l.backward();
      }
      trainer.step(5);
      seen.push_back({l.asscalar<float>()});
    }
    for (const auto &v : valuesOf(params))
      seen.push_back(v);
    return seen;
  };
  EXPECT_EQ(run(true), run(false));
}

TEST(DonationTest, OptimizerUpdateOnNDArrays) {
  // Optimizer::update without a Trainer: the weight and Adam's moments keep
  // their buffers from the first update on.
  auto run = [](bool donate) {
    DonationScope scope(donate);
    auto adam = optimizer::create("adam", {{"learning_rate", 0.1}});
    nd::NDArray w = nd::array({1, 2, 3, 4});
    nd::NDArray g = nd::array({0.5, -0.5, 1, -1});
    optimizer::State state = adam->create_state(0, w);
    std::vector<const void *> first;
    for (int i = 0; i < 4; ++i) {
      adam->update(0, w, g, state);
      std::vector<const void *> now = {bufferOf(w)};
      for (const nd::NDArray &s : state)
        now.push_back(bufferOf(s));
      if (i == 0)
        first = now;
      else if (donate)
        EXPECT_EQ(now, first) << "update " << i;
    }
    std::vector<std::vector<float>> values = {w.asvector<float>()};
    for (const nd::NDArray &s : state)
      values.push_back(s.asvector<float>());
    return values;
  };
  EXPECT_EQ(run(true), run(false));
}
