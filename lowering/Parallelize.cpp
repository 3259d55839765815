//===- Parallelize.cpp - the mx-parallelize pass --------------------------===//
//
// Sends the outermost parallel loop of each big loop nest to the runtime
// thread pool through one C call, mxjit_parallel_for(body, ctx, count).
//
// Upstream's async-parallel-for does the same job through the async
// dialect, but every dispatch allocates a coroutine frame, tokens and a
// group in libmlir_async_runtime, whose llvm::ThreadPool has a fixed size
// and no run-time thread-count setting; a plain function pointer plus a
// stack context costs one indirect call per chunk instead.
//
// The body takes (ctx, begin, end) rather than the captured values as
// arguments because the pool calls every body through one C signature; the
// captured memrefs travel as aligned pointers and their descriptors are
// rebuilt from the (static) types inside, as the bare-pointer calling
// convention does at function boundaries.
//
//===----------------------------------------------------------------------===//

#include "lowering/OutlineUtils.h"
#include "lowering/Passes.h"

#include "mlir/Conversion/LLVMCommon/MemRefBuilder.h"
#include "mlir/Conversion/LLVMCommon/TypeConverter.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMAttrs.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "llvm/ADT/SetVector.h"

namespace mxjit {
#define GEN_PASS_DEF_MXPARALLELIZE
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelAttr = "mxjit.parallel";
constexpr llvm::StringLiteral kRuntimeFunction = "mxjit_parallel_for";
/// Stand-in trip count of a loop with dynamic bounds.
constexpr int64_t kUnknownTrips = 16;
constexpr int64_t kWorkCap = int64_t(1) << 50;

int64_t saturatingMul(int64_t a, int64_t b) {
  if (a == 0 || b == 0)
    return 0;
  return a > kWorkCap / b ? kWorkCap : a * b;
}

std::optional<int64_t> constantTrips(Value lb, Value ub, Value step) {
  std::optional<int64_t> l = getConstantIntValue(lb),
                         u = getConstantIntValue(ub),
                         s = getConstantIntValue(step);
  if (!l || !u || !s || *s <= 0)
    return std::nullopt;
  return *u <= *l ? 0 : (*u - *l + *s - 1) / *s;
}

int64_t tripsOrGuess(Value lb, Value ub, Value step) {
  return constantTrips(lb, ub, step).value_or(kUnknownTrips);
}

/// A rough count of scalar operations executed by `block`: loops multiply
/// their body by their trip count, vector ops count one per lane.
int64_t workOf(Block &block);

int64_t workOf(Operation *op) {
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return saturatingMul(tripsOrGuess(loop.getLowerBound(),
                                      loop.getUpperBound(), loop.getStep()),
                         workOf(*loop.getBody()));
  if (auto loop = dyn_cast<scf::ParallelOp>(op)) {
    int64_t trips = 1;
    for (auto [lb, ub, step] :
         llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep()))
      trips = saturatingMul(trips, tripsOrGuess(lb, ub, step));
    return saturatingMul(trips, workOf(*loop.getBody()));
  }
  int64_t work = 1;
  for (Type type : op->getResultTypes())
    if (auto vector = dyn_cast<VectorType>(type))
      work = std::max(work, vector.getNumElements());
  // Both branches of an scf.if are counted: an estimate need not be tight.
  for (Region &region : op->getRegions())
    for (Block &block : region)
      work = std::min(kWorkCap, work + workOf(block));
  return work;
}

int64_t workOf(Block &block) {
  int64_t work = 0;
  for (Operation &op : block)
    work = std::min(kWorkCap, work + workOf(&op));
  return work;
}

/// Loops whose iterations are independent: scf.parallel without
/// reductions, and scf.for loops that their producer marked.
bool isParallelLoop(Operation *op) {
  if (auto loop = dyn_cast<scf::ParallelOp>(op))
    return loop.getNumResults() == 0;
  if (auto loop = dyn_cast<scf::ForOp>(op))
    return loop->hasAttr(kParallelAttr) && loop.getNumResults() == 0;
  return false;
}

/// (lower bound, upper bound, step) of the dimension that gets split.
std::tuple<Value, Value, Value> splitDimension(Operation *loop) {
  if (auto f = dyn_cast<scf::ForOp>(loop))
    return {f.getLowerBound(), f.getUpperBound(), f.getStep()};
  auto p = cast<scf::ParallelOp>(loop);
  return {p.getLowerBound()[0], p.getUpperBound()[0], p.getStep()[0]};
}

