//===- EmbeddingTest.cpp - gluon.nn.Embedding -----------------------------===//
//
// Row lookup for float and int indices of any shape, MXNet's truncation
// and clipping of indices, the embedding<n>_weight name, and the dense
// gradient of the one-hot product.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/nn.h"

#include "mxjit/autograd.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>

#include <functional>

using namespace mxjit;
using mxjit::gluontest::errorOf;
using namespace mxjit::gluon;

namespace {

void expectNear(const nd::NDArray &a, const std::vector<double> &e,
                double tol = 1e-6) {
  std::vector<double> v = a.asvector<double>();
  ASSERT_EQ(v.size(), e.size());
  for (size_t i = 0; i < v.size(); ++i)
    EXPECT_NEAR(v[i], e[i], tol) << "element " << i;
}

/// Rows of the 5 x 3 weight w[i][j] = 10 i + j.
std::vector<double> rows(const std::vector<int> &ids) {
  std::vector<double> out;
  for (int i : ids)
    for (int j = 0; j < 3; ++j)
      out.push_back(10.0 * i + j);
  return out;
}

std::shared_ptr<nn::Embedding> makeTable(DType dtype = DType::Float32) {
  auto emb = std::make_shared<nn::Embedding>(5, 3, dtype);
  emb->initialize();
  std::vector<double> w;
  for (int i = 0; i < 5; ++i)
    for (int j = 0; j < 3; ++j)
      w.push_back(10.0 * i + j);
  emb->weight()->set_data(nd::array(w, {5, 3}, cpu(), dtype));
  return emb;
}

} // namespace

TEST(EmbeddingTest, NameAndShape) {
  NameManager names;
  nn::Embedding emb(10, 4);
  EXPECT_EQ(emb.prefix(), "embedding0_");
  EXPECT_EQ(emb.params().keys(),
            (std::vector<std::string>{"embedding0_weight"}));
  EXPECT_EQ(emb.weight()->shape(), (nd::Shape{10, 4}));
}

TEST(EmbeddingTest, LooksUpRowsForAnyIndexShapeAndDtype) {
  auto emb = makeTable();
  nd::NDArray y = (*emb)(nd::array({4, 0, 2, 2, 1, 3}, {2, 3}));
  EXPECT_EQ(y.shape(), (nd::Shape{2, 3, 3}));
  expectNear(y, rows({4, 0, 2, 2, 1, 3}));
  nd::NDArray ints = nd::array({1, 3}, {2}, cpu(), DType::Int32);
  EXPECT_EQ((*emb)(ints).shape(), (nd::Shape{2, 3}));
  expectNear((*emb)(ints), rows({1, 3}));
  nd::NDArray scalarLike = nd::array({2}, {1, 1, 1});
  EXPECT_EQ((*emb)(scalarLike).shape(), (nd::Shape{1, 1, 1, 3}));
  auto f64 = makeTable(DType::Float64);
  nd::NDArray y64 = (*f64)(nd::array({3, 1}));
  EXPECT_EQ(y64.dtype(), DType::Float64);
  expectNear(y64, rows({3, 1}));
}

TEST(EmbeddingTest, TruncatesAndClipsIndices) {
  auto emb = makeTable();
  // 2.7 -> 2; -3 -> 0; 9 and 1e9 -> 4 (MXNet's Embedding clips).
  expectNear((*emb)(nd::array({2.7, -3, 9, 1e9})), rows({2, 0, 4, 4}));
}

TEST(EmbeddingTest, GradientAccumulatesPerRow) {
  auto emb = makeTable();
  nd::NDArray idx = nd::array({1, 3, 1, 0}, {2, 2});
  {
    auto rec = autograd::record();
    nd::NDArray y = (*emb)(idx);
    nd::sum(y * nd::array({1, 2, 3}, {1, 1, 3})).backward();
  }
  // Rows 1 (twice), 3 and 0 each receive (1, 2, 3) per occurrence.
  expectNear(emb->weight()->grad(),
             {1, 2, 3, 2, 4, 6, 0, 0, 0, 1, 2, 3, 0, 0, 0});
}

TEST(EmbeddingTest, BadArgumentsNameTheLayer) {
  NameManager names;
  EXPECT_NE(errorOf([] { nn::Embedding(0, 3); }).find("embedding0"),
            std::string::npos);
  EXPECT_NE(errorOf([] { nn::Embedding(3, -1); }).find("output_dim"),
            std::string::npos);
}
