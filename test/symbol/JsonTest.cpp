//===- JsonTest.cpp - MXNet symbol JSON: format, round trips, legacy ------===//
//
// Tests that need operators another change registers skip (saying which
// op is missing) until it lands, so this file never blocks a checkout.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/Graph.h"
#include "sym/OpRegistry.h"

#include "llvm/Support/JSON.h"

#include <gtest/gtest.h>

#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace mxjit;
using namespace mxjit::sym;

namespace {

std::string fixturePath(const std::string &name) {
  return std::string(MXJIT_SYMBOL_FIXTURES) + "/" + name;
}

std::string readFile(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  EXPECT_TRUE(is.good()) << path;
  return std::string(std::istreambuf_iterator<char>(is), {});
}

/// The first of `ops` that is not registered, or empty.
std::string missingOp(std::initializer_list<const char *> ops) {
  for (const char *op : ops)
    if (!detail::lookupOp(op))
      return op;
  return "";
}

#define REQUIRE_OPS(...)                                                       \
  do {                                                                         \
    std::string missing_ = missingOp({__VA_ARGS__});                           \
    ASSERT_TRUE(missing_.empty()) << "operator " << missing_ << " missing";    \
  } while (0)

/// Structural equality: same nodes in the same order with the same ops,
/// names, attributes and wiring, and the same outputs.
void expectSameGraph(const Symbol &a, const Symbol &b) {
  std::vector<detail::Node *> na = detail::topoOrder(a.entries());
  std::vector<detail::Node *> nb = detail::topoOrder(b.entries());
  ASSERT_EQ(na.size(), nb.size());
  std::map<const detail::Node *, size_t> ia, ib;
  for (size_t i = 0; i < na.size(); ++i) {
    ia[na[i]] = i;
    ib[nb[i]] = i;
  }
  for (size_t i = 0; i < na.size(); ++i) {
    SCOPED_TRACE(na[i]->name);
    EXPECT_EQ(na[i]->op, nb[i]->op);
    EXPECT_EQ(na[i]->name, nb[i]->name);
    EXPECT_EQ(na[i]->attrs, nb[i]->attrs);
    ASSERT_EQ(na[i]->inputs.size(), nb[i]->inputs.size());
    for (size_t k = 0; k < na[i]->inputs.size(); ++k) {
      EXPECT_EQ(ia[na[i]->inputs[k].node.get()],
                ib[nb[i]->inputs[k].node.get()]);
      EXPECT_EQ(na[i]->inputs[k].index, nb[i]->inputs[k].index);
    }
  }
  ASSERT_EQ(a.entries().size(), b.entries().size());
  for (size_t k = 0; k < a.entries().size(); ++k) {
    EXPECT_EQ(ia[a.entries()[k].node.get()], ib[b.entries()[k].node.get()]);
    EXPECT_EQ(a.entries()[k].index, b.entries()[k].index);
  }
  EXPECT_EQ(a.list_arguments(), b.list_arguments());
  EXPECT_EQ(a.list_outputs(), b.list_outputs());
  EXPECT_EQ(a.list_auxiliary_states(), b.list_auxiliary_states());
}

void expectRoundTrip(const Symbol &s) {
  std::string json = s.tojson();
  Symbol back = fromjson(json);
  expectSameGraph(s, back);
  EXPECT_EQ(back.tojson(), json);
}

/// Runs `fn`, expecting an mxjit::Error whose message contains every one
/// of `needles`.
template <typename Fn>
void expectError(Fn fn, std::initializer_list<std::string> needles) {
  try {
    fn();
    ADD_FAILURE() << "expected an mxjit::Error";
  } catch (const Error &e) {
    std::string msg = e.what();
    for (const std::string &n : needles)
      EXPECT_NE(msg.find(n), std::string::npos)
          << "'" << n << "' not in: " << msg;
  }
}

//===----------------------------------------------------------------------===//
// Format
//===----------------------------------------------------------------------===//

TEST(SymbolJson, VariableIsWrittenAsMXNetWritesIt) {
  // mx.sym.var('data').tojson() in MXNet 1.9.1.
  EXPECT_EQ(Variable("data").tojson(), R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "data", 
      "inputs": []
    }
  ], 
  "arg_nodes": [0], 
  "node_row_ptr": [0, 1], 
  "heads": [[0, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json");
}

TEST(SymbolJson, AttributesAndGroupsLayout) {
  Symbol w = Variable("w", {{"__lr_mult__", "2.0"}}, {3, 4});
  Symbol b = Variable("b", {{"__wd_mult__", "0"}});
  // Single-member dicts stay on one line, larger ones break per member.
  std::string json = Group({w, b}).tojson();
  EXPECT_EQ(json, R"json({
  "nodes": [
    {
      "op": "null", 
      "name": "w", 
      "attrs": {
        "__lr_mult__": "2.0", 
        "__shape__": "(3, 4)"
      }, 
      "inputs": []
    }, 
    {
      "op": "null", 
      "name": "b", 
      "attrs": {"__wd_mult__": "0"}, 
      "inputs": []
    }
  ], 
  "arg_nodes": [0, 1], 
  "node_row_ptr": [0, 1, 2], 
  "heads": [[0, 0, 0], [1, 0, 0]], 
  "attrs": {"mxnet_version": ["int", 10901]}
})json");
}

TEST(SymbolJson, LongListsBreakPerItemAndStringsEscape) {
  std::vector<Symbol> vars;
  for (int i = 0; i < 11; ++i)
    vars.push_back(Variable("v" + std::to_string(i)));
  vars.push_back(Variable("q\"uo\\te\n", {{"__k__", "tab\there"}}));
  std::string json = Group(vars).tojson();
  // More than ten numbers: one per line, indented under their key.
  EXPECT_NE(json.find("  \"arg_nodes\": [\n    0, \n    1, \n"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("    11\n  ], \n  \"node_row_ptr\": [\n    0, \n"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("  \"heads\": [\n    [0, 0, 0], \n"), std::string::npos)
      << json;
  EXPECT_NE(json.find(R"("name": "q\"uo\\te\n")"), std::string::npos) << json;
  EXPECT_NE(json.find(R"("__k__": "tab\there")"), std::string::npos) << json;
  Symbol back = fromjson(json);
  EXPECT_EQ(back.list_arguments().back(), "q\"uo\\te\n");
  EXPECT_EQ(back.tojson(), json);
}

TEST(SymbolJson, SchemaKeysAndCounts) {
  REQUIRE_OPS("FullyConnected", "Activation", "SoftmaxOutput");
  Symbol s = Symbol(fromjson(readFile(fixturePath("mlp-symbol.json"))));
  std::string json = s.tojson();
  llvm::Expected<llvm::json::Value> parsed = llvm::json::parse(json);
  ASSERT_TRUE(bool(parsed)) << llvm::toString(parsed.takeError());
  const llvm::json::Object &root = *parsed->getAsObject();
  EXPECT_EQ(root.size(), 5u);
  // Keys in MXNet's order.
  size_t nodes = json.find("\"nodes\""), args = json.find("\"arg_nodes\""),
         rows = json.find("\"node_row_ptr\""), heads = json.find("\"heads\""),
         attrs = json.rfind("\"attrs\"");
  EXPECT_LT(nodes, args);
  EXPECT_LT(args, rows);
  EXPECT_LT(rows, heads);
  EXPECT_LT(heads, attrs);
  const llvm::json::Array &ns = *root.getArray("nodes");
  ASSERT_EQ(ns.size(), 14u);
  for (const llvm::json::Value &n : ns) {
    const llvm::json::Object &o = *n.getAsObject();
    EXPECT_TRUE(o.getString("op") && o.getString("name") &&
                o.getArray("inputs"));
    for (const llvm::json::Value &e : *o.getArray("inputs"))
      EXPECT_EQ(e.getAsArray()->size(), 3u);
  }
  std::vector<int64_t> argNodes;
  for (const llvm::json::Value &v : *root.getArray("arg_nodes"))
    argNodes.push_back(*v.getAsInteger());
  EXPECT_EQ(argNodes, (std::vector<int64_t>{0, 1, 2, 5, 6, 9, 10, 12}));
  const llvm::json::Array &rowPtr = *root.getArray("node_row_ptr");
  ASSERT_EQ(rowPtr.size(), 15u);
  for (size_t i = 0; i < rowPtr.size(); ++i)
    EXPECT_EQ(*rowPtr[i].getAsInteger(), static_cast<int64_t>(i));
  const llvm::json::Array &version =
      *root.getObject("attrs")->getArray("mxnet_version");
  EXPECT_EQ(*version[0].getAsString(), "int");
  EXPECT_EQ(*version[1].getAsInteger(), 10901);
  EXPECT_EQ(json.find("\"attrs\": {}"), std::string::npos);
}

TEST(SymbolJson, HiddenOutputsCountInNodeRowPtr) {
  REQUIRE_OPS("BatchNorm");
  Symbol bn = Op("BatchNorm", {Variable("x")}, {}, "bn");
  std::string json = bn.tojson();
  // x, gamma, beta, moving_mean, moving_var, then bn with 3 outputs (its
  // output, saved mean and var) as MXNet counts them.
  EXPECT_NE(json.find("\"node_row_ptr\": [0, 1, 2, 3, 4, 5, 8]"),
            std::string::npos)
      << json;
  EXPECT_NE(json.find("\"arg_nodes\": [0, 1, 2, 3, 4]"), std::string::npos);
  expectRoundTrip(bn);
}

//===----------------------------------------------------------------------===//
// Fixtures
//===----------------------------------------------------------------------===//

struct Fixture {
  const char *file;
  std::initializer_list<const char *> ops;
};

const Fixture kMxnet1Fixtures[] = {
    {"mlp-symbol.json", {"FullyConnected", "Activation", "SoftmaxOutput"}},
    {"lenet-symbol.json",
     {"Convolution", "Activation", "Pooling", "Flatten", "FullyConnected",
      "SoftmaxOutput"}},
    {"resnet-block-symbol.json",
     {"BatchNorm", "Activation", "Convolution", "elemwise_add"}},
    {"resnet18-symbol.json",
     {"BatchNorm", "Activation", "Convolution", "Pooling", "elemwise_add",
      "Flatten", "FullyConnected", "SoftmaxOutput"}},
};

TEST(SymbolJson, MXNet1FixturesRoundTripByteForByte) {
  for (const Fixture &f : kMxnet1Fixtures) {
    SCOPED_TRACE(f.file);
    std::string missing = missingOp(f.ops);
    if (!missing.empty()) {
      std::cout << "[ SKIPPED  ] " << f.file << ": operator " << missing
                << " is not registered yet\n";
      continue;
    }
    std::string text = readFile(fixturePath(f.file));
    Symbol s = load(fixturePath(f.file));
    EXPECT_EQ(s.tojson(), text);
    expectRoundTrip(s);
  }
}

TEST(SymbolJson, MlpFixture) {
  REQUIRE_OPS("FullyConnected", "Activation", "SoftmaxOutput");
  Symbol s = load(fixturePath("mlp-symbol.json"));
  EXPECT_EQ(s.list_arguments(),
            (std::vector<std::string>{"data", "fc1_weight", "fc1_bias",
                                      "fc2_weight", "fc2_bias", "fc3_weight",
                                      "fc3_bias", "softmax_label"}));
  EXPECT_EQ(s.list_outputs(), std::vector<std::string>{"softmax_output"});
  EXPECT_TRUE(s.list_auxiliary_states().empty());
  Symbol::ShapeResult r = s.infer_shape({{"data", {32, 784}}});
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.arg_shapes[1], (Shape{128, 784}));
  EXPECT_EQ(r.arg_shapes[4], (Shape{64}));
  EXPECT_EQ(r.arg_shapes[7], (Shape{32}));
  EXPECT_EQ(r.out_shapes, std::vector<Shape>{(Shape{32, 10})});
}

TEST(SymbolJson, LenetFixture) {
  REQUIRE_OPS("Convolution", "Activation", "Pooling", "Flatten",
              "FullyConnected", "SoftmaxOutput");
  Symbol s = load(fixturePath("lenet-symbol.json"));
  EXPECT_EQ(
      s.list_arguments(),
      (std::vector<std::string>{
          "data", "convolution0_weight", "convolution0_bias",
          "convolution1_weight", "convolution1_bias", "fullyconnected0_weight",
          "fullyconnected0_bias", "fullyconnected1_weight",
          "fullyconnected1_bias", "softmax_label"}));
  EXPECT_EQ(s.list_outputs(), std::vector<std::string>{"softmax_output"});
  Symbol::ShapeResult r = s.infer_shape({{"data", {8, 1, 28, 28}}});
  EXPECT_EQ(r.arg_shapes[1], (Shape{20, 1, 5, 5}));
  EXPECT_EQ(r.arg_shapes[3], (Shape{50, 20, 5, 5}));
  EXPECT_EQ(r.arg_shapes[5], (Shape{500, 800}));
  EXPECT_EQ(r.out_shapes, std::vector<Shape>{(Shape{8, 10})});
}

TEST(SymbolJson, ResnetBlockFixture) {
  REQUIRE_OPS("BatchNorm", "Activation", "Convolution", "elemwise_add");
  Symbol s = load(fixturePath("resnet-block-symbol.json"));
  EXPECT_EQ(s.list_arguments(),
            (std::vector<std::string>{
                "data", "stage1_unit1_bn1_gamma", "stage1_unit1_bn1_beta",
                "stage1_unit1_conv1_weight", "stage1_unit1_bn2_gamma",
                "stage1_unit1_bn2_beta", "stage1_unit1_conv2_weight",
                "stage1_unit1_sc_weight"}));
  EXPECT_EQ(s.list_auxiliary_states(),
            (std::vector<std::string>{"stage1_unit1_bn1_moving_mean",
                                      "stage1_unit1_bn1_moving_var",
                                      "stage1_unit1_bn2_moving_mean",
                                      "stage1_unit1_bn2_moving_var"}));
  EXPECT_EQ(s.list_outputs(), std::vector<std::string>{"_plus0_output"});
  Symbol::ShapeResult r = s.infer_shape({{"data", {2, 32, 8, 8}}});
  EXPECT_EQ(r.arg_shapes[7], (Shape{64, 32, 1, 1}));
  EXPECT_EQ(r.aux_shapes[0], (Shape{32}));
  EXPECT_EQ(r.out_shapes, std::vector<Shape>{(Shape{2, 64, 8, 8})});
}

TEST(SymbolJson, Resnet18Fixture) {
  REQUIRE_OPS("BatchNorm", "Activation", "Convolution", "Pooling",
              "elemwise_add", "Flatten", "FullyConnected", "SoftmaxOutput");
  Symbol s = load(fixturePath("resnet18-symbol.json"));
  std::vector<std::string> args = s.list_arguments();
  std::vector<std::string> aux = s.list_auxiliary_states();
  // 19 BatchNorms (bn_data, bn0, 2 per unit, bn1): gamma, beta and two
  // moving statistics each; 21 convolutions (stem, 2 per unit, and the
  // 1x1 shortcut of each stage's first unit: resnet.py projects in stage 1
  // too); fc1 weight and bias; data and the label.
  EXPECT_EQ(aux.size(), 38u);
  EXPECT_EQ(args.size(), 2u + 19 * 2 + 21 + 2);
  EXPECT_EQ(args.front(), "data");
  EXPECT_EQ(args[1], "bn_data_gamma");
  EXPECT_EQ(args[3], "conv0_weight");
  EXPECT_EQ(args.back(), "softmax_label");
  EXPECT_EQ(aux.front(), "bn_data_moving_mean");
  EXPECT_EQ(s.list_outputs(), std::vector<std::string>{"softmax_output"});
  Symbol internals = s.get_internals();
  std::vector<std::string> outs = internals.list_outputs();
  EXPECT_NE(std::find(outs.begin(), outs.end(), "_plus7_output"), outs.end());
  EXPECT_NE(std::find(outs.begin(), outs.end(), "pooling0_output"), outs.end());
  Symbol::ShapeResult r = s.infer_shape({{"data", {1, 3, 224, 224}}});
  EXPECT_TRUE(r.complete);
  EXPECT_EQ(r.arg_shapes[3], (Shape{64, 3, 7, 7}));
  EXPECT_EQ(r.out_shapes, std::vector<Shape>{(Shape{1, 1000})});
  auto fc = std::find(args.begin(), args.end(), "fc1_weight");
  ASSERT_NE(fc, args.end());
  EXPECT_EQ(r.arg_shapes[fc - args.begin()], (Shape{1000, 512}));
}

//===----------------------------------------------------------------------===//
// Legacy files
//===----------------------------------------------------------------------===//

detail::Node *findNode(const Symbol &s, const std::string &name) {
  for (detail::Node *n : detail::topoOrder(s.entries()))
    if (n->name == name)
      return n;
  ADD_FAILURE() << "no node " << name;
  static detail::Node none;
  return &none;
}

TEST(SymbolJson, Legacy08Fixture) {
  REQUIRE_OPS("Convolution", "BatchNorm", "Activation", "Flatten",
              "FullyConnected", "SoftmaxOutput");
  Symbol s = load(fixturePath("legacy-v0.8-symbol.json"));
  // The aux states 0.8 did not save are added as MXNet's upgrade does.
  EXPECT_EQ(s.list_auxiliary_states(),
            (std::vector<std::string>{"bn1_moving_mean", "bn1_moving_var"}));
  EXPECT_EQ(s.list_arguments(),
            (std::vector<std::string>{"data", "conv1_weight", "conv1_bias",
                                      "bn1_gamma", "bn1_beta", "fc1_weight",
                                      "fc1_bias", "softmax_label"}));
  detail::Node *mean = findNode(s, "bn1_moving_mean");
  EXPECT_EQ(mean->attrs["__init__"], "[\"zero\", {}]");
  EXPECT_EQ(findNode(s, "bn1_moving_var")->attrs["__init__"], "[\"one\", {}]");
  // They carry bn1's attributes (parameters and upgraded user attributes).
  EXPECT_EQ(mean->attrs["eps"], "0.001");
  EXPECT_EQ(mean->attrs["__ctx_group__"], "stage1");
  // Bare hidden keys become __key__; "<input>_<key>" on an op moves to that
  // input's variable (overriding the variable's own lr_mult, as in MXNet).
  EXPECT_EQ(findNode(s, "data")->attrs, (AttrMap{{"__ctx_group__", "stage1"}}));
  EXPECT_EQ(findNode(s, "conv1_weight")->attrs,
            (AttrMap{{"__ctx_group__", "stage1"}, {"__lr_mult__", "2"}}));
  EXPECT_EQ(findNode(s, "conv1_bias")->attrs, (AttrMap{{"__wd_mult__", "0"}}));
  AttrMap conv = findNode(s, "conv1")->attrs;
  EXPECT_EQ(conv.count("weight_lr_mult") + conv.count("bias_wd_mult"), 0u);
  EXPECT_EQ(conv["__ctx_group__"], "stage1");
  EXPECT_EQ(conv["num_filter"], "8");
  // On a variable a prefixed key has no input to move to: it stays.
  EXPECT_EQ(findNode(s, "fc1_weight")->attrs,
            (AttrMap{{"__wd_mult__", "0.1"}, {"weight_lr_mult", "1.5"}}));
  EXPECT_EQ(findNode(s, "softmax_label")->attrs, (AttrMap{{"mood", "legacy"}}));
  // Saved again it is a current file, which loads to the same graph.
  std::string json = s.tojson();
  EXPECT_EQ(json.find("\"param\""), std::string::npos);
  EXPECT_EQ(json.find("backward_source_id"), std::string::npos);
  expectRoundTrip(s);
  Symbol::ShapeResult r = s.infer_shape({{"data", {2, 3, 8, 8}}});
  EXPECT_EQ(r.aux_shapes, (std::vector<Shape>{{8}, {8}}));
  EXPECT_EQ(r.out_shapes, std::vector<Shape>{(Shape{2, 10})});
}

TEST(SymbolJson, Legacy011AttrFixture) {
  REQUIRE_OPS("FullyConnected", "BatchNorm", "Activation", "SoftmaxOutput");
  Symbol s = load(fixturePath("legacy-v0.11-attr-symbol.json"));
  EXPECT_EQ(findNode(s, "data")->attrs, (AttrMap{{"__lr_mult__", "0"}}));
  EXPECT_EQ(findNode(s, "fc1_weight")->attrs, (AttrMap{{"num_hidden", "32"}}));
  EXPECT_EQ(findNode(s, "fc2_weight")->attrs,
            (AttrMap{{"__wd_mult__", "0.5"}, {"num_hidden", "10"}}));
  EXPECT_EQ(findNode(s, "fc2")->attrs.count("weight_wd_mult"), 0u);
  // 0.11 postdates the initializer upgrade (0.9.4): none is added.
  EXPECT_EQ(findNode(s, "bn1_moving_mean")->attrs,
            (AttrMap{{"fix_gamma", "False"}}));
  EXPECT_EQ(s.list_auxiliary_states(),
            (std::vector<std::string>{"bn1_moving_mean", "bn1_moving_var"}));
  expectRoundTrip(s);
}

TEST(SymbolJson, LegacyHiddenKeysOnVariables) {
  // 0.8 layout without ops: only the variable rules apply.
  Symbol s = fromjson(R"({
    "nodes": [{"op": "null", "param": {}, "name": "x", "inputs": [],
               "backward_source_id": -1,
               "attr": {"ctx_group": "dev1", "lr_mult": "0.1",
                        "lr_mult_extra": "1", "weight_wd_mult": "2",
                        "__mirror_stage__": "True", "mood": "calm"}}],
    "arg_nodes": [0], "heads": [[0, 0]]})");
  EXPECT_EQ(findNode(s, "x")->attrs, (AttrMap{{"__ctx_group__", "dev1"},
                                              {"__lr_mult__", "0.1"},
                                              {"__mirror_stage__", "True"},
                                              {"lr_mult_extra", "1"},
                                              {"mood", "calm"},
                                              {"weight_wd_mult", "2"}}));
  // A current file is not upgraded: bare keys stay as written.
  Symbol cur = fromjson(R"({"nodes": [{"op": "null", "name": "x",
    "attrs": {"lr_mult": "0.1"}, "inputs": []}], "arg_nodes": [0],
    "node_row_ptr": [0, 1], "heads": [[0, 0, 0]],
    "attrs": {"mxnet_version": ["int", 10901]}})");
  EXPECT_EQ(findNode(cur, "x")->attrs, (AttrMap{{"lr_mult", "0.1"}}));
}

