//===- Autograd.cpp - record, backward and grad on the NDArray graph ------===//
//
// The tape is the NDArray graph itself: recorded nodes keep their inputs.
// backward() collects the recorded subgraph behind the heads (leaves: the
// arrays it starts from), builds it as an mx function, differentiates it
// with mxjit::differentiate (cached per tape structure) and replays the
// gradient function's ops as new nodes, which evaluate lazily through the
// same trace cache as every NDArray op.
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

/// Replays `g`'s ops as NDArray nodes on `args`.
std::vector<NodePtr> replay(func::FuncOp g, const std::vector<NodePtr> &args) {
  llvm::DenseMap<Value, NodePtr> values;
  for (auto [arg, node] : llvm::zip(g.getArguments(), args))
    values[arg] = node;
  for (Operation &op : g.getBody().front().without_terminator()) {
    std::vector<NodePtr> inputs;
    for (Value v : op.getOperands())
      inputs.push_back(values.lookup(v));
    Value result = op.getResult(0);
    TensorSpec spec = TensorSpec::fromType(result.getType(), "gradient");
    values[result] = Engine::get().record(op.getName().getStringRef(), inputs,
                                          op.getAttrDictionary(), spec);
  }
  std::vector<NodePtr> results;
  for (Value v : g.getBody().front().getTerminator()->getOperands())
    results.push_back(values.lookup(v));
  return results;
}

/// Gradients of sum(heads * seeds) with respect to `variables` (nodes),
/// as pending nodes; a variable the heads do not depend on gets zeros.
std::vector<NodePtr> differentiateTape(const std::vector<NDArray> &heads,
                                       const std::vector<NDArray> &headGrads,
                                       const std::vector<NodePtr> &variables,
                                       bool createGraph, const char *what) {
  if (heads.empty())
    throw Error(std::string(what) + ": needs at least one head");
  if (!headGrads.empty() && headGrads.size() != heads.size())
    throw Error(std::string(what) + ": " + std::to_string(headGrads.size()) +
                " head gradients for " + std::to_string(heads.size()) +
                " heads");
  std::vector<NodePtr> headNodes;
  for (size_t i = 0; i < heads.size(); ++i) {
    NodePtr h = heads[i].node();
    if (!h || !h->recorded)
      throw Error(std::string(what) + ": head " + std::to_string(i) +
                  " is not part of a recorded graph: compute it inside "
                  "autograd::record() from arrays with attach_grad(), and "
                  "pass retain_graph=true to differentiate a graph twice");
    headNodes.push_back(h);
  }
  Trace tape = nd::detail::collectTrace(
      headNodes, [](const Node &n) { return n.recorded; });
  for (const NodePtr &h : headNodes)
    tape.outputs.push_back(h.get());

  std::vector<unsigned> wrt;
  std::vector<int> slot(variables.size(), -1);
  for (size_t i = 0; i < variables.size(); ++i) {
    auto it = tape.leafIndex.find(variables[i].get());
    if (it == tape.leafIndex.end())
      continue;
    auto pos = std::find(wrt.begin(), wrt.end(), it->second);
    slot[i] = pos - wrt.begin();
    if (pos == wrt.end())
      wrt.push_back(it->second);
  }

  std::vector<NodePtr> args = leafPointers(tape);
  for (size_t i = 0; i < heads.size(); ++i) {
    if (!headGrads.empty() && !headGrads[i].empty()) {
      if (headGrads[i].shape() != heads[i].shape())
        throw Error(
            std::string(what) + ": head gradient " + std::to_string(i) +
            " has shape " +
            TensorSpec(headGrads[i].shape(), headGrads[i].dtype()).str() +
            " but the head has " +
            TensorSpec(heads[i].shape(), heads[i].dtype()).str());
      args.push_back(headGrads[i].node());
    } else {
      args.push_back(
          nd::ones(heads[i].shape(), heads[i].context(), heads[i].dtype())
              .node());
    }
  }

  std::vector<NodePtr> grads;
  if (!wrt.empty()) {
    std::shared_ptr<GradTemplate> t = gradientOf(tape, wrt);
    // With create_graph the gradient's own ops go on the tape.
    Scope scope(createGraph, std::nullopt);
    grads = replay(t->gradient, args);
  }
  std::vector<NodePtr> out;
  for (size_t i = 0; i < variables.size(); ++i)
    out.push_back(slot[i] >= 0 ? grads[slot[i]]
                               : nd::zeros(variables[i]->spec.shape,
                                           variables[i]->context,
                                           variables[i]->spec.dtype)
                                     .node());
  return out;
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
    if (!n->pending()) {
      n->inputs.clear();
      n->attrs = nullptr;
      n->op.clear();
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
      differentiateTape(heads, head_grads, nodes, false, "backward");
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
  // Gradients are computed now (one compiled function for all of them), as
  // MXNet's backward does, so later updates of the variables cannot leak in.
  for (const NDArray &g : updated)
    g.wait_to_read();
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
      differentiateTape(heads, head_grads, nodes, create_graph, "grad");
  if (!retain_graph.value_or(create_graph))
    freeTape(heads);
  std::vector<NDArray> out;
  for (const NodePtr &g : grads)
    out.push_back(NDArray(g));
  for (const NDArray &g : out)
    g.wait_to_read();
  return out;
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
