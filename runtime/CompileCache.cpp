//===- CompileCache.cpp - shape-keyed cache of compiled functions ---------===//

#include "runtime/CompileCache.h"

#include "runtime/Error.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <atomic>
#include <chrono>
#include <cstdlib>

using namespace mxjit;

uint64_t CacheKey::hash() const {
  llvm::SmallVector<uint64_t, 8> words;
  words.push_back(fingerprint);
  words.push_back(inputs.size());
  for (const TensorSpec &spec : inputs)
    words.push_back(spec.hash());
  words.push_back(llvm::xxh3_64bits(options));
  words.push_back(llvm::xxh3_64bits(device));
  if (generic)
    words.push_back(llvm::xxh3_64bits(llvm::StringRef("generic")));
  return llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(words.data()),
                              words.size() * sizeof(uint64_t)));
}

std::string CacheKey::str() const {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << llvm::format_hex_no_prefix(fingerprint, 16) << ':';
  for (size_t i = 0; i < inputs.size(); ++i)
    os << (i ? ";" : "") << inputs[i].str();
  os << ':' << options << ':' << device << (generic ? ":generic" : "");
  return s;
}

std::shared_ptr<CompiledFunction>
CompileCache::getOrCompile(const CacheKey &key, CompileFn compile) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it != entries_.end()) {
    ++stats_.hits;
    stats_.genericHits += key.generic;
    auto result = it->second.result;
    // Wait outside the lock: a compile in flight takes milliseconds.
    lock.unlock();
    return result.get();
  }

  ++stats_.misses;
  stats_.genericCompiles += key.generic;
  std::promise<std::shared_ptr<CompiledFunction>> promise;
  const uint64_t id = nextId_++;
  entries_.emplace(key, Entry{promise.get_future().share(), id});
  lock.unlock();

  auto start = std::chrono::steady_clock::now();
  auto elapsedMs = [&] {
    return std::chrono::duration<double, std::milli>(
               std::chrono::steady_clock::now() - start)
        .count();
  };
  std::shared_ptr<CompiledFunction> function;
  try {
    function = compile();
    if (!function)
      throw Error("compile function for " + key.str() + " returned null");
  } catch (...) {
    lock.lock();
    ++stats_.failures;
    stats_.compileMs += elapsedMs();
    // Uncache before waking the waiters: a request that arrives after the
    // failure compiles again instead of seeing the stale exception.
    auto failed = entries_.find(key);
    if (failed != entries_.end() && failed->second.id == id)
      entries_.erase(failed);
    lock.unlock();
    promise.set_exception(std::current_exception());
    throw;
  }
  lock.lock();
  stats_.compileMs += elapsedMs();
  ++(function->loadedFromDisk() ? stats_.diskHits : stats_.compiles);
  lock.unlock();
  promise.set_value(function);
  return function;
}

std::shared_ptr<CompiledFunction> CompileCache::lookup(const CacheKey &key) {
  std::unique_lock<std::mutex> lock(mutex_);
  auto it = entries_.find(key);
  if (it == entries_.end())
    return nullptr;
  ++stats_.hits;
  stats_.genericHits += key.generic;
  auto result = it->second.result;
  lock.unlock();
  return result.get();
}

std::shared_ptr<CompiledFunction>
CompileCache::find(const CacheKey &key) const {
  std::shared_future<std::shared_ptr<CompiledFunction>> result;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    auto it = entries_.find(key);
    if (it == entries_.end())
      return nullptr;
    result = it->second.result;
  }
  if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
    return nullptr;
  try {
    return result.get();
  } catch (...) {
    // A failed compile is being uncached; to a reader it is a miss.
    return nullptr;
  }
}

std::vector<std::pair<CacheKey, std::shared_ptr<CompiledFunction>>>
CompileCache::compiled() const {
  std::vector<std::pair<CacheKey,
                        std::shared_future<std::shared_ptr<CompiledFunction>>>>
      pending;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    for (const auto &[key, entry] : entries_)
      pending.emplace_back(key, entry.result);
  }
  // Outside the lock, as in find(): get() must not wait while holding it.
  std::vector<std::pair<CacheKey, std::shared_ptr<CompiledFunction>>> done;
  for (auto &[key, result] : pending) {
    if (result.wait_for(std::chrono::seconds(0)) != std::future_status::ready)
      continue;
    try {
      done.emplace_back(key, result.get());
    } catch (...) {
      // A failed compile being uncached.
    }
  }
  return done;
}

CacheStats CompileCache::stats() const {
  std::lock_guard<std::mutex> lock(mutex_);
  CacheStats stats = stats_;
  stats.entries = entries_.size();
  return stats;
}

void CompileCache::resetStats() {
  std::lock_guard<std::mutex> lock(mutex_);
  stats_ = CacheStats();
}

void CompileCache::clear() {
  // Destroy the entries (and possibly the last references to their machine
  // code) outside the lock.
  std::unordered_map<CacheKey, Entry, KeyHash> dropped;
  {
    std::lock_guard<std::mutex> lock(mutex_);
    dropped.swap(entries_);
  }
}

namespace {
std::atomic<unsigned> &thresholdSetting() {
  static std::atomic<unsigned> k{[] {
    if (const char *env = std::getenv("MXJIT_GENERIC_BATCH_AFTER")) {
      char *end = nullptr;
      unsigned long v = std::strtoul(env, &end, 10);
      if (end != env && *end == '\0')
        return static_cast<unsigned>(v);
    }
    return 3u;
  }()};
  return k;
}
} // namespace

unsigned mxjit::genericBatchThreshold() { return thresholdSetting().load(); }

void mxjit::setGenericBatchThreshold(unsigned k) { thresholdSetting() = k; }

CompileCache &mxjit::defaultCompileCache() {
  // Leaked on purpose: JIT-compiled code may still run while static
  // destructors do at exit.
  static CompileCache *cache = new CompileCache();
  return *cache;
}
