//===- JsonValue.h - checked reads of parsed JSON ---------------*- C++ -*-===//
//
// llvm::json parses; these accessors turn every schema violation into an
// mxjit::Error that says where in the document it is ("nodes[3].inputs[1]")
// and what was expected, so a malformed file never crashes the loader.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_JSONVALUE_H
#define MXJIT_FRONTEND_SYM_JSONVALUE_H

#include "llvm/Support/JSON.h"

#include <cstdint>
#include <string>

namespace mxjit::sym::detail {

/// A JSON value with its path in the document and the document's name.
class JsonRef {
public:
  JsonRef(const llvm::json::Value &value, std::string path,
          const std::string &source)
      : value_(&value), path_(std::move(path)), source_(&source) {}

  const llvm::json::Value &value() const { return *value_; }
  const std::string &path() const { return path_; }

  const llvm::json::Object &object() const;
  const llvm::json::Array &array() const;
  std::string string() const;
  /// An integer in [lo, hi].
  int64_t integer(int64_t lo, int64_t hi) const;

  /// Member `key` of an object; throws when missing.
  JsonRef get(llvm::StringRef key) const;
  /// Member `key`, or nullopt when absent.
  std::optional<JsonRef> find(llvm::StringRef key) const;
  /// Element `i` of an array.
  JsonRef at(size_t i) const;

  /// Throws mxjit::Error "<source>: <path>: <message>".
  [[noreturn]] void fail(const std::string &message) const;

private:
  const llvm::json::Value *value_;
  std::string path_;
  const std::string *source_;
};

/// Parses `text`; syntax errors throw mxjit::Error naming `source`, the
/// line and the column.
llvm::json::Value parseJson(const std::string &text, const std::string &source);

/// "object", "array", "string", ... for messages.
const char *jsonKind(const llvm::json::Value &value);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_JSONVALUE_H
