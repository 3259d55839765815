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
#include "nd/AutogradState.h"
#include "nd/Trace.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/GenericBatch.h"
#include "runtime/Jit.h"
#include "runtime/JitEngine.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringMap.h"

#include <cstring>

#include <cstdlib>
#include <string_view>

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

void Attrs::append(llvm::StringRef name, Kind kind, const void *value,
                   size_t size) {
  auto raw = [&](const void *p, size_t n) {
    bytes_.append(static_cast<const char *>(p),
                  static_cast<const char *>(p) + n);
  };
  uint32_t length = name.size();
  raw(&length, sizeof(length));
  raw(name.data(), name.size());
  raw(&kind, sizeof(kind));
  raw(value, size);
}

Attrs &Attrs::i64(llvm::StringRef name, int64_t v) {
  append(name, Kind::I64, &v, sizeof(v));
  return *this;
}

Attrs &Attrs::f64(llvm::StringRef name, double v) {
  append(name, Kind::F64, &v, sizeof(v));
  return *this;
}

Attrs &Attrs::boolean(llvm::StringRef name, bool v) {
  uint8_t b = v;
  append(name, Kind::Bool, &b, sizeof(b));
  return *this;
}

Attrs &Attrs::i64s(llvm::StringRef name, llvm::ArrayRef<int64_t> v) {
  // The count first, so that the bytes stay decodable (and two lists never
  // spell the same key).
  uint32_t count = v.size();
  llvm::SmallVector<char, 64> value(sizeof(count) + v.size() * sizeof(int64_t));
  std::memcpy(value.data(), &count, sizeof(count));
  if (!v.empty())
    std::memcpy(value.data() + sizeof(count), v.data(),
                v.size() * sizeof(int64_t));
  append(name, Kind::I64s, value.data(), value.size());
  return *this;
}

DictionaryAttr Attrs::get() const {
  // Per thread, so a hit takes no lock; the dictionaries live in the
  // engine's context, which lives as long as the process.
  thread_local llvm::StringMap<DictionaryAttr> cache;
  auto hit = cache.find(bytes_);
  if (hit != cache.end())
    return hit->second;

  MLIRContext &ctx = Engine::get().context();
  llvm::SmallVector<NamedAttribute, 4> attrs;
  llvm::StringRef rest = bytes_;
  auto take = [&](void *out, size_t n) {
    std::memcpy(out, rest.data(), n);
    rest = rest.drop_front(n);
  };
  while (!rest.empty()) {
    uint32_t length;
    take(&length, sizeof(length));
    StringAttr name = StringAttr::get(&ctx, rest.take_front(length));
    rest = rest.drop_front(length);
    Kind kind;
    take(&kind, sizeof(kind));
    Attribute value;
    switch (kind) {
    case Kind::I64: {
      int64_t v;
      take(&v, sizeof(v));
      value = IntegerAttr::get(IntegerType::get(&ctx, 64), v);
      break;
    }
    case Kind::F64: {
      double v;
      take(&v, sizeof(v));
      value = FloatAttr::get(Float64Type::get(&ctx), v);
      break;
    }
    case Kind::Bool: {
      uint8_t v;
      take(&v, sizeof(v));
      value = BoolAttr::get(&ctx, v != 0);
      break;
    }
    case Kind::I64s: {
      uint32_t count;
      take(&count, sizeof(count));
      llvm::SmallVector<int64_t, 8> v(count);
      if (count)
        take(v.data(), count * sizeof(int64_t));
      value = DenseI64ArrayAttr::get(&ctx, v);
      break;
    }
    }
    attrs.emplace_back(name, value);
  }
  DictionaryAttr dict = DictionaryAttr::get(&ctx, attrs);
  // Bounded: a loop over ever new scalars keeps only recent dictionaries.
  if (cache.size() >= 4096)
    cache.clear();
  cache.try_emplace(bytes_, dict);
  return dict;
}

Engine &Engine::get() {
  // Leaked on purpose, like defaultJit(): compiled code must not be torn
  // down by static destructors at exit.
  static Engine *engine = new Engine();
  return *engine;
}

Engine::Engine() {
  const char *env = std::getenv("MXJIT_DONATE");
  donate_ = !env || std::string_view(env) != "0";
}

