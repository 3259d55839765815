//===- RegistryOpsTest.cpp - nd::Op: registry ops on NDArrays -------------===//
//
// Each op against the Symbol executor on the same inputs (one definition,
// two frontends), BatchNorm's training and moving statistics, Dropout's
// training mode, gradients under autograd, caching and errors.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"
#include "mxjit/nd_registry_ops.h"

#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::nd;
using sym::Symbol;
using sym::Variable;

namespace {

NDArray wave(const Shape &shape, double phase, DType dtype = DType::Float32) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = std::sin(phase + 0.7 * i);
  return array(v, shape, cpu(), dtype);
}

void expectNear(const NDArray &a, const NDArray &b, double tol = 1e-5) {
  ASSERT_EQ(a.shape(), b.shape());
  std::vector<double> x = a.asvector<double>(), y = b.asvector<double>();
  for (size_t i = 0; i < x.size(); ++i)
    EXPECT_NEAR(x[i], y[i], tol * (1 + std::fabs(y[i]))) << "element " << i;
}

std::string errorOf(const std::function<void()> &f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

TEST(RegistryOps, FullyConnectedMatchesExecutor) {
  NDArray x = wave({3, 4}, 0), w = wave({5, 4}, 1), b = wave({5}, 2);
  NDArray y = FullyConnected({x, w, b}, {{"num_hidden", 5}});
  Symbol s = sym::FullyConnected(
      Variable("x"),
      {{"weight", Variable("w")}, {"bias", Variable("b")}, {"num_hidden", 5}});
  expectNear(y, s.eval(cpu(), {{"x", x}, {"w", w}, {"b", b}})[0]);
  NDArray noBias =
      FullyConnected({x, w}, {{"num_hidden", 5}, {"no_bias", true}});
  expectNear(noBias, dot(x, w.T()));
}

TEST(RegistryOps, ConvolutionPoolingActivationMatchExecutor) {
  NDArray x = wave({1, 2, 5, 5}, 0), w = wave({3, 2, 3, 3}, 1),
          b = wave({3}, 2);
  sym::Kwargs conv = {
      {"kernel", Shape{3, 3}}, {"num_filter", 3}, {"pad", Shape{1, 1}}};
  sym::Kwargs pool = {
      {"kernel", Shape{2, 2}}, {"stride", Shape{2, 2}}, {"pool_type", "max"}};
  NDArray y = Activation(Pooling(Convolution({x, w, b}, conv), pool),
                         {{"act_type", "tanh"}});
  sym::Kwargs symConv = conv;
  symConv.push_back({"weight", Variable("w")});
  symConv.push_back({"bias", Variable("b")});
  Symbol s = sym::Activation(
      sym::Pooling(sym::Convolution(Variable("x"), symConv), pool),
      {{"act_type", "tanh"}});
  expectNear(y, s.eval(cpu(), {{"x", x}, {"w", w}, {"b", b}})[0]);
  EXPECT_EQ(Flatten(y).shape(), (Shape{1, 3 * 2 * 2}));
}

TEST(RegistryOps, BatchNormTrainingAndInference) {
  NDArray x = wave({4, 3}, 0), gamma = wave({3}, 1), beta = wave({3}, 2);
  NDArray mm = zeros({3}), mv = ones({3});
  NDArray mmAlias = mm; // a second handle sees the in-place update
  sym::Kwargs kw = {{"fix_gamma", false}, {"momentum", 0.75}};

  Symbol s = sym::BatchNorm(Variable("data"), kw, "bn");
  sym::Executor ex = s.simple_bind(cpu(), {{"data", {4, 3}}});
  ex.copy_params_from(
      {{"data", x}, {"bn_gamma", gamma}, {"bn_beta", beta}},
      {{"bn_moving_mean", zeros({3})}, {"bn_moving_var", ones({3})}});

  NDArray trained;
  {
    auto scope = autograd::train_mode();
    trained = BatchNorm({x, gamma, beta, mm, mv}, kw);
  }
  ex.forward(/*is_train=*/true);
  expectNear(trained, ex.outputs()[0]);
  expectNear(mm, ex.aux_dict().at("bn_moving_mean"));
  expectNear(mv, ex.aux_dict().at("bn_moving_var"));
  expectNear(mmAlias, mm);

  // Inference reads the moving statistics and leaves them alone.
  std::vector<double> before = mm.asvector<double>();
  NDArray inferred = BatchNorm({x, gamma, beta, mm, mv}, kw);
  ex.forward(/*is_train=*/false);
  expectNear(inferred, ex.outputs()[0]);
  EXPECT_EQ(mm.asvector<double>(), before);

  // Under record (training by default) the statistics update too, and a
  // gradient flows to the data but not into the moving statistics.
  NDArray xv = x.copy();
  xv.attach_grad();
  {
    auto scope = autograd::record();
    NDArray y = BatchNorm({xv, gamma, beta, mm, mv}, kw);
    sum(y * wave({4, 3}, 3)).backward();
  }
  EXPECT_NE(mm.asvector<double>(), before);
  EXPECT_EQ(xv.grad().shape(), (Shape{4, 3}));
}

TEST(RegistryOps, DropoutOnlyInTraining) {
  NDArray x = ones({50, 40});
  EXPECT_EQ(Dropout(x, {{"p", 0.5}}).asvector<double>(),
            std::vector<double>(2000, 1.0));
  auto scope = autograd::train_mode();
  std::vector<double> a = Dropout(x, {{"p", 0.5}}).asvector<double>();
  std::vector<double> b = Dropout(x, {{"p", 0.5}}).asvector<double>();
  int dropped = 0;
  for (double v : a) {
    EXPECT_TRUE(v == 0.0 || v == 2.0) << v;
    dropped += v == 0.0;
  }
  EXPECT_GT(dropped, 800);
  EXPECT_LT(dropped, 1200);
  EXPECT_NE(a, b); // a fresh mask per call
}

TEST(RegistryOps, GradientsMatchExecutor) {
  NDArray x = wave({3, 4}, 0), w = wave({5, 4}, 1), b = wave({5}, 2);
  NDArray label = array({1, 4, 0}, {3});
  w.attach_grad();
  b.attach_grad();
  x.attach_grad();
  {
    auto scope = autograd::record();
    NDArray out =
        SoftmaxOutput(FullyConnected({x, w, b}, {{"num_hidden", 5}}), label);
    out.backward();
  }
  Symbol s = sym::SoftmaxOutput(
      sym::FullyConnected(Variable("x"), {{"weight", Variable("w")},
                                          {"bias", Variable("b")},
                                          {"num_hidden", 5}}),
      {{"label", Variable("label")}});
  sym::Executor ex = s.simple_bind(cpu(), {{"x", {3, 4}}, {"label", {3}}});
  ex.copy_params_from({{"x", x}, {"w", w}, {"b", b}, {"label", label}});
  ex.forward(/*is_train=*/true);
  ex.backward();
  expectNear(w.grad(), ex.grad_dict().at("w"));
  expectNear(b.grad(), ex.grad_dict().at("b"));
  expectNear(x.grad(), ex.grad_dict().at("x"));
}

TEST(RegistryOps, RepeatedCallsCompileOnce) {
  auto step = [] {
    NDArray x = wave({3, 4}, 0), w = wave({5, 4}, 1), b = wave({5}, 2);
    return (Activation(FullyConnected({x, w, b}, {{"num_hidden", 5}}),
                       {{"act_type", "relu"}}) *
            2)
        .asvector<double>();
  };
  std::vector<double> first = step();
  uint64_t misses = cache_info().misses;
  EXPECT_EQ(step(), first);
  EXPECT_EQ(cache_info().misses, misses);
}

TEST(RegistryOps, ErrorsNameTheOp) {
  NDArray x = wave({3, 4}, 0), w = wave({5, 4}, 1);
  std::string unknown = errorOf([&] { Op("NoSuchOp", {x}); });
  EXPECT_NE(unknown.find("NoSuchOp"), std::string::npos) << unknown;
  std::string missing =
      errorOf([&] { FullyConnected({x, w}, {{"num_hidden", 5}}); });
  EXPECT_NE(missing.find("FullyConnected"), std::string::npos) << missing;
  EXPECT_NE(missing.find("inputs"), std::string::npos) << missing;
  std::string badParam = errorOf(
      [&] { FullyConnected({x, w}, {{"num_hidden", 5}, {"colour", 1}}); });
  EXPECT_NE(badParam.find("FullyConnected"), std::string::npos) << badParam;
  EXPECT_NE(badParam.find("colour"), std::string::npos) << badParam;
  std::string badShape =
      errorOf([&] { FullyConnected({x, w, ones({7})}, {{"num_hidden", 5}}); });
  EXPECT_NE(badShape.find("FullyConnected"), std::string::npos) << badShape;
  std::string badValue = errorOf([&] { Dropout(x, {{"p", 2.0}}); });
  EXPECT_NE(badValue.find("Dropout"), std::string::npos) << badValue;
}

// The example of docs/ndarray.md's nd::Op section.
TEST(RegistryOps, DocExample) {
  NDArray x = wave({2, 6}, 0), w = wave({10, 6}, 1), b = wave({10}, 2);
  NDArray img = wave({1, 3, 8, 8}, 3), k = wave({8, 3, 3, 3}, 4),
          kb = wave({8}, 5);
  NDArray gamma = ones({6}), beta = zeros({6}), mean = zeros({6}),
          var = ones({6});
  NDArray y = nd::FullyConnected({x, w, b}, {{"num_hidden", 10}});
  NDArray p = nd::Pooling(
      nd::Activation(nd::Convolution({img, k, kb}, {{"kernel", Shape{3, 3}},
                                                    {"num_filter", 8}}),
                     {{"act_type", "relu"}}),
      {{"kernel", Shape{2, 2}}, {"pool_type", "max"}});
  std::vector<NDArray> all =
      nd::Op("BatchNorm", {x, gamma, beta, mean, var}, {{"fix_gamma", false}});
  EXPECT_EQ(y.shape(), (Shape{2, 10}));
  EXPECT_EQ(p.shape(), (Shape{1, 8, 5, 5}));
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].shape(), (Shape{2, 6}));
}

} // namespace

