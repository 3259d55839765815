//===- ThreadPool.cpp - the pool compiled loops run on --------------------===//
//
// One job at a time: the caller publishes (body, ctx, count) and a new
// generation, runs chunks itself and waits until every chunk is done.
// Threads claim chunks from one atomic word that also holds the
// generation, so a worker that wakes late finds nothing left and nobody
// waits for it (the cores are shared with other processes). Compiled kernels
// follow each other within microseconds during a training step, so an idle
// worker spins for a short while before it sleeps on a condition variable: a
// futex wake-up costs more than many small kernels take.
//
//===----------------------------------------------------------------------===//

#include "runtime/ThreadPool.h"

#include "runtime/Error.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#endif

using namespace mxjit;

namespace {

/// How long an idle worker polls for the next job before it sleeps.
constexpr std::chrono::microseconds kSpinTime(300);
/// Chunks per thread: more than one, so that a thread the OS preempts
/// (other processes share the cores) delays the loop by a fraction of its
/// share only.
constexpr int64_t kChunksPerThread = 4;

/// Set on pool workers, and on a caller while it runs chunks: a parallel
/// loop inside a chunk runs inline instead of waiting on the busy pool.
thread_local bool insideParallelRegion = false;

inline void cpuRelax() {
#if defined(__x86_64__) || defined(__i386__)
  _mm_pause();
#else
  std::this_thread::yield();
#endif
}

unsigned defaultNumThreads() {
  unsigned hardware = std::max(1u, std::thread::hardware_concurrency());
  const char *env = std::getenv("MXJIT_NUM_THREADS");
  if (!env || !*env)
    return hardware;
  // Read from inside compiled code too, where nothing may throw: a bad
  // value is reported once and ignored.
  char *end = nullptr;
  long value = std::strtol(env, &end, 10);
  if (*end != '\0' || value < 1 || value > 1024) {
    std::fprintf(stderr,
                 "mxjit: ignoring MXJIT_NUM_THREADS=\"%s\" (expected a "
                 "positive integer); using %u threads\n",
                 env, hardware);
    return hardware;
  }
  return static_cast<unsigned>(value);
}

class Pool {
public:
  using Body = void (*)(void *, int64_t, int64_t);

  static Pool &get() {
    static Pool pool;
    return pool;
  }

  ~Pool() {
    std::lock_guard<std::mutex> job(jobMutex_);
    stopWorkers();
  }

  unsigned threads() const { return threads_.load(std::memory_order_relaxed); }

  void setThreads(unsigned n) {
    std::lock_guard<std::mutex> job(jobMutex_);
    threads_.store(n, std::memory_order_relaxed);
    // Workers start on the next parallel loop, so a process that never
    // runs one never has them.
    stopWorkers();
  }

  void run(Body body, void *ctx, int64_t count) {
    unsigned n = threads();
    if (n <= 1 || count < 2 || insideParallelRegion) {
      body(ctx, 0, count);
      return;
    }
    // Another user thread is running a parallel loop: this one runs inline
    // rather than queueing behind it.
    std::unique_lock<std::mutex> job(jobMutex_, std::try_to_lock);
    if (!job.owns_lock()) {
      body(ctx, 0, count);
      return;
    }
    n = threads();
    if (workers_.size() + 1 != n) {
      stopWorkers();
      startWorkers(n - 1);
    }

    body_ = body;
    ctx_ = ctx;
    count_ = count;
    uint64_t chunks = static_cast<uint64_t>(
        std::min<int64_t>(count, int64_t(n) * kChunksPerThread));
    done_.store(0, std::memory_order_relaxed);
    uint64_t generation = publish(chunks);

    insideParallelRegion = true;
    runChunks(generation);
    insideParallelRegion = false;
    // Only claimed chunks count: a worker that has not woken up yet finds
    // the job gone and never touches it.
    for (unsigned spins = 0; done_.load(std::memory_order_acquire) != chunks;
         ++spins) {
      if (spins < 4096)
        cpuRelax();
      else
        std::this_thread::yield();
    }
  }

private:
  Pool() : threads_(defaultNumThreads()) {}

  // job_ packs (generation << 32 | chunks << 16 | next chunk), so that a
  // claim (one compare-and-swap) can only succeed on the job it was meant
  // for: a worker still looking at a finished job cannot take a chunk of
  // the next one.
  static uint64_t generationOf(uint64_t job) { return job >> 32; }
  static uint64_t chunksOf(uint64_t job) { return (job >> 16) & 0xffff; }
  static uint64_t nextOf(uint64_t job) { return job & 0xffff; }

