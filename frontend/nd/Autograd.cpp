//===- Autograd.cpp - record, backward and grad on the NDArray graph ------===//
//
// The tape is the NDArray graph itself: recorded nodes keep their inputs.
// backward() collects the recorded subgraph behind the heads (leaves: the
// arrays it starts from), builds it as an mx function, differentiates it
// with mxjit::differentiate (cached per tape structure) and replays the
// gradient function's ops as new nodes (Engine::replay, multi-result ops
// included), which evaluate lazily through the same trace cache as every
// NDArray op.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"

#include "lowering/Autodiff.h"
#include "nd/AutogradState.h"
#include "nd/Engine.h"
#include "nd/Trace.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/Hashing.h"

#include <mutex>
#include <unordered_map>

using namespace mlir;

namespace mxjit::autograd {

using nd::NDArray;
using nd::detail::autogradState;
using nd::detail::Engine;
using nd::detail::Node;
using nd::detail::NodePtr;
using nd::detail::Trace;
using nd::detail::Var;

Scope::Scope(std::optional<bool> recording, std::optional<bool> training) {
  auto &state = autogradState();
  prevRecording_ = state.recording;
  prevTraining_ = state.training;
  if (recording)
    state.recording = *recording;
  if (training)
    state.training = *training;
}

Scope::~Scope() {
  autogradState().recording = prevRecording_;
  autogradState().training = prevTraining_;
}

Scope record(bool train_mode) { return Scope(true, train_mode); }
Scope pause(bool train_mode) { return Scope(false, train_mode); }
Scope train_mode() { return Scope(std::nullopt, true); }
Scope predict_mode() { return Scope(std::nullopt, false); }

bool is_recording() { return autogradState().recording; }
bool is_training() { return autogradState().training; }

bool set_recording(bool recording) {
  return std::exchange(autogradState().recording, recording);
}
bool set_training(bool training) {
  return std::exchange(autogradState().training, training);
}

namespace {
Var::GradReq toVarReq(nd::GradReq req) {
  switch (req) {
  case nd::GradReq::Null:
    return Var::GradReq::Null;
  case nd::GradReq::Write:
    return Var::GradReq::Write;
  case nd::GradReq::Add:
    return Var::GradReq::Add;
  }
  return Var::GradReq::Write;
}

void attach(const NDArray &x, const NDArray &gradient, nd::GradReq req,
            const char *what) {
  if (x.empty())
    throw Error(std::string(what) + ": the NDArray is empty");
  if (x.dtype() != DType::Float32 && x.dtype() != DType::Float64)
    throw Error(std::string(what) +
                ": only floating-point arrays have "
                "gradients, not " +
                dtypeName(x.dtype()).str());
  if (gradient.shape() != x.shape() || gradient.dtype() != x.dtype())
    throw Error(std::string(what) + ": gradient " +
                TensorSpec(gradient.shape(), gradient.dtype()).str() +
                " does not match the array " +
                TensorSpec(x.shape(), x.dtype()).str());
  x.var()->grad = gradient.var();
  x.var()->gradReq = toVarReq(req);
  x.node()->variable = x.var();
}

/// The gradient function of one tape structure (and choice of variables),
/// kept so that a training loop differentiates once.
struct GradTemplate {
  OwningOpRef<ModuleOp> module;
  func::FuncOp gradient;
};

std::mutex templatesMutex;
std::unordered_map<uint64_t, std::shared_ptr<GradTemplate>> &templates() {
  static auto *map =
      new std::unordered_map<uint64_t, std::shared_ptr<GradTemplate>>();
  return *map;
}

std::shared_ptr<GradTemplate> gradientOf(const Trace &tape,
                                         llvm::ArrayRef<unsigned> wrt) {
  uint64_t key = nd::detail::structuralHash(tape);
  for (unsigned i : wrt)
    key = llvm::hash_combine(key, i);
  std::lock_guard<std::mutex> lock(templatesMutex);
  auto &cache = templates();
  if (auto it = cache.find(key); it != cache.end())
    return it->second;
  auto t = std::make_shared<GradTemplate>();
  t->module =
      nd::detail::buildTraceModule(Engine::get().context(), tape, "tape");
  auto f = *t->module->getOps<func::FuncOp>().begin();
  AutodiffOptions options;
  options.wrt.assign(wrt.begin(), wrt.end());
  options.seeds = true;
  options.keepForward = false;
  FailureOr<func::FuncOp> gradient = differentiate(f, options);
  if (failed(gradient))
    throw Error("autograd: the recorded graph cannot be differentiated");
  t->gradient = *gradient;
  cache.emplace(key, t);
  return t;
}

/// Owning pointers of a trace's leaves (the trace keeps raw ones).
std::vector<NodePtr> leafPointers(const Trace &t) {
  std::vector<NodePtr> leaves(t.leaves.size());
  for (const NodePtr &n : t.order)
    for (const NodePtr &in : n->inputs)
      if (auto it = t.leafIndex.find(in.get()); it != t.leafIndex.end())
        leaves[it->second] = in;
  return leaves;
}

/// Cotangents summed per node.
class Cotangents {
public:
  void add(Node *n, const NodePtr &g) {
    NodePtr &slot = map_[n];
    slot = slot ? (NDArray(slot) + NDArray(g)).node() : g;
  }
  NodePtr get(Node *n) const { return map_.lookup(n); }

private:
  llvm::DenseMap<Node *, NodePtr> map_;
};

/// The mx ops of the tape: recorded, and not the output of a custom Function
/// (whose gradient comes from its backward instead).
bool isTapeOp(const Node &n) { return n.recorded && !n.custom; }

/// Sends the cotangents `seeds` of `roots` through the recorded mx ops
/// behind them (one differentiated function) into the `wanted` nodes.
void propagate(const std::vector<NodePtr> &roots,
               const std::vector<NodePtr> &seeds,
               llvm::function_ref<bool(const Node &)> wanted, Cotangents &cot,
               bool createGraph) {
  std::vector<NodePtr> opRoots, opSeeds;
  for (size_t i = 0; i < roots.size(); ++i) {
    if (isTapeOp(*roots[i])) {
      opRoots.push_back(roots[i]);
      opSeeds.push_back(seeds[i]);
    } else if (wanted(*roots[i])) {
      cot.add(roots[i].get(), seeds[i]);
    }
  }
  if (opRoots.empty())
    return;
  Trace tape = nd::detail::collectTrace(opRoots, isTapeOp);
  for (const NodePtr &r : opRoots)
    tape.outputs.push_back(r.get());
  std::vector<NodePtr> leaves = leafPointers(tape);
  std::vector<unsigned> wrt;
  for (unsigned i = 0; i < leaves.size(); ++i)
    if (wanted(*leaves[i]))
      wrt.push_back(i);
  if (wrt.empty())
    return;
  std::shared_ptr<GradTemplate> t = gradientOf(tape, wrt);
  std::vector<NodePtr> args = leaves;
  args.insert(args.end(), opSeeds.begin(), opSeeds.end());
  std::vector<NodePtr> grads;
  {
    // With create_graph the gradient's own ops go on the tape.
    Scope scope(createGraph, std::nullopt);
    grads = Engine::get().replay(t->gradient.getBody().front(), args);
  }
  for (size_t k = 0; k < wrt.size(); ++k)
    cot.add(leaves[wrt[k]].get(), grads[k]);
}

/// The custom Function calls behind the heads, consumers first.
std::vector<std::shared_ptr<nd::detail::CustomCall>>
customCalls(const std::vector<NodePtr> &heads) {
  Trace all =
      nd::detail::collectTrace(heads, [](const Node &n) { return n.recorded; });
  std::vector<std::shared_ptr<nd::detail::CustomCall>> calls;
  llvm::DenseSet<nd::detail::CustomCall *> seen;
  for (const NodePtr &n : all.order) // operands first
    if (n->custom && seen.insert(n->custom.get()).second)
      calls.push_back(n->custom);
  std::reverse(calls.begin(), calls.end());
  return calls;
}

/// Gradients of sum(heads * seeds) with respect to `targets` (nodes), as
/// pending nodes, through recorded mx ops and custom Functions; a target the
/// heads do not depend on gets zeros.
std::vector<NodePtr> gradients(const std::vector<NDArray> &heads,
                               const std::vector<NDArray> &headGrads,
                               const std::vector<NodePtr> &targets,
                               bool createGraph, const char *what) {
  if (heads.empty())
    throw Error(std::string(what) + ": needs at least one head");
  if (!headGrads.empty() && headGrads.size() != heads.size())
    throw Error(std::string(what) + ": " + std::to_string(headGrads.size()) +
                " head gradients for " + std::to_string(heads.size()) +
                " heads");
  std::vector<NodePtr> roots, seeds;
  for (size_t i = 0; i < heads.size(); ++i) {
    NodePtr h = heads[i].node();
    if (!h || !h->recorded)
      throw Error(std::string(what) + ": head " + std::to_string(i) +
                  " is not part of a recorded graph: compute it inside "
                  "autograd::record() from arrays with attach_grad(), and "
                  "pass retain_graph=true to differentiate a graph twice");
    roots.push_back(h);
    if (!headGrads.empty() && !headGrads[i].empty()) {
      if (headGrads[i].shape() != heads[i].shape())
        throw Error(
            std::string(what) + ": head gradient " + std::to_string(i) +
            " has shape " +
            TensorSpec(headGrads[i].shape(), headGrads[i].dtype()).str() +
            " but the head has " +
            TensorSpec(heads[i].shape(), heads[i].dtype()).str());
      seeds.push_back(headGrads[i].node());
    } else {
      seeds.push_back(
          nd::ones(heads[i].shape(), heads[i].context(), heads[i].dtype())
              .node());
    }
  }

  llvm::DenseSet<Node *> targetSet;
  for (const NodePtr &t : targets)
    targetSet.insert(t.get());
  auto wanted = [&](const Node &n) {
    return targetSet.count(const_cast<Node *>(&n)) || n.custom;
  };
  Cotangents cot;
  propagate(roots, seeds, wanted, cot, createGraph);
  // Each custom Function after every op that consumes its outputs.
  for (const auto &call : customCalls(roots)) {
    std::vector<NDArray> outGrads;
    bool any = false;
    for (size_t i = 0; i < call->outputs.size(); ++i) {
      NodePtr out = call->outputs[i].lock();
      NodePtr g = out ? cot.get(out.get()) : nullptr;
      any |= g != nullptr;
      outGrads.push_back(g ? NDArray(g)
                           : nd::zeros(call->outputSpecs[i].shape,
                                       call->context,
                                       call->outputSpecs[i].dtype));
    }
    if (!any)
      continue;
    std::vector<NDArray> inGrads;
    {
      Scope scope(createGraph, std::nullopt);
      inGrads = call->function->backward(outGrads);
    }
    if (inGrads.size() != call->inputs.size())
      throw Error(std::string(what) +
                  ": a custom Function's backward returned " +
                  std::to_string(inGrads.size()) + " gradients for " +
                  std::to_string(call->inputs.size()) + " inputs");
    std::vector<NodePtr> inputs, inSeeds;
    for (size_t i = 0; i < inGrads.size(); ++i) {
      if (inGrads[i].empty())
        continue;
      if (inGrads[i].shape() != call->inputs[i]->spec.shape)
        throw Error(std::string(what) +
                    ": a custom Function's backward returned a gradient of "
                    "shape " +
                    TensorSpec(inGrads[i].shape(), inGrads[i].dtype()).str() +
                    " for input " + std::to_string(i) + " of shape " +
                    call->inputs[i]->spec.str());
      inputs.push_back(call->inputs[i]);
      inSeeds.push_back(inGrads[i].node());
    }
    propagate(inputs, inSeeds, wanted, cot, createGraph);
  }

  std::vector<NodePtr> out;
  for (const NodePtr &t : targets) {
    NodePtr g = cot.get(t.get());
    out.push_back(
        g ? g : nd::zeros(t->spec.shape, t->context, t->spec.dtype).node());
  }
  return out;
}

/// Computes `arrays` with one compiled function.
void evaluateAll(const std::vector<NDArray> &arrays) {
  std::vector<NodePtr> nodes;
  for (const NDArray &a : arrays)
    nodes.push_back(a.node());
  nd::detail::Engine::get().evaluate(nodes);
}

/// Frees the recorded graph behind the heads (MXNet's retain_graph=false).
void freeTape(const std::vector<NDArray> &heads) {
  std::vector<NodePtr> roots;
  for (const NDArray &h : heads)
    roots.push_back(h.node());
  Trace tape =
      nd::detail::collectTrace(roots, [](const Node &n) { return n.recorded; });
  for (const NodePtr &n : tape.order) {
    n->recorded = false;
    n->custom.reset();
    if (!n->pending()) {
      n->inputs.clear();
      n->attrs = nullptr;
      n->op.clear();
      n->multi.reset();
    }
  }
}
} // namespace

void mark_variables(const std::vector<NDArray> &variables,
                    const std::vector<NDArray> &gradients,
                    const std::vector<nd::GradReq> &grad_reqs) {
  if (variables.size() != gradients.size())
    throw Error("mark_variables: " + std::to_string(variables.size()) +
                " variables but " + std::to_string(gradients.size()) +
                " gradients");
  if (!grad_reqs.empty() && grad_reqs.size() != variables.size())
    throw Error("mark_variables: " + std::to_string(grad_reqs.size()) +
                " grad_reqs for " + std::to_string(variables.size()) +
                " variables");
  for (size_t i = 0; i < variables.size(); ++i)
    attach(variables[i], gradients[i],
           grad_reqs.empty() ? nd::GradReq::Write : grad_reqs[i],
           "mark_variables");
}

void backward(const std::vector<NDArray> &heads,
              const std::vector<NDArray> &head_grads, bool retain_graph,
              bool train_mode) {
  Scope scope(false, train_mode);
  // Every variable the heads depend on through the tape.
  std::vector<NodePtr> roots;
  for (const NDArray &h : heads)
    roots.push_back(h.node());
  Trace tape =
      nd::detail::collectTrace(roots, [](const Node &n) { return n.recorded; });
  std::vector<NodePtr> nodes;
  std::vector<std::shared_ptr<Var>> vars;
  for (const NodePtr &leaf : leafPointers(tape)) {
    std::shared_ptr<Var> var = leaf ? leaf->variable.lock() : nullptr;
    if (!var || !var->grad || var->gradReq == Var::GradReq::Null)
      continue;
    nodes.push_back(leaf);
    vars.push_back(var);
  }
  std::vector<NodePtr> grads =
      gradients(heads, head_grads, nodes, false, "backward");
  std::vector<NDArray> updated;
  for (size_t i = 0; i < vars.size(); ++i) {
    std::shared_ptr<Var> &g = vars[i]->grad;
    if (vars[i]->gradReq == Var::GradReq::Add)
      g->node = (NDArray(g) + NDArray(grads[i])).node();
    else
      g->node = grads[i];
    updated.push_back(NDArray(g));
  }
  if (!retain_graph)
    freeTape(heads);
  // Gradients are computed now, as MXNet's backward does, so later updates
  // of the variables cannot leak in: all in one compiled function, with the
  // pending forward pass behind them (and pending optimizer updates before
  // it), so a training step is one call.
  evaluateAll(updated);
}

std::vector<NDArray> grad(const std::vector<NDArray> &heads,
                          const std::vector<NDArray> &variables,
                          const std::vector<NDArray> &head_grads,
                          std::optional<bool> retain_graph, bool create_graph,
                          bool train_mode) {
  Scope scope(false, train_mode);
  std::vector<NodePtr> nodes;
  for (size_t i = 0; i < variables.size(); ++i) {
    if (variables[i].empty())
      throw Error("grad: variable " + std::to_string(i) + " is empty");
    nodes.push_back(variables[i].node());
  }
  std::vector<NodePtr> grads =
      gradients(heads, head_grads, nodes, create_graph, "grad");
  if (!retain_graph.value_or(create_graph))
    freeTape(heads);
  std::vector<NDArray> out;
  for (const NodePtr &g : grads)
    out.push_back(NDArray(g));
  evaluateAll(out);
  return out;
}

std::vector<NDArray> Function::operator()(const std::vector<NDArray> &inputs) {
  std::shared_ptr<Function> self = weak_from_this().lock();
  if (!self)
    throw Error("autograd::Function: create it with std::make_shared before "
                "calling it");
  bool onTape = false;
  auto call = std::make_shared<nd::detail::CustomCall>();
  for (size_t i = 0; i < inputs.size(); ++i) {
    NodePtr node = nd::detail::inputNode(inputs[i]);
    if (!node)
      throw Error("autograd::Function: input " + std::to_string(i) +
                  " is empty");
    onTape |= node->recorded || node->isVariable();
    call->inputs.push_back(node);
  }
  onTape &= is_recording();
  std::vector<NDArray> outputs;
  {
    Scope paused(false, std::nullopt);
    outputs = forward(inputs);
  }
  if (!onTape)
    return outputs;
  call->function = self;
  call->context = inputs.empty() ? cpu() : inputs.front().context();
  std::vector<NDArray> results;
  for (NDArray &out : outputs) {
    out.wait_to_read();
    auto node = std::make_shared<Node>();
    node->spec = out.node()->spec;
    node->context = out.context();
    node->value = out.node()->value; // immutable: shared, not copied
    node->recorded = true;
    node->inputs = call->inputs;
    node->custom = call;
    call->outputs.push_back(node);
    call->outputSpecs.push_back(node->spec);
    results.push_back(NDArray(node));
  }
  return results;
}

NDArray Function::operator()(const NDArray &input) {
  std::vector<NDArray> outputs = (*this)(std::vector<NDArray>{input});
  if (outputs.size() != 1)
    throw Error("autograd::Function: forward returned " +
                std::to_string(outputs.size()) +
                " outputs; call it with a vector of inputs to get them all");
  return outputs.front();
}

} // namespace mxjit::autograd

namespace mxjit::nd {

void NDArray::attach_grad(GradReq req) {
  autograd::attach(*this, zeros(shape(), context(), dtype()), req,
                   "attach_grad");
}

NDArray NDArray::grad() const {
  checked("grad");
  if (!var_->grad)
    throw Error("grad: this array has no gradient; call attach_grad() "
                "before recording");
  return NDArray(var_->grad);
}

NDArray NDArray::detach() const {
  wait_to_read();
  auto node = std::make_shared<detail::Node>();
  node->spec = var_->node->spec;
  node->context = var_->node->context;
  node->value = var_->node->value; // buffers are immutable: share it
  return NDArray(node);
}

void NDArray::backward(const NDArray &out_grad, bool retain_graph,
                       bool train_mode) const {
  autograd::backward({*this},
                     out_grad.empty() ? std::vector<NDArray>{}
                                      : std::vector<NDArray>{out_grad},
                     retain_graph, train_mode);
}

} // namespace mxjit::nd
