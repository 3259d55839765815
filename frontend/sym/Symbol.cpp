//===- Symbol.cpp - listing, attributes and indexing of Symbols -----------===//

#include "sym/SymbolImpl.h"

#include "runtime/Error.h"

#include <sstream>
#include <unordered_map>
#include <unordered_set>

namespace mxjit::sym {

using namespace detail;

namespace detail {

Node &singleNode(const Symbol &s, const char *what) {
  if (s.empty())
    throw Error(std::string(what) + ": the symbol is empty");
  Node *node = s.entries().front().node.get();
  for (const Entry &e : s.entries())
    if (e.node.get() != node)
      throw Error(std::string(what) + ": the symbol is a group of " +
                  std::to_string(s.num_outputs()) +
                  " outputs of different nodes; use a single output");
  return *node;
}

} // namespace detail

namespace {

const std::vector<Entry> &nonEmpty(const Symbol &s, const char *what) {
  if (s.empty())
    throw Error(std::string(what) + ": the symbol is empty");
  return s.entries();
}

std::vector<std::string> names(const std::vector<Node *> &nodes) {
  std::vector<std::string> out;
  for (Node *n : nodes)
    out.push_back(n->name);
  return out;
}

} // namespace

std::string Symbol::name() const { return singleNode(*this, "name").name; }

std::vector<std::string> Symbol::list_arguments() const {
  return names(listVariables(nonEmpty(*this, "list_arguments")).arguments);
}

std::vector<std::string> Symbol::list_auxiliary_states() const {
  return names(
      listVariables(nonEmpty(*this, "list_auxiliary_states")).auxiliary);
}

std::vector<std::string> Symbol::list_inputs() const {
  std::vector<std::string> out;
  for (Node *n : topoOrder(nonEmpty(*this, "list_inputs")))
    if (n->isVariable())
      out.push_back(n->name);
  return out;
}

std::vector<std::string> Symbol::list_outputs() const {
  std::vector<std::string> out;
  for (const Entry &e : nonEmpty(*this, "list_outputs"))
    out.push_back(outputName(*e.node, e.index));
  return out;
}

std::optional<std::string> Symbol::attr(const std::string &key) const {
  nonEmpty(*this, "attr");
  // A group of different nodes has no attributes (MXNet returns None).
  Node *node = outputs_.front().node.get();
  for (const Entry &e : outputs_)
    if (e.node.get() != node)
      return std::nullopt;
  if (key == "name")
    return node->name;
  for (const std::string &k : {key, userAttrKey(key), "__" + key + "__"}) {
    auto it = node->attrs.find(k);
    if (it != node->attrs.end())
      return it->second;
  }
  return std::nullopt;
}

AttrMap Symbol::list_attr() const {
  return nonEmpty(*this, "list_attr").front().node->attrs;
}

std::map<std::string, AttrMap> Symbol::attr_dict() const {
  std::map<std::string, AttrMap> out;
  for (Node *n : topoOrder(nonEmpty(*this, "attr_dict")))
    if (!n->attrs.empty())
      out[n->name] = n->attrs;
  return out;
}

void Symbol::set_attr(const AttrMap &attrs) {
  Node &node = singleNode(*this, "set_attr");
  for (const auto &[k, v] : attrs) {
    if (k == "name")
      node.name = v;
    else
      node.attrs[userAttrKey(k)] = v;
  }
}

Symbol Symbol::get_internals() const {
  std::vector<Entry> out;
  nonEmpty(*this, "get_internals");
  // topoOrder yields raw pointers; entries must own their nodes, so find
  // each node's owning pointer on the edges that reach it.
  std::vector<Node *> order = topoOrder(outputs_);
  std::unordered_map<const Node *, NodePtr> owners;
  for (const Entry &e : outputs_)
    owners.emplace(e.node.get(), e.node);
  for (Node *n : order)
    for (const Entry &in : n->inputs)
      owners.emplace(in.node.get(), in.node);
  for (Node *n : order) {
    uint32_t count = numOutputs(*n);
    for (uint32_t i = 0; i < count; ++i)
      out.push_back(Entry{owners.at(n), i});
  }
  return Symbol(std::move(out));
}

Symbol Symbol::get_children() const {
  std::vector<Entry> out;
  std::unordered_set<const Node *> seen;
  for (const Entry &e : nonEmpty(*this, "get_children"))
    if (seen.insert(e.node.get()).second)
      out.insert(out.end(), e.node->inputs.begin(), e.node->inputs.end());
  return Symbol(std::move(out));
}

Symbol Symbol::operator[](size_t i) const {
  if (i >= nonEmpty(*this, "operator[]").size())
    throw Error("operator[]: index " + std::to_string(i) +
                " is out of range for a symbol with " +
                std::to_string(outputs_.size()) + " outputs");
  return Symbol({outputs_[i]});
}

Symbol Symbol::operator[](const std::string &name) const {
  std::vector<std::string> outs = list_outputs();
  std::optional<size_t> found;
  for (size_t i = 0; i < outs.size(); ++i) {
    if (outs[i] != name)
      continue;
    if (found)
      throw Error("operator[]: there are several outputs named '" + name + "'");
    found = i;
  }
  if (!found)
    throw Error("operator[]: no output is named '" + name + "'");
  return (*this)[*found];
}

std::string Symbol::debug_str() const {
  // MXNet's Symbol.debug_str() layout.
  const std::vector<Entry> &outs = nonEmpty(*this, "debug_str");
  std::ostringstream os;
  if (outs.size() == 1 && outs[0].node->inputs.empty()) {
    if (outs[0].node->isVariable())
      os << "Variable:" << outs[0].node->name << '\n';
    else
      os << "AtomicFunctor  Op:" << outs[0].node->op << '\n';
    return os.str();
  }
  os << "Symbol Outputs:\n";
  for (size_t i = 0; i < outs.size(); ++i)
    os << "\toutput[" << i << "]=" << outs[i].node->name << '(' << outs[i].index
       << ")\n";
  for (Node *n : topoOrder(outs)) {
    if (n->isVariable()) {
      os << "Variable:" << n->name << '\n';
      continue;
    }
    os << "--------------------\n"
       << "Op:" << n->op << ", Name=" << n->name << '\n'
       << "Inputs:\n";
    for (size_t i = 0; i < n->inputs.size(); ++i) {
      const Entry &e = n->inputs[i];
      os << "\targ[" << i << "]=" << e.node->name << '(' << e.index << ")";
      if (e.node->isVariable())
        os << " version=0";
      os << '\n';
    }
    if (!n->attrs.empty()) {
      os << "Attrs:\n";
      for (const auto &[k, v] : n->attrs)
        os << '\t' << k << '=' << v << '\n';
    }
  }
  return os.str();
}

} // namespace mxjit::sym
