//===- LossTest.cpp - gluon::loss (MXNet test_loss semantics) -------------===//
//
// Each loss against a plain double-precision reference of MXNet's formula,
// and its gradient through autograd against the closed form.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/loss.h"
#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using mxjit::gluontest::errorOf;
using namespace mxjit::nd;
using namespace mxjit::gluon::loss;

namespace {

void expectNear(const NDArray &a, const std::vector<double> &expected,
                double tol = 1e-5) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol * (1 + std::fabs(expected[i])))
        << "element " << i;
}

NDArray f64(const std::vector<double> &v, Shape s = {}) {
  return array(v, std::move(s), cpu(), DType::Float64);
}

/// Per-row mean of f(pred[i], label[i]) over a (rows, cols) layout.
std::vector<double> rowMean(const std::vector<double> &p,
                            const std::vector<double> &l, int rows,
                            const std::function<double(double, double)> &f) {
  int cols = static_cast<int>(p.size()) / rows;
  std::vector<double> out(rows, 0.0);
  for (int r = 0; r < rows; ++r) {
    for (int c = 0; c < cols; ++c)
      out[r] += f(p[r * cols + c], l[r * cols + c]);
    out[r] /= cols;
  }
  return out;
}

/// d sum(loss(pred)) / d pred through autograd.
NDArray gradOf(const Loss &loss, NDArray pred, const NDArray &label,
               const NDArray &sample_weight = {}) {
  pred.attach_grad();
  {
    auto scope = autograd::record();
    NDArray l = loss(pred, label, sample_weight);
    l.backward();
  }
  return pred.grad();
}

const std::vector<double> kPred = {0.5, -1.0, 2.0, 1.5, 0.0, -0.25};
const std::vector<double> kLabel = {1.0, -0.5, 1.0, 0.0, 0.5, -1.0};

double sq(double x) { return x * x; }

TEST(Loss, L2MatchesHalfSquaredErrorPerSample) {
  NDArray out = L2Loss()(f64(kPred, {2, 3}), f64(kLabel, {2, 3}));
  EXPECT_EQ(out.shape(), (Shape{2}));
  expectNear(out, rowMean(kPred, kLabel, 2,
                          [](double p, double l) { return 0.5 * sq(p - l); }));
}

TEST(Loss, L2ReshapesLabelAndAppliesBothWeights) {
  // weight 3 (halved as MXNet), label flat, sample_weight per row.
  NDArray out =
      L2Loss(3.0)(f64(kPred, {2, 3}), f64(kLabel), f64({2.0, 0.5}, {2, 1}));
  std::vector<double> ref = rowMean(
      kPred, kLabel, 2, [](double p, double l) { return 1.5 * sq(p - l); });
  expectNear(out, {ref[0] * 2.0, ref[1] * 0.5});
}

TEST(Loss, L1AndBatchAxis) {
  NDArray out = L1Loss()(f64(kPred, {2, 3}), f64(kLabel, {2, 3}));
  expectNear(out, rowMean(kPred, kLabel, 2,
                          [](double p, double l) { return std::fabs(p - l); }));
  // batch_axis 1 on a (3, 2) layout: the mean runs down each column.
  NDArray t = L1Loss(2.0, 1)(f64(kPred, {3, 2}), f64(kLabel, {3, 2}));
  EXPECT_EQ(t.shape(), (Shape{2}));
  std::vector<double> ref(2, 0.0);
  for (int i = 0; i < 6; ++i)
    ref[i % 2] += 2.0 * std::fabs(kPred[i] - kLabel[i]) / 3;
  expectNear(t, ref);
}

TEST(Loss, OneDimensionalLossIsPerSampleAlready) {
  NDArray out = L1Loss()(f64({1, 2, 3}), f64({0, 0, 5}));
  EXPECT_EQ(out.shape(), (Shape{3}));
  expectNear(out, {1, 2, 2});
}

