//===- DonateDestinations.cpp - the mx-donate-destinations pass -----------===//
//
// A donated argument (`mx.donate = j`) is storage the caller gives up for
// result j. On tensors that means: the chain of destinations result j is
// built in (the `outs` of linalg ops, the destinations of insert_slice and
// transfer_write, the inits of scf.for) starts from the argument instead of
// from a `tensor.empty`. One-shot bufferization then writes the result into
// the argument's buffer where its own read-after-write analysis allows it,
// and copies first where the old value is still read later, so the decision
// of what is safe stays upstream's.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Interfaces/DestinationStyleOpInterface.h"

namespace mxjit {
#define GEN_PASS_DEF_MXDONATEDESTINATIONS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

/// The operand that holds the first destination `v` was built in, when that
/// is a `tensor.empty` (whose contents nothing may read, so any other tensor
/// of its type can stand in for it); null otherwise.
OpOperand *emptyDestinationOf(Value v) {
  while (auto result = dyn_cast<OpResult>(v)) {
    Operation *op = result.getOwner();
    OpOperand *init = nullptr;
    if (auto dps = dyn_cast<DestinationStyleOpInterface>(op))
      init = dps.getTiedOpOperand(result);
    else if (auto loop = dyn_cast<scf::ForOp>(op))
      init = loop.getTiedLoopInit(result);
    if (!init)
      return nullptr;
    if (init->get().getDefiningOp<tensor::EmptyOp>())
      return init;
    v = init->get();
  }
  return nullptr;
}

struct MxDonateDestinationsPass
    : mxjit::impl::MxDonateDestinationsBase<MxDonateDestinationsPass> {
  void runOnOperation() override {
    func::FuncOp f = getOperation();
    if (f.isExternal())
      return;
    auto ret = dyn_cast<func::ReturnOp>(f.getBody().back().getTerminator());
    if (!ret)
      return;
    unsigned numArgs = f.getNumArguments();
    for (BlockArgument arg : f.getArguments()) {
      auto donate = f.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(),
                                                    mxjit::mx::kDonateAttrName);
      if (!donate)
        continue;
      int64_t result = donate.getInt();
      // The dialect verifier checked the index and the type.
      Value v = ret.getOperand(result);
      f.setArgAttr(arg.getArgNumber(), mxjit::mx::kDonateOutAttrName,
                   IntegerAttr::get(IntegerType::get(&getContext(), 64),
                                    numArgs + result));
      OpOperand *init = emptyDestinationOf(v);
      if (!init || init->get().getType() != arg.getType())
        continue;
      init->set(arg);
      ++numDonated;
    }
  }
};

} // namespace
