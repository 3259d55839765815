//===- PlanMemory.cpp - the mx-plan-memory pass ---------------------------===//
//
// After bufferization a training step is one function with a memref.alloc
// per temporary, and the deallocation pipeline frees most of them only at
// the end of the function, so the step holds the sum of all its
// temporaries at once. This pass gives every static temporary of the
// function body a live interval, lets temporaries whose intervals do not
// overlap share bytes of one arena allocated once per call, and lets an
// elementwise op write its result over an input that dies there.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Analysis/Liveness.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Dialect/Bufferization/Transforms/BufferViewFlowAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Interfaces/CallInterfaces.h"
#include "mlir/Interfaces/DataLayoutInterfaces.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/Support/MathExtras.h"

#include <limits>

namespace mxjit {
#define GEN_PASS_DEF_MXPLANMEMORY
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

/// One temporary the pass places in the arena.
struct Buffer {
  memref::AllocOp alloc;
  memref::DeallocOp dealloc;
  int64_t bytes = 0;
  /// Positions in the function body of the first and last op that touch
  /// the buffer or a view of it (inclusive).
  int64_t start = 0, end = 0;
  /// Union-find parent: buffers written in place over another share its
  /// slot.
  unsigned parent = 0;
  /// Whether an op already writes its result over this buffer.
  bool givenAway = false;
};

/// A range of arena bytes and the interval during which it is in use.
struct Slot {
  int64_t start = 0, end = 0, bytes = 0, offset = 0;
  llvm::SmallVector<unsigned, 2> members;
};

/// Bytes of a static memref of integers, floats or index, or nothing.
std::optional<int64_t> staticBytes(MemRefType type, const DataLayout &layout) {
  Type element = type.getElementType();
  if (!type.hasStaticShape() ||
      !isa<IntegerType, FloatType, IndexType>(element))
    return std::nullopt;
  return type.getNumElements() *
         static_cast<int64_t>(layout.getTypeSize(element).getFixedValue());
}

bool isIdentityOperand(linalg::LinalgOp op, OpOperand &operand) {
  return op.getMatchingIndexingMap(&operand).isIdentity();
}

struct PlanMemoryPass : mxjit::impl::MxPlanMemoryBase<PlanMemoryPass> {
  using MxPlanMemoryBase::MxPlanMemoryBase;

  void runOnOperation() override {
    ModuleOp module = getOperation();
    bool needsRuntime = false;
    for (func::FuncOp func :
         llvm::make_early_inc_range(module.getOps<func::FuncOp>()))
      needsRuntime |= planFunction(func);
    if (needsRuntime)
      declareRuntimeFunctions(module);
  }

  static constexpr llvm::StringLiteral kAcquire = "mxjit_arena_acquire";
  static constexpr llvm::StringLiteral kRelease = "mxjit_arena_release";

  /// What the arena calls traffic in: with the bare-pointer calling
  /// convention a static memref crosses the call as its data pointer, so
  /// the C functions see `void *mxjit_arena_acquire(int64_t)` and
  /// `void mxjit_arena_release(void *)`. The one-byte type is a handle; the
  /// caller reinterprets it at the arena's real size.
  static MemRefType handleType(MLIRContext *context) {
    return MemRefType::get({1}, IntegerType::get(context, 8));
  }

  static void declareRuntimeFunctions(ModuleOp module) {
    MLIRContext *context = module.getContext();
    OpBuilder builder = OpBuilder::atBlockBegin(module.getBody());
    auto declare = [&](StringRef name, FunctionType type) {
      if (auto existing = module.lookupSymbol<func::FuncOp>(name)) {
        if (existing.getFunctionType() != type)
          existing.emitError() << "@" << name << " must have type " << type;
        return;
      }
      auto f = func::FuncOp::create(builder, module.getLoc(), name, type);
      f.setPrivate();
    };
    Type handle = handleType(context);
    declare(kAcquire, FunctionType::get(
                          context, {IntegerType::get(context, 64)}, {handle}));
    declare(kRelease, FunctionType::get(context, {handle}, {}));
  }

