//===- ElementwiseGradTest.cpp - gradients of elementwise mx ops ----------===//
//
// Unary, broadcasting binary, comparison and tensor-scalar ops against
// finite differences: unary ops to third order, the others to second.
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include <gtest/gtest.h>

using namespace mxjit::gradcheck;

namespace {

using D = Domain;

// Every unary op is checked to third order (MXNet's test_higher_order_grad
// covers these ops to second and some to third order).
struct UnarySpec {
  const char *op;
  Domain domain;
  int order = 3;
};

std::vector<GradCase> unaryCases(const std::vector<UnarySpec> &specs,
                                 const std::string &shape) {
  std::vector<GradCase> cases;
  for (const UnarySpec &s : specs)
    cases.emplace_back(std::string(s.op) + " " + tensorType(shape),
                       unaryFunc(s.op, shape), std::vector<Domain>{s.domain},
                       s.order);
  return cases;
}

// The ops of the first dialect version.
TEST(AutodiffUnary, BaseOps) {
  checkCases(unaryCases({{"negative", D::uniform(-2, 2)},
                         {"abs", D::awayFromZero(0.1, 2)},
                         {"square", D::uniform(-2, 2)},
                         {"relu", D::awayFromZero(0.1, 2)},
                         {"exp", D::uniform(-2, 2), 3},
                         {"log", D::uniform(0.3, 3), 3},
                         {"sqrt", D::uniform(0.3, 3)},
                         {"sigmoid", D::uniform(-3, 3), 3},
                         {"tanh", D::uniform(-2, 2), 3},
                         {"sin", D::uniform(-3, 3), 3},
                         {"cos", D::uniform(-3, 3)}},
                        "2x3"));
}

// Rank 0 and rank 3 go through the same VJPs.
TEST(AutodiffUnary, OtherRanks) {
  checkCases(unaryCases(
      {{"exp", D::uniform(-1, 1)}, {"sigmoid", D::uniform(-2, 2)}}, ""));
  checkCases(unaryCases(
      {{"tanh", D::uniform(-2, 2)}, {"relu", D::awayFromZero(0.1, 1)}},
      "2x3x2"));
}

// The ops added with the autodiff work.
TEST(AutodiffUnary, MathOps) {
  checkCases(unaryCases({{"tan", D::uniform(-1.2, 1.2)},
                         {"log2", D::uniform(0.3, 3)},
                         {"log10", D::uniform(0.3, 3)},
                         {"log1p", D::uniform(-0.5, 2)},
                         {"expm1", D::uniform(-2, 2)},
                         {"reciprocal", D::awayFromZero(0.3, 2)},
                         {"rsqrt", D::uniform(0.3, 3)},
                         {"cbrt", D::awayFromZero(0.2, 2)},
                         {"rcbrt", D::awayFromZero(0.2, 2)},
                         {"sinh", D::uniform(-2, 2)},
                         {"cosh", D::uniform(-2, 2)},
                         {"arcsin", D::uniform(-0.9, 0.9)},
                         {"arccos", D::uniform(-0.9, 0.9)},
                         {"arctan", D::uniform(-3, 3)},
                         {"arcsinh", D::uniform(-3, 3)},
                         {"arccosh", D::uniform(1.2, 3)},
                         {"arctanh", D::uniform(-0.9, 0.9)},
                         {"erf", D::uniform(-2, 2)},
                         {"softsign", D::awayFromZero(0.1, 3)},
                         {"softrelu", D::uniform(-3, 3)},
                         {"radians", D::uniform(-3, 3)},
                         {"degrees", D::uniform(-3, 3)}},
                        "2x3"));
}

// Ops whose gradient is zero wherever it exists.
TEST(AutodiffUnary, ZeroGradientOps) {
  checkCases(unaryCases(
      {{"sign", D::awayFromZero(0.1, 2)}, {"stop_gradient", D::uniform(-2, 2)}},
      "2x3"));
  // stop_gradient inside a graph blocks one path only:
  // d/dx [x * stop_gradient(x)] = stop_gradient(x).
  checkCases({GradCase("x * stop_gradient(x)", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = mx.stop_gradient %x : tensor<2x3xf64>
  %1 = mx.multiply %x, %0 : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  %2 = mx.sin %1 : tensor<2x3xf64>
  return %2 : tensor<2x3xf64>
}
)mlir"),
              // A stopped value that is also a result keeps its gradient
              // there: d/dx = w0 cos(x) + w1 sin(x).
              GradCase("stop_gradient of a result", R"mlir(
func.func @f(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %0 = mx.sin %x : tensor<4xf64>
  %1 = mx.stop_gradient %0 : tensor<4xf64>
  %2 = mx.multiply %1, %x : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  return %0, %2 : tensor<4xf64>, tensor<4xf64>
}
)mlir")});
}

TEST(AutodiffUnary, Clip) {
  // Lattice points stay 0.05 away from both bounds; squared so that the
  // second order sees a non-zero cotangent on the unclipped elements.
  checkCases({GradCase("clip [-0.5, 0.6]", R"mlir(
func.func @f(%x: tensor<3x4xf64>) -> tensor<3x4xf64> {
  %0 = mx.clip %x {a_min = -5.000000e-01 : f64, a_max = 6.000000e-01 : f64} : tensor<3x4xf64>
  %1 = mx.square %0 : tensor<3x4xf64>
  return %1 : tensor<3x4xf64>
}
)mlir",
                       {D::lattice(-0.95, 0.95, 0.1)}),
              GradCase("clip of sin", R"mlir(
func.func @f(%x: tensor<8xf64>) -> tensor<8xf64> {
  %0 = mx.sin %x : tensor<8xf64>
  %1 = mx.clip %0 {a_min = -2.000000e-01 : f64, a_max = 2.000000e+00 : f64} : tensor<8xf64>
  %2 = mx.multiply %1, %x : (tensor<8xf64>, tensor<8xf64>) -> tensor<8xf64>
  return %2 : tensor<8xf64>
}
)mlir",
                       // sin(x) = -0.2 at x = -0.2014; keep 0.04 away.
                       {D::lattice(-1.6014, 1.6, 0.08)})});
}

