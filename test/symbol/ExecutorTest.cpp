//===- ExecutorTest.cpp - bind, forward, backward (MXNet test_executor) ---===//

#include "mxjit/symbol.h"

#include "SymbolTestUtil.h"

#include "runtime/CompileCache.h"
#include "runtime/DiskCache.h"

#include "llvm/Support/FileSystem.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::symtest;
using mxjit::nd::NDArray;

namespace {

std::vector<double> values(const NDArray &a) { return a.asvector<double>(); }

} // namespace

TEST(Executor, BindForwardBackwardElementwise) {
  sym::Symbol a = sym::Variable("a"), b = sym::Variable("b");
  sym::Symbol c = a * b + a;
  NDArray av = nd::array({1, 2, 3, 4}, {2, 2});
  NDArray bv = nd::array({5, 6, 7, 8}, {2, 2});
  NDArray ga = nd::zeros({2, 2}), gb = nd::zeros({2, 2});
  sym::Executor exe =
      c.bind(cpu(), {{"a", av}, {"b", bv}}, {{"a", ga}, {"b", gb}});
  exe.forward(true);
  NDArray head = nd::array({1, 2, 3, 4}, {2, 2});
  exe.backward({head});
  expectNear(values(exe.outputs()[0]), {6, 14, 24, 36});
  // dc/da = b + 1, dc/db = a, each times the head gradient.
  expectNear(values(exe.grad_dict().at("a")), {6, 14, 24, 36});
  expectNear(values(exe.grad_dict().at("b")), {1, 4, 9, 16});
  // The arrays passed to bind are the ones updated.
  expectNear(values(ga), {6, 14, 24, 36});
}

TEST(Executor, GradReqAddAccumulatesAndNullSkips) {
  sym::Symbol a = sym::Variable("a"), b = sym::Variable("b");
  sym::Symbol c = a * b;
  NDArray ga = nd::ones({3});
  sym::Executor exe =
      c.bind(cpu(), {{"a", nd::array({1, 2, 3})}, {"b", nd::array({4, 5, 6})}},
             {{"a", ga}}, {{"a", sym::GradReq::Add}});
  for (int step = 0; step < 2; ++step) {
    exe.forward(true);
    exe.backward();
  }
  expectNear(values(ga), {9, 11, 13});
  EXPECT_EQ(exe.grad_dict().count("b"), 0u);
}

TEST(Executor, ForwardKwargsAndOutputsAreStableHandles) {
  sym::Symbol x = sym::Variable("x");
  sym::Symbol y = sym::Op("square", {x});
  sym::Executor exe = y.bind(cpu(), {{"x", nd::array({1, 2})}});
  NDArray out = exe.outputs()[0];
  exe.forward(false, {{"x", nd::array({3, 4})}});
  // MXNet's outputs are updated in place: a handle taken earlier sees them.
  expectNear(values(out), {9, 16});
  expectNear(values(exe.arg_dict().at("x")), {3, 4});
  EXPECT_NE(errorOf([&] {
              exe.forward(false, {{"z", nd::array({1})}});
            }).find("'z' is not an argument"),
            std::string::npos);
}

TEST(Executor, SimpleBindInfersAndAllocates) {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol fc = sym::FullyConnected(data, {{"num_hidden", 4}}, "fc1");
  sym::Executor exe = fc.simple_bind(cpu(), {{"data", {3, 5}}});
  EXPECT_EQ(exe.arg_dict().at("fc1_weight").shape(), (nd::Shape{4, 5}));
  EXPECT_EQ(exe.arg_dict().at("fc1_bias").shape(), (nd::Shape{4}));
  EXPECT_EQ(exe.grad_dict().at("fc1_weight").shape(), (nd::Shape{4, 5}));
  EXPECT_EQ(exe.outputs()[0].shape(), (nd::Shape{3, 4}));

  sym::Executor noGrad = fc.simple_bind(cpu(), {{"data", {3, 5}}},
                                        {{"fc1_weight", sym::GradReq::Write}});
  EXPECT_EQ(noGrad.grad_dict().size(), 1u);
}

TEST(Executor, ForwardAndBackwardAreOneCompiledFunction) {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol net = sym::FullyConnected(data, {{"num_hidden", 7}}, "fcx");
  net = sym::Activation(net, {{"act_type", "tanh"}});
  net = sym::FullyConnected(net, {{"num_hidden", 3}}, "fcy");
  net = sym::SoftmaxOutput(net, {}, "softmax");
  // A batch size no other test uses, so the shape-keyed cache is cold.
  sym::Executor exe = net.simple_bind(cpu(), {{"data", {13, 11}}});
  exe.forward(true);
  exe.backward();
  EXPECT_EQ(exe.stats().compiles, 1u);
  EXPECT_EQ(exe.stats().calls, 1u);
  exe.forward(true);
  exe.backward();
  EXPECT_EQ(exe.stats().compiles, 1u);
  EXPECT_EQ(exe.stats().calls, 2u);
  // Same graph and shapes in a new executor: found in the cache.
  sym::Executor again = net.simple_bind(cpu(), {{"data", {13, 11}}});
  again.forward(true);
  again.backward();
  EXPECT_EQ(again.stats().compiles, 0u);
}

