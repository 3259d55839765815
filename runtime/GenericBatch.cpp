//===- GenericBatch.cpp - shape-generic variants of batched graphs --------===//

#include "runtime/GenericBatch.h"

#include "ir/MxOps.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"

#include <algorithm>

using namespace mlir;
using namespace mxjit;

namespace {
/// `type` with every `?` read as `batch`.
Type withBatch(Type type, int64_t batch) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || tensor.hasStaticShape())
    return type;
  SmallVector<int64_t> shape(tensor.getShape());
  for (int64_t &d : shape)
    if (ShapedType::isDynamic(d))
      d = batch;
  return tensor.clone(shape);
}

/// Whether `type` has a static dimension equal to `batch`: in a generic
/// function that is either a batch dimension the inference lost (an
/// operand without `?`, a broadcast that kept the static side) or a
/// coincidence; both are refused.
bool hasStaticBatchDim(Type type, int64_t batch) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  return tensor &&
         llvm::any_of(tensor.getShape(), [&](int64_t d) { return d == batch; });
}

/// reshape and broadcast_to name their target shape, batch size included:
/// a leading `batch` of an op whose operand starts with `?` becomes 0
/// (copy the operand's dimension), which both ops accept.
void copyBatchInShape(Operation &op, int64_t batch) {
  if (op.getName().getStringRef() != "mx.reshape" &&
      op.getName().getStringRef() != "mx.broadcast_to")
    return;
  auto in = dyn_cast<RankedTensorType>(op.getOperand(0).getType());
  auto shape = op.getAttrOfType<DenseI64ArrayAttr>("shape");
  if (!in || in.getRank() == 0 || !in.isDynamicDim(0) || !shape ||
      shape.empty() || shape[0] != batch)
    return;
  if (auto reverse = op.getAttrOfType<BoolAttr>("reverse");
      reverse && reverse.getValue())
    return;
  SmallVector<int64_t> copied(shape.asArrayRef());
  copied[0] = 0;
  op.setAttr("shape", DenseI64ArrayAttr::get(op.getContext(), copied));
}

/// The result types of `op` from its (possibly `?`) operand types. Ops
/// that name their result type (cast names the dtype) but keep their
/// operand's shape take the operand's shape with their own element type.
bool inferTypes(Operation &op, SmallVectorImpl<Type> &types) {
  if (auto infer = dyn_cast<InferTypeOpInterface>(&op))
    return succeeded(infer.inferReturnTypes(
               op.getContext(), op.getLoc(), op.getOperands(),
               op.getAttrDictionary(), op.getPropertiesStorage(),
               op.getRegions(), types)) &&
           types.size() == op.getNumResults();
  if (!op.hasTrait<OpTrait::SameOperandsAndResultShape>() ||
      op.getNumOperands() == 0)
    return false;
  auto shape = dyn_cast<RankedTensorType>(op.getOperand(0).getType());
  if (!shape)
    return false;
  for (Type result : op.getResultTypes()) {
    auto tensor = dyn_cast<RankedTensorType>(result);
    if (!tensor)
      return false;
    types.push_back(shape.clone(tensor.getElementType()));
  }
  return true;
}

/// A zero constant shaped like a batched argument: the gradient autodiff
/// gives an input nothing differentiable reads (a label bound with
/// grad_req write). Rebuilt from the argument itself so it follows the
/// call's batch size: `x > x` is false, hence exactly 0, for every x
/// (NaN and infinities included).
bool replaceBatchShapedZeros(Operation &op, Block &body, int64_t batch) {
  auto constant = dyn_cast<mx::ConstantOp>(&op);
  if (!constant)
    return false;
  auto value = dyn_cast<DenseElementsAttr>(constant.getValue());
  Type type = constant.getResult().getType();
  if (!value || !value.isSplat() || !isa<FloatType>(value.getElementType()) ||
      !value.getSplatValue<APFloat>().isPosZero())
    return false;
  for (BlockArgument arg : body.getArguments()) {
    if (arg.getType() == type || withBatch(arg.getType(), batch) != type)
      continue;
    OpBuilder b(&op);
    Value zeros =
        mx::GreaterOp::create(b, op.getLoc(), arg.getType(), arg, arg);
    constant.getResult().replaceAllUsesWith(zeros);
    op.erase();
    return true;
  }
  return false;
}

bool hasDynamicOperand(Operation *op) {
  return llvm::any_of(op->getOperandTypes(), [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return shaped && !shaped.hasStaticShape();
  });
}
} // namespace

