//===- NDArrayBench.cpp - eager NDArray and autograd costs ----------------===//
//
// BM_NDArrayOpHit: one imperative op on a small array, read back, when its
// trace is already compiled (record + type inference + key + call).
// BM_AutogradStep: forward + backward + SGD update of a small dense layer,
// compiled once.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"

#include <benchmark/benchmark.h>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

void BM_NDArrayOpHit(benchmark::State &state) {
  NDArray x = ones({4, 4});
  (x + 1.0).wait_to_read(); // compile once
  for (auto _ : state) {
    NDArray y = x + 1.0;
    y.wait_to_read();
  }
}
BENCHMARK(BM_NDArrayOpHit)->Unit(benchmark::kMicrosecond);

void BM_NDArrayChainHit(benchmark::State &state) {
  NDArray x = ones({64, 64});
  auto run = [&] { (relu(x * 2.0 - 1.0) + exp(x)).wait_to_read(); };
  run();
  for (auto _ : state)
    run();
  state.counters["ops"] = 5;
}
BENCHMARK(BM_NDArrayChainHit)->Unit(benchmark::kMicrosecond);

void BM_AutogradStep(benchmark::State &state) {
  random::seed(0);
  NDArray w = random::normal(0, 0.1, {32, 64});
  NDArray b = zeros({32});
  w.attach_grad();
  b.attach_grad();
  NDArray x = random::uniform(-1, 1, {16, 64});
  NDArray t = random::uniform(-1, 1, {16, 32});
  auto step = [&] {
    {
      auto scope = autograd::record();
      NDArray loss = mean(square(fully_connected(x, w, b, 32) - t));
      loss.backward();
    }
    w -= 0.1 * w.grad();
    b -= 0.1 * b.grad();
    w.wait_to_read();
    b.wait_to_read();
  };
  step(); // compile once
  for (auto _ : state)
    step();
}
BENCHMARK(BM_AutogradStep)->Unit(benchmark::kMicrosecond);

} // namespace
