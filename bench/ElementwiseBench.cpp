//===- ElementwiseBench.cpp - memory-bound eager elementwise work ---------===//
//
// BM_Add16M: c = a + b on 16M-element float32 arrays, read back.
// BM_Chain5_16M: relu((a + b) * a - b) * 0.5 on the same arrays: five
// elementwise ops that PyTorch eager runs as five kernels with four
// temporaries, and that mxjit's lazy engine traces into one fused loop.
// Both are compiled once before timing; each iteration includes the eager
// engine's bookkeeping and the allocation of the result, as in PyTorch.
// bench/torch_peer.py --elementwise times the same expressions.
//
//===----------------------------------------------------------------------===//

#include "mxjit/ndarray.h"

#include <benchmark/benchmark.h>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

constexpr int64_t kElements = int64_t(16) << 20;

struct Operands {
  NDArray a, b;
};

Operands operands() {
  random::seed(0);
  Operands o{random::uniform(-1, 1, {kElements}),
             random::uniform(-1, 1, {kElements})};
  o.a.wait_to_read();
  o.b.wait_to_read();
  return o;
}

/// Bytes the expression must move at least: the inputs read once and the
/// result written once.
void countTraffic(benchmark::State &state, int arrays) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) * arrays *
                          kElements * static_cast<int64_t>(sizeof(float)));
}

void BM_Add16M(benchmark::State &state) {
  Operands o = operands();
  (o.a + o.b).wait_to_read(); // compile once
  for (auto _ : state)
    (o.a + o.b).wait_to_read();
  countTraffic(state, 3);
}
BENCHMARK(BM_Add16M)->Unit(benchmark::kMillisecond)->UseRealTime();

void BM_Chain5_16M(benchmark::State &state) {
  Operands o = operands();
  auto chain = [&] { return relu((o.a + o.b) * o.a - o.b) * 0.5; };
  chain().wait_to_read(); // compile once
  for (auto _ : state)
    chain().wait_to_read();
  countTraffic(state, 3);
  state.counters["ops"] = 5;
}
BENCHMARK(BM_Chain5_16M)->Unit(benchmark::kMillisecond)->UseRealTime();

} // namespace
