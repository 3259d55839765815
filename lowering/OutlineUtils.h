//===- OutlineUtils.h - what an outlined loop nest needs --------*- C++ -*-===//
//
// mx-outline-loop-nests and mx-parallelize both move loop nests into
// functions of their own; this is the analysis they share.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_LOWERING_OUTLINEUTILS_H
#define MXJIT_LOWERING_OUTLINEUTILS_H

#include "mlir/IR/Operation.h"

#include "llvm/ADT/SetVector.h"

namespace mxjit {

/// Ops defined outside an outlined body that are cheaper to recompute
/// inside than to pass: region-free and free of memory effects. Constants
/// (so LLVM sees trip counts and immediates) and views (subview,
/// expand/collapse_shape, get_global), whose strided result types the
/// bare-pointer calling convention would otherwise have to carry.
bool isRecomputable(mlir::Operation *op);

/// The values the ops in `roots` (and their regions) use from outside them.
struct OutlineInputs {
  /// Passed in, in first-use order.
  llvm::SetVector<mlir::Value> captured;
  /// Recomputable producers to clone into the outlined body; their own
  /// outside operands are captured (or cloned) in turn.
  llvm::SetVector<mlir::Operation *> toClone;
};
OutlineInputs collectOutlineInputs(llvm::ArrayRef<mlir::Operation *> roots);

} // namespace mxjit

#endif // MXJIT_LOWERING_OUTLINEUTILS_H
