//===- ReductionVJP.cpp - VJPs of reductions and softmax ------------------===//

#include "ir/vjp/VJPBuilders.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
/// sum/mean: the cotangent spreads evenly over the reduced axes.
template <typename ReduceOp>
LogicalResult spreadVJP(ReduceOp op, OpBuilder &b, Value g, bool mean,
                        SmallVectorImpl<Value> &out) {
  Value x = op.getData();
  if (!isFloatTensor(x)) {
    out.push_back(nullptr);
    return success();
  }
  Location loc = op.getLoc();
  SmallVector<int64_t> axes = op.getReducedAxes();
  Value spread = expandReduced(b, loc, g, tensorType(x), axes);
  if (mean) {
    int64_t count = 1;
    for (int64_t a : axes)
      count *= tensorType(x).getDimSize(a);
    spread = scalarOp<DivideScalarOp>(b, loc, spread, double(count));
  }
  out.push_back(spread);
  return success();
}

/// max/min: the cotangent goes to every element equal to the extremum, as
/// MXNet's reduce backward does.
template <typename ReduceOp>
LogicalResult extremumVJP(ReduceOp op, OpBuilder &b, Value g,
                          SmallVectorImpl<Value> &out) {
  Value x = op.getData();
  if (!isFloatTensor(x)) {
    out.push_back(nullptr);
    return success();
  }
  Location loc = op.getLoc();
  SmallVector<int64_t> axes = op.getReducedAxes();
  RankedTensorType type = tensorType(x);
  Value extremum = expandReduced(b, loc, op.getResult(), type, axes);
  Value mask = EqualOp::create(b, loc, x, extremum);
  out.push_back(mul(b, loc, expandReduced(b, loc, g, type, axes), mask));
  return success();
}

int64_t normalizedAxis(int64_t axis, int64_t rank) {
  return axis < 0 ? axis + rank : axis;
}

/// sum over `axis` keeping it, as mx ops.
Value sumKeep(OpBuilder &b, Location loc, Value v, int64_t axis) {
  return SumOp::create(b, loc, v, ArrayRef<int64_t>{axis}, /*keepdims=*/true,
                       /*exclude=*/false);
}

Value divideByTemperature(OpBuilder &b, Location loc, Value v,
                          std::optional<APFloat> temperature) {
  if (!temperature || temperature->convertToDouble() == 1.0)
    return v;
  return scalarOp<DivideScalarOp>(b, loc, v, temperature->convertToDouble());
}
} // namespace

LogicalResult SumOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return spreadVJP(*this, b, grads[0], /*mean=*/false, out);
}

LogicalResult MeanOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return spreadVJP(*this, b, grads[0], /*mean=*/true, out);
}

LogicalResult MaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return extremumVJP(*this, b, grads[0], out);
}

LogicalResult MinOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return extremumVJP(*this, b, grads[0], out);
}

LogicalResult SoftmaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // dx = y * (g - sum(g * y, axis)) / T
  Location loc = getLoc();
  Value y = getResult(), g = grads[0];
  int64_t axis =
      normalizedAxis(static_cast<int64_t>(getAxis()), getType().getRank());
  Value dot = sumKeep(b, loc, mul(b, loc, g, y), axis);
  Value dx = mul(b, loc, y, SubtractOp::create(b, loc, g, dot));
  out.push_back(divideByTemperature(b, loc, dx, getTemperature()));
  return success();
}

LogicalResult LogSoftmaxOp::buildVJP(OpBuilder &b, ValueRange grads,
                                     SmallVectorImpl<Value> &out) {
  // dx = (g - exp(y) * sum(g, axis)) / T
  Location loc = getLoc();
  Value y = getResult(), g = grads[0];
  int64_t axis =
      normalizedAxis(static_cast<int64_t>(getAxis()), getType().getRank());
  Value total = sumKeep(b, loc, g, axis);
  Value probs = ExpOp::create(b, loc, y);
  Value dx = SubtractOp::create(b, loc, g, mul(b, loc, probs, total));
  out.push_back(divideByTemperature(b, loc, dx, getTemperature()));
  return success();
}
