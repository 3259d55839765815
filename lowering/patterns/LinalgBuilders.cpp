//===- LinalgBuilders.cpp - helpers shared by the mx-to-linalg patterns ---===//

#include "lowering/patterns/Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mxjit::lowering;

AffineMap mxjit::lowering::broadcastMap(MLIRContext *ctx,
                                        ArrayRef<int64_t> inShape,
                                        ArrayRef<int64_t> outShape) {
  int64_t offset = outShape.size() - inShape.size();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0, e = inShape.size(); i < e; ++i) {
    bool stretched = inShape[i] == 1 && outShape[i + offset] != 1;
    exprs.push_back(stretched ? getAffineConstantExpr(0, ctx)
                              : getAffineDimExpr(i + offset, ctx));
  }
  return AffineMap::get(outShape.size(), 0, exprs, ctx);
}

Value mxjit::lowering::batchSize(OpBuilder &b, Location loc) {
  Operation *parent = b.getInsertionBlock()->getParentOp();
  auto f = dyn_cast<FunctionOpInterface>(parent);
  if (!f)
    f = parent->getParentOfType<FunctionOpInterface>();
  if (!f || f.isExternal())
    return nullptr;
  for (BlockArgument arg : f.getFunctionBody().front().getArguments()) {
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type)
      continue;
    for (int64_t d = 0, e = type.getRank(); d < e; ++d)
      if (type.isDynamicDim(d))
        return tensor::DimOp::create(b, loc, arg, d);
  }
  return nullptr;
}

Value mxjit::lowering::buildEmpty(OpBuilder &b, Location loc,
                                  ArrayRef<int64_t> shape, Type element) {
  SmallVector<Value> sizes;
  for (int64_t d : shape)
    if (ShapedType::isDynamic(d))
      sizes.push_back(batchSize(b, loc));
  return tensor::EmptyOp::create(b, loc, shape, element, sizes);
}

Extent mxjit::lowering::extentOf(ArrayRef<int64_t> shape) {
  Extent e;
  for (int64_t d : shape) {
    if (ShapedType::isDynamic(d))
      ++e.batchPowers;
    else
      e.elements *= d;
  }
  return e;
}

std::optional<int64_t> mxjit::lowering::quotientDim(Extent whole, Extent part) {
  if (part.elements == 0 || whole.elements % part.elements != 0)
    return std::nullopt;
  int64_t elements = whole.elements / part.elements;
  int64_t powers = whole.batchPowers - part.batchPowers;
  if (powers == 0)
    return elements;
  if (powers == 1 && elements == 1)
    return ShapedType::kDynamic;
  return std::nullopt;
}

Value mxjit::lowering::buildElementwise(
    OpBuilder &b, Location loc, RankedTensorType resultType, ValueRange inputs,
    function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> shape = resultType.getShape();
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(
        ctx, cast<RankedTensorType>(in.getType()).getShape(), shape));
  maps.push_back(b.getMultiDimIdentityMap(shape.size()));
  SmallVector<utils::IteratorType> iterators(shape.size(),
                                             utils::IteratorType::parallel);
  Value init = buildEmpty(b, loc, shape, resultType.getElementType());
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{resultType}, inputs, ValueRange{init}, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        Value r = body(nb, nloc, args.drop_back());
        linalg::YieldOp::create(nb, nloc, r);
      });
  return generic.getResult(0);
}

Value mxjit::lowering::buildFilled(OpBuilder &b, Location loc,
                                   RankedTensorType type, double value) {
  Value init = buildEmpty(b, loc, type.getShape(), type.getElementType());
  Value scalar = emitScalarConstant(b, loc, type.getElementType(), value);
  return linalg::FillOp::create(b, loc, scalar, init).getResult(0);
}

Value mxjit::lowering::buildReshape(OpBuilder &b, Location loc, Value input,
                                    RankedTensorType type) {
  auto inType = cast<RankedTensorType>(input.getType());
  if (inType == type)
    return input;
  auto reassocAll = [](int64_t rank) {
    SmallVector<ReassociationIndices> r;
    if (rank == 0)
      return r;
    ReassociationIndices all;
    for (int64_t i = 0; i < rank; ++i)
      all.push_back(i);
    r.push_back(all);
    return r;
  };
  // Rank 0 <-> all-ones shapes need the empty reassociation.
  if (inType.getRank() == 0)
    return tensor::ExpandShapeOp::create(b, loc, type, input,
                                         SmallVector<ReassociationIndices>{});
  if (type.getRank() == 0)
    return tensor::CollapseShapeOp::create(b, loc, type, input,
                                           SmallVector<ReassociationIndices>{});
  // Through a 1-D tensor: both reassociations are then trivially valid, and
  // bufferization turns the pair into a view without copying.
  bool dynamic = !inType.hasStaticShape() || !type.hasStaticShape();
  auto flatType = RankedTensorType::get(
      {dynamic ? ShapedType::kDynamic : inType.getNumElements()},
      inType.getElementType());
  Value flat = input;
  if (inType.getRank() != 1)
    flat = tensor::CollapseShapeOp::create(b, loc, flatType, input,
                                           reassocAll(inType.getRank()));
  if (type.getRank() == 1)
    return flat;
  if (dynamic) {
    SmallVector<OpFoldResult> sizes;
    for (int64_t d : type.getShape())
      sizes.push_back(ShapedType::isDynamic(d) ? OpFoldResult(batchSize(b, loc))
                                               : b.getIndexAttr(d));
    return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                         reassocAll(type.getRank()), sizes);
  }
  return tensor::ExpandShapeOp::create(b, loc, type, flat,
                                       reassocAll(type.getRank()));
}

Value mxjit::lowering::buildTranspose(OpBuilder &b, Location loc, Value input,
                                      ArrayRef<int64_t> perm) {
  auto inType = cast<RankedTensorType>(input.getType());
  SmallVector<int64_t> shape;
  for (int64_t p : perm)
    shape.push_back(inType.getDimSize(p));
  Value init = buildEmpty(b, loc, shape, inType.getElementType());
  return linalg::TransposeOp::create(b, loc, input, init, perm).getResult()[0];
}
