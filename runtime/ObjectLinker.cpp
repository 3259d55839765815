//===- ObjectLinker.cpp - link relocatable objects into the process -------===//

#include "runtime/ObjectLinker.h"

#include "runtime/Error.h"
#include "runtime/RuntimeSymbols.h"

#include "llvm/ExecutionEngine/Orc/AbsoluteSymbols.h"
#include "llvm/ExecutionEngine/Orc/Core.h"
#include "llvm/ExecutionEngine/Orc/EHFrameRegistrationPlugin.h"
#include "llvm/ExecutionEngine/Orc/ExecutionUtils.h"
#include "llvm/ExecutionEngine/Orc/ObjectLinkingLayer.h"
#include "llvm/ExecutionEngine/Orc/SelfExecutorProcessControl.h"
#include "llvm/ExecutionEngine/Orc/TaskDispatch.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <atomic>
#include <cstdio>
#include <cstdlib>
#include <mutex>
#include <unistd.h>

using namespace llvm::orc;
using namespace mxjit;

namespace {

std::string errorText(llvm::Error error) {
  return llvm::toString(std::move(error));
}

/// The prefix the platform's C compiler puts before C names in symbol
/// tables: '_' on Mach-O, none on ELF.
char globalPrefix() {
  return llvm::Triple(llvm::sys::getProcessTriple()).isOSBinFormatMachO()
             ? '_'
             : '\0';
}

std::string mangle(llvm::StringRef name) {
  char prefix = globalPrefix();
  return prefix ? prefix + name.str() : name.str();
}

/// Searches the shared library at `path` for symbols, loading it on the
/// first lookup that reaches it, i.e. the first symbol nothing before it in
/// the search order defines. Most objects never need it, and loading it
/// (with the libraries it depends on) costs more than linking an object.
class LazyLibraryGenerator : public DefinitionGenerator {
public:
  LazyLibraryGenerator(std::string path, char prefix)
      : path_(std::move(path)), prefix_(prefix) {}

  llvm::Error tryToGenerate(LookupState &state, LookupKind kind,
                            JITDylib &dylib, JITDylibLookupFlags flags,
                            const SymbolLookupSet &symbols) override {
    std::call_once(loaded_, [&] {
      auto library =
          DynamicLibrarySearchGenerator::Load(path_.c_str(), prefix_);
      if (library)
        library_ = std::move(*library);
      else
        error_ = errorText(library.takeError());
    });
    if (!library_)
      return llvm::createStringError("cannot load " + path_ + ": " + error_);
    return library_->tryToGenerate(state, kind, dylib, flags, symbols);
  }

private:
  std::string path_;
  char prefix_;
  std::once_flag loaded_;
  std::unique_ptr<DynamicLibrarySearchGenerator> library_;
  std::string error_;
};

/// MXJIT_PERF=1 in the environment: perf then names generated functions.
bool perfMapRequested() {
  const char *value = std::getenv("MXJIT_PERF");
  return value && llvm::StringRef(value) == "1";
}

/// Appends every function of each linked object, local ones included (the
/// outlined loop nests are private), to /tmp/perf-<pid>.map, the text file
/// `perf report` reads to name code outside any ELF file (one
/// "<hex start> <hex size> <name>" line per function).
class PerfMapPlugin : public ObjectLinkingLayer::Plugin {
public:
  PerfMapPlugin()
      : file_(std::fopen(
            ("/tmp/perf-" + std::to_string(::getpid()) + ".map").c_str(),
            "a")) {}
  ~PerfMapPlugin() override {
    if (file_)
      std::fclose(file_);
  }

