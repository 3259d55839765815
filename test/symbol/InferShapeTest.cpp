//===- InferShapeTest.cpp - infer_shape / infer_type semantics ------------===//
//
// MXNet 1.x's test_infer_shape.py and the inference parts of
// test_symbol.py, in C++.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/OpRegistry.h"

#include "runtime/Error.h"

#include "SymbolTestUtil.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::symtest;
using namespace mxjit::sym;

namespace {

using Names = std::vector<std::string>;

std::map<std::string, Shape> byName(const Symbol &s,
                                    const std::vector<Shape> &shapes) {
  std::map<std::string, Shape> out;
  std::vector<std::string> names = s.list_arguments();
  for (size_t i = 0; i < names.size(); ++i)
    out[names[i]] = shapes.at(i);
  return out;
}

} // namespace

TEST(InferShape, MLP) {
  name::NameManager fresh;
  Symbol out = FullyConnected(Variable("data"), {{"num_hidden", 1000}}, "fc1");
  out = Activation(out, {{"act_type", "relu"}});
  out = FullyConnected(out, {{"num_hidden", 10}}, "fc2");
  auto r = out.infer_shape({{"data", {100, 100}}});
  EXPECT_TRUE(r.complete);
  auto args = byName(out, r.arg_shapes);
  EXPECT_EQ(args["fc1_weight"], (Shape{1000, 100}));
  EXPECT_EQ(args["fc1_bias"], (Shape{1000}));
  EXPECT_EQ(args["fc2_weight"], (Shape{10, 1000}));
  EXPECT_EQ(args["fc2_bias"], (Shape{10}));
  EXPECT_EQ(r.out_shapes, (std::vector<Shape>{{100, 10}}));
  EXPECT_TRUE(r.aux_shapes.empty());
  // Positional shapes in list_arguments() order give the same answer.
  auto p = out.infer_shape(std::vector<Shape>{{100, 100}});
  EXPECT_EQ(p.arg_shapes, r.arg_shapes);
}

TEST(InferShape, FullyConnectedFlattensAndNoBias) {
  Symbol x = Variable("x");
  Symbol fc = FullyConnected(x, {{"num_hidden", 7}, {"no_bias", true}}, "fc");
  auto r = fc.infer_shape({{"x", {4, 3, 5}}});
  EXPECT_EQ(r.arg_shapes, (std::vector<Shape>{{4, 3, 5}, {7, 15}}));
  EXPECT_EQ(r.out_shapes[0], (Shape{4, 7}));
  Symbol nf = FullyConnected(x, {{"num_hidden", 7}, {"flatten", false}}, "nf");
  auto n = nf.infer_shape({{"x", {4, 3, 5}}});
  EXPECT_EQ(n.arg_shapes[1], (Shape{7, 5}));
  EXPECT_EQ(n.out_shapes[0], (Shape{4, 3, 7}));
}

TEST(InferShape, ConflictNamesNodeAndBothShapes) {
  Symbol x = Variable("x");
  Symbol fc = FullyConnected(x, {{"num_hidden", 10}}, "fc1");
  std::string msg = errorOf(
      [&] { fc.infer_shape({{"x", {2, 5}}, {"fc1_weight", {10, 4}}}); });
  EXPECT_TRUE(contains(msg, "fc1")) << msg;
  EXPECT_TRUE(contains(msg, "(10, 4)")) << msg;
  EXPECT_TRUE(contains(msg, "(10, 5)")) << msg;
  // Elementwise ops need one shape.
  Symbol add = Op("elemwise_add", {Variable("a"), Variable("b")}, {}, "add");
  msg = errorOf([&] { add.infer_shape({{"a", {2, 3}}, {"b", {3, 2}}}); });
  EXPECT_TRUE(contains(msg, "add")) << msg;
  EXPECT_TRUE(contains(msg, "(2, 3)")) << msg;
  EXPECT_TRUE(contains(msg, "(3, 2)")) << msg;
}

