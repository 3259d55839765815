//===- GenericBatchTest.cpp - one compile for many batch sizes ------------===//
//
// A graph seen with more than genericBatchThreshold() batch sizes runs on one
// shape-generic compile from then on (docs/runtime.md), and computes what the
// static compiles compute.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"

#include "runtime/CompileCache.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

/// Restores the process-wide threshold when a test ends.
struct ThresholdGuard {
  unsigned saved = genericBatchThreshold();
  ~ThresholdGuard() { setGenericBatchThreshold(saved); }
};

/// Deterministic, batch-size dependent data.
NDArray data(int64_t rows, int64_t cols, double phase) {
  std::vector<double> v(rows * cols);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(0.37 * i + phase);
  return array(v, {rows, cols});
}

NDArray oneHot(int64_t rows, int64_t classes) {
  std::vector<double> v(rows * classes, 0.0);
  for (int64_t r = 0; r < rows; ++r)
    v[r * classes + (r * 7 + 3) % classes] = 1.0;
  return array(v, {rows, classes});
}

struct Mlp {
  NDArray w1, b1, w2, b2;
  Mlp()
      : w1(data(16, 20, 0.1) * 0.3), b1(data(1, 16, 0.2).reshape({16})),
        w2(data(10, 16, 0.3) * 0.3), b2(data(1, 10, 0.4).reshape({10})) {
    for (NDArray *p : {&w1, &b1, &w2, &b2})
      p->attach_grad();
  }

  /// One SGD step on a batch of `rows`; returns the loss and the
  /// gradients, as vectors.
  std::vector<std::vector<float>> step(int64_t rows) {
    NDArray x = data(rows, 20, 0.01 * rows), y = oneHot(rows, 10);
    NDArray loss;
    {
      auto scope = autograd::record();
      NDArray h = relu(fully_connected(x, w1, b1, 16));
      NDArray out = log_softmax(fully_connected(h, w2, b2, 10));
      // Per-sample cross-entropy, as gluon's losses give it; backward()
      // seeds it with ones (a batch-sized input of the gradient graph).
      loss = -sum(out * y, {1});
    }
    loss.backward();
    std::vector<std::vector<float>> result = {loss.asvector<float>()};
    for (NDArray *p : {&w1, &b1, &w2, &b2}) {
      result.push_back(p->grad().asvector<float>());
      *p -= p->grad() * 0.05;
    }
    return result;
  }
};

void expectClose(const std::vector<std::vector<float>> &a,
                 const std::vector<std::vector<float>> &b, int64_t rows) {
  ASSERT_EQ(a.size(), b.size());
  for (size_t i = 0; i < a.size(); ++i) {
    ASSERT_EQ(a[i].size(), b[i].size());
    for (size_t j = 0; j < a[i].size(); ++j)
      EXPECT_NEAR(a[i][j], b[i][j], 1e-5 * (1 + std::fabs(b[i][j])))
          << "batch " << rows << ", tensor " << i << ", element " << j;
  }
}

// The acceptance test: an MLP trained with batch sizes 1..40 compiles the
// generic variants (forward, and gradient: at batch size 1 the gradient
// graph has a shape of its own, so it reaches the threshold one size later)
// once, and nothing after them.
TEST(GenericBatch, MlpTrainingStepCompilesOnceForAllLaterSizes) {
  ThresholdGuard guard;
  const unsigned k = 3;
  setGenericBatchThreshold(k);
  Mlp mlp;
  CompileCache &cache = defaultCompileCache();
  CacheStats start = cache.stats();
  for (int64_t rows = 1; rows <= 5; ++rows)
    mlp.step(rows);
  CacheStats warm = cache.stats();
  EXPECT_EQ(warm.genericCompiles - start.genericCompiles, 2u);
  EXPECT_EQ(warm.failures, start.failures);
  for (int64_t rows = 6; rows <= 40; ++rows)
    mlp.step(rows);
  CacheStats after = cache.stats();
  EXPECT_EQ(after.misses, warm.misses) << "sizes 6..40 compiled something";
  EXPECT_EQ(after.genericCompiles, warm.genericCompiles);
  // Forward and gradient of each of the 35 steps.
  EXPECT_GE(after.genericHits - warm.genericHits, 2u * 35);
  // Per graph: k static sizes and the generic variant; plus the parameter
  // update and batch size 1's own gradient graph.
  EXPECT_LE(after.misses - start.misses, 2 * (k + 1) + 3);
  // Sizes already compiled statically keep their static code.
  CacheStats beforeRepeat = cache.stats();
  mlp.step(2);
  EXPECT_EQ(cache.stats().genericHits, beforeRepeat.genericHits);
  EXPECT_EQ(cache.stats().misses, beforeRepeat.misses);
}

// The generic variant computes what a static compile of the same batch size
// computes.
TEST(GenericBatch, MlpGenericMatchesStatic) {
  ThresholdGuard guard;
  for (int64_t rows : {5, 17, 40}) {
    setGenericBatchThreshold(2);
    Mlp generic;
    generic.step(1);
    generic.step(2);
    uint64_t hits = defaultCompileCache().stats().genericHits;
    auto viaGeneric = generic.step(rows);
    EXPECT_GT(defaultCompileCache().stats().genericHits +
                  defaultCompileCache().stats().genericCompiles,
              hits);
    setGenericBatchThreshold(0);
    Mlp reference;
    reference.step(1);
    reference.step(2);
    uint64_t genericBefore = defaultCompileCache().stats().genericHits;
    auto viaStatic = reference.step(rows);
    EXPECT_EQ(defaultCompileCache().stats().genericHits, genericBefore);
    expectClose(viaGeneric, viaStatic, rows);
  }
}

// concat along the batch axis has no shape-generic form (its `?` would be
// twice the batch): the graph keeps compiling per size and stays correct.
TEST(GenericBatch, UnsupportedOpStaysStatic) {
  ThresholdGuard guard;
  setGenericBatchThreshold(1);
  CompileCache &cache = defaultCompileCache();
  CacheStats before = cache.stats();
  for (int64_t rows = 1; rows <= 6; ++rows) {
    NDArray x = data(rows, 3, 0.5);
    NDArray y = exp(concat({x, x * 2.0}, 0));
    std::vector<float> got = y.asvector<float>();
    std::vector<float> in = x.asvector<float>();
    ASSERT_EQ(got.size(), in.size() * 2);
    for (int64_t r = 0; r < rows; ++r)
      for (int64_t c = 0; c < 3; ++c) {
        float v = in[r * 3 + c];
        EXPECT_NEAR(got[r * 3 + c], std::exp(v), 1e-5 * std::exp(v));
        EXPECT_NEAR(got[(rows + r) * 3 + c], std::exp(2 * v),
                    1e-5 * std::exp(2 * v));
      }
  }
  CacheStats after = cache.stats();
  EXPECT_EQ(after.genericHits, before.genericHits);
  // One failed attempt at the generic variant, then static compiles only.
  EXPECT_LE(after.genericCompiles - before.genericCompiles, 1u);
  EXPECT_GE(after.misses - before.misses, 6u);
}

} // namespace
