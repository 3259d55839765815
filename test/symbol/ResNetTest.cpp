//===- ResNetTest.cpp - the ResNet-18 fixture end to end ------------------===//
//
// Issue 5's acceptance path on MXNet's own file format: load the model-zoo
// style ResNet-18 JSON, infer every shape, simple_bind, one training
// forward+backward, checked against finite differences of the loss the
// gradient belongs to (cross-entropy of SoftmaxOutput). float64 and a
// 64x64 input keep the check well conditioned: with 32x32 inputs the last
// stage is 1x1, and BatchNorm over two values makes the loss nearly
// discontinuous in the parameters.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using mxjit::nd::NDArray;

namespace {

constexpr int64_t kBatch = 4, kSide = 64, kClasses = 1000;

/// Cross-entropy of the current parameters with batch statistics, as in
/// the step whose gradient is checked. It runs the same compiled training
/// step (reading outputs between forward and backward would compile the
/// training forward as well).
double crossEntropy(sym::Executor &exe, const std::vector<double> &labels) {
  exe.forward(true);
  exe.backward();
  std::vector<double> p = exe.outputs()[0].asvector<double>();
  double loss = 0;
  for (int64_t n = 0; n < kBatch; ++n)
    loss -= std::log(p[n * kClasses + static_cast<int64_t>(labels[n])]);
  return loss;
}

} // namespace

TEST(ResNet18, InferBindForwardBackward) {
  sym::Symbol net =
      sym::load(std::string(MXJIT_SYMBOL_FIXTURES) + "/resnet18-symbol.json");
  sym::Symbol::ShapeResult shapes =
      net.infer_shape({{"data", {kBatch, 3, kSide, kSide}}});
  ASSERT_TRUE(shapes.complete);
  EXPECT_EQ(shapes.out_shapes, (std::vector<sym::Shape>{{kBatch, kClasses}}));
  EXPECT_EQ(net.list_auxiliary_states().size(), 2u * 19); // 19 BatchNorms

  sym::Executor exe =
      net.simple_bind(cpu(), {{"data", {kBatch, 3, kSide, kSide}}},
                      sym::GradReq::Write, {{"data", DType::Float64}});
  EXPECT_EQ(exe.arg_dict().at("fc1_weight").dtype(), DType::Float64);
  nd::random::seed(7);
  for (auto [name, array] : exe.arg_dict()) {
    if (name.find("gamma") != std::string::npos)
      nd::ones(array.shape()).copyto(array);
    else if (name != "softmax_label")
      nd::random::uniform(-0.1, 0.1, array.shape()).copyto(array);
  }
  for (auto [name, array] : exe.aux_dict())
    if (name.find("var") != std::string::npos)
      nd::ones(array.shape()).copyto(array);
  std::vector<double> labels = {3, 998, 5, 17};
  NDArray labelArray = exe.arg_dict().at("softmax_label");
  nd::array(labels, {kBatch}).copyto(labelArray);

  exe.forward(true);
  exe.backward();
  EXPECT_EQ(exe.stats().calls, 1u); // forward + backward in one call
  std::vector<double> probs = exe.outputs()[0].asvector<double>();
  for (int64_t n = 0; n < kBatch; ++n) {
    double total = 0;
    for (int64_t k = 0; k < kClasses; ++k)
      total += probs[n * kClasses + k];
    EXPECT_NEAR(total, 1.0, 1e-4);
  }
  // Moving statistics moved away from their initial (0, 1).
  double meanMoved = 0;
  for (double v : exe.aux_dict().at("bn0_moving_mean").asvector<double>())
    meanMoved += std::abs(v);
  EXPECT_GT(meanMoved, 0);

  // d loss / d w for one element of the first conv, the last FC and a
  // mid-network BatchNorm beta, against central differences.
  for (const char *param :
       {"conv0_weight", "stage3_unit1_bn2_beta", "stage4_unit1_sc_weight",
        "bn1_gamma", "fc1_weight"}) {
    NDArray w = exe.arg_dict().at(param);
    std::vector<double> grad = exe.grad_dict().at(param).asvector<double>();
    std::vector<double> value = w.asvector<double>();
    size_t i = 0;
    for (size_t k = 1; k < grad.size(); ++k)
      if (std::abs(grad[k]) > std::abs(grad[i]))
        i = k;
    const double h = 1e-6;
    auto lossAt = [&](double v) {
      std::vector<double> moved = value;
      moved[i] = v;
      nd::array(moved, w.shape(), cpu(), DType::Float64).copyto(w);
      return crossEntropy(exe, labels);
    };
    double fd = (lossAt(value[i] + h) - lossAt(value[i] - h)) / (2 * h);
    nd::array(value, w.shape(), cpu(), DType::Float64).copyto(w);
    EXPECT_NEAR(grad[i], fd, 1e-3 * std::abs(fd) + 1e-6)
        << param << "[" << i << "]";
  }
}