bool mxjit::makeBatchGeneric(func::FuncOp f,
                             const std::vector<bool> &batchedArgs,
                             int64_t batch) {
  if (!f.getBody().hasOneBlock() || batchedArgs.size() != f.getNumArguments() ||
      batch < 1)
    return false;
  // Failures are expected answers here (the graph stays static), not
  // errors to report.
  ScopedDiagnosticHandler silence(f.getContext(),
                                  [](Diagnostic &) { return success(); });
  Block &body = f.getBody().front();
  for (BlockArgument arg : body.getArguments()) {
    if (!batchedArgs[arg.getArgNumber()])
      continue;
    auto type = dyn_cast<RankedTensorType>(arg.getType());
    if (!type || type.getRank() == 0 || type.getDimSize(0) != batch)
      return false;
    SmallVector<int64_t> shape(type.getShape());
    shape[0] = ShapedType::kDynamic;
    arg.setType(type.clone(shape));
  }
  for (BlockArgument arg : body.getArguments())
    if (hasStaticBatchDim(arg.getType(), batch))
      return false;
  for (Operation &op : llvm::make_early_inc_range(body.without_terminator())) {
    if (replaceBatchShapedZeros(op, body, batch))
      continue;
    if (!hasDynamicOperand(&op)) {
      if (llvm::any_of(op.getResultTypes(),
                       [&](Type t) { return hasStaticBatchDim(t, batch); }))
        return false;
      continue;
    }
    copyBatchInShape(op, batch);
    SmallVector<Type, 2> types;
    if (!inferTypes(op, types))
      return false;
    for (auto [result, type] : llvm::zip(op.getResults(), types)) {
      if (withBatch(type, batch) != result.getType() ||
          hasStaticBatchDim(type, batch))
        return false;
      result.setType(type);
    }
  }
  Operation *ret = body.getTerminator();
  SmallVector<Type> results(ret->getOperandTypes());
  f.setFunctionType(
      FunctionType::get(f.getContext(), body.getArgumentTypes(), results));
  return succeeded(verify(f));
}

CacheKey mxjit::genericKey(const CacheKey &staticKey, uint64_t family,
                           const std::vector<bool> &batched,
                           const std::string &optionsPrefix,
                           const CompileOptions &options) {
  CacheKey key = staticKey;
  key.fingerprint = family;
  key.generic = true;
  key.options = optionsPrefix + options.key();
  for (auto [spec, isBatched] : llvm::zip(key.inputs, batched))
    if (isBatched)
      spec.shape.front() = TensorSpec::kDynamicDim;
  return key;
}

BatchFamilies::Decision
BatchFamilies::observe(uint64_t family, llvm::ArrayRef<TensorSpec> inputs,
                       unsigned threshold) {
  Family &f = families_[family];
  if (f.staticOnly || threshold == 0)
    return {};
  const size_t n = inputs.size();
  if (f.generic) {
    // Later calls must vary the same inputs, in the same way.
    if (f.batched.size() != n)
      return {};
    int64_t batch = -1;
    for (size_t i = 0; i < n; ++i) {
      if (!f.batched[i]) {
        if (inputs[i] != f.fixed[i])
          return {};
        continue;
      }
      int64_t d = leadingDim(inputs[i]);
      if (batch < 0)
        batch = d;
      else if (d != batch)
        return {};
    }
    if (batch < 1)
      return {};
    return {true, batch, f.batched};
  }
  std::vector<int64_t> lead(n);
  for (size_t i = 0; i < n; ++i)
    lead[i] = leadingDim(inputs[i]);
  if (std::find(f.seen.begin(), f.seen.end(), lead) == f.seen.end())
    f.seen.push_back(lead);
  // The first `threshold` sizes compile statically (static code is faster);
  // the next one compiles the generic variant.
  if (f.seen.size() <= threshold)
    return {};
  std::vector<bool> batched(n, false);
  for (const std::vector<int64_t> &s : f.seen)
    for (size_t i = 0; i < n; ++i)
      if (s.size() != n || s[i] != f.seen.front()[i])
        batched[i] = true;
  // This call's varying inputs must agree on one batch size, or one `?`
  // cannot stand for all of them. A call that mixes two sizes (a lazily
  // fused graph holding the previous step's gradient and this step's
  // forward) compiles statically without spoiling the family.
  int64_t agreed = -1;
  for (size_t i = 0; i < n; ++i) {
    if (!batched[i])
      continue;
    if (lead[i] < 1 || (agreed >= 0 && lead[i] != agreed))
      return {};
    agreed = lead[i];
  }
  f.generic = true;
  f.batched = batched;
  f.fixed.assign(inputs.begin(), inputs.end());
  int64_t batch = -1;
  for (size_t i = 0; i < n && batch < 0; ++i)
    if (batched[i])
      batch = lead[i];
  if (batch < 1) {
    f.generic = false;
    f.staticOnly = true;
    return {};
  }
  return {true, batch, batched};
}

void BatchFamilies::retryLater(uint64_t family) {
  Family &f = families_[family];
  f.generic = false;
  if (++f.attempts >= kMaxAttempts)
    f.staticOnly = true;
}

void BatchFamilies::markStatic(uint64_t family) {
  Family &f = families_[family];
  f.generic = false;
  f.staticOnly = true;
}
