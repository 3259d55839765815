//===- FastMathTest.cpp - accuracy of mx-fast-math's approximations -------===//
//
// Each approximated f32 function, compiled through the whole pipeline as
// generated code sees it, against the C library in double precision over a
// dense range of inputs. The bounds asserted here are the ones
// docs/performance.md states; loosening one is a documentation change too.
//
//===----------------------------------------------------------------------===//

#include "runtime/Context.h"
#include "runtime/JitEngine.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include <string>
#include <vector>

using namespace mxjit;

namespace {

constexpr int64_t kPoints = 1 << 20;

/// `@f(x) = op(x)` on a 1-D f32 tensor of kPoints elements.
std::string unaryModule(const std::string &op) {
  std::string n = std::to_string(kPoints);
  return "#id = affine_map<(d0) -> (d0)>\n"
         "func.func @f(%x: tensor<" +
         n + "xf32>) -> tensor<" + n +
         "xf32> {\n"
         "  %init = tensor.empty() : tensor<" +
         n +
         "xf32>\n"
         "  %r = linalg.generic {indexing_maps = [#id, #id],\n"
         "      iterator_types = [\"parallel\"]}\n"
         "      ins(%x : tensor<" +
         n + "xf32>) outs(%init : tensor<" + n +
         "xf32>) {\n"
         "  ^bb0(%v: f32, %o: f32):\n"
         "    %y = math." +
         op +
         " %v : f32\n"
         "    linalg.yield %y : f32\n"
         "  } -> tensor<" +
         n +
         "xf32>\n"
         "  return %r : tensor<" +
         n + "xf32>\n}\n";
}

/// Largest errors of the compiled `op` against `reference` (double).
struct Errors {
  double ulps = 0, relative = 0, absolute = 0;
  float worstInput = 0;
};

/// Distance in units in the last place of `reference` rounded to f32.
double ulpError(float got, double reference) {
  float rounded = static_cast<float>(reference);
  float magnitude = std::fabs(rounded);
  float ulp =
      std::nextafter(magnitude, std::numeric_limits<float>::infinity()) -
      magnitude;
  return std::fabs(static_cast<double>(got) - reference) / ulp;
}

Errors measure(const std::string &op, const std::vector<float> &inputs,
               double (*reference)(double), bool fastMath = true) {
  auto context = createContext();
  auto module = parseModule(*context, unaryModule(op));
  CompileOptions options;
  options.fastMath = fastMath;
  auto fn = compile(*module, "f", options);
  std::vector<float> out(kPoints);
  fn->call({inputs.data()}, {out.data()});
  Errors e;
  for (int64_t i = 0; i < kPoints; ++i) {
    double ref = reference(static_cast<double>(inputs[i]));
    double ulps = ulpError(out[i], ref);
    double abs = std::fabs(out[i] - ref);
    if (ulps > e.ulps) {
      e.ulps = ulps;
      e.worstInput = inputs[i];
    }
    e.absolute = std::max(e.absolute, abs);
    if (ref != 0)
      e.relative = std::max(e.relative, abs / std::fabs(ref));
  }
  return e;
}

/// kPoints evenly spaced values in [lo, hi].
std::vector<float> linear(double lo, double hi) {
  std::vector<float> v(kPoints);
  for (int64_t i = 0; i < kPoints; ++i)
    v[i] = static_cast<float>(lo + (hi - lo) * i / (kPoints - 1));
  return v;
}

/// kPoints values evenly spaced in log scale in [lo, hi] (lo > 0).
std::vector<float> logarithmic(double lo, double hi) {
  std::vector<float> v(kPoints);
  double a = std::log(lo), b = std::log(hi);
  for (int64_t i = 0; i < kPoints; ++i)
    v[i] = static_cast<float>(std::exp(a + (b - a) * i / (kPoints - 1)));
  return v;
}

void report(const char *name, const Errors &e) {
  std::printf("%s: max %.2f ulp (at %g), relative %.3g, absolute %.3g\n", name,
              e.ulps, e.worstInput, e.relative, e.absolute);
}

// Bounds: the measured maximum rounded up (docs/performance.md).
TEST(FastMath, Tanh) {
  Errors e =
      measure("tanh", linear(-10, 10), [](double x) { return std::tanh(x); });
  report("tanh", e);
  EXPECT_LE(e.ulps, 6.0);
  EXPECT_LE(e.relative, 4e-7);
}

TEST(FastMath, TanhNearZero) {
  Errors e = measure("tanh", linear(-1e-2, 1e-2),
                     [](double x) { return std::tanh(x); });
  report("tanh near 0", e);
  EXPECT_LE(e.ulps, 6.0);
}

TEST(FastMath, Exp) {
  // exp(x) is a normal f32 on this range.
  Errors e =
      measure("exp", linear(-87, 88), [](double x) { return std::exp(x); });
  report("exp", e);
  EXPECT_LE(e.ulps, 2.0);
  EXPECT_LE(e.relative, 2e-7);
}

TEST(FastMath, Log) {
  Errors e = measure("log", logarithmic(1e-37, 3e38),
                     [](double x) { return std::log(x); });
  report("log", e);
  EXPECT_LE(e.ulps, 2.0);
}

TEST(FastMath, LogNearOne) {
  // log's result is small here, so ulps are the strict measure.
  Errors e =
      measure("log", linear(0.5, 2), [](double x) { return std::log(x); });
  report("log near 1", e);
  EXPECT_LE(e.ulps, 2.0);
  EXPECT_LE(e.absolute, 1e-7);
}

TEST(FastMath, Log2) {
  Errors e = measure("log2", logarithmic(1e-37, 3e38),
                     [](double x) { return std::log2(x); });
  report("log2", e);
  EXPECT_LE(e.ulps, 3.0);
}

TEST(FastMath, Erf) {
  Errors e =
      measure("erf", linear(-5, 5), [](double x) { return std::erf(x); });
  report("erf", e);
  EXPECT_LE(e.ulps, 6.0);
  EXPECT_LE(e.absolute, 5e-7);
}

// Special values keep their meaning.
TEST(FastMath, SpecialValues) {
  auto context = createContext();
  auto module = parseModule(*context, unaryModule("exp"));
  auto fn = compile(*module, "f");
  std::vector<float> in(kPoints, 0.0f), out(kPoints);
  in[0] = -std::numeric_limits<float>::infinity();
  in[1] = std::numeric_limits<float>::infinity();
  in[2] = -200.0f;
  in[3] = 200.0f;
  fn->call({in.data()}, {out.data()});
  EXPECT_EQ(out[0], 0.0f);
  EXPECT_EQ(out[1], std::numeric_limits<float>::infinity());
  EXPECT_EQ(out[2], 0.0f);
  EXPECT_EQ(out[3], std::numeric_limits<float>::infinity());
  EXPECT_EQ(out[4], 1.0f);

  auto tanhModule = parseModule(*context, unaryModule("tanh"));
  auto tanh = compile(*tanhModule, "f");
  in[0] = -std::numeric_limits<float>::infinity();
  in[1] = std::numeric_limits<float>::infinity();
  in[2] = 0.0f;
  tanh->call({in.data()}, {out.data()});
  EXPECT_EQ(out[0], -1.0f);
  EXPECT_EQ(out[1], 1.0f);
  EXPECT_EQ(out[2], 0.0f);
}

} // namespace
