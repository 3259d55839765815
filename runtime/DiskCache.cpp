//===- DiskCache.cpp - compiled object code kept across processes ---------===//
//
// An entry is one file, "<key hash>.mxo", all integers little-endian:
//
//   "MXJITOBJ"                  8-byte magic
//   u32 format version          kFormatVersion
//   str compiler identity       compilerIdentity()
//   str host identity           hostIdentity()
//   str key                     CacheKey::str() (a hash collision is a miss)
//   str entry                   name the function was compiled under
//   u32 n, n x spec             inputs;  spec = str dtype, u32 rank, i64 dims
//   u32 n, n x spec             outputs
//   u64 naive, u64 planned      MemoryPlan
//   f64 pipeline, llvm, total   CompileTimings of the compile that wrote it
//   u64 size, size bytes        the relocatable object
//   u32 crc32                   of every byte before it
//
// where str is a u32 length and that many bytes.
//
//===----------------------------------------------------------------------===//

#include "runtime/DiskCache.h"

#include "runtime/Error.h"
#include "runtime/ObjectLinker.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/ADT/bit.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/TargetParser/Host.h"

#include <algorithm>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <optional>
#include <sys/stat.h>

using namespace mxjit;

namespace {

constexpr char kMagic[8] = {'M', 'X', 'J', 'I', 'T', 'O', 'B', 'J'};
/// Bump whenever the layout above changes.
constexpr uint32_t kFormatVersion = 1;

using Clock = std::chrono::steady_clock;

struct State {
  std::mutex mutex;
  std::optional<std::string> dir;
  std::optional<uint64_t> maxBytes;
  DiskCacheStats stats;
};

State &state() {
  // Leaked: compiles may run during static destruction.
  static State *s = new State();
  return *s;
}

void reject(const std::string &path, const std::string &why) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  ++s.stats.rejected;
  s.stats.lastRejection = path + ": " + why;
}

void warnOnce(const std::string &message) {
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true))
    llvm::errs() << "mxjit: " << message
                 << "; compiled code is not cached on disk (set "
                    "MXJIT_CACHE_DIR to a writable directory, or to off)\n";
}

//===----------------------------------------------------------------------===//
// Encoding
//===----------------------------------------------------------------------===//

class Writer {
public:
  void bytes(const void *data, size_t size) {
    buffer.append(static_cast<const char *>(data), size);
  }
  void u32(uint32_t v) {
    char b[4];
    llvm::support::endian::write32le(b, v);
    bytes(b, 4);
  }
  void u64(uint64_t v) {
    char b[8];
    llvm::support::endian::write64le(b, v);
    bytes(b, 8);
  }
  void f64(double v) { u64(llvm::bit_cast<uint64_t>(v)); }
  void str(llvm::StringRef s) {
    u32(static_cast<uint32_t>(s.size()));
    bytes(s.data(), s.size());
  }
  void spec(const TensorSpec &spec) {
    str(dtypeName(spec.dtype));
    u32(static_cast<uint32_t>(spec.shape.size()));
    for (int64_t d : spec.shape)
      u64(static_cast<uint64_t>(d));
  }
  void specs(const std::vector<TensorSpec> &list) {
    u32(static_cast<uint32_t>(list.size()));
    for (const TensorSpec &s : list)
      spec(s);
  }

  std::string buffer;
};

/// Reads what Writer wrote; every read checks the bounds, and a failed
/// one leaves the reader failed (ok() false) and returns zeros.
class Reader {
public:
  explicit Reader(llvm::StringRef data) : data(data) {}