TEST(Loss, L2GradientIsScaledResidual) {
  NDArray g = gradOf(L2Loss(), f64(kPred, {2, 3}), f64(kLabel, {2, 3}));
  std::vector<double> ref;
  for (int i = 0; i < 6; ++i)
    ref.push_back((kPred[i] - kLabel[i]) / 3);
  expectNear(g, ref);
}

// The logits and reference log-softmax of a (3, 4) batch.
const std::vector<double> kLogits = {1,   2, 3,    4,   -1, 0.5,
                                     2.5, 0, 0.25, 3.0, -2, 1};
std::vector<double> logSoftmaxRows(const std::vector<double> &x, int rows) {
  int cols = static_cast<int>(x.size()) / rows;
  std::vector<double> out(x.size());
  for (int r = 0; r < rows; ++r) {
    double m = -1e300, s = 0;
    for (int c = 0; c < cols; ++c)
      m = std::max(m, x[r * cols + c]);
    for (int c = 0; c < cols; ++c)
      s += std::exp(x[r * cols + c] - m);
    for (int c = 0; c < cols; ++c)
      out[r * cols + c] = x[r * cols + c] - m - std::log(s);
  }
  return out;
}

TEST(Loss, SoftmaxCrossEntropySparseDenseAndLogits) {
  std::vector<double> ls = logSoftmaxRows(kLogits, 3);
  std::vector<double> labels = {3, 0, 2};
  std::vector<double> ref = {-ls[3], -ls[4], -ls[10]};
  NDArray pred = f64(kLogits, {3, 4});
  expectNear(SoftmaxCrossEntropyLoss()(pred, f64(labels)), ref);
  // Labels of shape (batch, 1) pick the same elements.
  expectNear(SoftmaxCrossEntropyLoss()(pred, f64(labels, {3, 1})), ref);
  std::vector<double> onehot(12, 0.0);
  for (int r = 0; r < 3; ++r)
    onehot[r * 4 + static_cast<int>(labels[r])] = 1;
  expectNear(SoftmaxCrossEntropyLoss(-1, false)(pred, f64(onehot, {3, 4})),
             ref);
  // from_logits: pred already holds log-probabilities.
  expectNear(
      SoftmaxCrossEntropyLoss(-1, true, true)(f64(ls, {3, 4}), f64(labels)),
      ref);
  // Dense soft labels: -sum(label * log_softmax).
  std::vector<double> soft = {0.25, 0.25, 0.5, 0, 0.1, 0.2,
                              0.3,  0.4,  1,   0, 0,   0};
  std::vector<double> softRef(3, 0.0);
  for (int i = 0; i < 12; ++i)
    softRef[i / 4] -= soft[i] * ls[i];
  expectNear(SoftmaxCrossEntropyLoss(-1, false)(pred, f64(soft, {3, 4})),
             softRef);
}

TEST(Loss, SoftmaxCrossEntropyWeightsAndClassAxis) {
  std::vector<double> ls = logSoftmaxRows(kLogits, 3);
  NDArray pred = f64(kLogits, {3, 4});
  NDArray out = SoftmaxCrossEntropyLoss(-1, true, false, 2.0)(
      pred, f64({3, 0, 2}), f64({1.0, 0.0, 0.5}, {3, 1}));
  expectNear(out, {-2 * ls[3], 0.0, -2 * 0.5 * ls[10]});
  // Classes on axis 0 and the batch on axis 1: pred transposed.
  NDArray outT = SoftmaxCrossEntropyLoss(0, true, false, std::nullopt,
                                         1)(pred.T(), f64({3, 0, 2}));
  EXPECT_EQ(outT.shape(), (Shape{3}));
  expectNear(outT, {-ls[3], -ls[4], -ls[10]});
}

