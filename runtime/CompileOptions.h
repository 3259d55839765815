//===- CompileOptions.h - knobs that change generated code ------*- C++ -*-===//

#ifndef MXJIT_RUNTIME_COMPILEOPTIONS_H
#define MXJIT_RUNTIME_COMPILEOPTIONS_H

#include <string>

namespace mxjit {

/// Every option changes the generated code, so every option is part of the
/// compile-cache key through key().
struct CompileOptions {
  /// LLVM optimisation and code generation level, 0 to 3.
  unsigned optLevel = 3;
  /// Fuse producer/consumer linalg.generic ops before bufferization.
  bool fuseElementwise = true;
  /// Place temporaries in one arena per call (mx-plan-memory).
  bool planMemory = true;

  /// A short canonical string, e.g. "O3,fuse=1"; equal options give equal
  /// keys.
  std::string key() const {
    return "O" + std::to_string(optLevel) +
           ",fuse=" + (fuseElementwise ? "1" : "0") +
           (planMemory ? "" : ",plan=0");
  }
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_COMPILEOPTIONS_H
