//===- HybridizeTest.cpp - a training step is one compiled call ----------===//
//
// hybridize()'s promise: the whole forward and backward of a block (here
// with the previous step's optimizer updates) run as one cached compiled
// function, and give the same numbers as evaluating every op on its own.
//
//===----------------------------------------------------------------------===//

#include "GluonTestUtil.h"

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"
#include "mxjit/gluon/trainer.h"

#include <cmath>
#include <filesystem>

#include <unistd.h>

using namespace mxjit;
using namespace mxjit::gluon;
using namespace mxjit::gluontest;

namespace {

/// Dense(16, relu), BatchNorm, Dense(8, tanh), Dense(4) on 6 features.
std::shared_ptr<nn::HybridSequential> model() {
  auto net = std::make_shared<nn::HybridSequential>();
  auto scope = net->name_scope();
  auto dense = [](int64_t units, const std::string &act, int64_t in) {
    return std::make_shared<nn::Dense>(units, act, true, true, DType::Float32,
                                       nullptr, nullptr, in);
  };
  net->add(dense(16, "relu", 6));
  net->add(std::make_shared<nn::BatchNorm>(
      1, 0.9, 1e-5, true, true, false, nullptr, nullptr, nullptr, nullptr, 16));
  net->add(dense(8, "tanh", 16));
  net->add(dense(4, "", 8));
  return net;
}

struct Data {
  nd::NDArray x, y;
};

Data data() {
  nd::random::seed(7);
  return {nd::random::normal(0, 1, {10, 6}),
          nd::array({0, 1, 2, 3, 0, 1, 2, 3, 1, 2})};
}

uint64_t callsSoFar() {
  nd::CacheInfo info = nd::cache_info();
  return info.hits + info.misses;
}

} // namespace

TEST(HybridizeTest, TrainingStepIsOneCompiledCall) {
  NameManager names;
  auto net = model();
  net->initialize(std::make_shared<init::Xavier>());
  net->hybridize();
  EXPECT_TRUE((*net)[0]->hybridized());
  Trainer trainer(net->collect_params(), "sgd",
                  {{"learning_rate", 0.1}, {"momentum", 0.9}, {"wd", 1e-4}});
  loss::SoftmaxCrossEntropyLoss lossFn;
  Data d = data();
  nd::NDArray l;
  auto step = [&] {
    {
      auto rec = autograd::record();
      l = lossFn((*net)(d.x), d.y);
      l.backward();
    }
    trainer.step(10);
  };
  step();
  step();
  uint64_t misses = nd::cache_info().misses;
  for (int i = 0; i < 3; ++i) {
    uint64_t before = callsSoFar();
    step();
    // backward computes the forward, the loss, every gradient, the batch
    // norm statistics and the previous step's momentum updates together.
    EXPECT_EQ(callsSoFar() - before, 1u) << "step " << i;
  }
  EXPECT_EQ(nd::cache_info().misses, misses);
  EXPECT_TRUE(std::isfinite(nd::mean(l).asscalar<double>()));
}

TEST(HybridizeTest, OneCallGivesTheNumbersOfOpByOpEvaluation) {
  std::string path = (std::filesystem::temp_directory_path() /
                      ("mxjit-hybridize-" + std::to_string(::getpid())))
                         .string();
  NameManager names;
  auto fused = model();
  fused->initialize(std::make_shared<init::Xavier>());
  fused->save_parameters(path);
  auto eager = model();
  eager->load_parameters(path);
  std::filesystem::remove(path);
  fused->hybridize();

  optimizer::Kwargs sgd{{"learning_rate", 0.1}, {"momentum", 0.9}};
  Trainer fusedTrainer(fused->collect_params(), "sgd", sgd);
  Trainer eagerTrainer(eager->collect_params(), "sgd", sgd);
  loss::SoftmaxCrossEntropyLoss lossFn;
  Data d = data();
  ParameterDict eagerParams = eager->collect_params();
  for (int i = 0; i < 3; ++i) {
    {
      auto rec = autograd::record();
      nd::NDArray l = lossFn((*fused)(d.x), d.y);
      l.backward();
    }
    fusedTrainer.step(10);
    {
      // Reading every intermediate splits the step into many calls.
      auto rec = autograd::record();
      nd::NDArray h = d.x;
      for (size_t k = 0; k < eager->size(); ++k) {
        h = (*(*eager)[k])(h);
        h.wait_to_read();
      }
      nd::NDArray l = lossFn(h, d.y);
      l.wait_to_read();
      l.backward();
    }
    for (const ParameterPtr &p : eagerParams.values())
      if (p->grad_req() != "null")
        p->grad().wait_to_read();
    eagerTrainer.step(10);
    for (const ParameterPtr &p : eagerParams.values())
      p->data().wait_to_read();
  }
  auto expected = eager->collect_params_with_prefix();
  for (const auto &[key, p] : fused->collect_params_with_prefix())
    expectNear(p->data(), expected[key]->data().asvector<double>(), 1e-5);
}