  /// Plans one function; true when it now calls the runtime arena
  /// functions.
  bool planFunction(func::FuncOp func) {
    if (func.isExternal())
      return false;
    Region &region = func.getBody();
    // Straight-line bodies only: with several blocks an interval would need
    // control flow, and the mx pipeline has none before scf-to-cf.
    Block *body = region.hasOneBlock() ? &region.front() : nullptr;
    DataLayout layout = DataLayout::closest(func);

    // The naive figure is what the function holds without this pass, so it
    // is taken before any temporary is forwarded away.
    int64_t naive = 0, unplannedBytes = 0;
    func.walk([&](memref::AllocOp alloc) {
      if (std::optional<int64_t> bytes = staticBytes(alloc.getType(), layout))
        naive += *bytes;
    });
    if (body) {
      forwardCopiesToOutputs(func, *body);
      hoistFromSequentialLoops(func, *body);
    }

    BufferViewFlowAnalysis aliases(func);
    int64_t alignment = std::max<int64_t>(1, this->alignment);
    std::vector<Buffer> buffers;
    func.walk([&](memref::AllocOp alloc) {
      std::optional<int64_t> bytes = staticBytes(alloc.getType(), layout);
      memref::DeallocOp dealloc;
      if (body && bytes && isPlannable(alloc, body, aliases, dealloc)) {
        Buffer b;
        b.alloc = alloc;
        b.dealloc = dealloc;
        b.bytes = *bytes;
        b.parent = buffers.size();
        buffers.push_back(b);
        if (auto a = alloc.getAlignment())
          alignment = std::max<int64_t>(alignment, *a);
        return;
      }
      ++numUnplanned;
      if (bytes)
        unplannedBytes += *bytes;
    });

    int64_t arenaBytes = 0;
    bool useRuntime = false;
    if (!buffers.empty()) {
      // The arena is freed once at the end instead.
      for (Buffer &b : buffers)
        b.dealloc.erase();
      computeIntervals(func, *body, aliases, buffers);
      if (inPlace)
        coalesceInPlace(*body, aliases, buffers);
      std::vector<Slot> slots = assignOffsets(buffers, alignment, arenaBytes);
      // The runtime's blocks are 64-byte aligned; a stricter request keeps
      // memref.alloc.
      useRuntime = runtimeArena && alignment <= 64;
      rewrite(*body, buffers, slots, alignment, arenaBytes, useRuntime);
    }

    int64_t planned = arenaBytes + unplannedBytes;
    numPlanned += buffers.size();
    naiveBytes += naive;
    plannedPeakBytes += planned;
    Builder b(func.getContext());
    func->setAttr("mx.naive_bytes", b.getI64IntegerAttr(naive));
    func->setAttr("mx.planned_peak_bytes", b.getI64IntegerAttr(planned));
    return useRuntime;
  }

  /// Bufferization computes some results (a step's weight gradients, made
  /// by tiled loops) into a temporary and copies it into the caller's
  /// out-parameter just before the return, so the temporary lives from its
  /// computation to the end and the copy costs a pass over it. When the
  /// out-parameter is touched by nothing but that copy, and the temporary
  /// (or any view of it) by nothing after it, the temporary's writers can
  /// write the out-parameter directly: its old contents are never read, and
  /// outputs alias no other argument (the runtime ABI).
  void forwardCopiesToOutputs(func::FuncOp func, Block &body) {
    llvm::SmallVector<memref::CopyOp> copies;
    for (Operation &op : body)
      if (auto copy = dyn_cast<memref::CopyOp>(&op))
        copies.push_back(copy);
    for (memref::CopyOp copy : copies) {
      auto out = dyn_cast<BlockArgument>(copy.getTarget());
      auto alloc = copy.getSource().getDefiningOp<memref::AllocOp>();
      if (!out || out.getOwner() != &body || !out.hasOneUse() || !alloc ||
          alloc->getBlock() != &body || alloc.getType() != out.getType() ||
          !alloc.getType().getLayout().isIdentity())
        continue;
      // Built for each candidate: forwarding erases values an analysis
      // built earlier would still hold.
      BufferViewFlowAnalysis aliases(func);
      llvm::SmallVector<Operation *> deallocs;
      bool onlyBefore = true;
      for (Value v : aliases.resolve(alloc.getResult())) {
        if (isa<BlockArgument>(v)) {
          onlyBefore = false;
          break;
        }
        for (Operation *user : v.getUsers()) {
          if (user == copy.getOperation())
            continue;
          if (isa<memref::DeallocOp>(user) && v == alloc.getResult()) {
            deallocs.push_back(user);
            continue;
          }
          Operation *at = body.findAncestorOpInBlock(*user);
          if (!at || !at->isBeforeInBlock(copy) ||
              isa<func::ReturnOp, CallOpInterface,
                  memref::ExtractAlignedPointerAsIndexOp>(user)) {
            onlyBefore = false;
            break;
          }
        }
        if (!onlyBefore)
          break;
      }
      if (!onlyBefore)
        continue;
      for (Operation *d : deallocs)
        d->erase();
      copy.erase();
      alloc.getResult().replaceAllUsesWith(out);
      alloc.erase();
      ++numForwarded;
    }
  }

