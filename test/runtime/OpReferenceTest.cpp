//===- OpReferenceTest.cpp - every mx op JIT-run against a C++ reference --===//
//
// Each test builds a one-op mx function, compiles it through the whole
// stack (mx-lower-to-llvm + ORC) and compares the result with the plain C++
// loops in Reference.cpp, for every element type the op accepts.
//
//===----------------------------------------------------------------------===//

#include "Reference.h"

#include "runtime/Error.h"
#include "runtime/HostBuffer.h"
#include "runtime/Jit.h"

#include <gtest/gtest.h>

#include <cmath>
#include <limits>

using namespace mxjit;
using ref::Shape;
using ref::Tensor;

namespace {

Jit &jit() {
  static Jit *instance = new Jit;
  return *instance;
}

std::string T(const Tensor &t) { return ref::typeString(t); }
std::string T(const Shape &s, DType d) { return ref::typeString(s, d); }

HostBuffer toBuffer(const Tensor &t) {
  HostBuffer b(TensorSpec(t.shape, t.dtype));
  for (int64_t i = 0; i < t.size(); ++i) {
    switch (t.dtype) {
    case DType::Float32:
      b.values<float>()[i] = static_cast<float>(t.v[i]);
      break;
    case DType::Float64:
      b.values<double>()[i] = t.v[i];
      break;
    case DType::Int32:
      b.values<int32_t>()[i] = static_cast<int32_t>(t.v[i]);
      break;
    case DType::Int64:
      b.values<int64_t>()[i] = static_cast<int64_t>(t.v[i]);
      break;
    }
  }
  return b;
}

Tensor fromBuffer(const HostBuffer &b) {
  Tensor t{b.spec().shape, {}, b.spec().dtype};
  for (int64_t i = 0; i < b.numElements(); ++i) {
    switch (t.dtype) {
    case DType::Float32:
      t.v.push_back(b.values<float>()[i]);
      break;
    case DType::Float64:
      t.v.push_back(b.values<double>()[i]);
      break;
    case DType::Int32:
      t.v.push_back(b.values<int32_t>()[i]);
      break;
    case DType::Int64:
      t.v.push_back(double(b.values<int64_t>()[i]));
      break;
    }
  }
  return t;
}

/// Compiles `func.func @f(%a0, %a1, ...) { %r = <op>; return %r }` and runs
/// it on `inputs`. `op` is the right-hand side of one mx op with its types.
Tensor run(const std::string &op, const std::vector<Tensor> &inputs,
           const Shape &outShape, DType outType) {
  std::string args;
  for (size_t i = 0; i < inputs.size(); ++i)
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + T(inputs[i]);
  std::string resultType = T(outShape, outType);
  std::string text = "func.func @f(" + args + ") -> " + resultType +
                     " {\n  %r = " + op + "\n  return %r : " + resultType +
                     "\n}\n";
  SCOPED_TRACE(text);
  auto fn = jit().getSource(text, "f");
  std::vector<HostBuffer> in;
  std::vector<const HostBuffer *> ptrs;
  for (const Tensor &t : inputs)
    in.push_back(toBuffer(t));
  for (const HostBuffer &b : in)
    ptrs.push_back(&b);
  std::vector<HostBuffer> out = fn->run(ptrs);
  return fromBuffer(out.at(0));
}

void expectClose(const Tensor &actual, const Tensor &expected,
                 const std::string &what) {
  ASSERT_EQ(actual.shape, expected.shape) << what;
  ASSERT_EQ(actual.dtype, expected.dtype) << what;
  bool f32 = expected.dtype == DType::Float32;
  bool isFloat = f32 || expected.dtype == DType::Float64;
  double rtol = f32 ? 2e-5 : 1e-12, atol = f32 ? 1e-6 : 1e-12;
  int reported = 0;
  for (int64_t i = 0; i < expected.size(); ++i) {
    double a = actual.v[i], e = expected.v[i];
    bool ok = !isFloat        ? a == e
              : std::isnan(e) ? std::isnan(a)
              : std::isinf(e) ? a == e
                              : std::fabs(a - e) <= atol + rtol * std::fabs(e);
    if (!ok && reported++ < 5)
      ADD_FAILURE() << what << ": element " << i << " is " << a << ", expected "
                    << e;
  }
}

/// Runs `op` and checks it against `expected` (whose shape and dtype are the
/// result type).
void check(const std::string &op, const std::vector<Tensor> &inputs,
           const Tensor &expected) {
  expectClose(run(op, inputs, expected.shape, expected.dtype), expected, op);
}

std::string unaryOp(const std::string &name, const Tensor &x) {
  return "mx." + name + " %a0 : " + T(x);
}

std::string binaryOp(const std::string &name, const Tensor &a, const Tensor &b,
                     const Tensor &out) {
  return "mx." + name + " %a0, %a1 : (" + T(a) + ", " + T(b) + ") -> " + T(out);
}

/// `mx.name %a0[, %a1...] {attrs} : (inputs) -> out`.
std::string attrOp(const std::string &name, const std::string &attrs,
                   const std::vector<Tensor> &inputs, const Tensor &out) {
  std::string operands, types;
  for (size_t i = 0; i < inputs.size(); ++i) {
    operands += (i ? ", %a" : "%a") + std::to_string(i);
    types += (i ? ", " : "") + T(inputs[i]);
  }
  std::string attrDict = attrs.empty() ? "" : " {" + attrs + "}";
  return "mx." + name + " " + operands + attrDict + " : (" + types + ") -> " +
         T(out);
}

const DType kFloats[] = {DType::Float32, DType::Float64};
const DType kInts[] = {DType::Int32, DType::Int64};
const DType kAll[] = {DType::Float32, DType::Float64, DType::Int32,
                      DType::Int64};

double sigmoid(double x) { return 1.0 / (1.0 + std::exp(-x)); }

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

struct UnaryCase {
  const char *name;
  double (*fn)(double);
  double lo, hi;
  bool integers;
};

const UnaryCase kUnary[] = {
    {"negative", [](double x) { return -x; }, -3, 3, true},
    {"abs", [](double x) { return std::fabs(x); }, -3, 3, true},
    {"square", [](double x) { return x * x; }, -3, 3, true},
    {"relu", [](double x) { return x > 0 ? x : 0.0; }, -3, 3, true},
    {"exp", [](double x) { return std::exp(x); }, -3, 3, false},
    {"log", [](double x) { return std::log(x); }, 0.01, 5, false},
    {"sqrt", [](double x) { return std::sqrt(x); }, 0, 5, false},
    {"sigmoid", sigmoid, -6, 6, false},
    {"tanh", [](double x) { return std::tanh(x); }, -3, 3, false},
    {"sin", [](double x) { return std::sin(x); }, -4, 4, false},
    {"cos", [](double x) { return std::cos(x); }, -4, 4, false},
};

TEST(OpReference, UnaryElementwise) {
  for (const UnaryCase &c : kUnary)
    for (DType d : kAll) {
      bool isInt = d == DType::Int32 || d == DType::Int64;
      if (isInt && !c.integers)
        continue;
      Tensor x = ref::random({3, 5}, d, c.lo, c.hi, 7);
      check(unaryOp(c.name, x), {x}, ref::map(x, c.fn));
    }
}

struct BinaryCase {
  const char *name;
  double (*fn)(double, double);
  bool positiveLhs;
};

double cmp(bool b) { return b ? 1.0 : 0.0; }

const BinaryCase kBinary[] = {
    {"add", [](double a, double b) { return a + b; }, false},
    {"subtract", [](double a, double b) { return a - b; }, false},
    {"multiply", [](double a, double b) { return a * b; }, false},
    {"divide", [](double a, double b) { return a / b; }, false},
    {"power", [](double a, double b) { return std::pow(a, b); }, true},
    {"maximum", [](double a, double b) { return std::max(a, b); }, false},
    {"minimum", [](double a, double b) { return std::min(a, b); }, false},
    {"equal", [](double a, double b) { return cmp(a == b); }, false},
    {"not_equal", [](double a, double b) { return cmp(a != b); }, false},
    {"greater", [](double a, double b) { return cmp(a > b); }, false},
    {"greater_equal", [](double a, double b) { return cmp(a >= b); }, false},
    {"lesser", [](double a, double b) { return cmp(a < b); }, false},
    {"lesser_equal", [](double a, double b) { return cmp(a <= b); }, false},
};

const std::pair<Shape, Shape> kBroadcastShapes[] = {
    {{2, 3}, {2, 3}},    {{2, 3}, {3}}, {{4, 1}, {1, 5}},
    {{2, 1, 3}, {2, 3}}, {{1}, {3, 2}}, {{3, 1, 2}, {1, 4, 1}},
};

TEST(OpReference, BinaryBroadcastFloat) {
  for (const BinaryCase &c : kBinary)
    for (DType d : kFloats)
      for (const auto &[sa, sb] : kBroadcastShapes) {
        Tensor a = ref::random(sa, d, c.positiveLhs ? 0.1 : -2, 2, 3);
        Tensor b = ref::random(sb, d, -2, 2, 4);
        // Equal values make the comparisons meaningful.
        b.v[0] = a.v[0];
        if (std::string(c.name) == "divide")
          for (double &x : b.v)
            x = x == 0 ? 0.5 : x;
        Tensor e = ref::zip(a, b, c.fn);
        check(binaryOp(c.name, a, b, e), {a, b}, e);
      }
}

/// C++ integer semantics, with the dialect's rules for x / 0 and x ^ -n.
double intDivide(double a, double b) { return b == 0 ? 0 : std::trunc(a / b); }
double intPower(double a, double b) {
  if (b < 0)
    return a == 1 ? 1 : a == -1 ? (int64_t(b) % 2 ? -1 : 1) : 0;
  return std::pow(a, b);
}

TEST(OpReference, BinaryBroadcastInteger) {
  for (const BinaryCase &c : kBinary)
    for (DType d : kInts)
      for (const auto &[sa, sb] : kBroadcastShapes) {
        std::string name = c.name;
        Tensor a = ref::random(sa, d, -9, 9, 5);
        Tensor b = ref::random(sb, d, -4, 4, 6);
        b.v[0] = name == "divide" ? 0 : a.v[0]; // division by zero too
        auto fn = name == "divide"  ? intDivide
                  : name == "power" ? intPower
                                    : c.fn;
        Tensor e = ref::zip(a, b, fn);
        check(binaryOp(c.name, a, b, e), {a, b}, e);
      }
}

TEST(OpReference, IntegerDivisionNeverTraps) {
  for (DType d : kInts) {
    double minValue =
        d == DType::Int32 ? -2147483648.0 : -9223372036854775808.0;
    Tensor a{{4}, {7, -7, minValue, 5}, d};
    Tensor b{{4}, {0, 2, -1, -1}, d};
    // MIN / -1 wraps to MIN.
    Tensor e{{4}, {0, -3, minValue, -5}, d};
    check(binaryOp("divide", a, b, e), {a, b}, e);
  }
}

struct ScalarCase {
  const char *name;
  double scalar;
  double (*fn)(double x, double s);
};

const ScalarCase kScalar[] = {
    {"add_scalar", 1.5, [](double x, double s) { return x + s; }},
    {"subtract_scalar", 1.5, [](double x, double s) { return x - s; }},
    {"rsubtract_scalar", 1.5, [](double x, double s) { return s - x; }},
    {"multiply_scalar", 2.5, [](double x, double s) { return x * s; }},
    {"divide_scalar", 2.5, [](double x, double s) { return x / s; }},
    {"rdivide_scalar", 3.5, [](double x, double s) { return s / x; }},
    {"power_scalar", 2.0, [](double x, double s) { return std::pow(x, s); }},
    {"rpower_scalar", 2.0, [](double x, double s) { return std::pow(s, x); }},
    {"maximum_scalar", 0.5, [](double x, double s) { return std::max(x, s); }},
    {"minimum_scalar", 0.5, [](double x, double s) { return std::min(x, s); }},
    {"equal_scalar", 1.0, [](double x, double s) { return cmp(x == s); }},
    {"not_equal_scalar", 1.0, [](double x, double s) { return cmp(x != s); }},
    {"greater_scalar", 1.0, [](double x, double s) { return cmp(x > s); }},
    {"greater_equal_scalar", 1.0,
     [](double x, double s) { return cmp(x >= s); }},
    {"lesser_scalar", 1.0, [](double x, double s) { return cmp(x < s); }},
    {"lesser_equal_scalar", 1.0,
     [](double x, double s) { return cmp(x <= s); }},
};

TEST(OpReference, TensorScalar) {
  for (const ScalarCase &c : kScalar)
    for (DType d : kAll) {
      bool isInt = d == DType::Int32 || d == DType::Int64;
      // Integer tensors use the scalar truncated toward zero.
      double s = isInt ? std::trunc(c.scalar) : c.scalar;
      Tensor x = ref::random({4, 3}, d, 1, 4, 11);
      x.v[1] = s; // hit the equality cases
      auto fn = c.fn;
      std::string name = c.name;
      Tensor e = ref::map(x, [&](double v) {
        if (isInt && name == "divide_scalar")
          return intDivide(v, s);
        if (isInt && name == "rdivide_scalar")
          return intDivide(s, v);
        return fn(v, s);
      });
      char scalarText[32];
      std::snprintf(scalarText, sizeof scalarText, "%.6e", c.scalar);
      check("mx." + name + " %a0, " + scalarText + " : " + T(x), {x}, e);
    }
}

TEST(OpReference, Cast) {
  for (DType from : kAll)
    for (DType to : kAll) {
      Tensor x = ref::random({2, 5}, from, -50, 50, 13);
      Tensor e = ref::cast(x, to);
      check("mx.cast %a0 : " + T(x) + " -> " + T(e), {x}, e);
    }
}

TEST(OpReference, Constant) {
  Tensor x = ref::random({2, 2}, DType::Float32, -1, 1, 17);
  Tensor e = ref::zip(x, Tensor{{2}, {1.5, -2.0}, DType::Float32},
                      [](double a, double b) { return a + b; });
  std::string text = "func.func @f(%a0: tensor<2x2xf32>) -> tensor<2x2xf32> {\n"
                     "  %c = mx.constant dense<[1.5, -2.0]> : tensor<2xf32>\n"
                     "  %r = mx.add %a0, %c : (tensor<2x2xf32>, tensor<2xf32>) "
                     "-> tensor<2x2xf32>\n  return %r : tensor<2x2xf32>\n}\n";
  auto fn = jit().getSource(text, "f");
  HostBuffer in = toBuffer(x);
  expectClose(fromBuffer(fn->run({&in}).at(0)), e, "constant");
}

//===----------------------------------------------------------------------===//
// Unary math, sign, clip, stop_gradient
//===----------------------------------------------------------------------===//

struct MathCase {
  const char *name;
  double (*fn)(double);
  double lo, hi;
};

const MathCase kMath[] = {
    {"tan", [](double x) { return std::tan(x); }, -1.2, 1.2},
    {"log2", [](double x) { return std::log2(x); }, 0.01, 5},
    {"log10", [](double x) { return std::log10(x); }, 0.01, 5},
    {"log1p", [](double x) { return std::log1p(x); }, -0.9, 3},
    {"expm1", [](double x) { return std::expm1(x); }, -3, 3},
    {"reciprocal", [](double x) { return 1.0 / x; }, -4, 4},
    {"rsqrt", [](double x) { return 1.0 / std::sqrt(x); }, 0.05, 5},
    {"cbrt", [](double x) { return std::cbrt(x); }, -5, 5},
    {"rcbrt", ref::rcbrt, -5, 5},
    {"sinh", [](double x) { return std::sinh(x); }, -3, 3},
    {"cosh", [](double x) { return std::cosh(x); }, -3, 3},
    {"arcsin", [](double x) { return std::asin(x); }, -0.99, 0.99},
    {"arccos", [](double x) { return std::acos(x); }, -0.99, 0.99},
    {"arctan", [](double x) { return std::atan(x); }, -5, 5},
    {"arcsinh", [](double x) { return std::asinh(x); }, -5, 5},
    {"arccosh", [](double x) { return std::acosh(x); }, 1.01, 5},
    {"arctanh", [](double x) { return std::atanh(x); }, -0.95, 0.95},
    {"erf", [](double x) { return std::erf(x); }, -3, 3},
    {"softsign", ref::softsign, -5, 5},
    {"softrelu", ref::softrelu, -30, 30},
    // exp(200) overflows f32: the lowering must not compute it.
    {"softrelu", ref::softrelu, -200, 200},
    {"radians", ref::radians, -360, 360},
    {"degrees", ref::degrees, -7, 7},
};

TEST(OpReference, UnaryMath) {
  for (const MathCase &c : kMath)
    for (DType d : kFloats) {
      Tensor x = ref::random({3, 5}, d, c.lo, c.hi, 83);
      check(unaryOp(c.name, x), {x}, ref::map(x, c.fn));
    }
}

// Near 0, where log(1 + x) and exp(x) - 1 lose every digit; the absolute
// tolerance of expectClose would hide that, so this checks relative error.
TEST(OpReference, Log1pExpm1NearZero) {
  const std::pair<const char *, double (*)(double)> ops[] = {
      {"log1p", [](double x) { return std::log1p(x); }},
      {"expm1", [](double x) { return std::expm1(x); }}};
  for (const auto &[name, fn] : ops)
    for (DType d : kFloats) {
      Tensor x = ref::random({16}, d, 1e-9, 1e-4, 109);
      for (int64_t i = 0; i < x.size(); i += 2)
        x.v[i] = -x.v[i];
      Tensor e = ref::map(x, fn);
      Tensor a = run(unaryOp(name, x), {x}, x.shape, d);
      double rtol = d == DType::Float32 ? 1e-6 : 1e-14;
      for (int64_t i = 0; i < x.size(); ++i)
        EXPECT_LE(std::fabs(a.v[i] - e.v[i]), rtol * std::fabs(e.v[i]))
            << name << "(" << x.v[i] << ") is " << a.v[i] << ", expected "
            << e.v[i];
    }
}

TEST(OpReference, Sign) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  for (DType d : kAll) {
    Tensor x = ref::random({3, 4}, d, -3, 3, 89);
    x.v[0] = 0;
    if (d == DType::Float32 || d == DType::Float64) {
      x.v[1] = -0.0;
      x.v[2] = nan; // MXNet's sign gives 0 for NaN
      x.v[3] = -std::numeric_limits<double>::infinity();
    }
    check(unaryOp("sign", x), {x}, ref::map(x, ref::sign));
  }
}

