//===- Json.cpp - Python-style JSON for initializer dumps() ---------------===//

#include "Json.h"

#include "runtime/Error.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace mxjit::init::json {

namespace {

class Parser {
public:
  explicit Parser(const std::string &text) : text_(text) {}

  Value document() {
    Value v = value(0);
    skipSpace();
    if (pos_ != text_.size())
      fail("extra data");
    return v;
  }

private:
  [[noreturn]] void fail(const std::string &what) const {
    throw Error("malformed initializer JSON: " + what + " at offset " +
                std::to_string(pos_) + " in '" + text_ + "'");
  }

  void skipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r'))
      ++pos_;
  }

  bool consume(char c) {
    skipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  bool keyword(const char *word) {
    std::string w(word);
    if (text_.compare(pos_, w.size(), w) != 0)
      return false;
    pos_ += w.size();
    return true;
  }

  Value value(int depth) {
    // Deeply nested input must not exhaust the stack.
    if (depth > 200)
      fail("nesting too deep");
    skipSpace();
    if (pos_ >= text_.size())
      fail("unexpected end");
    Value v;
    char c = text_[pos_];
    if (c == '[') {
      ++pos_;
      v.kind = Value::Kind::Array;
      if (consume(']'))
        return v;
      do
        v.items.push_back(value(depth + 1));
      while (consume(','));
      if (!consume(']'))
        fail("expected ',' or ']'");
    } else if (c == '{') {
      ++pos_;
      v.kind = Value::Kind::Object;
      if (consume('}'))
        return v;
      do {
        skipSpace();
        if (pos_ >= text_.size() || text_[pos_] != '"')
          fail("expected a string key");
        std::string key = string();
        if (!consume(':'))
          fail("expected ':'");
        v.fields.emplace_back(key, value(depth + 1));
      } while (consume(','));
      if (!consume('}'))
        fail("expected ',' or '}'");
    } else if (c == '"') {
      v.kind = Value::Kind::String;
      v.string = string();
    } else if (keyword("true")) {
      v.kind = Value::Kind::Bool;
      v.boolean = true;
    } else if (keyword("false")) {
      v.kind = Value::Kind::Bool;
    } else if (keyword("null")) {
      v.kind = Value::Kind::Null;
    } else if (keyword("NaN")) {
      v.kind = Value::Kind::Number;
      v.number = NAN;
    } else if (keyword("Infinity")) {
      v.kind = Value::Kind::Number;
      v.number = INFINITY;
    } else if (keyword("-Infinity")) {
      v.kind = Value::Kind::Number;
      v.number = -INFINITY;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
      number(v);
    } else {
      fail(std::string("unexpected character '") + c + "'");
    }
    return v;
  }

  void number(Value &v) {
    size_t start = pos_;
    if (text_[pos_] == '-')
      ++pos_;
    bool integral = true, digits = false;
    while (pos_ < text_.size()) {
      char c = text_[pos_];
      if (c >= '0' && c <= '9') {
        digits = true;
      } else if (c == '.' || c == 'e' || c == 'E') {
        integral = false;
      } else if (!((c == '+' || c == '-') &&
                   (text_[pos_ - 1] == 'e' || text_[pos_ - 1] == 'E'))) {
        break;
      }
      ++pos_;
    }
    std::string lit = text_.substr(start, pos_ - start);
    char *end = nullptr;
    double d = std::strtod(lit.c_str(), &end);
    if (!digits || end != lit.c_str() + lit.size())
      fail("bad number '" + lit + "'");
    v.kind = Value::Kind::Number;
    v.number = d;
    v.integral = integral;
  }

  void appendUtf8(std::string &out, uint32_t cp) {
    if (cp < 0x80) {
      out += char(cp);
    } else if (cp < 0x800) {
      out += char(0xC0 | (cp >> 6));
      out += char(0x80 | (cp & 0x3F));
    } else if (cp < 0x10000) {
      out += char(0xE0 | (cp >> 12));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    } else {
      out += char(0xF0 | (cp >> 18));
      out += char(0x80 | ((cp >> 12) & 0x3F));
      out += char(0x80 | ((cp >> 6) & 0x3F));
      out += char(0x80 | (cp & 0x3F));
    }
  }

  uint32_t hex4() {
    if (pos_ + 4 > text_.size())
      fail("truncated \\u escape");
    uint32_t cp = 0;
    for (int i = 0; i < 4; ++i) {
      char c = text_[pos_++];
      int d = (c >= '0' && c <= '9')   ? c - '0'
              : (c >= 'a' && c <= 'f') ? c - 'a' + 10
              : (c >= 'A' && c <= 'F') ? c - 'A' + 10
                                       : -1;
      if (d < 0)
        fail("bad \\u escape");
      cp = cp * 16 + uint32_t(d);
    }
    return cp;
  }

  std::string string() {
    ++pos_; // the opening quote
    std::string out;
    while (true) {
      if (pos_ >= text_.size())
        fail("unterminated string");
      char c = text_[pos_++];
      if (c == '"')
        return out;
      if (c != '\\') {
        out += c;
        continue;
      }
      if (pos_ >= text_.size())
        fail("unterminated string");
      char e = text_[pos_++];
      switch (e) {
      case '"':
      case '\\':
      case '/':
        out += e;
        break;
      case 'n':
        out += '\n';
        break;
      case 't':
        out += '\t';
        break;
      case 'r':
        out += '\r';
        break;
      case 'b':
        out += '\b';
        break;
      case 'f':
        out += '\f';
        break;
      case 'u': {
        uint32_t cp = hex4();
        if (cp >= 0xD800 && cp < 0xDC00 && text_.compare(pos_, 2, "\\u") == 0) {
          pos_ += 2;
          uint32_t lo = hex4();
          cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
        }
        appendUtf8(out, cp);
        break;
      }
      default:
        fail(std::string("bad escape '\\") + e + "'");
      }
    }
  }

  const std::string &text_;
  size_t pos_ = 0;
};

} // namespace

