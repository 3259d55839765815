//===- TrainStep.h - mxjit-compile --train: one training step -*- C++ -*-===//
//
// The function `<name>_train_step` compiles: the forward pass up to the
// symbol's loss head, its gradients (the Symbol executor's @train, i.e.
// mx-autodiff) and the optimizer update of every weight, written in place
// into the caller's weight and optimizer-state buffers (`mx.donate`). The
// update ops are recorded from mxjit::optimizer's own update() on lazy
// NDArrays, so the AOT step and the JIT (Gluon Trainer, Module) do the
// same arithmetic.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TOOLS_MXJIT_COMPILE_TRAINSTEP_H
#define MXJIT_TOOLS_MXJIT_COMPILE_TRAINSTEP_H

#include "AotModel.h"

#include "mxjit/symbol.h"

#include <map>
#include <string>

namespace mxjit::aot {

/// Replaces `model` (arguments in list_arguments() order then auxiliary
/// states, as loadModel() builds them for `symbol`) by the training step:
/// arguments reordered as data inputs, labels, weights, auxiliary states,
/// optimizer states and (Adam) the step count; outputs are the symbol's
/// outputs then every updated buffer, in place. `params` holds the initial
/// weight values from --params (Argument::initial). Throws mxjit::Error when
/// the symbol has no loss head or label, the optimizer is unknown, or an
/// op has no gradient.
void buildTrainStep(mlir::MLIRContext &context, const sym::Symbol &symbol,
                    const ModelRequest &request, AotModel &model);

/// --jit-run with --train: `steps` training steps through the JIT (the
/// Symbol executor's forward/backward and mxjit::optimizer's update, as a
/// Module or Gluon Trainer would run them) on the documented input
/// pattern. Prints the symbol's outputs of the last step, then every
/// updated buffer after it, in the C API's order, one value per line.
std::string runJitTraining(const AotModel &model, const ModelRequest &request,
                           int steps);

} // namespace mxjit::aot

#endif // MXJIT_TOOLS_MXJIT_COMPILE_TRAINSTEP_H
