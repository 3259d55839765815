//===- CompileOptions.h - knobs that change generated code ------*- C++ -*-===//

#ifndef MXJIT_RUNTIME_COMPILEOPTIONS_H
#define MXJIT_RUNTIME_COMPILEOPTIONS_H

#include <string>

namespace mxjit {

/// The name LLVM gives this machine's CPU (e.g. "znver5"), which the JIT
/// generates code for.
const std::string &hostCpuName();

/// f32 lanes of this machine's widest usable SIMD register: 16 with
/// AVX-512F, 8 with AVX2 and FMA, 4 otherwise.
unsigned hostVectorWidth();

/// Every option changes the generated code, so every option is part of the
/// compile-cache key through key().
struct CompileOptions {
  /// LLVM optimisation and code generation level, 0 to 3.
  unsigned optLevel = 3;
  /// Fuse producer/consumer linalg.generic ops before bufferization.
  bool fuseElementwise = true;
  /// f32 lanes that mx-tile-and-vectorize blocks matrix products for; 0
  /// leaves them to scalar loops.
  unsigned vectorWidth = hostVectorWidth();
  /// The CPU the code is generated for: the JIT always targets the host,
  /// so code cached (possibly on disk) for another CPU must not match.
  std::string cpu = hostCpuName();
  /// Place temporaries in one arena per call (mx-plan-memory).
  bool planMemory = true;
  /// Compile a shape-generic function: `?` dimensions (all standing for the
  /// batch size) are allowed and tensors are passed as memref descriptors.
  /// Set by the runtime for the shape-generic variant of a graph seen with
  /// many batch sizes (see docs/runtime.md).
  bool genericBatch = false;
  /// Polynomial approximations of f32 tanh, exp, log, log2 and erf
  /// (mx-fast-math, error bounds in docs/performance.md) instead of libm.
  bool fastMath = true;
  /// Split big parallel loops across the runtime thread pool
  /// (mx-parallelize). The thread count itself is read at run time and is
  /// not part of the key.
  bool parallelize = true;
  /// Where the code runs: -1 for the host CPU, otherwise the ordinal of the
  /// CUDA device whose kernels this compile produces (mx-lower-to-nvvm;
  /// docs/gpu.md). A module is loaded into one device's context, so the
  /// ordinal is part of the key as well as the architecture.
  int gpuDevice = -1;
  /// The NVIDIA SM architecture of `gpuDevice` ("sm_90"); ignored on CPU.
  std::string gpuArch;

  /// A short canonical string, e.g. "O3,fuse=1,vec=16,cpu=znver5"; equal
  /// options give equal keys.
  std::string key() const {
    return "O" + std::to_string(optLevel) +
           ",fuse=" + (fuseElementwise ? "1" : "0") +
           ",vec=" + std::to_string(vectorWidth) + ",cpu=" + cpu +
           (planMemory ? "" : ",plan=0") + (fastMath ? "" : ",fastmath=0") +
           (parallelize ? "" : ",par=0") + (genericBatch ? ",generic" : "") +
           (gpuDevice >= 0 ? ",gpu=" + std::to_string(gpuDevice) + ":" + gpuArch
                           : "");
  }
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_COMPILEOPTIONS_H
