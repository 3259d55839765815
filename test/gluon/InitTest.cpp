//===- InitTest.cpp - mxjit::init, MXNet 1.x's initializers ---------------===//
//
// Ports tests/python/unittest/test_init.py and checks every initializer's
// values, statistics, dumps() strings and errors.
//
//===----------------------------------------------------------------------===//

#include "mxjit/init.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <cstdio>
#include <numeric>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::nd;

namespace {

/// Runs `init` on a fresh array of `shape` (filled with 9 first, so zeros
/// are really written) and returns its values.
std::vector<double> run(const init::Initializer &init, const std::string &name,
                        const Shape &shape,
                        std::map<std::string, std::string> attrs = {}) {
  NDArray arr = full(shape, 9.0);
  init(init::InitDesc(name, attrs), arr);
  return arr.asvector<double>();
}

struct Stats {
  double mean = 0, std = 0, maxAbs = 0;
};
Stats stats(const std::vector<double> &v) {
  Stats s;
  for (double x : v) {
    s.mean += x;
    s.maxAbs = std::max(s.maxAbs, std::fabs(x));
  }
  s.mean /= double(v.size());
  for (double x : v)
    s.std += (x - s.mean) * (x - s.mean);
  s.std = std::sqrt(s.std / double(v.size()));
  return s;
}

void expectAll(const std::vector<double> &v, double value,
               const std::string &what) {
  ASSERT_FALSE(v.empty()) << what;
  for (double x : v)
    ASSERT_EQ(x, value) << what;
}

//===----------------------------------------------------------------------===//
// Name rules (Initializer.__call__)
//===----------------------------------------------------------------------===//

TEST(Init, NameRulesBySuffix) {
  init::Constant c(5);
  expectAll(run(c, "fc1_weight", {2, 3}), 5, "weight");
  expectAll(run(c, "fc1_bias", {3}), 0, "bias");
  expectAll(run(c, "bn_gamma", {3}), 1, "gamma");
  expectAll(run(c, "bn_beta", {3}), 0, "beta");
  expectAll(run(c, "bn_moving_mean", {3}), 0, "moving_mean");
  expectAll(run(c, "bn_moving_var", {3}), 1, "moving_var");
  expectAll(run(c, "bn_moving_inv_var", {3}), 0, "moving_inv_var");
  expectAll(run(c, "bn_moving_avg", {3}), 0, "moving_avg");
  expectAll(run(c, "data_min", {2}), 0, "min");
  expectAll(run(c, "data_max", {2}), 1, "max");
  expectAll(run(c, "fc_bias_quantize", {2}), 0, "bias_quantize");
  for (double x : run(c, "fc_weight_quantize", {50})) {
    EXPECT_EQ(x, std::floor(x));
    EXPECT_GE(x, -127);
    EXPECT_LT(x, 127);
  }
}

TEST(Init, UnknownNameIsMXNetsError) {
  init::Uniform u;
  NDArray arr = zeros({2});
  std::string err = errorOf([&] { u("data", arr); });
  EXPECT_TRUE(contains(err, "Unknown initialization pattern for data. "
                            "Default initialization is now limited to "
                            "\"weight\", \"bias\", \"gamma\" (1.0), and "
                            "\"beta\" (0.0)."))
      << err;
}

TEST(Init, InitAttributeOverridesTheInitializer) {
  init::Zero zero;
  // MXNet applies the attribute's _init_weight whatever the suffix.
  expectAll(
      run(zero, "fc_bias", {4}, {{"__init__", init::Constant(3).dumps()}}), 3,
      "__init__ on a bias");
  expectAll(run(zero, "prelu_alpha", {4}, {{"__init__", "[\"one\", {}]"}}), 1,
            "__init__ on a name without a rule");
  // An empty attribute is ignored.
  expectAll(run(zero, "fc_weight", {4}, {{"__init__", ""}}), 0, "empty");
  NDArray arr = zeros({4});
  std::string err = errorOf([&] {
    zero(init::InitDesc("w_weight", {{"__init__", "[\"nope\", {}]"}}), arr);
  });
  EXPECT_TRUE(contains(err, "nope is not registered")) << err;
}

// test_init.py: test_variable_init / test_aux_init / test_default_init.
TEST(Init, PortedModuleDefaults) {
  init::Uniform u(0.07);
  expectAll(run(u, "bn_moving_var", {10}), 1, "aux moving_var");
  expectAll(run(u, "bn_moving_mean", {10}), 0, "aux moving_mean");
  expectAll(run(u, "gamma", {10}, {{"__init__", init::One().dumps()}}), 1,
            "variable init");
  // PReLU's gamma defaults to Constant(0.25) through the attribute.
  expectAll(
      run(u, "prelu_gamma", {10}, {{"__init__", init::Constant(0.25).dumps()}}),
      0.25, "prelu default");
}

//===----------------------------------------------------------------------===//
// dumps() and create()
//===----------------------------------------------------------------------===//

TEST(Init, DumpsMatchesMXNetExactly) {
  EXPECT_EQ(init::Zero().dumps(), "[\"zero\", {}]");
  EXPECT_EQ(init::One().dumps(), "[\"one\", {}]");
  EXPECT_EQ(init::Constant(1).dumps(), "[\"constant\", {\"value\": 1}]");
  EXPECT_EQ(init::Constant(2.0).dumps(), "[\"constant\", {\"value\": 2.0}]");
  EXPECT_EQ(init::Constant(ones({2, 2})).dumps(),
            "[\"constant\", {\"value\": [[1.0, 1.0], [1.0, 1.0]]}]");
  EXPECT_EQ(init::Uniform().dumps(), "[\"uniform\", {\"scale\": 0.07}]");
  EXPECT_EQ(init::Normal(0.8).dumps(), "[\"normal\", {\"sigma\": 0.8}]");
  EXPECT_EQ(init::Normal().dumps(), "[\"normal\", {\"sigma\": 0.01}]");
  EXPECT_EQ(init::Xavier().dumps(),
            "[\"xavier\", {\"rnd_type\": \"uniform\", \"factor_type\": "
            "\"avg\", \"magnitude\": 3}]");
  EXPECT_EQ(init::Xavier("gaussian", "in", 2).dumps(),
            "[\"xavier\", {\"rnd_type\": \"gaussian\", \"factor_type\": "
            "\"in\", \"magnitude\": 2}]");
  EXPECT_EQ(init::Xavier("uniform", "in", 2.34).dumps(),
            "[\"xavier\", {\"rnd_type\": \"uniform\", \"factor_type\": "
            "\"in\", \"magnitude\": 2.34}]");
  EXPECT_EQ(init::MSRAPrelu().dumps(),
            "[\"msraprelu\", {\"factor_type\": \"avg\", \"slope\": 0.25}]");
  EXPECT_EQ(init::Orthogonal().dumps(),
            "[\"orthogonal\", {\"scale\": 1.414, \"rand_type\": "
            "\"uniform\"}]");
  EXPECT_EQ(init::Bilinear().dumps(), "[\"bilinear\", {}]");
  EXPECT_EQ(init::LSTMBias().dumps(), "[\"lstmbias\", {\"forget_bias\": 1.0}]");
  EXPECT_EQ(
      init::FusedRNN(std::make_shared<init::Xavier>(), 10, 2, "lstm").dumps(),
      "[\"fusedrnn\", {\"init\": \"[\\\"xavier\\\", {\\\"rnd_type\\\": "
      "\\\"uniform\\\", \\\"factor_type\\\": \\\"avg\\\", \\\"magnitude\\\": "
      "3}]\", \"num_hidden\": 10, \"num_layers\": 2, \"mode\": \"lstm\", "
      "\"bidirectional\": false, \"forget_bias\": 1.0}]");
  EXPECT_EQ(init::FusedRNN(nullptr, 4, 1, "gru", true, 0).dumps(),
            "[\"fusedrnn\", {\"init\": null, \"num_hidden\": 4, "
            "\"num_layers\": 1, \"mode\": \"gru\", \"bidirectional\": true, "
            "\"forget_bias\": 0}]");
}

TEST(Init, DumpsSpellsFloatsAsPython) {
  auto sigma = [](init::Number n) {
    std::string d = init::Normal(n).dumps();
    size_t start = d.find(": ") + 2;
    return d.substr(start, d.size() - start - 2);
  };
  EXPECT_EQ(sigma(1e-5), "1e-05");
  EXPECT_EQ(sigma(0.0001), "0.0001");
  EXPECT_EQ(sigma(0.1 + 0.2), "0.30000000000000004");
  EXPECT_EQ(sigma(100.0), "100.0");
  EXPECT_EQ(sigma(1e16), "1e+16");
  EXPECT_EQ(sigma(1234567890123456.0), "1234567890123456.0");
  EXPECT_EQ(sigma(1.5e300), "1.5e+300");
  EXPECT_EQ(sigma(-2.5), "-2.5");
  EXPECT_EQ(sigma(0.0), "0.0");
  EXPECT_EQ(sigma(7), "7");
  EXPECT_EQ(sigma(int64_t(-3)), "-3");
}

TEST(Init, CreateRoundTripsEveryDumps) {
  std::vector<init::InitializerPtr> all = {
      std::make_shared<init::Zero>(),
      std::make_shared<init::One>(),
      std::make_shared<init::Constant>(1),
      std::make_shared<init::Constant>(-0.5),
      std::make_shared<init::Constant>(array({1, 2, 3, 4}, {2, 2})),
      std::make_shared<init::Uniform>(0.1),
      std::make_shared<init::Normal>(2),
      std::make_shared<init::Xavier>("gaussian", "out", 2.5),
      std::make_shared<init::MSRAPrelu>("in", 0.1),
      std::make_shared<init::Orthogonal>(2.0, "normal"),
      std::make_shared<init::Bilinear>(),
      std::make_shared<init::LSTMBias>(0.5),
      std::make_shared<init::FusedRNN>(std::make_shared<init::Normal>(0.1), 8,
                                       2, "rnn_tanh", true, 2.0),
      std::make_shared<init::Mixed>(
          std::vector<std::string>{"fc.*", ".*"},
          std::vector<init::InitializerPtr>{std::make_shared<init::One>(),
                                            std::make_shared<init::Zero>()}),
  };
  for (const auto &init : all) {
    std::string d = init->dumps();
    init::InitializerPtr back = init::create(d);
    EXPECT_EQ(back->dumps(), d);
    EXPECT_TRUE(*back == *init) << d;
    EXPECT_EQ(back->name(), init->name());
  }
  EXPECT_EQ(init::Mixed({"fc.*", ".*"}, {std::make_shared<init::One>(),
                                         std::make_shared<init::Zero>()})
                .dumps(),
            "[\"mixed\", {\"patterns\": [\"fc.*\", \".*\"], \"initializers\": "
            "[\"[\\\"one\\\", {}]\", \"[\\\"zero\\\", {}]\"]}]");
  EXPECT_FALSE(init::Normal(1) == init::Normal(2));
  EXPECT_FALSE(init::Normal(1) == init::Uniform(1));
  // A dumps() string written by MXNet, with spacing of its own.
  init::InitializerPtr x = init::create(
      "[ \"Xavier\" ,{\"magnitude\":2.0,\"factor_type\":\"in\"} ]");
  EXPECT_EQ(x->dumps(), "[\"xavier\", {\"rnd_type\": \"uniform\", "
                        "\"factor_type\": \"in\", \"magnitude\": 2.0}]");
}

TEST(Init, CreateByName) {
  EXPECT_EQ(init::create("xavier")->dumps(), init::Xavier().dumps());
  EXPECT_EQ(init::create("Xavier")->dumps(), init::Xavier().dumps());
  EXPECT_EQ(init::create("zeros")->dumps(), "[\"zero\", {}]");
  EXPECT_EQ(init::create("ones")->dumps(), "[\"one\", {}]");
  EXPECT_EQ(init::create("msraprelu")->dumps(), init::MSRAPrelu().dumps());
  EXPECT_EQ(init::create("uniform")->dumps(), init::Uniform().dumps());
  expectAll(run(*init::create("one"), "w_weight", {3}), 1, "create(one)");
}

TEST(Init, CreateErrors) {
  auto err = [](const std::string &s) {
    return errorOf([&] { init::create(s); });
  };
  EXPECT_TRUE(contains(err("foo"), "foo is not registered")) << err("foo");
  EXPECT_TRUE(contains(err("[\"foo\", {}]"), "foo is not registered"));
  EXPECT_TRUE(contains(err("[\"normal\", {\"sigma\": }]"),
                       "malformed initializer JSON"));
  EXPECT_TRUE(contains(err("[\"normal\""), "malformed initializer JSON"));
  EXPECT_TRUE(contains(err("[\"normal\", {}] x"), "malformed"));
  EXPECT_TRUE(contains(err("[\"normal\"]"), "expected [name, {kwargs}]"));
  EXPECT_TRUE(contains(err(std::string(5000, '[')), "malformed"));
  EXPECT_TRUE(contains(err("[\"normal\", {\"sgma\": 1}]"),
                       "normal: unexpected keyword argument 'sgma'"))
      << err("[\"normal\", {\"sgma\": 1}]");
  EXPECT_TRUE(contains(err("[\"normal\", {\"sigma\": \"x\"}]"),
                       "argument 'sigma' must be a number"));
  EXPECT_TRUE(
      contains(err("[\"constant\", {}]"), "missing required argument 'value'"));
  EXPECT_TRUE(contains(err("[\"constant\", {\"value\": [[1], [2, 3]]}]"),
                       "not a rectangular list"));
  EXPECT_TRUE(contains(err("[\"xavier\", {\"rnd_type\": \"gauss\"}]"),
                       "rnd_type must be one of"));
  EXPECT_TRUE(contains(err("[\"fusedrnn\", {\"init\": null, \"num_hidden\": "
                           "2.5, \"num_layers\": 1, \"mode\": \"lstm\"}]"),
                       "argument 'num_hidden' must be an int"));
}

TEST(Init, ConstructorErrors) {
  EXPECT_TRUE(contains(errorOf([] { init::Xavier("bad"); }),
                       "xavier: rnd_type must be one of 'uniform', "
                       "'gaussian', got 'bad'"));
  EXPECT_TRUE(contains(errorOf([] { init::Xavier("uniform", "sideways"); }),
                       "factor_type must be one of"));
  EXPECT_TRUE(contains(errorOf([] { init::Orthogonal(1, "cauchy"); }),
                       "rand_type must be 'uniform' or 'normal'"));
  EXPECT_TRUE(contains(errorOf([] { init::FusedRNN(nullptr, 2, 1, "lstm2"); }),
                       "fusedrnn: mode must be"));
  EXPECT_TRUE(contains(errorOf([] {
                         init::Mixed({"a", "b"},
                                     {std::make_shared<init::Zero>()});
                       }),
                       "2 patterns but 1 initializers"));
  EXPECT_TRUE(contains(errorOf([] {
                         init::Mixed({"(unclosed"},
                                     {std::make_shared<init::Zero>()});
                       }),
                       "invalid pattern '(unclosed'"));
}

TEST(Init, RegisterCustomInitializer) {
  // mx.init.register: a custom class, created by name and from dumps().
  struct Halves : init::Initializer {
    Halves() : Initializer("halves") {}
    void init_weight(const init::InitDesc &, NDArray &arr) const override {
      full(arr.shape(), 0.5).copyto(arr);
    }
  };
  init::register_initializer(
      "Halves", [](const auto &kwargs) { return std::make_shared<Halves>(); });
  expectAll(run(*init::create("halves"), "w_weight", {3}), 0.5, "by name");
  expectAll(run(*init::create("[\"halves\", {}]"), "w_weight", {3}), 0.5,
            "by dumps");
  EXPECT_EQ(Halves().dumps(), "[\"halves\", {}]");
}

//===----------------------------------------------------------------------===//
// Values
//===----------------------------------------------------------------------===//

TEST(Init, ZeroOneConstant) {
  expectAll(run(init::Zero(), "w_weight", {3, 4}), 0, "zero");
  expectAll(run(init::One(), "w_weight", {3, 4}), 1, "one");
  expectAll(run(init::Constant(2.5), "w_weight", {3, 4}), 2.5, "constant");
  // test_const_init_dumps / broadcasting an array value.
  std::vector<double> v =
      run(init::Constant(array({1, 2, 3}, {3})), "w_weight", {2, 3});
  EXPECT_EQ(v, (std::vector<double>{1, 2, 3, 1, 2, 3}));
  NDArray arr = zeros({2, 4});
  std::string err =
      errorOf([&] { init::Constant(array({1, 2, 3}))("w_weight", arr); });
  EXPECT_TRUE(contains(err, "'w_weight' of shape (2, 4) from a value of "
                            "shape (3,)"))
      << err;
  // Integer arrays are written cast to their dtype.
  NDArray ints = zeros({3}, cpu(), DType::Int32);
  init::Constant(7)("w_weight", ints);
  EXPECT_EQ(ints.asvector<int32_t>(), (std::vector<int32_t>{7, 7, 7}));
}

TEST(Init, UniformStatistics) {
  random::seed(1);
  Stats s = stats(run(init::Uniform(0.1), "w_weight", {400, 250}));
  EXPECT_LE(s.maxAbs, 0.1);
  EXPECT_GT(s.maxAbs, 0.099);
  EXPECT_NEAR(s.mean, 0, 0.002);
  EXPECT_NEAR(s.std, 0.1 / std::sqrt(3.0), 0.001);
  Stats d = stats(run(init::Uniform(), "w_weight", {100000}));
  EXPECT_LE(d.maxAbs, 0.07);
  EXPECT_NEAR(d.std, 0.07 / std::sqrt(3.0), 0.001);
}

TEST(Init, NormalStatistics) {
  random::seed(2);
  Stats s = stats(run(init::Normal(0.5), "w_weight", {100000}));
  EXPECT_NEAR(s.mean, 0, 0.01);
  EXPECT_NEAR(s.std, 0.5, 0.01);
  Stats d = stats(run(init::Normal(), "w_weight", {100000}));
  EXPECT_NEAR(d.std, 0.01, 0.0002);
}

TEST(Init, XavierFanForFullyConnected) {
  random::seed(3);
  // (out, in) = (64, 100): avg factor (100 + 64) / 2.
  double bound = std::sqrt(3.0 / 82.0);
  Stats s = stats(run(init::Xavier(), "fc_weight", {64, 100}));
  EXPECT_LE(s.maxAbs, bound);
  EXPECT_GT(s.maxAbs, 0.98 * bound);
  EXPECT_NEAR(s.std, bound / std::sqrt(3.0), 0.03 * bound);
  Stats in =
      stats(run(init::Xavier("uniform", "in", 3), "fc_weight", {64, 100}));
  EXPECT_LE(in.maxAbs, std::sqrt(3.0 / 100));
  EXPECT_GT(in.maxAbs, 0.98 * std::sqrt(3.0 / 100));
  Stats out =
      stats(run(init::Xavier("uniform", "out", 3), "fc_weight", {64, 100}));
  EXPECT_LE(out.maxAbs, std::sqrt(3.0 / 64));
  EXPECT_GT(out.maxAbs, 0.98 * std::sqrt(3.0 / 64));
}

TEST(Init, XavierFanForConvolution) {
  random::seed(4);
  // (16, 8, 3, 3): fan_in = 8 * 9 = 72, fan_out = 16 * 9 = 144.
  Shape conv = {16, 8, 3, 3};
  struct Case {
    std::string factor;
    double fan;
  } cases[] = {{"avg", 108}, {"in", 72}, {"out", 144}};
  for (const auto &c : cases) {
    double bound = std::sqrt(2.0 / c.fan);
    Stats s =
        stats(run(init::Xavier("uniform", c.factor, 2), "c_weight", conv));
    EXPECT_LE(s.maxAbs, bound) << c.factor;
    EXPECT_GT(s.maxAbs, 0.97 * bound) << c.factor;
  }
  // Gaussian: the standard deviation is the bound.
  Stats g =
      stats(run(init::Xavier("gaussian", "in", 2), "c_weight", {64, 32, 3, 3}));
  EXPECT_NEAR(g.std, std::sqrt(2.0 / 288), 0.02 * std::sqrt(2.0 / 288));
  EXPECT_NEAR(g.mean, 0, 0.002);
}

TEST(Init, XavierRejectsVectors) {
  NDArray v = zeros({5});
  std::string err = errorOf([&] { init::Xavier()("vec_weight", v); });
  EXPECT_EQ(err, "Xavier initializer cannot be applied to vector vec_weight. "
                 "It requires at least 2D.");
  // A 1-D bias is zeroed by the bias rule, not Xavier.
  expectAll(run(init::Xavier(), "fc_bias", {5}), 0, "bias");
  NDArray empty2d = zeros({0, 3});
  EXPECT_TRUE(contains(
      errorOf([&] { init::Xavier("uniform", "out")("e_weight", empty2d); }),
      "'e_weight' of shape (0, 3): its fan is zero"));
}

TEST(Init, MSRAPreluIsScaledGaussianXavier) {
  random::seed(5);
  // magnitude 2 / (1 + 0.25^2), factor avg of (256 + 128).
  double std0 = std::sqrt((2.0 / 1.0625) / 192.0);
  Stats s = stats(run(init::MSRAPrelu(), "fc_weight", {256, 128}));
  EXPECT_NEAR(s.std, std0, 0.02 * std0);
  EXPECT_NEAR(s.mean, 0, 0.002);
  double std1 = std::sqrt(2.0 / 128.0); // slope 0, factor in
  Stats t = stats(run(init::MSRAPrelu("in", 0), "fc_weight", {256, 128}));
  EXPECT_NEAR(t.std, std1, 0.02 * std1);
}

void expectScaledIdentity(const std::vector<double> &w, int64_t rows,
                          int64_t cols, bool rowsOrthonormal, double scale) {
  int64_t n = rowsOrthonormal ? rows : cols;
  for (int64_t a = 0; a < n; ++a)
    for (int64_t b = 0; b < n; ++b) {
      double dot = 0;
      int64_t len = rowsOrthonormal ? cols : rows;
      for (int64_t k = 0; k < len; ++k)
        dot += rowsOrthonormal ? w[a * cols + k] * w[b * cols + k]
                               : w[k * cols + a] * w[k * cols + b];
      EXPECT_NEAR(dot, a == b ? scale * scale : 0, 1e-5) << a << "," << b;
    }
}

TEST(Init, OrthogonalRowsOrColumns) {
  random::seed(6);
  // Wide: W W^T = scale^2 I.
  expectScaledIdentity(run(init::Orthogonal(), "w_weight", {4, 6}), 4, 6, true,
                       1.414);
  // Tall: W^T W = scale^2 I.
  expectScaledIdentity(run(init::Orthogonal(2.0, "normal"), "w_weight", {6, 4}),
                       6, 4, false, 2.0);
  // Square, and a kernel flattened to (out, in * k * k).
  expectScaledIdentity(run(init::Orthogonal(1), "w_weight", {5, 5}), 5, 5, true,
                       1.0);
  expectScaledIdentity(run(init::Orthogonal(0.5), "w_weight", {4, 2, 2, 2}), 4,
                       8, true, 0.5);
  // Different draws give different matrices.
  EXPECT_NE(run(init::Orthogonal(), "w_weight", {3, 3}),
            run(init::Orthogonal(), "w_weight", {3, 3}));
}

TEST(Init, BilinearKernels) {
  // test_init.py: test_bilinear_init.
  std::vector<double> w = run(init::Bilinear(), "up_weight", {1, 1, 4, 4});
  double k[4] = {0.25, 0.75, 0.75, 0.25};
  for (int y = 0; y < 4; ++y)
    for (int x = 0; x < 4; ++x)
      EXPECT_EQ(w[y * 4 + x], k[y] * k[x]);
  // Odd kernel 3: f = 2, c = 0.75; every channel pair gets the same kernel.
  std::vector<double> w3 = run(init::Bilinear(), "up_weight", {2, 1, 3, 3});
  double k3[3] = {0.25, 0.75, 0.75};
  for (int ch = 0; ch < 2; ++ch)
    for (int y = 0; y < 3; ++y)
      for (int x = 0; x < 3; ++x)
        EXPECT_EQ(w3[ch * 9 + y * 3 + x], k3[y] * k3[x]);
  NDArray flat = zeros({4, 4});
  EXPECT_TRUE(contains(errorOf([&] { init::Bilinear()("up_weight", flat); }),
                       "needs a 4-D (deconvolution) weight"));
}

TEST(Init, LSTMBiasSetsTheForgetGate) {
  init::LSTMBias lstm(2.0);
  NDArray b = full({8}, 9.0);
  lstm.init_weight(init::InitDesc("lstm_i2h_bias"), b);
  EXPECT_EQ(b.asvector<double>(),
            (std::vector<double>{0, 0, 2, 2, 0, 0, 0, 0}));
  // Through the name rules a bias would be zeroed; the parameter's own
  // initializer (the __init__ attribute) reaches init_weight instead.
  EXPECT_EQ(run(init::Zero(), "lstm_h2h_bias", {4, 2},
                {{"__init__", init::LSTMBias(1.5).dumps()}}),
            (std::vector<double>{0, 0, 1.5, 1.5, 0, 0, 0, 0}));
}

TEST(Init, FusedRNNUnpacksGateBlocks) {
  // LSTM, 1 layer, hidden 2, input 3: weights 4*(2*3) + 4*(2*2) = 40, then
  // biases i2h (i f c o) and h2h (i f c o), 2 each.
  init::FusedRNN fused(std::make_shared<init::Constant>(0.5), 2, 1, "lstm",
                       false, 1.0);
  NDArray params = full({56}, 9.0);
  fused.init_weight(init::InitDesc("lstm_parameters"), params);
  std::vector<double> v = params.asvector<double>();
  std::vector<double> expect(40, 0.5);
  for (int rep = 0; rep < 2; ++rep)
    for (double x : {0, 0, 1, 1, 0, 0, 0, 0})
      expect.push_back(x);
  EXPECT_EQ(v, expect);
  // Bidirectional GRU, 2 layers, hidden 2, input 3:
  // (3+2+2)*2*3*2 + 1*3*2*(2+4+2)*2 = 84 + 96 = 180; the global initializer
  // serves when `init` is null.
  init::FusedRNN gru(nullptr, 2, 2, "gru", true);
  NDArray p2 = full({180}, 9.0);
  gru.init_weight(
      init::InitDesc("gru_parameters", {}, std::make_shared<init::One>()), p2);
  std::vector<double> g = p2.asvector<double>();
  double sum = std::accumulate(g.begin(), g.end(), 0.0);
  // Weights (all but the last 2 layers * 2 dirs * 2 * 3 gates * 2 biases).
  EXPECT_EQ(sum, 180 - 48);
  NDArray bad = zeros({57});
  EXPECT_TRUE(
      contains(errorOf([&] { fused.init_weight(init::InitDesc("p"), bad); }),
               "invalid parameters size for FusedRNNCell"));
  EXPECT_TRUE(
      contains(errorOf([&] { gru.init_weight(init::InitDesc("p"), p2); }),
               "no initializer for the unpacked weights"));
  // From dumps through the __init__ attribute, as FusedRNNCell sets it.
  std::vector<double> viaAttr = run(init::Uniform(), "lstm_parameters", {56},
                                    {{"__init__", fused.dumps()}});
  EXPECT_EQ(viaAttr, expect);
}

TEST(Init, MixedFirstMatchFromTheStart) {
  init::Mixed mixed({"fc1_.*", ".*"}, {std::make_shared<init::Constant>(1),
                                       std::make_shared<init::Constant>(2)});
  expectAll(run(mixed, "fc1_weight", {2}), 1, "fc1");
  expectAll(run(mixed, "fc2_weight", {2}), 2, "fc2");
  // re.match anchors at the start only.
  expectAll(run(mixed, "xfc1_weight", {2}), 2, "xfc1");
  // The matched initializer applies its own name rules.
  expectAll(run(mixed, "fc1_bias", {2}), 0, "fc1 bias");
  init::Mixed only({"fc"}, {std::make_shared<init::Zero>()});
  NDArray a = zeros({2});
  std::string err = errorOf([&] { only("conv_weight", a); });
  EXPECT_TRUE(contains(err, "Parameter name conv_weight did not match any "
                            "pattern"))
      << err;
}

TEST(Init, LoadFromMap) {
  std::map<std::string, NDArray> params = {
      {"arg:fc_weight", array({1, 2, 3, 4}, {2, 2})},
      {"aux:bn_moving_mean", array({5, 6})},
      {"plain_bias", array({7, 8})}};
  init::Load load(params, std::make_shared<init::Constant>(3));
  EXPECT_EQ(run(load, "fc_weight", {2, 2}), (std::vector<double>{1, 2, 3, 4}));
  EXPECT_EQ(run(load, "bn_moving_mean", {2}), (std::vector<double>{5, 6}));
  EXPECT_EQ(run(load, "plain_bias", {2}), (std::vector<double>{7, 8}));
  expectAll(run(load, "other_weight", {3}), 3, "default");
  expectAll(run(load, "other_bias", {3}), 0, "default's name rule");
  NDArray wrong = zeros({3, 2});
  EXPECT_EQ(errorOf([&] { load("fc_weight", wrong); }),
            "Parameter fc_weight cannot be initialized from loading. Shape "
            "mismatch, target (3, 2) vs loaded (2, 2)");
  init::Load strict(params);
  NDArray x = zeros({3});
  EXPECT_EQ(errorOf([&] { strict("missing_weight", x); }),
            "Cannot Initialize missing_weight. Not found in loaded param and "
            "no default Initializer is provided.");
  EXPECT_TRUE(contains(errorOf([&] { strict.dumps(); }), "only a Load made "
                                                         "from a file"));
}

TEST(Init, LoadFromParamsFile) {
  std::string path = testing::TempDir() + "init_load_test.params";
  save(path, std::map<std::string, NDArray>{
                 {"arg:conv_weight", array({1, 2, 3, 4, 5, 6}, {1, 1, 2, 3})},
                 {"aux:bn_moving_var", array({0.5, 0.25})}});
  init::Load load(path);
  EXPECT_EQ(run(load, "conv_weight", {1, 1, 2, 3}),
            (std::vector<double>{1, 2, 3, 4, 5, 6}));
  EXPECT_EQ(run(load, "bn_moving_var", {2}), (std::vector<double>{0.5, 0.25}));
  std::string d = load.dumps();
  EXPECT_EQ(d, "[\"load\", {\"param\": \"" + path +
                   "\", \"default_init\": null, \"verbose\": false}]");
  EXPECT_EQ(run(*init::create(d), "conv_weight", {1, 1, 2, 3}),
            (std::vector<double>{1, 2, 3, 4, 5, 6}));
  std::remove(path.c_str());
  EXPECT_TRUE(contains(errorOf([&] { init::Load("/nonexistent/x.params"); }),
                       "/nonexistent/x.params"));
}

TEST(Init, SeedMakesInitializationReproducible) {
  auto draw = [](uint64_t seed) {
    random::seed(seed);
    std::vector<double> a = run(init::Xavier(), "w_weight", {20, 30});
    std::vector<double> b = run(init::Normal(1), "w_weight", {10});
    std::vector<double> c = run(init::Orthogonal(), "w_weight", {4, 4});
    a.insert(a.end(), b.begin(), b.end());
    a.insert(a.end(), c.begin(), c.end());
    return a;
  };
  EXPECT_EQ(draw(42), draw(42));
  EXPECT_NE(draw(42), draw(43));
}

TEST(Init, VerbosityReportsEachArray) {
  std::vector<std::string> seen;
  init::Constant c(2);
  c.set_verbosity(true, [&](const NDArray &x) {
    seen.push_back(std::to_string(x.size()));
    return std::string("stat");
  });
  run(c, "fc_weight", {2, 3});
  run(c, "fc_bias", {3});
  EXPECT_EQ(seen, (std::vector<std::string>{"6", "3"}));
  c.set_verbosity(false);
  run(c, "fc_weight", {2});
  EXPECT_EQ(seen.size(), 2u);
}

TEST(Init, ErrorsNameTheParameter) {
  NDArray empty;
  EXPECT_TRUE(contains(errorOf([&] { init::Zero()("fc_weight", empty); }),
                       "'fc_weight'"));
  NDArray a = zeros({3});
  EXPECT_TRUE(contains(errorOf([&] { init::Uniform(-1)("u_weight", a); }),
                       "uniform: cannot initialize 'u_weight': scale must be "
                       "non-negative"));
  NDArray scalar = zeros({});
  EXPECT_TRUE(contains(errorOf([&] { init::Orthogonal()("o_weight", scalar); }),
                       "orthogonal: cannot initialize 'o_weight'"));
}

// The example of docs/init.md, verbatim, plus the checks its comments state.
TEST(Init, DocExample) {
  nd::random::seed(0); // reproducible draws
  auto xavier = std::make_shared<init::Xavier>("gaussian", "in", 2);
  nd::NDArray w = nd::zeros({64, 3, 3, 3}), b = nd::zeros({64});
  (*xavier)("conv1_weight", w); // normal, std sqrt(2 / 27)
  (*xavier)("conv1_bias", b);   // zeros: the "bias" rule

  std::string s = xavier->dumps();
  // ["xavier", {"rnd_type": "gaussian", "factor_type": "in", "magnitude": 2}]
  init::InitializerPtr same = init::create(s); // *same == *xavier

  // A parameter's own initializer (MXNet's __init__ attribute) wins.
  nd::NDArray alpha = nd::zeros({64});
  (*xavier)(init::InitDesc("prelu_alpha",
                           {{"__init__", init::Constant(0.25).dumps()}}),
            alpha); // all 0.25

  // The first pattern matching the name from its start picks the
  // initializer.
  init::Mixed mixed({"fc_.*", ".*"},
                    {std::make_shared<init::Normal>(0.01), xavier});
  nd::NDArray fc = nd::zeros({10, 64});
  mixed("fc_weight", fc); // Normal(0.01)

  Stats ws = stats(w.asvector<double>());
  EXPECT_NEAR(ws.std, std::sqrt(2.0 / 27), 0.03 * std::sqrt(2.0 / 27));
  expectAll(b.asvector<double>(), 0, "bias");
  EXPECT_EQ(s, "[\"xavier\", {\"rnd_type\": \"gaussian\", \"factor_type\": "
               "\"in\", \"magnitude\": 2}]");
  EXPECT_TRUE(*same == *xavier);
  expectAll(alpha.asvector<double>(), 0.25, "alpha");
  Stats fs = stats(fc.asvector<double>());
  EXPECT_LT(fs.maxAbs, 0.06);
  EXPECT_NEAR(fs.std, 0.01, 0.002);
}

// Truncated or corrupted dumps() strings fail with mxjit::Error, never with
// another exception or a crash.
TEST(Init, CreateNeverCrashesOnBadInput) {
  std::vector<std::string> good = {
      init::Xavier("gaussian", "in", 2).dumps(),
      init::Constant(array({1, 2, 3, 4}, {2, 2})).dumps(),
      init::FusedRNN(std::make_shared<init::Normal>(0.5), 4, 2, "lstm").dumps(),
      "[\"constant\", {\"value\": \"\\u00e9\\ud83d\\ude00\"}]"};
  int errors = 0;
  for (const std::string &d : good)
    for (size_t cut = 0; cut < d.size(); ++cut)
      for (const std::string &bad :
           {d.substr(0, cut), d.substr(0, cut) + "}" + d.substr(cut + 1),
            d.substr(0, cut) + "\\" + d.substr(cut)}) {
        try {
          init::create(bad);
        } catch (const Error &) {
          ++errors;
        } catch (...) {
          ADD_FAILURE() << "not an mxjit::Error for: " << bad;
        }
      }
  EXPECT_GT(errors, 100);
}

} // namespace
