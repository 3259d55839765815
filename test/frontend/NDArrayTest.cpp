//===- NDArrayTest.cpp - mxjit::nd through the JIT ------------------------===//

#include "mxjit/ndarray.h"

#include "nd/Engine.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <gtest/gtest.h>

#include <cmath>

using namespace mxjit;
using namespace mxjit::nd;

namespace {

std::vector<double> values(const NDArray &a) { return a.asvector<double>(); }

TEST(NDArray, CreationShapeDtypeContext) {
  NDArray a = array({1, 2, 3, 4, 5, 6}, {2, 3});
  EXPECT_EQ(a.shape(), (Shape{2, 3}));
  EXPECT_EQ(a.dtype(), DType::Float32);
  EXPECT_EQ(a.context(), cpu());
  EXPECT_EQ(a.size(), 6);
  EXPECT_EQ(a.ndim(), 2);
  EXPECT_EQ(values(zeros({2, 2})), (std::vector<double>{0, 0, 0, 0}));
  EXPECT_EQ(values(ones({3}, cpu(), DType::Int64)),
            (std::vector<double>{1, 1, 1}));
  EXPECT_EQ(values(full({2}, 7.5, cpu(), DType::Float64)),
            (std::vector<double>{7.5, 7.5}));
  EXPECT_EQ(values(arange(1, 2, 0.25)),
            (std::vector<double>{1, 1.25, 1.5, 1.75}));
  EXPECT_EQ(arange(0, 5, 1, cpu(), DType::Int32).dtype(), DType::Int32);
  EXPECT_EQ(array({1, 2}).shape(), (Shape{2}));
}

TEST(NDArray, BadCreationThrows) {
  EXPECT_THROW(array({1, 2, 3}, {2, 2}), Error);
  EXPECT_THROW(zeros({-1, 2}), Error);
  EXPECT_THROW(arange(0, 1, 0), Error);
  try {
    zeros({2}, gpu(0));
    FAIL() << "gpu(0) must not be usable without a GPU backend";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("gpu(0)"), std::string::npos);
  }
  NDArray empty;
  EXPECT_THROW(empty.shape(), Error);
  EXPECT_THROW(exp(empty), Error);
}

TEST(NDArray, RandomIsSeeded) {
  random::seed(42);
  auto a = values(random::uniform(-1, 1, {100}));
  random::seed(42);
  auto b = values(random::uniform(-1, 1, {100}));
  EXPECT_EQ(a, b);
  double mean = 0;
  for (double v : a) {
    EXPECT_GE(v, -1);
    EXPECT_LE(v, 1);
    mean += v / a.size();
  }
  EXPECT_NEAR(mean, 0, 0.2);
  auto n = values(random::normal(3, 0.5, {2000}, cpu(), DType::Float64));
  double m = 0;
  for (double v : n)
    m += v / n.size();
  EXPECT_NEAR(m, 3, 0.05);
}

TEST(NDArray, ArithmeticBroadcastingAndScalars) {
  NDArray a = array({1, 2, 3, 4, 5, 6}, {2, 3});
  NDArray b = array({10, 20, 30});
  EXPECT_EQ(values(a + b), (std::vector<double>{11, 22, 33, 14, 25, 36}));
  EXPECT_EQ(values(a - 1), (std::vector<double>{0, 1, 2, 3, 4, 5}));
  EXPECT_EQ(values(10 - a), (std::vector<double>{9, 8, 7, 6, 5, 4}));
  EXPECT_EQ(values(a * 2), (std::vector<double>{2, 4, 6, 8, 10, 12}));
  EXPECT_EQ(values(6 / b.reshape({3, 1})),
            (std::vector<double>{0.6f, 0.3f, 0.2f}));
  EXPECT_EQ(values(-a), (std::vector<double>{-1, -2, -3, -4, -5, -6}));
  EXPECT_EQ(values(a > 3), (std::vector<double>{0, 0, 0, 1, 1, 1}));
  EXPECT_EQ(values(2 > a), (std::vector<double>{1, 0, 0, 0, 0, 0}));
  EXPECT_EQ(values(a == a), (std::vector<double>{1, 1, 1, 1, 1, 1}));
  EXPECT_EQ(values(power(a, 2.0)), (std::vector<double>{1, 4, 9, 16, 25, 36}));
  EXPECT_EQ(values(maximum(a, 3.5)),
            (std::vector<double>{3.5, 3.5, 3.5, 4, 5, 6}));
  NDArray e = exp(array({0, 1}, {}, cpu(), DType::Float64));
  EXPECT_DOUBLE_EQ(values(e)[1], std::exp(1.0));
}