TEST(OpReference, Clip) {
  const double nan = std::numeric_limits<double>::quiet_NaN();
  // (a_min, a_max): fractional bounds (integers truncate them toward zero),
  // equal bounds, bounds beyond the integer ranges (saturated), one-sided.
  const std::pair<double, double> bounds[] = {
      {-1.5, 2.5}, {0.5, 0.5}, {-1e20, 1e20}, {-1e20, -2.0}, {1.0, 1e300}};
  for (DType d : kAll)
    for (const auto &[lo, hi] : bounds) {
      Tensor x = ref::random({4, 5}, d, -4, 4, 97);
      if (d == DType::Float32 || d == DType::Float64)
        x.v[0] = nan;         // NaN passes through
      if (std::fabs(hi) < 10) // on the bound
        x.v[1] = d == DType::Int32 || d == DType::Int64 ? std::trunc(hi) : hi;
      char attrs[96];
      std::snprintf(attrs, sizeof attrs,
                    "{a_min = %.17e : f64, a_max = %.17e : f64}", lo, hi);
      check("mx.clip %a0 " + std::string(attrs) + " : " + T(x), {x},
            ref::clip(x, lo, hi));
    }
}

TEST(OpReference, StopGradient) {
  for (DType d : kAll) {
    Tensor x = ref::random({2, 3}, d, -5, 5, 101);
    check("mx.stop_gradient %a0 : " + T(x), {x}, x);
  }
}

