//===- Executor.cpp - forward and backward of a bound Symbol --------------===//

#include "sym/ExecutorImpl.h"

#include "nd/Engine.h"
#include "nd/Random.h"
#include "sym/Graph.h"

#include "runtime/CompileCache.h"
#include "runtime/Error.h"
#include "runtime/GenericBatch.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/Hashing.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>
#include <mutex>

namespace mxjit::sym {

using detail::GraphFunction;
using nd::NDArray;
using NodePtr = std::shared_ptr<nd::detail::Node>;

namespace {

mlir::MLIRContext &graphContext() {
  return nd::detail::Engine::get().context();
}

std::vector<std::string> names(const std::vector<detail::Node *> &nodes) {
  std::vector<std::string> out;
  for (const detail::Node *n : nodes)
    out.push_back(n->name);
  return out;
}

std::map<std::string, NDArray> dict(const std::vector<std::string> &keys,
                                    const std::vector<NDArray> &values) {
  std::map<std::string, NDArray> out;
  for (size_t i = 0; i < keys.size(); ++i)
    if (!values[i].empty())
      out.emplace(keys[i], values[i]);
  return out;
}

/// The value behind an array, computed now.
NodePtr valueOf(const NDArray &a) {
  a.wait_to_read();
  return a.node();
}

NDArray wrap(HostBuffer buffer, const Context &ctx) {
  return NDArray(nd::detail::Engine::get().constant(std::move(buffer), ctx));
}

/// The batch-size families of every executor's graphs (docs/runtime.md,
/// "Many batch sizes"): per process, like the compile cache, since a new
/// batch size is a new executor (simple_bind, reshape).
struct Families {
  std::mutex mutex;
  BatchFamilies families;
};
Families &families() {
  static auto *f = new Families();
  return *f;
}

/// The shape-generic variant of `g` (compiled as `staticKey` otherwise)
/// when its family has seen more than genericBatchThreshold() batch sizes,
/// or null: `g` then compiles statically. `batch` is the size it runs at;
/// `missed` tells whether it compiled.
std::shared_ptr<CompiledFunction>
genericVariant(const GraphFunction &g, const CacheKey &staticKey,
               const std::string &optionsPrefix, int64_t &batch, bool &missed) {
  unsigned threshold = genericBatchThreshold();
  if (threshold == 0)
    return nullptr;
  auto f = g.module.get().lookupSymbol<mlir::func::FuncOp>(g.entry);
  // Every argument, the seed and head gradients too: the variant's `?`
  // covers whichever of them carry the batch.
  std::vector<TensorSpec> specs;
  for (mlir::Type t : f.getArgumentTypes())
    specs.push_back(TensorSpec::fromType(t, "argument of @" + g.entry));
  uint64_t family = static_cast<uint64_t>(
      llvm::hash_combine(staticKey.fingerprint, staticKey.options,
                         staticKey.device, specs.size()));
  Families &fam = families();
  std::lock_guard<std::mutex> lock(fam.mutex);
  BatchFamilies::Decision d = fam.families.observe(family, specs, threshold);
  if (!d.generic)
    return nullptr;
  CompileOptions options;
  options.genericBatch = true;
  CacheKey withSpecs = staticKey;
  withSpecs.inputs = specs;
  CacheKey key =
      genericKey(withSpecs, family, d.batched, optionsPrefix, options);
  CompileCache &cache = defaultCompileCache();
  std::shared_ptr<CompiledFunction> fn = cache.lookup(key);
  try {
    if (!fn) {
      // makeBatchGeneric() leaves a refused function half rewritten; `g`
      // must stay usable for the static compile.
      mlir::OwningOpRef<mlir::ModuleOp> module = g.module.get().clone();
      auto generic = module->lookupSymbol<mlir::func::FuncOp>(g.entry);
      if (!makeBatchGeneric(generic, d.batched, d.batch)) {
        fam.families.retryLater(family);
        return nullptr;
      }
      fn = cache.getOrCompile(key, [&] {
        missed = true;
        return compile(*module, g.entry, options);
      });
    }
  } catch (const Error &) {
    // An op without a shape-generic lowering (convolution, pooling, ...):
    // this family compiles per size.
    fam.families.markStatic(family);
    return nullptr;
  }
  for (auto [spec, type] : llvm::zip(fn->outputs(), f.getResultTypes()))
    if (spec.withDynamicDims(d.batch) !=
        TensorSpec::fromType(type, "result of @" + g.entry)) {
      fam.families.markStatic(family);
      return nullptr;
    }
  batch = d.batch;
  return fn;
}

} // namespace

ExecutorImpl::ExecutorImpl(Symbol symbolIn, Context ctxIn,
                           std::vector<NDArray> argsIn,
                           std::vector<NDArray> gradsIn,
                           std::vector<GradReq> reqsIn,
                           std::vector<NDArray> auxIn)
    : symbol(std::move(symbolIn)), ctx(ctxIn), args(std::move(argsIn)),
      grads(std::move(gradsIn)), aux(std::move(auxIn)),
      reqs(std::move(reqsIn)) {
  checkContext(ctx);
  detail::Variables vars = detail::listVariables(symbol.entries());
  argNames = names(vars.arguments);
  auxNames = names(vars.auxiliary);
  outNames = symbol.list_outputs();
  if (args.size() != argNames.size() || grads.size() != argNames.size() ||
      reqs.size() != argNames.size() || aux.size() != auxNames.size())
    throw Error("bind: internal error: array lists do not match the symbol");
  for (size_t i = 0; i < args.size(); ++i) {
    if (args[i].empty())
      throw Error("bind: argument '" + argNames[i] + "' is not bound");
    if (reqs[i] == GradReq::Null)
      continue;
    if (grads[i].empty())
      throw Error("bind: argument '" + argNames[i] +
                  "' requests a gradient but has no gradient array");
    if (grads[i].shape() != args[i].shape())
      throw Error("bind: gradient array of '" + argNames[i] + "' has shape " +
                  TensorSpec(grads[i].shape(), grads[i].dtype()).str() +
                  " but the argument has " +
                  TensorSpec(args[i].shape(), args[i].dtype()).str());
    if (args[i].dtype() != DType::Float32 && args[i].dtype() != DType::Float64)
      throw Error("bind: argument '" + argNames[i] + "' has dtype " +
                  dtypeName(args[i].dtype()).str() +
                  " and cannot have a gradient");
    gradArgs_.push_back(i);
  }
  for (size_t i = 0; i < aux.size(); ++i)
    if (aux[i].empty())
      throw Error("bind: auxiliary state '" + auxNames[i] + "' is not bound");
  argDict = dict(argNames, args);
  gradDict = dict(argNames, grads);
  auxDict = dict(auxNames, aux);
  seedBase_ = nd::detail::nextRandomSeed();

  // Lowering now checks every shape against the bound arrays, so a bad
  // binding fails here, naming the operator, as in MXNet.
  GraphFunction g = build(Mode::Inference);
  auto fn = g.module->lookupSymbol<mlir::func::FuncOp>(g.entry);
  for (unsigned i = 0; i < g.numOutputs; ++i) {
    TensorSpec spec = TensorSpec::fromType(fn.getResultTypes()[i], outNames[i]);
    outputs.push_back(nd::zeros(spec.shape, ctx, spec.dtype));
  }
}

std::vector<TensorSpec> ExecutorImpl::argSpecs() const {
  std::vector<TensorSpec> specs;
  for (const NDArray &a : args)
    specs.emplace_back(a.shape(), a.dtype());
  return specs;
}

std::vector<TensorSpec> ExecutorImpl::auxSpecs() const {
  std::vector<TensorSpec> specs;
  for (const NDArray &a : aux)
    specs.emplace_back(a.shape(), a.dtype());
  return specs;
}

GraphFunction ExecutorImpl::build(Mode mode) const {
  if (mode == Mode::Train)
    return detail::buildTrain(graphContext(), symbol.entries(), argSpecs(),
                              auxSpecs(), gradArgs_);
  return detail::buildForward(graphContext(), symbol.entries(), argSpecs(),
                              auxSpecs(), mode == Mode::TrainForward);
}

ExecutorImpl::Compiled &ExecutorImpl::compiled(Mode mode) {
  auto it = compiled_.find(mode);
  if (it != compiled_.end())
    return it->second;

  static const char *modeNames[] = {"inference", "train-forward", "train"};
  CompileOptions options;
  CacheKey key;
  key.fingerprint = detail::graphHash(symbol.entries());
  key.inputs = argSpecs();
  for (TensorSpec &spec : auxSpecs())
    key.inputs.push_back(std::move(spec));
  key.options = std::string("sym;") + modeNames[static_cast<int>(mode)] + ";";
  if (mode == Mode::Train)
    for (unsigned i : gradArgs_)
      key.options += std::to_string(i) + ",";
  key.options += ";";
  std::string optionsPrefix = key.options;
  key.options += options.key();
  key.device = ctx.str();

  // The signature's bookkeeping is needed on cache hits too, and building
  // the module (no compile) is cheap next to running it.
  auto start = std::chrono::steady_clock::now();
  GraphFunction g = build(mode);
  bool missed = false;
  int64_t batch = -1;
  // A batch size compiled before keeps its static code; a new one may go to
  // the graph's shape-generic variant instead of compiling.
  std::shared_ptr<CompiledFunction> fn = defaultCompileCache().lookup(key);
  if (!fn)
    fn = genericVariant(g, key, optionsPrefix, batch, missed);
  if (!fn)
    fn = defaultCompileCache().getOrCompile(key, [&] {
      missed = true;
      return compile(*g.module, g.entry, options);
    });
  double ms = std::chrono::duration<double, std::milli>(
                  std::chrono::steady_clock::now() - start)
                  .count();
  if (missed && fn->loadedFromDisk()) {
    // The original compile's timings travel with the entry; this process
    // compiled nothing.
    ++stats.diskLoads;
    stats.loadMs += ms;
  } else if (missed) {
    stats.compileMs += ms;
    ++stats.compiles;
    stats.pipelineMs += fn->timings().pipelineMs;
    stats.llvmMs += fn->timings().llvmMs;
  }
  Compiled c;
  c.fn = std::move(fn);
  c.numOutputs = g.numOutputs;
  c.auxUpdated = g.auxUpdated;
  c.seededOutputs = g.seededOutputs;
  c.gradArgs = g.gradArgs;
  c.usesSeed = g.usesSeed;
  c.batch = batch;
  return compiled_.emplace(mode, std::move(c)).first->second;
}

ExecutorImpl::Snapshot ExecutorImpl::snapshot() {
  Snapshot s;
  for (const NDArray &a : args)
    s.args.push_back(valueOf(a));
  for (const NDArray &a : aux)
    s.aux.push_back(valueOf(a));
  s.seed = {static_cast<int64_t>(seedBase_), static_cast<int64_t>(calls_++)};
  return s;
}

void ExecutorImpl::run(Compiled &c, Snapshot &s,
                       const std::vector<NDArray> &headGrads) {
  std::vector<const void *> inputs;
  for (const NodePtr &n : s.args)
    inputs.push_back(n->value->data());
  for (const NodePtr &n : s.aux)
    inputs.push_back(n->value->data());
  if (c.usesSeed)
    inputs.push_back(s.seed.data());
  std::vector<NodePtr> heads;
  for (const NDArray &g : headGrads) {
    heads.push_back(valueOf(g));
    inputs.push_back(heads.back()->value->data());
  }

  const std::vector<TensorSpec> &outSpecs = c.fn->outputs();
  std::vector<HostBuffer> results;
  results.reserve(outSpecs.size());
  std::vector<void *> outPtrs;
  for (const TensorSpec &spec : outSpecs) {
    // The call writes every element.
    results.emplace_back(c.batch < 0 ? spec : spec.withDynamicDims(c.batch),
                         HostBuffer::Uninitialized{});
    outPtrs.push_back(results.back().data());
  }
  if (c.batch < 0)
    c.fn->call(inputs, outPtrs);
  else
    c.fn->callBatch(c.batch, inputs, outPtrs);
  ++stats.calls;

  size_t r = 0;
  for (unsigned i = 0; i < c.numOutputs; ++i, ++r)
    wrap(std::move(results[r]), ctx).copyto(outputs[i]);
  for (unsigned auxIndex : c.auxUpdated) {
    NDArray value = wrap(std::move(results[r++]), ctx);
    if (!s.auxApplied)
      value.copyto(aux[auxIndex]);
  }
  s.auxApplied = true;
  s.outputsDone = true;
  for (unsigned argIndex : c.gradArgs) {
    NDArray value = wrap(std::move(results[r++]), ctx);
    if (reqs[argIndex] == GradReq::Add)
      grads[argIndex] += value;
    else
      value.copyto(grads[argIndex]);
  }
}

void ExecutorImpl::settle() {
  if (pending_ && !pending_->outputsDone)
    run(compiled(Mode::TrainForward), *pending_);
}

void ExecutorImpl::forward(bool isTrain,
                           const std::map<std::string, NDArray> &kwargs) {
  for (const auto &[name, value] : kwargs) {
    auto it = argDict.find(name);
    if (it == argDict.end())
      throw Error("forward: '" + name + "' is not an argument of the symbol");
    value.copyto(it->second);
  }
  settle();
  pending_.reset();
  Snapshot s = snapshot();
  if (isTrain) {
    pending_ = std::move(s);
    return;
  }
  run(compiled(Mode::Inference), s);
}

void ExecutorImpl::backward(const std::vector<NDArray> &outGrads) {
  if (!pending_)
    throw Error("backward: call forward(is_train=true) first");
  if (gradArgs_.empty()) {
    settle();
    return;
  }
  Compiled &c = compiled(Mode::Train);
  std::vector<NDArray> heads;
  if (!outGrads.empty() && outGrads.size() != outputs.size())
    throw Error("backward: " + std::to_string(outGrads.size()) +
                " out_grads given for " + std::to_string(outputs.size()) +
                " outputs");
  for (unsigned i : c.seededOutputs) {
    if (outGrads.empty() || outGrads[i].empty()) {
      heads.push_back(nd::ones(outputs[i].shape(), ctx, outputs[i].dtype()));
      continue;
    }
    if (outGrads[i].shape() != outputs[i].shape())
      throw Error("backward: out_grads[" + std::to_string(i) + "] has shape " +
                  TensorSpec(outGrads[i].shape(), outGrads[i].dtype()).str() +
                  " but output '" + outNames[i] + "' has " +
                  TensorSpec(outputs[i].shape(), outputs[i].dtype()).str());
    heads.push_back(outGrads[i].dtype() == outputs[i].dtype()
                        ? outGrads[i]
                        : outGrads[i].astype(outputs[i].dtype()));
  }
  run(c, *pending_, heads);
}

std::string ExecutorImpl::debugMlir(bool isTrain) const {
  GraphFunction g =
      build(isTrain && !gradArgs_.empty() ? Mode::Train : Mode::Inference);
  std::string text;
  llvm::raw_string_ostream os(text);
  g.module->print(os);
  return text;
}

//===----------------------------------------------------------------------===//
// Executor
//===----------------------------------------------------------------------===//

Executor::Executor(std::shared_ptr<ExecutorImpl> impl)
    : impl_(std::move(impl)) {}

ExecutorImpl &Executor::impl() const {
  if (!impl_)
    throw Error("Executor: not bound (default-constructed executor)");
  return *impl_;
}

void Executor::forward(bool is_train,
                       const std::map<std::string, NDArray> &kwargs) {
  impl().forward(is_train, kwargs);
}
void Executor::backward(const std::vector<NDArray> &out_grads) {
  impl().backward(out_grads);
}
const std::vector<NDArray> &Executor::outputs() {
  impl().settle();
  return impl().outputs;
}
std::map<std::string, NDArray> Executor::output_dict() {
  impl().settle();
  return dict(impl().outNames, impl().outputs);
}
const std::map<std::string, NDArray> &Executor::arg_dict() const {
  return impl().argDict;
}
const std::map<std::string, NDArray> &Executor::grad_dict() const {
  return impl().gradDict;
}
const std::map<std::string, NDArray> &Executor::aux_dict() const {
  impl().settle();
  return impl().auxDict;
}
std::vector<NDArray> Executor::arg_arrays() const { return impl().args; }
std::vector<NDArray> Executor::grad_arrays() const { return impl().grads; }
std::vector<NDArray> Executor::aux_arrays() const {
  impl().settle();
  return impl().aux;
}

void Executor::copy_params_from(
    const std::map<std::string, NDArray> &arg_params,
    const std::map<std::string, NDArray> &aux_params, bool allow_extra_params) {
  auto copyInto = [&](const std::map<std::string, NDArray> &from,
                      std::map<std::string, NDArray> &to, const char *what) {
    for (const auto &[name, value] : from) {
      auto it = to.find(name);
      if (it == to.end()) {
        if (allow_extra_params)
          continue;
        throw Error(std::string("copy_params_from: '") + name + "' is not an " +
                    what + " of the symbol");
      }
      value.copyto(it->second);
    }
  };
  impl().settle();
  copyInto(arg_params, impl().argDict, "argument");
  copyInto(aux_params, impl().auxDict, "auxiliary state");
}

Executor::Stats Executor::stats() const { return impl().stats; }
std::string Executor::debug_mlir(bool is_train) const {
  return impl().debugMlir(is_train);
}
const Symbol &Executor::symbol() const { return impl().symbol; }

} // namespace mxjit::sym
