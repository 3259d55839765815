//===- OptimizerTest.cpp - optimizer and lr_scheduler (test_optimizer) ----===//
//
// Each optimizer over several steps against a plain double-precision
// reference of MXNet's update kernel, with weight decay, gradient rescaling
// and clipping; multipliers, update counts, the registry, and schedules.
//
//===----------------------------------------------------------------------===//

#include "mxjit/optimizer.h"
#include "mxjit/autograd.h"
#include "mxjit/gluon/loss.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <cmath>
#include <functional>

using namespace mxjit;
using mxjit::gluontest::errorOf;
using namespace mxjit::nd;
using namespace mxjit::optimizer;
using namespace mxjit::lr_scheduler;

namespace {

using Vec = std::vector<double>;

void expectNear(const NDArray &a, const Vec &expected, double tol = 1e-9) {
  Vec v = a.asvector<double>();
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol * (1 + std::fabs(expected[i])))
        << "element " << i;
}

NDArray f64(const Vec &v) { return array(v, {}, cpu(), DType::Float64); }

const Vec kWeight = {0.5, -1.25, 2.0, 0.0, -0.75, 1.5};

/// The gradient at step k: large enough that clipping at 1 matters.
Vec gradAt(int k) {
  Vec g;
  for (size_t i = 0; i < kWeight.size(); ++i)
    g.push_back(3.0 * std::sin(static_cast<double>(i) + 0.7 * k));
  return g;
}

double clipTo(double x, double c) { return c > 0 ? std::clamp(x, -c, c) : x; }

/// Runs `steps` updates of parameter 0 and returns the weight.
NDArray run(Optimizer &opt, int steps) {
  NDArray w = f64(kWeight);
  State s = opt.create_state(0, w);
  for (int k = 0; k < steps; ++k)
    opt.update(0, w, f64(gradAt(k)), s);
  return w;
}

OptimizerParams common(double lr, double wd, double rescale, double clip) {
  OptimizerParams p;
  p.learning_rate = lr;
  p.wd = wd;
  p.rescale_grad = rescale;
  if (clip > 0)
    p.clip_gradient = clip;
  return p;
}

struct Case {
  double lr, wd, rescale, clip;
};
const Case kCases[] = {
    {0.1, 0.0, 1.0, 0.0}, {0.05, 0.01, 0.5, 0.0}, {0.2, 0.1, 2.0, 1.0}};

// sgd_update / sgd_mom_update.
Vec sgdRef(const Case &c, double momentum, int steps) {
  Vec w = kWeight, mom(w.size(), 0.0);
  for (int k = 0; k < steps; ++k) {
    Vec g = gradAt(k);
    for (size_t i = 0; i < w.size(); ++i) {
      double gi = clipTo(c.rescale * g[i], c.clip) + c.wd * w[i];
      if (momentum == 0) {
        w[i] -= c.lr * gi;
      } else {
        mom[i] = momentum * mom[i] - c.lr * gi;
        w[i] += mom[i];
      }
    }
  }
  return w;
}

TEST(Optimizer, SGDMatchesReference) {
  for (const Case &c : kCases)
    for (double momentum : {0.0, 0.9}) {
      SGD sgd(momentum, common(c.lr, c.wd, c.rescale, c.clip));
      SCOPED_TRACE("momentum " + std::to_string(momentum) + " lr " +
                   std::to_string(c.lr));
      expectNear(run(sgd, 5), sgdRef(c, momentum, 5));
      EXPECT_EQ(sgd.update_count(0), 5);
      EXPECT_EQ(sgd.num_update(), 5);
    }
}

TEST(Optimizer, SGDStateIsMomentumOnlyWhenNeeded) {
  NDArray w = f64(kWeight);
  EXPECT_TRUE(SGD().create_state(0, w).empty());
  State s = SGD(0.9).create_state(0, w);
  ASSERT_EQ(s.size(), 1u);
  EXPECT_EQ(s[0].shape(), w.shape());
  EXPECT_EQ(s[0].dtype(), DType::Float64);
  expectNear(s[0], Vec(6, 0.0));
}

