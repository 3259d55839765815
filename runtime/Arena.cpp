//===- Arena.cpp - reusable aligned blocks for per-call arenas ------------===//

#include "runtime/Arena.h"
#include "runtime/ThreadLocalCache.h"

#include <algorithm>
#include <array>
#include <cstdio>
#include <cstdlib>
#include <new>
#include <string>

using namespace mxjit;

namespace {

constexpr std::size_t kAlign = 64;
/// Block capacities are rounded up to whole pages, so requests that differ
/// by a few bytes (another shape of the same net) share blocks.
constexpr std::size_t kGranule = 4096;

/// Sits in the 64 bytes in front of every block: the capacity after it,
/// which release needs to cache the block.
struct alignas(kAlign) Header {
  std::size_t capacity;
};
static_assert(sizeof(Header) == kAlign);

Header *headerOf(void *block) { return static_cast<Header *>(block) - 1; }

void *allocateBlock(std::size_t capacity) {
  void *p = std::aligned_alloc(kAlign, sizeof(Header) + capacity);
  if (!p) {
    std::fprintf(stderr, "mxjit: out of memory allocating a %zu-byte arena\n",
                 capacity);
    std::abort();
  }
  auto *h = static_cast<Header *>(p);
  h->capacity = capacity;
  return h + 1;
}

void freeBlock(void *block) { std::free(headerOf(block)); }

/// The released blocks of one thread, oldest first. A fixed array: the
/// cache is touched on every compiled call and must not allocate itself.
struct ThreadCache {
  std::array<void *, kArenaCacheBlocks> blocks{};
  std::size_t count = 0, bytes = 0;
  uint64_t acquires = 0, reuses = 0;

  ~ThreadCache() { trim(); }

  void trim() {
    for (std::size_t i = 0; i < count; ++i)
      freeBlock(blocks[i]);
    count = bytes = 0;
  }

  /// The smallest cached block of at least `capacity` bytes, unless it is
  /// more than twice that: a small call should not pin a huge block that
  /// the next large call then has to allocate again.
  void *take(std::size_t capacity) {
    std::size_t best = count;
    for (std::size_t i = 0; i < count; ++i) {
      std::size_t c = headerOf(blocks[i])->capacity;
      if (c >= capacity && c / 2 <= capacity &&
          (best == count || c < headerOf(blocks[best])->capacity))
        best = i;
    }
    if (best == count)
      return nullptr;
    void *block = blocks[best];
    bytes -= headerOf(block)->capacity;
    std::move(blocks.begin() + best + 1, blocks.begin() + count,
              blocks.begin() + best);
    --count;
    return block;
  }

  void put(void *block) {
    std::size_t capacity = headerOf(block)->capacity;
    std::size_t limit = arenaCacheByteLimit();
    if (capacity > limit) {
      freeBlock(block);
      return;
    }
    while (count == blocks.size() || bytes + capacity > limit) {
      bytes -= headerOf(blocks[0])->capacity;
      freeBlock(blocks[0]);
      std::move(blocks.begin() + 1, blocks.begin() + count, blocks.begin());
      --count;
    }
    blocks[count++] = block;
    bytes += capacity;
  }
};

ThreadCache *threadCache() { return detail::threadLocalCache<ThreadCache>(); }

} // namespace

std::size_t mxjit::arenaCacheByteLimit() {
  static const std::size_t limit = [] {
    if (const char *env = std::getenv("MXJIT_ARENA_CACHE_BYTES")) {
      char *end = nullptr;
      unsigned long long v = std::strtoull(env, &end, 10);
      if (end != env && *end == '\0')
        return static_cast<std::size_t>(v);
      std::fprintf(stderr,
                   "mxjit: ignoring MXJIT_ARENA_CACHE_BYTES=%s (not a byte "
                   "count)\n",
                   env);
    }
    return static_cast<std::size_t>(1) << 30;
  }();
  return limit;
}

extern "C" void *mxjit_arena_acquire(int64_t bytes) {
  std::size_t want = bytes > 0 ? static_cast<std::size_t>(bytes) : 1;
  std::size_t capacity = (want + kGranule - 1) / kGranule * kGranule;
  if (ThreadCache *cache = threadCache()) {
    ++cache->acquires;
    if (void *block = cache->take(capacity)) {
      ++cache->reuses;
      return block;
    }
  }
  return allocateBlock(capacity);
}

extern "C" void mxjit_arena_release(void *block) {
  if (!block)
    return;
  if (ThreadCache *cache = threadCache())
    cache->put(block);
  else
    freeBlock(block);
}

ArenaStats mxjit::threadArenaStats() {
  ArenaStats s;
  if (ThreadCache *cache = threadCache()) {
    s.acquires = cache->acquires;
    s.reuses = cache->reuses;
    s.cachedBlocks = cache->count;
    s.cachedBytes = cache->bytes;
  }
  return s;
}

void mxjit::trimThreadArenaCache() {
  if (ThreadCache *cache = threadCache())
    cache->trim();
}
