//===- GpuRuntime.cpp - the MLIR GPU runtime ABI on CudaDriver ------------===//

#include "runtime/cuda/GpuRuntime.h"

#include "runtime/Error.h"
#include "runtime/cuda/CudaDriver.h"

#include <atomic>

using namespace mxjit;
using namespace mxjit::cuda;

namespace {
// Shared by all threads like upstream's default device: a process picks its
// GPU once.
std::atomic<int> defaultDevice{0};
thread_local std::optional<std::string> pendingError;

/// Runs `body` with the default device's context current, recording an
/// exception instead of letting it leave the C ABI. Returns `fallback`
/// when an error is (or already was) pending.
template <typename T, typename Body> T guarded(T fallback, Body body) {
  if (pendingError)
    return fallback;
  int device = defaultDevice.load(std::memory_order_relaxed);
  try {
    CudaDriver &driver = CudaDriver::require(device);
    driver.makeCurrent(device);
    return body(driver, device);
  } catch (const std::exception &e) {
    pendingError = e.what();
  } catch (...) {
    pendingError = "gpu(" + std::to_string(device) + "): unknown error";
  }
  return fallback;
}

template <typename Body> void guardedVoid(Body body) {
  guarded<int>(0, [&](CudaDriver &driver, int device) {
    body(driver, device);
    return 0;
  });
}

CUdeviceptr devicePtr(const void *p) {
  return reinterpret_cast<CUdeviceptr>(p);
}

/// Launch dimensions arrive as intptr_t; the driver takes unsigned.
unsigned dim(intptr_t v, const char *what, int device) {
  if (v < 1 || v > intptr_t(UINT32_MAX))
    throw Error("gpu(" + std::to_string(device) + "): mgpuLaunchKernel " +
                what + " of " + std::to_string(v));
  return static_cast<unsigned>(v);
}
} // namespace

int mxjit::cuda::gpuRuntimeDevice() { return defaultDevice.load(); }

std::optional<std::string> mxjit::cuda::takePendingGpuError() {
  std::optional<std::string> error;
  error.swap(pendingError);
  return error;
}

void mxjit::cuda::raisePendingGpuError() {
  if (std::optional<std::string> error = takePendingGpuError())
    throw Error(*error);
}

extern "C" {

void *mgpuModuleLoad(void *data, uint64_t /*size*/) {
  // A cubin or fatbin carries its own size; PTX is null-terminated.
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    CUmodule module = nullptr;
    driver.check(driver.api().cuModuleLoadData(&module, data),
                 "cuModuleLoadData", device);
    return static_cast<void *>(module);
  });
}

void *mgpuModuleLoadJIT(void *data, int32_t optLevel) {
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    // PTX compiled by the driver: keep its log, the only explanation of a
    // PTX the driver rejects.
    char log[4096] = {0};
    int options[] = {CU_JIT_OPTIMIZATION_LEVEL, CU_JIT_ERROR_LOG_BUFFER,
                     CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES};
    void *values[] = {reinterpret_cast<void *>(intptr_t(optLevel)), log,
                      reinterpret_cast<void *>(sizeof(log))};
    CUmodule module = nullptr;
    CUresult r =
        driver.api().cuModuleLoadDataEx(&module, data, 3, options, values);
    if (r != CUDA_SUCCESS && log[0])
      throw Error("gpu(" + std::to_string(device) +
                  "): cuModuleLoadDataEx failed: " + errorName(r) + ": " + log);
    driver.check(r, "cuModuleLoadDataEx", device);
    return static_cast<void *>(module);
  });
}

void mgpuModuleUnload(void *module) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuModuleUnload(static_cast<CUmodule>(module)),
                 "cuModuleUnload", device);
  });
}

void *mgpuModuleGetFunction(void *module, const char *name) {
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    CUfunction function = nullptr;
    CUresult r = driver.api().cuModuleGetFunction(
        &function, static_cast<CUmodule>(module), name);
    if (r != CUDA_SUCCESS)
      throw Error("gpu(" + std::to_string(device) +
                  "): cuModuleGetFunction failed for kernel '" + name +
                  "': " + errorName(r));
    return static_cast<void *>(function);
  });
}

