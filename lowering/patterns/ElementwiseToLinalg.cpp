//===- ElementwiseToLinalg.cpp - elementwise mx ops to linalg.generic -----===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
template <typename OpTy> struct UnaryLowering : OpConversionPattern<OpTy> {
  UnaryLowering(MLIRContext *ctx, UnaryKind kind)
      : OpConversionPattern<OpTy>(ctx), kind(kind) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r =
        buildElementwise(rewriter, op.getLoc(), op.getType(), adaptor.getData(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return emitUnary(b, loc, kind, args[0]);
                         });
    rewriter.replaceOp(op, r);
    return success();
  }
  UnaryKind kind;
};

template <typename OpTy> struct BinaryLowering : OpConversionPattern<OpTy> {
  BinaryLowering(MLIRContext *ctx, BinaryKind kind)
      : OpConversionPattern<OpTy>(ctx), kind(kind) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Value r =
        buildElementwise(rewriter, op.getLoc(), op.getType(),
                         ValueRange{adaptor.getLhs(), adaptor.getRhs()},
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return emitBinary(b, loc, kind, args[0], args[1]);
                         });
    rewriter.replaceOp(op, r);
    return success();
  }
  BinaryKind kind;
};

/// `x op s`, or `s op x` for the reversed forms (rsubtract, rdivide, rpower).
template <typename OpTy> struct ScalarLowering : OpConversionPattern<OpTy> {
  ScalarLowering(MLIRContext *ctx, BinaryKind kind, bool reversed = false)
      : OpConversionPattern<OpTy>(ctx), kind(kind), reversed(reversed) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    double scalar = op.getScalar().convertToDouble();
    Value r = buildElementwise(
        rewriter, op.getLoc(), op.getType(), adaptor.getData(),
        [&](OpBuilder &b, Location loc, ValueRange args) {
          Value s = emitScalarConstant(b, loc, args[0].getType(), scalar);
          return reversed ? emitBinary(b, loc, kind, s, args[0])
                          : emitBinary(b, loc, kind, args[0], s);
        });
    rewriter.replaceOp(op, r);
    return success();
  }
  BinaryKind kind;
  bool reversed;
};

struct CastLowering : OpConversionPattern<mx::CastOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::CastOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Type to = op.getType().getElementType();
    Value r =
        buildElementwise(rewriter, op.getLoc(), op.getType(), adaptor.getData(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return emitConvert(b, loc, args[0], to);
                         });
    rewriter.replaceOp(op, r);
    return success();
  }
};

struct ConstantLowering : OpConversionPattern<mx::ConstantOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ConstantOp op, OpAdaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOpWithNewOp<arith::ConstantOp>(
        op, cast<TypedAttr>(op.getValue()));
    return success();
  }
};
} // namespace

void mxjit::lowering::populateElementwiseToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  using U = UnaryKind;
  patterns.add<UnaryLowering<mx::NegativeOp>>(ctx, U::Negative);
  patterns.add<UnaryLowering<mx::AbsOp>>(ctx, U::Abs);
  patterns.add<UnaryLowering<mx::SquareOp>>(ctx, U::Square);
  patterns.add<UnaryLowering<mx::ReluOp>>(ctx, U::Relu);
  patterns.add<UnaryLowering<mx::ExpOp>>(ctx, U::Exp);
  patterns.add<UnaryLowering<mx::LogOp>>(ctx, U::Log);
  patterns.add<UnaryLowering<mx::SqrtOp>>(ctx, U::Sqrt);
  patterns.add<UnaryLowering<mx::SigmoidOp>>(ctx, U::Sigmoid);
  patterns.add<UnaryLowering<mx::TanhOp>>(ctx, U::Tanh);
  patterns.add<UnaryLowering<mx::SinOp>>(ctx, U::Sin);
  patterns.add<UnaryLowering<mx::CosOp>>(ctx, U::Cos);

  using B = BinaryKind;
  patterns.add<BinaryLowering<mx::AddOp>>(ctx, B::Add);
  patterns.add<BinaryLowering<mx::SubtractOp>>(ctx, B::Subtract);
  patterns.add<BinaryLowering<mx::MultiplyOp>>(ctx, B::Multiply);
  patterns.add<BinaryLowering<mx::DivideOp>>(ctx, B::Divide);
  patterns.add<BinaryLowering<mx::PowerOp>>(ctx, B::Power);
  patterns.add<BinaryLowering<mx::MaximumOp>>(ctx, B::Maximum);
  patterns.add<BinaryLowering<mx::MinimumOp>>(ctx, B::Minimum);
  patterns.add<BinaryLowering<mx::EqualOp>>(ctx, B::Equal);
  patterns.add<BinaryLowering<mx::NotEqualOp>>(ctx, B::NotEqual);
  patterns.add<BinaryLowering<mx::GreaterOp>>(ctx, B::Greater);
  patterns.add<BinaryLowering<mx::GreaterEqualOp>>(ctx, B::GreaterEqual);
  patterns.add<BinaryLowering<mx::LesserOp>>(ctx, B::Lesser);
  patterns.add<BinaryLowering<mx::LesserEqualOp>>(ctx, B::LesserEqual);

  patterns.add<ScalarLowering<mx::AddScalarOp>>(ctx, B::Add);
  patterns.add<ScalarLowering<mx::SubtractScalarOp>>(ctx, B::Subtract);
  patterns.add<ScalarLowering<mx::RSubtractScalarOp>>(ctx, B::Subtract, true);
  patterns.add<ScalarLowering<mx::MultiplyScalarOp>>(ctx, B::Multiply);
  patterns.add<ScalarLowering<mx::DivideScalarOp>>(ctx, B::Divide);
  patterns.add<ScalarLowering<mx::RDivideScalarOp>>(ctx, B::Divide, true);
  patterns.add<ScalarLowering<mx::PowerScalarOp>>(ctx, B::Power);
  patterns.add<ScalarLowering<mx::RPowerScalarOp>>(ctx, B::Power, true);
  patterns.add<ScalarLowering<mx::MaximumScalarOp>>(ctx, B::Maximum);
  patterns.add<ScalarLowering<mx::MinimumScalarOp>>(ctx, B::Minimum);
  patterns.add<ScalarLowering<mx::EqualScalarOp>>(ctx, B::Equal);
  patterns.add<ScalarLowering<mx::NotEqualScalarOp>>(ctx, B::NotEqual);
  patterns.add<ScalarLowering<mx::GreaterScalarOp>>(ctx, B::Greater);
  patterns.add<ScalarLowering<mx::GreaterEqualScalarOp>>(ctx, B::GreaterEqual);
  patterns.add<ScalarLowering<mx::LesserScalarOp>>(ctx, B::Lesser);
  patterns.add<ScalarLowering<mx::LesserEqualScalarOp>>(ctx, B::LesserEqual);

  patterns.add<CastLowering, ConstantLowering>(ctx);
}
