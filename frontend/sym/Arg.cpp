//===- Arg.cpp - operator arguments spelled as MXNet writes them ----------===//
//
// MXNet's Python frontend passes every parameter through str(), and those
// strings are what graphs and JSON files carry. Writing them the same way
// here ("True", "(3, 3)", "0.9", "1e-05") keeps graphs byte-identical to
// MXNet's and readable by every MXNet parser.
//
//===----------------------------------------------------------------------===//

#include "sym/SymbolImpl.h"

#include <charconv>
#include <cmath>
#include <cstdlib>

namespace mxjit::sym {

namespace detail {

std::string formatFloat(double v) {
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v > 0 ? "inf" : "-inf";
  // Shortest round-trip digits (as Python's repr), then Python's layout:
  // positional for exponents in [-4, 16), scientific otherwise.
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  size_t e = sci.find('e');
  std::string mantissa = sci.substr(0, e);
  int exponent = std::atoi(sci.c_str() + e + 1);
  bool negative = mantissa[0] == '-';
  if (negative)
    mantissa.erase(0, 1);
  std::string digits;
  for (char c : mantissa)
    if (c != '.')
      digits += c;
  std::string out;
  if (exponent >= -4 && exponent < 16) {
    if (exponent < 0) {
      out = "0." + std::string(-exponent - 1, '0') + digits;
    } else if (static_cast<int>(digits.size()) <= exponent + 1) {
      out = digits + std::string(exponent + 1 - digits.size(), '0') + ".0";
    } else {
      out = digits.substr(0, exponent + 1) + "." + digits.substr(exponent + 1);
    }
  } else {
    out = digits.substr(0, 1);
    if (digits.size() > 1)
      out += "." + digits.substr(1);
    std::string exp = std::to_string(std::abs(exponent));
    if (exp.size() < 2)
      exp = "0" + exp;
    out += std::string("e") + (exponent < 0 ? "-" : "+") + exp;
  }
  return negative ? "-" + out : out;
}

std::string formatShape(const Shape &shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  if (shape.size() == 1)
    out += ",";
  return out + ")";
}

} // namespace detail

Arg::Arg(const Symbol &s) : symbol_(std::make_shared<Symbol>(s)) {}
Arg::Arg(long long v) : value_(std::to_string(v)) {}
Arg::Arg(double v) : value_(detail::formatFloat(v)) {}
Arg::Arg(bool v) : value_(v ? "True" : "False") {}
Arg::Arg(const Shape &v) : value_(detail::formatShape(v)) {}

} // namespace mxjit::sym
