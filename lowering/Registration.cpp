//===- Registration.cpp - register mxjit passes and pipelines -------------===//

#include "lowering/Passes.h"

#include "mlir/Pass/PassRegistry.h"

void mxjit::registerMxjitPasses() {
  registerMxjitLoweringPasses(); // generated: every pass in Passes.td
  static mlir::PassPipelineRegistration<LowerToLLVMOptions> lowerToLLVM(
      "mx-lower-to-llvm",
      "Lower mx functions to the LLVM dialect (linalg, bufferization, loops, "
      "out-parameter results, bare-pointer memrefs)",
      buildLowerToLLVMPipeline);
  static mlir::PassPipelineRegistration<LowerToNVVMOptions> lowerToNVVM(
      "mx-lower-to-nvvm",
      "Lower mx functions to NVIDIA GPU kernels (PTX) and a host module "
      "that launches them through the mgpu* runtime functions",
      buildLowerToNVVMPipeline);
}