TEST(Loss, SoftmaxCrossEntropyGradientIsSoftmaxMinusOneHot) {
  std::vector<double> ls = logSoftmaxRows(kLogits, 3);
  std::vector<double> labels = {3, 0, 2};
  NDArray g =
      gradOf(SoftmaxCrossEntropyLoss(), f64(kLogits, {3, 4}), f64(labels));
  std::vector<double> ref(12);
  for (int i = 0; i < 12; ++i)
    ref[i] = std::exp(ls[i]) - (i % 4 == labels[i / 4] ? 1.0 : 0.0);
  expectNear(g, ref);
}

TEST(Loss, SigmoidBCEStableOnLargeLogits) {
  std::vector<double> x = {100, -100, 0.5, -2, 30, -0.1};
  std::vector<double> z = {0, 1, 1, 0, 1, 0};
  // log(1 + exp(x)) - x z, evaluated without overflow in double.
  auto ref = [](double xv, double zv) {
    double softplus =
        xv > 0 ? xv + std::log1p(std::exp(-xv)) : std::log1p(std::exp(xv));
    return softplus - xv * zv;
  };
  NDArray out = SigmoidBCELoss()(array(x, {2, 3}), array(z, {2, 3}));
  std::vector<double> v = out.asvector<double>();
  for (double e : v)
    EXPECT_TRUE(std::isfinite(e));
  expectNear(out, rowMean(x, z, 2, ref), 1e-5);
}

TEST(Loss, SigmoidBCEFromSigmoidAndPosWeight) {
  std::vector<double> x = {0.3, -1.2, 2.0, -0.5, 1.0, 0.0};
  std::vector<double> z = {1, 0, 1, 1, 0, 0};
  std::vector<double> probs;
  for (double v : x)
    probs.push_back(1 / (1 + std::exp(-v)));
  auto bce = [](double p, double zv) {
    return -(zv * std::log(p) + (1 - zv) * std::log(1 - p));
  };
  std::vector<double> ref = rowMean(probs, z, 2, bce);
  expectNear(SigmoidBCELoss()(f64(x, {2, 3}), f64(z, {2, 3})), ref);
  expectNear(SigmoidBCELoss(true)(f64(probs, {2, 3}), f64(z, {2, 3})), ref);
  // pos_weight per class scales the positive term only.
  std::vector<double> pw = {2.0, 0.5, 3.0};
  std::vector<double> pwRef(2, 0.0);
  for (int i = 0; i < 6; ++i)
    pwRef[i / 3] += -(pw[i % 3] * z[i] * std::log(probs[i]) +
                      (1 - z[i]) * std::log(1 - probs[i])) /
                    3;
  SigmoidBCELoss loss;
  expectNear(loss.forward(f64(x, {2, 3}), f64(z, {2, 3}), {}, f64(pw, {1, 3})),
             pwRef);
  SigmoidBCELoss fromSigmoid(true);
  expectNear(fromSigmoid.forward(f64(probs, {2, 3}), f64(z, {2, 3}), {},
                                 f64(pw, {1, 3})),
             pwRef);
}

TEST(Loss, SigmoidBCEGradientIsSigmoidMinusLabel) {
  // Away from x == 0: there relu and |x| take MXNet's subgradient 0, so the
  // stable form's gradient is -z there, as in MXNet, not sigmoid(0) - z.
  std::vector<double> x = {0.3, -1.2, 2.0, -0.5, 1.0, -0.1};
  std::vector<double> z = {1, 0, 1, 1, 0, 0};
  NDArray g = gradOf(SigmoidBCELoss(), f64(x, {2, 3}), f64(z, {2, 3}));
  std::vector<double> ref;
  for (int i = 0; i < 6; ++i)
    ref.push_back((1 / (1 + std::exp(-x[i])) - z[i]) / 3);
  expectNear(g, ref);
}

