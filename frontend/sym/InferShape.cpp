//===- InferShape.cpp - MXNet 1.x shape inference over Symbol graphs ------===//
//
// A fixpoint over the topological order. Shapes start from the given ones
// and `__shape__` attributes; each op then contributes what it knows:
// its inferShapesBackward rule (weights from the data), the elementwise
// rule (one shape for all inputs and outputs), and, once every input shape
// is known, the dialect itself: the node is lowered on placeholders of
// those shapes and its result types are read back, so the shape rules are
// the ones binding will use.
//
//===----------------------------------------------------------------------===//

#include "sym/Infer.h"
#include "sym/Lowering.h"
#include "sym/ShapeUtil.h"

#include "nd/Engine.h"

#include "runtime/Error.h"
#include "runtime/TensorSpec.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinTypes.h"

#include <set>

namespace mxjit::sym {

using namespace detail;

namespace {

using Slots = std::unordered_map<const Node *, std::vector<Shape>>;

std::vector<std::string> inputNames(const OpInfo &info, const Node &node,
                                    const Params &p) {
  std::vector<std::string> names;
  if (info.inputs && info.keyVarNumArgs.empty())
    names = info.inputs(p);
  while (names.size() < node.inputs.size())
    names.push_back("arg" + std::to_string(names.size()));
  return names;
}

/// The output shapes the dialect infers for `node` on inputs of these
/// shapes and dtypes.
std::vector<Shape> lowerForShapes(const Node &node,
                                  const std::vector<Shape> &shapes,
                                  const std::vector<DType> &types) {
  mlir::MLIRContext &ctx = nd::detail::Engine::get().context();
  mlir::Location loc =
      mlir::NameLoc::get(mlir::StringAttr::get(&ctx, node.name));
  // A detached block is enough: the ops are inferred and verified, then
  // dropped with the block.
  mlir::Block block;
  std::vector<mlir::Value> args;
  for (size_t i = 0; i < shapes.size(); ++i)
    args.push_back(block.addArgument(
        TensorSpec(shapes[i], types[i]).toTensorType(ctx), loc));
  mlir::OpBuilder builder(&ctx);
  builder.setInsertionPointToEnd(&block);
  LowerContext lc{builder, loc, false, node, nullptr, {}};
  lc.randomSeed = [&]() -> mlir::Value {
    return block.addArgument(
        mlir::RankedTensorType::get({2}, builder.getI64Type()), loc);
  };
  std::vector<mlir::Value> results = lowerNode(lc, node, args);
  std::vector<Shape> out;
  for (mlir::Value v : results) {
    llvm::ArrayRef<int64_t> s = shapeOf(v);
    out.emplace_back(s.begin(), s.end());
  }
  block.clear();
  return out;
}

struct ShapeInference {
  Slots slots;
  EntryTypes types;
  std::set<const Node *> lowered;

