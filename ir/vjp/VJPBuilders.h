//===- VJPBuilders.h - helpers for mx vector-Jacobian products --*- C++ -*-===//
//
// Small builders shared by the VJP rules. Everything they emit is mx ops, so
// gradient functions can be differentiated again.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_IR_VJP_VJPBUILDERS_H
#define MXJIT_IR_VJP_VJPBUILDERS_H

#include "ir/MxOps.h"

#include "mlir/IR/Builders.h"

namespace mxjit::mx::vjp {

bool isFloatTensor(mlir::Value v);
mlir::RankedTensorType tensorType(mlir::Value v);

/// An mx.constant of `type` with every element `value`.
mlir::Value splat(mlir::OpBuilder &b, mlir::Location loc, mlir::Type type,
                  double value);

/// Sums `grad` over the axes along which `target` was broadcast to grad's
/// shape (NumPy rules) and reshapes the sum to `target`'s shape.
mlir::Value unbroadcast(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::Value grad, mlir::RankedTensorType target);

/// `grad` reshaped to `type` (no-op when the types already match).
mlir::Value reshapeTo(mlir::OpBuilder &b, mlir::Location loc, mlir::Value v,
                      mlir::RankedTensorType type);

/// Broadcasts the result of a reduction of `input` over `axes` (sorted, in
/// range; with or without keepdims) back to `input`'s shape.
mlir::Value expandReduced(mlir::OpBuilder &b, mlir::Location loc,
                          mlir::Value reduced, mlir::RankedTensorType input,
                          llvm::ArrayRef<int64_t> axes);

/// `x op s` for a tensor-scalar mx op.
template <typename ScalarOp>
mlir::Value scalarOp(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     double s) {
  return ScalarOp::create(b, loc, x, b.getF64FloatAttr(s));
}

/// The rule of a one-operand op: appends `fn(loc, x, y, g)` (x the operand,
/// y the result, g its cotangent) for a float operand, no gradient for an
/// integer one.
template <typename Fn>
mlir::LogicalResult unaryRule(mlir::Operation *op, mlir::ValueRange grads,
                              llvm::SmallVectorImpl<mlir::Value> &out, Fn fn) {
  mlir::Value x = op->getOperand(0);
  if (!isFloatTensor(x)) {
    out.push_back(nullptr);
    return mlir::success();
  }
  out.push_back(fn(op->getLoc(), x, op->getResult(0), grads[0]));
  return mlir::success();
}

/// The rule of an op whose operands get no gradient.
mlir::LogicalResult noGradients(mlir::Operation *op,
                                llvm::SmallVectorImpl<mlir::Value> &out);

mlir::Value mul(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                mlir::Value y);
mlir::Value div(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                mlir::Value y);
mlir::Value neg(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x);

} // namespace mxjit::mx::vjp

#endif // MXJIT_IR_VJP_VJPBUILDERS_H
