//===- MxOps.cpp - mx op type inference and verifiers ---------------------===//

#include "ir/MxOps.h"
#include "ir/ShapeInference.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::mx;

namespace {
ArrayRef<int64_t> shapeOf(Type type) {
  return cast<RankedTensorType>(type).getShape();
}
Type elementOf(Type type) {
  return cast<RankedTensorType>(type).getElementType();
}

/// Pushes a tensor type of `shape` and `element`, or reports `error` at `loc`
/// prefixed with the op name.
LogicalResult pushShape(std::optional<Location> loc, StringRef opName,
                        const shape::MaybeShape &shape, Type element,
                        const std::string &error,
                        SmallVectorImpl<Type> &types) {
  if (!shape)
    return emitOptionalError(loc, "'", opName, "' op ", error);
  types.push_back(RankedTensorType::get(*shape, element));
  return success();
}
} // namespace

LogicalResult mx::inferBroadcastResultType(std::optional<Location> loc,
                                           Type lhs, Type rhs,
                                           SmallVectorImpl<Type> &types) {
  std::string error;
  auto shape = shape::broadcast(shapeOf(lhs), shapeOf(rhs), error);
  if (!shape)
    return emitOptionalError(loc, error);
  types.push_back(RankedTensorType::get(*shape, elementOf(lhs)));
  return success();
}

LogicalResult mx::inferReduceResultType(std::optional<Location> loc, Type input,
                                        ArrayRef<int64_t> axis, bool keepdims,
                                        bool exclude,
                                        SmallVectorImpl<Type> &types) {
  std::string error;
  auto shape = shape::reduce(shapeOf(input), axis, keepdims, exclude, error);
  if (!shape)
    return emitOptionalError(loc, "reduction ", error);
  types.push_back(RankedTensorType::get(*shape, elementOf(input)));
  return success();
}

std::optional<SmallVector<int64_t>>
mx::normalizeReduceAxes(int64_t rank, ArrayRef<int64_t> axis, bool exclude,
                        std::string *error) {
  std::string local;
  auto axes = shape::reduceAxes(rank, axis, exclude, local);
  if (!axes && error)
    *error = local;
  return axes;
}

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

LogicalResult ConstantOp::verify() {
  if (!isa<DenseElementsAttr, DenseResourceElementsAttr>(getValue()))
    return emitOpError("value must be a dense elements attribute");
  return success();
}