  /// One node's rules; true when some slot changed.
  bool step(const Node &node) {
    const OpInfo *info = node.info ? node.info : lookupOp(node.op);
    if (!info)
      throw Error("Operator '" + node.op + "' of node '" + node.name +
                  "' is not registered");
    Params p(node.attrs, node.op, node.name);
    std::vector<std::string> names = inputNames(*info, node, p);
    std::vector<Shape> in, out = slots[&node];
    for (const Entry &e : node.inputs)
      in.push_back(slots[e.node.get()][e.index]);

    if (info->inferShapesBackward)
      info->inferShapesBackward(p, in, out);
    if (info->elementwise) {
      Shape common;
      bool ok = true;
      for (const Shape &s : in)
        ok = ok && tryMergeShape(common, s).has_value();
      for (const Shape &s : out)
        ok = ok && tryMergeShape(common, s).has_value();
      if (!ok) {
        std::string list;
        for (size_t i = 0; i < in.size(); ++i)
          list += (list.empty() ? "" : ", ") + names[i] + " " + shapeStr(in[i]);
        for (size_t i = 0; i < out.size(); ++i)
          if (!out[i].empty())
            list += ", output " + shapeStr(out[i]);
        throw Error("Error in operator " + node.name + " (" + node.op +
                    "): inputs and outputs must have one shape, got " + list);
      }
      for (Shape &s : in)
        s = common;
      for (Shape &s : out)
        s = common;
    }
    bool ready = !lowered.count(&node);
    for (const Shape &s : in)
      ready = ready && shapeKnown(s);
    if (ready) {
      lowered.insert(&node);
      std::vector<DType> inTypes;
      for (const Entry &e : node.inputs)
        inTypes.push_back(types.at(e.node.get())[e.index]);
      std::vector<Shape> inferred = lowerForShapes(node, in, inTypes);
      for (size_t i = 0; i < out.size() && i < inferred.size(); ++i)
        mergeShape(out[i], inferred[i], p, "output " + std::to_string(i));
    }

    bool changed = false;
    for (size_t i = 0; i < node.inputs.size(); ++i) {
      const Entry &e = node.inputs[i];
      changed |= mergeShape(slots[e.node.get()][e.index], in[i], p,
                            "input " + names[i]);
    }
    std::vector<Shape> &mine = slots[&node];
    for (size_t i = 0; i < mine.size() && i < out.size(); ++i)
      changed |= mergeShape(mine[i], out[i], p, "output " + std::to_string(i));
    return changed;
  }
};

Symbol::ShapeResult infer(const std::vector<Entry> &outputs,
                          const std::map<std::string, Shape> &given,
                          bool partial) {
  if (outputs.empty())
    throw Error("infer_shape: the symbol is empty");
  std::vector<Node *> order = topoOrder(outputs);
  Variables vars = listVariables(outputs);
  ShapeInference st;
  st.types = inferEntryTypes(outputs, {});
  std::set<std::string> argNames;
  for (Node *n : vars.arguments)
    argNames.insert(n->name);
  for (const auto &[name, shape] : given)
    if (!argNames.count(name)) {
      std::string list;
      for (Node *n : vars.arguments)
        list += (list.empty() ? "" : ", ") + n->name;
      throw Error(
          "infer_shape: '" + name +
          "' is not an argument of the symbol; its arguments are: " + list);
    }
  for (Node *n : order) {
    st.slots[n].resize(numOutputs(*n));
    if (!n->isVariable())
      continue;
    Shape &slot = st.slots[n][0];
    if (n->attrs.count("__shape__")) {
      Params p(n->attrs, "Variable", n->name);
      slot = p.tuple("__shape__", {});
    }
    auto g = given.find(n->name);
    if (g != given.end() && !tryMergeShape(slot, g->second))
      throw Error("infer_shape: argument '" + n->name + "' is given shape " +
                  shapeStr(g->second) + " but declared " + shapeStr(slot));
  }

  for (bool changed = true; changed;) {
    changed = false;
    for (Node *n : order)
      if (!n->isVariable())
        changed |= st.step(*n);
    for (auto it = order.rbegin(); it != order.rend(); ++it)
      if (!(*it)->isVariable())
        changed |= st.step(**it);
  }

  Symbol::ShapeResult r;
  r.complete = true;
  std::vector<std::string> unknown;
  for (Node *n : vars.arguments) {
    r.arg_shapes.push_back(st.slots[n][0]);
    if (!shapeKnown(r.arg_shapes.back()))
      unknown.push_back(n->name + ": " + shapeStr(r.arg_shapes.back()));
  }
  for (Node *n : vars.auxiliary) {
    r.aux_shapes.push_back(st.slots[n][0]);
    if (!shapeKnown(r.aux_shapes.back()))
      unknown.push_back(n->name + ": " + shapeStr(r.aux_shapes.back()));
  }
  for (const Entry &e : outputs) {
    r.out_shapes.push_back(st.slots[e.node.get()][e.index]);
    if (!shapeKnown(r.out_shapes.back()))
      unknown.push_back(outputName(*e.node, e.index) + ": " +
                        shapeStr(r.out_shapes.back()));
  }
  r.complete = unknown.empty();
  if (!r.complete && !partial) {
    std::string list;
    for (const std::string &u : unknown)
      list += "\n\t" + u;
    throw Error("infer_shape: cannot decide the shapes of the following "
                "(0s in a shape mean unknown dimensions); consider giving "
                "them:" +
                list);
  }
  return r;
}

} // namespace

Symbol::ShapeResult
Symbol::infer_shape(const std::map<std::string, Shape> &shapes) const {
  return infer(outputs_, shapes, /*partial=*/false);
}

Symbol::ShapeResult
Symbol::infer_shape(const std::vector<Shape> &shapes) const {
  std::vector<std::string> args = list_arguments();
  if (shapes.size() > args.size())
    throw Error("infer_shape: " + std::to_string(shapes.size()) +
                " shapes given for " + std::to_string(args.size()) +
                " arguments");
  std::map<std::string, Shape> byName;
  for (size_t i = 0; i < shapes.size(); ++i)
    if (!shapes[i].empty())
      byName[args[i]] = shapes[i];
  return infer(outputs_, byName, /*partial=*/false);
}

Symbol::ShapeResult
Symbol::infer_shape_partial(const std::map<std::string, Shape> &shapes) const {
  return infer(outputs_, shapes, /*partial=*/true);
}

} // namespace mxjit::sym