  /// A temporary allocated and freed in each iteration of loops that run
  /// their iterations one after another (scf.for not marked
  /// `mxjit.parallel`, such as a convolution's backward_weight batch loop
  /// and its per-sample im2col copy) can be one buffer allocated before
  /// the outermost loop and freed after it, when no view of it leaves the
  /// iteration (yielded, carried, returned, passed to a call or turned
  /// into a pointer): each iteration writes it before reading it. It then
  /// becomes a temporary of the body that the arena holds. A loop marked
  /// `mxjit.parallel` may run its iterations on several threads at once,
  /// each with its own buffer, so allocations inside one stay.
  void hoistFromSequentialLoops(func::FuncOp func, Block &body) {
    llvm::SmallVector<memref::AllocOp> allocs;
    func.walk([&](memref::AllocOp alloc) {
      if (alloc->getBlock() != &body)
        allocs.push_back(alloc);
    });
    for (memref::AllocOp alloc : allocs) {
      if (!alloc.getType().hasStaticShape())
        continue;
      Operation *outer = alloc;
      bool sequential = true;
      while (sequential && outer->getBlock() != &body) {
        outer = outer->getParentOp();
        auto loop = dyn_cast_or_null<scf::ForOp>(outer);
        sequential = loop && !loop->hasAttr("mxjit.parallel");
      }
      if (!sequential)
        continue;
      // Built for each candidate: hoisting moves ops an analysis built
      // earlier would still place inside the loop. An alias yielded by the
      // loop is one of its iteration arguments, a block argument.
      BufferViewFlowAnalysis aliases(func);
      memref::DeallocOp dealloc;
      if (!isPlannable(alloc, alloc->getBlock(), aliases, dealloc))
        continue;
      alloc->moveBefore(outer);
      dealloc->moveAfter(outer);
      ++numHoisted;
    }
  }

  /// A temporary of the function body that nothing outside the function
  /// can see: static identity layout, freed by exactly one memref.dealloc
  /// in the body, and no view of it returned, passed to a call, turned into
  /// a raw pointer or carried through block arguments (where the
  /// deallocation pipeline would have made its freeing conditional).
  static bool isPlannable(memref::AllocOp alloc, Block *body,
                          const BufferViewFlowAnalysis &aliases,
                          memref::DeallocOp &dealloc) {
    MemRefType type = alloc.getType();
    if (alloc->getBlock() != body || !type.getLayout().isIdentity() ||
        type.getMemorySpace())
      return false;
    for (Value v : aliases.resolve(alloc.getResult())) {
      if (isa<BlockArgument>(v))
        return false;
      for (Operation *user : v.getUsers()) {
        if (auto d = dyn_cast<memref::DeallocOp>(user)) {
          if (v != alloc.getResult() || d->getBlock() != body || dealloc)
            return false;
          dealloc = d;
          continue;
        }
        if (isa<func::ReturnOp, CallOpInterface,
                memref::ExtractAlignedPointerAsIndexOp>(user) ||
            isa<bufferization::BufferizationDialect>(user->getDialect()))
          return false;
      }
    }
    return static_cast<bool>(dealloc);
  }

