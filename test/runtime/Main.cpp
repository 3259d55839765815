//===- Main.cpp - runtime-tests entry point -------------------------------===//
//
// Besides running the tests, the binary doubles as the child process of
// Fingerprint.SameInAnotherProcess: with MXJIT_FINGERPRINT_FILE and
// MXJIT_FINGERPRINT_ENTRY set it prints the structural fingerprint of that
// function and exits; with MXJIT_DISKCACHE_CHILD set it is the child of
// DiskCacheTest.SecondProcessSkipsCompilation (DiskCacheTest.cpp).
//
// Tests run with the on-disk compile cache off, whatever the environment
// says: they must neither depend on nor fill the user's cache. The disk
// cache tests point it at temporary directories of their own.
//
//===----------------------------------------------------------------------===//

#include "runtime/Context.h"
#include "runtime/DiskCache.h"
#include "runtime/Fingerprint.h"

#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>

int diskCacheChildMain();

static int printFingerprint(const char *path, const char *entry) {
  auto file = llvm::MemoryBuffer::getFile(path);
  if (!file) {
    std::fprintf(stderr, "cannot read %s\n", path);
    return 1;
  }
  auto context = mxjit::createContext();
  auto module = mxjit::parseModule(*context, (*file)->getBuffer(), path);
  std::printf("FINGERPRINT %llu\n",
              static_cast<unsigned long long>(mxjit::structuralFingerprint(
                  mxjit::lookupEntry(*module, entry))));
  return 0;
}

int main(int argc, char **argv) {
  const char *path = std::getenv("MXJIT_FINGERPRINT_FILE");
  const char *entry = std::getenv("MXJIT_FINGERPRINT_ENTRY");
  if (path && entry)
    return printFingerprint(path, entry);
  if (std::getenv("MXJIT_DISKCACHE_CHILD"))
    return diskCacheChildMain();
  mxjit::setDiskCacheDir("off");
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
