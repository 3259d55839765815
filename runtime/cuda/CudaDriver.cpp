//===- CudaDriver.cpp - the CUDA driver API, loaded at run time -----------===//

#include "runtime/cuda/CudaDriver.h"

#include "runtime/Error.h"

#include <dlfcn.h>

#include <cstdlib>
#include <mutex>
#include <vector>

using namespace mxjit;
using namespace mxjit::cuda;

namespace mxjit::cuda {

/// Loads the library once; what went wrong is kept so every later request
/// reports the same reason.
struct DriverLoader {
  CudaDriver driver;
  std::string failure;

  DriverLoader() {
    const char *override = std::getenv("MXJIT_CUDA_DRIVER");
    std::string path = override && *override ? override : "libcuda.so.1";
    // RTLD_LOCAL: the driver's symbols must not satisfy lookups of the JIT
    // linker or of other libraries.
    void *handle = dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL);
    if (!handle) {
      const char *why = dlerror();
      failure = "no CUDA driver (" + path + " not found" +
                (why ? std::string(": ") + why : std::string()) + ")";
      return;
    }
    DriverApi &api = driver.api_;
    auto resolve = [&](auto &fn, const char *name) {
      void *sym = dlsym(handle, name);
      if (!sym && failure.empty())
        failure = "no usable CUDA driver (" + path + " lacks " + name + ")";
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(sym);
    };
    resolve(api.cuInit, "cuInit");
    resolve(api.cuDeviceGetCount, "cuDeviceGetCount");
    resolve(api.cuDeviceGet, "cuDeviceGet");
    resolve(api.cuDeviceGetAttribute, "cuDeviceGetAttribute");
    resolve(api.cuDevicePrimaryCtxRetain, "cuDevicePrimaryCtxRetain");
    resolve(api.cuDevicePrimaryCtxRelease, "cuDevicePrimaryCtxRelease_v2");
    resolve(api.cuCtxSetCurrent, "cuCtxSetCurrent");
    resolve(api.cuCtxPushCurrent, "cuCtxPushCurrent_v2");
    resolve(api.cuCtxPopCurrent, "cuCtxPopCurrent_v2");
    resolve(api.cuModuleLoadData, "cuModuleLoadData");
    resolve(api.cuModuleLoadDataEx, "cuModuleLoadDataEx");
    resolve(api.cuModuleUnload, "cuModuleUnload");
    resolve(api.cuModuleGetFunction, "cuModuleGetFunction");
    resolve(api.cuLaunchKernel, "cuLaunchKernel");
    resolve(api.cuMemAlloc, "cuMemAlloc_v2");
    resolve(api.cuMemFree, "cuMemFree_v2");
    resolve(api.cuMemcpyHtoD, "cuMemcpyHtoD_v2");
    resolve(api.cuMemcpyDtoH, "cuMemcpyDtoH_v2");
    resolve(api.cuMemcpyDtoD, "cuMemcpyDtoD_v2");
    resolve(api.cuMemcpyHtoDAsync, "cuMemcpyHtoDAsync_v2");
    resolve(api.cuMemcpyDtoHAsync, "cuMemcpyDtoHAsync_v2");
    resolve(api.cuMemcpyDtoDAsync, "cuMemcpyDtoDAsync_v2");
    resolve(api.cuMemcpyAsync, "cuMemcpyAsync");
    resolve(api.cuMemsetD32, "cuMemsetD32_v2");
    resolve(api.cuMemsetD32Async, "cuMemsetD32Async");
    resolve(api.cuMemsetD16Async, "cuMemsetD16Async");
    resolve(api.cuStreamCreate, "cuStreamCreate");
    resolve(api.cuStreamSynchronize, "cuStreamSynchronize");
    resolve(api.cuStreamDestroy, "cuStreamDestroy_v2");
    resolve(api.cuStreamWaitEvent, "cuStreamWaitEvent");
    resolve(api.cuEventCreate, "cuEventCreate");
    resolve(api.cuEventRecord, "cuEventRecord");
    resolve(api.cuEventSynchronize, "cuEventSynchronize");
    // CUDA 13 headers call the _v2 entry point (same signature); drivers
    // before 12.8 only have the original.
    if (dlsym(handle, "cuEventElapsedTime_v2"))
      resolve(api.cuEventElapsedTime, "cuEventElapsedTime_v2");
    else
      resolve(api.cuEventElapsedTime, "cuEventElapsedTime");
    resolve(api.cuEventDestroy, "cuEventDestroy_v2");
    resolve(api.cuGetErrorName, "cuGetErrorName");
    resolve(api.cuGetErrorString, "cuGetErrorString");
    if (!failure.empty())
      return;
    // A machine with the driver but no GPU answers CUDA_ERROR_NO_DEVICE.
    if (CUresult r = api.cuInit(0); r != CUDA_SUCCESS) {
      failure = "no CUDA device (cuInit failed: " + errorName(r) + ")";
      return;
    }
    int count = 0;
    if (CUresult r = api.cuDeviceGetCount(&count); r != CUDA_SUCCESS) {
      failure =
          "no CUDA device (cuDeviceGetCount failed: " + errorName(r) + ")";
      return;
    }
    driver.deviceCount_ = count;
  }