void mgpuLaunchKernel(void *function, intptr_t gridX, intptr_t gridY,
                      intptr_t gridZ, intptr_t blockX, intptr_t blockY,
                      intptr_t blockZ, int32_t sharedMemBytes, void *stream,
                      void **params, void **extra, uint64_t /*paramsCount*/) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(
        driver.api().cuLaunchKernel(
            static_cast<CUfunction>(function), dim(gridX, "grid x", device),
            dim(gridY, "grid y", device), dim(gridZ, "grid z", device),
            dim(blockX, "block x", device), dim(blockY, "block y", device),
            dim(blockZ, "block z", device),
            static_cast<unsigned>(sharedMemBytes),
            static_cast<CUstream>(stream), params, extra),
        "cuLaunchKernel", device);
  });
}

void *mgpuStreamCreate() {
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    CUstream stream = nullptr;
    driver.check(driver.api().cuStreamCreate(&stream, 0), "cuStreamCreate",
                 device);
    return static_cast<void *>(stream);
  });
}

void mgpuStreamSynchronize(void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(
        driver.api().cuStreamSynchronize(static_cast<CUstream>(stream)),
        "cuStreamSynchronize", device);
  });
}

void mgpuStreamDestroy(void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuStreamDestroy(static_cast<CUstream>(stream)),
                 "cuStreamDestroy_v2", device);
  });
}

void mgpuStreamWaitEvent(void *stream, void *event) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuStreamWaitEvent(static_cast<CUstream>(stream),
                                                static_cast<CUevent>(event), 0),
                 "cuStreamWaitEvent", device);
  });
}

void *mgpuEventCreate() {
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    CUevent event = nullptr;
    // CU_EVENT_DISABLE_TIMING: these events only order streams.
    driver.check(driver.api().cuEventCreate(&event, 0x2), "cuEventCreate",
                 device);
    return static_cast<void *>(event);
  });
}

void mgpuEventDestroy(void *event) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuEventDestroy(static_cast<CUevent>(event)),
                 "cuEventDestroy_v2", device);
  });
}

void mgpuEventSynchronize(void *event) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuEventSynchronize(static_cast<CUevent>(event)),
                 "cuEventSynchronize", device);
  });
}

void mgpuEventRecord(void *event, void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuEventRecord(static_cast<CUevent>(event),
                                            static_cast<CUstream>(stream)),
                 "cuEventRecord", device);
  });
}

void *mgpuMemAlloc(uint64_t sizeBytes, void * /*stream*/, bool isHostShared) {
  return guarded<void *>(nullptr, [&](CudaDriver &driver, int device) {
    if (isHostShared)
      throw Error("gpu(" + std::to_string(device) +
                  "): gpu.alloc host_shared is not supported");
    CUdeviceptr ptr = 0;
    // cuMemAlloc rejects 0 bytes; a 0-element memref still gets an address.
    driver.check(driver.api().cuMemAlloc(&ptr, sizeBytes ? sizeBytes : 1),
                 "cuMemAlloc_v2", device);
    return reinterpret_cast<void *>(ptr);
  });
}

void mgpuMemFree(void *ptr, void * /*stream*/) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuMemFree(devicePtr(ptr)), "cuMemFree_v2",
                 device);
  });
}

void mgpuMemcpy(void *dst, void *src, uint64_t sizeBytes, void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuMemcpyAsync(devicePtr(dst), devicePtr(src),
                                            sizeBytes,
                                            static_cast<CUstream>(stream)),
                 "cuMemcpyAsync", device);
  });
}

void mgpuMemset32(void *dst, uint32_t value, uint64_t count, void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuMemsetD32Async(devicePtr(dst), value, count,
                                               static_cast<CUstream>(stream)),
                 "cuMemsetD32Async", device);
  });
}

void mgpuMemset16(void *dst, uint16_t value, uint64_t count, void *stream) {
  guardedVoid([&](CudaDriver &driver, int device) {
    driver.check(driver.api().cuMemsetD16Async(devicePtr(dst), value, count,
                                               static_cast<CUstream>(stream)),
                 "cuMemsetD16Async", device);
  });
}

void mgpuSetDefaultDevice(int32_t device) {
  defaultDevice.store(device, std::memory_order_relaxed);
}

} // extern "C"