TEST(NDArray, ShapeErrorsSurfaceAtTheCall) {
  NDArray a = zeros({2, 3}), b = zeros({4});
  try {
    (void)(a + b);
    FAIL() << "expected mxjit::Error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("(2,3) and (4)"), std::string::npos)
        << e.what();
  }
  EXPECT_THROW(a.reshape({4, 2}), Error);
  EXPECT_THROW(exp(zeros({2}, cpu(), DType::Int32)), Error);
  EXPECT_THROW(dot(a, a), Error);
}

// Recording caches each checked (op, attributes, input types): a repeated
// valid call must still get the right type, and a bad one must throw every
// time with its message, whatever was checked before.
TEST(NDArray, CheckedSignaturesAreReusedAndErrorsAreNot) {
  NDArray a = zeros({2, 3}), b = ones({3}), c = zeros({4});
  for (int i = 0; i < 3; ++i) {
    EXPECT_EQ((a + b).shape(), (Shape{2, 3}));
    EXPECT_EQ((b + c.reshape({4, 1})).shape(), (Shape{4, 3}));
    try {
      (void)(a + c);
      FAIL() << "expected mxjit::Error at call " << i;
    } catch (const Error &e) {
      EXPECT_NE(std::string(e.what()).find("(2,3) and (4)"), std::string::npos)
          << e.what();
    }
  }
  EXPECT_EQ((a + b).asvector<float>(), std::vector<float>(6, 1.0f));
}

// Attribute dictionaries are built from their values once per thread and
// then found again without the MLIRContext: the cached dictionary must be
// the one the values spell, for every kind and for values that compare
// equal but are different attributes (0.0 and -0.0).
TEST(NDArray, AttributeDictionariesAreCachedByValue) {
  using mxjit::nd::detail::Attrs;
  auto make = [](double s) {
    return Attrs()
        .f64("scalar", s)
        .i64("axis", -1)
        .boolean("keepdims", true)
        .i64s("shape", {2, -1, 0})
        .i64s("none", {})
        .get();
  };
  for (int round = 0; round < 2; ++round) {
    mlir::DictionaryAttr d = make(2.5);
    EXPECT_EQ(d, make(2.5));
    EXPECT_EQ(mlir::cast<mlir::FloatAttr>(d.get("scalar")).getValueAsDouble(),
              2.5);
    EXPECT_EQ(mlir::cast<mlir::IntegerAttr>(d.get("axis")).getInt(), -1);
    EXPECT_TRUE(mlir::cast<mlir::BoolAttr>(d.get("keepdims")).getValue());
    EXPECT_EQ(mlir::cast<mlir::DenseI64ArrayAttr>(d.get("shape")).asArrayRef(),
              llvm::ArrayRef<int64_t>({2, -1, 0}));
    EXPECT_TRUE(mlir::cast<mlir::DenseI64ArrayAttr>(d.get("none")).empty());
    EXPECT_EQ(d.size(), 5u);
  }
  EXPECT_NE(make(0.0), make(-0.0));
  EXPECT_TRUE(std::signbit(mlir::cast<mlir::FloatAttr>(make(-0.0).get("scalar"))
                               .getValueAsDouble()));
  // The same name and value as another kind is another attribute.
  EXPECT_NE(Attrs().i64("axis", 1).get(), Attrs().boolean("axis", true).get());
  EXPECT_TRUE(Attrs().get().empty());
  // More distinct dictionaries than the cache keeps: each is still right.
  for (int i = 0; i < 5000; ++i) {
    mlir::DictionaryAttr d = Attrs().f64("scalar", i).get();
    ASSERT_EQ(mlir::cast<mlir::FloatAttr>(d.get("scalar")).getValueAsDouble(),
              i);
  }
  // And the ops that use them compute with the right scalars.
  NDArray x = array({1, 2});
  for (double s : {0.5, -3.0, 0.5})
    EXPECT_EQ(values(x * s), (std::vector<double>{s, 2 * s}));
  EXPECT_EQ(values(x + x), (std::vector<double>{2, 4}));
}

