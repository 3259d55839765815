//===- ObjectLinker.h - link relocatable objects into the process -*- C++
//-*-===//
//
// Every compiled function, freshly generated or read from the on-disk
// compile cache, is one relocatable object file for the host. This links
// such an object into the running process with ORC's JITLink-based
// ObjectLinkingLayer, so both paths run byte-identical machine code.
//
// One ExecutionSession serves the whole process (creating one costs more
// than linking a small object); each object gets its own JITDylib, so
// objects never see each other's symbols and can be unlinked one by one.
// External references resolve, in this order, against runtimeSymbols(),
// this process (libc, libm, ...) and libmlir_c_runner_utils.so.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_OBJECTLINKER_H
#define MXJIT_RUNTIME_OBJECTLINKER_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"
#include "llvm/Support/MemoryBufferRef.h"

#include <memory>
#include <string>

namespace llvm::orc {
class JITDylib;
} // namespace llvm::orc

namespace mxjit {

/// One object linked into the process. Destroying it unlinks the object
/// and frees its code and data.
class LinkedObject {
public:
  explicit LinkedObject(llvm::orc::JITDylib &dylib) : dylib_(&dylib) {}
  ~LinkedObject();
  LinkedObject(const LinkedObject &) = delete;
  LinkedObject &operator=(const LinkedObject &) = delete;

  /// The address of `symbol` (an unmangled C name) in the object. The
  /// first lookup links the object: relocation, external symbol
  /// resolution, memory protection. Throws mxjit::Error naming `symbol`
  /// when the object does not define it or cannot be linked.
  void *address(llvm::StringRef symbol);

private:
  llvm::orc::JITDylib *dylib_;
};

/// Adds a copy of `object` (a relocatable object for this host) to the
/// process-wide session; it is linked by the first address() lookup.
/// `what` names the object in errors. Throws mxjit::Error.
std::unique_ptr<LinkedObject> addObject(llvm::MemoryBufferRef object,
                                        llvm::StringRef what);

/// Shared libraries the generated code may call into (memrefCopy and
/// friends for non-contiguous copies), when this LLVM installation has them.
llvm::ArrayRef<std::string> runtimeLibraries();

} // namespace mxjit

#endif // MXJIT_RUNTIME_OBJECTLINKER_H
