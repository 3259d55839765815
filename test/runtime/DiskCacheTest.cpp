//===- DiskCacheTest.cpp - compiled code kept across caches and processes -===//
//
// Every test points the process-wide disk cache at a fresh temporary
// directory and restores the previous setting afterwards, so none depends
// on, or writes to, the user's cache.
//
//===----------------------------------------------------------------------===//

#include "runtime/DiskCache.h"
#include "runtime/Error.h"
#include "runtime/Jit.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/CRC.h"
#include "llvm/Support/Endian.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Process.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <thread>
#include <unistd.h>

using namespace mxjit;

namespace {

/// A matrix product (tiled, vectorised), tanh (a libm call or a vectorised
/// polynomial), a softmax and a reduction: enough generated code and
/// external symbols that linking it from disk is a real test.
std::string netSource(int rows) {
  std::string r = std::to_string(rows);
  std::string h = "tensor<" + r + "x32xf32>";
  return "func.func @net(%x: tensor<" + r +
         "x64xf32>, %w: tensor<32x64xf32>, %b: tensor<32xf32>)\n"
         "    -> (" +
         h + ", tensor<1xf32>) {\n" +
         "  %0 = mx.fully_connected %x, %w, %b {num_hidden = 32 : i64}\n"
         "      : (tensor<" +
         r + "x64xf32>, tensor<32x64xf32>, tensor<32xf32>) -> " + h +
         "\n"
         "  %1 = mx.tanh %0 : " +
         h + "\n  %2 = mx.softmax %1 : " + h + "\n  %3 = mx.sum %2 : (" + h +
         ") -> tensor<1xf32>\n  return %2, %3 : " + h + ", tensor<1xf32>\n}\n";
}

/// Runs `fn` (the net above) on fixed inputs; all outputs, flattened.
std::vector<float> runNet(const CompiledFunction &fn) {
  std::vector<HostBuffer> in;
  for (const TensorSpec &spec : fn.inputs()) {
    HostBuffer b(spec);
    llvm::MutableArrayRef<float> v = b.values<float>();
    for (size_t i = 0; i < v.size(); ++i)
      v[i] = std::sin(0.37f * static_cast<float>(i + spec.shape.size()));
    in.push_back(std::move(b));
  }
  std::vector<HostBuffer> out = fn.run({&in[0], &in[1], &in[2]});
  std::vector<float> all;
  for (const HostBuffer &b : out)
    llvm::append_range(all, b.values<float>());
  return all;
}

std::string readFile(const std::string &path) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  EXPECT_TRUE(buffer) << path;
  return buffer ? (*buffer)->getBuffer().str() : "";
}

void writeFile(const std::string &path, const std::string &bytes) {
  std::error_code ec;
  llvm::raw_fd_ostream os(path, ec);
  ASSERT_FALSE(ec) << path;
  os << bytes;
}

/// Recomputes the trailing CRC32, so that a deliberate change to a field
/// reaches the check for that field rather than the checksum.
void fixChecksum(std::string &bytes) {
  llvm::StringRef body = llvm::StringRef(bytes).drop_back(4);
  llvm::support::endian::write32le(
      &bytes[bytes.size() - 4], llvm::crc32(llvm::arrayRefFromStringRef(body)));
}

class DiskCacheTest : public ::testing::Test {
protected:
  void SetUp() override {
    previous = diskCacheDir();
    previousMaxBytes = diskCacheMaxBytes();
    setDiskCacheMaxBytes(kDefaultDiskCacheMaxBytes);
    llvm::SmallString<128> path;
    ASSERT_FALSE(
        llvm::sys::fs::createUniqueDirectory("mxjit-disk-cache", path));
    dir = path.str().str();
    setDiskCacheDir(dir);
    resetDiskCacheStats();
  }
  void TearDown() override {
    setDiskCacheDir(previous);
    setDiskCacheMaxBytes(previousMaxBytes);
    llvm::sys::fs::remove_directories(dir);
  }

