//===- MetricTest.cpp - mxjit::metric against hand-computed values --------===//
//
// Cases follow MXNet's tests/python/unittest/test_metric.py.
//
//===----------------------------------------------------------------------===//

#include "mxjit/metric.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <cmath>
#include <functional>

using namespace mxjit;
using namespace mxjit::gluontest;
using nd::NDArray;

namespace {

NDArray pred3x2() { return nd::array({0.3, 0.7, 0, 1., 0.4, 0.6}, {3, 2}); }

} // namespace

TEST(MetricTest, Accuracy) {
  auto metric = metric::create("acc");
  metric->update({nd::array({0, 1, 1})}, {pred3x2()});
  auto [name, acc] = metric->get();
  EXPECT_EQ(name, "accuracy");
  EXPECT_DOUBLE_EQ(acc, 2.0 / 3);
  EXPECT_EQ(metric->num_inst, 3);
  EXPECT_DOUBLE_EQ(metric->sum_metric, 2);

  // Predictions shaped like the labels already are class ids.
  metric::Accuracy ids;
  ids.update(nd::array({0, 1, 2, 3}), nd::array({0, 1, 0, 3}));
  EXPECT_DOUBLE_EQ(ids.get().second, 0.75);

  // Argmax along axis 0 (MXNet's axis argument).
  metric::Accuracy axis0(0);
  axis0.update(nd::array({1, 0}), nd::array({0, 9, 5, 1}, {2, 2}));
  EXPECT_DOUBLE_EQ(axis0.get().second, 1.0);

  // NaN or huge values never match a class and do not crash.
  metric::Accuracy odd;
  odd.update(nd::array({0, 1, 2}), nd::array({std::nan(""), 1e30, 2}));
  EXPECT_DOUBLE_EQ(odd.get().second, 1.0 / 3);

  metric->reset();
  EXPECT_TRUE(std::isnan(metric->get().second));
  EXPECT_EQ(metric->num_inst, 0);
}

TEST(MetricTest, AccuracyErrors) {
  metric::Accuracy acc;
  std::string e =
      errorOf([&] { acc.update({nd::array({0, 1})}, {pred3x2()}); });
  EXPECT_TRUE(contains(e, "Shape of labels 2 does not match shape of "
                          "predictions 3"))
      << e;
  EXPECT_TRUE(
      contains(errorOf([&] {
                 acc.update({nd::array({0, 1, 1})}, std::vector<NDArray>{});
               }),
               "Shape of labels 1 does not match shape of predictions 0"));
  EXPECT_TRUE(contains(errorOf([] {
                         metric::Accuracy(2).update(nd::array({0, 1, 1}),
                                                    pred3x2());
                       }),
                       "axis 2 is out of range"));
}

TEST(MetricTest, TopKAccuracy) {
  // Scores without ties; labels 2 (2nd best), 0 (2nd best), 0 (4th best).
  NDArray pred = nd::array(
      {0.1, 0.5, 0.25, 0.15, 0.3, 0.1, 0.4, 0.2, 0.05, 0.1, 0.06, 0.79},
      {3, 4});
  NDArray label = nd::array({2, 0, 0});
  auto top2 = metric::create("top_k_accuracy_2");
  top2->update({label}, {pred});
  EXPECT_EQ(top2->get().first, "top_k_accuracy_2");
  EXPECT_DOUBLE_EQ(top2->get().second, 2.0 / 3);
  metric::TopKAccuracy top3(3);
  top3.update(label, pred);
  EXPECT_DOUBLE_EQ(top3.get().second, 2.0 / 3);
  // k beyond the number of classes counts every label.
  metric::TopKAccuracy top9(9);
  top9.update(label, pred);
  EXPECT_DOUBLE_EQ(top9.get().second, 1.0);

  EXPECT_TRUE(
      contains(errorOf([] { metric::TopKAccuracy(1); }), "use Accuracy"));
  EXPECT_TRUE(
      contains(errorOf([&] { top3.update(label, nd::zeros({3, 4, 1})); }),
               "1 or 2 dimensions"));
}

