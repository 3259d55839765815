//===- PoolLayerTest.cpp - gluon.nn max/avg/global pooling ----------------===//
//
// Pooling values against a direct loop: default strides (= pool_size),
// padding with and without count_include_pad, ceil_mode ("full"
// convention), 1-D pools, global pools, `pool<n>_` names and errors.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <functional>
#include <limits>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon;

namespace {

std::vector<double> sample(size_t n) {
  std::vector<double> v(n);
  for (size_t i = 0; i < n; ++i)
    v[i] = static_cast<double>((i * 7) % 13) - 6.0;
  return v;
}

/// One (H, W) plane per (n, c); ceil selects the "full" output size. For
/// avg with includePad the divisor is the window clipped to the padded
/// input, as MXNet's pooling kernel counts it.
std::vector<double> poolRef(const std::vector<double> &x, int64_t planes,
                            int64_t h, int64_t w, int64_t kh, int64_t kw,
                            int64_t sh, int64_t sw, int64_t ph, int64_t pw,
                            bool isMax, bool ceil, bool includePad, int64_t &oh,
                            int64_t &ow) {
  auto outSize = [&](int64_t in, int64_t k, int64_t s, int64_t p) {
    int64_t span = in + 2 * p - k;
    return (ceil ? (span + s - 1) / s : span / s) + 1;
  };
  oh = outSize(h, kh, sh, ph);
  ow = outSize(w, kw, sw, pw);
  std::vector<double> y(planes * oh * ow);
  for (int64_t q = 0; q < planes; ++q)
    for (int64_t i = 0; i < oh; ++i)
      for (int64_t j = 0; j < ow; ++j) {
        int64_t hs = i * sh - ph, ws = j * sw - pw;
        int64_t he = std::min(hs + kh, h + ph), we = std::min(ws + kw, w + pw);
        double acc = isMax ? -std::numeric_limits<double>::infinity() : 0;
        int64_t count = 0;
        for (int64_t u = std::max<int64_t>(hs, 0); u < std::min(he, h); ++u)
          for (int64_t v = std::max<int64_t>(ws, 0); v < std::min(we, w); ++v) {
            double e = x[(q * h + u) * w + v];
            acc = isMax ? std::max(acc, e) : acc + e;
            ++count;
          }
        if (!isMax)
          acc /= includePad ? (he - hs) * (we - ws) : count;
        y[(q * oh + i) * ow + j] = acc;
      }
  return y;
}

} // namespace

TEST(PoolLayerTest, NamesAndNoParameters) {
  NameManager names;
  nn::MaxPool2D a;
  nn::AvgPool1D b;
  nn::GlobalAvgPool2D c;
  EXPECT_EQ(a.prefix(), "pool0_");
  EXPECT_EQ(b.prefix(), "pool1_");
  EXPECT_EQ(c.prefix(), "pool2_");
  EXPECT_TRUE(a.params().empty());
}

TEST(PoolLayerTest, MaxPool2DDefaultStridesAndCeilMode) {
  std::vector<double> x = sample(2 * 3 * 5 * 7);
  nd::NDArray in = nd::array(x, {2, 3, 5, 7});
  int64_t oh, ow;
  nn::MaxPool2D valid(2); // strides default to pool_size
  nd::NDArray y = valid(in);
  std::vector<double> ref =
      poolRef(x, 6, 5, 7, 2, 2, 2, 2, 0, 0, true, false, true, oh, ow);
  EXPECT_EQ(y.shape(), (nd::Shape{2, 3, oh, ow}));
  EXPECT_EQ(oh, 2);
  expectNear(y, ref);
  nn::MaxPool2D full({3, 2}, nd::Shape{2, 2}, 0, "NCHW", true);
  y = full(in);
  ref = poolRef(x, 6, 5, 7, 3, 2, 2, 2, 0, 0, true, true, true, oh, ow);
  EXPECT_EQ(y.shape(), (nd::Shape{2, 3, 2, 4}));
  EXPECT_EQ(y.shape(), (nd::Shape{2, 3, oh, ow}));
  expectNear(y, ref);
}

TEST(PoolLayerTest, AvgPool2DPaddingCountsPadOrNot) {
  std::vector<double> x = sample(1 * 2 * 4 * 5);
  nd::NDArray in = nd::array(x, {1, 2, 4, 5});
  int64_t oh, ow;
  for (bool include : {true, false}) {
    nn::AvgPool2D pool(3, 2, 1, "NCHW", false, include);
    nd::NDArray y = pool(in);
    std::vector<double> ref =
        poolRef(x, 2, 4, 5, 3, 3, 2, 2, 1, 1, false, false, include, oh, ow);
    EXPECT_EQ(y.shape(), (nd::Shape{1, 2, oh, ow}));
    expectNear(y, ref);
  }
}

TEST(PoolLayerTest, OneDimensionalPools) {
  std::vector<double> x = sample(2 * 3 * 9);
  nd::NDArray in = nd::array(x, {2, 3, 9});
  int64_t oh, ow;
  nn::MaxPool1D mx(3, 2);
  expectNear(mx(in),
             poolRef(x, 6, 1, 9, 1, 3, 1, 2, 0, 0, true, false, true, oh, ow));
  EXPECT_EQ(mx(in).shape(), (nd::Shape{2, 3, 4}));
  nn::AvgPool1D avg(2, std::nullopt, 1, "NCW", false, false);
  nd::NDArray y = avg(in);
  std::vector<double> ref =
      poolRef(x, 6, 1, 9, 1, 2, 1, 2, 0, 1, false, false, false, oh, ow);
  EXPECT_EQ(y.shape(), (nd::Shape{2, 3, ow}));
  expectNear(y, ref);
}

TEST(PoolLayerTest, GlobalPools) {
  std::vector<double> x = sample(2 * 3 * 4 * 5);
  nd::NDArray in = nd::array(x, {2, 3, 4, 5});
  nn::GlobalMaxPool2D gmax;
  nn::GlobalAvgPool2D gavg;
  nd::NDArray ymax = gmax(in), yavg = gavg(in);
  EXPECT_EQ(ymax.shape(), (nd::Shape{2, 3, 1, 1}));
  EXPECT_EQ(yavg.shape(), (nd::Shape{2, 3, 1, 1}));
  std::vector<double> emax, eavg;
  for (int64_t q = 0; q < 6; ++q) {
    double m = -1e300, s = 0;
    for (int64_t i = 0; i < 20; ++i) {
      m = std::max(m, x[q * 20 + i]);
      s += x[q * 20 + i];
    }
    emax.push_back(m);
    eavg.push_back(s / 20);
  }
  expectNear(ymax, emax);
  expectNear(yavg, eavg);
}

TEST(PoolLayerTest, BadArgumentsNameTheLayer) {
  NameManager names;
  EXPECT_NE(
      errorOf([] { nn::MaxPool2D(2, std::nullopt, 0, "NHWC"); }).find("pool0"),
      std::string::npos);
  EXPECT_NE(errorOf([] { nn::MaxPool2D({2, 2, 2}); }).find("pool_size"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::AvgPool1D(2, 0); }).find("strides"),
            std::string::npos);
  nn::MaxPool2D pool;
  EXPECT_NE(errorOf([&] { pool(nd::ones({2, 3, 4})); }).find("MaxPool2D"),
            std::string::npos);
}