TEST(AutodiffUnary, ThirdOrderSpotChecks) {
  // Deeper than BaseOps: 3-D input, composed with a scale so the third
  // derivative is not the plain op's.
  checkCases({GradCase("exp(2x) third order", R"mlir(
func.func @f(%x: tensor<2x2xf64>) -> tensor<2x2xf64> {
  %0 = mx.multiply_scalar %x, 2.0 : tensor<2x2xf64>
  %1 = mx.exp %0 : tensor<2x2xf64>
  return %1 : tensor<2x2xf64>
}
)mlir",
                       {D::uniform(-1, 1)}, 3)});
}

struct BinarySpec {
  const char *op;
  Domain lhs, rhs;
};

std::vector<GradCase> binaryCases(const std::vector<BinarySpec> &specs) {
  // (lhs, rhs, result) shapes: equal, broadcasting on the right, on both sides,
  // on the left, and a rank-0 operand.
  const char *shapes[][3] = {{"2x3", "2x3", "2x3"},
                             {"2x3", "3", "2x3"},
                             {"4x1", "1x5", "4x5"},
                             {"3", "2x3", "2x3"},
                             {"", "2x3", "2x3"}};
  std::vector<GradCase> cases;
  for (const BinarySpec &s : specs)
    for (auto &sh : shapes)
      cases.emplace_back(std::string(s.op) + " (" + tensorType(sh[0]) + ", " +
                             tensorType(sh[1]) + ")",
                         binaryFunc(s.op, sh[0], sh[1], sh[2]),
                         std::vector<Domain>{s.lhs, s.rhs});
  return cases;
}

TEST(AutodiffBinary, Arithmetic) {
  checkCases(binaryCases({
      {"add", D::uniform(-2, 2), D::uniform(-2, 2)},
      {"subtract", D::uniform(-2, 2), D::uniform(-2, 2)},
      {"multiply", D::uniform(-2, 2), D::uniform(-2, 2)},
      {"divide", D::uniform(-2, 2), D::awayFromZero(0.5, 2)},
      {"power", D::uniform(0.5, 2), D::uniform(-2, 2)},
  }));
}

