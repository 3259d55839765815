//===- OutlineUtils.cpp - what an outlined loop nest needs ----------------===//

#include "lowering/OutlineUtils.h"

#include "mlir/Interfaces/SideEffectInterfaces.h"

using namespace mlir;

bool mxjit::isRecomputable(Operation *op) {
  return op->getNumRegions() == 0 && isMemoryEffectFree(op);
}

mxjit::OutlineInputs mxjit::collectOutlineInputs(ArrayRef<Operation *> roots) {
  auto inside = [&](Value v) {
    Operation *owner = v.getDefiningOp();
    if (!owner)
      owner = v.getParentBlock()->getParentOp();
    return llvm::any_of(
        roots, [&](Operation *root) { return root->isAncestor(owner); });
  };
  OutlineInputs inputs;
  SmallVector<Value> worklist;
  for (Operation *root : roots)
    root->walk([&](Operation *op) {
      for (Value operand : op->getOperands())
        if (!inside(operand))
          worklist.push_back(operand);
    });
  for (size_t i = 0; i < worklist.size(); ++i) {
    Value v = worklist[i];
    Operation *def = v.getDefiningOp();
    if (def && isRecomputable(def)) {
      if (inputs.toClone.insert(def))
        llvm::append_range(worklist, def->getOperands());
      continue;
    }
    inputs.captured.insert(v);
  }
  return inputs;
}
