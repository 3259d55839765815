//===- Trace.h - a subgraph of NDArray nodes as an mx function --*- C++ -*-===//

#ifndef MXJIT_FRONTEND_ND_TRACE_H
#define MXJIT_FRONTEND_ND_TRACE_H

#include "nd/Node.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/STLFunctionalExtras.h"
#include "llvm/ADT/SmallVector.h"

namespace mxjit::nd::detail {

/// Nodes computed by one function: `order` (operands first) with `leaves`
/// as arguments and `outputs` as results.
/// Inline storage sized for eager ops: a cached op's whole dispatch must
/// stay under a microsecond, and heap allocations were most of it.
struct Trace {
  llvm::SmallVector<NodePtr, 8> order;
  llvm::SmallVector<Node *, 8> leaves;
  llvm::SmallVector<Node *, 4> outputs;
  llvm::SmallDenseMap<Node *, unsigned, 8> nodeIndex, leafIndex;
  /// (leaf index, output index): the output is computed in the leaf's
  /// buffer, which nothing else holds (`mx.donate` on the argument).
  llvm::SmallVector<std::pair<unsigned, unsigned>, 4> donations;
};

/// Collects the nodes behind `roots` that satisfy `expand` (which are then
/// computed) down to the first nodes that do not (which become leaves).
/// The other live results of a multi-result op in the trace that satisfy
/// `expand` join it, so one call computes them together. Outputs are left
/// for the caller to choose.
Trace collectTrace(llvm::ArrayRef<NodePtr> roots,
                   llvm::function_ref<bool(const Node &)> expand);

/// A hash of the trace's structure: ops, attributes, wiring, specs and which
/// nodes are outputs. Attributes are uniqued in the context, so their
/// pointers identify them within the process, as the in-memory caches need.
/// With `eraseBatch`, leading dimensions are left out: traces that differ
/// only in their batch size hash equal (the key of a family of batch sizes
/// that can share a shape-generic compile).
uint64_t structuralHash(const Trace &t, bool eraseBatch = false);

/// The trace as `func.func @name(leaves...) -> (outputs...)` of mx ops.
mlir::OwningOpRef<mlir::ModuleOp>
buildTraceModule(mlir::MLIRContext &ctx, const Trace &t, llvm::StringRef name);

} // namespace mxjit::nd::detail

#endif // MXJIT_FRONTEND_ND_TRACE_H
