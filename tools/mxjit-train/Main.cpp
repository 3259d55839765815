//===- Main.cpp - mxjit-train command line
//---------------------------------===//
//
// Flag parsing. Every value is checked completely (no trailing junk, in
// range) so a typo prints which flag was wrong instead of training with a
// silently truncated value.
//
//===----------------------------------------------------------------------===//

#include "Train.h"

#include <cerrno>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <exception>

namespace mxjit::train {
int run(const Options &opts);

namespace {

void usage(FILE *to) {
  std::fprintf(
      to,
      "usage: mxjit-train [--model mlp|lenet] [--epochs N] [--batch-size B]\n"
      "                   [--lr X] [--optimizer adam|sgd] [--quick]\n"
      "                   [--lr-step E] [--out DIR] [--data DIR] [--stop-at "
      "ACC]\n"
      "                   [--seed S]\n"
      "Trains a Gluon model on Fashion-MNIST and writes a report to --out.\n"
      "  --model       mlp (784-256-256-10) or lenet (default mlp)\n"
      "  --epochs      passes over the training set (default 10)\n"
      "  --batch-size  samples per step (default 64)\n"
      "  --lr          learning rate (default 0.001 for adam, 0.05 for sgd)\n"
      "  --lr-step     halve the learning rate every E epochs (default off)\n"
      "  --optimizer   adam, or sgd with momentum 0.9 (default adam)\n"
      "  --quick       640 training / 1000 test samples, 1 epoch; exits\n"
      "                non-zero unless the loss fell\n"
      "  --out         output folder (default build/demo-out)\n"
      "  --data        Fashion-MNIST IDX folder\n"
      "                (default /usr/share/datasets/fashion-mnist)\n"
      "  --stop-at     stop after the epoch whose test accuracy reaches ACC\n"
      "  --seed        random seed for initialization and shuffling\n");
}

bool parseInt(const char *flag, const char *text, int64_t lo, int64_t hi,
              int64_t &out) {
  errno = 0;
  char *end = nullptr;
  long long v = std::strtoll(text, &end, 10);
  if (errno || end == text || *end || v < lo || v > hi) {
    std::fprintf(stderr,
                 "mxjit-train: %s expects an integer in [%lld, %lld], got "
                 "'%s'\n",
                 flag, (long long)lo, (long long)hi, text);
    return false;
  }
  out = v;
  return true;
}

bool parseDouble(const char *flag, const char *text, double lo, double hi,
                 double &out) {
  errno = 0;
  char *end = nullptr;
  double v = std::strtod(text, &end);
  if (errno || end == text || *end || !std::isfinite(v) || v <= lo || v > hi) {
    std::fprintf(stderr,
                 "mxjit-train: %s expects a number in (%g, %g], got '%s'\n",
                 flag, lo, hi, text);
    return false;
  }
  out = v;
  return true;
}

} // namespace

std::optional<Options> parseArgs(int argc, char **argv, int &exitCode) {
  Options o;
  exitCode = 2;
  for (int i = 1; i < argc; ++i) {
    const char *flag = argv[i];
    auto value = [&]() -> const char * {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "mxjit-train: %s needs a value\n", flag);
        return nullptr;
      }
      return argv[++i];
    };
    auto is = [&](const char *name) { return std::strcmp(flag, name) == 0; };
    int64_t n = 0;
    double d = 0;
    if (is("--help") || is("-h")) {
      usage(stdout);
      exitCode = 0;
      return std::nullopt;
    }
    if (is("--quick")) {
      o.quick = true;
      continue;
    }
    const char *v = nullptr;
    bool known = is("--model") || is("--epochs") || is("--batch-size") ||
                 is("--lr") || is("--optimizer") || is("--out") ||
                 is("--data") || is("--stop-at") || is("--seed") ||
                 is("--lr-step");
    if (!known) {
      std::fprintf(stderr, "mxjit-train: unknown flag '%s'\n", flag);
      usage(stderr);
      return std::nullopt;
    }
    if (!(v = value()))
      return std::nullopt;
    if (is("--model")) {
      if (std::strcmp(v, "mlp") && std::strcmp(v, "lenet")) {
        std::fprintf(
            stderr, "mxjit-train: --model expects mlp or lenet, got '%s'\n", v);
        return std::nullopt;
      }
      o.model = v;
    } else if (is("--optimizer")) {
      if (std::strcmp(v, "adam") && std::strcmp(v, "sgd")) {
        std::fprintf(stderr,
                     "mxjit-train: --optimizer expects adam or sgd, got "
                     "'%s'\n",
                     v);
        return std::nullopt;
      }
      o.optimizer = v;
    } else if (is("--epochs")) {
      if (!parseInt(flag, v, 1, 1000, n))
        return std::nullopt;
      o.epochs = static_cast<int>(n);
    } else if (is("--lr-step")) {
      if (!parseInt(flag, v, 1, 1000, n))
        return std::nullopt;
      o.lrStepEpochs = static_cast<int>(n);
    } else if (is("--batch-size")) {
      if (!parseInt(flag, v, 1, 60000, n))
        return std::nullopt;
      o.batchSize = n;
    } else if (is("--seed")) {
      if (!parseInt(flag, v, 0, INT64_MAX, n))
        return std::nullopt;
      o.seed = static_cast<uint64_t>(n);
    } else if (is("--lr")) {
      if (!parseDouble(flag, v, 0, 10, d))
        return std::nullopt;
      o.lr = d;
    } else if (is("--stop-at")) {
      if (!parseDouble(flag, v, 0, 1, d))
        return std::nullopt;
      o.stopAt = d;
    } else if (is("--out") || is("--data")) {
      if (!*v) {
        std::fprintf(stderr, "mxjit-train: %s expects a folder\n", flag);
        return std::nullopt;
      }
      (is("--out") ? o.outDir : o.dataDir) = v;
    }
  }
  if (o.quick)
    o.epochs = 1;
  exitCode = 0;
  return o;
}

} // namespace mxjit::train

int main(int argc, char **argv) {
  int code = 0;
  std::optional<mxjit::train::Options> opts =
      mxjit::train::parseArgs(argc, argv, code);
  if (!opts)
    return code;
  try {
    return mxjit::train::run(*opts);
  } catch (const std::exception &e) {
    // A library error (bad shapes, a failed compile) ends the run with its
    // message rather than std::terminate.
    std::fprintf(stderr, "\nmxjit-train: error: %s\n", e.what());
    return 1;
  }
}
