//===- CompileOptions.cpp - what the host CPU offers ----------------------===//

#include "runtime/CompileOptions.h"

#include "llvm/ADT/StringMap.h"
#include "llvm/TargetParser/Host.h"

const std::string &mxjit::hostCpuName() {
  static const std::string name = llvm::sys::getHostCPUName().str();
  return name;
}

unsigned mxjit::hostVectorWidth() {
  // The same feature query JITTargetMachineBuilder::detectHost() makes, so
  // the blocking matches the registers the code generator may use.
  static const unsigned width = [] {
    llvm::StringMap<bool> features = llvm::sys::getHostCPUFeatures();
    auto has = [&](llvm::StringRef name) { return features.lookup(name); };
    if (has("avx512f"))
      return 16u;
    if (has("avx2") && has("fma"))
      return 8u;
    return 4u;
  }();
  return width;
}