  /// The entry file for the net with `rows` rows, default options.
  std::string entryPath(int rows) {
    Jit jit;
    auto module = parseModule(jit.context(), netSource(rows));
    return diskCacheEntryPath(dir, Jit::makeKey(*module, "net", {}));
  }

  /// Names of the files in `dir`.
  std::vector<std::string> files() const {
    std::vector<std::string> names;
    std::error_code ec;
    for (llvm::sys::fs::directory_iterator it(dir, ec), end; it != end && !ec;
         it.increment(ec))
      names.push_back(llvm::sys::path::filename(it->path()).str());
    return names;
  }

  /// Compiles the net in a fresh Jit (empty in-memory cache), checks its
  /// outputs against `reference` if given, and returns the Jit's stats.
  CacheStats compileFresh(int rows,
                          const std::vector<float> *reference = nullptr,
                          std::shared_ptr<CompiledFunction> *out = nullptr) {
    Jit jit;
    auto fn = jit.getSource(netSource(rows), "net");
    if (reference)
      EXPECT_EQ(runNet(*fn), *reference);
    if (out)
      *out = fn;
    return jit.cache().stats();
  }

  /// Writes the entry, damages it with `damage`, and checks that the next
  /// fresh compile rejects it (with `why` in the reason), compiles, and
  /// overwrites it with an entry the one after that loads.
  void
  expectRejectedAndRebuilt(const std::function<void(std::string &)> &damage,
                           llvm::StringRef why) {
    std::shared_ptr<CompiledFunction> first;
    compileFresh(16, nullptr, &first);
    std::vector<float> reference = runNet(*first);
    std::string path = entryPath(16);
    std::string bytes = readFile(path);
    ASSERT_FALSE(bytes.empty());
    damage(bytes);
    writeFile(path, bytes);

    resetDiskCacheStats();
    CacheStats rebuilt = compileFresh(16, &reference);
    EXPECT_EQ(rebuilt.compiles, 1u);
    EXPECT_EQ(rebuilt.diskHits, 0u);
    DiskCacheStats disk = diskCacheStats();
    EXPECT_EQ(disk.rejected, 1u);
    EXPECT_EQ(disk.hits, 0u);
    EXPECT_EQ(disk.writes, 1u);
    EXPECT_NE(disk.lastRejection.find(why.str()), std::string::npos)
        << disk.lastRejection;

    CacheStats reloaded = compileFresh(16, &reference);
    EXPECT_EQ(reloaded.compiles, 0u);
    EXPECT_EQ(reloaded.diskHits, 1u);
  }

  /// Four threads each compile the net three times in fresh Jits, thread
  /// t with reference.begin()[t % size] rows; returns how many results
  /// differed from the reference for their rows.
  int compileConcurrently(const std::map<int, std::vector<float>> &reference) {
    std::vector<std::thread> threads;
    std::atomic<int> wrong{0};
    for (int t = 0; t < 4; ++t) {
      const auto &[rows, expected] =
          *std::next(reference.begin(), t % reference.size());
      threads.emplace_back([&wrong, rows = rows, &expected = expected] {
        for (int i = 0; i < 3; ++i) {
          Jit jit;
          if (runNet(*jit.getSource(netSource(rows), "net")) != expected)
            ++wrong;
        }
      });
    }
    for (std::thread &t : threads)
      t.join();
    return wrong;
  }

  std::string previous;
  uint64_t previousMaxBytes = 0;
  std::string dir;
};

uint64_t fileSize(const std::string &path) {
  uint64_t size = 0;
  EXPECT_FALSE(llvm::sys::fs::file_size(path, size)) << path;
  return size;
}

