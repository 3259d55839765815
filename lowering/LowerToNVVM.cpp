//===- LowerToNVVM.cpp - the mx-lower-to-nvvm pipeline --------------------===//
//
// mx -> linalg -> device-memory loops -> gpu.launch -> outlined kernels ->
// NVVM -> PTX (LLVM's NVPTX backend, no CUDA toolkit) embedded in a host
// module whose launches call the upstream mgpu* runtime functions. Built
// from passes by name like mx-lower-to-llvm, so the text is a reproducer.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Pass/PassManager.h"

using namespace mlir;

std::string mxjit::lowerToNVVMPipelineText(const LowerToNVVMOptions &options) {
  std::string p = "mx-to-linalg,canonicalize,cse,";
  if (options.fuseElementwise)
    p += "func.func(mx-fuse),canonicalize,";
  p += bufferizeToOutParamsPipelineText();
  p += "func.func(mx-donate-out-params),"
       // Parallel dimensions become scf.parallel, reductions scf.for inside.
       "func.func(convert-linalg-to-parallel-loops),";
  p += "func.func(mx-gpu-map-loops{block-size=" +
       std::to_string(options.blockSize) + "}),";
  p += "func.func(mx-gpu-device-memory),"
       "func.func(convert-parallel-loops-to-gpu),"
       // Constants (sizes, strides) become immediates in the kernels
       // instead of parameters.
       "func.func(gpu-launch-sink-index-computations),gpu-kernel-outlining,"
       // One stream per call: launches, allocations and frees are queued
       // in order and the host waits once, at the end.
       "func.func(gpu-async-region),"
       "canonicalize,cse,";
  // Polynomials instead of libdevice calls for tanh/exp/log/log2/erf: the
  // PTX then needs no libdevice for them. The rest of math (sqrt, pow, ...)
  // becomes __nv_* libdevice calls that gpu-module-to-binary links when it
  // finds the toolkit's libdevice.
  if (options.fastMath)
    p += "gpu.module(mx-fast-math),";
  p += "nvvm-attach-target{chip=" + options.gpuArch.getValue() +
       " O=3},"
       "convert-scf-to-cf,lower-affine,"
       "gpu.module(convert-gpu-to-nvvm{use-bare-ptr-memref-call-conv},"
       "canonicalize,cse,reconcile-unrealized-casts),"
       "expand-strided-metadata,lower-affine,finalize-memref-to-llvm,"
       "convert-arith-to-llvm,convert-index-to-llvm,"
       "gpu-to-llvm{use-bare-pointers-for-host "
       "use-bare-pointers-for-kernels},"
       "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
       "convert-cf-to-llvm,reconcile-unrealized-casts,"
       "gpu-module-to-binary{format=" +
       options.binaryFormat.getValue();
  if (!options.toolkitPath.empty())
    p += " toolkit=" + options.toolkitPath.getValue();
  p += "}";
  return p;
}

void mxjit::buildLowerToNVVMPipeline(OpPassManager &pm,
                                     const LowerToNVVMOptions &options) {
  buildPipelineFromText(pm, lowerToNVVMPipelineText(options),
                        "mx-lower-to-nvvm");
}
