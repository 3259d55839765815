//===- Fingerprint.h - structural hashes of functions -----------*- C++ -*-===//
//
// The graph part of a compile-cache key. A fingerprint is computed from the
// generic textual form without locations, so it is the same in every process
// and MLIRContext, and equal for structurally identical functions whatever
// their symbol names and source locations.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_FINGERPRINT_H
#define MXJIT_RUNTIME_FINGERPRINT_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/StringRef.h"

#include <cstdint>

namespace mxjit {

/// Hash of `f`'s type, attributes other than its symbol name, and body.
uint64_t structuralFingerprint(mlir::func::FuncOp f);

/// Hash of `entry` as in structuralFingerprint, combined with everything else
/// in `module` (other functions, with their names since calls name them, and
/// module attributes), so that two modules hash equal only when compiling
/// them gives the same code. Throws mxjit::Error if `entry` is not a
/// func.func in `module`.
uint64_t moduleFingerprint(mlir::ModuleOp module, llvm::StringRef entry);

/// The func.func named `entry` in `module`; throws mxjit::Error naming the
/// functions that do exist otherwise.
mlir::func::FuncOp lookupEntry(mlir::ModuleOp module, llvm::StringRef entry);

} // namespace mxjit

#endif // MXJIT_RUNTIME_FINGERPRINT_H