  /// Each buffer's interval runs from the first to the last op of the body
  /// that uses it or any view of it (ops with regions count as a whole).
  static void computeIntervals(func::FuncOp func, Block &body,
                               const BufferViewFlowAnalysis &aliases,
                               std::vector<Buffer> &buffers) {
    llvm::DenseMap<Operation *, int64_t> position;
    for (auto [i, op] : llvm::enumerate(body))
      position[&op] = i;
    // Built after the planned deallocations are gone, so their positions
    // (often the end of the function) do not stretch the intervals.
    Liveness liveness(func);
    const LivenessBlockInfo *info = liveness.getLiveness(&body);
    for (Buffer &b : buffers) {
      int64_t allocAt = position.lookup(b.alloc);
      b.start = std::numeric_limits<int64_t>::max();
      b.end = allocAt;
      for (Value v : aliases.resolve(b.alloc.getResult())) {
        Operation *def = body.findAncestorOpInBlock(*v.getDefiningOp());
        if (!def)
          continue;
        b.end = std::max(b.end, position.lookup(info->getEndOperation(v, def)));
        for (Operation *user : v.getUsers())
          if (Operation *at = body.findAncestorOpInBlock(*user))
            b.start = std::min(b.start, position.lookup(at));
      }
      if (b.start == std::numeric_limits<int64_t>::max())
        b.start = allocAt;
      b.end = std::max(b.end, b.start);
    }
  }

  static unsigned root(std::vector<Buffer> &buffers, unsigned i) {
    while (buffers[i].parent != i)
      i = buffers[i].parent = buffers[buffers[i].parent].parent;
    return i;
  }

  /// An all-parallel linalg op reading input A and writing output B, both
  /// through identity maps, with the same type, where A dies at the op and
  /// B is first touched there, may write B over A: each element is read
  /// before it is written and no other element reads it. B then joins A's
  /// slot. One-shot bufferization already does this for tensors it can
  /// prove dead; this catches the allocations it made separately.
  void coalesceInPlace(Block &body, const BufferViewFlowAnalysis &aliases,
                       std::vector<Buffer> &buffers) {
    llvm::DenseMap<Value, unsigned> index;
    for (auto [i, b] : llvm::enumerate(buffers))
      index[b.alloc.getResult()] = i;
    for (auto [at, op] : llvm::enumerate(body)) {
      auto linalgOp = dyn_cast<linalg::LinalgOp>(&op);
      if (!linalgOp || !linalgOp.hasPureBufferSemantics() ||
          !linalgOp.isAllParallelLoops())
        continue;
      for (OpOperand &out : linalgOp.getDpsInitsMutable()) {
        auto bi = index.find(out.get());
        if (bi == index.end())
          continue;
        Buffer &b = buffers[bi->second];
        if (b.start != static_cast<int64_t>(at) ||
            !isIdentityOperand(linalgOp, out) ||
            linalgOp.payloadUsesValueFromOperand(&out))
          continue;
        for (OpOperand *in : linalgOp.getDpsInputOperands()) {
          auto ai = index.find(in->get());
          if (ai == index.end() || ai->second == bi->second)
            continue;
          Buffer &a = buffers[ai->second];
          if (a.givenAway || a.end != static_cast<int64_t>(at) ||
              a.alloc.getType() != b.alloc.getType() ||
              !onlyReadElementwise(linalgOp, a.alloc.getResult(), aliases))
            continue;
          a.givenAway = true;
          b.parent = root(buffers, ai->second);
          ++numInPlace;
          break;
        }
      }
    }
  }

  /// `a` reaches `op` only as inputs that are `a` itself read through an
  /// identity map: no view of it, no other map, and not as an output.
  static bool onlyReadElementwise(linalg::LinalgOp op, Value a,
                                  const BufferViewFlowAnalysis &aliases) {
    auto aliasesOfA = aliases.resolve(a);
    for (OpOperand &operand : op->getOpOperands()) {
      if (!aliasesOfA.contains(operand.get()))
        continue;
      if (operand.get() != a || op.isDpsInit(&operand) ||
          !isIdentityOperand(op, operand))
        return false;
    }
    return true;
  }

