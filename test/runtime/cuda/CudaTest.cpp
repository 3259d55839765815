//===- CudaTest.cpp - the CUDA runtime with the system's driver -----------===//
//
// Without a driver or GPU (registered a second time with MXJIT_CUDA_DRIVER
// naming a missing library, so these paths always run) the errors must be
// clear; with a GPU the execution tests run, otherwise they skip saying why.
//
//===----------------------------------------------------------------------===//

#include "mxjit/context.h"
#include "mxjit/ndarray.h"
#include "runtime/DeviceBuffer.h"
#include "runtime/Error.h"
#include "runtime/cuda/CudaDriver.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

using namespace mxjit;
using namespace mxjit::cuda;

namespace {
std::string errorOf(void (*fn)()) {
  try {
    fn();
  } catch (const Error &e) {
    return e.what();
  }
  return "";
}

#define SKIP_WITHOUT_GPU()                                                     \
  if (!cudaAvailable() || gpuCount() == 0)                                     \
  GTEST_SKIP() << "no CUDA device: " << errorOf([] { CudaDriver::require(0); })
} // namespace

TEST(CudaNoDevice, ContextsPrintLikeMXNet) {
  EXPECT_EQ(gpu(0).str(), "gpu(0)");
  EXPECT_EQ(gpu(3).str(), "gpu(3)");
  EXPECT_NE(gpu(0), cpu(0));
}

TEST(CudaNoDevice, QueriesDoNotThrowAndErrorsAreClear) {
  if (cudaAvailable())
    GTEST_SKIP() << "a CUDA driver is present (" << gpuCount() << " devices)";
  EXPECT_EQ(gpuCount(), 0);
  std::string message = errorOf([] { CudaDriver::require(0); });
  EXPECT_EQ(message.rfind("gpu(0): no CUDA ", 0), 0u) << message;
  EXPECT_EQ(errorOf([] { DeviceBuffer(0, 16); }), message);
  // The frontend reports the same reason when an array is placed on gpu(0).
  EXPECT_EQ(errorOf([] { nd::zeros({2, 2}, gpu(0)); }), message);
  EXPECT_EQ(errorOf([] { nd::zeros({2}).as_in_context(gpu(0)); }), message);
}

TEST(CudaNoDevice, MissingLibraryIsNamed) {
  const char *path = std::getenv("MXJIT_CUDA_DRIVER");
  if (!path || cudaAvailable())
    GTEST_SKIP() << "MXJIT_CUDA_DRIVER does not name a missing library";
  std::string message = errorOf([] { CudaDriver::require(0); });
  EXPECT_EQ(message.rfind(std::string("gpu(0): no CUDA driver (") + path +
                              " not found",
                          0),
            0u)
      << message;
}

TEST(CudaDevice, CopyRoundTrip) {
  SKIP_WITHOUT_GPU();
  std::vector<float> values(1 << 20);
  for (std::size_t i = 0; i < values.size(); ++i)
    values[i] = static_cast<float>(i) * 0.5f;
  DeviceBuffer d(0, values.size() * sizeof(float));
  d.copyFromHost(values.data(), d.byteSize());
  DeviceBuffer copy = d.clone();
  std::vector<float> back(values.size());
  copy.copyToHost(back.data(), copy.byteSize());
  EXPECT_EQ(back, values);
  d.fill32(0);
  d.copyToHost(back.data(), d.byteSize());
  EXPECT_EQ(back, std::vector<float>(values.size(), 0.0f));
}

TEST(CudaDevice, ReportsArchitecture) {
  SKIP_WITHOUT_GPU();
  std::string arch = CudaDriver::require(0).arch(0);
  EXPECT_EQ(arch.rfind("sm_", 0), 0u) << arch;
}