TEST(SymbolJson, AliasesLoadAsTheirOperator) {
  REQUIRE_OPS("_Plus", "elemwise_add");
  Symbol s = fromjson(R"({"nodes": [
      {"op": "null", "name": "a", "inputs": []},
      {"op": "null", "name": "b", "inputs": []},
      {"op": "_Plus", "name": "p", "inputs": [[0, 0, 0], [1, 0, 0]]}],
    "arg_nodes": [0, 1], "heads": [[2, 0, 0]]})");
  std::string canonical = detail::lookupOp("_Plus")->name;
  EXPECT_EQ(findNode(s, "p")->op, canonical);
  EXPECT_NE(s.tojson().find("\"op\": \"" + canonical + "\""),
            std::string::npos);
}

//===----------------------------------------------------------------------===//
// Every registered operator
//===----------------------------------------------------------------------===//

/// Parameters that make a valid call of each operator that needs some.
const std::map<std::string, Kwargs> &opParams() {
  static const std::map<std::string, Kwargs> params = {
      {"FullyConnected", {{"num_hidden", 4}}},
      {"Convolution", {{"kernel", Shape{3, 3}}, {"num_filter", 2}}},
      {"Deconvolution", {{"kernel", Shape{3, 3}}, {"num_filter", 2}}},
      {"Pooling", {{"kernel", Shape{2, 2}}, {"pool_type", "max"}}},
      {"Activation", {{"act_type", "relu"}}},
      {"LeakyReLU", {{"act_type", "leaky"}}},
      {"Reshape", {{"shape", Shape{-1}}}},
      {"reshape", {{"shape", Shape{-1}}}},
      {"broadcast_to", {{"shape", Shape{2, 2}}}},
      {"expand_dims", {{"axis", 0}}},
      {"slice", {{"begin", "(0,)"}, {"end", "(1,)"}}},
      {"slice_axis", {{"axis", 0}, {"begin", 0}, {"end", 1}}},
      {"SliceChannel", {{"num_outputs", 2}}},
      {"split", {{"num_outputs", 2}}},
      {"Cast", {{"dtype", "float64"}}},
      {"cast", {{"dtype", "float64"}}},
      {"clip", {{"a_min", 0}, {"a_max", 1}}},
      {"one_hot", {{"depth", 3}}},
      {"Embedding", {{"input_dim", 4}, {"output_dim", 2}}},
      {"tile", {{"reps", Shape{2}}}},
      {"repeat", {{"repeats", 2}}},
      {"LRN", {{"nsize", 3}}},
      {"Pad",
       {{"mode", "constant"}, {"pad_width", Shape{0, 0, 0, 0, 1, 1, 1, 1}}}},
      {"UpSampling", {{"scale", 2}, {"sample_type", "nearest"}}},
  };
  return params;
}

