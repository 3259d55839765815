//===- CompileCacheTest.cpp - hits, misses, threads, failures -------------===//

#include "runtime/CompileCache.h"
#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <atomic>
#include <chrono>
#include <thread>

using namespace mxjit;

namespace {

const char *kNeg = R"mlir(
func.func @neg(%x: tensor<8xf32>) -> tensor<8xf32> {
  %init = tensor.empty() : tensor<8xf32>
  %r = linalg.negf ins(%x : tensor<8xf32>) outs(%init : tensor<8xf32>)
      -> tensor<8xf32>
  return %r : tensor<8xf32>
}
)mlir";

class CompileCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    context = createContext();
    module = parseModule(*context, kNeg);
  }

  CacheKey keyFor(std::vector<int64_t> shape) const {
    CacheKey key;
    key.fingerprint = 42;
    key.inputs = {TensorSpec(std::move(shape), DType::Float32)};
    key.options = CompileOptions().key();
    return key;
  }

  std::shared_ptr<CompiledFunction> compileNeg() {
    ++compiles;
    return compile(*module, "neg");
  }

  std::unique_ptr<mlir::MLIRContext> context;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::atomic<int> compiles{0};
};

TEST_F(CompileCacheTest, CountsHitsAndMisses) {
  CompileCache cache;
  auto a = cache.getOrCompile(keyFor({8}), [&] { return compileNeg(); });
  auto b = cache.getOrCompile(keyFor({8}), [&] { return compileNeg(); });
  EXPECT_EQ(a, b);
  EXPECT_EQ(compiles, 1);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, 1u);
  EXPECT_EQ(s.entries, 1u);
  EXPECT_GT(s.compileMs, 0.0);
  EXPECT_EQ(cache.find(keyFor({8})), a);
  EXPECT_EQ(cache.find(keyFor({9})), nullptr);

  // Any part of the key changing is a different entry.
  CacheKey other = keyFor({8});
  other.device = "cuda:0";
  cache.getOrCompile(other, [&] { return compileNeg(); });
  other = keyFor({8});
  other.options = "O0,fuse=1";
  cache.getOrCompile(other, [&] { return compileNeg(); });
  EXPECT_EQ(compiles, 3);
  EXPECT_EQ(cache.stats().entries, 3u);

  cache.clear();
  EXPECT_EQ(cache.stats().entries, 0u);
  EXPECT_EQ(cache.stats().misses, 3u); // stats survive clear()
  cache.getOrCompile(keyFor({8}), [&] { return compileNeg(); });
  EXPECT_EQ(compiles, 4);
  // The function handed out before clear() still runs.
  float x[8] = {1, 2, 3, 4, 5, 6, 7, 8}, out[8] = {};
  a->call({x}, {out});
  EXPECT_EQ(out[7], -8.0f);

  cache.resetStats();
  s = cache.stats();
  EXPECT_EQ(s.hits + s.misses + s.failures, 0u);
  EXPECT_EQ(s.compileMs, 0.0);
  EXPECT_EQ(s.entries, 1u);
}

TEST_F(CompileCacheTest, ConcurrentRequestsCompileOnce) {
  CompileCache cache;
  constexpr int kThreads = 8;
  std::atomic<int> ready{0};
  std::vector<std::shared_ptr<CompiledFunction>> got(kThreads);
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&, t] {
      ++ready;
      while (ready < kThreads)
        std::this_thread::yield();
      got[t] = cache.getOrCompile(keyFor({8}), [&] {
        // Keep the compile in flight long enough for every thread to ask.
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
        return compileNeg();
      });
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(compiles, 1);
  for (int t = 0; t < kThreads; ++t)
    EXPECT_EQ(got[t], got[0]);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.misses, 1u);
  EXPECT_EQ(s.hits, static_cast<uint64_t>(kThreads - 1));

  // And every thread may call the result at once.
  std::vector<std::thread> callers;
  std::atomic<int> wrong{0};
  for (int t = 0; t < kThreads; ++t)
    callers.emplace_back([&, t] {
      float x[8], out[8];
      for (int r = 0; r < 200; ++r) {
        for (int i = 0; i < 8; ++i)
          x[i] = static_cast<float>(t * 100 + r + i);
        got[t]->call({x}, {out});
        for (int i = 0; i < 8; ++i)
          wrong += out[i] != -x[i];
      }
    });
  for (std::thread &t : callers)
    t.join();
  EXPECT_EQ(wrong, 0);
}

