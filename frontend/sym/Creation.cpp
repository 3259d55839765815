//===- Creation.cpp - Variable, Group and operator nodes ------------------===//
//
// Op creation follows MXNet's symbol creator: keyword parameters become
// string attributes, user attributes come from "attr" and the AttrScope,
// inputs are given positionally or by name, and inputs left out become
// new variables named "<node>_<input>" (fc1_weight, sm_label).
//
//===----------------------------------------------------------------------===//

#include "sym/Lowering.h"
#include "sym/SymbolImpl.h"

#include "runtime/Error.h"

namespace mxjit::sym {

namespace detail {

namespace {

std::string joined(const std::vector<std::string> &names) {
  std::string out;
  for (const std::string &n : names)
    out += (out.empty() ? "" : ", ") + n;
  return out;
}

std::string stripQuotes(std::string s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front())))
    s.erase(0, 1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back())))
    s.pop_back();
  if (s.size() >= 2 && (s.front() == '\'' || s.front() == '"') &&
      s.back() == s.front())
    s = s.substr(1, s.size() - 2);
  return s;
}

/// The "attr" keyword holds a Python dict as str() writes it:
/// "{'ctx_group': 'dev1', '__mood__': 'so so'}" (quotes optional).
AttrMap parseAttrDict(const std::string &text, const std::string &op) {
  std::string s = stripQuotes(text);
  if (s.size() < 2 || s.front() != '{' || s.back() != '}')
    throw Error("Operator " + op +
                ": attr must be a dict like {'key': 'value'}, got '" + text +
                "'");
  AttrMap out;
  std::string body = s.substr(1, s.size() - 2);
  std::vector<std::string> items;
  std::string cur;
  char quote = 0;
  for (char c : body) {
    if (quote) {
      quote = c == quote ? 0 : quote;
    } else if (c == '\'' || c == '"') {
      quote = c;
    } else if (c == ',') {
      items.push_back(cur);
      cur.clear();
      continue;
    }
    cur += c;
  }
  if (!stripQuotes(cur).empty())
    items.push_back(cur);
  for (const std::string &item : items) {
    // The first colon outside quotes separates key and value.
    size_t colon = std::string::npos;
    quote = 0;
    for (size_t i = 0; i < item.size() && colon == std::string::npos; ++i) {
      char c = item[i];
      if (quote)
        quote = c == quote ? 0 : quote;
      else if (c == '\'' || c == '"')
        quote = c;
      else if (c == ':')
        colon = i;
    }
    if (colon == std::string::npos)
      throw Error("Operator " + op + ": attr entry '" + item +
                  "' is not 'key': 'value'");
    out[userAttrKey(stripQuotes(item.substr(0, colon)))] =
        stripQuotes(item.substr(colon + 1));
  }
  return out;
}

/// Attributes an automatically created input variable takes from its op:
/// the user attributes (`__mood__`, `__ctx_group__`), except those that
/// describe one variable only (its own learning-rate multipliers, shape,
/// dtype and initializer).
AttrMap inheritedAttrs(const AttrMap &opAttrs) {
  AttrMap out;
  for (const auto &[k, v] : opAttrs)
    if (isUserAttrKey(k) && k != "__lr_mult__" && k != "__wd_mult__" &&
        k != "__shape__" && k != "__dtype__" && k != "__init__")
      out[k] = v;
  return out;
}

Entry singleEntry(const Symbol &s, const Node &node, const std::string &input) {
  if (s.empty())
    throw opError(node, "input '" + input + "' is an empty symbol");
  if (s.num_outputs() != 1)
    throw opError(node, "input '" + input + "' is a group of " +
                            std::to_string(s.num_outputs()) +
                            " outputs; a single output is required");
  return s.entries().front();
}

} // namespace

NodePtr makeVariableNode(const std::string &name, AttrMap attrs) {
  auto node = std::make_shared<Node>();
  node->name = name;
  node->attrs = std::move(attrs);
  return node;
}