TEST(SymbolJson, EveryRegisteredOperatorRoundTrips) {
  std::vector<std::string> ops = list_operators();
  size_t tested = 0;
  for (const std::string &op : ops) {
    SCOPED_TRACE(op);
    const detail::OpInfo *info = detail::lookupOp(op);
    ASSERT_NE(info, nullptr);
    Kwargs kwargs;
    auto it = opParams().find(op);
    if (it == opParams().end())
      it = opParams().find(info->name);
    if (it != opParams().end())
      kwargs = it->second;
    // Scalar ops (_plus_scalar, _PlusScalar, ...) all take `scalar`.
    if (info->name.find("scalar") != std::string::npos ||
        info->name.find("Scalar") != std::string::npos)
      kwargs.push_back({"scalar", 2.5});
    std::vector<Symbol> positional;
    if (!info->keyVarNumArgs.empty())
      positional = {Variable("a"), Variable("b"), Variable("c")};
    Symbol s;
    try {
      s = Op(op, positional, kwargs, "node");
    } catch (const Error &e) {
      ADD_FAILURE() << "cannot build " << op << " (add its parameters to "
                    << "opParams() in JsonTest.cpp): " << e.what();
      continue;
    }
    expectRoundTrip(s);
    // As part of a graph: an output consumed by another node.
    if (detail::lookupOp("BlockGrad") && s.num_outputs() >= 1)
      expectRoundTrip(Group({Op("BlockGrad", {s[0]}, {}, "consumer"), s}));
    ++tested;
  }
  std::cout << "[   INFO   ] " << tested << " of " << ops.size()
            << " operator names round-tripped\n";
}

