//===- SymbolTestUtil.h - helpers shared by the Symbol tests ----*- C++ -*-===//

#ifndef MXJIT_TEST_SYMBOL_SYMBOLTESTUTIL_H
#define MXJIT_TEST_SYMBOL_SYMBOLTESTUTIL_H

#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace mxjit::symtest {

/// The message of the mxjit::Error `f` throws, or "(no error)".
template <typename F> std::string errorOf(F f) {
  try {
    f();
  } catch (const Error &e) {
    return e.what();
  }
  return "(no error)";
}

inline bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

inline void expectNear(const std::vector<double> &got,
                       const std::vector<double> &want, double tol = 1e-5) {
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i)
    EXPECT_NEAR(got[i], want[i], tol) << "element " << i;
}

} // namespace mxjit::symtest

#endif // MXJIT_TEST_SYMBOL_SYMBOLTESTUTIL_H
