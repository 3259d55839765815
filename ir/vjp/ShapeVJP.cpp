//===- ShapeVJP.cpp - VJPs of shape mx ops --------------------------------===//

#include "ir/vjp/VJPBuilders.h"

#include <limits>

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
/// reshape and expand_dims: the cotangent takes the input's shape back.
LogicalResult reshapeVJP(Operation *op, OpBuilder &b, Value g,
                         SmallVectorImpl<Value> &out) {
  Value x = op->getOperand(0);
  if (!isFloatTensor(x)) {
    out.push_back(nullptr);
    return success();
  }
  out.push_back(reshapeTo(b, op->getLoc(), g, tensorType(x)));
  return success();
}
} // namespace

LogicalResult ReshapeOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  return reshapeVJP(*this, b, grads[0], out);
}

LogicalResult ExpandDimsOp::buildVJP(OpBuilder &b, ValueRange grads,
                                     SmallVectorImpl<Value> &out) {
  return reshapeVJP(*this, b, grads[0], out);
}

LogicalResult TransposeOp::buildVJP(OpBuilder &b, ValueRange grads,
                                    SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getData())) {
    out.push_back(nullptr);
    return success();
  }
  SmallVector<int64_t> perm = getPermutation(), inverse(perm.size());
  for (size_t i = 0; i < perm.size(); ++i)
    inverse[perm[i]] = i;
  out.push_back(TransposeOp::create(b, getLoc(), grads[0], inverse));
  return success();
}

LogicalResult BroadcastToOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getData())) {
    out.push_back(nullptr);
    return success();
  }
  out.push_back(unbroadcast(b, getLoc(), grads[0], tensorType(getData())));
  return success();
}

LogicalResult SliceOp::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getData())) {
    out.push_back(nullptr);
    return success();
  }
  // Scatter the cotangent into zeros at the sliced positions.
  Location loc = getLoc();
  Value zeros = splat(b, loc, getData().getType(), 0.0);
  out.push_back(SliceAssignOp::create(b, loc, zeros, grads[0], getBegin(),
                                      getEnd(), getStep()));
  return success();
}

LogicalResult ConcatOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  // Each input gets its window of the cotangent along `dim`.
  Location loc = getLoc();
  int64_t rank = getType().getRank();
  int64_t dim = static_cast<int64_t>(getDim());
  if (dim < 0)
    dim += rank;
  int64_t offset = 0;
  for (Value in : getData()) {
    int64_t size = tensorType(in).getDimSize(dim);
    if (!isFloatTensor(in)) {
      out.push_back(nullptr);
    } else {
      SmallVector<int64_t> begin(dim + 1, 0), end;
      for (int64_t i = 0; i < dim; ++i)
        end.push_back(std::numeric_limits<int64_t>::max());
      begin[dim] = offset;
      end.push_back(offset + size);
      out.push_back(
          SliceOp::create(b, loc, grads[0], begin, end, ArrayRef<int64_t>{}));
    }
    offset += size;
  }
  return success();
}
