//===- CompositeGradTest.cpp - whole graphs and differentiate()'s options -===//
//
// Fan-out, several results, arguments returned or unused, constants, an MLP
// with softmax cross-entropy (first and second order), and the options of
// differentiate(): wrt, results, seeds, keepForward, integer arguments.
//
//===----------------------------------------------------------------------===//

#include "GradCheck.h"

#include "lowering/Autodiff.h"
#include "runtime/Context.h"
#include "runtime/Diagnostics.h"

#include <gtest/gtest-spi.h>
#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>

using namespace mxjit;
using namespace mxjit::gradcheck;

namespace {

using D = Domain;

const char *kMlp = R"mlir(
func.func @f(%x: tensor<4x5xf64>, %w1: tensor<6x5xf64>, %b1: tensor<6xf64>,
             %w2: tensor<3x6xf64>, %b2: tensor<3xf64>) -> tensor<1xf64> {
  %onehot = mx.constant dense<[[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0], [0.0, 1.0, 0.0]]> : tensor<4x3xf64>
  %h = mx.fully_connected %x, %w1, %b1 {num_hidden = 6 : i64} : (tensor<4x5xf64>, tensor<6x5xf64>, tensor<6xf64>) -> tensor<4x6xf64>
  %r = mx.relu %h : tensor<4x6xf64>
  %o = mx.fully_connected %r, %w2, %b2 {num_hidden = 3 : i64} : (tensor<4x6xf64>, tensor<3x6xf64>, tensor<3xf64>) -> tensor<4x3xf64>
  %l = mx.log_softmax %o : tensor<4x3xf64>
  %p = mx.multiply %l, %onehot : (tensor<4x3xf64>, tensor<4x3xf64>) -> tensor<4x3xf64>
  %s = mx.sum %p : (tensor<4x3xf64>) -> tensor<1xf64>
  %n = mx.negative %s : tensor<1xf64>
  %loss = mx.divide_scalar %n, 4.0 : tensor<1xf64>
  return %loss : tensor<1xf64>
}
)mlir";

TEST(AutodiffComposite, FanOut) {
  checkCases({
      GradCase("x used three times", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = mx.sin %x : tensor<2x3xf64>
  %1 = mx.multiply %x, %0 : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  %2 = mx.exp %x : tensor<2x3xf64>
  %3 = mx.add %1, %2 : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  return %3 : tensor<2x3xf64>
}
)mlir",
               {D::uniform(-1, 1)}, 3),
      GradCase("fan-out through broadcasts and a reduction", R"mlir(
func.func @f(%x: tensor<3xf64>, %y: tensor<2x3xf64>) -> tensor<2xf64> {
  %0 = mx.multiply %y, %x : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %1 = mx.add %0, %x : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %2 = mx.tanh %1 : tensor<2x3xf64>
  %3 = mx.sum %2 {axis = array<i64: 1>} : (tensor<2x3xf64>) -> tensor<2xf64>
  %4 = mx.sum %x : (tensor<3xf64>) -> tensor<1xf64>
  %5 = mx.multiply %3, %4 : (tensor<2xf64>, tensor<1xf64>) -> tensor<2xf64>
  return %5 : tensor<2xf64>
}
)mlir"),
      // Both gradients are the same computed value, w * exp(a + b).
      GradCase("exp(a + b): one cotangent for two arguments", R"mlir(
func.func @f(%a: tensor<2x3xf64>, %b: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %0 = mx.add %a, %b : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  %1 = mx.exp %0 : tensor<2x3xf64>
  return %1 : tensor<2x3xf64>
}
)mlir"),
      GradCase("x * x (one op, both operands)", R"mlir(
func.func @f(%x: tensor<4xf64>) -> tensor<4xf64> {
  %0 = mx.multiply %x, %x : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %1 = mx.divide %0, %x : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  %2 = mx.multiply %1, %0 : (tensor<4xf64>, tensor<4xf64>) -> tensor<4xf64>
  return %2 : tensor<4xf64>
}
)mlir",
               {D::awayFromZero(0.3, 2)}),
  });
}

