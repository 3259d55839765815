//===- FingerprintTest.cpp - structural fingerprints ----------------------===//

#include "runtime/Fingerprint.h"
#include "runtime/Context.h"
#include "runtime/Error.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <unistd.h>

using namespace mxjit;

namespace {

const char *kScaleAdd = R"mlir(
#id = affine_map<(d0) -> (d0)>
func.func @scale_add(%x: tensor<8xf32>, %y: tensor<8xf32>) -> tensor<8xf32> {
  %init = tensor.empty() : tensor<8xf32>
  %r = linalg.generic {indexing_maps = [#id, #id, #id],
                       iterator_types = ["parallel"]}
      ins(%x, %y : tensor<8xf32>, tensor<8xf32>) outs(%init : tensor<8xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %c = arith.constant 2.0 : f32
    %m = arith.mulf %a, %c : f32
    %s = arith.addf %m, %b : f32
    linalg.yield %s : f32
  } -> tensor<8xf32>
  return %r : tensor<8xf32>
}
)mlir";

uint64_t fingerprintOf(mlir::MLIRContext &context, const std::string &text,
                       llvm::StringRef name) {
  auto module = parseModule(context, text);
  return structuralFingerprint(lookupEntry(*module, name));
}

std::string replaceAll(std::string s, const std::string &from,
                       const std::string &to) {
  for (size_t at = s.find(from); at != std::string::npos;
       at = s.find(from, at + to.size()))
    s.replace(at, from.size(), to);
  return s;
}

TEST(Fingerprint, SameAcrossContexts) {
  auto c1 = createContext();
  auto c2 = createContext();
  uint64_t h1 = fingerprintOf(*c1, kScaleAdd, "scale_add");
  uint64_t h2 = fingerprintOf(*c2, kScaleAdd, "scale_add");
  EXPECT_EQ(h1, h2);
  // And in the same context twice.
  EXPECT_EQ(h1, fingerprintOf(*c1, kScaleAdd, "scale_add"));
}

TEST(Fingerprint, SameInAnotherProcess) {
  // A fresh process has a fresh address space: anything pointer-derived in
  // the hash would show up as a mismatch. The test binary's main() computes
  // the child's fingerprint (see Main.cpp).
  llvm::SmallString<128> path;
  ASSERT_FALSE(llvm::sys::fs::createTemporaryFile("fingerprint", "mlir", path));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(path, ec);
    ASSERT_FALSE(ec);
    os << kScaleAdd;
  }
  char self[4096];
  ssize_t n = readlink("/proc/self/exe", self, sizeof(self) - 1);
  ASSERT_GT(n, 0);
  self[n] = '\0';
  std::string command = "MXJIT_FINGERPRINT_FILE='" + path.str().str() +
                        "' MXJIT_FINGERPRINT_ENTRY=scale_add '" + self + "'";
  FILE *child = popen(command.c_str(), "r");
  ASSERT_NE(child, nullptr);
  unsigned long long fromChild = 0;
  char line[512];
  while (std::fgets(line, sizeof(line), child))
    std::sscanf(line, "FINGERPRINT %llu", &fromChild);
  int status = pclose(child);
  llvm::sys::fs::remove(path);
  ASSERT_EQ(status, 0);

  auto context = createContext();
  EXPECT_NE(fromChild, 0u);
  EXPECT_EQ(fromChild, fingerprintOf(*context, kScaleAdd, "scale_add"));
}

TEST(Fingerprint, NameIgnored) {
  auto context = createContext();
  std::string renamed = replaceAll(kScaleAdd, "@scale_add", "@other_name");
  EXPECT_EQ(fingerprintOf(*context, kScaleAdd, "scale_add"),
            fingerprintOf(*context, renamed, "other_name"));
}

