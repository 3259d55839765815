//===- JitEngine.cpp - compile mx functions to host code ------------------===//

#include "runtime/JitEngine.h"

#include "ir/MxDialect.h"

#include "runtime/Diagnostics.h"
#include "runtime/DiskCache.h"
#include "runtime/Error.h"
#include "runtime/Fingerprint.h"
#include "runtime/Init.h"
#include "runtime/ObjectLinker.h"
#include "runtime/Pipeline.h"

#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>
#include <mutex>

using namespace mlir;
using namespace mxjit;

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
}

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

/// A target machine for this host's CPU and features, so the optimiser
/// vectorises for what the machine actually has. Position-independent code
/// with the small code model is what JITLink links best: calls and data
/// references outside the object go through stubs and a GOT it builds.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(unsigned optLevel) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    throw Error("cannot detect the host target: " +
                errorText(builder.takeError()));
  builder->setCodeGenOptLevel(codeGenLevel(optLevel));
  builder->setRelocationModel(llvm::Reloc::PIC_);
  builder->setCodeModel(llvm::CodeModel::Small);
  auto tm = builder->createTargetMachine();
  if (!tm)
    throw Error("cannot create a target machine for the host: " +
                errorText(tm.takeError()));
  return std::move(*tm);
}

/// The figures mx-plan-memory left on the entry function; they survive
/// the conversion to llvm.func as discardable attributes.
MemoryPlan readMemoryPlan(ModuleOp module, llvm::StringRef entry) {
  MemoryPlan plan;
  Operation *f = SymbolTable::lookupSymbolIn(module, entry);
  if (!f)
    return plan;
  if (auto a = f->getAttrOfType<IntegerAttr>("mx.naive_bytes"))
    plan.naiveBytes = a.getInt();
  if (auto a = f->getAttrOfType<IntegerAttr>("mx.planned_peak_bytes"))
    plan.plannedPeakBytes = a.getInt();
  return plan;
}

/// Runs mx-lower-to-llvm on `module` in place.
void lower(ModuleOp module, llvm::StringRef entry,
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

/// Adds kPackedEntrySymbol, `void (void **args)`, which loads each argument
/// of `entry` from the pointer in args[i], calls `entry`, and stores a
/// result (if any) through args[number of arguments]: one calling
/// convention for every signature.
void addPackedWrapper(llvm::Module &module, llvm::StringRef entry) {
  llvm::Function *callee = module.getFunction(entry);
  if (!callee || callee->isDeclaration())
    throw Error("@" + entry.str() + " is missing from the LLVM IR");
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  auto *wrapper = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getVoidTy(ctx), {ptr}, false),
      llvm::GlobalValue::ExternalLinkage, kPackedEntrySymbol, module);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", wrapper));
  llvm::Value *args = wrapper->getArg(0);
  auto slot = [&](unsigned i) {
    return b.CreateLoad(ptr, b.CreateConstInBoundsGEP1_64(ptr, args, i));
  };
  llvm::SmallVector<llvm::Value *> values;
  for (llvm::Argument &arg : callee->args())
    values.push_back(b.CreateLoad(arg.getType(), slot(arg.getArgNo())));
  llvm::CallInst *call = b.CreateCall(callee, values);
  if (!call->getType()->isVoidTy())
    b.CreateStore(call, slot(callee->arg_size()));
  b.CreateRetVoid();
}

/// Translates the lowered `module` to LLVM IR, optimises it at
/// `options.optLevel` for this host and returns the relocatable object.
llvm::SmallVector<char, 0> generateObject(ModuleOp module,
                                          llvm::StringRef entry,
                                          const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  ensureTranslations(*context);
  DiagnosticCapture diagnostics(context);
  auto fail = [&](const std::string &what) {
    return Error("@" + entry.str() + ": " + what +
                 (diagnostics.empty() ? "" : "\n" + diagnostics.text()));
  };

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> llvmModule =
      translateModuleToLLVMIR(module, llvmContext, entry);
  if (!llvmModule)
    throw fail("translation to LLVM IR failed");
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(options.optLevel);
  llvmModule->setDataLayout(tm->createDataLayout());
  llvmModule->setTargetTriple(tm->getTargetTriple());
  // Before optimising, so the entry can be inlined into its wrapper.
  addPackedWrapper(*llvmModule, entry);
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, tm.get());
  if (llvm::Error error = optimize(llvmModule.get()))
    throw fail("LLVM optimisation failed: " + errorText(std::move(error)));

  llvm::SmallVector<char, 0> object;
  llvm::raw_svector_ostream os(object);
  llvm::legacy::PassManager codegen;
  if (tm->addPassesToEmitFile(codegen, os, nullptr,
                              llvm::CodeGenFileType::ObjectFile))
    throw fail("the host target cannot emit object files");
  codegen.run(*llvmModule);
  return object;
}

