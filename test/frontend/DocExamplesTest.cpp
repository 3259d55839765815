//===- DocExamplesTest.cpp - the examples of docs/autograd.md -------------===//
//
// Each test is a code block of docs/ndarray.md or docs/autograd.md,
// verbatim, plus the checks its comments state.
//
//===----------------------------------------------------------------------===//

#include "mxjit/autograd.h"

#include <gtest/gtest.h>

#include <cmath>
#include <iostream>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

TEST(DocExamples, NDArrayOverview) {
  NDArray a = array({1, 2, 3, 4, 5, 6}, {2, 3}); // float32 on cpu(0)
  NDArray b = arange(0, 3);
  NDArray c = exp(a + b) * 2 - 1;             // NumPy broadcasting
  std::cout << sum(c, {1}) << "\n";           // prints like MXNet
  std::vector<float> v = c.asvector<float>(); // MXNet's asnumpy()
  double s = sum(a).asscalar();               // 21
  NDArray alias = a;
  a += 1; // every handle of `a` sees it

  EXPECT_EQ(a.dtype(), DType::Float32);
  EXPECT_EQ(a.context(), cpu());
  EXPECT_FLOAT_EQ(v[5], 2 * std::exp(8.0f) - 1);
  EXPECT_EQ(s, 21);
  EXPECT_EQ(alias.asvector<float>()[0], 2.0f);
}

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

TEST(DocExamples, CustomFunction) {
  NDArray x = array({-1, 0, 2});
  x.attach_grad();
  NDArray y;
  {
    auto scope = autograd::record();
    auto f = std::make_shared<Sigmoid>();
    y = (*f)(x);
    y.backward(); // x.grad() == y * (1 - y)
  }
  std::vector<float> g = x.grad().asvector<float>(), yv = y.asvector<float>();
  for (size_t i = 0; i < g.size(); ++i)
    EXPECT_FLOAT_EQ(g[i], yv[i] * (1 - yv[i]));
}

TEST(DocExamples, ExpPlusX) {
  NDArray x = ones({3});
  x.attach_grad();
  {
    auto scope = autograd::record(); // ops on x are recorded until here
    NDArray y = exp(x) + x;
    y.backward(); // non-scalar head: d(sum y)/dx
  }
  for (float g : x.grad().asvector<float>())
    EXPECT_FLOAT_EQ(g, 3.7182817f);
}

TEST(DocExamples, HigherOrder) {
  NDArray x = array({1, 2, 3}, {}, cpu(), DType::Float64);
  x.attach_grad();
  std::vector<double> first;
  {
    auto scope = autograd::record();
    NDArray y = x * x * x;
    auto dx = autograd::grad({y}, {x}, {}, /*retain_graph=*/true,
                             /*create_graph=*/true); // 3x^2 = [3 12 27]
    first = dx[0].asvector<double>();
    dx[0].backward(); // 6x   = [6 12 18]
  }
  EXPECT_EQ(first, (std::vector<double>{3, 12, 27}));
  EXPECT_EQ(x.grad().asvector<double>(), (std::vector<double>{6, 12, 18}));
}

TEST(DocExamples, ControlFlow) {
  NDArray a = random::normal(0, 1, {3});
  a.attach_grad();
  NDArray c;
  {
    auto scope = autograd::record();
    NDArray b = a * 2;
    while (sqrt(sum(square(b))).asscalar() < 1000)
      b = b * 2;
    c = sum(b);
    c.backward(); // b == k * a, so every a.grad() element is k
  }
  std::vector<float> g = a.grad().asvector<float>();
  std::vector<float> av = a.asvector<float>();
  float cv = c.asscalar<float>();
  // c = k * sum(a), so k = c / sum(a).
  float k = cv / (av[0] + av[1] + av[2]);
  for (float gi : g)
    EXPECT_NEAR(gi, k, 1e-3f * std::fabs(k));
}

} // namespace
