//===- BenchModels.h - the models the benchmarks train ----------*- C++ -*-===//
//
// One definition of each benchmarked network, so every benchmark (and the
// warm-start tool) times the same model as bench/torch_peer.py.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_BENCH_BENCHMODELS_H
#define MXJIT_BENCH_BENCHMODELS_H

#include "mxjit/gluon/nn.h"
#include "mxjit/init.h"

#include <memory>

namespace mxjit::bench {

/// The Gluon MLP 784-256-256-10 (relu), Xavier-initialised. Call it inside
/// a gluon::NameManager scope so parameter names start fresh.
inline std::shared_ptr<gluon::nn::Sequential> makeMlp() {
  auto net = std::make_shared<gluon::nn::Sequential>();
  {
    auto scope = net->name_scope();
    net->add(std::make_shared<gluon::nn::Dense>(256, "relu"));
    net->add(std::make_shared<gluon::nn::Dense>(256, "relu"));
    net->add(std::make_shared<gluon::nn::Dense>(10));
  }
  net->initialize(std::make_shared<init::Xavier>());
  return net;
}

} // namespace mxjit::bench

#endif // MXJIT_BENCH_BENCHMODELS_H
