//===- JitEngine.cpp - compile mx functions to host code ------------------===//

#include "runtime/JitEngine.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Fingerprint.h"
#include "runtime/Init.h"
#include "runtime/Pipeline.h"
#include "runtime/RuntimeSymbols.h"

#include "mlir/ExecutionEngine/ExecutionEngine.h"
#include "mlir/ExecutionEngine/OptUtils.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"

#include "llvm/ExecutionEngine/Orc/JITTargetMachineBuilder.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
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
/// vectorises for what the machine actually has.
std::unique_ptr<llvm::TargetMachine> hostTargetMachine(unsigned optLevel) {
  auto builder = llvm::orc::JITTargetMachineBuilder::detectHost();
  if (!builder)
    throw Error("cannot detect the host target: " +
                errorText(builder.takeError()));
  builder->setCodeGenOptLevel(codeGenLevel(optLevel));
  auto tm = builder->createTargetMachine();
  if (!tm)
    throw Error("cannot create a target machine for the host: " +
                errorText(tm.takeError()));
  return std::move(*tm);
}

/// Shared libraries the generated code may call into (memrefCopy and
/// friends for non-contiguous copies), when this LLVM installation has them.
llvm::SmallVector<llvm::StringRef> runtimeLibraries() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> found;
    llvm::SmallString<256> path(MXJIT_MLIR_RUNTIME_LIB_DIR);
    llvm::sys::path::append(path, "libmlir_c_runner_utils.so");
    if (llvm::sys::fs::exists(path))
      found.push_back(path.str().str());
    return found;
  }();
  return llvm::SmallVector<llvm::StringRef>(paths.begin(), paths.end());
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

std::unique_ptr<ExecutionEngine> jit(ModuleOp module, llvm::StringRef entry,
                                     const CompileOptions &options) {
  MLIRContext *context = module.getContext();
  ensureTranslations(*context);
  DiagnosticCapture diagnostics(context);

  // ExecutionEngineOptions::transformer is a function_ref, and create() runs
  // it before returning: both `tm` and `optimize` only need to outlive
  // create().
  std::unique_ptr<llvm::TargetMachine> tm = hostTargetMachine(options.optLevel);
  auto optimize =
      makeOptimizingTransformer(options.optLevel, /*sizeLevel=*/0, tm.get());
  llvm::SmallVector<llvm::StringRef> libraries = runtimeLibraries();

  ExecutionEngineOptions engineOptions;
  engineOptions.transformer = optimize;
  engineOptions.jitCodeGenOptLevel = codeGenLevel(options.optLevel);
  engineOptions.sharedLibPaths = libraries;
  auto engine = ExecutionEngine::create(module, engineOptions,
                                        hostTargetMachine(options.optLevel));
  if (!engine)
    throw Error("@" + entry.str() +
                ": JIT compilation failed: " + errorText(engine.takeError()) +
                (diagnostics.empty() ? "" : "\n" + diagnostics.text()));
  return std::move(*engine);
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

std::shared_ptr<CompiledFunction>
mxjit::compile(ModuleOp module, llvm::StringRef entry,
               const CompileOptions &options) {
  initializeRuntime();
  if (options.optLevel > 3)
    throw Error("optLevel must be 0 to 3, got " +
                std::to_string(options.optLevel));
  Clock::time_point start = Clock::now();
  auto [inputs, outputs] =
      signatureSpecs(module, entry, /*allowDynamic=*/options.genericBatch);

  CompileTimings timings;
  OwningOpRef<ModuleOp> lowered(module.clone());
  lower(*lowered, entry, options);
  MemoryPlan memoryPlan = readMemoryPlan(*lowered, entry);
  timings.pipelineMs = msSince(start);

  Clock::time_point llvmStart = Clock::now();
  std::unique_ptr<ExecutionEngine> engine = jit(*lowered, entry, options);
  engine->registerSymbols([](llvm::orc::MangleAndInterner interner) {
    llvm::orc::SymbolMap map;
    for (const RuntimeSymbol &symbol : runtimeSymbols())
      map[interner(symbol.name)] = {
          llvm::orc::ExecutorAddr::fromPtr(symbol.address),
          llvm::JITSymbolFlags::Exported};
    return map;
  });
  // Looking the function up materialises it: code generation happens now,
  // inside the timed compile, not on the first call.
  auto packed = engine->lookupPacked(entry);
  if (!packed)
    throw Error("@" + entry.str() + ": cannot find the compiled function: " +
                errorText(packed.takeError()));
  engine->initialize();
  timings.llvmMs = msSince(llvmStart);
  timings.totalMs = msSince(start);

  return std::make_shared<CompiledFunction>(
      std::move(engine), *packed, entry.str(), std::move(inputs),
      std::move(outputs), timings, memoryPlan, options.genericBatch);
}
