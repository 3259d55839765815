//===- RandomToLinalg.cpp - dropout's counter-based mask ------------------===//
//
// mx.dropout becomes one linalg.generic whose body hashes the element's
// linear index in the mask shape with the seed, so the mask needs no state
// and no stored tensor: the forward op and its VJP (dropout of the
// cotangent, same seed) recompute the same bits. The hash is splitmix64:
//
//   mix(z)  = z ^= z >> 30; z *= 0xBF58476D1CE4E5B9;
//             z ^= z >> 27; z *= 0x94D049BB133111EB; z ^ (z >> 31)
//   key     = mix(seed[0] ^ mix(seed[1] + G))      G = 0x9E3779B97F4A7C15
//   bits(i) = mix(key + (i + 1) * G)               (splitmix64's i-th draw)
//   u(i)    = (bits(i) >> 11) * 2^-53              uniform in [0, 1)
//   out     = u(i) >= p ? x / (1 - p) : 0
//
// All arithmetic is on i64 with wrap-around (the unsigned algorithm in
// two's complement); docs/dialect.md states the same formula.
//
//===----------------------------------------------------------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"
#include "ir/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
constexpr uint64_t kGolden = 0x9E3779B97F4A7C15ULL;

Value i64Constant(OpBuilder &b, Location loc, uint64_t v) {
  return arith::ConstantOp::create(
      b, loc, b.getI64IntegerAttr(static_cast<int64_t>(v)));
}

/// splitmix64's output function on an i64.
Value mix(OpBuilder &b, Location loc, Value z) {
  auto xorShift = [&](Value v, uint64_t s) -> Value {
    Value shifted = arith::ShRUIOp::create(b, loc, v, i64Constant(b, loc, s));
    return arith::XOrIOp::create(b, loc, v, shifted);
  };
  z = arith::MulIOp::create(b, loc, xorShift(z, 30),
                            i64Constant(b, loc, 0xBF58476D1CE4E5B9ULL));
  z = arith::MulIOp::create(b, loc, xorShift(z, 27),
                            i64Constant(b, loc, 0x94D049BB133111EBULL));
  return xorShift(z, 31);
}

struct DropoutLowering : OpConversionPattern<mx::DropoutOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::DropoutOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType type = op.getType();
    double p = op.getP().convertToDouble();
    if (p == 0.0) {
      rewriter.replaceOp(op, adaptor.getData());
      return success();
    }
    if (p >= 1.0) {
      rewriter.replaceOp(op, buildFilled(rewriter, loc, type, 0.0));
      return success();
    }
    std::string error;
    shape::Shape mask =
        *shape::dropoutMask(type.getShape(), op.getAxes(), error);

    // The per-call key, computed once outside the loop nest.
    auto seedAt = [&](int64_t i) -> Value {
      Value idx = arith::ConstantIndexOp::create(rewriter, loc, i);
      return tensor::ExtractOp::create(rewriter, loc, adaptor.getSeed(),
                                       ValueRange{idx});
    };
    Value stream = arith::AddIOp::create(rewriter, loc, seedAt(1),
                                         i64Constant(rewriter, loc, kGolden));
    Value key = mix(rewriter, loc,
                    arith::XOrIOp::create(rewriter, loc, seedAt(0),
                                          mix(rewriter, loc, stream)));

    Value init =
        buildEmpty(rewriter, loc, type.getShape(), type.getElementType());
    int64_t rank = type.getRank();
    SmallVector<AffineMap> maps(2, rewriter.getMultiDimIdentityMap(rank));
    SmallVector<utils::IteratorType> iterators(rank,
                                               utils::IteratorType::parallel);
    auto generic = linalg::GenericOp::create(
        rewriter, loc, TypeRange{type}, adaptor.getData(), init, maps,
        iterators, [&](OpBuilder &b, Location l, ValueRange args) {
          // Row-major index in the mask shape: axes sharing the mask (size
          // 1 there) do not contribute.
          Value index = i64Constant(b, l, 0);
          for (int64_t d = 0; d < rank; ++d) {
            if (mask[d] == 1)
              continue;
            Value i = arith::IndexCastOp::create(
                b, l, b.getI64Type(), linalg::IndexOp::create(b, l, d));
            // A `?` (batch) extent is the leading one, where the index so
            // far is 0 and needs no scaling.
            if (ShapedType::isDynamic(mask[d])) {
              index = i;
              continue;
            }
            index = arith::AddIOp::create(
                b, l,
                arith::MulIOp::create(b, l, index, i64Constant(b, l, mask[d])),
                i);
          }
          Value counter = arith::MulIOp::create(
              b, l, arith::AddIOp::create(b, l, index, i64Constant(b, l, 1)),
              i64Constant(b, l, kGolden));
          Value bits = mix(b, l, arith::AddIOp::create(b, l, key, counter));
          Value top = arith::ShRUIOp::create(b, l, bits, i64Constant(b, l, 11));
          Value u = arith::MulFOp::create(
              b, l, arith::UIToFPOp::create(b, l, b.getF64Type(), top),
              arith::ConstantOp::create(b, l, b.getF64FloatAttr(0x1p-53)));
          Value keep = arith::CmpFOp::create(
              b, l, arith::CmpFPredicate::OGE, u,
              arith::ConstantOp::create(b, l, b.getF64FloatAttr(p)));
          Type element = args[0].getType();
          Value scaled = arith::MulFOp::create(
              b, l, args[0],
              emitScalarConstant(b, l, element, 1.0 / (1.0 - p)));
          Value zero = emitScalarConstant(b, l, element, 0.0);
          linalg::YieldOp::create(
              b, l,
              arith::SelectOp::create(b, l, keep, scaled, zero).getResult());
        });
    rewriter.replaceOp(op, generic.getResult(0));
    return success();
  }
};
} // namespace

void mxjit::lowering::populateRandomToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<DropoutLowering>(patterns.getContext());
}