TEST(Optimizer, NAGMatchesNesterovReference) {
  for (const Case &c : kCases) {
    NAG nag(0.9, common(c.lr, c.wd, c.rescale, c.clip));
    // The textbook form with an unscaled velocity (MXNet 1.x's Python
    // NAG), equal to nag_mom_update's at a constant rate.
    Vec w = kWeight, v(w.size(), 0.0);
    for (int k = 0; k < 5; ++k) {
      Vec g = gradAt(k);
      for (size_t i = 0; i < w.size(); ++i) {
        double gi = clipTo(c.rescale * g[i], c.clip) + c.wd * w[i];
        v[i] = 0.9 * v[i] + gi;
        w[i] -= c.lr * (gi + 0.9 * v[i]);
      }
    }
    expectNear(run(nag, 5), w);
  }
  // Without momentum NAG is plain SGD.
  NAG plain(0.0, common(0.1, 0.01, 1.0, 0.0));
  expectNear(run(plain, 3), sgdRef({0.1, 0.01, 1.0, 0.0}, 0.0, 3));
}

Vec adamRef(const Case &c, int steps, double b1 = 0.9, double b2 = 0.999,
            double eps = 1e-8) {
  Vec w = kWeight, m(w.size(), 0.0), v(w.size(), 0.0);
  for (int k = 0; k < steps; ++k) {
    Vec g = gradAt(k);
    double t = k + 1;
    double lr = c.lr * std::sqrt(1 - std::pow(b2, t)) / (1 - std::pow(b1, t));
    for (size_t i = 0; i < w.size(); ++i) {
      double gi = clipTo(c.rescale * g[i] + c.wd * w[i], c.clip);
      m[i] = b1 * m[i] + (1 - b1) * gi;
      v[i] = b2 * v[i] + (1 - b2) * gi * gi;
      w[i] -= lr * m[i] / (std::sqrt(v[i]) + eps);
    }
  }
  return w;
}

TEST(Optimizer, AdamMatchesReferenceWithBiasCorrection) {
  for (const Case &c : kCases) {
    Adam adam(0.9, 0.999, 1e-8, common(c.lr, c.wd, c.rescale, c.clip));
    expectNear(run(adam, 6), adamRef(c, 6));
  }
  Adam custom(0.8, 0.99, 1e-3, common(0.01, 0.0, 1.0, 0.0));
  expectNear(run(custom, 4), adamRef({0.01, 0, 1, 0}, 4, 0.8, 0.99, 1e-3));
  // The default rate is 0.001.
  EXPECT_DOUBLE_EQ(Adam().learning_rate(), 0.001);
}

Vec rmspropRef(const Case &c, int steps, bool centered, double clipWeights) {
  const double g1 = 0.9, g2 = 0.9, eps = 1e-8;
  Vec w = kWeight, n(w.size(), 0.0), m(w.size(), 0.0), d(w.size(), 0.0);
  for (int k = 0; k < steps; ++k) {
    Vec g = gradAt(k);
    for (size_t i = 0; i < w.size(); ++i) {
      double gi = clipTo(c.rescale * g[i] + c.wd * w[i], c.clip);
      n[i] = (1 - g1) * gi * gi + g1 * n[i];
      if (!centered) {
        w[i] -= c.lr * gi / std::sqrt(n[i] + eps);
      } else {
        m[i] = (1 - g1) * gi + g1 * m[i];
        d[i] = g2 * d[i] - c.lr * gi / std::sqrt(n[i] - m[i] * m[i] + eps);
        w[i] += d[i];
      }
      w[i] = clipTo(w[i], clipWeights);
    }
  }
  return w;
}

TEST(Optimizer, RMSPropPlainCenteredAndClipWeights) {
  for (const Case &c : kCases)
    for (bool centered : {false, true})
      for (double cw : {0.0, 1.0}) {
        SCOPED_TRACE(std::string(centered ? "centered" : "plain") +
                     " clip_weights " + std::to_string(cw));
        RMSProp opt(0.9, 0.9, 1e-8, centered,
                    cw > 0 ? std::optional<double>(cw) : std::nullopt,
                    common(c.lr, c.wd, c.rescale, c.clip));
        EXPECT_EQ(opt.create_state(0, f64(kWeight)).size(), centered ? 3u : 1u);
        expectNear(run(opt, 5), rmspropRef(c, 5, centered, cw));
      }
}

