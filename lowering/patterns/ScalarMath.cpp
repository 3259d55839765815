//===- ScalarMath.cpp - scalar bodies of mx elementwise ops ---------------===//

#include "lowering/patterns/Patterns.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mxjit::lowering;

Value mxjit::lowering::emitScalarConstant(OpBuilder &b, Location loc, Type type,
                                          double value) {
  if (auto ft = dyn_cast<FloatType>(type))
    return arith::ConstantOp::create(b, loc, b.getFloatAttr(ft, value));
  return arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(type, static_cast<int64_t>(value)));
}

namespace {
Value boolToElement(OpBuilder &b, Location loc, Value cond, Type type) {
  if (isa<FloatType>(type))
    return arith::UIToFPOp::create(b, loc, type, cond);
  return arith::ExtUIOp::create(b, loc, type, cond);
}

/// Integer division that never traps: x / 0 gives 0 and MIN / -1 wraps, so
/// bad data yields a defined value instead of SIGFPE.
Value safeSignedDivide(OpBuilder &b, Location loc, Value lhs, Value rhs) {
  Type t = lhs.getType();
  Value zero = emitScalarConstant(b, loc, t, 0);
  Value one = emitScalarConstant(b, loc, t, 1);
  Value minusOne = emitScalarConstant(b, loc, t, -1);
  Value isZero =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, zero);
  Value isMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, rhs, minusOne);
  Value unsafe = arith::OrIOp::create(b, loc, isZero, isMinusOne);
  Value divisor = arith::SelectOp::create(b, loc, unsafe, one, rhs);
  Value quotient = arith::DivSIOp::create(b, loc, lhs, divisor);
  Value negated = arith::SubIOp::create(b, loc, zero, lhs);
  Value byMinusOne =
      arith::SelectOp::create(b, loc, isMinusOne, negated, quotient);
  return arith::SelectOp::create(b, loc, isZero, zero, byMinusOne);
}

/// Integer power that never traps: a negative exponent gives 1 for base 1,
/// +-1 for base -1 and 0 otherwise (the truncated value of the real power;
/// 0 for 0^-n where the real result is undefined).
Value safeIntegerPower(OpBuilder &b, Location loc, Value base, Value exp) {
  Type t = base.getType();
  Value zero = emitScalarConstant(b, loc, t, 0);
  Value one = emitScalarConstant(b, loc, t, 1);
  Value minusOne = emitScalarConstant(b, loc, t, -1);
  Value negative =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::slt, exp, zero);
  Value safeExp = arith::SelectOp::create(b, loc, negative, zero, exp);
  Value power = math::IPowIOp::create(b, loc, base, safeExp);
  Value isOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, one);
  Value isMinusOne =
      arith::CmpIOp::create(b, loc, arith::CmpIPredicate::eq, base, minusOne);
  Value odd = arith::TruncIOp::create(b, loc, b.getI1Type(), exp);
  Value signOfMinusOne = arith::SelectOp::create(b, loc, odd, minusOne, one);
  Value fraction = arith::SelectOp::create(
      b, loc, isOne, one,
      arith::SelectOp::create(b, loc, isMinusOne, signOfMinusOne, zero));
  return arith::SelectOp::create(b, loc, negative, fraction, power);
}
} // namespace

