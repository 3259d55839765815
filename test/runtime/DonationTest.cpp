//===- DonationTest.cpp - donated arguments (mx.donate) at the call -------===//
//
// An argument with `mx.donate = j` may be passed as the buffer of result j:
// the function then computes the result over it. Any other overlap between
// an output and an input or another output is an error at the call.
//
//===----------------------------------------------------------------------===//

#include "runtime/Error.h"
#include "runtime/Fingerprint.h"
#include "runtime/JitEngine.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

using namespace mxjit;

namespace {

// w' = w - 0.5 g (donated) and w' * w', which reads the new weight.
const char *kUpdate = R"mlir(
func.func @update(%w: tensor<64xf32> {mx.donate = 0 : i64}, %g: tensor<64xf32>)
    -> (tensor<64xf32>, tensor<64xf32>) {
  %h = mx.constant dense<0.5> : tensor<f32>
  %s = mx.multiply %g, %h : (tensor<64xf32>, tensor<f32>) -> tensor<64xf32>
  %w2 = mx.subtract %w, %s : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %sq = mx.multiply %w2, %w2 : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %w2, %sq : tensor<64xf32>, tensor<64xf32>
}
)mlir";

// The second result reads the old weight after the update: sharing the
// buffer needs the old value saved first.
const char *kLateRead = R"mlir(
func.func @late(%w: tensor<64xf32> {mx.donate = 0 : i64}, %g: tensor<64xf32>)
    -> (tensor<64xf32>, tensor<64xf32>) {
  %w2 = mx.subtract %w, %g : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  %e = mx.exp %w2 : tensor<64xf32>
  %p = mx.multiply %e, %w : (tensor<64xf32>, tensor<64xf32>) -> tensor<64xf32>
  return %w2, %p : tensor<64xf32>, tensor<64xf32>
}
)mlir";

std::string errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

struct Buffers {
  std::vector<float> w = std::vector<float>(64), g = std::vector<float>(64),
                     out = std::vector<float>(64);
  Buffers() {
    for (int i = 0; i < 64; ++i) {
      w[i] = 0.25f * static_cast<float>(i) - 4;
      g[i] = 0.125f * static_cast<float>(i % 7);
    }
  }
};

} // namespace

TEST(Donation, UpdateInTheWeightsBuffer) {
  auto context = createContext();
  auto module = parseModule(*context, kUpdate);
  auto fn = compile(*module, "update");
  ASSERT_EQ(fn->donations().size(), 1u);
  EXPECT_EQ(fn->donations()[0], (std::pair<unsigned, unsigned>(0, 0)));

  Buffers b;
  std::vector<float> expected(64), squared(64);
  for (int i = 0; i < 64; ++i) {
    expected[i] = b.w[i] - 0.5f * b.g[i];
    squared[i] = expected[i] * expected[i];
  }
  // Donated: the weight's buffer is output 0.
  std::vector<float> w = b.w;
  fn->call({w.data(), b.g.data()}, {w.data(), b.out.data()});
  EXPECT_EQ(w, expected);
  EXPECT_EQ(b.out, squared);
  // Not donated: output 0 is its own buffer and still right.
  std::vector<float> w2 = b.w, out0(64, -1), out1(64, -1);
  fn->call({w2.data(), b.g.data()}, {out0.data(), out1.data()});
  EXPECT_EQ(out0, expected);
  EXPECT_EQ(out1, squared);
}

TEST(Donation, OldValueReadAfterTheUpdate) {
  auto context = createContext();
  auto module = parseModule(*context, kLateRead);
  auto fn = compile(*module, "late");
  Buffers b;
  std::vector<float> separate(64), product(64);
  std::vector<float> w = b.w;
  fn->call({w.data(), b.g.data()}, {separate.data(), product.data()});
  std::vector<float> donatedProduct(64);
  fn->call({b.w.data(), b.g.data()}, {b.w.data(), donatedProduct.data()});
  EXPECT_EQ(b.w, separate);
  EXPECT_EQ(donatedProduct, product);
  for (int i = 0; i < 64; ++i)
    EXPECT_EQ(separate[i], w[i] - b.g[i]);
}

