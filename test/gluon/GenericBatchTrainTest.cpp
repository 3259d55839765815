//===- GenericBatchTrainTest.cpp - Gluon training over many batch sizes ---===//
//
// A Gluon training loop whose batch size changes every step (the last partial
// batch of an epoch, bucketing) compiles a bounded number of functions: after
// genericBatchThreshold() sizes each of its graphs runs on one shape-generic
// variant (docs/runtime.md), whose results match static compiles.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"
#include "mxjit/gluon/trainer.h"
#include "mxjit/init.h"

#include "runtime/CompileCache.h"

#include "llvm/ADT/STLExtras.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;

namespace {

struct ThresholdGuard {
  unsigned saved = genericBatchThreshold();
  ~ThresholdGuard() { setGenericBatchThreshold(saved); }
};

/// Deterministic, batch-size dependent inputs and labels.
nd::NDArray inputs(int64_t rows, int64_t cols) {
  std::vector<double> v(rows * cols);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(0.37 * i + 0.01 * rows);
  return nd::array(v, {rows, cols});
}

nd::NDArray labels(int64_t rows, int64_t classes) {
  std::vector<double> v(rows);
  for (int64_t r = 0; r < rows; ++r)
    v[r] = static_cast<double>((r * 7 + rows) % classes);
  return nd::array(v, {rows});
}

/// A Gluon network trained with SGD and momentum on
/// SoftmaxCrossEntropyLoss, rescaling by each step's batch size.
struct GluonModel {
  gluon::NameManager names;
  std::shared_ptr<gluon::nn::Sequential> net =
      std::make_shared<gluon::nn::Sequential>();
  gluon::loss::SoftmaxCrossEntropyLoss loss;
  std::unique_ptr<gluon::Trainer> trainer;

  /// Initializes the layers added to `net` and makes the trainer.
  void initialize(int seed) {
    nd::random::seed(seed);
    net->initialize(std::make_shared<init::Xavier>());
    trainer = std::make_unique<gluon::Trainer>(
        net->collect_params(), "sgd",
        optimizer::Kwargs{{"learning_rate", 0.1}, {"momentum", 0.9}});
  }

  /// One training step on the batch (x, y); returns the mean loss.
  float trainOn(const nd::NDArray &x, const nd::NDArray &y) {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = loss((*net)(x), y);
      l.backward();
    }
    trainer->step(static_cast<double>(x.shape()[0]));
    return nd::mean(l).asscalar<float>();
  }

  std::vector<std::vector<float>> weights() {
    std::vector<std::vector<float>> out;
    gluon::ParameterDict params = net->collect_params();
    for (const auto &p : params.values())
      out.push_back(p->data().asvector<float>());
    return out;
  }
};

/// The MLP 20-16-16-7.
struct GluonMlp : GluonModel {
  GluonMlp() {
    {
      auto scope = net->name_scope();
      net->add(std::make_shared<gluon::nn::Dense>(16, "relu"));
      net->add(std::make_shared<gluon::nn::Dense>(16, "relu"));
      net->add(std::make_shared<gluon::nn::Dense>(7));
    }
    initialize(7);
  }

  /// One training step on a batch of `rows`; returns the mean loss.
  float step(int64_t rows) {
    return trainOn(inputs(rows, 20), labels(rows, 7));
  }
};

/// Every parameter of `a` within 1e-5 (relative) of `b`'s.
void expectSameWeights(const std::vector<std::vector<float>> &a,
                       const std::vector<std::vector<float>> &b, int64_t rows) {
  ASSERT_EQ(a.size(), b.size());
  for (auto [p, q] : llvm::zip(a, b)) {
    ASSERT_EQ(p.size(), q.size());
    for (auto [x, y] : llvm::zip(p, q))
      ASSERT_NEAR(x, y, 1e-5 * (1 + std::fabs(y))) << "after batch " << rows;
  }
}

// The acceptance test: trained over batch sizes 1..40, with the Trainer
// rescaling by each step's size, the step graph (pending update, forward and
// backward) and the loss read-back each get one generic variant, and sizes
// 6..40 compile nothing.
TEST(GluonGenericBatch, TrainingOverManySizesStopsCompiling) {
  ThresholdGuard guard;
  const unsigned k = 3;
  setGenericBatchThreshold(k);
  GluonMlp mlp;
  CompileCache &cache = defaultCompileCache();
  CacheStats start = cache.stats();
  for (int64_t rows = 1; rows <= 5; ++rows)
    mlp.step(rows);
  CacheStats warm = cache.stats();
  // The loss graph turns generic at its 4th size; the step graph one size
  // later (batch 1's step graph has a shape of its own: no pending update).
  EXPECT_EQ(warm.genericCompiles - start.genericCompiles, 2u);
  EXPECT_EQ(warm.failures, start.failures);
  for (int64_t rows = 6; rows <= 40; ++rows) {
    float loss = mlp.step(rows);
    ASSERT_TRUE(std::isfinite(loss)) << "batch " << rows;
  }
  CacheStats after = cache.stats();
  EXPECT_EQ(after.misses, warm.misses) << "sizes 6..40 compiled something";
  EXPECT_EQ(after.genericCompiles, warm.genericCompiles);
  EXPECT_EQ(after.failures, warm.failures);
  // The step graph and the loss of each of the 35 steps.
  EXPECT_EQ(after.genericHits - warm.genericHits, 2u * 35);
}

