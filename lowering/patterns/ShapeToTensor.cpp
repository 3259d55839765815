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

/// The positive-stride window of `base` that a slice with per-axis `starts`
/// and `steps` and result `shape` covers; `reversed[i]` is set where the
/// slice walks axis i backwards (negative step over more than one element).
struct Window {
  SmallVector<OpFoldResult> offsets, sizes, strides;
  SmallVector<bool> reversed;
  bool anyReversed = false;
};

Window sliceWindow(OpBuilder &b, ArrayRef<int64_t> starts,
                   ArrayRef<int64_t> steps, ArrayRef<int64_t> shape) {
  Window w;
  for (size_t i = 0; i < shape.size(); ++i) {
    int64_t n = shape[i], st = steps[i];
    int64_t lowest = st > 0 ? starts[i] : starts[i] + (n - 1) * st;
    // One element needs no stride (and -INT64_MIN would overflow).
    int64_t stride = n == 1 ? 1 : st > 0 ? st : -st;
    w.offsets.push_back(b.getIndexAttr(lowest));
    w.sizes.push_back(b.getIndexAttr(n));
    w.strides.push_back(b.getIndexAttr(stride));
    w.reversed.push_back(st < 0 && n > 1);
    w.anyReversed |= w.reversed.back();
  }
  return w;
}

/// `input` with the axes where `reversed` is set read backwards, by one
/// linalg.generic.
Value buildReverse(OpBuilder &b, Location loc, Value input,
                   ArrayRef<bool> reversed) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> exprs;
  for (int64_t i = 0; i < rank; ++i) {
    AffineExpr d = b.getAffineDimExpr(i);
    exprs.push_back(reversed[i] ? type.getDimSize(i) - 1 - d : d);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(rank, 0, exprs, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  Value init =
      tensor::EmptyOp::create(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, input, init, maps, iterators,
      [](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l, args[0]);
      });
  return generic.getResult(0);
}

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
    Location loc = op.getLoc();
    Window w = sliceWindow(rewriter, starts, steps, type.getShape());
    Value window = tensor::ExtractSliceOp::create(
        rewriter, loc, type, adaptor.getData(), w.offsets, w.sizes, w.strides);
    if (w.anyReversed)
      window = buildReverse(rewriter, loc, window, w.reversed);
    rewriter.replaceOp(op, window);
    return success();
  }
};

/// slice_assign inserts value into the same positive-stride window that
/// mx.slice reads; axes with a negative step reverse value first.
struct SliceAssignLowering : OpConversionPattern<mx::SliceAssignOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::SliceAssignOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    SmallVector<int64_t> starts, steps;
    op.getNormalizedBounds(starts, steps);
    Location loc = op.getLoc();
    Window w = sliceWindow(rewriter, starts, steps,
                           op.getValue().getType().getShape());
    Value value = adaptor.getValue();
    if (w.anyReversed)
      value = buildReverse(rewriter, loc, value, w.reversed);
    rewriter.replaceOp(op, tensor::InsertSliceOp::create(
                               rewriter, loc, value, adaptor.getBase(),
                               w.offsets, w.sizes, w.strides));
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
    Value result =
        buildEmpty(rewriter, loc, type.getShape(), type.getElementType());
    int64_t offset = 0;
    for (Value in : adaptor.getData()) {
      auto inType = cast<RankedTensorType>(in.getType());
      SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
      offsets[dim] = rewriter.getIndexAttr(offset);
      SmallVector<OpFoldResult> sizes, strides(rank, rewriter.getIndexAttr(1));
      // A `?` (batch) axis, never the concatenated one, is copied whole.
      for (auto [i, d] : llvm::enumerate(inType.getShape()))
        sizes.push_back(ShapedType::isDynamic(d)
                            ? OpFoldResult(tensor::DimOp::create(
                                  rewriter, loc, in, static_cast<int64_t>(i)))
                            : OpFoldResult(rewriter.getIndexAttr(d)));
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
               BroadcastToLowering, SliceLowering, SliceAssignLowering,
               ConcatLowering>(ctx);
}
