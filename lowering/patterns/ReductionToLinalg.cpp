//===- ReductionToLinalg.cpp - reductions and softmax to linalg -----------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
enum class Combine { Sum, Max, Min };

/// The identity of `combine` for `type`: 0, the lowest or the highest value.
Value identityOf(OpBuilder &b, Location loc, Combine combine, Type type) {
  if (combine == Combine::Sum)
    return emitScalarConstant(b, loc, type, 0);
  bool lowest = combine == Combine::Max;
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(
        b, loc,
        b.getFloatAttr(ft, APFloat::getInf(ft.getFloatSemantics(), lowest)));
  unsigned w = type.getIntOrFloatBitWidth();
  APInt v = lowest ? APInt::getSignedMinValue(w) : APInt::getSignedMaxValue(w);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, v));
}

/// Reduces `input` over `axes` (sorted, in range) into a tensor of the kept
/// dimensions, in order.
Value reduceAxes(OpBuilder &b, Location loc, Value input,
                 ArrayRef<int64_t> axes, Combine combine) {
  auto type = cast<RankedTensorType>(input.getType());
  int64_t rank = type.getRank();
  Type element = type.getElementType();
  SmallVector<int64_t> keptShape;
  SmallVector<AffineExpr> keptExprs;
  SmallVector<utils::IteratorType> iterators;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(axes, i);
    iterators.push_back(reduced ? utils::IteratorType::reduction
                                : utils::IteratorType::parallel);
    if (!reduced) {
      keptShape.push_back(type.getDimSize(i));
      keptExprs.push_back(b.getAffineDimExpr(i));
    }
  }
  Value init = buildEmpty(b, loc, keptShape, element);
  Value filled =
      linalg::FillOp::create(b, loc, identityOf(b, loc, combine, element), init)
          .getResult(0);
  SmallVector<AffineMap> maps = {
      b.getMultiDimIdentityMap(rank),
      AffineMap::get(rank, 0, keptExprs, b.getContext())};
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{filled.getType()}, input, filled, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        BinaryKind kind = combine == Combine::Sum   ? BinaryKind::Add
                          : combine == Combine::Max ? BinaryKind::Maximum
                                                    : BinaryKind::Minimum;
        linalg::YieldOp::create(nb, nloc,
                                emitBinary(nb, nloc, kind, args[0], args[1]));
      });
  return generic.getResult(0);
}

template <typename OpTy> struct ReduceLowering : OpConversionPattern<OpTy> {
  ReduceLowering(MLIRContext *ctx, Combine combine, bool mean = false)
      : OpConversionPattern<OpTy>(ctx), combine(combine), mean(mean) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    SmallVector<int64_t> axes = op.getReducedAxes();
    Value reduced = reduceAxes(rewriter, loc, adaptor.getData(), axes, combine);
    if (mean) {
      auto inType = op.getData().getType();
      int64_t count = 1;
      bool batchAxis = false;
      for (int64_t a : axes) {
        if (inType.isDynamicDim(a))
          batchAxis = true;
        else
          count *= inType.getDimSize(a);
      }
      auto redType = cast<RankedTensorType>(reduced.getType());
      Type element = redType.getElementType();
      // Averaging over the batch axis of a shape-generic function divides
      // by the batch size the call runs with.
      Value batchCount;
      if (batchAxis) {
        if (!isa<FloatType>(element))
          return rewriter.notifyMatchFailure(op, "integer mean over `?`");
        Value b = arith::IndexCastOp::create(
            rewriter, loc, rewriter.getI64Type(), batchSize(rewriter, loc));
        b = arith::MulIOp::create(
            rewriter, loc, b,
            arith::ConstantOp::create(rewriter, loc,
                                      rewriter.getI64IntegerAttr(count)));
        batchCount = arith::SIToFPOp::create(rewriter, loc, element, b);
      }
      reduced = buildElementwise(
          rewriter, loc, redType, reduced,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value n = batchCount
                          ? batchCount
                          : emitScalarConstant(b, l, args[0].getType(), count);
            return emitBinary(b, l, BinaryKind::Divide, args[0], n);
          });
    }
    rewriter.replaceOp(op, buildReshape(rewriter, loc, reduced, op.getType()));
    return success();
  }
  Combine combine;
  bool mean;
};

