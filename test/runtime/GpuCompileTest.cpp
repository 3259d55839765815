//===- GpuCompileTest.cpp - compile() for gpu(0): objects and execution ---===//
//
// Code generation for a GPU target needs neither a GPU nor CUDA, so the
// object is checked everywhere; running it needs the CUDA driver and a
// device (and the mgpu* runtime functions), so that test skips without.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"
#include "runtime/Context.h"
#include "runtime/Error.h"
#include "runtime/JitEngine.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/MemoryBuffer.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <algorithm>
#include <cmath>
#include <set>
#include <string>
#include <type_traits>
#include <vector>

using namespace mxjit;

namespace {

const char *kMlp = R"mlir(
func.func @mlp(%x: tensor<8x6xf32>, %w1: tensor<16x6xf32>, %b1: tensor<16xf32>,
               %w2: tensor<4x16xf32>, %b2: tensor<4xf32>, %l: tensor<8xf32>) -> tensor<8x4xf32> {
  %h = mx.fully_connected %x, %w1, %b1 {num_hidden = 16 : i64} : (tensor<8x6xf32>, tensor<16x6xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %r = mx.relu %h : tensor<8x16xf32>
  %o = mx.fully_connected %r, %w2, %b2 {num_hidden = 4 : i64} : (tensor<8x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  %s = mx.softmax_output %o, %l : (tensor<8x4xf32>, tensor<8xf32>) -> tensor<8x4xf32>
  return %s : tensor<8x4xf32>
}
)mlir";

const char *kRowSum = R"mlir(
func.func @rowsum(%x: tensor<300x7xf32>, %y: tensor<300x7xf32>) -> tensor<300x1xf32> {
  %p = mx.multiply %x, %y : (tensor<300x7xf32>, tensor<300x7xf32>) -> tensor<300x7xf32>
  %e = mx.exp %p : tensor<300x7xf32>
  %s = mx.sum %e {axis = array<i64: 1>, keepdims = true} : (tensor<300x7xf32>) -> tensor<300x1xf32>
  return %s : tensor<300x1xf32>
}
)mlir";

CompileOptions gpuOptions() {
  CompileOptions options;
  options.gpuDevice = 0;
  options.gpuArch = "sm_90";
  return options;
}

TEST(GpuCompile, MlpTrainingStepObjectCallsOnlyTheMgpuRuntime) {
  auto context = createContext();
  auto module = parseModule(*context, kMlp);
  // The gradient function, as a training step compiles it.
  mlir::PassManager pm(context.get());
  std::string error;
  llvm::raw_string_ostream os(error);
  ASSERT_TRUE(mlir::succeeded(mlir::parsePassPipeline("mx-autodiff", pm, os)))
      << error;
  ASSERT_TRUE(mlir::succeeded(pm.run(*module)));

  llvm::SmallVector<char, 0> object =
      compileToObject(*module, "mlp_grad", gpuOptions());
  llvm::StringRef bytes(object.data(), object.size());
  auto file = llvm::object::ObjectFile::createObjectFile(
      llvm::MemoryBufferRef(bytes, "mlp_grad"));
  ASSERT_TRUE(static_cast<bool>(file)) << llvm::toString(file.takeError());

  std::set<std::string> undefined, defined;
  for (const llvm::object::SymbolRef &symbol : (*file)->symbols()) {
    llvm::Expected<llvm::StringRef> name = symbol.getName();
    ASSERT_TRUE(static_cast<bool>(name));
    if (name->empty())
      continue;
    llvm::Expected<uint32_t> flags = symbol.getFlags();
    ASSERT_TRUE(static_cast<bool>(flags));
    if (*flags & llvm::object::SymbolRef::SF_Undefined)
      undefined.insert(name->str());
    else
      defined.insert(name->str());
  }
  EXPECT_TRUE(defined.count(kPackedEntrySymbol));
  EXPECT_TRUE(defined.count("mlp_grad"));
  for (const std::string &name : undefined)
    EXPECT_EQ(name.rfind("mgpu", 0), 0u) << "unexpected import " << name;
  for (const char *name :
       {"mgpuModuleLoadJIT", "mgpuModuleGetFunction", "mgpuLaunchKernel",
        "mgpuStreamCreate", "mgpuStreamSynchronize", "mgpuStreamDestroy"})
    EXPECT_TRUE(undefined.count(name)) << name;
  // Kernel modules load on the first call, not from a constructor that
  // the JIT linker would never run.
  EXPECT_EQ(bytes.find(".init_array"), llvm::StringRef::npos);

  // The PTX is embedded as text: one module per kernel, for sm_90.
  EXPECT_NE(bytes.find(".target sm_90"), llvm::StringRef::npos);
  EXPECT_NE(bytes.find(".visible .entry mlp_grad_kernel("),
            llvm::StringRef::npos);
  EXPECT_EQ(bytes.find(".target sm_80"), llvm::StringRef::npos);
}

TEST(GpuCompile, ArchitectureReachesThePtxAndTheDeviceName) {
  auto context = createContext();
  auto module = parseModule(*context, kRowSum);
  CompileOptions options = gpuOptions();
  options.gpuArch = "sm_80";
  llvm::SmallVector<char, 0> object =
      compileToObject(*module, "rowsum", options);
  llvm::StringRef bytes(object.data(), object.size());
  EXPECT_NE(bytes.find(".target sm_80"), llvm::StringRef::npos);
  EXPECT_EQ(gpuDeviceName(options), "cuda:0:sm_80");
  EXPECT_EQ(gpuDeviceName(CompileOptions()), "cpu");
  EXPECT_NE(options.key(), gpuOptions().key());
}

TEST(GpuCompile, ShapeGenericIsRejectedWithAReason) {
  auto context = createContext();
  auto module = parseModule(*context, kRowSum);
  CompileOptions options = gpuOptions();
  options.genericBatch = true;
  try {
    compileToObject(*module, "rowsum", options);
    FAIL() << "expected mxjit::Error";
  } catch (const Error &e) {
    EXPECT_NE(std::string(e.what()).find("gpu(0)"), std::string::npos)
        << e.what();
  }
}

// The CUDA driver API, loaded like the runtime loads it: only what this
// test needs to put buffers on the device.
struct Driver {
  void *lib = nullptr;
  int (*init)(unsigned) = nullptr;
  int (*deviceGet)(int *, int) = nullptr;
  int (*retain)(void **, int) = nullptr;
  int (*setCurrent)(void *) = nullptr;
  int (*alloc)(unsigned long long *, size_t) = nullptr;
  int (*free)(unsigned long long) = nullptr;
  int (*toDevice)(unsigned long long, const void *, size_t) = nullptr;
  int (*toHost)(void *, unsigned long long, size_t) = nullptr;

