//===- Context.h - MLIR contexts and parsing for the runtime ----*- C++ -*-===//

#ifndef MXJIT_RUNTIME_CONTEXT_H
#define MXJIT_RUNTIME_CONTEXT_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"

#include "llvm/ADT/StringRef.h"

#include <memory>

namespace mxjit {

/// Everything a module given to compile() may use and the lowering needs:
/// the mx dialect, all upstream dialects with their interface models (one-shot
/// bufferization, convert-to-LLVM) and the LLVM IR translations.
void registerRuntimeDialects(mlir::DialectRegistry &registry);

/// A context with registerRuntimeDialects() applied and the dialects that
/// mx programs and the lowering pipeline use already loaded. Loading up front
/// matters: MLIR loads dialects lazily and loading is not thread-safe, while
/// the runtime parses and compiles from several threads.
std::unique_ptr<mlir::MLIRContext> createContext();

/// Loads into `context` every dialect that the mx-lower-to-llvm pipeline
/// (with `fuseElementwise` on or off) may create. Idempotent; not
/// thread-safe with other users of `context`.
void loadPipelineDialects(mlir::MLIRContext &context);

/// Parses MLIR source (generic or custom syntax) into a module; throws
/// mxjit::Error with the parser's diagnostics on failure. `bufferName`
/// appears in the diagnostics' locations.
mlir::OwningOpRef<mlir::ModuleOp>
parseModule(mlir::MLIRContext &context, llvm::StringRef text,
            llvm::StringRef bufferName = "<mxjit>");

} // namespace mxjit

#endif // MXJIT_RUNTIME_CONTEXT_H
