//===- ReductionBench.cpp - eager reductions and softmax ------------------===//
//
// BM_SumRows_4096x1024: sum over the last axis (contiguous, reduced).
// BM_SumCols_4096x1024: sum over the first axis (a bias gradient's shape).
// BM_Sum16M: every element of a 16M-element array into one value.
// BM_Softmax_4096x1024 / BM_LogSoftmax_4096x1024: over the last axis.
// Compiled once before timing; each iteration includes the eager engine's
// bookkeeping and the result's allocation, as in PyTorch.
// bench/torch_peer.py --reduction times the same expressions.
//
//===----------------------------------------------------------------------===//

#include "mxjit/ndarray.h"

#include <benchmark/benchmark.h>

#include <functional>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

void run(benchmark::State &state, const Shape &shape,
         const std::function<NDArray(const NDArray &)> &fn) {
  random::seed(0);
  NDArray x = random::uniform(-1, 1, shape);
  x.wait_to_read();
  fn(x).wait_to_read(); // compile once
  for (auto _ : state)
    fn(x).wait_to_read();
  int64_t elements = 1;
  for (int64_t d : shape)
    elements *= d;
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * elements *
                          static_cast<int64_t>(sizeof(float)));
}

void BM_SumRows_4096x1024(benchmark::State &state) {
  run(state, {4096, 1024}, [](const NDArray &x) { return sum(x, {1}); });
}
BENCHMARK(BM_SumRows_4096x1024)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_SumCols_4096x1024(benchmark::State &state) {
  run(state, {4096, 1024}, [](const NDArray &x) { return sum(x, {0}); });
}
BENCHMARK(BM_SumCols_4096x1024)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Sum16M(benchmark::State &state) {
  run(state, {int64_t(16) << 20}, [](const NDArray &x) { return sum(x); });
}
BENCHMARK(BM_Sum16M)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Softmax_4096x1024(benchmark::State &state) {
  run(state, {4096, 1024}, [](const NDArray &x) { return softmax(x); });
}
BENCHMARK(BM_Softmax_4096x1024)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_LogSoftmax_4096x1024(benchmark::State &state) {
  run(state, {4096, 1024}, [](const NDArray &x) { return log_softmax(x); });
}
BENCHMARK(BM_LogSoftmax_4096x1024)
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime();

} // namespace
