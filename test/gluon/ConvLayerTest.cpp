//===- ConvLayerTest.cpp - gluon.nn.Conv1D/Conv2D values and naming -------===//
//
// Convolution values against a direct loop (stride, padding, dilation,
// groups, bias, activation), Gluon's `conv<n>_` names and weight shapes,
// deferred in_channels and errors that name the layer; gradients of a
// Conv2D -> BatchNorm -> ReLU -> GlobalAvgPool2D -> Dense net against
// finite differences (float64) and a LeNet's shapes and names.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using mxjit::gluontest::errorOf;
using namespace mxjit::gluon;

namespace {

std::vector<double> iota(size_t n, double scale, double offset) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<double>((i * 7) % 11) * scale + offset;
  return v;
}

/// NCHW convolution by definition (W = 1 for 1-D).
std::vector<double> convRef(const std::vector<double> &x, int64_t n, int64_t c,
                            int64_t h, int64_t w, const std::vector<double> &k,
                            int64_t f, int64_t kh, int64_t kw,
                            const std::vector<double> &bias, int64_t sh,
                            int64_t sw, int64_t ph, int64_t pw, int64_t dh,
                            int64_t dw, int64_t groups) {
  int64_t oh = (h + 2 * ph - dh * (kh - 1) - 1) / sh + 1;
  int64_t ow = (w + 2 * pw - dw * (kw - 1) - 1) / sw + 1;
  int64_t cg = c / groups, fg = f / groups;
  std::vector<double> y(n * f * oh * ow);
  for (int64_t b = 0; b < n; ++b)
    for (int64_t o = 0; o < f; ++o)
      for (int64_t i = 0; i < oh; ++i)
        for (int64_t j = 0; j < ow; ++j) {
          double s = bias.empty() ? 0 : bias[o];
          int64_t g = o / fg;
          for (int64_t ci = 0; ci < cg; ++ci)
            for (int64_t u = 0; u < kh; ++u)
              for (int64_t v = 0; v < kw; ++v) {
                int64_t yy = i * sh - ph + u * dh, xx = j * sw - pw + v * dw;
                if (yy < 0 || yy >= h || xx < 0 || xx >= w)
                  continue;
                s += x[((b * c + g * cg + ci) * h + yy) * w + xx] *
                     k[((o * cg + ci) * kh + u) * kw + v];
              }
          y[((b * f + o) * oh + i) * ow + j] = s;
        }
  return y;
}

void expectNear(const nd::NDArray &a, const std::vector<double> &e,
                double tol = 1e-4) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), e.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], e[i], tol) << "element " << i;
}

} // namespace

TEST(ConvLayerTest, NamesAndDeferredInChannels) {
  NameManager names;
  nn::Conv2D c0(8, 3, 1, 0, 1, 2);
  nn::Conv1D c1(4, {5}, 1, 0, 1, 1, "NCW", "", false);
  EXPECT_EQ(c0.prefix(), "conv0_");
  EXPECT_EQ(c1.prefix(), "conv1_");
  EXPECT_EQ(c0.params().keys(),
            (std::vector<std::string>{"conv0_weight", "conv0_bias"}));
  EXPECT_EQ(c1.params().keys(), (std::vector<std::string>{"conv1_weight"}));
  EXPECT_EQ(c0.weight()->shape(), (nd::Shape{8, 0, 3, 3}));
  EXPECT_EQ(c0.bias()->shape(), (nd::Shape{8}));
  c0.initialize();
  EXPECT_TRUE(c0.weight()->deferred());
  nd::NDArray y = c0(nd::ones({2, 6, 5, 5}));
  EXPECT_EQ(y.shape(), (nd::Shape{2, 8, 3, 3}));
  EXPECT_EQ(c0.weight()->shape(), (nd::Shape{8, 3, 3, 3}));
  EXPECT_FALSE(c0.weight()->deferred());
  // A later input with other channels conflicts with the fixed weight.
  EXPECT_NE(errorOf([&] { c0(nd::ones({2, 4, 5, 5})); }), "");
  nn::Conv2D known(3, {2, 3}, 1, 0, 1, 1, "NCHW", "", true, nullptr, nullptr,
                   5);
  EXPECT_EQ(known.weight()->shape(), (nd::Shape{3, 5, 2, 3}));
}

