//===- LayerGradTest.cpp - gradients of batch_norm, dropout, loss layers --===//
//
// batch_norm and dropout are ordinary differentiable functions: their VJPs
// are checked against finite differences (first and second order), the
// dropout mask being fixed by a constant seed. The loss layers are not: as in
// MXNet their gradient ignores the head gradient and is the gradient of the
// loss they stand for, so it is compared with MXNet's closed-form formulas
// (normalization modes, ignore_label, multi_output, preserve_shape, label
// smoothing, out_grad, probability labels, regression num_output); their
// gradients are then differenced themselves (the loss's Hessian).
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include "lowering/Autodiff.h"
#include "runtime/Context.h"

#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <random>
#include <tuple>

using namespace mxjit;
using namespace mxjit::gradcheck;

namespace {

using D = Domain;

//===----------------------------------------------------------------------===//
// batch_norm and dropout: finite differences
//===----------------------------------------------------------------------===//

/// @f(x, gamma, beta, moving_mean, moving_var) -> the normalized output.
std::string batchNormFunc(const std::string &shape, const std::string &chan,
                          const std::string &attrs) {
  std::string x = tensorType(shape), c = tensorType(chan);
  return "func.func @f(%x: " + x + ", %g: " + c + ", %b: " + c + ", %mm: " + c +
         ", %mv: " + c + ") -> " + x +
         " {\n  %y, %m, %v = mx.batch_norm %x, %g, %b, %mm, %mv {" + attrs +
         "} : (" + x + ", " + c + ", " + c + ", " + c + ", " + c + ") -> (" +
         x + ", " + c + ", " + c + ")\n  return %y : " + x + "\n}\n";
}

// The moving statistics get no gradient by design (auxiliary states), so
// only data, gamma and beta are differentiated; moving_var stays positive.
GradCase batchNormCase(const std::string &name, const std::string &shape,
                       const std::string &chan, const std::string &attrs) {
  GradCase c(name, batchNormFunc(shape, chan, attrs),
             {D::uniform(-2, 2), D::uniform(0.5, 1.5), D::uniform(-1, 1),
              D::uniform(-0.5, 0.5), D::uniform(0.5, 2)});
  c.withWrt({0, 1, 2});
  return c;
}

TEST(AutodiffLayers, BatchNorm) {
  checkCases({
      batchNormCase("batch_norm training", "4x3x2", "3",
                    "training = true, fix_gamma = false"),
      batchNormCase("batch_norm training, fix_gamma", "4x3x2", "3",
                    "training = true"),
      batchNormCase("batch_norm training, axis -1", "3x2x4", "4",
                    "training = true, fix_gamma = false, axis = -1 : i64, "
                    "eps = 1.0e-5 : f64"),
      batchNormCase("batch_norm global stats in training", "4x3", "3",
                    "training = true, use_global_stats = true, "
                    "fix_gamma = false"),
      batchNormCase("batch_norm inference, fix_gamma", "2x3x2x2", "3",
                    "fix_gamma = true"),
      batchNormCase("batch_norm inference, axis 0", "3x5", "3",
                    "axis = 0 : i64, fix_gamma = false"),
  });
}

TEST(AutodiffLayers, BatchNormAfterAnOp) {
  // The gradient flows through the batch statistics into an earlier op.
  checkCases(
      {GradCase("tanh -> batch_norm -> square", R"mlir(
func.func @f(%x: tensor<5x2xf64>, %g: tensor<2xf64>, %b: tensor<2xf64>) -> tensor<5x2xf64> {
  %t = mx.tanh %x : tensor<5x2xf64>
  %y, %m, %v = mx.batch_norm %t, %g, %b, %b, %g {training = true, fix_gamma = false} : (tensor<5x2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) -> (tensor<5x2xf64>, tensor<2xf64>, tensor<2xf64>)
  %s = mx.square %y : tensor<5x2xf64>
  return %s : tensor<5x2xf64>
}
)mlir",
                {D::uniform(-2, 2), D::uniform(0.5, 1.5), D::uniform(-1, 1)})});
}