TEST(MetricTest, CrossEntropy) {
  auto ce = metric::create("ce");
  ce->update({nd::array({0, 1, 1})}, {pred3x2()});
  double expected =
      (-std::log(0.3 + 1e-12) - std::log(1 + 1e-12) - std::log(0.6 + 1e-12)) /
      3;
  EXPECT_EQ(ce->get().first, "cross-entropy");
  EXPECT_NEAR(ce->get().second, expected, 1e-6);

  // MXNet's test_ce-style batch: labels as a column.
  metric::CrossEntropy ce2;
  ce2.update(nd::array({1, 0}, {2, 1}),
             nd::array({0.2, 0.8, 0.9, 0.1}, {2, 2}));
  EXPECT_NEAR(ce2.get().second, (-std::log(0.8) - std::log(0.9)) / 2, 1e-6);

  EXPECT_TRUE(contains(
      errorOf([&] { ce2.update(nd::array({0, 2}), nd::zeros({2, 2})); }),
      "label 2 of sample 1 is not a class id in [0, 2)"));
  double nan = std::nan("");
  EXPECT_TRUE(contains(
      errorOf([&] { ce2.update(nd::array({0, nan}), nd::zeros({2, 2})); }),
      "label nan of sample 1 is not a class id"));
  EXPECT_TRUE(contains(
      errorOf([&] { ce2.update(nd::array({0, 1, 1}), nd::zeros({2, 2})); }),
      "Shape of labels 3 does not match"));
}

TEST(MetricTest, LossAndRegression) {
  metric::Loss loss;
  loss.update({}, {nd::array({1, 2, 3}), nd::array({6})});
  EXPECT_DOUBLE_EQ(loss.get().second, 3.0);
  EXPECT_EQ(loss.num_inst, 4);

  NDArray label = nd::array({1, 2, 3, 4}), pred = nd::array({1, 3, 1, 4});
  auto mae = metric::create("mae"), mse = metric::create("mse"),
       rmse = metric::create("rmse");
  for (auto &m : {mae, mse, rmse})
    m->update(label, pred);
  EXPECT_DOUBLE_EQ(mae->get().second, 3.0 / 4);
  EXPECT_DOUBLE_EQ(mse->get().second, 5.0 / 4);
  EXPECT_DOUBLE_EQ(rmse->get().second, std::sqrt(5.0 / 4));
  // One count per batch, as MXNet 1.x.
  mse->update(label, label);
  EXPECT_DOUBLE_EQ(mse->get().second, 5.0 / 8);
}

TEST(MetricTest, CompositeAndCreate) {
  auto composite = metric::create({"acc", "ce"});
  composite->update({nd::array({0, 1, 1})}, {pred3x2()});
  auto nv = composite->get_name_value();
  ASSERT_EQ(nv.size(), 2u);
  EXPECT_EQ(nv[0].first, "accuracy");
  EXPECT_DOUBLE_EQ(nv[0].second, 2.0 / 3);
  EXPECT_EQ(nv[1].first, "cross-entropy");
  EXPECT_TRUE(contains(errorOf([&] { composite->get(); }), "get_name_value"));
  auto *c = dynamic_cast<metric::CompositeEvalMetric *>(composite.get());
  ASSERT_NE(c, nullptr);
  EXPECT_EQ(c->get_metric(1)->name(), "cross-entropy");
  EXPECT_TRUE(contains(errorOf([&] { c->get_metric(2); }), "out of range"));
  composite->reset();
  EXPECT_EQ(c->get_metric(0)->num_inst, 0);
  EXPECT_TRUE(contains(composite->str(), "EvalMetric: {'accuracy': nan"));

  EXPECT_EQ(metric::create("Accuracy")->name(), "accuracy");
  EXPECT_EQ(metric::create("top_k_acc_5")->name(), "top_k_accuracy_5");
  std::string e = errorOf([] { metric::create("f1x"); });
  EXPECT_TRUE(contains(e, "unknown metric 'f1x'") && contains(e, "acc")) << e;
}
