//===- VizTest.cpp - viz::plot_network / save_network ---------------------===//

#include "mxjit/symbol.h"
#include "sym/OpRegistry.h"

#include "llvm/Support/Program.h"

#include <gtest/gtest.h>

#include <cstdlib>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace mxjit;
using namespace mxjit::sym;

namespace {

std::string fixturePath(const std::string &name) {
  return std::string(MXJIT_SYMBOL_FIXTURES) + "/" + name;
}

std::string tempPath(const std::string &tag) {
  return ::testing::TempDir() + "mxjit-viz-" + std::to_string(getpid()) + "-" +
         tag;
}

std::string readFile(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(is), {});
}

#define REQUIRE_OPS(...)                                                       \
  for (const char *op_ : {__VA_ARGS__})                                        \
  ASSERT_NE(detail::lookupOp(op_), nullptr) << "operator " << op_

#define EXPECT_CONTAINS(haystack, needle)                                      \
  EXPECT_NE((haystack).find(needle), std::string::npos)                        \
      << "missing: " << (needle) << "\nin:\n"                                  \
      << (haystack)

#define EXPECT_LACKS(haystack, needle)                                         \
  EXPECT_EQ((haystack).find(needle), std::string::npos)                        \
      << "unexpected: " << (needle) << "\nin:\n"                               \
      << (haystack)

TEST(Viz, VariablesAreOvals) {
  std::string dot =
      viz::plot_network(Group({Variable("a"), Variable("b")}), {}, "two");
  EXPECT_EQ(dot, "digraph \"two\" {\n"
                 "\t\"a\" [label=\"a\" fillcolor=\"#8dd3c7\" fixedsize=true "
                 "height=0.8034 shape=oval style=filled width=1.3]\n"
                 "\t\"b\" [label=\"b\" fillcolor=\"#8dd3c7\" fixedsize=true "
                 "height=0.8034 shape=oval style=filled width=1.3]\n"
                 "}\n");
  EXPECT_THROW(viz::plot_network(Symbol()), Error);
}

TEST(Viz, MlpLabelsColorsAndEdgeShapes) {
  REQUIRE_OPS("FullyConnected", "Activation", "SoftmaxOutput");
  Symbol mlp = load(fixturePath("mlp-symbol.json"));
  std::string dot = viz::plot_network(mlp, {{"data", {100, 784}}});
  EXPECT_CONTAINS(dot, "digraph \"plot\" {\n");
  EXPECT_CONTAINS(dot, "\"fc1\" [label=\"FullyConnected\\n128\" "
                       "fillcolor=\"#fb8072\"");
  EXPECT_CONTAINS(dot, "\"relu1\" [label=\"Activation\\nrelu\" "
                       "fillcolor=\"#ffffb3\"");
  EXPECT_CONTAINS(dot, "\"fc3\" [label=\"FullyConnected\\n10\"");
  EXPECT_CONTAINS(dot, "\"softmax\" [label=\"softmax\" fillcolor=\"#fccde5\"");
  EXPECT_CONTAINS(dot, "\"data\" [label=\"data\" fillcolor=\"#8dd3c7\"");
  // The label is an input too, but not a parameter: it stays.
  EXPECT_CONTAINS(dot, "\"softmax_label\" [label=\"softmax_label\"");
  // Edges point from a node back to its inputs, labelled with the
  // input's shape without the batch axis.
  EXPECT_CONTAINS(dot, "\"fc1\" -> \"data\" [label=\"784\" arrowtail=open "
                       "dir=back]");
  EXPECT_CONTAINS(dot, "\"relu1\" -> \"fc1\" [label=\"128\"");
  EXPECT_CONTAINS(dot, "\"fc2\" -> \"relu1\" [label=\"128\"");
  EXPECT_CONTAINS(dot, "\"softmax\" -> \"fc3\" [label=\"10\"");
  EXPECT_CONTAINS(dot, "\"softmax\" -> \"softmax_label\" [label=\"\"");
  // Weights and biases are hidden, nodes and edges.
  EXPECT_LACKS(dot, "fc1_weight");
  EXPECT_LACKS(dot, "fc2_bias");

  // Without shapes the edges are unlabelled.
  std::string plain = viz::plot_network(mlp);
  EXPECT_CONTAINS(plain, "\"fc1\" -> \"data\" [label=\"\" arrowtail=open");

  // hide_weights=false keeps the edges; Graphviz draws the weights as
  // plain nodes, as in MXNet.
  std::string all = viz::plot_network(mlp, {}, "plot", false);
  EXPECT_CONTAINS(all, "\"fc1\" -> \"fc1_weight\"");
  EXPECT_CONTAINS(all, "\"fc1\" -> \"fc1_bias\"");
  EXPECT_LACKS(all, "\t\"fc1_weight\" [label");
}

