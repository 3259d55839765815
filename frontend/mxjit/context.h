//===- context.h - device contexts (cpu(), gpu(i)) --------------*- C++ -*-===//

#ifndef MXJIT_CONTEXT_H
#define MXJIT_CONTEXT_H

#include <string>

namespace mxjit {

/// Where an array lives, as MXNet's mx.cpu() / mx.gpu(i).
struct Context {
  enum class DeviceType { CPU, GPU };
  DeviceType type = DeviceType::CPU;
  int id = 0;

  /// MXNet's spelling: "cpu(0)", "gpu(1)".
  std::string str() const;
  bool operator==(const Context &other) const {
    return type == other.type && id == other.id;
  }
  bool operator!=(const Context &other) const { return !(*this == other); }
};

inline Context cpu(int id = 0) { return {Context::DeviceType::CPU, id}; }
inline Context gpu(int id = 0) { return {Context::DeviceType::GPU, id}; }

/// Throws mxjit::Error unless arrays can be placed on `ctx` in this build.
/// For gpu(i) the message says what is missing: the CUDA driver, device i,
/// or (with both present) device-resident arrays, not implemented yet.
void checkContext(const Context &ctx);

/// Threads that compiled code runs big loops on, the calling thread
/// included (MXNet's OMP_NUM_THREADS). Defaults to MXJIT_NUM_THREADS when
/// set, else to the number of hardware threads; 1 runs everything on the
/// calling thread. Results do not depend on it: only independent iterations
/// are split. Throws mxjit::Error for 0.
void setNumThreads(unsigned n);
unsigned numThreads();

} // namespace mxjit

#endif // MXJIT_CONTEXT_H
