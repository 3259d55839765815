//===- NormLayerTest.cpp - gluon.nn.BatchNorm -----------------------------===//
//
// Gluon's batchnorm<n>_ parameters and grad_req, deferred in_channels,
// training-mode values and in-place running statistics (momentum, biased
// batch variance), inference with the running statistics, fix_gamma when
// !scale, use_global_stats, another axis, and errors.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using mxjit::gluontest::errorOf;
using namespace mxjit::gluon;

namespace {

void expectNear(const nd::NDArray &a, const std::vector<double> &e,
                double tol = 1e-4) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), e.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], e[i], tol) << "element " << i;
}

// x (N=2, C=2, L=3): channel c of sample n is x[(n * 2 + c) * 3 + l].
const std::vector<double> kX = {1, 2, 3, -1, 0, 5, 4, 0, 2, 3, 3, -3};
const double kEps = 1e-5;

struct Stats {
  std::vector<double> mean, var;
};

Stats batchStats() {
  Stats s{{0, 0}, {0, 0}};
  for (int c = 0; c < 2; ++c) {
    for (int n = 0; n < 2; ++n)
      for (int l = 0; l < 3; ++l)
        s.mean[c] += kX[(n * 2 + c) * 3 + l] / 6.0;
    for (int n = 0; n < 2; ++n)
      for (int l = 0; l < 3; ++l)
        s.var[c] += std::pow(kX[(n * 2 + c) * 3 + l] - s.mean[c], 2) / 6.0;
  }
  return s;
}

std::vector<double> normalize(const std::vector<double> &mean,
                              const std::vector<double> &var,
                              const std::vector<double> &gamma,
                              const std::vector<double> &beta) {
  std::vector<double> y(kX.size());
  for (int n = 0; n < 2; ++n)
    for (int c = 0; c < 2; ++c)
      for (int l = 0; l < 3; ++l) {
        int i = (n * 2 + c) * 3 + l;
        y[i] =
            gamma[c] * (kX[i] - mean[c]) / std::sqrt(var[c] + kEps) + beta[c];
      }
  return y;
}

} // namespace

TEST(NormLayerTest, ParametersNamesAndGradReq) {
  NameManager names;
  nn::BatchNorm bn;
  EXPECT_EQ(bn.prefix(), "batchnorm0_");
  EXPECT_EQ(bn.params().keys(),
            (std::vector<std::string>{"batchnorm0_gamma", "batchnorm0_beta",
                                      "batchnorm0_running_mean",
                                      "batchnorm0_running_var"}));
  EXPECT_EQ(bn.gamma()->grad_req(), "write");
  EXPECT_EQ(bn.running_mean()->grad_req(), "null");
  EXPECT_EQ(bn.running_var()->grad_req(), "null");
  EXPECT_EQ(bn.gamma()->shape(), (nd::Shape{0}));
  bn.initialize();
  bn(nd::zeros({2, 5, 3}));
  EXPECT_EQ(bn.running_var()->shape(), (nd::Shape{5}));
  expectNear(bn.gamma()->data(), {1, 1, 1, 1, 1});
  expectNear(bn.beta()->data(), {0, 0, 0, 0, 0});
  expectNear(bn.running_var()->data(), {1, 1, 1, 1, 1});
  nn::BatchNorm fixed(1, 0.9, 1e-5, false, false);
  EXPECT_EQ(fixed.gamma()->grad_req(), "null");
  EXPECT_EQ(fixed.beta()->grad_req(), "null");
}

