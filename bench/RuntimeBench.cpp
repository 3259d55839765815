//===- RuntimeBench.cpp - compile time and per-call overhead --------------===//
//
// BM_Compile20Ops: full compile of a 20-op mx graph (cache cleared every
// iteration, disk cache off). BM_DiskCacheWarmLoad: the same request
// served by the on-disk compile cache, i.e. a warm start: from asking a
// Jit with an empty in-memory cache for the function (module already
// built) to a callable CompiledFunction. The call benchmarks isolate what a
// training step pays per op once everything is compiled: the raw call, a cache
// lookup with a prebuilt key, building the key, and the Jit entry points that
// find the key from a module or from its text.
//
//===----------------------------------------------------------------------===//

#include "runtime/DiskCache.h"
#include "runtime/Jit.h"

#include "llvm/Support/FileSystem.h"

#include <benchmark/benchmark.h>

#include <iostream>

using namespace mxjit;

namespace {

// An MLP-like block: two fully connected layers with activations, shape
// shuffles, reductions and a softmax head. 20 mx ops.
const char *kNet = R"mlir(
func.func @net(%x: tensor<32x64xf32>, %w1: tensor<128x64xf32>,
               %b1: tensor<128xf32>, %w2: tensor<10x32xf32>,
               %b2: tensor<10xf32>)
    -> (tensor<32x10xf32>, tensor<1xf32>, tensor<32xf32>) {
  %0 = mx.fully_connected %x, %w1, %b1 {num_hidden = 128 : i64}
      : (tensor<32x64xf32>, tensor<128x64xf32>, tensor<128xf32>)
      -> tensor<32x128xf32>
  %1 = mx.relu %0 : tensor<32x128xf32>
  %2 = mx.multiply_scalar %1, 0.5 : tensor<32x128xf32>
  %3 = mx.add %2, %b1 : (tensor<32x128xf32>, tensor<128xf32>)
      -> tensor<32x128xf32>
  %4 = mx.tanh %3 : tensor<32x128xf32>
  %5 = mx.transpose %4 : (tensor<32x128xf32>) -> tensor<128x32xf32>
  %6 = mx.exp %5 : tensor<128x32xf32>
  %7 = mx.transpose %6 : (tensor<128x32xf32>) -> tensor<32x128xf32>
  %8 = mx.reshape %7 {shape = array<i64: 32, 4, 32>}
      : (tensor<32x128xf32>) -> tensor<32x4x32xf32>
  %9 = mx.sum %8 {axis = array<i64: 1>}
      : (tensor<32x4x32xf32>) -> tensor<32x32xf32>
  %10 = mx.sigmoid %9 : tensor<32x32xf32>
  %11 = mx.multiply %9, %10 : (tensor<32x32xf32>, tensor<32x32xf32>)
      -> tensor<32x32xf32>
  %12 = mx.fully_connected %11, %w2, %b2 {num_hidden = 10 : i64}
      : (tensor<32x32xf32>, tensor<10x32xf32>, tensor<10xf32>)
      -> tensor<32x10xf32>
  %13 = mx.softmax %12 : tensor<32x10xf32>
  %14 = mx.log %13 : tensor<32x10xf32>
  %15 = mx.negative %14 : tensor<32x10xf32>
  %16 = mx.mean %15 : (tensor<32x10xf32>) -> tensor<1xf32>
  %17 = mx.max %13 {axis = array<i64: 1>}
      : (tensor<32x10xf32>) -> tensor<32xf32>
  %18 = mx.add_scalar %17, 1.0 : tensor<32xf32>
  %19 = mx.sqrt %18 : tensor<32xf32>
  return %13, %16, %19 : tensor<32x10xf32>, tensor<1xf32>, tensor<32xf32>
}
)mlir";

const char *kAdd = R"mlir(
func.func @add(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = mx.add %a, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
)mlir";

/// Points the process-wide disk cache at `dir` ("off" for none) for the
/// lifetime of the object.
class ScopedDiskCacheDir {
public:
  explicit ScopedDiskCacheDir(const std::string &dir)
      : previous_(diskCacheDir()) {
    setDiskCacheDir(dir);
  }
  ~ScopedDiskCacheDir() { setDiskCacheDir(previous_); }

private:
  std::string previous_;
};

void BM_Compile20Ops(benchmark::State &state) {
  // A real compile each time, not a load from the disk cache.
  ScopedDiskCacheDir off("off");
  Jit jit;
  auto module = parseModule(jit.context(), kNet);
  double pipelineMs = 0, llvmMs = 0;
  for (auto _ : state) {
    jit.cache().clear();
    auto fn = jit.get(*module, "net");
    pipelineMs += fn->timings().pipelineMs;
    llvmMs += fn->timings().llvmMs;
    benchmark::DoNotOptimize(fn.get());
  }
  state.counters["pipeline_ms"] =
      benchmark::Counter(pipelineMs, benchmark::Counter::kAvgIterations);
  state.counters["llvm_ms"] =
      benchmark::Counter(llvmMs, benchmark::Counter::kAvgIterations);
}
BENCHMARK(BM_Compile20Ops)->Unit(benchmark::kMillisecond)->MinTime(2.0);

