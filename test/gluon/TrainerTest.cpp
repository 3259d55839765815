//===- TrainerTest.cpp - gluon.Trainer (test_gluon_trainer) --------------===//
//
// Gradient rescaling by batch size, stale gradients, lr_mult/wd_mult,
// learning rate access, and end-to-end training loops whose loss falls.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/trainer.h"

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon;

namespace {

/// sum(w * x) backward: the gradient of w is x.
void backwardWith(const ParameterPtr &p, const nd::NDArray &x) {
  auto rec = autograd::record();
  nd::NDArray y = nd::sum(p->data() * x);
  y.backward();
}

} // namespace

TEST(TrainerTest, StepRescalesByBatchSize) {
  ParameterDict params("");
  ParameterPtr w =
      params.get("w", {{2}, std::make_shared<init::Constant>(1.0)});
  params.initialize();
  Trainer trainer(params, "sgd", {{"learning_rate", 1.0}});
  EXPECT_DOUBLE_EQ(trainer.learning_rate(), 1.0);
  backwardWith(w, nd::array({4, 8}));
  trainer.step(4); // w -= 1.0 * grad / 4
  expectNear(w->data(), {0, -1});
  EXPECT_DOUBLE_EQ(trainer.optimizer().rescale_grad(), 0.25);

  trainer.set_learning_rate(0.5);
  EXPECT_DOUBLE_EQ(trainer.learning_rate(), 0.5);
  backwardWith(w, nd::array({2, 2}));
  trainer.step(1);
  expectNear(w->data(), {-1, -2});
}

TEST(TrainerTest, OptimizerRescaleGradIsTheScale) {
  ParameterDict params("");
  ParameterPtr w = params.get("w", {{1}, std::make_shared<init::Zero>()});
  params.initialize();
  Trainer trainer(params, "sgd",
                  {{"learning_rate", 1.0}, {"rescale_grad", 3.0}});
  backwardWith(w, nd::array({2}));
  trainer.step(2); // rescale = 3 / 2
  expectNear(w->data(), {-3});
}

TEST(TrainerTest, StaleGradients) {
  NameManager names;
  auto dense =
      std::make_shared<nn::Dense>(1, "", true, true, DType::Float32,
                                  std::make_shared<init::One>(), nullptr, 2);
  dense->initialize();
  Trainer trainer(dense->collect_params(), "sgd", {{"learning_rate", 0.1}});
  // Never backward: every parameter is stale.
  std::string err = errorOf([&] { trainer.step(1); });
  EXPECT_NE(err.find("Gradient of Parameter `dense0_weight` on context cpu(0) "
                     "has not been updated by backward since last `step`"),
            std::string::npos)
      << err;
  expectNear(dense->weight()->data(), {1, 1});

  // Only the weight gets a gradient: the bias is stale.
  backwardWith(dense->weight(), nd::array({1, 2}));
  err = errorOf([&] { trainer.step(1); });
  EXPECT_NE(err.find("`dense0_bias`"), std::string::npos) << err;
  expectNear(dense->weight()->data(), {1, 1}); // nothing applied
  trainer.step(1, /*ignore_stale_grad=*/true);
  expectNear(dense->weight()->data(), {0.9, 0.8});
  expectNear(dense->bias()->data(), {0});
  // The step consumed the gradient: stepping again is stale.
  EXPECT_NE(errorOf([&] { trainer.step(1); }).find("`dense0_weight`"),
            std::string::npos);
  // A full forward/backward refreshes both.
  {
    auto rec = autograd::record();
    nd::NDArray y = nd::sum((*dense)(nd::array({1, 1}, {1, 2})));
    y.backward();
  }
  trainer.step(1);
  expectNear(dense->weight()->data(), {0.8, 0.7});
  expectNear(dense->bias()->data(), {-0.1});
  // zero_grad does not count as a fresh gradient.
  dense->collect_params().zero_grad();
  EXPECT_NE(errorOf([&] { trainer.step(1); }).find("has not been updated"),
            std::string::npos);
}

TEST(TrainerTest, UninitializedParameterIsReported) {
  ParameterDict params("");
  params.get("w", nd::Shape{2});
  Trainer trainer(params, "sgd");
  EXPECT_NE(errorOf([&] { trainer.step(1); })
                .find("'w' has not been "
                      "initialized"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { trainer.step(0); }).find("batch_size"),
            std::string::npos);
}

