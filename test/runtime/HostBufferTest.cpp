//===- HostBufferTest.cpp - aligned tensor storage ------------------------===//

#include "runtime/HostBuffer.h"

#include <gtest/gtest.h>

#include <cstdint>

using namespace mxjit;

TEST(HostBuffer, AlignedAndZeroed) {
  for (int64_t n : {0, 1, 3, 17, 1000}) {
    HostBuffer b(TensorSpec({n}, DType::Float32));
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
    EXPECT_EQ(b.byteSize(), static_cast<size_t>(n) * 4);
    for (float v : b.values<float>())
      EXPECT_EQ(v, 0.0f);
  }
}

TEST(HostBuffer, FromValuesAndTypedViews) {
  HostBuffer b = HostBuffer::fromValues<int64_t>(
      TensorSpec({2, 2}, DType::Int64), {1, 2, 3, 4});
  EXPECT_EQ(b.values<int64_t>()[3], 4);
  EXPECT_THROW((void)b.values<float>(), Error);
  EXPECT_THROW(
      HostBuffer::fromValues<int64_t>(TensorSpec({3}, DType::Int64), {1, 2}),
      Error);
}

TEST(HostBuffer, MoveIsCheapAndLeavesEmpty) {
  HostBuffer a(TensorSpec({1024}, DType::Float64));
  a.values<double>()[7] = 7.0;
  const void *storage = a.data();
  HostBuffer b = std::move(a);
  EXPECT_EQ(b.data(), storage); // moved, not copied
  EXPECT_EQ(b.values<double>()[7], 7.0);
  EXPECT_TRUE(a.empty()); // NOLINT(bugprone-use-after-move)
  EXPECT_EQ(a.byteSize(), 0u);

  HostBuffer c = b.clone();
  EXPECT_NE(c.data(), b.data());
  EXPECT_EQ(c.values<double>()[7], 7.0);
  EXPECT_EQ(c.spec(), b.spec());
}
