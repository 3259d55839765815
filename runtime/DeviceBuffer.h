//===- DeviceBuffer.h - CUDA device memory for one tensor -------*- C++ -*-===//
//
// The device-side counterpart of HostBuffer: owns `bytes` of memory on one
// CUDA device (cuMemAlloc), freed when the buffer goes. Move-only. Copies
// are synchronous on the device's default stream (CudaDriver), so a value
// read back is complete; kernels the runtime launches use the same stream.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_DEVICEBUFFER_H
#define MXJIT_RUNTIME_DEVICEBUFFER_H

#include "runtime/cuda/CudaDriver.h"

#include <cstddef>

namespace mxjit {

class HostBuffer;

class DeviceBuffer {
public:
  DeviceBuffer() = default;
  /// `bytes` of uninitialized memory on CUDA device `device`. Throws
  /// mxjit::Error without a driver or device, or when allocation fails.
  DeviceBuffer(int device, std::size_t bytes);
  ~DeviceBuffer();

  DeviceBuffer(DeviceBuffer &&other) noexcept { swap(other); }
  DeviceBuffer &operator=(DeviceBuffer &&other) noexcept {
    DeviceBuffer(std::move(other)).swap(*this);
    return *this;
  }
  DeviceBuffer(const DeviceBuffer &) = delete;
  DeviceBuffer &operator=(const DeviceBuffer &) = delete;

  /// A buffer on `device` holding a copy of `host`'s bytes.
  static DeviceBuffer fromHost(int device, const HostBuffer &host);

  bool empty() const { return !ptr_; }
  int device() const { return device_; }
  std::size_t byteSize() const { return bytes_; }
  cuda::CUdeviceptr ptr() const { return ptr_; }
  /// The device address as generated code takes it (a memref's pointer).
  void *data() const { return reinterpret_cast<void *>(ptr_); }

  /// Copies `bytes` (at most byteSize()) host → device / device → host.
  void copyFromHost(const void *src, std::size_t bytes);
  void copyToHost(void *dst, std::size_t bytes) const;
  /// Copies all of `src` (same size; any device) into this buffer.
  void copyFrom(const DeviceBuffer &src);
  /// Fills the buffer with the 32-bit pattern `value` (0 zero-fills).
  void fill32(unsigned value);
  /// A new buffer on the same device with the same contents.
  DeviceBuffer clone() const;

  void swap(DeviceBuffer &other) noexcept {
    std::swap(device_, other.device_);
    std::swap(bytes_, other.bytes_);
    std::swap(ptr_, other.ptr_);
  }

private:
  void checkBytes(std::size_t bytes, const char *what) const;

  int device_ = 0;
  std::size_t bytes_ = 0;
  cuda::CUdeviceptr ptr_ = 0;
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_DEVICEBUFFER_H
