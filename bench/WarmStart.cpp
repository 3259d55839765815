//===- WarmStart.cpp - first MLP training step of a fresh process ---------===//
//
// mxjit-warmstart [batch]: builds the Gluon MLP 784-256-256-10 (relu) of
// BM_GluonMlpStep with SoftmaxCrossEntropyLoss and Trainer("sgd"), then
// times, in this fresh process, the first training step (forward under
// autograd::record, backward, trainer.step, reading the loss) and a second
// one, and prints one line of figures, e.g.
//
//   setup_ms=3.1 first_step_ms=6.2 second_step_ms=0.9 compiles=0
//   disk_hits=4 disk_misses=0 disk_load_ms=3.4 main_to_first_step_ms=9.3
//
// Run it twice with the same MXJIT_CACHE_DIR (scripts/warm_start.sh does):
// the first run compiles and fills the on-disk compile cache, the second
// is the warm start. setup_ms covers building and initialising the network
// (which compiles its own small functions); the difference between
// first_step_ms and second_step_ms is what compiling (cold) or loading
// (warm) the step's functions costs.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/nn.h"
#include "mxjit/gluon/trainer.h"
#include "mxjit/init.h"

#include "runtime/CompileCache.h"
#include "runtime/DiskCache.h"

#include "BenchModels.h"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <random>

using namespace mxjit;

namespace {
using Clock = std::chrono::steady_clock;

double msBetween(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}
} // namespace

int main(int argc, char **argv) {
  Clock::time_point start = Clock::now();
  int64_t batch = argc > 1 ? std::atoll(argv[1]) : 128;
  if (batch <= 0) {
    std::fprintf(stderr, "usage: mxjit-warmstart [batch > 0]\n");
    return 2;
  }
  try {
    gluon::NameManager names;
    auto net = bench::makeMlp();
    nd::random::seed(42);
    nd::NDArray x = nd::random::uniform(0, 1, {batch, 784});
    std::mt19937 gen(42);
    std::uniform_int_distribution<int64_t> dist(0, 9);
    std::vector<double> labels(static_cast<size_t>(batch));
    for (double &l : labels)
      l = static_cast<double>(dist(gen));
    nd::NDArray label = nd::array(labels);
    gluon::loss::SoftmaxCrossEntropyLoss loss;
    gluon::Trainer trainer(net->collect_params(), "sgd",
                           {{"learning_rate", 0.1}, {"momentum", 0.9}});
    auto step = [&] {
      nd::NDArray l;
      {
        auto rec = autograd::record();
        l = loss((*net)(x), label);
        l.backward();
      }
      trainer.step(static_cast<double>(batch));
      return nd::mean(l).asscalar<float>();
    };
    // Everything set up so far may have compiled (initialisers, random
    // data); count only what the steps do.
    x.wait_to_read();
    Clock::time_point setupDone = Clock::now();
    defaultCompileCache().resetStats();
    resetDiskCacheStats();

    float first = step();
    Clock::time_point firstDone = Clock::now();
    CacheStats cache = defaultCompileCache().stats();
    DiskCacheStats disk = diskCacheStats();
    float second = step();
    Clock::time_point secondDone = Clock::now();

    std::printf("setup_ms=%.2f first_step_ms=%.2f second_step_ms=%.2f "
                "compiles=%llu disk_hits=%llu disk_misses=%llu "
                "disk_rejected=%llu disk_writes=%llu disk_load_ms=%.2f "
                "compile_fns_ms=%.2f "
                "main_to_first_step_ms=%.2f loss=%.4f,%.4f cache_dir=%s\n",
                msBetween(start, setupDone), msBetween(setupDone, firstDone),
                msBetween(firstDone, secondDone),
                static_cast<unsigned long long>(cache.compiles),
                static_cast<unsigned long long>(cache.diskHits),
                static_cast<unsigned long long>(disk.misses),
                static_cast<unsigned long long>(disk.rejected),
                static_cast<unsigned long long>(disk.writes), disk.loadMs,
                cache.compileMs, msBetween(start, firstDone), first, second,
                diskCacheDir().empty() ? "off" : diskCacheDir().c_str());
  } catch (const std::exception &e) {
    std::fprintf(stderr, "mxjit-warmstart: %s\n", e.what());
    return 1;
  }
  return 0;
}