/// A generic over `full`'s shape that also reads `reduced` (which lacks
/// `axis`) broadcast along that axis.
Value mapWithReduced(
    OpBuilder &b, Location loc, Value full, Value reduced, int64_t axis,
    function_ref<Value(OpBuilder &, Location, Value, Value)> fn) {
  auto type = cast<RankedTensorType>(full.getType());
  int64_t rank = type.getRank();
  SmallVector<AffineExpr> kept;
  for (int64_t i = 0; i < rank; ++i)
    if (i != axis)
      kept.push_back(b.getAffineDimExpr(i));
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank),
                                 AffineMap::get(rank, 0, kept, b.getContext()),
                                 b.getMultiDimIdentityMap(rank)};
  Value init = buildEmpty(b, loc, type.getShape(), type.getElementType());
  SmallVector<utils::IteratorType> iterators(rank,
                                             utils::IteratorType::parallel);
  auto generic = linalg::GenericOp::create(
      b, loc, TypeRange{type}, ValueRange{full, reduced}, init, maps, iterators,
      [&](OpBuilder &nb, Location nloc, ValueRange args) {
        linalg::YieldOp::create(nb, nloc, fn(nb, nloc, args[0], args[1]));
      });
  return generic.getResult(0);
}

/// softmax(x) = exp((x - max) / T) / sum(...), computed stably; log_softmax
/// subtracts log(sum) instead of dividing.
template <typename OpTy> struct SoftmaxLowering : OpConversionPattern<OpTy> {
  SoftmaxLowering(MLIRContext *ctx, bool logSoftmax)
      : OpConversionPattern<OpTy>(ctx), logSoftmax(logSoftmax) {}
  LogicalResult
  matchAndRewrite(OpTy op, typename OpTy::Adaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    Value x = adaptor.getData();
    int64_t rank = op.getType().getRank();
    // I64Attr getters return uint64_t: read the axis as signed.
    int64_t axis = static_cast<int64_t>(op.getAxis());
    if (axis < 0)
      axis += rank;
    double temperature = 1.0;
    if (auto t = op.getTemperature())
      temperature = t->convertToDouble();
    Value maxima = reduceAxes(rewriter, loc, x, {axis}, Combine::Max);
    // shifted = (x - max) / T
    Value shifted = mapWithReduced(
        rewriter, loc, x, maxima, axis,
        [&](OpBuilder &b, Location l, Value xv, Value mv) {
          Value d = emitBinary(b, l, BinaryKind::Subtract, xv, mv);
          if (temperature == 1.0)
            return d;
          Value t = emitScalarConstant(b, l, d.getType(), temperature);
          return emitBinary(b, l, BinaryKind::Divide, d, t);
        });
    Value exps =
        buildElementwise(rewriter, loc, op.getType(), shifted,
                         [&](OpBuilder &b, Location l, ValueRange args) {
                           return emitUnary(b, l, UnaryKind::Exp, args[0]);
                         });
    Value sums = reduceAxes(rewriter, loc, exps, {axis}, Combine::Sum);
    Value result;
    if (logSoftmax)
      result =
          mapWithReduced(rewriter, loc, shifted, sums, axis,
                         [&](OpBuilder &b, Location l, Value s, Value z) {
                           Value lz = emitUnary(b, l, UnaryKind::Log, z);
                           return emitBinary(b, l, BinaryKind::Subtract, s, lz);
                         });
    else
      result =
          mapWithReduced(rewriter, loc, exps, sums, axis,
                         [&](OpBuilder &b, Location l, Value e, Value z) {
                           return emitBinary(b, l, BinaryKind::Divide, e, z);
                         });
    rewriter.replaceOp(op, result);
    return success();
  }
  bool logSoftmax;
};
} // namespace

void mxjit::lowering::populateReductionToLinalgPatterns(
    RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReduceLowering<mx::SumOp>>(ctx, Combine::Sum);
  patterns.add<ReduceLowering<mx::MeanOp>>(ctx, Combine::Sum, /*mean=*/true);
  patterns.add<ReduceLowering<mx::MaxOp>>(ctx, Combine::Max);
  patterns.add<ReduceLowering<mx::MinOp>>(ctx, Combine::Min);
  patterns.add<SoftmaxLowering<mx::SoftmaxOp>>(ctx, /*logSoftmax=*/false);
  patterns.add<SoftmaxLowering<mx::LogSoftmaxOp>>(ctx, /*logSoftmax=*/true);
}
