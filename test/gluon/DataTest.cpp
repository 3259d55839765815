//===- DataTest.cpp - gluon.data: datasets, samplers, DataLoader, MNIST ---===//

#include "mxjit/gluon/data.h"
#include "mxjit/metric.h"

#include "GluonTestUtil.h"

#include <gtest/gtest.h>
#include <zlib.h>

#include <filesystem>
#include <fstream>
#include <set>

using namespace mxjit;
using namespace mxjit::gluontest;
using namespace mxjit::gluon::data;
using nd::NDArray;

namespace {

std::vector<int64_t> flat(const std::vector<std::vector<int64_t>> &batches) {
  std::vector<int64_t> out;
  for (const auto &b : batches)
    out.insert(out.end(), b.begin(), b.end());
  return out;
}

/// Rows 0..n-1 of a (n, 2) array holding row i = (i, 10 i), labels i.
DatasetPtr rows(int64_t n) {
  std::vector<double> x, y;
  for (int64_t i = 0; i < n; ++i) {
    x.push_back(i);
    x.push_back(10 * i);
    y.push_back(i);
  }
  return std::make_shared<ArrayDataset>(std::vector<NDArray>{
      nd::array(x, {n, 2}), nd::array(y, {n}, cpu(), DType::Int32)});
}

} // namespace

//===----------------------------------------------------------------------===//
// Datasets
//===----------------------------------------------------------------------===//

TEST(DatasetTest, ArrayDatasetRows) {
  DatasetPtr ds = rows(4);
  EXPECT_EQ(ds->size(), 4);
  Sample s = ds->get(2);
  ASSERT_EQ(s.size(), 2u);
  EXPECT_EQ(s[0].shape(), (nd::Shape{2}));
  EXPECT_EQ(s[0].asvector<float>(), (std::vector<float>{2, 20}));
  EXPECT_EQ(s[1].ndim(), 0);
  EXPECT_EQ(s[1].dtype(), DType::Int32);
  EXPECT_EQ(s[1].asscalar<int32_t>(), 2);
  EXPECT_TRUE(
      contains(errorOf([&] { ds->get(4); }), "index 4 is out of range"));
  EXPECT_TRUE(contains(errorOf([&] { ds->get(-1); }), "out of range"));
}

TEST(DatasetTest, ArrayDatasetFromVectors) {
  ArrayDataset ds(std::vector<std::vector<double>>{{1, 2, 3}, {4, 5, 6}});
  EXPECT_EQ(ds.size(), 3);
  EXPECT_EQ(ds.get(1)[1].asscalar<float>(), 5.0f);
}

TEST(DatasetTest, ArrayDatasetErrors) {
  std::string e = errorOf([] {
    ArrayDataset(std::vector<NDArray>{nd::zeros({3, 2}), nd::zeros({4})});
  });
  EXPECT_TRUE(contains(e, "array 0 has length 3 while array 1 has 4")) << e;
  EXPECT_TRUE(contains(errorOf([] { ArrayDataset(std::vector<NDArray>{}); }),
                       "at least one array"));
  EXPECT_TRUE(
      contains(errorOf([] { ArrayDataset(std::vector<NDArray>{NDArray()}); }),
               "array 0 is empty"));
}

TEST(DatasetTest, SimpleDatasetAndTransforms) {
  auto ds = std::make_shared<SimpleDataset>(
      std::vector<Sample>{{nd::array({1, 2}), nd::array({0})},
                          {nd::array({3, 4}), nd::array({1})}});
  EXPECT_EQ(ds->size(), 2);
  int calls = 0;
  DatasetPtr doubled = ds->transform_first([&](const NDArray &x) {
    ++calls;
    return x * 2;
  });
  EXPECT_EQ(calls, 0); // lazy: nothing runs until a sample is read
  Sample s = doubled->get(1);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(s[0].asvector<float>(), (std::vector<float>{6, 8}));
  EXPECT_EQ(s[1].asvector<float>(), (std::vector<float>{1}));

  DatasetPtr swapped =
      ds->transform([](const Sample &s) { return Sample{s[1], s[0]}; });
  EXPECT_EQ(swapped->get(0)[0].asvector<float>(), (std::vector<float>{0}));
  EXPECT_EQ(swapped->size(), 2);

  SimpleDataset onStack(std::vector<Sample>{});
  EXPECT_TRUE(contains(
      errorOf([&] { onStack.transform([](const Sample &s) { return s; }); }),
      "std::shared_ptr"));
}

