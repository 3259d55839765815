//===- RuntimeSymbols.h - runtime functions generated code calls -*- C++
//-*-===//
//
// Some lowered code calls back into the runtime by name (an arena allocator,
// a parallel loop driver, ...). Every such C-ABI function is listed once
// here, so the JIT, and anything else that links generated code, resolves
// exactly the same set.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_RUNTIMESYMBOLS_H
#define MXJIT_RUNTIME_RUNTIMESYMBOLS_H

#include "llvm/ADT/ArrayRef.h"

namespace mxjit {

struct RuntimeSymbol {
  /// The unmangled C name the generated code calls.
  const char *name;
  void *address;
};

/// The runtime functions lowered code may call.
llvm::ArrayRef<RuntimeSymbol> runtimeSymbols();

} // namespace mxjit

#endif // MXJIT_RUNTIME_RUNTIMESYMBOLS_H
