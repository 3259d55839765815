//===- DonateOutParams.cpp - the mx-donate-out-params pass ----------------===//
//
// After bufferization a donated argument and the out-parameter of its result
// are two memref arguments that the caller may pass the same pointer for.
// Code written for distinct buffers is then only right if the argument's old
// value is never read after the out-parameter is first written. This pass
// makes that hold, cheapest case first:
//   - bufferization wrote the result in place into the argument and copies
//     it into the out-parameter at the end: the copy only runs when the
//     caller passed a different pointer (with the same one it would copy a
//     buffer onto itself);
//   - every use of the argument (and its views) comes before the first use
//     of the out-parameter: nothing to do;
//   - otherwise the argument is copied into a temporary on entry and the
//     body reads that instead.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/DenseMap.h"

#include <limits>

namespace mxjit {
#define GEN_PASS_DEF_MXDONATEOUTPARAMS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

struct MxDonateOutParamsPass
    : mxjit::impl::MxDonateOutParamsBase<MxDonateOutParamsPass> {
  void runOnOperation() override {
    func::FuncOp f = getOperation();
    if (f.isExternal())
      return;
    llvm::SmallVector<std::pair<BlockArgument, BlockArgument>> pairs;
    for (BlockArgument arg : f.getArguments()) {
      auto out = f.getArgAttrOfType<IntegerAttr>(arg.getArgNumber(),
                                                 mxjit::mx::kDonateOutAttrName);
      f.removeArgAttr(arg.getArgNumber(), mxjit::mx::kDonateAttrName);
      f.removeArgAttr(arg.getArgNumber(), mxjit::mx::kDonateOutAttrName);
      if (!out)
        continue;
      uint64_t index = out.getInt();
      if (index >= f.getNumArguments() ||
          f.getArgument(index).getType() != arg.getType()) {
        f.emitError("mx.donate_out of argument ")
            << arg.getArgNumber() << " names argument " << index
            << ", which is not an out-parameter of its type";
        return signalPassFailure();
      }
      pairs.push_back({arg, f.getArgument(index)});
    }
    if (pairs.empty())
      return;
    if (!f.getBody().hasOneBlock()) {
      f.emitError("mx-donate-out-params needs a single-block body");
      return signalPassFailure();
    }
    Block &body = f.getBody().front();
    for (auto [in, out] : pairs) {
      if (guardSelfCopy(in, out))
        continue;
      if (readsBeforeWrites(body, in, out)) {
        ++numOrdered;
        continue;
      }
      copyOnEntry(body, in);
      ++numCopied;
    }
  }

  /// The result was computed in place in `in` and only copied into `out`:
  /// that copy is skipped when `out` is `in`.
  bool guardSelfCopy(BlockArgument in, BlockArgument out) {
    if (!out.hasOneUse())
      return false;
    auto copy = dyn_cast<memref::CopyOp>(*out.getUsers().begin());
    if (!copy || copy.getSource() != in || copy.getTarget() != out)
      return false;
    OpBuilder b(copy);
    Location loc = copy.getLoc();
    Value from = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, in);
    Value to = memref::ExtractAlignedPointerAsIndexOp::create(b, loc, out);
    Value distinct =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ne, from, to);
    auto guard = scf::IfOp::create(b, loc, distinct, /*withElseRegion=*/false);
    copy->moveBefore(guard.thenBlock()->getTerminator());
    ++numInPlace;
    return true;
  }

  /// Whether every op of `body` touching `in` or a view of it comes before
  /// every op touching `out` or a view of it.
  bool readsBeforeWrites(Block &body, Value in, Value out) {
    llvm::DenseMap<Operation *, int64_t> position;
    int64_t next = 0;
    for (Operation &op : body)
      position[&op] = next++;
    BufferViewFlowAnalysis aliases(getOperation());
    auto span = [&](Value v, bool last) {
      int64_t result = last ? -1 : std::numeric_limits<int64_t>::max();
      for (Value alias : aliases.resolve(v))
        for (Operation *user : alias.getUsers())
          if (Operation *top = body.findAncestorOpInBlock(*user)) {
            int64_t p = position.lookup(top);
            result = last ? std::max(result, p) : std::min(result, p);
          }
      return result;
    };
    return span(in, /*last=*/true) < span(out, /*last=*/false);
  }

  /// Copies `in` into a fresh buffer at the top of `body` and points every
  /// other use of `in` at it.
  void copyOnEntry(Block &body, BlockArgument in) {
    auto type = cast<MemRefType>(in.getType());
    OpBuilder b(&body, body.begin());
    Location loc = in.getLoc();
    llvm::SmallVector<Value> sizes;
    for (auto [i, size] : llvm::enumerate(type.getShape()))
      if (ShapedType::isDynamic(size))
        sizes.push_back(memref::DimOp::create(b, loc, in, i));
    auto saved =
        memref::AllocOp::create(b, loc, type, sizes, b.getI64IntegerAttr(64));
    auto copy = memref::CopyOp::create(b, loc, in, saved);
    in.replaceAllUsesExcept(saved, copy);
    b.setInsertionPoint(body.getTerminator());
    memref::DeallocOp::create(b, loc, saved);
  }
};

} // namespace