  bool ok() const { return !failed; }
  llvm::StringRef bytes(uint64_t size) {
    if (failed || size > data.size() - pos) {
      failed = true;
      return {};
    }
    llvm::StringRef r = data.substr(pos, size);
    pos += size;
    return r;
  }
  uint32_t u32() {
    llvm::StringRef b = bytes(4);
    return failed ? 0 : llvm::support::endian::read32le(b.data());
  }
  uint64_t u64() {
    llvm::StringRef b = bytes(8);
    return failed ? 0 : llvm::support::endian::read64le(b.data());
  }
  double f64() { return llvm::bit_cast<double>(u64()); }
  llvm::StringRef str() { return bytes(u32()); }
  std::optional<TensorSpec> spec() {
    std::optional<DType> dtype = parseDType(str());
    uint32_t rank = u32();
    // A rank this large is damage, not a tensor; refuse before allocating.
    if (!dtype || rank > 64)
      return std::nullopt;
    TensorSpec spec;
    spec.dtype = *dtype;
    for (uint32_t i = 0; i < rank; ++i)
      spec.shape.push_back(static_cast<int64_t>(u64()));
    if (failed)
      return std::nullopt;
    return spec;
  }
  std::optional<std::vector<TensorSpec>> specs() {
    uint32_t n = u32();
    if (n > 1u << 16)
      return std::nullopt;
    std::vector<TensorSpec> list;
    for (uint32_t i = 0; i < n; ++i) {
      std::optional<TensorSpec> s = spec();
      if (!s)
        return std::nullopt;
      list.push_back(std::move(*s));
    }
    return list;
  }

private:
  llvm::StringRef data;
  uint64_t pos = 0;
  bool failed = false;
};

std::string describe(const std::vector<TensorSpec> &specs) {
  std::string s;
  for (size_t i = 0; i < specs.size(); ++i)
    s += (i ? ";" : "") + specs[i].str();
  return s;
}

} // namespace

//===----------------------------------------------------------------------===//
// Settings and identities
//===----------------------------------------------------------------------===//

std::string mxjit::resolveDiskCacheDir(const char *mxjitCacheDir,
                                       const char *xdgCacheHome,
                                       const char *home) {
  auto set = [](const char *v) { return v && *v; };
  if (set(mxjitCacheDir))
    return llvm::StringRef(mxjitCacheDir) == "off" ? "" : mxjitCacheDir;
  llvm::SmallString<256> dir;
  // The XDG spec says relative values are to be ignored.
  if (set(xdgCacheHome) && llvm::sys::path::is_absolute(xdgCacheHome)) {
    dir = xdgCacheHome;
  } else if (set(home)) {
    dir = home;
    llvm::sys::path::append(dir, ".cache");
  } else {
    return "";
  }
  llvm::sys::path::append(dir, "mxjit");
  return dir.str().str();
}

std::string mxjit::diskCacheDirFromEnvironment() {
  return resolveDiskCacheDir(std::getenv("MXJIT_CACHE_DIR"),
                             std::getenv("XDG_CACHE_HOME"),
                             std::getenv("HOME"));
}

std::string mxjit::diskCacheDir() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.dir)
    s.dir = diskCacheDirFromEnvironment();
  return *s.dir;
}

void mxjit::setDiskCacheDir(llvm::StringRef dir) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.dir = dir == "off" ? "" : dir.str();
}

std::optional<uint64_t> mxjit::parseDiskCacheMaxBytes(llvm::StringRef text) {
  llvm::StringRef digits = text.trim();
  size_t end = digits.find_first_not_of("0123456789");
  llvm::StringRef suffix =
      end == llvm::StringRef::npos ? "" : digits.substr(end).trim();
  digits = digits.take_front(end);
  uint64_t value;
  if (digits.empty() || digits.getAsInteger(10, value))
    return std::nullopt;
  unsigned shift;
  std::string unit = suffix.lower();
  if (unit.empty() || unit == "b")
    shift = 0;
  else if (unit == "k" || unit == "kb" || unit == "kib")
    shift = 10;
  else if (unit == "m" || unit == "mb" || unit == "mib")
    shift = 20;
  else if (unit == "g" || unit == "gb" || unit == "gib")
    shift = 30;
  else
    return std::nullopt;
  if (value > (UINT64_MAX >> shift))
    return std::nullopt;
  return value << shift;
}