// A parameter updated in place between steps must stay a variable for ops
// that go through nd::Op, or the second step records nothing.
TEST(RegistryOps, SecondStepAfterInPlaceUpdateStillRecords) {
  nd::NDArray x = nd::random::uniform(-1, 1, {2, 1, 5, 5});
  nd::NDArray w = nd::random::uniform(-1, 1, {3, 1, 3, 3});
  w.attach_grad();
  std::vector<std::vector<double>> grads;
  for (int step = 0; step < 2; ++step) {
    {
      auto scope = autograd::record();
      nd::NDArray y =
          nd::Op("Convolution", {x, w},
                 {{"kernel", {3, 3}}, {"num_filter", 3}, {"no_bias", true}})[0];
      nd::sum(y).backward();
    }
    grads.push_back(w.grad().asvector<double>());
    w -= w.grad() * 0.1; // the update replaces w's node
  }
  // d sum(conv(x, w)) / dw does not depend on w: both steps see it.
  ASSERT_EQ(grads[0].size(), grads[1].size());
  double norm = 0;
  for (size_t i = 0; i < grads[0].size(); ++i) {
    EXPECT_NEAR(grads[0][i], grads[1][i], 1e-4) << i;
    norm += std::abs(grads[1][i]);
  }
  EXPECT_GT(norm, 0);
}
