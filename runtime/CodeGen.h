//===- CodeGen.h - lowered mx modules to machine code --------- -*- C++ -*-===//
//
// The steps the JIT and the AOT compiler (tools/mxjit-compile) share after
// the MLIR pipeline: translating a module in the LLVM dialect to LLVM IR,
// a target machine for a CPU, the LLVM optimiser, and emitting an object
// file or assembly. Keeping them in one place means both produce the same
// code for the same module and CPU.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_CODEGEN_H
#define MXJIT_RUNTIME_CODEGEN_H

#include "runtime/CompileOptions.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/CodeGen.h"

#include <memory>
#include <string>

namespace llvm {
class LLVMContext;
class Module;
class TargetMachine;
} // namespace llvm

namespace mxjit {

/// Verifies `module` and runs mx-lower-to-llvm for `options` on it in
/// place. Throws mxjit::Error naming `entry` with the MLIR diagnostics.
void lowerModule(mlir::ModuleOp module, llvm::StringRef entry,
                 const CompileOptions &options);

/// A position-independent x86-64 target machine (small code model) at
/// `optLevel` for `cpu`: "native" (or empty) is this host with its detected
/// features, any other name one LLVM knows (`llc -mcpu=help`) with that
/// CPU's features. Throws mxjit::Error naming the CPU when LLVM does not
/// know it.
std::unique_ptr<llvm::TargetMachine> createTargetMachine(llvm::StringRef cpu,
                                                         unsigned optLevel);

/// f32 lanes of the widest SIMD register `tm` may use (16 with AVX-512F, 8
/// with AVX2 and FMA, 4 otherwise): the vector width to lower for it.
unsigned vectorWidthFor(const llvm::TargetMachine &tm);

/// Translates the lowered `module` to LLVM IR in `llvmContext`, with the
/// data layout and triple of `tm`. Throws mxjit::Error naming `entry`.
std::unique_ptr<llvm::Module> translateToLLVMIR(mlir::ModuleOp module,
                                                llvm::StringRef entry,
                                                llvm::LLVMContext &llvmContext,
                                                llvm::TargetMachine &tm);

/// Runs LLVM's optimisation pipeline at `optLevel` on `module` for `tm`.
void optimizeLLVMModule(llvm::Module &module, llvm::TargetMachine &tm,
                        unsigned optLevel);

/// Machine code of `module` for `tm`: an object file or assembly text.
llvm::SmallVector<char, 0> emitMachineCode(llvm::Module &module,
                                           llvm::TargetMachine &tm,
                                           llvm::CodeGenFileType type);

} // namespace mxjit

#endif // MXJIT_RUNTIME_CODEGEN_H