TEST(Viz, ConvolutionPoolingAndBatchNorm) {
  REQUIRE_OPS("Convolution", "Activation", "Pooling", "Flatten",
              "FullyConnected", "SoftmaxOutput");
  Symbol lenet = load(fixturePath("lenet-symbol.json"));
  std::string dot = viz::plot_network(lenet, {{"data", {8, 1, 28, 28}}});
  EXPECT_CONTAINS(dot, "\"convolution0\" [label=\"Convolution\\n5x5/1, 20\"");
  EXPECT_CONTAINS(dot, "\"activation0\" [label=\"Activation\\ntanh\"");
  EXPECT_CONTAINS(dot, "\"pooling0\" [label=\"Pooling\\nmax, 2x2/2x2\" "
                       "fillcolor=\"#80b1d3\"");
  EXPECT_CONTAINS(dot, "\"flatten0\" [label=\"flatten0\" "
                       "fillcolor=\"#fdb462\"");
  EXPECT_CONTAINS(dot, "\"activation0\" -> \"convolution0\" "
                       "[label=\"20x24x24\"");
  EXPECT_CONTAINS(dot, "\"convolution1\" -> \"pooling0\" [label=\"20x12x12\"");
  EXPECT_CONTAINS(dot, "\"fullyconnected0\" -> \"flatten0\" [label=\"800\"");

  REQUIRE_OPS("BatchNorm", "elemwise_add");
  Symbol block = load(fixturePath("resnet-block-symbol.json"));
  std::string rb = viz::plot_network(block, {{"data", {2, 32, 8, 8}}});
  EXPECT_CONTAINS(rb, "\"stage1_unit1_bn1\" [label=\"stage1_unit1_bn1\" "
                      "fillcolor=\"#bebada\"");
  EXPECT_CONTAINS(rb, "\"stage1_unit1_conv1\" [label=\"Convolution\\n3x3/"
                      "1x1, 64\"");
  EXPECT_CONTAINS(rb, "\"_plus0\" -> \"stage1_unit1_sc\" [label=\"64x8x8\"");
  EXPECT_LACKS(rb, "moving_mean");
  EXPECT_LACKS(rb, "gamma");
}

TEST(Viz, SaveNetwork) {
  Symbol net = Group({Variable("x"), Variable("y")});
  std::string path = tempPath("net.dot");
  viz::save_network(net, path);
  EXPECT_EQ(readFile(path), viz::plot_network(net));
  EXPECT_THROW(viz::save_network(net, tempPath("net.jpg"), {}, "jpg"), Error);

  if (llvm::sys::findProgramByName("dot")) {
    std::string svg = tempPath("net.svg");
    viz::save_network(net, svg, {}, "svg");
    EXPECT_NE(readFile(svg).find("<svg"), std::string::npos);
    // A real network with shapes on its edges renders too.
    Symbol lenet = load(fixturePath("lenet-symbol.json"));
    std::string png = tempPath("lenet.png");
    viz::save_network(lenet, png, {{"data", {8, 1, 28, 28}}}, "png");
    EXPECT_EQ(readFile(png).substr(0, 4), "\x89PNG");
  }
  // Without Graphviz on PATH rendering says what is missing.
  const char *oldPath = std::getenv("PATH");
  std::string saved = oldPath ? oldPath : "";
  setenv("PATH", "/nonexistent", 1);
  try {
    viz::save_network(net, tempPath("net.png"), {}, "png");
    ADD_FAILURE() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("'dot'"), std::string::npos)
        << e.what();
  }
  setenv("PATH", saved.c_str(), 1);
}

} // namespace
