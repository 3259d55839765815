//===- GenericBatch.h - shape-generic variants of batched graphs -*- C++
//-*-===//
//
// When one graph runs with many batch sizes, recompiling it for each one
// never ends. The frontends instead compile, after a few sizes, one variant
// whose batch dimension is `?`: this file turns a traced (static) function
// into that variant and checks that it means what the static one did.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_GENERICBATCH_H
#define MXJIT_RUNTIME_GENERICBATCH_H

#include "runtime/CompileCache.h"
#include "runtime/CompileOptions.h"
#include "runtime/TensorSpec.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "llvm/ADT/ArrayRef.h"

#include <cstdint>
#include <unordered_map>
#include <vector>

namespace mxjit {

/// Rewrites `f`, traced with batch size `batch`, so that the leading
/// dimension of each argument `i` with `batchedArgs[i]` is `?`, and infers
/// every op's result types again from there (a reshape or broadcast_to to a
/// shape starting with `batch` then copies the `?` instead). Fails, leaving
/// `f` in an unspecified state, when an op with a `?` operand cannot infer
/// its types, when some type with `?` read as `batch` is not the type the
/// trace had (a `?` that does not stand for the batch size, such as the
/// length of a flattened batch), when a static dimension equal to `batch`
/// remains (a batch dimension that did not become `?`, or a coincidence:
/// another batch size may do), or when the result does not verify. Then the
/// graph keeps its static compiles.
bool makeBatchGeneric(mlir::func::FuncOp f,
                      const std::vector<bool> &batchedArgs, int64_t batch);

/// Tracks, per family of graphs that differ only in the leading dimension
/// of their inputs, the distinct leading dimensions seen, and decides when
/// the family gets a shape-generic variant. Not thread-safe: callers lock.
class BatchFamilies {
public:
  /// What to do with one call of a family.
  struct Decision {
    /// Use (compile first, if needed) the generic variant.
    bool generic = false;
    /// The call's batch size, when `generic`.
    int64_t batch = 0;
    /// Which inputs have the `?` batch dimension, when `generic`.
    std::vector<bool> batched;
  };

  /// Records a call of `family` with inputs `inputs` and decides. A family
  /// turns generic when more than `threshold` (> 0) distinct input shape
  /// vectors, differing only in leading dimensions, were seen (the first
  /// `threshold` compile statically) and this call's inputs whose leading
  /// dimension varied between calls agree on one batch size (a call mixing
  /// two sizes compiles statically). Call it only for calls that found no
  /// static compile.
  Decision observe(uint64_t family, llvm::ArrayRef<TensorSpec> inputs,
                   unsigned threshold);
  /// The generic variant of `family` failed to compile: the family stays
  /// static from now on.
  void markStatic(uint64_t family);
  /// makeBatchGeneric() refused the family at this batch size (which may
  /// coincide with another dimension): try again at the next new size, up
  /// to kMaxAttempts times in all.
  void retryLater(uint64_t family);
  static constexpr unsigned kMaxAttempts = 3;

private:
  struct Family {
    std::vector<std::vector<int64_t>> seen;
    std::vector<bool> batched;
    /// The specs of the non-batched inputs, fixed once generic.
    std::vector<TensorSpec> fixed;
    bool generic = false;
    bool staticOnly = false;
    unsigned attempts = 0;
  };
  std::unordered_map<uint64_t, Family> families_;
};

/// The cache key of `family`'s shape-generic variant, from `staticKey`
/// (the key of this call's static compile): the inputs with `batched` get a
/// `?` leading dimension, `generic` is set, and the options are
/// `optionsPrefix` followed by the key of the generic compile's `options`.
CacheKey genericKey(const CacheKey &staticKey, uint64_t family,
                    const std::vector<bool> &batched,
                    const std::string &optionsPrefix,
                    const CompileOptions &options);

/// The leading dimension of a spec with rank >= 1, or -1 (rank 0).
inline int64_t leadingDim(const TensorSpec &spec) {
  return spec.shape.empty() ? -1 : spec.shape.front();
}

} // namespace mxjit

#endif // MXJIT_RUNTIME_GENERICBATCH_H
