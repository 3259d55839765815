//===- BlockTest.cpp - gluon.Block naming, nn layers, Sequential ---------===//
//
// MXNet's test_gluon.py block tests: prefixes from name scopes and their
// counters, collect_params selection, deferred shapes, Dense values
// against a hand computation, Sequential chaining and the basic layers.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon;

namespace {} // namespace

TEST(BlockTest, TopLevelNamesCountPerAlias) {
  NameManager names;
  auto d0 = std::make_shared<nn::Dense>(3);
  auto d1 = std::make_shared<nn::Dense>(3);
  auto s0 = std::make_shared<nn::Sequential>();
  auto h0 = std::make_shared<nn::HybridSequential>();
  auto named = std::make_shared<nn::Dense>(3, "", true, true, DType::Float32,
                                           nullptr, nullptr, 0, "fc_");
  EXPECT_EQ(d0->prefix(), "dense0_");
  EXPECT_EQ(d0->name(), "dense0");
  EXPECT_EQ(d1->prefix(), "dense1_");
  EXPECT_EQ(s0->prefix(), "sequential0_");
  EXPECT_EQ(h0->prefix(), "hybridsequential0_");
  EXPECT_EQ(named->prefix(), "fc_");
  EXPECT_EQ(d0->params().keys(),
            (std::vector<std::string>{"dense0_weight", "dense0_bias"}));
  EXPECT_EQ(named->weight()->name(), "fc_weight");
  {
    NameManager inner; // fresh counters, as `with mx.name.NameManager():`
    EXPECT_EQ(std::make_shared<nn::Dense>(2)->prefix(), "dense0_");
  }
  EXPECT_EQ(std::make_shared<nn::Dense>(2)->prefix(), "dense2_");
}

TEST(BlockTest, NestedNamesUseTheParentsCounters) {
  NameManager names;
  auto outer = std::make_shared<nn::Sequential>();
  {
    auto scope = outer->name_scope();
    outer->add(std::make_shared<nn::Dense>(4, "relu"));
    auto inner = std::make_shared<nn::Sequential>();
    {
      auto innerScope = inner->name_scope();
      inner->add(std::make_shared<nn::Dense>(2));
    }
    outer->add(inner);
    outer->add(std::make_shared<nn::Dense>(1));
  }
  EXPECT_EQ((*outer)[0]->prefix(), "sequential0_dense0_");
  EXPECT_EQ((*outer)[1]->prefix(), "sequential0_sequential0_");
  EXPECT_EQ((*outer)[1]->children()[0]->prefix(),
            "sequential0_sequential0_dense0_");
  EXPECT_EQ((*outer)[2]->prefix(), "sequential0_dense1_");
  // Nested counters do not touch the top-level ones.
  EXPECT_EQ(std::make_shared<nn::Dense>(1)->prefix(), "dense0_");

  std::vector<std::string> all = outer->collect_params().keys();
  EXPECT_EQ(all, (std::vector<std::string>{
                     "sequential0_dense0_weight", "sequential0_dense0_bias",
                     "sequential0_sequential0_dense0_weight",
                     "sequential0_sequential0_dense0_bias",
                     "sequential0_dense1_weight", "sequential0_dense1_bias"}));
  EXPECT_EQ(outer->collect_params(".*weight").keys(),
            (std::vector<std::string>{"sequential0_dense0_weight",
                                      "sequential0_sequential0_dense0_weight",
                                      "sequential0_dense1_weight"}));
  // re.match anchors at the start only: "dense" does not match.
  EXPECT_TRUE(outer->collect_params("dense").empty());
  EXPECT_EQ(outer->collect_params("sequential0_dense1_.*|.*0_bias").keys(),
            (std::vector<std::string>{"sequential0_dense0_bias",
                                      "sequential0_sequential0_dense0_bias",
                                      "sequential0_dense1_weight",
                                      "sequential0_dense1_bias"}));
  EXPECT_NE(
      errorOf([&] { outer->collect_params("(["); }).find("Block 'sequential0'"),
      std::string::npos);
  EXPECT_NE(errorOf([&] { (*outer)[3]; }).find("index 3"), std::string::npos);
}

TEST(BlockTest, SharedParams) {
  NameManager names;
  auto a = std::make_shared<nn::Dense>(2, "", true, true, DType::Float32,
                                       nullptr, nullptr, 3);
  auto b =
      std::make_shared<nn::Dense>(2, "", true, true, DType::Float32, nullptr,
                                  nullptr, 3, std::nullopt, a->params_ptr());
  EXPECT_EQ(b->prefix(), "dense1_");
  EXPECT_EQ(b->weight(), a->weight());
  a->initialize();
  nd::NDArray x = nd::ones({1, 3});
  expectNear((*b)(x), (*a)(x).asvector<double>());
}

