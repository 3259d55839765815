//===- JitEngine.cpp - compile mx functions to host code ------------------===//

#include "runtime/JitEngine.h"

#include "ir/MxDialect.h"

#include "runtime/CodeGen.h"
#include "runtime/Diagnostics.h"
#include "runtime/DiskCache.h"
#include "runtime/Error.h"
#include "runtime/Fingerprint.h"
#include "runtime/Init.h"
#include "runtime/ObjectLinker.h"

#include "mlir/IR/SymbolTable.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Target/TargetMachine.h"

#include <chrono>

using namespace mlir;
using namespace mxjit;

namespace {
using Clock = std::chrono::steady_clock;

double msSince(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start)
      .count();
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

/// The functions an llvm.global_ctors/dtors array lists; the array goes.
llvm::SmallVector<llvm::Function *> takeStructors(llvm::Module &module,
                                                  llvm::StringRef name) {
  llvm::SmallVector<llvm::Function *> functions;
  llvm::GlobalVariable *list = module.getGlobalVariable(name);
  if (!list)
    return functions;
  if (auto *array = llvm::dyn_cast<llvm::ConstantArray>(list->getInitializer()))
    for (llvm::Value *entry : array->operands())
      if (auto *f = llvm::dyn_cast<llvm::Function>(
              llvm::cast<llvm::ConstantStruct>(entry)->getOperand(1)))
        functions.push_back(f);
  list->eraseFromParent();
  return functions;
}

/// gpu-to-llvm loads each kernel module (mgpuModuleLoadJIT) from a global
/// constructor, which our JITLink linker does not run, and unloads it from
/// a destructor. The packed wrapper runs the constructors on its first
/// call instead, so a compile() without a device still links; modules then
/// stay loaded until the process exits (the driver frees them), so the
/// destructors are dropped. Two threads making the very first call at once
/// may both load the modules: correct results, one module set leaked.
void loadGpuModulesOnFirstCall(llvm::Module &module) {
  llvm::SmallVector<llvm::Function *> ctors =
      takeStructors(module, "llvm.global_ctors");
  (void)takeStructors(module, "llvm.global_dtors");
  if (ctors.empty())
    return;
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Function *wrapper = module.getFunction(kPackedEntrySymbol);
  auto *flagType = llvm::Type::getInt8Ty(ctx);
  auto *loaded = new llvm::GlobalVariable(
      module, flagType, /*isConstant=*/false,
      llvm::GlobalValue::InternalLinkage, llvm::ConstantInt::get(flagType, 0),
      "__mxjit_gpu_modules_loaded");
  llvm::BasicBlock *body = &wrapper->getEntryBlock();
  auto *check = llvm::BasicBlock::Create(ctx, "check", wrapper, body);
  auto *load = llvm::BasicBlock::Create(ctx, "load", wrapper, body);
  llvm::IRBuilder<> b(check);
  llvm::LoadInst *flag = b.CreateLoad(flagType, loaded);
  flag->setAtomic(llvm::AtomicOrdering::Acquire);
  flag->setAlignment(llvm::Align(1));
  b.CreateCondBr(b.CreateICmpEQ(flag, llvm::ConstantInt::get(flagType, 0)),
                 load, body);
  b.SetInsertPoint(load);
  for (llvm::Function *ctor : ctors)
    b.CreateCall(ctor);
  llvm::StoreInst *done =
      b.CreateStore(llvm::ConstantInt::get(flagType, 1), loaded);
  done->setAtomic(llvm::AtomicOrdering::Release);
  done->setAlignment(llvm::Align(1));
  b.CreateBr(body);
}

/// Translates the lowered `module` to LLVM IR, optimises it at
/// `options.optLevel` for this host and returns the relocatable object.
llvm::SmallVector<char, 0> generateObject(ModuleOp module,
                                          llvm::StringRef entry,
                                          const CompileOptions &options) {
  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::TargetMachine> tm =
      createTargetMachine("native", options.optLevel);
  std::unique_ptr<llvm::Module> llvmModule =
      translateToLLVMIR(module, entry, llvmContext, *tm);
  // Before optimising, so the entry can be inlined into its wrapper.
  addPackedWrapper(*llvmModule, entry);
  if (options.gpuDevice >= 0)
    loadGpuModulesOnFirstCall(*llvmModule);
  optimizeLLVMModule(*llvmModule, *tm, options.optLevel);
  return emitMachineCode(*llvmModule, *tm, llvm::CodeGenFileType::ObjectFile);
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

std::string mxjit::gpuDeviceName(const CompileOptions &options) {
  if (options.gpuDevice < 0)
    return "cpu";
  return "cuda:" + std::to_string(options.gpuDevice) + ":" +
         (options.gpuArch.empty() ? "sm_90" : options.gpuArch);
}

llvm::SmallVector<char, 0> mxjit::compileToObject(ModuleOp module,
                                                  llvm::StringRef entry,
                                                  const CompileOptions &options,
                                                  CompileTimings *timings,
                                                  MemoryPlan *memoryPlan) {
  if (options.optLevel > 3)
    throw Error("optLevel must be 0 to 3, got " +
                std::to_string(options.optLevel));
  Clock::time_point start = Clock::now();
  initializeRuntime();
  OwningOpRef<ModuleOp> lowered(module.clone());
  lowerModule(*lowered, entry, options);
  if (memoryPlan)
    *memoryPlan = readMemoryPlan(*lowered, entry);
  if (timings)
    timings->pipelineMs = msSince(start);
  Clock::time_point llvmStart = Clock::now();
  llvm::SmallVector<char, 0> object = generateObject(*lowered, entry, options);
  if (timings)
    timings->llvmMs = msSince(llvmStart);
  return object;
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
    diskKey.device = gpuDeviceName(options);
    if (auto fn = detail::loadFromDiskCache(cacheDir, diskKey, entry, inputs,
                                            outputs)) {
      fn->setDonations(declaredDonations(module, entry));
      return fn;
    }
  }

  initializeRuntime();
  CompileTimings timings;
  MemoryPlan memoryPlan;
  llvm::SmallVector<char, 0> object =
      compileToObject(module, entry, options, &timings, &memoryPlan);
  Clock::time_point llvmStart = Clock::now();
  llvm::StringRef objectRef(object.data(), object.size());
  // Linking resolves every symbol now, inside the timed compile, rather
  // than on the first call. The disk cache links the very same bytes.
  auto [code, packed] = linkObject(objectRef, entry);
  timings.llvmMs += msSince(llvmStart);
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
