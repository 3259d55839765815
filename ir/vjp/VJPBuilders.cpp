//===- VJPBuilders.cpp - helpers for mx vector-Jacobian products ----------===//

#include "ir/vjp/VJPBuilders.h"

#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

namespace mxjit::mx::vjp {

bool isFloatTensor(Value v) {
  return isa<FloatType>(cast<RankedTensorType>(v.getType()).getElementType());
}

RankedTensorType tensorType(Value v) {
  return cast<RankedTensorType>(v.getType());
}

Value splat(OpBuilder &b, Location loc, Type type, double value) {
  auto shaped = cast<RankedTensorType>(type);
  Type element = shaped.getElementType();
  Attribute scalar =
      isa<FloatType>(element)
          ? Attribute(b.getFloatAttr(element, value))
          : Attribute(b.getIntegerAttr(element, static_cast<int64_t>(value)));
  return ConstantOp::create(b, loc, DenseElementsAttr::get(shaped, scalar));
}

Value reshapeTo(OpBuilder &b, Location loc, Value v, RankedTensorType type) {
  if (v.getType() == type)
    return v;
  return ReshapeOp::create(b, loc, v, type.getShape(), /*reverse=*/false);
}

Value unbroadcast(OpBuilder &b, Location loc, Value grad,
                  RankedTensorType target) {
  ArrayRef<int64_t> out = tensorType(grad).getShape();
  ArrayRef<int64_t> in = target.getShape();
  int64_t lead = out.size() - in.size();
  SmallVector<int64_t> axes;
  for (int64_t i = 0, e = out.size(); i < e; ++i)
    if (i < lead || (in[i - lead] == 1 && out[i] != 1))
      axes.push_back(i);
  Value summed = grad;
  // An empty axis list would mean "every axis" to mx.sum.
  if (!axes.empty())
    summed = SumOp::create(b, loc, grad, axes, /*keepdims=*/true,
                           /*exclude=*/false);
  return reshapeTo(b, loc, summed, target);
}

Value expandReduced(OpBuilder &b, Location loc, Value reduced,
                    RankedTensorType input, ArrayRef<int64_t> axes) {
  SmallVector<int64_t> kept(input.getShape());
  for (int64_t a : axes)
    kept[a] = 1;
  auto keptType = RankedTensorType::get(kept, input.getElementType());
  Value v = reshapeTo(b, loc, reduced, keptType);
  if (keptType == input)
    return v;
  return BroadcastToOp::create(b, loc, v, input.getShape());
}

LogicalResult noGradients(Operation *op, SmallVectorImpl<Value> &out) {
  out.append(op->getNumOperands(), nullptr);
  return success();
}

Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return MultiplyOp::create(b, loc, x, y);
}
Value div(OpBuilder &b, Location loc, Value x, Value y) {
  return DivideOp::create(b, loc, x, y);
}
Value neg(OpBuilder &b, Location loc, Value x) {
  return NegativeOp::create(b, loc, x);
}

} // namespace mxjit::mx::vjp
