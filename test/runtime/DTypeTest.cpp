//===- DTypeTest.cpp - DType and TensorSpec -------------------------------===//

#include "runtime/DType.h"
#include "runtime/Error.h"
#include "runtime/TensorSpec.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include <gtest/gtest.h>

#include <sstream>
#include <unordered_set>

using namespace mxjit;

TEST(DType, SizesAndNames) {
  EXPECT_EQ(dtypeSize(DType::Float32), 4u);
  EXPECT_EQ(dtypeSize(DType::Float64), 8u);
  EXPECT_EQ(dtypeSize(DType::Int32), 4u);
  EXPECT_EQ(dtypeSize(DType::Int64), 8u);
  for (DType d : {DType::Float32, DType::Float64, DType::Int32, DType::Int64})
    EXPECT_EQ(parseDType(dtypeName(d)), d);
  EXPECT_EQ(dtypeName(DType::Float32), "float32");
  EXPECT_EQ(parseDType("float16"), std::nullopt);
}

TEST(DType, MlirRoundTrip) {
  mlir::MLIRContext context;
  for (DType d : {DType::Float32, DType::Float64, DType::Int32, DType::Int64})
    EXPECT_EQ(dtypeFromMlirType(toMlirType(d, context)), d);
  EXPECT_EQ(dtypeFromMlirType(mlir::Float16Type::get(&context)), std::nullopt);
  EXPECT_EQ(dtypeFromMlirType(mlir::IntegerType::get(
                &context, 32, mlir::IntegerType::Unsigned)),
            std::nullopt);
  EXPECT_EQ(dtypeOf<int64_t>(), DType::Int64);
}

TEST(TensorSpec, PrintsLikeMXNet) {
  EXPECT_EQ(TensorSpec({2, 3}, DType::Float32).str(), "(2,3) float32");
  EXPECT_EQ(TensorSpec({5}, DType::Int64).str(), "(5,) int64");
  EXPECT_EQ(TensorSpec({}, DType::Float64).str(), "() float64");
  std::ostringstream os;
  os << TensorSpec({1, 2, 3}, DType::Int32);
  EXPECT_EQ(os.str(), "(1,2,3) int32");
}

TEST(TensorSpec, EqualityAndHash) {
  TensorSpec a({2, 3}, DType::Float32), b({2, 3}, DType::Float32);
  TensorSpec c({3, 2}, DType::Float32), d({2, 3}, DType::Float64);
  EXPECT_EQ(a, b);
  EXPECT_NE(a, c);
  EXPECT_NE(a, d);
  EXPECT_EQ(a.hash(), b.hash());
  EXPECT_NE(a.hash(), c.hash());
  EXPECT_NE(a.hash(), d.hash());
  std::unordered_set<TensorSpec> set{a, b, c, d};
  EXPECT_EQ(set.size(), 3u);
  EXPECT_EQ(a.numElements(), 6);
  EXPECT_EQ(d.byteSize(), 48u);
  EXPECT_EQ(TensorSpec({}, DType::Int32).numElements(), 1);
}

TEST(TensorSpec, FromType) {
  mlir::MLIRContext context;
  auto f32 = mlir::Float32Type::get(&context);
  TensorSpec spec = TensorSpec::fromType(
      mlir::RankedTensorType::get({4, 5}, f32), "argument 0");
  EXPECT_EQ(spec, TensorSpec({4, 5}, DType::Float32));
  EXPECT_EQ(spec.toTensorType(context),
            mlir::RankedTensorType::get({4, 5}, f32));

  try {
    TensorSpec::fromType(
        mlir::RankedTensorType::get({mlir::ShapedType::kDynamic}, f32),
        "argument 1 of @f");
    FAIL() << "dynamic shape accepted";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("argument 1 of @f"),
              std::string::npos);
    EXPECT_NE(std::string(e.what()).find("static shape"), std::string::npos);
  }
  EXPECT_THROW(TensorSpec::fromType(f32, "result 0"), Error);
  EXPECT_THROW(TensorSpec::fromType(mlir::RankedTensorType::get(
                                        {2}, mlir::Float16Type::get(&context)),
                                    "result 0"),
               Error);
}
