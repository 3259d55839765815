//===- SymbolImpl.h - internals shared by the Symbol sources ----*- C++ -*-===//

#ifndef MXJIT_FRONTEND_SYM_SYMBOLIMPL_H
#define MXJIT_FRONTEND_SYM_SYMBOLIMPL_H

#include "sym/Graph.h"

namespace mxjit::sym::detail {

/// The name a new op node gets: `name` (or `<hint>N` from the current
/// NameManager's counter when empty), with the current Prefix.
std::string nextName(const std::string &name, const std::string &hint);

/// The attributes of the innermost AttrScope (merged with the outer ones).
AttrMap currentScopeAttrs();

/// MXNet's key for a user attribute: the hidden keys (ctx_group, lr_mult,
/// wd_mult, force_mirroring, mirror_stage, profiler_scope) are stored as
/// `__key__`; every other key is kept as written.
std::string userAttrKey(const std::string &key);

/// Creates an op node; `hint` is the automatic-name stem (MXNet uses the
/// lowercased name of the function called: `_plus` for `a + b`).
Symbol makeOp(const std::string &op, const std::string &hint,
              const std::vector<Symbol> &positional, const Kwargs &kwargs,
              const std::string &name);

/// A new variable node.
NodePtr makeVariableNode(const std::string &name, AttrMap attrs);

/// Deep copy of the graph behind `outputs`: fresh nodes for every node,
/// with `replace` deciding, per original variable, the entry it becomes
/// (nullopt keeps a copy of the variable).
std::vector<Entry>
copyGraph(const std::vector<Entry> &outputs,
          const std::function<std::optional<Entry>(const Node &)> &replace);

/// The single node of a symbol whose outputs all come from one node;
/// throws naming `what` otherwise.
Node &singleNode(const Symbol &s, const char *what);

/// Python's str() of a float ("0.9", "1.0", "1e-05").
std::string formatFloat(double v);
/// Python's str() of a tuple of ints ("(3, 3)", "(3,)").
std::string formatShape(const Shape &shape);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_SYMBOLIMPL_H