TEST(Executor, DiskCacheLoadsAreNotCountedAsCompiles) {
  llvm::SmallString<128> dir;
  ASSERT_FALSE(llvm::sys::fs::createUniqueDirectory("mxjit-exe-disk", dir));
  std::string previous = diskCacheDir();
  setDiskCacheDir(dir);
  sym::Symbol data = sym::Variable("data");
  sym::Symbol net = sym::FullyConnected(data, {{"num_hidden", 5}}, "fcd");
  net = sym::SoftmaxOutput(net, {}, "softmax");
  // A batch size no other test uses: the first executor compiles and
  // writes the entry, the second (in-memory cache dropped, as in a new
  // process) loads it.
  sym::Executor first = net.simple_bind(cpu(), {{"data", {17, 3}}});
  first.forward(false);
  EXPECT_EQ(first.stats().compiles, 1u);
  EXPECT_EQ(first.stats().diskLoads, 0u);
  defaultCompileCache().clear();
  sym::Executor second = net.simple_bind(cpu(), {{"data", {17, 3}}});
  second.forward(false);
  EXPECT_EQ(second.stats().compiles, 0u);
  EXPECT_EQ(second.stats().diskLoads, 1u);
  EXPECT_EQ(second.stats().compileMs, 0.0);
  EXPECT_GT(second.stats().loadMs, 0.0);
  setDiskCacheDir(previous);
  llvm::sys::fs::remove_directories(dir);
}

TEST(Executor, SoftmaxOutputGradientIsMXNets) {
  // FC -> SoftmaxOutput: d weight = (softmax - onehot)^T x, ignoring heads.
  sym::Symbol data = sym::Variable("data"), label = sym::Variable("label");
  sym::Symbol fc = sym::FullyConnected(data, {{"num_hidden", 3}}, "fc");
  sym::Symbol out = sym::SoftmaxOutput(fc, {{"label", label}}, "sm");
  std::vector<double> x = {0.5, -1, 2, 0.25};
  std::vector<double> w = {0.1, 0.2, -0.3, 0.4, 0.5, -0.6};
  std::vector<double> lbl = {2, 0};
  sym::Executor exe = out.simple_bind(cpu(), {{"data", {2, 2}}});
  exe.copy_params_from({{"fc_weight", nd::array(w, {3, 2})},
                        {"fc_bias", nd::zeros({3})},
                        {"data", nd::array(x, {2, 2})},
                        {"label", nd::array(lbl, {2})}});
  exe.forward(true);
  exe.backward({nd::full({2, 3}, 7.0)});

  std::vector<double> p(6), dw(6, 0), db(3, 0);
  for (int n = 0; n < 2; ++n) {
    double z[3], m = -1e9, s = 0;
    for (int k = 0; k < 3; ++k) {
      z[k] = w[k * 2] * x[n * 2] + w[k * 2 + 1] * x[n * 2 + 1];
      m = std::max(m, z[k]);
    }
    for (int k = 0; k < 3; ++k)
      s += std::exp(z[k] - m);
    for (int k = 0; k < 3; ++k) {
      p[n * 3 + k] = std::exp(z[k] - m) / s;
      double g = p[n * 3 + k] - (k == lbl[n] ? 1.0 : 0.0);
      dw[k * 2] += g * x[n * 2];
      dw[k * 2 + 1] += g * x[n * 2 + 1];
      db[k] += g;
    }
  }
  expectNear(values(exe.outputs()[0]), p);
  expectNear(values(exe.grad_dict().at("fc_weight")), dw);
  expectNear(values(exe.grad_dict().at("fc_bias")), db);
  expectNear(values(exe.grad_dict().at("label")), {0, 0});
}