uint64_t mxjit::diskCacheMaxBytesFromEnvironment() {
  const char *env = std::getenv("MXJIT_CACHE_MAX_BYTES");
  if (!env || !*env)
    return kDefaultDiskCacheMaxBytes;
  if (std::optional<uint64_t> bytes = parseDiskCacheMaxBytes(env))
    return *bytes;
  static std::atomic<bool> warned{false};
  if (!warned.exchange(true))
    llvm::errs() << "mxjit: ignoring MXJIT_CACHE_MAX_BYTES='" << env
                 << "' (expected a byte count such as 268435456, 256M or 1G; "
                    "0 for no bound)\n";
  return kDefaultDiskCacheMaxBytes;
}

uint64_t mxjit::diskCacheMaxBytes() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  if (!s.maxBytes)
    s.maxBytes = diskCacheMaxBytesFromEnvironment();
  return *s.maxBytes;
}

void mxjit::setDiskCacheMaxBytes(uint64_t bytes) {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.maxBytes = bytes;
}

DiskCacheStats mxjit::diskCacheStats() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  return s.stats;
}

void mxjit::resetDiskCacheStats() {
  State &s = state();
  std::lock_guard<std::mutex> lock(s.mutex);
  s.stats = DiskCacheStats();
}

std::string mxjit::diskCacheEntryPath(llvm::StringRef dir,
                                      const CacheKey &key) {
  llvm::SmallString<256> path(dir);
  std::string name;
  llvm::raw_string_ostream(name)
      << llvm::format_hex_no_prefix(key.hash(), 16) << ".mxo";
  llvm::sys::path::append(path, name);
  return path.str().str();
}

llvm::StringRef mxjit::compilerIdentity() {
  return
#include "runtime/CompilerId.inc"
      ;
}

llvm::StringRef mxjit::hostIdentity() {
  // What JITTargetMachineBuilder::detectHost() reads, which is what the
  // code is generated for.
  static const std::string id = [] {
    std::vector<std::string> features;
    for (const auto &f : llvm::sys::getHostCPUFeatures())
      features.push_back((f.second ? "+" : "-") + f.first().str());
    std::sort(features.begin(), features.end());
    std::string s = llvm::sys::getProcessTriple() + ";" +
                    llvm::sys::getHostCPUName().str() + ";";
    for (size_t i = 0; i < features.size(); ++i)
      s += (i ? "," : "") + features[i];
    return s;
  }();
  return id;
}

//===----------------------------------------------------------------------===//
// Eviction
//===----------------------------------------------------------------------===//

uint64_t mxjit::trimDiskCache(llvm::StringRef dir, uint64_t maxBytes,
                              llvm::StringRef keep) {
  namespace fs = llvm::sys::fs;
  struct File {
    std::string path;
    uint64_t size;
    llvm::sys::TimePoint<> used;
  };
  std::vector<File> entries;
  uint64_t total = 0, removed = 0, removedBytes = 0;
  // A writer renames its temporary file within milliseconds; one this old
  // belongs to a process that died while writing.
  llvm::sys::TimePoint<> staleBefore =
      std::chrono::system_clock::now() - std::chrono::hours(1);
  auto remove = [&](const File &f) {
    // Another process may have deleted it first: then it is not counted.
    if (fs::remove(f.path, /*IgnoreNonExisting=*/false))
      return false;
    ++removed;
    removedBytes += f.size;
    return true;
  };
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec), end; it != end && !ec;
       it.increment(ec)) {
    llvm::StringRef name = llvm::sys::path::filename(it->path());
    bool entry = name.ends_with(".mxo"), temp = name.ends_with(".tmp");
    if (!entry && !temp)
      continue;
    fs::file_status st;
    // Gone since it was listed: nothing to do about it.
    if (fs::status(it->path(), st) || !fs::is_regular_file(st))
      continue;
    File f{it->path(), st.getSize(), st.getLastModificationTime()};
    if (temp) {
      if (f.used < staleBefore)
        remove(f);
      continue;
    }
    total += f.size;
    entries.push_back(std::move(f));
  }
  if (maxBytes != 0 && total > maxBytes) {
    // Least recently used first; equal times in name order, so that every
    // process trimming the directory picks the same victims.
    std::sort(entries.begin(), entries.end(), [](const File &a, const File &b) {
      return a.used != b.used ? a.used < b.used : a.path < b.path;
    });
    for (const File &f : entries) {
      if (total <= maxBytes)
        break;
      if (f.path == keep)
        continue;
      // A file another process removed no longer counts either way.
      if (remove(f) || !fs::exists(f.path))
        total -= f.size;
    }
  }
  if (removed) {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    s.stats.evictions += removed;
    s.stats.evictedBytes += removedBytes;
  }
  return removed;
}

