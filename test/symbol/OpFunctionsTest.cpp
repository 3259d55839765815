//===- OpFunctionsTest.cpp - the per-op functions of mxjit::sym -----------===//
//
// Every function in mxjit/sym_ops.def creates its registry op (or, for ops
// with required parameters, says which is missing); a sample of each kind
// (unary, parameterised, binary, variadic) is evaluated.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/Graph.h"
#include "sym/OpRegistry.h"

#include "SymbolTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using namespace mxjit::symtest;
using mxjit::nd::NDArray;

namespace {

std::vector<double> eval1(const sym::Symbol &s,
                          const std::map<std::string, NDArray> &args) {
  return s.eval(cpu(), args)[0].asvector<double>();
}

} // namespace

TEST(SymbolOpFunctions, EveryFunctionMakesItsOp) {
  sym::Symbol x = sym::Variable("x"), y = sym::Variable("y");
  std::vector<std::pair<std::string, std::function<sym::Symbol()>>> makers;
#define MXJIT_SYM_UNARY(NAME, OP)                                              \
  makers.push_back({OP, [&] { return sym::NAME(x); }});
#define MXJIT_SYM_BINARY(NAME, OP)                                             \
  makers.push_back({OP, [&] { return sym::NAME(x, y); }});
#define MXJIT_SYM_VARIADIC(NAME, OP)                                           \
  makers.push_back({OP, [&] { return sym::NAME({x, y}); }});
#include "mxjit/sym_ops.def"
  ASSERT_GT(makers.size(), 90u);
  int made = 0;
  for (auto &[op, make] : makers) {
    const sym::detail::OpInfo *info = sym::detail::lookupOp(op);
    ASSERT_NE(info, nullptr) << op << " is not registered";
    try {
      sym::Symbol s = make();
      EXPECT_EQ(s.entries()[0].node->info, info) << op;
      ++made;
    } catch (const Error &e) {
      // Ops whose parameters have no usable default (kernel, act_type,
      // dtype, num_hidden) refuse to be made without them, naming the op.
      std::string what = e.what();
      EXPECT_EQ(what.rfind("Error in operator", 0), 0u) << op << ": " << what;
      EXPECT_NE(what.find(info->name), std::string::npos) << what;
    }
  }
  EXPECT_GT(made, 80);
}

TEST(SymbolOpFunctions, SampleOfEachKindComputes) {
  sym::Symbol x = sym::Variable("x"), y = sym::Variable("y");
  NDArray a = nd::array({1, -2, 3, -4, 5, -6}, {2, 3});
  NDArray row = nd::array({10, 20, 30}, {1, 3});
  expectNear(eval1(sym::relu(x), {{"x", a}}), {1, 0, 3, 0, 5, 0});
  expectNear(eval1(sym::broadcast_add(x, y), {{"x", a}, {"y", row}}),
             {11, 18, 33, 6, 25, 24});
  expectNear(eval1(sym::sum(x, {{"axis", 1}}), {{"x", a}}), {2, -5});
  expectNear(eval1(sym::transpose(x), {{"x", a}}), {1, -4, -2, 5, 3, -6});
  expectNear(
      eval1(sym::dot(x, y, {{"transpose_b", true}}), {{"x", a}, {"y", row}}),
      {10 - 40 + 90, -40 + 100 - 180});
  expectNear(eval1(sym::concat({x, y}, {{"dim", 0}}), {{"x", a}, {"y", row}}),
             {1, -2, 3, -4, 5, -6, 10, 20, 30});
  std::vector<double> sm = eval1(sym::softmax(x), {{"x", a}});
  double z = std::exp(1.0) + std::exp(-2.0) + std::exp(3.0);
  EXPECT_NEAR(sm[2], std::exp(3.0) / z, 1e-6);
}
