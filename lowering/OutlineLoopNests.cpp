//===- OutlineLoopNests.cpp - the mx-outline-loop-nests pass --------------===//
//
// A bound training graph lowers to one function with hundreds of loop nests.
// LLVM's loop passes (IndVarSimplify, LoopRotate) do SCEV work that grows
// with the size of the enclosing function for every loop, so one huge
// function costs quadratic time in `opt -O3`. Moving every top-level loop
// nest into its own small no-inline function keeps that work linear.
//
//===----------------------------------------------------------------------===//

#include "lowering/OutlineUtils.h"
#include "lowering/Passes.h"

#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "mlir/Transforms/RegionUtils.h"

#include "llvm/ADT/SetVector.h"

namespace mxjit {
#define GEN_PASS_DEF_MXOUTLINELOOPNESTS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

bool isLoopNest(Operation *op) { return isa<scf::ForOp, scf::ParallelOp>(op); }

/// The bare-pointer convention passes a memref as its aligned pointer only,
/// so the callee must be able to rebuild the descriptor from the type.
bool passableAsArgument(Type type) {
  if (auto memref = dyn_cast<BaseMemRefType>(type))
    return LLVMTypeConverter::canConvertToBarePtr(memref);
  return !isa<ShapedType>(type);
}

int64_t countOps(Operation *op) {
  int64_t n = 0;
  op->walk([&](Operation *) { ++n; });
  return n;
}

struct OutlineLoopNestsPass
    : mxjit::impl::MxOutlineLoopNestsBase<OutlineLoopNestsPass> {
  using MxOutlineLoopNestsBase::MxOutlineLoopNestsBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (func.isPublic() && !func.isExternal() && func.getBody().hasOneBlock())
        funcs.push_back(func);
    for (func::FuncOp func : funcs)
      outlineFunction(func, symbols);
  }

  /// Splits the entry block's loop nests into groups and outlines each.
  void outlineFunction(func::FuncOp func, SymbolTable &symbols) {
    SmallVector<SmallVector<Operation *>> groups;
    SmallVector<Operation *> current;
    int64_t currentOps = 0;
    auto flush = [&] {
      if (!current.empty())
        groups.push_back(std::move(current));
      current.clear();
      currentOps = 0;
    };
    for (Operation &op : func.getBody().front()) {
      if (!isLoopNest(&op)) {
        // Pure ops between two nests may stay where they are while the
        // nests move past them; anything with effects ends the group.
        if (!mxjit::isRecomputable(&op))
          flush();
        continue;
      }
      int64_t n = countOps(&op);
      bool groupable = op.getNumResults() == 0 && groupOps > 0;
      if (!groupable || current.empty() || currentOps + n > groupOps ||
          current.back()->getNumResults() != 0)
        flush();
      current.push_back(&op);
      currentOps += n;
      if (!groupable)
        flush();
    }
    flush();

    unsigned counter = 0;
    Operation *anchor = func;
    for (ArrayRef<Operation *> group : groups)
      outlineGroup(func, group, symbols, counter, anchor);

    // Constants and views that only the kernels used are now dead.
    Block &body = func.getBody().front();
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(body)))
      if (isOpTriviallyDead(&op))
        op.erase();
  }

  void outlineGroup(func::FuncOp func, ArrayRef<Operation *> group,
                    SymbolTable &symbols, unsigned &counter,
                    Operation *&anchor) {
    // Values the group uses from outside: recomputable producers are cloned
    // (with their own operands captured in turn), the rest become arguments
    // in first-use order, which keeps kernel signatures readable.
    mxjit::OutlineInputs inputs = mxjit::collectOutlineInputs(group);
    llvm::SetVector<Value> &arguments = inputs.captured;
    llvm::SetVector<Operation *> &toClone = inputs.toClone;

    SmallVector<Type> resultTypes(group.back()->getResultTypes());
    for (Value arg : arguments)
      if (!passableAsArgument(arg.getType()))
        return;
    for (Type type : resultTypes)
      if (!passableAsArgument(type))
        return;

    // Every cloned op sits in the entry block (its operands were captured
    // from outside the group, and the group is at the top level), so block
    // order is a valid def-before-use order.
    SmallVector<Operation *> clones(toClone.begin(), toClone.end());
    llvm::sort(clones, [](Operation *a, Operation *b) {
      return a->isBeforeInBlock(b);
    });

    Location loc = group.front()->getLoc();
    // Kernels follow their function in outlining order.
    OpBuilder builder(func);
    builder.setInsertionPointAfter(anchor);
    SmallVector<Type> argTypes;
    for (Value arg : arguments)
      argTypes.push_back(arg.getType());
    std::string name =
        (func.getSymName() + "_kernel" + llvm::Twine(counter++)).str();
    auto kernel = func::FuncOp::create(
        builder, loc, name, builder.getFunctionType(argTypes, resultTypes));
    kernel.setPrivate();
    // convert-func-to-llvm drops func.func's `no_inline` but forwards
    // discardable attributes, so `passthrough` reaches the LLVM function
    // and keeps O3's inliner from rebuilding the one huge function.
    kernel->setAttr("passthrough",
                    builder.getArrayAttr({builder.getStringAttr("noinline")}));
    // Internal linkage: kernel names are per module and must not clash with
    // other JIT-compiled modules.
    kernel->setAttr(
        "llvm.linkage",
        LLVM::LinkageAttr::get(builder.getContext(), LLVM::Linkage::Internal));
    symbols.insert(kernel); // renames on a clash with an existing symbol
    anchor = kernel;

    Block *entry = kernel.addEntryBlock();
    IRMapping mapping;
    for (auto [outer, inner] : llvm::zip(arguments, entry->getArguments()))
      mapping.map(outer, inner);
    builder.setInsertionPointToStart(entry);
    for (Operation *op : clones)
      builder.clone(*op, mapping);
    for (Operation *g : group)
      builder.clone(*g, mapping);
    SmallVector<Value> results;
    for (Value r : group.back()->getResults())
      results.push_back(mapping.lookup(r));
    func::ReturnOp::create(builder, loc, results);

    builder.setInsertionPoint(group.back());
    auto call = func::CallOp::create(
        builder, loc, kernel,
        SmallVector<Value>(arguments.begin(), arguments.end()));
    group.back()->replaceAllUsesWith(call);
    for (Operation *g : llvm::reverse(group))
      g->erase();
  }
};

} // namespace