//===----------------------------------------------------------------------===//
// Loading and storing
//===----------------------------------------------------------------------===//

std::shared_ptr<CompiledFunction>
mxjit::detail::loadFromDiskCache(llvm::StringRef dir, const CacheKey &key,
                                 llvm::StringRef entry,
                                 const std::vector<TensorSpec> &inputs,
                                 const std::vector<TensorSpec> &outputs) {
  Clock::time_point start = Clock::now();
  std::string path = diskCacheEntryPath(dir, key);
  // Read, not mapped (IsVolatile): a mapping of a file someone truncates
  // would fault; a copy is checked once and stays what was checked.
  auto file = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                          /*RequiresNullTerminator=*/false,
                                          /*IsVolatile=*/true);
  if (!file) {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.stats.misses;
    return nullptr;
  }
  llvm::StringRef data = (*file)->getBuffer();

  // Check what can be checked without parsing first: size, magic, version,
  // then the checksum over everything, before trusting any length field.
  if (data.size() < sizeof(kMagic) + 8) {
    reject(path, "truncated");
    return nullptr;
  }
  if (!data.starts_with(llvm::StringRef(kMagic, sizeof(kMagic)))) {
    reject(path, "not an mxjit cache entry (bad magic)");
    return nullptr;
  }
  Reader header(data.drop_front(sizeof(kMagic)));
  if (uint32_t version = header.u32(); version != kFormatVersion) {
    reject(path, "format version " + std::to_string(version) + ", expected " +
                     std::to_string(kFormatVersion));
    return nullptr;
  }
  llvm::StringRef body = data.drop_back(4);
  uint32_t stored = llvm::support::endian::read32le(data.end() - 4);
  if (llvm::crc32(llvm::arrayRefFromStringRef(body)) != stored) {
    reject(path, "checksum mismatch (truncated or corrupt)");
    return nullptr;
  }

  Reader r(body.drop_front(sizeof(kMagic) + 4));
  llvm::StringRef compiler = r.str();
  llvm::StringRef host = r.str();
  llvm::StringRef keyText = r.str();
  llvm::StringRef storedEntry = r.str();
  std::optional<std::vector<TensorSpec>> storedInputs = r.specs();
  std::optional<std::vector<TensorSpec>> storedOutputs = r.specs();
  MemoryPlan plan;
  plan.naiveBytes = r.u64();
  plan.plannedPeakBytes = r.u64();
  CompileTimings timings;
  timings.pipelineMs = r.f64();
  timings.llvmMs = r.f64();
  timings.totalMs = r.f64();
  llvm::StringRef object = r.bytes(r.u64());
  if (!r.ok() || !storedInputs || !storedOutputs) {
    reject(path, "malformed");
    return nullptr;
  }
  if (compiler != compilerIdentity()) {
    reject(path, "written by another code generator (" + compiler.str() +
                     ", this is " + compilerIdentity().str() + ")");
    return nullptr;
  }
  if (host != hostIdentity()) {
    reject(path, "compiled for another host (" + host.str() + ")");
    return nullptr;
  }
  if (keyText != key.str()) {
    reject(path, "another key (" + keyText.str() + ")");
    return nullptr;
  }
  if (*storedInputs != inputs || *storedOutputs != outputs) {
    reject(path, "another signature (" + describe(*storedInputs) + " -> " +
                     describe(*storedOutputs) + ")");
    return nullptr;
  }

  std::unique_ptr<LinkedObject> code;
  CompiledFunction::PackedFn packed = nullptr;
  try {
    code = addObject(llvm::MemoryBufferRef(object, path), storedEntry);
    packed = reinterpret_cast<CompiledFunction::PackedFn>(
        code->address(kPackedEntrySymbol));
  } catch (const Error &e) {
    reject(path, std::string("does not link: ") + e.what());
    return nullptr;
  }
  // The entry's time is its last use, for trimDiskCache(): mtime, because
  // access times are often not kept (noatime, relatime). Failing (the file
  // was just evicted, a read-only cache) costs only the entry's rank.
  ::utimensat(AT_FDCWD, path.c_str(), nullptr, 0);
  double loadMs =
      std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.stats.hits;
    s.stats.loadMs += loadMs;
  }
  return std::make_shared<CompiledFunction>(
      std::move(code), packed, entry.str(), inputs, outputs, timings, plan,
      /*loadedFromDisk=*/true, loadMs);
}

