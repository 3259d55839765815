//===- Lowering.cpp - one Symbol node as mx-dialect ops -------------------===//

#include "sym/Lowering.h"

#include "runtime/Diagnostics.h"

#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

using namespace mlir;

namespace mxjit::sym::detail {

Error opError(const Node &node, const std::string &message) {
  return Error("Error in operator " + node.name + " (" + node.op +
               "): " + message);
}

bool isUserAttrKey(const std::string &key) {
  return key.size() > 4 && key.compare(0, 2, "__") == 0 &&
         key.compare(key.size() - 2, 2, "__") == 0;
}

void validateParams(const OpInfo &info, const Node &node) {
  for (const auto &[key, value] : node.attrs) {
    if (isUserAttrKey(key) || key == info.keyVarNumArgs)
      continue;
    bool known = false;
    for (const auto &param : info.params)
      known |= param.first == key;
    if (known)
      continue;
    std::string list;
    for (const auto &param : info.params)
      list += (list.empty() ? "" : ", ") + param.first;
    throw opError(node,
                  "unknown parameter '" + key + "'" +
                      (list.empty()
                           ? " (" + info.name + " takes no parameters)"
                           : "; parameters of " + info.name + " are: " + list));
  }
  if (info.check) {
    Params params(node.attrs, node.op, node.name);
    info.check(params);
  }
}

Operation *createOp(LowerContext &ctx, llvm::StringRef name,
                    ValueRange operands, llvm::ArrayRef<NamedAttribute> attrs,
                    TypeRange resultTypes) {
  MLIRContext *mctx = ctx.builder.getContext();
  std::optional<RegisteredOperationName> opName =
      RegisteredOperationName::lookup(name, mctx);
  if (!opName)
    throw Error("'" + name.str() + "' is not an op of the loaded dialects");
  DiagnosticCapture diagnostics(mctx);
  auto failWith = [&](const std::string &fallback) {
    return Error(diagnostics.empty() ? fallback : diagnostics.text());
  };

  SmallVector<Type> types(resultTypes.begin(), resultTypes.end());
  if (types.empty()) {
    // Inferring first, on a detached probe, keeps a bad call (mismatched
    // shapes) a thrown error: the ops' inferring builders would abort.
    OperationState probeState(ctx.loc, *opName);
    probeState.addOperands(operands);
    probeState.addAttributes(attrs);
    Operation *probe = Operation::create(probeState);
    auto infer = dyn_cast<InferTypeOpInterface>(probe);
    LogicalResult inferred =
        infer ? infer.inferReturnTypes(
                    mctx, probe->getLoc(), probe->getOperands(),
                    DictionaryAttr::get(mctx, attrs),
                    probe->getPropertiesStorage(), probe->getRegions(), types)
              : failure();
    probe->destroy();
    if (!infer)
      throw Error("'" + name.str() + "' needs an explicit result type");
    if (failed(inferred))
      throw failWith("cannot infer the result type of '" + name.str() + "'");
  }

  OperationState state(ctx.loc, *opName);
  state.addOperands(operands);
  state.addAttributes(attrs);
  state.addTypes(types);
  Operation *op = ctx.builder.create(state);
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    Error error = failWith("'" + name.str() + "' failed to verify");
    op->erase();
    throw error;
  }
  return op;
}

NamedAttribute i64Attr(LowerContext &ctx, llvm::StringRef name, int64_t v) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getI64IntegerAttr(v));
}

NamedAttribute f64Attr(LowerContext &ctx, llvm::StringRef name, double v) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getF64FloatAttr(v));
}

NamedAttribute boolAttr(LowerContext &ctx, llvm::StringRef name, bool v) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getBoolAttr(v));
}

NamedAttribute i64sAttr(LowerContext &ctx, llvm::StringRef name,
                        llvm::ArrayRef<int64_t> v) {
  return ctx.builder.getNamedAttr(name, ctx.builder.getDenseI64ArrayAttr(v));
}

llvm::ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

std::vector<Value> lowerNode(LowerContext &ctx, const Node &node,
                             const std::vector<Value> &inputs) {
  if (node.isVariable())
    throw Error("lowerNode: '" + node.name + "' is a variable, not an op");
  const OpInfo *info = node.info ? node.info : lookupOp(node.op);
  if (!info)
    throw opError(node, "operator is not registered");

  // The ops this call creates are those between `before` and the insertion
  // point afterwards; remembering the boundary lets a failure remove them.
  Block *block = ctx.builder.getInsertionBlock();
  Block::iterator ip = ctx.builder.getInsertionPoint();
  Operation *before = ip == block->begin() ? nullptr : &*std::prev(ip);
  auto created = [&] {
    std::vector<Operation *> ops;
    Block::iterator it =
        before ? std::next(before->getIterator()) : block->begin();
    for (; it != ctx.builder.getInsertionPoint(); ++it)
      ops.push_back(&*it);
    return ops;
  };
  size_t auxUpdates = ctx.auxUpdates.size();

  try {
    validateParams(*info, node);
    Params params(node.attrs, node.op, node.name);
    size_t expected = info->inputs ? info->inputs(params).size() : 1;
    if (!info->keyVarNumArgs.empty())
      expected = static_cast<size_t>(params.i64(info->keyVarNumArgs));
    if (inputs.size() != expected)
      throw opError(node, "expects " + std::to_string(expected) +
                              " inputs, got " + std::to_string(inputs.size()));
    for (size_t i = 0; i < inputs.size(); ++i)
      if (!inputs[i] || !isa<RankedTensorType>(inputs[i].getType()))
        throw opError(node, "input " + std::to_string(i) +
                                " is not a ranked tensor value");
    if (!info->lower)
      throw opError(node, "operator cannot be lowered");

    DiagnosticCapture diagnostics(ctx.builder.getContext());
    std::vector<Value> results = info->lower(ctx, params, inputs);
    if (results.size() != numOutputs(node))
      throw opError(node, "lowering produced " +
                              std::to_string(results.size()) + " values for " +
                              std::to_string(numOutputs(node)) + " outputs");
    for (Operation *op : created())
      if (failed(verify(op, /*verifyRecursively=*/false)))
        throw opError(node, diagnostics.empty() ? "created op failed to verify"
                                                : diagnostics.text());
    return results;
  } catch (const Error &e) {
    std::vector<Operation *> ops = created();
    for (auto it = ops.rbegin(); it != ops.rend(); ++it) {
      (*it)->dropAllUses();
      (*it)->erase();
    }
    ctx.auxUpdates.resize(auxUpdates);
    std::string message = e.what();
    if (message.rfind("Error in operator", 0) == 0)
      throw;
    throw opError(node, message);
  }
}

} // namespace mxjit::sym::detail
