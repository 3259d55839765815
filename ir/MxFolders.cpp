//===- MxFolders.cpp - mx op folders and canonicalizations ----------------===//
//
// Constant folding evaluates in double (floats) or int64 (integers) and
// rounds to the element type; folding is limited to small tensors so that
// canonicalization never materialises large constants.
//
//===----------------------------------------------------------------------===//

#include "ir/MxOps.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"

#include "llvm/Support/MathExtras.h"

#include <cmath>
#include <limits>

using namespace mlir;
using namespace mxjit::mx;

namespace {
constexpr int64_t kMaxFoldElements = 1 << 16;

using FloatFn = llvm::function_ref<double(double)>;
using IntFn = llvm::function_ref<std::optional<int64_t>(int64_t)>;
using FloatFn2 = llvm::function_ref<double(double, double)>;
using IntFn2 = llvm::function_ref<std::optional<int64_t>(int64_t, int64_t)>;

double toDouble(APFloat v) {
  bool lost;
  v.convert(APFloat::IEEEdouble(), APFloat::rmNearestTiesToEven, &lost);
  return v.convertToDouble();
}

APFloat fromDouble(double d, FloatType type) {
  APFloat v(d);
  bool lost;
  v.convert(type.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
  return v;
}

/// The values of a small dense attribute as doubles or int64s.
struct Values {
  SmallVector<double> f;
  SmallVector<int64_t> i;
  bool isFloat = false;
  bool splat = false;
};

std::optional<Values> readValues(Attribute attr) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense)
    return std::nullopt;
  if (!dense.isSplat() && dense.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  Values v;
  v.splat = dense.isSplat();
  v.isFloat = isa<FloatType>(dense.getElementType());
  if (v.isFloat) {
    if (v.splat)
      v.f.push_back(toDouble(dense.getSplatValue<APFloat>()));
    else
      for (APFloat x : dense.getValues<APFloat>())
        v.f.push_back(toDouble(x));
  } else {
    if (v.splat)
      v.i.push_back(dense.getSplatValue<APInt>().getSExtValue());
    else
      for (APInt x : dense.getValues<APInt>())
        v.i.push_back(x.getSExtValue());
  }
  return v;
}

/// Builds a dense attribute of `type` from doubles or int64s (one value means
/// a splat).
Attribute makeAttr(ShapedType type, ArrayRef<double> f, ArrayRef<int64_t> i) {
  Type element = type.getElementType();
  if (auto ft = dyn_cast<FloatType>(element)) {
    SmallVector<APFloat> out;
    for (double d : f)
      out.push_back(fromDouble(d, ft));
    if (out.size() == 1)
      return DenseElementsAttr::get(type, out[0]);
    return DenseElementsAttr::get(type, out);
  }
  unsigned width = element.getIntOrFloatBitWidth();
  SmallVector<APInt> out;
  for (int64_t v : i)
    out.push_back(APInt(width, v, /*isSigned=*/true, /*implicitTrunc=*/true));
  if (out.size() == 1)
    return DenseElementsAttr::get(type, out[0]);
  return DenseElementsAttr::get(type, out);
}

Attribute foldUnary(Attribute operand, Type resultType, FloatFn ffn,
                    IntFn ifn = nullptr) {
  auto in = readValues(operand);
  auto type = cast<ShapedType>(resultType);
  if (!in)
    return {};
  SmallVector<double> f;
  SmallVector<int64_t> i;
  if (in->isFloat) {
    for (double x : in->f)
      f.push_back(ffn(x));
  } else {
    if (!ifn)
      return {};
    for (int64_t x : in->i) {
      std::optional<int64_t> r = ifn(x);
      if (!r)
        return {};
      i.push_back(*r);
    }
  }
  return makeAttr(type, f, i);
}

/// Folds two constants when both are splats or both have the result type.
Attribute foldBinary(Attribute lhs, Attribute rhs, Type resultType,
                     FloatFn2 ffn, IntFn2 ifn) {
  auto a = readValues(lhs), b = readValues(rhs);
  if (!a || !b)
    return {};
  auto type = cast<ShapedType>(resultType);
  bool bothSplat = a->splat && b->splat;
  if (!bothSplat && (cast<TypedAttr>(lhs).getType() != resultType ||
                     cast<TypedAttr>(rhs).getType() != resultType))
    return {};
  size_t n = bothSplat ? 1 : type.getNumElements();
  auto at = [](auto &vec, bool splat, size_t k) { return vec[splat ? 0 : k]; };
  SmallVector<double> f;
  SmallVector<int64_t> i;
  for (size_t k = 0; k < n; ++k) {
    if (a->isFloat) {
      f.push_back(ffn(at(a->f, a->splat, k), at(b->f, b->splat, k)));
    } else {
      std::optional<int64_t> r =
          ifn(at(a->i, a->splat, k), at(b->i, b->splat, k));
      if (!r)
        return {};
      i.push_back(*r);
    }
  }
  return makeAttr(type, f, i);
}

/// The scalar of a tensor-scalar op as a one-element splat of `type`.
Attribute scalarSplat(double s, Type type) {
  auto shaped = cast<ShapedType>(type);
  if (isa<FloatType>(shaped.getElementType()))
    return makeAttr(shaped, {s}, {});
  return makeAttr(shaped, {}, {static_cast<int64_t>(s)});
}

bool isIntegerTensor(Type t) {
  return isa<IntegerType>(cast<ShapedType>(t).getElementType());
}

// Integer arithmetic wraps (two's complement), as the lowered code does;
// going through uint64_t keeps overflow defined in C++.
int64_t wrapAdd(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) +
                              static_cast<uint64_t>(b));
}
int64_t wrapSub(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) -
                              static_cast<uint64_t>(b));
}
int64_t wrapMul(int64_t a, int64_t b) {
  return static_cast<int64_t>(static_cast<uint64_t>(a) *
                              static_cast<uint64_t>(b));
}

