//===- CodeGen.cpp - lowered mx modules to machine code -------------------===//

#include "runtime/CodeGen.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Init.h"
#include "runtime/Pipeline.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/GPU/GPUToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/NVVM/NVVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/TargetParser/Host.h"

#include <mutex>

using namespace mlir;
using namespace mxjit;

namespace {
std::string errorText(llvm::Error error) {
  return llvm::toString(std::move(error));
}

/// Modules built in a context that the runtime did not create may lack the
/// LLVM IR translations; add them once, serialised because registering
/// mutates the context.
void ensureTranslations(MLIRContext &context) {
  static std::mutex mutex;
  std::lock_guard<std::mutex> lock(mutex);
  DialectRegistry registry;
  registerBuiltinDialectTranslation(registry);
  registerLLVMDialectTranslation(registry);
  // gpu.binary / gpu.launch_func of mx-lower-to-nvvm's host modules.
  registerGPUDialectTranslation(registry);
  registerNVVMDialectTranslation(registry);
  context.appendDialectRegistry(registry);
}

llvm::CodeGenOptLevel codeGenLevel(unsigned optLevel) {
  switch (optLevel) {
  case 0:
    return llvm::CodeGenOptLevel::None;
  case 1:
    return llvm::CodeGenOptLevel::Less;
  case 2:
    return llvm::CodeGenOptLevel::Default;
  default:
    return llvm::CodeGenOptLevel::Aggressive;
  }
}
} // namespace

void mxjit::lowerModule(ModuleOp module, llvm::StringRef entry,
                        const CompileOptions &options) {
  DiagnosticCapture diagnostics(module.getContext());
  if (failed(verify(module)))
    throw Error("@" + entry.str() + ": the module does not verify:\n" +
                diagnostics.text());
  PassManager pm(module.getContext(), ModuleOp::getOperationName());
  addLoweringPipeline(pm, options);
  if (failed(pm.run(module)))
    throw Error("@" + entry.str() + ": lowering to LLVM failed:\n" +
                diagnostics.text());
}

std::unique_ptr<llvm::TargetMachine>
mxjit::createTargetMachine(llvm::StringRef cpu, unsigned optLevel) {
  initializeRuntime();
  bool native = cpu.empty() || cpu == "native";
  // The host's CPU and features, so the optimiser vectorises for what the
  // machine actually has; a named CPU brings its own feature set.
  llvm::orc::JITTargetMachineBuilder builder(
      (llvm::Triple(llvm::sys::getProcessTriple())));
  if (native) {
    auto host = llvm::orc::JITTargetMachineBuilder::detectHost();
    if (!host)
      throw Error("cannot detect the host target: " +
                  errorText(host.takeError()));
    builder = std::move(*host);
  } else {
    // Checked before creating the target machine, which would only warn
    // and generate code for a generic CPU.
    std::string error;
    const llvm::Triple &triple = builder.getTargetTriple();
    const llvm::Target *target =
        llvm::TargetRegistry::lookupTarget(triple, error);
    if (!target)
      throw Error("no target for " + triple.str() + ": " + error);
    std::unique_ptr<llvm::MCSubtargetInfo> sti(
        target->createMCSubtargetInfo(triple, "", ""));
    if (!sti || !sti->isCPUStringValid(cpu))
      throw Error("unknown cpu '" + cpu.str() + "' for " + triple.str() +
                  " (`llc -mcpu=help` lists the known ones)");
    builder.setCPU(cpu.str());
  }
  // Position-independent code with the small code model is what JITLink
  // links best (calls and data references outside the object go through
  // stubs and a GOT it builds), and what a PIE executable needs.
  builder.setCodeGenOptLevel(codeGenLevel(optLevel));
  builder.setRelocationModel(llvm::Reloc::PIC_);
  builder.setCodeModel(llvm::CodeModel::Small);
  auto tm = builder.createTargetMachine();
  if (!tm)
    throw Error("cannot create a target machine for cpu '" + cpu.str() +
                "': " + errorText(tm.takeError()));
  return std::move(*tm);
}

unsigned mxjit::vectorWidthFor(const llvm::TargetMachine &tm) {
  const llvm::MCSubtargetInfo *sti = tm.getMCSubtargetInfo();
  if (sti->checkFeatures("+avx512f"))
    return 16;
  if (sti->checkFeatures("+avx2,+fma"))
    return 8;
  return 4;
}

std::unique_ptr<llvm::Module>
mxjit::translateToLLVMIR(ModuleOp module, llvm::StringRef entry,
                         llvm::LLVMContext &llvmContext,
                         llvm::TargetMachine &tm) {
  MLIRContext *context = module.getContext();
  ensureTranslations(*context);
  DiagnosticCapture diagnostics(context);
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, entry);
  if (!llvmModule)
    throw Error("@" + entry.str() + ": translation to LLVM IR failed" +
                (diagnostics.empty() ? "" : "\n" + diagnostics.text()));
  llvmModule->setDataLayout(tm.createDataLayout());
  llvmModule->setTargetTriple(tm.getTargetTriple());
  return llvmModule;
}

void mxjit::optimizeLLVMModule(llvm::Module &module, llvm::TargetMachine &tm,
                               unsigned optLevel) {
  auto optimize = makeOptimizingTransformer(optLevel, /*sizeLevel=*/0, &tm);
  if (llvm::Error error = optimize(&module))
    throw Error("LLVM optimisation of " + module.getName().str() +
                " failed: " + errorText(std::move(error)));
}

llvm::SmallVector<char, 0> mxjit::emitMachineCode(llvm::Module &module,
                                                  llvm::TargetMachine &tm,
                                                  llvm::CodeGenFileType type) {
  llvm::SmallVector<char, 0> code;
  llvm::raw_svector_ostream os(code);
  llvm::legacy::PassManager codegen;
  if (tm.addPassesToEmitFile(codegen, os, nullptr, type))
    throw Error("the target " + tm.getTargetTriple().str() + " cannot emit " +
                (type == llvm::CodeGenFileType::ObjectFile ? "object files"
                                                           : "assembly"));
  codegen.run(module);
  return code;
}
