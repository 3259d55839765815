//===- GpuMapLoops.cpp - the mx-gpu-map-loops pass ------------------------===//
//
// convert-parallel-loops-to-gpu turns mapped scf.parallel ops into
// gpu.launch; everything else stays host code. On the GPU path every memref
// is device memory, so nothing but allocation, views and launches may stay
// on the host: this pass makes every piece of work a mapped scf.parallel.
//
// Mapping is one flat index space per loop nest (any rank) split into
// blocks of threads: simple, always within the grid limits (y and z are
// limited to 65535, x to 2^31-1) and coalesced, because the innermost
// dimension varies fastest between neighbouring threads.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include "mlir/Dialect/GPU/Transforms/ParallelLoopMapper.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

namespace mxjit {
#define GEN_PASS_DEF_MXGPUMAPLOOPS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

/// Ops that may stay on the host: they allocate, describe or view device
/// memory without reading it.
bool isHostOp(Operation *op) {
  return isa<arith::ConstantOp, memref::AllocOp, memref::AllocaOp,
             memref::DeallocOp, memref::ExpandShapeOp, memref::CollapseShapeOp,
             memref::SubViewOp, memref::ReinterpretCastOp, memref::CastOp,
             memref::ViewOp, memref::ExtractStridedMetadataOp, memref::DimOp,
             func::ReturnOp, func::CallOp, scf::ParallelOp, gpu::LaunchOp,
             gpu::AllocOp, gpu::DeallocOp>(op) ||
         op->hasTrait<OpTrait::IsTerminator>();
}

gpu::ParallelLoopDimMappingAttr mapping(MLIRContext *ctx,
                                        gpu::Processor processor) {
  AffineMap id = AffineMap::getMultiDimIdentityMap(1, ctx);
  return gpu::ParallelLoopDimMappingAttr::get(ctx, processor, id, id);
}

/// memref.copy -> scf.parallel of element copies (a kernel like any other).
void expandCopy(memref::CopyOp copy) {
  OpBuilder b(copy);
  Location loc = copy.getLoc();
  auto type = cast<MemRefType>(copy.getSource().getType());
  if (type.getRank() == 0) {
    Value v = memref::LoadOp::create(b, loc, copy.getSource());
    memref::StoreOp::create(b, loc, v, copy.getTarget());
    copy.erase();
    return;
  }
  SmallVector<Value> lbs, ubs, steps;
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  for (int64_t d = 0; d < type.getRank(); ++d) {
    lbs.push_back(zero);
    steps.push_back(one);
    ubs.push_back(memref::DimOp::create(b, loc, copy.getSource(), d));
  }
  scf::ParallelOp::create(
      b, loc, lbs, ubs, steps,
      [&](OpBuilder &nb, Location nloc, ValueRange ivs) {
        Value v = memref::LoadOp::create(nb, nloc, copy.getSource(), ivs);
        memref::StoreOp::create(nb, nloc, v, copy.getTarget(), ivs);
      });
  copy.erase();
}

/// Wraps `ops` (consecutive, same block) in a one-iteration scf.parallel.
LogicalResult wrapInSingleIteration(ArrayRef<Operation *> ops) {
  llvm::SmallPtrSet<Operation *, 8> inRun(ops.begin(), ops.end());
  for (Operation *op : ops)
    for (Operation *user : op->getUsers()) {
      Operation *top = op->getBlock()->findAncestorOpInBlock(*user);
      if (!inRun.contains(top))
        return op->emitOpError("computes a value that host code uses after "
                               "it; the GPU path cannot keep it on the host");
    }
  OpBuilder b(ops.front());
  Location loc = ops.front()->getLoc();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);
  auto loop = scf::ParallelOp::create(b, loc, ValueRange{zero}, ValueRange{one},
                                      ValueRange{one});
  Operation *terminator = loop.getBody()->getTerminator();
  for (Operation *op : ops)
    op->moveBefore(terminator);
  return success();
}

Value ceilDiv(OpBuilder &b, Location loc, Value n, Value d) {
  return b.createOrFold<arith::CeilDivUIOp>(loc, n, d);
}

