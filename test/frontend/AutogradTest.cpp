//===- AutogradTest.cpp - mxjit::autograd (MXNet test_autograd semantics) -===//

#include "mxjit/autograd.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

std::vector<double> values(const NDArray &a) { return a.asvector<double>(); }

void expectNear(const NDArray &a, const std::vector<double> &expected,
                double tol = 1e-5) {
  std::vector<double> v = values(a);
  ASSERT_EQ(v.size(), expected.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], expected[i], tol * (1 + std::fabs(expected[i])))
        << "element " << i;
}

// The docs' example: d/dx (exp(x) + x) at ones is e + 1.
TEST(Autograd, ExpPlusXAtOnes) {
  NDArray x = ones({3});
  x.attach_grad();
  {
    auto scope = autograd::record();
    NDArray y = exp(x) + x;
    y.backward();
  }
  expectNear(x.grad(), {3.7182817, 3.7182817, 3.7182817});
}

TEST(Autograd, UnaryFunctions) {
  struct Case {
    NDArray (*f)(const NDArray &);
    double (*df)(double);
  };
  const Case cases[] = {
      {exp, [](double x) { return std::exp(x); }},
      {log, [](double x) { return 1 / x; }},
      {sigmoid,
       [](double x) {
         double s = 1 / (1 + std::exp(-x));
         return s * (1 - s);
       }},
      {tanh, [](double x) { return 1 - std::tanh(x) * std::tanh(x); }},
      {sqrt, [](double x) { return 0.5 / std::sqrt(x); }},
      {sin, [](double x) { return std::cos(x); }},
      {square, [](double x) { return 2 * x; }},
      {relu, [](double x) { return x > 0 ? 1.0 : 0.0; }},
  };
  std::vector<double> xs = {0.3, 0.7, 1.9, 2.5};
  for (const Case &c : cases) {
    NDArray x = array(xs, {}, cpu(), DType::Float64);
    x.attach_grad();
    {
      auto scope = autograd::record();
      NDArray y = c.f(x);
      y.backward();
    }
    std::vector<double> expected;
    for (double v : xs)
      expected.push_back(c.df(v));
    expectNear(x.grad(), expected, 1e-10);
  }
}

// Broadcast operands get their gradient summed back to their own shape.
TEST(Autograd, BinaryBroadcasting) {
  NDArray a = array({1, 2, 3, 4, 5, 6}, {2, 3});
  NDArray b = array({10, 20, 30});
  a.attach_grad();
  b.attach_grad();
  {
    auto scope = autograd::record();
    NDArray y = a * b + a;
    y.backward();
  }
  expectNear(a.grad(), {11, 21, 31, 11, 21, 31});
  expectNear(b.grad(), {5, 7, 9});
}

// Only arrays with attach_grad (or the requested variables) get gradients.
TEST(Autograd, ArgnumAndGradFunction) {
  NDArray a = array({1, 2}), b = array({3, 4});
  a.attach_grad();
  b.attach_grad();
  NDArray y;
  {
    auto scope = autograd::record();
    y = a * b;
  }
  std::vector<NDArray> g = autograd::grad({y}, {b});
  ASSERT_EQ(g.size(), 1u);
  expectNear(g[0], {1, 2});
  // grad() leaves the variables' gradient buffers alone.
  expectNear(b.grad(), {0, 0});
}

TEST(Autograd, TrainingAndRecordingFlags) {
  EXPECT_FALSE(autograd::is_recording());
  EXPECT_FALSE(autograd::is_training());
  {
    auto scope = autograd::record();
    EXPECT_TRUE(autograd::is_recording());
    EXPECT_TRUE(autograd::is_training());
    {
      auto paused = autograd::pause();
      EXPECT_FALSE(autograd::is_recording());
      EXPECT_FALSE(autograd::is_training());
    }
    {
      auto predict = autograd::predict_mode();
      EXPECT_TRUE(autograd::is_recording());
      EXPECT_FALSE(autograd::is_training());
    }
  }
  {
    auto scope = autograd::record(/*train_mode=*/false);
    EXPECT_FALSE(autograd::is_training());
  }
  EXPECT_FALSE(autograd::set_recording(true));
  EXPECT_TRUE(autograd::set_recording(false));
  EXPECT_FALSE(autograd::set_training(true));
  EXPECT_TRUE(autograd::set_training(false));
}

