//===- ContractionToLinalg.cpp - dot, batch_dot, fully_connected ----------===//
//
// Every contraction becomes one linalg.generic over (batch..., m, n, k) whose
// operand maps absorb transposes, so no transposed copy is materialised for
// matrices. The accumulator starts at zero, or at the broadcast bias for
// fully_connected.
//
//===----------------------------------------------------------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
/// out[b..., m, n] += lhs[b..., m, k] * rhs[b..., k, n], with either operand's
/// last two axes swapped by `transposeA`/`transposeB`. `init` has the result
/// shape and holds the starting accumulator.
Value buildContraction(OpBuilder &b, Location loc, Value lhs, Value rhs,
                       Value init, bool transposeA, bool transposeB) {
  auto outType = cast<RankedTensorType>(init.getType());
  int64_t batch = outType.getRank() - 2;
  int64_t loops = batch + 3;
  MLIRContext *ctx = b.getContext();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr m = d(batch), n = d(batch + 1), k = d(batch + 2);
  SmallVector<AffineExpr> lhsExprs, rhsExprs, outExprs;
  for (int64_t i = 0; i < batch; ++i) {
    lhsExprs.push_back(d(i));
    rhsExprs.push_back(d(i));
    outExprs.push_back(d(i));
  }
  lhsExprs.append(transposeA ? SmallVector<AffineExpr>{k, m}
                             : SmallVector<AffineExpr>{m, k});
  rhsExprs.append(transposeB ? SmallVector<AffineExpr>{n, k}
                             : SmallVector<AffineExpr>{k, n});
  outExprs.append({m, n});
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, lhsExprs, ctx),
                                 AffineMap::get(loops, 0, rhsExprs, ctx),
                                 AffineMap::get(loops, 0, outExprs, ctx)};
  SmallVector<utils::IteratorType> iterators(loops,
                                             utils::IteratorType::parallel);
  iterators.back() = utils::IteratorType::reduction;
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{outType}, ValueRange{lhs, rhs}, init, maps, iterators,
      [](OpBuilder &nb, Location nloc, ValueRange args) {
        Value prod =
            emitBinary(nb, nloc, BinaryKind::Multiply, args[0], args[1]);
        linalg::YieldOp::create(
            nb, nloc, emitBinary(nb, nloc, BinaryKind::Add, args[2], prod));
      });
  return generic.getResult(0);
}

RankedTensorType matrixType(int64_t rows, int64_t cols, Type element) {
  return RankedTensorType::get({rows, cols}, element);
}

struct DotLowering : OpConversionPattern<mx::DotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::DotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value lhs = adaptor.getLhs(), rhs = adaptor.getRhs();
    auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
    Type element = lhsType.getElementType();
    bool transA = op.getTransposeA(), transB = op.getTransposeB();
    // View lhs as (M, K) (or (K, M) when transposed: MXNet contracts its
    // first axis) and rhs as (K, N) (or (N, K)); the contraction's maps absorb
    // the transposes, so nothing is copied.
    int64_t k = transA ? lhsType.getDimSize(0) : lhsType.getShape().back();
    // With a `?` (batch) dimension the sizes are worked out symbolically;
    // each must again be static or exactly the batch size.
    Extent kExtent = extentOf(k), lhsExtent = extentOf(lhsType.getShape()),
           rhsExtent = extentOf(rhsType.getShape());
    std::optional<int64_t> mDim = quotientDim(lhsExtent, kExtent);
    std::optional<int64_t> nDim = quotientDim(rhsExtent, kExtent);
    if (!mDim || !nDim)
      return rewriter.notifyMatchFailure(op, "matrix sizes are not static or "
                                             "the batch size");
    int64_t m = *mDim, n = *nDim;
    lhs = buildReshape(rewriter, loc, lhs,
                       transA ? matrixType(k, m, element)
                              : matrixType(m, k, element));
    rhs = buildReshape(rewriter, loc, rhs,
                       transB ? matrixType(n, k, element)
                              : matrixType(k, n, element));
    Value init = buildFilled(rewriter, loc, matrixType(m, n, element), 0);
    Value out = buildContraction(rewriter, loc, lhs, rhs, init, transA, transB);
    rewriter.replaceOp(op, buildReshape(rewriter, loc, out, op.getType()));
    return success();
  }
};

struct BatchDotLowering : OpConversionPattern<mx::BatchDotOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::BatchDotOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value init = buildFilled(rewriter, op.getLoc(), op.getType(), 0);
    rewriter.replaceOp(op, buildContraction(rewriter, op.getLoc(),
                                            adaptor.getLhs(), adaptor.getRhs(),
                                            init, op.getTransposeA(),
                                            op.getTransposeB()));
    return success();
  }
};

struct FullyConnectedLowering : OpConversionPattern<mx::FullyConnectedOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::FullyConnectedOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto dataType = op.getData().getType();
    auto weightType = op.getWeight().getType();
    Type element = dataType.getElementType();
    int64_t hidden = weightType.getDimSize(0), k = weightType.getDimSize(1);
    std::optional<int64_t> rowsDim =
        quotientDim(extentOf(dataType.getShape()), extentOf(k));
    if (!rowsDim)
      return rewriter.notifyMatchFailure(op, "rows are not static or the "
                                             "batch size");
    int64_t rows = *rowsDim;
    Value data = buildReshape(rewriter, loc, adaptor.getData(),
                              matrixType(rows, k, element));
    auto outType = matrixType(rows, hidden, element);
    Value init;
    if (Value bias = adaptor.getBias())
      init = buildElementwise(
          rewriter, loc, outType, bias,
          [](OpBuilder &, Location, ValueRange args) { return args[0]; });
    else
      init = buildFilled(rewriter, loc, outType, 0);
    Value out = buildContraction(rewriter, loc, data, adaptor.getWeight(), init,
                                 /*transposeA=*/false, /*transposeB=*/true);
    rewriter.replaceOp(op, buildReshape(rewriter, loc, out, op.getType()));
    return success();
  }
};
} // namespace

void mxjit::lowering::populateContractionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DotLowering, BatchDotLowering, FullyConnectedLowering>(
      patterns.getContext());
}
