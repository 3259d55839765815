//===- DistinctResults.cpp - the mx-distinct-results pass -----------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mxjit {
#define GEN_PASS_DEF_MXDISTINCTRESULTS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {
struct MxDistinctResultsPass
    : mxjit::impl::MxDistinctResultsBase<MxDistinctResultsPass> {
  void runOnOperation() override {
    getOperation().walk([](func::ReturnOp ret) {
      llvm::SmallPtrSet<Value, 4> seen;
      OpBuilder builder(ret);
      for (OpOperand &operand : ret->getOpOperands()) {
        Value v = operand.get();
        auto type = dyn_cast<RankedTensorType>(v.getType());
        if (!type || seen.insert(v).second)
          continue;
        // Sized like `v`, whose `?` dimensions tensor.dim reads.
        Value init = tensor::EmptyOp::create(
            builder, ret.getLoc(),
            tensor::getMixedSizes(builder, ret.getLoc(), v),
            type.getElementType());
        operand.set(linalg::CopyOp::create(builder, ret.getLoc(), v, init)
                        .getResult(0));
      }
    });
  }
};
} // namespace