TEST(SymbolJson, GraphsWithSharedNodesAndInternals) {
  REQUIRE_OPS("FullyConnected", "Activation", "elemwise_add");
  Symbol x = Variable("x");
  Symbol fc = Op("FullyConnected", {x}, {{"num_hidden", 3}}, "fc");
  Symbol act = Op("Activation", {fc}, {{"act_type", "tanh"}}, "act");
  // fc is used twice; x feeds both fc and the sum.
  Symbol sum = Op("elemwise_add", {act, fc}, {}, "sum");
  Symbol g = Group({sum, fc, act});
  expectRoundTrip(g);
  expectRoundTrip(g.get_internals());
  expectRoundTrip(sum.get_children());
  std::string path = ::testing::TempDir() + "mxjit-json-" +
                     std::to_string(getpid()) + "-symbol.json";
  g.save(path);
  EXPECT_EQ(readFile(path), g.tojson());
  expectSameGraph(load(path), g);
}

//===----------------------------------------------------------------------===//
// Errors
//===----------------------------------------------------------------------===//

TEST(SymbolJson, UnknownOperatorNamesOpAndNode) {
  expectError(
      [] {
        fromjson(R"({"nodes": [{"op": "null", "name": "x", "inputs": []},
          {"op": "NoSuchOp", "name": "mystery", "inputs": [[0, 0, 0]]}],
          "arg_nodes": [0], "heads": [[1, 0, 0]]})");
      },
      {"NoSuchOp", "mystery", "nodes[1]"});
}

