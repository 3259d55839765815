//===- DeviceBuffer.cpp - CUDA device memory for one tensor ---------------===//

#include "runtime/DeviceBuffer.h"

#include "runtime/Error.h"
#include "runtime/HostBuffer.h"

using namespace mxjit;
using namespace mxjit::cuda;

namespace {
/// Runs the driver call `call`, enqueued by `enqueue(api, stream)` on
/// `device`'s default stream, and waits for it: the host side of a copy may
/// go right after return.
template <typename Enqueue>
void onDefaultStream(int device, const char *call, Enqueue enqueue) {
  CudaDriver &driver = CudaDriver::require(device);
  CUstream stream = driver.defaultStream(device);
  driver.check(enqueue(driver.api(), stream), call, device);
  driver.check(driver.api().cuStreamSynchronize(stream), "cuStreamSynchronize",
               device);
}
} // namespace

DeviceBuffer::DeviceBuffer(int device, std::size_t bytes) : device_(device) {
  CudaDriver &driver = CudaDriver::require(device);
  driver.makeCurrent(device);
  // cuMemAlloc rejects 0 bytes, and an empty tensor still needs a unique,
  // valid address.
  std::size_t allocated = bytes ? bytes : 1;
  driver.check(driver.api().cuMemAlloc(&ptr_, allocated), "cuMemAlloc_v2",
               device);
  bytes_ = bytes;
}

DeviceBuffer::~DeviceBuffer() {
  if (!ptr_)
    return;
  // A destructor cannot throw; a failing free (the context is already torn
  // down at process exit) leaks nothing the process keeps.
  CudaDriver &driver = CudaDriver::require(device_);
  try {
    driver.makeCurrent(device_);
  } catch (const Error &) {
    return;
  }
  driver.api().cuMemFree(ptr_);
}

DeviceBuffer DeviceBuffer::fromHost(int device, const HostBuffer &host) {
  DeviceBuffer b(device, host.byteSize());
  b.copyFromHost(host.data(), host.byteSize());
  return b;
}

void DeviceBuffer::checkBytes(std::size_t bytes, const char *what) const {
  if (bytes > bytes_)
    throw Error("gpu(" + std::to_string(device_) + "): " + what + " of " +
                std::to_string(bytes) + " bytes into a buffer of " +
                std::to_string(bytes_));
}

void DeviceBuffer::copyFromHost(const void *src, std::size_t bytes) {
  checkBytes(bytes, "host-to-device copy");
  if (!bytes)
    return;
  onDefaultStream(device_, "cuMemcpyHtoDAsync_v2",
                  [&](const DriverApi &api, CUstream s) {
                    return api.cuMemcpyHtoDAsync(ptr_, src, bytes, s);
                  });
}

void DeviceBuffer::copyToHost(void *dst, std::size_t bytes) const {
  checkBytes(bytes, "device-to-host copy");
  if (!bytes)
    return;
  onDefaultStream(device_, "cuMemcpyDtoHAsync_v2",
                  [&](const DriverApi &api, CUstream s) {
                    return api.cuMemcpyDtoHAsync(dst, ptr_, bytes, s);
                  });
}

void DeviceBuffer::copyFrom(const DeviceBuffer &src) {
  if (src.bytes_ != bytes_)
    throw Error("gpu(" + std::to_string(device_) + "): device copy of " +
                std::to_string(src.bytes_) + " bytes into a buffer of " +
                std::to_string(bytes_));
  if (!bytes_)
    return;
  onDefaultStream(device_, "cuMemcpyDtoDAsync_v2",
                  [&](const DriverApi &api, CUstream s) {
                    return api.cuMemcpyDtoDAsync(ptr_, src.ptr_, bytes_, s);
                  });
}

void DeviceBuffer::fill32(unsigned value) {
  if (bytes_ % 4)
    throw Error("gpu(" + std::to_string(device_) +
                "): 32-bit fill of a buffer of " + std::to_string(bytes_) +
                " bytes");
  if (!bytes_)
    return;
  onDefaultStream(device_, "cuMemsetD32Async",
                  [&](const DriverApi &api, CUstream s) {
                    return api.cuMemsetD32Async(ptr_, value, bytes_ / 4, s);
                  });
}

DeviceBuffer DeviceBuffer::clone() const {
  DeviceBuffer copy(device_, bytes_);
  copy.copyFrom(*this);
  return copy;
}