TEST(Loss, KLDivergence) {
  std::vector<double> ls = logSoftmaxRows(kLogits, 3);
  std::vector<double> q = {0.25, 0.25, 0.5, 0,   0.1, 0.2,
                           0.3,  0.4,  0.7, 0.1, 0.1, 0.1};
  std::vector<double> ref(3, 0.0);
  for (int i = 0; i < 12; ++i)
    ref[i / 4] += q[i] * (std::log(q[i] + 1e-12) - ls[i]) / 4;
  NDArray label = f64(q, {3, 4});
  expectNear(KLDivLoss()(f64(ls, {3, 4}), label), ref);
  expectNear(KLDivLoss(false)(f64(kLogits, {3, 4}), label), ref);
}

TEST(Loss, HuberValuesAndGradient) {
  // rho 1: |d| = 0.5, 0.5, 1.0, 1.5, 0.5, 0.75.
  auto huber = [](double p, double l) {
    double d = std::fabs(p - l);
    return d > 1.0 ? d - 0.5 : 0.5 * d * d;
  };
  NDArray pred = f64(kPred, {2, 3}), label = f64(kLabel, {2, 3});
  expectNear(HuberLoss()(pred, label), rowMean(kPred, kLabel, 2, huber));
  NDArray g = gradOf(HuberLoss(), pred, label);
  std::vector<double> ref;
  for (int i = 0; i < 6; ++i) {
    double d = kPred[i] - kLabel[i];
    ref.push_back((std::fabs(d) > 1.0 ? (d > 0 ? 1.0 : -1.0) : d) / 3);
  }
  expectNear(g, ref);
}

TEST(Loss, HingeSquaredHingeAndLogistic) {
  std::vector<double> x = {0.5, -2.0, 1.5, 0.2, -0.3, 3.0};
  std::vector<double> s = {1, -1, -1, 1, 1, -1};
  NDArray pred = f64(x, {2, 3}), label = f64(s, {2, 3});
  auto hinge = [](double p, double l) { return std::max(0.0, 1 - p * l); };
  expectNear(HingeLoss()(pred, label), rowMean(x, s, 2, hinge));
  expectNear(
      SquaredHingeLoss()(pred, label),
      rowMean(x, s, 2, [&](double p, double l) { return sq(hinge(p, l)); }));
  auto logistic = [](double p, double l) {
    return std::log1p(std::exp(-p * l));
  };
  std::vector<double> ref = rowMean(x, s, 2, logistic);
  expectNear(LogisticLoss()(pred, label), ref);
  std::vector<double> binary;
  for (double v : s)
    binary.push_back(v > 0 ? 1 : 0);
  expectNear(LogisticLoss(std::nullopt, 0, "binary")(pred, f64(binary, {2, 3})),
             ref);
}

/// Central differences of sum(loss(pred)) in float64, against autograd.
void expectFiniteDifferenceGradient(const Loss &loss,
                                    const std::vector<double> &pred,
                                    const Shape &shape, const NDArray &label,
                                    const NDArray &sample_weight = {}) {
  NDArray g = gradOf(loss, f64(pred, shape), label, sample_weight);
  std::vector<double> numeric;
  const double h = 1e-6;
  for (size_t i = 0; i < pred.size(); ++i) {
    std::vector<double> up = pred, down = pred;
    up[i] += h;
    down[i] -= h;
    double fUp = sum(loss(f64(up, shape), label, sample_weight)).asscalar();
    double fDown = sum(loss(f64(down, shape), label, sample_weight)).asscalar();
    numeric.push_back((fUp - fDown) / (2 * h));
  }
  expectNear(g, numeric, 1e-6);
}