  /// Starts the next job: under the sleep mutex, so that a worker deciding
  /// to sleep either sees it or gets notified.
  uint64_t publish(uint64_t chunks) {
    bool wake;
    uint64_t generation;
    {
      std::lock_guard<std::mutex> lock(sleepMutex_);
      generation = generationOf(job_.load(std::memory_order_relaxed)) + 1;
      job_.store(generation << 32 | chunks << 16, std::memory_order_release);
      wake = sleepers_ != 0;
    }
    if (wake)
      wakeUp_.notify_all();
    return generation;
  }

  int64_t chunkBegin(uint64_t c, uint64_t chunks) const {
    // Sizes differ by at most one; no c * count_ product to overflow.
    int64_t k = static_cast<int64_t>(c), n = static_cast<int64_t>(chunks);
    return k * (count_ / n) + std::min(k, count_ % n);
  }

  /// Claims and runs chunks of job `generation` until none is left.
  void runChunks(uint64_t generation) {
    uint64_t job = job_.load(std::memory_order_acquire);
    for (;;) {
      if (generationOf(job) != generation || nextOf(job) >= chunksOf(job))
        return;
      if (!job_.compare_exchange_weak(job, job + 1, std::memory_order_acquire,
                                      std::memory_order_acquire))
        continue;
      // The job cannot finish (and its fields change) before this chunk
      // is counted done.
      uint64_t c = nextOf(job), chunks = chunksOf(job);
      body_(ctx_, chunkBegin(c, chunks), chunkBegin(c + 1, chunks));
      done_.fetch_add(1, std::memory_order_release);
      job = job_.load(std::memory_order_acquire);
    }
  }

  void workerLoop(uint64_t seen) {
    insideParallelRegion = true;
    for (;;) {
      uint64_t current;
      auto start = std::chrono::steady_clock::now();
      for (unsigned spins = 1;
           (current = generationOf(job_.load(std::memory_order_acquire))) ==
           seen;
           ++spins) {
        cpuRelax();
        if (spins % 64 != 0 ||
            std::chrono::steady_clock::now() - start < kSpinTime)
          continue;
        std::unique_lock<std::mutex> lock(sleepMutex_);
        ++sleepers_;
        wakeUp_.wait(lock, [&] {
          return generationOf(job_.load(std::memory_order_acquire)) != seen;
        });
        --sleepers_;
        start = std::chrono::steady_clock::now();
      }
      seen = current;
      if (stop_.load(std::memory_order_relaxed))
        return;
      runChunks(seen);
    }
  }

  /// Caller holds jobMutex_.
  void startWorkers(unsigned count) {
    uint64_t seen = generationOf(job_.load(std::memory_order_relaxed));
    for (unsigned i = 0; i < count; ++i)
      workers_.emplace_back([this, seen] { workerLoop(seen); });
  }

  /// Caller holds jobMutex_.
  void stopWorkers() {
    if (workers_.empty())
      return;
    stop_.store(true, std::memory_order_relaxed);
    publish(0);
    for (std::thread &worker : workers_)
      worker.join();
    workers_.clear();
    stop_.store(false, std::memory_order_relaxed);
  }

  std::atomic<unsigned> threads_;
  /// Held by the one caller whose loop owns the workers.
  std::mutex jobMutex_;
  std::vector<std::thread> workers_;

  // The job: written by its caller before publish(), read by whoever
  // claims one of its chunks.
  Body body_ = nullptr;
  void *ctx_ = nullptr;
  int64_t count_ = 0;
  std::atomic<uint64_t> job_{0};
  std::atomic<uint64_t> done_{0};
  std::atomic<bool> stop_{false};

  std::mutex sleepMutex_;
  std::condition_variable wakeUp_;
  unsigned sleepers_ = 0;
};

/// parallelFor's closure behind the C signature.
void callFunctionRef(void *ctx, int64_t begin, int64_t end) {
  (*static_cast<llvm::function_ref<void(int64_t, int64_t)> *>(ctx))(begin, end);
}

} // namespace

void mxjit::setNumThreads(unsigned n) {
  if (n == 0)
    throw Error("setNumThreads: n must be at least 1, got 0");
  Pool::get().setThreads(n);
}

unsigned mxjit::numThreads() { return Pool::get().threads(); }

void mxjit::parallelFor(
    int64_t count, llvm::function_ref<void(int64_t begin, int64_t end)> body) {
  if (count <= 0)
    return;
  Pool::get().run(callFunctionRef, &body, count);
}

extern "C" void mxjit_parallel_for(void (*body)(void *, int64_t, int64_t),
                                   void *ctx, int64_t count) {
  if (count <= 0)
    return;
  Pool::get().run(body, ctx, count);
}
