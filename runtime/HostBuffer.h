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

#include "runtime/Arena.h"
#include "runtime/Error.h"
#include "runtime/TensorSpec.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdlib>
#include <cstring>
#include <memory>
#include <new>

namespace mxjit {

namespace detail {
/// Buffers up to this size come from a per-thread cache of aligned blocks
/// (HostBuffer.cpp), so the result of a small eager op costs no malloc.
inline constexpr std::size_t kSmallBlockBytes = std::size_t(64) << 10;
/// A 64-byte aligned block of at least `bytes` (a multiple of 64, at most
/// kSmallBlockBytes); null when out of memory.
void *acquireSmallBlock(std::size_t bytes);
/// Returns a block of acquireSmallBlock(bytes), from any thread.
void releaseSmallBlock(void *block, std::size_t bytes);

/// Frees a HostBuffer's bytes the way they were allocated. Outside the
/// class: a nested class's member initializer is not usable inside it.
struct HostBufferDeleter {
  bool pooled = false;
  /// For a block of acquireSmallBlock(), its size; 0 otherwise.
  std::size_t smallBytes = 0;
  void operator()(std::byte *p) const {
    if (pooled)
      mxjit_arena_release(p);
    else if (smallBytes)
      releaseSmallBlock(p, smallBytes);
    else
      std::free(p);
  }
};
} // namespace detail

class HostBuffer {
public:
  static constexpr std::size_t kAlignment = 64;
  /// Buffers from this size up come from the runtime's reusable blocks
  /// (runtime/Arena.h): a training step allocates its outputs again every
  /// step, and blocks that large would otherwise be fresh mmap'ed pages,
  /// faulted in one by one. Smaller ones are cheap for malloc.
  static constexpr std::size_t kPooledBytes = std::size_t(256) << 10;

  /// Tag for storage whose contents the caller overwrites completely (the
  /// outputs of a compiled call), which skips the zero fill.
  struct Uninitialized {};

  HostBuffer() = default;
  /// Zero-filled storage for `spec`.
  explicit HostBuffer(TensorSpec spec) : HostBuffer(std::move(spec), {}) {
    std::memset(mem_.get(), 0, rounded(spec_.byteSize()));
  }
  /// Storage for `spec` with undefined contents.
  HostBuffer(TensorSpec spec, Uninitialized) : spec_(std::move(spec)) {
    std::size_t bytes = rounded(spec_.byteSize());
    bool pooled = bytes >= kPooledBytes;
    std::size_t small =
        !pooled && bytes <= detail::kSmallBlockBytes ? bytes : 0;
    void *p = pooled  ? mxjit_arena_acquire(static_cast<int64_t>(bytes))
              : small ? detail::acquireSmallBlock(bytes)
                      : std::aligned_alloc(kAlignment, bytes);
    if (!p)
      throw std::bad_alloc();
    mem_ = Storage(static_cast<std::byte *>(p),
                   detail::HostBufferDeleter{pooled, small});
  }

  /// A buffer of `spec` holding a copy of `values`.
  template <typename T>
  static HostBuffer fromValues(TensorSpec spec, llvm::ArrayRef<T> values) {
    HostBuffer b(std::move(spec));
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
    if (!mem_)
      return HostBuffer(spec_);
    HostBuffer copy(spec_, Uninitialized{});
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
  /// aligned_alloc wants a multiple of the alignment, and an empty tensor
  /// still gets a valid, unique pointer.
  static std::size_t rounded(std::size_t bytes) {
    return std::max(kAlignment,
                    (bytes + kAlignment - 1) / kAlignment * kAlignment);
  }

  using Storage = std::unique_ptr<std::byte[], detail::HostBufferDeleter>;

  template <typename T> void checkElementType() const {
    if (dtypeOf<T>() != spec_.dtype)
      throw Error("HostBuffer: element type " + dtypeName(dtypeOf<T>()).str() +
                  " requested from a " + spec_.str() + " buffer");
  }

  TensorSpec spec_;
  Storage mem_;
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_HOSTBUFFER_H
