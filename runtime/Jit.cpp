//===- Jit.cpp - compile-once front door to the runtime -------------------===//

#include "runtime/Jit.h"

#include "runtime/Context.h"
#include "runtime/Fingerprint.h"

using namespace mxjit;

Jit::Jit()
    : context_(createContext()), ownedCache_(std::make_unique<CompileCache>()),
      cache_(ownedCache_.get()) {}

Jit::Jit(CompileCache &cache) : context_(createContext()), cache_(&cache) {}

Jit::~Jit() = default;

CacheKey Jit::makeKey(mlir::ModuleOp module, llvm::StringRef entry,
                      const CompileOptions &options) {
  CacheKey key;
  key.fingerprint = moduleFingerprint(module, entry);
  key.inputs = signatureSpecs(module, entry).first;
  key.options = options.key();
  key.device = "cpu";
  return key;
}

std::shared_ptr<CompiledFunction> Jit::get(mlir::ModuleOp module,
                                           llvm::StringRef entry,
                                           const CompileOptions &options) {
  return cache_->getOrCompile(makeKey(module, entry, options),
                              [&] { return compile(module, entry, options); });
}

std::shared_ptr<CompiledFunction>
Jit::getSource(llvm::StringRef mlirText, llvm::StringRef entry,
               const CompileOptions &options) {
  // The memo key spells out everything that selects the compiled code; NUL
  // cannot occur in MLIR text or symbol names.
  std::string memoKey = mlirText.str();
  memoKey += '\0';
  memoKey += entry;
  memoKey += '\0';
  memoKey += options.key();

  mlir::OwningOpRef<mlir::ModuleOp> module;
  auto parse = [&] {
    std::lock_guard<std::mutex> lock(parseMutex_);
    module = parseModule(*context_, mlirText);
  };

  std::optional<CacheKey> key;
  {
    std::lock_guard<std::mutex> lock(sourceKeysMutex_);
    auto it = sourceKeys_.find(memoKey);
    if (it != sourceKeys_.end())
      key = it->second;
  }
  if (!key) {
    parse();
    key = makeKey(*module, entry, options);
    std::lock_guard<std::mutex> lock(sourceKeysMutex_);
    sourceKeys_.try_emplace(memoKey, *key);
  }
  return cache_->getOrCompile(*key, [&] {
    // Known text whose function was evicted by clear(): parse it again.
    if (!module)
      parse();
    return compile(*module, entry, options);
  });
}

Jit &mxjit::defaultJit() {
  // Leaked on purpose, like defaultCompileCache().
  static Jit *jit = new Jit(defaultCompileCache());
  return *jit;
}
