//===- ThreadPoolTest.cpp - the runtime thread pool and mx-parallelize ----===//
//
// The pool splits ranges into chunks covering every index exactly once, on
// several threads, from nested and concurrent callers; compiled functions
// give bit-identical results with 1 and 2 threads (only parallel loops are
// split) and with mx-parallelize off.
//
// Exceptions: generated code has no unwind tables and the pool's entry
// point is a C function, so a body cannot throw through it; parallelFor's
// callers must not throw from the body either (std::terminate).
//
//===----------------------------------------------------------------------===//

#include "runtime/ThreadPool.h"
#include "runtime/Context.h"
#include "runtime/Error.h"
#include "runtime/HostBuffer.h"
#include "runtime/JitEngine.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <cstring>
#include <mutex>
#include <random>
#include <set>
#include <thread>
#include <vector>

using namespace mxjit;

namespace {

/// Restores the thread count a test changed.
class ThreadCount {
public:
  explicit ThreadCount(unsigned n) : saved_(numThreads()) { setNumThreads(n); }
  ~ThreadCount() { setNumThreads(saved_); }

private:
  unsigned saved_;
};

/// Runs parallelFor over [0, count) and checks each index ran once.
void expectCoveredOnce(int64_t count) {
  std::vector<std::atomic<int>> hits(count);
  parallelFor(count, [&](int64_t begin, int64_t end) {
    ASSERT_LE(0, begin);
    ASSERT_LT(begin, end);
    ASSERT_LE(end, count);
    for (int64_t i = begin; i < end; ++i)
      hits[i].fetch_add(1, std::memory_order_relaxed);
  });
  for (int64_t i = 0; i < count; ++i)
    ASSERT_EQ(hits[i].load(), 1) << "index " << i << " of " << count;
}

TEST(ThreadPool, ChunksCoverTheRangeExactlyOnce) {
  for (unsigned threads : {1u, 2u, 3u}) {
    ThreadCount scope(threads);
    for (int64_t count : {1, 2, 3, 7, 8, 9, 64, 1000, 12345})
      expectCoveredOnce(count);
  }
}

TEST(ThreadPool, EmptyRangeCallsNothing) {
  ThreadCount scope(2);
  bool called = false;
  parallelFor(0, [&](int64_t, int64_t) { called = true; });
  parallelFor(-5, [&](int64_t, int64_t) { called = true; });
  EXPECT_FALSE(called);
}

std::set<std::thread::id> threadsUsed(int64_t chunks) {
  std::mutex mutex;
  std::set<std::thread::id> ids;
  parallelFor(chunks, [&](int64_t begin, int64_t end) {
    // Long enough that a sleeping worker wakes before the caller is done.
    std::this_thread::sleep_for(std::chrono::milliseconds(5) * (end - begin));
    std::lock_guard<std::mutex> lock(mutex);
    ids.insert(std::this_thread::get_id());
  });
  return ids;
}

TEST(ThreadPool, TwoThreadsShareTheWork) {
  ThreadCount scope(2);
  EXPECT_EQ(threadsUsed(16).size(), 2u);
}

TEST(ThreadPool, OneThreadRunsInline) {
  ThreadCount scope(1);
  std::set<std::thread::id> ids = threadsUsed(8);
  ASSERT_EQ(ids.size(), 1u);
  EXPECT_EQ(*ids.begin(), std::this_thread::get_id());
}

TEST(ThreadPool, NestedLoopsRunInline) {
  ThreadCount scope(2);
  constexpr int64_t outer = 16, inner = 100;
  std::vector<std::atomic<int>> hits(outer * inner);
  parallelFor(outer, [&](int64_t begin, int64_t end) {
    for (int64_t i = begin; i < end; ++i) {
      std::thread::id self = std::this_thread::get_id();
      parallelFor(inner, [&](int64_t b, int64_t e) {
        // Inline: the chunk's own thread runs all of the nested loop.
        EXPECT_EQ(std::this_thread::get_id(), self);
        for (int64_t j = b; j < e; ++j)
          hits[i * inner + j].fetch_add(1);
      });
    }
  });
  for (auto &hit : hits)
    ASSERT_EQ(hit.load(), 1);
}

TEST(ThreadPool, ConcurrentCallersEachCoverTheirRange) {
  ThreadCount scope(2);
  std::vector<std::thread> callers;
  for (int t = 0; t < 4; ++t)
    callers.emplace_back([t] {
      for (int rep = 0; rep < 200; ++rep)
        expectCoveredOnce(100 + t * 37 + rep);
    });
  for (std::thread &caller : callers)
    caller.join();
}

TEST(ThreadPool, ResizingBetweenLoops) {
  for (unsigned threads : {2u, 4u, 1u, 3u, 2u}) {
    ThreadCount scope(threads);
    EXPECT_EQ(numThreads(), threads);
    expectCoveredOnce(999);
  }
}

TEST(ThreadPool, ZeroThreadsIsAnError) {
  EXPECT_THROW(setNumThreads(0), Error);
}

// Compiled functions: 1 thread, 2 threads and no mx-parallelize agree bit
// for bit.
const char *kKernels = R"mlir(
func.func @matmul(%a: tensor<192x256xf32>, %b: tensor<256x320xf32>)
    -> tensor<192x320xf32> {
  %0 = mx.dot %a, %b
      : (tensor<192x256xf32>, tensor<256x320xf32>) -> tensor<192x320xf32>
  return %0 : tensor<192x320xf32>
}
func.func @conv(%x: tensor<8x8x24x24xf32>, %w: tensor<16x8x5x5xf32>,
                %b: tensor<16xf32>) -> tensor<8x16x20x20xf32> {
  %0 = mx.convolution %x, %w, %b {kernel = array<i64: 5, 5>,
                                  num_filter = 16 : i64}
      : (tensor<8x8x24x24xf32>, tensor<16x8x5x5xf32>, tensor<16xf32>)
      -> tensor<8x16x20x20xf32>
  return %0 : tensor<8x16x20x20xf32>
}
func.func @reduce(%x: tensor<384x1000xf32>) -> (tensor<384xf32>, tensor<1000xf32>) {
  %rows = mx.sum %x {axis = array<i64: 1>} : (tensor<384x1000xf32>) -> tensor<384xf32>
  %cols = mx.sum %x {axis = array<i64: 0>} : (tensor<384x1000xf32>) -> tensor<1000xf32>
  return %rows, %cols : tensor<384xf32>, tensor<1000xf32>
}
func.func @softmax_sum(%x: tensor<256x1000xf32>, %v: tensor<262144xf32>)
    -> (tensor<256x1000xf32>, tensor<1xf32>) {
  %0 = mx.softmax %x : tensor<256x1000xf32>
  %1 = mx.sum %v : (tensor<262144xf32>) -> tensor<1xf32>
  return %0, %1 : tensor<256x1000xf32>, tensor<1xf32>
}
func.func @chain(%a: tensor<1000x999xf32>, %b: tensor<1000x999xf32>)
    -> tensor<1000x999xf32> {
  %0 = mx.multiply %a, %b
      : (tensor<1000x999xf32>, tensor<1000x999xf32>) -> tensor<1000x999xf32>
  %1 = mx.tanh %0 : tensor<1000x999xf32>
  %2 = mx.add %1, %a
      : (tensor<1000x999xf32>, tensor<1000x999xf32>) -> tensor<1000x999xf32>
  %3 = mx.exp %2 : tensor<1000x999xf32>
  return %3 : tensor<1000x999xf32>
}
)mlir";