TEST_F(CompileCacheTest, DifferentKeysCompileConcurrently) {
  // Four shapes at once in one context; each needs its own module.
  CompileCache cache;
  std::vector<std::thread> threads;
  std::atomic<int> failures{0};
  for (int t = 0; t < 4; ++t)
    threads.emplace_back([&, t] {
      int64_t n = 8 + t;
      std::string text = kNeg;
      for (size_t at = text.find("8xf32"); at != std::string::npos;
           at = text.find("8xf32", at + 1))
        text.replace(at, 1, std::to_string(n));
      try {
        auto fn = cache.getOrCompile(keyFor({n}), [&] {
          mlir::OwningOpRef<mlir::ModuleOp> m;
          {
            static std::mutex parseMutex;
            std::lock_guard<std::mutex> lock(parseMutex);
            m = parseModule(*context, text);
          }
          return compile(*m, "neg");
        });
        std::vector<float> x(n, 2.0f), out(n);
        fn->call({x.data()}, {out.data()});
        failures += out[n - 1] != -2.0f;
      } catch (const Error &e) {
        ADD_FAILURE() << e.what();
        ++failures;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(failures, 0);
  EXPECT_EQ(cache.stats().misses, 4u);
}

TEST_F(CompileCacheTest, FailedCompileIsNotCachedAndReachesEveryWaiter) {
  CompileCache cache;
  constexpr int kThreads = 4;
  std::atomic<int> attempts{0}, caught{0}, ready{0};
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t)
    threads.emplace_back([&] {
      ++ready;
      while (ready < kThreads)
        std::this_thread::yield();
      try {
        cache.getOrCompile(
            keyFor({8}), [&]() -> std::shared_ptr<CompiledFunction> {
              ++attempts;
              std::this_thread::sleep_for(std::chrono::milliseconds(100));
              throw Error("lowering failed: no pattern");
            });
      } catch (const Error &e) {
        if (std::string(e.what()) == "lowering failed: no pattern")
          ++caught;
      }
    });
  for (std::thread &t : threads)
    t.join();
  EXPECT_EQ(attempts, 1);
  EXPECT_EQ(caught, kThreads);
  CacheStats s = cache.stats();
  EXPECT_EQ(s.failures, 1u);
  EXPECT_EQ(s.entries, 0u);

  // The next request tries again, and may succeed.
  auto fn = cache.getOrCompile(keyFor({8}), [&] { return compileNeg(); });
  EXPECT_TRUE(fn);
  EXPECT_EQ(cache.stats().misses, 2u);
  EXPECT_EQ(cache.stats().entries, 1u);
}

TEST_F(CompileCacheTest, RealCompileErrorIsNotCached) {
  CompileCache cache;
  auto bad = parseModule(*context, R"mlir(
func.func @bad(%x: tensor<8xf32>) -> tensor<8xf32> {
  %d = tensor.cast %x : tensor<8xf32> to tensor<?xf32>
  %e = mx.relu %d : tensor<?xf32>
  %r = tensor.cast %e : tensor<?xf32> to tensor<8xf32>
  return %r : tensor<8xf32>
})mlir");
  for (int i = 0; i < 2; ++i) {
    try {
      cache.getOrCompile(keyFor({8}), [&] { return compile(*bad, "bad"); });
      FAIL() << "no exception";
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find("'mx.relu' op has dynamic shapes"),
                std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ(cache.stats().failures, 2u);
  EXPECT_EQ(cache.stats().misses, 2u);
  EXPECT_EQ(cache.stats().entries, 0u);
}

TEST(CacheKey, EqualityHashAndPrinting) {
  CacheKey a;
  a.fingerprint = 0xabc;
  a.inputs = {TensorSpec({4, 4}, DType::Float32),
              TensorSpec({4}, DType::Float32)};
  a.options = "O3,fuse=1";
  CacheKey b = a;
  EXPECT_EQ(a, b);
  EXPECT_EQ(a.hash(), b.hash());
  b.inputs[1].dtype = DType::Float64;
  EXPECT_NE(a, b);
  EXPECT_NE(a.hash(), b.hash());
  EXPECT_EQ(a.str(),
            "0000000000000abc:(4,4) float32;(4,) float32:O3,fuse=1:cpu");
  EXPECT_EQ(&defaultCompileCache(), &defaultCompileCache());
}

} // namespace

TEST_F(CompileCacheTest, CompiledListsFinishedEntries) {
  CompileCache cache;
  EXPECT_TRUE(cache.compiled().empty());
  auto a = cache.getOrCompile(keyFor({8}), [&] { return compileNeg(); });
  EXPECT_THROW(cache.getOrCompile(keyFor({4}),
                                  [&]() -> std::shared_ptr<CompiledFunction> {
                                    throw Error("no");
                                  }),
               Error);
  auto listed = cache.compiled();
  ASSERT_EQ(listed.size(), 1u);
  EXPECT_EQ(listed[0].first, keyFor({8}));
  EXPECT_EQ(listed[0].second, a);
  EXPECT_EQ(cache.stats().hits, 0u);
}
