//===- PlanMemoryTest.cpp - mx-plan-memory through compile() --------------===//
//
// Small MLP and LeNet training steps (forward and backward, built by
// autodiff from an mx forward function) compiled with and without memory
// planning: the runtime reports the planned and naive temporary bytes,
// planning never needs more than the naive sum, and the results do not
// change.
//
//===----------------------------------------------------------------------===//

#include "lowering/Autodiff.h"
#include "runtime/Context.h"
#include "runtime/HostBuffer.h"
#include "runtime/JitEngine.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/SymbolTable.h"

#include <gtest/gtest.h>

#include <cstring>
#include <random>

using namespace mxjit;

namespace {

// Both models end in 8x4 %logits and take the loss from here: mean softmax
// cross-entropy against one-hot labels.
const char *kLoss = R"mlir(
  %ls = mx.log_softmax %logits {axis = 1 : i64} : tensor<8x4xf32>
  %p = mx.multiply %ls, %onehot
      : (tensor<8x4xf32>, tensor<8x4xf32>) -> tensor<8x4xf32>
  %s = mx.sum %p : (tensor<8x4xf32>) -> tensor<1xf32>
  %l = mx.multiply_scalar %s, -1.250000e-01 : tensor<1xf32>
  return %l : tensor<1xf32>
}
)mlir";

