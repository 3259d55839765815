//===- MxOps.h - mx dialect operations --------------------------*- C++ -*-===//

#ifndef MXJIT_IR_MXOPS_H
#define MXJIT_IR_MXOPS_H

#include "ir/MxDialect.h"

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/IR/OpImplementation.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "ir/MxInterfaces.h.inc"

namespace mxjit::mx {

/// Result type of a NumPy-broadcasting binary op, or an error at `loc`.
llvm::LogicalResult
inferBroadcastResultType(std::optional<mlir::Location> loc, mlir::Type lhs,
                         mlir::Type rhs,
                         llvm::SmallVectorImpl<mlir::Type> &types);

/// Result type of a reduction, or an error at `loc`.
llvm::LogicalResult
inferReduceResultType(std::optional<mlir::Location> loc, mlir::Type input,
                      llvm::ArrayRef<int64_t> axis, bool keepdims, bool exclude,
                      llvm::SmallVectorImpl<mlir::Type> &types);

/// The axes a reduction reduces, or std::nullopt (with a message in `error`
/// when it is not null) for invalid attributes.
std::optional<llvm::SmallVector<int64_t>>
normalizeReduceAxes(int64_t rank, llvm::ArrayRef<int64_t> axis, bool exclude,
                    std::string *error);

} // namespace mxjit::mx

#define GET_OP_CLASSES
#include "ir/MxOps.h.inc"

#endif // MXJIT_IR_MXOPS_H
