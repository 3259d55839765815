//===- FunctionTest.cpp - custom autograd::Function -----------------------===//

#include "mxjit/autograd.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

// The example of mxjit/autograd.h and docs/autograd.md.
struct Sigmoid : autograd::Function {
  std::vector<NDArray> forward(const std::vector<NDArray> &in) override {
    NDArray y = 1.0 / (1.0 + exp(-in[0]));
    save_for_backward({y});
    return {y};
  }
  std::vector<NDArray> backward(const std::vector<NDArray> &dy) override {
    NDArray y = saved_tensors()[0];
    return {dy[0] * y * (1.0 - y)};
  }
};

/// Two inputs, two outputs: (a * b, a + b), with a deliberately scaled
/// backward so the test can tell it was used.
struct ProductAndSum : autograd::Function {
  std::vector<NDArray> forward(const std::vector<NDArray> &in) override {
    save_for_backward({in[0], in[1]});
    return {in[0] * in[1], in[0] + in[1]};
  }
  std::vector<NDArray> backward(const std::vector<NDArray> &dy) override {
    NDArray a = saved_tensors()[0], b = saved_tensors()[1];
    return {dy[0] * b + dy[1], dy[0] * a + dy[1]};
  }
};

struct WrongArity : autograd::Function {
  std::vector<NDArray> forward(const std::vector<NDArray> &in) override {
    return {in[0] * 2};
  }
  std::vector<NDArray> backward(const std::vector<NDArray> &dy) override {
    return {dy[0], dy[0]};
  }
};

std::vector<double> values(const NDArray &a) { return a.asvector<double>(); }

TEST(Function, SigmoidMatchesTheBuiltinGradient) {
  NDArray x = array({-1, 0, 2}, {}, cpu(), DType::Float64);
  x.attach_grad();
  NDArray y;
  {
    auto scope = autograd::record();
    auto f = std::make_shared<Sigmoid>();
    y = (*f)(x);
    y.backward();
  }
  std::vector<double> g = values(x.grad());
  std::vector<double> xs = {-1, 0, 2};
  for (size_t i = 0; i < 3; ++i) {
    double s = 1 / (1 + std::exp(-xs[i]));
    EXPECT_NEAR(values(y)[i], s, 1e-12);
    EXPECT_NEAR(g[i], s * (1 - s), 1e-12);
  }
}

// Recorded ops on both sides of the Function: exp(sigmoid(2x)).
TEST(Function, InsideARecordedChain) {
  NDArray x = array({0.5, -0.25}, {}, cpu(), DType::Float64);
  x.attach_grad();
  {
    auto scope = autograd::record();
    auto f = std::make_shared<Sigmoid>();
    NDArray y = exp((*f)(x * 2));
    y.backward();
  }
  std::vector<double> g = values(x.grad());
  std::vector<double> xs = {0.5, -0.25};
  for (size_t i = 0; i < 2; ++i) {
    double s = 1 / (1 + std::exp(-2 * xs[i]));
    EXPECT_NEAR(g[i], std::exp(s) * s * (1 - s) * 2, 1e-12);
  }
}

TEST(Function, SeveralInputsAndOutputs) {
  NDArray a = array({1, 2}, {}, cpu(), DType::Float64);
  NDArray b = array({3, 5}, {}, cpu(), DType::Float64);
  a.attach_grad();
  b.attach_grad();
  {
    auto scope = autograd::record();
    auto f = std::make_shared<ProductAndSum>();
    std::vector<NDArray> out = (*f)({a, b});
    NDArray loss = sum(out[0] * 2 + out[1]);
    loss.backward();
  }
  // d/da (2ab + a + b) = 2b + 1; d/db = 2a + 1.
  EXPECT_EQ(values(a.grad()), (std::vector<double>{7, 11}));
  EXPECT_EQ(values(b.grad()), (std::vector<double>{3, 5}));
}

// Outside record() a Function is a plain call, and its outputs are not on
// any tape.
TEST(Function, UnrecordedAndErrors) {
  NDArray x = array({1, 2});
  x.attach_grad();
  auto f = std::make_shared<Sigmoid>();
  NDArray y = (*f)(x);
  EXPECT_THROW(y.backward(), Error);

  Sigmoid onStack;
  EXPECT_THROW(onStack(x), Error); // needs std::make_shared

  {
    auto scope = autograd::record();
    auto wrong = std::make_shared<WrongArity>();
    NDArray z = (*wrong)(x);
    EXPECT_THROW(z.backward(), Error);
  }
}

// Gradients of a loop with a Function in it compile once, although each step
// creates a new Function object.
TEST(Function, TrainingLoopCompilesOnce) {
  NDArray w = array({0.1, -0.2, 0.3}, {}, cpu(), DType::Float64);
  w.attach_grad();
  NDArray x = array({1, 2, 3}, {}, cpu(), DType::Float64);
  CacheInfo before{};
  for (int step = 0; step < 4; ++step) {
    if (step == 1)
      before = cache_info();
    {
      auto scope = autograd::record();
      auto f = std::make_shared<Sigmoid>();
      NDArray loss = sum(square((*f)(w * x) - 0.5));
      loss.backward();
    }
    w -= 0.1 * w.grad();
    w.wait_to_read();
  }
  EXPECT_EQ(cache_info().misses, before.misses);
}

} // namespace