TEST(SymbolJson, MalformedJsonSaysWhatIsWrong) {
  auto bad = [](const std::string &json,
                std::initializer_list<std::string> needles) {
    SCOPED_TRACE(json);
    expectError([&] { fromjson(json); }, needles);
  };
  bad("", {"malformed JSON"});
  bad("{\"nodes\": [", {"malformed JSON"});
  bad("{\"nodes\": []} trailing", {"malformed JSON"});
  bad("[]", {"expected an object"});
  bad("{}", {"missing field \"nodes\""});
  bad("{\"nodes\": {}}", {"nodes", "expected an array"});
  bad(R"({"nodes": [{"op": "null", "inputs": []}], "heads": [[0, 0]]})",
      {"nodes[0]", "missing field \"name\""});
  bad(R"({"nodes": [{"op": 3, "name": "x", "inputs": []}]})",
      {"nodes[0].op", "expected a string"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}]})",
      {"missing field \"heads\""});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": []})",
      {"no outputs"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [[1, 0, 0]]})",
      {"heads[0]", "refers to node 1"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [[0, 1, 0]]})",
      {"heads[0]", "output 1 of node 'x'"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [[0]]})",
      {"heads[0]", "node entry"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [[0, -1]]})",
      {"heads[0][1]", "out of range"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [["0", 0]]})",
      {"heads[0][0]", "expected an integer"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": [[0, 0]]}],
          "heads": [[0, 0]]})",
      {"nodes[0].inputs[0]", "does not come before"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": [],
          "attrs": {"k": 1}}], "heads": [[0, 0]]})",
      {"nodes[0].attrs", "attribute \"k\" must be a string"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "arg_nodes": [3], "heads": [[0, 0]]})",
      {"arg_nodes[0]", "out of range"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": []}],
          "heads": [[0, 0]], "attrs": {"mxnet_version": ["str", "1"]}})",
      {"mxnet_version"});
  bad(R"({"nodes": [{"op": "null", "name": "x", "inputs": [],
          "control_deps": [0]}], "heads": [[0, 0]]})",
      {"control_deps", "not support"});
}

