//===- LoweringTest.cpp - lowerNode on real IR ----------------------------===//

#include "sym/Lowering.h"
#include "mxjit/symbol.h"

#include "nd/Engine.h"

#include "runtime/TensorSpec.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/BuiltinTypes.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::sym;
using namespace mxjit::sym::detail;

namespace {

struct Scratch {
  mlir::MLIRContext &ctx = nd::detail::Engine::get().context();
  mlir::Block block;
  mlir::OpBuilder builder{&ctx};
  Scratch() { builder.setInsertionPointToEnd(&block); }
  ~Scratch() { block.clear(); }
  mlir::Value arg(Shape shape, DType dtype = DType::Float32) {
    return block.addArgument(TensorSpec(shape, dtype).toTensorType(ctx),
                             builder.getUnknownLoc());
  }
  std::vector<mlir::Value> lower(const Symbol &s,
                                 const std::vector<mlir::Value> &in) {
    LowerContext lc{builder, builder.getUnknownLoc(),
                    false,   *s.entries()[0].node,
                    nullptr, {}};
    return lowerNode(lc, *s.entries()[0].node, in);
  }
  size_t numOps() { return block.getOperations().size(); }
};

Shape shape(mlir::Value v) {
  auto s = shapeOf(v);
  return Shape(s.begin(), s.end());
}

} // namespace

TEST(Lowering, FullyConnectedEmitsOneOp) {
  Scratch s;
  Symbol fc = FullyConnected(Variable("x"), {{"num_hidden", 3}}, "fc");
  auto out = s.lower(fc, {s.arg({2, 4}), s.arg({3, 4}), s.arg({3})});
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(shape(out[0]), (Shape{2, 3}));
  EXPECT_EQ(s.numOps(), 1u);
  EXPECT_EQ(out[0].getDefiningOp()->getName().getStringRef(),
            "mx.fully_connected");
}

TEST(Lowering, SplitEmitsOneValuePerOutput) {
  Scratch s;
  Symbol sp = SliceChannel(
      Variable("x"), {{"num_outputs", 2}, {"axis", 1}, {"squeeze_axis", true}},
      "sp");
  auto out = s.lower(sp, {s.arg({3, 2, 5})});
  ASSERT_EQ(out.size(), 2u);
  EXPECT_EQ(shape(out[0]), (Shape{3, 5}));
  EXPECT_EQ(shape(out[1]), (Shape{3, 5}));
}

TEST(Lowering, FailureThrowsNamingNodeAndLeavesNoOps) {
  Scratch s;
  Symbol fc = FullyConnected(Variable("x"), {{"num_hidden", 3}}, "fc9");
  mlir::Value x = s.arg({2, 4}), w = s.arg({3, 5}), b = s.arg({3});
  try {
    s.lower(fc, {x, w, b});
    FAIL() << "expected an error";
  } catch (const Error &e) {
    std::string m = e.what();
    EXPECT_EQ(m.rfind("Error in operator fc9 (FullyConnected): ", 0), 0u) << m;
  }
  EXPECT_EQ(s.numOps(), 0u);
  // A lowering that fails after creating ops removes them too.
  Symbol add =
      Op("add_n", {Variable("a"), Variable("b"), Variable("c")}, {}, "sum3");
  EXPECT_THROW(s.lower(add, {s.arg({2}), s.arg({2}), s.arg({3})}), Error);
  EXPECT_EQ(s.numOps(), 0u);
}

TEST(Lowering, WrongInputCountAndUnknownParams) {
  Scratch s;
  Symbol relu = Activation(Variable("x"), {{"act_type", "relu"}}, "act");
  EXPECT_THROW(s.lower(relu, {s.arg({2}), s.arg({2})}), Error);
  // A node whose attributes were edited after creation is re-validated.
  Symbol bad = relu.copy();
  bad.set_attr({{"bogus", "1"}});
  try {
    s.lower(bad, {s.arg({2})});
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("bogus"), std::string::npos);
  }
  // User attributes are not parameters and are accepted.
  Symbol ok = relu.copy();
  ok.set_attr({{"__note__", "x"}});
  EXPECT_EQ(s.lower(ok, {s.arg({2})}).size(), 1u);
}

TEST(Lowering, ElementwiseRejectsBroadcastingButBroadcastOpsBroadcast) {
  Scratch s;
  Symbol a = Variable("a"), b = Variable("b");
  Symbol add = Op("elemwise_add", {a, b}, {}, "add");
  EXPECT_THROW(s.lower(add, {s.arg({2, 3}), s.arg({3})}), Error);
  Symbol badd = Op("broadcast_add", {a, b}, {}, "badd");
  EXPECT_EQ(shape(s.lower(badd, {s.arg({2, 3}), s.arg({3})})[0]),
            (Shape{2, 3}));
}
