//===- HostBuffer.h - aligned host memory for one tensor --------*- C++ -*-===//
//
// Owns the bytes of one tensor. 64-byte alignment matches a cache line and
// an AVX-512 vector, so JIT-compiled loops never straddle lines at the start
// of a buffer. Move-only: a move is two pointer swaps, a copy must be asked
// for (clone()).
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_HOSTBUFFER_H
#define MXJIT_RUNTIME_HOSTBUFFER_H

#include "runtime/Error.h"
#include "runtime/TensorSpec.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace mxjit {

class HostBuffer {
public:
  static constexpr std::size_t kAlignment = 64;

  HostBuffer() = default;
  /// Zero-filled storage for `spec`.
  explicit HostBuffer(TensorSpec spec) : HostBuffer(std::move(spec), true) {}

  /// Storage for `spec` whose bytes are unspecified: for results a compiled
  /// function overwrites entirely, where zero-filling would be a second pass
  /// over the memory (and, for large buffers, the page faults happen in the
  /// memset instead of in the kernel that writes the result).
  static HostBuffer uninitialized(TensorSpec spec) {
    return HostBuffer(std::move(spec), false);
  }

  /// A buffer of `spec` holding a copy of `values`.
  template <typename T>
  static HostBuffer fromValues(TensorSpec spec, llvm::ArrayRef<T> values) {
    HostBuffer b = uninitialized(std::move(spec));
    b.checkElementType<T>();
    if (static_cast<int64_t>(values.size()) != b.spec_.numElements())
      throw Error("HostBuffer: " + std::to_string(values.size()) +
                  " values for a tensor of " + b.spec_.str());
    std::memcpy(b.data(), values.data(), b.byteSize());
    return b;
  }

  HostBuffer(HostBuffer &&) noexcept = default;
  HostBuffer &operator=(HostBuffer &&) noexcept = default;
  HostBuffer(const HostBuffer &) = delete;
  HostBuffer &operator=(const HostBuffer &) = delete;

  HostBuffer clone() const {
    HostBuffer copy = uninitialized(spec_);
    if (mem_)
      std::memcpy(copy.data(), data(), byteSize());
    return copy;
  }

  /// True for a default-constructed or moved-from buffer: it owns no
  /// storage, and sizes read 0 whatever its spec says.
  bool empty() const { return !mem_; }
  const TensorSpec &spec() const { return spec_; }
  std::size_t byteSize() const { return mem_ ? spec_.byteSize() : 0; }
  int64_t numElements() const { return mem_ ? spec_.numElements() : 0; }

  void *data() { return mem_.get(); }
  const void *data() const { return mem_.get(); }

  /// Typed views; throw mxjit::Error when T does not match the dtype.
  template <typename T> llvm::MutableArrayRef<T> values() {
    checkElementType<T>();
    return {reinterpret_cast<T *>(mem_.get()),
            static_cast<std::size_t>(numElements())};
  }
  template <typename T> llvm::ArrayRef<T> values() const {
    checkElementType<T>();
    return {reinterpret_cast<const T *>(mem_.get()),
            static_cast<std::size_t>(numElements())};
  }

private:
  HostBuffer(TensorSpec spec, bool zeroFill) : spec_(std::move(spec)) {
    // aligned_alloc wants a multiple of the alignment, and an empty tensor
    // still gets a valid, unique pointer.
    std::size_t bytes = spec_.byteSize();
    std::size_t rounded = std::max(kAlignment, (bytes + kAlignment - 1) /
                                                   kAlignment * kAlignment);
    void *p = std::aligned_alloc(kAlignment, rounded);
    if (!p)
      throw std::bad_alloc();
    if (zeroFill)
      std::memset(p, 0, rounded);
    mem_.reset(static_cast<std::byte *>(p));
  }

  struct FreeDeleter {
    void operator()(std::byte *p) const { std::free(p); }
  };

  template <typename T> void checkElementType() const {
    if (dtypeOf<T>() != spec_.dtype)
      throw Error("HostBuffer: element type " + dtypeName(dtypeOf<T>()).str() +
                  " requested from a " + spec_.str() + " buffer");
  }

  TensorSpec spec_;
  std::unique_ptr<std::byte[], FreeDeleter> mem_;
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_HOSTBUFFER_H
