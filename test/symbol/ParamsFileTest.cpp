//===- ParamsFileTest.cpp - MXNet .params files (nd::save / nd::load) -----===//
//
// The byte-level tests build files by hand from the format description
// (not with our writer), so a writer bug cannot hide behind a matching
// reader bug.
//
//===----------------------------------------------------------------------===//

#include "mxjit/ndarray.h"

#include <gtest/gtest.h>

#include <cstring>
#include <fstream>
#include <iterator>
#include <unistd.h>

using namespace mxjit;

namespace {

std::string tempPath(const std::string &tag) {
  return ::testing::TempDir() + "mxjit-params-" + std::to_string(getpid()) +
         "-" + tag;
}

std::string readBytes(const std::string &path) {
  std::ifstream is(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(is), {});
}

void writeBytes(const std::string &path, const std::string &bytes) {
  std::ofstream os(path, std::ios::binary | std::ios::trunc);
  os.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
}

/// Little-endian byte builder for hand-made files.
struct Bytes {
  std::string s;
  template <typename T> Bytes &put(T v) {
    char b[sizeof(T)];
    std::memcpy(b, &v, sizeof(T));
    s.append(b, sizeof(T));
    return *this;
  }
  Bytes &str(const std::string &v) {
    put<uint64_t>(v.size());
    s += v;
    return *this;
  }
};

template <typename T>
void expectSame(const nd::NDArray &a, const nd::NDArray &b) {
  ASSERT_FALSE(a.empty());
  ASSERT_FALSE(b.empty());
  EXPECT_EQ(a.shape(), b.shape());
  EXPECT_EQ(a.dtype(), b.dtype());
  EXPECT_EQ(a.asvector<T>(), b.asvector<T>());
}

TEST(ParamsFile, NamedRoundTripEveryDTypeAndRank) {
  std::map<std::string, nd::NDArray> data;
  data["arg:f32"] = nd::arange(0, 6, 1).reshape({2, 3}) * 0.5;
  data["arg:f64"] =
      nd::array({1.0 / 3, -2.5, 1e300, 4}, {4}, cpu(), DType::Float64);
  data["aux:i32"] =
      nd::arange(-4, 4, 1, cpu(), DType::Int32).reshape({2, 2, 2});
  data["aux:i64"] =
      nd::array({1099511627779.0}, {1}, cpu(), DType::Int64); // 2^40 + 3
  data["one"] = nd::full({1, 1, 1, 1, 5}, 7.0);
  data["scalar"] = nd::full({}, 3.25);
  data["zero_size"] = nd::zeros({0, 3});
  std::string path = tempPath("named.params");
  nd::save(path, data);
  std::map<std::string, nd::NDArray> back = nd::load(path);
  ASSERT_EQ(back.size(), data.size());
  expectSame<float>(data["arg:f32"], back["arg:f32"]);
  expectSame<double>(data["arg:f64"], back["arg:f64"]);
  expectSame<int32_t>(data["aux:i32"], back["aux:i32"]);
  expectSame<int64_t>(data["aux:i64"], back["aux:i64"]);
  EXPECT_EQ(back["aux:i64"].asvector<int64_t>()[0], 1099511627779LL);
  expectSame<float>(data["one"], back["one"]);
  expectSame<float>(data["scalar"], back["scalar"]);
  EXPECT_EQ(back["scalar"].shape(), nd::Shape{});
  EXPECT_EQ(back["zero_size"].shape(), (nd::Shape{0, 3}));
  EXPECT_EQ(back["arg:f32"].context(), cpu());
}

TEST(ParamsFile, UnnamedListRoundTrip) {
  std::vector<nd::NDArray> data = {
      nd::array({1, 2, 3}), nd::array({4, 5}, {2, 1}, cpu(), DType::Int64),
      nd::full({2, 2}, -1.5, cpu(), DType::Float64)};
  std::string path = tempPath("list.params");
  nd::save(path, data);
  std::vector<nd::NDArray> back = nd::load_list(path);
  ASSERT_EQ(back.size(), 3u);
  expectSame<float>(data[0], back[0]);
  expectSame<int64_t>(data[1], back[1]);
  expectSame<double>(data[2], back[2]);
  // A dict-style load of an unnamed list says what to do instead.
  try {
    nd::load(path);
    FAIL() << "expected an error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("load_list"), std::string::npos);
    EXPECT_NE(std::string(e.what()).find(path), std::string::npos);
  }
  // load_list also reads named files, in file order.
  std::string named = tempPath("named2.params");
  nd::save(named, {{"b", nd::array({1})}, {"a", nd::array({2})}});
  std::vector<nd::NDArray> list = nd::load_list(named);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].asscalar<float>(), 2.0f); // "a" sorts first
}