TEST(NDArray, ReductionsShapeOpsAndContractions) {
  NDArray a = arange(0, 24).reshape({2, 3, 4});
  EXPECT_EQ(sum(a).shape(), (Shape{1}));
  EXPECT_EQ(sum(a).asscalar<double>(), 276);
  EXPECT_EQ(values(sum(a, {0, 2})), (std::vector<double>{60, 92, 124}));
  EXPECT_EQ(mean(a, {1}, true).shape(), (Shape{2, 1, 4}));
  EXPECT_EQ(values(max(a, {1}, false, true)),
            (std::vector<double>{15, 19, 23}));
  // MXNet: -1 consumes an input axis, so 0 copies the second one.
  EXPECT_EQ(a.reshape({-1, 0}).shape(), (Shape{8, 3}));
  EXPECT_EQ(a.reshape({-3, 0}).shape(), (Shape{6, 4}));
  EXPECT_EQ(a.T().shape(), (Shape{4, 3, 2}));
  EXPECT_EQ(values(a[1][2]), (std::vector<double>{20, 21, 22, 23}));
  EXPECT_EQ(values(a.slice(1, 2).reshape({-1})[0]), (std::vector<double>{12}));
  // MXNet's None: every row from the last backwards.
  NDArray m = arange(0, 6).reshape({3, 2});
  EXPECT_EQ(values(slice(m, {std::nullopt}, {std::nullopt}, {-1})),
            (std::vector<double>{4, 5, 2, 3, 0, 1}));
  EXPECT_EQ(values(concat({m, m}, 0)).size(), 12u);
  EXPECT_EQ(cast(m, DType::Int32).dtype(), DType::Int32);
  NDArray w = array({1, 0, 0, 1}, {2, 2});
  EXPECT_EQ(values(dot(m, w)), values(m));
  EXPECT_EQ(values(dot(m, w, false, true)), values(m));
  NDArray fc = fully_connected(m, w, array({1, -1}), 2);
  EXPECT_EQ(values(fc), (std::vector<double>{1, 0, 3, 2, 5, 4}));
  auto p = values(softmax(array({0, 0}, {1, 2})));
  EXPECT_DOUBLE_EQ(p[0] + p[1], 1.0);
}

// Reading one value computes the intermediates other handles still hold,
// in the same compiled function, so they are not recomputed.
TEST(NDArray, HeldIntermediatesAreComputedOnce) {
  NDArray x = array({0, 1, 2});
  NDArray y = exp(x);
  NDArray z = y * 2;
  auto before = cache_info();
  auto zv = values(z);
  auto afterZ = cache_info();
  auto yv = values(y); // already materialized with z: no new compile or call
  auto afterY = cache_info();
  EXPECT_EQ(afterY.hits + afterY.misses, afterZ.hits + afterZ.misses);
  EXPECT_EQ(afterZ.hits + afterZ.misses, before.hits + before.misses + 1);
  for (int i = 0; i < 3; ++i)
    EXPECT_FLOAT_EQ(float(zv[i]), 2 * float(yv[i]));
}

// A loop that repeats the same ops compiles on its first iteration only.
TEST(NDArray, RepeatedLoopCompilesOnce) {
  NDArray w = ones({4, 3});
  auto start = cache_info();
  for (int step = 0; step < 5; ++step) {
    NDArray x = full({2, 3}, step);
    NDArray h = relu(dot(x, w, false, true) - 1.0);
    w -= 0.01 * mean(h, {0}).reshape({4, 1});
    w.wait_to_read();
  }
  auto end = cache_info();
  EXPECT_EQ(end.misses - start.misses, 1u);
  EXPECT_EQ(end.hits - start.hits, 4u);
  EXPECT_LT(values(w)[0], 1.0);
}

// In-place ops update the array itself: every handle sees the new value.
TEST(NDArray, InPlaceOpsAndCopyto) {
  NDArray a = array({1, 2, 3});
  NDArray alias = a;
  NDArray before = a.copy();
  a += 1;
  a *= a;
  EXPECT_EQ(values(alias), (std::vector<double>{4, 9, 16}));
  EXPECT_EQ(values(before), (std::vector<double>{1, 2, 3}));
  NDArray target = zeros({3}, cpu(), DType::Float64);
  a.copyto(target);
  EXPECT_EQ(target.dtype(), DType::Float64);
  EXPECT_EQ(values(target), (std::vector<double>{4, 9, 16}));
  NDArray wrong = zeros({2});
  EXPECT_THROW(a.copyto(wrong), Error);
  EXPECT_THROW(a += zeros({2, 3}), Error);
}

// An in-place update does not change what ops recorded before it read.
TEST(NDArray, PendingOpsKeepTheValueTheyWereGiven) {
  NDArray a = array({1, 2});
  NDArray doubled = a * 2; // pending
  a += 10;
  a *= a;
  EXPECT_EQ(values(doubled), (std::vector<double>{2, 4}));
  EXPECT_EQ(values(a), (std::vector<double>{121, 144}));
}

TEST(NDArray, ScalarsAndPrinting) {
  EXPECT_EQ(sum(array({1.5, 2})).asscalar<double>(), 3.5);
  EXPECT_THROW(array({1, 2}).asscalar<double>(), Error);
  EXPECT_EQ(array({1, 2, 3, 4, 5, 6}, {2, 3}).str(),
            "[[1. 2. 3.]\n [4. 5. 6.]]\n<NDArray 2x3 @cpu(0)>");
  EXPECT_EQ(array({0.5, -2}).str(), "[ 0.5 -2. ]\n<NDArray 2 @cpu(0)>");
  EXPECT_EQ(arange(0, 3, 1, cpu(), DType::Int64).str(),
            "[0 1 2]\n<NDArray 3 @cpu(0)>");
}

} // namespace