/// Sets the modification time of `path` to `age` before now.
void setAge(const std::string &path, std::chrono::seconds age) {
  int fd = -1;
  ASSERT_FALSE(llvm::sys::fs::openFileForWrite(
      path, fd, llvm::sys::fs::CD_OpenExisting, llvm::sys::fs::OF_Append))
      << path;
  auto when = std::chrono::system_clock::now() - age;
  EXPECT_FALSE(llvm::sys::fs::setLastAccessAndModificationTime(
      fd, llvm::sys::toTimePoint(std::chrono::system_clock::to_time_t(when)),
      llvm::sys::toTimePoint(std::chrono::system_clock::to_time_t(when))));
  llvm::sys::Process::SafelyCloseFileDescriptor(fd);
}

llvm::sys::TimePoint<> modified(const std::string &path) {
  llvm::sys::fs::file_status st;
  EXPECT_FALSE(llvm::sys::fs::status(path, st)) << path;
  return st.getLastModificationTime();
}

TEST(DiskCacheDir, ResolvedFromTheEnvironment) {
  EXPECT_EQ(resolveDiskCacheDir("/tmp/c", "/x", "/home/u"), "/tmp/c");
  EXPECT_EQ(resolveDiskCacheDir("off", "/x", "/home/u"), "");
  EXPECT_EQ(resolveDiskCacheDir(nullptr, "/x", "/home/u"), "/x/mxjit");
  EXPECT_EQ(resolveDiskCacheDir("", "/x", "/home/u"), "/x/mxjit");
  // Relative XDG values are ignored, as the XDG spec says.
  EXPECT_EQ(resolveDiskCacheDir(nullptr, "rel", "/home/u"),
            "/home/u/.cache/mxjit");
  EXPECT_EQ(resolveDiskCacheDir(nullptr, nullptr, "/home/u"),
            "/home/u/.cache/mxjit");
  EXPECT_EQ(resolveDiskCacheDir(nullptr, nullptr, nullptr), "");
}

TEST(DiskCacheDir, SetterOverridesAndOffDisables) {
  std::string previous = diskCacheDir();
  setDiskCacheDir("/some/where");
  EXPECT_EQ(diskCacheDir(), "/some/where");
  setDiskCacheDir("off");
  EXPECT_EQ(diskCacheDir(), "");
  setDiskCacheDir(previous);
}

TEST(DiskCacheSize, ParsedFromText) {
  EXPECT_EQ(parseDiskCacheMaxBytes("0"), 0u);
  EXPECT_EQ(parseDiskCacheMaxBytes("12345"), 12345u);
  EXPECT_EQ(parseDiskCacheMaxBytes("64K"), 64u << 10);
  EXPECT_EQ(parseDiskCacheMaxBytes("256M"), 256u << 20);
  EXPECT_EQ(parseDiskCacheMaxBytes("256mib"), 256u << 20);
  EXPECT_EQ(parseDiskCacheMaxBytes(" 2 GB "), uint64_t(2) << 30);
  EXPECT_EQ(parseDiskCacheMaxBytes("7b"), 7u);
  for (const char *bad : {"", "M", "-1", "1.5G", "12X", "1T", "0x10",
                          "99999999999999999999", "17179869184G"})
    EXPECT_EQ(parseDiskCacheMaxBytes(bad), std::nullopt) << bad;
}

TEST_F(DiskCacheTest, LeastRecentlyUsedEntriesAreEvicted) {
  setDiskCacheMaxBytes(0);
  for (int rows : {16, 8, 4, 2})
    compileFresh(rows);
  std::map<int, uint64_t> size;
  for (int rows : {16, 8, 4, 2})
    size[rows] = fileSize(entryPath(rows));
  ASSERT_FALSE(llvm::sys::fs::remove(entryPath(2)));
  // Written in the order 16, 8, 4; then 16 is used again (loaded), which
  // makes 8 the least recently used.
  setAge(entryPath(16), std::chrono::seconds(300));
  setAge(entryPath(8), std::chrono::seconds(200));
  setAge(entryPath(4), std::chrono::seconds(100));
  auto before = modified(entryPath(16));
  EXPECT_EQ(compileFresh(16).diskHits, 1u);
  EXPECT_GT(modified(entryPath(16)), before);

  // One byte too few for all four: writing 2 evicts exactly one entry.
  setDiskCacheMaxBytes(size[16] + size[8] + size[4] + size[2] - 1);
  resetDiskCacheStats();
  EXPECT_EQ(compileFresh(2).compiles, 1u);
  DiskCacheStats disk = diskCacheStats();
  EXPECT_EQ(disk.evictions, 1u);
  EXPECT_EQ(disk.evictedBytes, size[8]);
  EXPECT_FALSE(llvm::sys::fs::exists(entryPath(8)));
  for (int rows : {16, 4, 2})
    EXPECT_TRUE(llvm::sys::fs::exists(entryPath(rows))) << rows;

  // The evicted function is simply compiled again.
  EXPECT_EQ(compileFresh(8).compiles, 1u);
  EXPECT_EQ(compileFresh(16).diskHits, 1u);
}