std::vector<HostBuffer> runWith(llvm::StringRef entry, unsigned threads,
                                bool parallelize) {
  auto context = createContext();
  auto module = parseModule(*context, kKernels);
  CompileOptions options;
  options.parallelize = parallelize;
  auto fn = compile(*module, entry, options);

  std::mt19937 gen(11);
  std::uniform_real_distribution<float> dist(-1, 1);
  std::vector<HostBuffer> inputs;
  for (const TensorSpec &spec : fn->inputs()) {
    inputs.emplace_back(spec);
    auto *data = static_cast<float *>(inputs.back().data());
    for (int64_t j = 0; j < spec.numElements(); ++j)
      data[j] = dist(gen);
  }
  std::vector<const HostBuffer *> in;
  for (const HostBuffer &b : inputs)
    in.push_back(&b);
  ThreadCount scope(threads);
  return fn->run(in);
}

void expectBitIdentical(llvm::StringRef entry) {
  std::vector<HostBuffer> serial = runWith(entry, 1, /*parallelize=*/false);
  for (auto [threads, parallelize] :
       {std::pair{1u, true}, std::pair{2u, true}, std::pair{3u, true}}) {
    std::vector<HostBuffer> got = runWith(entry, threads, parallelize);
    ASSERT_EQ(got.size(), serial.size());
    for (size_t i = 0; i < got.size(); ++i) {
      ASSERT_EQ(got[i].spec(), serial[i].spec());
      EXPECT_EQ(std::memcmp(got[i].data(), serial[i].data(), got[i].byteSize()),
                0)
          << entry.str() << " result " << i << " with " << threads
          << " threads";
    }
  }
}

TEST(ParallelCode, MatmulIsBitIdenticalAcrossThreadCounts) {
  expectBitIdentical("matmul");
}
TEST(ParallelCode, ConvolutionIsBitIdenticalAcrossThreadCounts) {
  expectBitIdentical("conv");
}
TEST(ParallelCode, ReductionsAreBitIdenticalAcrossThreadCounts) {
  expectBitIdentical("reduce");
}
// Vectorized softmax and a long full sum (split into rows of partial sums).
TEST(ParallelCode, SoftmaxAndFullSumAreBitIdenticalAcrossThreadCounts) {
  expectBitIdentical("softmax_sum");
}
TEST(ParallelCode, ElementwiseChainIsBitIdenticalAcrossThreadCounts) {
  expectBitIdentical("chain");
}

TEST(ParallelCode, ThreadCountIsNotPartOfTheCacheKey) {
  CompileOptions options;
  std::string before = options.key();
  ThreadCount scope(numThreads() == 1 ? 2 : 1);
  EXPECT_EQ(CompileOptions().key(), before);
  CompileOptions off;
  off.parallelize = false;
  EXPECT_NE(off.key(), before);
}

} // namespace
