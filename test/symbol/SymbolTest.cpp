//===- SymbolTest.cpp - Symbol construction, naming and inspection --------===//
//
// The semantics of MXNet 1.x's tests/python/unittest/test_symbol.py and
// test_attr.py, in C++.
//
//===----------------------------------------------------------------------===//

#include "mxjit/symbol.h"
#include "sym/Graph.h"

#include "runtime/Error.h"

#include "SymbolTestUtil.h"

#include <gtest/gtest.h>

#include <algorithm>

using namespace mxjit;
using namespace mxjit::symtest;
using namespace mxjit::sym;

namespace {

using Names = std::vector<std::string>;

/// data -> fc1 -> relu1 -> fc2, MXNet's two-layer perceptron.
Symbol mlp2() {
  Symbol data = Variable("data");
  Symbol out = FullyConnected(data, {{"num_hidden", 1000}}, "fc1");
  out = Activation(out, {{"act_type", "relu"}});
  out = FullyConnected(out, {{"num_hidden", 10}}, "fc2");
  return out;
}

} // namespace

TEST(Symbol, BasicListings) {
  name::NameManager fresh;
  Symbol m = mlp2();
  EXPECT_EQ(m.list_arguments(), (Names{"data", "fc1_weight", "fc1_bias",
                                       "fc2_weight", "fc2_bias"}));
  EXPECT_EQ(m.list_outputs(), (Names{"fc2_output"}));
  EXPECT_EQ(m.list_auxiliary_states(), Names{});
  EXPECT_EQ(m.list_inputs(), m.list_arguments());
  EXPECT_EQ(m.name(), "fc2");
  EXPECT_EQ(m.num_outputs(), 1u);
}

TEST(Symbol, VariableListsItself) {
  Symbol x = Variable("x");
  EXPECT_EQ(x.list_arguments(), Names{"x"});
  EXPECT_EQ(x.list_outputs(), Names{"x"});
  EXPECT_EQ(x.name(), "x");
  EXPECT_THROW(Variable(""), Error);
}

TEST(Symbol, AutomaticNamesCountPerOp) {
  name::NameManager fresh;
  Symbol a = Variable("a"), b = Variable("b");
  Symbol fc0 = FullyConnected(a, {{"num_hidden", 3}});
  Symbol fc1 = FullyConnected(b, {{"num_hidden", 3}});
  EXPECT_EQ(fc0.name(), "fullyconnected0");
  EXPECT_EQ(fc1.name(), "fullyconnected1");
  EXPECT_EQ(fc0.list_arguments(),
            (Names{"a", "fullyconnected0_weight", "fullyconnected0_bias"}));
  // Operators use Python's internal op names as hints and MXNet's canonical
  // op underneath.
  Symbol sum = a + b;
  EXPECT_EQ(sum.name(), "_plus0");
  EXPECT_EQ((a + b).name(), "_plus1");
  EXPECT_EQ((a * 2.0).name(), "_mulscalar0");
  EXPECT_EQ((a - b).name(), "_minus0");
  EXPECT_EQ(Activation(a, {{"act_type", "relu"}}).name(), "activation0");
  EXPECT_EQ(Op("elemwise_add", {a, b}).name(), "elemwise_add0");
}

TEST(Symbol, NameManagerRestartsCountersAndRestores) {
  name::NameManager outer;
  Symbol a = Variable("a");
  EXPECT_EQ(FullyConnected(a, {{"num_hidden", 2}}).name(), "fullyconnected0");
  {
    name::NameManager inner;
    EXPECT_EQ(FullyConnected(a, {{"num_hidden", 2}}).name(), "fullyconnected0");
  }
  EXPECT_EQ(FullyConnected(a, {{"num_hidden", 2}}).name(), "fullyconnected1");
}

