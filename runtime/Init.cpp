//===- Init.cpp - one-time process setup for the JIT ----------------------===//

#include "runtime/Init.h"

#include "lowering/Passes.h"

#include "mlir/InitAllPasses.h"

#include "llvm/Support/TargetSelect.h"

#include <mutex>

void mxjit::initializeRuntime() {
  static std::once_flag once;
  std::call_once(once, [] {
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    mlir::registerAllPasses();
    mxjit::registerMxjitPasses();
  });
}
