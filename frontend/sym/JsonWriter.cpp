//===- JsonWriter.cpp - Symbol::tojson in MXNet 1.x's exact format --------===//
//
// MXNet writes symbol JSON with dmlc's JSONWriter, whose layout files are
// compared and diffed by: objects with more than one member and arrays of
// more than ten numbers (or of anything but numbers) go one item per line,
// indented two spaces per level, items separated by ", " before the line
// break; smaller ones stay on one line. Reproducing it byte for byte keeps
// files written here identical to MXNet's for the same graph.
//
//===----------------------------------------------------------------------===//

#include "sym/Json.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include <fstream>
#include <unordered_map>

namespace mxjit::sym {

namespace detail {

namespace {

/// dmlc::JSONWriter's layout rules (see the file comment).
class DmlcJsonWriter {
public:
  void beginObject(bool multiLine) { open('{', multiLine); }
  void endObject() { close('}'); }
  void beginArray(bool multiLine) { open('[', multiLine); }
  void endArray() { close(']'); }

  void key(const std::string &k) {
    if (counts_.back() != 0)
      out_ += ", ";
    ++counts_.back();
    newlineIfMultiLine();
    string(k);
    out_ += ": ";
  }
  /// Before each array element.
  void item() {
    if (counts_.back() != 0)
      out_ += ", ";
    ++counts_.back();
    newlineIfMultiLine();
  }
  void string(const std::string &s) {
    // dmlc escapes exactly these; everything else is written raw (UTF-8
    // passes through).
    out_ += '"';
    for (char c : s) {
      switch (c) {
      case '\r':
        out_ += "\\r";
        break;
      case '\n':
        out_ += "\\n";
        break;
      case '\\':
        out_ += "\\\\";
        break;
      case '\t':
        out_ += "\\t";
        break;
      case '"':
        out_ += "\\\"";
        break;
      default:
        out_ += c;
      }
    }
    out_ += '"';
  }
  void number(uint64_t v) { out_ += std::to_string(v); }

  /// A std::vector<uint32_t> as dmlc's array handler writes it.
  void numbers(const std::vector<uint32_t> &values) {
    beginArray(values.size() > 10);
    for (uint32_t v : values) {
      item();
      number(v);
    }
    endArray();
  }
  /// A std::map<string, string> as dmlc's map handler writes it.
  void stringMap(const AttrMap &map) {
    beginObject(map.size() > 1);
    for (const auto &[k, v] : map) {
      key(k);
      string(v);
    }
    endObject();
  }

  std::string take() { return std::move(out_); }

private:
  void open(char c, bool multiLine) {
    out_ += c;
    multiLine_.push_back(multiLine);
    counts_.push_back(0);
  }
  void close(char c) {
    bool multiLine = multiLine_.back();
    size_t count = counts_.back();
    multiLine_.pop_back();
    counts_.pop_back();
    if (multiLine && count != 0)
      newlineIfMultiLine();
    out_ += c;
  }
  void newlineIfMultiLine() {
    if (multiLine_.empty() || multiLine_.back()) {
      out_ += '\n';
      out_.append(multiLine_.size() * 2, ' ');
    }
  }

  std::string out_;
  std::vector<bool> multiLine_;
  std::vector<size_t> counts_;
};

struct JsonEntry {
  uint32_t node, index;
};

/// nnvm's node entries: [node, output, version]; mxjit graphs are never
/// mutated in place, so the version is always 0.
void writeEntries(DmlcJsonWriter &w, const std::vector<JsonEntry> &entries) {
  // An entry is a plain struct, so dmlc breaks the list only past ten.
  w.beginArray(entries.size() > 10);
  for (const JsonEntry &e : entries) {
    w.item();
    w.beginArray(false);
    w.item();
    w.number(e.node);
    w.item();
    w.number(e.index);
    w.item();
    w.number(0);
    w.endArray();
  }
  w.endArray();
}

} // namespace

uint32_t jsonNumOutputs(const Node &node) {
  // Outputs MXNet's ops have beyond the visible ones (saved statistics,
  // masks): node_row_ptr counts them, and matching it keeps files equal.
  static const std::unordered_map<std::string, uint32_t> total = {
      {"BatchNorm", 3},    {"BatchNorm_v1", 3},
      {"InstanceNorm", 3}, {"LayerNorm", 3},
      {"GroupNorm", 3},    {"Dropout", 2},
      {"LRN", 2},          {"_contrib_SyncBatchNorm", 3},
  };
  uint32_t visible = numOutputs(node);
  auto it = node.isVariable() ? total.end() : total.find(node.op);
  return it == total.end() ? visible : std::max(visible, it->second);
}

std::string writeGraphJson(const std::vector<Entry> &outputs) {
  std::vector<Node *> order = topoOrder(outputs);
  std::unordered_map<const Node *, uint32_t> id;
  for (Node *n : order)
    id.emplace(n, static_cast<uint32_t>(id.size()));
  auto entryOf = [&](const Entry &e) {
    return JsonEntry{id.at(e.node.get()), e.index};
  };

  DmlcJsonWriter w;
  w.beginObject(true);
  w.key("nodes");
  w.beginArray(true);
  std::vector<uint32_t> argNodes, rowPtr{0};
  for (Node *n : order) {
    w.item();
    w.beginObject(true);
    w.key("op");
    w.string(n->isVariable() ? "null" : n->op);
    w.key("name");
    w.string(n->name);
    if (!n->attrs.empty()) {
      w.key("attrs");
      w.stringMap(n->attrs);
    }
    w.key("inputs");
    std::vector<JsonEntry> inputs;
    for (const Entry &e : n->inputs)
      inputs.push_back(entryOf(e));
    writeEntries(w, inputs);
    w.endObject();
    if (n->isVariable())
      argNodes.push_back(id.at(n));
    rowPtr.push_back(rowPtr.back() + jsonNumOutputs(*n));
  }
  w.endArray();
  w.key("arg_nodes");
  w.numbers(argNodes);
  w.key("node_row_ptr");
  w.numbers(rowPtr);
  w.key("heads");
  std::vector<JsonEntry> heads;
  for (const Entry &e : outputs)
    heads.push_back(entryOf(e));
  writeEntries(w, heads);
  // Graph attributes are dmlc "any" values: [type name, value].
  w.key("attrs");
  w.beginObject(false);
  w.key("mxnet_version");
  w.beginArray(false);
  w.item();
  w.string("int");
  w.item();
  w.number(kMxnetVersion);
  w.endArray();
  w.endObject();
  w.endObject();
  return w.take();
}

} // namespace detail

std::string Symbol::tojson() const {
  if (empty())
    throw Error("tojson: the symbol is empty");
  for (const detail::Entry &e : entries())
    if (!e.node)
      throw Error("tojson: the symbol has a null output");
  return detail::writeGraphJson(entries());
}

void Symbol::save(const std::string &path) const {
  std::string json = tojson();
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  if (!os)
    throw Error("Symbol::save: cannot open '" + path + "' for writing");
  os << json;
  os.close();
  if (!os)
    throw Error("Symbol::save: writing '" + path + "' failed");
}

} // namespace mxjit::sym
