//===- ConvPoolGradTest.cpp - gradients of convolution and pooling --------===//
//
// Finite-difference checks of convolution (1-D/2-D/3-D, stride, pad,
// dilate, groups, depthwise, bias) and pooling (max on a lattice so that no
// window ties, avg with and without count_include_pad, sum, global, the
// "full" convention). The backward ops are differentiated as functions of
// their own operands too, so the VJPs that second-order gradients use are
// checked in every argument.
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include <gtest/gtest.h>

using namespace mxjit::gradcheck;

namespace {

using D = Domain;

/// @f(%a0: types[0], ...) -> result { mx.<op> %a0, ... {attrs} }.
GradCase opCase(const std::string &op, const std::string &attrs,
                const std::vector<std::string> &shapes,
                const std::string &result, std::vector<Domain> domains = {}) {
  std::string args, operands, types, r = tensorType(result);
  for (size_t i = 0; i < shapes.size(); ++i) {
    std::string t = tensorType(shapes[i]);
    args += (i ? ", %a" : "%a") + std::to_string(i) + ": " + t;
    operands += (i ? ", %a" : "%a") + std::to_string(i);
    types += (i ? ", " : "") + t;
  }
  std::string text = "func.func @f(" + args + ") -> " + r + " {\n  %0 = mx." +
                     op + " " + operands + " {" + attrs + "} : (" + types +
                     ") -> " + r + "\n  return %0 : " + r + "\n}\n";
  return GradCase(op + " {" + attrs + "} " + shapes[0], text,
                  std::move(domains));
}

struct Conv {
  const char *attrs;
  const char *data, *weight, *bias, *out;
};

const Conv kConvs[] = {
    {"kernel = array<i64: 3>, num_filter = 2 : i64", "2x3x7", "2x3x3", "2",
     "2x2x5"},
    {"kernel = array<i64: 3>, stride = array<i64: 2>, dilate = array<i64: 2>, "
     "pad = array<i64: 2>, num_filter = 2 : i64",
     "1x2x8", "2x2x3", "", "1x2x4"},
    {"kernel = array<i64: 2>, stride = array<i64: 3>, pad = array<i64: 1>, "
     "num_filter = 4 : i64, num_group = 2 : i64",
     "1x4x8", "4x2x2", "4", "1x4x3"},
    {"kernel = array<i64: 3, 2>, num_filter = 2 : i64", "1x2x4x4", "2x2x3x2",
     "2", "1x2x2x3"},
    {"kernel = array<i64: 3, 3>, stride = array<i64: 2, 1>, dilate = "
     "array<i64: 1, 2>, pad = array<i64: 1, 2>, num_filter = 3 : i64",
     "1x2x5x4", "3x2x3x3", "3", "1x3x3x4"},
    {"kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, num_filter = 4 : "
     "i64, num_group = 2 : i64",
     "2x4x5x4", "4x2x2x2", "", "2x4x2x2"},
    // Depthwise.
    {"kernel = array<i64: 3, 3>, pad = array<i64: 1, 1>, num_filter = 3 : "
     "i64, num_group = 3 : i64",
     "1x3x4x4", "3x1x3x3", "3", "1x3x4x4"},
    {"kernel = array<i64: 2, 2, 2>, stride = array<i64: 1, 2, 1>, pad = "
     "array<i64: 0, 1, 0>, num_filter = 2 : i64",
     "1x2x3x3x3", "2x2x2x2x2", "2", "1x2x2x2x2"},
    // Groups without a named linalg op (3-D), and 1-D depthwise with a
    // stride larger than the kernel.
    {"kernel = array<i64: 2, 1, 2>, dilate = array<i64: 1, 1, 2>, num_filter "
     "= 4 : i64, num_group = 2 : i64",
     "1x4x3x2x4", "4x2x2x1x2", "4", "1x4x2x2x2"},
    {"kernel = array<i64: 2>, stride = array<i64: 3>, pad = array<i64: 1>, "
     "num_filter = 3 : i64, num_group = 3 : i64",
     "2x3x7", "3x1x2", "3", "2x3x3"},
};

TEST(AutodiffConvPool, Convolution) {
  std::vector<GradCase> cases;
  for (const Conv &c : kConvs) {
    std::vector<std::string> shapes = {c.data, c.weight};
    if (*c.bias)
      shapes.push_back(c.bias);
    cases.push_back(opCase("convolution", c.attrs, shapes, c.out));
  }
  // Nonlinear in the output, so the second order sees every cross term.
  cases.push_back(GradCase("tanh(convolution)", R"mlir(
func.func @f(%x: tensor<1x2x5x4xf64>, %w: tensor<2x1x2x2xf64>, %b: tensor<2xf64>) -> tensor<1x2x3x2xf64> {
  %0 = mx.convolution %x, %w, %b {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pad = array<i64: 1, 0>, num_filter = 2 : i64, num_group = 2 : i64} : (tensor<1x2x5x4xf64>, tensor<2x1x2x2xf64>, tensor<2xf64>) -> tensor<1x2x3x2xf64>
  %1 = mx.tanh %0 : tensor<1x2x3x2xf64>
  return %1 : tensor<1x2x3x2xf64>
}
)mlir"));
  checkCases(cases);
}

TEST(AutodiffConvPool, ConvolutionBackwardOps) {
  // As functions of (grad, weight) and (grad, data): both bilinear.
  std::vector<GradCase> cases;
  for (const Conv &c : kConvs) {
    std::string shape = c.data;
    std::string dims = "array<i64: " + shape + ">";
    for (char &ch : dims)
      if (ch == 'x')
        ch = ',';
    cases.push_back(opCase("convolution_backward_data",
                           std::string(c.attrs) + ", data_shape = " + dims,
                           {c.out, c.weight}, c.data));
    cases.push_back(opCase("convolution_backward_weight", c.attrs,
                           {c.out, c.data}, c.weight));
  }
  checkCases(cases);
}

struct Pool {
  const char *attrs;
  const char *data, *out;
};

const Pool kPools[] = {
    {"kernel = array<i64: 3>, stride = array<i64: 2>", "2x2x7", "2x2x3"},
    {"kernel = array<i64: 2>, pad = array<i64: 1>", "1x2x5", "1x2x6"},
    {"kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>", "1x2x4x5",
     "1x2x2x2"},
    // Windows that tile the input exactly: max pooling's gradient takes
    // mx-to-linalg's no-gather path.
    {"kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>", "2x2x4x6",
     "2x2x2x3"},
    {"kernel = array<i64: 3>, stride = array<i64: 3>", "1x2x6", "1x2x2"},
    {"kernel = array<i64: 3, 2>, stride = array<i64: 2, 1>, pad = array<i64: "
     "1, 1>",
     "1x2x5x4", "1x2x3x5"},
    {"kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: "
     "1, 0>, pooling_convention = \"full\"",
     "1x2x6x6", "1x2x4x3"},
    {"global_pool = true", "2x3x3x4", "2x3x1x1"},
    {"global_pool = true", "2x2x5", "2x2x1"},
    {"kernel = array<i64: 2, 2, 2>, stride = array<i64: 2, 1, 2>, "
     "pooling_convention = \"full\"",
     "1x1x3x3x3", "1x1x2x2x2"},
};

TEST(AutodiffConvPool, Pooling) {
  std::vector<GradCase> cases;
  for (const Pool &p : kPools) {
    std::string a = p.attrs;
    // Uniform draws: distinct almost surely and far apart compared with the
    // finite-difference step, so no window ties (a lattice would repeat
    // values).
    cases.push_back(opCase("pooling", a + ", pool_type = \"max\"", {p.data},
                           p.out, {D::uniform(-2, 2)}));
    cases.push_back(
        opCase("pooling", a + ", pool_type = \"avg\"", {p.data}, p.out));
    cases.push_back(opCase("pooling",
                           a + ", pool_type = \"avg\", count_include_pad = "
                               "false",
                           {p.data}, p.out));
    cases.push_back(
        opCase("pooling", a + ", pool_type = \"sum\"", {p.data}, p.out));
  }
  // Max pooling feeding a nonlinearity: the gradient of the gradient
  // routes through pooling_max_gather.
  cases.push_back(GradCase("square(max pooling)", R"mlir(
func.func @f(%x: tensor<1x2x5x5xf64>) -> tensor<1x2x2x2xf64> {
  %0 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<1x2x5x5xf64>) -> tensor<1x2x2x2xf64>
  %1 = mx.square %0 : tensor<1x2x2x2xf64>
  return %1 : tensor<1x2x2x2xf64>
}
)mlir",
                           {D::uniform(-2, 2)}));
  checkCases(cases);
}

TEST(AutodiffConvPool, PoolingBackwardOps) {
  std::vector<GradCase> cases;
  for (const Pool &p : kPools) {
    std::string a = p.attrs;
    for (const char *type : {"max", "avg", "sum"})
      cases.push_back(opCase(
          "pooling_backward", a + ", pool_type = \"" + type + "\"",
          {p.out, p.data}, p.data, {D::uniform(-1, 1), D::uniform(-2, 2)}));
    cases.push_back(opCase("pooling_max_gather", a, {p.data, p.data}, p.out,
                           {D::uniform(-2, 2)}));
  }
  checkCases(cases);
}

} // namespace
