//===- GluonTestUtil.h - helpers shared by the Gluon tests ------*- C++ -*-===//

#ifndef MXJIT_TEST_GLUON_GLUONTESTUTIL_H
#define MXJIT_TEST_GLUON_GLUONTESTUTIL_H

#include "mxjit/ndarray.h"
#include "runtime/Error.h"

#include <gtest/gtest.h>

#include <functional>
#include <string>
#include <vector>

namespace mxjit::gluontest {

/// The message of the mxjit::Error `fn` throws, or "" when it throws none.
inline std::string errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

inline bool contains(const std::string &s, const std::string &part) {
  return s.find(part) != std::string::npos;
}

/// Every element of `a` within `tol` of `expected`.
inline void expectNear(const nd::NDArray &a,
                       const std::vector<double> &expected, double tol = 1e-5) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol) << "element " << i;
}

} // namespace mxjit::gluontest

#endif // MXJIT_TEST_GLUON_GLUONTESTUTIL_H