TEST(ParamsFile, EmptyListsAndEmptyHandles) {
  std::string path = tempPath("empty.params");
  nd::save(path, std::map<std::string, nd::NDArray>{});
  EXPECT_TRUE(nd::load(path).empty());
  EXPECT_TRUE(nd::load_list(path).empty());
  // An empty handle is MXNet's "none" array: V2 magic, dense, ndim 0.
  nd::save(path, std::vector<nd::NDArray>{nd::NDArray()});
  Bytes expected;
  expected.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(1);
  expected.put<uint32_t>(0xF993fac9).put<int32_t>(0).put<int32_t>(0);
  expected.put<uint64_t>(0);
  EXPECT_EQ(readBytes(path), expected.s);
  std::vector<nd::NDArray> back = nd::load_list(path);
  ASSERT_EQ(back.size(), 1u);
  EXPECT_TRUE(back[0].empty());
}

/// The file MXNet 1.x writes for
///   nd.save(f, {'arg:w': nd.array([[1,2],[3,4]]),
///               'aux:m': nd.array([5,6,7], dtype='int64')})
Bytes mxnetV2File() {
  Bytes b;
  b.put<uint64_t>(0x112).put<uint64_t>(0); // list magic, reserved
  b.put<uint64_t>(2);                      // arrays
  // arg:w: float32 (2, 2) on cpu(0)
  b.put<uint32_t>(0xF993fac9).put<int32_t>(0);
  b.put<int32_t>(2).put<int64_t>(2).put<int64_t>(2);
  b.put<int32_t>(1).put<int32_t>(0); // cpu, 0
  b.put<int32_t>(0);                 // float32
  for (float v : {1.f, 2.f, 3.f, 4.f})
    b.put(v);
  // aux:m: int64 (3,)
  b.put<uint32_t>(0xF993fac9).put<int32_t>(0);
  b.put<int32_t>(1).put<int64_t>(3);
  b.put<int32_t>(1).put<int32_t>(0);
  b.put<int32_t>(6); // int64
  for (int64_t v : {5, 6, 7})
    b.put(v);
  b.put<uint64_t>(2).str("arg:w").str("aux:m");
  return b;
}

TEST(ParamsFile, WriterMatchesHandBuiltBytes) {
  std::string path = tempPath("bytes.params");
  nd::save(path, {{"arg:w", nd::array({1, 2, 3, 4}, {2, 2})},
                  {"aux:m", nd::array({5, 6, 7}, {3}, cpu(), DType::Int64)}});
  EXPECT_EQ(readBytes(path), mxnetV2File().s);
}

TEST(ParamsFile, ReadsHandBuiltV2File) {
  std::string path = tempPath("v2.params");
  writeBytes(path, mxnetV2File().s);
  auto back = nd::load(path);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back["arg:w"].shape(), (nd::Shape{2, 2}));
  EXPECT_EQ(back["arg:w"].asvector<float>(), (std::vector<float>{1, 2, 3, 4}));
  EXPECT_EQ(back["aux:m"].dtype(), DType::Int64);
  EXPECT_EQ(back["aux:m"].asvector<int64_t>(), (std::vector<int64_t>{5, 6, 7}));
}

TEST(ParamsFile, ReadsV1AndLegacyArrays) {
  Bytes b;
  b.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(2);
  // V1: magic, then the shape (uint32 ndim, int64 dims): no storage type.
  b.put<uint32_t>(0xF993fac8).put<uint32_t>(2).put<int64_t>(1).put<int64_t>(2);
  b.put<int32_t>(2).put<int32_t>(1); // written on gpu(1): loads on the CPU
  b.put<int32_t>(1);                 // float64
  b.put(0.25).put(-8.0);
  // Pre-V1: the first word is the ndim, dims are uint32.
  b.put<uint32_t>(3).put<uint32_t>(1).put<uint32_t>(1).put<uint32_t>(2);
  b.put<int32_t>(1).put<int32_t>(0);
  b.put<int32_t>(4); // int32
  b.put<int32_t>(-3).put<int32_t>(11);
  b.put<uint64_t>(0); // unnamed
  std::string path = tempPath("legacy.params");
  writeBytes(path, b.s);
  auto back = nd::load_list(path);
  ASSERT_EQ(back.size(), 2u);
  EXPECT_EQ(back[0].shape(), (nd::Shape{1, 2}));
  EXPECT_EQ(back[0].dtype(), DType::Float64);
  EXPECT_EQ(back[0].context(), cpu());
  EXPECT_EQ(back[0].asvector<double>(), (std::vector<double>{0.25, -8.0}));
  EXPECT_EQ(back[1].shape(), (nd::Shape{1, 1, 2}));
  EXPECT_EQ(back[1].dtype(), DType::Int32);
  EXPECT_EQ(back[1].asvector<int32_t>(), (std::vector<int32_t>{-3, 11}));
}

