//===- CudaDriver.h - the CUDA driver API, loaded at run time ---*- C++ -*-===//
//
// The project builds and tests without CUDA, so nothing here includes a CUDA
// header or links a CUDA library: the few driver API types and entry points
// the runtime uses are declared below (from the CUDA Driver API reference)
// and resolved with dlopen("libcuda.so.1") on first use. MXJIT_CUDA_DRIVER
// names another library to load instead (tests point it at a fake driver
// that simulates device memory on the host; docs/gpu-runtime.md).
//
// Every failing driver call becomes an mxjit::Error naming the call, the
// device ("gpu(0)") and the driver's error name, e.g.
//   gpu(0): cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (out of memory)
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_CUDA_CUDADRIVER_H
#define MXJIT_RUNTIME_CUDA_CUDADRIVER_H

#include "runtime/CompileOptions.h"

#include <cstddef>
#include <cstdint>
#include <string>

namespace mxjit::cuda {

// Driver API types, ABI-compatible with cuda.h.
using CUresult = int;
using CUdevice = int;
using CUdeviceptr = unsigned long long;
using CUcontext = struct CUctx_st *;
using CUmodule = struct CUmod_st *;
using CUfunction = struct CUfunc_st *;
using CUstream = struct CUstream_st *;
using CUevent = struct CUevent_st *;

inline constexpr CUresult CUDA_SUCCESS = 0;
inline constexpr CUresult CUDA_ERROR_NOT_READY = 600;
/// CUdevice_attribute values.
inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
inline constexpr int CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
/// CUjit_option values.
inline constexpr int CU_JIT_ERROR_LOG_BUFFER = 5;
inline constexpr int CU_JIT_ERROR_LOG_BUFFER_SIZE_BYTES = 6;
inline constexpr int CU_JIT_OPTIMIZATION_LEVEL = 7;

/// The resolved entry points. Names are the exported symbols (the _v2
/// versions where the driver has them), so an error message names what was
/// actually called.
struct DriverApi {
  CUresult (*cuInit)(unsigned);
  CUresult (*cuDeviceGetCount)(int *);
  CUresult (*cuDeviceGet)(CUdevice *, int);
  CUresult (*cuDeviceGetAttribute)(int *, int, CUdevice);
  CUresult (*cuDevicePrimaryCtxRetain)(CUcontext *, CUdevice);
  CUresult (*cuDevicePrimaryCtxRelease)(CUdevice);
  CUresult (*cuCtxSetCurrent)(CUcontext);
  CUresult (*cuCtxPushCurrent)(CUcontext);
  CUresult (*cuCtxPopCurrent)(CUcontext *);
  CUresult (*cuModuleLoadData)(CUmodule *, const void *);
  CUresult (*cuModuleLoadDataEx)(CUmodule *, const void *, unsigned, int *,
                                 void **);
  CUresult (*cuModuleUnload)(CUmodule);
  CUresult (*cuModuleGetFunction)(CUfunction *, CUmodule, const char *);
  CUresult (*cuLaunchKernel)(CUfunction, unsigned, unsigned, unsigned, unsigned,
                             unsigned, unsigned, unsigned, CUstream, void **,
                             void **);
  CUresult (*cuMemAlloc)(CUdeviceptr *, std::size_t);
  CUresult (*cuMemFree)(CUdeviceptr);
  CUresult (*cuMemcpyHtoD)(CUdeviceptr, const void *, std::size_t);
  CUresult (*cuMemcpyDtoH)(void *, CUdeviceptr, std::size_t);
  CUresult (*cuMemcpyDtoD)(CUdeviceptr, CUdeviceptr, std::size_t);
  CUresult (*cuMemcpyHtoDAsync)(CUdeviceptr, const void *, std::size_t,
                                CUstream);
  CUresult (*cuMemcpyDtoHAsync)(void *, CUdeviceptr, std::size_t, CUstream);
  CUresult (*cuMemcpyDtoDAsync)(CUdeviceptr, CUdeviceptr, std::size_t,
                                CUstream);
  /// Direction from unified addressing (mgpuMemcpy gets untyped pointers).
  CUresult (*cuMemcpyAsync)(CUdeviceptr, CUdeviceptr, std::size_t, CUstream);
  CUresult (*cuMemsetD32)(CUdeviceptr, unsigned, std::size_t);
  CUresult (*cuMemsetD32Async)(CUdeviceptr, unsigned, std::size_t, CUstream);
  CUresult (*cuMemsetD16Async)(CUdeviceptr, unsigned short, std::size_t,
                               CUstream);
  CUresult (*cuStreamCreate)(CUstream *, unsigned);
  CUresult (*cuStreamSynchronize)(CUstream);
  CUresult (*cuStreamDestroy)(CUstream);
  CUresult (*cuStreamWaitEvent)(CUstream, CUevent, unsigned);
  CUresult (*cuEventCreate)(CUevent *, unsigned);
  CUresult (*cuEventRecord)(CUevent, CUstream);
  CUresult (*cuEventSynchronize)(CUevent);
  CUresult (*cuEventElapsedTime)(float *, CUevent, CUevent);
  CUresult (*cuEventDestroy)(CUevent);
  CUresult (*cuGetErrorName)(CUresult, const char **);
  CUresult (*cuGetErrorString)(CUresult, const char **);
};

/// Never throws: false when the driver library cannot be loaded, lacks an
/// entry point, or cuInit fails (CUDA_ERROR_NO_DEVICE included).
bool cudaAvailable() noexcept;
/// Never throws: the number of CUDA devices, 0 without a driver.
int gpuCount() noexcept;

/// "CUDA_ERROR_OUT_OF_MEMORY (out of memory)" for `result`.
std::string errorName(CUresult result);

/// The loaded driver. Thread-safe: the library is loaded once, each
/// device's primary context is retained once and kept for the process.
class CudaDriver {
public:
  /// The driver, with device `device` checked to exist. Throws
  /// mxjit::Error: "gpu(0): no CUDA driver (libcuda.so.1 not found: ...)"
  /// or "gpu(1): no CUDA device (the driver reports 1)".
  static CudaDriver &require(int device);

  const DriverApi &api() const { return api_; }
  int deviceCount() const { return deviceCount_; }

  /// Throws mxjit::Error "gpu(<device>): <call> failed: <error name>" unless
  /// `result` is CUDA_SUCCESS.
  void check(CUresult result, const char *call, int device) const;

  /// Makes `device`'s primary context current on the calling thread
  /// (retaining it on first use).
  void makeCurrent(int device);
  /// "sm_90" from the device's compute capability.
  std::string arch(int device);
  /// The device's default stream: one per device, created on first use and
  /// blocking with the legacy stream, so synchronous copies order with it.
  CUstream defaultStream(int device);

private:
  friend struct DriverLoader;
  CudaDriver() = default;
  DriverApi api_{};
  int deviceCount_ = 0;
};

/// `base` retargeted at CUDA device `device`: gpuDevice and gpuArch (the
/// device's "sm_XY") set, so the compile cache keys on both. Throws like
/// CudaDriver::require().
CompileOptions gpuCompileOptions(int device, CompileOptions base = {});

} // namespace mxjit::cuda

#endif // MXJIT_RUNTIME_CUDA_CUDADRIVER_H