// Integer folds wrap on overflow like the generated code (two's complement),
// computed in uint64_t because signed overflow is undefined in C++.
int64_t wrap(uint64_t v) { return static_cast<int64_t>(v); }
int64_t wrapNeg(int64_t a) { return wrap(0 - static_cast<uint64_t>(a)); }

/// Matches the lowering: a negative exponent gives 1 for base 1, +-1 for
/// base -1 and 0 otherwise.
std::optional<int64_t> intPow(int64_t base, int64_t exp) {
  if (exp < 0)
    return base == 1 ? 1 : base == -1 ? (exp % 2 ? -1 : 1) : 0;
  uint64_t r = 1, b = static_cast<uint64_t>(base);
  for (uint64_t e = static_cast<uint64_t>(exp); e; e >>= 1, b *= b)
    if (e & 1)
      r *= b;
  return wrap(r);
}

/// Matches the lowering: x / 0 is 0 and MIN / -1 wraps.
std::optional<int64_t> intDiv(int64_t a, int64_t b) {
  if (b == 0)
    return 0;
  if (b == -1)
    return wrapNeg(a);
  return a / b;
}

double relu(double x) { return x > 0 ? x : 0; }
} // namespace

OpFoldResult ConstantOp::fold(FoldAdaptor) { return getValue(); }

//===----------------------------------------------------------------------===//
// Unary
//===----------------------------------------------------------------------===//

OpFoldResult NegativeOp::fold(FoldAdaptor a) {
  if (auto inner = getData().getDefiningOp<NegativeOp>())
    return inner.getData();
  return foldUnary(
      a.getData(), getType(), [](double x) { return -x; },
      [](int64_t x) -> std::optional<int64_t> { return wrapSub(0, x); });
}
OpFoldResult AbsOp::fold(FoldAdaptor a) {
  if (auto inner = getData().getDefiningOp<AbsOp>())
    return inner.getResult();
  return foldUnary(
      a.getData(), getType(), [](double x) { return std::fabs(x); },
      [](int64_t x) -> std::optional<int64_t> {
        return x < 0 ? wrapSub(0, x) : x;
      });
}
OpFoldResult SquareOp::fold(FoldAdaptor a) {
  return foldUnary(
      a.getData(), getType(), [](double x) { return x * x; },
      [](int64_t x) -> std::optional<int64_t> { return wrapMul(x, x); });
}
OpFoldResult ReluOp::fold(FoldAdaptor a) {
  if (auto inner = getData().getDefiningOp<ReluOp>())
    return inner.getResult();
  return foldUnary(
      a.getData(), getType(), relu,
      [](int64_t x) -> std::optional<int64_t> { return x > 0 ? x : 0; });
}
OpFoldResult ExpOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::exp(x); });
}
OpFoldResult LogOp::fold(FoldAdaptor a) {
  if (auto inner = getData().getDefiningOp<ExpOp>())
    return inner.getData();
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::log(x); });
}
OpFoldResult SqrtOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::sqrt(x); });
}
OpFoldResult SigmoidOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
}
OpFoldResult TanhOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::tanh(x); });
}
OpFoldResult SinOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::sin(x); });
}
OpFoldResult CosOp::fold(FoldAdaptor a) {
  return foldUnary(a.getData(), getType(),
                   [](double x) { return std::cos(x); });
}

