//===- mxjit-opt.cpp - mlir-opt with the mx dialect and mxjit passes ------===//

#include "ir/MxDialect.h"
#include "lowering/Passes.h"

#include "mlir/IR/DialectRegistry.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/InitAllPasses.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"

int main(int argc, char **argv) {
  mlir::registerAllPasses();
  mxjit::registerMxjitPasses();

  mlir::DialectRegistry registry;
  mlir::registerAllDialects(registry);
  mlir::registerAllExtensions(registry);
  // gpu-module-to-binary (mx-lower-to-nvvm) translates kernels to LLVM IR.
  mlir::registerAllToLLVMIRTranslations(registry);
  registry.insert<mxjit::mx::MxDialect>();

  return mlir::asMainReturnCode(mlir::MlirOptMain(
      argc, argv, "mxjit optimizer driver: the mx dialect and its passes\n",
      registry));
}
