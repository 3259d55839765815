//===- Init.h - one-time process setup for the JIT --------------*- C++ -*-===//

#ifndef MXJIT_RUNTIME_INIT_H
#define MXJIT_RUNTIME_INIT_H

namespace mxjit {

/// Initialises the native LLVM target and registers every upstream and mxjit
/// pass (the lowering pipeline is assembled from pass names). Runs once per
/// process, thread-safely; every runtime entry point calls it.
void initializeRuntime();

} // namespace mxjit

#endif // MXJIT_RUNTIME_INIT_H