TEST(TrainerTest, LrMultAndWdMult) {
  ParameterDict params("");
  auto one = std::make_shared<init::One>();
  ParameterPtr a = params.get("a", {{1}, one});
  ParameterPtr b = params.get("b", {{1}, one});
  ParameterPtr c = params.get("c", {{1}, one});
  ParameterPtr frozen = [&] {
    ParameterOptions o({1}, one);
    o.grad_req = "null";
    return params.get("f", o);
  }();
  b->lr_mult = 2.0;
  c->wd_mult = 0.0;
  params.initialize();
  Trainer trainer(params, "sgd", {{"learning_rate", 0.1}, {"wd", 0.5}});
  for (const ParameterPtr &p : {a, b, c})
    backwardWith(p, nd::array({1}));
  trainer.step(1);
  // sgd: w -= lr * lr_mult * (grad + wd * wd_mult * w)
  expectNear(a->data(), {1 - 0.1 * (1 + 0.5)});
  expectNear(b->data(), {1 - 0.2 * (1 + 0.5)});
  expectNear(c->data(), {1 - 0.1 * 1});
  expectNear(frozen->data(), {1});
}

TEST(TrainerTest, OptimizerInstanceAndMomentum) {
  ParameterDict params("");
  ParameterPtr w = params.get("w", {{1}, std::make_shared<init::Zero>()});
  params.initialize();
  optimizer::OptimizerParams op;
  op.learning_rate = 1.0;
  auto sgd = std::make_shared<optimizer::SGD>(0.5, op);
  Trainer trainer(params, sgd);
  backwardWith(w, nd::array({1}));
  trainer.step(1); // mom = -1, w = -1
  backwardWith(w, nd::array({1}));
  trainer.step(1); // mom = -0.5 - 1 = -1.5, w = -2.5
  expectNear(w->data(), {-2.5});
  EXPECT_NE(errorOf([&] {
              Trainer(params, std::shared_ptr<optimizer::Optimizer>());
            }).find("null"),
            std::string::npos);
}

TEST(TrainerTest, LinearRegressionConverges) {
  NameManager names;
  nd::random::seed(1);
  // y = 2 x0 - 3.4 x1 + 4.2
  nd::NDArray x = nd::random::normal(0, 1, {64, 2});
  nd::NDArray y = nd::dot(x, nd::array({2, -3.4}, {2, 1})) + 4.2;
  auto net = std::make_shared<nn::Sequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<nn::Dense>(1));
  }
  net->initialize(std::make_shared<init::Normal>(0.01));
  loss::L2Loss l2;
  Trainer trainer(net->collect_params(), "sgd", {{"learning_rate", 0.1}});
  double first = 0, last = 0;
  uint64_t missesAfterWarmup = 0;
  for (int epoch = 0; epoch < 100; ++epoch) {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = l2((*net)(x), y);
      l.backward();
    }
    trainer.step(64);
    double m = nd::mean(l).asscalar<double>();
    if (epoch == 0)
      first = m;
    if (epoch == 2)
      missesAfterWarmup = nd::cache_info().misses;
    last = m;
  }
  // Forward, backward and update compile once: later epochs hit the cache.
  EXPECT_EQ(nd::cache_info().misses, missesAfterWarmup);
  EXPECT_GT(first, 1.0);
  EXPECT_LT(last, 1e-4);
  auto dense = std::dynamic_pointer_cast<nn::Dense>((*net)[0]);
  expectNear(dense->weight()->data(), {2, -3.4}, 1e-2);
  expectNear(dense->bias()->data(), {4.2}, 1e-2);
}

TEST(TrainerTest, SoftmaxClassifierConverges) {
  NameManager names;
  nd::random::seed(3);
  // Two Gaussian blobs around (-2, -2) and (2, 2), labels 0 and 1.
  nd::NDArray noise = nd::random::normal(0, 0.7, {40, 2});
  std::vector<double> centers, labels;
  for (int i = 0; i < 40; ++i) {
    double c = i % 2 ? 2 : -2;
    centers.push_back(c);
    centers.push_back(c);
    labels.push_back(i % 2);
  }
  nd::NDArray x = nd::array(centers, {40, 2}) + noise;
  nd::NDArray label = nd::array(labels);
  auto net = std::make_shared<nn::HybridSequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<nn::Dense>(8, "tanh"));
    net->add(std::make_shared<nn::Dense>(2));
  }
  net->initialize(std::make_shared<init::Xavier>());
  net->hybridize();
  loss::SoftmaxCrossEntropyLoss ce;
  Trainer trainer(net->collect_params(), "adam", {{"learning_rate", 0.05}});
  double first = 0, last = 0;
  for (int it = 0; it < 60; ++it) {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = ce((*net)(x), label);
      l.backward();
    }
    trainer.step(40);
    double m = nd::mean(l).asscalar<double>();
    if (it == 0)
      first = m;
    last = m;
  }
  EXPECT_GT(first, 0.3);
  EXPECT_LT(last, 0.05);
  std::vector<float> out = (*net)(x).asvector<float>();
  int correct = 0;
  for (int i = 0; i < 40; ++i)
    correct += (out[2 * i + 1] > out[2 * i]) == (labels[i] == 1);
  EXPECT_EQ(correct, 40);
}
