//===- MxOpsTest.cpp - mx programs through the whole runtime --------------===//

#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>

using namespace mxjit;

namespace {

TEST(MxOps, AddBroadcastThenExp) {
  const char *text = R"mlir(
func.func @f(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mx.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mx.exp %0 : tensor<2x3xf32>
  return %1 : tensor<2x3xf32>
}
)mlir";
  Jit jit;
  auto fn = jit.getSource(text, "f");
  HostBuffer a = HostBuffer::fromValues<float>(
      TensorSpec({2, 3}, DType::Float32), {0, 1, 2, 3, 4, 5});
  HostBuffer b = HostBuffer::fromValues<float>(TensorSpec({3}, DType::Float32),
                                               {-1, 0, 1});
  std::vector<HostBuffer> out = fn->run({&a, &b});
  ASSERT_EQ(out.size(), 1u);
  auto r = out[0].values<float>();
  for (int i = 0; i < 2; ++i)
    for (int j = 0; j < 3; ++j)
      EXPECT_NEAR(r[i * 3 + j], std::exp(float(i * 3 + j) + float(j - 1)),
                  1e-4f * std::exp(float(i * 3 + j + j - 1)));
}

TEST(MxOps, FullyConnectedReluSum) {
  const char *text = R"mlir(
func.func @mlp(%x: tensor<2x4xf32>, %w: tensor<3x4xf32>, %b: tensor<3xf32>)
    -> (tensor<2x3xf32>, tensor<1xf32>) {
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 3 : i64}
      : (tensor<2x4xf32>, tensor<3x4xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mx.relu %0 : tensor<2x3xf32>
  %2 = mx.sum %1 : (tensor<2x3xf32>) -> tensor<1xf32>
  return %1, %2 : tensor<2x3xf32>, tensor<1xf32>
}
)mlir";
  Jit jit;
  auto fn = jit.getSource(text, "mlp");
  HostBuffer x = HostBuffer::fromValues<float>(
      TensorSpec({2, 4}, DType::Float32), {1, 2, 3, 4, -1, -2, -3, -4});
  HostBuffer w = HostBuffer::fromValues<float>(
      TensorSpec({3, 4}, DType::Float32),
      {1, 0, 0, 0, 0, 1, 0, 0, 0.5, 0.5, 0.5, 0.5});
  HostBuffer b = HostBuffer::fromValues<float>(TensorSpec({3}, DType::Float32),
                                               {0, 1, -1});
  std::vector<HostBuffer> out = fn->run({&x, &w, &b});
  // Row 0: (1, 3, 4); row 1: (-1, -1, -6) -> relu 0.
  const float expected[6] = {1, 3, 4, 0, 0, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_FLOAT_EQ(out[0].values<float>()[i], expected[i]) << i;
  EXPECT_FLOAT_EQ(out[1].values<float>()[0], 8.0f);
}

TEST(MxOps, SoftmaxRowsSumToOne) {
  const char *text = R"mlir(
func.func @sm(%x: tensor<3x5xf64>) -> tensor<3x5xf64> {
  %0 = mx.multiply_scalar %x, 2.0 : tensor<3x5xf64>
  %1 = mx.softmax %0 : tensor<3x5xf64>
  return %1 : tensor<3x5xf64>
}
)mlir";
  Jit jit;
  auto fn = jit.getSource(text, "sm");
  HostBuffer x(TensorSpec({3, 5}, DType::Float64));
  for (int i = 0; i < 15; ++i)
    x.values<double>()[i] = 0.1 * i - 0.7;
  std::vector<HostBuffer> out = fn->run({&x});
  auto y = out[0].values<double>();
  for (int r = 0; r < 3; ++r) {
    double sum = 0, denom = 0;
    for (int c = 0; c < 5; ++c) {
      sum += y[r * 5 + c];
      denom += std::exp(2 * x.values<double>()[r * 5 + c]);
    }
    EXPECT_NEAR(sum, 1.0, 1e-12);
    EXPECT_NEAR(y[r * 5], std::exp(2 * x.values<double>()[r * 5]) / denom,
                1e-12);
  }
}

