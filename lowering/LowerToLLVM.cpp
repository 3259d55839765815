//===- LowerToLLVM.cpp - the mx-lower-to-llvm pipeline --------------------===//
//
// Built from upstream passes by name: the textual form is what mxjit-opt
// users see in --help and can paste into a reproducer.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Pass/PassRegistry.h"

#include "llvm/Support/ErrorHandling.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;

std::string mxjit::bufferizeToOutParamsPipelineText() {
  // Donated arguments (mx.donate) become the destinations of their results.
  return "func.func(mx-distinct-results),func.func(mx-donate-destinations),"
         "one-shot-bufferize{bufferize-function-boundaries "
         "function-boundary-type-conversion=identity-layout-map},"
         // Results become caller-owned out-parameters; static allocations of
         // returned values are written straight into them.
         "buffer-results-to-out-params{hoist-static-allocs "
         "modify-public-functions},"
         "canonicalize,"
         "buffer-deallocation-pipeline,"
         "convert-bufferization-to-memref,";
}

std::string mxjit::lowerToLLVMPipelineText(const LowerToLLVMOptions &options) {
  std::string p;
  // Weight gradients (returned) computed early let what they read die
  // before the rest of the backward pass: only worth it with a plan.
  if (options.planMemory)
    p += "func.func(mx-hoist-results),";
  p += "mx-to-linalg,canonicalize,cse,";
  if (options.fuseElementwise)
    p += "func.func(mx-fuse),canonicalize,";
  if (options.vectorWidth > 0)
    p += "func.func(mx-tile-and-vectorize{vector-width=" +
         std::to_string(options.vectorWidth) +
         "}),func.func(mx-vectorize-reductions{vector-width=" +
         std::to_string(options.vectorWidth) + "}),";
  p += mxjit::bufferizeToOutParamsPipelineText();
  // Every temporary is now one alloc/dealloc pair next to whole linalg ops.
  // The runtime arena functions take and return bare pointers; with memref
  // descriptors at call boundaries the acquire call would return a
  // descriptor struct (through a hidden pointer argument) instead, so those
  // functions get their arena from malloc.
  if (options.planMemory)
    p += options.barePtrCallConv ? "mx-plan-memory,"
                                 : "mx-plan-memory{runtime-arena=false},";
  // After every pass that moves writes into out-parameters.
  p += "func.func(mx-donate-out-params),";
  // scf.parallel for parallel dimensions (reductions stay scf.for): what
  // mx-parallelize may split.
  p += "func.func(convert-linalg-to-parallel-loops),"
       // n-D transfers (accumulator blocks) become 1-D loads and stores.
       "func.func(convert-vector-to-scf{full-unroll=true}),"
       "convert-math-to-funcs,";
  // Vectorizable arith instead of one libm call per element; expm1 and
  // log1p are not approximated.
  if (options.fastMath)
    p += "mx-fast-math,";
  // expm1/log1p go to libm before convert-math-to-llvm can expand them
  // imprecisely.
  p += "mx-precise-math-to-libm,";
  // Still scf on memrefs here: the last point where loop nests are whole
  // ops that can move into their own functions.
  if (options.parallelize)
    p += "mx-parallelize,";
  if (options.outlineLoopNests)
    p += "mx-outline-loop-nests,";
  p += "lower-affine,convert-scf-to-cf,convert-vector-to-llvm,"
       "expand-strided-metadata,lower-affine,"
       "finalize-memref-to-llvm,"
       "convert-math-to-llvm,convert-math-to-libm,"
       "convert-arith-to-llvm,convert-index-to-llvm,convert-ub-to-llvm,"
       "convert-cf-to-llvm,";
  p += options.barePtrCallConv
           ? "convert-func-to-llvm{use-bare-ptr-memref-call-conv},"
           : "convert-func-to-llvm,";
  p += "convert-cf-to-llvm,"
       "reconcile-unrealized-casts";
  return p;
}

void mxjit::buildPipelineFromText(OpPassManager &pm, llvm::StringRef text,
                                  llvm::StringRef name) {
  std::string error;
  llvm::raw_string_ostream os(error);
  if (failed(parsePassPipeline(text, pm, os)))
    llvm::report_fatal_error(llvm::Twine(name) + ": " + error);
}

void mxjit::buildLowerToLLVMPipeline(OpPassManager &pm,
                                     const LowerToLLVMOptions &options) {
  buildPipelineFromText(pm, lowerToLLVMPipelineText(options),
                        "mx-lower-to-llvm");
}
