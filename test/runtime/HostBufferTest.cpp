//===- HostBufferTest.cpp - aligned tensor storage ------------------------===//

#include "runtime/HostBuffer.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <cstring>
#include <thread>
#include <vector>

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

// Small buffers come from a per-thread cache of blocks by power-of-two
// size class: a freed block is what the next buffer of its class gets,
// aligned and zeroed like a fresh one, and a block freed on another thread
// is valid there.
TEST(HostBuffer, SmallBlocksAreReusedPerSizeClass) {
  for (int64_t n : {1, 16, 17, 100, 1000, 4096, 16384}) {
    TensorSpec spec({n}, DType::Float32);
    const void *first;
    {
      HostBuffer a(spec, HostBuffer::Uninitialized{});
      first = a.data();
      std::memset(a.data(), 0xff, a.byteSize());
    }
    // Same class (a size up to the next power of two of 64 bytes).
    HostBuffer b(spec);
    EXPECT_EQ(b.data(), first) << n;
    EXPECT_EQ(reinterpret_cast<uintptr_t>(b.data()) % 64, 0u);
    for (float v : b.values<float>())
      ASSERT_EQ(v, 0.0f) << n;
  }
  // Above the small-block bound: not cached by this layer.
  HostBuffer big(
      TensorSpec({int64_t(detail::kSmallBlockBytes / 4 + 16)}, DType::Float32));
  EXPECT_EQ(reinterpret_cast<uintptr_t>(big.data()) % 64, 0u);

  std::vector<HostBuffer> made;
  for (int i = 0; i < 64; ++i)
    made.emplace_back(TensorSpec({i + 1}, DType::Float64));
  std::thread([&] { made.clear(); }).join();
  HostBuffer after(TensorSpec({8}, DType::Float64));
  EXPECT_EQ(after.values<double>()[7], 0.0);
}