  static DriverLoader &instance() {
    // A function-local static: initialized once, thread-safe.
    static DriverLoader loader;
    return loader;
  }
};

} // namespace mxjit::cuda

namespace {
/// Per-device state, created under the mutex on first use.
struct DeviceState {
  CUcontext context = nullptr;
  CUstream stream = nullptr;
};
std::mutex devicesMutex;
std::vector<DeviceState> &devices() {
  static std::vector<DeviceState> states;
  return states;
}

std::string deviceName(int device) {
  return "gpu(" + std::to_string(device) + ")";
}
} // namespace

std::string mxjit::cuda::errorName(CUresult result) {
  const DriverApi &api = DriverLoader::instance().driver.api();
  const char *name = nullptr, *text = nullptr;
  if (api.cuGetErrorName)
    api.cuGetErrorName(result, &name);
  if (api.cuGetErrorString)
    api.cuGetErrorString(result, &text);
  std::string s = name ? name : "CUDA error " + std::to_string(result);
  if (text)
    s += std::string(" (") + text + ")";
  return s;
}

bool mxjit::cuda::cudaAvailable() noexcept {
  return DriverLoader::instance().failure.empty();
}

int mxjit::cuda::gpuCount() noexcept {
  DriverLoader &loader = DriverLoader::instance();
  return loader.failure.empty() ? loader.driver.deviceCount() : 0;
}

CudaDriver &CudaDriver::require(int device) {
  DriverLoader &loader = DriverLoader::instance();
  if (!loader.failure.empty())
    throw Error(deviceName(device) + ": " + loader.failure);
  int count = loader.driver.deviceCount();
  if (device < 0 || device >= count)
    throw Error(deviceName(device) + ": no CUDA device (the driver reports " +
                std::to_string(count) + ")");
  return loader.driver;
}

void CudaDriver::check(CUresult result, const char *call, int device) const {
  if (result != CUDA_SUCCESS)
    throw Error(deviceName(device) + ": " + call +
                " failed: " + errorName(result));
}

void CudaDriver::makeCurrent(int device) {
  CUcontext context;
  {
    std::lock_guard<std::mutex> lock(devicesMutex);
    std::vector<DeviceState> &states = devices();
    if (states.size() < static_cast<std::size_t>(deviceCount_))
      states.resize(deviceCount_);
    DeviceState &state = states.at(device);
    if (!state.context) {
      CUdevice handle;
      check(api_.cuDeviceGet(&handle, device), "cuDeviceGet", device);
      // The primary context is the one the CUDA runtime (and so cuBLAS or
      // PyTorch in the same process) uses: sharing it shares allocations.
      check(api_.cuDevicePrimaryCtxRetain(&state.context, handle),
            "cuDevicePrimaryCtxRetain", device);
    }
    context = state.context;
  }
  check(api_.cuCtxSetCurrent(context), "cuCtxSetCurrent", device);
}

std::string CudaDriver::arch(int device) {
  CUdevice handle;
  check(api_.cuDeviceGet(&handle, device), "cuDeviceGet", device);
  int major = 0, minor = 0;
  check(api_.cuDeviceGetAttribute(
            &major, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, handle),
        "cuDeviceGetAttribute", device);
  check(api_.cuDeviceGetAttribute(
            &minor, CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, handle),
        "cuDeviceGetAttribute", device);
  return "sm_" + std::to_string(major) + std::to_string(minor);
}

CUstream CudaDriver::defaultStream(int device) {
  makeCurrent(device);
  std::lock_guard<std::mutex> lock(devicesMutex);
  DeviceState &state = devices().at(device);
  if (!state.stream)
    check(api_.cuStreamCreate(&state.stream, 0), "cuStreamCreate", device);
  return state.stream;
}

CompileOptions mxjit::cuda::gpuCompileOptions(int device, CompileOptions base) {
  base.gpuArch = CudaDriver::require(device).arch(device);
  base.gpuDevice = device;
  return base;
}
