//===- InferType.cpp - dtype inference over Symbol graphs -----------------===//
//
// A fixpoint over the topological order, forward and backward: almost every
// MXNet op has one dtype for all its inputs and outputs, so a dtype known
// anywhere around a node spreads to the rest (a declared int32 label makes
// the loss op's data int32 too). Cast-like ops override the rule through
// OpInfo::inferTypes. What stays unknown is float32, MXNet's default.
//
//===----------------------------------------------------------------------===//

#include "sym/Infer.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include <set>

namespace mxjit::sym {

using namespace detail;

namespace detail {

std::optional<DType> variableDType(const Node &var) {
  auto it = var.attrs.find("__dtype__");
  if (it == var.attrs.end())
    return std::nullopt;
  // mshadow's type flags, as MXNet's Variable(dtype=...) writes them.
  static const std::map<std::string, std::string> flags = {
      {"0", "float32"}, {"1", "float64"}, {"2", "float16"}, {"3", "uint8"},
      {"4", "int32"},   {"5", "int8"},    {"6", "int64"}};
  auto flag = flags.find(it->second);
  std::string name = flag == flags.end() ? it->second : flag->second;
  if (std::optional<DType> d = parseDType(name))
    return d;
  throw Error("Variable '" + var.name + "': dtype '" + name +
              "' is not supported (float32, float64, int32, int64)");
}

namespace {

using Slots =
    std::unordered_map<const Node *, std::vector<std::optional<DType>>>;

std::string dtypeStr(DType d) { return dtypeName(d).str(); }

std::vector<std::string> inputNames(const Node &node, const Params &p) {
  const OpInfo *info = node.info;
  std::vector<std::string> names;
  if (info && info->inputs && info->keyVarNumArgs.empty())
    names = info->inputs(p);
  while (names.size() < node.inputs.size())
    names.push_back("arg" + std::to_string(names.size()));
  return names;
}

/// Merges `v` into `slot`; true when `slot` changed.
bool mergeType(std::optional<DType> &slot, std::optional<DType> v,
               const Node &node, const std::string &what) {
  if (!v)
    return false;
  if (!slot) {
    slot = v;
    return true;
  }
  if (*slot != *v)
    throw Error("Error in operator " + node.name + " (" + node.op +
                "): dtype of " + what + " is " + dtypeStr(*slot) + " but " +
                dtypeStr(*v) + " is inferred");
  return false;
}

bool step(const Node &node, Slots &slots) {
  const OpInfo *info = node.info ? node.info : lookupOp(node.op);
  if (!info)
    throw Error("Operator '" + node.op + "' of node '" + node.name +
                "' is not registered");
  Params p(node.attrs, node.op, node.name);
  std::vector<std::string> names = inputNames(node, p);
  std::vector<std::optional<DType>> in, out = slots[&node];
  for (const Entry &e : node.inputs)
    in.push_back(slots[e.node.get()][e.index]);
  if (info->inferTypes) {
    info->inferTypes(p, in, out);
  } else {
    std::optional<DType> common;
    for (size_t i = 0; i < in.size(); ++i)
      mergeType(common, in[i], node, "input " + names[i]);
    for (size_t i = 0; i < out.size(); ++i)
      mergeType(common, out[i], node, "output " + std::to_string(i));
    for (auto &t : in)
      t = common;
    for (auto &t : out)
      t = common;
  }
  bool changed = false;
  for (size_t i = 0; i < node.inputs.size(); ++i) {
    const Entry &e = node.inputs[i];
    changed |= mergeType(slots[e.node.get()][e.index], in[i], node,
                         "input " + names[i]);
  }
  std::vector<std::optional<DType>> &mine = slots[&node];
  for (size_t i = 0; i < mine.size() && i < out.size(); ++i)
    changed |= mergeType(mine[i], out[i], node, "output " + std::to_string(i));
  return changed;
}

void fixpoint(const std::vector<Node *> &order, Slots &slots) {
  for (bool changed = true; changed;) {
    changed = false;
    for (Node *n : order)
      if (!n->isVariable())
        changed |= step(*n, slots);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (!(*it)->isVariable())
        changed |= step(**it, slots);
  }
}

} // namespace

EntryTypes inferEntryTypes(const std::vector<Entry> &outputs,
                           const std::map<std::string, DType> &given) {
  std::vector<Node *> order = topoOrder(outputs);
  Slots slots;
  std::set<std::string> names;
  for (Node *n : order) {
    slots[n].resize(numOutputs(*n));
    if (!n->isVariable())
      continue;
    names.insert(n->name);
    slots[n][0] = variableDType(*n);
    auto g = given.find(n->name);
    if (g == given.end())
      continue;
    if (slots[n][0] && *slots[n][0] != g->second)
      throw Error("infer_type: argument '" + n->name + "' is given as " +
                  dtypeStr(g->second) + " but declared " +
                  dtypeStr(*slots[n][0]));
    slots[n][0] = g->second;
  }
  for (const auto &[name, type] : given)
    if (!names.count(name)) {
      std::string list;
      for (const std::string &n : names)
        list += (list.empty() ? "" : ", ") + n;
      throw Error("infer_type: '" + name +
                  "' is not an input of the symbol; its inputs are: " + list);
    }
  fixpoint(order, slots);
  // Unconstrained variables take MXNet's default, which may constrain
  // others in turn.
  for (Node *n : order)
    if (n->isVariable() && !slots[n][0])
      slots[n][0] = DType::Float32;
  fixpoint(order, slots);
  EntryTypes out;
  for (Node *n : order)
    for (const auto &t : slots[n])
      out[n].push_back(t.value_or(DType::Float32));
  return out;
}

} // namespace detail

Symbol::TypeResult
Symbol::infer_type(const std::map<std::string, DType> &types) const {
  if (empty())
    throw Error("infer_type: the symbol is empty");
  EntryTypes t = inferEntryTypes(outputs_, types);
  Variables vars = listVariables(outputs_);
  TypeResult r;
  for (Node *n : vars.arguments)
    r.arg_types.push_back(t.at(n)[0]);
  for (Node *n : vars.auxiliary)
    r.aux_types.push_back(t.at(n)[0]);
  for (const Entry &e : outputs_)
    r.out_types.push_back(t.at(e.node.get())[e.index]);
  return r;
}

} // namespace mxjit::sym
