//===- MxLayerOps.cpp - batch_norm, dropout and the output layers ---------===//
//
// Type inference and verifiers of the normalization, dropout and loss-output
// ops. Shape rules live in ShapeInference.cpp so the frontends share them;
// every failure names the shapes or the attribute at fault.
//
//===----------------------------------------------------------------------===//

#include "ir/MxOps.h"
#include "ir/ShapeInference.h"

#include "mlir/IR/Builders.h"

#include <cmath>

using namespace mlir;
using namespace mxjit;
using namespace mxjit::mx;

namespace {
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
} // namespace

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

LogicalResult BatchNormOp::inferReturnTypes(MLIRContext *,
                                            std::optional<Location> loc,
                                            Adaptor adaptor,
                                            SmallVectorImpl<Type> &types) {
  std::string error;
  auto data = cast<RankedTensorType>(adaptor.getData().getType());
  // I64Attr getters return uint64_t: read the axis as signed.
  auto channels = shape::batchNorm(
      data.getShape(), static_cast<int64_t>(adaptor.getAxis()),
      shapeOf(adaptor.getGamma()), shapeOf(adaptor.getBeta()),
      shapeOf(adaptor.getMovingMean()), shapeOf(adaptor.getMovingVar()), error);
  if (!channels)
    return emitOptionalError(loc, "'", getOperationName(), "' op ", error);
  auto stats = RankedTensorType::get(*channels, data.getElementType());
  types.append({data, stats, stats});
  return success();
}

LogicalResult BatchNormOp::verify() {
  double eps = getEps().convertToDouble();
  // Written so that NaN fails too.
  if (!(eps >= 0.0) || std::isinf(eps))
    return emitOpError("eps must be finite and non-negative, got ") << eps;
  return success();
}

int64_t BatchNormOp::getChannelAxis() {
  int64_t axis = static_cast<int64_t>(getAxis());
  return axis < 0 ? axis + getData().getType().getRank() : axis;
}

SmallVector<int64_t> BatchNormOp::getStatAxes() {
  SmallVector<int64_t> axes;
  for (int64_t i = 0, e = getData().getType().getRank(); i < e; ++i)
    if (i != getChannelAxis())
      axes.push_back(i);
  return axes;
}

//===----------------------------------------------------------------------===//
// dropout
//===----------------------------------------------------------------------===//

LogicalResult DropoutOp::verify() {
  double p = getP().convertToDouble();
  if (!(p >= 0.0 && p <= 1.0))
    return emitOpError("p must be in [0, 1], got ") << p;
  RankedTensorType seed = getSeed().getType();
  if (seed.getRank() != 1 || seed.getDimSize(0) != 2 ||
      !seed.getElementType().isInteger(64))
    return emitOpError("seed must be a tensor<2xi64> (key, counter), got ")
           << seed;
  std::string error;
  if (!shape::dropoutMask(getData().getType().getShape(), getAxes(), error))
    return emitOpError(error);
  return success();
}

//===----------------------------------------------------------------------===//
// softmax_output
//===----------------------------------------------------------------------===//

LogicalResult SoftmaxOutputOp::verify() {
  StringRef norm = getNormalization();
  if (norm != "null" && norm != "batch" && norm != "valid")
    return emitOpError("normalization must be \"null\", \"batch\" or "
                       "\"valid\", got \"")
           << norm << "\"";
  double alpha = getSmoothAlpha().convertToDouble();
  if (!(alpha >= 0.0 && alpha <= 1.0))
    return emitOpError("smooth_alpha must be in [0, 1], got ") << alpha;
  if (!std::isfinite(getGradScale().convertToDouble()))
    return emitOpError("grad_scale must be finite");
  std::string error;
  if (!shape::softmaxOutput(shapeOf(getData()), shapeOf(getLabel()),
                            getMultiOutput(), getPreserveShape(), error))
    return emitOpError(error);
  return success();
}

Value SoftmaxOutputOp::buildSoftmax(OpBuilder &b, Value data) {
  Location loc = getLoc();
  auto type = cast<RankedTensorType>(data.getType());
  ArrayRef<int64_t> shape = type.getShape();
  // multi_output: axis 1 of (N, C, d...); preserve_shape or 2-D data: the
  // last axis; otherwise MXNet flattens the trailing axes into the classes.
  if (getMultiOutput())
    return SoftmaxOp::create(b, loc, data, /*axis=*/1, nullptr);
  if (getPreserveShape() || shape.size() == 2)
    return SoftmaxOp::create(b, loc, data, /*axis=*/-1, nullptr);
  auto flat =
      RankedTensorType::get({shape[0], shape::numElements(shape.drop_front())},
                            type.getElementType());
  Value v = ReshapeOp::create(b, loc, data, flat.getShape(), false);
  v = SoftmaxOp::create(b, loc, v, /*axis=*/-1, nullptr);
  return ReshapeOp::create(b, loc, v, shape, false);
}

//===----------------------------------------------------------------------===//
// Regression outputs
//===----------------------------------------------------------------------===//

template <typename RegressionOp>
static LogicalResult verifyRegression(RegressionOp op) {
  if (!std::isfinite(op.getGradScale().convertToDouble()))
    return op.emitOpError("grad_scale must be finite");
  std::string error;
  if (!shape::regressionOutput(shapeOf(op.getData()), shapeOf(op.getLabel()),
                               error))
    return op.emitOpError(error);
  return success();
}

LogicalResult LinearRegressionOutputOp::verify() {
  return verifyRegression(*this);
}
LogicalResult LogisticRegressionOutputOp::verify() {
  return verifyRegression(*this);
}
LogicalResult MAERegressionOutputOp::verify() {
  return verifyRegression(*this);
}
