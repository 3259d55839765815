//===- Graph.cpp - traversal and naming of Symbol graphs ------------------===//

#include "sym/Graph.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include <unordered_set>

namespace mxjit::sym::detail {

namespace {

const OpInfo &infoOf(const Node &node) {
  const OpInfo *info = node.info ? node.info : lookupOp(node.op);
  if (!info)
    throw Error("Operator '" + node.op + "' of node '" + node.name +
                "' is not registered");
  return *info;
}

} // namespace

std::vector<Node *> topoOrder(const std::vector<Entry> &outputs) {
  // Iterative post-order DFS (MXNet's DFSVisit): deep graphs (long RNN
  // unrolls) must not overflow the C++ stack.
  std::vector<Node *> order;
  std::unordered_set<const Node *> visited;
  std::vector<std::pair<Node *, size_t>> stack;
  for (const Entry &head : outputs) {
    Node *root = head.node.get();
    if (!root || !visited.insert(root).second)
      continue;
    stack.push_back({root, 0});
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      if (next < node->inputs.size()) {
        Node *in = node->inputs[next++].node.get();
        if (in && visited.insert(in).second)
          stack.push_back({in, 0});
        continue;
      }
      order.push_back(node);
      stack.pop_back();
    }
  }
  return order;
}

Variables listVariables(const std::vector<Entry> &outputs) {
  std::vector<Node *> order = topoOrder(outputs);
  std::unordered_set<const Node *> mutated;
  for (Node *n : order) {
    if (n->isVariable())
      continue;
    const OpInfo &info = infoOf(*n);
    if (!info.auxInputs)
      continue;
    Params params(n->attrs, n->op, n->name);
    for (unsigned i : info.auxInputs(params))
      if (i < n->inputs.size())
        mutated.insert(n->inputs[i].node.get());
  }
  Variables vars;
  for (Node *n : order)
    if (n->isVariable())
      (mutated.count(n) ? vars.auxiliary : vars.arguments).push_back(n);
  return vars;
}

uint32_t numOutputs(const Node &node) {
  if (node.isVariable())
    return 1;
  const OpInfo &info = infoOf(node);
  if (!info.outputs)
    return 1;
  Params params(node.attrs, node.op, node.name);
  return static_cast<uint32_t>(info.outputs(params).size());
}

std::string outputName(const Node &node, uint32_t index) {
  // A variable's only output is the variable itself (MXNet lists "data",
  // not "data_output").
  if (node.isVariable())
    return node.name;
  const OpInfo &info = infoOf(node);
  std::vector<std::string> names;
  if (info.outputs) {
    Params params(node.attrs, node.op, node.name);
    names = info.outputs(params);
  } else {
    names = {"output"};
  }
  if (index >= names.size())
    throw Error("Output " + std::to_string(index) + " of node '" + node.name +
                "' (" + node.op + ") does not exist: it has " +
                std::to_string(names.size()) + " outputs");
  return node.name + "_" + names[index];
}

} // namespace mxjit::sym::detail