Value parse(const std::string &text) { return Parser(text).document(); }

std::string floatRepr(double v) {
  if (std::isnan(v))
    return "NaN";
  if (std::isinf(v))
    return v > 0 ? "Infinity" : "-Infinity";
  if (v == 0)
    return std::signbit(v) ? "-0.0" : "0.0";
  // Shortest round-trip digits, then Python's layout: fixed notation for
  // decimal exponents in [-4, 16), scientific with two exponent digits
  // otherwise.
  char buf[64];
  auto res =
      std::to_chars(buf, buf + sizeof(buf), v, std::chars_format::scientific);
  std::string sci(buf, res.ptr);
  std::string sign;
  if (sci[0] == '-') {
    sign = "-";
    sci.erase(0, 1);
  }
  size_t ePos = sci.find('e');
  std::string digits = sci.substr(0, ePos);
  digits.erase(std::remove(digits.begin(), digits.end(), '.'), digits.end());
  int exp = std::atoi(sci.c_str() + ePos + 1);
  if (exp >= -4 && exp < 16) {
    if (exp < 0)
      return sign + "0." + std::string(size_t(-exp - 1), '0') + digits;
    size_t intLen = size_t(exp) + 1;
    if (digits.size() <= intLen)
      return sign + digits + std::string(intLen - digits.size(), '0') + ".0";
    return sign + digits.substr(0, intLen) + "." + digits.substr(intLen);
  }
  std::string mant = digits.substr(0, 1);
  if (digits.size() > 1)
    mant += "." + digits.substr(1);
  std::string e = std::to_string(std::abs(exp));
  if (e.size() < 2)
    e = "0" + e;
  return sign + mant + "e" + (exp < 0 ? "-" : "+") + e;
}

std::string quote(const std::string &s) {
  static const char *hex = "0123456789abcdef";
  auto u = [&](std::string &out, uint32_t cp) {
    out += "\\u";
    for (int shift = 12; shift >= 0; shift -= 4)
      out += hex[(cp >> shift) & 0xF];
  };
  std::string out = "\"";
  for (size_t i = 0; i < s.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(s[i]);
    switch (c) {
    case '"':
      out += "\\\"";
      continue;
    case '\\':
      out += "\\\\";
      continue;
    case '\n':
      out += "\\n";
      continue;
    case '\r':
      out += "\\r";
      continue;
    case '\t':
      out += "\\t";
      continue;
    case '\b':
      out += "\\b";
      continue;
    case '\f':
      out += "\\f";
      continue;
    default:
      break;
    }
    if (c < 0x20) {
      u(out, c);
    } else if (c < 0x80) {
      out += char(c);
    } else {
      // ensure_ascii: decode UTF-8 and escape as UTF-16 units; invalid
      // bytes are escaped one by one.
      int extra = c >= 0xF0 ? 3 : c >= 0xE0 ? 2 : c >= 0xC0 ? 1 : 0;
      uint32_t cp = c & (0x3F >> extra);
      bool ok = extra > 0;
      for (int k = 1; ok && k <= extra; ++k) {
        if (i + k >= s.size() || (s[i + k] & 0xC0) != 0x80)
          ok = false;
        else
          cp = (cp << 6) | (s[i + k] & 0x3F);
      }
      if (!ok) {
        u(out, c);
        continue;
      }
      i += size_t(extra);
      if (cp >= 0x10000) {
        cp -= 0x10000;
        u(out, 0xD800 + (cp >> 10));
        u(out, 0xDC00 + (cp & 0x3FF));
      } else {
        u(out, cp);
      }
    }
  }
  return out + "\"";
}

std::string write(const Value &v) {
  switch (v.kind) {
  case Value::Kind::Null:
    return "null";
  case Value::Kind::Bool:
    return v.boolean ? "true" : "false";
  case Value::Kind::Number:
    if (v.integral && std::isfinite(v.number)) {
      char buf[64];
      auto res = std::to_chars(buf, buf + sizeof(buf), v.number,
                               std::chars_format::fixed, 0);
      return std::string(buf, res.ptr);
    }
    return floatRepr(v.number);
  case Value::Kind::String:
    return quote(v.string);
  case Value::Kind::Array: {
    std::string out = "[";
    for (size_t i = 0; i < v.items.size(); ++i)
      out += (i ? ", " : "") + write(v.items[i]);
    return out + "]";
  }
  case Value::Kind::Object: {
    std::string out = "{";
    for (size_t i = 0; i < v.fields.size(); ++i)
      out += (i ? ", " : "") + quote(v.fields[i].first) + ": " +
             write(v.fields[i].second);
    return out + "}";
  }
  }
  return "null";
}

const char *kindName(const Value &v) {
  switch (v.kind) {
  case Value::Kind::Null:
    return "NoneType";
  case Value::Kind::Bool:
    return "bool";
  case Value::Kind::Number:
    return v.integral ? "int" : "float";
  case Value::Kind::String:
    return "str";
  case Value::Kind::Array:
    return "list";
  case Value::Kind::Object:
    return "dict";
  }
  return "?";
}

} // namespace mxjit::init::json
