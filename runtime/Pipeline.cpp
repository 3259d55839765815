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

/// Parses the textual form of pipeline `name` into `pm`. Parsing it here
/// rather than calling build*Pipeline makes a name that does not resolve an
/// exception instead of a fatal error.
void addPipelineText(mlir::OpPassManager &pm, const std::string &text,
                     llvm::StringRef name) {
  std::string error;
  llvm::raw_string_ostream os(error);
  if (mlir::failed(mlir::parsePassPipeline(text, pm, os)))
    throw Error("cannot build the " + name.str() + " pipeline: " + error +
                "\npipeline: " + text);
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
  addPipelineText(pm, lowerToNVVMPipelineText(gpuOptions), "mx-lower-to-nvvm");
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
  addPipelineText(pm, lowerToLLVMPipelineText(lowerOptions),
                  "mx-lower-to-llvm");
}