void mxjit::detail::storeInDiskCache(llvm::StringRef dir, const CacheKey &key,
                                     const ObjectEntry &object) {
  Writer w;
  w.bytes(kMagic, sizeof(kMagic));
  w.u32(kFormatVersion);
  w.str(compilerIdentity());
  w.str(hostIdentity());
  w.str(key.str());
  w.str(object.entry);
  w.specs(object.inputs);
  w.specs(object.outputs);
  w.u64(object.memoryPlan.naiveBytes);
  w.u64(object.memoryPlan.plannedPeakBytes);
  w.f64(object.timings.pipelineMs);
  w.f64(object.timings.llvmMs);
  w.f64(object.timings.totalMs);
  w.u64(object.object.size());
  w.bytes(object.object.data(), object.object.size());
  w.u32(llvm::crc32(llvm::arrayRefFromStringRef(w.buffer)));

  std::string path = diskCacheEntryPath(dir, key);
  auto fail = [&](const std::string &why) {
    {
      State &s = state();
      std::lock_guard<std::mutex> lock(s.mutex);
      ++s.stats.writeFailures;
    }
    warnOnce("cannot write " + path + ": " + why);
  };
  if (std::error_code ec = llvm::sys::fs::create_directories(dir))
    return fail(ec.message());
  // A unique name in the same directory, so the rename below is atomic and
  // concurrent writers of one key never write into the same file.
  llvm::SmallString<256> temp;
  int fd = -1;
  if (std::error_code ec =
          llvm::sys::fs::createUniqueFile(path + ".%%%%%%%%.tmp", fd, temp))
    return fail(ec.message());
  {
    llvm::raw_fd_ostream os(fd, /*shouldClose=*/true);
    os.write(w.buffer.data(), w.buffer.size());
    os.close();
    if (os.has_error()) {
      std::string why = os.error().message();
      os.clear_error();
      llvm::sys::fs::remove(temp);
      return fail(why);
    }
  }
  if (std::error_code ec = llvm::sys::fs::rename(temp, path)) {
    llvm::sys::fs::remove(temp);
    return fail(ec.message());
  }
  {
    State &s = state();
    std::lock_guard<std::mutex> lock(s.mutex);
    ++s.stats.writes;
  }
  trimDiskCache(dir, diskCacheMaxBytes(), path);
}