TEST(Symbol, PrefixAppliesToAutomaticAndExplicitNames) {
  name::NameManager fresh;
  Symbol data = Variable("data");
  Symbol fc;
  {
    name::Prefix prefix("mlp_");
    fc = FullyConnected(data, {{"num_hidden", 4}}, "fc1");
    Symbol act = Activation(fc, {{"act_type", "tanh"}});
    EXPECT_EQ(act.name(), "mlp_activation0");
    // Variables keep their names, as in MXNet.
    EXPECT_EQ(Variable("w").name(), "w");
  }
  EXPECT_EQ(fc.name(), "mlp_fc1");
  EXPECT_EQ(fc.list_arguments(),
            (Names{"data", "mlp_fc1_weight", "mlp_fc1_bias"}));
  EXPECT_EQ(Activation(data, {{"act_type", "relu"}}).name(), "activation0");
}

TEST(Symbol, NameKeywordAndConflicts) {
  Symbol a = Variable("a");
  EXPECT_EQ(FullyConnected(a, {{"num_hidden", 2}, {"name", "dense"}}).name(),
            "dense");
  EXPECT_THROW(FullyConnected(a, {{"num_hidden", 2}, {"name", "x"}}, "y"),
               Error);
}

TEST(Symbol, Compose) {
  name::NameManager fresh;
  Symbol data = Variable("data");
  Symbol net1 = FullyConnected(data, {{"num_hidden", 10}}, "fc1");
  net1 = FullyConnected(net1, {{"num_hidden", 100}}, "fc2");
  EXPECT_EQ(net1.list_arguments(), (Names{"data", "fc1_weight", "fc1_bias",
                                          "fc2_weight", "fc2_bias"}));

  Symbol net2 =
      FullyConnected(Variable("fc3_data"), {{"num_hidden", 10}}, "fc3");
  net2 = Activation(net2, {{"act_type", "relu"}});
  net2 = FullyConnected(net2, {{"num_hidden", 20}}, "fc4");

  Symbol composed = net2({{"fc3_data", net1}}, "composed");
  EXPECT_EQ(composed.name(), "composed");
  EXPECT_EQ(composed.list_arguments(),
            (Names{"data", "fc1_weight", "fc1_bias", "fc2_weight", "fc2_bias",
                   "fc3_weight", "fc3_bias", "fc4_weight", "fc4_bias"}));
  // Composition copies: net2 is unchanged.
  EXPECT_EQ(net2.name(), "fc4");
  EXPECT_EQ(net2.list_arguments().front(), "fc3_data");

  Symbol multi = Group({composed, net1});
  EXPECT_EQ(multi.list_outputs(), (Names{"composed_output", "fc2_output"}));
  EXPECT_EQ(multi.num_outputs(), 2u);
}

TEST(Symbol, ComposePositionalAndErrors) {
  Symbol x = Variable("x"), y = Variable("y");
  Symbol f = Op("elemwise_add", {x, y}, {}, "f");
  Symbol p = Variable("p"), q = Variable("q");
  Symbol g = f(std::vector<Symbol>{p, q});
  EXPECT_EQ(g.list_arguments(), (Names{"p", "q"}));
  std::string msg = errorOf([&] { f({{"nothere", p}}); });
  EXPECT_TRUE(contains(msg, "nothere")) << msg;
  EXPECT_TRUE(contains(msg, "x, y")) << msg;
  EXPECT_THROW(f(std::vector<Symbol>{p, q, x}), Error);
  EXPECT_THROW(x({{"x", p}}), Error); // a variable cannot be composed
  EXPECT_THROW(f({{"x", Group({p, q})}}), Error);
}