TEST(AutodiffLayers, Dropout) {
  // The seed is a constant, so the mask is a fixed 0 / (1 / (1 - p)) pattern.
  auto func = [](const std::string &attrs) {
    return std::string(R"mlir(
func.func @f(%x: tensor<6x5xf64>) -> tensor<6x5xf64> {
  %seed = mx.constant dense<[17, 3]> : tensor<2xi64>
  %d = mx.dropout %x, %seed {)mlir") +
           attrs +
           R"mlir(} : (tensor<6x5xf64>, tensor<2xi64>) -> tensor<6x5xf64>
  %s = mx.sin %d : tensor<6x5xf64>
  return %s : tensor<6x5xf64>
}
)mlir";
  };
  checkCases({GradCase("dropout p = 0.4", func("p = 0.4 : f64")),
              GradCase("dropout p = 0.5, axes 1",
                       func("p = 0.5 : f64, axes = array<i64: 1>")),
              GradCase("dropout p = 0", func("p = 0.0 : f64")),
              GradCase("dropout p = 1", func("p = 1.0 : f64"))});
}

//===----------------------------------------------------------------------===//
// Loss layers: closed forms
//===----------------------------------------------------------------------===//

/// Differentiates @f(data, label) with a seed argument and runs the gradient
/// at (data, label, seed); returns d data.
std::vector<double> lossGradient(const std::string &source,
                                 const std::vector<double> &data,
                                 const std::vector<double> &label,
                                 const std::vector<double> &seed) {
  Jit jit;
  auto module = parseModule(jit.context(), source);
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  AutodiffOptions options;
  options.wrt = {0};
  options.seeds = true;
  options.keepForward = false;
  auto g = differentiate(f, options);
  if (mlir::failed(g)) {
    ADD_FAILURE() << "differentiate failed";
    return {};
  }
  auto fn = compileAlone(jit, *g);
  std::vector<HostBuffer> args;
  const std::vector<double> *values[] = {&data, &label, &seed};
  for (size_t i = 0; i < 3; ++i)
    args.push_back(HostBuffer::fromValues<double>(fn->inputs()[i],
                                                  llvm::ArrayRef(*values[i])));
  HostBuffer out = std::move(fn->run(pointers(args)).at(0));
  return {out.values<double>().begin(), out.values<double>().end()};
}

std::vector<double> uniform(size_t n, double lo, double hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  std::vector<double> v(n);
  for (double &x : v)
    x = dist(rng);
  return v;
}

struct SoftmaxOutputCase {
  std::string name;
  std::vector<int64_t> data, label;
  bool multiOutput = false, preserveShape = false, useIgnore = false,
       outGrad = false;
  std::string normalization = "null";
  double gradScale = 1.0, ignoreLabel = -1.0, smoothAlpha = 0.0;
  /// Class ids (values are truncated: 1.7 reads as class 1).
  std::vector<double> labels;
};

std::string shapeText(const std::vector<int64_t> &s) {
  std::string r;
  for (size_t i = 0; i < s.size(); ++i)
    r += (i ? "x" : "") + std::to_string(s[i]);
  return r;
}

int64_t product(const std::vector<int64_t> &s, size_t from = 0,
                size_t to = std::string::npos) {
  int64_t n = 1;
  for (size_t i = from; i < std::min(to, s.size()); ++i)
    n *= s[i];
  return n;
}

