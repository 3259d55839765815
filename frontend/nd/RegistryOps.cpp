//===- RegistryOps.cpp - registry ops on NDArrays (nd::Op) ----------------===//
//
// A registry op is lowered once per (op, parameters, input types, training)
// into a scratch function with sym::detail::lowerNode, the same path the
// Symbol executor takes, and each call replays that function's mx ops as
// pending NDArray nodes. The op thus has one definition for Symbol and
// NDArray, and its ops fuse, differentiate and cache like any NDArray op.
//
//===----------------------------------------------------------------------===//

#include "mxjit/nd_registry_ops.h"

#include "mxjit/autograd.h"
#include "nd/Engine.h"
#include "nd/Random.h"
#include "sym/Lowering.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include <mutex>
#include <unordered_map>

using namespace mlir;

namespace mxjit::nd {

namespace {

using detail::Engine;
using detail::NodePtr;
namespace sd = sym::detail;

/// One registry op lowered on typed placeholders: the func's arguments are
/// the inputs (then the random seed, when the op uses one), it returns the
/// op's outputs followed by the new values of its auxiliary inputs.
struct Lowering {
  OwningOpRef<ModuleOp> module;
  func::FuncOp fn;
  bool usesSeed = false;
  size_t numOutputs = 0;
  std::vector<unsigned> auxInputs;
};

std::mutex loweringsMutex;
std::unordered_map<std::string, std::shared_ptr<const Lowering>> &lowerings() {
  // Leaked like the engine: its ops live in the JIT's MLIR context.
  static auto *map =
      new std::unordered_map<std::string, std::shared_ptr<const Lowering>>();
  return *map;
}

std::string loweringKey(const sd::Node &node,
                        const std::vector<NDArray> &inputs, bool isTrain) {
  std::string key = node.op + (isTrain ? "|train" : "|infer");
  for (const auto &[k, v] : node.attrs) // sorted: a std::map
    key += "|" + k + "=" + v;
  for (const NDArray &in : inputs)
    key += "|" + in.node()->spec.str();
  return key;
}

std::shared_ptr<const Lowering> lowerOp(const sd::Node &node,
                                        const std::vector<NDArray> &inputs,
                                        bool isTrain) {
  std::string key = loweringKey(node, inputs, isTrain);
  std::lock_guard<std::mutex> lock(loweringsMutex);
  auto &cache = lowerings();
  if (auto it = cache.find(key); it != cache.end())
    return it->second;

  MLIRContext &ctx = Engine::get().context();
  OpBuilder b(&ctx);
  Location loc = NameLoc::get(b.getStringAttr(node.name));
  auto l = std::make_shared<Lowering>();
  l->module = ModuleOp::create(loc);
  b.setInsertionPointToEnd(l->module->getBody());
  SmallVector<Type> types;
  for (const NDArray &in : inputs)
    types.push_back(in.node()->spec.toTensorType(ctx));
  l->fn = func::FuncOp::create(b, loc, "op", b.getFunctionType(types, {}));
  Block *entry = l->fn.addEntryBlock();
  std::vector<Value> args(entry->args_begin(), entry->args_end());
  b.setInsertionPointToStart(entry);
  Value seed;
  auto randomSeed = [&]() -> Value {
    if (!seed) {
      seed =
          entry->addArgument(RankedTensorType::get({2}, b.getI64Type()), loc);
      l->usesSeed = true;
    }
    return seed;
  };
  sd::LowerContext lc{b, loc, isTrain, node, randomSeed, {}};
  std::vector<Value> results = sd::lowerNode(lc, node, args);
  SmallVector<Value> returned(results.begin(), results.end());
  l->numOutputs = results.size();
  for (auto &[index, value] : lc.auxUpdates) {
    returned.push_back(value);
    l->auxInputs.push_back(index);
  }
  func::ReturnOp::create(b, loc, returned);
  cache.emplace(std::move(key), l);
  return l;
}

/// The registry node for `op` with `kwargs` as parameters, checked as the
/// Symbol API checks it.
sd::Node makeNode(const std::string &op, size_t numInputs,
                  const sym::Kwargs &kwargs) {
  const sd::OpInfo *info = sd::lookupOp(op);
  if (!info)
    throw Error("nd::Op: unknown operator '" + op +
                "' (see sym::list_operators())");
  sd::Node node;
  node.op = info->name;
  node.name = info->name;
  node.info = info;
  for (const auto &[key, arg] : kwargs) {
    if (arg.isSymbol())
      throw Error("nd::Op(" + op + "): '" + key +
                  "' is a Symbol; pass arrays as inputs, in order");
    if (key == "name")
      continue;
    node.attrs[key] = arg.str();
  }
  if (!info->keyVarNumArgs.empty())
    node.attrs.emplace(info->keyVarNumArgs, std::to_string(numInputs));
  return node;
}

} // namespace

std::vector<NDArray> Op(const std::string &op,
                        const std::vector<NDArray> &inputs,
                        const sym::Kwargs &kwargs) {
  sd::Node node = makeNode(op, inputs.size(), kwargs);
  for (size_t i = 0; i < inputs.size(); ++i)
    if (inputs[i].empty())
      throw Error("nd::Op(" + op + "): input " + std::to_string(i) +
                  " is an empty NDArray");
  std::shared_ptr<const Lowering> l =
      lowerOp(node, inputs, autograd::is_training());

  std::vector<NodePtr> args;
  for (const NDArray &in : inputs)
    args.push_back(detail::inputNode(in));
  if (l->usesSeed) {
    // A fresh seed per call, drawn from nd::random's generator: the seed is
    // an argument, so calls still share one compiled function.
    auto seed = static_cast<int64_t>(detail::nextRandomSeed());
    args.push_back(Engine::get().constant(
        HostBuffer::fromValues<int64_t>(TensorSpec({2}, DType::Int64),
                                        {seed, 0}),
        inputs.empty() ? cpu() : inputs.front().context()));
  }
  func::FuncOp fn = l->fn; // a handle: the shared lowering stays const
  std::vector<NodePtr> results =
      Engine::get().replay(fn.getBody().front(), args);

  std::vector<NDArray> outputs;
  for (size_t i = 0; i < l->numOutputs; ++i)
    outputs.push_back(NDArray(results[i]));
  for (size_t k = 0; k < l->auxInputs.size(); ++k) {
    NodePtr update = results[l->numOutputs + k];
    // The moving statistics are state, not part of what backward
    // differentiates: cutting them off the tape also keeps one step's
    // tape from reaching into the next step's.
    if (!update->multi)
      update->recorded = false;
    NDArray target = inputs[l->auxInputs[k]]; // shares the caller's handle
    NDArray(update).copyto(target);
  }
  return outputs;
}

namespace {
NDArray first(const std::string &op, const std::vector<NDArray> &inputs,
              const sym::Kwargs &kwargs) {
  return Op(op, inputs, kwargs).front();
}
} // namespace

NDArray FullyConnected(const std::vector<NDArray> &inputs,
                       const sym::Kwargs &kwargs) {
  return first("FullyConnected", inputs, kwargs);
}
NDArray Convolution(const std::vector<NDArray> &inputs,
                    const sym::Kwargs &kwargs) {
  return first("Convolution", inputs, kwargs);
}
NDArray Pooling(const NDArray &data, const sym::Kwargs &kwargs) {
  return first("Pooling", {data}, kwargs);
}
NDArray Activation(const NDArray &data, const sym::Kwargs &kwargs) {
  return first("Activation", {data}, kwargs);
}
NDArray BatchNorm(const std::vector<NDArray> &inputs,
                  const sym::Kwargs &kwargs) {
  return first("BatchNorm", inputs, kwargs);
}
NDArray Dropout(const NDArray &data, const sym::Kwargs &kwargs) {
  return first("Dropout", {data}, kwargs);
}
NDArray Flatten(const NDArray &data) { return first("Flatten", {data}, {}); }
NDArray SoftmaxOutput(const NDArray &data, const NDArray &label,
                      const sym::Kwargs &kwargs) {
  return first("SoftmaxOutput", {data, label}, kwargs);
}

} // namespace mxjit::nd