TEST(Donation, OtherAliasingIsRejected) {
  auto context = createContext();
  auto module = parseModule(*context, kUpdate);
  auto fn = compile(*module, "update");
  Buffers b;
  // Input 1 is not donated.
  EXPECT_NE(errorOf([&] {
              fn->call({b.w.data(), b.g.data()}, {b.g.data(), b.out.data()});
            })
                .find("@update: output 0 overlaps input 1 (only inputs "
                      "declared with mx.donate"),
            std::string::npos);
  // Donated, but to output 0 only.
  EXPECT_NE(errorOf([&] {
              fn->call({b.w.data(), b.g.data()}, {b.out.data(), b.w.data()});
            }).find("output 1 overlaps input 0"),
            std::string::npos);
  // The donated buffer, but shifted by one element.
  std::vector<float> big(65);
  EXPECT_NE(errorOf([&] {
              fn->call({big.data(), b.g.data()},
                       {big.data() + 1, b.out.data()});
            })
                .find("a donated input must be passed as exactly the "
                      "output's pointer"),
            std::string::npos);
  // Outputs overlapping each other.
  EXPECT_NE(errorOf([&] {
              fn->call({b.w.data(), b.g.data()}, {big.data(), big.data() + 32});
            }).find("output 1 overlaps output 0"),
            std::string::npos);
  // A function without mx.donate takes no aliasing at all.
  auto plain = parseModule(*context, R"mlir(
func.func @neg(%x: tensor<64xf32>) -> tensor<64xf32> {
  %n = mx.negative %x : tensor<64xf32>
  return %n : tensor<64xf32>
}
)mlir");
  auto neg = compile(*plain, "neg");
  EXPECT_TRUE(neg->donations().empty());
  EXPECT_NE(errorOf([&] {
              neg->call({b.w.data()}, {b.w.data()});
            }).find("@neg: output 0 overlaps input 0"),
            std::string::npos);
}

TEST(Donation, DonationIsPartOfTheCacheKey) {
  auto context = createContext();
  auto donated = parseModule(*context, kUpdate);
  std::string text = kUpdate;
  text.replace(text.find(" {mx.donate = 0 : i64}"),
               std::string(" {mx.donate = 0 : i64}").size(), "");
  auto plain = parseModule(*context, text);
  EXPECT_NE(moduleFingerprint(*donated, "update"),
            moduleFingerprint(*plain, "update"));
}

TEST(Donation, ShapeGenericFunction) {
  // A `?` batch: the donated pair is checked at the batch size of the call.
  auto context = createContext();
  auto module = parseModule(*context, R"mlir(
func.func @scale(%w: tensor<?x4xf32> {mx.donate = 0 : i64}, %g: tensor<?x4xf32>)
    -> tensor<?x4xf32> {
  %w2 = mx.subtract %w, %g : (tensor<?x4xf32>, tensor<?x4xf32>) -> tensor<?x4xf32>
  return %w2 : tensor<?x4xf32>
}
)mlir");
  CompileOptions options;
  options.genericBatch = true;
  auto fn = compile(*module, "scale", options);
  ASSERT_TRUE(fn->generic());
  ASSERT_EQ(fn->donations().size(), 1u);
  Buffers b;
  std::vector<float> expected(64);
  for (int i = 0; i < 64; ++i)
    expected[i] = b.w[i] - b.g[i];
  fn->callBatch(16, {b.w.data(), b.g.data()}, {b.w.data()});
  EXPECT_EQ(b.w, expected);
  // Output 0 over input 1 at batch 16: 256 bytes from g's start.
  EXPECT_NE(errorOf([&] {
              fn->callBatch(16, {b.w.data(), b.g.data()}, {b.g.data()});
            }).find("output 0 overlaps input 1"),
            std::string::npos);
  // At batch 2 the output ends before g[8]: no overlap.
  fn->callBatch(2, {b.w.data(), b.g.data() + 8}, {b.g.data()});
  for (int i = 0; i < 8; ++i)
    EXPECT_EQ(b.g[i], expected[i] - b.g[8 + i]);
}
