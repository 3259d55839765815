//===- Json.h - the JSON of initializer dumps(), Python-style ---*- C++ -*-===//
//
// MXNet writes initializers with Python's json.dumps, so ints and floats
// are spelled differently (2 vs 2.0) and objects keep their key order.
// llvm::json keeps neither, hence this small reader and writer.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_INIT_JSON_H
#define MXJIT_FRONTEND_INIT_JSON_H

#include <string>
#include <utility>
#include <vector>

namespace mxjit::init::json {

struct Value {
  enum class Kind { Null, Bool, Number, String, Array, Object };
  Kind kind = Kind::Null;
  bool boolean = false;
  double number = 0;
  /// Whether the number was written without '.', 'e' or 'E' (a Python int).
  bool integral = false;
  std::string string;
  std::vector<Value> items;
  std::vector<std::pair<std::string, Value>> fields;
};

/// Parses `text`; throws mxjit::Error naming the offset on malformed input.
Value parse(const std::string &text);
/// json.dumps(value) with Python's default separators and ensure_ascii.
std::string write(const Value &value);
/// Python's float repr as json.dumps writes it (0.07, 1e-05, 2.0, NaN).
std::string floatRepr(double v);
/// A JSON string literal with Python's escapes.
std::string quote(const std::string &s);
/// The Python kind name of a value, for error messages ("str", "int").
const char *kindName(const Value &value);

} // namespace mxjit::init::json

#endif // MXJIT_FRONTEND_INIT_JSON_H
