//===- mxjit-demo.cpp - the foundation demo -------------------------------===//
//
// Runs a two-layer MLP classifier written as an `mx` function through the
// whole stack: type inference, mx-to-linalg, bufferization, LLVM, ORC JIT and
// the shape-keyed compile cache. The result is checked against a plain C++
// evaluation of the same network, and repeated calls show the cache at work.
//
//===----------------------------------------------------------------------===//

#include "runtime/Error.h"
#include "runtime/Jit.h"
#include "runtime/JitEngine.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <random>
#include <vector>

namespace {
constexpr int kBatch = 8, kIn = 784, kHidden = 256, kOut = 10;

const char *kMlpSource = R"mlir(
func.func @mlp(%x: tensor<8x784xf32>, %w1: tensor<256x784xf32>, %b1: tensor<256xf32>,
               %w2: tensor<10x256xf32>, %b2: tensor<10xf32>) -> (tensor<8x10xf32>, tensor<1xf32>) {
  %h = mx.fully_connected %x, %w1, %b1 {num_hidden = 256 : i64} : (tensor<8x784xf32>, tensor<256x784xf32>, tensor<256xf32>) -> tensor<8x256xf32>
  %a = mx.relu %h : tensor<8x256xf32>
  %o = mx.fully_connected %a, %w2, %b2 {num_hidden = 10 : i64} : (tensor<8x256xf32>, tensor<10x256xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  %p = mx.softmax %o : tensor<8x10xf32>
  %e = mx.log %p : tensor<8x10xf32>
  %n = mx.multiply %p, %e : (tensor<8x10xf32>, tensor<8x10xf32>) -> tensor<8x10xf32>
  %s = mx.sum %n : (tensor<8x10xf32>) -> tensor<1xf32>
  %entropy = mx.divide_scalar %s, -8.0 : tensor<1xf32>
  return %p, %entropy : tensor<8x10xf32>, tensor<1xf32>
}
)mlir";

std::vector<float> randomValues(std::mt19937 &rng, size_t n, float scale) {
  std::uniform_real_distribution<float> dist(-scale, scale);
  std::vector<float> v(n);
  for (float &x : v)
    x = dist(rng);
  return v;
}

/// The same network evaluated directly, in double precision.
std::vector<double> referenceProbabilities(const std::vector<float> &x,
                                           const std::vector<float> &w1,
                                           const std::vector<float> &b1,
                                           const std::vector<float> &w2,
                                           const std::vector<float> &b2) {
  std::vector<double> probs(kBatch * kOut);
  for (int n = 0; n < kBatch; ++n) {
    std::vector<double> h(kHidden), o(kOut);
    for (int j = 0; j < kHidden; ++j) {
      double acc = b1[j];
      for (int k = 0; k < kIn; ++k)
        acc += double(x[n * kIn + k]) * w1[j * kIn + k];
      h[j] = std::max(acc, 0.0);
    }
    for (int j = 0; j < kOut; ++j) {
      double acc = b2[j];
      for (int k = 0; k < kHidden; ++k)
        acc += h[k] * w2[j * kHidden + k];
      o[j] = acc;
    }
    double m = *std::max_element(o.begin(), o.end()), z = 0;
    for (double v : o)
      z += std::exp(v - m);
    for (int j = 0; j < kOut; ++j)
      probs[n * kOut + j] = std::exp(o[j] - m) / z;
  }
  return probs;
}

double msSince(std::chrono::steady_clock::time_point start) {
  return std::chrono::duration<double, std::milli>(
             std::chrono::steady_clock::now() - start)
      .count();
}
} // namespace

int main() {
  try {
    std::printf("mxjit demo: MLP 784-256-10 with softmax, batch %d\n", kBatch);
    std::printf("%s\n", kMlpSource);

    std::mt19937 rng(42);
    auto x = randomValues(rng, kBatch * kIn, 1.0f);
    auto w1 = randomValues(rng, kHidden * kIn, 0.05f);
    auto b1 = randomValues(rng, kHidden, 0.1f);
    auto w2 = randomValues(rng, kOut * kHidden, 0.1f);
    auto b2 = randomValues(rng, kOut, 0.1f);

    mxjit::Jit jit;
    auto fn = jit.getSource(kMlpSource, "mlp");
    const auto &t = fn->timings();
    std::printf("compiled in %.1f ms (mx -> LLVM dialect %.1f ms, LLVM -> "
                "machine code %.1f ms)\n",
                t.totalMs, t.pipelineMs, t.llvmMs);

    std::vector<float> probs(kBatch * kOut), entropy(1);
    fn->call({x.data(), w1.data(), b1.data(), w2.data(), b2.data()},
             {probs.data(), entropy.data()});

    auto ref = referenceProbabilities(x, w1, b1, w2, b2);
    double maxErr = 0;
    for (size_t i = 0; i < probs.size(); ++i)
      maxErr = std::max(maxErr, std::fabs(probs[i] - ref[i]));
    std::printf("\nclass probabilities (first 4 samples):\n");
    for (int n = 0; n < 4; ++n) {
      int best = 0;
      std::printf("  sample %d:", n);
      for (int j = 0; j < kOut; ++j) {
        std::printf(" %.3f", probs[n * kOut + j]);
        if (probs[n * kOut + j] > probs[n * kOut + best])
          best = j;
      }
      std::printf("  -> class %d\n", best);
    }
    std::printf("mean prediction entropy: %.4f nats\n", entropy[0]);
    std::printf("max |jit - C++ reference| = %.2e %s\n", maxErr,
                maxErr < 1e-5 ? "(ok)" : "(MISMATCH)");

    // The same graph again: every request is a cache hit.
    constexpr int kCalls = 1000;
    auto start = std::chrono::steady_clock::now();
    for (int i = 0; i < kCalls; ++i) {
      auto again = jit.getSource(kMlpSource, "mlp");
      again->call({x.data(), w1.data(), b1.data(), w2.data(), b2.data()},
                  {probs.data(), entropy.data()});
    }
    double ms = msSince(start);
    auto stats = jit.cache().stats();
    std::printf("\n%d more calls: %.1f us per forward pass (lookup + run)\n",
                kCalls, 1000.0 * ms / kCalls);
    std::printf("compile cache: %llu hits, %llu misses, %zu entries\n",
                (unsigned long long)stats.hits,
                (unsigned long long)stats.misses, stats.entries);
    return maxErr < 1e-5 ? 0 : 1;
  } catch (const mxjit::Error &e) {
    std::fprintf(stderr, "mxjit error: %s\n", e.what());
    return 1;
  }
}
