//===- ConvLayerTest.cpp - gluon.nn.Conv1D/Conv2D values and naming -------===//
//
// Convolution values against a direct loop (stride, padding, dilation,
// groups, bias, activation), Gluon's `conv<n>_` names and weight shapes,
// deferred in_channels and errors that name the layer.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include <gtest/gtest.h>

#include <functional>

using namespace mxjit;
using namespace mxjit::gluon;

namespace {

std::string errorOf(const std::function<void()> &fn) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

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
