//===- Compose.cpp - copying symbols and substituting their variables -----===//
//
// Nodes are shared between symbols, so composition never edits a graph in
// place: it copies every node reachable from the symbol and wires the given
// symbols in where the matching variables were (MXNet's Symbol.__call__ is
// also copy-then-compose).
//
//===----------------------------------------------------------------------===//

#include "sym/SymbolImpl.h"

#include "runtime/Error.h"

#include <set>
#include <unordered_map>

namespace mxjit::sym {

using namespace detail;

namespace detail {

std::vector<Entry>
copyGraph(const std::vector<Entry> &outputs,
          const std::function<std::optional<Entry>(const Node &)> &replace) {
  std::unordered_map<const Node *, NodePtr> copies;
  std::unordered_map<const Node *, Entry> replaced;
  auto remap = [&](const Entry &e) {
    auto r = replaced.find(e.node.get());
    if (r != replaced.end())
      return r->second;
    return Entry{copies.at(e.node.get()), e.index};
  };
  for (Node *n : topoOrder(outputs)) {
    if (n->isVariable())
      if (std::optional<Entry> e = replace(*n)) {
        replaced.emplace(n, *e);
        continue;
      }
    auto copy = std::make_shared<Node>(*n);
    for (Entry &in : copy->inputs)
      in = remap(in);
    copies.emplace(n, std::move(copy));
  }
  std::vector<Entry> out;
  for (const Entry &e : outputs)
    out.push_back(remap(e));
  return out;
}

} // namespace detail

namespace {

Entry single(const Symbol &s, const std::string &what) {
  if (s.empty())
    throw Error("Symbol.Compose: " + what + " is an empty symbol");
  if (s.num_outputs() != 1)
    throw Error("Symbol.Compose: " + what + " is a group of " +
                std::to_string(s.num_outputs()) +
                " outputs; a single output is required");
  return s.entries().front();
}

void checkComposable(const Symbol &s) {
  if (s.empty())
    throw Error("Symbol.Compose: the symbol is empty");
  if (s.num_outputs() == 1 && s.entries().front().node->isVariable())
    throw Error("Symbol.Compose: variable '" + s.name() +
                "' cannot be composed");
}

Symbol renamed(std::vector<Entry> outputs, const std::string &name) {
  // As MXNet, the name given to a composition renames its head node (the
  // node is a fresh copy, so no other symbol sees the change).
  if (!name.empty() && !outputs.front().node->isVariable())
    outputs.front().node->name = name;
  return Symbol(std::move(outputs));
}

} // namespace

Symbol Symbol::operator()(const std::map<std::string, Symbol> &kwargs,
                          const std::string &name) const {
  checkComposable(*this);
  std::map<std::string, Entry> by;
  for (const auto &[key, s] : kwargs)
    by.emplace(key, single(s, "keyword argument '" + key + "'"));
  std::set<std::string> matched;
  std::vector<Entry> outs = copyGraph(outputs_, [&](const Node &var) {
    auto it = by.find(var.name);
    if (it == by.end())
      return std::optional<Entry>();
    matched.insert(var.name);
    return std::optional<Entry>(it->second);
  });
  for (const auto &[key, s] : kwargs) {
    if (matched.count(key))
      continue;
    std::string inputs;
    for (const std::string &n : list_inputs())
      inputs += (inputs.empty() ? "" : ", ") + n;
    throw Error("Symbol.Compose: keyword argument '" + key +
                "' matches no input of the symbol; its inputs are: " + inputs);
  }
  return renamed(std::move(outs), name);
}

Symbol Symbol::operator()(const std::vector<Symbol> &args,
                          const std::string &name) const {
  checkComposable(*this);
  std::vector<Node *> arguments = listVariables(outputs_).arguments;
  if (args.size() > arguments.size())
    throw Error("Symbol.Compose: " + std::to_string(args.size()) +
                " positional arguments given, but the symbol has " +
                std::to_string(arguments.size()) + " arguments");
  std::unordered_map<const Node *, Entry> by;
  for (size_t i = 0; i < args.size(); ++i)
    by.emplace(arguments[i], single(args[i], "argument " + std::to_string(i)));
  std::vector<Entry> outs = copyGraph(outputs_, [&](const Node &var) {
    auto it = by.find(&var);
    return it == by.end() ? std::optional<Entry>()
                          : std::optional<Entry>(it->second);
  });
  return renamed(std::move(outs), name);
}

Symbol Symbol::copy() const {
  if (empty())
    return Symbol();
  return Symbol(
      copyGraph(outputs_, [](const Node &) { return std::optional<Entry>(); }));
}

} // namespace mxjit::sym
