//===- Context.cpp - MLIR contexts and parsing for the runtime ------------===//

#include "runtime/Context.h"

#include "ir/MxDialect.h"
#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Pipeline.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/InitAllDialects.h"
#include "mlir/InitAllExtensions.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/All.h"

using namespace mlir;

void mxjit::registerRuntimeDialects(DialectRegistry &registry) {
  registry.insert<mx::MxDialect>();
  registerAllDialects(registry);
  registerAllExtensions(registry);
  registerAllToLLVMIRTranslations(registry);
}

void mxjit::loadPipelineDialects(MLIRContext &context) {
  DialectRegistry needed;
  for (bool fuse : {false, true}) {
    CompileOptions options;
    options.fuseElementwise = fuse;
    OpPassManager pm(ModuleOp::getOperationName());
    addLoweringPipeline(pm, options);
    pm.getDependentDialects(needed);
  }
  // The dialects mx programs are written in, before any pass runs.
  needed.insert<mx::MxDialect, func::FuncDialect, arith::ArithDialect,
                math::MathDialect, linalg::LinalgDialect, tensor::TensorDialect,
                bufferization::BufferizationDialect>();
  context.appendDialectRegistry(needed);
  for (StringRef name : needed.getDialectNames())
    context.getOrLoadDialect(name);
}

std::unique_ptr<MLIRContext> mxjit::createContext() {
  DialectRegistry registry;
  registerRuntimeDialects(registry);
  auto context = std::make_unique<MLIRContext>(registry);
  loadPipelineDialects(*context);
  return context;
}

OwningOpRef<ModuleOp> mxjit::parseModule(MLIRContext &context,
                                         llvm::StringRef text,
                                         llvm::StringRef bufferName) {
  DiagnosticCapture diagnostics(&context);
  OwningOpRef<ModuleOp> module =
      parseSourceString<ModuleOp>(text, ParserConfig(&context), bufferName);
  if (!module)
    throw Error("failed to parse MLIR:\n" + diagnostics.text());
  return module;
}
