//===- Pipeline.h - the lowering pipeline, failing softly -------*- C++ -*-===//

#ifndef MXJIT_RUNTIME_PIPELINE_H
#define MXJIT_RUNTIME_PIPELINE_H

#include "runtime/CompileOptions.h"

#include "mlir/Pass/PassManager.h"

namespace mxjit {

/// Appends mx-lower-to-llvm for `options` to `pm` (anchored on
/// builtin.module). Unlike buildLowerToLLVMPipeline, which aborts the
/// process when a pass name does not resolve, throws mxjit::Error.
void addLoweringPipeline(mlir::OpPassManager &pm,
                         const CompileOptions &options);

} // namespace mxjit

#endif // MXJIT_RUNTIME_PIPELINE_H
