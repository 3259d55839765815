//===- LegacyUpgrade.cpp - symbol files of MXNet 0.8 to 1.8 ---------------===//
//
// MXNet 1.9 loads old files through a list of upgrade steps, each applied
// when the file predates the version that introduced it. These are the
// same rules (from MXNet's src/nnvm/legacy_json_util.cc), re-expressed on
// mxjit's nodes; files from 1.9 itself need none of them.
//
//===----------------------------------------------------------------------===//

#include "sym/Json.h"
#include "sym/OpRegistry.h"

#include <algorithm>

namespace mxjit::sym::detail {

namespace {

/// Attribute keys MXNet stores as hidden `__key__` user attributes. Old
/// files wrote them bare ("lr_mult") or prefixed by the input they apply
/// to ("weight_lr_mult" on an FC node is fc_weight's __lr_mult__).
const char *const kHiddenKeys[] = {"ctx_group", "lr_mult", "wd_mult",
                                   "force_mirroring", "mirror_stage"};

std::vector<std::string> inputNames(const Node &node) {
  if (node.isVariable() || !node.info || !node.info->inputs)
    return {};
  Params params(node.attrs, node.op, node.name);
  return node.info->inputs(params);
}

/// Where hidden key `hidden` occurs in `key` as MXNet matches it: the
/// last occurrence, which must start or end the key.
std::optional<size_t> hiddenKeyAt(const std::string &key,
                                  const std::string &hidden) {
  size_t pos = key.rfind(hidden);
  if (pos == std::string::npos)
    return std::nullopt;
  if (pos == 0 || pos == key.size() - hidden.size())
    return pos;
  return std::nullopt;
}

/// Moves one hidden-key attribute to its place; false when it stays as
/// written.
bool placeHiddenKey(Node &node, const std::string &key,
                    const std::string &value) {
  for (std::string hidden : kHiddenKeys) {
    std::optional<size_t> pos = hiddenKeyAt(key, hidden);
    if (!pos)
      continue;
    if (*pos == 0 && key.size() == hidden.size()) {
      node.attrs["__" + hidden + "__"] = value;
      return true;
    }
    // "<input>_<hidden>" on an op applies to that input's variable.
    if (*pos > 1 && *pos == key.size() - hidden.size()) {
      if (node.isVariable())
        return false;
      std::vector<std::string> names = inputNames(node);
      std::string input = key.substr(0, *pos - 1);
      auto it = std::find(names.begin(), names.end(), input);
      if (it == names.end())
        return false;
      size_t idx = static_cast<size_t>(it - names.begin());
      if (idx >= node.inputs.size() || !node.inputs[idx].node->isVariable())
        return false;
      node.inputs[idx].node->attrs["__" + hidden + "__"] = value;
      return true;
    }
  }
  return false;
}

/// Every version before the current one: hidden keys become `__key__`.
void fixHiddenKeys(const std::vector<NodePtr> &nodes) {
  for (const NodePtr &node : nodes) {
    // Take the hidden keys out first so the op's input names are computed
    // from its real parameters only.
    std::vector<std::pair<std::string, std::string>> hidden;
    for (auto it = node->attrs.begin(); it != node->attrs.end();) {
      bool isHidden = std::any_of(
          std::begin(kHiddenKeys), std::end(kHiddenKeys),
          [&](const char *h) { return hiddenKeyAt(it->first, h).has_value(); });
      if (isHidden) {
        hidden.emplace_back(it->first, it->second);
        it = node->attrs.erase(it);
      } else {
        ++it;
      }
    }
    for (const auto &[key, value] : hidden)
      if (!placeHiddenKey(*node, key, value))
        node->attrs[key] = value;
  }
}

/// Before 0.9.0 auxiliary states were not saved: BatchNorm nodes lack
/// their moving_mean and moving_var inputs. MXNet adds variables named
/// "<node>_<input>" carrying the node's attributes.
void addMissingInputs(const std::vector<NodePtr> &nodes) {
  for (const NodePtr &node : nodes) {
    std::vector<std::string> names = inputNames(*node);
    for (size_t i = node->inputs.size(); i < names.size(); ++i) {
      auto var = std::make_shared<Node>();
      var->name = node->name + "_" + names[i];
      var->attrs = node->attrs;
      node->inputs.push_back(Entry{var, 0});
    }
  }
}

/// Before 0.9.4 initializers were not attached to the variables of
/// BatchNorm's moving statistics and PReLU's gamma.
void addInputInitializers(const std::vector<NodePtr> &nodes) {
  for (const NodePtr &node : nodes) {
    if (node->isVariable())
      continue;
    for (size_t i = 0; i < node->inputs.size(); ++i) {
      Node &in = *node->inputs[i].node;
      if (!in.isVariable() || in.attrs.count("__init__"))
        continue;
      if (node->op == "BatchNorm" && i == 3)
        in.attrs["__init__"] = "[\"zero\", {}]";
      else if (node->op == "BatchNorm" && i == 4)
        in.attrs["__init__"] = "[\"one\", {}]";
      else if (node->op == "LeakyReLU" && i == 1)
        in.attrs["__init__"] = "[\"Constant\", {\"value\": 0.25}]";
    }
  }
}

/// Before 0.9.5 argmax/argmin wrote axis -1 for "no axis"; it is an
/// optional now, absent meaning the flattened array.
void dropOldArgmaxAxis(const std::vector<NodePtr> &nodes) {
  for (const NodePtr &node : nodes) {
    if (node->op != "argmax" && node->op != "argmin")
      continue;
    auto it = node->attrs.find("axis");
    if (it != node->attrs.end() && it->second == "-1")
      node->attrs.erase(it);
  }
}

} // namespace

void upgradeLegacyGraph(const std::vector<NodePtr> &nodes, int version) {
  if (version < kMxnetVersion)
    fixHiddenKeys(nodes);
  if (version < 900)
    addMissingInputs(nodes);
  if (version < 904)
    addInputInitializers(nodes);
  if (version < 905)
    dropOldArgmaxAxis(nodes);
}

} // namespace mxjit::sym::detail
