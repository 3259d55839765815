//===- Train.h - mxjit-train's pieces, shared between its files -*- C++ -*-===//
//
// The Fashion-MNIST demo: options, model builders, the progress line and
// the end-of-run report. Each piece lives in its own small file.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TOOLS_TRAIN_H
#define MXJIT_TOOLS_TRAIN_H

#include "mxjit/gluon/block.h"
#include "mxjit/symbol.h"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace mxjit::train {

struct Options {
  std::string model = "mlp";
  int epochs = 10;
  int64_t batchSize = 64;
  std::string optimizer = "adam";
  std::optional<double> lr; // unset: the optimizer's default for the demo
  int lrStepEpochs = 0;     // halve the rate every this many epochs; 0: off
  bool quick = false;
  std::string outDir = "build/demo-out";
  std::string dataDir = "/usr/share/datasets/fashion-mnist";
  std::optional<double> stopAt; // stop once test accuracy reaches it
  uint64_t seed = 42;
};

/// Parses argv; prints an error naming the flag and returns std::nullopt
/// on bad input (exitCode is then 2), or on --help (exitCode 0).
std::optional<Options> parseArgs(int argc, char **argv, int &exitCode);

/// A model and what the report needs to know about it.
struct Model {
  gluon::BlockPtr net;
  /// The same network as a Symbol for viz (unset when not expressible).
  std::optional<sym::Symbol> symbol;
  /// Shape of one input sample (without the batch axis), for the graph's
  /// edge labels.
  std::vector<int64_t> sampleShape;
};

/// "mlp" (784-256-256-10, relu, Xavier) or "lenet"; throws mxjit::Error
/// for other names.
Model buildModel(const std::string &name);

/// One line on stderr, rewritten in place with '\r' when stderr is a
/// terminal; otherwise a plain line every few batches, so logs stay short.
class Progress {
public:
  Progress(int epoch, int epochs, int64_t batches);
  /// After batch i (1-based), with the running loss, accuracy and the
  /// samples seen so far this epoch.
  void update(int64_t i, double loss, double acc, int64_t samples);
  /// Ends the line.
  void finish();

private:
  void print(int64_t i, double loss, double acc, int64_t samples);

  int epoch_, epochs_;
  int64_t batches_, every_;
  bool tty_;
  std::chrono::steady_clock::time_point start_, lastDraw_;
};

struct EpochStats {
  double trainLoss, trainAcc, testAcc, seconds;
};

struct RunSummary {
  std::string model, optimizer;
  double lr;
  int64_t batchSize, trainSamples, testSamples;
  std::vector<EpochStats> epochs;
  std::vector<double> stepMs; // every training step, in order
  double compileMs, totalSeconds;
  uint64_t cacheHits, cacheMisses;
  long peakRssKb;
  std::vector<std::string> files;
};

/// Loss and accuracy per epoch as a two-panel SVG (no dependencies).
/// Returns false when the file cannot be written.
bool writeCurveSvg(const std::string &path, const std::vector<EpochStats> &e,
                   const std::string &title);
/// Median of the steady-state steps (the first epoch's warm-up steps,
/// which include compilation, are skipped).
double steadyStepMs(const std::vector<double> &stepMs, int64_t perEpoch);
void printReport(const RunSummary &s);

} // namespace mxjit::train

#endif // MXJIT_TOOLS_TRAIN_H