/// Links `object` into the process and finds its packed entry.
std::pair<std::unique_ptr<LinkedObject>, CompiledFunction::PackedFn>
linkObject(llvm::StringRef object, llvm::StringRef entry) {
  std::unique_ptr<LinkedObject> code =
      addObject(llvm::MemoryBufferRef(object, entry), entry);
  auto packed = reinterpret_cast<CompiledFunction::PackedFn>(
      code->address(kPackedEntrySymbol));
  return {std::move(code), packed};
}
} // namespace

std::pair<std::vector<TensorSpec>, std::vector<TensorSpec>>
mxjit::signatureSpecs(ModuleOp module, llvm::StringRef entry,
                      bool allowDynamic) {
  func::FuncOp f = lookupEntry(module, entry);
  FunctionType type = f.getFunctionType();
  std::vector<TensorSpec> inputs, outputs;
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    inputs.push_back(TensorSpec::fromType(
        t, "argument " + std::to_string(i) + " of @" + entry.str(),
        allowDynamic));
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    outputs.push_back(TensorSpec::fromType(
        t, "result " + std::to_string(i) + " of @" + entry.str(),
        allowDynamic));
  return {std::move(inputs), std::move(outputs)};
}

std::vector<std::pair<unsigned, unsigned>>
mxjit::declaredDonations(ModuleOp module, llvm::StringRef entry) {
  func::FuncOp f = lookupEntry(module, entry);
  std::vector<std::pair<unsigned, unsigned>> pairs;
  for (unsigned i = 0; i < f.getNumArguments(); ++i)
    if (auto out = f.getArgAttrOfType<IntegerAttr>(i, mx::kDonateAttrName))
      pairs.emplace_back(i, static_cast<unsigned>(out.getInt()));
  return pairs;
}

std::shared_ptr<CompiledFunction>
mxjit::compile(ModuleOp module, llvm::StringRef entry,
               const CompileOptions &options) {
  if (options.optLevel > 3)
    throw Error("optLevel must be 0 to 3, got " +
                std::to_string(options.optLevel));
  Clock::time_point start = Clock::now();
  auto [inputs, outputs] =
      signatureSpecs(module, entry, /*allowDynamic=*/options.genericBatch);

  // The disk key is built from the module itself, whatever key the caller
  // caches under in memory: only the module's fingerprint is known to be
  // the same in every process.
  std::string cacheDir = diskCacheDir();
  CacheKey diskKey;
  if (!cacheDir.empty()) {
    diskKey.fingerprint = moduleFingerprint(module, entry);
    diskKey.inputs = inputs;
    diskKey.options = options.key();
    diskKey.device = "cpu";
    if (auto fn = detail::loadFromDiskCache(cacheDir, diskKey, entry, inputs,
                                            outputs)) {
      fn->setDonations(declaredDonations(module, entry));
      return fn;
    }
  }

  initializeRuntime();
  CompileTimings timings;
  OwningOpRef<ModuleOp> lowered(module.clone());
  lower(*lowered, entry, options);
  MemoryPlan memoryPlan = readMemoryPlan(*lowered, entry);
  timings.pipelineMs = msSince(start);

  Clock::time_point llvmStart = Clock::now();
  llvm::SmallVector<char, 0> object = generateObject(*lowered, entry, options);
  llvm::StringRef objectRef(object.data(), object.size());
  // Linking resolves every symbol now, inside the timed compile, rather
  // than on the first call. The disk cache links the very same bytes.
  auto [code, packed] = linkObject(objectRef, entry);
  timings.llvmMs = msSince(llvmStart);
  timings.totalMs = msSince(start);

  if (!cacheDir.empty())
    detail::storeInDiskCache(
        cacheDir, diskKey,
        {entry.str(), inputs, outputs, memoryPlan, timings, objectRef});
  auto fn = std::make_shared<CompiledFunction>(
      std::move(code), packed, entry.str(), std::move(inputs),
      std::move(outputs), timings, memoryPlan);
  fn->setDonations(declaredDonations(module, entry));
  return fn;
}
