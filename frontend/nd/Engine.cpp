//===- Engine.cpp - records mx ops on NDArrays and evaluates them ---------===//
//
// Recording infers each result type with the mx dialect itself (a detached
// op is created, inferred and verified), so NDArray, Symbol and the dialect
// share one definition of every op. Evaluation turns the pending subgraph
// behind a value into one func.func, keyed in the runtime's compile cache by
// a structural hash of the trace: a loop repeating the same ops compiles on
// its first iteration only.
//
//===----------------------------------------------------------------------===//

#include "nd/Engine.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Jit.h"
#include "runtime/JitEngine.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/Hashing.h"

using namespace mlir;

namespace mxjit::nd::detail {

namespace {
Location unknownLoc(MLIRContext &ctx) { return UnknownLoc::get(&ctx); }

/// Creates `op` detached, with `resultTypes` (possibly none), on arguments of
/// a scratch block. The caller destroys it.
Operation *createDetached(MLIRContext &ctx, Block &scratch, OperationName name,
                          DictionaryAttr attrs, TypeRange resultTypes) {
  OperationState state(unknownLoc(ctx), name);
  state.addOperands(scratch.getArguments());
  if (attrs)
    state.addAttributes(attrs.getValue());
  state.addTypes(resultTypes);
  return Operation::create(state);
}
} // namespace

Attrs &Attrs::i64(llvm::StringRef name, int64_t v) {
  MLIRContext &ctx = Engine::get().context();
  attrs_.emplace_back(StringAttr::get(&ctx, name),
                      IntegerAttr::get(IntegerType::get(&ctx, 64), v));
  return *this;
}

Attrs &Attrs::f64(llvm::StringRef name, double v) {
  MLIRContext &ctx = Engine::get().context();
  attrs_.emplace_back(StringAttr::get(&ctx, name),
                      FloatAttr::get(Float64Type::get(&ctx), v));
  return *this;
}

Attrs &Attrs::boolean(llvm::StringRef name, bool v) {
  MLIRContext &ctx = Engine::get().context();
  attrs_.emplace_back(StringAttr::get(&ctx, name), BoolAttr::get(&ctx, v));
  return *this;
}

Attrs &Attrs::i64s(llvm::StringRef name, llvm::ArrayRef<int64_t> v) {
  MLIRContext &ctx = Engine::get().context();
  attrs_.emplace_back(StringAttr::get(&ctx, name),
                      DenseI64ArrayAttr::get(&ctx, v));
  return *this;
}

DictionaryAttr Attrs::get() const {
  return DictionaryAttr::get(&Engine::get().context(), attrs_);
}

Engine &Engine::get() {
  // Leaked on purpose, like defaultJit(): compiled code must not be torn
  // down by static destructors at exit.
  static Engine *engine = new Engine();
  return *engine;
}

Engine::Engine() = default;

MLIRContext &Engine::context() { return defaultJit().context(); }

NodePtr Engine::record(llvm::StringRef op, const std::vector<NodePtr> &inputs,
                       DictionaryAttr attrs,
                       std::optional<TensorSpec> resultType) {
  for (size_t i = 0; i < inputs.size(); ++i) {
    if (!inputs[i])
      throw Error(op.str() + ": input " + std::to_string(i) +
                  " is an empty NDArray");
    if (inputs[i]->context != inputs[0]->context)
      throw Error(op.str() + ": inputs are on different contexts (" +
                  inputs[0]->context.str() + " and " +
                  inputs[i]->context.str() + ")");
  }
  MLIRContext &ctx = context();
  std::lock_guard<std::mutex> lock(mutex_);
  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup(op, &ctx);
  if (!name)
    throw Error("unknown op '" + op.str() + "'");

  Block scratch;
  for (const NodePtr &in : inputs)
    scratch.addArgument(in->spec.toTensorType(ctx), unknownLoc(ctx));
  DiagnosticCapture diagnostics(&ctx);
  SmallVector<Type> types;
  if (resultType) {
    types.push_back(resultType->toTensorType(ctx));
  } else {
    Operation *probe = createDetached(ctx, scratch, *name, attrs, {});
    auto infer = dyn_cast<InferTypeOpInterface>(probe);
    LogicalResult inferred =
        infer ? infer.inferReturnTypes(
                    &ctx, probe->getLoc(), probe->getOperands(), attrs,
                    probe->getPropertiesStorage(), probe->getRegions(), types)
              : failure();
    probe->destroy();
    if (!infer)
      throw Error("'" + op.str() + "' needs an explicit result type");
    if (failed(inferred))
      throw Error(diagnostics.text());
  }
  // The op's own verifier (element types, attribute ranges) runs now, so a
  // bad call fails where it is made, as in MXNet.
  Operation *check = createDetached(ctx, scratch, *name, attrs, types);
  LogicalResult valid = verify(check, /*verifyRecursively=*/false);
  check->destroy();
  if (failed(valid))
    throw Error(diagnostics.text());

  auto node = std::make_shared<Node>();
  node->spec = TensorSpec::fromType(types.front(), op);
  node->context = inputs.empty() ? cpu() : inputs.front()->context;
  node->op = op.str();
  node->attrs = attrs;
  node->inputs = inputs;
  return node;
}

NodePtr Engine::constant(HostBuffer value, const Context &ctx) {
  auto node = std::make_shared<Node>();
  node->spec = value.spec();
  node->context = ctx;
  node->value = std::make_shared<HostBuffer>(std::move(value));
  return node;
}

namespace {
/// The pending subgraph behind a value, in a form that is cheap to key.
struct Trace {
  std::vector<NodePtr> order;  // pending nodes, operands first
  std::vector<Node *> leaves;  // materialized inputs
  std::vector<Node *> outputs; // pending nodes computed into buffers
  llvm::DenseMap<Node *, unsigned> nodeIndex, leafIndex;
};

Trace collect(const NodePtr &target) {
  Trace t;
  // Iterative post-order DFS over pending nodes; `order` keeps one owning
  // pointer per node.
  std::vector<std::pair<NodePtr, size_t>> stack{{target, 0}};
  llvm::DenseSet<Node *> visited{target.get()};
  while (!stack.empty()) {
    auto &[node, next] = stack.back();
    if (next < node->inputs.size()) {
      const NodePtr &in = node->inputs[next++];
      if (!visited.insert(in.get()).second)
        continue;
      if (in->pending()) {
        stack.push_back({in, 0});
      } else {
        t.leafIndex[in.get()] = t.leaves.size();
        t.leaves.push_back(in.get());
      }
      continue;
    }
    t.nodeIndex[node.get()] = t.order.size();
    t.order.push_back(node);
    stack.pop_back();
  }
  // A pending node is an output when it is the target or is held outside
  // the trace (by an NDArray, or by a pending node evaluated later): its
  // owners are then more than the trace's own references plus `order`'s.
  llvm::DenseMap<Node *, long> internal;
  for (const NodePtr &n : t.order)
    for (const NodePtr &in : n->inputs)
      ++internal[in.get()];
  for (const NodePtr &n : t.order)
    if (n == target || n.use_count() - internal[n.get()] - 1 > 0)
      t.outputs.push_back(n.get());
  return t;
}

/// A hash of the trace's structure: ops, attributes, wiring, specs and which
/// nodes are outputs. Attributes are uniqued in the context, so their
/// pointers identify them within the process, as the in-memory cache needs.
uint64_t structuralHash(const Trace &t) {
  llvm::hash_code h = llvm::hash_value(t.order.size());
  for (const NodePtr &n : t.order) {
    h = llvm::hash_combine(h, llvm::hash_value(n->op),
                           n->attrs.getAsOpaquePointer(), n->spec.hash());
    for (const NodePtr &in : n->inputs) {
      auto leaf = t.leafIndex.find(in.get());
      h = leaf != t.leafIndex.end()
              ? llvm::hash_combine(h, 'L', leaf->second)
              : llvm::hash_combine(h, 'N', t.nodeIndex.lookup(in.get()));
    }
  }
  for (Node *n : t.outputs)
    h = llvm::hash_combine(h, 'O', t.nodeIndex.lookup(n));
  return static_cast<uint64_t>(h);
}

/// The trace as `func.func @trace(leaves...) -> (outputs...)` of mx ops.
OwningOpRef<ModuleOp> buildModule(MLIRContext &ctx, const Trace &t) {
  OpBuilder b(&ctx);
  Location loc = unknownLoc(ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  SmallVector<Type> inputTypes, outputTypes;
  for (Node *leaf : t.leaves)
    inputTypes.push_back(leaf->spec.toTensorType(ctx));
  for (Node *n : t.outputs)
    outputTypes.push_back(n->spec.toTensorType(ctx));
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(
      b, loc, "trace", FunctionType::get(&ctx, inputTypes, outputTypes));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  llvm::DenseMap<Node *, Value> values;
  for (auto [i, leaf] : llvm::enumerate(t.leaves))
    values[leaf] = body->getArgument(i);
  for (const NodePtr &n : t.order) {
    OperationState state(loc, n->op);
    for (const NodePtr &in : n->inputs)
      state.addOperands(values.lookup(in.get()));
    state.addAttributes(n->attrs.getValue());
    state.addTypes(n->spec.toTensorType(ctx));
    values[n.get()] = b.create(state)->getResult(0);
  }
  SmallVector<Value> results;
  for (Node *n : t.outputs)
    results.push_back(values.lookup(n));
  func::ReturnOp::create(b, loc, results);
  return module;
}
} // namespace

void Engine::evaluate(const NodePtr &target) {
  if (!target || !target->pending())
    return;
  std::lock_guard<std::mutex> lock(mutex_);
  if (!target->pending())
    return;
  Trace t = collect(target);

  CompileOptions options;
  CacheKey key;
  key.fingerprint = structuralHash(t);
  for (Node *leaf : t.leaves)
    key.inputs.push_back(leaf->spec);
  key.options = "nd-trace;" + options.key();
  key.device = target->context.str();
  auto fn = defaultCompileCache().getOrCompile(key, [&] {
    OwningOpRef<ModuleOp> module = buildModule(context(), t);
    return compile(*module, "trace", options);
  });

  std::vector<const void *> inputs;
  for (Node *leaf : t.leaves)
    inputs.push_back(leaf->value->data());
  std::vector<std::shared_ptr<HostBuffer>> buffers;
  std::vector<void *> outputs;
  for (Node *n : t.outputs) {
    buffers.push_back(std::make_shared<HostBuffer>(n->spec));
    outputs.push_back(buffers.back()->data());
  }
  fn->call(inputs, outputs);
  // Materialize the outputs and let go of the graph behind them.
  for (auto [n, buffer] : llvm::zip(t.outputs, buffers)) {
    n->value = buffer;
    n->inputs.clear();
    n->attrs = nullptr;
    n->op.clear();
  }
}

CacheStats Engine::cacheStats() const { return defaultCompileCache().stats(); }

} // namespace mxjit::nd::detail