/// MXNet's SoftmaxOutput backward, written from its definition: data as
/// (outer, C, inner), softmax over C.
std::vector<double> softmaxOutputGrad(const SoftmaxOutputCase &c,
                                      const std::vector<double> &x,
                                      const std::vector<double> &seed) {
  int64_t outer, classes, inner = 1;
  if (c.multiOutput) {
    outer = c.data[0];
    classes = c.data[1];
    inner = product(c.data, 2);
  } else if (c.preserveShape) {
    outer = product(c.data, 0, c.data.size() - 1);
    classes = c.data.back();
  } else {
    outer = c.data[0];
    classes = product(c.data, 1);
  }
  auto at = [&](int64_t o, int64_t k, int64_t j) {
    return (o * classes + k) * inner + j;
  };
  int ignore = static_cast<int>(c.ignoreLabel);
  std::vector<double> g(x.size());
  int64_t valid = 0;
  for (int64_t o = 0; o < outer; ++o)
    for (int64_t j = 0; j < inner; ++j) {
      int label = static_cast<int>(c.labels[o * inner + j]);
      valid += label != ignore;
      double maxv = -INFINITY, sum = 0;
      for (int64_t k = 0; k < classes; ++k)
        maxv = std::max(maxv, x[at(o, k, j)]);
      for (int64_t k = 0; k < classes; ++k)
        sum += std::exp(x[at(o, k, j)] - maxv);
      for (int64_t k = 0; k < classes; ++k) {
        double p = std::exp(x[at(o, k, j)] - maxv) / sum;
        double target = k == label ? 1.0 - c.smoothAlpha
                                   : c.smoothAlpha / double(classes - 1);
        bool ignored = c.useIgnore && label == ignore;
        g[at(o, k, j)] = ignored ? 0.0 : p - target;
      }
    }
  double norm = 1;
  if (c.normalization == "valid")
    norm = std::max<int64_t>(valid, 1);
  else
    norm =
        (c.multiOutput ? inner : 1) * (c.normalization == "batch" ? outer : 1);
  for (size_t i = 0; i < g.size(); ++i)
    g[i] *= c.gradScale / norm * (c.outGrad ? seed[i] : 1.0);
  return g;
}

std::string softmaxOutputFunc(const SoftmaxOutputCase &c) {
  std::string d = tensorType(shapeText(c.data)),
              l = tensorType(shapeText(c.label));
  char attrs[512];
  std::snprintf(
      attrs, sizeof attrs,
      "{multi_output = %s, preserve_shape = %s, use_ignore = %s, "
      "out_grad = %s, normalization = \"%s\", grad_scale = %.17e : "
      "f64, ignore_label = %.17e : f64, smooth_alpha = %.17e : f64}",
      c.multiOutput ? "true" : "false", c.preserveShape ? "true" : "false",
      c.useIgnore ? "true" : "false", c.outGrad ? "true" : "false",
      c.normalization.c_str(), c.gradScale, c.ignoreLabel, c.smoothAlpha);
  return "func.func @f(%x: " + d + ", %l: " + l + ") -> " + d +
         " {\n  %p = mx.softmax_output %x, %l " + attrs + " : (" + d + ", " +
         l + ") -> " + d + "\n  return %p : " + d + "\n}\n";
}

void expectNear(const std::vector<double> &actual,
                const std::vector<double> &expected, const std::string &what) {
  ASSERT_EQ(actual.size(), expected.size()) << what;
  for (size_t i = 0; i < actual.size(); ++i)
    EXPECT_NEAR(actual[i], expected[i], 1e-12) << what << ", element " << i;
}

