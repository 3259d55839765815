//===- CompileCache.h - shape-keyed cache of compiled functions -*- C++ -*-===//
//
// A training loop runs the same graph on the same shapes thousands of times;
// it must compile once. The cache maps (graph fingerprint, input specs,
// options, device) to a CompiledFunction and is safe to use from any number
// of threads: concurrent requests for one key compile it exactly once.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_COMPILECACHE_H
#define MXJIT_RUNTIME_COMPILECACHE_H

#include "runtime/JitEngine.h"
#include "runtime/TensorSpec.h"

#include "llvm/ADT/STLFunctionalExtras.h"

#include <cstdint>
#include <future>
#include <memory>
#include <mutex>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace mxjit {

struct CacheKey {
  /// moduleFingerprint() of the module and entry.
  uint64_t fingerprint = 0;
  std::vector<TensorSpec> inputs;
  /// CompileOptions::key().
  std::string options;
  std::string device = "cpu";
  /// The shape-generic variant of a family of graphs that differ only in
  /// their batch size; `inputs` then have `?` (TensorSpec::kDynamicDim)
  /// batch dimensions.
  bool generic = false;

  /// Stable across processes (usable as a file name for an on-disk cache).
  uint64_t hash() const;
  /// Human-readable, for logs: "3f2a...:(4,4) float32;(4,) float32:O3,...:cpu"
  std::string str() const;

  friend bool operator==(const CacheKey &a, const CacheKey &b) {
    return a.fingerprint == b.fingerprint && a.inputs == b.inputs &&
           a.options == b.options && a.device == b.device &&
           a.generic == b.generic;
  }
  friend bool operator!=(const CacheKey &a, const CacheKey &b) {
    return !(a == b);
  }
};

struct CacheStats {
  /// Requests that found an entry, finished or still compiling.
  uint64_t hits = 0;
  /// Requests that started a compile function (a compile, or a load from
  /// the on-disk cache inside compile()).
  uint64_t misses = 0;
  /// Compile functions that returned freshly generated code.
  uint64_t compiles = 0;
  /// Compile functions that returned code from the on-disk compile cache
  /// (CompiledFunction::loadedFromDisk()).
  uint64_t diskHits = 0;
  /// Compiles that threw (their keys are not cached).
  uint64_t failures = 0;
  /// Wall-clock time spent in compile functions, failed ones and disk
  /// loads included.
  double compileMs = 0;
  /// Entries now in the cache, compiling ones included.
  std::size_t entries = 0;
  /// Of the hits and misses above, those for shape-generic keys
  /// (CacheKey::generic): calls routed to a generic variant, and compiles
  /// of one.
  uint64_t genericHits = 0;
  uint64_t genericCompiles = 0;
};

/// After how many distinct batch sizes of one graph the frontends compile
/// its shape-generic variant instead of another static one (0: never).
/// Defaults to 3, or to the environment variable
/// MXJIT_GENERIC_BATCH_AFTER when set. See docs/runtime.md.
unsigned genericBatchThreshold();
void setGenericBatchThreshold(unsigned k);

class CompileCache {
public:
  using CompileFn = llvm::function_ref<std::shared_ptr<CompiledFunction>()>;

  /// The function cached under `key`, or the result of `compile` which is
  /// then cached. While one thread compiles a key, other requests for it
  /// wait for that compile. If it throws, the key is left uncached and the
  /// exception is rethrown in the compiling thread and in every waiter.
  std::shared_ptr<CompiledFunction> getOrCompile(const CacheKey &key,
                                                 CompileFn compile);

  /// The function cached under `key` (waiting for it while it compiles),
  /// counted as a hit; null when there is none, which counts nothing: the
  /// caller may then pick another key, or call getOrCompile().
  std::shared_ptr<CompiledFunction> lookup(const CacheKey &key);

  /// The finished function cached under `key`, or null (a miss, or still
  /// compiling). Does not count in the stats.
  std::shared_ptr<CompiledFunction> find(const CacheKey &key) const;

  /// Every finished function in the cache with its key (compiling and
  /// failed ones are left out), e.g. to read each one's memoryPlan(). Does
  /// not count in the stats.
  std::vector<std::pair<CacheKey, std::shared_ptr<CompiledFunction>>>
  compiled() const;

  CacheStats stats() const;
  /// Zeroes every count and time (entries is the current size).
  void resetStats();
  /// Drops every entry; stats are kept. Compiles in flight finish and
  /// deliver their result to their waiters but do not re-enter the cache.
  void clear();

private:
  struct KeyHash {
    std::size_t operator()(const CacheKey &key) const {
      return static_cast<std::size_t>(key.hash());
    }
  };
  struct Entry {
    std::shared_future<std::shared_ptr<CompiledFunction>> result;
    /// Distinguishes this entry from a later one under the same key, so a
    /// failed compile only ever erases its own entry.
    uint64_t id;
  };

  mutable std::mutex mutex_;
  std::unordered_map<CacheKey, Entry, KeyHash> entries_;
  uint64_t nextId_ = 0;
  CacheStats stats_;
};

/// The process-wide cache used by the frontends unless given another.
CompileCache &defaultCompileCache();

} // namespace mxjit

#endif // MXJIT_RUNTIME_COMPILECACHE_H
