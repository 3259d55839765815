//===- JitEngineTest.cpp - compile() and CompiledFunction -----------------===//
//
// Functions written directly in linalg/arith on tensors: the lowering
// pipeline passes non-mx ops through, so these exercise the engine
// independently of the mx patterns.
//
//===----------------------------------------------------------------------===//

#include "runtime/JitEngine.h"
#include "runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <string>
#include <vector>

using namespace mxjit;

namespace {

const char *kAdd = R"mlir(
func.func @add(%x: tensor<4x4xf32>, %y: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %init = tensor.empty() : tensor<4x4xf32>
  %r = linalg.add ins(%x, %y : tensor<4x4xf32>, tensor<4x4xf32>)
                  outs(%init : tensor<4x4xf32>) -> tensor<4x4xf32>
  return %r : tensor<4x4xf32>
}
)mlir";

// Two results, a matmul, and math.exp (resolved from libm by the JIT).
const char *kMatmulExp = R"mlir(
#id = affine_map<(d0, d1) -> (d0, d1)>
func.func @mm_exp(%a: tensor<2x3xf64>, %b: tensor<3x2xf64>)
    -> (tensor<2x2xf64>, tensor<2x2xf64>) {
  %zero = arith.constant 0.0 : f64
  %init = tensor.empty() : tensor<2x2xf64>
  %acc = linalg.fill ins(%zero : f64) outs(%init : tensor<2x2xf64>)
      -> tensor<2x2xf64>
  %mm = linalg.matmul ins(%a, %b : tensor<2x3xf64>, tensor<3x2xf64>)
                      outs(%acc : tensor<2x2xf64>) -> tensor<2x2xf64>
  %init2 = tensor.empty() : tensor<2x2xf64>
  %e = linalg.generic {indexing_maps = [#id, #id],
                       iterator_types = ["parallel", "parallel"]}
      ins(%mm : tensor<2x2xf64>) outs(%init2 : tensor<2x2xf64>) {
  ^bb0(%v: f64, %o: f64):
    %x = math.exp %v : f64
    linalg.yield %x : f64
  } -> tensor<2x2xf64>
  return %mm, %e : tensor<2x2xf64>, tensor<2x2xf64>
}
)mlir";

TEST(JitEngine, CompilesAndCallsElementwise) {
  auto context = createContext();
  auto module = parseModule(*context, kAdd);
  auto fn = compile(*module, "add");
  ASSERT_TRUE(fn);
  EXPECT_EQ(fn->entry(), "add");
  ASSERT_EQ(fn->inputs().size(), 2u);
  EXPECT_EQ(fn->inputs()[0], TensorSpec({4, 4}, DType::Float32));
  ASSERT_EQ(fn->outputs().size(), 1u);
  EXPECT_EQ(fn->outputs()[0], TensorSpec({4, 4}, DType::Float32));
  EXPECT_GT(fn->compileMs(), 0.0);
  EXPECT_GE(fn->compileMs(),
            fn->timings().pipelineMs + fn->timings().llvmMs - 1e-6);

  float x[16], y[16], out[16];
  for (int i = 0; i < 16; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 0.5f * static_cast<float>(i);
    out[i] = -1.0f;
  }
  fn->call({x, y}, {out});
  for (int i = 0; i < 16; ++i)
    EXPECT_FLOAT_EQ(out[i], 1.5f * static_cast<float>(i));
}

TEST(JitEngine, MultipleResultsMatmulAndLibm) {
  auto context = createContext();
  auto module = parseModule(*context, kMatmulExp);
  auto fn = compile(*module, "mm_exp");
  ASSERT_EQ(fn->outputs().size(), 2u);

  HostBuffer a = HostBuffer::fromValues<double>(
      TensorSpec({2, 3}, DType::Float64), {1, 2, 3, 4, 5, 6});
  HostBuffer b = HostBuffer::fromValues<double>(
      TensorSpec({3, 2}, DType::Float64), {0.1, 0.2, 0.3, 0.4, 0.5, 0.6});
  std::vector<HostBuffer> out = fn->run({&a, &b});
  ASSERT_EQ(out.size(), 2u);
  const double expected[4] = {2.2, 2.8, 4.9, 6.4};
  for (int i = 0; i < 4; ++i) {
    EXPECT_NEAR(out[0].values<double>()[i], expected[i], 1e-12);
    EXPECT_NEAR(out[1].values<double>()[i], std::exp(expected[i]), 1e-9);
  }
}

