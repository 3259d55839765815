//===- MxAutodiff.cpp - the mx-autodiff pass ------------------------------===//

#include "lowering/Autodiff.h"
#include "lowering/Passes.h"

#include "ir/MxDialect.h"

namespace mxjit {
#define GEN_PASS_DEF_MXAUTODIFF
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;
using namespace mxjit;

namespace {
struct MxAutodiffPass : mxjit::impl::MxAutodiffBase<MxAutodiffPass> {
  using MxAutodiffBase::MxAutodiffBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SmallVector<func::FuncOp> targets;
    if (!function.empty()) {
      auto f = module.lookupSymbol<func::FuncOp>(function);
      if (!f) {
        module.emitError("mx-autodiff: no function named @") << function;
        return signalPassFailure();
      }
      targets.push_back(f);
    } else {
      // Every function that is not itself a gradient.
      for (auto f : module.getOps<func::FuncOp>())
        if (!f.isExternal() && !f->hasAttr("mx.gradient_of"))
          targets.push_back(f);
    }
    AutodiffOptions options;
    options.wrt.assign(wrt.begin(), wrt.end());
    options.results.assign(results.begin(), results.end());
    options.seeds = seeds;
    options.keepForward = keepForward;
    for (func::FuncOp f : targets)
      if (failed(differentiate(f, options)))
        return signalPassFailure();
  }
};
} // namespace