TEST(ParamsFile, NarrowTypesLoadAsFloat32) {
  Bytes b;
  b.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(3);
  auto header = [&](int64_t n, int32_t flag) {
    b.put<uint32_t>(0xF993fac9).put<int32_t>(0).put<int32_t>(1).put<int64_t>(n);
    b.put<int32_t>(1).put<int32_t>(0).put<int32_t>(flag);
  };
  header(4, 2); // float16: 1, -2, 0.5, 65504 (max half)
  for (uint16_t h : {0x3c00, 0xc000, 0x3800, 0x7bff})
    b.put<uint16_t>(h);
  header(3, 3); // uint8
  for (uint8_t v : {0, 200, 255})
    b.put(v);
  header(2, 5); // int8
  for (int8_t v : {-128, 7})
    b.put(v);
  b.put<uint64_t>(3).str("h").str("u").str("i");
  std::string path = tempPath("narrow.params");
  writeBytes(path, b.s);
  auto back = nd::load(path);
  EXPECT_EQ(back["h"].dtype(), DType::Float32);
  EXPECT_EQ(back["h"].asvector<float>(),
            (std::vector<float>{1, -2, 0.5, 65504}));
  EXPECT_EQ(back["u"].asvector<float>(), (std::vector<float>{0, 200, 255}));
  EXPECT_EQ(back["i"].asvector<float>(), (std::vector<float>{-128, 7}));
}

void expectLoadError(const std::string &bytes, const std::string &needle) {
  std::string path = tempPath("bad.params");
  writeBytes(path, bytes);
  try {
    nd::load_list(path);
    FAIL() << "expected an error containing '" << needle << "'";
  } catch (const Error &e) {
    std::string msg = e.what();
    EXPECT_NE(msg.find(path), std::string::npos) << msg;
    EXPECT_NE(msg.find(needle), std::string::npos) << msg;
  }
}

TEST(ParamsFile, MalformedFilesThrowNamingTheFile) {
  expectLoadError("", "truncated");
  expectLoadError(Bytes().put<uint64_t>(0x113).put<uint64_t>(0).s,
                  "bad file magic 0x113");
  Bytes badArray;
  badArray.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(1);
  badArray.put<uint32_t>(0xdeadbeef).put<uint64_t>(0).put<uint64_t>(0);
  expectLoadError(badArray.s, "bad array magic 0xdeadbeef");
  Bytes sparse;
  sparse.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(1);
  sparse.put<uint32_t>(0xF993fac9).put<int32_t>(1).put<uint64_t>(0);
  expectLoadError(sparse.s, "row_sparse");
  // Two arrays, one name.
  std::string good = mxnetV2File().s;
  std::string oneName = good.substr(0, good.size() - (8 + 5 + 8 + 5 + 8));
  oneName += Bytes().put<uint64_t>(1).str("arg:w").s;
  expectLoadError(oneName, "1 names for 2 arrays");
  Bytes badType;
  badType.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(1);
  badType.put<uint32_t>(0xF993fac9).put<int32_t>(0).put<int32_t>(1);
  badType.put<int64_t>(1).put<int32_t>(1).put<int32_t>(0).put<int32_t>(99);
  badType.put<uint64_t>(0).put<uint64_t>(0);
  expectLoadError(badType.s, "type flag 99");
  Bytes huge;
  huge.put<uint64_t>(0x112).put<uint64_t>(0).put<uint64_t>(1);
  huge.put<uint32_t>(0xF993fac9).put<int32_t>(0).put<int32_t>(2);
  huge.put<int64_t>(1LL << 20).put<int64_t>(1LL << 20);
  huge.put<int32_t>(1).put<int32_t>(0).put<int32_t>(0);
  expectLoadError(huge.s, "truncated file while reading array data");
}

TEST(ParamsFile, EveryTruncationThrows) {
  std::string good = mxnetV2File().s;
  for (size_t n = 0; n < good.size(); ++n) {
    std::string path = tempPath("cut.params");
    writeBytes(path, good.substr(0, n));
    EXPECT_THROW(nd::load(path), Error) << "cut at " << n;
  }
}

TEST(ParamsFile, MissingAndUnwritableFiles) {
  try {
    nd::load("/nonexistent/dir/x.params");
    FAIL();
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("/nonexistent/dir/x.params"),
              std::string::npos);
  }
  EXPECT_THROW(nd::save("/nonexistent/dir/x.params",
                        std::vector<nd::NDArray>{nd::array({1})}),
               Error);
}

} // namespace