TEST(DatasetTest, EagerTransformTakeFilterShard) {
  DatasetPtr ds = rows(10);
  int calls = 0;
  DatasetPtr eager = ds->transform_first(
      [&](const NDArray &x) {
        ++calls;
        return x * 2;
      },
      /*lazy=*/false);
  EXPECT_EQ(calls, 10); // every sample transformed once, now
  eager->get(3);
  EXPECT_EQ(calls, 10);
  EXPECT_EQ(eager->get(3)[0].asvector<float>(), (std::vector<float>{6, 60}));

  EXPECT_EQ(ds->take(3)->size(), 3);
  EXPECT_EQ(ds->take(30)->size(), 10);
  EXPECT_EQ(ds->take(std::nullopt)->size(), 10);
  DatasetPtr odd = ds->filter(
      [](const Sample &s) { return s[1].asscalar<int32_t>() % 2 == 1; });
  ASSERT_EQ(odd->size(), 5);
  EXPECT_EQ(odd->get(2)[1].asscalar<int32_t>(), 5);
  // Batches of a filtered ArrayDataset still come from its buffers.
  std::optional<Sample> rowsOf = odd->gather({0, 4});
  ASSERT_TRUE(rowsOf.has_value());
  EXPECT_EQ((*rowsOf)[1].asvector<int32_t>(), (std::vector<int32_t>{1, 9}));

  // 10 into 3 shards: 4, 3, 3 (MXNet gives the remainder to the first).
  std::vector<int64_t> sizes, firsts;
  for (int64_t k = 0; k < 3; ++k) {
    DatasetPtr part = ds->shard(3, k);
    sizes.push_back(part->size());
    firsts.push_back(part->get(0)[1].asscalar<int32_t>());
  }
  EXPECT_EQ(sizes, (std::vector<int64_t>{4, 3, 3}));
  EXPECT_EQ(firsts, (std::vector<int64_t>{0, 4, 7}));
  EXPECT_TRUE(
      contains(errorOf([&] { ds->shard(3, 3); }), "index 3 is out of range"));
  EXPECT_TRUE(contains(errorOf([&] { ds->take(-1); }), "count must be >= 0"));
  EXPECT_TRUE(contains(errorOf([&] { ds->take(2)->get(2); }), "out of range"));
}

//===----------------------------------------------------------------------===//
// Samplers
//===----------------------------------------------------------------------===//

TEST(SamplerTest, Sequential) {
  SequentialSampler s(5);
  EXPECT_EQ(s.epoch(), (std::vector<int64_t>{0, 1, 2, 3, 4}));
  EXPECT_EQ(s.size(), 5);
}

TEST(SamplerTest, RandomIsAPermutationAndSeeded) {
  RandomSampler a(100, 7), b(100, 7), c(100, 8);
  std::vector<int64_t> e1 = a.epoch(), e2 = a.epoch();
  std::vector<int64_t> sorted = e1;
  std::sort(sorted.begin(), sorted.end());
  EXPECT_EQ(sorted, SequentialSampler(100).epoch());
  EXPECT_NE(e1, SequentialSampler(100).epoch());
  EXPECT_NE(e1, e2); // a new permutation each epoch
  EXPECT_EQ(b.epoch(), e1);
  EXPECT_EQ(b.epoch(), e2);
  EXPECT_NE(c.epoch(), e1);

  // Without a seed, nd::random::seed makes the order reproducible.
  nd::random::seed(3);
  std::vector<int64_t> r1 = RandomSampler(50).epoch();
  nd::random::seed(3);
  EXPECT_EQ(RandomSampler(50).epoch(), r1);
}