// Ops outside record(), or under pause(), are not differentiated.
TEST(Autograd, PauseAndDetach) {
  NDArray x = array({1, 2, 3});
  x.attach_grad();
  {
    auto scope = autograd::record();
    NDArray c;
    {
      auto paused = autograd::pause();
      c = x * 10; // a constant for the gradient
    }
    NDArray y = x * c + (x * x).detach();
    y.backward();
  }
  expectNear(x.grad(), {10, 20, 30});
}

TEST(Autograd, HeadGradients) {
  NDArray x = array({1, 2, 3});
  x.attach_grad();
  {
    auto scope = autograd::record();
    NDArray y = x * x;
    y.backward(array({1, 0.5, -1}));
  }
  expectNear(x.grad(), {2, 2, -6});
}

TEST(Autograd, RetainGraphAndGradReqAdd) {
  NDArray x = array({1, 2});
  x.attach_grad(GradReq::Add);
  NDArray y;
  {
    auto scope = autograd::record();
    y = x * x * x;
  }
  y.backward(NDArray(), /*retain_graph=*/true);
  y.backward(); // accumulates; frees the graph
  expectNear(x.grad(), {6, 24});
  try {
    y.backward();
    FAIL() << "backward twice without retain_graph must throw";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("retain_graph"), std::string::npos)
        << e.what();
  }
}

TEST(Autograd, ErrorsAreClear) {
  NDArray x = array({1, 2});
  EXPECT_THROW(x.grad(), Error); // no attach_grad
  NDArray y = x * 2;
  EXPECT_THROW(y.backward(), Error); // not recorded
  NDArray i = arange(0, 3, 1, cpu(), DType::Int64);
  EXPECT_THROW(i.attach_grad(), Error);
  x.attach_grad();
  NDArray z;
  {
    auto scope = autograd::record();
    z = x * 2;
  }
  EXPECT_THROW(z.backward(zeros({3})), Error); // head gradient shape
}

// Second order: d2/dx2 x^3 = 6x, through grad(create_graph=true).
TEST(Autograd, SecondOrder) {
  NDArray x = array({1, 2, 3}, {}, cpu(), DType::Float64);
  x.attach_grad();
  {
    auto scope = autograd::record();
    NDArray y = x * x * x;
    std::vector<NDArray> dx = autograd::grad({y}, {x}, {}, true, true);
    expectNear(dx[0], {3, 12, 27}, 1e-12);
    dx[0].backward();
  }
  expectNear(x.grad(), {6, 12, 18}, 1e-12);
}

// Control flow that reads values while recording (MXNet's tutorial).
TEST(Autograd, ControlFlowWhileRecording) {
  NDArray a = array({0.3, -0.5, 0.8}, {}, cpu(), DType::Float64);
  a.attach_grad();
  NDArray c;
  int doublings = 0;
  {
    auto scope = autograd::record();
    NDArray b = a * 2;
    while (sqrt(sum(square(b))).asscalar() < 1000) {
      b = b * 2;
      ++doublings;
    }
    c = sum(b);
    c.backward();
  }
  double k = std::pow(2.0, doublings + 1);
  expectNear(a.grad(), {k, k, k}, 1e-12);
}

// A training loop compiles its forward+backward on the first step only.
TEST(Autograd, TrainingLoopCompilesOnce) {
  random::seed(1);
  NDArray w = random::normal(0, 0.1, {4, 3});
  NDArray b = zeros({4});
  w.attach_grad();
  b.attach_grad();
  NDArray x = random::uniform(-1, 1, {8, 3});
  NDArray target = random::uniform(-1, 1, {8, 4});
  std::vector<double> losses;
  CacheInfo before{};
  for (int step = 0; step < 6; ++step) {
    if (step == 1)
      before = cache_info();
    NDArray loss;
    {
      auto scope = autograd::record();
      NDArray out = fully_connected(x, w, b, 4);
      loss = mean(square(out - target));
      loss.backward();
    }
    losses.push_back(loss.asscalar());
    w -= 0.5 * w.grad();
    b -= 0.5 * b.grad();
    w.wait_to_read();
    b.wait_to_read();
  }
  CacheInfo after = cache_info();
  EXPECT_EQ(after.misses, before.misses) << "steps 2-6 must not compile";
  EXPECT_GT(after.hits, before.hits);
  EXPECT_LT(losses.back(), losses.front());
}

} // namespace
