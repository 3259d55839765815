//===- DocExampleTest.cpp - the example of docs/symbol.md -----------------===//
//
// The first code block of docs/symbol.md, verbatim, plus the checks its
// comments state.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/OpRegistry.h"

#include <gtest/gtest.h>

using namespace mxjit;
using namespace mxjit::sym;

TEST(SymbolDocExamples, Overview) {
  if (!detail::lookupOp("SoftmaxOutput"))
    GTEST_SKIP() << "SoftmaxOutput is not registered in this build";
  Symbol data = Variable("data");
  Symbol net = FullyConnected(data, {{"num_hidden", 128}}, "fc1");
  net = Activation(net, {{"act_type", "relu"}}, "relu1");
  net = FullyConnected(net, {{"num_hidden", 10}}, "fc2");
  net = SoftmaxOutput(net, {}, "softmax");

  net.list_arguments(); // data fc1_weight fc1_bias fc2_weight fc2_bias
                        // softmax_label
  net.list_outputs();   // softmax_output
  auto shapes = net.infer_shape({{"data", {32, 784}}});
  shapes.arg_shapes[1]; // (128, 784): fc1_weight, inferred backwards
  shapes.out_shapes[0]; // (32, 10)
  Symbol fc1 = net.get_internals()["fc1_output"];

  EXPECT_EQ(
      net.list_arguments(),
      (std::vector<std::string>{"data", "fc1_weight", "fc1_bias", "fc2_weight",
                                "fc2_bias", "softmax_label"}));
  EXPECT_EQ(net.list_outputs(), std::vector<std::string>{"softmax_output"});
  EXPECT_EQ(shapes.arg_shapes[1], (Shape{128, 784}));
  EXPECT_EQ(shapes.arg_shapes[5], (Shape{32}));
  EXPECT_EQ(shapes.out_shapes[0], (Shape{32, 10}));
  EXPECT_EQ(fc1.name(), "fc1");
}