TEST(Optimizer, AdaGradAdaDeltaAdamaxMatchReferences) {
  for (const Case &c : kCases) {
    SCOPED_TRACE("lr " + std::to_string(c.lr));
    Vec w = kWeight, h(w.size(), 0.0);
    for (int k = 0; k < 5; ++k) {
      Vec g = gradAt(k);
      for (size_t i = 0; i < w.size(); ++i) {
        double gi = clipTo(c.rescale * g[i], c.clip);
        h[i] += gi * gi;
        w[i] -= c.lr * (gi / std::sqrt(h[i] + 1e-7) + c.wd * w[i]);
      }
    }
    AdaGrad adagrad(1e-7, common(c.lr, c.wd, c.rescale, c.clip));
    expectNear(run(adagrad, 5), w);

    Vec wd = kWeight, accG(w.size(), 0.0), accD(w.size(), 0.0);
    for (int k = 0; k < 5; ++k) {
      Vec g = gradAt(k);
      for (size_t i = 0; i < wd.size(); ++i) {
        double gi = clipTo(c.rescale * g[i], c.clip);
        accG[i] = 0.9 * accG[i] + 0.1 * gi * gi;
        double d = std::sqrt(accD[i] + 1e-5) / std::sqrt(accG[i] + 1e-5) * gi;
        accD[i] = 0.9 * accD[i] + 0.1 * d * d;
        wd[i] -= d + c.wd * wd[i];
      }
    }
    AdaDelta adadelta(0.9, 1e-5, common(c.lr, c.wd, c.rescale, c.clip));
    expectNear(run(adadelta, 5), wd);

    // Adamax divides by max|g| so far: a zero first gradient would give
    // 0/0 there, as in MXNet; this run's gradients are shifted off zero.
    Vec wm = kWeight, m(w.size(), 0.0), u(w.size(), 0.0);
    Adamax adamax(0.9, 0.999, common(c.lr, c.wd, c.rescale, c.clip));
    NDArray weight = f64(kWeight);
    State st = adamax.create_state(0, weight);
    for (int k = 0; k < 5; ++k) {
      Vec g = gradAt(k);
      for (double &v : g)
        v += 0.5;
      double lr = c.lr / (1 - std::pow(0.9, k + 1));
      for (size_t i = 0; i < wm.size(); ++i) {
        double gi = clipTo(c.rescale * g[i] + c.wd * wm[i], c.clip);
        m[i] = 0.9 * m[i] + 0.1 * gi;
        u[i] = std::max(0.999 * u[i], std::fabs(gi));
        wm[i] -= lr * m[i] / u[i];
      }
      adamax.update(0, weight, f64(g), st);
    }
    expectNear(weight, wm);
  }
  EXPECT_DOUBLE_EQ(Adamax().learning_rate(), 0.002);
  EXPECT_EQ(create("AdaGrad", {{"eps", 1e-6}})->name(), "adagrad");
  EXPECT_EQ(create("adadelta", {{"rho", 0.95}})->name(), "adadelta");
  EXPECT_EQ(create("adamax", {{"beta2", 0.99}})->name(), "adamax");
}

TEST(Optimizer, UpdateIsInPlaceForEveryHandle) {
  SGD sgd(0.0, common(0.5, 0.0, 1.0, 0.0));
  NDArray w = f64({1, 2});
  NDArray alias = w; // a Parameter's handle, say
  NDArray before = w.copy();
  State s;
  sgd.update(0, w, f64({1, -1}), s);
  expectNear(alias, {0.5, 2.5});
  expectNear(before, {1, 2});
}

TEST(Optimizer, LrAndWdMultipliersByIndexNameAndParam) {
  OptimizerParams p = common(0.1, 0.5, 1.0, 0.0);
  p.param_idx2name = {{0, "fc_weight"}, {1, "fc_bias"}, {2, "bn_gamma"}};
  SGD sgd(0.0, p);
  // Names not ending in _weight/_gamma get no weight decay by default.
  EXPECT_DOUBLE_EQ(sgd.wd_for(0), 0.5);
  EXPECT_DOUBLE_EQ(sgd.wd_for(1), 0.0);
  EXPECT_DOUBLE_EQ(sgd.wd_for(2), 0.5);
  EXPECT_DOUBLE_EQ(sgd.wd_for(7), 0.5); // unnamed
  sgd.set_lr_mult({{"fc_weight", 2.0}}, {{2, 3.0}});
  EXPECT_DOUBLE_EQ(sgd.lr_for(0), 0.2);
  EXPECT_DOUBLE_EQ(sgd.lr_for(1), 0.1);
  EXPECT_DOUBLE_EQ(sgd.lr_for(2), 0.30000000000000004);
  sgd.set_wd_mult({{"fc_bias", 1.0}});
  EXPECT_DOUBLE_EQ(sgd.wd_for(1), 0.5);
  // Index keys win over names; a parameter's own multipliers win over both.
  sgd.set_lr_mult({{"fc_weight", 2.0}}, {{0, 4.0}});
  EXPECT_DOUBLE_EQ(sgd.lr_for(0), 0.4);
  sgd.set_param_mult(0, 0.5, 0.0);
  EXPECT_DOUBLE_EQ(sgd.lr_for(0), 0.05);
  EXPECT_DOUBLE_EQ(sgd.wd_for(0), 0.0);
  // The multipliers reach the update: lr 0.05, no decay.
  NDArray w = f64({1, 1});
  State s;
  sgd.update(0, w, f64({1, 2}), s);
  expectNear(w, {0.95, 0.9});
}

