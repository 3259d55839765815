//===- JitEngine.h - compile mx functions to host code ----------*- C++ -*-===//
//
// compile() lowers one function of a module with mx-lower-to-llvm, generates
// a relocatable object for the host with LLVM and links it into the process
// with ORC (ObjectLinker.h), or links the object the on-disk compile cache
// (DiskCache.h) kept from an earlier compile. The result, a CompiledFunction,
// owns the machine code and is independent of the MLIRContext it came from.
//
// Calling convention (see docs/runtime.md): every tensor is passed as a bare
// pointer to dense row-major data of its static shape; results are written to
// caller-allocated output buffers that follow the inputs.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_JITENGINE_H
#define MXJIT_RUNTIME_JITENGINE_H

#include "runtime/CompileOptions.h"
#include "runtime/Context.h"
#include "runtime/HostBuffer.h"
#include "runtime/TensorSpec.h"

#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace mxjit {

class LinkedObject;

/// The function every compiled object defines next to the entry: it takes
/// one `void **args`, where args[i] points at the i-th argument of the
/// entry, and calls the entry. Its name is the same for every entry, so
/// one object serves every function with the same structure whatever its
/// name.
inline constexpr const char *kPackedEntrySymbol = "__mxjit_packed_call";

/// Wall-clock milliseconds spent in each compile stage.
struct CompileTimings {
  /// Cloning, verifying and running mx-lower-to-llvm.
  double pipelineMs = 0;
  /// Translation to LLVM IR, LLVM optimisation, machine code generation and
  /// linking the object into the process.
  double llvmMs = 0;
  double totalMs = 0;
};

/// What mx-plan-memory did for the entry function (all zero when the pass
/// was off).
struct MemoryPlan {
  /// Sum of the sizes of every static-shaped temporary, as if each had its
  /// own allocation for the whole call.
  uint64_t naiveBytes = 0;
  /// Bytes of the one arena allocated per call, plus the static temporaries
  /// the pass left alone (in loops or escaping).
  uint64_t plannedPeakBytes = 0;
};

class CompiledFunction {
public:
  using PackedFn = void (*)(void **);

  /// `packed` is the kPackedEntrySymbol of `code`. `loadMs` > 0 marks a
  /// function loaded from the disk cache, `timings` are then those of the
  /// compile that wrote the entry.
  CompiledFunction(std::unique_ptr<LinkedObject> code, PackedFn packed,
                   std::string entry, std::vector<TensorSpec> inputs,
                   std::vector<TensorSpec> outputs, CompileTimings timings,
                   MemoryPlan memoryPlan = {}, bool loadedFromDisk = false,
                   double loadMs = 0);
  ~CompiledFunction();
  CompiledFunction(const CompiledFunction &) = delete;
  CompiledFunction &operator=(const CompiledFunction &) = delete;

  /// Runs the function on raw data pointers, one per input and one per
  /// output, laid out as inputs()/outputs() describe. Throws mxjit::Error,
  /// naming the offending index, when a count is wrong or a pointer is null.
  /// Outputs must not overlap inputs or each other (mxjit::Error naming
  /// both), except that a donated pair (donations()) may be passed as the
  /// very same pointer. Safe to call from several threads at once. A
  /// shape-generic function needs callBatch() instead.
  void call(llvm::ArrayRef<const void *> inputs,
            llvm::ArrayRef<void *> outputs) const;

  /// call() for a shape-generic function: every `?` dimension of
  /// inputs()/outputs() is `batch` in this call's buffers.
  void callBatch(int64_t batch, llvm::ArrayRef<const void *> inputs,
                 llvm::ArrayRef<void *> outputs) const;

  /// Whether the function is shape-generic: its specs have `?` dimensions
  /// (TensorSpec::kDynamicDim), all standing for one batch size given per
  /// call, and it takes memref descriptors instead of bare pointers.
  bool generic() const { return generic_; }
  /// The batch size a call with `inputs` runs at (the leading dimension of
  /// the first input with a `?` dimension), or -1 for a static function.
  /// Does not check the other inputs; run() does.
  int64_t batchOf(llvm::ArrayRef<TensorSpec> inputs) const;

  /// Like call(), and also checks every buffer's spec against the signature
  /// (for a shape-generic function, with `?` replaced by the batch size the
  /// inputs give).
  void run(llvm::ArrayRef<const HostBuffer *> inputs,
           llvm::ArrayRef<HostBuffer *> outputs) const;

  /// Allocates the outputs, runs, and returns them.
  std::vector<HostBuffer> run(llvm::ArrayRef<const HostBuffer *> inputs) const;