namespace {
double softsign(double x) { return x / (1.0 + std::fabs(x)); }
/// log(1 + e^x) = max(x, 0) + log1p(e^-|x|), which never overflows.
double softrelu(double x) {
  return (x > 0 ? x : 0.0) + std::log1p(std::exp(-std::fabs(x)));
}
/// MXNet's sign: NaN gives 0.
double fSign(double x) { return x > 0 ? 1.0 : x < 0 ? -1.0 : 0.0; }
} // namespace

#define MX_FOLD_FLOAT_UNARY(OP, EXPR)                                          \
  OpFoldResult OP::fold(FoldAdaptor a) {                                       \
    return foldUnary(a.getData(), getType(), [](double x) { return EXPR; });   \
  }
MX_FOLD_FLOAT_UNARY(TanOp, std::tan(x))
MX_FOLD_FLOAT_UNARY(Log2Op, std::log2(x))
MX_FOLD_FLOAT_UNARY(Log10Op, std::log10(x))
MX_FOLD_FLOAT_UNARY(Log1pOp, std::log1p(x))
MX_FOLD_FLOAT_UNARY(Expm1Op, std::expm1(x))
MX_FOLD_FLOAT_UNARY(ReciprocalOp, 1.0 / x)
MX_FOLD_FLOAT_UNARY(RsqrtOp, 1.0 / std::sqrt(x))
MX_FOLD_FLOAT_UNARY(CbrtOp, std::cbrt(x))
MX_FOLD_FLOAT_UNARY(RcbrtOp, 1.0 / std::cbrt(x))
MX_FOLD_FLOAT_UNARY(SinhOp, std::sinh(x))
MX_FOLD_FLOAT_UNARY(CoshOp, std::cosh(x))
MX_FOLD_FLOAT_UNARY(ArcsinOp, std::asin(x))
MX_FOLD_FLOAT_UNARY(ArccosOp, std::acos(x))
MX_FOLD_FLOAT_UNARY(ArctanOp, std::atan(x))
MX_FOLD_FLOAT_UNARY(ArcsinhOp, std::asinh(x))
MX_FOLD_FLOAT_UNARY(ArccoshOp, std::acosh(x))
MX_FOLD_FLOAT_UNARY(ArctanhOp, std::atanh(x))
MX_FOLD_FLOAT_UNARY(ErfOp, std::erf(x))
MX_FOLD_FLOAT_UNARY(SoftsignOp, softsign(x))
MX_FOLD_FLOAT_UNARY(SoftreluOp, softrelu(x))
MX_FOLD_FLOAT_UNARY(RadiansOp, llvm::numbers::pi / 180.0 * x)
MX_FOLD_FLOAT_UNARY(DegreesOp, 180.0 / llvm::numbers::pi * x)
#undef MX_FOLD_FLOAT_UNARY

OpFoldResult SignOp::fold(FoldAdaptor a) {
  // sign is idempotent.
  if (auto inner = getData().getDefiningOp<SignOp>())
    return inner.getResult();
  return foldUnary(a.getData(), getType(), fSign,
                   [](int64_t x) -> std::optional<int64_t> {
                     return x > 0 ? 1 : x < 0 ? -1 : 0;
                   });
}

