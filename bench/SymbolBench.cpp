//===- SymbolBench.cpp - ResNet-18 from MXNet JSON: compile and step ------===//
//
// BM_ResNet18Step/<batch>/<side>: the fixture resnet18-symbol.json (an
// MXNet model-zoo style ResNet-18 v1) bound with simple_bind for input
// (batch, 3, side, side); one iteration is forward(is_train) + backward,
// i.e. one call of the single compiled training function. The first step
// (compile) is reported as the counter compile_ms, taken on a cold
// process-wide cache.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"

#include <benchmark/benchmark.h>

using namespace mxjit;

namespace {

void BM_ResNet18Step(benchmark::State &state) {
  int64_t batch = state.range(0), side = state.range(1);
  sym::Symbol net =
      sym::load(std::string(MXJIT_SYMBOL_FIXTURES) + "/resnet18-symbol.json");
  sym::Executor exe = net.simple_bind(
      cpu(), {{"data", {batch, 3, side, side}}, {"softmax_label", {batch}}});
  nd::random::seed(0);
  for (auto [name, array] : exe.arg_dict())
    if (name != "softmax_label") // handles share the bound array
      nd::random::uniform(-0.05, 0.05, array.shape()).copyto(array);
  exe.forward(true);
  exe.backward();
  exe.grad_arrays()[1].wait_to_read();
  state.counters["compile_ms"] = exe.stats().compileMs;
  state.counters["llvm_ms"] = exe.stats().llvmMs;
  for (auto _ : state) {
    exe.forward(true);
    exe.backward();
  }
  state.counters["images_per_s"] =
      benchmark::Counter(static_cast<double>(batch * state.iterations()),
                         benchmark::Counter::kIsRate);
}
BENCHMARK(BM_ResNet18Step)
    ->Args({1, 32})
    ->Args({32, 32})
    ->Args({1, 224})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(3);
// Minutes per step until the kernels are tiled and vectorized (issue 7):
// one step is enough to report.
BENCHMARK(BM_ResNet18Step)
    ->Args({32, 224})
    ->Unit(benchmark::kMillisecond)
    ->UseRealTime()
    ->Iterations(1);

} // namespace