TEST(Symbol, Internals) {
  name::NameManager fresh;
  Symbol data = Variable("data");
  Symbol oldfc = FullyConnected(data, {{"num_hidden", 10}}, "fc1");
  Symbol net1 = FullyConnected(oldfc, {{"num_hidden", 100}}, "fc2");
  EXPECT_EQ(net1.list_arguments(), (Names{"data", "fc1_weight", "fc1_bias",
                                          "fc2_weight", "fc2_bias"}));
  Symbol internals = net1.get_internals();
  EXPECT_EQ(internals.list_outputs(),
            (Names{"data", "fc1_weight", "fc1_bias", "fc1_output", "fc2_weight",
                   "fc2_bias", "fc2_output"}));
  Symbol fc1 = internals["fc1_output"];
  EXPECT_EQ(fc1.list_arguments(), oldfc.list_arguments());
  EXPECT_EQ(internals[3].name(), "fc1");
  EXPECT_THROW(internals["nope_output"], Error);
  EXPECT_THROW(internals[7], Error);
}

TEST(Symbol, Children) {
  name::NameManager fresh;
  Symbol x = Variable("x");
  Symbol y = Variable("y");
  Symbol z = Variable("z");
  Symbol sum = x + y;
  Symbol out = Op("elemwise_mul", {sum, z}, {}, "out");
  EXPECT_EQ(out.get_children().list_outputs(), (Names{"_plus0_output", "z"}));
  EXPECT_EQ(out.get_children().get_children().list_outputs(),
            (Names{"x", "y"}));
  EXPECT_TRUE(x.get_children().empty());
  Symbol fc = FullyConnected(x, {{"num_hidden", 3}}, "fc");
  EXPECT_EQ(fc.get_children().list_outputs(),
            (Names{"x", "fc_weight", "fc_bias"}));
}

TEST(Symbol, MissingInputsBecomeVariables) {
  name::NameManager fresh;
  Symbol x = Variable("x");
  Symbol fc = FullyConnected(x, {{"num_hidden", 3}, {"no_bias", true}}, "fc");
  EXPECT_EQ(fc.list_arguments(), (Names{"x", "fc_weight"}));
  EXPECT_EQ(fc.list_attr().at("no_bias"), "True");
  Symbol w = Variable("shared_w");
  Symbol fc2 = FullyConnected(x, {{"num_hidden", 3}, {"weight", w}}, "fc2");
  EXPECT_EQ(fc2.list_arguments(), (Names{"x", "shared_w", "fc2_bias"}));
  // Creating with no data at all names every input after the op.
  Symbol lone = Op("FullyConnected", {}, {{"num_hidden", 2}}, "lone");
  EXPECT_EQ(lone.list_arguments(),
            (Names{"lone_data", "lone_weight", "lone_bias"}));
}

TEST(Symbol, Copy) {
  Symbol m = mlp2();
  Symbol c = m.copy();
  EXPECT_EQ(c.list_arguments(), m.list_arguments());
  EXPECT_EQ(c.debug_str(), m.debug_str());
  EXPECT_NE(c.entries()[0].node, m.entries()[0].node);
  c.set_attr({{"__mood__", "calm"}});
  EXPECT_FALSE(m.attr("__mood__").has_value());
  EXPECT_EQ(*c.attr("mood"), "calm");
}

TEST(Symbol, AttrBasic) {
  Symbol data;
  Symbol gdata;
  {
    AttrScope scope({{"group", "4"}, {"data", "great"}});
    data = Variable("data", {{"dtype", "data"},
                             {"group", "1"},
                             {"force_mirroring", "True"},
                             {"lr_mult", "1"}});
    gdata = Variable("data2");
  }
  EXPECT_EQ(*gdata.attr("group"), "4");
  EXPECT_EQ(*data.attr("group"), "1");
  EXPECT_EQ(*data.attr("lr_mult"), "1");
  EXPECT_EQ(*data.attr("__lr_mult__"), "1");
  EXPECT_EQ(*data.attr("force_mirroring"), "True");
  EXPECT_EQ(*data.attr("__force_mirroring__"), "True");
  EXPECT_EQ(*data.attr("data"), "great");
  EXPECT_FALSE(Variable("plain").attr("group").has_value());
}

