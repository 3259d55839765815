//===- GraphToFunc.cpp - a bound Symbol as one mx function ----------------===//

#include "sym/GraphToFunc.h"

#include "sym/Lowering.h"
#include "sym/OpRegistry.h"

#include "lowering/Autodiff.h"
#include "runtime/Diagnostics.h"
#include "runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"

#include <map>

using namespace mlir;

namespace mxjit::sym::detail {

namespace {

/// Index of every variable in the function's argument list.
llvm::DenseMap<const Node *, unsigned> argumentIndex(const Variables &vars) {
  llvm::DenseMap<const Node *, unsigned> index;
  for (Node *n : vars.arguments)
    index.try_emplace(n, index.size());
  for (Node *n : vars.auxiliary)
    index.try_emplace(n, index.size());
  return index;
}

void checkSpecs(const char *what, const std::vector<Node *> &nodes,
                const std::vector<TensorSpec> &specs) {
  if (nodes.size() != specs.size())
    throw Error(std::string("bind: the symbol has ") +
                std::to_string(nodes.size()) + " " + what + " but " +
                std::to_string(specs.size()) + " were given");
}

} // namespace

GraphFunction buildForward(MLIRContext &context,
                           const std::vector<Entry> &outputs,
                           const std::vector<TensorSpec> &argSpecs,
                           const std::vector<TensorSpec> &auxSpecs,
                           bool isTrain) {
  Variables vars = listVariables(outputs);
  checkSpecs("arguments", vars.arguments, argSpecs);
  checkSpecs("auxiliary states", vars.auxiliary, auxSpecs);

  OpBuilder b(&context);
  Location loc = NameLoc::get(b.getStringAttr("symbol"));
  GraphFunction g;
  g.module = ModuleOp::create(loc);
  g.entry = "forward";
  g.numOutputs = outputs.size();

  SmallVector<Type> argTypes;
  for (const TensorSpec &spec : argSpecs)
    argTypes.push_back(spec.toTensorType(context));
  for (const TensorSpec &spec : auxSpecs)
    argTypes.push_back(spec.toTensorType(context));
  b.setInsertionPointToEnd(g.module->getBody());
  auto fn = func::FuncOp::create(b, loc, g.entry,
                                 b.getFunctionType(argTypes, TypeRange()));
  Block *entry = fn.addEntryBlock();
  b.setInsertionPointToStart(entry);

  llvm::DenseMap<const Node *, unsigned> varIndex = argumentIndex(vars);
  llvm::DenseMap<const Node *, std::vector<Value>> values;
  for (auto [node, index] : varIndex)
    values[node] = {entry->getArgument(index)};

  Value seed;
  auto randomSeed = [&]() -> Value {
    if (!seed) {
      seed =
          entry->addArgument(RankedTensorType::get({2}, b.getI64Type()), loc);
      g.usesSeed = true;
    }
    return seed;
  };

  // The last update of each auxiliary state wins (a BatchNorm applied
  // twice to shared statistics updates them twice in MXNet too, in order).
  std::map<unsigned, Value> newAux;
  for (Node *node : topoOrder(outputs)) {
    if (node->isVariable())
      continue;
    std::vector<Value> inputs;
    for (const Entry &in : node->inputs) {
      const std::vector<Value> &produced = values[in.node.get()];
      if (in.index >= produced.size())
        throw Error("Error in operator " + node->name + ": input '" +
                    in.node->name + "' has no output " +
                    std::to_string(in.index));
      inputs.push_back(produced[in.index]);
    }
    LowerContext lc{b,          NameLoc::get(b.getStringAttr(node->name)),
                    isTrain,    *node,
                    randomSeed, {}};
    values[node] = lowerNode(lc, *node, inputs);
    for (auto &[inputIndex, value] : lc.auxUpdates) {
      const Node *state = node->inputs.at(inputIndex).node.get();
      auto it = varIndex.find(state);
      if (!state->isVariable() || it == varIndex.end() ||
          it->second < vars.arguments.size())
        throw Error("Error in operator " + node->name + ": auxiliary input " +
                    std::to_string(inputIndex) +
                    " must be an auxiliary-state variable");
      newAux[it->second - vars.arguments.size()] = value;
    }
  }

  SmallVector<Value> results;
  for (const Entry &out : outputs) {
    const std::vector<Value> &produced = values[out.node.get()];
    if (out.index >= produced.size())
      throw Error("bind: output " + std::to_string(out.index) + " of '" +
                  out.node->name + "' does not exist");
    results.push_back(produced[out.index]);
    if (isa<FloatType>(
            cast<RankedTensorType>(results.back().getType()).getElementType()))
      g.seededOutputs.push_back(results.size() - 1);
  }
  for (auto &[auxIndex, value] : newAux) {
    results.push_back(value);
    g.auxUpdated.push_back(auxIndex);
  }
  func::ReturnOp::create(b, loc, results);
  fn.setFunctionType(
      b.getFunctionType(entry->getArgumentTypes(), TypeRange(results)));
  return g;
}

GraphFunction buildTrain(MLIRContext &context,
                         const std::vector<Entry> &outputs,
                         const std::vector<TensorSpec> &argSpecs,
                         const std::vector<TensorSpec> &auxSpecs,
                         const std::vector<unsigned> &gradArgs) {
  GraphFunction g =
      buildForward(context, outputs, argSpecs, auxSpecs, /*isTrain=*/true);
  auto forward = g.module->lookupSymbol<func::FuncOp>(g.entry);
  if (g.seededOutputs.empty())
    throw Error("backward: the symbol has no floating-point output to "
                "differentiate");
  AutodiffOptions options;
  options.wrt = gradArgs;
  options.results = g.seededOutputs;
  options.seeds = true;
  options.keepForward = true;
  options.name = "train";
  DiagnosticCapture diagnostics(&context);
  FailureOr<func::FuncOp> train = differentiate(forward, options);
  if (failed(train))
    throw Error("backward: " + diagnostics.text());
  // Only @train is compiled: it recomputes nothing @forward had.
  (*train)->removeAttr("mx.gradient_of");
  forward.erase();
  g.entry = "train";
  g.gradArgs = gradArgs;
  return g;
}

uint64_t graphHash(const std::vector<Entry> &outputs) {
  std::vector<Node *> order = topoOrder(outputs);
  llvm::DenseMap<const Node *, unsigned> position;
  for (Node *n : order)
    position.try_emplace(n, position.size());
  llvm::hash_code h = llvm::hash_value(order.size());
  for (Node *n : order) {
    h = llvm::hash_combine(h, n->op);
    if (n->isVariable())
      continue;
    for (const auto &[key, value] : n->attrs)
      h = llvm::hash_combine(h, key, value);
    for (const Entry &in : n->inputs)
      h = llvm::hash_combine(h, position.lookup(in.node.get()), in.index);
  }
  for (const Entry &out : outputs)
    h = llvm::hash_combine(h, position.lookup(out.node.get()), out.index);
  return static_cast<uint64_t>(h);
}

} // namespace mxjit::sym::detail
