//===- NormalizationToLinalg.cpp - batch_norm as mx reductions ------------===//
//
// batch_norm is decomposed into mx ops (mean, subtract, square, rsqrt,
// multiply, add), which the dialect conversion then lowers with the other
// patterns: the elementwise tail becomes linalg.generic chains that
// linalg-fuse-elementwise-ops merges into one loop nest per reduction.
// Without batch statistics the normalization folds into a per-channel scale
// and shift computed on (C) vectors, so the data is read once.
//
//===----------------------------------------------------------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
struct BatchNormLowering : OpConversionPattern<mx::BatchNormOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::BatchNormOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getData().getType();
    int64_t axis = op.getChannelAxis();
    SmallVector<int64_t> axes = op.getStatAxes();
    double eps = op.getEps().convertToDouble();
    bool fixGamma = op.getFixGamma();
    // (C) vectors read as (1, ..., C, ..., 1) against the data.
    SmallVector<int64_t> channelShape(type.getRank(), 1);
    channelShape[axis] = type.getDimSize(axis);
    auto perChannel = [&](Value v) -> Value {
      return mx::ReshapeOp::create(rewriter, loc, v, channelShape, false);
    };
    auto addEps = [&](Value v) -> Value {
      return mx::AddScalarOp::create(rewriter, loc, v,
                                     rewriter.getF64FloatAttr(eps));
    };
    Value x = adaptor.getData();

    if (!op.usesBatchStats()) {
      // scale = gamma / sqrt(var + eps), shift = beta - mean * scale.
      Value scale =
          mx::RsqrtOp::create(rewriter, loc, addEps(adaptor.getMovingVar()));
      if (!fixGamma)
        scale =
            mx::MultiplyOp::create(rewriter, loc, scale, adaptor.getGamma());
      Value shift = mx::SubtractOp::create(
          rewriter, loc, adaptor.getBeta(),
          mx::MultiplyOp::create(rewriter, loc, adaptor.getMovingMean(),
                                 scale));
      Value y = mx::MultiplyOp::create(rewriter, loc, x, perChannel(scale));
      y = mx::AddOp::create(rewriter, loc, y, perChannel(shift));
      rewriter.replaceOp(op,
                         {y, adaptor.getMovingMean(), adaptor.getMovingVar()});
      return success();
    }

    auto meanKeep = [&](Value v) -> Value {
      return mx::MeanOp::create(rewriter, loc, v, axes, /*keepdims=*/true,
                                /*exclude=*/false);
    };
    Value mean = meanKeep(x);
    Value centered = mx::SubtractOp::create(rewriter, loc, x, mean);
    // The biased variance, two-pass: mean((x - mean)^2).
    Value var = meanKeep(mx::SquareOp::create(rewriter, loc, centered));
    Value y =
        mx::MultiplyOp::create(rewriter, loc, centered,
                               mx::RsqrtOp::create(rewriter, loc, addEps(var)));
    if (!fixGamma)
      y = mx::MultiplyOp::create(rewriter, loc, y,
                                 perChannel(adaptor.getGamma()));
    y = mx::AddOp::create(rewriter, loc, y, perChannel(adaptor.getBeta()));
    ArrayRef<int64_t> channels = op.getMean().getType().getShape();
    rewriter.replaceOp(
        op, {y, mx::ReshapeOp::create(rewriter, loc, mean, channels, false),
             mx::ReshapeOp::create(rewriter, loc, var, channels, false)});
    return success();
  }
};
} // namespace

void mxjit::lowering::populateNormalizationToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<BatchNormLowering>(patterns.getContext());
}