TEST(SymbolJson, BadOperatorNodes) {
  REQUIRE_OPS("FullyConnected");
  // Too few inputs in a current file (only 0.8 files are upgraded).
  expectError(
      [] {
        fromjson(R"({"nodes": [{"op": "null", "name": "x", "inputs": []},
          {"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "2"},
           "inputs": [[0, 0, 0]]}], "arg_nodes": [0], "heads": [[1, 0, 0]],
           "attrs": {"mxnet_version": ["int", 10901]}})");
      },
      {"nodes[1]", "fc", "1 inputs, expected 3"});
  // A parameter the op does not have.
  expectError(
      [] {
        fromjson(R"({"nodes": [{"op": "null", "name": "x", "inputs": []},
          {"op": "null", "name": "w", "inputs": []},
          {"op": "null", "name": "b", "inputs": []},
          {"op": "FullyConnected", "name": "fc",
           "attrs": {"num_hidden": "2", "bogus": "1"},
           "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]}],
           "arg_nodes": [0, 1, 2], "heads": [[3, 0, 0]]})");
      },
      {"fc", "bogus"});
  // arg_nodes naming an operator node.
  expectError(
      [] {
        fromjson(R"({"nodes": [{"op": "null", "name": "x", "inputs": []},
          {"op": "null", "name": "w", "inputs": []},
          {"op": "null", "name": "b", "inputs": []},
          {"op": "FullyConnected", "name": "fc", "attrs": {"num_hidden": "2"},
           "inputs": [[0, 0, 0], [1, 0, 0], [2, 0, 0]]}],
           "arg_nodes": [3], "heads": [[3, 0, 0]]})");
      },
      {"arg_nodes[0]", "'fc'", "not a variable"});
}

