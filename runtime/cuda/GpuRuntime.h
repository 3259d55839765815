//===- GpuRuntime.h - the MLIR GPU runtime ABI on CudaDriver ----*- C++ -*-===//
//
// Host code lowered by upstream `gpu-to-llvm` calls a fixed set of C
// functions (mgpuModuleLoad, mgpuLaunchKernel, mgpuMemAlloc, ...). These are
// our implementations, on top of CudaDriver; runtimeSymbols() hands them to
// the JIT linker. Signatures are the ones MLIR 22's GPUToLLVM emits (checked
// with `mlir-opt --gpu-to-llvm`).
//
// Errors: an exception cannot unwind through JIT-compiled frames, so a
// failing driver call inside these functions is recorded in a thread-local
// slot instead of thrown. Once an error is pending, later mgpu* calls on the
// thread do nothing (and return null), so a failed module load does not
// lead to a launch of a null kernel. The runtime calls
// raisePendingGpuError() after the compiled function returns, which throws
// the first recorded error as mxjit::Error and clears the slot.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_CUDA_GPURUNTIME_H
#define MXJIT_RUNTIME_CUDA_GPURUNTIME_H

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>

extern "C" {
void *mgpuModuleLoad(void *data, uint64_t size);
void *mgpuModuleLoadJIT(void *data, int32_t optLevel);
void mgpuModuleUnload(void *module);
void *mgpuModuleGetFunction(void *module, const char *name);
void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, uint64_t paramsCount);
void *mgpuStreamCreate();
void mgpuStreamSynchronize(void *stream);
void mgpuStreamDestroy(void *stream);
void mgpuStreamWaitEvent(void *stream, void *event);
void *mgpuEventCreate();
void mgpuEventDestroy(void *event);
void mgpuEventSynchronize(void *event);
void mgpuEventRecord(void *event, void *stream);
void *mgpuMemAlloc(uint64_t sizeBytes, void *stream, bool isHostShared);
void mgpuMemFree(void *ptr, void *stream);
void mgpuMemcpy(void *dst, void *src, uint64_t sizeBytes, void *stream);
void mgpuMemset32(void *dst, uint32_t value, uint64_t count, void *stream);
void mgpuMemset16(void *dst, uint16_t value, uint64_t count, void *stream);
void mgpuSetDefaultDevice(int32_t device);
}

namespace mxjit::cuda {

/// The device the mgpu* functions use (mgpuSetDefaultDevice); 0 initially.
int gpuRuntimeDevice();
/// Removes and returns the error recorded on this thread, if any.
std::optional<std::string> takePendingGpuError();
/// Throws the error recorded on this thread as mxjit::Error (clearing it).
void raisePendingGpuError();

} // namespace mxjit::cuda

#endif // MXJIT_RUNTIME_CUDA_GPURUNTIME_H
