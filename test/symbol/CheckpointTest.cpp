//===- CheckpointTest.cpp - save_checkpoint / load_checkpoint -------------===//

#include "mxjit/symbol.h"

#include <gtest/gtest.h>

#include <fstream>
#include <unistd.h>

using namespace mxjit;
using namespace mxjit::sym;

namespace {

std::string prefixPath(const std::string &tag) {
  return ::testing::TempDir() + "mxjit-ckpt-" + std::to_string(getpid()) + "-" +
         tag;
}

TEST(Checkpoint, SaveAndLoadSplitArgAndAux) {
  Symbol net = Group({Variable("data"), Variable("w", {{"__lr_mult__", "2"}})});
  std::string prefix = prefixPath("net");
  save_checkpoint(
      prefix, 7, net,
      {{"w", nd::array({1, 2, 3, 4}, {2, 2})}, {"b", nd::array({0.5})}},
      {{"bn_moving_mean", nd::zeros({3})}});
  // MXNet's file names and array names.
  EXPECT_TRUE(std::ifstream(prefix + "-symbol.json").good());
  std::map<std::string, nd::NDArray> raw = nd::load(prefix + "-0007.params");
  std::vector<std::string> names;
  for (const auto &kv : raw)
    names.push_back(kv.first);
  EXPECT_EQ(names,
            (std::vector<std::string>{"arg:b", "arg:w", "aux:bn_moving_mean"}));

  Checkpoint c = load_checkpoint(prefix, 7);
  EXPECT_EQ(c.symbol.tojson(), net.tojson());
  ASSERT_EQ(c.arg_params.size(), 2u);
  EXPECT_EQ(c.arg_params["w"].asvector<float>(),
            (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(c.arg_params["w"].shape(), (nd::Shape{2, 2}));
  ASSERT_EQ(c.aux_params.size(), 1u);
  EXPECT_EQ(c.aux_params["bn_moving_mean"].shape(), nd::Shape{3});
}

TEST(Checkpoint, Errors) {
  std::string prefix = prefixPath("missing");
  EXPECT_THROW(load_checkpoint(prefix, 0), Error);
  EXPECT_THROW(save_checkpoint(prefix, -1, Variable("x"), {}, {}), Error);
  // A parameter file without arg:/aux: prefixes is not a checkpoint's.
  Variable("x").save(prefix + "-symbol.json");
  nd::save(prefix + "-0001.params", {{"weight", nd::array({1})}});
  try {
    load_checkpoint(prefix, 1);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find("-0001.params"), std::string::npos) << msg;
    EXPECT_NE(msg.find("'weight'"), std::string::npos) << msg;
  }
  // Other prefixes are skipped, as MXNet does.
  auto [args, aux] =
      split_params({{"arg:a", nd::array({1})}, {"opt:state", nd::array({2})}});
  EXPECT_EQ(args.size(), 1u);
  EXPECT_TRUE(aux.empty());
}

} // namespace