TEST_F(DiskCacheTest, BoundBelowOneEntryKeepsOnlyTheNewest) {
  setDiskCacheMaxBytes(1);
  compileFresh(16);
  compileFresh(8);
  EXPECT_EQ(files(), std::vector<std::string>{
                         llvm::sys::path::filename(entryPath(8)).str()});
  EXPECT_EQ(diskCacheStats().evictions, 1u);
  EXPECT_EQ(compileFresh(8).diskHits, 1u);
}

TEST_F(DiskCacheTest, ZeroBoundNeverEvicts) {
  setDiskCacheMaxBytes(0);
  for (int rows : {16, 8, 4})
    compileFresh(rows);
  EXPECT_EQ(files().size(), 3u);
  EXPECT_EQ(trimDiskCache(dir, 0), 0u);
  EXPECT_EQ(diskCacheStats().evictions, 0u);
}

TEST_F(DiskCacheTest, TrimRemovesStaleTemporariesOnly) {
  compileFresh(16);
  std::string entry = entryPath(16);
  std::string stale = entry + ".abcdefgh.tmp", fresh = entry + ".ijklmnop.tmp";
  std::string other = dir + "/notes.txt";
  for (const std::string &path : {stale, fresh, other})
    writeFile(path, std::string(4096, 'x'));
  setAge(stale, std::chrono::hours(2));
  setAge(other, std::chrono::hours(2));
  // Only entries count against the bound, and the bound is one byte: the
  // newest entry is kept as the one `keep` names, a stale writer's file goes.
  EXPECT_EQ(trimDiskCache(dir, 1, entry), 1u);
  EXPECT_FALSE(llvm::sys::fs::exists(stale));
  for (const std::string &path : {entry, fresh, other})
    EXPECT_TRUE(llvm::sys::fs::exists(path)) << path;
  EXPECT_EQ(trimDiskCache(dir, 1), 1u);
  EXPECT_FALSE(llvm::sys::fs::exists(entry));
  // A directory that does not exist has nothing to trim.
  EXPECT_EQ(trimDiskCache(dir + "/missing", 1), 0u);
}

TEST_F(DiskCacheTest, ConcurrentWritersUnderATinyBound) {
  // Every store evicts what the other threads just wrote or are loading:
  // entries vanish between listing, status, loading and touching. Nothing
  // may fail but the cache's hit rate.
  std::map<int, std::vector<float>> reference;
  setDiskCacheDir("off");
  for (int rows : {16, 8, 4, 2}) {
    Jit jit;
    reference[rows] = runNet(*jit.getSource(netSource(rows), "net"));
  }
  setDiskCacheDir(dir);
  setDiskCacheMaxBytes(1);
  EXPECT_EQ(compileConcurrently(reference), 0);
  DiskCacheStats disk = diskCacheStats();
  EXPECT_EQ(disk.rejected, 0u) << disk.lastRejection;
  EXPECT_EQ(disk.hits + disk.misses, 12u);
  EXPECT_LE(files().size(), 4u);
}

