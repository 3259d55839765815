//===- GraphToFunc.h - a bound Symbol as one mx function --------*- C++ -*-===//
//
// The executor's functions. Arguments are the symbol's arguments in
// list_arguments() order, then its auxiliary states, then (when a random
// op needs one) a tensor<2xi64> seed:
//
//   @forward(args..., aux..., [seed]) -> (outputs..., new aux...)
//   @train(args..., aux..., [seed], head grads...)
//       -> (outputs..., new aux..., grads of the gradient arguments...)
//
// @train is mx-autodiff of @forward with the forward results kept, so
// forward and backward are one compiled function sharing their work.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_GRAPHTOFUNC_H
#define MXJIT_FRONTEND_SYM_GRAPHTOFUNC_H

#include "sym/Graph.h"

#include "runtime/TensorSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

namespace mxjit::sym::detail {

struct GraphFunction {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string entry;
  unsigned numOutputs = 0;
  /// For each new-aux result: the index of the auxiliary state it updates.
  std::vector<unsigned> auxUpdated;
  bool usesSeed = false;
  /// Outputs that take a head gradient (the floating-point ones), in order.
  std::vector<unsigned> seededOutputs;
  /// For each gradient result: the argument index it belongs to.
  std::vector<unsigned> gradArgs;
};

/// Builds @forward for `outputs` with the given argument and aux specs (in
/// listVariables() order). Throws mxjit::Error naming the node when an op
/// cannot be lowered.
GraphFunction buildForward(mlir::MLIRContext &context,
                           const std::vector<Entry> &outputs,
                           const std::vector<TensorSpec> &argSpecs,
                           const std::vector<TensorSpec> &auxSpecs,
                           bool isTrain);

/// Builds @train: the gradients of the arguments `gradArgs` (indices into
/// the arguments, each floating-point).
GraphFunction buildTrain(mlir::MLIRContext &context,
                         const std::vector<Entry> &outputs,
                         const std::vector<TensorSpec> &argSpecs,
                         const std::vector<TensorSpec> &auxSpecs,
                         const std::vector<unsigned> &gradArgs);

/// A hash of the graph's computation: ops, attributes and wiring (not node
/// names, so equal graphs share compiled code).
uint64_t graphHash(const std::vector<Entry> &outputs);

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_GRAPHTOFUNC_H
