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

std::shared_ptr<CompiledFunction>
mxjit::compile(ModuleOp module, llvm::StringRef entry,
               const CompileOptions &options) {
  if (options.optLevel > 3)
    throw Error("optLevel must be 0 to 3, got " +
                std::to_string(options.optLevel));
  if (options.gpuDevice >= 0)
    throw Error("compile: gpu(" + std::to_string(options.gpuDevice) +
                ") code (" + options.gpuArch +
                ") needs the CUDA backend, which is not built yet");
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
  lowerModule(*lowered, entry, options);
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