TEST_F(DiskCacheTest, WrittenThenLoadedInAFreshCache) {
  std::shared_ptr<CompiledFunction> compiled, loaded;
  CacheStats first = compileFresh(16, nullptr, &compiled);
  EXPECT_EQ(first.compiles, 1u);
  EXPECT_EQ(first.diskHits, 0u);
  EXPECT_FALSE(compiled->loadedFromDisk());
  EXPECT_EQ(diskCacheStats().misses, 1u);
  EXPECT_EQ(diskCacheStats().writes, 1u);
  EXPECT_TRUE(llvm::sys::fs::exists(entryPath(16)));
  std::vector<float> reference = runNet(*compiled);

  CacheStats second = compileFresh(16, &reference, &loaded);
  EXPECT_EQ(second.misses, 1u);
  EXPECT_EQ(second.compiles, 0u);
  EXPECT_EQ(second.diskHits, 1u);
  EXPECT_TRUE(loaded->loadedFromDisk());
  EXPECT_GT(loaded->loadMs(), 0.0);
  EXPECT_EQ(diskCacheStats().hits, 1u);
  EXPECT_EQ(diskCacheStats().writes, 1u);
  // What the entry records about the original compile comes back.
  EXPECT_EQ(loaded->inputs(), compiled->inputs());
  EXPECT_EQ(loaded->outputs(), compiled->outputs());
  EXPECT_EQ(loaded->timings().totalMs, compiled->timings().totalMs);
  EXPECT_EQ(loaded->timings().llvmMs, compiled->timings().llvmMs);
  EXPECT_EQ(loaded->memoryPlan().naiveBytes, compiled->memoryPlan().naiveBytes);
  EXPECT_EQ(loaded->memoryPlan().plannedPeakBytes,
            compiled->memoryPlan().plannedPeakBytes);
  // Two linked copies of one object, independent of each other.
  compiled.reset();
  EXPECT_EQ(runNet(*loaded), reference);
}

TEST_F(DiskCacheTest, OtherShapesAndOptionsAreOtherEntries) {
  compileFresh(16);
  compileFresh(8);
  Jit jit;
  CompileOptions o1;
  o1.optLevel = 1;
  jit.getSource(netSource(16), "net", o1);
  EXPECT_EQ(files().size(), 3u);
  EXPECT_EQ(diskCacheStats().hits, 0u);
  EXPECT_EQ(diskCacheStats().writes, 3u);
}

TEST_F(DiskCacheTest, SameGraphUnderAnotherNameLoads) {
  std::shared_ptr<CompiledFunction> first, second;
  compileFresh(16, nullptr, &first);
  std::string renamed = netSource(16);
  renamed.replace(renamed.find("@net"), 4, "@other");
  Jit jit;
  second = jit.getSource(renamed, "other");
  EXPECT_TRUE(second->loadedFromDisk());
  EXPECT_EQ(second->entry(), "other");
  EXPECT_EQ(runNet(*second), runNet(*first));
}

TEST_F(DiskCacheTest, TruncatedEntryIsRebuilt) {
  expectRejectedAndRebuilt([](std::string &b) { b.resize(b.size() / 2); },
                           "checksum");
}

TEST_F(DiskCacheTest, TinyEntryIsRebuilt) {
  expectRejectedAndRebuilt([](std::string &b) { b.resize(10); }, "truncated");
}

TEST_F(DiskCacheTest, FlippedByteIsRebuilt) {
  // Inside the object code, near the end of the file.
  expectRejectedAndRebuilt([](std::string &b) { b[b.size() - 100] ^= 0x10; },
                           "checksum");
}

TEST_F(DiskCacheTest, WrongMagicIsRebuilt) {
  expectRejectedAndRebuilt([](std::string &b) { b[0] = 'X'; }, "bad magic");
}

TEST_F(DiskCacheTest, WrongFormatVersionIsRebuilt) {
  expectRejectedAndRebuilt(
      [](std::string &b) {
        llvm::support::endian::write32le(&b[8], 999);
        fixChecksum(b);
      },
      "format version 999");
}

