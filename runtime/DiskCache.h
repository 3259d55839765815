//===- DiskCache.h - compiled object code kept across processes -*- C++ -*-===//
//
// compile() keeps the object code of every function it generates in a
// directory, one file per cache key, and a later compile() of the same
// function (same graph, shapes, options, CPU and code generator), in this
// process or another, links that object instead of lowering and generating
// code again. Warm start then costs milliseconds instead of the hundreds a
// compile takes. See docs/runtime.md ("On-disk compile cache") for the
// location, the environment variables, the file format and the rules that
// reject stale or damaged entries.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_DISKCACHE_H
#define MXJIT_RUNTIME_DISKCACHE_H

#include "runtime/CompileCache.h"
#include "runtime/JitEngine.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace mxjit {

/// Process-wide counts of the disk cache's work, for all caches and
/// threads together.
struct DiskCacheStats {
  /// Lookups that found a valid entry and linked it.
  uint64_t hits = 0;
  /// Lookups that found no entry.
  uint64_t misses = 0;
  /// Entries found but ignored: truncated, corrupt (CRC), another format
  /// version, code generator or host, another key (a hash collision), or
  /// object code that does not link. Each is compiled again and overwritten.
  uint64_t rejected = 0;
  /// Entries written.
  uint64_t writes = 0;
  /// Entries that could not be written (unwritable directory, full disk);
  /// the first one in a process prints one warning to stderr.
  uint64_t writeFailures = 0;
  /// Entries (and stale temporary files) deleted to keep the directory
  /// under diskCacheMaxBytes(), and their bytes.
  uint64_t evictions = 0;
  uint64_t evictedBytes = 0;
  /// Wall-clock time spent in hits: reading, checking and linking.
  double loadMs = 0;
  /// Why the last rejected entry was rejected ("" if none was).
  std::string lastRejection;
};

/// The directory the environment selects: MXJIT_CACHE_DIR if set and not
/// empty ("off" disables the cache: the result is ""), else
/// $XDG_CACHE_HOME/mxjit, else $HOME/.cache/mxjit, else "" (disabled).
std::string diskCacheDirFromEnvironment();
/// The same rule on given values (null for an unset variable), for tests.
std::string resolveDiskCacheDir(const char *mxjitCacheDir,
                                const char *xdgCacheHome, const char *home);

/// The directory compile() reads and writes entries in, "" when the disk
/// cache is off. Initially diskCacheDirFromEnvironment().
std::string diskCacheDir();
/// Uses `dir` (created on the first write) from now on, in the whole
/// process; "" or "off" turns the disk cache off. Thread-safe; compiles in
/// flight may still use the previous directory.
void setDiskCacheDir(llvm::StringRef dir);

/// The size bound when MXJIT_CACHE_MAX_BYTES is unset: 512 MiB.
inline constexpr uint64_t kDefaultDiskCacheMaxBytes = uint64_t(512) << 20;

/// The bound the environment selects: MXJIT_CACHE_MAX_BYTES if set and not
/// empty, else kDefaultDiskCacheMaxBytes. An invalid value is reported once
/// on stderr and the default used.
uint64_t diskCacheMaxBytesFromEnvironment();
/// Parses a MXJIT_CACHE_MAX_BYTES value: a decimal byte count with an
/// optional binary suffix K, M or G (KiB, MiB, GiB; "B" after it allowed,
/// case-insensitive), "0" meaning unbounded. nullopt when it is not one.
std::optional<uint64_t> parseDiskCacheMaxBytes(llvm::StringRef text);

/// How many bytes of entries the directory may hold; 0 means unbounded.
/// Initially diskCacheMaxBytesFromEnvironment().
uint64_t diskCacheMaxBytes();
/// Sets the bound for the whole process (0: unbounded). Thread-safe.
void setDiskCacheMaxBytes(uint64_t bytes);

/// Deletes least recently used entries of `dir` (oldest modification time
/// first; a load touches its entry) until the entries take at most
/// `maxBytes`, never deleting the file `keep`, and deletes temporary files
/// that writers left behind more than an hour ago. `maxBytes` 0 only does
/// the latter. Best effort: files that vanish or cannot be deleted (another
/// process at work in the same directory) are skipped. compile() calls it
/// after every entry it writes. Returns the number of files deleted.
uint64_t trimDiskCache(llvm::StringRef dir, uint64_t maxBytes,
                       llvm::StringRef keep = "");

DiskCacheStats diskCacheStats();
void resetDiskCacheStats();

/// The file holding the entry for `key` in `dir`: "<dir>/<key.hash() as 16
/// hex digits>.mxo".
std::string diskCacheEntryPath(llvm::StringRef dir, const CacheKey &key);

/// This build's code generator: a hash of the sources of ir/, lowering/
/// and runtime/, the LLVM version and the compile flags, fixed at build
/// time (runtime/CompilerId.cmake). Entries from another one are rejected.
llvm::StringRef compilerIdentity();
/// The host the code is generated for: target triple, CPU name and CPU
/// features. Entries for another one are rejected.
llvm::StringRef hostIdentity();

namespace detail {

/// What compile() produced for one function, as stored in an entry.
struct ObjectEntry {
  std::string entry;
  std::vector<TensorSpec> inputs, outputs;
  MemoryPlan memoryPlan;
  CompileTimings timings;
  llvm::StringRef object;
};

/// The function stored for `key` in `dir`, linked and ready to call, or
/// null when there is no valid entry (counted as a miss or a rejection).
/// A hit sets the entry's modification time to now, which is what
/// trimDiskCache() orders entries by.
/// The entry must have been stored with `inputs` and `outputs`; the result
/// is named `entry`.
std::shared_ptr<CompiledFunction>
loadFromDiskCache(llvm::StringRef dir, const CacheKey &key,
                  llvm::StringRef entry, const std::vector<TensorSpec> &inputs,
                  const std::vector<TensorSpec> &outputs);

/// Writes `object` as the entry for `key` in `dir`, atomically (a unique
/// temporary file in `dir`, then a rename), so concurrent readers and
/// writers in any process see either no entry or a complete one, then trims
/// the directory to diskCacheMaxBytes(). Failures are counted and otherwise
/// ignored.
void storeInDiskCache(llvm::StringRef dir, const CacheKey &key,
                      const ObjectEntry &object);

} // namespace detail
} // namespace mxjit

#endif // MXJIT_RUNTIME_DISKCACHE_H
