//===- MxDialect.h - the mx dialect -----------------------------*- C++ -*-===//

#ifndef MXJIT_IR_MXDIALECT_H
#define MXJIT_IR_MXDIALECT_H

#include "mlir/IR/Dialect.h"

#include "ir/MxDialect.h.inc"

#endif // MXJIT_IR_MXDIALECT_H