TEST(ConvLayerTest, Conv2DStridePadGroupsBias) {
  const int64_t n = 2, c = 4, h = 5, w = 6, f = 6, kh = 3, kw = 2, g = 2;
  nn::Conv2D conv(f, {kh, kw}, {2, 1}, {1, 0}, 1, g, "NCHW", "", true, nullptr,
                  nullptr, c);
  conv.initialize();
  std::vector<double> x = iota(n * c * h * w, 0.1, -0.5);
  std::vector<double> k = iota(f * (c / g) * kh * kw, 0.05, -0.2);
  std::vector<double> b = {0.1, -0.2, 0.3, 0.0, 0.5, -0.4};
  conv.weight()->set_data(nd::array(k, {f, c / g, kh, kw}));
  conv.bias()->set_data(nd::array(b));
  nd::NDArray y = conv(nd::array(x, {n, c, h, w}));
  EXPECT_EQ(y.shape(), (nd::Shape{2, 6, 3, 5}));
  expectNear(y, convRef(x, n, c, h, w, k, f, kh, kw, b, 2, 1, 1, 0, 1, 1, g));
}

TEST(ConvLayerTest, Conv2DDilationAndActivation) {
  const int64_t n = 1, c = 2, h = 6, w = 6, f = 3;
  nn::Conv2D conv(f, 2, 1, 1, 2, 1, "NCHW", "relu", false);
  conv.initialize();
  std::vector<double> x = iota(n * c * h * w, 0.1, -0.5);
  std::vector<double> k = iota(f * c * 4, 0.1, -0.5);
  conv(nd::array(x, {n, c, h, w})); // fixes in_channels
  conv.weight()->set_data(nd::array(k, {f, c, 2, 2}));
  nd::NDArray y = conv(nd::array(x, {n, c, h, w}));
  std::vector<double> ref =
      convRef(x, n, c, h, w, k, f, 2, 2, {}, 1, 1, 1, 1, 2, 2, 1);
  for (double &v : ref)
    v = v > 0 ? v : 0;
  EXPECT_EQ(y.shape(), (nd::Shape{1, 3, 6, 6}));
  expectNear(y, ref);
}

TEST(ConvLayerTest, Conv1DMatchesDefinition) {
  const int64_t n = 2, c = 3, w = 9, f = 2, k = 3;
  nn::Conv1D conv(f, k, 2, 1, 2, 1, "NCW", "", true, nullptr, nullptr, c);
  conv.initialize();
  std::vector<double> x = iota(n * c * w, 0.2, -1.0);
  std::vector<double> kv = iota(f * c * k, 0.1, -0.3);
  conv.weight()->set_data(nd::array(kv, {f, c, k}));
  conv.bias()->set_data(nd::array({0.25, -0.5}));
  nd::NDArray y = conv(nd::array(x, {n, c, w}));
  // 1-D as 2-D with height 1 and kernel height 1.
  EXPECT_EQ(y.shape(), (nd::Shape{2, 2, 4}));
  expectNear(y, convRef(x, n, c, 1, w, kv, f, 1, k, {0.25, -0.5}, 1, 2, 0, 1, 1,
                        2, 1));
}

TEST(ConvLayerTest, BadArgumentsNameTheLayer) {
  NameManager names;
  EXPECT_NE(errorOf([] { nn::Conv2D(4, 3, 1, 0, 1, 1, "NHWC"); }).find("conv0"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::Conv2D(4, {3, 3, 3}); }).find("kernel_size"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::Conv2D(4, 3, 0); }).find("strides"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::Conv2D(5, 3, 1, 0, 1, 2); }).find("groups"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::Conv2D(4, 3, 1, 0, 1, 1, "NCHW", "nope"); }), "");
  nn::Conv2D conv(4, 3);
  conv.initialize();
  EXPECT_NE(errorOf([&] { conv(nd::ones({2, 3, 5})); }).find("rank 4"),
            std::string::npos);
  nn::Conv2D grouped(4, 3, 1, 0, 1, 2);
  grouped.initialize();
  EXPECT_NE(errorOf([&] { grouped(nd::ones({1, 3, 5, 5})); }).find("divisible"),
            std::string::npos);
}

namespace {

/// sum(net(x) * r) in training mode (BatchNorm on batch statistics).
double lossOf(Block &net, const nd::NDArray &x, const nd::NDArray &r) {
  auto train = autograd::train_mode();
  return nd::sum(net(x) * r).asvector<double>()[0];
}

/// Central difference of lossOf in element `i` of `p`.
double numericGrad(Block &net, const ParameterPtr &p, size_t i,
                   const nd::NDArray &x, const nd::NDArray &r) {
  const double h = 1e-6;
  std::vector<double> v = p->data().asvector<double>();
  std::vector<double> plus = v, minus = v;
  plus[i] += h;
  minus[i] -= h;
  p->set_data(nd::array(plus, p->shape(), cpu(), p->dtype()));
  double lp = lossOf(net, x, r);
  p->set_data(nd::array(minus, p->shape(), cpu(), p->dtype()));
  double lm = lossOf(net, x, r);
  p->set_data(nd::array(v, p->shape(), cpu(), p->dtype()));
  return (lp - lm) / (2 * h);
}

} // namespace