TEST_F(DiskCacheTest, OtherCodeGeneratorIsRebuilt) {
  expectRejectedAndRebuilt(
      [](std::string &b) {
        size_t at = b.find(compilerIdentity().str());
        ASSERT_NE(at, std::string::npos);
        b[at] = b[at] == '0' ? '1' : '0';
        fixChecksum(b);
      },
      "another code generator");
}

TEST_F(DiskCacheTest, OtherHostIsRebuilt) {
  expectRejectedAndRebuilt(
      [](std::string &b) {
        size_t at = b.find(hostIdentity().str());
        ASSERT_NE(at, std::string::npos);
        b[at + hostIdentity().size() - 1] ^= 1;
        fixChecksum(b);
      },
      "another host");
}

TEST_F(DiskCacheTest, EntryOfAnotherKeyIsRebuilt) {
  // A valid entry under the file name of another key, as a hash collision
  // would leave it.
  std::shared_ptr<CompiledFunction> eight;
  compileFresh(8, nullptr, &eight);
  std::vector<float> reference = runNet(*eight);
  std::shared_ptr<CompiledFunction> sixteen;
  compileFresh(16, nullptr, &sixteen);
  std::vector<float> reference16 = runNet(*sixteen);
  ASSERT_FALSE(llvm::sys::fs::copy_file(entryPath(16), entryPath(8)));

  resetDiskCacheStats();
  CacheStats stats = compileFresh(8, &reference);
  EXPECT_EQ(stats.compiles, 1u);
  EXPECT_EQ(diskCacheStats().rejected, 1u);
  EXPECT_NE(diskCacheStats().lastRejection.find("another key"),
            std::string::npos)
      << diskCacheStats().lastRejection;
  EXPECT_EQ(compileFresh(8, &reference).diskHits, 1u);
  EXPECT_EQ(compileFresh(16, &reference16).diskHits, 1u);
}

TEST_F(DiskCacheTest, DisabledWritesNothing) {
  setDiskCacheDir("off");
  std::shared_ptr<CompiledFunction> a, b;
  compileFresh(16, nullptr, &a);
  CacheStats stats = compileFresh(16, nullptr, &b);
  EXPECT_EQ(stats.compiles, 1u);
  EXPECT_FALSE(b->loadedFromDisk());
  EXPECT_TRUE(files().empty());
  DiskCacheStats disk = diskCacheStats();
  EXPECT_EQ(disk.misses + disk.hits + disk.writes + disk.writeFailures, 0u);
}

TEST_F(DiskCacheTest, UnwritableDirectoryOnlyLosesTheCache) {
  // A path below a regular file cannot be created, even by root.
  std::string blocker = dir + "/blocker";
  writeFile(blocker, "not a directory");
  setDiskCacheDir(blocker + "/cache");
  std::shared_ptr<CompiledFunction> a;
  EXPECT_EQ(compileFresh(16, nullptr, &a).compiles, 1u);
  std::vector<float> reference = runNet(*a);
  EXPECT_EQ(compileFresh(16, &reference).compiles, 1u);
  DiskCacheStats disk = diskCacheStats();
  EXPECT_EQ(disk.writeFailures, 2u);
  EXPECT_EQ(disk.writes, 0u);
  EXPECT_EQ(disk.hits, 0u);
}

TEST_F(DiskCacheTest, ConcurrentWritersAndReadersSeeWholeEntries) {
  std::shared_ptr<CompiledFunction> serial;
  {
    setDiskCacheDir("off");
    Jit jit;
    serial = jit.getSource(netSource(16), "net");
    setDiskCacheDir(dir);
  }
  EXPECT_EQ(compileConcurrently({{16, runNet(*serial)}}), 0);
  DiskCacheStats disk = diskCacheStats();
  EXPECT_EQ(disk.rejected, 0u) << disk.lastRejection;
  EXPECT_GE(disk.hits, 1u);
  EXPECT_EQ(disk.hits + disk.misses, 12u);
  // Only the entry: no temporary file is left behind.
  EXPECT_EQ(files(), std::vector<std::string>{
                         llvm::sys::path::filename(entryPath(16)).str()});
}

