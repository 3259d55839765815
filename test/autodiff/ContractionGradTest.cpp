//===- ContractionGradTest.cpp - gradients of dot, FC and softmax ---------===//
//
// dot (transposes, 1-D and N-D operands), batch_dot, fully_connected (bias,
// flatten) and softmax / log_softmax (axis, temperature). The contractions
// are bilinear, so their second order checks the cross terms.
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include <gtest/gtest.h>

using namespace mxjit::gradcheck;

namespace {

using D = Domain;

struct Contraction {
  const char *attrs;
  const char *lhs, *rhs, *out;
};

std::vector<GradCase> contractionCases(const char *op,
                                       const std::vector<Contraction> &cs) {
  std::vector<GradCase> cases;
  for (const Contraction &c : cs) {
    std::string a = tensorType(c.lhs), b = tensorType(c.rhs),
                r = tensorType(c.out);
    std::string attrs = *c.attrs ? std::string("{") + c.attrs + "} " : "";
    cases.emplace_back(std::string(op) + " " + attrs + a + ", " + b,
                       "func.func @f(%a: " + a + ", %b: " + b + ") -> " + r +
                           " {\n  %0 = mx." + op + " %a, %b " + attrs + ": (" +
                           a + ", " + b + ") -> " + r + "\n  return %0 : " + r +
                           "\n}\n");
  }
  return cases;
}

TEST(AutodiffContraction, Dot) {
  checkCases(contractionCases(
      "dot", {{"", "2x3", "3x4", "2x4"},
              {"transpose_a = true", "3x2", "3x4", "2x4"},
              {"transpose_b = true", "2x3", "4x3", "2x4"},
              {"transpose_a = true, transpose_b = true", "3x2", "4x3", "2x4"},
              {"", "3", "3", "1"},
              {"", "3", "3x4", "4"},
              {"", "2x3", "3", "2"},
              {"", "2x3x4", "4x5", "2x3x5"},
              {"", "2x3", "3x2x2", "2x2x2"},
              {"", "2x3x4", "4x2x3", "2x3x2x3"},
              {"transpose_a = true", "3x2x4", "3x5", "2x4x5"},
              {"transpose_b = true", "2x3", "4x5x3", "2x4x5"}}));
  // One value on both sides: x x^T.
  checkCases({GradCase("dot(x, x^T)", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> tensor<2x2xf64> {
  %0 = mx.dot %x, %x {transpose_b = true} : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x2xf64>
  return %0 : tensor<2x2xf64>
}
)mlir")});
}

TEST(AutodiffContraction, BatchDot) {
  checkCases(contractionCases(
      "batch_dot",
      {{"", "2x3x4", "2x4x5", "2x3x5"},
       {"transpose_a = true", "2x4x3", "2x4x5", "2x3x5"},
       {"transpose_b = true", "2x3x4", "2x5x4", "2x3x5"},
       {"transpose_a = true, transpose_b = true", "2x4x3", "2x5x4", "2x3x5"},
       {"", "2x2x3x4", "2x2x4x2", "2x2x3x2"}}));
}

TEST(AutodiffContraction, FullyConnected) {
  checkCases({
      GradCase("fully_connected with bias, flatten", R"mlir(
func.func @f(%x: tensor<2x3x4xf64>, %w: tensor<5x12xf64>, %b: tensor<5xf64>) -> tensor<2x5xf64> {
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 5 : i64} : (tensor<2x3x4xf64>, tensor<5x12xf64>, tensor<5xf64>) -> tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}
)mlir"),
      GradCase("fully_connected without bias", R"mlir(
func.func @f(%x: tensor<2x6xf64>, %w: tensor<3x6xf64>) -> tensor<2x3xf64> {
  %0 = mx.fully_connected %x, %w {num_hidden = 3 : i64} : (tensor<2x6xf64>, tensor<3x6xf64>) -> tensor<2x3xf64>
  return %0 : tensor<2x3xf64>
}
)mlir"),
      GradCase("fully_connected with bias, flatten = false", R"mlir(
func.func @f(%x: tensor<2x3x4xf64>, %w: tensor<5x4xf64>, %b: tensor<5xf64>) -> tensor<2x3x5xf64> {
  %0 = mx.fully_connected %x, %w, %b {flatten = false, num_hidden = 5 : i64} : (tensor<2x3x4xf64>, tensor<5x4xf64>, tensor<5xf64>) -> tensor<2x3x5xf64>
  return %0 : tensor<2x3x5xf64>
}
)mlir"),
      GradCase("fully_connected 1-D data, flatten = false", R"mlir(
func.func @f(%x: tensor<4xf64>, %w: tensor<5x4xf64>) -> tensor<5xf64> {
  %0 = mx.fully_connected %x, %w {flatten = false, num_hidden = 5 : i64} : (tensor<4xf64>, tensor<5x4xf64>) -> tensor<5xf64>
  return %0 : tensor<5xf64>
}
)mlir"),
      // Nonlinear in the bias too, so its second order is not zero.
      GradCase("tanh(fully_connected) with bias", R"mlir(
func.func @f(%x: tensor<3x4xf64>, %w: tensor<2x4xf64>, %b: tensor<2xf64>) -> tensor<3x2xf64> {
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 2 : i64} : (tensor<3x4xf64>, tensor<2x4xf64>, tensor<2xf64>) -> tensor<3x2xf64>
  %1 = mx.tanh %0 : tensor<3x2xf64>
  return %1 : tensor<3x2xf64>
}
)mlir"),
  });
}

TEST(AutodiffSoftmax, SoftmaxLogSoftmax) {
  std::vector<GradCase> cases;
  const Contraction variants[] = {
      {"", "2x4", nullptr, nullptr},
      {"axis = 0 : i64", "3x4", nullptr, nullptr},
      {"temperature = 5.000000e-01 : f64", "2x4", nullptr, nullptr},
      {"axis = 1 : i64, temperature = 2.000000e+00 : f64", "2x3x4", nullptr,
       nullptr},
      {"axis = -2 : i64", "2x3x2", nullptr, nullptr},
      {"", "5", nullptr, nullptr}};
  for (const char *op : {"softmax", "log_softmax"})
    for (const Contraction &v : variants) {
      std::string t = tensorType(v.lhs);
      std::string attrs = *v.attrs ? std::string("{") + v.attrs + "} " : "";
      cases.emplace_back(std::string(op) + " " + attrs + t,
                         "func.func @f(%x: " + t + ") -> " + t +
                             " {\n  %0 = mx." + op + " %x " + attrs + ": " + t +
                             "\n  return %0 : " + t + "\n}\n",
                         std::vector<Domain>{D::uniform(-2, 2)});
    }
  checkCases(cases);
}

} // namespace