TEST(Optimizer, CountsPerIndexAndBeginNumUpdate) {
  OptimizerParams p = common(0.1, 0.0, 1.0, 0.0);
  p.begin_num_update = 10;
  SGD sgd(0.0, p);
  NDArray a = f64({1}), b = f64({1});
  State s;
  EXPECT_EQ(sgd.update_count(0), 10);
  sgd.update(0, a, f64({1}), s);
  sgd.update(0, a, f64({1}), s);
  sgd.update(1, b, f64({1}), s);
  EXPECT_EQ(sgd.update_count(0), 12);
  EXPECT_EQ(sgd.update_count(1), 11);
  EXPECT_EQ(sgd.num_update(), 12);
}

TEST(Optimizer, SchedulerDrivesTheRatePerStep) {
  OptimizerParams p;
  p.lr_scheduler = std::make_shared<FactorScheduler>(2, 0.5, 1e-8, 1.0);
  SGD sgd(0.0, p);
  EXPECT_DOUBLE_EQ(sgd.learning_rate(), 1.0);
  EXPECT_NE(errorOf([&] { sgd.set_learning_rate(0.1); }).find("lr_scheduler"),
            std::string::npos);
  // Rates at num_update 1..5: 1, 1, 0.5, 0.5, 0.25; grad 1 each step.
  NDArray w = f64({0});
  State s;
  for (int k = 0; k < 5; ++k)
    sgd.update(0, w, f64({1}), s);
  expectNear(w, {-(1 + 1 + 0.5 + 0.5 + 0.25)});
  // A learning_rate given with a scheduler becomes its base rate.
  OptimizerParams q;
  q.learning_rate = 0.3;
  q.lr_scheduler = std::make_shared<FactorScheduler>(100, 0.5);
  SGD other(0.0, q);
  EXPECT_DOUBLE_EQ(q.lr_scheduler->base_lr(), 0.3);
  EXPECT_DOUBLE_EQ(other.learning_rate(), 0.3);
}

TEST(Optimizer, CreateByNameMatchesDirectConstruction) {
  auto opt = create("SGD", {{"learning_rate", 0.2},
                            {"wd", 0.1},
                            {"rescale_grad", 2.0},
                            {"clip_gradient", 1.0},
                            {"momentum", 0.9},
                            {"lazy_update", 1}});
  EXPECT_EQ(opt->name(), "sgd");
  expectNear(run(*opt, 4), sgdRef(kCases[2], 0.9, 4));
  auto adam = create("adam", {{"learning_rate", 0.05}, {"beta1", 0.8}});
  expectNear(run(*adam, 3), adamRef({0.05, 0, 1, 0}, 3, 0.8));
  auto rms = create("rmsprop", {{"learning_rate", 0.1}, {"centered", 1}});
  expectNear(run(*rms, 3), rmspropRef({0.1, 0, 1, 0}, 3, true, 0));
  EXPECT_EQ(create("nag", {{"momentum", 0.5}})->name(), "nag");
  auto sched = std::make_shared<CosineScheduler>(10, 0.5);
  auto withSched = create("sgd", {}, sched, {{0, "w_weight"}, {1, "b"}});
  EXPECT_DOUBLE_EQ(withSched->learning_rate(), 0.5);
  EXPECT_DOUBLE_EQ(withSched->wd_for(1), 0.0);
  std::vector<std::string> names = registered();
  for (const char *n : {"adam", "nag", "rmsprop", "sgd"})
    EXPECT_NE(std::find(names.begin(), names.end(), n), names.end()) << n;
}

