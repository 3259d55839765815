//===- FastMath.cpp - the mx-fast-math pass -------------------------------===//
//
// After convert-math-to-llvm and convert-math-to-libm, f32 tanh and erf are
// calls of libm's tanhf/erff and exp/log are llvm.exp/llvm.log intrinsics,
// which LLVM can only expand into one scalar libm call per element: a loop
// that applies them does not vectorize, and libm's tanhf is slow on its own
// (in LeNet's training step it was the largest cost after the convolutions).
// Upstream's polynomial approximations are plain arith on scalars or
// vectors, so the loops around them vectorize like any other elementwise
// loop. They are accurate to a few ulp (test/runtime/FastMathTest.cpp
// measures the bound that docs/performance.md states); expm1 and log1p are
// left to mx-precise-math-to-libm, whose whole point is accuracy near 0.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Math/Transforms/Passes.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

#include "llvm/ADT/STLExtras.h"

namespace mxjit {
#define GEN_PASS_DEF_MXFASTMATH
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {
/// The math ops (mnemonics) this pass approximates. Each has an upstream
/// f32 pattern whose error test/runtime/FastMathTest.cpp bounds.
constexpr llvm::StringLiteral kApproximated[] = {"tanh", "exp", "log", "log2",
                                                 "erf"};

bool approximated(llvm::StringRef name) {
  name.consume_front("math.");
  return llvm::is_contained(kApproximated, name);
}

struct MxFastMathPass : mxjit::impl::MxFastMathBase<MxFastMathPass> {
  void runOnOperation() override {
    // Only f32 ops: upstream has no f64 approximations, and f64 users asked
    // for the precision anyway.
    SmallVector<Operation *> ops;
    getOperation()->walk([&](Operation *op) {
      if (isa<math::MathDialect>(op->getDialect()) &&
          approximated(op->getName().getStringRef()) &&
          op->getNumOperands() == 1 &&
          getElementTypeOrSelf(op->getOperand(0).getType()).isF32())
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathPolynomialApproximationPatterns(patterns, approximated);
    // Only the collected ops and what their rewrites create: the rest of
    // the module is not this pass's business.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    config.enableFolding(false);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace
