//===- Viz.cpp - mx.viz.plot_network as Graphviz DOT ----------------------===//
//
// Follows MXNet 1.x's plot_network: one box per operator labelled with its
// key parameters, ovals for data inputs, parameter variables hidden, the
// colours MXNet gives each op family, and edges drawn from a node back to
// its inputs (dir=back) labelled with the input's shape without the batch
// axis when input shapes are given.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/Graph.h"

#include "runtime/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Program.h"

#include <cctype>
#include <fstream>
#include <set>
#include <sstream>
#include <unordered_map>

namespace mxjit::viz {

namespace {

using sym::detail::Entry;
using sym::detail::Node;

/// MXNet's colour map (ColorBrewer Set3).
const char *const kColors[] = {"#8dd3c7", "#fb8072", "#ffffb3", "#bebada",
                               "#80b1d3", "#fdb462", "#b3de69", "#fccde5"};

bool looksLikeWeight(const std::string &name) {
  static const char *const suffixes[] = {
      "_weight",     "_bias",        "_beta",        "_gamma",
      "_moving_var", "_moving_mean", "_running_var", "_running_mean"};
  for (std::string s : suffixes)
    if (name.size() >= s.size() &&
        name.compare(name.size() - s.size(), s.size(), s) == 0)
      return true;
  return false;
}

/// "(3, 3)" -> "3x3": the digit runs of a tuple attribute, as MXNet's
/// _str2tuple reads them.
std::string tupleLabel(const std::string &tuple) {
  std::string out, run;
  auto flush = [&] {
    if (run.empty())
      return;
    out += (out.empty() ? "" : "x") + run;
    run.clear();
  };
  for (char c : tuple) {
    if (std::isdigit(static_cast<unsigned char>(c)))
      run += c;
    else
      flush();
  }
  flush();
  return out;
}

std::string attrOr(const Node &n, const std::string &key,
                   const std::string &dflt) {
  auto it = n.attrs.find(key);
  return it == n.attrs.end() ? dflt : it->second;
}

/// A DOT string literal; "\n" stays DOT's line break.
std::string quote(const std::string &s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\')
      out += '\\';
    if (c == '\n') {
      out += "\\n";
      continue;
    }
    out += c;
  }
  return out + "\"";
}

struct Style {
  std::string label, shape = "box", color;
};

Style styleOf(const Node &n) {
  Style s;
  s.label = n.name;
  const std::string &op = n.op;
  if (n.isVariable()) {
    s.shape = "oval";
    s.color = kColors[0];
  } else if (op == "Convolution") {
    s.label = "Convolution\n" + tupleLabel(attrOr(n, "kernel", "")) + "/" +
              tupleLabel(attrOr(n, "stride", "1")) + ", " +
              attrOr(n, "num_filter", "");
    s.color = kColors[1];
  } else if (op == "FullyConnected") {
    s.label = "FullyConnected\n" + attrOr(n, "num_hidden", "");
    s.color = kColors[1];
  } else if (op == "BatchNorm") {
    s.color = kColors[3];
  } else if (op == "Activation") {
    s.label = "Activation\n" + attrOr(n, "act_type", "");
    s.color = kColors[2];
  } else if (op == "LeakyReLU") {
    s.label = "LeakyReLU\n" + attrOr(n, "act_type", "Leaky");
    s.color = kColors[2];
  } else if (op == "Pooling") {
    auto kernel = n.attrs.find("kernel");
    s.label = "Pooling\n" + attrOr(n, "pool_type", "max") + ", " +
              (kernel == n.attrs.end() ? "[]" : tupleLabel(kernel->second)) +
              "/" + tupleLabel(attrOr(n, "stride", "1"));
    s.color = kColors[4];
  } else if (op == "Concat" || op == "Flatten" || op == "Reshape") {
    s.color = kColors[5];
  } else if (op == "Softmax") {
    s.color = kColors[6];
  } else {
    s.color = kColors[7];
  }
  return s;
}

/// Output name -> shape for every internal output, from the input shapes.
std::unordered_map<std::string, sym::Shape>
internalShapes(const sym::Symbol &symbol,
               const std::map<std::string, sym::Shape> &shapes) {
  std::unordered_map<std::string, sym::Shape> out;
  if (shapes.empty())
    return out;
  sym::Symbol internals = symbol.get_internals();
  sym::Symbol::ShapeResult r = internals.infer_shape_partial(shapes);
  std::vector<std::string> names = internals.list_outputs();
  for (size_t i = 0; i < names.size() && i < r.out_shapes.size(); ++i)
    out[names[i]] = r.out_shapes[i];
  return out;
}

/// "128" for (batch, 128): MXNet labels edges without the batch axis.
std::string shapeLabel(const sym::Shape &shape) {
  std::string out;
  for (size_t i = 1; i < shape.size(); ++i)
    out += (i > 1 ? "x" : "") + std::to_string(shape[i]);
  return out;
}

} // namespace