TEST(Loss, EveryLossGradientMatchesFiniteDifferences) {
  // Inputs stay clear of each loss's kinks (|d| = rho, margins, zero).
  std::vector<double> x = {0.3, -1.2, 2.0, -0.5, 1.1, 0.4};
  Shape s = {2, 3};
  NDArray signs = f64({1, -1, -1, 1, 1, -1}, s);
  NDArray binary = f64({1, 0, 1, 1, 0, 0}, s);
  NDArray probs = f64({0.2, 0.3, 0.5, 0.6, 0.1, 0.3}, s);
  NDArray sw = f64({0.5, 2.0}, {2, 1});
  expectFiniteDifferenceGradient(L1Loss(), x, s, f64(kLabel, s), sw);
  expectFiniteDifferenceGradient(L2Loss(2.0), x, s, f64(kLabel, s), sw);
  expectFiniteDifferenceGradient(HuberLoss(0.8), x, s, f64(kLabel, s));
  expectFiniteDifferenceGradient(SoftmaxCELoss(), x, s, f64({2, 0}), sw);
  expectFiniteDifferenceGradient(SoftmaxCELoss(-1, false), x, s, probs);
  expectFiniteDifferenceGradient(KLDivLoss(false), x, s, probs);
  expectFiniteDifferenceGradient(SigmoidBCELoss(), x, s, binary, sw);
  expectFiniteDifferenceGradient(HingeLoss(), x, s, signs);
  expectFiniteDifferenceGradient(SquaredHingeLoss(), x, s, signs);
  expectFiniteDifferenceGradient(LogisticLoss(), x, s, signs);
}

// test_loss.py's test_bce_equal_ce2: sigmoid BCE on x is softmax CE on
// the two logits (0, x); and test_logistic_loss_equal_bce.
TEST(Loss, SigmoidBCEEqualsTwoClassSoftmaxCEAndLogistic) {
  std::vector<double> x = {0.3, -1.2, 2.0, -0.5, 5.0, -3.0};
  std::vector<double> z = {1, 0, 1, 1, 0, 0};
  NDArray pred = f64(x, {6, 1}), label = f64(z);
  NDArray bce = SigmoidBCELoss()(pred, label);
  NDArray two = concat({zeros({6, 1}, cpu(), DType::Float64), pred}, 1);
  expectNear(SoftmaxCELoss()(two, label), bce.asvector<double>());
  expectNear(LogisticLoss(std::nullopt, 0, "binary")(pred, label),
             bce.asvector<double>());
}

TEST(Loss, PoissonNLLIsAScalarMean) {
  std::vector<double> p = {0.5, 1.0, 2.0, 0.1, 1.5, 3.0};
  std::vector<double> t = {0, 1, 2, 3, 0.5, 4};
  double logits = 0, probs = 0, full = 0;
  for (int i = 0; i < 6; ++i) {
    logits += (std::exp(p[i]) - t[i] * p[i]) / 6;
    probs += (p[i] - t[i] * std::log(p[i] + 1e-8)) / 6;
    double stirling = t[i] > 1 ? t[i] * std::log(t[i]) - t[i] +
                                     0.5 * std::log(2 * M_PI * t[i])
                               : 0.0;
    full += (std::exp(p[i]) - t[i] * p[i] + stirling) / 6;
  }
  NDArray out = PoissonNLLLoss()(f64(p, {2, 3}), f64(t, {2, 3}));
  EXPECT_EQ(out.size(), 1);
  expectNear(out, {logits});
  expectNear(PoissonNLLLoss(std::nullopt, false)(f64(p, {2, 3}), f64(t)),
             {probs});
  expectNear(PoissonNLLLoss(std::nullopt, true, 0, true)(f64(p, {2, 3}),
                                                         f64(t, {2, 3})),
             {full});
}

TEST(Loss, TripletLossAgainstSquaredDistances) {
  std::vector<double> a = {0, 0, 1, 1}, pos = {0.5, 0, 1, 2},
                      neg = {2, 0, 1, 1.5};
  // Row 0: 0.25 - 4 + 1 -> 0; row 1: 1 - 0.25 + 1 = 1.75.
  NDArray out = TripletLoss()(f64(a, {2, 2}), f64(pos, {2, 2}), f64(neg));
  EXPECT_EQ(out.shape(), (Shape{2}));
  expectNear(out, {0.0, 1.75});
  expectNear(
      TripletLoss(3.0, 2.0)(f64(a, {2, 2}), f64(pos, {2, 2}), f64(neg, {2, 2})),
      {0.0, 2 * (1 - 0.25 + 3)}); // row 0: relu(-0.75)
}

