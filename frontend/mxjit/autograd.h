//===- autograd.h - mxjit::autograd, MXNet's autograd in C++ ----*- C++ -*-===//
//
// Inside record(), ops that depend on a variable (attach_grad) go on the
// tape. backward()/grad() turn the recorded subgraph into an mx function,
// differentiate it with the mx-autodiff machinery and replay the gradient's
// ops as NDArrays: they are lazy like every array and compile once per
// structure. With create_graph the gradient ops are recorded themselves, so
// gradients of gradients work.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_AUTOGRAD_H
#define MXJIT_AUTOGRAD_H

#include "mxjit/ndarray.h"

namespace mxjit::autograd {

/// Restores the previous recording/training flags when it goes out of scope.
class Scope {
public:
  Scope(std::optional<bool> recording, std::optional<bool> training);
  ~Scope();
  Scope(const Scope &) = delete;
  Scope &operator=(const Scope &) = delete;

private:
  bool prevRecording_, prevTraining_;
};

/// `auto scope = autograd::record();` records until the scope ends.
Scope record(bool train_mode = true);
/// Stops recording inside a record() scope.
Scope pause(bool train_mode = false);
Scope train_mode();
Scope predict_mode();

bool is_recording();
bool is_training();
/// Return the previous value.
bool set_recording(bool recording);
bool set_training(bool training);

/// attach_grad for several arrays with given gradient buffers.
void mark_variables(const std::vector<nd::NDArray> &variables,
                    const std::vector<nd::NDArray> &gradients,
                    const std::vector<nd::GradReq> &grad_reqs = {});

/// Accumulates d(sum of heads * head_grads)/d(variable) into every variable's
/// gradient by its grad_req. Missing head_grads are ones (a non-scalar head
/// is summed). Without retain_graph the recorded graph is freed.
void backward(const std::vector<nd::NDArray> &heads,
              const std::vector<nd::NDArray> &head_grads = {},
              bool retain_graph = false, bool train_mode = true);

/// The gradients of the heads with respect to `variables`, as new arrays
/// (variables' gradient buffers are untouched). With create_graph the result
/// is recorded and can be differentiated again. retain_graph defaults to
/// create_graph, as in MXNet.
std::vector<nd::NDArray> grad(const std::vector<nd::NDArray> &heads,
                              const std::vector<nd::NDArray> &variables,
                              const std::vector<nd::NDArray> &head_grads = {},
                              std::optional<bool> retain_graph = std::nullopt,
                              bool create_graph = false,
                              bool train_mode = true);

} // namespace mxjit::autograd

#endif // MXJIT_AUTOGRAD_H
