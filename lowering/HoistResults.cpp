//===- HoistResults.cpp - the mx-hoist-results pass -----------------------===//
//
// A traced training step computes every weight gradient after all the data
// gradients, at the end of the function (reverse-mode autodiff emits them in
// that order), so every activation a weight gradient reads, and every
// output gradient it reads, stays alive through the whole backward pass.
// Their results are the function's results, which become caller-owned
// out-parameters: computing them as soon as their operands exist costs no
// temporary and lets the operands die early.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mxjit {
#define GEN_PASS_DEF_MXHOISTRESULTS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

/// Whether every use of every result of `op` is the function's return.
bool onlyReturned(Operation *op) {
  if (op->getNumResults() == 0)
    return false;
  for (Value result : op->getResults())
    for (Operation *user : result.getUsers())
      if (!isa<func::ReturnOp>(user))
        return false;
  return true;
}

struct MxHoistResultsPass
    : mxjit::impl::MxHoistResultsBase<MxHoistResultsPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    // Straight-line bodies only, as the traced functions are.
    if (func.isExternal() || !func.getBody().hasOneBlock())
      return;
    Block &body = func.getBody().front();
    SmallVector<Operation *> candidates;
    for (Operation &op : body)
      if (isPure(&op) && op.getNumRegions() == 0 && onlyReturned(&op))
        candidates.push_back(&op);
    // Backwards, so that ops moved behind the same definition keep their
    // order (a candidate is never another's operand: it is only returned).
    for (Operation *op : llvm::reverse(candidates)) {
      // Right after the last definition among its operands (in the body;
      // pure ops have no other dependences), or first if there is none.
      Operation *after = nullptr;
      for (Value operand : op->getOperands()) {
        Operation *def = operand.getDefiningOp();
        if (def && def->getBlock() == &body &&
            (!after || after->isBeforeInBlock(def)))
          after = def;
      }
      Operation *next = after ? after->getNextNode() : &body.front();
      if (next == op)
        continue;
      if (after)
        op->moveAfter(after);
      else
        op->moveBefore(&body, body.begin());
      ++numHoisted;
    }
  }
};

} // namespace