TEST(AutodiffComposite, MultipleResults) {
  const char *source = R"mlir(
func.func @f(%x: tensor<2x3xf64>, %y: tensor<3xf64>) -> (tensor<2x3xf64>, tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>) {
  %0 = mx.sin %x : tensor<2x3xf64>
  %1 = mx.multiply %0, %y : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %2 = mx.square %1 : tensor<2x3xf64>
  %3 = mx.sum %2 {axis = array<i64: 1>} : (tensor<2x3xf64>) -> tensor<2xf64>
  return %1, %3, %x, %y : tensor<2x3xf64>, tensor<2xf64>, tensor<2x3xf64>, tensor<3xf64>
}
)mlir";
  checkCases({
      // Results 2 and 3 are the arguments themselves; result 1 uses 0.
      GradCase("four results, two of them arguments", source),
      GradCase("results = {1}", source).withResults({1}),
      GradCase("results = {2, 0}", source).withResults({2, 0}),
      GradCase("results = {3}, wrt = {0} (no path)", source)
          .withResults({3})
          .withWrt({0}),
      // The default results skip integer ones: one seed, for result 0.
      GradCase("an integer result is not differentiated", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> (tensor<2x3xf64>, tensor<2x3xi64>) {
  %0 = mx.sin %x : tensor<2x3xf64>
  %1 = mx.multiply_scalar %x, 10.0 : tensor<2x3xf64>
  %2 = mx.cast %1 : tensor<2x3xf64> -> tensor<2x3xi64>
  return %0, %2 : tensor<2x3xf64>, tensor<2x3xi64>
}
)mlir",
               {D::lattice(-0.95, 0.95, 0.1)}),
      GradCase("same value returned twice", R"mlir(
func.func @f(%x: tensor<3xf64>) -> (tensor<3xf64>, tensor<3xf64>) {
  %0 = mx.cos %x : tensor<3xf64>
  return %0, %0 : tensor<3xf64>, tensor<3xf64>
}
)mlir"),
  });
}

TEST(AutodiffComposite, UnusedArgumentsAndConstants) {
  checkCases({
      GradCase("unused argument", R"mlir(
func.func @f(%x: tensor<2x2xf64>, %unused: tensor<3xf64>) -> tensor<2x2xf64> {
  %0 = mx.exp %x : tensor<2x2xf64>
  return %0 : tensor<2x2xf64>
}
)mlir"),
      GradCase("constant operands", R"mlir(
func.func @f(%x: tensor<2x3xf64>) -> tensor<2x3xf64> {
  %c = mx.constant dense<[0.5, -1.5, 2.0]> : tensor<3xf64>
  %k = mx.constant dense<3.0> : tensor<2x3xf64>
  %0 = mx.multiply %x, %c : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %1 = mx.power %k, %0 : (tensor<2x3xf64>, tensor<2x3xf64>) -> tensor<2x3xf64>
  %2 = mx.add %1, %c : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  return %2 : tensor<2x3xf64>
}
)mlir"),
      GradCase("result independent of the argument", R"mlir(
func.func @f(%x: tensor<2xf64>) -> tensor<2xf64> {
  %c = mx.constant dense<[1.0, 2.0]> : tensor<2xf64>
  return %c : tensor<2xf64>
}
)mlir"),
  });
}

