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

/// A differentiable function with a hand-written backward (MXNet's
/// autograd.Function). Subclass it, create instances with std::make_shared,
/// and call them; forward runs unrecorded and backward receives one
/// cotangent per output and returns one per input:
///
///   struct Sigmoid : autograd::Function {
///     std::vector<nd::NDArray> forward(const std::vector<nd::NDArray> &in)
///         override {
///       nd::NDArray y = 1.0 / (1.0 + nd::exp(-in[0]));
///       save_for_backward({y});
///       return {y};
///     }
///     std::vector<nd::NDArray> backward(const std::vector<nd::NDArray> &dy)
///         override {
///       nd::NDArray y = saved_tensors()[0];
///       return {dy[0] * y * (1.0 - y)};
///     }
///   };
class Function : public std::enable_shared_from_this<Function> {
public:
  virtual ~Function() = default;

  /// Runs forward; inside record() the outputs go on the tape.
  std::vector<nd::NDArray> operator()(const std::vector<nd::NDArray> &inputs);
  nd::NDArray operator()(const nd::NDArray &input);

  virtual std::vector<nd::NDArray>
  forward(const std::vector<nd::NDArray> &inputs) = 0;
  virtual std::vector<nd::NDArray>
  backward(const std::vector<nd::NDArray> &output_grads) = 0;

protected:
  void save_for_backward(std::vector<nd::NDArray> arrays) {
    saved_ = std::move(arrays);
  }
  const std::vector<nd::NDArray> &saved_tensors() const { return saved_; }

private:
  std::vector<nd::NDArray> saved_;
};

} // namespace mxjit::autograd

#endif // MXJIT_AUTOGRAD_H