TEST(AutodiffBinary, MaximumMinimum) {
  // Two lattices 0.1 apart: the operands never tie.
  checkCases(binaryCases({
      {"maximum", D::lattice(-0.95, 0.95, 0.2), D::lattice(-0.85, 0.85, 0.2)},
      {"minimum", D::lattice(-0.95, 0.95, 0.2), D::lattice(-0.85, 0.85, 0.2)},
  }));
}

TEST(AutodiffBinary, ComparisonsHaveZeroGradient) {
  std::vector<GradCase> cases;
  for (const char *op : {"equal", "not_equal", "greater", "greater_equal",
                         "lesser", "lesser_equal"}) {
    cases.emplace_back(std::string(op) + " (2x3, 3)",
                       binaryFunc(op, "2x3", "3", "2x3"),
                       std::vector<Domain>{D::lattice(-0.95, 0.95, 0.2),
                                           D::lattice(-0.85, 0.85, 0.2)});
    // Used as a mask, the comparison passes the other factor's gradient on
    // and adds none of its own.
    cases.emplace_back(
        std::string(op) + " as a mask",
        R"mlir(
func.func @f(%a: tensor<2x3xf64>, %b: tensor<3xf64>) -> tensor<2x3xf64> {
  %0 = mx.)mlir" +
            std::string(op) +
            R"mlir( %a, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %1 = mx.square %a : tensor<2x3xf64>
  %2 = mx.multiply %0, %1 : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  %3 = mx.multiply %2, %b : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  return %3 : tensor<2x3xf64>
}
)mlir",
        std::vector<Domain>{D::lattice(-0.95, 0.95, 0.2),
                            D::lattice(-0.85, 0.85, 0.2)});
  }
  checkCases(cases);
}

struct ScalarSpec {
  const char *op;
  double scalar;
  Domain domain;
};

std::vector<GradCase> scalarCases(const std::vector<ScalarSpec> &specs) {
  std::vector<GradCase> cases;
  for (const ScalarSpec &s : specs)
    cases.emplace_back(std::string(s.op) + " " + std::to_string(s.scalar),
                       scalarFunc(s.op, "2x3", s.scalar),
                       std::vector<Domain>{s.domain});
  return cases;
}

TEST(AutodiffScalar, Arithmetic) {
  checkCases(scalarCases({
      {"add_scalar", 1.5, D::uniform(-2, 2)},
      {"subtract_scalar", 0.7, D::uniform(-2, 2)},
      {"rsubtract_scalar", 2.0, D::uniform(-2, 2)},
      {"multiply_scalar", -1.3, D::uniform(-2, 2)},
      {"divide_scalar", 0.4, D::uniform(-2, 2)},
      {"rdivide_scalar", 2.0, D::awayFromZero(0.4, 2)},
      {"power_scalar", 2.5, D::uniform(0.3, 2)},
      {"power_scalar", 3.0, D::uniform(-2, 2)},
      {"power_scalar", -1.5, D::uniform(0.3, 2)},
      {"rpower_scalar", 2.0, D::uniform(-2, 2)},
      {"rpower_scalar", 0.5, D::uniform(-2, 2)},
      // Lattices whose points stay 0.05 away from the scalar.
      {"maximum_scalar", 0.3, D::lattice(-0.95, 0.95, 0.1)},
      {"minimum_scalar", -0.2, D::lattice(-0.95, 0.95, 0.1)},
  }));
}

TEST(AutodiffScalar, ComparisonsHaveZeroGradient) {
  std::vector<ScalarSpec> specs;
  for (const char *op :
       {"equal_scalar", "not_equal_scalar", "greater_scalar",
        "greater_equal_scalar", "lesser_scalar", "lesser_equal_scalar"})
    specs.push_back({op, 0.3, D::lattice(-0.95, 0.95, 0.1)});
  checkCases(scalarCases(specs));
}

} // namespace