TEST(AutodiffComposite, MlpSoftmaxCrossEntropy) {
  // Gradients with respect to every weight and bias (not the data), first
  // and second order.
  checkCases({GradCase("MLP loss wrt weights and biases", kMlp,
                       {D::uniform(-1, 1), D::uniform(-0.8, 0.8),
                        D::uniform(-0.5, 0.5), D::uniform(-0.8, 0.8),
                        D::uniform(-0.5, 0.5)})
                  .withWrt({1, 2, 3, 4})});
  // Everything, including the data.
  checkCases({GradCase("MLP loss wrt all arguments", kMlp,
                       {D::uniform(-1, 1), D::uniform(-0.8, 0.8),
                        D::uniform(-0.5, 0.5), D::uniform(-0.8, 0.8),
                        D::uniform(-0.5, 0.5)})
                  .withOrder(1)});
}

/// The gradients of @f in `source` (default options but no forward
/// results, so ones as seeds) at `inputs`, one f64 vector per argument.
std::vector<std::vector<double>>
gradientAt(const std::string &source,
           const std::vector<std::vector<double>> &inputs) {
  Jit jit;
  auto module = parseModule(jit.context(), source);
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  AutodiffOptions options;
  options.keepForward = false;
  auto g = differentiate(f, options);
  if (mlir::failed(g))
    return {};
  auto fn = compileAlone(jit, *g);
  std::vector<HostBuffer> args;
  for (size_t i = 0; i < inputs.size(); ++i)
    args.push_back(HostBuffer::fromValues<double>(fn->inputs()[i],
                                                  llvm::ArrayRef(inputs[i])));
  std::vector<std::vector<double>> grads;
  for (const HostBuffer &b : fn->run(pointers(args)))
    grads.emplace_back(b.values<double>().begin(), b.values<double>().end());
  return grads;
}

// Where finite differences cannot decide: the values at kinks and ties are
// MXNet's backward conventions.
TEST(AutodiffConventions, KinksAndTies) {
  using V = std::vector<std::vector<double>>;
  auto unary = [](const char *op) { return unaryFunc(op, "4"); };
  // relu: x > 0; abs: sign(x), 0 at 0.
  EXPECT_EQ(gradientAt(unary("relu"), {{-1, 0, 2, 0.5}}), V({{0, 0, 1, 1}}));
  EXPECT_EQ(gradientAt(unary("abs"), {{-1, 0, 2, -0.5}}), V({{-1, 0, 1, -1}}));
  // Ties of maximum/minimum go to the lhs.
  EXPECT_EQ(gradientAt(binaryFunc("maximum", "4", "4", "4"),
                       {{1, 2, 3, 0}, {1, 0, 5, 0}}),
            V({{1, 1, 0, 1}, {0, 0, 1, 0}}));
  EXPECT_EQ(gradientAt(binaryFunc("minimum", "4", "4", "4"),
                       {{1, 2, 3, 0}, {1, 0, 5, 0}}),
            V({{1, 0, 1, 1}, {0, 1, 0, 0}}));
  // maximum_scalar passes x >= s, minimum_scalar x <= s.
  EXPECT_EQ(gradientAt(scalarFunc("maximum_scalar", "4", 1.0), {{1, 0, 2, 1}}),
            V({{1, 0, 1, 1}}));
  EXPECT_EQ(gradientAt(scalarFunc("minimum_scalar", "4", 1.0), {{1, 0, 2, 1}}),
            V({{1, 1, 0, 1}}));
  // max/min reductions: every element equal to the extremum.
  EXPECT_EQ(gradientAt(squaredUnaryFunc("max", "", "4", "1"), {{1, 3, 3, 2}}),
            V({{0, 6, 6, 0}}));
  EXPECT_EQ(gradientAt(squaredUnaryFunc("min", "", "4", "1"), {{1, 3, 1, 2}}),
            V({{2, 0, 2, 0}}));
  // clip passes a_min <= x <= a_max, bounds included.
  EXPECT_EQ(gradientAt(R"mlir(
func.func @f(%x: tensor<5xf64>) -> tensor<5xf64> {
  %0 = mx.clip %x {a_min = -1.0 : f64, a_max = 1.0 : f64} : tensor<5xf64>
  return %0 : tensor<5xf64>
}
)mlir",
                       {{-2, -1, 0, 1, 2}}),
            V({{0, 1, 1, 1, 0}}));
}