TEST(SamplerTest, BatchKeepDiscard) {
  auto seq = std::make_shared<SequentialSampler>(10);
  BatchSampler keep(seq, 3, "keep"), discard(seq, 3, "discard");
  EXPECT_EQ(keep.size(), 4);
  auto k = keep.epoch();
  ASSERT_EQ(k.size(), 4u);
  EXPECT_EQ(k[3], (std::vector<int64_t>{9}));
  EXPECT_EQ(discard.size(), 3);
  auto d = discard.epoch();
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[2], (std::vector<int64_t>{6, 7, 8}));
  EXPECT_EQ(discard.epoch(), d); // nothing carried over
}

TEST(SamplerTest, BatchRolloverCarriesTheRemainder) {
  BatchSampler roll(std::make_shared<SequentialSampler>(10), 4, "rollover");
  EXPECT_EQ(roll.size(), 2);
  auto e1 = roll.epoch();
  EXPECT_EQ(e1,
            (std::vector<std::vector<int64_t>>{{0, 1, 2, 3}, {4, 5, 6, 7}}));
  // 8, 9 start the next epoch: 12 indices make 3 batches, none left.
  EXPECT_EQ(roll.size(), 3);
  auto e2 = roll.epoch();
  EXPECT_EQ(e2, (std::vector<std::vector<int64_t>>{
                    {8, 9, 0, 1}, {2, 3, 4, 5}, {6, 7, 8, 9}}));
  EXPECT_EQ(roll.size(), 2);
  EXPECT_EQ(roll.epoch(), e1);
}

TEST(SamplerTest, BatchErrors) {
  auto seq = std::make_shared<SequentialSampler>(3);
  EXPECT_TRUE(contains(errorOf([&] { BatchSampler(seq, 2, "drop"); }),
                       "'keep', 'discard', or 'rollover', but got 'drop'"));
  EXPECT_TRUE(contains(errorOf([&] { BatchSampler(seq, 0); }),
                       "batch_size must be > 0"));
  EXPECT_TRUE(contains(errorOf([] { SequentialSampler(-1); }), ">= 0"));
}

//===----------------------------------------------------------------------===//
// DataLoader
//===----------------------------------------------------------------------===//

TEST(DataLoaderTest, BatchesInOrder) {
  DataLoader loader(rows(5), 2);
  EXPECT_EQ(loader.size(), 3);
  std::vector<std::vector<float>> xs;
  std::vector<std::vector<int32_t>> ys;
  for (const Sample &batch : loader) {
    ASSERT_EQ(batch.size(), 2u);
    EXPECT_EQ(batch[0].ndim(), 2);
    EXPECT_EQ(batch[1].dtype(), DType::Int32);
    xs.push_back(batch[0].asvector<float>());
    ys.push_back(batch[1].asvector<int32_t>());
  }
  ASSERT_EQ(xs.size(), 3u);
  EXPECT_EQ(xs[0], (std::vector<float>{0, 0, 1, 10}));
  EXPECT_EQ(xs[2], (std::vector<float>{4, 40}));
  EXPECT_EQ(ys[1], (std::vector<int32_t>{2, 3}));
}

TEST(DataLoaderTest, ShapesLastBatchAndShuffle) {
  DataLoader discard(rows(5), 2, false, "discard");
  int n = 0;
  for (const Sample &b : discard) {
    EXPECT_EQ(b[0].shape(), (nd::Shape{2, 2}));
    EXPECT_EQ(b[1].shape(), (nd::Shape{2}));
    ++n;
  }
  EXPECT_EQ(n, 2);

  nd::random::seed(11);
  DataLoader shuffled(rows(20), 6, true);
  std::multiset<int32_t> seen;
  std::vector<int32_t> order;
  for (const Sample &b : shuffled)
    for (int32_t y : b[1].asvector<int32_t>()) {
      seen.insert(y);
      order.push_back(y);
    }
  EXPECT_EQ(seen.size(), 20u);
  EXPECT_EQ(std::set<int32_t>(seen.begin(), seen.end()).size(), 20u);
  std::vector<int32_t> sorted(order);
  std::sort(sorted.begin(), sorted.end());
  EXPECT_NE(order, sorted);
}