TEST(InferShape, DialectErrorsNameTheNode) {
  Symbol d = Op("dot", {Variable("a"), Variable("b")}, {}, "mm");
  std::string msg =
      errorOf([&] { d.infer_shape({{"a", {2, 3}}, {"b", {4, 5}}}); });
  EXPECT_TRUE(contains(msg, "Error in operator mm (dot)")) << msg;
}

TEST(InferShape, UnknownArgumentsAreNamed) {
  Symbol a = Variable("a"), b = Variable("b");
  Symbol c = Op("broadcast_add", {a, b}, {}, "c");
  std::string msg = errorOf([&] { c.infer_shape({{"a", {2, 3}}}); });
  EXPECT_TRUE(contains(msg, "b: ()")) << msg;
  EXPECT_FALSE(contains(msg, "a: ")) << msg;
  msg = errorOf([&] { c.infer_shape({{"zzz", {2, 3}}}); });
  EXPECT_TRUE(contains(msg, "zzz")) << msg;
  EXPECT_THROW(c.infer_shape(std::vector<Shape>{{1}, {1}, {1}}), Error);
}

TEST(InferShape, Partial) {
  name::NameManager fresh;
  Symbol a = Variable("a"), b = Variable("b");
  Symbol fc = FullyConnected(a, {{"num_hidden", 6}}, "fc");
  Symbol out = Op("broadcast_add", {fc, b}, {}, "out");
  auto r = out.infer_shape_partial({{"a", {3, 4}}});
  EXPECT_FALSE(r.complete);
  auto args = byName(out, r.arg_shapes);
  EXPECT_EQ(args["fc_weight"], (Shape{6, 4}));
  EXPECT_EQ(args["b"], Shape{});
  EXPECT_EQ(r.out_shapes[0], Shape{});
  // Unknown dimensions (0) stay partial: the weight needs only the row size.
  auto q = fc.infer_shape_partial({{"a", {0, 4}}});
  EXPECT_EQ(byName(fc, q.arg_shapes)["fc_weight"], (Shape{6, 4}));
  EXPECT_EQ(q.out_shapes[0], (Shape{0, 6}));
  EXPECT_FALSE(q.complete);
}

TEST(InferShape, VariableShapeAttribute) {
  Symbol a = Variable("a", {}, {2, 3});
  Symbol b = Variable("b");
  Symbol c = Op("elemwise_add", {a, b}, {}, "c");
  // b is inferred backwards from the elementwise rule.
  auto r = c.infer_shape();
  EXPECT_EQ(r.arg_shapes, (std::vector<Shape>{{2, 3}, {2, 3}}));
  EXPECT_EQ(r.out_shapes[0], (Shape{2, 3}));
  std::string msg = errorOf([&] { c.infer_shape({{"a", {4, 4}}}); });
  EXPECT_TRUE(contains(msg, "'a'")) << msg;
}

TEST(InferShape, BackwardThroughElementwiseChain) {
  Symbol x = Variable("x"), y = Variable("y");
  Symbol z = Activation(x + y, {{"act_type", "relu"}}) * 2.0;
  Symbol w = Variable("w", {}, {5, 2});
  Symbol out = Op("elemwise_mul", {z, w}, {}, "out");
  auto r = out.infer_shape();
  EXPECT_TRUE(r.complete);
  for (const Shape &s : r.arg_shapes)
    EXPECT_EQ(s, (Shape{5, 2}));
}