TEST(AutodiffLayers, SoftmaxOutputClosedForm) {
  std::vector<SoftmaxOutputCase> cases;
  // 2-D data, labels 2, 0, -1 (out of range without use_ignore), 3.7.
  for (std::string norm : {"null", "batch", "valid"})
    for (bool useIgnore : {false, true}) {
      SoftmaxOutputCase c;
      c.name = "2-D, " + norm + (useIgnore ? ", use_ignore" : "");
      c.data = {4, 5};
      c.label = {4};
      c.labels = {2, 0, -1, 3.7};
      c.normalization = norm;
      c.useIgnore = useIgnore;
      c.gradScale = 2.5;
      cases.push_back(c);
    }
  for (std::string norm : {"null", "batch", "valid"}) {
    SoftmaxOutputCase c;
    c.name = "multi_output, " + norm;
    c.data = {2, 3, 4};
    c.label = {2, 4};
    c.multiOutput = true;
    c.useIgnore = true;
    c.ignoreLabel = 1;
    c.labels = {0, 1, 2, 1, 2, 2, 0, 1};
    c.normalization = norm;
    cases.push_back(c);
  }
  {
    SoftmaxOutputCase c;
    c.name = "multi_output, label (N, 1, d)";
    c.data = {2, 3, 2, 2};
    c.label = {2, 1, 2, 2};
    c.multiOutput = true;
    c.normalization = "batch";
    c.labels = {0, 1, 2, 0, 2, 2, 1, 0};
    cases.push_back(c);
  }
  {
    SoftmaxOutputCase c;
    c.name = "preserve_shape, valid";
    c.data = {2, 3, 4};
    c.label = {2, 3};
    c.preserveShape = true;
    c.normalization = "valid";
    c.labels = {0, 3, -1, 1, 2, -1};
    cases.push_back(c);
  }
  {
    SoftmaxOutputCase c;
    c.name = "N-D data flattened into the classes";
    c.data = {3, 2, 2};
    c.label = {3};
    c.normalization = "batch";
    c.labels = {3, 0, 2};
    cases.push_back(c);
  }
  {
    SoftmaxOutputCase c;
    c.name = "label smoothing, out_grad";
    c.data = {3, 4};
    c.label = {3};
    c.smoothAlpha = 0.3;
    c.outGrad = true;
    c.labels = {1, 3, 0};
    cases.push_back(c);
  }
  for (const SoftmaxOutputCase &c : cases) {
    SCOPED_TRACE(c.name);
    size_t n = product(c.data);
    std::vector<double> x = uniform(n, -2, 2, 1);
    std::vector<double> seed = uniform(n, -1, 1, 2);
    std::string source = softmaxOutputFunc(c);
    expectNear(lossGradient(source, x, c.labels, seed),
               softmaxOutputGrad(c, x, seed), c.name);
    // Without out_grad the head gradient plays no part.
    if (!c.outGrad)
      expectNear(lossGradient(source, x, c.labels, uniform(n, -5, 5, 3)),
                 softmaxOutputGrad(c, x, seed), c.name + ", other seed");
  }
}

TEST(AutodiffLayers, SoftmaxOutputProbabilityLabel) {
  std::string source = R"mlir(
func.func @f(%x: tensor<2x3xf64>, %l: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %p = mx.softmax_output %x, %l {grad_scale = 0.5 : f64, normalization = "batch"} : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  return %p : tensor<2x3xf64>
}
)mlir";
  std::vector<double> x = {0.1, -0.4, 1.2, 0.3, 0.3, -2.0};
  std::vector<double> label = {0.2, 0.3, 0.5, 1.0, 0.0, 0.0};
  std::vector<double> want(6);
  for (int r = 0; r < 2; ++r) {
    double sum = 0;
    for (int k = 0; k < 3; ++k)
      sum += std::exp(x[r * 3 + k]);
    for (int k = 0; k < 3; ++k)
      want[r * 3 + k] = (std::exp(x[r * 3 + k]) / sum - label[r * 3 + k]) * 0.5;
  }
  expectNear(lossGradient(source, x, label, uniform(6, -1, 1, 4)), want,
             "probability label");
}

