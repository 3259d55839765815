//===- LayerOpsTest.cpp - BatchNorm, Dropout and the loss outputs ---------===//
//
// The Symbol entries of the normalization and output families: arguments
// and auxiliary states, shapes MXNet infers backwards, forward in training
// and inference, moving-average updates, and loss gradients that ignore the
// head gradient.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::sym;

namespace {

using Strings = std::vector<std::string>;

std::vector<double> values(const nd::NDArray &a) {
  return a.asvector<double>();
}

TEST(SymbolLayers, BatchNormArgumentsAndShapes) {
  Symbol bn = BatchNorm(Variable("data"), {}, "bn");
  EXPECT_EQ(bn.list_arguments(), Strings({"data", "bn_gamma", "bn_beta"}));
  EXPECT_EQ(bn.list_auxiliary_states(),
            Strings({"bn_moving_mean", "bn_moving_var"}));
  EXPECT_EQ(bn.list_outputs(), Strings({"bn_output"}));
  auto shapes = bn.infer_shape({{"data", {4, 3, 5}}});
  EXPECT_EQ(shapes.arg_shapes, std::vector<Shape>({{4, 3, 5}, {3}, {3}}));
  EXPECT_EQ(shapes.aux_shapes, std::vector<Shape>({{3}, {3}}));
  EXPECT_EQ(shapes.out_shapes, std::vector<Shape>({{4, 3, 5}}));

  Symbol all = BatchNorm(Variable("data"),
                         {{"output_mean_var", true}, {"axis", -1}}, "bn2");
  EXPECT_EQ(all.list_outputs(), Strings({"bn2_output", "bn2_mean", "bn2_var"}));
  auto s = all.infer_shape({{"data", {2, 6}}});
  EXPECT_EQ(s.out_shapes, std::vector<Shape>({{2, 6}, {6}, {6}}));
}

TEST(SymbolLayers, BatchNormTrainingUpdatesMovingStatistics) {
  Symbol bn = BatchNorm(Variable("data"),
                        {{"fix_gamma", false}, {"momentum", 0.75}}, "bn");
  Executor ex = bn.simple_bind(cpu(), {{"data", {4, 2}}});
  std::vector<double> x = {1, 10, 2, 20, 3, 30, 6, 40};
  ex.copy_params_from({{"data", nd::array(x, {4, 2})},
                       {"bn_gamma", nd::array({2, 1}, {2})},
                       {"bn_beta", nd::array({0, 5}, {2})}},
                      {{"bn_moving_var", nd::ones({2})}});
  ex.forward(/*is_train=*/true);
  // Channel 0: mean 3, biased var 3.5; channel 1: mean 25, var 125.
  double mean[] = {3, 25}, var[] = {3.5, 125}, gamma[] = {2, 1},
         beta[] = {0, 5};
  std::vector<double> out = values(ex.outputs()[0]);
  for (int i = 0; i < 8; ++i) {
    int c = i % 2;
    EXPECT_NEAR(
        out[i],
        (x[i] - mean[c]) / std::sqrt(var[c] + 1e-3) * gamma[c] + beta[c], 1e-4)
        << i;
  }
  std::vector<double> mm = values(ex.aux_dict().at("bn_moving_mean"));
  std::vector<double> mv = values(ex.aux_dict().at("bn_moving_var"));
  for (int c = 0; c < 2; ++c) {
    EXPECT_NEAR(mm[c], 0.25 * mean[c], 1e-4);
    EXPECT_NEAR(mv[c], 0.75 + 0.25 * var[c], 1e-3);
  }
  // Inference reads the moving statistics and leaves them alone.
  ex.forward(/*is_train=*/false);
  out = values(ex.outputs()[0]);
  for (int i = 0; i < 8; ++i) {
    int c = i % 2;
    EXPECT_NEAR(out[i],
                (x[i] - mm[c]) / std::sqrt(mv[c] + 1e-3) * gamma[c] + beta[c],
                1e-4)
        << i;
  }
  EXPECT_EQ(values(ex.aux_dict().at("bn_moving_mean")), mm);
}

TEST(SymbolLayers, DropoutOnlyInTraining) {
  Symbol d = Dropout(Variable("data"), {{"p", 0.5}}, "drop");
  Executor ex = d.simple_bind(cpu(), {{"data", {50, 40}}});
  ex.copy_params_from({{"data", nd::ones({50, 40})}});
  ex.forward(false);
  EXPECT_EQ(values(ex.outputs()[0]), std::vector<double>(2000, 1.0));
  ex.forward(true);
  std::vector<double> first = values(ex.outputs()[0]);
  int dropped = 0;
  for (double v : first) {
    EXPECT_TRUE(v == 0.0 || v == 2.0) << v;
    dropped += v == 0.0;
  }
  EXPECT_NEAR(dropped / 2000.0, 0.5, 0.06);
  // Each training call draws a new mask.
  ex.forward(true);
  EXPECT_NE(values(ex.outputs()[0]), first);

  Symbol always =
      Dropout(Variable("data"), {{"p", 0.25}, {"mode", "always"}}, "always");
  auto out = always.eval(cpu(), {{"data", nd::ones({40, 50})}});
  int zeros = 0;
  for (double v : values(out[0]))
    zeros += v == 0.0;
  EXPECT_GT(zeros, 0) << "mode=always drops in inference too";
}

TEST(SymbolLayers, SoftmaxOutputLabelShapeForwardAndBackward) {
  Symbol so =
      SoftmaxOutput(Variable("data"), {{"normalization", "batch"}}, "softmax");
  EXPECT_EQ(so.list_arguments(), Strings({"data", "softmax_label"}));
  auto shapes = so.infer_shape({{"data", {2, 3}}});
  EXPECT_EQ(shapes.arg_shapes, std::vector<Shape>({{2, 3}, {2}}));
  Symbol multi = SoftmaxOutput(Variable("data"), {{"multi_output", true}}, "m");
  EXPECT_EQ(multi.infer_shape({{"data", {2, 3, 4, 5}}}).arg_shapes[1],
            Shape({2, 20}));

  Executor ex = so.simple_bind(cpu(), {{"data", {2, 3}}});
  std::vector<double> x = {1, 2, 3, 0, 0, 1};
  ex.copy_params_from({{"data", nd::array(x, {2, 3})},
                       {"softmax_label", nd::array({2, 0}, {2})}});
  ex.forward(true);
  std::vector<double> p = values(ex.outputs()[0]);
  // Any head gradient: the loss gradient (p - onehot) / batch.
  ex.backward({nd::full({2, 3}, 7.0)});
  std::vector<double> g = values(ex.grad_dict().at("data"));
  double onehot[] = {0, 0, 1, 1, 0, 0};
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(g[i], (p[i] - onehot[i]) / 2, 1e-6) << i;
  double z = std::exp(1) + std::exp(2) + std::exp(3);
  EXPECT_NEAR(p[2], std::exp(3) / z, 1e-6);

  EXPECT_EQ(Op("Softmax", {Variable("x")}, {}, "old").list_arguments(),
            Strings({"x", "old_label"}))
      << "Softmax is SoftmaxOutput's deprecated name";
}

TEST(SymbolLayers, RegressionOutputs) {
  Symbol lr =
      LinearRegressionOutput(Variable("data"), {{"grad_scale", 2.0}}, "lro");
  EXPECT_EQ(lr.infer_shape({{"data", {3, 1}}}).arg_shapes[1], Shape({3}));
  EXPECT_EQ(lr.infer_shape({{"data", {3, 2}}}).arg_shapes[1], Shape({3, 2}));
  Executor ex = lr.simple_bind(cpu(), {{"data", {3, 2}}});
  std::vector<double> x = {1, 2, 3, 4, 5, 6}, y = {0, 0, 1, 1, 2, 2};
  ex.copy_params_from(
      {{"data", nd::array(x, {3, 2})}, {"lro_label", nd::array(y, {3, 2})}});
  ex.forward(true);
  EXPECT_EQ(values(ex.outputs()[0]), x);
  ex.backward();
  std::vector<double> g = values(ex.grad_dict().at("data"));
  for (int i = 0; i < 6; ++i)
    EXPECT_NEAR(g[i], (x[i] - y[i]) * 2.0 / 2, 1e-6) << i;

  Symbol logistic = LogisticRegressionOutput(Variable("data"), {}, "log");
  auto out = logistic.eval(cpu(), {{"data", nd::array({0, 2}, {2, 1})},
                                   {"log_label", nd::array({1, 0}, {2})}});
  EXPECT_NEAR(values(out[0])[1], 1 / (1 + std::exp(-2.0)), 1e-6);
  Symbol mae = MAERegressionOutput(Variable("data"), {}, "mae");
  EXPECT_EQ(mae.list_arguments(), Strings({"data", "mae_label"}));
}

} // namespace
