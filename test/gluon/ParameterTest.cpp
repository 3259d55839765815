//===- ParameterTest.cpp - gluon.Parameter and ParameterDict -------------===//
//
// MXNet's test_gluon.py parameter tests: naming, initialization rules,
// deferred initialization, shape merging, gradients, save/load.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/parameter.h"

#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <functional>
#include <unistd.h>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon;

namespace {

std::string tmpPath(const std::string &name) {
  return "/tmp/mxjit_param_" + std::to_string(getpid()) + "_" + name;
}

} // namespace

TEST(ParameterTest, InitializeUsesOwnInitThenDefault) {
  Parameter p("weight", "write", {10, 10});
  p.initialize(std::make_shared<init::Uniform>(), cpu());
  std::vector<float> v = p.data().asvector<float>();
  ASSERT_EQ(v.size(), 100u);
  for (float x : v)
    EXPECT_LE(std::fabs(x), 0.07f);
  EXPECT_EQ(p.grad().asvector<float>(), std::vector<float>(100, 0.f));
  EXPECT_EQ(p.data().context(), cpu());

  // Own init wins over default_init; MXNet applies its weight rule even
  // to a bias-named parameter.
  Parameter b("fc_bias", "write", {3}, DType::Float32, 1, 1,
              std::make_shared<init::Constant>(2.5));
  b.initialize(nullptr, cpu(), std::make_shared<init::Zero>());
  EXPECT_EQ(b.data().asvector<float>(), std::vector<float>(3, 2.5f));
}

TEST(ParameterTest, ReinitializeIsNoOpUnlessForced) {
  Parameter p("w", "write", {2}, DType::Float32, 1, 1,
              std::make_shared<init::One>());
  p.initialize();
  p.initialize(std::make_shared<init::Zero>());
  EXPECT_EQ(p.data().asvector<float>(), std::vector<float>(2, 1.f));
  p.initialize(std::make_shared<init::Zero>(), cpu(), nullptr, true);
  EXPECT_EQ(p.data().asvector<float>(), std::vector<float>(2, 0.f));
}

TEST(ParameterTest, DeferredInitialization) {
  Parameter p("dense0_weight", "write", {4, 0}, DType::Float32, 1, 1,
              std::make_shared<init::One>(), /*allow_deferred_init=*/true);
  p.initialize();
  EXPECT_TRUE(p.deferred());
  EXPECT_FALSE(p.initialized());
  try {
    p.data();
    FAIL() << "expected DeferredInitializationError";
  } catch (const DeferredInitializationError &e) {
    EXPECT_NE(std::string(e.what()).find("'dense0_weight'"), std::string::npos);
  }
  // Finishing without a known shape names the parameter.
  EXPECT_NE(errorOf([&] {
              p.finish_deferred_init();
            }).find("Cannot initialize Parameter 'dense0_weight'"),
            std::string::npos);
  p.set_shape({4, 3});
  p.finish_deferred_init();
  EXPECT_EQ(p.data().shape(), (nd::Shape{4, 3}));
  EXPECT_EQ(p.data().asvector<float>(), std::vector<float>(12, 1.f));
}

TEST(ParameterTest, UnknownShapeWithoutDeferralThrows) {
  Parameter p("w", "write", {0, 3});
  EXPECT_NE(errorOf([&] { p.initialize(); })
                .find("Cannot initialize Parameter 'w' because it has "
                      "invalid shape: (0, 3)"),
            std::string::npos);
  Parameter q("q");
  EXPECT_NE(errorOf([&] { q.data(); }).find("has not been initialized"),
            std::string::npos);
}

TEST(ParameterTest, SetShapeMergesUnknownDims) {
  Parameter p("fc_weight", "write", {0, 5});
  p.set_shape({3, 0});
  EXPECT_EQ(p.shape(), (nd::Shape{3, 5}));
  std::string err = errorOf([&] { p.set_shape({3, 6}); });
  EXPECT_NE(err.find("'fc_weight'"), std::string::npos);
  EXPECT_NE(errorOf([&] { p.set_shape({3}); }).find("'fc_weight'"),
            std::string::npos);
  EXPECT_NE(errorOf([] { Parameter("x", "sometimes"); }).find("grad_req"),
            std::string::npos);
}

TEST(ParameterTest, GradReqNullHasNoGradient) {
  Parameter p("w", "null", {2}, DType::Float32, 1, 1,
              std::make_shared<init::One>());
  p.initialize();
  EXPECT_NE(errorOf([&] { p.grad(); }).find("grad_req='null'"),
            std::string::npos);
  p.set_grad_req("write");
  EXPECT_EQ(p.grad().asvector<float>(), std::vector<float>(2, 0.f));
  EXPECT_EQ(p.data().asvector<float>(), std::vector<float>(2, 1.f));
}

