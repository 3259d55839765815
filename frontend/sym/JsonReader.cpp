//===- JsonReader.cpp - sym::load / sym::fromjson -------------------------===//
//
// Accepts every layout MXNet has written since 0.8: "attrs" (1.x), "attr"
// (0.9-0.11), "param" plus "attr" with "backward_source_id" (0.8), node
// entries with or without the version element, and files with or without
// node_row_ptr and mxnet_version. Files older than the current version go
// through upgradeLegacyGraph, as MXNet's LoadLegacyJSON pass does.
//
//===----------------------------------------------------------------------===//

#include "sym/Json.h"
#include "sym/JsonValue.h"
#include "sym/Lowering.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include "llvm/Support/MemoryBuffer.h"

namespace mxjit::sym {

namespace detail {

namespace {

/// Reads one of a node's attribute dictionaries into `attrs`; keys already
/// there win (nnvm merges the 0.8 "param" dictionary this way).
void readAttrDict(const JsonRef &dict, AttrMap &attrs) {
  for (const auto &kv : dict.object()) {
    std::string key = kv.first.str();
    if (!kv.second.getAsString())
      dict.fail("attribute \"" + key + "\" must be a string, got " +
                jsonKind(kv.second));
    attrs.emplace(key, kv.second.getAsString()->str());
  }
}

/// A node entry: [node, output] or [node, output, version].
std::pair<uint32_t, uint32_t> readEntry(const JsonRef &ref) {
  size_t n = ref.array().size();
  if (n != 2 && n != 3)
    ref.fail("a node entry is [node, output] or [node, output, version], "
             "got " +
             std::to_string(n) + " elements");
  auto node = static_cast<uint32_t>(ref.at(0).integer(0, UINT32_MAX));
  auto index = static_cast<uint32_t>(ref.at(1).integer(0, UINT32_MAX));
  if (n == 3)
    ref.at(2).integer(0, UINT32_MAX);
  return {node, index};
}

int readVersion(const JsonRef &root) {
  std::optional<JsonRef> attrs = root.find("attrs");
  if (!attrs)
    return kOldestMxnetVersion;
  std::optional<JsonRef> version = attrs->find("mxnet_version");
  if (!version)
    return kOldestMxnetVersion;
  if (version->array().size() != 2 || version->at(0).string() != "int")
    version->fail("expected [\"int\", version]");
  return static_cast<int>(version->at(1).integer(0, INT32_MAX));
}

/// Checks that `index` names an output of `node`.
void checkOutput(const JsonRef &where, const Node &node, uint32_t index) {
  uint32_t outputs = numOutputs(node);
  if (index >= outputs)
    where.fail("refers to output " + std::to_string(index) + " of node '" +
               node.name + "', which has " + std::to_string(outputs) +
               (outputs == 1 ? " output" : " outputs"));
}

/// The op node's parameters and input count, once upgrades are done.
void checkOpNode(const JsonRef &where, const Node &node) {
  const OpInfo &info = *node.info;
  size_t expected;
  try {
    validateParams(info, node);
    Params params(node.attrs, node.op, node.name);
    expected = info.inputs ? info.inputs(params).size() : 1;
    if (!info.keyVarNumArgs.empty())
      expected = static_cast<size_t>(params.i64(info.keyVarNumArgs));
  } catch (const Error &e) {
    where.fail(e.what());
  }
  if (node.inputs.size() != expected)
    where.fail("node '" + node.name + "' (" + node.op + ") has " +
               std::to_string(node.inputs.size()) + " inputs, expected " +
               std::to_string(expected));
}

} // namespace

std::vector<Entry> readGraphJson(const std::string &text,
                                 const std::string &source) {
  llvm::json::Value parsed = parseJson(text, source);
  JsonRef root(parsed, "", source);
  root.object();
  int version = readVersion(root);

  JsonRef nodesRef = root.get("nodes");
  size_t numNodes = nodesRef.array().size();
  std::vector<NodePtr> nodes;
  nodes.reserve(numNodes);
  for (size_t i = 0; i < numNodes; ++i) {
    JsonRef ref = nodesRef.at(i);
    auto node = std::make_shared<Node>();
    std::string op = ref.get("op").string();
    node->name = ref.get("name").string();
    for (const char *dict : {"attrs", "attr", "param"})
      if (std::optional<JsonRef> d = ref.find(dict))
        readAttrDict(*d, node->attrs);
    for (const char *unsupported : {"control_deps", "subgraphs"})
      if (std::optional<JsonRef> d = ref.find(unsupported))
        if (!d->array().empty())
          d->fail(std::string("node '") + node->name + "' has " + unsupported +
                  ", which mxjit does not support");
    if (op != "null") {
      node->info = lookupOp(op);
      if (!node->info)
        ref.fail("unknown operator '" + op + "' (node '" + node->name + "')");
      // Aliases ("Softmax", "_Plus") load as the operator they name, as
      // MXNet's Op::Get does; files are written with that name.
      node->op = node->info->name;
    }
    JsonRef inputs = ref.get("inputs");
    for (size_t k = 0; k < inputs.array().size(); ++k) {
      JsonRef e = inputs.at(k);
      auto [id, index] = readEntry(e);
      // Inputs must come first: files are in topological order, and this
      // rules out cycles.
      if (id >= i)
        e.fail("refers to node " + std::to_string(id) +
               ", which does not come before node " + std::to_string(i) +
               " ('" + node->name + "')");
      if (node->isVariable())
        e.fail("variable '" + node->name + "' cannot have inputs");
      node->inputs.push_back(Entry{nodes[id], index});
    }
    nodes.push_back(std::move(node));
  }

  if (version < kMxnetVersion) {
    try {
      upgradeLegacyGraph(nodes, version);
    } catch (const Error &e) {
      throw Error(source + ": " + e.what());
    }
  }

  for (size_t i = 0; i < numNodes; ++i) {
    const Node &node = *nodes[i];
    JsonRef ref = nodesRef.at(i);
    if (node.isVariable())
      continue;
    checkOpNode(ref, node);
    for (size_t k = 0; k < node.inputs.size(); ++k)
      checkOutput(ref, *node.inputs[k].node, node.inputs[k].index);
  }

  if (std::optional<JsonRef> argNodes = root.find("arg_nodes")) {
    for (size_t k = 0; k < argNodes->array().size(); ++k) {
      JsonRef a = argNodes->at(k);
      int64_t id = a.integer(0, static_cast<int64_t>(numNodes) - 1);
      if (!nodes[id]->isVariable())
        a.fail("arg_nodes lists node " + std::to_string(id) + " ('" +
               nodes[id]->name + "'), which is not a variable");
    }
  }

  JsonRef headsRef = root.get("heads");
  std::vector<Entry> heads;
  for (size_t k = 0; k < headsRef.array().size(); ++k) {
    JsonRef e = headsRef.at(k);
    auto [id, index] = readEntry(e);
    if (id >= numNodes)
      e.fail("refers to node " + std::to_string(id) + ", but there are " +
             std::to_string(numNodes) + " nodes");
    checkOutput(e, *nodes[id], index);
    heads.push_back(Entry{nodes[id], index});
  }
  if (heads.empty())
    headsRef.fail("the graph has no outputs");
  return heads;
}

} // namespace detail

Symbol fromjson(const std::string &json) {
  return Symbol(detail::readGraphJson(json, "fromjson"));
}

Symbol load(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/true);
  if (!buffer)
    throw Error("load: cannot read '" + path +
                "': " + buffer.getError().message());
  return Symbol(detail::readGraphJson((*buffer)->getBuffer().str(),
                                      "load '" + path + "'"));
}

} // namespace mxjit::sym
