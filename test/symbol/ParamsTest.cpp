//===- ParamsTest.cpp - parsing MXNet's attribute spellings ---------------===//

#include "sym/Params.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::sym;
using namespace mxjit::sym::detail;

TEST(Params, TupleSpellings) {
  AttrMap a{{"k1", "(3, 3)"}, {"k2", "[3,3]"}, {"k3", "3"},
            {"k4", "(3,)"},   {"k5", "()"},    {"k6", "(2L, 4L)"}};
  Params p(a, "Convolution", "conv0");
  EXPECT_EQ(p.tuple("k1", {}), (Shape{3, 3}));
  EXPECT_EQ(p.tuple("k2", {}), (Shape{3, 3}));
  EXPECT_EQ(p.tuple("k3", {}), (Shape{3}));
  EXPECT_EQ(p.tuple("k4", {}), (Shape{3}));
  EXPECT_EQ(p.tuple("k5", {7}), (Shape{}));
  EXPECT_EQ(p.tuple("k6", {}), (Shape{2, 4}));
  EXPECT_EQ(p.tuple("missing", {1, 1}), (Shape{1, 1}));
}

TEST(Params, BadTupleNamesOpNodeAndKey) {
  AttrMap a{{"kernel", "(3, x)"}, {"stride", "(3,,)"}};
  Params p(a, "Convolution", "conv1");
  try {
    p.tuple("kernel", {});
    FAIL() << "expected an error";
  } catch (const Error &e) {
    std::string m = e.what();
    EXPECT_NE(m.find("Convolution 'conv1'"), std::string::npos) << m;
    EXPECT_NE(m.find("kernel"), std::string::npos) << m;
  }
  EXPECT_THROW(p.tuple("stride", {}), Error);
}

TEST(Params, ScalarsBooleansAndOptionals) {
  AttrMap a{{"n", "10"},   {"f", "0.9"},    {"t", "True"},    {"t2", "true"},
            {"t3", "1"},   {"no", "False"}, {"none", "None"}, {"bad", "maybe"},
            {"neg", "-1"}, {"inf", "inf"}};
  Params p(a, "FullyConnected", "fc1");
  EXPECT_EQ(p.i64("n"), 10);
  EXPECT_EQ(p.i64("neg", 0), -1);
  EXPECT_DOUBLE_EQ(p.f64("f", 0), 0.9);
  EXPECT_TRUE(std::isinf(p.f64("inf", 0)));
  EXPECT_TRUE(p.boolean("t", false));
  EXPECT_TRUE(p.boolean("t2", false));
  EXPECT_TRUE(p.boolean("t3", false));
  EXPECT_FALSE(p.boolean("no", true));
  EXPECT_TRUE(p.boolean("absent", true));
  EXPECT_THROW(p.boolean("bad", false), Error);
  EXPECT_FALSE(p.optionalI64("none").has_value());
  EXPECT_FALSE(p.optionalI64("absent").has_value());
  EXPECT_EQ(p.optionalI64("n"), 10);
  EXPECT_THROW(p.i64("f"), Error);
  EXPECT_THROW(p.i64("absent"), Error);
  EXPECT_EQ(p.where(), "FullyConnected 'fc1'");
  AttrMap huge{{"n", "1e30"}, {"m", "99999999999999999999"}, {"f", "3.0"}};
  Params q(huge, "FullyConnected", "fc1");
  EXPECT_THROW(q.i64("n"), Error);
  EXPECT_THROW(q.i64("m"), Error);
  EXPECT_EQ(q.i64("f"), 3);
}

TEST(OpRegistry, UnknownOpIsNull) {
  EXPECT_EQ(lookupOp("NoSuchOperator"), nullptr);
}
