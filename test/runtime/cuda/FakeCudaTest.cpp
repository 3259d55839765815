//===- FakeCudaTest.cpp - the CUDA runtime against a simulated driver -----===//
//
// Runs with MXJIT_CUDA_DRIVER pointing at libfakecuda.so (FakeCuda.cpp), so
// the driver loader, DeviceBuffer, error translation and the mgpu* ABI's
// argument plumbing are exercised on machines without a GPU.
//
//===----------------------------------------------------------------------===//

#include "runtime/CodeGen.h"
#include "runtime/DeviceBuffer.h"
#include "runtime/Error.h"
#include "runtime/HostBuffer.h"
#include "runtime/ObjectLinker.h"
#include "runtime/RuntimeSymbols.h"
#include "runtime/cuda/CudaDriver.h"
#include "runtime/cuda/GpuRuntime.h"

#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IRReader/IRReader.h"
#include "llvm/Support/SourceMgr.h"
#include "llvm/Target/TargetMachine.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <cstdlib>
#include <vector>

using namespace mxjit;
using namespace mxjit::cuda;

namespace {

/// The fake's inspection hooks, from the same library the runtime loaded.
struct Fake {
  int (*liveAllocations)();
  int (*launches)();
  unsigned (*lastDim)(int);
  void (*failNextAlloc)();

  static Fake &get() {
    static Fake fake = [] {
      const char *path = std::getenv("MXJIT_CUDA_DRIVER");
      void *h = path ? dlopen(path, RTLD_NOW | RTLD_LOCAL) : nullptr;
      Fake f{};
      if (!h)
        return f;
      f.liveAllocations =
          reinterpret_cast<int (*)()>(dlsym(h, "fake_cuda_live_allocations"));
      f.launches = reinterpret_cast<int (*)()>(dlsym(h, "fake_cuda_launches"));
      f.lastDim =
          reinterpret_cast<unsigned (*)(int)>(dlsym(h, "fake_cuda_last_dim"));
      f.failNextAlloc =
          reinterpret_cast<void (*)()>(dlsym(h, "fake_cuda_fail_next_alloc"));
      return f;
    }();
    return fake;
  }
};

class FakeCuda : public ::testing::Test {
protected:
  void SetUp() override {
    if (!Fake::get().liveAllocations)
      GTEST_FAIL() << "run with MXJIT_CUDA_DRIVER=<build>/test/runtime/"
                      "libfakecuda.so (ctest sets it)";
  }
};

const char *kPtx = ".version 8.0\n.target sm_90\n.address_size 64\n"
                   ".visible .entry fill_f32(\n.param .u64 a,\n.param .f32 "
                   "b,\n.param .u64 c\n)\n{\nret;\n}\n";

} // namespace

TEST_F(FakeCuda, ReportsDeviceAndArch) {
  EXPECT_TRUE(cudaAvailable());
  EXPECT_EQ(gpuCount(), 1);
  EXPECT_EQ(CudaDriver::require(0).arch(0), "sm_90");
}

TEST_F(FakeCuda, CompileOptionsKeyOnDeviceAndArch) {
  CompileOptions options = gpuCompileOptions(0);
  EXPECT_EQ(options.gpuDevice, 0);
  EXPECT_EQ(options.gpuArch, "sm_90");
  EXPECT_NE(options.key().find(",gpu=0:sm_90"), std::string::npos)
      << options.key();
  EXPECT_THROW(gpuCompileOptions(1), Error);
}

TEST_F(FakeCuda, MissingDeviceNamesOrdinalAndCount) {
  try {
    CudaDriver::require(1);
    FAIL() << "gpu(1) exists";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "gpu(1): no CUDA device (the driver reports 1)");
  }
  EXPECT_THROW(DeviceBuffer(1, 16), Error);
}

TEST_F(FakeCuda, BufferRoundTripAndLifetime) {
  int before = Fake::get().liveAllocations();
  {
    std::vector<float> values = {1, 2, 3, 4, 5};
    HostBuffer host =
        HostBuffer::fromValues<float>(TensorSpec({5}, DType::Float32), values);
    DeviceBuffer d = DeviceBuffer::fromHost(0, host);
    EXPECT_EQ(d.byteSize(), 20u);
    EXPECT_EQ(d.device(), 0);
    EXPECT_EQ(Fake::get().liveAllocations(), before + 1);

    DeviceBuffer copy = d.clone();
    d.fill32(0);
    std::vector<float> back(5, -1);
    copy.copyToHost(back.data(), 20);
    EXPECT_EQ(back, values);
    d.copyToHost(back.data(), 20);
    EXPECT_EQ(back, std::vector<float>(5, 0.0f));

    DeviceBuffer moved = std::move(copy);
    EXPECT_TRUE(copy.empty());
    EXPECT_EQ(Fake::get().liveAllocations(), before + 2);
  }
  EXPECT_EQ(Fake::get().liveAllocations(), before);
}

