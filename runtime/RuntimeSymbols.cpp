//===- RuntimeSymbols.cpp - runtime functions generated code calls --------===//

#include "runtime/RuntimeSymbols.h"

#include "runtime/Arena.h"
#include "runtime/ThreadPool.h"
#include "runtime/cuda/GpuRuntime.h"

#include <vector>

using namespace mxjit;

llvm::ArrayRef<RuntimeSymbol> mxjit::runtimeSymbols() {
  // Entries are added next to the runtime function they name.
  static const std::vector<RuntimeSymbol> symbols = {
      // mx-parallelize: the outermost parallel loop of a big loop nest.
      {"mxjit_parallel_for", reinterpret_cast<void *>(&mxjit_parallel_for)},
      // mx-plan-memory's per-call arena (runtime/Arena.h).
      {"mxjit_arena_acquire", reinterpret_cast<void *>(&mxjit_arena_acquire)},
      {"mxjit_arena_release", reinterpret_cast<void *>(&mxjit_arena_release)},
  // Host code of GPU modules (gpu-to-llvm), on the dlopen'ed CUDA driver
  // (runtime/cuda/GpuRuntime.h; errors surface after the call).
#define MXJIT_GPU_SYMBOL(name) {#name, reinterpret_cast<void *>(&name)}
      MXJIT_GPU_SYMBOL(mgpuModuleLoad),
      MXJIT_GPU_SYMBOL(mgpuModuleLoadJIT),
      MXJIT_GPU_SYMBOL(mgpuModuleUnload),
      MXJIT_GPU_SYMBOL(mgpuModuleGetFunction),
      MXJIT_GPU_SYMBOL(mgpuLaunchKernel),
      MXJIT_GPU_SYMBOL(mgpuStreamCreate),
      MXJIT_GPU_SYMBOL(mgpuStreamSynchronize),
      MXJIT_GPU_SYMBOL(mgpuStreamDestroy),
      MXJIT_GPU_SYMBOL(mgpuStreamWaitEvent),
      MXJIT_GPU_SYMBOL(mgpuEventCreate),
      MXJIT_GPU_SYMBOL(mgpuEventDestroy),
      MXJIT_GPU_SYMBOL(mgpuEventSynchronize),
      MXJIT_GPU_SYMBOL(mgpuEventRecord),
      MXJIT_GPU_SYMBOL(mgpuMemAlloc),
      MXJIT_GPU_SYMBOL(mgpuMemFree),
      MXJIT_GPU_SYMBOL(mgpuMemcpy),
      MXJIT_GPU_SYMBOL(mgpuMemset32),
      MXJIT_GPU_SYMBOL(mgpuMemset16),
      MXJIT_GPU_SYMBOL(mgpuSetDefaultDevice),
#undef MXJIT_GPU_SYMBOL
  };
  return symbols;
}