TEST(Loss, CosineEmbeddingBySimilarityLabel) {
  std::vector<double> u = {1, 0, 1, 1, 3, 4}, v = {0, 1, 1, 1, 4, 3};
  // cos: 0, 1, 24/25; labels 1, -1, -1 with margin 0.5.
  NDArray out = CosineEmbeddingLoss(std::nullopt, 0, 0.5)(
      f64(u, {3, 2}), f64(v, {3, 2}), f64({1, -1, -1}));
  EXPECT_EQ(out.shape(), (Shape{3, 1}));
  expectNear(out, {1.0, 0.5, 24.0 / 25 - 0.5});
  NDArray weighted = CosineEmbeddingLoss(2.0)(
      f64(u, {3, 2}), f64(v, {3, 2}), f64({1, 1, -1}), f64({1, 0, 1}, {3, 1}));
  expectNear(weighted, {2.0, 0.0, 2 * 24.0 / 25});
}

TEST(Loss, IntegerLabelsAndWeightsAreCastToPredDtype) {
  NDArray pred = array({0.5, 1.5, -1, 2}, {2, 2});
  NDArray intLabel = array({1, 0}, {}, cpu(), DType::Int32);
  std::vector<double> ls = logSoftmaxRows({0.5, 1.5, -1, 2}, 2);
  NDArray ce = SoftmaxCELoss()(pred, intLabel,
                               array({1, 2}, {2, 1}, cpu(), DType::Int64));
  EXPECT_EQ(ce.dtype(), DType::Float32);
  expectNear(ce, {-ls[1], -2 * ls[2]});
  NDArray l1 = L1Loss()(pred, array({0, 1, 0, 2}, {2, 2}, cpu(), DType::Int32));
  expectNear(l1, {0.5, 0.5});
}

TEST(Loss, PickGathersAlongAnAxisAndClips) {
  NDArray data = f64({1, 2, 3, 4, 5, 6}, {2, 3});
  expectNear(pick(data, f64({2, 0}), -1), {3, 4});
  NDArray kept = pick(data, f64({1, 0, 1}, {1, 3}), 0, true);
  EXPECT_EQ(kept.shape(), (Shape{1, 3}));
  expectNear(kept, {4, 2, 6});
  // mode='clip': 7 -> 2, -1 -> 0.
  expectNear(pick(data, f64({7, -1}), 1), {3, 4});
}

TEST(Loss, BadInputsThrowNamingTheArgument) {
  NDArray pred = f64(kPred, {2, 3});
  EXPECT_NE(errorOf([&] { L2Loss()(pred, f64({1, 2, 3})); }).find("label"),
            std::string::npos);
  EXPECT_NE(
      errorOf([&] { L1Loss(std::nullopt, 2)(pred, pred); }).find("batch_axis"),
      std::string::npos);
  EXPECT_NE(errorOf([&] {
              L1Loss()(pred, pred, f64({1, 2, 3, 4}));
            }).find("sample_weight"),
            std::string::npos);
  EXPECT_NE(errorOf([&] {
              SoftmaxCELoss()(pred, f64({1, 2, 3}));
            }).find("index shape"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { SoftmaxCELoss(5)(pred, f64({1, 2})); }).find("axis"),
            std::string::npos);
  EXPECT_NE(errorOf([&] { HuberLoss(0.0); }).find("rho"), std::string::npos);
  EXPECT_NE(errorOf([&] { L2Loss()(NDArray(), pred); }).find("pred"),
            std::string::npos);
}

} // namespace
