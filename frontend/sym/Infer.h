//===- Infer.h - dtype and shape inference over Symbol graphs ---*- C++ -*-===//

#ifndef MXJIT_FRONTEND_SYM_INFER_H
#define MXJIT_FRONTEND_SYM_INFER_H

#include "sym/Graph.h"

#include <unordered_map>

namespace mxjit::sym::detail {

/// The dtype of every output of every node reachable from `outputs`:
/// from `given` (by variable name), `__dtype__` attributes and the ops'
/// rules, float32 where nothing says otherwise. Throws mxjit::Error naming
/// the node on conflicts and naming the name when `given` has a name that
/// is not an input of the graph.
using EntryTypes = std::unordered_map<const Node *, std::vector<DType>>;
EntryTypes inferEntryTypes(const std::vector<Entry> &outputs,
                           const std::map<std::string, DType> &given);

/// The dtype a variable's `__dtype__` attribute names (MXNet writes the
/// numeric type flag, "0" for float32; names are accepted too), or nullopt
/// when absent. Throws for dtypes mxjit does not support.
std::optional<DType> variableDType(const Node &var);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_INFER_H