TEST(Symbol, AttrOnOperators) {
  name::NameManager fresh;
  Symbol data = Variable("data");
  Symbol fc1, fc2;
  {
    AttrScope scope({{"__group__", "4"}, {"__data__", "great"}});
    fc1 = Activation(data, {{"act_type", "relu"}});
    {
      AttrScope inner({{"__init_bias__", "0.0"}});
      fc2 = FullyConnected(fc1, {{"num_hidden", 10}}, "fc2");
    }
  }
  EXPECT_EQ(*fc1.attr("__data__"), "great");
  EXPECT_EQ(*fc2.attr("__data__"), "great");
  EXPECT_EQ(*fc2.attr("__init_bias__"), "0.0");
  EXPECT_EQ(*fc2.attr("num_hidden"), "10");
  // The automatically created weight inherits the user attributes.
  Symbol weight = fc2.get_internals()["fc2_weight"];
  EXPECT_EQ(*weight.attr("__data__"), "great");
  // A plain (non-hidden, non-__x__) scope key is not a parameter.
  AttrScope bad({{"group", "4"}});
  std::string msg = errorOf([&] { Activation(data, {{"act_type", "relu"}}); });
  EXPECT_TRUE(contains(msg, "unknown parameter 'group'")) << msg;
}

TEST(Symbol, ListAttrAndAttrDict) {
  Symbol data = Variable("data", {{"mood", "angry"}});
  Symbol op = FullyConnected(
      data,
      {{"num_hidden", 1}, {"attr", "{'__mood__': 'so so', 'lr_mult': 1}"}},
      "conv");
  EXPECT_EQ(op.list_attr(), (AttrMap{{"__mood__", "so so"},
                                     {"__lr_mult__", "1"},
                                     {"num_hidden", "1"}}));
  auto dict = op.attr_dict();
  EXPECT_EQ(dict.at("data"), (AttrMap{{"mood", "angry"}}));
  EXPECT_EQ(dict.at("conv_weight"), (AttrMap{{"__mood__", "so so"}}));
  EXPECT_EQ(dict.at("conv_bias"), (AttrMap{{"__mood__", "so so"}}));
  EXPECT_EQ(dict.at("conv").at("__lr_mult__"), "1");
  EXPECT_EQ(dict.size(), 4u);
}

TEST(Symbol, SetAttrAndVariableShapeDtype) {
  Symbol x = Variable("x", {}, {2, 3}, DType::Int32);
  EXPECT_EQ(*x.attr("__shape__"), "(2, 3)");
  EXPECT_EQ(*x.attr("__dtype__"), "4");
  EXPECT_EQ(*Variable("f", {}, {}, DType::Float32).attr("__dtype__"), "0");
  EXPECT_EQ(*Variable("v", {}, {5}).attr("__shape__"), "(5,)");
  x.set_attr({{"ctx_group", "dev1"}});
  EXPECT_EQ(x.list_attr().at("__ctx_group__"), "dev1");
  Symbol g = Group({x, Variable("y")});
  EXPECT_THROW(g.set_attr({{"a", "b"}}), Error);
  EXPECT_FALSE(g.attr("__shape__").has_value());
  EXPECT_THROW(g.name(), Error);
}

TEST(Symbol, ArgSpellings) {
  EXPECT_EQ(Arg(true).str(), "True");
  EXPECT_EQ(Arg(false).str(), "False");
  EXPECT_EQ(Arg(3).str(), "3");
  EXPECT_EQ(Arg(0.9).str(), "0.9");
  EXPECT_EQ(Arg(1.0).str(), "1.0");
  EXPECT_EQ(Arg(-1.0).str(), "-1.0");
  EXPECT_EQ(Arg(1e-5).str(), "1e-05");
  EXPECT_EQ(Arg(0.001).str(), "0.001");
  EXPECT_EQ(Arg(1e20).str(), "1e+20");
  EXPECT_EQ(Arg(123.456).str(), "123.456");
  EXPECT_EQ(Arg(Shape{3, 3}).str(), "(3, 3)");
  EXPECT_EQ(Arg({2}).str(), "(2,)");
  EXPECT_EQ(Arg(Shape{}).str(), "()");
  EXPECT_EQ(Arg("relu").str(), "relu");
  EXPECT_TRUE(Arg(Variable("v")).isSymbol());
}

