//===- Arena.h - reusable aligned blocks for per-call arenas ---*- C++ -*-===//
//
// Every call of a compiled function needs one arena for its temporaries
// (mx-plan-memory), often tens of megabytes. Blocks that large are above
// glibc's mmap threshold, so malloc maps fresh zeroed pages and free unmaps
// them: each call paid a page fault per 4 KiB touched. The arena functions
// below keep released blocks in a small per-thread cache and hand them out
// again, so a training loop touches the same resident pages every step.
//
// The two entry points are plain C so that generated code (JIT or a future
// AOT object with a small C runtime) can call them by name.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_ARENA_H
#define MXJIT_RUNTIME_ARENA_H

#include <cstddef>
#include <cstdint>

extern "C" {
/// A 64-byte aligned block of at least `bytes` bytes (contents undefined),
/// reused from this thread's cache when one of a fitting size is there.
/// Never returns null: aborts when memory is exhausted, as generated code
/// cannot handle a failed allocation.
void *mxjit_arena_acquire(int64_t bytes);
/// Gives back a block from mxjit_arena_acquire, on any thread; it goes to
/// the releasing thread's cache (bounded) or back to the system. Null is
/// ignored.
void mxjit_arena_release(void *block);
}

namespace mxjit {

/// What the calling thread's arena cache did so far.
struct ArenaStats {
  /// mxjit_arena_acquire calls, and how many were served from the cache.
  uint64_t acquires = 0, reuses = 0;
  /// Blocks and bytes held in the cache now.
  uint64_t cachedBlocks = 0, cachedBytes = 0;
};

ArenaStats threadArenaStats();

/// Frees every block cached by the calling thread.
void trimThreadArenaCache();

/// Cache bounds per thread: MXJIT_ARENA_CACHE_BYTES (default 1 GiB) and at
/// most kArenaCacheBlocks blocks; the least recently released go first.
constexpr std::size_t kArenaCacheBlocks = 16;
std::size_t arenaCacheByteLimit();

} // namespace mxjit

#endif // MXJIT_RUNTIME_ARENA_H