/// The values a context slot can carry: 8 bytes each.
bool fitsSlot(Type type) {
  if (auto memref = dyn_cast<MemRefType>(type))
    return memref.hasStaticShape() &&
           LLVMTypeConverter::canConvertToBarePtr(memref);
  if (type.isIndex())
    return true;
  if (auto integer = dyn_cast<IntegerType>(type))
    return integer.getWidth() <= 64;
  if (auto flt = dyn_cast<FloatType>(type))
    return flt.getWidth() <= 64;
  return false;
}

struct ParallelizePass : mxjit::impl::MxParallelizeBase<ParallelizePass> {
  using MxParallelizeBase::MxParallelizeBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    SymbolTable symbols(module);
    SmallVector<func::FuncOp> funcs;
    for (auto func : module.getOps<func::FuncOp>())
      if (!func.isExternal() && !func->hasAttr("mxjit.parallel_body"))
        funcs.push_back(func);
    for (func::FuncOp func : funcs) {
      SmallVector<Operation *> loops;
      for (Block &block : func.getBody())
        for (Operation &op : block)
          collect(&op, loops);
      unsigned counter = 0;
      for (Operation *loop : loops)
        if (succeeded(parallelize(func, loop, symbols, counter)))
          ++numParallelized;
    }
  }

  /// Finds the outermost parallel loops worth splitting in the nest `op`.
  void collect(Operation *op, SmallVectorImpl<Operation *> &loops) {
    if (!isa<scf::ForOp, scf::ParallelOp>(op))
      return;
    int64_t work = workOf(op);
    if (work < minWork)
      return; // nothing below is bigger
    if (isParallelLoop(op)) {
      auto [lb, ub, step] = splitDimension(op);
      std::optional<int64_t> trips = constantTrips(lb, ub, step);
      if (!trips || *trips >= 2) {
        loops.push_back(op);
        return;
      }
    }
    for (Region &region : op->getRegions())
      for (Block &block : region)
        for (Operation &inner : block)
          collect(&inner, loops);
  }

  LogicalResult parallelize(func::FuncOp func, Operation *loop,
                            SymbolTable &symbols, unsigned &counter) {
    MLIRContext *ctx = &getContext();
    // Values from outside: recomputable producers (constants, pure views)
    // are cloned, so that LLVM sees constant trip counts; everything else
    // goes into the context, which then carries only base pointers.
    mxjit::OutlineInputs inputs = mxjit::collectOutlineInputs(loop);
    llvm::SetVector<Value> &captured = inputs.captured;
    llvm::SetVector<Operation *> &toClone = inputs.toClone;
    if (!llvm::all_of(captured, [](Value v) { return fitsSlot(v.getType()); }))
      return failure();
    // Pre-order is a def-before-use order for ops across nested blocks.
    SmallVector<Operation *> clones;
    func.walk<WalkOrder::PreOrder>([&](Operation *op) {
      if (toClone.contains(op))
        clones.push_back(op);
    });

    Location loc = loop->getLoc();
    auto ptrType = LLVM::LLVMPointerType::get(ctx);
    Type i64 = IntegerType::get(ctx, 64);
    Type indexType = IndexType::get(ctx);
    auto bodyType = FunctionType::get(ctx, {ptrType, indexType, indexType}, {});
    func::FuncOp runtime = declareRuntime(bodyType, symbols);

    // The body: iterations [begin, end) of the split dimension.
    OpBuilder builder(func);
    builder.setInsertionPointAfter(func);
    std::string name =
        (func.getSymName() + "_parallel" + llvm::Twine(counter++)).str();
    auto body = func::FuncOp::create(builder, loc, name, bodyType);
    body.setPrivate();
    body->setAttr("mxjit.parallel_body", UnitAttr::get(ctx));
    // Only its address is taken; internal linkage keeps names per module.
    body->setAttr("llvm.linkage",
                  LLVM::LinkageAttr::get(ctx, LLVM::Linkage::Internal));
    symbols.insert(body);
    Block *entry = body.addEntryBlock();
    builder.setInsertionPointToStart(entry);
    Value ctxArg = entry->getArgument(0);
    LLVMTypeConverter converter(ctx);
    IRMapping mapping;
    for (auto [i, v] : llvm::enumerate(captured)) {
      Value slot =
          LLVM::GEPOp::create(builder, loc, ptrType, i64, ctxArg,
                              ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      Type type = v.getType();
      Value inner;
      if (auto memref = dyn_cast<MemRefType>(type)) {
        Value ptr = LLVM::LoadOp::create(builder, loc, ptrType, slot);
        Value descriptor = MemRefDescriptor::fromStaticShape(
            builder, loc, converter, memref, ptr);
        inner =
            UnrealizedConversionCastOp::create(builder, loc, memref, descriptor)
                .getResult(0);
      } else if (type.isIndex()) {
        Value raw = LLVM::LoadOp::create(builder, loc, i64, slot);
        inner = arith::IndexCastOp::create(builder, loc, indexType, raw);
      } else {
        inner = LLVM::LoadOp::create(builder, loc, type, slot);
      }
      mapping.map(v, inner);
    }
    for (Operation *op : clones)
      builder.clone(*op, mapping);
    Operation *copy = builder.clone(*loop, mapping);
    copy->removeAttr(kParallelAttr);
    {
      builder.setInsertionPoint(copy);
      auto [lb, ub, step] = splitDimension(copy);
      Value begin = entry->getArgument(1), end = entry->getArgument(2);
      Value newLb = arith::AddIOp::create(
          builder, loc, lb, arith::MulIOp::create(builder, loc, begin, step));
      Value newUb = arith::MinSIOp::create(
          builder, loc,
          arith::AddIOp::create(builder, loc, lb,
                                arith::MulIOp::create(builder, loc, end, step)),
          ub);
      if (auto f = dyn_cast<scf::ForOp>(copy)) {
        f.setLowerBound(newLb);
        f.setUpperBound(newUb);
      } else {
        auto p = cast<scf::ParallelOp>(copy);
        p.getLowerBoundMutable()[0].set(newLb);
        p.getUpperBoundMutable()[0].set(newUb);
      }
    }
    builder.setInsertionPointToEnd(entry);
    func::ReturnOp::create(builder, loc);

    // The caller: one context per loop, allocated once at function entry
    // (an alloca inside an enclosing loop would grow the stack per
    // iteration).
    builder.setInsertionPointToStart(&func.getBody().front());
    Value slots = LLVM::ConstantOp::create(
        builder, loc, i64,
        builder.getI64IntegerAttr(std::max<int64_t>(1, captured.size())));
    Value context = LLVM::AllocaOp::create(builder, loc, ptrType, i64, slots,
                                           /*alignment=*/8);
    builder.setInsertionPoint(loop);
    for (auto [i, v] : llvm::enumerate(captured)) {
      Value slot =
          LLVM::GEPOp::create(builder, loc, ptrType, i64, context,
                              ArrayRef<LLVM::GEPArg>{static_cast<int32_t>(i)});
      Value stored = v;
      if (isa<MemRefType>(v.getType()))
        stored =
            memref::ExtractAlignedPointerAsIndexOp::create(builder, loc, v);
      if (stored.getType().isIndex())
        stored = arith::IndexCastOp::create(builder, loc, i64, stored);
      LLVM::StoreOp::create(builder, loc, stored, slot);
    }
    auto [lb, ub, step] = splitDimension(loop);
    Value count;
    if (std::optional<int64_t> trips = constantTrips(lb, ub, step)) {
      count = arith::ConstantOp::create(builder, loc, i64,
                                        builder.getI64IntegerAttr(*trips));
    } else {
      // max(0, ceil((ub - lb) / step)) for a positive step.
      Value one = arith::ConstantIndexOp::create(builder, loc, 1);
      Value zero = arith::ConstantIndexOp::create(builder, loc, 0);
      Value span = arith::SubIOp::create(builder, loc, ub, lb);
      Value rounded = arith::AddIOp::create(
          builder, loc, span, arith::SubIOp::create(builder, loc, step, one));
      Value tripCount = arith::MaxSIOp::create(
          builder, loc, zero,
          arith::DivSIOp::create(builder, loc, rounded, step));
      count = arith::IndexCastOp::create(builder, loc, i64, tripCount);
    }
    Value fn = func::ConstantOp::create(builder, loc, bodyType,
                                        SymbolRefAttr::get(body));
    func::CallOp::create(builder, loc, runtime, ValueRange{fn, context, count});
    loop->erase();
    return success();
  }

  func::FuncOp declareRuntime(FunctionType bodyType, SymbolTable &symbols) {
    if (auto existing = symbols.lookup<func::FuncOp>(kRuntimeFunction))
      return existing;
    ModuleOp module = getOperation();
    MLIRContext *ctx = &getContext();
    OpBuilder builder = OpBuilder::atBlockEnd(module.getBody());
    auto type = FunctionType::get(
        ctx,
        {bodyType, LLVM::LLVMPointerType::get(ctx), IntegerType::get(ctx, 64)},
        {});
    auto decl =
        func::FuncOp::create(builder, module.getLoc(), kRuntimeFunction, type);
    decl.setPrivate();
    symbols.insert(decl);
    return decl;
  }
};

} // namespace
