//===- JitTest.cpp - the compile-once front door --------------------------===//

#include "runtime/Jit.h"
#include "runtime/Error.h"

#include <gtest/gtest.h>

using namespace mxjit;

namespace {

std::string mulModule(const std::string &name, int n) {
  std::string t = "tensor<" + std::to_string(n) + "xf32>";
  return "func.func @" + name + "(%x: " + t + ", %y: " + t + ") -> " + t +
         " {\n  %e = tensor.empty() : " + t +
         "\n  %r = linalg.mul ins(%x, %y : " + t + ", " + t +
         ") outs(%e : " + t + ") -> " + t + "\n  return %r : " + t + "\n}\n";
}

TEST(Jit, SourceIsCompiledOnce) {
  Jit jit;
  auto a = jit.getSource(mulModule("mul", 8), "mul");
  auto b = jit.getSource(mulModule("mul", 8), "mul");
  EXPECT_EQ(a, b);
  EXPECT_EQ(jit.cache().stats().misses, 1u);
  EXPECT_EQ(jit.cache().stats().hits, 1u);

  float x[8], y[8], out[8];
  for (int i = 0; i < 8; ++i) {
    x[i] = static_cast<float>(i);
    y[i] = 3.0f;
  }
  a->call({x, y}, {out});
  EXPECT_EQ(out[5], 15.0f);
}

TEST(Jit, SameGraphUnderAnotherNameHits) {
  Jit jit;
  auto a = jit.getSource(mulModule("first", 8), "first");
  auto b = jit.getSource(mulModule("second", 8), "second");
  EXPECT_EQ(a, b);
  EXPECT_EQ(jit.cache().stats().misses, 1u);
}

TEST(Jit, ShapesAndOptionsMiss) {
  Jit jit;
  jit.getSource(mulModule("mul", 8), "mul");
  jit.getSource(mulModule("mul", 16), "mul");
  CompileOptions noFuse;
  noFuse.fuseElementwise = false;
  jit.getSource(mulModule("mul", 8), "mul", noFuse);
  EXPECT_EQ(jit.cache().stats().misses, 3u);
  EXPECT_EQ(jit.cache().stats().hits, 0u);
}

TEST(Jit, ModulesFromOtherContextsShareTheCache) {
  CompileCache shared;
  Jit first(shared), second(shared);
  auto m1 = parseModule(first.context(), mulModule("f", 4));
  auto m2 = parseModule(second.context(), mulModule("g", 4));
  auto a = first.get(*m1, "f");
  auto b = second.get(*m2, "g");
  EXPECT_EQ(a, b);
  EXPECT_EQ(shared.stats().misses, 1u);
  EXPECT_EQ(shared.stats().hits, 1u);
}

TEST(Jit, ClearedSourceIsRecompiled) {
  Jit jit;
  jit.getSource(mulModule("mul", 8), "mul");
  jit.cache().clear();
  auto fn = jit.getSource(mulModule("mul", 8), "mul");
  EXPECT_TRUE(fn);
  EXPECT_EQ(jit.cache().stats().misses, 2u);
}

TEST(Jit, BadSourceThrowsAndIsNotCached) {
  Jit jit;
  EXPECT_THROW(jit.getSource("func.func @f(", "f"), Error);
  EXPECT_THROW(jit.getSource(mulModule("mul", 8), "other"), Error);
  EXPECT_EQ(jit.cache().stats().entries, 0u);
}

TEST(Jit, DefaultJitUsesDefaultCache) {
  EXPECT_EQ(&defaultJit().cache(), &defaultCompileCache());
}

} // namespace
