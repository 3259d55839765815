//===- Engine.h - records mx ops on NDArrays and evaluates them -*- C++ -*-===//

#ifndef MXJIT_FRONTEND_ND_ENGINE_H
#define MXJIT_FRONTEND_ND_ENGINE_H

#include "nd/Node.h"
#include "nd/Trace.h"

#include "runtime/CompileCache.h"
#include "runtime/GenericBatch.h"

#include "mlir/IR/Block.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/SmallVector.h"

#include <mutex>

namespace mxjit::nd {
class NDArray;
} // namespace mxjit::nd

namespace mxjit::nd::detail {

/// The node behind `x` as an op input. A variable's current value (it
/// changes with in-place updates) gets a link back to the variable, so the
/// tape can find the variable's gradient: every op must take its inputs
/// through this.
NodePtr inputNode(const NDArray &x);

/// Builds attribute dictionaries for mx ops in the engine's context.
/// The attributes are kept as bytes until get(), which looks them up in a
/// per-thread cache of built dictionaries: a loop repeating an op (the
/// scalar of `x + 1.0`) then never touches the MLIRContext, whose uniquing
/// (string hashing, APFloat, locks) cost a third of a cached op.
class Attrs {
public:
  Attrs &i64(llvm::StringRef name, int64_t v);
  Attrs &f64(llvm::StringRef name, double v);
  Attrs &boolean(llvm::StringRef name, bool v);
  Attrs &i64s(llvm::StringRef name, llvm::ArrayRef<int64_t> v);
  mlir::DictionaryAttr get() const;

private:
  enum class Kind : uint8_t { I64, F64, Bool, I64s };
  /// Appends one attribute: name length and bytes, kind, value bytes.
  void append(llvm::StringRef name, Kind kind, const void *value, size_t size);
  /// Every attribute as appended; the cache key, and what a miss decodes.
  llvm::SmallString<64> bytes_;
};

class Engine {
public:
  static Engine &get();

  mlir::MLIRContext &context();

  /// A pending node for `op` on `inputs`, its type inferred by the mx
  /// dialect (the single source of shape rules). `resultType` is only for
  /// ops whose result type is not inferred (mx.cast, mx.constant). Throws
  /// mxjit::Error with the dialect's message when the op is invalid.
  NodePtr record(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                 mlir::DictionaryAttr attrs,
                 std::optional<TensorSpec> resultType = std::nullopt);

  /// One pending node per result of `op` (mx.batch_norm: output, mean,
  /// var), all sharing one call of the op: a trace creates it once. The
  /// types are inferred unless `resultTypes` gives them all.
  std::vector<NodePtr> recordMulti(
      llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
      mlir::DictionaryAttr attrs,
      std::optional<std::vector<TensorSpec>> resultTypes = std::nullopt);

  /// Records the mx ops of `body` (a block ending in a terminator, such as a
  /// func.func body) as pending nodes, its arguments bound to `args`;
  /// returns the nodes of the terminator's operands. Autograd replays
  /// gradient functions with it and nd::Op the lowering of registry ops.
  std::vector<NodePtr> replay(mlir::Block &body,
                              const std::vector<NodePtr> &args);

  /// A materialized node holding `value`.
  NodePtr constant(HostBuffer value, const Context &ctx);

  /// Computes `node` (and the pending nodes it depends on that are still
  /// held elsewhere) with one compiled function.
  void evaluate(const NodePtr &node);
  /// Computes all of `nodes` together: one compiled function per context,
  /// so work they share (a forward pass behind several gradients) runs once
  /// and can be fused.
  void evaluate(const std::vector<NodePtr> &nodes);

  /// Stats of the cache the engine compiles through.
  CacheStats cacheStats();

  /// Whether evaluation computes an output in the buffer of an input that
  /// nothing else holds any more (an optimizer update `w' = f(w, ...)` over
  /// the old weight). On unless the environment sets MXJIT_DONATE=0.
  bool donation() const { return donate_; }
  void setDonation(bool on) { donate_ = on; }
  /// Outputs computed in a donated buffer so far.
  uint64_t donatedOutputs() {
    std::lock_guard<std::mutex> lock(mutex_);
    return donated_;
  }

private:
  Engine();
  /// Checks the inputs, infers (or takes) the result types and verifies the
  /// op; throws mxjit::Error naming the op.
  void resultTypes(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                   mlir::DictionaryAttr attrs, llvm::ArrayRef<TensorSpec> given,
                   llvm::SmallVectorImpl<TensorSpec> &specs);
  NodePtr makeNode(llvm::StringRef op, llvm::ArrayRef<NodePtr> inputs,
                   mlir::DictionaryAttr attrs, TensorSpec spec);
  /// evaluate() for pending targets on one context, under the lock.
  void evaluateLocked(llvm::ArrayRef<NodePtr> targets);
  /// Runs `t` (which has no static compile under `staticKey`) with the
  /// shape-generic variant of its family when the batch-size policy says so
  /// (see BatchFamilies); false when it must compile statically.
  bool runGeneric(const Trace &t, const CacheKey &staticKey,
                  llvm::ArrayRef<const void *> inputs,
                  llvm::ArrayRef<void *> outputs);
  /// Fills t.donations: each pending output takes the buffer of the nearest
  /// leaf of its type among its ancestors that nothing outside the trace
  /// can read after the call.
  void chooseDonations(Trace &t);
  /// Hands the computed outputs of `t` to their nodes.
  void materialize(const Trace &t,
                   llvm::ArrayRef<std::shared_ptr<HostBuffer>> buffers);

  /// What resultTypes() decided for one (op, attributes, input types,
  /// given types): only successful checks are kept, so errors are always
  /// re-diagnosed with their message. Attributes are uniqued in the
  /// context, so their pointer identifies them. Looked up by a hash
  /// computed from the call's arguments, so a hit allocates nothing.
  struct CheckedSignature {
    std::string op;
    const void *attrs;
    std::vector<TensorSpec> inputs, given;
    llvm::SmallVector<TensorSpec, 1> results;
  };
  llvm::DenseMap<uint64_t, llvm::SmallVector<CheckedSignature, 1>>
      checkedSignatures_;
  /// Traces seen with several batch sizes (under mutex_).
  BatchFamilies families_;

  /// Compiled functions by trace (structural hash, leaf specs, context),
  /// in front of the compile cache: building a CacheKey (strings, spec
  /// copies) and looking it up cost more than the rest of a cached op. The
  /// function is held weakly, so CompileCache::clear() still drops it.
  struct CompiledTrace {
    uint64_t fingerprint;
    std::vector<TensorSpec> leaves;
    Context context;
    std::weak_ptr<CompiledFunction> fn;
  };
  llvm::DenseMap<uint64_t, llvm::SmallVector<CompiledTrace, 1>> compiled_;
  /// Requests compiled_ answered; cacheStats() counts them as hits.
  uint64_t frontHits_ = 0;
  bool donate_;
  uint64_t donated_ = 0;
  std::mutex mutex_;
};

} // namespace mxjit::nd::detail

#endif // MXJIT_FRONTEND_ND_ENGINE_H
