//===- ArenaTest.cpp - the runtime's reusable arena blocks ----------------===//
//
// mxjit_arena_acquire/release hand compiled calls their arena: released
// blocks are reused by later calls on the same thread (so a training loop
// keeps touching resident pages), the cache is bounded, and threads
// calling at once never share a block. A compiled MLP step reuses its
// arena from the second call on.
//
//===----------------------------------------------------------------------===//

#include "runtime/Arena.h"
#include "runtime/Context.h"
#include "runtime/HostBuffer.h"
#include "runtime/JitEngine.h"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <thread>
#include <vector>

using namespace mxjit;

namespace {

TEST(Arena, BlocksAreAlignedAndWritable) {
  for (int64_t bytes : {0, 1, 63, 4096, 5000, 1 << 20}) {
    void *p = mxjit_arena_acquire(bytes);
    ASSERT_NE(p, nullptr);
    EXPECT_EQ(reinterpret_cast<uintptr_t>(p) % 64, 0u) << bytes;
    std::memset(p, 0xab, static_cast<size_t>(std::max<int64_t>(bytes, 1)));
    mxjit_arena_release(p);
  }
  mxjit_arena_release(nullptr);
  trimThreadArenaCache();
}

TEST(Arena, ReleasedBlockIsReusedOnTheSameThread) {
  trimThreadArenaCache();
  ArenaStats before = threadArenaStats();
  void *a = mxjit_arena_acquire(3 << 20);
  mxjit_arena_release(a);
  EXPECT_EQ(threadArenaStats().cachedBlocks, 1u);
  // A slightly smaller request fits the same block.
  void *b = mxjit_arena_acquire((3 << 20) - 100);
  EXPECT_EQ(a, b);
  ArenaStats after = threadArenaStats();
  EXPECT_EQ(after.acquires - before.acquires, 2u);
  EXPECT_EQ(after.reuses - before.reuses, 1u);
  EXPECT_EQ(after.cachedBlocks, 0u);
  mxjit_arena_release(b);
  trimThreadArenaCache();
  EXPECT_EQ(threadArenaStats().cachedBytes, 0u);
}

TEST(Arena, OutstandingBlocksAreDistinct) {
  // Nested compiled calls on one thread each hold their own arena.
  std::vector<void *> held;
  for (int i = 0; i < 4; ++i)
    held.push_back(mxjit_arena_acquire(1 << 16));
  EXPECT_EQ(std::set<void *>(held.begin(), held.end()).size(), held.size());
  for (void *p : held)
    mxjit_arena_release(p);
  trimThreadArenaCache();
}

TEST(Arena, SmallRequestDoesNotTakeAHugeBlock) {
  trimThreadArenaCache();
  void *big = mxjit_arena_acquire(64 << 20);
  mxjit_arena_release(big);
  void *small = mxjit_arena_acquire(4096);
  EXPECT_NE(small, big);
  EXPECT_EQ(threadArenaStats().cachedBlocks, 1u);
  mxjit_arena_release(small);
  trimThreadArenaCache();
}

TEST(Arena, CacheIsBounded) {
  trimThreadArenaCache();
  std::vector<void *> held;
  for (size_t i = 0; i < 2 * kArenaCacheBlocks; ++i)
    held.push_back(mxjit_arena_acquire(8192 * (i + 1)));
  for (void *p : held)
    mxjit_arena_release(p);
  ArenaStats s = threadArenaStats();
  EXPECT_EQ(s.cachedBlocks, kArenaCacheBlocks);
  EXPECT_LE(s.cachedBytes, arenaCacheByteLimit());
  trimThreadArenaCache();
}

TEST(Arena, ThreadsKeepTheirOwnBlocks) {
  // Several threads acquire, fill, check and release at once; a block
  // shared between two threads would show the other thread's pattern.
  std::vector<std::thread> threads;
  std::vector<int> failures(4, 0);
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([t, &failures] {
      for (int iter = 0; iter < 200; ++iter) {
        size_t bytes = 1 << 18;
        auto *p = static_cast<unsigned char *>(
            mxjit_arena_acquire(static_cast<int64_t>(bytes)));
        std::memset(p, t + 1, bytes);
        std::this_thread::yield();
        for (size_t i = 0; i < bytes; i += 4093)
          failures[t] += p[i] != t + 1;
        mxjit_arena_release(p);
      }
      // Released blocks were reused after the first iteration.
      if (threadArenaStats().reuses < 199)
        ++failures[t];
    });
  for (std::thread &th : threads)
    th.join();
  for (int t = 0; t < 4; ++t)
    EXPECT_EQ(failures[t], 0) << "thread " << t;
}

TEST(Arena, ReleaseOnAnotherThread) {
  void *p = mxjit_arena_acquire(1 << 20);
  std::thread([p] {
    mxjit_arena_release(p);
    EXPECT_EQ(threadArenaStats().cachedBlocks, 1u);
  }).join(); // the block is freed when that thread exits
}

TEST(Arena, LargeHostBuffersComeFromTheCache) {
  trimThreadArenaCache();
  TensorSpec spec({1 << 18}, DType::Float32); // 1 MiB
  void *first;
  {
    HostBuffer b(spec);
    first = b.data();
  }
  ArenaStats before = threadArenaStats();
  HostBuffer again(spec);
  EXPECT_EQ(again.data(), first);
  EXPECT_EQ(threadArenaStats().reuses, before.reuses + 1);
  // Zero-filled even though the block was used before.
  for (float v : again.values<float>())
    ASSERT_EQ(v, 0.0f);
}

TEST(Arena, CompiledCallsReuseTheirArena) {
  auto context = createContext();
  // exp, a matrix product and sqrt of a 256x256 input: the product's
  // operand and result are temporaries in the arena.
  auto module = parseModule(*context, R"mlir(
func.func @f(%x: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %e = mx.exp %x : tensor<256x256xf32>
  %d = mx.dot %e, %e : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  %s = mx.sqrt %d : tensor<256x256xf32>
  return %s : tensor<256x256xf32>
}
)mlir");
  auto fn = compile(*module, "f");
  ASSERT_GT(fn->memoryPlan().plannedPeakBytes, 0u);
  HostBuffer x(fn->inputs()[0]);
  trimThreadArenaCache();
  ArenaStats before = threadArenaStats();
  std::vector<HostBuffer> first = fn->run({&x});
  std::vector<HostBuffer> second = fn->run({&x});
  ArenaStats after = threadArenaStats();
  EXPECT_GE(after.acquires - before.acquires, 2u);
  EXPECT_GE(after.reuses - before.reuses, 1u);
  // exp(0) = 1, so every element is sqrt(256 * 1 * 1) = 16.
  for (float v : second[0].values<float>())
    ASSERT_FLOAT_EQ(v, 16.0f);
}

} // namespace