TEST(InferShape, TensorOps) {
  Symbol x = Variable("x");
  auto shapeOf = [&](const Symbol &s, const Shape &in) {
    return s.infer_shape({{"x", in}}).out_shapes;
  };
  EXPECT_EQ(shapeOf(Flatten(x), {2, 3, 4})[0], (Shape{2, 12}));
  EXPECT_EQ(shapeOf(Reshape(x, {{"shape", Shape{0, -1}}}), {2, 3, 4})[0],
            (Shape{2, 12}));
  EXPECT_EQ(shapeOf(Reshape(x, {{"shape", Shape{-1, 2}}, {"reverse", true}}),
                    {2, 3, 4})[0],
            (Shape{12, 2}));
  // Old graphs' target_shape: 0 is inferred.
  EXPECT_EQ(shapeOf(Reshape(x, {{"target_shape", Shape{0, 6}}}), {2, 3, 4})[0],
            (Shape{4, 6}));
  EXPECT_EQ(shapeOf(Op("transpose", {x}), {2, 3, 4})[0], (Shape{4, 3, 2}));
  EXPECT_EQ(shapeOf(Op("expand_dims", {x}, {{"axis", 1}}), {2, 3})[0],
            (Shape{2, 1, 3}));
  EXPECT_EQ(shapeOf(Op("sum", {x}, {{"axis", 1}}), {2, 3, 4})[0],
            (Shape{2, 4}));
  EXPECT_EQ(shapeOf(Op("mean", {x}, {{"axis", Shape{1}}, {"keepdims", true}}),
                    {2, 3, 4})[0],
            (Shape{2, 1, 4}));
  EXPECT_EQ(shapeOf(Op("max", {x}), {2, 3})[0], (Shape{1}));
  EXPECT_EQ(
      shapeOf(Op("slice", {x}, {{"begin", "(None, 1)"}, {"end", "(None, 3)"}}),
              {4, 5})[0],
      (Shape{4, 2}));
  EXPECT_EQ(shapeOf(Op("slice_axis", {x},
                       {{"axis", -1}, {"begin", 1}, {"end", "None"}}),
                    {4, 5})[0],
            (Shape{4, 4}));
  EXPECT_EQ(shapeOf(Op("softmax", {x}), {4, 5})[0], (Shape{4, 5}));
  EXPECT_EQ(shapeOf(Op("SoftmaxActivation", {x}), {4, 5, 2})[0],
            (Shape{4, 5, 2}));
  EXPECT_EQ(shapeOf(Cast(x, {{"dtype", "int32"}}), {3})[0], (Shape{3}));
  EXPECT_EQ(shapeOf(Op("clip", {x}, {{"a_min", 0}, {"a_max", 1}}), {3})[0],
            (Shape{3}));
  EXPECT_EQ(shapeOf(x + 1.0, {3, 1})[0], (Shape{3, 1}));
}

TEST(InferShape, SplitAndConcat) {
  Symbol x = Variable("x");
  Symbol parts = SliceChannel(x, {{"num_outputs", 3}, {"axis", 1}}, "sp");
  auto r = parts.infer_shape({{"x", {2, 6}}});
  EXPECT_EQ(r.out_shapes, (std::vector<Shape>{{2, 2}, {2, 2}, {2, 2}}));
  Symbol sq = SliceChannel(
      x, {{"num_outputs", 2}, {"axis", 0}, {"squeeze_axis", true}}, "sq");
  EXPECT_EQ(sq.infer_shape({{"x", {2, 6}}}).out_shapes,
            (std::vector<Shape>{{6}, {6}}));
  std::string msg = errorOf([&] { parts.infer_shape({{"x", {2, 5}}}); });
  EXPECT_TRUE(contains(msg, "sp")) << msg;
  Symbol cat = Concat({parts[0], parts[2], Variable("y")}, {}, "cat");
  auto c = cat.infer_shape({{"x", {2, 6}}, {"y", {2, 1}}});
  EXPECT_EQ(c.out_shapes[0], (Shape{2, 5}));
}

TEST(InferShape, Contractions) {
  Symbol a = Variable("a"), b = Variable("b");
  Symbol d = Op("dot", {a, b}, {{"transpose_b", true}});
  EXPECT_EQ(d.infer_shape({{"a", {2, 3}}, {"b", {4, 3}}}).out_shapes[0],
            (Shape{2, 4}));
  Symbol bd = Op("batch_dot", {a, b});
  EXPECT_EQ(bd.infer_shape({{"a", {5, 2, 3}}, {"b", {5, 3, 4}}}).out_shapes[0],
            (Shape{5, 2, 4}));
}