TEST_F(DiskCacheTest, RunnerUtilsSymbolsResolve) {
  // rtclock() lives in libmlir_c_runner_utils.so, which the linker loads on
  // the first symbol nothing else defines: freshly compiled and loaded from
  // disk, the call must reach it.
  const char *text = R"mlir(
func.func private @rtclock() -> f64
func.func @clock(%x: tensor<1xf64>) -> tensor<1xf64> {
  %t = call @rtclock() : () -> f64
  %e = tensor.empty() : tensor<1xf64>
  %r = linalg.fill ins(%t : f64) outs(%e : tensor<1xf64>) -> tensor<1xf64>
  return %r : tensor<1xf64>
}
)mlir";
  for (bool fromDisk : {false, true}) {
    Jit jit;
    auto fn = jit.getSource(text, "clock");
    EXPECT_EQ(fn->loadedFromDisk(), fromDisk);
    HostBuffer x(fn->inputs()[0]);
    std::vector<HostBuffer> out = fn->run({&x});
    // Seconds since the epoch: well past 2020.
    EXPECT_GT(out[0].values<double>()[0], 1.5e9);
  }
}

/// Runs this test binary as a child (Main.cpp: diskCacheChildMain) with
/// the cache in `dir`; returns its output.
std::string runChild(const std::string &dir) {
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  EXPECT_GT(n, 0);
  self[n > 0 ? n : 0] = '\0';
  std::string command =
      "MXJIT_DISKCACHE_CHILD=1 MXJIT_CACHE_DIR='" + dir + "' '" + self + "'";
  FILE *child = popen(command.c_str(), "r");
  EXPECT_NE(child, nullptr);
  std::string output;
  char line[4096];
  while (child && std::fgets(line, sizeof(line), child))
    output += line;
  EXPECT_EQ(child ? pclose(child) : -1, 0) << output;
  return output;
}

TEST_F(DiskCacheTest, SecondProcessSkipsCompilation) {
  std::string first = runChild(dir);
  EXPECT_NE(first.find("compiles=1 diskHits=0"), std::string::npos) << first;
  std::string second = runChild(dir);
  EXPECT_NE(second.find("compiles=0 diskHits=1"), std::string::npos) << second;
  // Same results, to the bit, in both processes and in this one.
  auto results = [](const std::string &out) {
    size_t at = out.find("results ");
    return at == std::string::npos ? std::string() : out.substr(at);
  };
  EXPECT_FALSE(results(first).empty()) << first;
  EXPECT_EQ(results(first), results(second));
  Jit jit;
  auto fn = jit.getSource(netSource(16), "net");
  EXPECT_TRUE(fn->loadedFromDisk());
  std::string here = "results";
  for (float v : runNet(*fn))
    here += " " + llvm::utohexstr(llvm::bit_cast<uint32_t>(v));
  EXPECT_EQ(results(first), here + "\n");
}

} // namespace

/// The child of SecondProcessSkipsCompilation: compiles the net through a
/// Jit with the disk cache the environment names and prints what it did.
int diskCacheChildMain() {
  try {
    Jit jit;
    auto fn = jit.getSource(netSource(16), "net");
    CacheStats stats = jit.cache().stats();
    std::printf("compiles=%llu diskHits=%llu\n",
                static_cast<unsigned long long>(stats.compiles),
                static_cast<unsigned long long>(stats.diskHits));
    std::string line = "results";
    for (float v : runNet(*fn))
      line += " " + llvm::utohexstr(llvm::bit_cast<uint32_t>(v));
    std::printf("%s\n", line.c_str());
    return 0;
  } catch (const std::exception &e) {
    std::fprintf(stderr, "%s\n", e.what());
    return 1;
  }
}