MLIRContext &Engine::context() { return defaultJit().context(); }

void Engine::resultTypes(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                         DictionaryAttr attrs, llvm::ArrayRef<TensorSpec> given,
                         SmallVectorImpl<TensorSpec> &specs) {
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
  // A loop records the same ops on the same types over and over: creating
  // the two detached ops below was most of an eager op's cost.
  const void *attrsPtr = attrs.getAsOpaquePointer();
  llvm::hash_code h = llvm::hash_combine(llvm::hash_value(op), attrsPtr);
  for (const NodePtr &in : inputs)
    h = llvm::hash_combine(h, in->spec.hash());
  for (const TensorSpec &spec : given)
    h = llvm::hash_combine(h, 'G', spec.hash());
  uint64_t hash = static_cast<uint64_t>(h);
  if (auto hit = checkedSignatures_.find(hash);
      hit != checkedSignatures_.end()) {
    for (const CheckedSignature &c : hit->second) {
      if (c.op != op || c.attrs != attrsPtr ||
          c.inputs.size() != inputs.size() ||
          llvm::ArrayRef<TensorSpec>(c.given) != given)
        continue;
      bool same = true;
      for (size_t i = 0; i < inputs.size() && same; ++i)
        same = c.inputs[i] == inputs[i]->spec;
      if (!same)
        continue;
      specs.append(c.results.begin(), c.results.end());
      return;
    }
  }
  std::optional<RegisteredOperationName> name =
      RegisteredOperationName::lookup(op, &ctx);
  if (!name)
    throw Error("unknown op '" + op.str() + "'");

  SmallVector<Type, 4> types;
  Block scratch;
  for (const NodePtr &in : inputs)
    scratch.addArgument(in->spec.toTensorType(ctx), unknownLoc(ctx));
  DiagnosticCapture diagnostics(&ctx);
  if (!given.empty()) {
    for (const TensorSpec &spec : given)
      types.push_back(spec.toTensorType(ctx));
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
  CheckedSignature checked{op.str(), attrsPtr, {}, given.vec(), {}};
  for (const NodePtr &in : inputs)
    checked.inputs.push_back(in->spec);
  for (Type type : types)
    checked.results.push_back(TensorSpec::fromType(type, op));
  specs.append(checked.results.begin(), checked.results.end());
  checkedSignatures_[hash].push_back(std::move(checked));
}

NodePtr Engine::makeNode(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                         DictionaryAttr attrs, TensorSpec spec) {
  auto node = std::make_shared<Node>();
  node->spec = std::move(spec);
  node->context = inputs.empty() ? cpu() : inputs.front()->context;
  node->op = op.str();
  node->attrs = attrs;
  node->inputs.assign(inputs.begin(), inputs.end());
  // On the tape: ops recorded inside autograd::record() that depend on a
  // variable (directly or through other recorded ops).
  node->recorded =
      autogradState().recording && llvm::any_of(inputs, [](const NodePtr &in) {
        return in->recorded || in->isVariable();
      });
  return node;
}

NodePtr Engine::record(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                       DictionaryAttr attrs,
                       std::optional<TensorSpec> resultType) {
  SmallVector<TensorSpec, 1> specs;
  resultTypes(op, inputs, attrs,
              resultType ? llvm::ArrayRef<TensorSpec>(*resultType)
                         : llvm::ArrayRef<TensorSpec>(),
              specs);
  if (specs.size() != 1)
    throw Error("'" + op.str() + "' has " + std::to_string(specs.size()) +
                " results; record it with recordMulti");
  return makeNode(op, inputs, attrs, std::move(specs.front()));
}

std::vector<NodePtr>
Engine::recordMulti(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                    DictionaryAttr attrs,
                    std::optional<std::vector<TensorSpec>> given) {
  if (given && given->empty())
    throw Error(op.str() + ": recordMulti needs at least one result type");
  SmallVector<TensorSpec, 4> specs;
  resultTypes(op, inputs, attrs,
              given ? llvm::ArrayRef<TensorSpec>(*given)
                    : llvm::ArrayRef<TensorSpec>(),
              specs);
  auto multi = std::make_shared<MultiResult>();
  std::vector<NodePtr> nodes;
  for (auto [i, spec] : llvm::enumerate(specs)) {
    multi->specs.push_back(std::move(spec));
    NodePtr node = makeNode(op, inputs, attrs, multi->specs.back());
    node->multi = multi;
    node->resultIndex = i;
    multi->results.push_back(node);
    nodes.push_back(std::move(node));
  }
  return nodes;
}

std::vector<NodePtr> Engine::replay(Block &body,
                                    const std::vector<NodePtr> &args) {
  if (args.size() != body.getNumArguments())
    throw Error("replay: " + std::to_string(args.size()) +
                " arguments for a block of " +
                std::to_string(body.getNumArguments()));
  llvm::DenseMap<Value, NodePtr> values;
  for (auto [arg, node] : llvm::zip(body.getArguments(), args))
    values[arg] = node;
  for (Operation &op : body.without_terminator()) {
    std::vector<NodePtr> inputs;
    for (Value v : op.getOperands())
      inputs.push_back(values.lookup(v));
    llvm::StringRef name = op.getName().getStringRef();
    // The types are known: only the verifier runs again.
    if (op.getNumResults() == 1) {
      Value result = op.getResult(0);
      values[result] = record(name, inputs, op.getAttrDictionary(),
                              TensorSpec::fromType(result.getType(), name));
      continue;
    }
    std::vector<TensorSpec> specs;
    for (Type type : op.getResultTypes())
      specs.push_back(TensorSpec::fromType(type, name));
    std::vector<NodePtr> results =
        recordMulti(name, inputs, op.getAttrDictionary(), specs);
    for (auto [result, node] : llvm::zip(op.getResults(), results))
      values[result] = node;
  }
  std::vector<NodePtr> results;
  for (Value v : body.getTerminator()->getOperands())
    results.push_back(values.lookup(v));
  return results;
}

NodePtr Engine::constant(HostBuffer value, const Context &ctx) {
  auto node = std::make_shared<Node>();
  node->spec = value.spec();
  node->context = ctx;
  node->value = std::make_shared<HostBuffer>(std::move(value));
  return node;
}

void Engine::evaluate(const NodePtr &target) {
  if (!target || !target->pending())
    return;
  std::lock_guard<std::mutex> lock(mutex_);
  evaluateLocked(target);
}

void Engine::evaluate(const std::vector<NodePtr> &nodes) {
  auto isPending = [](const NodePtr &n) { return n && n->pending(); };
  if (llvm::none_of(nodes, isPending))
    return;
  std::lock_guard<std::mutex> lock(mutex_);
  // Usually every target is on one context: one function, no grouping.
  const NodePtr &first = *llvm::find_if(nodes, isPending);
  if (llvm::all_of(nodes, [&](const NodePtr &n) {
        return !isPending(n) || n->context == first->context;
      })) {
    llvm::SmallVector<NodePtr, 8> targets;
    llvm::copy_if(nodes, std::back_inserter(targets), isPending);
    evaluateLocked(targets);
    return;
  }
  // One function per context, in the order the contexts first appear.
  std::vector<std::pair<std::string, std::vector<NodePtr>>> groups;
  for (const NodePtr &n : nodes) {
    if (!isPending(n))
      continue;
    std::string device = n->context.str();
    auto it = llvm::find_if(groups, [&](auto &g) { return g.first == device; });
    if (it == groups.end())
      groups.push_back({device, {n}});
    else
      it->second.push_back(n);
  }
  for (auto &[device, targets] : groups)
    evaluateLocked(targets);
}

void Engine::evaluateLocked(llvm::ArrayRef<NodePtr> targets) {
  Trace t = collectTrace(targets, [](const Node &n) { return n.pending(); });
  if (t.order.empty())
    return;
  // A pending node is an output when it is a target or is held outside the
  // trace (by an NDArray, or by a pending node evaluated later): its owners
  // are then more than the trace's own references plus `order`'s. Targets
  // count as outputs whoever holds them.
  if (t.order.size() == 1) {
    // Only a target can be alone in its trace.
    t.outputs.push_back(t.order.front().get());
  } else {
    llvm::SmallDenseSet<Node *, 4> wanted;
    for (const NodePtr &n : targets)
      wanted.insert(n.get());
    llvm::SmallDenseMap<Node *, long, 8> internal;
    for (const NodePtr &n : t.order)
      for (const NodePtr &in : n->inputs)
        ++internal[in.get()];
    for (const NodePtr &n : t.order) {
      long external = n.use_count() - internal[n.get()] - 1;
      if (wanted.contains(n.get()) || external > 0)
        t.outputs.push_back(n.get());
    }
  }

  if (donate_)
    chooseDonations(t);

  const Context &device = targets.front()->context;
  uint64_t fingerprint = structuralHash(t);
  uint64_t frontKey = static_cast<uint64_t>(llvm::hash_combine(
      fingerprint, static_cast<int>(device.type), device.id));
  std::shared_ptr<CompiledFunction> fn;
  llvm::SmallVector<CompiledTrace, 1> &candidates = compiled_[frontKey];
  for (CompiledTrace &c : candidates) {
    if (c.fingerprint != fingerprint || !(c.context == device) ||
        c.leaves.size() != t.leaves.size())
      continue;
    bool same = true;
    for (size_t i = 0; i < t.leaves.size() && same; ++i)
      same = c.leaves[i] == t.leaves[i]->spec;
    if (same && (fn = c.fn.lock())) {
      ++frontHits_;
      break;
    }
  }

  llvm::SmallVector<const void *, 8> inputs;
  for (Node *leaf : t.leaves)
    inputs.push_back(leaf->value->data());
  llvm::SmallVector<std::shared_ptr<HostBuffer>, 4> buffers(t.outputs.size());
  llvm::SmallVector<void *, 4> outputs(t.outputs.size());
  // A donated output is computed in its leaf's buffer, which it keeps.
  for (auto [leaf, out] : t.donations)
    buffers[out] = t.leaves[leaf]->value;
  donated_ += t.donations.size();
  for (auto [n, buffer, data] : llvm::zip(t.outputs, buffers, outputs)) {
    // The call writes every element.
    if (!buffer)
      buffer =
          std::make_shared<HostBuffer>(n->spec, HostBuffer::Uninitialized{});
    data = buffer->data();
  }

  if (!fn) {
    // The options are the defaults, which do not change while the process
    // runs; their key is built once.
    static const CompileOptions options;
    static const std::string optionsKey = "nd-trace;" + options.key();
    CacheKey key;
    key.fingerprint = fingerprint;
    for (Node *leaf : t.leaves)
      key.inputs.push_back(leaf->spec);
    key.options = optionsKey;
    key.device = device.str();
    CompileCache &cache = defaultCompileCache();
    // A batch size this trace was compiled for keeps its static code; a new
    // one may go to the trace's shape-generic variant instead of compiling.
    fn = cache.lookup(key);
    if (!fn) {
      if (runGeneric(t, key, inputs, outputs))
        return materialize(t, buffers);
      fn = cache.getOrCompile(key, [&] {
        OwningOpRef<ModuleOp> module = buildTraceModule(context(), t, "trace");
        return compile(*module, "trace", options);
      });
    }
    // Bounded: a process tracing ever new graphs keeps the newest ones.
    if (compiled_.size() > 4096) {
      compiled_.clear();
      compiled_[frontKey];
    }
    llvm::SmallVector<CompiledTrace, 1> &slot = compiled_[frontKey];
    llvm::erase_if(slot, [&](const CompiledTrace &c) {
      return c.fingerprint == fingerprint && c.context == device &&
             c.leaves == key.inputs;
    });
    slot.push_back(CompiledTrace{fingerprint, key.inputs, device, fn});
  }
  fn->call(inputs, outputs);
  materialize(t, buffers);
}

void Engine::chooseDonations(Trace &t) {
  // A leaf is free when its buffer is its own (detach() and gluon's data
  // share buffers between nodes), it has the type of some output, and only
  // pending nodes of this trace hold it (its node's owners are exactly their
  // input references: no NDArray, no later pending op, no saved tape), none
  // of them recorded (autograd keeps a recorded op's inputs for its
  // backward). The cheap tests come first: this runs for every eager op.
  llvm::SmallVector<Node *, 4> free;
  for (Node *leaf : t.leaves) {
    if (!leaf->value || leaf->value.use_count() != 1 ||
        llvm::none_of(t.outputs,
                      [&](const Node *o) { return o->spec == leaf->spec; }))
      continue;
    long uses = 0, owners = 0;
    bool kept = false;
    for (const NodePtr &n : t.order)
      for (const NodePtr &in : n->inputs)
        if (in.get() == leaf) {
          ++uses;
          owners = in.use_count();
          kept |= n->recorded;
        }
    if (uses == owners && !kept)
      free.push_back(leaf);
  }
  if (free.empty())
    return;
  // Breadth first through ancestors of the output's own type, so the chain
  // of an update (w' = w + mom', mom' = mom * m - step) finds w for w' and
  // mom for mom'.
  for (auto [o, n] : llvm::enumerate(t.outputs)) {
    if (free.empty())
      break;
    if (!t.nodeIndex.count(n))
      continue;
    llvm::SmallVector<Node *, 8> queue{n};
    llvm::SmallDenseSet<Node *, 8> seen{n};
    for (size_t q = 0; q < queue.size() && queue.size() < 64; ++q) {
      Node *found = nullptr;
      for (const NodePtr &in : queue[q]->inputs) {
        Node *p = in.get();
        if (p->spec != n->spec || !seen.insert(p).second)
          continue;
        if (llvm::is_contained(free, p)) {
          found = p;
          break;
        }
        if (t.nodeIndex.count(p))
          queue.push_back(p);
      }
      if (found) {
        t.donations.push_back(
            {t.leafIndex.lookup(found), static_cast<unsigned>(o)});
        llvm::erase(free, found);
        break;
      }
    }
  }
}

bool Engine::runGeneric(const Trace &t, const CacheKey &staticKey,
                        llvm::ArrayRef<const void *> inputs,
                        llvm::ArrayRef<void *> outputs) {
  unsigned threshold = genericBatchThreshold();
  if (threshold == 0)
    return false;
  uint64_t family = structuralHash(t, /*eraseBatch=*/true);
  BatchFamilies::Decision d =
      families_.observe(family, staticKey.inputs, threshold);
  if (!d.generic)
    return false;
  CompileOptions options;
  options.genericBatch = true;
  CacheKey key = genericKey(staticKey, family, d.batched, "nd-trace;", options);
  std::shared_ptr<CompiledFunction> fn = defaultCompileCache().lookup(key);
  try {
    if (!fn) {
      OwningOpRef<ModuleOp> module = buildTraceModule(context(), t, "trace");
      auto f = *module->getOps<func::FuncOp>().begin();
      if (!makeBatchGeneric(f, d.batched, d.batch)) {
        families_.retryLater(family);
        return false;
      }
      fn = defaultCompileCache().getOrCompile(
          key, [&] { return compile(*module, "trace", options); });
    }
  } catch (const Error &) {
    // Ops whose lowering needs static shapes, or a batch dimension that
    // does not propagate as one `?`: this family compiles per size.
    families_.markStatic(family);
    return false;
  }
  // Every `?` of the variant stands for the batch size; the trace's own
  // (static) output types must be what the variant computes.
  for (auto [n, spec] : llvm::zip(t.outputs, fn->outputs()))
    if (spec.withDynamicDims(d.batch) != n->spec) {
      families_.markStatic(family);
      return false;
    }
  fn->callBatch(d.batch, inputs, outputs);
  return true;
}

void Engine::materialize(const Trace &t,
                         llvm::ArrayRef<std::shared_ptr<HostBuffer>> buffers) {
  // Materialize the outputs and let go of the graph behind them, unless
  // autograd still needs it.
  for (auto [n, buffer] : llvm::zip(t.outputs, buffers)) {
    n->value = buffer;
    if (n->recorded)
      continue;
    n->inputs.clear();
    n->attrs = nullptr;
    n->op.clear();
    n->multi.reset();
  }
}

CacheStats Engine::cacheStats() {
  CacheStats stats = defaultCompileCache().stats();
  std::lock_guard<std::mutex> lock(mutex_);
  stats.hits += frontHits_;
  return stats;
}

} // namespace mxjit::nd::detail