std::string plot_network(const sym::Symbol &symbol,
                         const std::map<std::string, sym::Shape> &shapes,
                         const std::string &title, bool hide_weights) {
  if (symbol.empty())
    throw Error("plot_network: the symbol is empty");
  std::unordered_map<std::string, sym::Shape> shapeOf =
      internalShapes(symbol, shapes);
  std::vector<Node *> nodes = sym::detail::topoOrder(symbol.entries());

  std::ostringstream dot;
  dot << "digraph " << quote(title) << " {\n";
  std::set<std::string> hidden;
  for (const Node *n : nodes) {
    if (n->isVariable() && looksLikeWeight(n->name)) {
      // Hidden entirely, or (as MXNet does) left for Graphviz to draw as a
      // plain node when its edges are kept.
      if (hide_weights)
        hidden.insert(n->name);
      continue;
    }
    Style s = styleOf(*n);
    dot << "\t" << quote(n->name) << " [label=" << quote(s.label)
        << " fillcolor=" << quote(s.color)
        << " fixedsize=true height=0.8034 shape=" << s.shape
        << " style=filled width=1.3]\n";
  }
  for (const Node *n : nodes) {
    if (n->isVariable())
      continue;
    for (const Entry &e : n->inputs) {
      const Node &in = *e.node;
      if (hidden.count(in.name))
        continue;
      std::string label;
      if (!shapeOf.empty()) {
        auto it = shapeOf.find(sym::detail::outputName(in, e.index));
        if (it != shapeOf.end() && !it->second.empty())
          label = shapeLabel(it->second);
      }
      dot << "\t" << quote(n->name) << " -> " << quote(in.name)
          << " [label=" << quote(label) << " arrowtail=open dir=back]\n";
    }
  }
  dot << "}\n";
  return dot.str();
}

void save_network(const sym::Symbol &symbol, const std::string &path,
                  const std::map<std::string, sym::Shape> &shapes,
                  const std::string &format) {
  std::string dot = plot_network(symbol, shapes);
  auto writeText = [](const std::string &file, const std::string &text) {
    std::ofstream os(file, std::ios::binary | std::ios::trunc);
    if (!os)
      throw Error("save_network: cannot open '" + file + "' for writing");
    os << text;
    os.close();
    if (!os)
      throw Error("save_network: writing '" + file + "' failed");
  };
  if (format == "dot" || format == "gv")
    return writeText(path, dot);
  static const std::set<std::string> rendered = {"svg", "png", "pdf"};
  if (!rendered.count(format))
    throw Error("save_network: unknown format '" + format +
                "' (expected dot, gv, svg, png or pdf)");
  llvm::ErrorOr<std::string> dotExe = llvm::sys::findProgramByName("dot");
  if (!dotExe)
    throw Error("save_network: rendering '" + path + "' as " + format +
                " needs Graphviz's 'dot' program, which is not installed "
                "(or not on PATH); save with format \"dot\" instead");

  llvm::SmallString<128> dotFile, errFile;
  if (llvm::sys::fs::createTemporaryFile("mxjit-viz", "dot", dotFile) ||
      llvm::sys::fs::createTemporaryFile("mxjit-viz", "err", errFile))
    throw Error("save_network: cannot create a temporary file");
  struct Cleanup {
    llvm::SmallString<128> &a, &b;
    ~Cleanup() {
      llvm::sys::fs::remove(a);
      llvm::sys::fs::remove(b);
    }
  } cleanup{dotFile, errFile};
  writeText(dotFile.str().str(), dot);

  std::string typeArg = "-T" + format, outArg = "-o" + path;
  llvm::StringRef args[] = {*dotExe, typeArg, outArg, dotFile.str()};
  std::optional<llvm::StringRef> redirects[] = {std::nullopt, std::nullopt,
                                                errFile.str()};
  std::string execError;
  int rc = llvm::sys::ExecuteAndWait(*dotExe, args, std::nullopt, redirects,
                                     /*SecondsToWait=*/60, 0, &execError);
  if (rc != 0) {
    std::ifstream err(errFile.str().str());
    std::string stderrText((std::istreambuf_iterator<char>(err)), {});
    throw Error("save_network: 'dot " + typeArg + "' failed for '" + path +
                "' (exit " + std::to_string(rc) +
                "): " + (execError.empty() ? stderrText : execError));
  }
}

} // namespace mxjit::viz
