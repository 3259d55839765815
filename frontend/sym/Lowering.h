//===- Lowering.h - one Symbol node as mx-dialect ops -----------*- C++ -*-===//
//
// lowerNode is the single place a graph node becomes mx ops: the executor
// (GraphToFunc) and shape inference both go through it, so a node that
// infers a shape also binds. The helpers below are for the op families'
// `lower` functions: they infer result types with the dialect before
// creating the op, so an invalid call throws mxjit::Error with the
// dialect's message instead of aborting in an inferring builder.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_LOWERING_H
#define MXJIT_FRONTEND_SYM_LOWERING_H

#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OperationSupport.h"

namespace mxjit::sym::detail {

/// Lowers `node` on `inputs` (one value per node input) at ctx.builder's
/// insertion point: checks the parameters (unknown keys other than `__x__`
/// user attributes are rejected) and the input count, calls the op's
/// lower, and verifies every op it created. Throws mxjit::Error
/// "Error in operator <node> (<op>): <message>" on any failure, leaving no
/// created op behind.
std::vector<mlir::Value> lowerNode(LowerContext &ctx, const Node &node,
                                   const std::vector<mlir::Value> &inputs);

/// Throws mxjit::Error naming the op, node and key when `attrs` holds a
/// key that is neither a parameter of `info` nor a `__x__` user attribute,
/// then runs info.check.
void validateParams(const OpInfo &info, const Node &node);

/// True for MXNet's user-attribute spelling `__key__`.
bool isUserAttrKey(const std::string &key);

/// Creates `name` on `operands` with `attrs`, its result types inferred by
/// the dialect (or `resultTypes` when given, for mx.cast). Throws
/// mxjit::Error with the dialect's diagnostics when inference or
/// verification fails.
mlir::Operation *createOp(LowerContext &ctx, llvm::StringRef name,
                          mlir::ValueRange operands,
                          llvm::ArrayRef<mlir::NamedAttribute> attrs = {},
                          mlir::TypeRange resultTypes = {});

/// createOp for a typed op: `build<mx::ReluOp>(ctx, {x})`.
template <typename OpTy>
mlir::Value build(LowerContext &ctx, mlir::ValueRange operands,
                  llvm::ArrayRef<mlir::NamedAttribute> attrs = {},
                  mlir::TypeRange resultTypes = {}) {
  return createOp(ctx, OpTy::getOperationName(), operands, attrs, resultTypes)
      ->getResult(0);
}

/// Attribute helpers in the builder's context.
mlir::NamedAttribute i64Attr(LowerContext &ctx, llvm::StringRef name,
                             int64_t v);
mlir::NamedAttribute f64Attr(LowerContext &ctx, llvm::StringRef name, double v);
mlir::NamedAttribute boolAttr(LowerContext &ctx, llvm::StringRef name, bool v);
mlir::NamedAttribute i64sAttr(LowerContext &ctx, llvm::StringRef name,
                              llvm::ArrayRef<int64_t> v);

/// The static shape of a lowered value (every mx value is a static ranked
/// tensor).
llvm::ArrayRef<int64_t> shapeOf(mlir::Value v);

/// "Error in operator <node> (<op>): <message>".
Error opError(const Node &node, const std::string &message);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_LOWERING_H
