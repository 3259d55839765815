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
#include <map>

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

/// A graph with its per-sample data shape and its weights (fixed values).
struct Model {
  sym::Symbol net;
  nd::Shape sample;
  std::vector<std::pair<std::string, nd::Shape>> weights;
  int64_t classes;
};

Model mlpModel() {
  return {mlp(),
          {11},
          {{"gfc1_weight", {9, 11}},
           {"gfc1_bias", {9}},
           {"gfc2_weight", {5, 9}},
           {"gfc2_bias", {5}}},
          5};
}

/// Convolution, relu, max pooling, convolution, avg pooling, flatten,
/// fully connected and SoftmaxOutput on (1, 12, 12) samples. No static
/// size equals batch size 4, where the generic variant compiles (one would
/// be a coincidence that makeBatchGeneric() refuses).
Model cnnModel() {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol net = sym::Convolution(
      data, {{"kernel", nd::Shape{3, 3}}, {"num_filter", 3}}, "gc1");
  net = sym::Activation(net, {{"act_type", "relu"}});
  net = sym::Pooling(net, {{"kernel", nd::Shape{2, 2}},
                           {"stride", nd::Shape{2, 2}},
                           {"pool_type", "max"}});
  net = sym::Convolution(net,
                         {{"kernel", nd::Shape{2, 2}},
                          {"num_filter", 6},
                          {"pad", nd::Shape{1, 1}}},
                         "gc2");
  net = sym::Pooling(net, {{"kernel", nd::Shape{2, 2}},
                           {"stride", nd::Shape{2, 2}},
                           {"pool_type", "avg"}});
  net = sym::Flatten(net);
  net = sym::FullyConnected(net, {{"num_hidden", 5}}, "gfc");
  return {sym::SoftmaxOutput(net, {}, "softmax"),
          {1, 12, 12},
          {{"gc1_weight", {3, 1, 3, 3}},
           {"gc1_bias", {3}},
           {"gc2_weight", {6, 3, 2, 2}},
           {"gc2_bias", {6}},
           {"gfc_weight", {5, 54}},
           {"gfc_bias", {5}}},
          5};
}

/// One forward/backward of a fresh executor at batch `rows` with fixed
/// weights; returns the output and every gradient, and the executor's
/// compile count. With `everyInput`, data and label get gradients too
/// (MXNet's simple_bind default); the label's is a batch-sized zero.
std::vector<std::vector<float>> trainStep(const Model &model, int64_t rows,
                                          unsigned &compiles, bool everyInput) {
  nd::Shape shape = {rows};
  shape.insert(shape.end(), model.sample.begin(), model.sample.end());
  std::map<std::string, sym::GradReq> reqs;
  if (everyInput)
    reqs = {{"data", sym::GradReq::Write},
            {"softmax_label", sym::GradReq::Write}};
  std::map<std::string, nd::NDArray> inputs = {
      {"data", wave(shape, 0.1 * rows)}};
  double phase = 0.3;
  for (const auto &[name, weightShape] : model.weights) {
    reqs[name] = sym::GradReq::Write;
    inputs[name] = wave(weightShape, phase);
    phase += 0.2;
  }
  sym::Executor exe = model.net.simple_bind(cpu(), {{"data", shape}}, reqs);
  std::vector<double> labels(rows);
  for (int64_t r = 0; r < rows; ++r)
    labels[r] = static_cast<double>((r * 3 + rows) % model.classes);
  inputs["softmax_label"] = nd::array(labels, {rows});
  exe.forward(true, inputs);
  exe.backward();
  std::vector<std::vector<float>> result = {exe.outputs()[0].asvector<float>()};
  for (const auto &[name, grad] : exe.grad_dict())
    result.push_back(grad.asvector<float>());
  compiles = exe.stats().compiles;
  return result;
}

void checkManyBatchSizes(const Model &net, bool everyInput = false) {
  ThresholdGuard guard;
  setGenericBatchThreshold(3);
  CompileCache &cache = defaultCompileCache();
  CacheStats start = cache.stats();
  std::vector<std::vector<std::vector<float>>> viaGeneric;
  for (int64_t rows = 1; rows <= 12; ++rows) {
    CacheStats before = cache.stats();
    unsigned compiles = 0;
    viaGeneric.push_back(trainStep(net, rows, compiles, everyInput));
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
    std::vector<std::vector<float>> viaStatic =
        trainStep(net, rows, compiles, everyInput);
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

TEST(ExecutorGenericBatch, ManyBatchSizesCompileOneVariant) {
  checkManyBatchSizes(mlpModel());
}

// The label's zero gradient follows the batch size too.
TEST(ExecutorGenericBatch, GradientsOfEveryInputCompileOneVariant) {
  checkManyBatchSizes(mlpModel(), /*everyInput=*/true);
}

// Convolution and pooling, and their gradients, have shape-generic forms too.
TEST(ExecutorGenericBatch, CnnManyBatchSizesCompileOneVariant) {
  checkManyBatchSizes(cnnModel());
}

} // namespace
