//===- DocExampleTest.cpp - the example of docs/symbol.md -----------------===//
//
// The overview and executor code blocks of docs/symbol.md, verbatim, plus
// the checks their comments state.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/OpRegistry.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::sym;

TEST(SymbolDocExamples, Overview) {
  Symbol data = Variable("data");
  Symbol net = FullyConnected(data, {{"num_hidden", 128}}, "fc1");
  net = Activation(net, {{"act_type", "relu"}}, "relu1");
  net = FullyConnected(net, {{"num_hidden", 10}}, "fc2");
  net = SoftmaxOutput(net, {}, "softmax");

  net.list_arguments(); // data fc1_weight fc1_bias fc2_weight fc2_bias
                        // softmax_label
  net.list_outputs();   // softmax_output
  auto shapes = net.infer_shape({{"data", {32, 784}}});
  Shape w1 = shapes.arg_shapes[1]; // (128, 784): fc1_weight, inferred backwards
  Shape out = shapes.out_shapes[0]; // (32, 10)
  Symbol fc1 = net.get_internals()["fc1_output"];

  EXPECT_EQ(
      net.list_arguments(),
      (std::vector<std::string>{"data", "fc1_weight", "fc1_bias", "fc2_weight",
                                "fc2_bias", "softmax_label"}));
  EXPECT_EQ(net.list_outputs(), std::vector<std::string>{"softmax_output"});
  EXPECT_EQ(w1, (Shape{128, 784}));
  EXPECT_EQ(shapes.arg_shapes[5], (Shape{32}));
  EXPECT_EQ(out, (Shape{32, 10}));
  EXPECT_EQ(fc1.name(), "fc1");
}

TEST(SymbolDocExamples, Executor) {
  sym::Symbol data = sym::Variable("data");
  sym::Symbol net = sym::FullyConnected(data, {{"num_hidden", 128}}, "fc1");
  net = sym::Activation(net, {{"act_type", "relu"}}, "relu1");
  net = sym::FullyConnected(net, {{"num_hidden", 10}}, "fc2");
  net = sym::SoftmaxOutput(net, {}, "softmax");

  // Shapes of some arguments; the rest (fc1_weight, softmax_label, ...) are
  // inferred and every array is allocated (zeros).
  sym::Executor exe = net.simple_bind(cpu(), {{"data", {32, 784}}});
  nd::NDArray batch = nd::random::uniform(0, 1, {32, 784});
  nd::NDArray labels = nd::arange(0, 32) / 4.0; // class ids 0..7 as floats
  exe.forward(/*is_train=*/true, {{"data", batch}, {"softmax_label", labels}});
  exe.backward(); // loss heads need no out_grads
  nd::NDArray dw = exe.grad_dict().at("fc1_weight");
  nd::NDArray probs = exe.outputs()[0];

  EXPECT_EQ(dw.shape(), (nd::Shape{128, 784}));
  EXPECT_EQ(probs.shape(), (nd::Shape{32, 10}));
  // All weights are zero, so every class is equally likely.
  EXPECT_NEAR(probs.asvector<double>()[7], 0.1, 1e-6);
  // ... and the first layer gets no gradient through the zero fc2_weight,
  // while fc2_bias gets the mean of (p - onehot) summed over the batch.
  EXPECT_EQ(nd::sum(nd::abs(dw)).asscalar(), 0.0);
  EXPECT_NEAR(exe.grad_dict().at("fc2_bias").asvector<double>()[0],
              32 * 0.1 - 4, 1e-5);
}
