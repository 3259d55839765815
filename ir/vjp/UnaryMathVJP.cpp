//===- UnaryMathVJP.cpp - VJPs of the unary math, clip and slice_assign ---===//
//
// Reverse-mode rules of the unary math ops (tan ... degrees, sign), clip,
// stop_gradient and slice_assign. Every derivative is written with mx ops so
// gradients can be differentiated again; where it saves work the forward
// result y is reused (tan, reciprocal, rsqrt, cbrt, rcbrt).
//
//===----------------------------------------------------------------------===//

#include "ir/vjp/VJPBuilders.h"

#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
Value square(OpBuilder &b, Location loc, Value x) {
  return SquareOp::create(b, loc, x);
}
} // namespace

//===----------------------------------------------------------------------===//
// Unary math
//===----------------------------------------------------------------------===//

LogicalResult TanOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  // d tan x = 1 + tan^2 x.
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        return mul(b, loc, g,
                   scalarOp<AddScalarOp>(b, loc, square(b, loc, y), 1.0));
      });
}

LogicalResult Log2Op::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return div(b, loc, g,
                   scalarOp<MultiplyScalarOp>(b, loc, x, llvm::numbers::ln2));
      });
}

LogicalResult Log10Op::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return div(b, loc, g,
                   scalarOp<MultiplyScalarOp>(b, loc, x, llvm::numbers::ln10));
      });
}

LogicalResult Log1pOp::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return div(b, loc, g, scalarOp<AddScalarOp>(b, loc, x, 1));
                   });
}

LogicalResult Expm1Op::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  // e^x rather than y + 1, which loses precision where y is close to -1.
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, ExpOp::create(b, loc, x));
                   });
}

LogicalResult ReciprocalOp::buildVJP(OpBuilder &b, ValueRange grads,
                                     SmallVectorImpl<Value> &out) {
  // d(1/x) = -1/x^2 = -y^2.
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value, Value y, Value g) {
                     return neg(b, loc, mul(b, loc, g, square(b, loc, y)));
                   });
}

LogicalResult RsqrtOp::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  // d x^(-1/2) = -1/2 x^(-3/2) = -y^3 / 2.
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        Value cube = mul(b, loc, square(b, loc, y), y);
        return mul(b, loc, g, scalarOp<MultiplyScalarOp>(b, loc, cube, -0.5));
      });
}

LogicalResult CbrtOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  // d x^(1/3) = 1 / (3 y^2).
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        return div(b, loc, g,
                   scalarOp<MultiplyScalarOp>(b, loc, square(b, loc, y), 3.0));
      });
}

LogicalResult RcbrtOp::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  // d x^(-1/3) = -1/3 x^(-4/3) = -y^4 / 3.
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        Value fourth = square(b, loc, square(b, loc, y));
        return mul(b, loc, g,
                   scalarOp<MultiplyScalarOp>(b, loc, fourth, -1.0 / 3.0));
      });
}

LogicalResult SinhOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, CoshOp::create(b, loc, x));
                   });
}

LogicalResult CoshOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, SinhOp::create(b, loc, x));
                   });
}

namespace {
/// 1 / sqrt(1 - x^2), the derivative of arcsin.
Value invSqrtOneMinusSquare(OpBuilder &b, Location loc, Value x) {
  return RsqrtOp::create(
      b, loc, scalarOp<RSubtractScalarOp>(b, loc, square(b, loc, x), 1.0));
}
} // namespace

LogicalResult ArcsinOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, invSqrtOneMinusSquare(b, loc, x));
                   });
}

LogicalResult ArccosOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return neg(b, loc, mul(b, loc, g, invSqrtOneMinusSquare(b, loc, x)));
      });
}

LogicalResult ArctanOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return div(b, loc, g,
                   scalarOp<AddScalarOp>(b, loc, square(b, loc, x), 1.0));
      });
}

LogicalResult ArcsinhOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // 1 / sqrt(x^2 + 1).
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value d = RsqrtOp::create(
            b, loc, scalarOp<AddScalarOp>(b, loc, square(b, loc, x), 1.0));
        return mul(b, loc, g, d);
      });
}

LogicalResult ArccoshOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // 1 / sqrt(x^2 - 1).
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value d = RsqrtOp::create(
            b, loc, scalarOp<SubtractScalarOp>(b, loc, square(b, loc, x), 1.0));
        return mul(b, loc, g, d);
      });
}

LogicalResult ArctanhOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // 1 / (1 - x^2).
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return div(b, loc, g,
                   scalarOp<RSubtractScalarOp>(b, loc, square(b, loc, x), 1.0));
      });
}

LogicalResult ErfOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  // 2 / sqrt(pi) * e^(-x^2).
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value e = ExpOp::create(b, loc, neg(b, loc, square(b, loc, x)));
        return mul(b, loc, g,
                   scalarOp<MultiplyScalarOp>(b, loc, e,
                                              2.0 * llvm::numbers::inv_sqrtpi));
      });
}

LogicalResult SoftsignOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  // d x/(1+|x|) = 1 / (1 + |x|)^2.
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value onePlusAbs =
            scalarOp<AddScalarOp>(b, loc, AbsOp::create(b, loc, x), 1.0);
        return div(b, loc, g, square(b, loc, onePlusAbs));
      });
}

LogicalResult SoftreluOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  // d log(1 + e^x) = sigmoid(x).
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, SigmoidOp::create(b, loc, x));
                   });
}

LogicalResult RadiansOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return scalarOp<MultiplyScalarOp>(b, loc, g, llvm::numbers::pi / 180.0);
  });
}

LogicalResult DegreesOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return scalarOp<MultiplyScalarOp>(b, loc, g, 180.0 / llvm::numbers::pi);
  });
}

// sign is piecewise constant: no gradient (zero).
LogicalResult SignOp::buildVJP(OpBuilder &, ValueRange,
                               SmallVectorImpl<Value> &out) {
  return noGradients(*this, out);
}

//===----------------------------------------------------------------------===//
// clip, stop_gradient
//===----------------------------------------------------------------------===//

LogicalResult ClipOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  // MXNet's clip backward: the gradient is 0 where x > a_max or x < a_min
  // and passes everywhere else, so a_min <= x <= a_max (bounds included)
  // and NaN pass. The two masks are never 1 together since a_min <= a_max.
  double lo = getAMin().convertToDouble(), hi = getAMax().convertToDouble();
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value above = scalarOp<GreaterScalarOp>(b, loc, x, hi);
        Value below = scalarOp<LesserScalarOp>(b, loc, x, lo);
        Value outside = AddOp::create(b, loc, above, below);
        return mul(b, loc, g,
                   scalarOp<RSubtractScalarOp>(b, loc, outside, 1.0));
      });
}

LogicalResult StopGradientOp::buildVJP(OpBuilder &, ValueRange,
                                       SmallVectorImpl<Value> &out) {
  return noGradients(*this, out);
}

//===----------------------------------------------------------------------===//
// slice_assign
//===----------------------------------------------------------------------===//

LogicalResult SliceAssignOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      SmallVectorImpl<Value> &out) {
  if (!isFloatTensor(getBase()))
    return noGradients(*this, out);
  // The base's gradient is g with the overwritten window zeroed; value's is
  // the window of g.
  Location loc = getLoc();
  Value g = grads[0];
  Value zeros = splat(b, loc, getValue().getType(), 0.0);
  out.push_back(
      SliceAssignOp::create(b, loc, g, zeros, getBegin(), getEnd(), getStep()));
  out.push_back(SliceOp::create(b, loc, g, getBegin(), getEnd(), getStep()));
  return success();
}
