//===- Operators.cpp - operator functions and Symbol arithmetic -----------===//
//
// Each function names its node after itself, as MXNet's generated Python
// functions do (FullyConnected -> fullyconnected0, split -> split0), and the
// arithmetic operators use the internal ops Python's Symbol operators call,
// with the same automatic names (`a + b` is node _plus0 of op elemwise_add).
//
//===----------------------------------------------------------------------===//

#include "sym/SymbolImpl.h"

#include <cctype>

namespace mxjit::sym {

namespace {

std::string lower(std::string s) {
  for (char &c : s)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

Symbol binary(const char *op, const Symbol &lhs, const Symbol &rhs) {
  return detail::makeOp(op, lower(op), {lhs, rhs}, {}, "");
}

Symbol scalar(const char *op, const Symbol &data, double value) {
  return detail::makeOp(op, lower(op), {data}, {{"scalar", Arg(value)}}, "");
}

} // namespace

#define MXJIT_SYM_UNARY(NAME, OP)                                              \
  Symbol NAME(const Symbol &data, const Kwargs &kwargs,                        \
              const std::string &name) {                                       \
    return detail::makeOp(OP, lower(#NAME), {data}, kwargs, name);             \
  }
#define MXJIT_SYM_BINARY(NAME, OP)                                             \
  Symbol NAME(const Symbol &lhs, const Symbol &rhs, const Kwargs &kwargs,      \
              const std::string &name) {                                       \
    return detail::makeOp(OP, lower(#NAME), {lhs, rhs}, kwargs, name);         \
  }
#define MXJIT_SYM_VARIADIC(NAME, OP)                                           \
  Symbol NAME(const std::vector<Symbol> &data, const Kwargs &kwargs,           \
              const std::string &name) {                                       \
    return detail::makeOp(OP, lower(#NAME), data, kwargs, name);               \
  }
#include "mxjit/sym_ops.def"

// Python's Symbol.__neg__ is self * -1.0.
Symbol operator-(const Symbol &x) { return scalar("_MulScalar", x, -1.0); }

// The op names below are those Python's Symbol operators call; the reflected
// forms (2 - x, 2 / x) use the _R*Scalar ops, and a comparison with the
// scalar on the left flips to the mirrored comparison, as Python does.
#define MXJIT_SYM_ARITH(OP, BINARY, SCALAR, RSCALAR)                           \
  Symbol operator OP(const Symbol &lhs, const Symbol &rhs) {                   \
    return binary(BINARY, lhs, rhs);                                           \
  }                                                                            \
  Symbol operator OP(const Symbol &lhs, double rhs) {                          \
    return scalar(SCALAR, lhs, rhs);                                           \
  }                                                                            \
  Symbol operator OP(double lhs, const Symbol &rhs) {                          \
    return scalar(RSCALAR, rhs, lhs);                                          \
  }
MXJIT_SYM_ARITH(+, "_Plus", "_PlusScalar", "_PlusScalar")
MXJIT_SYM_ARITH(-, "_Minus", "_MinusScalar", "_RMinusScalar")
MXJIT_SYM_ARITH(*, "_Mul", "_MulScalar", "_MulScalar")
MXJIT_SYM_ARITH(/, "_Div", "_DivScalar", "_RDivScalar")
MXJIT_SYM_ARITH(==, "_equal", "_equal_scalar", "_equal_scalar")
MXJIT_SYM_ARITH(!=, "_not_equal", "_not_equal_scalar", "_not_equal_scalar")
MXJIT_SYM_ARITH(>, "_greater", "_greater_scalar", "_lesser_scalar")
MXJIT_SYM_ARITH(>=, "_greater_equal", "_greater_equal_scalar",
                "_lesser_equal_scalar")
MXJIT_SYM_ARITH(<, "_lesser", "_lesser_scalar", "_greater_scalar")
MXJIT_SYM_ARITH(<=, "_lesser_equal", "_lesser_equal_scalar",
                "_greater_equal_scalar")
#undef MXJIT_SYM_ARITH

Symbol pow(const Symbol &base, const Symbol &exp) {
  return binary("_Power", base, exp);
}
Symbol pow(const Symbol &base, double exp) {
  return scalar("_PowerScalar", base, exp);
}
Symbol pow(double base, const Symbol &exp) {
  return scalar("_RPowerScalar", exp, base);
}

} // namespace mxjit::sym
