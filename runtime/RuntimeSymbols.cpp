//===- RuntimeSymbols.cpp - runtime functions generated code calls --------===//

#include "runtime/RuntimeSymbols.h"

#include "runtime/Arena.h"
#include "runtime/ThreadPool.h"

#include <vector>

using namespace mxjit;

llvm::ArrayRef<RuntimeSymbol> mxjit::runtimeSymbols() {
  // Entries are added next to the runtime function they name.
  static const std::vector<RuntimeSymbol> symbols = {
      // mx-parallelize: the outermost parallel loop of a big loop nest.
      {"mxjit_parallel_for", reinterpret_cast<void *>(&mxjit_parallel_for)},
      // mx-plan-memory's per-call arena (runtime/Arena.h).
      {"mxjit_arena_acquire", reinterpret_cast<void *>(&mxjit_arena_acquire)},
      {"mxjit_arena_release", reinterpret_cast<void *>(&mxjit_arena_release)},
  };
  return symbols;
}