namespace {
/// A clip bound converted to an integer type of `width` bits: truncated
/// toward zero and saturated at the type's range (the lowering does the
/// same).
int64_t intBound(double v, unsigned width) {
  double lo = -std::ldexp(1.0, width - 1), hi = std::ldexp(1.0, width - 1);
  if (v <= lo)
    return static_cast<int64_t>(lo);
  if (v >= hi)
    return width == 64 ? std::numeric_limits<int64_t>::max()
                       : static_cast<int64_t>(hi) - 1;
  return static_cast<int64_t>(std::trunc(v));
}
} // namespace

OpFoldResult ClipOp::fold(FoldAdaptor a) {
  double lo = getAMin().convertToDouble(), hi = getAMax().convertToDouble();
  if (!(lo <= hi)) // invalid (the verifier reports it)
    return {};
  // Unbounded on both sides: the identity (NaN stays NaN).
  if (std::isinf(lo) && lo < 0 && std::isinf(hi) && hi > 0)
    return getData();
  Type element = getType().getElementType();
  if (auto ft = dyn_cast<FloatType>(element)) {
    // Compare with the bounds as the element type holds them.
    double flo = toDouble(fromDouble(lo, ft)),
           fhi = toDouble(fromDouble(hi, ft));
    return foldUnary(a.getData(), getType(), [&](double x) {
      return x > fhi ? fhi : x < flo ? flo : x;
    });
  }
  unsigned width = element.getIntOrFloatBitWidth();
  int64_t ilo = intBound(lo, width), ihi = intBound(hi, width);
  return foldUnary(a.getData(), getType(), nullptr,
                   [&](int64_t x) -> std::optional<int64_t> {
                     return x > ihi ? ihi : x < ilo ? ilo : x;
                   });
}

//===----------------------------------------------------------------------===//
// Binary
//===----------------------------------------------------------------------===//

namespace {
double cmp(bool b) { return b ? 1.0 : 0.0; }
std::optional<int64_t> icmp(bool b) { return b ? 1 : 0; }

// One definition per arithmetic rule, shared by the broadcasting and the
// tensor-scalar ops.
double fAdd(double a, double b) { return a + b; }
double fSub(double a, double b) { return a - b; }
double fMul(double a, double b) { return a * b; }
double fDiv(double a, double b) { return a / b; }
double fPow(double a, double b) { return std::pow(a, b); }
double fMax(double a, double b) { return a > b || std::isnan(a) ? a : b; }
double fMin(double a, double b) { return a < b || std::isnan(a) ? a : b; }
double fEq(double a, double b) { return cmp(a == b); }
double fNe(double a, double b) { return cmp(a != b); }
double fGt(double a, double b) { return cmp(a > b); }
double fGe(double a, double b) { return cmp(a >= b); }
double fLt(double a, double b) { return cmp(a < b); }
double fLe(double a, double b) { return cmp(a <= b); }
std::optional<int64_t> iAdd(int64_t a, int64_t b) { return wrapAdd(a, b); }
std::optional<int64_t> iSub(int64_t a, int64_t b) { return wrapSub(a, b); }
std::optional<int64_t> iMul(int64_t a, int64_t b) { return wrapMul(a, b); }
std::optional<int64_t> iMax(int64_t a, int64_t b) { return a > b ? a : b; }
std::optional<int64_t> iMin(int64_t a, int64_t b) { return a < b ? a : b; }
std::optional<int64_t> iEq(int64_t a, int64_t b) { return icmp(a == b); }
std::optional<int64_t> iNe(int64_t a, int64_t b) { return icmp(a != b); }
std::optional<int64_t> iGt(int64_t a, int64_t b) { return icmp(a > b); }
std::optional<int64_t> iGe(int64_t a, int64_t b) { return icmp(a >= b); }
std::optional<int64_t> iLt(int64_t a, int64_t b) { return icmp(a < b); }
std::optional<int64_t> iLe(int64_t a, int64_t b) { return icmp(a <= b); }
} // namespace

#define MX_FOLD_BINARY(OP, FF, IF)                                             \
  OpFoldResult OP::fold(FoldAdaptor a) {                                       \
    return foldBinary(a.getLhs(), a.getRhs(), getType(), FF, IF);              \
  }