TEST_F(FakeCuda, CopySizeMismatchesAreErrors) {
  DeviceBuffer a(0, 16), b(0, 8);
  std::vector<char> host(32);
  EXPECT_THROW(a.copyFromHost(host.data(), 32), Error);
  EXPECT_THROW(a.copyToHost(host.data(), 32), Error);
  EXPECT_THROW(a.copyFrom(b), Error);
  EXPECT_THROW(DeviceBuffer(0, 6).fill32(1), Error);
}

TEST_F(FakeCuda, DriverFailureNamesCallDeviceAndError) {
  Fake::get().failNextAlloc();
  try {
    DeviceBuffer(0, 64);
    FAIL() << "allocation succeeded";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "gpu(0): cuMemAlloc_v2 failed: "
                           "CUDA_ERROR_OUT_OF_MEMORY (out of memory)");
  }
}

TEST_F(FakeCuda, MgpuAbiLoadsLaunchesAndCopies) {
  mgpuSetDefaultDevice(0);
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kPtx), 2);
  ASSERT_NE(module, nullptr);
  void *kernel = mgpuModuleGetFunction(module, "fill_f32");
  ASSERT_NE(kernel, nullptr);
  void *stream = mgpuStreamCreate();
  void *out = mgpuMemAlloc(6 * sizeof(float), stream, false);
  ASSERT_NE(out, nullptr);
  mgpuMemset32(out, 0, 6, stream);

  // gpu-to-llvm passes a pointer to each argument.
  float value = 2.5f;
  int64_t n = 5;
  void *params[] = {&out, &value, &n};
  int launches = Fake::get().launches();
  mgpuLaunchKernel(kernel, 2, 1, 1, 3, 1, 1, 0, stream, params, nullptr, 3);
  EXPECT_EQ(Fake::get().launches(), launches + 1);
  EXPECT_EQ(Fake::get().lastDim(0), 2u);
  EXPECT_EQ(Fake::get().lastDim(3), 3u);

  std::vector<float> host(6, -1);
  mgpuMemcpy(host.data(), out, 6 * sizeof(float), stream);
  mgpuStreamSynchronize(stream);
  EXPECT_EQ(host, (std::vector<float>{2.5f, 2.5f, 2.5f, 2.5f, 2.5f, 0}));

  void *event = mgpuEventCreate();
  mgpuEventRecord(event, stream);
  mgpuStreamWaitEvent(stream, event);
  mgpuEventSynchronize(event);
  mgpuEventDestroy(event);
  mgpuMemFree(out, stream);
  mgpuStreamDestroy(stream);
  mgpuModuleUnload(module);
  EXPECT_NO_THROW(raisePendingGpuError());
}

TEST_F(FakeCuda, MgpuErrorIsRecordedAndLaterCallsSkipped) {
  void *module = mgpuModuleLoadJIT(const_cast<char *>(kPtx), 2);
  void *kernel = mgpuModuleGetFunction(module, "missing");
  EXPECT_EQ(kernel, nullptr);
  int launches = Fake::get().launches();
  mgpuLaunchKernel(kernel, 1, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  // Skipped: an error is pending.
  EXPECT_EQ(Fake::get().launches(), launches);
  try {
    raisePendingGpuError();
    FAIL() << "no error recorded";
  } catch (const Error &e) {
    EXPECT_STREQ(e.what(), "gpu(0): cuModuleGetFunction failed for kernel "
                           "'missing': CUDA_ERROR_NOT_FOUND");
  }
  // Raising cleared it.
  EXPECT_NO_THROW(raisePendingGpuError());
  mgpuModuleUnload(module);
  EXPECT_NO_THROW(raisePendingGpuError());
}

TEST_F(FakeCuda, MgpuRejectsBadImagesAndLaunchDims) {
  void *module = mgpuModuleLoad(const_cast<char *>("not ptx"), 7);
  EXPECT_EQ(module, nullptr);
  std::optional<std::string> error = takePendingGpuError();
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "gpu(0): cuModuleLoadData failed: "
                    "CUDA_ERROR_INVALID_IMAGE");

  mgpuLaunchKernel(nullptr, 0, 1, 1, 1, 1, 1, 0, nullptr, nullptr, nullptr, 0);
  error = takePendingGpuError();
  ASSERT_TRUE(error);
  EXPECT_EQ(*error, "gpu(0): mgpuLaunchKernel grid x of 0");
}