TEST(InferShape, GroupAndInternals) {
  name::NameManager fresh;
  Symbol x = Variable("x");
  Symbol fc1 = FullyConnected(x, {{"num_hidden", 8}}, "fc1");
  Symbol fc2 = FullyConnected(fc1, {{"num_hidden", 3}}, "fc2");
  Symbol internals = fc2.get_internals();
  auto r = internals.infer_shape({{"x", {5, 2}}});
  EXPECT_EQ(r.out_shapes.size(), 7u);
  EXPECT_EQ(r.out_shapes[3], (Shape{5, 8})); // fc1_output
  EXPECT_EQ(r.out_shapes[6], (Shape{5, 3})); // fc2_output
}

TEST(InferShape, ConvBatchNormWhenRegistered) {
  name::NameManager fresh;
  Symbol data = Variable("data");
  Symbol conv = Convolution(
      data, {{"kernel", Shape{3, 3}}, {"num_filter", 8}, {"pad", Shape{1, 1}}},
      "conv");
  Symbol bn = BatchNorm(conv, {}, "bn");
  EXPECT_EQ(bn.list_arguments(),
            (Names{"data", "conv_weight", "conv_bias", "bn_gamma", "bn_beta"}));
  EXPECT_EQ(bn.list_auxiliary_states(),
            (Names{"bn_moving_mean", "bn_moving_var"}));
  auto r = bn.infer_shape({{"data", {2, 3, 10, 10}}});
  EXPECT_EQ(r.arg_shapes[1], (Shape{8, 3, 3, 3}));
  EXPECT_EQ(r.aux_shapes, (std::vector<Shape>{{8}, {8}}));
  EXPECT_EQ(r.out_shapes[0], (Shape{2, 8, 10, 10}));
}

TEST(InferType, DefaultsAndPropagation) {
  Symbol a = Variable("a"), b = Variable("b");
  Symbol c = Op("elemwise_add", {a, b}, {}, "c");
  auto r = c.infer_type();
  EXPECT_EQ(r.arg_types, (std::vector<DType>{DType::Float32, DType::Float32}));
  EXPECT_EQ(r.out_types, (std::vector<DType>{DType::Float32}));
  auto f = c.infer_type({{"a", DType::Float64}});
  EXPECT_EQ(f.arg_types, (std::vector<DType>{DType::Float64, DType::Float64}));
  EXPECT_EQ(f.out_types[0], DType::Float64);
  // A declared dtype spreads too.
  Symbol i = Variable("i", {}, {}, DType::Int32);
  Symbol s = Op("elemwise_mul", {i, Variable("j")}, {}, "s");
  EXPECT_EQ(s.infer_type().arg_types,
            (std::vector<DType>{DType::Int32, DType::Int32}));
}

TEST(InferType, CastAndConflicts) {
  Symbol x = Variable("x");
  Symbol y = Cast(x, {{"dtype", "int64"}}, "to_int");
  Symbol z = Op("elemwise_add", {y, Variable("k")}, {}, "z");
  auto r = z.infer_type({{"x", DType::Float64}});
  EXPECT_EQ(r.arg_types, (std::vector<DType>{DType::Float64, DType::Int64}));
  EXPECT_EQ(r.out_types[0], DType::Int64);
  std::string msg = errorOf([&] { z.infer_type({{"k", DType::Float32}}); });
  EXPECT_TRUE(contains(msg, "z")) << msg;
  EXPECT_TRUE(contains(msg, "int64")) << msg;
  EXPECT_TRUE(contains(msg, "float32")) << msg;
  EXPECT_THROW(z.infer_type({{"nope", DType::Float32}}), Error);
}

TEST(InferType, DtypesReachShapeInference) {
  // An int64 input lowers on int64 placeholders: the shapes still follow.
  Symbol x = Variable("x", {}, {}, DType::Int64);
  Symbol s = Op("sum", {x}, {{"axis", 0}}, "s");
  EXPECT_EQ(s.infer_shape({{"x", {3, 4}}}).out_shapes[0], (Shape{4}));
  EXPECT_EQ(s.infer_type().out_types[0], DType::Int64);
}