//===----------------------------------------------------------------------===//
// Reductions and softmax
//===----------------------------------------------------------------------===//

struct ReduceCase {
  std::string attrs;
  std::vector<int64_t> axes; // the reduced axes of a (2, 3, 4) input
  bool keepdims;
};

const ReduceCase kReduce[] = {
    {"", {0, 1, 2}, false},
    {"keepdims = true", {0, 1, 2}, true},
    {"axis = array<i64: 1>", {1}, false},
    {"axis = array<i64: -1>, keepdims = true", {2}, true},
    {"axis = array<i64: 0, 2>", {0, 2}, false},
    {"axis = array<i64: 1>, exclude = true", {0, 2}, false},
    {"axis = array<i64: 2, 0>, exclude = true, keepdims = true", {1}, true},
};

TEST(OpReference, Reductions) {
  const std::pair<const char *, ref::Reduce> kinds[] = {
      {"sum", ref::Reduce::Sum},
      {"mean", ref::Reduce::Mean},
      {"max", ref::Reduce::Max},
      {"min", ref::Reduce::Min}};
  for (const auto &[name, kind] : kinds)
    for (DType d : kAll)
      for (const ReduceCase &c : kReduce) {
        Tensor x = ref::random({2, 3, 4}, d, -9, 9, 19);
        Tensor e = ref::reduce(x, c.axes, c.keepdims, kind);
        check(attrOp(name, c.attrs, {x}, e), {x}, e);
      }
}