TEST(ParameterTest, GradientFromBackwardAndZeroGrad) {
  Parameter p("w", "write", {3}, DType::Float32, 1, 1,
              std::make_shared<init::Constant>(2.0));
  p.initialize();
  EXPECT_FALSE(p.grad_fresh());
  {
    auto rec = autograd::record();
    nd::NDArray y = nd::sum(p.data() * p.data());
    y.backward();
  }
  EXPECT_TRUE(p.grad_fresh());
  EXPECT_EQ(p.grad().asvector<float>(), std::vector<float>(3, 4.f));
  p.zero_grad();
  EXPECT_FALSE(p.grad_fresh());
  EXPECT_EQ(p.grad().asvector<float>(), std::vector<float>(3, 0.f));
}

TEST(ParameterTest, SetData) {
  Parameter p("w", "write", {2}, DType::Float32, 1, 1,
              std::make_shared<init::Zero>());
  p.initialize();
  nd::NDArray handle = p.data();
  p.set_data(nd::array({3, 4}));
  EXPECT_EQ(handle.asvector<float>(), (std::vector<float>{3, 4}));
  EXPECT_NE(errorOf([&] { p.set_data(nd::array({1, 2, 3})); }).find("'w'"),
            std::string::npos);
  // While deferred, set_data supplies the initial value and the shape.
  Parameter d("d", "write", {0}, DType::Float32, 1, 1, nullptr, true);
  d.initialize();
  d.set_data(nd::array({7, 8, 9}));
  d.finish_deferred_init();
  EXPECT_EQ(d.data().asvector<float>(), (std::vector<float>{7, 8, 9}));
}

TEST(ParameterDictTest, GetCreatesPrefixedAndShares) {
  auto shared = std::make_shared<ParameterDict>("net_");
  ParameterPtr w = shared->get("weight", nd::Shape{5, 0});
  EXPECT_EQ(w->name(), "net_weight");
  EXPECT_EQ(shared->get("weight", nd::Shape{0, 4}), w);
  EXPECT_EQ(w->shape(), (nd::Shape{5, 4}));
  EXPECT_NE(errorOf([&] {
              shared->get("weight", nd::Shape{6, 4});
            }).find("'net_weight'"),
            std::string::npos);

  ParameterDict other("net_", shared);
  EXPECT_EQ(other.get("weight"), w);
  EXPECT_EQ(other.keys(), std::vector<std::string>{"net_weight"});
  EXPECT_EQ(other["net_weight"], w);
  EXPECT_NE(errorOf([&] { other["nope"]; }).find("'nope'"), std::string::npos);

  ParameterDict clash("net_");
  clash.get("weight");
  EXPECT_NE(errorOf([&] {
              clash.update(*shared);
            }).find("different Parameters with the same name 'net_weight'"),
            std::string::npos);
}

TEST(ParameterDictTest, SaveLoadRoundTrip) {
  ParameterDict a("net_");
  a.get("weight", {{2, 2}, std::make_shared<init::One>()});
  a.get("bias", {{2}, std::make_shared<init::Zero>()});
  a.initialize();
  a["net_weight"]->set_data(nd::array({1, 2, 3, 4}, {2, 2}));
  std::string path = tmpPath("rt.params");
  a.save(path, "net_");
  std::map<std::string, nd::NDArray> raw = nd::load(path);
  ASSERT_EQ(raw.size(), 2u);
  EXPECT_TRUE(raw.count("weight") && raw.count("bias"));

  ParameterDict b("other_");
  ParameterOptions deferred({0, 2});
  deferred.allow_deferred_init = true;
  b.get("weight", deferred);
  b.get("bias", nd::Shape{2});
  b.load(path, cpu(), false, false, "other_");
  EXPECT_EQ(b["other_weight"]->data().asvector<float>(),
            (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(b["other_weight"]->shape(), (nd::Shape{2, 2}));
  EXPECT_EQ(b["other_bias"]->data().asvector<float>(),
            (std::vector<float>{0, 0}));

  // Missing and extra parameters.
  ParameterDict c("other_");
  c.get("weight", nd::Shape{2, 2});
  c.get("bias", nd::Shape{2});
  c.get("gamma", nd::Shape{2});
  std::string err =
      errorOf([&] { c.load(path, cpu(), false, false, "other_"); });
  EXPECT_NE(err.find("Parameter 'gamma' is missing in file"),
            std::string::npos);
  c.load(path, cpu(), /*allow_missing=*/true, false, "other_");
  EXPECT_EQ(c["other_weight"]->data().asvector<float>(),
            (std::vector<float>{1, 2, 3, 4}));

  ParameterDict d("other_");
  d.get("weight", nd::Shape{2, 2});
  err = errorOf([&] { d.load(path, cpu(), false, false, "other_"); });
  EXPECT_NE(err.find("Parameter 'bias' loaded from file"), std::string::npos);
  d.load(path, cpu(), false, /*ignore_extra=*/true, "other_");
  EXPECT_EQ(d["other_weight"]->data().asvector<float>(),
            (std::vector<float>{1, 2, 3, 4}));

  ParameterDict e("other_");
  e.get("weight", nd::Shape{3, 2});
  e.get("bias", nd::Shape{2});
  EXPECT_NE(errorOf([&] {
              e.load(path, cpu(), false, false, "other_");
            }).find("Failed loading Parameter 'other_weight'"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { a.save(path, "zzz_"); }).find("'net_weight'"),
            std::string::npos);
  std::remove(path.c_str());
}