TEST(DataLoaderTest, SamplersAndBatchify) {
  auto ds = rows(6);
  auto sampler = std::make_shared<RandomSampler>(6, 1);
  EXPECT_TRUE(
      contains(errorOf([&] { DataLoader(ds, 2, true, "keep", sampler); }),
               "shuffle must not be specified if sampler is specified"));
  DataLoader withSampler(ds, 4, false, "keep", sampler);
  EXPECT_EQ(withSampler.size(), 2);

  auto bs = std::make_shared<BatchSampler>(
      std::make_shared<SequentialSampler>(6), 4, "rollover");
  DataLoader rolled(ds, bs);
  EXPECT_EQ(rolled.size(), 1);
  int epochBatches[2] = {0, 0};
  for (int e = 0; e < 2; ++e)
    for (const Sample &b : rolled) {
      (void)b;
      ++epochBatches[e];
    }
  EXPECT_EQ(epochBatches[0], 1);
  EXPECT_EQ(epochBatches[1], 2); // 2 carried + 6 = 8 indices

  // A custom batchify sees the samples themselves.
  DataLoader counted(
      ds, 4, false, "keep", nullptr, [](const std::vector<Sample> &samples) {
        return Sample{nd::array({static_cast<double>(samples.size())})};
      });
  std::vector<float> sizes;
  for (const Sample &b : counted)
    sizes.push_back(b[0].asscalar<float>());
  EXPECT_EQ(sizes, (std::vector<float>{4, 2}));
}

TEST(DataLoaderTest, TransformedSamplesAreStacked) {
  DatasetPtr ds =
      rows(3)->transform_first([](const NDArray &x) { return x + 1; });
  DataLoader loader(ds, 3);
  const Sample &b = *loader.begin();
  EXPECT_EQ(b[0].shape(), (nd::Shape{3, 2}));
  EXPECT_EQ(b[0].asvector<float>(), (std::vector<float>{1, 1, 2, 11, 3, 21}));
}

TEST(DataLoaderTest, DefaultBatchifyErrors) {
  std::string e =
      errorOf([] { default_batchify({{nd::zeros({2})}, {nd::zeros({3})}}); });
  EXPECT_TRUE(contains(e, "array 0 of sample 1 is (3,) float32 but in sample "
                          "0 it is (2,) float32"))
      << e;
  EXPECT_TRUE(
      contains(errorOf([] { default_batchify({{nd::zeros({2})}, {}}); }),
               "sample 1 has 0 arrays"));
  EXPECT_TRUE(contains(errorOf([] { default_batchify({}); }), "no samples"));
}

//===----------------------------------------------------------------------===//
// IDX files, MNIST, transforms
//===----------------------------------------------------------------------===//

namespace {

std::string tempPath(const std::string &name) {
  return (std::filesystem::path(::testing::TempDir()) / name).string();
}

void writeFile(const std::string &path, const std::vector<uint8_t> &bytes,
               bool gzipped) {
  if (gzipped) {
    gzFile f = gzopen(path.c_str(), "wb");
    ASSERT_NE(f, nullptr);
    gzwrite(f, bytes.data(), static_cast<unsigned>(bytes.size()));
    gzclose(f);
  } else {
    std::ofstream(path, std::ios::binary)
        .write(reinterpret_cast<const char *>(bytes.data()), bytes.size());
  }
}

/// A (2,3) ubyte IDX file holding 0, 1, 250, 3, 4, 5.
std::vector<uint8_t> smallIdx() {
  return {0, 0, 8, 2, 0, 0, 0, 2, 0, 0, 0, 3, 0, 1, 250, 3, 4, 5};
}

} // namespace

