//===- ElementwiseVJP.cpp - VJPs of elementwise mx ops --------------------===//
//
// Derivatives are written with mx ops and, where it saves work, reuse the
// forward result y (exp, sqrt, sigmoid, tanh, divide, power).
//
//===----------------------------------------------------------------------===//

#include "ir/vjp/VJPBuilders.h"

using namespace mlir;
using namespace mxjit::mx;
using namespace mxjit::mx::vjp;

namespace {
/// Calls `fn(loc, a, b, y, g)` which returns the cotangents in the result's
/// shape; they are summed back to each operand's broadcast shape.
template <typename Fn>
LogicalResult binaryVJP(Operation *op, OpBuilder &b, ValueRange grads,
                        SmallVectorImpl<Value> &out, Fn fn) {
  Value lhs = op->getOperand(0), rhs = op->getOperand(1);
  if (!isFloatTensor(lhs)) {
    out.append({nullptr, nullptr});
    return success();
  }
  Location loc = op->getLoc();
  auto [gl, gr] = fn(loc, lhs, rhs, op->getResult(0), grads[0]);
  out.push_back(unbroadcast(b, loc, gl, tensorType(lhs)));
  out.push_back(unbroadcast(b, loc, gr, tensorType(rhs)));
  return success();
}

} // namespace

LogicalResult ConstantOp::buildVJP(OpBuilder &, ValueRange,
                                   SmallVectorImpl<Value> &) {
  return success();
}

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

LogicalResult NegativeOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return neg(b, loc, g);
  });
}

LogicalResult AbsOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  // sign(x) = (x > 0) - (x < 0): 0 at the kink, as MXNet.
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        Value pos = scalarOp<GreaterScalarOp>(b, loc, x, 0);
        Value negs = scalarOp<LesserScalarOp>(b, loc, x, 0);
        return mul(b, loc, g, SubtractOp::create(b, loc, pos, negs));
      });
}

LogicalResult SquareOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return mul(b, loc, g, scalarOp<MultiplyScalarOp>(b, loc, x, 2));
      });
}

LogicalResult ReluOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return mul(b, loc, g, scalarOp<GreaterScalarOp>(b, loc, x, 0));
      });
}

LogicalResult ExpOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out,
      [&](Location loc, Value, Value y, Value g) { return mul(b, loc, g, y); });
}

LogicalResult LogOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out,
      [&](Location loc, Value x, Value, Value g) { return div(b, loc, g, x); });
}

LogicalResult SqrtOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        return div(b, loc, g, scalarOp<MultiplyScalarOp>(b, loc, y, 2));
      });
}

LogicalResult SigmoidOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        Value oneMinusY = scalarOp<RSubtractScalarOp>(b, loc, y, 1);
        return mul(b, loc, g, mul(b, loc, y, oneMinusY));
      });
}

LogicalResult TanhOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        Value ySquared = SquareOp::create(b, loc, y);
        return mul(b, loc, g, scalarOp<RSubtractScalarOp>(b, loc, ySquared, 1));
      });
}

LogicalResult SinOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     return mul(b, loc, g, CosOp::create(b, loc, x));
                   });
}

LogicalResult CosOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return neg(b, loc, mul(b, loc, g, SinOp::create(b, loc, x)));
      });
}

//===----------------------------------------------------------------------===//
// Binary (broadcasting)
//===----------------------------------------------------------------------===//

using GradPair = std::pair<Value, Value>;

LogicalResult AddOp::buildVJP(OpBuilder &b, ValueRange grads,
                              SmallVectorImpl<Value> &out) {
  return binaryVJP(
      *this, b, grads, out,
      [&](Location, Value, Value, Value, Value g) { return GradPair{g, g}; });
}

LogicalResult SubtractOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value, Value, Value, Value g) {
                     return GradPair{g, neg(b, loc, g)};
                   });
}

LogicalResult MultiplyOp::buildVJP(OpBuilder &b, ValueRange grads,
                                   SmallVectorImpl<Value> &out) {
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value l, Value r, Value, Value g) {
                     return GradPair{mul(b, loc, g, r), mul(b, loc, g, l)};
                   });
}

LogicalResult DivideOp::buildVJP(OpBuilder &b, ValueRange grads,
                                 SmallVectorImpl<Value> &out) {
  // d(l/r)/dr = -(l/r)/r = -y/r.
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value, Value r, Value y, Value g) {
                     Value gl = div(b, loc, g, r);
                     Value gr = neg(b, loc, div(b, loc, mul(b, loc, g, y), r));
                     return GradPair{gl, gr};
                   });
}

LogicalResult PowerOp::buildVJP(OpBuilder &b, ValueRange grads,
                                SmallVectorImpl<Value> &out) {
  // d(l^r)/dl = r * l^(r-1); d(l^r)/dr = l^r * log(l).
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value l, Value r, Value y, Value g) {
                     Value rMinusOne = scalarOp<SubtractScalarOp>(b, loc, r, 1);
                     Value dl =
                         mul(b, loc, r, PowerOp::create(b, loc, l, rMinusOne));
                     Value dr = mul(b, loc, y, LogOp::create(b, loc, l));
                     return GradPair{mul(b, loc, g, dl), mul(b, loc, g, dr)};
                   });
}