TEST(Symbol, OperatorsMapToMXNetOps) {
  name::NameManager fresh;
  Symbol a = Variable("a"), b = Variable("b");
  auto opOf = [](const Symbol &s) { return s.entries()[0].node->op; };
  EXPECT_EQ(opOf(a + b), "elemwise_add");
  EXPECT_EQ(opOf(a - b), "elemwise_sub");
  EXPECT_EQ(opOf(a * b), "elemwise_mul");
  EXPECT_EQ(opOf(a / b), "elemwise_div");
  EXPECT_EQ(opOf(pow(a, b)), "_power");
  EXPECT_EQ(opOf(a + 1.0), "_plus_scalar");
  EXPECT_EQ(opOf(1.0 - a), "_rminus_scalar");
  EXPECT_EQ(opOf(1.0 / a), "_rdiv_scalar");
  EXPECT_EQ(opOf(pow(2.0, a)), "_rpower_scalar");
  EXPECT_EQ(opOf(pow(a, 2.0)), "_power_scalar");
  EXPECT_EQ(opOf(a == b), "_equal");
  EXPECT_EQ(opOf(a != 1.0), "_not_equal_scalar");
  // 2 < a is a > 2, as Python reflects it.
  EXPECT_EQ(opOf(2.0 < a), "_greater_scalar");
  EXPECT_EQ(opOf(2.0 >= a), "_lesser_equal_scalar");
  Symbol neg = -a;
  EXPECT_EQ(opOf(neg), "_mul_scalar");
  EXPECT_EQ(neg.list_attr().at("scalar"), "-1.0");
  EXPECT_EQ((a * 2.5).list_attr().at("scalar"), "2.5");
}

TEST(Symbol, VariadicOps) {
  name::NameManager fresh;
  Symbol a = Variable("a"), b = Variable("b"), c = Variable("c");
  Symbol cat = Concat({a, b, c}, {{"dim", 0}});
  EXPECT_EQ(cat.name(), "concat0");
  EXPECT_EQ(cat.list_attr().at("num_args"), "3");
  EXPECT_EQ(cat.list_arguments(), (Names{"a", "b", "c"}));
  Symbol s = add_n({a, b});
  EXPECT_EQ(s.entries()[0].node->op, "add_n");
  EXPECT_THROW(Concat({a, b}, {{"num_args", 3}}), Error);
}

TEST(Symbol, MultiOutputSplit) {
  name::NameManager fresh;
  Symbol x = Variable("x");
  Symbol parts = SliceChannel(x, {{"num_outputs", 3}}, "sp");
  EXPECT_EQ(parts.num_outputs(), 3u);
  EXPECT_EQ(parts.list_outputs(),
            (Names{"sp_output0", "sp_output1", "sp_output2"}));
  EXPECT_EQ(parts.name(), "sp");
  EXPECT_EQ(parts[1].list_outputs(), Names{"sp_output1"});
  EXPECT_EQ(parts["sp_output2"].entries()[0].index, 2u);
  // A multi-output symbol is not a single input.
  EXPECT_THROW(Activation(parts, {{"act_type", "relu"}}), Error);
  EXPECT_EQ(split(x, {{"num_outputs", 2}}).name(), "split0");
}

TEST(Symbol, DebugStr) {
  name::NameManager fresh;
  Symbol x = Variable("x");
  EXPECT_EQ(x.debug_str(), "Variable:x\n");
  Symbol fc = FullyConnected(x, {{"num_hidden", 4}}, "fc");
  EXPECT_EQ(fc.debug_str(), "Symbol Outputs:\n"
                            "\toutput[0]=fc(0)\n"
                            "Variable:x\n"
                            "Variable:fc_weight\n"
                            "Variable:fc_bias\n"
                            "--------------------\n"
                            "Op:FullyConnected, Name=fc\n"
                            "Inputs:\n"
                            "\targ[0]=x(0) version=0\n"
                            "\targ[1]=fc_weight(0) version=0\n"
                            "\targ[2]=fc_bias(0) version=0\n"
                            "Attrs:\n"
                            "\tnum_hidden=4\n");
}