TEST(Optimizer, RegisterCustomOptimizer) {
  // A sign-SGD: steps of fixed size in the gradient's direction.
  struct SignSGD : Optimizer {
    explicit SignSGD(const OptimizerParams &p) : Optimizer(p, 0.1) {}
    std::string name() const override { return "signsgd"; }
    void update(int64_t index, NDArray &weight, const NDArray &grad,
                State &state) override {
      checkArgs(weight, grad, state, 0);
      countUpdate(index);
      weight -= sign(grad) * lr_for(index);
    }
  };
  register_optimizer("SignSGD", [](const Kwargs &, const OptimizerParams &p) {
    return std::make_unique<SignSGD>(p);
  });
  auto opt = create("signsgd");
  NDArray w = f64({0, 0});
  State s;
  opt->update(0, w, f64({3, -0.01}), s);
  expectNear(w, {-0.1, 0.1});
}

TEST(Optimizer, BadInputsThrowNamingTheArgument) {
  EXPECT_NE(errorOf([] { create("adagradx"); }).find("adagradx"),
            std::string::npos);
  EXPECT_NE(errorOf([] { create("sgd", {{"beta1", 0.9}}); }).find("beta1"),
            std::string::npos);
  SGD sgd(0.9);
  NDArray w = f64({1, 2, 3});
  State s = sgd.create_state(0, w);
  EXPECT_NE(errorOf([&] { sgd.update(0, w, f64({1, 2}), s); }).find("grad"),
            std::string::npos);
  State none;
  EXPECT_NE(
      errorOf([&] { sgd.update(0, w, f64({1, 2, 3}), none); }).find("state"),
      std::string::npos);
  EXPECT_NE(errorOf([] { Adam(1.5); }).find("beta1"), std::string::npos);
  // A failed update counts nothing.
  EXPECT_EQ(sgd.num_update(), 0);
}

TEST(Optimizer, StepsCompileOnceWhileTheRateChanges) {
  // Adam's bias-corrected rate and a schedule's rate change every step;
  // they enter the update as arrays, so only the first step compiles.
  OptimizerParams p;
  p.lr_scheduler = std::make_shared<FactorScheduler>(1, 0.5, 1e-8, 0.1);
  p.rescale_grad = 0.5;
  std::vector<std::unique_ptr<Optimizer>> opts;
  opts.push_back(std::make_unique<Adam>(0.9, 0.999, 1e-8, p));
  opts.push_back(std::make_unique<SGD>(0.9, p));
  for (auto &opt : opts) {
    NDArray w = ones({4, 3});
    State s = opt->create_state(0, w);
    uint64_t missesAfterFirst = 0;
    for (int k = 0; k < 4; ++k) {
      NDArray g = array(Vec(12, 0.25 * (k + 1)), {4, 3});
      g.wait_to_read();
      opt->set_rescale_grad(1.0 / (k + 1));
      opt->update(0, w, g, s);
      w.wait_to_read();
      for (NDArray &x : s)
        x.wait_to_read();
      if (k == 0)
        missesAfterFirst = cache_info().misses;
    }
    EXPECT_EQ(cache_info().misses, missesAfterFirst) << opt->name();
  }
}

TEST(Optimizer, Float32WeightsKeepTheirDtype) {
  const Case c = kCases[1];
  SGD sgd(0.9, common(c.lr, c.wd, c.rescale, c.clip));
  NDArray w = array(kWeight);
  State s = sgd.create_state(0, w);
  for (int k = 0; k < 5; ++k)
    sgd.update(0, w, array(gradAt(k)), s);
  EXPECT_EQ(w.dtype(), DType::Float32);
  EXPECT_EQ(s[0].dtype(), DType::Float32);
  expectNear(w, sgdRef(c, 0.9, 5), 1e-5);
}

// docs/gluon-training.md's example: the loss falls as SGD trains.
TEST(Optimizer, DocExampleTrainsSoftmaxRegression) {
  random::seed(7);
  NDArray w = random::normal(0, 0.1, {4, 3});
  NDArray x = random::normal(0, 1, {8, 4});
  NDArray y = array({0, 1, 2, 0, 1, 2, 0, 1});
  w.attach_grad();
  gluon::loss::SoftmaxCrossEntropyLoss lossFn;
  auto opt =
      create("sgd", {{"learning_rate", 0.1}, {"momentum", 0.9}, {"wd", 1e-4}});
  State state = opt->create_state(0, w);
  std::vector<double> means;
  for (int step = 0; step < 10; ++step) {
    {
      auto scope = autograd::record();
      NDArray loss = lossFn(dot(x, w), y);
      loss.backward();
      means.push_back(mean(loss).asscalar());
    }
    opt->set_rescale_grad(1.0 / 8);
    opt->update(0, w, w.grad(), state);
  }
  EXPECT_LT(means.back(), means.front() - 0.1);
  EXPECT_EQ(opt->num_update(), 10);
}

