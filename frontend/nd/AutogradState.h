//===- AutogradState.h - per-thread autograd flags --------------*- C++ -*-===//

#ifndef MXJIT_FRONTEND_ND_AUTOGRADSTATE_H
#define MXJIT_FRONTEND_ND_AUTOGRADSTATE_H

namespace mxjit::nd::detail {

/// MXNet's is_recording / is_training, per thread.
struct AutogradState {
  bool recording = false;
  bool training = false;
};

inline AutogradState &autogradState() {
  thread_local AutogradState state;
  return state;
}

} // namespace mxjit::nd::detail

#endif // MXJIT_FRONTEND_ND_AUTOGRADSTATE_H