/// Replaces a top-level scf.parallel by blocks x threads over its flattened
/// iteration space.
void linearize(scf::ParallelOp loop, int64_t blockSize) {
  OpBuilder b(loop);
  Location loc = loop.getLoc();
  MLIRContext *ctx = b.getContext();
  Value zero = arith::ConstantIndexOp::create(b, loc, 0);
  Value one = arith::ConstantIndexOp::create(b, loc, 1);

  // Trip count of every dimension and of the whole space.
  SmallVector<Value> trips;
  Value total = one;
  for (auto [lb, ub, step] :
       llvm::zip(loop.getLowerBound(), loop.getUpperBound(), loop.getStep())) {
    // Folded: static trip counts become constants that kernel outlining
    // sinks into the kernel instead of passing them as arguments (no
    // canonicalize may run later, it would drop the loop mappings).
    Value extent = b.createOrFold<arith::SubIOp>(loc, ub, lb);
    Value trip = ceilDiv(b, loc, extent, step);
    trips.push_back(trip);
    total = b.createOrFold<arith::MulIOp>(loc, total, trip);
  }

  // Fewer threads than a block needs: one block of exactly that many
  // threads (no guard), which keeps tiny kernels (scalars) simple.
  std::optional<int64_t> staticTotal = getConstantIntValue(total);
  bool exact = staticTotal && *staticTotal <= blockSize;
  Value threads =
      exact ? total
            : arith::ConstantIndexOp::create(b, loc, blockSize).getResult();
  Value blocks = exact ? one : ceilDiv(b, loc, total, threads);

  auto outer = scf::ParallelOp::create(b, loc, ValueRange{zero},
                                       ValueRange{blocks}, ValueRange{one});
  b.setInsertionPointToStart(outer.getBody());
  auto inner = scf::ParallelOp::create(b, loc, ValueRange{zero},
                                       ValueRange{threads}, ValueRange{one});
  b.setInsertionPointToStart(inner.getBody());
  Value idx = arith::AddIOp::create(
      b, loc,
      arith::MulIOp::create(b, loc, outer.getInductionVars()[0], threads),
      inner.getInductionVars()[0]);

  Block *target = inner.getBody();
  if (!exact) {
    Value inRange =
        arith::CmpIOp::create(b, loc, arith::CmpIPredicate::ult, idx, total);
    auto guard = scf::IfOp::create(b, loc, inRange, /*withElse=*/false);
    target = guard.thenBlock();
    b.setInsertionPointToStart(target);
  }

  // Split the flat index back into the original induction variables, the
  // last dimension varying fastest.
  IRMapping map;
  Value rest = idx;
  for (int64_t d = loop.getNumLoops() - 1; d >= 0; --d) {
    Value pos = rest;
    if (d > 0) {
      pos = arith::RemUIOp::create(b, loc, rest, trips[d]);
      rest = arith::DivUIOp::create(b, loc, rest, trips[d]);
    }
    Value scaled = arith::MulIOp::create(b, loc, pos, loop.getStep()[d]);
    map.map(loop.getInductionVars()[d],
            arith::AddIOp::create(b, loc, scaled, loop.getLowerBound()[d]));
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, map);
  loop.erase();

  (void)gpu::setMappingAttr(outer, {mapping(ctx, gpu::Processor::BlockX)});
  (void)gpu::setMappingAttr(inner, {mapping(ctx, gpu::Processor::ThreadX)});
  // Anything parallel inside runs sequentially in its thread.
  inner.getBody()->walk([&](scf::ParallelOp nested) {
    SmallVector<gpu::ParallelLoopDimMappingAttr> seq(
        nested.getNumLoops(), mapping(ctx, gpu::Processor::Sequential));
    (void)gpu::setMappingAttr(nested, seq);
  });
}

struct MxGpuMapLoopsPass
    : public mxjit::impl::MxGpuMapLoopsBase<MxGpuMapLoopsPass> {
  using MxGpuMapLoopsBase::MxGpuMapLoopsBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal() || func->getParentOfType<gpu::GPUModuleOp>())
      return;
    if (blockSize < 1 || blockSize > 1024) {
      func.emitError("mx-gpu-map-loops: block-size must be in [1, 1024], got ")
          << blockSize;
      return signalPassFailure();
    }
    Block &body = func.getBody().front();
    for (Operation &op : llvm::make_early_inc_range(body))
      if (auto copy = dyn_cast<memref::CopyOp>(op))
        expandCopy(copy);

    // Runs of consecutive ops that must execute on the device.
    // Side-effect free ops of host values (index arithmetic on sizes) stay
    // on the host; computing on a value loaded from memory does not.
    SmallVector<SmallVector<Operation *>> runs(1);
    llvm::SmallPtrSet<Operation *, 16> device;
    for (Operation &op : body) {
      bool onHost = isHostOp(&op) ||
                    (op.getNumRegions() == 0 && isMemoryEffectFree(&op) &&
                     llvm::none_of(op.getOperands(), [&](Value v) {
                       return device.contains(v.getDefiningOp());
                     }));
      if (!onHost)
        device.insert(&op);
      if (onHost) {
        if (!runs.back().empty())
          runs.emplace_back();
        continue;
      }
      runs.back().push_back(&op);
    }
    for (ArrayRef<Operation *> run : runs)
      if (!run.empty() && failed(wrapInSingleIteration(run)))
        return signalPassFailure();

    SmallVector<scf::ParallelOp> loops(body.getOps<scf::ParallelOp>());
    for (scf::ParallelOp loop : loops)
      linearize(loop, blockSize);
  }
};

} // namespace
