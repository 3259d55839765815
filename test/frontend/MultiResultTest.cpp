//===- MultiResultTest.cpp - ops with several results on NDArrays ---------===//
//
// mx.batch_norm (output, batch mean, batch var) recorded with
// Engine::recordMulti: values against a C++ batch norm, reading some of the
// results, further ops, autograd against finite differences and caching.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"
#include "nd/Engine.h"

#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <cmath>
#include <tuple>

using namespace mxjit;
using namespace mxjit::nd;
using mxjit::nd::detail::Attrs;
using mxjit::nd::detail::Engine;
using mxjit::nd::detail::NodePtr;

namespace {

constexpr int64_t N = 2, C = 3, W = 4;
constexpr double Eps = 1e-3;

std::vector<double> dataValues() {
  std::vector<double> v(N * C * W);
  for (size_t i = 0; i < v.size(); ++i)
    v[i] = std::sin(1.7 * i) * 2 + 0.1 * i;
  return v;
}
const std::vector<double> Gamma = {1.5, -0.5, 2.0}, Beta = {0.1, 0.2, -0.3};

/// Batch norm over axes (0, 2) of an (N, C, W) array, in double.
struct Reference {
  std::vector<double> out, mean, var;
};
Reference batchNorm(const std::vector<double> &x,
                    const std::vector<double> &gamma) {
  Reference r{std::vector<double>(x.size()), std::vector<double>(C, 0),
              std::vector<double>(C, 0)};
  auto at = [](int64_t n, int64_t c, int64_t w) { return (n * C + c) * W + w; };
  for (int64_t c = 0; c < C; ++c) {
    for (int64_t n = 0; n < N; ++n)
      for (int64_t w = 0; w < W; ++w)
        r.mean[c] += x[at(n, c, w)] / (N * W);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t w = 0; w < W; ++w)
        r.var[c] += std::pow(x[at(n, c, w)] - r.mean[c], 2) / (N * W);
    for (int64_t n = 0; n < N; ++n)
      for (int64_t w = 0; w < W; ++w)
        r.out[at(n, c, w)] = gamma[c] * (x[at(n, c, w)] - r.mean[c]) /
                                 std::sqrt(r.var[c] + Eps) +
                             Beta[c];
  }
  return r;
}

/// mx.batch_norm in training with batch statistics; returns its 3 results.
std::vector<NDArray> recordBatchNorm(const NDArray &x, const NDArray &gamma) {
  NDArray beta = array(Beta, {C}, cpu(), x.dtype());
  NDArray movingMean = zeros({C}, cpu(), x.dtype());
  NDArray movingVar = ones({C}, cpu(), x.dtype());
  std::vector<NodePtr> nodes =
      Engine::get().recordMulti("mx.batch_norm",
                                {x.node(), gamma.node(), beta.node(),
                                 movingMean.node(), movingVar.node()},
                                Attrs()
                                    .boolean("training", true)
                                    .boolean("fix_gamma", false)
                                    .f64("eps", Eps)
                                    .get());
  std::vector<NDArray> out;
  for (const NodePtr &n : nodes)
    out.push_back(NDArray(n));
  return out;
}

void expectNear(const NDArray &a, const std::vector<double> &expected,
                double tol = 1e-4) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol * (1 + std::fabs(expected[i])))
        << "element " << i;
}

TEST(MultiResult, BatchNormResultsMatchReference) {
  Reference ref = batchNorm(dataValues(), Gamma);
  std::vector<NDArray> r =
      recordBatchNorm(array(dataValues(), {N, C, W}), array(Gamma, {C}));
  ASSERT_EQ(r.size(), 3u);
  EXPECT_EQ(r[0].shape(), (Shape{N, C, W}));
  EXPECT_EQ(r[1].shape(), (Shape{C}));
  uint64_t misses = cache_info().misses;
  expectNear(r[0], ref.out);
  // The live results were computed by the same call: reading them compiles
  // and runs nothing more.
  uint64_t afterFirst = cache_info().misses;
  uint64_t hits = cache_info().hits;
  expectNear(r[1], ref.mean);
  expectNear(r[2], ref.var);
  EXPECT_EQ(cache_info().misses, afterFirst);
  EXPECT_EQ(cache_info().hits, hits);
  EXPECT_GE(afterFirst, misses);
}

TEST(MultiResult, ReadOnlyOneResult) {
  Reference ref = batchNorm(dataValues(), Gamma);
  NDArray var =
      recordBatchNorm(array(dataValues(), {N, C, W}), array(Gamma, {C}))[2];
  expectNear(var, ref.var);
  NDArray mean =
      recordBatchNorm(array(dataValues(), {N, C, W}), array(Gamma, {C}))[1];
  expectNear(mean, ref.mean);
}