TEST(LRScheduler, FactorDecaysEveryStepWithFloor) {
  FactorScheduler s(3, 0.5, 0.1, 1.0);
  Vec expected = {1, 1, 1, 1, 0.5, 0.5, 0.5, 0.25, 0.25, 0.25, 0.125};
  for (int n = 0; n <= 10; ++n)
    EXPECT_DOUBLE_EQ(s(n), expected[n]) << "num_update " << n;
  EXPECT_DOUBLE_EQ(s(100), 0.1); // stop_factor_lr
  // Jumping ahead applies every missed decay at once.
  FactorScheduler late(3, 0.5, 1e-8, 1.0);
  EXPECT_DOUBLE_EQ(late(10), 0.125);
}

TEST(LRScheduler, WarmupLinearAndConstant) {
  FactorScheduler lin(10, 0.5, 1e-8, 1.0, 4, 0.2);
  EXPECT_DOUBLE_EQ(lin(0), 0.2);
  EXPECT_DOUBLE_EQ(lin(1), 0.4);
  EXPECT_DOUBLE_EQ(lin(3), 0.8);
  EXPECT_DOUBLE_EQ(lin(4), 1.0);
  EXPECT_DOUBLE_EQ(lin(11), 0.5);
  MultiFactorScheduler cst({5}, 0.1, 1.0, 3, 0.05, "constant");
  EXPECT_DOUBLE_EQ(cst(0), 0.05);
  EXPECT_DOUBLE_EQ(cst(2), 0.05);
  EXPECT_DOUBLE_EQ(cst(3), 1.0);
  EXPECT_DOUBLE_EQ(cst(6), 0.1);
}

TEST(LRScheduler, MultiFactorAtEachStep) {
  MultiFactorScheduler s({2, 5, 7}, 0.1, 1.0);
  Vec expected = {1, 1, 1, 0.1, 0.1, 0.1, 0.01, 0.01, 0.001, 0.001};
  for (int n = 0; n < 10; ++n)
    EXPECT_NEAR(s(n), expected[n], 1e-15) << "num_update " << n;
}

TEST(LRScheduler, PolyAndCosine) {
  PolyScheduler poly(10, 1.0, 2, 0.1, 2, 0.0);
  EXPECT_DOUBLE_EQ(poly(1), 0.5); // warmup halfway
  EXPECT_DOUBLE_EQ(poly(2), 1.0);
  EXPECT_DOUBLE_EQ(poly(6), 0.1 + 0.9 * 0.25); // (1 - 4/8)^2
  EXPECT_DOUBLE_EQ(poly(10), 0.1);
  EXPECT_DOUBLE_EQ(poly(50), 0.1);
  CosineScheduler cos(8, 2.0, 0.0);
  EXPECT_DOUBLE_EQ(cos(0), 2.0);
  EXPECT_NEAR(cos(2), 1.0 * (1 + std::cos(M_PI / 4)), 1e-15);
  EXPECT_NEAR(cos(4), 1.0, 1e-15);
  EXPECT_NEAR(cos(8), 0.0, 1e-15);
  EXPECT_DOUBLE_EQ(cos(9), 0.0);
  // The optimizer's learning_rate moves Poly/Cosine's start too.
  cos.set_base_lr(4.0);
  EXPECT_NEAR(cos(4), 2.0, 1e-15);
}

TEST(LRScheduler, BadArgumentsThrow) {
  EXPECT_NE(errorOf([] { FactorScheduler(0); }).find("step"),
            std::string::npos);
  EXPECT_NE(errorOf([] { FactorScheduler(1, 2.0); }).find("factor"),
            std::string::npos);
  EXPECT_NE(errorOf([] { MultiFactorScheduler({3, 2}); }).find("increasing"),
            std::string::npos);
  EXPECT_NE(errorOf([] { PolyScheduler(0); }).find("max_update"),
            std::string::npos);
  EXPECT_NE(errorOf([] { CosineScheduler(5, 0.1, 0, 5); }).find("warmup"),
            std::string::npos);
  EXPECT_NE(errorOf([] {
              FactorScheduler(1, 1, 1e-8, 0.1, 2, 0.5);
            }).find("warmup_begin_lr"),
            std::string::npos);
  EXPECT_NE(errorOf([] {
              FactorScheduler(1, 1, 1e-8, 0.1, 2, 0, "cubic");
            }).find("warmup_mode"),
            std::string::npos);
}

} // namespace
