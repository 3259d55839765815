//===- GpuBench.cpp - CUDA device bandwidth -------------------------------===//
//
// BM_GpuCopyDtoD: cuMemcpyDtoD of 64M float32 (256 MiB read + 256 MiB
// written), the device's practical copy bandwidth.
// BM_GpuAddKernel: c = a + b on 64M float32 with a hand-written PTX kernel
// loaded through the mgpu* ABI that JIT-compiled host code uses (three
// streams: 768 MiB per call); its bytes/s against the copy's shows what an
// elementwise kernel can reach.
// Both time on the device with CUDA events (manual time). Without a CUDA
// device each reports "skipped: no CUDA device: <reason>".
// sgemm vs cuBLAS waits for the mx-lower-to-nvvm compile path.
//
//===----------------------------------------------------------------------===//

#include "runtime/DeviceBuffer.h"
#include "runtime/Error.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/GpuRuntime.h"

#include <benchmark/benchmark.h>

#include <string>

using namespace mxjit;
using namespace mxjit::cuda;

namespace {

constexpr std::size_t kElements = std::size_t(64) << 20;

/// The driver for gpu(0), or null after marking `state` skipped.
CudaDriver *driverOrSkip(benchmark::State &state) {
  try {
    CudaDriver &driver = CudaDriver::require(0);
    driver.makeCurrent(0);
    return &driver;
  } catch (const Error &e) {
    state.SkipWithError(
        (std::string("skipped: no CUDA device: ") + e.what()).c_str());
    return nullptr;
  }
}

/// Device time of `body` (enqueued on `stream`) in seconds.
template <typename Body>
double timeOnDevice(CudaDriver &driver, CUstream stream, Body body) {
  const DriverApi &api = driver.api();
  CUevent start, stop;
  driver.check(api.cuEventCreate(&start, 0), "cuEventCreate", 0);
  driver.check(api.cuEventCreate(&stop, 0), "cuEventCreate", 0);
  driver.check(api.cuEventRecord(start, stream), "cuEventRecord", 0);
  body();
  driver.check(api.cuEventRecord(stop, stream), "cuEventRecord", 0);
  driver.check(api.cuEventSynchronize(stop), "cuEventSynchronize", 0);
  float ms = 0;
  driver.check(api.cuEventElapsedTime(&ms, start, stop), "cuEventElapsedTime",
               0);
  api.cuEventDestroy(start);
  api.cuEventDestroy(stop);
  return ms * 1e-3;
}

void BM_GpuCopyDtoD(benchmark::State &state) {
  CudaDriver *driver = driverOrSkip(state);
  if (!driver)
    return;
  std::size_t bytes = kElements * sizeof(float);
  DeviceBuffer src(0, bytes), dst(0, bytes);
  src.fill32(0x3f800000);
  CUstream stream = driver->defaultStream(0);
  for (auto _ : state)
    state.SetIterationTime(timeOnDevice(*driver, stream, [&] {
      driver->check(
          driver->api().cuMemcpyDtoDAsync(dst.ptr(), src.ptr(), bytes, stream),
          "cuMemcpyDtoDAsync_v2", 0);
    }));
  state.SetBytesProcessed(int64_t(state.iterations()) * 2 * bytes);
}
BENCHMARK(BM_GpuCopyDtoD)->UseManualTime()->Unit(benchmark::kMillisecond);

// c[i] = a[i] + b[i] for i < n; one thread per element.
const char *kAddPtx = R"(.version 7.0
.target sm_52
.address_size 64
.visible .entry mxjit_bench_add(.param .u64 pa, .param .u64 pb,
                                .param .u64 pc, .param .u64 pn)
{
  .reg .pred %p;
  .reg .b32 %r<4>;
  .reg .b64 %rd<12>;
  .reg .f32 %f<4>;
  ld.param.u64 %rd1, [pa];
  ld.param.u64 %rd2, [pb];
  ld.param.u64 %rd3, [pc];
  ld.param.u64 %rd4, [pn];
  mov.u32 %r1, %ctaid.x;
  mov.u32 %r2, %ntid.x;
  mov.u32 %r3, %tid.x;
  mul.wide.u32 %rd5, %r1, %r2;
  cvt.u64.u32 %rd6, %r3;
  add.u64 %rd5, %rd5, %rd6;
  setp.ge.u64 %p, %rd5, %rd4;
  @%p bra DONE;
  shl.b64 %rd7, %rd5, 2;
  cvta.to.global.u64 %rd1, %rd1;
  cvta.to.global.u64 %rd2, %rd2;
  cvta.to.global.u64 %rd3, %rd3;
  add.u64 %rd8, %rd1, %rd7;
  add.u64 %rd9, %rd2, %rd7;
  add.u64 %rd10, %rd3, %rd7;
  ld.global.f32 %f1, [%rd8];
  ld.global.f32 %f2, [%rd9];
  add.f32 %f3, %f1, %f2;
  st.global.f32 [%rd10], %f3;
DONE:
  ret;
}
)";

void BM_GpuAddKernel(benchmark::State &state) {
  CudaDriver *driver = driverOrSkip(state);
  if (!driver)
    return;
  mgpuSetDefaultDevice(0);
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kAddPtx), 4);
  void *kernel = mgpuModuleGetFunction(module, "mxjit_bench_add");
  try {
    raisePendingGpuError();
  } catch (const Error &e) {
    state.SkipWithError(e.what());
    return;
  }
  std::size_t bytes = kElements * sizeof(float);
  DeviceBuffer a(0, bytes), b(0, bytes), c(0, bytes);
  a.fill32(0x3f800000);
  b.fill32(0x40000000);
  CUstream stream = driver->defaultStream(0);
  void *pa = a.data(), *pb = b.data(), *pc = c.data();
  uint64_t n = kElements;
  void *params[] = {&pa, &pb, &pc, &n};
  constexpr intptr_t kBlock = 256;
  for (auto _ : state)
    state.SetIterationTime(timeOnDevice(*driver, stream, [&] {
      mgpuLaunchKernel(kernel, (n + kBlock - 1) / kBlock, 1, 1, kBlock, 1, 1, 0,
                       stream, params, nullptr, 4);
    }));
  mgpuModuleUnload(module);
  try {
    raisePendingGpuError();
    float first = 0;
    c.copyToHost(&first, sizeof(float));
    if (first != 3.0f)
      state.SkipWithError("mxjit_bench_add computed a wrong value");
  } catch (const Error &e) {
    state.SkipWithError(e.what());
  }
  state.SetBytesProcessed(int64_t(state.iterations()) * 3 * bytes);
}
BENCHMARK(BM_GpuAddKernel)->UseManualTime()->Unit(benchmark::kMillisecond);

} // namespace