TEST(SymbolJson, CorruptedFilesOnlyThrowMxjitErrors) {
  REQUIRE_OPS("Convolution", "BatchNorm", "Activation", "Flatten",
              "FullyConnected", "SoftmaxOutput");
  // Every truncation and a spread of single-byte corruptions of two
  // fixtures: each either loads or throws mxjit::Error, nothing else.
  for (const char *file : {"legacy-v0.8-symbol.json", "mlp-symbol.json"}) {
    std::string good = readFile(fixturePath(file));
    auto attempt = [&](const std::string &text) {
      try {
        Symbol s = fromjson(text);
        s.tojson();
      } catch (const Error &) {
      } catch (const std::exception &e) {
        ADD_FAILURE() << file << ": non-mxjit exception " << e.what()
                      << " for:\n"
                      << text;
      }
    };
    for (size_t n = 0; n < good.size(); n += 7)
      attempt(good.substr(0, n));
    for (size_t i = 0; i < good.size(); i += 3)
      for (char c : {'"', '}', ']', '0', '9', '-', 'x', ','}) {
        std::string bad = good;
        bad[i] = c;
        attempt(bad);
      }
  }
}

TEST(SymbolJson, FileErrorsNameTheFile) {
  expectError([] { load("/nonexistent/net-symbol.json"); },
              {"/nonexistent/net-symbol.json"});
  std::string path = ::testing::TempDir() + "mxjit-json-" +
                     std::to_string(getpid()) + "-bad.json";
  std::ofstream(path) << "{\"nodes\": [}";
  expectError([&] { load(path); }, {path, "malformed JSON"});
  expectError([] { Symbol().tojson(); }, {"empty"});
  expectError([] { Variable("x").save("/nonexistent/dir/x.json"); },
              {"/nonexistent/dir/x.json"});
}

} // namespace
