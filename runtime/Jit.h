//===- Jit.h - compile-once front door to the runtime -----------*- C++ -*-===//
//
// Jit bundles an MLIRContext with a CompileCache: give it a module (or its
// text) and an entry name, get back the CompiledFunction for that graph,
// shapes and options, compiled on first use only.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_JIT_H
#define MXJIT_RUNTIME_JIT_H

#include "runtime/CompileCache.h"
#include "runtime/JitEngine.h"

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringMap.h"

#include <memory>
#include <mutex>

namespace mxjit {

class Jit {
public:
  /// A fresh context (createContext()) and a private cache.
  Jit();
  /// A fresh context, sharing `cache` (compiled functions do not depend on
  /// the context, so caches can be shared between Jits).
  explicit Jit(CompileCache &cache);
  ~Jit();
  Jit(const Jit &) = delete;
  Jit &operator=(const Jit &) = delete;

  /// The compiled `entry` of `module` (which may live in any context).
  std::shared_ptr<CompiledFunction> get(mlir::ModuleOp module,
                                        llvm::StringRef entry,
                                        const CompileOptions &options = {});

  /// The compiled `entry` of the module `mlirText` parses to. The text is
  /// parsed on the first request only: later requests with the same text
  /// find the key without parsing.
  std::shared_ptr<CompiledFunction>
  getSource(llvm::StringRef mlirText, llvm::StringRef entry,
            const CompileOptions &options = {});

  /// The cache key of `entry` in `module`.
  static CacheKey makeKey(mlir::ModuleOp module, llvm::StringRef entry,
                          const CompileOptions &options);

  /// For building modules to pass to get(). Parsing into it from several
  /// threads is safe only for dialects it already has loaded.
  mlir::MLIRContext &context() { return *context_; }
  CompileCache &cache() { return *cache_; }

private:
  std::unique_ptr<mlir::MLIRContext> context_;
  std::unique_ptr<CompileCache> ownedCache_;
  CompileCache *cache_;
  /// Parsing can load dialects into the context, which is not thread-safe.
  std::mutex parseMutex_;
  std::mutex sourceKeysMutex_;
  llvm::StringMap<CacheKey> sourceKeys_;
};

/// The process-wide Jit, using defaultCompileCache().
Jit &defaultJit();

} // namespace mxjit

#endif // MXJIT_RUNTIME_JIT_H