// Shapes that mx-vectorize-reductions vectorizes (rows of 1000 = 25 x 40
// lanes, 64-column tiles, a full sum split into 64 rows) against a
// double-precision reference: within the documented 1e-6 x sum |x| (f32
// sums reassociated in a fixed order), max exact.
TEST(MxOps, VectorizedReductionsMatchReference) {
  const char *text = R"mlir(
func.func @r(%x: tensor<96x1000xf32>, %v: tensor<131072xf32>)
    -> (tensor<96xf32>, tensor<1000xf32>, tensor<96xf32>, tensor<1xf32>) {
  %0 = mx.sum %x {axis = array<i64: 1>} : (tensor<96x1000xf32>) -> tensor<96xf32>
  %1 = mx.sum %x {axis = array<i64: 0>} : (tensor<96x1000xf32>) -> tensor<1000xf32>
  %2 = mx.max %x {axis = array<i64: 1>} : (tensor<96x1000xf32>) -> tensor<96xf32>
  %3 = mx.sum %v : (tensor<131072xf32>) -> tensor<1xf32>
  return %0, %1, %2, %3 : tensor<96xf32>, tensor<1000xf32>, tensor<96xf32>, tensor<1xf32>
}
)mlir";
  Jit jit;
  auto fn = jit.getSource(text, "r");
  HostBuffer x(TensorSpec({96, 1000}, DType::Float32));
  HostBuffer v(TensorSpec({131072}, DType::Float32));
  llvm::MutableArrayRef<float> xs = x.values<float>(), vs = v.values<float>();
  for (int i = 0; i < 96000; ++i)
    xs[i] = std::sin(0.37f * i) * (1 + i % 7);
  for (int i = 0; i < 131072; ++i)
    vs[i] = std::cos(0.11f * i) + 0.25f;
  std::vector<HostBuffer> out = fn->run({&x, &v});
  ASSERT_EQ(out.size(), 4u);
  for (int r = 0; r < 96; ++r) {
    double sum = 0, abs = 0;
    float max = -INFINITY;
    for (int c = 0; c < 1000; ++c) {
      sum += xs[r * 1000 + c];
      abs += std::fabs(xs[r * 1000 + c]);
      max = std::max(max, xs[r * 1000 + c]);
    }
    EXPECT_NEAR(out[0].values<float>()[r], sum, 1e-6 * abs) << r;
    EXPECT_EQ(out[2].values<float>()[r], max) << r;
  }
  for (int c = 0; c < 1000; ++c) {
    double sum = 0, abs = 0;
    for (int r = 0; r < 96; ++r) {
      sum += xs[r * 1000 + c];
      abs += std::fabs(xs[r * 1000 + c]);
    }
    EXPECT_NEAR(out[1].values<float>()[c], sum, 1e-6 * abs) << c;
  }
  double sum = 0, abs = 0;
  for (int i = 0; i < 131072; ++i) {
    sum += vs[i];
    abs += std::fabs(vs[i]);
  }
  EXPECT_NEAR(out[3].values<float>()[0], sum, 1e-6 * abs);
}

} // namespace

namespace {
// One value returned twice (and an argument returned as is) become separate
// out-parameters with the same contents.
TEST(MxOps, SameValueReturnedTwice) {
  const char *text = R"mlir(
func.func @f(%x: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %0 = mx.exp %x : tensor<3xf64>
  return %0, %0, %x : tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
}
)mlir";
  Jit jit;
  auto fn = jit.getSource(text, "f");
  HostBuffer x = HostBuffer::fromValues<double>(TensorSpec({3}, DType::Float64),
                                                {0.0, 1.0, -2.0});
  std::vector<HostBuffer> out = fn->run({&x});
  ASSERT_EQ(out.size(), 3u);
  for (int i = 0; i < 3; ++i) {
    double xi = x.values<double>()[i];
    EXPECT_DOUBLE_EQ(out[0].values<double>()[i], std::exp(xi));
    EXPECT_DOUBLE_EQ(out[1].values<double>()[i], std::exp(xi));
    EXPECT_DOUBLE_EQ(out[2].values<double>()[i], xi);
  }
  EXPECT_NE(out[0].data(), out[1].data());
}
} // namespace