TEST(IdxTest, PlainAndGzipped) {
  for (bool gz : {false, true}) {
    std::string path = tempPath(gz ? "small.idx.gz" : "small.idx");
    writeFile(path, smallIdx(), gz);
    NDArray a = vision::read_idx(path);
    EXPECT_EQ(a.shape(), (nd::Shape{2, 3}));
    EXPECT_EQ(a.dtype(), DType::Float32);
    EXPECT_EQ(a.asvector<float>(), (std::vector<float>{0, 1, 250, 3, 4, 5}));
    EXPECT_EQ(vision::read_idx(path, DType::Int32).asvector<int32_t>()[2], 250);
  }
}

TEST(IdxTest, OtherElementTypes) {
  // int16 -2 and 300, big-endian; float32 1.5 (0x3fc00000).
  std::string p16 = tempPath("i16.idx"), pf = tempPath("f32.idx");
  writeFile(p16, {0, 0, 0x0B, 1, 0, 0, 0, 2, 0xFF, 0xFE, 0x01, 0x2C}, false);
  EXPECT_EQ(vision::read_idx(p16).asvector<float>(),
            (std::vector<float>{-2, 300}));
  writeFile(pf, {0, 0, 0x0D, 1, 0, 0, 0, 1, 0x3F, 0xC0, 0, 0}, false);
  EXPECT_EQ(vision::read_idx(pf).asvector<float>(), (std::vector<float>{1.5f}));
}

TEST(IdxTest, Errors) {
  std::string path = tempPath("bad.idx");
  writeFile(path, {1, 2, 3, 4, 5}, false);
  std::string e = errorOf([&] { vision::read_idx(path); });
  EXPECT_TRUE(contains(e, path) && contains(e, "bad magic 0x01020304")) << e;

  std::vector<uint8_t> cut = smallIdx();
  cut.pop_back();
  writeFile(path, cut, false);
  e = errorOf([&] { vision::read_idx(path); });
  EXPECT_TRUE(contains(e, "is truncated") && contains(e, "needs 6 bytes") &&
              contains(e, "found 5"))
      << e;

  writeFile(path, {0, 0, 8, 3, 0, 0, 0, 2}, false);
  EXPECT_TRUE(contains(errorOf([&] { vision::read_idx(path); }),
                       "declares 3 dimensions"));
  // A huge claim over a short file fails on the data, not on allocation.
  writeFile(path, {0, 0, 8, 2, 0, 1, 0, 0, 0, 1, 0, 0, 1, 2, 3}, false);
  e = errorOf([&] { vision::read_idx(path); });
  EXPECT_TRUE(contains(e, "(65536,65536) float32 needs 4294967296 bytes of "
                          "data, found 3"))
      << e;
  writeFile(path, {0, 0, 8, 2, 0x7F, 0xFF, 0xFF, 0xFF, 0x7F, 0xFF, 0xFF, 0xFF},
            false);
  EXPECT_TRUE(contains(errorOf([&] { vision::read_idx(path); }),
                       "impossible dimension"));
  writeFile(path, {0, 0}, false);
  EXPECT_TRUE(contains(errorOf([&] { vision::read_idx(path); }), "truncated"));

  // A gzip stream cut in the middle.
  std::string gz = tempPath("cut.idx.gz");
  writeFile(gz, std::vector<uint8_t>(4096, 7), true);
  std::vector<char> bytes(std::filesystem::file_size(gz));
  std::ifstream(gz, std::ios::binary).read(bytes.data(), bytes.size());
  std::ofstream(gz, std::ios::binary | std::ios::trunc)
      .write(bytes.data(), bytes.size() / 2);
  e = errorOf([&] { vision::read_idx(gz); });
  EXPECT_TRUE(contains(e, gz)) << e;

  e = errorOf([] { vision::read_idx("/nonexistent/x.idx"); });
  EXPECT_TRUE(contains(e, "cannot open '/nonexistent/x.idx'")) << e;
}

