//===- ShapeToTensor.cpp - shape mx ops to tensor/linalg ------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
/// reshape and expand_dims only change the shape: a view after bufferization.
template <typename OpTy>
struct ReshapeLikeLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, buildReshape(rewriter, op.getLoc(),
                                        adaptor.getData(), op.getType()));
    return success();
  }
};

struct TransposeLowering : OpConversionPattern<mx::TransposeOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::TransposeOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op,
                       buildTranspose(rewriter, op.getLoc(), adaptor.getData(),
                                      op.getPermutation()));
    return success();
  }
};

struct BroadcastToLowering : OpConversionPattern<mx::BroadcastToOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::BroadcastToOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op,
        buildElementwise(
            rewriter, op.getLoc(), op.getType(), adaptor.getData(),
            [](OpBuilder &, Location, ValueRange args) { return args[0]; }));
    return success();
  }
};

/// A slice is a strided tensor.extract_slice of the covered window (always
/// with positive strides: a view after bufferization); axes with a negative
/// step are then reversed by one linalg.generic.
struct SliceLowering : OpConversionPattern<mx::SliceOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::SliceOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int64_t> starts, steps;
    op.getNormalizedBounds(starts, steps);
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    Location loc = op.getLoc();
    SmallVector<OpFoldResult> offsets, sizes, strides;
    bool reversed = false;
    for (int64_t i = 0; i < rank; ++i) {
      int64_t n = type.getDimSize(i), st = steps[i];
      int64_t lowest = st > 0 ? starts[i] : starts[i] + (n - 1) * st;
      offsets.push_back(rewriter.getIndexAttr(lowest));
      sizes.push_back(rewriter.getIndexAttr(n));
      strides.push_back(rewriter.getIndexAttr(st > 0 ? st : -st));
      reversed |= st < 0 && n > 1;
    }
    Value window = tensor::ExtractSliceOp::create(
        rewriter, loc, type, adaptor.getData(), offsets, sizes, strides);
    if (!reversed) {
      rewriter.replaceOp(op, window);
      return success();
    }
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < rank; ++i) {
      AffineExpr d = rewriter.getAffineDimExpr(i);
      exprs.push_back(steps[i] > 0 ? d : type.getDimSize(i) - 1 - d);
    }
    SmallVector<AffineMap> maps = {
        AffineMap::get(rank, 0, exprs, rewriter.getContext()),
        rewriter.getMultiDimIdentityMap(rank)};
    Value init = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                         type.getElementType());
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, window, init, maps, iterators,
        [](OpBuilder &b, Location l, ValueRange args) {
          linalg::YieldOp::create(b, l, args[0]);
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};

struct ConcatLowering : OpConversionPattern<mx::ConcatOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ConcatOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    RankedTensorType type = op.getType();
    int64_t rank = type.getRank();
    int64_t dim = static_cast<int64_t>(op.getDim());
    if (dim < 0)
      dim += rank;
    Location loc = op.getLoc();
    Value result = tensor::EmptyOp::create(rewriter, loc, type.getShape(),
                                           type.getElementType());
    int64_t offset = 0;
    for (Value in : adaptor.getData()) {
      auto inType = cast<RankedTensorType>(in.getType());
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[dim] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      for (int64_t d : inType.getShape())
        sizes.push_back(rewriter.getIndexAttr(d));
      result = tensor::InsertSliceOp::create(rewriter, loc, in, result, offsets,
                                             sizes, strides);
      offset += inType.getDimSize(dim);
    }
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mxjit::lowering::populateShapeToTensorPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReshapeLikeLowering<mx::ReshapeOp>,
               ReshapeLikeLowering<mx::ExpandDimsOp>, TransposeLowering,
               BroadcastToLowering, SliceLowering, ConcatLowering>(ctx);
}
