//===- JsonValue.cpp - checked reads of parsed JSON -----------------------===//

#include "sym/JsonValue.h"

#include "runtime/Error.h"

namespace mxjit::sym::detail {

const char *jsonKind(const llvm::json::Value &value) {
  switch (value.kind()) {
  case llvm::json::Value::Null:
    return "null";
  case llvm::json::Value::Boolean:
    return "a boolean";
  case llvm::json::Value::Number:
    return "a number";
  case llvm::json::Value::String:
    return "a string";
  case llvm::json::Value::Array:
    return "an array";
  case llvm::json::Value::Object:
    return "an object";
  }
  return "a value";
}

void JsonRef::fail(const std::string &message) const {
  throw Error(*source_ + ": " + (path_.empty() ? "" : path_ + ": ") + message);
}

const llvm::json::Object &JsonRef::object() const {
  if (const llvm::json::Object *o = value_->getAsObject())
    return *o;
  fail(std::string("expected an object, got ") + jsonKind(*value_));
}

const llvm::json::Array &JsonRef::array() const {
  if (const llvm::json::Array *a = value_->getAsArray())
    return *a;
  fail(std::string("expected an array, got ") + jsonKind(*value_));
}

std::string JsonRef::string() const {
  if (std::optional<llvm::StringRef> s = value_->getAsString())
    return s->str();
  fail(std::string("expected a string, got ") + jsonKind(*value_));
}

int64_t JsonRef::integer(int64_t lo, int64_t hi) const {
  std::optional<int64_t> v = value_->getAsInteger();
  if (!v)
    fail(std::string("expected an integer, got ") + jsonKind(*value_));
  if (*v < lo || *v > hi)
    fail("integer " + std::to_string(*v) + " is out of range [" +
         std::to_string(lo) + ", " + std::to_string(hi) + "]");
  return *v;
}

std::optional<JsonRef> JsonRef::find(llvm::StringRef key) const {
  const llvm::json::Object &o = object();
  const llvm::json::Value *v = o.get(key);
  if (!v)
    return std::nullopt;
  std::string path = path_.empty() ? key.str() : path_ + "." + key.str();
  return JsonRef(*v, std::move(path), *source_);
}

JsonRef JsonRef::get(llvm::StringRef key) const {
  if (std::optional<JsonRef> r = find(key))
    return *r;
  fail("missing field \"" + key.str() + "\"");
}

JsonRef JsonRef::at(size_t i) const {
  const llvm::json::Array &a = array();
  if (i >= a.size())
    fail("index " + std::to_string(i) + " is out of range");
  return JsonRef(a[i], path_ + "[" + std::to_string(i) + "]", *source_);
}

llvm::json::Value parseJson(const std::string &text,
                            const std::string &source) {
  llvm::Expected<llvm::json::Value> v = llvm::json::parse(text);
  if (!v)
    throw Error(source + ": malformed JSON: " + llvm::toString(v.takeError()));
  return std::move(*v);
}

} // namespace mxjit::sym::detail