TEST(Executor, BatchNormUpdatesMovingStatsOncePerForward) {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol bn =
      sym::BatchNorm(data, {{"fix_gamma", false}, {"momentum", 0.75}}, "bn");
  EXPECT_EQ(bn.list_auxiliary_states(),
            (std::vector<std::string>{"bn_moving_mean", "bn_moving_var"}));
  sym::Executor exe = bn.simple_bind(cpu(), {{"data", {4, 2}}});
  exe.copy_params_from(
      {{"bn_gamma", nd::ones({2})},
       {"bn_beta", nd::zeros({2})},
       {"data", nd::array({1, 10, 2, 20, 3, 30, 4, 40}, {4, 2})}},
      {{"bn_moving_var", nd::ones({2})}});
  exe.forward(true);
  // Reading outputs before backward runs the training forward; backward
  // must not update the moving averages a second time.
  NDArray out = exe.outputs()[0];
  exe.backward({nd::ones({4, 2})});
  // Batch mean (2.5, 25), biased variance (1.25, 125).
  expectNear(values(exe.aux_dict().at("bn_moving_mean")),
             {0.25 * 2.5, 0.25 * 25});
  expectNear(values(exe.aux_dict().at("bn_moving_var")),
             {0.75 + 0.25 * 1.25, 0.75 + 0.25 * 125}, 1e-4);
  double inv = 1 / std::sqrt(1.25 + 1e-3);
  EXPECT_NEAR(values(out)[0], (1 - 2.5) * inv, 1e-5);
  // The gradient of sum(out) through the batch statistics is zero.
  for (double g : values(exe.grad_dict().at("data")))
    EXPECT_NEAR(g, 0, 1e-4);

  // Inference uses the moving statistics and leaves them alone.
  exe.forward(false);
  double mm = 0.25 * 2.5, mv = 0.75 + 0.25 * 1.25;
  EXPECT_NEAR(values(exe.outputs()[0])[0], (1 - mm) / std::sqrt(mv + 1e-3),
              1e-4);
  expectNear(values(exe.aux_dict().at("bn_moving_mean")),
             {0.25 * 2.5, 0.25 * 25});
}

TEST(Executor, DropoutDropsOnlyInTraining) {
  sym::Symbol x = sym::Variable("x");
  sym::Symbol y = sym::Dropout(x, {{"p", 0.25}});
  sym::Executor exe =
      y.bind(cpu(), {{"x", nd::ones({4000})}}, {{"x", nd::zeros({4000})}});
  exe.forward(false);
  for (double v : values(exe.outputs()[0]))
    ASSERT_EQ(v, 1.0);
  exe.forward(true);
  exe.backward();
  std::vector<double> out = values(exe.outputs()[0]);
  std::vector<double> grad = values(exe.grad_dict().at("x"));
  int dropped = 0;
  for (size_t i = 0; i < out.size(); ++i) {
    ASSERT_TRUE(out[i] == 0 || std::abs(out[i] - 1 / 0.75) < 1e-5);
    // The gradient uses the forward's mask.
    EXPECT_EQ(out[i], grad[i]);
    dropped += out[i] == 0;
  }
  EXPECT_NEAR(dropped / 4000.0, 0.25, 0.03);
  // A new training forward draws a new mask.
  exe.forward(true);
  EXPECT_NE(values(exe.outputs()[0]), out);
}

TEST(Executor, EvalRunsInference) {
  sym::Symbol a = sym::Variable("a");
  std::vector<NDArray> outs =
      sym::Group({a + 1.0, a * 2.0}).eval(cpu(), {{"a", nd::array({1, 2})}});
  ASSERT_EQ(outs.size(), 2u);
  expectNear(values(outs[0]), {2, 3});
  expectNear(values(outs[1]), {2, 4});
}

TEST(Executor, BindErrorsNameTheProblem) {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol fc = sym::FullyConnected(data, {{"num_hidden", 4}}, "fc1");
  EXPECT_NE(errorOf([&] {
              fc.bind(cpu(), {{"data", nd::zeros({2, 3})}});
            }).find("'fc1_weight' is not bound"),
            std::string::npos);
  std::string wrong = errorOf([&] {
    fc.bind(cpu(), {{"data", nd::zeros({2, 3})},
                    {"fc1_weight", nd::zeros({4, 5})},
                    {"fc1_bias", nd::zeros({4})}});
  });
  EXPECT_NE(wrong.find("fc1"), std::string::npos) << wrong;
  EXPECT_NE(errorOf([&] {
              fc.bind(cpu(), {{"nope", nd::zeros({1})}});
            }).find("'nope' in args is not an argument"),
            std::string::npos);
  sym::Executor exe = fc.simple_bind(cpu(), {{"data", {2, 3}}});
  EXPECT_NE(errorOf([&] { exe.backward(); }).find("forward(is_train=true)"),
            std::string::npos);
  exe.forward(true);
  EXPECT_NE(errorOf([&] {
              exe.backward({nd::ones({3, 3})});
            }).find("out_grads[0] has shape"),
            std::string::npos);
}