TEST(MNISTTest, TinyFiles) {
  std::string root = std::string(MXJIT_GLUON_TEST_DATA) + "/tiny-mnist";
  auto train = std::make_shared<vision::MNIST>(root, true); // gzipped files
  auto test = std::make_shared<vision::MNIST>(root, false); // plain files
  EXPECT_EQ(train->size(), 3);
  EXPECT_EQ(test->size(), 2);
  EXPECT_EQ(train->images().shape(), (nd::Shape{3, 2, 3, 1}));
  Sample s = train->get(2);
  EXPECT_EQ(s[0].shape(), (nd::Shape{2, 3, 1}));
  EXPECT_EQ(s[0].dtype(), DType::Float32);
  EXPECT_EQ(s[0].asvector<float>(),
            (std::vector<float>{20, 21, 22, 23, 24, 25}));
  EXPECT_EQ(s[1].dtype(), DType::Int32);
  EXPECT_EQ(s[1].asscalar<int32_t>(), 8);

  DataLoader loader(train->transform_first(vision::transforms::ToTensor()), 2);
  const Sample &b = *loader.begin();
  EXPECT_EQ(b[0].shape(), (nd::Shape{2, 1, 2, 3}));
  EXPECT_FLOAT_EQ(b[0].asvector<float>()[7], 11.0f / 255);
  EXPECT_EQ(b[1].asvector<int32_t>(), (std::vector<int32_t>{0, 4}));

  EXPECT_TRUE(contains(errorOf([] { vision::MNIST("/nonexistent"); }),
                       "train-images-idx3-ubyte.gz' exists"));
}

TEST(TransformsTest, ToTensorAndNormalize) {
  // (2,2,2) HWC: pixel p has channels (p, 100 + p).
  NDArray hwc = nd::array({0, 100, 1, 101, 2, 102, 3, 103}, {2, 2, 2});
  NDArray chw = vision::transforms::ToTensor()(hwc);
  EXPECT_EQ(chw.shape(), (nd::Shape{2, 2, 2}));
  std::vector<float> v = chw.asvector<float>();
  EXPECT_FLOAT_EQ(v[1], 1.0f / 255);
  EXPECT_FLOAT_EQ(v[4], 100.0f / 255);
  EXPECT_EQ(vision::transforms::ToTensor()(nd::zeros({4, 3, 3, 1})).shape(),
            (nd::Shape{4, 1, 3, 3}));

  vision::transforms::Normalize norm({0.5, 1}, {0.5, 2});
  std::vector<float> n =
      norm(nd::array({1, 2, 3, 5}, {2, 1, 2})).asvector<float>();
  EXPECT_EQ(n, (std::vector<float>{1, 3, 1, 2}));
  vision::transforms::Compose both({vision::transforms::ToTensor(),
                                    vision::transforms::Normalize({0}, {2})});
  EXPECT_FLOAT_EQ(both(hwc).asvector<float>()[1], 0.5f / 255);

  EXPECT_TRUE(contains(
      errorOf([] { vision::transforms::ToTensor()(nd::zeros({3, 3})); }),
      "(H,W,C) or (N,H,W,C)"));
  EXPECT_TRUE(contains(errorOf([&] { norm(nd::zeros({3, 2, 2})); }),
                       "mean has 2 values for an input with 3 channels"));
  EXPECT_TRUE(contains(errorOf([] { vision::transforms::Normalize({0}, {0}); }),
                       "std must not be 0"));
}

