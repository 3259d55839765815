//===- FakeCuda.cpp - a CUDA driver that simulates one device on the host -===//
//
// Loaded through MXJIT_CUDA_DRIVER by cuda-fake-tests so the driver loader,
// DeviceBuffer and the mgpu* ABI run for real on a machine without a GPU.
// "Device memory" is host memory tracked in a set (so a bad free is an
// error, and leaks are visible); a module is PTX text whose `.entry` names
// are its kernels. One kernel is simulated: fill_f32(float *out, float v,
// i64 n) sets out[i] = v for every launched thread i < n. The fake_* C
// functions let the test inspect and steer the fake.
//
//===----------------------------------------------------------------------===//

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>
#include <set>
#include <string>

namespace {
using CUresult = int;
constexpr CUresult kSuccess = 0, kInvalidValue = 1, kOutOfMemory = 2,
                   kNoDevice = 100, kInvalidImage = 200, kInvalidHandle = 400,
                   kNotFound = 500;

std::mutex mutex;
std::set<uintptr_t> allocations;
bool failNextAlloc = false;
int launches = 0;
unsigned lastGrid[3], lastBlock[3];

struct Module {
  std::string text;
};
struct Function {
  std::string name;
};
int deviceCount() {
  const char *n = std::getenv("FAKE_CUDA_DEVICES");
  return n ? std::atoi(n) : 1;
}
bool live(uintptr_t p) {
  std::lock_guard<std::mutex> lock(mutex);
  return allocations.count(p);
}
} // namespace

extern "C" {
// Inspection and failure injection for the test.
int fake_cuda_live_allocations() {
  std::lock_guard<std::mutex> lock(mutex);
  return static_cast<int>(allocations.size());
}
int fake_cuda_launches() { return launches; }
unsigned fake_cuda_last_dim(int i) {
  return i < 3 ? lastGrid[i] : lastBlock[i - 3];
}
void fake_cuda_fail_next_alloc() { failNextAlloc = true; }

CUresult cuInit(unsigned) { return deviceCount() ? kSuccess : kNoDevice; }
CUresult cuDeviceGetCount(int *n) {
  *n = deviceCount();
  return kSuccess;
}
CUresult cuDeviceGet(int *d, int ordinal) {
  if (ordinal < 0 || ordinal >= deviceCount())
    return kInvalidValue;
  *d = ordinal;
  return kSuccess;
}
CUresult cuDeviceGetAttribute(int *v, int attribute, int) {
  if (attribute == 75)
    *v = 9;
  else if (attribute == 76)
    *v = 0;
  else
    return kInvalidValue;
  return kSuccess;
}
static int primaryContext;
CUresult cuDevicePrimaryCtxRetain(void **ctx, int) {
  *ctx = &primaryContext;
  return kSuccess;
}
CUresult cuDevicePrimaryCtxRelease_v2(int) { return kSuccess; }
CUresult cuCtxSetCurrent(void *) { return kSuccess; }
CUresult cuCtxPushCurrent_v2(void *) { return kSuccess; }
CUresult cuCtxPopCurrent_v2(void **ctx) {
  *ctx = &primaryContext;
  return kSuccess;
}

CUresult cuModuleLoadData(void **module, const void *image) {
  const char *text = static_cast<const char *>(image);
  if (!std::strstr(text, ".version"))
    return kInvalidImage;
  *module = new Module{text};
  return kSuccess;
}
CUresult cuModuleLoadDataEx(void **module, const void *image, unsigned, int *,
                            void **) {
  return cuModuleLoadData(module, image);
}
CUresult cuModuleUnload(void *module) {
  delete static_cast<Module *>(module);
  return kSuccess;
}
CUresult cuModuleGetFunction(void **function, void *module, const char *name) {
  if (!module)
    return kInvalidHandle;
  std::string entry = std::string(".entry ") + name + "(";
  if (static_cast<Module *>(module)->text.find(entry) == std::string::npos)
    return kNotFound;
  *function = new Function{name}; // Owned by the module in a real driver.
  return kSuccess;
}
CUresult cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz,
                        unsigned bx, unsigned by, unsigned bz, unsigned, void *,
                        void **params, void **) {
  if (!function)
    return kInvalidHandle;
  ++launches;
  lastGrid[0] = gx, lastGrid[1] = gy, lastGrid[2] = gz;
  lastBlock[0] = bx, lastBlock[1] = by, lastBlock[2] = bz;
  if (static_cast<Function *>(function)->name != "fill_f32")
    return kSuccess;
  float *out = *static_cast<float **>(params[0]);
  float value = *static_cast<float *>(params[1]);
  int64_t n = *static_cast<int64_t *>(params[2]);
  if (!live(reinterpret_cast<uintptr_t>(out)))
    return kInvalidValue;
  uint64_t threads = uint64_t(gx) * gy * gz * bx * by * bz;
  for (uint64_t i = 0; i < threads && int64_t(i) < n; ++i)
    out[i] = value;
  return kSuccess;
}

