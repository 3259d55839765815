//===- Node.h - one value of the lazy NDArray graph -------------*- C++ -*-===//
//
// An NDArray is a handle to a Node. A node is either materialized (it owns a
// host buffer) or pending: the result of an mx op on other nodes, recorded
// but not yet computed. Reading a value evaluates the pending nodes it
// depends on as one compiled function.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_ND_NODE_H
#define MXJIT_FRONTEND_ND_NODE_H

#include "mxjit/context.h"
#include "runtime/HostBuffer.h"
#include "runtime/TensorSpec.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <memory>
#include <string>
#include <vector>

namespace mxjit::autograd {
class Function;
} // namespace mxjit::autograd

namespace mxjit::nd::detail {

struct Node;

/// One call of a custom autograd::Function on the tape: its outputs are
/// recorded nodes whose gradient comes from the Function's backward.
struct CustomCall {
  std::shared_ptr<autograd::Function> function;
  std::vector<std::shared_ptr<Node>> inputs;
  std::vector<std::weak_ptr<Node>> outputs;
  std::vector<TensorSpec> outputSpecs;
  Context context;
};

/// One call of an op with several results (mx.batch_norm): each result is
/// its own node (`resultIndex`), and the nodes share this record so that a
/// trace creates the op once and maps every result it needs.
struct MultiResult {
  /// The types of all results, also of those whose nodes are gone.
  std::vector<TensorSpec> specs;
  /// The result nodes, weak: a dropped result is not computed.
  std::vector<std::weak_ptr<Node>> results;
};

struct Node {
  TensorSpec spec;
  Context context;
  /// Set once the value is computed (or was given).
  std::shared_ptr<HostBuffer> value;
  /// For a pending node: the op ("mx.add"), its attributes and operands.
  std::string op;
  mlir::DictionaryAttr attrs;
  std::vector<std::shared_ptr<Node>> inputs;
  /// For a result of a multi-result op: the shared call and which result.
  std::shared_ptr<MultiResult> multi;
  unsigned resultIndex = 0;

  /// Autograd: the op was recorded on the tape (it depends on a variable
  /// inside autograd::record()), so its inputs outlive its evaluation.
  bool recorded = false;
  /// Autograd: the variable (array with attach_grad()) this node is the
  /// value of, set when the variable is used.
  std::weak_ptr<struct Var> variable;
  bool isVariable() const { return !variable.expired(); }
  /// Autograd: set on the outputs of a custom Function call (whose inputs
  /// are then the call's inputs).
  std::shared_ptr<CustomCall> custom;

  bool pending() const { return !value; }
};

using NodePtr = std::shared_ptr<Node>;

/// What an NDArray handle refers to: copies of a handle share it (MXNet's
/// aliasing), and an in-place op points it at a new node, so pending ops on
/// the old value keep computing the old value.
struct Var {
  NodePtr node;
  /// Autograd: the gradient array (attach_grad) and how backward updates it.
  std::shared_ptr<Var> grad;
  enum class GradReq { Null, Write, Add } gradReq = GradReq::Null;
};

} // namespace mxjit::nd::detail

#endif // MXJIT_FRONTEND_ND_NODE_H