TEST(MNISTTest, FashionMNISTFromDebianPackage) {
  const std::string root = "/usr/share/datasets/fashion-mnist";
  if (!std::filesystem::exists(root + "/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  auto train = std::make_shared<vision::FashionMNIST>();
  vision::FashionMNIST test(root, false);
  EXPECT_EQ(train->size(), 60000);
  EXPECT_EQ(test.size(), 10000);
  EXPECT_EQ(train->images().shape(), (nd::Shape{60000, 28, 28, 1}));
  EXPECT_EQ(test.labels().shape(), (nd::Shape{10000}));
  std::vector<int32_t> labels = train->labels().asvector<int32_t>();
  std::vector<int64_t> counts(10, 0);
  for (int32_t l : labels) {
    ASSERT_GE(l, 0);
    ASSERT_LE(l, 9);
    ++counts[l];
  }
  for (int64_t c : counts)
    EXPECT_EQ(c, 6000); // Fashion-MNIST is balanced
  std::vector<float> img = train->get(0)[0].asvector<float>();
  EXPECT_EQ(img.size(), 784u);
  EXPECT_EQ(*std::max_element(img.begin(), img.end()), 255.0f);
  EXPECT_EQ(*std::min_element(img.begin(), img.end()), 0.0f);

  DataLoader loader(train, 256, true, "discard");
  EXPECT_EQ(loader.size(), 234);
  const Sample &b = *loader.begin();
  EXPECT_EQ(b[0].shape(), (nd::Shape{256, 28, 28, 1}));
  EXPECT_EQ(b[1].shape(), (nd::Shape{256}));
}

//===----------------------------------------------------------------------===//
// The examples of docs/gluon-data.md
//===----------------------------------------------------------------------===//

namespace data = mxjit::gluon::data;
namespace T = mxjit::gluon::data::vision::transforms;

TEST(DocExamples, GluonDataFashionMNIST) {
  if (!std::filesystem::exists(
          "/usr/share/datasets/fashion-mnist/train-images-idx3-ubyte.gz"))
    GTEST_SKIP() << "dataset-fashion-mnist is not installed";
  // A stand-in network: every class scores the same, so argmax is class 0.
  auto net = [](const NDArray &x) { return nd::zeros({x.shape()[0], 10}); };

  auto train = std::make_shared<vision::FashionMNIST>(); // 60000 samples
  data::DatasetPtr ds = train->transform_first(
      T::Compose({T::ToTensor(), T::Normalize({0.286}, {0.353})}));
  data::DataLoader loader(ds, 256, /*shuffle=*/true, /*last_batch=*/"discard");

  metric::Accuracy acc;
  for (const data::Sample &batch : loader) {
    nd::NDArray x = batch[0]; // (256,1,28,28) float32
    nd::NDArray y = batch[1]; // (256,) int32, classes 0..9
    EXPECT_EQ(x.shape(), (nd::Shape{256, 1, 28, 28}));
    nd::NDArray scores = net(x); // (256,10)
    acc.update({y}, {scores});   // argmax along axis 1
  }
  auto [name, value] = acc.get();
  EXPECT_EQ(name, "accuracy");
  EXPECT_EQ(acc.num_inst, 234 * 256);
  EXPECT_NEAR(value, 0.1, 0.01); // the share of class 0
}

TEST(DocExamples, GluonDataInMemory) {
  nd::NDArray x = nd::random::uniform(0, 1, {100, 3});
  nd::NDArray y =
      nd::array(std::vector<double>(100, 1), {100}, cpu(), DType::Int32);
  auto arrays =
      std::make_shared<data::ArrayDataset>(std::vector<nd::NDArray>{x, y});
  auto batches = std::make_shared<data::BatchSampler>(
      std::make_shared<data::RandomSampler>(100, /*seed=*/42), 32, "rollover");
  data::DataLoader rolled(arrays, batches); // 3 batches; 4 samples roll over
  auto both = metric::create({"acc", "ce"});
  for (const data::Sample &b : rolled)
    both->update({b[1]}, {nd::softmax(b[0])}); // 3 "classes" per row
  EXPECT_EQ(rolled.size(), 3); // 4 + 100 = 104 indices next epoch
  auto nv = both->get_name_value();
  ASSERT_EQ(nv.size(), 2u);
  EXPECT_GT(nv[0].second, 0.2);
  EXPECT_LT(nv[0].second, 0.5);
  EXPECT_GT(nv[1].second, 0.5);
  EXPECT_LT(nv[1].second, 2.0);
}
