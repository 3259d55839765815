//===- Pipeline.cpp - the lowering pipeline, failing softly ---------------===//

#include "runtime/Pipeline.h"

#include "lowering/Passes.h"
#include "runtime/Error.h"
#include "runtime/Init.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/raw_ostream.h"

void mxjit::addLoweringPipeline(mlir::OpPassManager &pm,
                                const CompileOptions &options) {
  initializeRuntime();
  LowerToLLVMOptions lowerOptions;
  lowerOptions.fuseElementwise = options.fuseElementwise;
  lowerOptions.vectorWidth = options.vectorWidth;
  lowerOptions.planMemory = options.planMemory;
  lowerOptions.barePtrCallConv = !options.genericBatch;
  lowerOptions.fastMath = options.fastMath;
  lowerOptions.parallelize = options.parallelize;

  // Parse the textual form into a scratch manager first: a name that does
  // not resolve must become an exception here rather than a fatal error
  // inside buildLowerToLLVMPipeline.
  std::string text = lowerToLLVMPipelineText(lowerOptions);
  mlir::OpPassManager scratch(mlir::ModuleOp::getOperationName());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (mlir::failed(mlir::parsePassPipeline(text, scratch, os)))
    throw Error("cannot build the mx-lower-to-llvm pipeline: " + error +
                "\npipeline: " + text);
  buildLowerToLLVMPipeline(pm, lowerOptions);
}