TEST(NormLayerTest, TrainingUsesBatchStatsAndUpdatesRunningStats) {
  nn::BatchNorm bn(1, 0.75, kEps);
  bn.initialize();
  bn(nd::zeros({1, 2, 1})); // fixes in_channels, in inference mode
  bn.gamma()->set_data(nd::array({2.0, 0.5}));
  bn.beta()->set_data(nd::array({0.1, -1.0}));
  bn.running_mean()->set_data(nd::array({0.5, -0.5}));
  bn.running_var()->set_data(nd::array({2.0, 3.0}));
  Stats s = batchStats();
  nd::NDArray y;
  {
    auto train = autograd::train_mode();
    y = bn(nd::array(kX, {2, 2, 3}));
    expectNear(y, normalize(s.mean, s.var, {2.0, 0.5}, {0.1, -1.0}));
  }
  std::vector<double> rm = {0.75 * 0.5 + 0.25 * s.mean[0],
                            0.75 * -0.5 + 0.25 * s.mean[1]};
  std::vector<double> rv = {0.75 * 2.0 + 0.25 * s.var[0],
                            0.75 * 3.0 + 0.25 * s.var[1]};
  expectNear(bn.running_mean()->data(), rm);
  expectNear(bn.running_var()->data(), rv);
  // Inference: the running statistics, no update.
  y = bn(nd::array(kX, {2, 2, 3}));
  expectNear(y, normalize(rm, rv, {2.0, 0.5}, {0.1, -1.0}));
  expectNear(bn.running_mean()->data(), rm);
}

TEST(NormLayerTest, RecordIsTrainingAndGlobalStatsFreezeRunningStats) {
  nn::BatchNorm bn(1, 0.9, kEps, true, true, false, nullptr, nullptr, nullptr,
                   nullptr, 2);
  bn.initialize();
  Stats s = batchStats();
  {
    auto rec = autograd::record();
    expectNear(bn(nd::array(kX, {2, 2, 3})),
               normalize(s.mean, s.var, {1, 1}, {0, 0}));
  }
  expectNear(bn.running_mean()->data(), {0.1 * s.mean[0], 0.1 * s.mean[1]});

  nn::BatchNorm global(1, 0.9, kEps, true, true, true, nullptr, nullptr,
                       nullptr, nullptr, 2);
  global.initialize();
  {
    auto train = autograd::train_mode();
    expectNear(global(nd::array(kX, {2, 2, 3})),
               normalize({0, 0}, {1, 1}, {1, 1}, {0, 0}));
  }
  expectNear(global.running_mean()->data(), {0, 0});
  expectNear(global.running_var()->data(), {1, 1});
}

TEST(NormLayerTest, NoScaleFixesGammaAtOne) {
  nn::BatchNorm bn(1, 0.9, kEps, true, false, false, nullptr, nullptr, nullptr,
                   nullptr, 2);
  bn.initialize();
  bn.gamma()->set_data(nd::array({3.0, 3.0}));
  Stats s = batchStats();
  auto train = autograd::train_mode();
  expectNear(bn(nd::array(kX, {2, 2, 3})),
             normalize(s.mean, s.var, {1, 1}, {0, 0}));
}

TEST(NormLayerTest, LastAxis) {
  // kX as (N * C, L) = (4, 3) normalized over axis -1: 3 channels.
  nn::BatchNorm bn(-1, 0.9, kEps);
  bn.initialize();
  auto train = autograd::train_mode();
  nd::NDArray y = bn(nd::array(kX, {4, 3}));
  EXPECT_EQ(bn.gamma()->shape(), (nd::Shape{3}));
  std::vector<double> e(12);
  for (int l = 0; l < 3; ++l) {
    double m = 0, v = 0;
    for (int r = 0; r < 4; ++r)
      m += kX[r * 3 + l] / 4;
    for (int r = 0; r < 4; ++r)
      v += std::pow(kX[r * 3 + l] - m, 2) / 4;
    for (int r = 0; r < 4; ++r)
      e[r * 3 + l] = (kX[r * 3 + l] - m) / std::sqrt(v + kEps);
  }
  expectNear(y, e);
}

TEST(NormLayerTest, BadArgumentsNameTheLayer) {
  NameManager names;
  EXPECT_NE(errorOf([] { nn::BatchNorm(1, 1.5); }).find("batchnorm0"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::BatchNorm(1, 0.9, 0.0); }).find("epsilon"),
            std::string::npos);
  nn::BatchNorm bn(3);
  bn.initialize();
  EXPECT_NE(errorOf([&] { bn(nd::ones({2, 3})); }).find("axis"),
            std::string::npos);
  nn::BatchNorm fixed(1, 0.9, kEps, true, true, false, nullptr, nullptr,
                      nullptr, nullptr, 4);
  fixed.initialize();
  EXPECT_NE(errorOf([&] { fixed(nd::ones({2, 3})); }).find("gamma"),
            std::string::npos);
}
