//===- Detail.h - helpers shared by the initializer families ----*- C++ -*-===//

#ifndef MXJIT_FRONTEND_INIT_DETAIL_H
#define MXJIT_FRONTEND_INIT_DETAIL_H

#include "Json.h"
#include "mxjit/init.h"

#include <map>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

namespace mxjit::init::detail {

using KwargTexts = std::vector<std::pair<std::string, std::string>>;
using FactoryMap = std::map<std::string, Factory>;

/// Keyword arguments as JSON text, in the order MXNet stores them.
inline std::string text(const Number &n) { return n.str(); }
inline std::string text(const std::string &s) { return json::quote(s); }
inline std::string text(bool b) { return b ? "true" : "false"; }

/// Writes `values` (row-major) into `arr`, cast to its dtype.
void fill(nd::NDArray &arr, const std::vector<double> &values);
/// Writes `value` everywhere in `arr`.
void fill(nd::NDArray &arr, double value);
/// "(2, 3)" as Python prints a shape tuple.
std::string shapeStr(const nd::Shape &shape);

/// Reads the dumps() arguments of one initializer for its factory, with
/// Python's errors for missing, unexpected and ill-typed arguments.
class KwargReader {
public:
  KwargReader(std::string initName, const KwargTexts &kwargs);
  Number number(const std::string &key, std::optional<Number> def = {});
  int64_t integer(const std::string &key, std::optional<int64_t> def = {});
  std::string string(const std::string &key,
                     std::optional<std::string> def = {});
  bool boolean(const std::string &key, std::optional<bool> def = {});
  /// The parsed value itself (nullptr when absent).
  const json::Value *raw(const std::string &key);
  /// Throws for arguments no getter asked for.
  void finish() const;

private:
  const json::Value *find(const std::string &key, bool required);
  [[noreturn]] void typeError(const std::string &key,
                              const std::string &want) const;
  std::string initName_;
  std::vector<std::pair<std::string, json::Value>> values_;
  std::set<std::string> used_;
};

// Each family adds its factories to the registry create() reads.
void addBasicFactories(FactoryMap &map);
void addXavierFactories(FactoryMap &map);
void addOrthogonalFactories(FactoryMap &map);
void addBilinearFactories(FactoryMap &map);
void addRnnFactories(FactoryMap &map);
void addMixedFactories(FactoryMap &map);

} // namespace mxjit::init::detail

#endif // MXJIT_FRONTEND_INIT_DETAIL_H
