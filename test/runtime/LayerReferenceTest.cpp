//===- LayerReferenceTest.cpp - layer ops JIT-run against C++ references --===//
//
// batch_norm (training, moving statistics, fix_gamma, axis), dropout (the
// documented splitmix64 mask bit for bit, its statistics, determinism and
// axes), softmax_output (every layout) and the regression outputs, each
// compiled through mx-lower-to-llvm and compared with plain loops here.
//
//===----------------------------------------------------------------------===//

#include "Reference.h"

#include "runtime/HostBuffer.h"
#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdint>

using namespace mxjit;
using ref::Shape;
using ref::Tensor;

namespace {

Jit &jit() {
  static Jit *instance = new Jit;
  return *instance;
}

std::string T(const Tensor &t) { return ref::typeString(t); }

HostBuffer toBuffer(const Tensor &t) {
  HostBuffer b(TensorSpec(t.shape, t.dtype));
  for (int64_t i = 0; i < t.size(); ++i) {
    if (t.dtype == DType::Float32)
      b.values<float>()[i] = static_cast<float>(t.v[i]);
    else if (t.dtype == DType::Float64)
      b.values<double>()[i] = t.v[i];
    else if (t.dtype == DType::Int64)
      b.values<int64_t>()[i] = static_cast<int64_t>(t.v[i]);
    else
      b.values<int32_t>()[i] = static_cast<int32_t>(t.v[i]);
  }
  return b;
}

Tensor fromBuffer(const HostBuffer &b) {
  Tensor t{b.spec().shape, {}, b.spec().dtype};
  for (int64_t i = 0; i < b.numElements(); ++i)
    t.v.push_back(t.dtype == DType::Float32 ? b.values<float>()[i]
                                            : b.values<double>()[i]);
  return t;
}

/// Compiles `@f(%a0, ...)` with `body` (which defines %r0, %r1, ...) and
/// returns its results.
std::vector<Tensor> run(const std::string &body,
                        const std::vector<Tensor> &inputs,
                        const std::vector<std::string> &resultTypes) {
  std::string args, results, types;
  for (size_t i = 0; i < inputs.size(); ++i)
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + T(inputs[i]);
  for (size_t i = 0; i < resultTypes.size(); ++i) {
    results += (i ? ", %r" : "%r") + std::to_string(i);
    types += (i ? ", " : "") + resultTypes[i];
  }
  std::string text = "func.func @f(" + args + ") -> (" + types + ") {\n" +
                     body + "\n  return " + results + " : " + types + "\n}\n";
  SCOPED_TRACE(text);
  auto fn = jit().getSource(text, "f");
  std::vector<HostBuffer> in;
  std::vector<const HostBuffer *> ptrs;
  for (const Tensor &t : inputs)
    in.push_back(toBuffer(t));
  for (const HostBuffer &b : in)
    ptrs.push_back(&b);
  std::vector<Tensor> out;
  for (const HostBuffer &b : fn->run(ptrs))
    out.push_back(fromBuffer(b));
  return out;
}

void expectClose(const Tensor &actual, const Tensor &expected,
                 const std::string &what) {
  ASSERT_EQ(actual.shape, expected.shape) << what;
  bool f32 = expected.dtype == DType::Float32;
  double rtol = f32 ? 1e-5 : 1e-12, atol = f32 ? 1e-5 : 1e-12;
  int reported = 0;
  for (int64_t i = 0; i < expected.size(); ++i) {
    double a = actual.v[i], e = expected.v[i];
    if (!(std::fabs(a - e) <= atol + rtol * std::fabs(e)) && reported++ < 5)
      ADD_FAILURE() << what << ": element " << i << " is " << a << ", expected "
                    << e;
  }
}

const DType kFloats[] = {DType::Float32, DType::Float64};

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

struct BatchNormRef {
  Tensor out, mean, var;
};

/// Statistics over every axis but `axis`: the batch ones or the moving ones.
BatchNormRef batchNorm(const Tensor &x, const Tensor &gamma, const Tensor &beta,
                       const Tensor &movingMean, const Tensor &movingVar,
                       int64_t axis, double eps, bool fixGamma,
                       bool batchStats) {
  int64_t c = x.shape[axis];
  int64_t inner = 1;
  for (size_t i = axis + 1; i < x.shape.size(); ++i)
    inner *= x.shape[i];
  auto channelOf = [&](int64_t i) { return (i / inner) % c; };
  BatchNormRef r{x, {{c}, std::vector<double>(c, 0.0), x.dtype}, {}};
  r.var = r.mean;
  if (batchStats) {
    std::vector<double> count(c, 0.0);
    for (int64_t i = 0; i < x.size(); ++i) {
      r.mean.v[channelOf(i)] += x.v[i];
      count[channelOf(i)] += 1;
    }
    for (int64_t k = 0; k < c; ++k)
      r.mean.v[k] /= count[k];
    for (int64_t i = 0; i < x.size(); ++i) {
      double d = x.v[i] - r.mean.v[channelOf(i)];
      r.var.v[channelOf(i)] += d * d;
    }
    for (int64_t k = 0; k < c; ++k)
      r.var.v[k] /= count[k];
  } else {
    r.mean = movingMean;
    r.var = movingVar;
  }
  for (int64_t i = 0; i < x.size(); ++i) {
    int64_t k = channelOf(i);
    double g = fixGamma ? 1.0 : gamma.v[k];
    r.out.v[i] =
        (x.v[i] - r.mean.v[k]) / std::sqrt(r.var.v[k] + eps) * g + beta.v[k];
  }
  return r;
}

struct BatchNormCase {
  Shape shape;
  int64_t axis;
  bool training, useGlobalStats, fixGamma;
};

TEST(LayerReference, BatchNorm) {
  const BatchNormCase cases[] = {
      {{4, 3, 5}, 1, true, false, false},   {{4, 3, 5}, 1, true, false, true},
      {{4, 3, 5}, 1, false, false, false},  {{4, 3, 5}, 1, true, true, false},
      {{2, 3, 4}, -1, true, false, false},  {{6, 2}, 0, true, false, false},
      {{2, 3, 2, 2}, 1, false, false, true}};
  for (const BatchNormCase &c : cases)
    for (DType d : kFloats) {
      int64_t rank = c.shape.size();
      int64_t axis = c.axis < 0 ? c.axis + rank : c.axis;
      int64_t ch = c.shape[axis];
      Tensor x = ref::random(c.shape, d, -2, 3, 1);
      Tensor gamma = ref::random({ch}, d, 0.5, 2, 2);
      Tensor beta = ref::random({ch}, d, -1, 1, 3);
      Tensor mm = ref::random({ch}, d, -0.5, 0.5, 4);
      Tensor mv = ref::random({ch}, d, 0.5, 2, 5);
      double eps = 1e-3;
      std::string chType = T(gamma);
      std::string attrs =
          "{axis = " + std::to_string(c.axis) +
          " : i64, training = " + (c.training ? "true" : "false") +
          ", use_global_stats = " + (c.useGlobalStats ? "true" : "false") +
          ", fix_gamma = " + (c.fixGamma ? "true" : "false") + "}";
      std::string body = "  %r0, %r1, %r2 = mx.batch_norm %a0, %a1, %a2, %a3, "
                         "%a4 " +
                         attrs + " : (" + T(x) + ", " + chType + ", " + chType +
                         ", " + chType + ", " + chType + ") -> (" + T(x) +
                         ", " + chType + ", " + chType + ")";
      auto out = run(body, {x, gamma, beta, mm, mv}, {T(x), chType, chType});
      BatchNormRef want =
          batchNorm(x, gamma, beta, mm, mv, axis, eps, c.fixGamma,
                    c.training && !c.useGlobalStats);
      expectClose(out[0], want.out, "batch_norm output " + attrs);
      expectClose(out[1], want.mean, "batch_norm mean " + attrs);
      expectClose(out[2], want.var, "batch_norm var " + attrs);
    }
}

//===----------------------------------------------------------------------===//
// dropout
//===----------------------------------------------------------------------===//

/// The mask formula of docs/dialect.md, written from the text.
uint64_t mix(uint64_t z) {
  z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
  z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
  return z ^ (z >> 31);
}
bool keeps(uint64_t seed0, uint64_t seed1, uint64_t index, double p) {
  const uint64_t golden = 0x9E3779B97F4A7C15ULL;
  uint64_t key = mix(seed0 ^ mix(seed1 + golden));
  double u = double(mix(key + (index + 1) * golden) >> 11) * 0x1p-53;
  return u >= p;
}

Tensor seedTensor(int64_t key, int64_t counter) {
  return Tensor{{2}, {double(key), double(counter)}, DType::Int64};
}

Tensor dropout(const Tensor &x, const Tensor &seed, double p,
               const std::string &axes = "") {
  std::string attrs =
      "{p = " + std::to_string(p) + " : f64" +
      (axes.empty() ? "" : ", axes = array<i64: " + axes + ">") + "}";
  std::string body = "  %r0 = mx.dropout %a0, %a1 " + attrs + " : (" + T(x) +
                     ", tensor<2xi64>) -> " + T(x);
  return run(body, {x, seed}, {T(x)})[0];
}

TEST(LayerReference, DropoutMatchesTheDocumentedHash) {
  for (DType d : kFloats) {
    Tensor x = ref::random({7, 9}, d, 0.5, 2, 11);
    double p = 0.375;
    Tensor out = dropout(x, seedTensor(12345, 7), p);
    Tensor want = x;
    float scale32 = static_cast<float>(1.0 / (1.0 - p));
    for (int64_t i = 0; i < x.size(); ++i) {
      double scale = d == DType::Float32 ? scale32 : 1.0 / (1.0 - p);
      want.v[i] = keeps(12345, 7, i, p) ? x.v[i] * scale : 0.0;
    }
    expectClose(out, want, "dropout");
  }
}

TEST(LayerReference, DropoutStatistics) {
  // 100000 elements: the kept fraction's standard deviation is about 0.0015.
  Tensor ones{{200, 500}, std::vector<double>(100000, 1.0), DType::Float32};
  for (double p : {0.1, 0.5, 0.8}) {
    Tensor out = dropout(ones, seedTensor(42, 0), p);
    int64_t dropped = 0;
    for (double v : out.v) {
      if (v == 0.0)
        ++dropped;
      else
        EXPECT_FLOAT_EQ(v, static_cast<float>(1.0 / (1.0 - p)));
    }
    EXPECT_NEAR(double(dropped) / out.size(), p, 0.01) << "p = " << p;
  }
}

TEST(LayerReference, DropoutSeeds) {
  Tensor ones{{100, 100}, std::vector<double>(10000, 1.0), DType::Float32};
  Tensor a = dropout(ones, seedTensor(7, 0), 0.5);
  EXPECT_EQ(a.v, dropout(ones, seedTensor(7, 0), 0.5).v) << "same seed";
  // Another key or another counter gives an independent mask: about half of
  // the positions differ (2 p (1 - p)).
  for (Tensor other : {seedTensor(8, 0), seedTensor(7, 1)}) {
    Tensor b = dropout(ones, other, 0.5);
    int64_t differ = 0;
    for (int64_t i = 0; i < a.size(); ++i)
      differ += a.v[i] != b.v[i];
    EXPECT_NEAR(double(differ) / a.size(), 0.5, 0.03);
  }
}

TEST(LayerReference, DropoutAxesAndExtremes) {
  // axes (2, 3): one mask value per (n, c) plane.
  Tensor ones{{4, 8, 3, 5}, std::vector<double>(480, 1.0), DType::Float64};
  Tensor out = dropout(ones, seedTensor(3, 4), 0.5, "2, 3");
  int64_t planesDropped = 0;
  for (int64_t plane = 0; plane < 32; ++plane) {
    bool keep = keeps(3, 4, plane, 0.5);
    planesDropped += !keep;
    for (int64_t i = 0; i < 15; ++i)
      EXPECT_EQ(out.v[plane * 15 + i], keep ? 2.0 : 0.0) << "plane " << plane;
  }
  EXPECT_GT(planesDropped, 0);
  EXPECT_LT(planesDropped, 32);

  Tensor x = ref::random({3, 4}, DType::Float32, -1, 1, 5);
  EXPECT_EQ(dropout(x, seedTensor(1, 2), 0.0).v, x.v) << "p = 0";
  EXPECT_EQ(dropout(x, seedTensor(1, 2), 1.0).v, std::vector<double>(12, 0.0))
      << "p = 1";
}

//===----------------------------------------------------------------------===//
// softmax_output and the regression outputs
//===----------------------------------------------------------------------===//

TEST(LayerReference, SoftmaxOutputForward) {
  struct Case {
    Shape data, label;
    std::string attrs;
    Tensor (*expected)(const Tensor &);
  };
  const Case cases[] = {
      {{4, 10},
       {4},
       "",
       [](const Tensor &x) { return ref::softmax(x, 1, 1.0, false); }},
      // MXNet flattens (N, ...) to (N, K) without multi_output.
      {{2, 3, 4},
       {2},
       "",
       [](const Tensor &x) {
         Tensor flat = ref::reshape(x, {2, 12});
         return ref::reshape(ref::softmax(flat, 1, 1.0, false), x.shape);
       }},
      {{2, 3, 4},
       {2, 4},
       "{multi_output = true}",
       [](const Tensor &x) { return ref::softmax(x, 1, 1.0, false); }},
      {{2, 3, 4},
       {2, 3},
       "{preserve_shape = true}",
       [](const Tensor &x) { return ref::softmax(x, 2, 1.0, false); }},
  };
  for (const Case &c : cases)
    for (DType d : kFloats) {
      Tensor x = ref::random(c.data, d, -3, 3, 9);
      Tensor label = ref::random(c.label, d, 0, 2, 10);
      std::string body = "  %r0 = mx.softmax_output %a0, %a1 " + c.attrs +
                         " : (" + T(x) + ", " + T(label) + ") -> " + T(x);
      expectClose(run(body, {x, label}, {T(x)})[0], c.expected(x),
                  "softmax_output " + c.attrs);
    }
}

TEST(LayerReference, RegressionOutputsForward) {
  for (DType d : kFloats) {
    Tensor x = ref::random({4, 1}, d, -3, 3, 12);
    Tensor column = ref::random({4}, d, 0, 1, 13);
    for (std::string op : {"linear", "logistic", "mae"}) {
      std::string body = "  %r0 = mx." + op +
                         "_regression_output %a0, %a1 : (" + T(x) + ", " +
                         T(column) + ") -> " + T(x);
      Tensor want =
          op == "logistic"
              ? ref::map(x, [](double v) { return 1.0 / (1.0 + std::exp(-v)); })
              : x;
      expectClose(run(body, {x, column}, {T(x)})[0], want, op);
    }
  }
}

} // namespace
