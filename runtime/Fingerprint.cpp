//===- Fingerprint.cpp - structural hashes of functions -------------------===//

#include "runtime/Fingerprint.h"

#include "runtime/Error.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/OperationSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

using namespace mlir;

static OpPrintingFlags fingerprintFlags() {
  OpPrintingFlags flags;
  // Generic form: stable even if a dialect changes its custom syntax, and
  // never falls back to another form on verification failure.
  flags.printGenericOpForm().enableDebugInfo(false).assumeVerified();
  return flags;
}

static uint64_t hashText(llvm::StringRef text) {
  return llvm::xxh3_64bits(text);
}

uint64_t mxjit::structuralFingerprint(func::FuncOp f) {
  llvm::SmallString<1024> text;
  llvm::raw_svector_ostream os(text);

  // Every inherent and discardable attribute except the symbol name: arg and
  // result attributes or visibility may change the generated code, the name
  // does not.
  NamedAttrList attrs(f->getDiscardableAttrDictionary());
  if (auto props =
          llvm::dyn_cast_or_null<DictionaryAttr>(f->getPropertiesAsAttribute()))
    for (NamedAttribute attr : props)
      attrs.set(attr.getName(), attr.getValue());
  attrs.erase(f.getSymNameAttrName());
  os << attrs.getDictionary(f->getContext()) << '\n';

  // An AsmState rooted at the function numbers values and blocks from the
  // function itself, so the body prints the same wherever the function sits.
  AsmState state(f, fingerprintFlags());
  for (Block &block : f.getBody())
    block.print(os, state);
  return hashText(text);
}

func::FuncOp mxjit::lookupEntry(ModuleOp module, llvm::StringRef entry) {
  if (auto f = module.lookupSymbol<func::FuncOp>(entry))
    return f;
  std::string known;
  for (auto f : module.getOps<func::FuncOp>())
    known += (known.empty() ? "@" : ", @") + f.getSymName().str();
  throw Error("no func.func @" + entry.str() + " in the module (functions: " +
              (known.empty() ? std::string("none") : known) + ")");
}

uint64_t mxjit::moduleFingerprint(ModuleOp module, llvm::StringRef entry) {
  func::FuncOp f = lookupEntry(module, entry);
  llvm::SmallString<256> text;
  llvm::raw_svector_ostream os(text);
  os << structuralFingerprint(f) << '\n';
  os << module->getAttrDictionary() << '\n';
  OpPrintingFlags flags = fingerprintFlags();
  for (Operation &op : module.getBody()->getOperations())
    if (&op != f.getOperation())
      op.print(os, flags);
  return hashText(text);
}
