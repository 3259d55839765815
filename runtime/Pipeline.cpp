//===- Pipeline.cpp - the lowering pipeline, failing softly ---------------===//

#include "runtime/Pipeline.h"

#include "lowering/Passes.h"
#include "runtime/Error.h"
#include "runtime/Init.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <cstdlib>

using namespace mxjit;

namespace {
/// The CUDA toolkit whose libdevice kernels link when they call math
/// functions PTX has no instruction for: $MXJIT_CUDA_PATH, else
/// /usr/local/cuda when it has one, else none (MLIR's own default).
std::string cudaToolkitPath() {
  if (const char *env = std::getenv("MXJIT_CUDA_PATH"))
    return env;
  if (llvm::sys::fs::exists("/usr/local/cuda/nvvm/libdevice/libdevice.10.bc"))
    return "/usr/local/cuda";
  return "";
}

void addGpuLoweringPipeline(mlir::OpPassManager &pm,
                            const CompileOptions &options) {
  if (options.genericBatch)
    throw Error("compile: shape-generic (`?` batch) functions are not "
                "supported on gpu(" +
                std::to_string(options.gpuDevice) + ") yet");
  LowerToNVVMOptions gpuOptions;
  gpuOptions.gpuArch = options.gpuArch.empty() ? "sm_90" : options.gpuArch;
  gpuOptions.fuseElementwise = options.fuseElementwise;
  gpuOptions.fastMath = options.fastMath;
  gpuOptions.toolkitPath = cudaToolkitPath();
  std::string text = lowerToNVVMPipelineText(gpuOptions);
  mlir::OpPassManager scratch(mlir::ModuleOp::getOperationName());
  std::string error;
  llvm::raw_string_ostream os(error);
  if (mlir::failed(mlir::parsePassPipeline(text, scratch, os)))
    throw Error("cannot build the mx-lower-to-nvvm pipeline: " + error +
                "\npipeline: " + text);
  buildLowerToNVVMPipeline(pm, gpuOptions);
}
} // namespace

void mxjit::addLoweringPipeline(mlir::OpPassManager &pm,
                                const CompileOptions &options) {
  initializeRuntime();
  if (options.gpuDevice >= 0)
    return addGpuLoweringPipeline(pm, options);
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