MX_FOLD_BINARY(AddOp, fAdd, iAdd)
MX_FOLD_BINARY(SubtractOp, fSub, iSub)
MX_FOLD_BINARY(PowerOp, fPow, intPow)
MX_FOLD_BINARY(MaximumOp, fMax, iMax)
MX_FOLD_BINARY(MinimumOp, fMin, iMin)
MX_FOLD_BINARY(EqualOp, fEq, iEq)
MX_FOLD_BINARY(NotEqualOp, fNe, iNe)
MX_FOLD_BINARY(GreaterOp, fGt, iGt)
MX_FOLD_BINARY(GreaterEqualOp, fGe, iGe)
MX_FOLD_BINARY(LesserOp, fLt, iLt)
MX_FOLD_BINARY(LesserEqualOp, fLe, iLe)
#undef MX_FOLD_BINARY

namespace {
/// True when `attr` is a splat constant equal to `value`.
bool isSplatOf(Attribute attr, double value) {
  auto dense = dyn_cast_or_null<DenseElementsAttr>(attr);
  if (!dense || !dense.isSplat())
    return false;
  if (isa<FloatType>(dense.getElementType()))
    return toDouble(dense.getSplatValue<APFloat>()) == value;
  return dense.getSplatValue<APInt>().getSExtValue() == value;
}
} // namespace

// x * 1 and x / 1 are exact; the constant side may be broadcast only when x
// already has the result type. (Gradients seeded with ones produce these.)
OpFoldResult MultiplyOp::fold(FoldAdaptor a) {
  if (getLhs().getType() == getType() && isSplatOf(a.getRhs(), 1.0))
    return getLhs();
  if (getRhs().getType() == getType() && isSplatOf(a.getLhs(), 1.0))
    return getRhs();
  return foldBinary(a.getLhs(), a.getRhs(), getType(), fMul, iMul);
}

OpFoldResult DivideOp::fold(FoldAdaptor a) {
  if (getLhs().getType() == getType() && isSplatOf(a.getRhs(), 1.0))
    return getLhs();
  return foldBinary(a.getLhs(), a.getRhs(), getType(), fDiv, intDiv);
}

//===----------------------------------------------------------------------===//
// Tensor-scalar
//===----------------------------------------------------------------------===//

namespace {
/// Folds `op(x, s)` (or `op(s, x)` when `reversed`) for a constant x, and the
/// identity `x op s == x` when `identity` is s.
template <typename ScalarOp>
OpFoldResult foldScalar(ScalarOp op, Attribute data, FloatFn2 ffn, IntFn2 ifn,
                        bool reversed, std::optional<double> identity) {
  double s = op.getScalar().convertToDouble();
  // Compare signs too: x - (-0.0) is not x when x is -0.0.
  if (identity && s == *identity && std::signbit(s) == std::signbit(*identity))
    return op.getData();
  // A scalar outside int64's range (or NaN) has no integer value to fold with.
  if (isIntegerTensor(op.getType()) && !(std::fabs(s) < 9.2e18))
    return {};
  Attribute scalar = scalarSplat(s, op.getType());
  if (!data)
    return {};
  return reversed ? foldBinary(scalar, data, op.getType(), ffn, ifn)
                  : foldBinary(data, scalar, op.getType(), ffn, ifn);
}
} // namespace

OpFoldResult AddScalarOp::fold(FoldAdaptor a) {
  // x + 0.0 turns -0.0 into +0.0, so only integers fold the identity.
  std::optional<double> id;
  if (isIntegerTensor(getType()))
    id = 0.0;
  return foldScalar(*this, a.getData(), fAdd, iAdd, false, id);
}
OpFoldResult SubtractScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fSub, iSub, false, 0.0);
}
OpFoldResult RSubtractScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fSub, iSub, true, std::nullopt);
}
OpFoldResult MultiplyScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fMul, iMul, false, 1.0);
}
OpFoldResult DivideScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fDiv, intDiv, false, 1.0);
}
OpFoldResult RDivideScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fDiv, intDiv, true, std::nullopt);
}
OpFoldResult PowerScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fPow, intPow, false, 1.0);
}
OpFoldResult RPowerScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fPow, intPow, true, std::nullopt);
}
OpFoldResult MaximumScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fMax, iMax, false, std::nullopt);
}
OpFoldResult MinimumScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fMin, iMin, false, std::nullopt);
}
OpFoldResult EqualScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fEq, iEq, false, std::nullopt);
}
OpFoldResult NotEqualScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fNe, iNe, false, std::nullopt);
}
OpFoldResult GreaterScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fGt, iGt, false, std::nullopt);
}
OpFoldResult GreaterEqualScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fGe, iGe, false, std::nullopt);
}
OpFoldResult LesserScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fLt, iLt, false, std::nullopt);
}
OpFoldResult LesserEqualScalarOp::fold(FoldAdaptor a) {
  return foldScalar(*this, a.getData(), fLe, iLe, false, std::nullopt);
}