Value mxjit::lowering::emitUnary(OpBuilder &b, Location loc, UnaryKind kind,
                                 Value x) {
  Type t = x.getType();
  bool isFloat = isa<FloatType>(t);
  switch (kind) {
  case UnaryKind::Negative:
    if (isFloat)
      return arith::NegFOp::create(b, loc, x);
    return arith::SubIOp::create(b, loc, emitScalarConstant(b, loc, t, 0), x);
  case UnaryKind::Abs:
    if (isFloat)
      return math::AbsFOp::create(b, loc, x);
    return math::AbsIOp::create(b, loc, x);
  case UnaryKind::Square:
    return emitBinary(b, loc, BinaryKind::Multiply, x, x);
  case UnaryKind::Relu:
    return emitBinary(b, loc, BinaryKind::Maximum, x,
                      emitScalarConstant(b, loc, t, 0));
  case UnaryKind::Exp:
    return math::ExpOp::create(b, loc, x);
  case UnaryKind::Log:
    return math::LogOp::create(b, loc, x);
  case UnaryKind::Sqrt:
    return math::SqrtOp::create(b, loc, x);
  case UnaryKind::Sigmoid: {
    Value one = emitScalarConstant(b, loc, t, 1);
    Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
    return arith::DivFOp::create(b, loc, one,
                                 arith::AddFOp::create(b, loc, one, e));
  }
  case UnaryKind::Tanh:
    return math::TanhOp::create(b, loc, x);
  case UnaryKind::Sin:
    return math::SinOp::create(b, loc, x);
  case UnaryKind::Cos:
    return math::CosOp::create(b, loc, x);
  case UnaryKind::Tan:
    return math::TanOp::create(b, loc, x);
  case UnaryKind::Log2:
    return math::Log2Op::create(b, loc, x);
  case UnaryKind::Log10:
    return math::Log10Op::create(b, loc, x);
  case UnaryKind::Log1p:
    return math::Log1pOp::create(b, loc, x);
  case UnaryKind::Expm1:
    return math::ExpM1Op::create(b, loc, x);
  case UnaryKind::Reciprocal:
    return arith::DivFOp::create(b, loc, emitScalarConstant(b, loc, t, 1), x);
  case UnaryKind::Rsqrt:
    return math::RsqrtOp::create(b, loc, x);
  case UnaryKind::Cbrt:
    return math::CbrtOp::create(b, loc, x);
  case UnaryKind::Rcbrt:
    return arith::DivFOp::create(b, loc, emitScalarConstant(b, loc, t, 1),
                                 math::CbrtOp::create(b, loc, x));
  case UnaryKind::Sinh:
    return math::SinhOp::create(b, loc, x);
  case UnaryKind::Cosh:
    return math::CoshOp::create(b, loc, x);
  case UnaryKind::Arcsin:
    return math::AsinOp::create(b, loc, x);
  case UnaryKind::Arccos:
    return math::AcosOp::create(b, loc, x);
  case UnaryKind::Arctan:
    return math::AtanOp::create(b, loc, x);
  case UnaryKind::Arcsinh:
    return math::AsinhOp::create(b, loc, x);
  case UnaryKind::Arccosh:
    return math::AcoshOp::create(b, loc, x);
  case UnaryKind::Arctanh:
    return math::AtanhOp::create(b, loc, x);
  case UnaryKind::Erf:
    return math::ErfOp::create(b, loc, x);
  case UnaryKind::Softsign: {
    Value one = emitScalarConstant(b, loc, t, 1);
    Value absX = math::AbsFOp::create(b, loc, x);
    return arith::DivFOp::create(b, loc, x,
                                 arith::AddFOp::create(b, loc, one, absX));
  }
  case UnaryKind::Softrelu: {
    // log(1 + e^x) = max(x, 0) + log1p(e^-|x|): e^-|x| <= 1 never overflows.
    Value zero = emitScalarConstant(b, loc, t, 0);
    Value negAbs =
        arith::NegFOp::create(b, loc, math::AbsFOp::create(b, loc, x));
    Value tail =
        math::Log1pOp::create(b, loc, math::ExpOp::create(b, loc, negAbs));
    Value pos = arith::MaximumFOp::create(b, loc, x, zero);
    return arith::AddFOp::create(b, loc, pos, tail);
  }
  case UnaryKind::Radians:
    return arith::MulFOp::create(
        b, loc, x, emitScalarConstant(b, loc, t, llvm::numbers::pi / 180.0));
  case UnaryKind::Degrees:
    return arith::MulFOp::create(
        b, loc, x, emitScalarConstant(b, loc, t, 180.0 / llvm::numbers::pi));
  case UnaryKind::Sign: {
    // -1, 1 or 0 (NaN included), as MXNet.
    Value zero = emitScalarConstant(b, loc, t, 0);
    Value one = emitScalarConstant(b, loc, t, 1);
    Value minusOne = emitScalarConstant(b, loc, t, -1);
    Value pos = isFloat ? Value(arith::CmpFOp::create(
                              b, loc, arith::CmpFPredicate::OGT, x, zero))
                        : Value(arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::sgt, x, zero));
    Value negs = isFloat ? Value(arith::CmpFOp::create(
                               b, loc, arith::CmpFPredicate::OLT, x, zero))
                         : Value(arith::CmpIOp::create(
                               b, loc, arith::CmpIPredicate::slt, x, zero));
    Value posOrZero = arith::SelectOp::create(b, loc, pos, one, zero);
    return arith::SelectOp::create(b, loc, negs, minusOne, posOrZero);
  }
  }
  llvm_unreachable("unknown unary kind");
}

namespace {
/// A clip bound as a constant of integer `type`: truncated toward zero and
/// saturated at the type's range.
Value integerBound(OpBuilder &b, Location loc, Type type, double v) {
  unsigned width = type.getIntOrFloatBitWidth();
  APInt value;
  double limit = std::ldexp(1.0, width - 1);
  if (v <= -limit)
    value = APInt::getSignedMinValue(width);
  else if (v >= limit)
    value = APInt::getSignedMaxValue(width);
  else
    value = APInt(width, static_cast<int64_t>(std::trunc(v)),
                  /*isSigned=*/true);
  return arith::ConstantOp::create(b, loc, b.getIntegerAttr(type, value));
}
} // namespace