// 32-16-16-4 with relu.
const char *kMlp = R"mlir(
func.func @mlp(%x: tensor<8x32xf32>, %onehot: tensor<8x4xf32>,
               %w1: tensor<16x32xf32>, %b1: tensor<16xf32>,
               %w2: tensor<16x16xf32>, %b2: tensor<16xf32>,
               %w3: tensor<4x16xf32>, %b3: tensor<4xf32>) -> tensor<1xf32> {
  %h1 = mx.fully_connected %x, %w1, %b1 {num_hidden = 16 : i64}
      : (tensor<8x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %r1 = mx.relu %h1 : tensor<8x16xf32>
  %h2 = mx.fully_connected %r1, %w2, %b2 {num_hidden = 16 : i64}
      : (tensor<8x16xf32>, tensor<16x16xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %r2 = mx.relu %h2 : tensor<8x16xf32>
  %logits = mx.fully_connected %r2, %w3, %b3 {num_hidden = 4 : i64}
      : (tensor<8x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<8x4xf32>
)mlir";

// A small LeNet (its memory figures are in bench/TrainingBench.cpp: at this
// batch the per-sample im2col buffers dominate): two convolutions, each
// followed by tanh and 2 x 2 max pooling, then a dense layer.
const char *kLeNet = R"mlir(
func.func @lenet(%x: tensor<8x1x18x18xf32>, %onehot: tensor<8x4xf32>,
                 %w1: tensor<6x1x3x3xf32>, %b1: tensor<6xf32>,
                 %w2: tensor<8x6x3x3xf32>, %b2: tensor<8xf32>,
                 %w3: tensor<4x72xf32>, %b3: tensor<4xf32>) -> tensor<1xf32> {
  %c1 = mx.convolution %x, %w1, %b1 {kernel = array<i64: 3, 3>, num_filter = 6 : i64}
      : (tensor<8x1x18x18xf32>, tensor<6x1x3x3xf32>, tensor<6xf32>) -> tensor<8x6x16x16xf32>
  %t1 = mx.tanh %c1 : tensor<8x6x16x16xf32>
  %p1 = mx.pooling %t1 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"}
      : (tensor<8x6x16x16xf32>) -> tensor<8x6x8x8xf32>
  %c2 = mx.convolution %p1, %w2, %b2 {kernel = array<i64: 3, 3>, num_filter = 8 : i64}
      : (tensor<8x6x8x8xf32>, tensor<8x6x3x3xf32>, tensor<8xf32>) -> tensor<8x8x6x6xf32>
  %t2 = mx.tanh %c2 : tensor<8x8x6x6xf32>
  %p2 = mx.pooling %t2 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"}
      : (tensor<8x8x6x6xf32>) -> tensor<8x8x3x3xf32>
  %f = mx.reshape %p2 {shape = array<i64: 8, 72>} : (tensor<8x8x3x3xf32>) -> tensor<8x72xf32>
  %logits = mx.fully_connected %f, %w3, %b3 {num_hidden = 4 : i64}
      : (tensor<8x72xf32>, tensor<4x72xf32>, tensor<4xf32>) -> tensor<8x4xf32>
)mlir";

std::shared_ptr<CompiledFunction> compileStep(bool planMemory,
                                              const char *source = kMlp,
                                              llvm::StringRef name = "mlp") {
  auto context = createContext();
  auto module = parseModule(*context, std::string(source) + kLoss);
  auto f = mlir::SymbolTable::lookupNearestSymbolFrom<mlir::func::FuncOp>(
      *module, mlir::StringAttr::get(context.get(), name));
  AutodiffOptions grad;
  grad.wrt = {2, 3, 4, 5, 6, 7};
  EXPECT_TRUE(mlir::succeeded(differentiate(f, grad)));
  CompileOptions options;
  options.planMemory = planMemory;
  return compile(*module, (name + "_grad").str(), options);
}

std::vector<HostBuffer> randomInputs(const CompiledFunction &fn) {
  std::mt19937 gen(7);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<HostBuffer> inputs;
  for (const TensorSpec &spec : fn.inputs())
    inputs.emplace_back(spec);
  for (size_t i = 0; i < inputs.size(); ++i) {
    auto *data = static_cast<float *>(inputs[i].data());
    for (int64_t j = 0; j < fn.inputs()[i].numElements(); ++j)
      data[j] = dist(gen);
  }
  // One-hot labels.
  auto *onehot = static_cast<float *>(inputs[1].data());
  for (int64_t r = 0; r < 8; ++r)
    for (int64_t c = 0; c < 4; ++c)
      onehot[r * 4 + c] = (r % 4 == c) ? 1.0f : 0.0f;
  return inputs;
}

TEST(PlanMemory, MlpStepPlansWithinTheNaiveSum) {
  auto fn = compileStep(/*planMemory=*/true);
  const MemoryPlan &plan = fn->memoryPlan();
  EXPECT_GT(plan.naiveBytes, 0u);
  EXPECT_GT(plan.plannedPeakBytes, 0u);
  EXPECT_LE(plan.plannedPeakBytes, plan.naiveBytes);
}

TEST(PlanMemory, MlpStepPlansAtMostHalfTheNaiveSum) {
  // The weight gradients are computed straight into their out-parameters
  // instead of temporaries copied out at the end, and the activations
  // saved for the backward pass share the arena with the rest.
  auto fn = compileStep(/*planMemory=*/true);
  const MemoryPlan &plan = fn->memoryPlan();
  EXPECT_LE(2 * plan.plannedPeakBytes, plan.naiveBytes)
      << plan.plannedPeakBytes << " of " << plan.naiveBytes;
}

TEST(PlanMemory, OffReportsNothing) {
  auto fn = compileStep(/*planMemory=*/false);
  EXPECT_EQ(fn->memoryPlan().naiveBytes, 0u);
  EXPECT_EQ(fn->memoryPlan().plannedPeakBytes, 0u);
}

void expectSameResults(const char *source, llvm::StringRef name) {
  auto planned = compileStep(/*planMemory=*/true, source, name);
  auto naive = compileStep(/*planMemory=*/false, source, name);
  std::vector<HostBuffer> inputs = randomInputs(*planned);
  std::vector<const HostBuffer *> in;
  for (const HostBuffer &b : inputs)
    in.push_back(&b);
  std::vector<HostBuffer> a = planned->run(in);
  std::vector<HostBuffer> b = naive->run(in);
  ASSERT_EQ(a.size(), 7u);
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].spec(), b[i].spec());
    const auto *x = static_cast<const float *>(a[i].data());
    const auto *y = static_cast<const float *>(b[i].data());
    for (int64_t j = 0; j < a[i].spec().numElements(); ++j)
      EXPECT_FLOAT_EQ(x[j], y[j]) << "result " << i << " element " << j;
  }
}

TEST(PlanMemory, MlpStepResultsUnchanged) { expectSameResults(kMlp, "mlp"); }

TEST(PlanMemory, LeNetStepResultsUnchanged) {
  // With a plan the weight gradients are also computed early
  // (mx-hoist-results), and the max-pooling gradients merge into the tanh
  // backward in both; the arena's reuse must not change a bit.
  expectSameResults(kLeNet, "lenet");
}

TEST(PlanMemory, OptionIsPartOfTheCacheKey) {
  CompileOptions on, off;
  off.planMemory = false;
  EXPECT_NE(on.key(), off.key());
}

} // namespace
