//===- ConvPoolSymbolTest.cpp - Convolution and Pooling symbols -----------===//
//
// The Symbol entries of Convolution and Pooling: arguments (bias unless
// no_bias), weight and bias shapes inferred backwards from the data, output
// shapes (groups, stride, pad, dilate, global pooling, "full" convention),
// parameter errors, and forward/backward through an executor.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"

#include "SymbolTestUtil.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::symtest;
using namespace mxjit::sym;

namespace {

using Strings = std::vector<std::string>;
using Shapes = std::vector<Shape>;

TEST(SymbolConvPool, ConvolutionArgumentsAndShapes) {
  Symbol conv = Convolution(Variable("data"),
                            {{"kernel", Shape{3, 3}},
                             {"num_filter", 6},
                             {"num_group", 2},
                             {"stride", Shape{2, 2}},
                             {"pad", Shape{1, 1}}},
                            "conv");
  EXPECT_EQ(conv.list_arguments(),
            Strings({"data", "conv_weight", "conv_bias"}));
  auto s = conv.infer_shape({{"data", {2, 4, 9, 9}}});
  EXPECT_EQ(s.arg_shapes, Shapes({{2, 4, 9, 9}, {6, 2, 3, 3}, {6}}));
  EXPECT_EQ(s.out_shapes, Shapes({{2, 6, 5, 5}}));

  // 1-D, dilated, no bias; workspace and cudnn_* are accepted and ignored.
  Symbol c1 = Convolution(Variable("x"),
                          {{"kernel", Shape{3}},
                           {"num_filter", 4},
                           {"dilate", Shape{2}},
                           {"no_bias", true},
                           {"workspace", 512},
                           {"cudnn_tune", "fastest"},
                           {"cudnn_off", true},
                           {"layout", "NCW"}},
                          "c1");
  EXPECT_EQ(c1.list_arguments(), Strings({"x", "c1_weight"}));
  auto s1 = c1.infer_shape({{"x", {1, 3, 10}}});
  EXPECT_EQ(s1.arg_shapes, Shapes({{1, 3, 10}, {4, 3, 3}}));
  EXPECT_EQ(s1.out_shapes, Shapes({{1, 4, 6}}));
}

TEST(SymbolConvPool, PoolingShapes) {
  Symbol x = Variable("x");
  auto out = [&](const Kwargs &kw) {
    return Pooling(x, kw).infer_shape({{"x", {2, 3, 8, 7}}}).out_shapes.at(0);
  };
  EXPECT_EQ(out({{"kernel", Shape{2, 2}}, {"stride", Shape{2, 2}}}),
            (Shape{2, 3, 4, 3}));
  EXPECT_EQ(out({{"kernel", Shape{3, 3}},
                 {"stride", Shape{2, 2}},
                 {"pooling_convention", "full"},
                 {"pool_type", "avg"}}),
            (Shape{2, 3, 4, 3}));
  // MXNet's default stride is 1 per axis.
  EXPECT_EQ(out({{"kernel", Shape{3, 3}}, {"pad", Shape{1, 1}}}),
            (Shape{2, 3, 8, 7}));
  // global_pool needs no kernel.
  EXPECT_EQ(out({{"global_pool", true}, {"pool_type", "sum"}}),
            (Shape{2, 3, 1, 1}));
}

TEST(SymbolConvPool, ParameterErrors) {
  Symbol x = Variable("x");
  EXPECT_NE(
      errorOf([&] {
        Convolution(
            x, {{"kernel", Shape{3, 3}}, {"num_filter", 2}, {"layout", "NHWC"}},
            "c");
      }).find("layout NHWC is not supported"),
      std::string::npos);
  EXPECT_NE(errorOf([&] {
              Pooling(x, {{"kernel", Shape{2}}, {"pool_type", "lp"}}, "p");
            }).find("pool_type 'lp' is not supported"),
            std::string::npos);
  EXPECT_NE(errorOf([&] {
              Pooling(x, {{"pool_type", "max"}}, "p");
            }).find("must have 1, 2 or 3 dimensions"),
            std::string::npos);
  // Shape errors come from the dialect, naming the node.
  Symbol c = Convolution(
      x, {{"kernel", Shape{3, 3}}, {"num_filter", 4}, {"num_group", 3}},
      "conv3");
  std::string e = errorOf([&] { c.infer_shape({{"x", {1, 4, 5, 5}}}); });
  EXPECT_NE(e.find("conv3"), std::string::npos) << e;
  EXPECT_NE(e.find("input num_filter must divide group size"),
            std::string::npos)
      << e;
}

TEST(SymbolConvPool, ForwardAndBackward) {
  // y[o] = sum_k x[o + k] w[k] + b on one channel; then a sum pool of 2.
  Symbol conv = Convolution(Variable("data"),
                            {{"kernel", Shape{2}}, {"num_filter", 1}}, "conv");
  Symbol pool = Pooling(
      conv, {{"kernel", Shape{2}}, {"stride", Shape{2}}, {"pool_type", "sum"}},
      "pool");
  Executor ex = pool.simple_bind(cpu(), {{"data", {1, 1, 5}}});
  ex.copy_params_from({{"data", nd::array({1, 2, 3, 4, 5}, {1, 1, 5})},
                       {"conv_weight", nd::array({1, -1}, {1, 1, 2})},
                       {"conv_bias", nd::array({10}, {1})}});
  ex.forward(/*is_train=*/true);
  // conv: -1 + 10 four times; pool: two sums of 18.
  EXPECT_EQ(ex.outputs()[0].asvector<double>(), std::vector<double>({18, 18}));
  ex.backward();
  // d/dx of sum over y[0..3]: w0 at x0, w0 + w1 at x1..x3, w1 at x4.
  EXPECT_EQ(ex.grad_dict().at("data").asvector<double>(),
            std::vector<double>({1, 0, 0, 0, -1}));
  EXPECT_EQ(ex.grad_dict().at("conv_bias").asvector<double>(),
            std::vector<double>({4}));
  EXPECT_EQ(ex.grad_dict().at("conv_weight").asvector<double>(),
            std::vector<double>({1 + 2 + 3 + 4, 2 + 3 + 4 + 5}));
}

} // namespace