TEST(Fingerprint, LocationsAndSsaNamesIgnored) {
  auto context = createContext();
  std::string located =
      replaceAll(kScaleAdd, "%m = arith.mulf %a, %c : f32",
                 "%m = arith.mulf %a, %c : f32 loc(\"model.py\":12:3)");
  std::string renamedValues = replaceAll(kScaleAdd, "%s", "%sum");
  uint64_t base = fingerprintOf(*context, kScaleAdd, "scale_add");
  EXPECT_EQ(base, fingerprintOf(*context, located, "scale_add"));
  EXPECT_EQ(base, fingerprintOf(*context, renamedValues, "scale_add"));
}

TEST(Fingerprint, BodyChangesHash) {
  auto context = createContext();
  uint64_t base = fingerprintOf(*context, kScaleAdd, "scale_add");
  auto differs = [&](const std::string &from, const std::string &to) {
    std::string changed = replaceAll(kScaleAdd, from, to);
    ASSERT_NE(changed, kScaleAdd) << "pattern not found: " << from;
    EXPECT_NE(base, fingerprintOf(*context, changed, "scale_add"))
        << "changing '" << from << "' to '" << to << "' kept the hash";
  };
  differs("arith.addf %m, %b", "arith.subf %m, %b");
  differs("arith.constant 2.0", "arith.constant 3.0");
  differs("8xf32", "16xf32");
}

TEST(Fingerprint, SeesThroughAttributeAliases) {
  // Only the definition of an alias differs; the printer must not hash the
  // alias name instead of its content.
  const char *text = R"mlir(
#in = affine_map<(d0, d1) -> (d0, d1)>
#out = affine_map<(d0, d1) -> (d0, d1)>
func.func @copy(%x: tensor<8x8xf32>) -> tensor<8x8xf32> {
  %init = tensor.empty() : tensor<8x8xf32>
  %r = linalg.generic {indexing_maps = [#in, #out],
                       iterator_types = ["parallel", "parallel"]}
      ins(%x : tensor<8x8xf32>) outs(%init : tensor<8x8xf32>) {
  ^bb0(%a: f32, %o: f32):
    linalg.yield %a : f32
  } -> tensor<8x8xf32>
  return %r : tensor<8x8xf32>
}
)mlir";
  auto context = createContext();
  std::string transposed =
      replaceAll(text, "#in = affine_map<(d0, d1) -> (d0, d1)>",
                 "#in = affine_map<(d0, d1) -> (d1, d0)>");
  ASSERT_NE(transposed, text);
  EXPECT_NE(fingerprintOf(*context, text, "copy"),
            fingerprintOf(*context, transposed, "copy"));
}

TEST(Fingerprint, ModuleFingerprintCoversCallees) {
  const char *caller = R"mlir(
func.func private @helper(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = arith.addf %x, %x : tensor<4xf32>
  return %r : tensor<4xf32>
}
func.func @main(%x: tensor<4xf32>) -> tensor<4xf32> {
  %r = func.call @helper(%x) : (tensor<4xf32>) -> tensor<4xf32>
  return %r : tensor<4xf32>
}
)mlir";
  auto context = createContext();
  auto a = parseModule(*context, caller);
  auto b =
      parseModule(*context, replaceAll(caller, "arith.addf", "arith.mulf"));
  // The entry bodies are identical, the modules are not.
  EXPECT_EQ(structuralFingerprint(lookupEntry(*a, "main")),
            structuralFingerprint(lookupEntry(*b, "main")));
  EXPECT_NE(moduleFingerprint(*a, "main"), moduleFingerprint(*b, "main"));
  EXPECT_EQ(moduleFingerprint(*a, "main"),
            moduleFingerprint(*parseModule(*context, caller), "main"));
}

TEST(Fingerprint, MissingEntryThrows) {
  auto context = createContext();
  auto module = parseModule(*context, kScaleAdd);
  try {
    moduleFingerprint(*module, "nope");
    FAIL() << "no exception";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("@scale_add"), std::string::npos);
  }
}

} // namespace