  /// The function's name in the module it was compiled from.
  const std::string &entry() const { return entry_; }
  /// Argument and result specs, from the signature before lowering.
  const std::vector<TensorSpec> &inputs() const { return inputs_; }
  const std::vector<TensorSpec> &outputs() const { return outputs_; }
  /// How long the compile took; for a function from the disk cache, the
  /// compile that wrote the entry (in whichever process).
  const CompileTimings &timings() const { return timings_; }
  double compileMs() const { return timings_.totalMs; }
  /// Whether the machine code came from the on-disk compile cache instead
  /// of being generated in this call to compile().
  bool loadedFromDisk() const { return loadedFromDisk_; }
  /// For a function from the disk cache, the milliseconds spent reading,
  /// checking and linking its entry; 0 otherwise.
  double loadMs() const { return loadMs_; }
  /// Temporary memory one call needs, planned and naive.
  const MemoryPlan &memoryPlan() const { return memoryPlan_; }

  /// (input, output) pairs the entry declared with `mx.donate`: the caller
  /// may pass the input's pointer as that output, which is then computed in
  /// the input's buffer. Whatever it passes, the input's contents are
  /// unspecified after the call.
  llvm::ArrayRef<std::pair<unsigned, unsigned>> donations() const {
    return donations_;
  }
  /// Set by compile() from the entry's argument attributes.
  void setDonations(std::vector<std::pair<unsigned, unsigned>> donations) {
    donations_ = std::move(donations);
  }

private:
  /// The batch size `inputs` give a shape-generic function; throws
  /// mxjit::Error when they give none.
  int64_t genericBatch(llvm::ArrayRef<const HostBuffer *> inputs) const;
  /// Throws mxjit::Error when an output overlaps an input or another output
  /// other than as a donated pair passed as one pointer; `batch` sizes the
  /// `?` dimensions (-1 for a static function).
  void checkAliasing(int64_t batch, llvm::ArrayRef<const void *> inputs,
                     llvm::ArrayRef<void *> outputs) const;

  std::unique_ptr<LinkedObject> code_;
  PackedFn packed_;
  std::string entry_;
  std::vector<TensorSpec> inputs_;
  std::vector<TensorSpec> outputs_;
  CompileTimings timings_;
  MemoryPlan memoryPlan_;
  bool loadedFromDisk_;
  double loadMs_;
  bool generic_;
  std::vector<std::pair<unsigned, unsigned>> donations_;
};

/// The (input, output) pairs `entry` of `module` declares with `mx.donate`
/// argument attributes.
std::vector<std::pair<unsigned, unsigned>>
declaredDonations(mlir::ModuleOp module, llvm::StringRef entry);

/// Argument and result specs of `entry` in `module`; throws mxjit::Error if
/// the function is missing or a type is not a static tensor of an mx dtype
/// (`?` dimensions are accepted with `allowDynamic`).
std::pair<std::vector<TensorSpec>, std::vector<TensorSpec>>
signatureSpecs(mlir::ModuleOp module, llvm::StringRef entry,
               bool allowDynamic = false);

/// The device a compile targets, as the disk cache keys it: "cpu", or
/// "cuda:<ordinal>:<arch>" when `options.gpuDevice` >= 0.
std::string gpuDeviceName(const CompileOptions &options);

/// Lowers `entry` of a clone of `module` and returns the host object that
/// compile() links (timings and memory plan optional). With
/// `options.gpuDevice` >= 0 it runs mx-lower-to-nvvm: the object embeds
/// the kernels' PTX, `entry` takes device pointers (bare pointers, results
/// as trailing out-parameters, like the CPU ABI) and the object's undefined
/// symbols are the upstream mgpu* runtime functions (mgpuModuleLoadJIT,
/// mgpuModuleGetFunction, mgpuLaunchKernel, mgpuStream*, mgpuMemAlloc,
/// mgpuMemFree); the kernel modules are loaded on the first call of the
/// packed entry. Needs no GPU and no CUDA.
llvm::SmallVector<char, 0> compileToObject(mlir::ModuleOp module,
                                           llvm::StringRef entry,
                                           const CompileOptions &options,
                                           CompileTimings *timings = nullptr,
                                           MemoryPlan *memoryPlan = nullptr);

/// Lowers and JIT-compiles `entry` of `module`. The module is cloned first and
/// left untouched. Throws mxjit::Error carrying the MLIR diagnostics when
/// verification, lowering or code generation fails. Concurrent calls are
/// safe, also on modules of one context, provided that context already has
/// the pipeline's dialects loaded (createContext() does that).
///
/// When the disk cache is on (diskCacheDir() not empty), a valid entry for
/// (moduleFingerprint(module, entry), input specs, options, "cpu") is linked
/// instead of compiling, and a fresh compile writes one.
std::shared_ptr<CompiledFunction> compile(mlir::ModuleOp module,
                                          llvm::StringRef entry,
                                          const CompileOptions &options = {});

} // namespace mxjit

#endif // MXJIT_RUNTIME_JITENGINE_H