TEST(BlockTest, DenseDeferredShapeAndValues) {
  NameManager names;
  auto dense = std::make_shared<nn::Dense>(2, "", true, true, DType::Float32,
                                           std::make_shared<init::One>());
  dense->initialize();
  EXPECT_TRUE(dense->weight()->deferred());
  EXPECT_THROW(dense->weight()->data(), DeferredInitializationError);
  dense->bias()->initialize(std::make_shared<init::One>()); // no-op
  // x (2, 3, 1) is flattened to (2, 3).
  nd::NDArray x = nd::array({1, 2, 3, 4, 5, 6}, {2, 3, 1});
  dense->weight()->set_data(nd::array({1, 0, -1, 0.5, 0.5, 0.5}, {2, 3}));
  nd::NDArray y = (*dense)(x);
  EXPECT_EQ(dense->weight()->shape(), (nd::Shape{2, 3}));
  EXPECT_EQ(y.shape(), (nd::Shape{2, 2}));
  // Hand computation: rows of x dotted with rows of W, bias 0.
  expectNear(y, {1 - 3, 0.5 * 6, 4 - 6, 0.5 * 15});
  // A later input with another feature size names the weight.
  EXPECT_NE(
      errorOf([&] { (*dense)(nd::ones({2, 4})); }).find("'dense0_weight'"),
      std::string::npos);
}

TEST(BlockTest, DenseActivationNoFlattenNoBias) {
  NameManager names;
  auto dense = std::make_shared<nn::Dense>(
      1, "relu", /*use_bias=*/false, /*flatten=*/false, DType::Float32,
      std::make_shared<init::Constant>(-1.0), nullptr, 2);
  EXPECT_EQ(dense->bias(), nullptr);
  EXPECT_EQ(dense->params().size(), 1u);
  dense->initialize();
  // (2, 2, 2) -> (2, 2, 1) along the last axis; relu(-(a+b)).
  nd::NDArray x = nd::array({1, 2, -3, -4, 5, -6, -1, 0}, {2, 2, 2});
  nd::NDArray y = (*dense)(x);
  EXPECT_EQ(y.shape(), (nd::Shape{2, 2, 1}));
  expectNear(y, {0, 7, 1, 1});
  auto biased = std::make_shared<nn::Dense>(
      2, "tanh", true, true, DType::Float32, std::make_shared<init::One>(),
      std::make_shared<init::Constant>(0.5), 2);
  biased->initialize();
  expectNear((*biased)(nd::array({0.25, -1}, {1, 2})),
             {std::tanh(-0.25), std::tanh(-0.25)});
  EXPECT_NE(errorOf([] { nn::Dense(0); }).find("units"), std::string::npos);
  EXPECT_NE(errorOf([] { nn::Dense(2, "gelu2"); }).find("gelu2"),
            std::string::npos);
}

TEST(BlockTest, SequentialChainsChildren) {
  NameManager names;
  auto net = std::make_shared<nn::Sequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<nn::Dense>(2, "", true, true, DType::Float32,
                                         std::make_shared<init::One>()));
    net->add(std::make_shared<nn::Activation>("relu"));
    net->add(
        std::make_shared<nn::Dense>(1, "", true, true, DType::Float32,
                                    std::make_shared<init::Constant>(2.0),
                                    std::make_shared<init::Constant>(-1.0)));
  }
  EXPECT_EQ(net->size(), 3u);
  EXPECT_EQ((*net)[1]->prefix(), "sequential0_relu0_");
  net->initialize();
  nd::NDArray x = nd::array({1, 2, -5, 1}, {2, 2});
  // Row 1: h = relu(3, 3) -> 2*6 - 1 = 11. Row 2: h = relu(-4) = 0 -> -1.
  expectNear((*net)(x), {11, -1});
  std::vector<nd::NDArray> multi = (*net)(std::vector<nd::NDArray>{x});
  ASSERT_EQ(multi.size(), 1u);
  expectNear(multi[0], {11, -1});
  EXPECT_NE(errorOf([&] {
              (*net)(std::vector<nd::NDArray>{x, x});
            }).find("takes one input"),
            std::string::npos);
  net->hybridize();
  EXPECT_TRUE(net->hybridized());
  EXPECT_TRUE((*net)[0]->hybridized());
  expectNear((*net)(x), {11, -1});
}

TEST(BlockTest, ActivationsFlattenDropout) {
  NameManager names;
  nd::NDArray x = nd::array({-1, 0, 2});
  expectNear(nn::Activation("sigmoid")(x),
             {1 / (1 + std::exp(1.0)), 0.5, 1 / (1 + std::exp(-2.0))});
  expectNear(
      nn::Activation("softrelu")(x),
      {std::log1p(std::exp(-1.0)), std::log(2.0), std::log1p(std::exp(2.0))});
  expectNear(nn::Activation("softsign")(x), {-0.5, 0, 2.0 / 3});
  EXPECT_NE(errorOf([] { nn::Activation("swishy"); }).find("swishy"),
            std::string::npos);

  nn::Flatten flatten;
  nd::NDArray f = flatten(nd::arange(0, 24).reshape({2, 3, 4}));
  EXPECT_EQ(f.shape(), (nd::Shape{2, 12}));
  EXPECT_EQ(f.asvector<float>()[13], 13.f);

  nn::Dropout drop(0.5);
  nd::NDArray ones = nd::ones({1000});
  expectNear(drop(ones), std::vector<double>(1000, 1.0)); // predict mode
  nd::random::seed(7);
  std::vector<double> v;
  {
    auto train = autograd::train_mode();
    v = drop(ones).asvector<double>();
  }
  int kept = 0;
  for (double e : v) {
    EXPECT_TRUE(e == 0 || std::fabs(e - 2.0) < 1e-6) << e;
    kept += e != 0;
  }
  EXPECT_GT(kept, 400);
  EXPECT_LT(kept, 600);
  EXPECT_NE(errorOf([] { nn::Dropout(1.5); }).find("rate"), std::string::npos);
}
