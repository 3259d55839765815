//===- OutputToLinalg.cpp - softmax_output and the regression outputs -----===//
//
// The loss layers' forward values are plain mx ops (their gradients live in
// the VJPs): softmax_output is mx.softmax over its class axis (with the
// reshapes MXNet's flattening needs), logistic_regression_output is
// mx.sigmoid and the linear and MAE outputs are the identity. The dialect
// conversion lowers the mx ops it creates with the other patterns.
//
//===----------------------------------------------------------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
struct SoftmaxOutputLowering : OpConversionPattern<mx::SoftmaxOutputOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::SoftmaxOutputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, op.buildSoftmax(rewriter, adaptor.getData()));
    return success();
  }
};

template <typename OpTy>
struct IdentityOutputLowering : OpConversionPattern<OpTy> {
  using OpConversionPattern<OpTy>::OpConversionPattern;
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getData());
    return success();
  }
};

struct LogisticOutputLowering
    : OpConversionPattern<mx::LogisticRegressionOutputOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::LogisticRegressionOutputOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(
        op, mx::SigmoidOp::create(rewriter, op.getLoc(), adaptor.getData()));
    return success();
  }
};
} // namespace

void mxjit::lowering::populateOutputToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<SoftmaxOutputLowering, LogisticOutputLowering,
               IdentityOutputLowering<mx::LinearRegressionOutputOp>,
               IdentityOutputLowering<mx::MAERegressionOutputOp>>(ctx);
}
