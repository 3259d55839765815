//===- Train.cpp - the training loop of mxjit-train
//------------------------===//
//
// MXNet's Gluon training loop: DataLoader batches, forward and loss under
// autograd::record, backward, Trainer::step, then per epoch the test
// accuracy. Values are read back once per step (loss and predictions for
// the running metrics); that read is what runs the lazily traced step.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include "mxjit/autograd.h"
#include "mxjit/gluon/data.h"
#include "mxjit/gluon/loss.h"
#include "mxjit/gluon/trainer.h"
#include "mxjit/metric.h"
#include "mxjit/ndarray.h"

#include <cstdio>
#include <filesystem>
#include <sys/resource.h>

namespace mxjit::train {
namespace {

using Clock = std::chrono::steady_clock;
namespace data = gluon::data;

double secondsSince(Clock::time_point t) {
  return std::chrono::duration<double>(Clock::now() - t).count();
}

/// Test-set accuracy with autograd off (inference mode).
double evaluate(gluon::Block &net, data::DataLoader &loader) {
  metric::Accuracy acc;
  data::vision::transforms::ToTensor toTensor;
  for (const data::Sample &batch : loader)
    acc.update(batch[1], net(toTensor(batch[0])));
  return acc.get().second;
}

/// Writes the curve and the network graph; returns the files written.
std::vector<std::string> writeOutputs(const Options &opts, const Model &model,
                                      const std::vector<EpochStats> &epochs) {
  std::vector<std::string> files;
  std::filesystem::path dir(opts.outDir);
  std::string curve =
      (dir / ("training-curve-" + opts.model + ".svg")).string();
  if (writeCurveSvg(curve, epochs,
                    "mxjit-train: " + opts.model + " on Fashion-MNIST"))
    files.push_back(curve);
  else
    std::fprintf(stderr, "mxjit-train: cannot write %s\n", curve.c_str());
  if (!model.symbol)
    return files;
  sym::Shape data = {opts.batchSize};
  data.insert(data.end(), model.sampleShape.begin(), model.sampleShape.end());
  std::map<std::string, sym::Shape> shapes = {{"data", data}};
  std::string base = (dir / ("network-" + opts.model)).string();
  try {
    viz::save_network(*model.symbol, base + ".dot", shapes, "dot");
    files.push_back(base + ".dot");
    viz::save_network(*model.symbol, base + ".svg", shapes, "svg");
    files.push_back(base + ".svg");
  } catch (const Error &e) {
    // Graphviz is optional: the DOT file is enough to render later.
    std::fprintf(stderr, "mxjit-train: network graph: %s\n", e.what());
  }
  return files;
}

} // namespace

int run(const Options &opts) {
  auto start = Clock::now();
  std::error_code ec;
  std::filesystem::create_directories(opts.outDir, ec);
  if (ec) {
    std::fprintf(stderr, "mxjit-train: --out: cannot create '%s': %s\n",
                 opts.outDir.c_str(), ec.message().c_str());
    return 1;
  }
  nd::random::seed(opts.seed);

  data::DatasetPtr train, test;
  try {
    train = std::make_shared<data::vision::FashionMNIST>(opts.dataDir, true);
    test = std::make_shared<data::vision::FashionMNIST>(opts.dataDir, false);
  } catch (const Error &e) {
    std::fprintf(stderr,
                 "mxjit-train: --data: %s\n(install the dataset-fashion-mnist "
                 "package: bash scripts/bootstrap.sh build)\n",
                 e.what());
    return 1;
  }
  if (opts.quick) {
    train = train->take(640);
    test = test->take(1000);
  }

  Model model = buildModel(opts.model);
  gluon::Block &net = *model.net;
  double lr = opts.lr ? *opts.lr : (opts.optimizer == "adam" ? 1e-3 : 0.05);
  optimizer::Kwargs params = {{"learning_rate", lr}};
  if (opts.optimizer == "sgd")
    params["momentum"] = 0.9;
  gluon::loss::SoftmaxCrossEntropyLoss lossFn;
  data::vision::transforms::ToTensor toTensor;

  // "discard" keeps every step the same shape, so the step compiles once;
  // the few samples it drops differ every epoch (shuffled).
  data::DataLoader trainLoader(train, opts.batchSize, /*shuffle=*/true,
                               "discard");
  data::DataLoader testLoader(test, 1000, false, "keep");
  // MXNet's FactorScheduler counts updates: one epoch is a loader's pass.
  std::shared_ptr<lr_scheduler::LRScheduler> schedule;
  if (opts.lrStepEpochs > 0 && trainLoader.size() > 0)
    schedule = std::make_shared<lr_scheduler::FactorScheduler>(
        opts.lrStepEpochs * static_cast<int64_t>(trainLoader.size()), 0.5, 1e-8,
        lr);
  gluon::Trainer trainer(net.collect_params(),
                         optimizer::create(opts.optimizer, params, schedule));

  RunSummary summary;
  summary.model = opts.model;
  summary.optimizer = opts.optimizer == "sgd" ? "sgd (momentum 0.9)" : "adam";
  if (schedule)
    summary.optimizer +=
        ", lr halved every " + std::to_string(opts.lrStepEpochs) + " epochs";
  summary.lr = lr;
  summary.batchSize = opts.batchSize;
  summary.trainSamples = train->size();
  summary.testSamples = test->size();
  double firstLoss = -1, lastLoss = -1;

  for (int epoch = 1; epoch <= opts.epochs; ++epoch) {
    auto epochStart = Clock::now();
    int64_t batches = trainLoader.size();
    if (batches == 0) {
      std::fprintf(stderr,
                   "mxjit-train: --batch-size %lld is larger than the %lld "
                   "training samples\n",
                   (long long)opts.batchSize, (long long)train->size());
      return 2;
    }
    Progress progress(epoch, opts.epochs, batches);
    metric::Accuracy acc;
    double lossSum = 0;
    int64_t seen = 0, i = 0;
    for (const data::Sample &batch : trainLoader) {
      auto stepStart = Clock::now();
      nd::NDArray x = toTensor(batch[0]), y = batch[1], out, loss;
      {
        auto rec = autograd::record();
        out = net(x);
        loss = lossFn(out, y);
        loss.backward();
      }
      trainer.step(static_cast<double>(x.shape()[0]));
      double l = nd::mean(loss).asscalar<double>();
      acc.update(y, out);
      summary.stepMs.push_back(secondsSince(stepStart) * 1e3);
      if (firstLoss < 0)
        firstLoss = l;
      lastLoss = l;
      int64_t n = x.shape()[0];
      lossSum += l * n;
      seen += n;
      progress.update(++i, lossSum / seen, acc.get().second, seen);
    }
    progress.finish();
    EpochStats stats{lossSum / seen, acc.get().second, 0, 0};
    {
      auto pause = autograd::pause();
      stats.testAcc = evaluate(net, testLoader);
    }
    stats.seconds = secondsSince(epochStart);
    summary.epochs.push_back(stats);
    std::fprintf(stderr,
                 "epoch %d: train loss %.4f  train acc %.4f  test acc %.4f  "
                 "(%.1f s)\n",
                 epoch, stats.trainLoss, stats.trainAcc, stats.testAcc,
                 stats.seconds);
    if (opts.stopAt && stats.testAcc >= *opts.stopAt)
      break;
  }

  summary.files = writeOutputs(opts, model, summary.epochs);
  nd::CacheInfo cache = nd::cache_info();
  summary.compileMs = cache.compileMs;
  summary.cacheHits = cache.hits;
  summary.cacheMisses = cache.misses;
  struct rusage usage{};
  getrusage(RUSAGE_SELF, &usage);
  summary.peakRssKb = usage.ru_maxrss; // kilobytes on Linux
  summary.totalSeconds = secondsSince(start);
  printReport(summary);

  // The outputs are the demo's deliverable: a missing one is a failure.
  if (summary.files.empty() ||
      !std::filesystem::exists(summary.files.front())) {
    std::fprintf(stderr, "mxjit-train: the training curve was not written\n");
    return 1;
  }
  if (opts.quick && !(lastLoss < firstLoss)) {
    std::fprintf(stderr,
                 "mxjit-train: --quick: loss did not fall (first batch %.4f, "
                 "last %.4f)\n",
                 firstLoss, lastLoss);
    return 1;
  }
  return 0;
}

} // namespace mxjit::train