TEST(JitEngine, CallerModuleIsUntouched) {
  auto context = createContext();
  auto module = parseModule(*context, kAdd);
  std::string before, after;
  llvm::raw_string_ostream b(before), a(after);
  module->print(b);
  compile(*module, "add");
  module->print(a);
  EXPECT_EQ(before, after);
}

TEST(JitEngine, OptLevelsAndNoFusionAgree) {
  auto context = createContext();
  auto module = parseModule(*context, kAdd);
  float x[16], y[16];
  for (int i = 0; i < 16; ++i) {
    x[i] = static_cast<float>(i) * 0.25f;
    y[i] = 1.0f;
  }
  for (unsigned level : {0u, 1u, 2u, 3u}) {
    for (bool fuse : {false, true}) {
      CompileOptions options;
      options.optLevel = level;
      options.fuseElementwise = fuse;
      auto fn = compile(*module, "add", options);
      float out[16] = {};
      fn->call({x, y}, {out});
      for (int i = 0; i < 16; ++i)
        ASSERT_FLOAT_EQ(out[i], x[i] + 1.0f) << options.key();
    }
  }
  CompileOptions bad;
  bad.optLevel = 4;
  EXPECT_THROW(compile(*module, "add", bad), Error);
}

// Odd sizes on purpose: full register blocks, static remainders and
// cache-tile remainders all occur, in f32 and in f64.
std::string matmulSource(const char *type) {
  std::string t = type;
  return "#a = affine_map<(m, n, k) -> (m, k)>\n"
         "#b = affine_map<(m, n, k) -> (k, n)>\n"
         "#c = affine_map<(m, n, k) -> (m, n)>\n"
         "func.func @mm(%a: tensor<70x300x" +
         t + ">, %b: tensor<300x600x" + t + ">) -> tensor<70x600x" + t +
         "> {\n"
         "  %zero = arith.constant 0.0 : " +
         t +
         "\n"
         "  %init = tensor.empty() : tensor<70x600x" +
         t +
         ">\n"
         "  %acc = linalg.fill ins(%zero : " +
         t + ") outs(%init : tensor<70x600x" + t + ">) -> tensor<70x600x" + t +
         ">\n"
         "  %r = linalg.generic {indexing_maps = [#a, #b, #c], iterator_types "
         "= "
         "[\"parallel\", \"parallel\", \"reduction\"]} ins(%a, %b : "
         "tensor<70x300x" +
         t + ">, tensor<300x600x" + t +
         ">) outs(%acc : "
         "tensor<70x600x" +
         t +
         ">) {\n"
         "  ^bb0(%x: " +
         t + ", %y: " + t + ", %s: " + t +
         "):\n"
         "    %p = arith.mulf %x, %y : " +
         t +
         "\n"
         "    %q = arith.addf %s, %p : " +
         t +
         "\n"
         "    linalg.yield %q : " +
         t +
         "\n"
         "  } -> tensor<70x600x" +
         t +
         ">\n"
         "  return %r : tensor<70x600x" +
         t +
         ">\n"
         "}\n";
}

template <typename T> void checkMatmulAtEveryWidth(const char *type) {
  auto context = createContext();
  auto module = parseModule(*context, matmulSource(type));
  std::vector<T> a(70 * 300), b(300 * 600);
  for (size_t i = 0; i < a.size(); ++i)
    a[i] = static_cast<T>(std::sin(0.37 * static_cast<double>(i)));
  for (size_t i = 0; i < b.size(); ++i)
    b[i] = static_cast<T>(std::cos(0.11 * static_cast<double>(i)));
  std::vector<double> want(70 * 600, 0.0);
  for (int m = 0; m < 70; ++m)
    for (int k = 0; k < 300; ++k)
      for (int n = 0; n < 600; ++n)
        want[m * 600 + n] += double(a[m * 300 + k]) * double(b[k * 600 + n]);
  double tolerance = sizeof(T) == 4 ? 1e-4 : 1e-12;
  for (unsigned width : {0u, 8u, 16u}) {
    CompileOptions options;
    options.vectorWidth = width;
    auto fn = compile(*module, "mm", options);
    std::vector<T> out(70 * 600);
    fn->call({a.data(), b.data()}, {out.data()});
    for (size_t i = 0; i < out.size(); ++i)
      ASSERT_NEAR(out[i], want[i],
                  tolerance * std::max(1.0, std::fabs(want[i])))
          << options.key() << " element " << i;
  }
}

TEST(JitEngine, MatmulAgreesAtEveryVectorWidth) {
  checkMatmulAtEveryWidth<float>("f32");
  checkMatmulAtEveryWidth<double>("f64");
}