// The harness's negative control: a gradient off by 1e-5 relative must fail
// at every order, with the case, order and element named.
TEST(AutodiffHarness, DetectsSmallGradientErrors) {
  GradCase c("negative control", unaryFunc("sin", "2x3"), {D::uniform(-3, 3)},
             2);
  c.scaleAutodiff = 1 + 1e-5;
  ::testing::TestPartResultArray failures;
  {
    ::testing::ScopedFakeTestPartResultReporter reporter(
        ::testing::ScopedFakeTestPartResultReporter::
            INTERCEPT_ONLY_CURRENT_THREAD,
        &failures);
    checkCase(c);
  }
  ASSERT_EQ(failures.size(), 2);
  EXPECT_NE(std::string(failures.GetTestPartResult(0).message())
                .find("[negative control] order 1, d/d(argument 0) of @f "
                      "(2,3) float64: 6 of 6 elements differ"),
            std::string::npos)
      << failures.GetTestPartResult(0).message();
  EXPECT_NE(std::string(failures.GetTestPartResult(1).message())
                .find("[negative control] order 2, d/d(argument 0) of @f_grad "
                      "(2,3) float64: 6 of 6 elements differ"),
            std::string::npos)
      << failures.GetTestPartResult(1).message();
}

// Integer arguments get no gradient: the default wrt skips them and listing
// one is an error.
TEST(AutodiffOptions, IntegerArgumentsAreSkipped) {
  const char *source = R"mlir(
func.func @f(%x: tensor<2x3xf64>, %n: tensor<3xi64>, %y: tensor<3xf64>) -> tensor<2x3xf64> {
  %0 = mx.cast %n : tensor<3xi64> -> tensor<3xf64>
  %1 = mx.multiply %x, %0 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %2 = mx.multiply %1, %y : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %3 = mx.sin %2 : tensor<2x3xf64>
  return %3 : tensor<2x3xf64>
}
)mlir";
  // The harness checks the signature: gradients for arguments 0 and 2 only.
  checkCase(
      GradCase("integer argument", source,
               {D::uniform(-1, 1), D::integer(-3, 3), D::uniform(-1, 1)}));
  // Integer ops on the way (their VJPs give no gradient) and an i32 argument
  // cast to f64.
  checkCase(
      GradCase("integer ops on the path", R"mlir(
func.func @f(%x: tensor<2x3xf64>, %n: tensor<3xi64>, %m: tensor<2x1xi32>) -> tensor<2x3xf64> {
  %0 = mx.add_scalar %n, 2.0 : tensor<3xi64>
  %1 = mx.multiply %0, %n : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %2 = mx.cast %1 : tensor<3xi64> -> tensor<3xf64>
  %3 = mx.cast %m : tensor<2x1xi32> -> tensor<2x1xf64>
  %4 = mx.multiply %x, %2 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %5 = mx.multiply %4, %3 : (tensor<2x3xf64>, tensor<2x1xf64>) -> tensor<2x3xf64>
  %6 = mx.tanh %5 : tensor<2x3xf64>
  return %6 : tensor<2x3xf64>
}
)mlir",
               {D::uniform(-0.3, 0.3), D::integer(-2, 2), D::integer(-2, 2)}));

  Jit jit;
  auto module = parseModule(jit.context(), source);
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  AutodiffOptions options;
  options.seeds = true;
  options.keepForward = false;
  auto grad = differentiate(f, options);
  ASSERT_TRUE(mlir::succeeded(grad));
  EXPECT_EQ(grad->getNumArguments(), 4u); // x, n, y, seed
  ASSERT_EQ(grad->getNumResults(), 2u);   // dx, dy
  EXPECT_EQ(grad->getResultTypes()[0], f.getArgumentTypes()[0]);
  EXPECT_EQ(grad->getResultTypes()[1], f.getArgumentTypes()[2]);

  AutodiffOptions listed;
  listed.wrt = {1};
  listed.name = "f_grad_int";
  DiagnosticCapture diagnostics(&jit.context());
  EXPECT_TRUE(mlir::failed(differentiate(f, listed)));
  EXPECT_FALSE(diagnostics.empty())
      << "listing an integer argument fails without a diagnostic";
  EXPECT_FALSE(module->lookupSymbol("f_grad_int"))
      << "a failed differentiate() leaves a function behind";
}

