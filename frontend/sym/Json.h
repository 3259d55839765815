//===- Json.h - MXNet symbol JSON, for reader and writer --------*- C++ -*-===//
//
// The JSON schema is nnvm's (MXNet 1.x): nodes in topological order, each
// {"op", "name", "attrs", "inputs": [[node, output, version]]}, then
// arg_nodes (every variable), node_row_ptr (prefix sums of output counts),
// heads and {"mxnet_version": ["int", N]}.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_JSON_H
#define MXJIT_FRONTEND_SYM_JSON_H

#include "sym/Graph.h"

namespace mxjit::sym::detail {

/// The MXNet version mxjit writes and upgrades to (1.9.1).
constexpr int kMxnetVersion = 10901;
/// What a file without "mxnet_version" was written by (0.8.0).
constexpr int kOldestMxnetVersion = 800;

/// Outputs MXNet counts for `node` in node_row_ptr, hidden ones included
/// (BatchNorm writes 3: output, mean, var; Dropout 2: output, mask).
uint32_t jsonNumOutputs(const Node &node);

/// MXNet's JSON for the graph behind `outputs`, byte for byte as MXNet
/// 1.x's dmlc JSON writer formats it.
std::string writeGraphJson(const std::vector<Entry> &outputs);

/// Parses `text` (from `source`, for messages: "'net-symbol.json'") into
/// the outputs of a fresh graph, upgrading files of older MXNet versions.
std::vector<Entry> readGraphJson(const std::string &text,
                                 const std::string &source);

/// Rewrites a graph loaded from a file written by MXNet `version` (0.8.0
/// is 800) as MXNet 1.9 loads it: hidden attribute keys (`lr_mult`,
/// `weight_lr_mult`) become `__key__` user attributes on the node or the
/// variable they name, auxiliary inputs that 0.8 files omit become
/// variables, BatchNorm's moving statistics get their initializers, and
/// argmax/argmin's old axis -1 default is dropped. `nodes` are in file
/// (topological) order; they gain no new entries, but op nodes may gain
/// new variable inputs.
void upgradeLegacyGraph(const std::vector<NodePtr> &nodes, int version);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_JSON_H
