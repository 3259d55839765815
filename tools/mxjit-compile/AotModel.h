//===- AotModel.h - what mxjit-compile compiles --------------- -*- C++ -*-===//
//
// An inference function (or, with --train, a training step) in the mx
// dialect plus the description of its C API: which arguments the caller
// passes, which are weights embedded in the object, and the output buffers.
// Built from an MXNet symbol JSON (with an optional .params file and input
// shapes) or from an `.mlir` file.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H
#define MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H

#include "runtime/HostBuffer.h"
#include "runtime/TensorSpec.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/OwningOpRef.h"

#include <map>
#include <optional>
#include <string>
#include <vector>

namespace mxjit::aot {

/// One argument of the compiled function.
struct Argument {
  std::string name;
  TensorSpec spec;
  /// Raw little-endian elements of an embedded weight; empty for arguments
  /// the caller passes.
  std::string embedded;
  /// False for arguments the inference function never reads (e.g. the label
  /// of SoftmaxOutput): they are left out of the C API.
  bool used = true;
  /// Given by --shape (or an input of an .mlir function): the caller's data
  /// rather than a weight.
  bool shapeGiven = false;
  /// How the header describes it: "input", "weight", "optimizer state".
  std::string role = "input";
  /// Written in place by the function (a trained weight, an optimizer
  /// state): a non-const pointer in the C API.
  bool updated = false;
  /// Adam's step count (--train --optimizer=adam): the C API takes
  /// `int64_t t` by value and passes the bias-corrected rate
  /// adamRate[0] * sqrt(1 - adamRate[2]^t) / (1 - adamRate[1]^t) (lr,
  /// beta1, beta2) as this float32 argument, computed in double as the
  /// JIT's optimizer::Adam does.
  bool stepCount = false;
  double adamRate[3] = {0, 0, 0};
  /// --train with --params: the initial value (raw bytes) that
  /// `<name>_init_params` copies into the caller's weight buffer.
  std::string initial;
  /// A SoftmaxOutput label: --jit-run fills it with class indices
  /// ((i*37) % 101) % labelClasses instead of the input pattern.
  int64_t labelClasses = 0;

  bool isParameter() const { return used && embedded.empty(); }
};

struct Output {
  std::string name;
  TensorSpec spec;
  /// Computed into the buffer of this argument (an updated weight or
  /// state, `mx.donate`): no C parameter of its own.
  std::optional<unsigned> inPlaceOf;
};

struct AotModel {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string entry;
  /// In the order of the function's arguments.
  std::vector<Argument> arguments;
  /// The function's first results, in order; any further results are
  /// computed into scratch memory and dropped.
  std::vector<Output> outputs;
  /// A training step (`<name>_train_step`) rather than inference.
  bool train = false;
};

/// --train: the optimizer and its hyper-parameters (docs/aot.md).
struct TrainRequest {
  bool enabled = false;
  std::string optimizer = "sgd";
  std::optional<double> learningRate, rescaleGrad;
  double momentum = 0, wd = 0, beta1 = 0.9, beta2 = 0.999, epsilon = 1e-8;
};

struct ModelRequest {
  std::string input;
  std::string paramsFile;
  /// --shape name=d0,d1,... and --dtype name=float32.
  std::map<std::string, std::vector<int64_t>> shapes;
  std::map<std::string, DType> dtypes;
  /// --outputs: names of the graph's outputs or internal outputs to keep;
  /// empty keeps the symbol's own outputs.
  std::vector<std::string> outputs;
  /// Embed the .params values (true) or pass every weight as an argument.
  bool embedWeights = true;
  TrainRequest train;
};

/// Loads the model. Throws mxjit::Error naming the offending argument,
/// parameter, shape or operator.
AotModel loadModel(mlir::MLIRContext &context, const ModelRequest &request);

/// Sets Argument::used from `lowered` (`model.module` after
/// mx-lower-to-llvm; canonicalized here). With `embedWeights`, throws
/// mxjit::Error naming every read argument that is neither embedded nor
/// given by --shape.
void markUnusedArguments(AotModel &model, mlir::ModuleOp lowered,
                         bool embedWeights);

/// The value --jit-run (and the test drivers) put at index `i` of an
/// argument's buffer: ((i*37) % 101)/101 - 0.5 (exact in every dtype, so C
/// and C++ fill identical buffers; integers get (i*37) % 101), or a class
/// index for a SoftmaxOutput label.
double fillValue(const Argument &argument, int64_t i);

/// A buffer for `argument` holding its embedded or initial value, else the
/// fill pattern.
HostBuffer filledBuffer(const Argument &argument);

/// Every element of `buffer`, one per line (%.9g for float32, %.17g for
/// float64), as --jit-run and the test drivers print them.
std::string formatValues(const HostBuffer &buffer);

} // namespace mxjit::aot

#endif // MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H
