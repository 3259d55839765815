//===- Graph.h - the nodes behind a Symbol ----------------------*- C++ -*-===//
//
// MXNet's graph model: a node is a variable (op empty) or an operator call
// with MXNet's string attributes and inputs that are outputs of other nodes.
// Symbols are lists of node outputs; nodes are shared and never mutated
// after creation except by composition on a fresh copy.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_GRAPH_H
#define MXJIT_FRONTEND_SYM_GRAPH_H

#include "mxjit/symbol.h"

#include <functional>

namespace mxjit::sym::detail {

struct OpInfo;

struct Node {
  /// Registry name of the operator ("FullyConnected"); empty for variables.
  std::string op;
  std::string name;
  /// Parameters and user attributes, as in MXNet's JSON "attrs". User
  /// attributes are spelled `__key__` (`__shape__`, `__lr_mult__`).
  AttrMap attrs;
  std::vector<Entry> inputs;
  /// Set for operator nodes.
  const OpInfo *info = nullptr;

  bool isVariable() const { return op.empty(); }
};

using NodePtr = std::shared_ptr<Node>;

/// Every node reachable from `outputs`, inputs before users, each once, in
/// MXNet's order (a depth-first post-order visiting inputs in order).
std::vector<Node *> topoOrder(const std::vector<Entry> &outputs);

/// The variables reachable from `outputs` in topological order, split as
/// MXNet does: inputs an op mutates (BatchNorm's moving_mean) are auxiliary
/// states, every other variable is an argument.
struct Variables {
  std::vector<Node *> arguments, auxiliary;
};
Variables listVariables(const std::vector<Entry> &outputs);

/// Number of outputs `node` has (1 for variables).
uint32_t numOutputs(const Node &node);
/// Output names as list_outputs() spells them ("fc1_output").
std::string outputName(const Node &node, uint32_t index);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_GRAPH_H
