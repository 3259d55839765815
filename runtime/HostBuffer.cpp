//===- HostBuffer.cpp - per-thread cache of small aligned blocks ----------===//
//
// Every eager NDArray op allocates its result, usually a small one. 64-byte
// aligned allocation (aligned_alloc) bypasses glibc's per-thread cache and
// splits chunks in its bins, so its cost depended on the heap's history:
// the same op's dispatch took 0.8 us in one process and 1.4 us in another.
// Blocks up to kSmallBlockBytes are therefore kept, per power-of-two size
// class, in a small per-thread free list.
//
//===----------------------------------------------------------------------===//

#include "runtime/HostBuffer.h"
#include "runtime/ThreadLocalCache.h"

#include <array>

using namespace mxjit;

namespace {

constexpr std::size_t kMinClassBytes = HostBuffer::kAlignment;
constexpr std::size_t kClasses = 11; // 64 B ... 64 KiB
static_assert(kMinClassBytes << (kClasses - 1) == detail::kSmallBlockBytes);
/// Blocks kept per class: at most 16, and at most 256 KiB of them, so a
/// thread holds at most about 1.3 MiB it does not use.
constexpr std::size_t kMaxCachedPerClass = 16;
constexpr std::size_t kMaxCachedBytesPerClass = std::size_t(256) << 10;

/// The class of a block of `bytes` (a multiple of 64, at most
/// kSmallBlockBytes): the smallest power of two times 64 that holds it.
unsigned classOf(std::size_t bytes) {
  unsigned c = 0;
  while ((kMinClassBytes << c) < bytes)
    ++c;
  return c;
}

std::size_t classBytes(unsigned c) { return kMinClassBytes << c; }

struct SmallBlockCache {
  std::array<std::array<void *, kMaxCachedPerClass>, kClasses> blocks{};
  std::array<unsigned, kClasses> counts{};

  ~SmallBlockCache() {
    for (unsigned c = 0; c < kClasses; ++c)
      for (unsigned i = 0; i < counts[c]; ++i)
        std::free(blocks[c][i]);
  }
};

SmallBlockCache *threadCache() {
  return detail::threadLocalCache<SmallBlockCache>();
}

} // namespace

void *detail::acquireSmallBlock(std::size_t bytes) {
  unsigned c = classOf(bytes);
  if (SmallBlockCache *cache = threadCache(); cache && cache->counts[c])
    return cache->blocks[c][--cache->counts[c]];
  return std::aligned_alloc(HostBuffer::kAlignment, classBytes(c));
}

void detail::releaseSmallBlock(void *block, std::size_t bytes) {
  unsigned c = classOf(bytes);
  SmallBlockCache *cache = threadCache();
  if (cache && cache->counts[c] < kMaxCachedPerClass &&
      cache->counts[c] * classBytes(c) < kMaxCachedBytesPerClass) {
    cache->blocks[c][cache->counts[c]++] = block;
    return;
  }
  std::free(block);
}
