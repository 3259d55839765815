//===- Trace.cpp - a subgraph of NDArray nodes as an mx function ----------===//

#include "nd/Trace.h"

#include "ir/MxDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"

#include "llvm/ADT/DenseSet.h"
#include "llvm/ADT/Hashing.h"
#include "llvm/ADT/STLExtras.h"

using namespace mlir;

namespace mxjit::nd::detail {

Trace collectTrace(llvm::ArrayRef<NodePtr> roots,
                   llvm::function_ref<bool(const Node &)> expand) {
  Trace t;
  // An eager op on computed values, the usual case: the trace is the op,
  // its distinct inputs the leaves in order, as the walk below would find.
  // Skipping the walk's set and stack is a tenth of a cached op's dispatch.
  if (roots.size() == 1 && expand(*roots.front()) && !roots.front()->multi &&
      llvm::none_of(roots.front()->inputs,
                    [&](const NodePtr &in) { return expand(*in); })) {
    for (const NodePtr &in : roots.front()->inputs)
      if (t.leafIndex.try_emplace(in.get(), t.leaves.size()).second)
        t.leaves.push_back(in.get());
    t.nodeIndex[roots.front().get()] = 0;
    t.order.push_back(roots.front());
    return t;
  }
  llvm::SmallDenseSet<Node *, 16> visited;
  // Iterative post-order DFS; `order` keeps one owning pointer per node.
  for (const NodePtr &root : roots) {
    if (!visited.insert(root.get()).second)
      continue;
    if (!expand(*root)) {
      t.leafIndex[root.get()] = t.leaves.size();
      t.leaves.push_back(root.get());
      continue;
    }
    llvm::SmallVector<std::pair<NodePtr, size_t>, 16> stack{{root, 0}};
    while (!stack.empty()) {
      auto &[node, next] = stack.back();
      if (next < node->inputs.size()) {
        const NodePtr &in = node->inputs[next++];
        if (!visited.insert(in.get()).second)
          continue;
        if (expand(*in)) {
          stack.push_back({in, 0});
        } else {
          t.leafIndex[in.get()] = t.leaves.size();
          t.leaves.push_back(in.get());
        }
        continue;
      }
      t.nodeIndex[node.get()] = t.order.size();
      t.order.push_back(node);
      // The live results of a multi-result op come from the same call, so
      // they are computed together (their inputs are the node's, already
      // visited) instead of recomputing the op when read later.
      if (std::shared_ptr<MultiResult> multi = node->multi) {
        for (const std::weak_ptr<Node> &weak : multi->results) {
          NodePtr sibling = weak.lock();
          if (!sibling || !expand(*sibling) ||
              !visited.insert(sibling.get()).second)
            continue;
          t.nodeIndex[sibling.get()] = t.order.size();
          t.order.push_back(std::move(sibling));
        }
      }
      stack.pop_back();
    }
  }
  return t;
}

uint64_t structuralHash(const Trace &t, bool eraseBatch) {
  auto specHash = [&](const TensorSpec &spec) -> uint64_t {
    if (!eraseBatch || spec.shape.empty())
      return spec.hash();
    TensorSpec erased = spec;
    erased.shape.front() = TensorSpec::kDynamicDim;
    return erased.hash();
  };
  // reshape and broadcast_to spell their target shape out, batch size
  // included (the VJPs of reductions and broadcasts emit them), and so does
  // convolution_backward_data its data_shape: a family leaves the leading
  // entry out. makeBatchGeneric() turns a reshape's or broadcast's into a
  // copy of the batch dimension; convolution_backward_data takes a `?`
  // batch from its cotangent.
  auto attrsHash = [&](const Node &n) -> llvm::hash_code {
    llvm::StringRef shapeName =
        n.op == "mx.convolution_backward_data"              ? "data_shape"
        : n.op == "mx.reshape" || n.op == "mx.broadcast_to" ? "shape"
                                                            : "";
    if (!eraseBatch || !n.attrs || shapeName.empty())
      return llvm::hash_value(n.attrs.getAsOpaquePointer());
    llvm::hash_code a = llvm::hash_value('A');
    for (NamedAttribute attr : n.attrs) {
      auto shape = dyn_cast<DenseI64ArrayAttr>(attr.getValue());
      if (attr.getName() != shapeName || !shape || shape.empty()) {
        a = llvm::hash_combine(a, attr.getName().getAsOpaquePointer(),
                               attr.getValue().getAsOpaquePointer());
        continue;
      }
      a = llvm::hash_combine(
          a, attr.getName().getAsOpaquePointer(),
          llvm::hash_combine_range(shape.asArrayRef().begin() + 1,
                                   shape.asArrayRef().end()));
    }
    return a;
  };
  llvm::hash_code h = llvm::hash_value(t.order.size());
  // Results of one call hash as (first position of the call, result index),
  // which tells one call apart from two identical ones.
  llvm::SmallDenseMap<MultiResult *, unsigned, 4> calls;
  for (const NodePtr &n : t.order) {
    h = llvm::hash_combine(h, llvm::hash_value(n->op), attrsHash(*n),
                           specHash(n->spec));
    if (n->multi)
      h = llvm::hash_combine(
          h, 'M', calls.try_emplace(n->multi.get(), calls.size()).first->second,
          n->resultIndex);
    for (const NodePtr &in : n->inputs) {
      auto leaf = t.leafIndex.find(in.get());
      h = leaf != t.leafIndex.end()
              ? llvm::hash_combine(h, 'L', leaf->second)
              : llvm::hash_combine(h, 'N', t.nodeIndex.lookup(in.get()));
    }
  }
  for (Node *leaf : t.leaves)
    h = llvm::hash_combine(h, specHash(leaf->spec));
  for (Node *n : t.outputs) {
    auto leaf = t.leafIndex.find(n);
    h = leaf != t.leafIndex.end()
            ? llvm::hash_combine(h, 'P', leaf->second)
            : llvm::hash_combine(h, 'O', t.nodeIndex.lookup(n));
  }
  // A donated output is compiled to write over its argument.
  for (auto [leaf, out] : t.donations)
    h = llvm::hash_combine(h, 'D', leaf, out);
  return static_cast<uint64_t>(h);
}

OwningOpRef<ModuleOp> buildTraceModule(MLIRContext &ctx, const Trace &t,
                                       llvm::StringRef name) {
  OpBuilder b(&ctx);
  Location loc = UnknownLoc::get(&ctx);
  OwningOpRef<ModuleOp> module = ModuleOp::create(loc);
  SmallVector<Type> inputTypes, outputTypes;
  for (Node *leaf : t.leaves)
    inputTypes.push_back(leaf->spec.toTensorType(ctx));
  for (Node *n : t.outputs)
    outputTypes.push_back(n->spec.toTensorType(ctx));
  b.setInsertionPointToEnd(module->getBody());
  auto func = func::FuncOp::create(
      b, loc, name, FunctionType::get(&ctx, inputTypes, outputTypes));
  Block *body = func.addEntryBlock();
  b.setInsertionPointToEnd(body);
  llvm::DenseMap<Node *, Value> values;
  for (auto [i, leaf] : llvm::enumerate(t.leaves))
    values[leaf] = body->getArgument(i);
  // A multi-result op is created for its first result in the trace; the
  // others map to results of that op.
  llvm::DenseMap<MultiResult *, Operation *> calls;
  for (const NodePtr &n : t.order) {
    if (n->multi)
      if (Operation *op = calls.lookup(n->multi.get())) {
        values[n.get()] = op->getResult(n->resultIndex);
        continue;
      }
    OperationState state(loc, n->op);
    for (const NodePtr &in : n->inputs)
      state.addOperands(values.lookup(in.get()));
    state.addAttributes(n->attrs.getValue());
    if (n->multi)
      for (const TensorSpec &spec : n->multi->specs)
        state.addTypes(spec.toTensorType(ctx));
    else
      state.addTypes(n->spec.toTensorType(ctx));
    Operation *op = b.create(state);
    if (n->multi)
      calls[n->multi.get()] = op;
    values[n.get()] = op->getResult(n->resultIndex);
  }
  SmallVector<Value> results;
  for (Node *n : t.outputs)
    results.push_back(values.lookup(n));
  func::ReturnOp::create(b, loc, results);
  for (auto [leaf, out] : t.donations)
    func.setArgAttr(leaf, mx::kDonateAttrName, b.getI64IntegerAttr(out));
  return module;
}

} // namespace mxjit::nd::detail