LogicalResult MaximumOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // Ties go to lhs, as MXNet's maximum backward (ge / lt).
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value l, Value r, Value, Value g) {
                     Value toL = GreaterEqualOp::create(b, loc, l, r);
                     Value toR = LesserOp::create(b, loc, l, r);
                     return GradPair{mul(b, loc, g, toL), mul(b, loc, g, toR)};
                   });
}

LogicalResult MinimumOp::buildVJP(OpBuilder &b, ValueRange grads,
                                  SmallVectorImpl<Value> &out) {
  // Ties go to lhs, as MXNet's minimum backward (le / gt).
  return binaryVJP(*this, b, grads, out,
                   [&](Location loc, Value l, Value r, Value, Value g) {
                     Value toL = LesserEqualOp::create(b, loc, l, r);
                     Value toR = GreaterOp::create(b, loc, l, r);
                     return GradPair{mul(b, loc, g, toL), mul(b, loc, g, toR)};
                   });
}

// Comparisons are piecewise constant: no gradient.
#define MX_NO_GRADIENT(OP)                                                     \
  LogicalResult OP::buildVJP(OpBuilder &, ValueRange,                          \
                             SmallVectorImpl<Value> &out) {                    \
    return noGradients(*this, out);                                            \
  }
MX_NO_GRADIENT(EqualOp)
MX_NO_GRADIENT(NotEqualOp)
MX_NO_GRADIENT(GreaterOp)
MX_NO_GRADIENT(GreaterEqualOp)
MX_NO_GRADIENT(LesserOp)
MX_NO_GRADIENT(LesserEqualOp)
MX_NO_GRADIENT(EqualScalarOp)
MX_NO_GRADIENT(NotEqualScalarOp)
MX_NO_GRADIENT(GreaterScalarOp)
MX_NO_GRADIENT(GreaterEqualScalarOp)
MX_NO_GRADIENT(LesserScalarOp)
MX_NO_GRADIENT(LesserEqualScalarOp)
#undef MX_NO_GRADIENT

//===----------------------------------------------------------------------===//
// Tensor-scalar
//===----------------------------------------------------------------------===//

LogicalResult AddScalarOp::buildVJP(OpBuilder &, ValueRange grads,
                                    SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location, Value, Value, Value g) { return g; });
}

LogicalResult SubtractScalarOp::buildVJP(OpBuilder &, ValueRange grads,
                                         SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out,
                   [&](Location, Value, Value, Value g) { return g; });
}

LogicalResult RSubtractScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                          SmallVectorImpl<Value> &out) {
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return neg(b, loc, g);
  });
}

LogicalResult MultiplyScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                         SmallVectorImpl<Value> &out) {
  double s = getScalar().convertToDouble();
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return scalarOp<MultiplyScalarOp>(b, loc, g, s);
  });
}

LogicalResult DivideScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  double s = getScalar().convertToDouble();
  return unaryRule(*this, grads, out, [&](Location loc, Value, Value, Value g) {
    return scalarOp<DivideScalarOp>(b, loc, g, s);
  });
}

LogicalResult RDivideScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                        SmallVectorImpl<Value> &out) {
  // d(s/x)/dx = -(s/x)/x = -y/x.
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value y, Value g) {
                     return neg(b, loc, div(b, loc, mul(b, loc, g, y), x));
                   });
}

LogicalResult PowerScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                      SmallVectorImpl<Value> &out) {
  double s = getScalar().convertToDouble();
  return unaryRule(*this, grads, out,
                   [&](Location loc, Value x, Value, Value g) {
                     Value d = scalarOp<MultiplyScalarOp>(
                         b, loc, scalarOp<PowerScalarOp>(b, loc, x, s - 1), s);
                     return mul(b, loc, g, d);
                   });
}

LogicalResult RPowerScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                       SmallVectorImpl<Value> &out) {
  double logS = std::log(getScalar().convertToDouble());
  return unaryRule(
      *this, grads, out, [&](Location loc, Value, Value y, Value g) {
        return scalarOp<MultiplyScalarOp>(b, loc, mul(b, loc, g, y), logS);
      });
}

LogicalResult MaximumScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                        SmallVectorImpl<Value> &out) {
  double s = getScalar().convertToDouble();
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return mul(b, loc, g, scalarOp<GreaterEqualScalarOp>(b, loc, x, s));
      });
}

LogicalResult MinimumScalarOp::buildVJP(OpBuilder &b, ValueRange grads,
                                        SmallVectorImpl<Value> &out) {
  double s = getScalar().convertToDouble();
  return unaryRule(
      *this, grads, out, [&](Location loc, Value x, Value, Value g) {
        return mul(b, loc, g, scalarOp<LesserEqualScalarOp>(b, loc, x, s));
      });
}

//===----------------------------------------------------------------------===//
// Cast
//===----------------------------------------------------------------------===//

LogicalResult CastOp::buildVJP(OpBuilder &b, ValueRange grads,
                               SmallVectorImpl<Value> &out) {
  // Only float-to-float casts carry a gradient (converted back).
  if (!isFloatTensor(getData()) || !isFloatTensor(getResult()))
    return noGradients(*this, out);
  out.push_back(CastOp::create(b, getLoc(), getData().getType(), grads[0]));
  return success();
}
