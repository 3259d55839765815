//===- MxDialect.h - the mx dialect -----------------------------*- C++ -*-===//

#ifndef MXJIT_IR_MXDIALECT_H
#define MXJIT_IR_MXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ir/MxDialect.h.inc"

namespace mxjit::mx {

/// Argument attribute of a `func.func` on tensors: `{mx.donate = j : i64}` on
/// an argument declares that result j may be written into that argument's
/// buffer (same type required). The caller may then pass the same pointer as
/// the argument and as out-parameter j; either way the argument's contents
/// are unspecified after the call. See mx-donate-destinations and
/// mx-donate-out-params (docs/passes.md).
inline constexpr llvm::StringLiteral kDonateAttrName = "mx.donate";
/// What mx-donate-destinations leaves for mx-donate-out-params: the index of
/// the argument result j becomes once results are out-parameters.
inline constexpr llvm::StringLiteral kDonateOutAttrName = "mx.donate_out";

} // namespace mxjit::mx

#endif // MXJIT_IR_MXDIALECT_H