  void modifyPassConfig(MaterializationResponsibility &,
                        llvm::jitlink::LinkGraph &,
                        llvm::jitlink::PassConfiguration &config) override {
    config.PostFixupPasses.push_back([this](llvm::jitlink::LinkGraph &graph) {
      std::lock_guard<std::mutex> lock(mutex_);
      if (!file_)
        return llvm::Error::success();
      for (llvm::jitlink::Symbol *symbol : graph.defined_symbols())
        if (symbol->isCallable() && symbol->hasName() && symbol->getSize())
          std::fprintf(
              file_, "%llx %llx %s\n",
              static_cast<unsigned long long>(symbol->getAddress().getValue()),
              static_cast<unsigned long long>(symbol->getSize()),
              (*symbol->getName()).str().c_str());
      std::fflush(file_);
      return llvm::Error::success();
    });
  }
  llvm::Error notifyFailed(MaterializationResponsibility &) override {
    return llvm::Error::success();
  }
  llvm::Error notifyRemovingResources(JITDylib &, ResourceKey) override {
    return llvm::Error::success();
  }
  void notifyTransferringResources(JITDylib &, ResourceKey,
                                   ResourceKey) override {}

private:
  std::FILE *file_;
  std::mutex mutex_;
};

/// The process-wide ORC session. Never destroyed: compiled code may still
/// run (and CompiledFunctions be destroyed) during static destruction.
struct Session {
  std::unique_ptr<ExecutionSession> es;
  std::unique_ptr<ObjectLinkingLayer> linker;
  /// Resolves what objects import: runtimeSymbols(), then the process,
  /// then runtimeLibraries().
  JITDylib *imports = nullptr;
};

Session *createSession() {
  // In-place dispatch: linking runs on the thread that asks for a symbol,
  // which is waiting for it anyway, instead of hopping to a worker thread.
  auto epc = SelfExecutorProcessControl::Create(
      nullptr, std::make_unique<InPlaceTaskDispatcher>());
  if (!epc)
    throw Error("cannot set up the JIT linker: " + errorText(epc.takeError()));
  auto *s = new Session();
  s->es = std::make_unique<ExecutionSession>(std::move(*epc));
  s->linker = std::make_unique<ObjectLinkingLayer>(*s->es);
  // Register the objects' unwind tables, as LLJIT does, so that debuggers,
  // profilers and exceptions can walk through generated frames.
  if (auto ehFrames = EHFrameRegistrationPlugin::Create(*s->es))
    s->linker->addPlugin(std::move(*ehFrames));
  else
    llvm::consumeError(ehFrames.takeError());
  if (perfMapRequested())
    s->linker->addPlugin(std::make_unique<PerfMapPlugin>());

  JITDylib &imports = s->es->createBareJITDylib("mxjit-imports");
  SymbolMap runtime;
  for (const RuntimeSymbol &symbol : runtimeSymbols())
    runtime[s->es->intern(mangle(symbol.name))] = {
        ExecutorAddr::fromPtr(symbol.address), llvm::JITSymbolFlags::Exported};
  if (!runtime.empty())
    llvm::cantFail(imports.define(absoluteSymbols(std::move(runtime))));
  const char prefix = globalPrefix();
  auto process = DynamicLibrarySearchGenerator::GetForCurrentProcess(prefix);
  if (!process)
    throw Error("cannot search this process for symbols: " +
                errorText(process.takeError()));
  imports.addGenerator(std::move(*process));
  for (const std::string &path : runtimeLibraries())
    imports.addGenerator(std::make_unique<LazyLibraryGenerator>(path, prefix));
  s->imports = &imports;
  return s;
}

Session &session() {
  static Session *s = createSession();
  return *s;
}

} // namespace

llvm::ArrayRef<std::string> mxjit::runtimeLibraries() {
  static const std::vector<std::string> paths = [] {
    std::vector<std::string> found;
    llvm::SmallString<256> path(MXJIT_MLIR_RUNTIME_LIB_DIR);
    llvm::sys::path::append(path, "libmlir_c_runner_utils.so");
    if (llvm::sys::fs::exists(path))
      found.push_back(path.str().str());
    return found;
  }();
  return paths;
}

LinkedObject::~LinkedObject() {
  if (llvm::Error error =
          dylib_->getExecutionSession().removeJITDylib(*dylib_)) {
    // Nothing the owner could do about it; the memory stays mapped.
    std::fprintf(stderr, "mxjit: cannot unlink compiled code: %s\n",
                 errorText(std::move(error)).c_str());
  }
}

void *LinkedObject::address(llvm::StringRef symbol) {
  ExecutionSession &es = dylib_->getExecutionSession();
  auto found = es.lookup({{dylib_, JITDylibLookupFlags::MatchAllSymbols}},
                         es.intern(mangle(symbol)));
  if (!found)
    throw Error("cannot link compiled code for " + symbol.str() + ": " +
                errorText(found.takeError()));
  return found->getAddress().toPtr<void *>();
}

std::unique_ptr<LinkedObject> mxjit::addObject(llvm::MemoryBufferRef object,
                                               llvm::StringRef what) {
  Session &s = session();
  // Dylib names must be unique in the session; they show up in ORC's
  // error messages only.
  static std::atomic<uint64_t> counter{0};
  JITDylib &dylib = s.es->createBareJITDylib(
      "mxjit-object-" + std::to_string(counter++) + "-" + what.str());
  dylib.addToLinkOrder(*s.imports);
  // Owning it from here on unlinks the dylib if adding fails.
  auto linked = std::make_unique<LinkedObject>(dylib);
  // A copy: the linker frees its buffer once linked, the caller's bytes
  // may be a slice of a larger file buffer.
  if (llvm::Error error = s.linker->add(
          dylib, llvm::MemoryBuffer::getMemBufferCopy(
                     object.getBuffer(), object.getBufferIdentifier())))
    throw Error("cannot add the object code for " + what.str() + ": " +
                errorText(std::move(error)));
  return linked;
}