  /// Greedy by size: the largest slots are placed first, each at the
  /// lowest offset of the smallest gap left by the already placed slots
  /// whose intervals overlap its own (best fit), or on top of them.
  static std::vector<Slot> assignOffsets(std::vector<Buffer> &buffers,
                                         int64_t alignment,
                                         int64_t &arenaBytes) {
    llvm::DenseMap<unsigned, unsigned> slotOf;
    std::vector<Slot> slots;
    for (unsigned i = 0; i < buffers.size(); ++i) {
      unsigned r = root(buffers, i);
      auto [it, inserted] = slotOf.try_emplace(r, slots.size());
      if (inserted) {
        Slot fresh;
        fresh.start = buffers[i].start;
        fresh.end = buffers[i].end;
        slots.push_back(fresh);
      }
      Slot &s = slots[it->second];
      s.start = std::min(s.start, buffers[i].start);
      s.end = std::max(s.end, buffers[i].end);
      s.bytes = std::max<int64_t>(
          s.bytes,
          llvm::alignTo(std::max<int64_t>(buffers[i].bytes, 1), alignment));
      s.members.push_back(i);
    }

    std::vector<unsigned> order(slots.size());
    for (unsigned i = 0; i < order.size(); ++i)
      order[i] = i;
    llvm::sort(order, [&](unsigned x, unsigned y) {
      if (slots[x].bytes != slots[y].bytes)
        return slots[x].bytes > slots[y].bytes;
      return std::make_pair(slots[x].start, x) <
             std::make_pair(slots[y].start, y);
    });

    arenaBytes = 0;
    std::vector<unsigned> placed;
    for (unsigned i : order) {
      Slot &s = slots[i];
      llvm::SmallVector<const Slot *> live;
      for (unsigned j : placed)
        if (slots[j].start <= s.end && s.start <= slots[j].end)
          live.push_back(&slots[j]);
      llvm::sort(live, [](const Slot *x, const Slot *y) {
        return x->offset < y->offset;
      });
      int64_t best = -1, bestGap = std::numeric_limits<int64_t>::max();
      int64_t top = 0;
      for (const Slot *other : live) {
        int64_t gap = other->offset - top;
        if (gap >= s.bytes && gap < bestGap) {
          best = top;
          bestGap = gap;
        }
        top = std::max(top, other->offset + other->bytes);
      }
      s.offset = best >= 0 ? best : top;
      arenaBytes = std::max(arenaBytes, s.offset + s.bytes);
      placed.push_back(i);
    }
    return slots;
  }

  /// One aligned i8 arena at the top of the body, freed before the return;
  /// each planned allocation becomes a memref.view at its slot's offset.
  static void rewrite(Block &body, std::vector<Buffer> &buffers,
                      const std::vector<Slot> &slots, int64_t alignment,
                      int64_t arenaBytes, bool useRuntime) {
    Location loc = buffers.front().alloc.getLoc();
    OpBuilder builder = OpBuilder::atBlockBegin(&body);
    auto arenaType = MemRefType::get({arenaBytes}, builder.getI8Type());
    Value arena, handle;
    if (useRuntime) {
      Value size = arith::ConstantOp::create(
          builder, loc, builder.getI64IntegerAttr(arenaBytes));
      handle = func::CallOp::create(builder, loc, kAcquire,
                                    TypeRange{handleType(builder.getContext())},
                                    ValueRange{size})
                   .getResult(0);
      arena = memref::ReinterpretCastOp::create(
          builder, loc, arenaType, handle, /*offset=*/0,
          /*sizes=*/{arenaBytes}, /*strides=*/{1});
    } else {
      arena = memref::AllocOp::create(builder, loc, arenaType,
                                      builder.getI64IntegerAttr(alignment));
    }
    // All constants first: the builder's insertion point is the body's
    // first op, which may be one of the allocations erased below.
    llvm::DenseMap<int64_t, Value> offsets;
    for (const Slot &s : slots)
      if (!offsets.count(s.offset))
        offsets[s.offset] =
            arith::ConstantIndexOp::create(builder, loc, s.offset);
    for (const Slot &s : slots) {
      for (unsigned i : s.members) {
        memref::AllocOp alloc = buffers[i].alloc;
        OpBuilder at(alloc);
        Value view =
            memref::ViewOp::create(at, alloc.getLoc(), alloc.getType(), arena,
                                   offsets.lookup(s.offset), ValueRange{});
        alloc.getResult().replaceAllUsesWith(view);
        alloc.erase();
      }
    }
    builder.setInsertionPoint(body.getTerminator());
    if (useRuntime)
      func::CallOp::create(builder, loc, kRelease, TypeRange{},
                           ValueRange{handle});
    else
      memref::DeallocOp::create(builder, loc, arena);
  }
};

} // namespace