TEST(JitEngine, OptionsKeyNamesVectorWidthAndCpu) {
  CompileOptions options;
  EXPECT_EQ(options.vectorWidth, hostVectorWidth());
  EXPECT_EQ(options.cpu, hostCpuName());
  EXPECT_NE(options.key().find(",vec=" + std::to_string(hostVectorWidth())),
            std::string::npos);
  EXPECT_NE(options.key().find(",cpu=" + hostCpuName()), std::string::npos);
  CompileOptions narrower = options;
  narrower.vectorWidth = 8;
  EXPECT_NE(options.key(), narrower.key());
}

TEST(JitEngine, WrongArgumentCountsThrow) {
  auto context = createContext();
  auto module = parseModule(*context, kAdd);
  auto fn = compile(*module, "add");
  float x[16] = {}, y[16] = {}, out[16] = {};

  auto message = [&](auto &&call) -> std::string {
    try {
      call();
    } catch (const Error &e) {
      return e.what();
    }
    return "";
  };
  std::string missing = message([&] { fn->call({x}, {out}); });
  EXPECT_NE(missing.find("expected 2 inputs, got 1"), std::string::npos)
      << missing;
  EXPECT_NE(missing.find("input 1"), std::string::npos) << missing;

  std::string extra = message([&] { fn->call({x, y, y}, {out}); });
  EXPECT_NE(extra.find("input 2 is extra"), std::string::npos) << extra;

  std::string noOutput = message([&] { fn->call({x, y}, {}); });
  EXPECT_NE(noOutput.find("output 0"), std::string::npos) << noOutput;

  std::string null = message([&] { fn->call({x, nullptr}, {out}); });
  EXPECT_NE(null.find("input 1 is a null pointer"), std::string::npos) << null;

  HostBuffer wrong(TensorSpec({4, 4}, DType::Float64));
  HostBuffer good(TensorSpec({4, 4}, DType::Float32));
  std::string spec = message([&] { fn->run({&good, &wrong}); });
  EXPECT_NE(spec.find("input 1 is (4,4) float64, expected (4,4) float32"),
            std::string::npos)
      << spec;
}

// An mx op on a dynamic shape inside an otherwise static function: the
// lowering reports it, and the report must reach the exception.
const char *kDynamicInside = R"mlir(
func.func @bad(%x: tensor<4xf32>) -> tensor<4xf32> {
  %d = tensor.cast %x : tensor<4xf32> to tensor<?xf32>
  %e = mx.exp %d : tensor<?xf32>
  %r = tensor.cast %e : tensor<?xf32> to tensor<4xf32>
  return %r : tensor<4xf32>
}
)mlir";

TEST(JitEngine, PipelineFailureThrowsWithDiagnostics) {
  auto context = createContext();
  auto module = parseModule(*context, kDynamicInside, "graph.mlir");
  try {
    compile(*module, "bad");
    FAIL() << "compiled an op the lowering rejects";
  } catch (const Error &e) {
    std::string what = e.what();
    EXPECT_NE(what.find("@bad: lowering to LLVM failed"), std::string::npos)
        << what;
    EXPECT_NE(what.find("graph.mlir:4:8: error: 'mx.exp' op has dynamic"),
              std::string::npos)
        << what;
  }
}

TEST(JitEngine, VerifierFailureThrowsWithDiagnostics) {
  // Built by hand: the parser would reject it before compile() sees it.
  auto context = createContext();
  mlir::OpBuilder builder(context.get());
  auto loc = mlir::FileLineColLoc::get(context.get(), "graph.py", 7, 1);
  auto module = mlir::ModuleOp::create(loc);
  builder.setInsertionPointToEnd(module.getBody());
  auto t4 = mlir::RankedTensorType::get({4}, builder.getF32Type());
  auto t3 = mlir::RankedTensorType::get({3}, builder.getF32Type());
  auto fn = mlir::func::FuncOp::create(builder, loc, "mismatch",
                                       builder.getFunctionType({t3}, {t4}));
  mlir::Block *body = fn.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  mlir::func::ReturnOp::create(builder, loc, body->getArgument(0));
  mlir::OwningOpRef<mlir::ModuleOp> owned(module);
  try {
    compile(*owned, "mismatch");
    FAIL() << "compiled an invalid function";
  } catch (const Error &e) {
    std::string what = e.what();
    EXPECT_NE(what.find("does not verify"), std::string::npos) << what;
    EXPECT_NE(what.find("graph.py:7:1: error:"), std::string::npos) << what;
    EXPECT_NE(what.find("func.return"), std::string::npos) << what;
  }
}