TEST(Symbol, ListOperators) {
  std::vector<std::string> ops = list_operators();
  EXPECT_TRUE(std::is_sorted(ops.begin(), ops.end()));
  for (const char *op :
       {"FullyConnected", "Activation",     "elemwise_add", "_Plus",
        "_plus",          "broadcast_add",  "_mul_scalar",  "_MulScalar",
        "Reshape",        "reshape",        "SliceChannel", "split",
        "Concat",         "ElementWiseSum", "add_n",        "Cast",
        "BlockGrad",      "stop_gradient",  "softmax",      "sum"})
    EXPECT_TRUE(std::binary_search(ops.begin(), ops.end(), op)) << op;
}

TEST(SymbolErrors, UnknownOperator) {
  std::string msg = errorOf([] { Op("NoSuchOp", {Variable("x")}); });
  EXPECT_TRUE(contains(msg, "NoSuchOp")) << msg;
}

TEST(SymbolErrors, UnknownParameterNamesOpAndAttribute) {
  std::string msg = errorOf(
      [] { FullyConnected(Variable("x"), {{"num_hiden", 10}}, "fc1"); });
  EXPECT_TRUE(contains(msg, "fc1")) << msg;
  EXPECT_TRUE(contains(msg, "FullyConnected")) << msg;
  EXPECT_TRUE(contains(msg, "num_hiden")) << msg;
  EXPECT_TRUE(contains(msg, "num_hidden")) << msg; // the known ones listed
}

TEST(SymbolErrors, BadParameterSpelling) {
  std::string msg = errorOf(
      [] { FullyConnected(Variable("x"), {{"num_hidden", "ten"}}, "fc1"); });
  EXPECT_TRUE(contains(msg, "num_hidden")) << msg;
  EXPECT_TRUE(contains(msg, "ten")) << msg;
  msg = errorOf([] {
    FullyConnected(Variable("x"), {{"num_hidden", 2}, {"no_bias", "maybe"}});
  });
  EXPECT_TRUE(contains(msg, "no_bias")) << msg;
  msg = errorOf([] { Activation(Variable("x"), {{"act_type", "swish"}}); });
  EXPECT_TRUE(contains(msg, "swish")) << msg;
  msg = errorOf([] { Reshape(Variable("x"), {{"shape", "(2, x)"}}); });
  EXPECT_TRUE(contains(msg, "shape")) << msg;
}

TEST(SymbolErrors, MissingRequiredParameter) {
  std::string msg = errorOf([] { FullyConnected(Variable("x"), {}, "fc"); });
  EXPECT_TRUE(contains(msg, "num_hidden")) << msg;
  EXPECT_THROW(Cast(Variable("x")), Error);
  EXPECT_THROW(Cast(Variable("x"), {{"dtype", "float16"}}), Error);
}

TEST(SymbolErrors, WrongInputs) {
  Symbol x = Variable("x");
  std::string msg = errorOf([&] { Op("elemwise_add", {x, x, x}, {}, "add"); });
  EXPECT_TRUE(contains(msg, "takes 2 inputs")) << msg;
  msg = errorOf(
      [&] { FullyConnected(x, {{"num_hidden", 2}, {"wieght", x}}, "fc"); });
  EXPECT_TRUE(contains(msg, "unknown input 'wieght'")) << msg;
  EXPECT_THROW(FullyConnected(x, {{"num_hidden", 2}, {"data", x}}), Error);
  EXPECT_THROW(Activation(Symbol(), {{"act_type", "relu"}}), Error);
  EXPECT_THROW(Symbol().list_arguments(), Error);
}
