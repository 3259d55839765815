//===- GenericBatchExecutorTest.cpp - executors over many batch sizes -----===//
//
// Executors bound (or reshaped) to ever new batch sizes of one graph compile
// after genericBatchThreshold() sizes one shape-generic variant per mode
// (docs/runtime.md), which computes what static compiles compute.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"

#include "runtime/CompileCache.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;

namespace {

struct ThresholdGuard {
  unsigned saved = genericBatchThreshold();
  ~ThresholdGuard() { setGenericBatchThreshold(saved); }
};

nd::NDArray wave(const nd::Shape &shape, double phase) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  std::vector<double> v(n);
  for (int64_t i = 0; i < n; ++i)
    v[i] = 0.5 * std::sin(0.37 * i + phase);
  return nd::array(v, shape);
}

sym::Symbol mlp() {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol net = sym::FullyConnected(data, {{"num_hidden", 9}}, "gfc1");
  net = sym::Activation(net, {{"act_type", "relu"}});
  net = sym::FullyConnected(net, {{"num_hidden", 5}}, "gfc2");
  return sym::SoftmaxOutput(net, {}, "softmax");
}

/// One forward/backward of a fresh executor at batch `rows` with fixed
/// weights; returns the output and every gradient, and the executor's
/// compile count.
std::vector<std::vector<float>> trainStep(const sym::Symbol &net, int64_t rows,
                                          unsigned &compiles) {
  // Gradients of the weights only: a gradient for the label would be a
  // batch-sized zero constant, which has no shape-generic form.
  sym::Executor exe = net.simple_bind(cpu(), {{"data", {rows, 11}}},
                                      {{"gfc1_weight", sym::GradReq::Write},
                                       {"gfc1_bias", sym::GradReq::Write},
                                       {"gfc2_weight", sym::GradReq::Write},
                                       {"gfc2_bias", sym::GradReq::Write}});
  std::vector<double> labels(rows);
  for (int64_t r = 0; r < rows; ++r)
    labels[r] = static_cast<double>((r * 3 + rows) % 5);
  exe.forward(true, {{"data", wave({rows, 11}, 0.1 * rows)},
                     {"gfc1_weight", wave({9, 11}, 0.3)},
                     {"gfc1_bias", wave({9}, 0.5)},
                     {"gfc2_weight", wave({5, 9}, 0.7)},
                     {"gfc2_bias", wave({5}, 0.9)},
                     {"softmax_label", nd::array(labels, {rows})}});
  exe.backward();
  std::vector<std::vector<float>> result = {exe.outputs()[0].asvector<float>()};
  for (const auto &[name, grad] : exe.grad_dict())
    result.push_back(grad.asvector<float>());
  compiles = exe.stats().compiles;
  return result;
}

TEST(ExecutorGenericBatch, ManyBatchSizesCompileOneVariant) {
  ThresholdGuard guard;
  setGenericBatchThreshold(3);
  sym::Symbol net = mlp();
  CompileCache &cache = defaultCompileCache();
  CacheStats start = cache.stats();
  std::vector<std::vector<std::vector<float>>> viaGeneric;
  for (int64_t rows = 1; rows <= 12; ++rows) {
    CacheStats before = cache.stats();
    unsigned compiles = 0;
    viaGeneric.push_back(trainStep(net, rows, compiles));
    CacheStats after = cache.stats();
    // Sizes 1..3 compile statically, 4 compiles the generic variant, the
    // rest run it.
    EXPECT_EQ(compiles, rows <= 4 ? 1u : 0u) << "batch " << rows;
    EXPECT_EQ(after.genericCompiles - before.genericCompiles,
              rows == 4 ? 1u : 0u)
        << "batch " << rows;
    EXPECT_EQ(after.genericHits - before.genericHits, rows > 4 ? 1u : 0u)
        << "batch " << rows;
  }
  EXPECT_EQ(cache.stats().failures, start.failures);

  // The same steps on static compiles only.
  setGenericBatchThreshold(0);
  for (int64_t rows = 1; rows <= 12; ++rows) {
    unsigned compiles = 0;
    std::vector<std::vector<float>> viaStatic = trainStep(net, rows, compiles);
    const auto &got = viaGeneric[rows - 1];
    ASSERT_EQ(got.size(), viaStatic.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].size(), viaStatic[i].size());
      for (size_t j = 0; j < got[i].size(); ++j)
        EXPECT_NEAR(got[i][j], viaStatic[i][j],
                    1e-5 * (1 + std::fabs(viaStatic[i][j])))
            << "batch " << rows << ", array " << i << ", element " << j;
    }
  }
}

} // namespace
