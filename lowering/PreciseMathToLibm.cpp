//===- PreciseMathToLibm.cpp - the mx-precise-math-to-libm pass -----------===//
//
// convert-math-to-llvm expands math.expm1 and math.log1p into exp(x) - 1 and
// log(1 + x), which are useless near 0 (the very reason those functions
// exist). This pass applies upstream's libm patterns to just those ops, so
// they become calls of the C library's expm1/log1p, and leaves every other
// math op to convert-math-to-llvm.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Conversion/MathToLibm/MathToLibm.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mxjit {
#define GEN_PASS_DEF_MXPRECISEMATHTOLIBM
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {
struct MxPreciseMathToLibmPass
    : mxjit::impl::MxPreciseMathToLibmBase<MxPreciseMathToLibmPass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isa<math::ExpM1Op, math::Log1pOp>(op))
        ops.push_back(op);
    });
    if (ops.empty())
      return;
    RewritePatternSet patterns(&getContext());
    populateMathToLibmConversionPatterns(patterns);
    // Only the collected ops (and what their rewrites create, e.g. the
    // scalar ops a vector op unrolls into) are rewritten.
    GreedyRewriteConfig config;
    config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
    if (failed(applyOpPatternsGreedily(ops, std::move(patterns), config)))
      signalPassFailure();
  }
};
} // namespace