void BM_DiskCacheWarmLoad(benchmark::State &state) {
  llvm::SmallString<128> dir;
  if (llvm::sys::fs::createUniqueDirectory("mxjit-bench-cache", dir)) {
    state.SkipWithError("cannot create a temporary directory");
    return;
  }
  {
    ScopedDiskCacheDir cache(dir.str().str());
    Jit jit;
    auto module = parseModule(jit.context(), kNet);
    // Prepare the entry: the first request compiles and writes it.
    double compileMs = jit.get(*module, "net")->compileMs();
    double loadMs = 0;
    for (auto _ : state) {
      jit.cache().clear();
      auto fn = jit.get(*module, "net");
      if (!fn->loadedFromDisk()) {
        state.SkipWithError("the disk cache did not serve the function");
        break;
      }
      loadMs += fn->loadMs();
      benchmark::DoNotOptimize(fn.get());
    }
    state.counters["compile_ms"] = compileMs;
    // Reading, checking and linking the entry; the rest of the time is the
    // module's fingerprint and the in-memory cache miss.
    state.counters["load_ms"] =
        benchmark::Counter(loadMs, benchmark::Counter::kAvgIterations);
  }
  llvm::sys::fs::remove_directories(dir);
}
BENCHMARK(BM_DiskCacheWarmLoad)->Unit(benchmark::kMillisecond);

/// The compiled (4,4) add with its buffers.
struct AddFixture {
  AddFixture() {
    module = parseModule(jit.context(), kAdd);
    key = Jit::makeKey(*module, "add", CompileOptions());
    fn = jit.get(*module, "add");
    for (int i = 0; i < 16; ++i) {
      a[i] = static_cast<float>(i);
      b[i] = 1.0f;
    }
  }
  Jit jit;
  mlir::OwningOpRef<mlir::ModuleOp> module;
  CacheKey key;
  std::shared_ptr<CompiledFunction> fn;
  alignas(64) float a[16], b[16], out[16];
};

std::shared_ptr<CompiledFunction> unreachableCompile() {
  throw Error("benchmark: the function should have been cached");
}

void BM_RawCall(benchmark::State &state) {
  AddFixture f;
  for (auto _ : state) {
    f.fn->call({f.a, f.b}, {f.out});
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_RawCall)->Unit(benchmark::kMicrosecond);

void BM_CacheHitCall(benchmark::State &state) {
  AddFixture f;
  for (auto _ : state) {
    auto fn = f.jit.cache().getOrCompile(f.key, unreachableCompile);
    fn->call({f.a, f.b}, {f.out});
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_CacheHitCall)->Unit(benchmark::kMicrosecond);

/// Building the key from a known fingerprint and the argument specs, as a
/// frontend holding a traced graph does per call.
void BM_CacheHitCallBuildKey(benchmark::State &state) {
  AddFixture f;
  const uint64_t fingerprint = f.key.fingerprint;
  const std::string options = CompileOptions().key();
  for (auto _ : state) {
    CacheKey key;
    key.fingerprint = fingerprint;
    key.inputs = {TensorSpec({4, 4}, DType::Float32),
                  TensorSpec({4, 4}, DType::Float32)};
    key.options = options;
    auto fn = f.jit.cache().getOrCompile(key, unreachableCompile);
    fn->call({f.a, f.b}, {f.out});
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_CacheHitCallBuildKey)->Unit(benchmark::kMicrosecond);

/// Jit::getSource: the text memo finds the key without parsing.
void BM_JitSourceHitCall(benchmark::State &state) {
  AddFixture f;
  for (auto _ : state) {
    auto fn = f.jit.getSource(kAdd, "add");
    fn->call({f.a, f.b}, {f.out});
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_JitSourceHitCall)->Unit(benchmark::kMicrosecond);

/// Jit::get on a module: fingerprints the module every call.
void BM_JitModuleHitCall(benchmark::State &state) {
  AddFixture f;
  for (auto _ : state) {
    auto fn = f.jit.get(*f.module, "add");
    fn->call({f.a, f.b}, {f.out});
    benchmark::ClobberMemory();
  }
}
BENCHMARK(BM_JitModuleHitCall)->Unit(benchmark::kMicrosecond);

} // namespace

int main(int argc, char **argv) {
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv))
    return 1;
  try {
    benchmark::RunSpecifiedBenchmarks();
  } catch (const Error &e) {
    std::cerr << "mxjit-bench: " << e.what() << '\n';
    return 1;
  }
  benchmark::Shutdown();
  return 0;
}