// Training through the generic variants gives the weights that static
// compiles give, step by step.
TEST(GluonGenericBatch, GenericTrainingMatchesStatic) {
  ThresholdGuard guard;
  const std::vector<int64_t> sizes = {1, 2, 3, 5, 17, 40, 6, 33};
  setGenericBatchThreshold(2);
  GluonMlp generic;
  std::vector<std::vector<std::vector<float>>> viaGeneric;
  for (int64_t rows : sizes) {
    generic.step(rows);
    viaGeneric.push_back(generic.weights());
  }
  EXPECT_GT(defaultCompileCache().stats().genericHits, 0u);
  setGenericBatchThreshold(0);
  GluonMlp reference;
  for (size_t i = 0; i < sizes.size(); ++i) {
    reference.step(sizes[i]);
    expectSameWeights(viaGeneric[i], reference.weights(), sizes[i]);
  }
}

/// Deterministic, batch-size dependent images (rows, 1, 12, 12).
nd::NDArray images(int64_t rows) {
  std::vector<double> v(rows * 144);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(0.29 * i + 0.013 * rows);
  return nd::array(v, {rows, 1, 12, 12});
}

/// A small LeNet: Conv2D(4, 3), relu, MaxPool2D(2), Conv2D(6, 2), AvgPool2D
/// (2, 1), Flatten, Dense(10); with `normalized`, BatchNorm after the first
/// convolution and Dropout(0.3) (which in the loss read-back, outside
/// training, is the identity) before the Dense layer.
struct GluonLeNet : GluonModel {
  explicit GluonLeNet(bool normalized) {
    using namespace gluon::nn;
    {
      auto scope = net->name_scope();
      net->add(std::make_shared<Conv2D>(4, 3));
      if (normalized)
        net->add(std::make_shared<BatchNorm>());
      net->add(std::make_shared<Activation>("relu"));
      net->add(std::make_shared<MaxPool2D>(2, 2));
      net->add(std::make_shared<Conv2D>(6, 2));
      net->add(std::make_shared<AvgPool2D>(2, 1));
      net->add(std::make_shared<Flatten>());
      if (normalized)
        net->add(std::make_shared<Dropout>(0.0));
      net->add(std::make_shared<Dense>(10));
    }
    initialize(11);
  }

  float step(int64_t rows) { return trainOn(images(rows), labels(rows, 10)); }
};

/// Batch sizes 1..12: 1 first (as in the MLP tests, batch 1 traces graphs
/// of its own, which compile statically whenever it comes), then 2..12 in
/// a fixed shuffled order.
std::vector<int64_t> shuffledSizes() {
  std::vector<int64_t> sizes = {1};
  for (int64_t i = 0; i < 11; ++i)
    sizes.push_back(2 + (i * 5 + 3) % 11);
  return sizes;
}

// A CNN (convolution, pooling and their gradients) trained over batch sizes
// 1..12 in shuffled order stops compiling after the generic variants, as the
// MLP does, and its generic steps give the static steps' weights.
void checkCnnOverManySizes(bool normalized) {
  ThresholdGuard guard;
  const unsigned k = 3;
  setGenericBatchThreshold(k);
  GluonLeNet generic(normalized);
  CompileCache &cache = defaultCompileCache();
  CacheStats start = cache.stats();
  std::vector<int64_t> sizes = shuffledSizes();
  std::vector<std::vector<std::vector<float>>> viaGeneric;
  CacheStats warm;
  for (size_t i = 0; i < sizes.size(); ++i) {
    // The first k + 2 sizes reach the step graph's generic variant (see
    // TrainingOverManySizesStopsCompiling).
    if (i == k + 2)
      warm = cache.stats();
    ASSERT_TRUE(std::isfinite(generic.step(sizes[i]))) << "batch " << sizes[i];
    viaGeneric.push_back(generic.weights());
  }
  CacheStats after = cache.stats();
  EXPECT_EQ(after.failures, start.failures);
  // The step graph and the loss read-back (alone in a process: exactly
  // these two; the read-back's family may already be generic from an
  // earlier test, and other graphs of the step may join it).
  EXPECT_GE(after.genericCompiles - start.genericCompiles, 1u);
  EXPECT_LE(after.genericCompiles - start.genericCompiles, 3u);
  EXPECT_EQ(after.misses, warm.misses) << "later sizes compiled something";
  EXPECT_GE(after.genericHits - warm.genericHits,
            2u * (sizes.size() - (k + 2)));

  setGenericBatchThreshold(0);
  GluonLeNet reference(normalized);
  for (size_t i = 0; i < sizes.size(); ++i) {
    reference.step(sizes[i]);
    expectSameWeights(viaGeneric[i], reference.weights(), sizes[i]);
  }
}

TEST(GluonGenericBatch, LeNetOverManySizes) { checkCnnOverManySizes(false); }

TEST(GluonGenericBatch, LeNetWithBatchNormOverManySizes) {
  checkCnnOverManySizes(true);
}

} // namespace
