//===- ConvolutionVJP.cpp - VJPs of convolution and pooling ---------------===//
//
// A convolution y = conv(x, W) + b is bilinear in (x, W), so its cotangents
// are the two transposed products, kept as their own ops:
//   dx = convolution_backward_data(g, W), dW = convolution_backward_weight(g,
//   x), db = sum of g over N and the spatial axes.
// The backward ops are bilinear too, and their adjoints close the family:
// <h, bwd_data(g, W)> = <conv(h, W), g> = <H, bwd_weight(g, h)>, so each
// VJP is again a convolution or a backward op (gradients of any order).
//
// Pooling: pooling_backward(g, x) is linear in g. For sum and avg its
// adjoint is the pooling itself (the counts are symmetric); for max it is
// pooling_max_gather(x, h), which reads h at each window's arg-max. The
// arg-max is piecewise constant in x, so x gets no gradient from either.
//
//===----------------------------------------------------------------------===//

#include "ir/vjp/VJPBuilders.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
void addIfSet(SmallVectorImpl<NamedAttribute> &attrs, StringAttr name,
              Attribute value) {
  if (value)
    attrs.push_back(NamedAttribute(name, value));
}

/// The convolution attributes of `op`, to build a related op.
template <typename Op> SmallVector<NamedAttribute> convAttrs(Op op) {
  SmallVector<NamedAttribute> attrs;
  addIfSet(attrs, op.getKernelAttrName(), op.getKernelAttr());
  addIfSet(attrs, op.getStrideAttrName(), op.getStrideAttr());
  addIfSet(attrs, op.getDilateAttrName(), op.getDilateAttr());
  addIfSet(attrs, op.getPadAttrName(), op.getPadAttr());
  addIfSet(attrs, op.getNumFilterAttrName(), op.getNumFilterAttr());
  addIfSet(attrs, op.getNumGroupAttrName(), op.getNumGroupAttr());
  return attrs;
}

/// The pooling window attributes of `op`.
template <typename Op> SmallVector<NamedAttribute> poolAttrs(Op op) {
  SmallVector<NamedAttribute> attrs;
  addIfSet(attrs, op.getKernelAttrName(), op.getKernelAttr());
  addIfSet(attrs, op.getStrideAttrName(), op.getStrideAttr());
  addIfSet(attrs, op.getPadAttrName(), op.getPadAttr());
  addIfSet(attrs, op.getGlobalPoolAttrName(), op.getGlobalPoolAttr());
  addIfSet(attrs, op.getPoolingConventionAttrName(),
           op.getPoolingConventionAttr());
  return attrs;
}

/// `attrs` plus pool_type and count_include_pad of `op`.
template <typename Op>
SmallVector<NamedAttribute> poolTypeAttrs(Op op,
                                          SmallVector<NamedAttribute> attrs) {
  addIfSet(attrs, op.getPoolTypeAttrName(), op.getPoolTypeAttr());
  addIfSet(attrs, op.getCountIncludePadAttrName(), op.getCountIncludePadAttr());
  return attrs;
}

Value backwardData(OpBuilder &b, Location loc, Value g, Value w,
                   RankedTensorType dataType,
                   SmallVector<NamedAttribute> attrs) {
  attrs.push_back(b.getNamedAttr("data_shape",
                                 b.getDenseI64ArrayAttr(dataType.getShape())));
  return ConvolutionBackwardDataOp::create(b, loc, ValueRange{g, w}, attrs);
}
} // namespace

LogicalResult ConvolutionOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      SmallVectorImpl<Value> &out) {
  // backward_data records the data shape as an attribute.
  if (!getData().getType().hasStaticShape())
    return emitOpError("gradient needs a static data shape, got ")
           << getData().getType();
  Location loc = getLoc();
  Value g = grads[0];
  out.push_back(backwardData(b, loc, g, getWeight(), getData().getType(),
                             convAttrs(*this)));
  out.push_back(ConvolutionBackwardWeightOp::create(
      b, loc, ValueRange{g, getData()}, convAttrs(*this)));
  if (getBias()) {
    // Every axis but the filter axis (1).
    SmallVector<int64_t> axes = {0};
    for (int64_t i = 2, e = getType().getRank(); i < e; ++i)
      axes.push_back(i);
    out.push_back(SumOp::create(b, loc, g, axes, /*keepdims=*/false,
                                /*exclude=*/false));
  }
  return success();
}

LogicalResult ConvolutionBackwardDataOp::buildVJP(OpBuilder &b,
                                                  ValueRange grads,
                                                  SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value h = grads[0];
  out.push_back(ConvolutionOp::create(b, loc, ValueRange{h, getWeight()},
                                      convAttrs(*this)));
  out.push_back(ConvolutionBackwardWeightOp::create(
      b, loc, ValueRange{getGrad(), h}, convAttrs(*this)));
  return success();
}

LogicalResult
ConvolutionBackwardWeightOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      SmallVectorImpl<Value> &out) {
  if (!getData().getType().hasStaticShape())
    return emitOpError("gradient needs a static data shape, got ")
           << getData().getType();
  Location loc = getLoc();
  Value h = grads[0];
  out.push_back(ConvolutionOp::create(b, loc, ValueRange{getData(), h},
                                      convAttrs(*this)));
  out.push_back(backwardData(b, loc, getGrad(), h, getData().getType(),
                             convAttrs(*this)));
  return success();
}

LogicalResult PoolingOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  out.push_back(
      PoolingBackwardOp::create(b, getLoc(), ValueRange{grads[0], getData()},
                                poolTypeAttrs(*this, poolAttrs(*this))));
  return success();
}

LogicalResult PoolingBackwardOp::buildVJP(OpBuilder &b, ValueRange grads,
                                          SmallVectorImpl<Value> &out) {
  Location loc = getLoc();
  Value h = grads[0];
  if (getPoolType() == "max")
    out.push_back(PoolingMaxGatherOp::create(b, loc, ValueRange{getData(), h},
                                             poolAttrs(*this)));
  else
    out.push_back(PoolingOp::create(b, loc, ValueRange{h},
                                    poolTypeAttrs(*this, poolAttrs(*this))));
  out.push_back(nullptr);
  return success();
}

LogicalResult PoolingMaxGatherOp::buildVJP(OpBuilder &b, ValueRange grads,
                                           SmallVectorImpl<Value> &out) {
  // <h, gather(x, v)> = <pooling_backward_max(h, x), v>.
  SmallVector<NamedAttribute> attrs = poolAttrs(*this);
  attrs.push_back(b.getNamedAttr("pool_type", b.getStringAttr("max")));
  out.push_back(nullptr);
  out.push_back(PoolingBackwardOp::create(
      b, getLoc(), ValueRange{grads[0], getData()}, attrs));
  return success();
}