CUresult cuMemAlloc_v2(unsigned long long *ptr, size_t bytes) {
  std::lock_guard<std::mutex> lock(mutex);
  if (failNextAlloc || bytes == 0) {
    failNextAlloc = false;
    return bytes ? kOutOfMemory : kInvalidValue;
  }
  void *p = std::malloc(bytes);
  allocations.insert(reinterpret_cast<uintptr_t>(p));
  *ptr = reinterpret_cast<uintptr_t>(p);
  return kSuccess;
}
CUresult cuMemFree_v2(unsigned long long ptr) {
  std::lock_guard<std::mutex> lock(mutex);
  if (!allocations.erase(ptr))
    return kInvalidValue;
  std::free(reinterpret_cast<void *>(ptr));
  return kSuccess;
}
CUresult cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t n) {
  if (!live(dst))
    return kInvalidValue;
  std::memcpy(reinterpret_cast<void *>(dst), src, n);
  return kSuccess;
}
CUresult cuMemcpyDtoH_v2(void *dst, unsigned long long src, size_t n) {
  if (!live(src))
    return kInvalidValue;
  std::memcpy(dst, reinterpret_cast<void *>(src), n);
  return kSuccess;
}
CUresult cuMemcpyDtoD_v2(unsigned long long dst, unsigned long long src,
                         size_t n) {
  if (!live(src) || !live(dst))
    return kInvalidValue;
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src), n);
  return kSuccess;
}
CUresult cuMemcpyHtoDAsync_v2(unsigned long long dst, const void *src, size_t n,
                              void *) {
  return cuMemcpyHtoD_v2(dst, src, n);
}
CUresult cuMemcpyDtoHAsync_v2(void *dst, unsigned long long src, size_t n,
                              void *) {
  return cuMemcpyDtoH_v2(dst, src, n);
}
CUresult cuMemcpyDtoDAsync_v2(unsigned long long dst, unsigned long long src,
                              size_t n, void *) {
  return cuMemcpyDtoD_v2(dst, src, n);
}
CUresult cuMemcpyAsync(unsigned long long dst, unsigned long long src, size_t n,
                       void *) {
  std::memcpy(reinterpret_cast<void *>(dst), reinterpret_cast<void *>(src), n);
  return kSuccess;
}
CUresult cuMemsetD32_v2(unsigned long long dst, unsigned v, size_t n) {
  if (!live(dst))
    return kInvalidValue;
  for (size_t i = 0; i < n; ++i)
    reinterpret_cast<unsigned *>(dst)[i] = v;
  return kSuccess;
}
CUresult cuMemsetD32Async(unsigned long long dst, unsigned v, size_t n,
                          void *) {
  return cuMemsetD32_v2(dst, v, n);
}
CUresult cuMemsetD16Async(unsigned long long dst, unsigned short v, size_t n,
                          void *) {
  if (!live(dst))
    return kInvalidValue;
  for (size_t i = 0; i < n; ++i)
    reinterpret_cast<unsigned short *>(dst)[i] = v;
  return kSuccess;
}

static int streamObject, eventObject;
CUresult cuStreamCreate(void **s, unsigned) {
  *s = &streamObject;
  return kSuccess;
}
CUresult cuStreamSynchronize(void *) { return kSuccess; }
CUresult cuStreamDestroy_v2(void *) { return kSuccess; }
CUresult cuStreamWaitEvent(void *, void *, unsigned) { return kSuccess; }
CUresult cuEventCreate(void **e, unsigned) {
  *e = &eventObject;
  return kSuccess;
}
CUresult cuEventRecord(void *, void *) { return kSuccess; }
CUresult cuEventSynchronize(void *) { return kSuccess; }
CUresult cuEventElapsedTime(float *ms, void *, void *) {
  *ms = 0;
  return kSuccess;
}
CUresult cuEventDestroy_v2(void *) { return kSuccess; }

CUresult cuGetErrorName(CUresult r, const char **name) {
  switch (r) {
  case kSuccess:
    *name = "CUDA_SUCCESS";
    break;
  case kInvalidValue:
    *name = "CUDA_ERROR_INVALID_VALUE";
    break;
  case kOutOfMemory:
    *name = "CUDA_ERROR_OUT_OF_MEMORY";
    break;
  case kNoDevice:
    *name = "CUDA_ERROR_NO_DEVICE";
    break;
  case kInvalidImage:
    *name = "CUDA_ERROR_INVALID_IMAGE";
    break;
  case kInvalidHandle:
    *name = "CUDA_ERROR_INVALID_HANDLE";
    break;
  case kNotFound:
    *name = "CUDA_ERROR_NOT_FOUND";
    break;
  default:
    *name = nullptr;
    return kInvalidValue;
  }
  return kSuccess;
}
CUresult cuGetErrorString(CUresult r, const char **text) {
  *text = r == kOutOfMemory ? "out of memory" : nullptr;
  return *text ? kSuccess : kInvalidValue;
}
} // extern "C"