TEST_F(FakeCuda, JitLinkerSeesTheMgpuFunctions) {
  // Generated host code resolves these names through runtimeSymbols().
  auto find = [](llvm::StringRef name) -> void * {
    for (const RuntimeSymbol &s : runtimeSymbols())
      if (s.name == name)
        return s.address;
    return nullptr;
  };
  EXPECT_EQ(find("mgpuLaunchKernel"),
            reinterpret_cast<void *>(&mgpuLaunchKernel));
  EXPECT_EQ(find("mgpuModuleLoadJIT"),
            reinterpret_cast<void *>(&mgpuModuleLoadJIT));
  EXPECT_EQ(find("mgpuMemAlloc"), reinterpret_cast<void *>(&mgpuMemAlloc));
  EXPECT_EQ(find("mgpuSetDefaultDevice"),
            reinterpret_cast<void *>(&mgpuSetDefaultDevice));
}

// Host code as gpu-to-llvm emits it (the same mgpu* calls and signatures),
// compiled and linked by the runtime's JIT linker: the names must resolve
// to the runtime's functions and the arguments reach the driver.
TEST_F(FakeCuda, JitLinkedHostCodeLaunchesThroughTheAbi) {
  std::string ptx(kPtx);
  std::string ir = R"(
@ptx = internal constant [)" +
                   std::to_string(ptx.size() + 1) + R"( x i8] c")" +
                   [&] {
                     std::string escaped;
                     for (char c : ptx)
                       escaped +=
                           c == '\n' ? std::string("\\0A") : std::string(1, c);
                     return escaped;
                   }() +
                   R"(\00"
@name = internal constant [9 x i8] c"fill_f32\00"
declare ptr @mgpuModuleLoadJIT(ptr, i32)
declare ptr @mgpuModuleGetFunction(ptr, ptr)
declare void @mgpuModuleUnload(ptr)
declare ptr @mgpuStreamCreate()
declare void @mgpuStreamSynchronize(ptr)
declare void @mgpuStreamDestroy(ptr)
declare ptr @mgpuMemAlloc(i64, ptr, i8)
declare void @mgpuMemFree(ptr, ptr)
declare void @mgpuMemcpy(ptr, ptr, i64, ptr)
declare void @mgpuLaunchKernel(ptr, i64, i64, i64, i64, i64, i64, i32, ptr, ptr, ptr, i64)

define void @fill(ptr %host, i64 %n, float %value) {
  %m = call ptr @mgpuModuleLoadJIT(ptr @ptx, i32 2)
  %f = call ptr @mgpuModuleGetFunction(ptr %m, ptr @name)
  %s = call ptr @mgpuStreamCreate()
  %bytes = mul i64 %n, 4
  %d = call ptr @mgpuMemAlloc(i64 %bytes, ptr %s, i8 0)
  %dslot = alloca ptr
  %vslot = alloca float
  %nslot = alloca i64
  store ptr %d, ptr %dslot
  store float %value, ptr %vslot
  store i64 %n, ptr %nslot
  %params = alloca [3 x ptr]
  %p1 = getelementptr [3 x ptr], ptr %params, i64 0, i64 1
  %p2 = getelementptr [3 x ptr], ptr %params, i64 0, i64 2
  store ptr %dslot, ptr %params
  store ptr %vslot, ptr %p1
  store ptr %nslot, ptr %p2
  call void @mgpuLaunchKernel(ptr %f, i64 1, i64 1, i64 1, i64 %n, i64 1, i64 1, i32 0, ptr %s, ptr %params, ptr null, i64 3)
  call void @mgpuMemcpy(ptr %host, ptr %d, i64 %bytes, ptr %s)
  call void @mgpuStreamSynchronize(ptr %s)
  call void @mgpuMemFree(ptr %d, ptr %s)
  call void @mgpuStreamDestroy(ptr %s)
  call void @mgpuModuleUnload(ptr %m)
  ret void
}
)";
  llvm::LLVMContext context;
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module =
      llvm::parseIR(llvm::MemoryBufferRef(ir, "fill.ll"), diagnostic, context);
  ASSERT_TRUE(module) << diagnostic.getMessage().str();
  std::unique_ptr<llvm::TargetMachine> tm = createTargetMachine("native", 0);
  module->setDataLayout(tm->createDataLayout());
  module->setTargetTriple(tm->getTargetTriple());
  llvm::SmallVector<char, 0> object =
      emitMachineCode(*module, *tm, llvm::CodeGenFileType::ObjectFile);
  std::unique_ptr<LinkedObject> linked =
      addObject(llvm::MemoryBufferRef(
                    llvm::StringRef(object.data(), object.size()), "fill.o"),
                "fill");
  auto *fill = reinterpret_cast<void (*)(float *, int64_t, float)>(
      linked->address("fill"));

  int before = Fake::get().liveAllocations();
  std::vector<float> host(4, 0);
  fill(host.data(), 4, 1.5f);
  EXPECT_NO_THROW(raisePendingGpuError());
  EXPECT_EQ(host, std::vector<float>(4, 1.5f));
  EXPECT_EQ(Fake::get().lastDim(3), 4u);
  EXPECT_EQ(Fake::get().liveAllocations(), before);
}