TEST(JitEngine, UnsupportedSignaturesThrow) {
  auto context = createContext();
  auto dynamic = parseModule(*context, R"mlir(
func.func @dyn(%x: tensor<?xf32>) -> tensor<?xf32> {
  return %x : tensor<?xf32>
})mlir");
  EXPECT_THROW(compile(*dynamic, "dyn"), Error);
  auto module = parseModule(*context, kAdd);
  EXPECT_THROW(compile(*module, "missing"), Error);
}

TEST(JitEngine, ParseErrorsThrowWithDiagnostics) {
  auto context = createContext();
  try {
    parseModule(*context, "func.func @f( {", "broken.mlir");
    FAIL() << "parsed garbage";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("broken.mlir:1:"), std::string::npos)
        << e.what();
  }
}

} // namespace

// A shape-generic function (CompileOptions::genericBatch): one compile runs
// at every batch size, outputs sized by the inputs' batch, and run() checks
// each buffer against the signature with `?` read as that batch size.
const char *kGenericDense = R"mlir(
func.func @dense(%x: tensor<?x3xf32>, %w: tensor<2x3xf32>, %b: tensor<2xf32>)
    -> (tensor<?x2xf32>, tensor<2xf32>) {
  %h = mx.fully_connected %x, %w, %b {num_hidden = 2 : i64}
      : (tensor<?x3xf32>, tensor<2x3xf32>, tensor<2xf32>) -> tensor<?x2xf32>
  %r = mx.relu %h : tensor<?x2xf32>
  %m = mx.mean %r {axis = array<i64: 0>} : (tensor<?x2xf32>) -> tensor<2xf32>
  return %r, %m : tensor<?x2xf32>, tensor<2xf32>
}
)mlir";

TEST(JitEngine, GenericBatchFunctionRunsAtEveryBatchSize) {
  auto context = createContext();
  auto module = parseModule(*context, kGenericDense);
  CompileOptions options;
  options.genericBatch = true;
  auto fn = compile(*module, "dense", options);
  ASSERT_TRUE(fn->generic());
  EXPECT_EQ(fn->inputs()[0].str(), "(?,3) float32");
  EXPECT_EQ(fn->outputs()[1].str(), "(2,) float32");
  // Without the flag the signature is rejected, as before.
  EXPECT_THROW(compile(*module, "dense"), Error);

  const float w[6] = {1, -1, 0.5f, 0, 2, -1}, bias[2] = {0.25f, -0.5f};
  HostBuffer wb = HostBuffer::fromValues<float>(
      TensorSpec({2, 3}, DType::Float32), {w[0], w[1], w[2], w[3], w[4], w[5]});
  HostBuffer bb = HostBuffer::fromValues<float>(TensorSpec({2}, DType::Float32),
                                                {bias[0], bias[1]});
  for (int64_t batch : {1, 3, 7}) {
    std::vector<float> x(batch * 3);
    for (size_t i = 0; i < x.size(); ++i)
      x[i] = std::sin(0.7f * static_cast<float>(i));
    HostBuffer xb = HostBuffer::fromValues<float>(
        TensorSpec({batch, 3}, DType::Float32), x);
    std::vector<HostBuffer> out = fn->run({&xb, &wb, &bb});
    ASSERT_EQ(out[0].spec(), TensorSpec({batch, 2}, DType::Float32));
    double mean[2] = {0, 0};
    for (int64_t r = 0; r < batch; ++r)
      for (int64_t j = 0; j < 2; ++j) {
        double h = bias[j];
        for (int64_t k = 0; k < 3; ++k)
          h += x[r * 3 + k] * w[j * 3 + k];
        h = std::max(h, 0.0);
        mean[j] += h / batch;
        EXPECT_NEAR(out[0].values<float>()[r * 2 + j], h, 1e-5)
            << "batch " << batch << " row " << r;
      }
    for (int64_t j = 0; j < 2; ++j)
      EXPECT_NEAR(out[1].values<float>()[j], mean[j], 1e-5);
  }

  // A non-batch dimension that differs from the signature is named.
  HostBuffer wrongW(TensorSpec({2, 4}, DType::Float32));
  HostBuffer x4(TensorSpec({4, 3}, DType::Float32));
  try {
    fn->run({&x4, &wrongW, &bb});
    FAIL() << "ran with a (2,4) weight";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find(
                  "input 1 is (2,4) float32, expected (2,3) float32"),
              std::string::npos)
        << e.what();
  }
  // The raw-pointer entry needs the batch size.
  float dummy[8];
  EXPECT_THROW(fn->call({dummy, dummy, dummy}, {dummy, dummy}), Error);
}
