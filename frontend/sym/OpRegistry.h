//===- OpRegistry.h - MXNet operators known to mxjit::sym -------*- C++ -*-===//
//
// One entry per MXNet operator: its inputs, outputs and auxiliary states
// for given attributes, its parameters, how to fill in parameter shapes
// MXNet infers backwards (a weight's shape from the data's), and how it
// lowers to mx-dialect ops. Forward shape and type rules are not repeated
// here: infer_shape lowers the op on typed placeholders and reads the
// result types the dialect infers (the single source of shape rules).
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_OPREGISTRY_H
#define MXJIT_FRONTEND_SYM_OPREGISTRY_H

#include "sym/Graph.h"
#include "sym/Params.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/Value.h"

#include <functional>

namespace mxjit::sym::detail {

/// What an op's lowering sees besides its operands.
struct LowerContext {
  mlir::OpBuilder &builder;
  mlir::Location loc;
  /// forward(is_train=True): BatchNorm uses batch statistics, Dropout drops.
  bool isTrain = false;
  /// Node being lowered (for error messages).
  const Node &node;
  /// A tensor<2xi64> seed for random ops: (executor seed, call counter),
  /// made on first use by the executor.
  std::function<mlir::Value()> randomSeed;
  /// New values of auxiliary inputs, by input index (BatchNorm's moving
  /// mean and variance in training): the executor writes them back.
  std::vector<std::pair<unsigned, mlir::Value>> auxUpdates;
};

struct OpInfo {
  std::string name;
  /// Input names for these parameters, in order ("data", "weight", "bias").
  std::function<std::vector<std::string>(const Params &)> inputs;
  /// Names of the visible outputs ("output"; SliceChannel: output0, ...).
  std::function<std::vector<std::string>(const Params &)> outputs;
  /// Indices of inputs that are auxiliary states (mutated by the op).
  std::function<std::vector<unsigned>(const Params &)> auxInputs;
  /// Parameter names with MXNet's default (as MXNet writes it), for
  /// validation, docs and JSON; an attribute not listed and not `__x__`
  /// spelled is rejected with an error naming the op.
  std::vector<std::pair<std::string, std::string>> params;
  /// Fills unknown input shapes from known ones (weights from data and
  /// num_hidden, a label from the data) and, where the dialect cannot
  /// (unknown inputs), output shapes; may be null. Throws mxjit::Error on
  /// conflicts.
  std::function<void(const Params &, std::vector<Shape> &in,
                     std::vector<Shape> &out)>
      inferShapesBackward;
  /// Emits the op; returns one value per visible output.
  std::function<std::vector<mlir::Value>(LowerContext &, const Params &,
                                         const std::vector<mlir::Value> &)>
      lower;
  /// Output i of a loss op (SoftmaxOutput): its VJP ignores the head
  /// gradient, so backward() needs no out_grads for it.
  bool isLoss = false;
  /// Every input and every output has one shape (elemwise_add, relu,
  /// Activation): infer_shape then also propagates a known output shape
  /// back to unknown inputs, as MXNet's ElemwiseShape does.
  bool elementwise = false;
  /// For variadic ops (Concat, add_n): the parameter holding the number of
  /// inputs ("num_args"). Inputs are then given positionally and the
  /// parameter is set from their count when the caller leaves it out.
  std::string keyVarNumArgs;
  /// Parses every parameter (throwing on bad spellings and missing required
  /// ones), so a bad call fails where the symbol is made, as in MXNet; may
  /// be null.
  std::function<void(const Params &)> check;
  /// dtype rule; null means every input and output shares one dtype (the
  /// rule of almost every MXNet op). Entries are nullopt when unknown; fills
  /// what it can and throws mxjit::Error on conflicts.
  std::function<void(const Params &, std::vector<std::optional<DType>> &in,
                     std::vector<std::optional<DType>> &out)>
      inferTypes;
};

/// The registry, keyed by MXNet name and every alias ("_Plus", "_plus",
/// "elemwise_add" name one entry). Returns null for unknown ops.
const OpInfo *lookupOp(const std::string &name);
/// Every name and alias.
std::vector<std::string> registeredOpNames();

/// Registration, called once from each op family's file.
void registerOp(OpInfo info, const std::vector<std::string> &aliases = {});

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_OPREGISTRY_H
