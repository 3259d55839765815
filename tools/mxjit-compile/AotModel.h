//===- AotModel.h - what mxjit-compile compiles --------------- -*- C++ -*-===//
//
// An inference function in the mx dialect plus the description of its C
// API: which arguments the caller passes, which are weights embedded in the
// object, and the output buffers. Built from an MXNet symbol JSON (with an
// optional .params file and input shapes) or from an `.mlir` file.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H
#define MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H

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

  bool isParameter() const { return used && embedded.empty(); }
};

struct Output {
  std::string name;
  TensorSpec spec;
};

struct AotModel {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::string entry;
  /// In the order of the function's arguments.
  std::vector<Argument> arguments;
  /// The function's first results, in order; any further results are
  /// computed into scratch memory and dropped.
  std::vector<Output> outputs;
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

} // namespace mxjit::aot

#endif // MXJIT_TOOLS_MXJIT_COMPILE_AOTMODEL_H