//===----------------------------------------------------------------------===//
// Clip
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::verify() {
  double lo = getAMin().convertToDouble(), hi = getAMax().convertToDouble();
  // Written so that NaN bounds fail too.
  if (!(lo <= hi))
    return emitOpError("a_min (")
           << lo << ") must not exceed a_max (" << hi << ")";
  return success();
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

LogicalResult ReshapeOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  std::string error;
  Type in = adaptor.getData().getType();
  auto shape = shape::reshape(shapeOf(in), adaptor.getShape(),
                              adaptor.getReverse(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(in), error, types);
}

SmallVector<int64_t> TransposeOp::getPermutation() {
  std::string error;
  return *shape::permutation(getData().getType().getRank(), getAxes(), error);
}

LogicalResult TransposeOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  std::string error;
  Type in = adaptor.getData().getType();
  auto shape = shape::transpose(shapeOf(in), adaptor.getAxes(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(in), error, types);
}

LogicalResult BroadcastToOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  std::string error;
  Type in = adaptor.getData().getType();
  auto shape = shape::broadcastTo(shapeOf(in), adaptor.getShape(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(in), error, types);
}

LogicalResult ExpandDimsOp::inferReturnTypes(MLIRContext *,
                                             std::optional<Location> loc,
                                             Adaptor adaptor,
                                             SmallVectorImpl<Type> &types) {
  std::string error;
  Type in = adaptor.getData().getType();
  auto shape = shape::expandDims(shapeOf(in), adaptor.getAxis(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(in), error, types);
}

LogicalResult SliceOp::inferReturnTypes(MLIRContext *,
                                        std::optional<Location> loc,
                                        Adaptor adaptor,
                                        SmallVectorImpl<Type> &types) {
  std::string error;
  Type in = adaptor.getData().getType();
  auto bounds = shape::slice(shapeOf(in), adaptor.getBegin(), adaptor.getEnd(),
                             adaptor.getStep(), error);
  shape::MaybeShape shape;
  if (bounds)
    shape = bounds->sizes;
  return pushShape(loc, getOperationName(), shape, elementOf(in), error, types);
}

void SliceOp::getNormalizedBounds(SmallVectorImpl<int64_t> &starts,
                                  SmallVectorImpl<int64_t> &strides) {
  std::string error;
  auto bounds = shape::slice(getData().getType().getShape(), getBegin(),
                             getEnd(), getStep(), error);
  starts.assign(bounds->starts.begin(), bounds->starts.end());
  strides.assign(bounds->steps.begin(), bounds->steps.end());
}

LogicalResult SliceAssignOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  // The result is the base; the slice only has to be valid.
  std::string error;
  Type base = adaptor.getBase().getType();
  auto bounds = shape::slice(shapeOf(base), adaptor.getBegin(),
                             adaptor.getEnd(), adaptor.getStep(), error);
  shape::MaybeShape shape;
  if (bounds)
    shape = shape::Shape(shapeOf(base));
  return pushShape(loc, getOperationName(), shape, elementOf(base), error,
                   types);
}

void SliceAssignOp::getNormalizedBounds(SmallVectorImpl<int64_t> &starts,
                                        SmallVectorImpl<int64_t> &strides) {
  std::string error;
  auto bounds = shape::slice(getBase().getType().getShape(), getBegin(),
                             getEnd(), getStep(), error);
  starts.assign(bounds->starts.begin(), bounds->starts.end());
  strides.assign(bounds->steps.begin(), bounds->steps.end());
}

LogicalResult SliceAssignOp::verify() {
  std::string error;
  ArrayRef<int64_t> base = getBase().getType().getShape();
  ArrayRef<int64_t> value = getValue().getType().getShape();
  auto bounds = shape::slice(base, getBegin(), getEnd(), getStep(), error);
  // Bad slice attributes are reported by type inference, as for mx.slice.
  if (!bounds)
    return success();
  bool match = value.size() == bounds->sizes.size();
  for (size_t i = 0; match && i < value.size(); ++i)
    match = ShapedType::isDynamic(value[i]) ||
            ShapedType::isDynamic(bounds->sizes[i]) ||
            value[i] == bounds->sizes[i];
  if (!match)
    return emitOpError("value shape ")
           << shape::format(value) << " does not match the shape "
           << shape::format(bounds->sizes) << " of the slice of base "
           << shape::format(base);
  return success();
}

LogicalResult ConcatOp::inferReturnTypes(MLIRContext *,
                                         std::optional<Location> loc,
                                         Adaptor adaptor,
                                         SmallVectorImpl<Type> &types) {
  std::string error;
  SmallVector<ArrayRef<int64_t>> shapes;
  for (Value v : adaptor.getData())
    shapes.push_back(shapeOf(v.getType()));
  if (shapes.empty())
    return emitOptionalError(loc, "'", getOperationName(),
                             "' op needs at least one input");
  auto shape = shape::concat(shapes, adaptor.getDim(), error);
  return pushShape(loc, getOperationName(), shape,
                   elementOf(adaptor.getData().front().getType()), error,
                   types);
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

LogicalResult DotOp::inferReturnTypes(MLIRContext *,
                                      std::optional<Location> loc,
                                      Adaptor adaptor,
                                      SmallVectorImpl<Type> &types) {
  std::string error;
  Type lhs = adaptor.getLhs().getType();
  auto shape =
      shape::dot(shapeOf(lhs), shapeOf(adaptor.getRhs().getType()),
                 adaptor.getTransposeA(), adaptor.getTransposeB(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(lhs), error,
                   types);
}

LogicalResult BatchDotOp::inferReturnTypes(MLIRContext *,
                                           std::optional<Location> loc,
                                           Adaptor adaptor,
                                           SmallVectorImpl<Type> &types) {
  std::string error;
  Type lhs = adaptor.getLhs().getType();
  auto shape =
      shape::batchDot(shapeOf(lhs), shapeOf(adaptor.getRhs().getType()),
                      adaptor.getTransposeA(), adaptor.getTransposeB(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(lhs), error,
                   types);
}

LogicalResult FullyConnectedOp::inferReturnTypes(MLIRContext *,
                                                 std::optional<Location> loc,
                                                 Adaptor adaptor,
                                                 SmallVectorImpl<Type> &types) {
  std::string error;
  Type data = adaptor.getData().getType();
  std::optional<ArrayRef<int64_t>> bias;
  if (Value b = adaptor.getBias())
    bias = shapeOf(b.getType());
  auto shape = shape::fullyConnected(
      shapeOf(data), shapeOf(adaptor.getWeight().getType()), bias,
      adaptor.getNumHidden(), adaptor.getFlatten(), error);
  return pushShape(loc, getOperationName(), shape, elementOf(data), error,
                   types);
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

template <typename SoftmaxLike>
static LogicalResult verifySoftmax(SoftmaxLike op) {
  std::string error;
  int64_t rank = op.getData().getType().getRank();
  if (rank == 0)
    return op.emitOpError("needs an input of rank >= 1");
  if (!shape::normalizeAxis(op.getAxis(), rank, error))
    return op.emitOpError(error);
  if (auto t = op.getTemperature(); t && !(t->convertToDouble() > 0.0))
    return op.emitOpError("temperature must be positive, got ")
           << t->convertToDouble();
  return success();
}

LogicalResult SoftmaxOp::verify() { return verifySoftmax(*this); }
LogicalResult LogSoftmaxOp::verify() { return verifySoftmax(*this); }

#define GET_OP_CLASSES
#include "ir/MxOps.cpp.inc"
