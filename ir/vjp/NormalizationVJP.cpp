//===- NormalizationVJP.cpp - VJPs of batch_norm and dropout --------------===//
//
// batch_norm, with R the axes the statistics reduce, x_hat = (x - mu) *
// rsqrt(var + eps) and dx_hat = g * gamma (g with fix_gamma):
//   training:     dx = rsqrt(var + eps) * (dx_hat - mean_R(dx_hat)
//                                          - x_hat * mean_R(dx_hat * x_hat))
//   global stats: dx = dx_hat * rsqrt(moving_var + eps)
//   dgamma = sum_R(g * x_hat) (none with fix_gamma), dbeta = sum_R(g).
// The batch statistics are recomputed from x with mx ops rather than read
// from the op's mean/var results: those results carry no gradient (MXNet's
// hidden outputs), so a gradient built on them would be wrong at the second
// order.
//
// dropout: the mask depends only on the seed and the element index, so the
// VJP is the same dropout applied to the cotangent.
//
//===----------------------------------------------------------------------===//

#include "ir/vjp/VJPBuilders.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
/// `v` of shape (C) reshaped to broadcast against data along `axis`.
Value perChannel(OpBuilder &b, Location loc, Value v, RankedTensorType data,
                 int64_t axis) {
  SmallVector<int64_t> shape(data.getRank(), 1);
  shape[axis] = data.getDimSize(axis);
  return reshapeTo(b, loc, v,
                   RankedTensorType::get(shape, data.getElementType()));
}

Value meanKeep(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> axes) {
  return MeanOp::create(b, loc, v, axes, /*keepdims=*/true,
                        /*exclude=*/false);
}

/// Sum over `axes` without keepdims: shape (C) when only the channel axis
/// remains.
Value sumTo(OpBuilder &b, Location loc, Value v, ArrayRef<int64_t> axes) {
  return SumOp::create(b, loc, v, axes, /*keepdims=*/false,
                       /*exclude=*/false);
}
} // namespace

LogicalResult BatchNormOp::buildVJP(OpBuilder &b, ValueRange grads,
                                    SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  RankedTensorType type = getData().getType();
  int64_t axis = getChannelAxis();
  SmallVector<int64_t> axes = getStatAxes();
  double eps = getEps().convertToDouble();
  Value x = getData(), g = grads[0];

  Value mean, var;
  if (usesBatchStats()) {
    mean = meanKeep(b, loc, x, axes);
    Value centered = SubtractOp::create(b, loc, x, mean);
    var = meanKeep(b, loc, SquareOp::create(b, loc, centered), axes);
  } else {
    mean = perChannel(b, loc, getMovingMean(), type, axis);
    var = perChannel(b, loc, getMovingVar(), type, axis);
  }
  Value invStd =
      RsqrtOp::create(b, loc, scalarOp<AddScalarOp>(b, loc, var, eps));
  Value xhat = mul(b, loc, SubtractOp::create(b, loc, x, mean), invStd);

  Value dxhat = g;
  if (!getFixGamma())
    dxhat = mul(b, loc, g, perChannel(b, loc, getGamma(), type, axis));
  Value dx;
  if (usesBatchStats()) {
    Value m1 = meanKeep(b, loc, dxhat, axes);
    Value m2 = meanKeep(b, loc, mul(b, loc, dxhat, xhat), axes);
    Value inner = SubtractOp::create(b, loc, dxhat, m1);
    inner = SubtractOp::create(b, loc, inner, mul(b, loc, xhat, m2));
    dx = mul(b, loc, invStd, inner);
  } else {
    dx = mul(b, loc, dxhat, invStd);
  }
  RankedTensorType channels = getGamma().getType();
  out.push_back(dx);
  out.push_back(getFixGamma()
                    ? Value()
                    : reshapeTo(b, loc,
                                sumTo(b, loc, mul(b, loc, g, xhat), axes),
                                channels));
  out.push_back(reshapeTo(b, loc, sumTo(b, loc, g, axes), channels));
  // The moving statistics are auxiliary states: no gradient.
  out.append({nullptr, nullptr});
  return success();
}

LogicalResult DropoutOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  out.push_back(DropoutOp::create(b, getLoc(), grads[0], getSeed(), getPAttr(),
                                  getAxesAttr()));
  out.push_back(nullptr);
  return success();
}
