//===- TrainingBench.cpp - Gluon training steps, compared with PyTorch ----===//
//
// BM_GluonMlpStep/<batch>: one training iteration of a Gluon MLP
// 784-256-256-10 (relu) with SoftmaxCrossEntropyLoss and Trainer("sgd",
// lr 0.1, momentum 0.9): forward under autograd::record, backward,
// trainer.step(batch) and reading the mean loss back.
// BM_GluonLeNetStep/<batch>: the same step for LeNet: Conv2D(20,5), tanh,
// MaxPool2D(2,2), Conv2D(50,5), tanh, MaxPool2D(2,2), Flatten,
// Dense(500, tanh), Dense(10). bench/torch_peer.py
// times the same step in PyTorch eager; bench/compare_training.sh puts the
// two side by side (docs/gluon-training.md, "Compared with PyTorch").
// BM_MlpStepGenericBatch/<0|1>, BM_LenetStepGenericBatch/<0|1>: the MLP
// or LeNet step at batch 128 on its static compile or on the shape-generic
// variant (docs/runtime.md).
// Counters naive_KiB and planned_KiB are the step function's temporary
// memory without and with mx-plan-memory (CompiledFunction::memoryPlan()).
// step_peak_MiB is the peak resident memory during the timed steps above
// the process's size before the model was built (weights, gradients,
// optimizer state, data, the step's temporaries, and what compiling left
// behind: MLIR context, caches, machine code); step_working_MiB is the
// peak above the size right before the timed steps (what one step
// allocates and frees). Both are meaningful when the benchmark runs alone
// in its process, as bench/compare_torch.py runs it; bench/torch_peer.py
// measures PyTorch the same way.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"
#include "mxjit/context.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"
#include "mxjit/gluon/trainer.h"
#include "mxjit/init.h"

#include "runtime/CompileCache.h"

#include "BenchModels.h"
#include "ProcessMemory.h"

#include <benchmark/benchmark.h>

#include <random>

using namespace mxjit;

namespace {

/// Random inputs and integer class labels, fixed seed, so every run (and
/// every batch size) trains on the same kind of data.
struct Batch {
  nd::NDArray x, label;
};

Batch randomBatch(const nd::Shape &xShape, int64_t classes) {
  nd::random::seed(42);
  Batch b;
  b.x = nd::random::uniform(0, 1, xShape);
  std::mt19937 gen(42);
  std::uniform_int_distribution<int64_t> dist(0, classes - 1);
  std::vector<double> labels(static_cast<size_t>(xShape[0]));
  for (double &l : labels)
    l = static_cast<double>(dist(gen));
  b.label = nd::array(labels);
  return b;
}

/// Times forward + backward + step + loss read-back. The loss is read after
/// step because the engine is lazy: asking for the value is what makes the
/// forward and backward actually run, and the next iteration's forward
/// depends on the updated weights, so each timed iteration does one full
/// step of work.
void runSteps(benchmark::State &state, gluon::Block &net, const Batch &data,
              int64_t batch) {
  gluon::loss::SoftmaxCrossEntropyLoss loss;
  gluon::Trainer trainer(net.collect_params(), "sgd",
                         {{"learning_rate", 0.1}, {"momentum", 0.9}});
  auto step = [&] {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = loss(net(data.x), data.label);
      l.backward();
    }
    trainer.step(static_cast<double>(batch));
    return nd::mean(l).asscalar<float>();
  };
  // The first iterations compile (forward, backward, optimizer update);
  // the benchmark measures the steady state, as the PyTorch peer does. A
  // model the frontend cannot train yet is reported as this benchmark's
  // error instead of ending the whole mxjit-bench run.
  try {
    for (int i = 0; i < 3; ++i)
      step();
  } catch (const std::exception &e) {
    state.SkipWithError(e.what());
    return;
  }
  bench::releaseFreeMemory();
  uint64_t beforeSteps = bench::residentBytes();
  bool peakReset = bench::resetPeakResident();
  float last = 0;
  for (auto _ : state) {
    last = step();
    benchmark::DoNotOptimize(last);
  }
  state.counters["loss"] = last;
  // MXJIT_NUM_THREADS picks it (mxjit::numThreads()).
  state.counters["threads"] = numThreads();
  // The step's own function (pending update, forward and backward in one
  // call) is the largest compiled one that takes this batch as an input
  // (earlier runs of this benchmark may have compiled it).
  TensorSpec x(data.x.shape(), data.x.dtype());
  MemoryPlan plan;
  for (const auto &[key, fn] : defaultCompileCache().compiled())
    if (llvm::is_contained(key.inputs, x) &&
        fn->memoryPlan().naiveBytes > plan.naiveBytes)
      plan = fn->memoryPlan();
  state.counters["naive_KiB"] = static_cast<double>(plan.naiveBytes) / 1024;
  state.counters["planned_KiB"] =
      static_cast<double>(plan.plannedPeakBytes) / 1024;
  if (peakReset) {
    auto mibAbove = [](uint64_t base) {
      return (static_cast<double>(bench::peakResidentBytes()) -
              static_cast<double>(base)) /
             (1024 * 1024);
    };
    state.counters["step_peak_MiB"] = mibAbove(bench::baselineResidentBytes());
    state.counters["step_working_MiB"] = mibAbove(beforeSteps);
  }
  state.counters["samples/s"] =
      benchmark::Counter(static_cast<double>(batch),
                         benchmark::Counter::kIsIterationInvariantRate);
}