Symbol makeOp(const std::string &op, const std::string &hint,
              const std::vector<Symbol> &positional, const Kwargs &kwargs,
              const std::string &name) {
  const OpInfo *info = lookupOp(op);
  if (!info)
    throw Error("Cannot find operator '" + op +
                "': it is not registered (see list_operators())");
  std::string explicitName = name;
  AttrMap params, userAttrs = currentScopeAttrs();
  std::vector<std::pair<std::string, Symbol>> named;
  for (const auto &[key, arg] : kwargs) {
    if (key == "name" || key == "attr") {
      if (arg.isSymbol())
        throw Error("Operator " + op + ": '" + key +
                    "' must be a string, not a symbol");
      if (key == "attr") {
        for (auto &[k, v] : parseAttrDict(arg.str(), op))
          userAttrs[k] = v;
        continue;
      }
      if (!explicitName.empty() && explicitName != arg.str())
        throw Error("Operator " + op + ": two names given ('" + explicitName +
                    "' and '" + arg.str() + "')");
      explicitName = arg.str();
      continue;
    }
    if (arg.isSymbol())
      named.emplace_back(key, arg.symbol());
    else
      params[userAttrKey(key)] = arg.str();
  }
  for (auto &[k, v] : userAttrs)
    params[k] = v;

  auto node = std::make_shared<Node>();
  node->op = info->name;
  node->name = nextName(explicitName, hint);
  node->attrs = std::move(params);
  node->info = info;

  if (!info->keyVarNumArgs.empty()) {
    if (!named.empty())
      throw opError(*node, "takes its inputs positionally, not as '" +
                               named.front().first + "'");
    std::string count = std::to_string(positional.size());
    auto [it, inserted] = node->attrs.emplace(info->keyVarNumArgs, count);
    if (!inserted && it->second != count)
      throw opError(*node, info->keyVarNumArgs + "=" + it->second + " but " +
                               count + " inputs are given");
    validateParams(*info, *node);
    for (size_t i = 0; i < positional.size(); ++i)
      node->inputs.push_back(
          singleEntry(positional[i], *node, "arg" + std::to_string(i)));
  } else {
    validateParams(*info, *node);
    Params p(node->attrs, node->op, node->name);
    std::vector<std::string> names =
        info->inputs ? info->inputs(p) : std::vector<std::string>{"data"};
    if (positional.size() > names.size())
      throw opError(*node, "takes " + std::to_string(names.size()) +
                               " inputs (" + joined(names) + "), " +
                               std::to_string(positional.size()) +
                               " given positionally");
    std::vector<std::optional<Entry>> slots(names.size());
    for (size_t i = 0; i < positional.size(); ++i)
      slots[i] = singleEntry(positional[i], *node, names[i]);
    for (const auto &[key, s] : named) {
      auto it = std::find(names.begin(), names.end(), key);
      if (it == names.end())
        throw opError(*node, "unknown input '" + key +
                                 "'; inputs are: " + joined(names));
      size_t i = static_cast<size_t>(it - names.begin());
      if (slots[i])
        throw opError(*node, "input '" + key + "' is given twice");
      slots[i] = singleEntry(s, *node, key);
    }
    for (size_t i = 0; i < names.size(); ++i)
      node->inputs.push_back(
          slots[i] ? *slots[i]
                   : Entry{makeVariableNode(node->name + "_" + names[i],
                                            inheritedAttrs(node->attrs)),
                           0});
  }

  std::vector<Entry> outputs;
  uint32_t n = numOutputs(*node);
  for (uint32_t i = 0; i < n; ++i)
    outputs.push_back(Entry{node, i});
  return Symbol(std::move(outputs));
}

} // namespace detail

Symbol::Symbol(std::vector<detail::Entry> outputs)
    : outputs_(std::move(outputs)) {}

Symbol Variable(const std::string &name, const AttrMap &attrs,
                const Shape &shape, std::optional<DType> dtype) {
  if (name.empty())
    throw Error("Variable: the name must not be empty");
  AttrMap a = detail::currentScopeAttrs();
  for (const auto &[k, v] : attrs)
    a[detail::userAttrKey(k)] = v;
  if (!shape.empty())
    a["__shape__"] = detail::formatShape(shape);
  if (dtype) {
    // MXNet writes the numeric type flag (mshadow's kFloat32 = 0, ...).
    static const std::map<DType, const char *> flags = {{DType::Float32, "0"},
                                                        {DType::Float64, "1"},
                                                        {DType::Int32, "4"},
                                                        {DType::Int64, "6"}};
    a["__dtype__"] = flags.at(*dtype);
  }
  return Symbol(
      {detail::Entry{detail::makeVariableNode(name, std::move(a)), 0}});
}

Symbol Group(const std::vector<Symbol> &symbols) {
  std::vector<detail::Entry> outputs;
  for (size_t i = 0; i < symbols.size(); ++i) {
    if (symbols[i].empty())
      throw Error("Group: symbol " + std::to_string(i) + " is empty");
    const auto &e = symbols[i].entries();
    outputs.insert(outputs.end(), e.begin(), e.end());
  }
  return Symbol(std::move(outputs));
}

Symbol Op(const std::string &op, const std::vector<Symbol> &positional,
          const Kwargs &kwargs, const std::string &name) {
  std::string hint = op;
  for (char &c : hint)
    c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return detail::makeOp(op, hint, positional, kwargs, name);
}

std::vector<std::string> list_operators() {
  std::vector<std::string> names = detail::registeredOpNames();
  std::sort(names.begin(), names.end());
  return names;
}

} // namespace mxjit::sym