  bool load(std::string &why) {
    lib = dlopen("libcuda.so.1", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      why = "no CUDA driver (libcuda.so.1) on this machine";
      return false;
    }
    auto get = [&](auto &fn, const char *name) {
      fn = reinterpret_cast<std::remove_reference_t<decltype(fn)>>(
          dlsym(lib, name));
      return fn != nullptr;
    };
    if (!get(init, "cuInit") || !get(deviceGet, "cuDeviceGet") ||
        !get(retain, "cuDevicePrimaryCtxRetain") ||
        !get(setCurrent, "cuCtxSetCurrent") || !get(alloc, "cuMemAlloc_v2") ||
        !get(free, "cuMemFree_v2") || !get(toDevice, "cuMemcpyHtoD_v2") ||
        !get(toHost, "cuMemcpyDtoH_v2")) {
      why = "libcuda.so.1 lacks a driver API function";
      return false;
    }
    int device = 0;
    void *context = nullptr;
    if (init(0) != 0 || deviceGet(&device, 0) != 0 ||
        retain(&context, device) != 0 || setCurrent(context) != 0) {
      why = "no usable CUDA device";
      return false;
    }
    return true;
  }
};

TEST(GpuCompile, RunsOnTheDevice) {
  Driver driver;
  std::string why;
  if (!driver.load(why))
    GTEST_SKIP() << why;
  auto context = createContext();
  auto module = parseModule(*context, kRowSum);
  std::shared_ptr<CompiledFunction> fn;
  try {
    fn = compile(*module, "rowsum", gpuOptions());
  } catch (const Error &e) {
    // Linking needs the mgpu* functions of the CUDA runtime support.
    if (std::string(e.what()).find("mgpu") != std::string::npos)
      GTEST_SKIP() << "the mgpu* runtime functions are not built in: "
                   << e.what();
    throw;
  }
  std::vector<float> x(300 * 7), y(300 * 7), out(300, -1.0f);
  for (size_t i = 0; i < x.size(); ++i) {
    x[i] = 0.01f * static_cast<float>(i % 13);
    y[i] = 0.5f - 0.02f * static_cast<float>(i % 7);
  }
  unsigned long long dx, dy, dout;
  size_t bytes = x.size() * sizeof(float);
  ASSERT_EQ(driver.alloc(&dx, bytes), 0);
  ASSERT_EQ(driver.alloc(&dy, bytes), 0);
  ASSERT_EQ(driver.alloc(&dout, out.size() * sizeof(float)), 0);
  ASSERT_EQ(driver.toDevice(dx, x.data(), bytes), 0);
  ASSERT_EQ(driver.toDevice(dy, y.data(), bytes), 0);
  fn->call(
      {reinterpret_cast<const void *>(dx), reinterpret_cast<const void *>(dy)},
      {reinterpret_cast<void *>(dout)});
  ASSERT_EQ(driver.toHost(out.data(), dout, out.size() * sizeof(float)), 0);
  for (int r = 0; r < 300; ++r) {
    double expected = 0;
    for (int c = 0; c < 7; ++c)
      expected += std::exp(static_cast<double>(x[r * 7 + c]) * y[r * 7 + c]);
    EXPECT_NEAR(out[r], expected, 1e-5 * expected) << "row " << r;
  }
  driver.free(dx);
  driver.free(dy);
  driver.free(dout);
}

} // namespace
