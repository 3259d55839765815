//===- Passes.h - mxjit passes and pipelines --------------------*- C++ -*-===//

#ifndef MXJIT_LOWERING_PASSES_H
#define MXJIT_LOWERING_PASSES_H

#include "ir/MxDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/GPU/IR/GPUDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"
#include "mlir/Pass/PassOptions.h"

namespace mxjit {

#define GEN_PASS_DECL
#include "lowering/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "lowering/Passes.h.inc"

/// Options of the `mx-lower-to-llvm` pipeline.
struct LowerToLLVMOptions
    : public mlir::PassPipelineOptions<LowerToLLVMOptions> {
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer linalg.generic ops"),
      llvm::cl::init(true)};
  Option<bool> outlineLoopNests{
      *this, "outline-loop-nests",
      llvm::cl::desc("Move each top-level loop nest into its own no-inline "
                     "function (keeps LLVM's per-loop work linear)"),
      llvm::cl::init(true)};
  Option<int64_t> vectorWidth{
      *this, "vector-width",
      llvm::cl::desc("f32 lanes per SIMD register for mx-tile-and-vectorize "
                     "(16: AVX-512, 8: AVX2; 0: scalar loops only)"),
      llvm::cl::init(16)};
  Option<bool> fastMath{
      *this, "fast-math",
      llvm::cl::desc("Polynomial approximations for f32 tanh, exp, log, "
                     "log2 and erf (mx-fast-math; a few ulp, see "
                     "docs/performance.md) instead of libm calls"),
      llvm::cl::init(true)};
  Option<bool> planMemory{
      *this, "plan-memory",
      llvm::cl::desc("Place temporaries in one arena per call, reusing "
                     "bytes between buffers whose lifetimes do not overlap"),
      llvm::cl::init(true)};
  Option<bool> barePtrCallConv{
      *this, "bare-ptr-call-conv",
      llvm::cl::desc("Pass memrefs as bare data pointers (static shapes "
                     "only); off passes full memref descriptors, which "
                     "shape-generic (`?` batch) functions need"),
      llvm::cl::init(true)};
  Option<bool> parallelize{
      *this, "parallelize",
      llvm::cl::desc("Run the outermost parallel loop of big loop nests on "
                     "the runtime thread pool (mx-parallelize)"),
      llvm::cl::init(true)};
};

/// mx -> linalg -> bufferized loops -> LLVM dialect. Functions take their
/// results as trailing out-parameter memrefs (destination-passing style) so
/// callers own every buffer, and memrefs are passed as bare pointers: every
/// shape is static, so `f(const float *x, float *out)` is the whole ABI.
/// With bare-ptr-call-conv=0 (shape-generic functions) every memref is an
/// expanded descriptor instead: (allocated, aligned, offset, sizes...,
/// strides...).
void buildLowerToLLVMPipeline(mlir::OpPassManager &pm,
                              const LowerToLLVMOptions &options);

/// The bufferization steps both lowering pipelines share: donated arguments
/// as destinations, one-shot bufferization, results as caller-owned
/// out-parameters, deallocation (pipeline text, trailing comma included).
std::string bufferizeToOutParamsPipelineText();

/// The textual form of that pipeline (for diagnostics and reproducers).
std::string lowerToLLVMPipelineText(const LowerToLLVMOptions &options);

/// Options of the `mx-lower-to-nvvm` pipeline.
struct LowerToNVVMOptions
    : public mlir::PassPipelineOptions<LowerToNVVMOptions> {
  Option<std::string> gpuArch{
      *this, "gpu-arch",
      llvm::cl::desc("NVIDIA SM architecture of the PTX (sm_90: H100)"),
      llvm::cl::init("sm_90")};
  Option<bool> fuseElementwise{
      *this, "fuse-elementwise",
      llvm::cl::desc("Fuse producer/consumer linalg.generic ops (one "
                     "kernel per fused chain)"),
      llvm::cl::init(true)};
  Option<int64_t> blockSize{
      *this, "block-size",
      llvm::cl::desc("Threads per block of every kernel (mx-gpu-map-loops)"),
      llvm::cl::init(256)};
  Option<bool> fastMath{
      *this, "fast-math",
      llvm::cl::desc("Polynomial f32 tanh, exp, log, log2 and erf in "
                     "kernels instead of libdevice calls"),
      llvm::cl::init(true)};
  Option<std::string> binaryFormat{
      *this, "format",
      llvm::cl::desc("gpu-module-to-binary format: isa (PTX text, no CUDA "
                     "toolkit needed), offloading (LLVM IR), bin/fatbin "
                     "(need ptxas)"),
      llvm::cl::init("isa")};
  Option<std::string> toolkitPath{
      *this, "toolkit",
      llvm::cl::desc("CUDA toolkit whose nvvm/libdevice is linked into "
                     "kernels that call math functions without a PTX "
                     "instruction (fabsf, sqrtf, powf, ...); empty: "
                     "$CUDA_ROOT or MLIR's default"),
      llvm::cl::init("")};
};

/// mx -> linalg -> loops on device memory -> gpu kernels -> NVVM -> PTX,
/// with a host module in the LLVM dialect that launches them through the
/// upstream mgpu* runtime functions (mgpuModuleLoad, mgpuLaunchKernel,
/// mgpuMemAlloc, ...). Host functions keep the CPU ABI (results are
/// trailing out-parameters, memrefs bare pointers) but every pointer is a
/// device pointer.
void buildLowerToNVVMPipeline(mlir::OpPassManager &pm,
                              const LowerToNVVMOptions &options);

/// The textual form of that pipeline.
std::string lowerToNVVMPipelineText(const LowerToNVVMOptions &options);

/// Parses pipeline `text` into `pm`; a fatal error naming pipeline `name`
/// if it does not parse (the build functions of the pipelines above).
void buildPipelineFromText(mlir::OpPassManager &pm, llvm::StringRef text,
                           llvm::StringRef name);

/// Registers every mxjit pass and pipeline with the global registry.
void registerMxjitPasses();

} // namespace mxjit

#endif // MXJIT_LOWERING_PASSES_H
