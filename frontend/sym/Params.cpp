//===- Params.cpp - typed reads of MXNet's string attributes -------------===//
//
// MXNet stores every operator parameter as a string written by Python's
// str() (or by a C++ dmlc parameter printer), so one value can arrive in
// several spellings: "(3, 3)", "[3,3]", "(3,)", "3", "True", "1", "None".
// These parsers accept all of them and reject anything else with an error
// naming the node, the op and the attribute.
//
//===----------------------------------------------------------------------===//

#include "sym/Params.h"

#include "runtime/Error.h"

#include <cctype>
#include <cerrno>
#include <cmath>
#include <cstdlib>

namespace mxjit::sym::detail {

namespace {

std::string trim(const std::string &s) {
  size_t b = 0, e = s.size();
  while (b < e && std::isspace(static_cast<unsigned char>(s[b])))
    ++b;
  while (e > b && std::isspace(static_cast<unsigned char>(s[e - 1])))
    --e;
  return s.substr(b, e - b);
}

/// Strict integer parse: the whole string must be an integer ("3", "-1",
/// "3L" as Python 2 wrote longs). Floats with no fraction ("3.0") are
/// accepted too, since some MXNet writers print ints through floats.
std::optional<int64_t> parseInt(const std::string &raw) {
  std::string s = trim(raw);
  if (!s.empty() && (s.back() == 'L' || s.back() == 'l'))
    s.pop_back();
  if (s.empty())
    return std::nullopt;
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(s.c_str(), &end, 10);
  if (errno == 0 && end == s.c_str() + s.size())
    return v;
  // Doubles outside int64's range would make the conversion undefined.
  errno = 0;
  double d = std::strtod(s.c_str(), &end);
  if (errno == 0 && end == s.c_str() + s.size() && d >= -9.2e18 &&
      d <= 9.2e18 && d == std::trunc(d))
    return static_cast<int64_t>(d);
  return std::nullopt;
}

std::optional<double> parseFloat(const std::string &raw) {
  std::string s = trim(raw);
  if (s.empty())
    return std::nullopt;
  // Python spells the special values inf/-inf/nan; strtod accepts them.
  errno = 0;
  char *end = nullptr;
  double d = std::strtod(s.c_str(), &end);
  if (end != s.c_str() + s.size())
    return std::nullopt;
  return d;
}

bool isNone(const std::string &s) {
  std::string t = trim(s);
  return t == "None" || t == "none" || t.empty();
}

} // namespace

Params::Params(const AttrMap &attrs, std::string op, std::string node)
    : attrs_(attrs), op_(std::move(op)), node_(std::move(node)) {}

std::string Params::where() const { return op_ + " '" + node_ + "'"; }

bool Params::has(const std::string &key) const {
  return attrs_.count(key) != 0;
}

std::string Params::str(const std::string &key, const std::string &dflt) const {
  auto it = attrs_.find(key);
  return it == attrs_.end() ? dflt : it->second;
}

int64_t Params::i64(const std::string &key, int64_t dflt) const {
  if (!has(key))
    return dflt;
  return i64(key);
}

int64_t Params::i64(const std::string &key) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end())
    throw Error("Error in operator " + where() + ": required parameter '" +
                key + "' is missing");
  if (auto v = parseInt(it->second))
    return *v;
  throw Error("Error in operator " + where() + ": parameter '" + key +
              "' expects an integer, got '" + it->second + "'");
}

double Params::f64(const std::string &key, double dflt) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end())
    return dflt;
  if (auto v = parseFloat(it->second))
    return *v;
  throw Error("Error in operator " + where() + ": parameter '" + key +
              "' expects a number, got '" + it->second + "'");
}

bool Params::boolean(const std::string &key, bool dflt) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end())
    return dflt;
  std::string s = trim(it->second);
  if (s == "True" || s == "true" || s == "1")
    return true;
  if (s == "False" || s == "false" || s == "0")
    return false;
  throw Error("Error in operator " + where() + ": parameter '" + key +
              "' expects a boolean (True/False), got '" + it->second + "'");
}

Shape Params::tuple(const std::string &key, const Shape &dflt) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end())
    return dflt;
  std::string s = trim(it->second);
  auto bad = [&]() {
    return Error("Error in operator " + where() + ": parameter '" + key +
                 "' expects a tuple of integers like (3, 3), got '" +
                 it->second + "'");
  };
  if (s.empty())
    throw bad();
  // A bare number is a 1-tuple (MXNet accepts kernel=3 for (3,)).
  if (s.front() != '(' && s.front() != '[') {
    if (auto v = parseInt(s))
      return {*v};
    throw bad();
  }
  char close = s.front() == '(' ? ')' : ']';
  if (s.back() != close)
    throw bad();
  std::string body = s.substr(1, s.size() - 2);
  Shape out;
  size_t pos = 0;
  while (pos <= body.size()) {
    size_t comma = body.find(',', pos);
    std::string item = trim(body.substr(
        pos, comma == std::string::npos ? std::string::npos : comma - pos));
    if (item.empty()) {
      // Only a trailing comma ("(3,)") or an empty tuple may leave an empty
      // item.
      if (comma != std::string::npos || (out.empty() && pos != 0))
        throw bad();
      break;
    }
    auto v = parseInt(item);
    if (!v)
      throw bad();
    out.push_back(*v);
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return out;
}

std::optional<int64_t> Params::optionalI64(const std::string &key) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end() || isNone(it->second))
    return std::nullopt;
  return i64(key);
}

std::optional<double> Params::optionalF64(const std::string &key) const {
  auto it = attrs_.find(key);
  if (it == attrs_.end() || isNone(it->second))
    return std::nullopt;
  return f64(key, 0.0);
}

} // namespace mxjit::sym::detail