//===----------------------------------------------------------------------===//
// Shape ops
//===----------------------------------------------------------------------===//

OpFoldResult ReshapeOp::fold(FoldAdaptor a) {
  if (getData().getType() == getType())
    return getData();
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(a.getData()))
    return dense.reshape(getType());
  return {};
}

namespace {
/// reshape(reshape(x)) -> reshape(x): only the final shape matters.
struct CollapseReshapeChain : OpRewritePattern<ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getData().getDefiningOp<ReshapeOp>();
    // The new shape is written out literally, so a 0 in it would read as
    // "copy the input dimension": leave zero-size results alone.
    if (!inner || !op.getType().hasStaticShape() ||
        llvm::is_contained(op.getType().getShape(), 0))
      return failure();
    rewriter.replaceOpWithNewOp<ReshapeOp>(
        op, op.getType(), inner.getData(),
        rewriter.getDenseI64ArrayAttr(op.getType().getShape()),
        /*reverse=*/false);
    return success();
  }
};
} // namespace

void ReshapeOp::getCanonicalizationPatterns(RewritePatternSet &results,
                                            MLIRContext *context) {
  results.add<CollapseReshapeChain>(context);
}

OpFoldResult TransposeOp::fold(FoldAdaptor) {
  SmallVector<int64_t> perm = getPermutation();
  for (int64_t i = 0, e = perm.size(); i < e; ++i)
    if (perm[i] != i)
      return {};
  return getData();
}

OpFoldResult BroadcastToOp::fold(FoldAdaptor a) {
  if (getData().getType() == getType())
    return getData();
  // A dense attribute needs a static shape (the target may hold kDynamic).
  if (auto dense = dyn_cast_or_null<DenseElementsAttr>(a.getData());
      dense && dense.isSplat() && getType().hasStaticShape())
    return DenseElementsAttr::get(getType(), dense.getSplatValue<Attribute>());
  return {};
}

OpFoldResult SliceOp::fold(FoldAdaptor) {
  if (getData().getType() != getType())
    return {};
  SmallVector<int64_t> starts, strides;
  getNormalizedBounds(starts, strides);
  if (llvm::all_of(strides, [](int64_t s) { return s == 1; }))
    return getData();
  return {};
}

OpFoldResult SliceAssignOp::fold(FoldAdaptor) {
  // Assigning the whole base in order gives value.
  if (getValue().getType() != getType())
    return {};
  SmallVector<int64_t> starts, strides;
  getNormalizedBounds(starts, strides);
  if (llvm::all_of(strides, [](int64_t s) { return s == 1; }))
    return getValue();
  return {};
}

OpFoldResult ConcatOp::fold(FoldAdaptor) {
  if (getData().size() == 1 && getData()[0].getType() == getType())
    return getData()[0];
  return {};
}

OpFoldResult CastOp::fold(FoldAdaptor a) {
  if (getData().getType() == getType())
    return getData();
  auto in = readValues(a.getData());
  if (!in)
    return {};
  auto type = cast<ShapedType>(getType());
  SmallVector<double> f;
  SmallVector<int64_t> i;
  bool toFloat = isa<FloatType>(type.getElementType());
  size_t n = in->isFloat ? in->f.size() : in->i.size();
  for (size_t k = 0; k < n; ++k) {
    double d = in->isFloat ? in->f[k] : static_cast<double>(in->i[k]);
    // Converting NaN or out-of-range floats to integers is undefined.
    if (in->isFloat && !toFloat && !(std::fabs(d) < 9.2e18))
      return {};
    if (toFloat)
      f.push_back(d);
    else if (in->isFloat)
      i.push_back(static_cast<int64_t>(std::trunc(d)));
    else
      i.push_back(in->i[k]);
  }
  return makeAttr(type, f, i);
}