// keepForward = true returns f's results first, then the same gradients as
// keepForward = false; seeds = false seeds with ones.
TEST(AutodiffOptions, KeepForwardAndDefaultSeeds) {
  struct Source {
    const char *name, *text;
  } sources[] = {{"mlp", kMlp},
                 // The forward result is also the default-seeded gradient.
                 {"exp", R"mlir(
func.func @f(%x: tensor<3xf64>) -> tensor<3xf64> {
  %0 = mx.exp %x : tensor<3xf64>
  return %0 : tensor<3xf64>
}
)mlir"},
                 {"two results", R"mlir(
func.func @f(%x: tensor<2x3xf64>, %y: tensor<3xf64>) -> (tensor<2x3xf64>, tensor<2xf64>) {
  %0 = mx.sin %x : tensor<2x3xf64>
  %1 = mx.multiply %0, %y : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %2 = mx.sum %1 {axis = array<i64: 1>} : (tensor<2x3xf64>) -> tensor<2xf64>
  return %1, %2 : tensor<2x3xf64>, tensor<2xf64>
}
)mlir"}};
  for (const Source &s : sources) {
    SCOPED_TRACE(s.name);
    Jit jit;
    auto module = parseModule(jit.context(), s.text);
    auto f = module->lookupSymbol<mlir::func::FuncOp>("f");

    AutodiffOptions plain;
    plain.seeds = true;
    plain.keepForward = false;
    AutodiffOptions kept = plain;
    kept.keepForward = true;
    kept.name = "f_kept";
    AutodiffOptions ones;
    ones.keepForward = false;
    ones.name = "f_ones";
    AutodiffOptions defaults; // keepForward, ones as seeds
    defaults.name = "f_defaults";
    auto g = differentiate(f, plain);
    auto gk = differentiate(f, kept);
    auto go = differentiate(f, ones);
    auto gd = differentiate(f, defaults);
    ASSERT_TRUE(mlir::succeeded(g) && mlir::succeeded(gk) &&
                mlir::succeeded(go) && mlir::succeeded(gd));
    EXPECT_EQ(gk->getSymName(), "f_kept");
    EXPECT_EQ(go->getSymName(), "f_ones");

    auto cf = compileAlone(jit, f), cg = compileAlone(jit, *g),
         ck = compileAlone(jit, *gk), co = compileAlone(jit, *go),
         cd = compileAlone(jit, *gd);
    const size_t nArgs = cf->inputs().size(), nRes = cf->outputs().size();
    ASSERT_EQ(ck->outputs().size(), nRes + cg->outputs().size());
    ASSERT_EQ(co->inputs().size(), nArgs);

    std::vector<HostBuffer> args = randomBuffers(cg->inputs(), 42);
    std::vector<const HostBuffer *> all = pointers(args);
    std::vector<const HostBuffer *> fArgs(all.begin(), all.begin() + nArgs);
    std::vector<HostBuffer> fOut = cf->run(fArgs);
    std::vector<HostBuffer> gOut = cg->run(pointers(args));
    std::vector<HostBuffer> kOut = ck->run(pointers(args));
    auto near = [](double a, double b) {
      return std::fabs(a - b) <= 1e-13 * std::max(1.0, std::fabs(a));
    };
    for (size_t r = 0; r < nRes; ++r)
      for (size_t j = 0; j < fOut[r].values<double>().size(); ++j)
        EXPECT_PRED2(near, fOut[r].values<double>()[j],
                     kOut[r].values<double>()[j])
            << "forward result " << r << " element " << j;
    for (size_t r = 0; r < gOut.size(); ++r)
      for (size_t j = 0; j < gOut[r].values<double>().size(); ++j)
        EXPECT_PRED2(near, gOut[r].values<double>()[j],
                     kOut[nRes + r].values<double>()[j])
            << "gradient " << r << " element " << j;

    // Seeds of ones give the default-seeded gradient.
    for (size_t i = nArgs; i < args.size(); ++i)
      for (double &v : args[i].values<double>())
        v = 1.0;
    std::vector<HostBuffer> gOnes = cg->run(pointers(args));
    std::vector<HostBuffer> oOut = co->run(fArgs);
    ASSERT_EQ(oOut.size(), gOnes.size());
    for (size_t r = 0; r < gOnes.size(); ++r)
      for (size_t j = 0; j < gOnes[r].values<double>().size(); ++j)
        EXPECT_PRED2(near, gOnes[r].values<double>()[j],
                     oOut[r].values<double>()[j])
            << "seeds = false, gradient " << r << " element " << j;

    // The default options: forward results, then the ones-seeded gradients.
    std::vector<HostBuffer> dOut = cd->run(fArgs);
    ASSERT_EQ(dOut.size(), nRes + oOut.size());
    for (size_t r = 0; r < dOut.size(); ++r) {
      const HostBuffer &want = r < nRes ? fOut[r] : oOut[r - nRes];
      for (size_t j = 0; j < want.values<double>().size(); ++j)
        EXPECT_PRED2(near, want.values<double>()[j],
                     dOut[r].values<double>()[j])
            << "default options, result " << r << " element " << j;
    }
  }
}

// The suite compiles with compileOptions(); check that it gives the same
// numbers as O1/O3 on a second-order MLP gradient and report compile times.
TEST(AutodiffOptions, CompileOptionsAreFastAndExact) {
  Jit jit;
  auto module = parseModule(jit.context(), kMlp);
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  AutodiffOptions first;
  first.seeds = true;
  first.keepForward = false;
  auto g = differentiate(f, first);
  ASSERT_TRUE(mlir::succeeded(g));
  AutodiffOptions second = first;
  second.wrt = {0, 1, 2, 3, 4};
  auto gg = differentiate(*g, second);
  ASSERT_TRUE(mlir::succeeded(gg));

  mlir::OwningOpRef<mlir::ModuleOp> single =
      mlir::ModuleOp::create(mlir::UnknownLoc::get(&jit.context()));
  single->push_back(gg->clone());
  std::vector<std::vector<HostBuffer>> outs;
  std::vector<HostBuffer> args;
  for (unsigned level : {0u, 1u, 3u}) {
    CompileOptions options = compileOptions();
    options.optLevel = level;
    auto fn = compile(*single, gg->getSymName(), options);
    if (args.empty())
      args = randomBuffers(fn->inputs(), 7);
    outs.push_back(fn->run(pointers(args)));
    std::printf("[ info ] @f_grad_grad of the MLP at O%u: %.0f ms (MLIR %.0f, "
                "LLVM %.0f)\n",
                level, fn->timings().totalMs, fn->timings().pipelineMs,
                fn->timings().llvmMs);
  }
  for (size_t k = 1; k < outs.size(); ++k)
    for (size_t r = 0; r < outs[0].size(); ++r)
      for (size_t j = 0; j < outs[0][r].values<double>().size(); ++j)
        EXPECT_NEAR(
            outs[0][r].values<double>()[j], outs[k][r].values<double>()[j],
            1e-13 * std::max(1.0, std::fabs(outs[0][r].values<double>()[j])))
            << "result " << r << " element " << j;
}

} // namespace