TEST(AutodiffLayers, RegressionOutputsClosedForm) {
  struct Case {
    std::string op, data, label;
    std::vector<int64_t> dataShape;
    int64_t numOutput;
  };
  const Case cases[] = {{"linear", "4x3", "4x3", {4, 3}, 3},
                        {"logistic", "4x3", "4x3", {4, 3}, 3},
                        {"mae", "4x3", "4x3", {4, 3}, 3},
                        {"linear", "4x1", "4", {4, 1}, 1},
                        {"logistic", "4x1", "4", {4, 1}, 1},
                        {"mae", "2x2x2", "2x2x2", {2, 2, 2}, 4}};
  for (const Case &c : cases) {
    SCOPED_TRACE(c.op + " " + c.data);
    std::string d = tensorType(c.data), l = tensorType(c.label);
    std::string source = "func.func @f(%x: " + d + ", %l: " + l + ") -> " + d +
                         " {\n  %y = mx." + c.op +
                         "_regression_output %x, %l {grad_scale = 3.0 : f64} "
                         ": (" +
                         d + ", " + l + ") -> " + d + "\n  return %y : " + d +
                         "\n}\n";
    size_t n = product(c.dataShape);
    std::vector<double> x = uniform(n, -2, 2, 5), label = uniform(n, 0, 1, 6);
    std::vector<double> want(n);
    for (size_t i = 0; i < n; ++i) {
      double out = c.op == "logistic" ? 1.0 / (1.0 + std::exp(-x[i])) : x[i];
      double diff = out - label[i];
      if (c.op == "mae")
        diff = diff > 0 ? 1.0 : diff < 0 ? -1.0 : 0.0;
      want[i] = diff * 3.0 / double(c.numOutput);
    }
    expectNear(lossGradient(source, x, label, uniform(n, -1, 1, 7)), want,
               c.op);
  }
}

/// The first-order gradient of @f in `source` (d/d data of the loss, no
/// seeds) as MLIR text for a function named @f, so the finite-difference
/// harness can check its own derivative: the second order of a loss layer.
std::string lossGradientAsF(const std::string &source) {
  Jit jit;
  auto module = parseModule(jit.context(), source);
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  AutodiffOptions options;
  options.wrt = {0};
  options.keepForward = false;
  auto g = differentiate(f, options);
  if (mlir::failed(g))
    return "";
  (*g)->removeAttr("mx.gradient_of");
  f.erase();
  g->setSymName("f");
  std::string text;
  llvm::raw_string_ostream os(text);
  module->print(os);
  return text;
}

// The loss layers' gradients are built from mx ops that recompute the
// forward value (softmax, sigmoid) from the data, so differentiating them
// again gives the Hessian of the cross-entropy / logistic loss.
TEST(AutodiffLayers, LossLayersSecondOrder) {
  const char *softmax = R"mlir(
func.func @f(%x: tensor<3x4xf64>, %l: tensor<3xf64>) -> tensor<3x4xf64> {
  %p = mx.softmax_output %x, %l {normalization = "batch", smooth_alpha = 0.1 : f64} : (tensor<3x4xf64>, tensor<3xf64>) -> tensor<3x4xf64>
  return %p : tensor<3x4xf64>
}
)mlir";
  const char *multi = R"mlir(
func.func @f(%x: tensor<2x3x2xf64>, %l: tensor<2x2xf64>) -> tensor<2x3x2xf64> {
  %p = mx.softmax_output %x, %l {multi_output = true, normalization = "valid", use_ignore = true, ignore_label = 2.0 : f64} : (tensor<2x3x2xf64>, tensor<2x2xf64>) -> tensor<2x3x2xf64>
  return %p : tensor<2x3x2xf64>
}
)mlir";
  const char *logistic = R"mlir(
func.func @f(%x: tensor<4x1xf64>, %l: tensor<4xf64>) -> tensor<4x1xf64> {
  %p = mx.logistic_regression_output %x, %l {grad_scale = 2.0 : f64} : (tensor<4x1xf64>, tensor<4xf64>) -> tensor<4x1xf64>
  return %p : tensor<4x1xf64>
}
)mlir";
  std::vector<GradCase> cases;
  for (auto [name, source, labels] :
       {std::tuple{"softmax_output", softmax, D::integer(0, 3)},
        std::tuple{"softmax_output multi_output", multi, D::integer(0, 2)},
        std::tuple{"logistic_regression_output", logistic, D::uniform(0, 1)}}) {
    std::string grad = lossGradientAsF(source);
    ASSERT_FALSE(grad.empty()) << name;
    cases.push_back(GradCase(std::string(name) + " gradient", grad,
                             {D::uniform(-2, 2), labels}, 2)
                        .withWrt({0}));
  }
  checkCases(cases);
}

} // namespace
