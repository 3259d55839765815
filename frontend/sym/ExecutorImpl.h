//===- ExecutorImpl.h - state of a bound Symbol -----------------*- C++ -*-===//
//
// The executor runs compiled functions (sym/GraphToFunc.h) on the bound
// arrays. forward(is_train=true) only takes a snapshot of the inputs: the
// backward() that usually follows runs @train once, computing outputs,
// moving averages and gradients together. Reading the outputs (or aux
// states) before that runs the training-mode @forward instead; the
// snapshot keeps both runs on the same inputs, so the moving averages are
// updated once either way.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_EXECUTORIMPL_H
#define MXJIT_FRONTEND_SYM_EXECUTORIMPL_H

#include "mxjit/symbol.h"

#include "runtime/JitEngine.h"
#include "sym/GraphToFunc.h"

#include <array>

namespace mxjit::sym {

class ExecutorImpl {
public:
  /// `args`/`grads`/`reqs` are in list_arguments() order (grads empty where
  /// the request is Null), `aux` in list_auxiliary_states() order.
  ExecutorImpl(Symbol symbol, Context ctx, std::vector<nd::NDArray> args,
               std::vector<nd::NDArray> grads, std::vector<GradReq> reqs,
               std::vector<nd::NDArray> aux);

  void forward(bool isTrain, const std::map<std::string, nd::NDArray> &kwargs);
  void backward(const std::vector<nd::NDArray> &outGrads);
  /// Runs a pending training forward whose results are still owed.
  void settle();

  const Symbol symbol;
  const Context ctx;
  std::vector<std::string> argNames, auxNames, outNames;
  std::vector<nd::NDArray> args, grads, aux, outputs;
  std::vector<GradReq> reqs;
  std::map<std::string, nd::NDArray> argDict, gradDict, auxDict;
  Executor::Stats stats;

  std::string debugMlir(bool isTrain) const;

private:
  /// One compiled variant with what its signature means.
  struct Compiled {
    std::shared_ptr<CompiledFunction> fn;
    unsigned numOutputs = 0;
    std::vector<unsigned> auxUpdated, seededOutputs, gradArgs;
    bool usesSeed = false;
    /// The batch size `fn` runs at when it is a shape-generic variant, or
    /// -1.
    int64_t batch = -1;
  };
  enum class Mode { Inference, TrainForward, Train };

  /// The inputs of one forward: the arrays' values when it was called.
  struct Snapshot {
    std::vector<std::shared_ptr<nd::detail::Node>> args, aux;
    std::array<int64_t, 2> seed{};
    bool outputsDone = false, auxApplied = false;
  };

  Compiled &compiled(Mode mode);
  detail::GraphFunction build(Mode mode) const;
  Snapshot snapshot();
  /// Runs `c` on `s` (plus head gradients for @train) and stores outputs,
  /// aux updates (once per snapshot) and gradients.
  void run(Compiled &c, Snapshot &s,
           const std::vector<nd::NDArray> &headGrads = {});
  std::vector<TensorSpec> argSpecs() const, auxSpecs() const;

  std::vector<unsigned> gradArgs_;
  std::map<Mode, Compiled> compiled_;
  std::optional<Snapshot> pending_;
  uint64_t seedBase_ = 0, calls_ = 0;
};

} // namespace mxjit::sym

#endif // MXJIT_FRONTEND_SYM_EXECUTORIMPL_H