TEST(MultiResult, ResultsFeedFurtherOps) {
  Reference ref = batchNorm(dataValues(), Gamma);
  std::vector<NDArray> r =
      recordBatchNorm(array(dataValues(), {N, C, W}), array(Gamma, {C}));
  NDArray total = sum(r[0] * 2.0);
  NDArray stats = r[1] + r[2];
  std::vector<double> expectedStats(C);
  double expectedTotal = 0;
  for (int64_t c = 0; c < C; ++c)
    expectedStats[c] = ref.mean[c] + ref.var[c];
  for (double v : ref.out)
    expectedTotal += 2 * v;
  r.clear(); // the results live on only inside the pending graph
  expectNear(stats, expectedStats);
  EXPECT_NEAR(total.asscalar(), expectedTotal, 1e-3);
}

TEST(MultiResult, RecordRejectsSeveralResults) {
  NDArray x = array(dataValues(), {N, C, W});
  NDArray c = ones({C});
  try {
    Engine::get().record("mx.batch_norm",
                         {x.node(), c.node(), c.node(), c.node(), c.node()},
                         Attrs().boolean("training", true).get());
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("recordMulti"), std::string::npos)
        << e.what();
  }
}

// d/dx and d/dgamma of sum(w * batch_norm(x, gamma)[0]), through the batch
// statistics, against central differences of the C++ reference.
TEST(MultiResult, BackwardThroughFirstResult) {
  std::vector<double> xv = dataValues(), wv(N * C * W);
  for (size_t i = 0; i < wv.size(); ++i)
    wv[i] = std::cos(0.9 * i);
  auto loss = [&](const std::vector<double> &x, const std::vector<double> &g) {
    Reference r = batchNorm(x, g);
    double s = 0;
    for (size_t i = 0; i < x.size(); ++i)
      s += wv[i] * r.out[i];
    return s;
  };
  NDArray x = array(xv, {N, C, W}, cpu(), DType::Float64);
  NDArray gamma = array(Gamma, {C}, cpu(), DType::Float64);
  NDArray w = array(wv, {N, C, W}, cpu(), DType::Float64);
  x.attach_grad();
  gamma.attach_grad();
  {
    auto scope = autograd::record();
    std::vector<NDArray> r = recordBatchNorm(x, gamma);
    NDArray l = sum(r[0] * w);
    l.backward();
  }
  const double h = 1e-6;
  std::vector<double> dx(xv.size()), dgamma(C);
  for (size_t i = 0; i < xv.size(); ++i) {
    std::vector<double> plus = xv, minus = xv;
    plus[i] += h;
    minus[i] -= h;
    dx[i] = (loss(plus, Gamma) - loss(minus, Gamma)) / (2 * h);
  }
  for (int64_t c = 0; c < C; ++c) {
    std::vector<double> plus = Gamma, minus = Gamma;
    plus[c] += h;
    minus[c] -= h;
    dgamma[c] = (loss(xv, plus) - loss(xv, minus)) / (2 * h);
  }
  expectNear(x.grad(), dx, 1e-5);
  expectNear(gamma.grad(), dgamma, 1e-5);
}

// A second identical training step compiles nothing: the forward trace and
// the differentiated tape are structural cache hits.
TEST(MultiResult, SecondIdenticalStepCompilesNothing) {
  // sum(out^2) needs `out` in its gradient: the gradient function has
  // mx.batch_norm itself, replayed as a multi-result op.
  auto step = [] {
    NDArray x = array(dataValues(), {N, C, W});
    NDArray gamma = array(Gamma, {C});
    x.attach_grad();
    gamma.attach_grad();
    std::vector<NDArray> r;
    {
      auto scope = autograd::record();
      r = recordBatchNorm(x, gamma);
      NDArray l = sum(r[0] * r[0]);
      l.backward();
    }
    return std::make_tuple(r[1].asvector<double>(), x.grad().asvector<double>(),
                           gamma.grad().asvector<double>());
  };
  auto first = step();
  uint64_t misses = cache_info().misses;
  auto second = step();
  EXPECT_EQ(cache_info().misses, misses);
  EXPECT_EQ(first, second);
  // With sum(xhat) = 0 and sum(xhat^2) = N W var / (var + eps):
  // d/dgamma_c sum((gamma xhat + beta)^2) = 2 gamma_c N W var_c/(var_c+eps).
  Reference ref = batchNorm(dataValues(), Gamma);
  std::vector<double> dgamma = std::get<2>(first);
  for (int64_t c = 0; c < C; ++c)
    EXPECT_NEAR(dgamma[c],
                2 * Gamma[c] * N * W * ref.var[c] / (ref.var[c] + Eps), 1e-3)
        << c;
}

} // namespace
