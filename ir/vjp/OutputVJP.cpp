//===- OutputVJP.cpp - VJPs of softmax_output and the regression outputs --===//
//
// Loss layers: as in MXNet, the VJP ignores the incoming cotangent (unless
// softmax_output's out_grad asks for it) and gives the gradient of the loss
// the layer stands for. The forward value is recomputed from the data with
// mx ops (softmax, sigmoid) instead of read from the op's result, whose own
// VJP is this loss gradient: that keeps the second order exact (the Hessian
// of the cross-entropy or logistic loss). Labels get no gradient.
//
//===----------------------------------------------------------------------===//

#include "ir/ShapeInference.h"
#include "ir/vjp/VJPBuilders.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>

using namespace mlir;
using namespace mxjit;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
/// The class ids 0..classes-1 as a (1, classes, 1) constant.
Value classIds(OpBuilder &b, Location loc, int64_t classes, Type element) {
  auto type = RankedTensorType::get({1, classes, 1}, element);
  SmallVector<Attribute> ids;
  for (int64_t i = 0; i < classes; ++i)
    ids.push_back(b.getFloatAttr(element, double(i)));
  return ConstantOp::create(b, loc, DenseElementsAttr::get(type, ids));
}

/// MXNet reads float labels with static_cast<int>: truncate toward zero.
Value truncateLabel(OpBuilder &b, Location loc, Value label) {
  RankedTensorType type = tensorType(label);
  auto ints = RankedTensorType::get(type.getShape(), b.getI64Type());
  Value asInt = CastOp::create(b, loc, ints, label);
  return CastOp::create(b, loc, type, asInt);
}

Value scaled(OpBuilder &b, Location loc, Value v, double factor) {
  if (factor == 1.0)
    return v;
  return scalarOp<MultiplyScalarOp>(b, loc, v, factor);
}
} // namespace

LogicalResult SoftmaxOutputOp::buildVJP(OpBuilder &b, ValueRange grads,
                                        SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType type = getData().getType();
  if (!type.hasStaticShape() || !getLabel().getType().hasStaticShape())
    return emitOpError("needs static shapes to build its gradient");
  std::string error;
  auto layout =
      shape::softmaxOutput(type.getShape(), getLabel().getType().getShape(),
                           getMultiOutput(), getPreserveShape(), error);
  if (!layout)
    return emitOpError(error);
  double gradScale = getGradScale().convertToDouble();
  Value probs = buildSoftmax(b, getData());

  Value d;
  if (layout->probabilityLabel) {
    d = scaled(b, loc, SubtractOp::create(b, loc, probs, getLabel()),
               gradScale);
  } else {
    // Work on (outer, classes, inner) views; the label is (outer, 1, inner).
    Type element = type.getElementType();
    int64_t outer = layout->outer, classes = layout->classes,
            inner = layout->inner;
    auto view = RankedTensorType::get({outer, classes, inner}, element);
    auto labelView = RankedTensorType::get({outer, 1, inner}, element);
    Value p = reshapeTo(b, loc, probs, view);
    Value label =
        truncateLabel(b, loc, reshapeTo(b, loc, getLabel(), labelView));
    Value target =
        EqualOp::create(b, loc, label, classIds(b, loc, classes, element));
    if (double alpha = getSmoothAlpha().convertToDouble(); alpha > 0.0) {
      // 1 - alpha on the label's class, alpha / (C - 1) on the others.
      double other = classes > 1 ? alpha / double(classes - 1) : 0.0;
      target = scalarOp<MultiplyScalarOp>(b, loc, target, 1.0 - alpha - other);
      if (other != 0.0)
        target = scalarOp<AddScalarOp>(b, loc, target, other);
    }
    d = SubtractOp::create(b, loc, p, target);
    double ignore = std::trunc(getIgnoreLabel().convertToDouble());
    if (getUseIgnore())
      d = mul(b, loc, d, scalarOp<NotEqualScalarOp>(b, loc, label, ignore));
    double factor = gradScale;
    StringRef norm = getNormalization();
    if (norm == "valid") {
      // MXNet counts labels that are not ignore_label (whether or not
      // use_ignore is set), and at least 1.
      Value valid = scalarOp<NotEqualScalarOp>(b, loc, label, ignore);
      Value count = SumOp::create(b, loc, valid, ArrayRef<int64_t>{},
                                  /*keepdims=*/false, /*exclude=*/false);
      count = scalarOp<MaximumScalarOp>(b, loc, count, 1.0);
      d = div(b, loc, d, count);
    } else {
      // multi_output divides "null" and "batch" by the spatial size too.
      if (getMultiOutput())
        factor /= double(inner);
      if (norm == "batch")
        factor /= double(outer);
    }
    d = reshapeTo(b, loc, scaled(b, loc, d, factor), type);
  }
  if (getOutGrad())
    d = mul(b, loc, d, grads[0]);
  out.push_back(d);
  out.push_back(nullptr);
  return success();
}

namespace {
enum class Regression { Linear, Logistic, MAE };

template <typename RegressionOp>
LogicalResult regressionVJP(RegressionOp op, OpBuilder &b, Regression kind,
                            SmallVectorImpl<Value> &out) {
  Location loc = op.getLoc();
  RankedTensorType type = op.getData().getType();
  if (!type.hasStaticShape() || !op.getLabel().getType().hasStaticShape())
    return op.emitOpError("needs static shapes to build its gradient");
  std::string error;
  auto numOutput = shape::regressionOutput(
      type.getShape(), op.getLabel().getType().getShape(), error);
  if (!numOutput)
    return op.emitOpError(error);
  Value y = op.getData();
  if (kind == Regression::Logistic)
    y = SigmoidOp::create(b, loc, y);
  Value diff =
      SubtractOp::create(b, loc, y, reshapeTo(b, loc, op.getLabel(), type));
  if (kind == Regression::MAE)
    diff = SignOp::create(b, loc, diff);
  double factor = op.getGradScale().convertToDouble() /
                  double(std::max<int64_t>(*numOutput, 1));
  out.push_back(scaled(b, loc, diff, factor));
  out.push_back(nullptr);
  return success();
}
} // namespace

LogicalResult LinearRegressionOutputOp::buildVJP(OpBuilder &b, ValueRange,
                                                 SmallVectorImpl<Value> &out) {
  return regressionVJP(*this, b, Regression::Linear, out);
}

LogicalResult
LogisticRegressionOutputOp::buildVJP(OpBuilder &b, ValueRange,
                                     SmallVectorImpl<Value> &out) {
  return regressionVJP(*this, b, Regression::Logistic, out);
}

LogicalResult MAERegressionOutputOp::buildVJP(OpBuilder &b, ValueRange,
                                              SmallVectorImpl<Value> &out) {
  return regressionVJP(*this, b, Regression::MAE, out);
}