void BM_GluonMlpStep(benchmark::State &state) {
  bench::baselineResidentBytes();
  int64_t batch = state.range(0);
  gluon::NameManager names;
  auto net = bench::makeMlp();
  Batch data = randomBatch({batch, 784}, 10);
  runSteps(state, *net, data, batch);
}
BENCHMARK(BM_GluonMlpStep)
    ->Arg(64)
    ->Arg(128)
    ->Arg(256)
    ->Unit(benchmark::kMillisecond);

/// LeNet as in MXNet's Gluon tutorials, on 1x28x28 inputs, Xavier-
/// initialised.
std::shared_ptr<gluon::nn::Sequential> makeLeNet() {
  using namespace gluon::nn;
  auto net = std::make_shared<Sequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<Conv2D>(20, 5));
    net->add(std::make_shared<Activation>("tanh"));
    net->add(std::make_shared<MaxPool2D>(2, 2));
    net->add(std::make_shared<Conv2D>(50, 5));
    net->add(std::make_shared<Activation>("tanh"));
    net->add(std::make_shared<MaxPool2D>(2, 2));
    net->add(std::make_shared<Flatten>());
    net->add(std::make_shared<Dense>(500, "tanh"));
    net->add(std::make_shared<Dense>(10));
  }
  net->initialize(std::make_shared<init::Xavier>());
  return net;
}

/// BM_<model>StepGenericBatch/<generic>: the model's step at batch 128, run
/// by the shape-generic variant (1: after steps at batch 125, 126 and 127
/// with genericBatchThreshold() 3, batch 128 is a fourth size) or by its
/// static compile (0: threshold 0). The compile cache is cleared first: a
/// static compile of batch 128 left by the other variant (or a repetition)
/// would be found before the generic one. Counter generic_hits proves which
/// code ran.
void runGenericBatchStep(benchmark::State &state,
                         std::shared_ptr<gluon::nn::Sequential> (*makeNet)(),
                         const nd::Shape &sample) {
  bool generic = state.range(0) != 0;
  const int64_t batch = 128;
  auto withBatch = [&](int64_t rows) {
    nd::Shape shape = {rows};
    shape.insert(shape.end(), sample.begin(), sample.end());
    return shape;
  };
  unsigned savedThreshold = genericBatchThreshold();
  setGenericBatchThreshold(generic ? 3 : 0);
  defaultCompileCache().clear();
  gluon::NameManager names;
  auto net = makeNet();
  gluon::loss::SoftmaxCrossEntropyLoss loss;
  gluon::Trainer trainer(net->collect_params(), "sgd",
                         {{"learning_rate", 0.1}, {"momentum", 0.9}});
  auto step = [&](const Batch &data) {
    nd::NDArray l;
    {
      auto rec = autograd::record();
      l = loss((*net)(data.x), data.label);
      l.backward();
    }
    trainer.step(static_cast<double>(data.x.shape()[0]));
    return nd::mean(l).asscalar<float>();
  };
  Batch data = randomBatch(withBatch(batch), 10);
  try {
    // Each size twice: the first step of a size still carries the previous
    // size's pending update, the second is the steady-state graph.
    for (int64_t warm : {125, 126, 127}) {
      Batch w = randomBatch(withBatch(warm), 10);
      step(w);
      step(w);
    }
    for (int i = 0; i < 3; ++i)
      step(data);
  } catch (const std::exception &e) {
    setGenericBatchThreshold(savedThreshold);
    state.SkipWithError(e.what());
    return;
  }
  uint64_t hits = defaultCompileCache().stats().genericHits;
  float last = 0;
  for (auto _ : state) {
    last = step(data);
    benchmark::DoNotOptimize(last);
  }
  state.counters["loss"] = last;
  state.counters["generic_hits"] =
      static_cast<double>(defaultCompileCache().stats().genericHits - hits);
  setGenericBatchThreshold(savedThreshold);
}

void BM_MlpStepGenericBatch(benchmark::State &state) {
  runGenericBatchStep(state, bench::makeMlp, {784});
}
BENCHMARK(BM_MlpStepGenericBatch)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_LenetStepGenericBatch(benchmark::State &state) {
  runGenericBatchStep(state, makeLeNet, {1, 28, 28});
}
BENCHMARK(BM_LenetStepGenericBatch)
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

void BM_GluonLeNetStep(benchmark::State &state) {
  bench::baselineResidentBytes();
  int64_t batch = state.range(0);
  gluon::NameManager names;
  auto net = makeLeNet();
  Batch data = randomBatch({batch, 1, 28, 28}, 10);
  runSteps(state, *net, data, batch);
}
BENCHMARK(BM_GluonLeNetStep)->Arg(64)->Arg(128)->Unit(benchmark::kMillisecond);

} // namespace