TEST(OpReference, Softmax) {
  for (DType d : kFloats)
    for (bool log : {false, true}) {
      std::string name = log ? "log_softmax" : "softmax";
      Tensor x = ref::random({3, 4, 5}, d, -5, 5, 23);
      check("mx." + name + " %a0 : " + T(x), {x}, ref::softmax(x, 2, 1.0, log));
      check("mx." + name + " %a0 {axis = 0 : i64} : " + T(x), {x},
            ref::softmax(x, 0, 1.0, log));
      check("mx." + name +
                " %a0 {axis = -2 : i64, temperature = 2.5 : f64} : " + T(x),
            {x}, ref::softmax(x, 1, 2.5, log));
    }
  // Large logits stay finite: the maximum is subtracted first.
  Tensor big{{1, 3}, {1000, 1001, 1002}, DType::Float32};
  check("mx.softmax %a0 : " + T(big), {big}, ref::softmax(big, 1, 1.0, false));
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

TEST(OpReference, Reshape) {
  // MXNet's documented examples of the special codes.
  const std::tuple<Shape, std::string, Shape> cases[] = {
      {{2, 3, 4}, "shape = array<i64: 4, 0, 2>", {4, 3, 2}},
      {{2, 3, 4}, "shape = array<i64: 2, 0, 0>", {2, 3, 4}},
      {{2, 3, 4}, "shape = array<i64: 6, 1, -1>", {6, 1, 4}},
      {{2, 3, 4}, "shape = array<i64: 3, -1, 8>", {3, 1, 8}},
      {{2, 3, 4}, "shape = array<i64: -1>", {24}},
      {{2, 3, 4}, "shape = array<i64: -2>", {2, 3, 4}},
      {{2, 3, 4}, "shape = array<i64: 2, -2>", {2, 3, 4}},
      {{2, 3, 4}, "shape = array<i64: -2, 1, 1>", {2, 3, 4, 1, 1}},
      {{2, 3, 4}, "shape = array<i64: -3, 4>", {6, 4}},
      {{2, 3, 4, 5}, "shape = array<i64: -3, -3>", {6, 20}},
      {{2, 3, 4}, "shape = array<i64: 0, -3>", {2, 12}},
      {{2, 3, 4}, "shape = array<i64: -3, -2>", {6, 4}},
      {{2, 3, 4}, "shape = array<i64: -4, 1, 2, -2>", {1, 2, 3, 4}},
      {{2, 3, 4}, "shape = array<i64: 2, -4, -1, 3, -2>", {2, 1, 3, 4}},
      {{10, 5, 4}, "shape = array<i64: -1, 0>", {40, 5}},
      {{10, 5, 4}, "shape = array<i64: -1, 0>, reverse = true", {50, 4}},
  };
  for (const auto &[in, attrs, out] : cases) {
    Tensor x = ref::iota(in, DType::Float32);
    Tensor e = ref::reshape(x, out);
    check(attrOp("reshape", attrs, {x}, e), {x}, e);
  }
}

TEST(OpReference, TransposeBroadcastExpand) {
  for (DType d : kAll) {
    Tensor x = ref::random({2, 3, 4}, d, -5, 5, 29);
    Tensor rev = ref::reverseAxes(x);
    check(attrOp("transpose", "", {x}, rev), {x}, rev);
    Tensor p = ref::transpose(x, {1, 0, 2});
    check(attrOp("transpose", "axes = array<i64: 1, 0, 2>", {x}, p), {x}, p);
    Tensor q = ref::transpose(x, {2, 0, 1});
    check(attrOp("transpose", "axes = array<i64: -1, 0, 1>", {x}, q), {x}, q);

    Tensor y = ref::random({3, 1, 4}, d, -5, 5, 31);
    Tensor b = ref::broadcastTo(y, {3, 5, 4});
    check(attrOp("broadcast_to", "shape = array<i64: 0, 5, 4>", {y}, b), {y},
          b);

    Tensor e0 = ref::reshape(x, {1, 2, 3, 4});
    check(attrOp("expand_dims", "axis = 0 : i64", {x}, e0), {x}, e0);
    Tensor e3 = ref::reshape(x, {2, 3, 4, 1});
    check(attrOp("expand_dims", "axis = -1 : i64", {x}, e3), {x}, e3);
  }
}

TEST(OpReference, Slice) {
  Tensor x = ref::iota({5, 4, 3}, DType::Float32);
  struct Case {
    std::string attrs;
    std::vector<int64_t> starts, steps;
    Shape sizes;
  };
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const Case cases[] = {
      {"begin = array<i64: 1>, end = array<i64: 3>",
       {1, 0, 0},
       {1, 1, 1},
       {2, 4, 3}},
      {"begin = array<i64: 0, 1>, end = array<i64: 5, 4>, step = array<i64: 2, "
       "2>",
       {0, 1, 0},
       {2, 2, 1},
       {3, 2, 3}},
      {"begin = array<i64: -2, -3>, end = array<i64: 100, -1>",
       {3, 1, 0},
       {1, 1, 1},
       {2, 2, 3}},
      // Negative steps walk backwards; INT64_MIN/MAX stand for MXNet's None.
      {"begin = array<i64: " + std::to_string(kMax) + ">, end = array<i64: " +
           std::to_string(kMin) + ">, step = array<i64: -1>",
       {4, 0, 0},
       {-1, 1, 1},
       {5, 4, 3}},
      {"begin = array<i64: 4, 3, 2>, end = array<i64: 0, 0, 0>, step = "
       "array<i64: -2, -1, -2>",
       {4, 3, 2},
       {-2, -1, -2},
       {2, 3, 1}},
  };
  for (const Case &c : cases) {
    Tensor e = ref::strided(x, c.starts, c.steps, c.sizes);
    check(attrOp("slice", c.attrs, {x}, e), {x}, e);
  }
}

TEST(OpReference, SliceAssign) {
  struct Case {
    std::string attrs;
    std::vector<int64_t> starts, steps;
    Shape valueShape;
  };
  const int64_t kMin = std::numeric_limits<int64_t>::min();
  const int64_t kMax = std::numeric_limits<int64_t>::max();
  const Case cases[] = {
      {"begin = array<i64: 1>, end = array<i64: 3>",
       {1, 0, 0},
       {1, 1, 1},
       {2, 4, 3}},
      {"begin = array<i64: 0, 1>, end = array<i64: 5, 4>, step = array<i64: 2, "
       "2>",
       {0, 1, 0},
       {2, 2, 1},
       {3, 2, 3}},
      {"begin = array<i64: -2, -3>, end = array<i64: 100, -1>",
       {3, 1, 0},
       {1, 1, 1},
       {2, 2, 3}},
      // Negative steps write backwards; INT64_MIN/MAX stand for None.
      {"begin = array<i64: " + std::to_string(kMax) + ">, end = array<i64: " +
           std::to_string(kMin) + ">, step = array<i64: -1>",
       {4, 0, 0},
       {-1, 1, 1},
       {5, 4, 3}},
      {"begin = array<i64: 4, 3, 2>, end = array<i64: 0, 0, 0>, step = "
       "array<i64: -2, -1, -2>",
       {4, 3, 2},
       {-2, -1, -2},
       {2, 3, 1}},
      {"begin = array<i64: 4, 0>, end = array<i64: 0, 4>, step = array<i64: "
       "-3, 3>",
       {4, 0, 0},
       {-3, 3, 1},
       {2, 2, 3}},
  };
  for (DType d : kAll)
    for (const Case &c : cases) {
      Tensor base = ref::random({5, 4, 3}, d, -9, 9, 103);
      Tensor value = ref::random(c.valueShape, d, 10, 20, 107);
      Tensor e = ref::sliceAssign(base, value, c.starts, c.steps);
      check(attrOp("slice_assign", c.attrs, {base, value}, e), {base, value},
            e);
    }
}

TEST(OpReference, Concat) {
  for (DType d : kAll) {
    Tensor a = ref::random({2, 3, 4}, d, -5, 5, 37);
    Tensor b = ref::random({2, 1, 4}, d, -5, 5, 41);
    Tensor c = ref::random({2, 2, 4}, d, -5, 5, 43);
    Tensor e1 = ref::concat({a, b, c}, 1);
    check(attrOp("concat", "", {a, b, c}, e1), {a, b, c}, e1);
    Tensor e0 = ref::concat({a, a}, 0);
    check(attrOp("concat", "dim = 0 : i64", {a, a}, e0), {a, a}, e0);
    Tensor e2 = ref::concat({a, a}, 2);
    check(attrOp("concat", "dim = -1 : i64", {a, a}, e2), {a, a}, e2);
  }
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

TEST(OpReference, Dot) {
  for (DType d : kAll) {
    auto rnd = [&](Shape s, unsigned seed) {
      return ref::random(s, d, -3, 3, seed);
    };
    Tensor a = rnd({3, 4}, 1), b = rnd({4, 5}, 2);
    Tensor ab = ref::dot(a, b);
    check(binaryOp("dot", a, b, ab), {a, b}, ab);
    // transpose_a / transpose_b on matrices.
    Tensor at = rnd({4, 3}, 3), bt = rnd({5, 4}, 4);
    Tensor e1 = ref::dot(ref::reverseAxes(at), b);
    check(attrOp("dot", "transpose_a = true", {at, b}, e1), {at, b}, e1);
    Tensor e2 = ref::dot(a, ref::reverseAxes(bt));
    check(attrOp("dot", "transpose_b = true", {a, bt}, e2), {a, bt}, e2);
    Tensor e3 = ref::dot(ref::reverseAxes(at), ref::reverseAxes(bt));
    check(attrOp("dot", "transpose_a = true, transpose_b = true", {at, bt}, e3),
          {at, bt}, e3);
    // N-D: contract the last axis of lhs with the first of rhs.
    Tensor x = rnd({2, 3, 4}, 5), y = rnd({4, 2, 3}, 6);
    Tensor xy = ref::dot(x, y);
    check(binaryOp("dot", x, y, xy), {x, y}, xy);
    // MXNet: a transposed N-D lhs contracts its first axis, keeping the
    // others in order; a transposed rhs contracts its last.
    Tensor xt = rnd({4, 3, 2}, 7);
    Tensor e4 = ref::reshape(
        ref::dot(ref::reverseAxes(ref::reshape(xt, {4, 6})), b), {3, 2, 5});
    check(attrOp("dot", "transpose_a = true", {xt, b}, e4), {xt, b}, e4);
    Tensor yt = rnd({2, 3, 4}, 10);
    Tensor e5 = ref::reshape(
        ref::dot(a, ref::reverseAxes(ref::reshape(yt, {6, 4}))), {3, 2, 3});
    check(attrOp("dot", "transpose_b = true", {a, yt}, e5), {a, yt}, e5);
    // Vectors.
    Tensor u = rnd({4}, 8), v = rnd({4}, 9);
    Tensor uv = ref::dot(u, v);
    check(binaryOp("dot", u, v, uv), {u, v}, uv);
    Tensor av = ref::dot(a, v);
    check(binaryOp("dot", a, v, av), {a, v}, av);
  }
}

TEST(OpReference, BatchDot) {
  for (DType d : kAll)
    for (bool ta : {false, true})
      for (bool tb : {false, true}) {
        Shape sa = ta ? Shape{3, 4, 2} : Shape{3, 2, 4};
        Shape sb = tb ? Shape{3, 5, 4} : Shape{3, 4, 5};
        Tensor a = ref::random(sa, d, -3, 3, 47);
        Tensor b = ref::random(sb, d, -3, 3, 53);
        Tensor e = ref::batchDot(a, b, ta, tb);
        std::string attrs = std::string("transpose_a = ") +
                            (ta ? "true" : "false") +
                            ", transpose_b = " + (tb ? "true" : "false");
        check(attrOp("batch_dot", attrs, {a, b}, e), {a, b}, e);
      }
  Tensor a = ref::random({2, 3, 2, 4}, DType::Float32, -1, 1, 59);
  Tensor b = ref::random({2, 3, 4, 5}, DType::Float32, -1, 1, 61);
  Tensor e = ref::batchDot(a, b, false, false);
  check(attrOp("batch_dot", "", {a, b}, e), {a, b}, e);
}

TEST(OpReference, FullyConnected) {
  for (DType d : kAll) {
    Tensor x = ref::random({4, 2, 3}, d, -3, 3, 67);
    Tensor w = ref::random({5, 6}, d, -3, 3, 71);
    Tensor bias = ref::random({5}, d, -3, 3, 73);
    Tensor e = ref::fullyConnected(x, w, bias, true);
    check(attrOp("fully_connected", "num_hidden = 5 : i64", {x, w, bias}, e),
          {x, w, bias}, e);
    Tensor e2 = ref::fullyConnected(x, w, std::nullopt, true);
    check(attrOp("fully_connected", "num_hidden = 5 : i64", {x, w}, e2), {x, w},
          e2);
    Tensor w3 = ref::random({5, 3}, d, -3, 3, 79);
    Tensor e3 = ref::fullyConnected(x, w3, bias, false);
    check(attrOp("fully_connected", "num_hidden = 5 : i64, flatten = false",
                 {x, w3, bias}, e3),
          {x, w3, bias}, e3);
  }
}

//===----------------------------------------------------------------------===//
// Bad input
//===----------------------------------------------------------------------===//

TEST(OpReference, ShapeErrorsAreReportedNotCrashed) {
  Tensor a = ref::random({2, 3}, DType::Float32, -1, 1, 1);
  Tensor b = ref::random({4}, DType::Float32, -1, 1, 2);
  try {
    run(binaryOp("add", a, b, a), {a, b}, a.shape, a.dtype);
    FAIL() << "expected mxjit::Error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "operands could not be broadcast together with shapes (2,3) "
                  "and (4)"),
              std::string::npos)
        << e.what();
  }
}

} // namespace
