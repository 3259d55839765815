//===- Params.h - typed reads of MXNet's string attributes ------*- C++ -*-===//

#ifndef MXJIT_FRONTEND_SYM_PARAMS_H
#define MXJIT_FRONTEND_SYM_PARAMS_H

#include "mxjit/symbol.h"

namespace mxjit::sym::detail {

/// An op's attributes with parsers that accept every spelling MXNet
/// writes: "(3, 3)", "[3,3]", "3" for tuples; "True", "true", "1" for
/// booleans; "None" for absent optionals. Parse errors throw mxjit::Error
/// naming the node, the op and the attribute.
class Params {
public:
  Params(const AttrMap &attrs, std::string op, std::string node);

  bool has(const std::string &key) const;
  std::string str(const std::string &key, const std::string &dflt) const;
  int64_t i64(const std::string &key, int64_t dflt) const;
  /// Throws when missing.
  int64_t i64(const std::string &key) const;
  double f64(const std::string &key, double dflt) const;
  bool boolean(const std::string &key, bool dflt) const;
  /// A tuple ("(3, 3)"); a single number gives a 1-tuple.
  Shape tuple(const std::string &key, const Shape &dflt) const;
  /// "None" or missing: nullopt.
  std::optional<int64_t> optionalI64(const std::string &key) const;
  std::optional<double> optionalF64(const std::string &key) const;

  const AttrMap &attrs() const { return attrs_; }
  const std::string &op() const { return op_; }
  const std::string &node() const { return node_; }
  /// "Convolution 'conv1'": for error messages.
  std::string where() const;

private:
  const AttrMap &attrs_;
  std::string op_, node_;
};

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_PARAMS_H
