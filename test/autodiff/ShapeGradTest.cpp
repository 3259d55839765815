//===- ShapeGradTest.cpp - gradients of reductions and shape ops ----------===//
//
// Reductions (axis, keepdims, exclude), reshape, transpose, broadcast_to,
// expand_dims, slice, concat and cast. Each op's result is squared (or
// otherwise made nonlinear) so that the second order runs the VJP of the
// op's VJP on a non-zero cotangent.
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include <gtest/gtest.h>

using namespace mxjit::gradcheck;

namespace {

using D = Domain;

struct Variant {
  const char *attrs;
  const char *in, *out;
};

std::vector<GradCase> squaredCases(const char *op,
                                   const std::vector<Variant> &variants,
                                   Domain domain = D::uniform(-2, 2)) {
  std::vector<GradCase> cases;
  for (const Variant &v : variants)
    cases.emplace_back(std::string(op) + " {" + v.attrs + "} " +
                           tensorType(v.in) + " -> " + tensorType(v.out),
                       squaredUnaryFunc(op, v.attrs, v.in, v.out),
                       std::vector<Domain>{domain});
  return cases;
}

const std::vector<Variant> kReduceVariants = {
    {"", "2x3x4", "1"},
    {"keepdims = true", "2x3x4", "1x1x1"},
    {"axis = array<i64: 1>", "2x3x4", "2x4"},
    {"axis = array<i64: -1>", "2x3x4", "2x3"},
    {"axis = array<i64: 0, 2>, keepdims = true", "2x3x4", "1x3x1"},
    {"axis = array<i64: 1>, exclude = true", "2x3x4", "3"},
    {"axis = array<i64: -3, -1>, exclude = true, keepdims = true", "2x3x4",
     "2x1x4"},
    {"axis = array<i64: 0>", "5", "1"},
    {"", "", "1"},
    {"keepdims = true", "", ""},
};

TEST(AutodiffReduce, SumMean) {
  checkCases(squaredCases("sum", kReduceVariants));
  checkCases(squaredCases("mean", kReduceVariants));
}

TEST(AutodiffReduce, MaxMin) {
  // Continuous random values: no ties within any reduced group.
  checkCases(squaredCases("max", kReduceVariants));
  checkCases(squaredCases("min", kReduceVariants));
}

TEST(AutodiffShape, Reshape) {
  checkCases(squaredCases(
      "reshape", {{"shape = array<i64: 6, 4>", "2x3x4", "6x4"},
                  {"shape = array<i64: 0, -1>", "2x3x4", "2x12"},
                  {"shape = array<i64: -4, 1, 2, -2>", "2x3x4", "1x2x3x4"},
                  {"shape = array<i64: -3, -2>", "2x3x4", "6x4"},
                  {"reverse = true, shape = array<i64: -1, 0>", "2x3x4", "6x4"},
                  {"shape = array<i64>", "1", ""}}));
}

TEST(AutodiffShape, Transpose) {
  // (1, 2, 0) is not its own inverse: a VJP that applies the forward
  // permutation instead of the inverse one gets the wrong shape or values.
  checkCases(squaredCases(
      "transpose", {{"", "2x3x4", "4x3x2"},
                    {"axes = array<i64: 1, 2, 0>", "2x3x4", "3x4x2"},
                    {"axes = array<i64: -1, 0, 1>", "2x3x4", "4x2x3"},
                    {"axes = array<i64: 0, 2, 1, 3>", "2x3x2x2", "2x2x3x2"},
                    {"", "3x5", "5x3"}}));
  // Weighted so that an identity-shaped mistake cannot pass.
  checkCases({GradCase("transpose {1,2,0} * w", R"mlir(
func.func @f(%x: tensor<2x3x4xf64>, %w: tensor<3x4x2xf64>) -> tensor<3x4x2xf64> {
  %0 = mx.transpose %x {axes = array<i64: 1, 2, 0>} : (tensor<2x3x4xf64>) -> tensor<3x4x2xf64>
  %1 = mx.multiply %0, %w : (tensor<3x4x2xf64>, tensor<3x4x2xf64>) -> tensor<3x4x2xf64>
  %2 = mx.sin %1 : tensor<3x4x2xf64>
  return %2 : tensor<3x4x2xf64>
}
)mlir")});
}

TEST(AutodiffShape, BroadcastToExpandDims) {
  checkCases(squaredCases("broadcast_to",
                          {{"shape = array<i64: 4, 3>", "1x3", "4x3"},
                           {"shape = array<i64: 4, 0>", "1x3", "4x3"},
                           {"shape = array<i64: 0, 5, 6>", "2x1x1", "2x5x6"},
                           {"shape = array<i64: 3, 2, 4>", "1x2x1", "3x2x4"},
                           {"shape = array<i64: 2, 3>", "2x3", "2x3"}}));
  checkCases(squaredCases("expand_dims", {{"axis = 0 : i64", "2x3", "1x2x3"},
                                          {"axis = 1 : i64", "2x3", "2x1x3"},
                                          {"axis = -1 : i64", "2x3", "2x3x1"},
                                          {"axis = 0 : i64", "", "1"}}));
}

TEST(AutodiffShape, Slice) {
  checkCases(squaredCases(
      "slice",
      {{"begin = array<i64: 1>, end = array<i64: 4>", "5x6", "3x6"},
       {"begin = array<i64: 0, 1>, end = array<i64: 5, 6>, step = "
        "array<i64: 2, 2>",
        "5x6", "3x3"},
       {"begin = array<i64: -3>, end = array<i64: -1>", "5x6", "2x6"},
       // Negative steps: reversed, and every other row from the end.
       {"begin = array<i64: 4>, end = array<i64: -9223372036854775808>, "
        "step = array<i64: -1>",
        "5x6", "5x6"},
       {"begin = array<i64: -1>, end = array<i64: -6>, step = array<i64: -2>",
        "5x6", "3x6"},
       {"begin = array<i64: -9223372036854775808, 5>, end = array<i64: "
        "9223372036854775807, 0>, step = array<i64: 2, -2>",
        "5x6", "3x3"},
       {"begin = array<i64: 0, 1>, end = array<i64: 2, 3>", "2x4x3",
        "2x2x3"}}));
}

TEST(AutodiffShape, SliceAssign) {
  struct Variant {
    const char *attrs, *base, *value;
  };
  const Variant variants[] = {
      {"begin = array<i64: 1>, end = array<i64: 3>", "5x4", "2x4"},
      {"begin = array<i64: 4>, end = array<i64: -9223372036854775808>, "
       "step = array<i64: -2>",
       "5x4", "3x4"},
      {"begin = array<i64: 0, 3>, end = array<i64: 2, 0>, step = array<i64: "
       "1, -1>",
       "5x4", "2x3"},
      {"begin = array<i64: -2, 0>, end = array<i64: 9223372036854775807, 4>, "
       "step = array<i64: 1, 2>",
       "3x4x2", "2x2x2"}};
  std::vector<GradCase> cases;
  for (const Variant &v : variants) {
    std::string b = tensorType(v.base), x = tensorType(v.value);
    // Both operands go through a nonlinearity before and after, so each
    // gradient depends on the other operand's values only through the
    // assignment's routing.
    cases.emplace_back(
        std::string("slice_assign {") + v.attrs + "} " + b + " <- " + x,
        "func.func @f(%a: " + b + ", %v: " + x + ") -> " + b +
            " {\n  %0 = mx.slice_assign %a, %v {" + v.attrs + "} : (" + b +
            ", " + x + ") -> " + b + "\n  %1 = mx.square %0 : " + b +
            "\n  %2 = mx.multiply %1, %a : (" + b + ", " + b + ") -> " + b +
            "\n  return %2 : " + b + "\n}\n");
  }
  checkCases(cases);
}

TEST(AutodiffShape, Concat) {
  checkCases({
      GradCase("concat of 3 along dim 1", R"mlir(
func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x1xf64>, %c: tensor<2x2xf64>) -> tensor<2x6xf64> {
  %0 = mx.concat %a, %b, %c {dim = 1 : i64} : (tensor<2x3xf64>, tensor<2x1xf64>, tensor<2x2xf64>) -> tensor<2x6xf64>
  %1 = mx.square %0 : tensor<2x6xf64>
  return %1 : tensor<2x6xf64>
}
)mlir"),
      GradCase("concat of 3 along dim 0", R"mlir(
func.func @f(%a: tensor<1x3xf64>, %b: tensor<2x3xf64>, %c: tensor<3x3xf64>) -> tensor<6x3xf64> {
  %0 = mx.concat %a, %b, %c {dim = 0 : i64} : (tensor<1x3xf64>, tensor<2x3xf64>, tensor<3x3xf64>) -> tensor<6x3xf64>
  %1 = mx.square %0 : tensor<6x3xf64>
  return %1 : tensor<6x3xf64>
}
)mlir"),
      GradCase("concat of 3 along the default dim, 3-D", R"mlir(
func.func @f(%a: tensor<2x1x2xf64>, %b: tensor<2x2x2xf64>, %c: tensor<2x3x2xf64>) -> tensor<2x6x2xf64> {
  %0 = mx.concat %a, %b, %c : (tensor<2x1x2xf64>, tensor<2x2x2xf64>, tensor<2x3x2xf64>) -> tensor<2x6x2xf64>
  %1 = mx.square %0 : tensor<2x6x2xf64>
  return %1 : tensor<2x6x2xf64>
}
)mlir"),
      // The same value twice: both cotangent slices add up.
      GradCase("concat of x, y, x along dim -1", R"mlir(
func.func @f(%x: tensor<2x2xf64>, %y: tensor<2x1xf64>) -> tensor<2x5xf64> {
  %0 = mx.concat %x, %y, %x {dim = -1 : i64} : (tensor<2x2xf64>, tensor<2x1xf64>, tensor<2x2xf64>) -> tensor<2x5xf64>
  %1 = mx.sin %0 : tensor<2x5xf64>
  return %1 : tensor<2x5xf64>
}
)mlir"),
  });
}

TEST(AutodiffShape, Cast) {
  // f64 -> f32 -> f64: the f32 stretch rounds to 2^-24 relative, so the
  // finite differences take a larger step and a looser tolerance.
  checkCases({GradCase("cast f64 -> f32 -> f64", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = mx.cast %x : tensor<2x3xf64> -> tensor<2x3xf32>
  %1 = mx.sin %0 : tensor<2x3xf32>
  %2 = mx.cast %1 : tensor<2x3xf32> -> tensor<2x3xf64>
  %3 = mx.multiply %2, %x : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  return %3 : tensor<2x3xf64>
}
)mlir",
                       {D::uniform(-2, 2)})
                  .withTolerance(1e-3, 1e-4, 1e-4)});
  // Through an integer type the gradient is zero: d/dx [trunc(x) * x] is
  // trunc(x). The lattice keeps x 0.05 away from integers.
  checkCases({GradCase("cast f64 -> i64 -> f64", R"mlir(
func.func @f(%x: tensor<2x4xf64>) -> tensor<2x4xf64> {
  %0 = mx.cast %x : tensor<2x4xf64> -> tensor<2x4xi64>
  %1 = mx.cast %0 : tensor<2x4xi64> -> tensor<2x4xf64>
  %2 = mx.multiply %1, %x : (tensor<2x4xf64>, tensor<2x4xf64>) -> tensor<2x4xf64>
  return %2 : tensor<2x4xf64>
}
)mlir",
                       {D::lattice(-2.45, 2.45, 0.1)})});
  // f64 -> f64 is the identity.
  checkCases({GradCase("cast f64 -> f64", R"mlir(
func.func @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  %0 = mx.cast %x : tensor<3xf64> -> tensor<3xf64>
  %1 = mx.square %0 : tensor<3xf64>
  return %1 : tensor<3xf64>
}
)mlir")});
}

} // namespace