TEST(ConvLayerTest, ConvBatchNormPoolDenseGradientsMatchFiniteDifferences) {
  const DType f64 = DType::Float64;
  auto conv = std::make_shared<nn::Conv2D>(3, 3, 1, 1, 1, 1, "NCHW", "", true,
                                           std::make_shared<init::Normal>(0.5),
                                           nullptr, 0, f64);
  auto bn = std::make_shared<nn::BatchNorm>(
      1, 0.9, 1e-5, true, true, false, std::make_shared<init::Normal>(0.3),
      std::make_shared<init::Uniform>(1.0), nullptr, nullptr, 0, f64);
  auto dense = std::make_shared<nn::Dense>(2, "", true, true, f64,
                                           std::make_shared<init::Normal>(0.5),
                                           std::make_shared<init::Normal>(0.5));
  nn::Sequential net;
  net.add({conv, bn, std::make_shared<nn::Activation>("relu"),
           std::make_shared<nn::GlobalAvgPool2D>(), dense});
  nd::random::seed(7);
  net.initialize();
  nd::NDArray x = nd::random::normal(0, 1, {3, 2, 4, 4}, cpu(), f64);
  nd::NDArray r =
      nd::array({1.0, -2.0, 0.5, 1.5, -1.0, 0.25}, {3, 2}, cpu(), f64);
  lossOf(net, x, r); // finishes deferred initialization
  {
    auto rec = autograd::record();
    nd::sum(net(x) * r).backward();
  }
  struct Probe {
    ParameterPtr p;
    size_t i;
  };
  std::vector<Probe> probes = {{conv->weight(), 0}, {conv->weight(), 13},
                               {conv->bias(), 1},   {bn->gamma(), 2},
                               {bn->beta(), 0},     {dense->weight(), 4},
                               {dense->bias(), 1}};
  for (const Probe &pr : probes) {
    double analytic = pr.p->grad().asvector<double>()[pr.i];
    double numeric = numericGrad(net, pr.p, pr.i, x, r);
    EXPECT_NEAR(analytic, numeric, 1e-5 * (1 + std::abs(numeric)))
        << pr.p->name() << "[" << pr.i << "]";
  }
  // The probes are not trivially zero.
  double total = 0;
  for (double g : conv->weight()->grad().asvector<double>())
    total += std::abs(g);
  EXPECT_GT(total, 1e-2);
  // BatchNorm removes any per-channel shift, so the conv bias has none.
  EXPECT_NEAR(conv->bias()->grad().asvector<double>()[1], 0, 1e-8);
}

TEST(ConvLayerTest, LeNetShapesAndNames) {
  NameManager names;
  auto net = std::make_shared<nn::Sequential>();
  {
    auto scope = net->name_scope();
    net->add({std::make_shared<nn::Conv2D>(20, 5, 1, 0, 1, 1, "NCHW", "tanh"),
              std::make_shared<nn::MaxPool2D>(2, 2),
              std::make_shared<nn::Conv2D>(50, 5, 1, 0, 1, 1, "NCHW", "tanh"),
              std::make_shared<nn::MaxPool2D>(2, 2),
              std::make_shared<nn::Flatten>(),
              std::make_shared<nn::Dense>(500, "tanh"),
              std::make_shared<nn::Dense>(10)});
  }
  net->initialize(std::make_shared<init::Xavier>());
  nd::NDArray y = (*net)(nd::random::uniform(0, 1, {4, 1, 28, 28}));
  EXPECT_EQ(y.shape(), (nd::Shape{4, 10}));
  ParameterDict params = net->collect_params();
  EXPECT_EQ(params["sequential0_conv0_weight"]->shape(),
            (nd::Shape{20, 1, 5, 5}));
  EXPECT_EQ(params["sequential0_conv1_weight"]->shape(),
            (nd::Shape{50, 20, 5, 5}));
  EXPECT_EQ(params["sequential0_dense0_weight"]->shape(),
            (nd::Shape{500, 800}));
  EXPECT_EQ(params["sequential0_dense1_weight"]->shape(), (nd::Shape{10, 500}));
  EXPECT_EQ(params.size(), 8u);
  for (double v : y.asvector<double>())
    EXPECT_TRUE(std::isfinite(v));
}
