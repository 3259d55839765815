//===- GemmBench.cpp - single-precision matrix products -------------------===//
//
// BM_Sgemm/<n>: C = A B for n x n float32 arrays through the public API
// (nd::dot, then reading the result back), compiled once before timing, so
// each iteration is one call of the JIT-compiled product plus the eager
// engine's bookkeeping. The counter GFLOP/s counts 2 n^3 flops per product;
// bench/torch_peer.py --sgemm times torch.mm on the same sizes and thread
// count. The product runs on mxjit::numThreads() threads (set
// MXJIT_NUM_THREADS=1 or 2 to choose; counter `threads`).
//
//===----------------------------------------------------------------------===//

#include "mxjit/context.h"
#include "mxjit/ndarray.h"

#include <benchmark/benchmark.h>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

void BM_Sgemm(benchmark::State &state) {
  int64_t n = state.range(0);
  random::seed(0);
  NDArray a = random::uniform(-1, 1, {n, n});
  NDArray b = random::uniform(-1, 1, {n, n});
  a.wait_to_read();
  b.wait_to_read();
  dot(a, b).wait_to_read(); // compile once
  for (auto _ : state)
    dot(a, b).wait_to_read();
  state.counters["GFLOP/s"] = benchmark::Counter(
      2.0 * n * n * n * static_cast<double>(state.iterations()) * 1e-9,
      benchmark::Counter::kIsRate);
  state.counters["threads"] = numThreads();
}
BENCHMARK(BM_Sgemm)
    ->Arg(256)
    ->Arg(512)
    ->Arg(1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
