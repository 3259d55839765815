//===- ContractionVJP.cpp - VJPs of dot, batch_dot, fully_connected -------===//
//
// With A and B the operands as the contraction reads them (after their
// transposes) and G the cotangent: dA = G B^T and dB = A^T G. Each is written
// as one mx.dot / mx.batch_dot whose transpose flags produce the operand's
// own layout, so no transposed copies are built.
//
//===----------------------------------------------------------------------===//

#include "ir/vjp/VJPBuilders.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
RankedTensorType matrix(int64_t rows, int64_t cols, Type element) {
  return RankedTensorType::get({rows, cols}, element);
}

/// The cotangents of (lhs, rhs) of `lhs^[ta] x rhs^[tb]` for matrix-shaped
/// operands, built with `Contract(b, loc, x, y, transposeX, transposeY)`.
template <typename Contract>
std::pair<Value, Value> productVJP(OpBuilder &b, Location loc, Value lhs,
                                   Value rhs, Value g, bool ta, bool tb,
                                   Contract contract) {
  // dA (in lhs's layout): ta ? B_eff G^T : G B_eff^T.
  Value dl = ta ? contract(b, loc, rhs, g, tb, true)
                : contract(b, loc, g, rhs, false, !tb);
  // dB (in rhs's layout): tb ? G^T A_eff : A_eff^T G.
  Value dr = tb ? contract(b, loc, g, lhs, true, ta)
                : contract(b, loc, lhs, g, !ta, false);
  return {dl, dr};
}

Value dot2d(OpBuilder &b, Location loc, Value x, Value y, bool tx, bool ty) {
  return DotOp::create(b, loc, x, y, tx, ty);
}
Value batchDot(OpBuilder &b, Location loc, Value x, Value y, bool tx, bool ty) {
  return BatchDotOp::create(b, loc, x, y, tx, ty);
}
} // namespace

LogicalResult DotOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getLhs())) {
    out.append({nullptr, nullptr});
    return success();
  }
  // View every operand as a matrix (as the lowering does), differentiate the
  // matrix product, and reshape back.
  Location loc = getLoc();
  RankedTensorType lt = getLhs().getType(), rt = getRhs().getType();
  Type element = lt.getElementType();
  bool ta = getTransposeA(), tb = getTransposeB();
  int64_t k = ta ? lt.getDimSize(0) : lt.getShape().back();
  int64_t m = lt.getNumElements() / k, n = rt.getNumElements() / k;
  Value lhs = reshapeTo(b, loc, getLhs(),
                        ta ? matrix(k, m, element) : matrix(m, k, element));
  Value rhs = reshapeTo(b, loc, getRhs(),
                        tb ? matrix(n, k, element) : matrix(k, n, element));
  Value g = reshapeTo(b, loc, grads[0], matrix(m, n, element));
  auto [dl, dr] = productVJP(b, loc, lhs, rhs, g, ta, tb, dot2d);
  out.push_back(reshapeTo(b, loc, dl, lt));
  out.push_back(reshapeTo(b, loc, dr, rt));
  return success();
}

LogicalResult BatchDotOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getLhs())) {
    out.append({nullptr, nullptr});
    return success();
  }
  auto [dl, dr] = productVJP(b, getLoc(), getLhs(), getRhs(), grads[0],
                             getTransposeA(), getTransposeB(), batchDot);
  out.push_back(dl);
  out.push_back(dr);
  return success();
}

LogicalResult FullyConnectedOp::buildVJP(OpBuilder &b, ValueRange grads,
                                         SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getData())) {
    out.append(getNumOperands(), nullptr);
    return success();
  }
  // y = X W^T + b with X the data as (rows, K).
  Location loc = getLoc();
  RankedTensorType dataType = getData().getType();
  RankedTensorType weightType = getWeight().getType();
  Type element = dataType.getElementType();
  int64_t hidden = weightType.getDimSize(0), k = weightType.getDimSize(1);
  int64_t rows = dataType.getNumElements() / k;
  Value x = reshapeTo(b, loc, getData(), matrix(rows, k, element));
  Value g = reshapeTo(b, loc, grads[0], matrix(rows, hidden, element));
  Value dx = DotOp::create(b, loc, g, getWeight(), false, false);
  out.push_back(reshapeTo(b, loc, dx, dataType));
  out.push_back(DotOp::create(b, loc, g, x, /*transpose_a=*/true, false));
  if (getBias())
    out.push_back(SumOp::create(b, loc, g, ArrayRef<int64_t>{0},
                                /*keepdims=*/false, /*exclude=*/false));
  return success();
}