Value mxjit::lowering::emitClip(OpBuilder &b, Location loc, Value x, double lo,
                                double hi) {
  Type t = x.getType();
  bool isFloat = isa<FloatType>(t);
  Value low =
      isFloat ? emitScalarConstant(b, loc, t, lo) : integerBound(b, loc, t, lo);
  Value high =
      isFloat ? emitScalarConstant(b, loc, t, hi) : integerBound(b, loc, t, hi);
  Value above = isFloat ? Value(arith::CmpFOp::create(
                              b, loc, arith::CmpFPredicate::OGT, x, high))
                        : Value(arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::sgt, x, high));
  Value below = isFloat ? Value(arith::CmpFOp::create(
                              b, loc, arith::CmpFPredicate::OLT, x, low))
                        : Value(arith::CmpIOp::create(
                              b, loc, arith::CmpIPredicate::slt, x, low));
  Value lower = arith::SelectOp::create(b, loc, below, low, x);
  return arith::SelectOp::create(b, loc, above, high, lower);
}

Value mxjit::lowering::emitBinary(OpBuilder &b, Location loc, BinaryKind kind,
                                  Value lhs, Value rhs) {
  Type t = lhs.getType();
  bool isFloat = isa<FloatType>(t);
  auto compare = [&](arith::CmpFPredicate fp, arith::CmpIPredicate ip) {
    Value c = isFloat ? Value(arith::CmpFOp::create(b, loc, fp, lhs, rhs))
                      : Value(arith::CmpIOp::create(b, loc, ip, lhs, rhs));
    return boolToElement(b, loc, c, t);
  };
  switch (kind) {
  case BinaryKind::Add:
    return isFloat ? Value(arith::AddFOp::create(b, loc, lhs, rhs))
                   : Value(arith::AddIOp::create(b, loc, lhs, rhs));
  case BinaryKind::Subtract:
    return isFloat ? Value(arith::SubFOp::create(b, loc, lhs, rhs))
                   : Value(arith::SubIOp::create(b, loc, lhs, rhs));
  case BinaryKind::Multiply:
    return isFloat ? Value(arith::MulFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MulIOp::create(b, loc, lhs, rhs));
  case BinaryKind::Divide:
    return isFloat ? Value(arith::DivFOp::create(b, loc, lhs, rhs))
                   : safeSignedDivide(b, loc, lhs, rhs);
  case BinaryKind::Power:
    return isFloat ? Value(math::PowFOp::create(b, loc, lhs, rhs))
                   : safeIntegerPower(b, loc, lhs, rhs);
  case BinaryKind::Maximum:
    return isFloat ? Value(arith::MaximumFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MaxSIOp::create(b, loc, lhs, rhs));
  case BinaryKind::Minimum:
    return isFloat ? Value(arith::MinimumFOp::create(b, loc, lhs, rhs))
                   : Value(arith::MinSIOp::create(b, loc, lhs, rhs));
  case BinaryKind::Equal:
    return compare(arith::CmpFPredicate::OEQ, arith::CmpIPredicate::eq);
  case BinaryKind::NotEqual:
    return compare(arith::CmpFPredicate::UNE, arith::CmpIPredicate::ne);
  case BinaryKind::Greater:
    return compare(arith::CmpFPredicate::OGT, arith::CmpIPredicate::sgt);
  case BinaryKind::GreaterEqual:
    return compare(arith::CmpFPredicate::OGE, arith::CmpIPredicate::sge);
  case BinaryKind::Lesser:
    return compare(arith::CmpFPredicate::OLT, arith::CmpIPredicate::slt);
  case BinaryKind::LesserEqual:
    return compare(arith::CmpFPredicate::OLE, arith::CmpIPredicate::sle);
  }
  llvm_unreachable("unknown binary kind");
}

Value mxjit::lowering::emitConvert(OpBuilder &b, Location loc, Value x,
                                   Type to) {
  Type from = x.getType();
  if (from == to)
    return x;
  bool fromFloat = isa<FloatType>(from), toFloat = isa<FloatType>(to);
  unsigned fromBits = from.getIntOrFloatBitWidth();
  unsigned toBits = to.getIntOrFloatBitWidth();
  if (fromFloat && toFloat)
    return fromBits < toBits ? Value(arith::ExtFOp::create(b, loc, to, x))
                             : Value(arith::TruncFOp::create(b, loc, to, x));
  if (!fromFloat && !toFloat)
    return fromBits < toBits ? Value(arith::ExtSIOp::create(b, loc, to, x))
                             : Value(arith::TruncIOp::create(b, loc, to, x));
  if (fromFloat)
    return arith::FPToSIOp::create(b, loc, to, x);
  return arith::SIToFPOp::create(b, loc, to, x);
}
