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

struct ClipLowering : OpConversionPattern<mx::ClipOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ClipOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    double lo = op.getAMin().convertToDouble();
    double hi = op.getAMax().convertToDouble();
    Value r =
        buildElementwise(rewriter, op.getLoc(), op.getType(), adaptor.getData(),
                         [&](OpBuilder &b, Location loc, ValueRange args) {
                           return emitClip(b, loc, args[0], lo, hi);
                         });
    rewriter.replaceOp(op, r);
    return success();
  }
};

/// stop_gradient only matters to mx-autodiff: it computes nothing.
struct StopGradientLowering : OpConversionPattern<mx::StopGradientOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::StopGradientOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    rewriter.replaceOp(op, adaptor.getData());
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
  patterns.add<UnaryLowering<mx::TanOp>>(ctx, U::Tan);
  patterns.add<UnaryLowering<mx::Log2Op>>(ctx, U::Log2);
  patterns.add<UnaryLowering<mx::Log10Op>>(ctx, U::Log10);
  patterns.add<UnaryLowering<mx::Log1pOp>>(ctx, U::Log1p);
  patterns.add<UnaryLowering<mx::Expm1Op>>(ctx, U::Expm1);
  patterns.add<UnaryLowering<mx::ReciprocalOp>>(ctx, U::Reciprocal);
  patterns.add<UnaryLowering<mx::RsqrtOp>>(ctx, U::Rsqrt);
  patterns.add<UnaryLowering<mx::CbrtOp>>(ctx, U::Cbrt);
  patterns.add<UnaryLowering<mx::RcbrtOp>>(ctx, U::Rcbrt);
  patterns.add<UnaryLowering<mx::SinhOp>>(ctx, U::Sinh);
  patterns.add<UnaryLowering<mx::CoshOp>>(ctx, U::Cosh);
  patterns.add<UnaryLowering<mx::ArcsinOp>>(ctx, U::Arcsin);
  patterns.add<UnaryLowering<mx::ArccosOp>>(ctx, U::Arccos);
  patterns.add<UnaryLowering<mx::ArctanOp>>(ctx, U::Arctan);
  patterns.add<UnaryLowering<mx::ArcsinhOp>>(ctx, U::Arcsinh);
  patterns.add<UnaryLowering<mx::ArccoshOp>>(ctx, U::Arccosh);
  patterns.add<UnaryLowering<mx::ArctanhOp>>(ctx, U::Arctanh);
  patterns.add<UnaryLowering<mx::ErfOp>>(ctx, U::Erf);
  patterns.add<UnaryLowering<mx::SoftsignOp>>(ctx, U::Softsign);
  patterns.add<UnaryLowering<mx::SoftreluOp>>(ctx, U::Softrelu);
  patterns.add<UnaryLowering<mx::RadiansOp>>(ctx, U::Radians);
  patterns.add<UnaryLowering<mx::DegreesOp>>(ctx, U::Degrees);
  patterns.add<UnaryLowering<mx::SignOp>>(ctx, U::Sign);

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

  patterns
      .add<CastLowering, ConstantLowering, ClipLowering, StopGradientLowering>(
          ctx);
}
