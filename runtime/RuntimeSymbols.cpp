//===- RuntimeSymbols.cpp - runtime functions generated code calls --------===//

#include "runtime/RuntimeSymbols.h"

#include <vector>

using namespace mxjit;

llvm::ArrayRef<RuntimeSymbol> mxjit::runtimeSymbols() {
  // Entries are added next to the runtime function they name.
  static const std::vector<RuntimeSymbol> symbols = {};
  return symbols;
}
