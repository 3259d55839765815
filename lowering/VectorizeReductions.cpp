//===- VectorizeReductions.cpp - the mx-vectorize-reductions pass ---------===//
//
// A reduction lowered to loops keeps one scalar accumulator per output
// element. Along a reduced contiguous axis (row sums, softmax's max and
// sum) LLVM may not reorder the floating-point additions, so every element
// waits for the previous add; along a kept contiguous axis (column sums)
// the accumulators live in memory. This pass gives both the structure a
// SIMD machine wants, built from upstream tiling and vectorization:
//
//   row:    for rows (parallel)                  kept loops tiled by 1
//             acc = vector<T> of identities      partial-reduction tiling
//             for k += T: acc = acc + x[row, k:k+T]
//             out[row] = reduce(acc)             one vector.reduction
//
//   column: for k0 += R                          rows within 32 KiB
//             for cols += T (parallel)           kept contiguous loop by T
//               acc = out[cols:+T]               hoisted out of the k loop
//               for k: acc = acc + x[k0 + k, cols:+T]
//               out[cols:+T] = acc
//
// T covers up to `max-registers` SIMD registers, so that many independent
// add chains hide the add latency.
//
//===----------------------------------------------------------------------===//

#include "lowering/NestCleanup.h"
#include "lowering/Passes.h"

#include "mlir/Analysis/SliceAnalysis.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/Dominance.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mxjit {
#define GEN_PASS_DEF_MXVECTORIZEREDUCTIONS
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kParallelAttr = "mxjit.parallel";
/// Bytes of a column reduction's input read per row block: within L1.
constexpr int64_t kColumnBlockBytes = 32 * 1024;

/// A floating-point reduction this pass handles: static shapes, one
/// output, projected-permutation maps and a single combiner whose
/// reassociation (for sums, products) or exactness (max, min) is known.
bool isVectorizableReduction(linalg::GenericOp op) {
  if (op.getNumDpsInits() != 1 || !op.hasPureTensorSemantics() ||
      op.getNumReductionLoops() == 0 || op.getNumDpsInputs() == 0)
    return false;
  if (!llvm::all_of(op->getOperandTypes(), [](Type t) {
        auto shaped = dyn_cast<ShapedType>(t);
        return !shaped || shaped.hasStaticShape();
      }))
    return false;
  Type element = getElementTypeOrSelf(op.getDpsInits()[0]);
  if (!element.isF32() && !element.isF64())
    return false;
  if (!llvm::all_of(op.getIndexingMapsArray(),
                    [](AffineMap m) { return m.isProjectedPermutation(); }))
    return false;
  SmallVector<Operation *> combiners;
  if (!matchReduction(op.getRegionOutputArgs(), 0, combiners) ||
      combiners.size() != 1)
    return false;
  return isa<arith::AddFOp, arith::MulFOp, arith::MaximumFOp, arith::MinimumFOp,
             arith::MaxNumFOp, arith::MinNumFOp>(combiners.front());
}

/// The loop that walks `op`'s largest input contiguously: the last result of
/// the map of the input with the most results.
std::optional<unsigned> contiguousLoop(linalg::GenericOp op) {
  AffineMap widest;
  for (OpOperand *input : op.getDpsInputOperands()) {
    AffineMap map = op.getMatchingIndexingMap(input);
    if (!widest || map.getNumResults() > widest.getNumResults())
      widest = map;
  }
  if (!widest || widest.getNumResults() == 0)
    return std::nullopt;
  return cast<AffineDimExpr>(widest.getResults().back()).getPosition();
}

/// The tile for a loop of `extent` iterations: the largest divisor of
/// `extent` that is at most `registers` x `lanes` and a multiple of `lanes`,
/// else of half, else a quarter of it (1000 = 25 x 40 with 16 lanes);
/// nullopt when there is none of at least half a register.
std::optional<int64_t> vectorTile(int64_t extent, int64_t lanes,
                                  int64_t registers) {
  for (int64_t unit : {lanes, lanes / 2}) {
    if (unit < 1)
      continue;
    for (int64_t t = std::min(extent, registers * lanes) / unit * unit; t > 0;
         t -= unit)
      if (extent % t == 0)
        return t;
  }
  return std::nullopt;
}

struct MxVectorizeReductionsPass
    : mxjit::impl::MxVectorizeReductionsBase<MxVectorizeReductionsPass> {
  using MxVectorizeReductionsBase::MxVectorizeReductionsBase;

  LogicalResult initialize(MLIRContext *context) override {
    RewritePatternSet cleanup(context);
    mxjit::populateNestCleanupPatterns(cleanup);
    // Broadcast reads (a per-row operand) become vector.broadcast ops.
    vector::populateVectorTransferPermutationMapLoweringPatterns(cleanup);
    cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));

    // The partial results' merge: one vector.reduction per output element.
    RewritePatternSet lowering(context);
    vector::populateVectorMultiReductionLoweringPatterns(
        lowering, vector::VectorMultiReductionLowering::InnerReduction);
    vector::populateVectorShapeCastLoweringPatterns(lowering);
    lowerPatterns = FrozenRewritePatternSet(std::move(lowering));
    return success();
  }

  void runOnOperation() override {
    if (vectorWidth <= 0)
      return;
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());
    // Top-level ops only: ops in loops are tiles of other passes.
    SmallVector<linalg::GenericOp> candidates;
    for (Operation &op : func.getBody().getOps())
      if (auto generic = dyn_cast<linalg::GenericOp>(op))
        if (isVectorizableReduction(generic))
          candidates.push_back(generic);
    for (linalg::GenericOp op : candidates)
      if (linalg::GenericOp target = splitLongReduction(rewriter, op))
        if (isVectorizableReduction(target))
          vectorizeReduction(rewriter, target);
  }

private:
  int64_t lanesFor(linalg::GenericOp op) const {
    Type element = getElementTypeOrSelf(op.getDpsInits()[0]);
    return element.isF64() ? std::max<int64_t>(vectorWidth / 2, 1)
                           : int64_t(vectorWidth);
  }

  /// A reduction of one long axis into a single value becomes `splitRows`
  /// rows reduced in parallel, then a short reduction of the rows' results.
  /// Returns the row reduction, `op` when it does not apply, or null.
  linalg::GenericOp splitLongReduction(RewriterBase &rewriter,
                                       linalg::GenericOp op) {
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    if (op.getNumReductionLoops() != 1 || splitRows < 2)
      return op;
    int64_t length = 1, kept = 1;
    for (auto [bound, iterator] : llvm::zip(bounds, op.getIteratorTypesArray()))
      (iterator == utils::IteratorType::reduction ? length : kept) *= bound;
    int64_t lanes = lanesFor(op);
    if (kept != 1 || length < minSplitLength ||
        length % (splitRows * lanes) != 0)
      return op;
    linalg::ControlSplitReductionFn control = [&](linalg::LinalgOp) {
      return linalg::SplitReductionOptions{int64_t(splitRows),
                                           /*index=*/0,
                                           /*innerParallel=*/false};
    };
    rewriter.setInsertionPoint(op);
    FailureOr<linalg::SplitReductionResult> split =
        linalg::splitReduction(rewriter, op, control);
    if (failed(split))
      return op;
    // `op` is gone; the rows are a generic with `op`'s body.
    return dyn_cast<linalg::GenericOp>(split->splitLinalgOp.getOperation());
  }

  /// Tiles, vectorizes and hoists one reduction (see the file comment); a
  /// failure at any step leaves correct, possibly partly tiled, scalar code.
  void vectorizeReduction(RewriterBase &rewriter, linalg::GenericOp op) {
    std::optional<unsigned> inner = contiguousLoop(op);
    if (!inner)
      return;
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    int64_t lanes = lanesFor(op);
    std::optional<int64_t> tile =
        vectorTile(bounds[*inner], lanes, maxRegisters);
    if (!tile)
      return;
    unsigned loops = bounds.size();
    bool row = iterators[*inner] == utils::IteratorType::reduction;

    // The tiled loops and the ops the nest ends up with lie between these
    // two, which stay put.
    Block *block = op->getBlock();
    Operation *before = op->getPrevNode();
    Operation *after = op->getNextNode();
    auto nest = [&] {
      SmallVector<Operation *> ops;
      for (Operation *top : mxjit::opsBetween(block, before, after))
        top->walk([&](Operation *inner) { ops.push_back(inner); });
      return ops;
    };
    auto applyToNest = [&](const FrozenRewritePatternSet &patterns) {
      mxjit::applyPatternsBetween(block, before, after, patterns);
    };

    // Tiles `target` by `sizes` (0: not tiled) in `order`, marking the loops
    // of parallel dimensions; returns the tile, null on failure.
    auto tileOnce = [&](linalg::GenericOp target, ArrayRef<int64_t> sizes,
                        ArrayRef<int64_t> order) -> linalg::GenericOp {
      if (llvm::all_of(sizes, [](int64_t s) { return s == 0; }))
        return target;
      SmallVector<int64_t> fullOrder(order);
      for (unsigned i = 0; i < loops; ++i)
        if (!llvm::is_contained(fullOrder, i))
          fullOrder.push_back(i);
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), sizes));
      options.setInterchange(fullOrder);
      rewriter.setInsertionPoint(target);
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(target.getOperation()), options);
      if (failed(result))
        return nullptr;
      SmallVector<unsigned> tiledDims;
      for (int64_t dim : fullOrder)
        if (sizes[dim] != 0)
          tiledDims.push_back(dim);
      for (auto [loop, dim] : llvm::zip(result->loops, tiledDims))
        if (iterators[dim] == utils::IteratorType::parallel)
          loop->setAttr(kParallelAttr, rewriter.getUnitAttr());
      rewriter.replaceOp(target, result->replacements);
      return dyn_cast<linalg::GenericOp>(result->tiledOps.front());
    };

    // Outer loops: the kept loops other than a column's contiguous one, by
    // 1, independent and marked parallel.
    SmallVector<int64_t> sizes(loops, 0), order;
    for (unsigned i = 0; i < loops; ++i)
      if (iterators[i] == utils::IteratorType::parallel && i != *inner &&
          bounds[i] > 1) {
        sizes[i] = 1;
        order.push_back(i);
      }
    std::optional<unsigned> lastReduced;
    for (unsigned i = 0; i < loops; ++i)
      if (iterators[i] == utils::IteratorType::reduction && bounds[i] > 1)
        lastReduced = i;
    // A "reduction" of extents 1 only is a copy: nothing to vectorize.
    if (!lastReduced)
      return;
    bool severalTiles = *tile < bounds[*inner];
    if (!row) {
      // Columns: blocks of rows that fit in L1 outside the column tiles, so
      // that memory is read row block by row block rather than one column
      // tile at a time down the whole matrix, which defeats the
      // prefetchers. Every column still adds its rows in order.
      int64_t rowBytes =
          bounds[*inner] *
          getElementTypeOrSelf(op.getDpsInits()[0]).getIntOrFloatBitWidth() / 8;
      int64_t rowsPerBlock = 1;
      for (int64_t r = std::max<int64_t>(kColumnBlockBytes / rowBytes, 1);
           r >= 1; --r)
        if (bounds[*lastReduced] % r == 0) {
          rowsPerBlock = r;
          break;
        }
      for (unsigned i = 0; i < loops; ++i)
        if (iterators[i] == utils::IteratorType::reduction) {
          sizes[i] = i != *lastReduced || !severalTiles ? 1
                     : rowsPerBlock < bounds[i]         ? rowsPerBlock
                                                        : 0;
          order.push_back(i);
        }
      if (!severalTiles)
        sizes[*inner] = 0;
    }
    linalg::GenericOp tiled = tileOnce(op, sizes, order);
    if (!tiled)
      return;
    if (!row && severalTiles) {
      // Within a row block: column tiles of T (parallel), then its rows.
      SmallVector<int64_t> inBlock(loops, 0);
      inBlock[*inner] = *tile;
      inBlock[*lastReduced] = 1;
      tiled = tileOnce(tiled, inBlock, {*inner, *lastReduced});
      if (!tiled)
        return;
    }

    // Several reduced loops always get the loop nest: vectorizing a whole
    // multi-axis tile would make vectors of its full size.
    bool severalReduced =
        llvm::count_if(llvm::enumerate(bounds), [&](auto b) {
          return iterators[b.index()] == utils::IteratorType::reduction &&
                 b.value() > 1;
        }) > 1;
    if (row && (*tile < bounds[*inner] || severalReduced)) {
      // Partial results along the contiguous loop, the other reduced loops
      // by 1: one vector of T partial results lives across all of them.
      SmallVector<int64_t> partialSizes(loops, 0);
      SmallVector<unsigned> reduced;
      for (unsigned i = 0; i < loops; ++i)
        if (iterators[i] == utils::IteratorType::reduction) {
          partialSizes[i] = i == *inner ? *tile : 1;
          reduced.push_back(i);
        }
      scf::SCFTilingOptions options;
      options.setTileSizes(getAsIndexOpFoldResult(&getContext(), partialSizes));
      options.setReductionTilingStrategy(
          ReductionTilingStrategy::PartialReductionOuterReduction);
      options.setReductionDims(reduced);
      rewriter.setInsertionPoint(tiled);
      FailureOr<scf::SCFTilingResult> result = scf::tileUsingSCF(
          rewriter, cast<TilingInterface>(tiled.getOperation()), options);
      if (failed(result))
        return;
      rewriter.replaceOp(tiled, result->replacements);
    }
    // Constant tile offsets and sizes fold into static slice types.
    applyToNest(cleanupPatterns);

    // What is left of linalg in the nest: the tile, and for rows the
    // partial results' fill and merge. Tiles are at most a few registers
    // (times unit loops); the bound only guards against huge vectors.
    int64_t maxElements = 16 * maxRegisters * lanes;
    SmallVector<linalg::LinalgOp> toVectorize;
    for (Operation *o : nest())
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(o))
        toVectorize.push_back(linalgOp);
    for (linalg::LinalgOp linalgOp : toVectorize) {
      if (!linalgOp.hasPureTensorSemantics() || linalgOp.hasDynamicShape())
        continue;
      int64_t elements = 1;
      for (int64_t bound : linalgOp.getStaticLoopRanges())
        elements *= bound;
      if (elements > maxElements)
        continue;
      Operation *target = linalgOp.getOperation();
      rewriter.setInsertionPoint(target);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, target);
      if (failed(vectorized))
        continue;
      rewriter.replaceOp(target, vectorized->replacements);
    }
    applyToNest(cleanupPatterns);

    applyToNest(lowerPatterns);
    // The merge of T partial sums: a fixed tree of vector adds rather than T
    // dependent scalar adds. The order depends only on T.
    for (Operation *o : nest())
      if (auto reduction = dyn_cast<vector::ReductionOp>(o))
        if (isa<FloatType>(reduction.getType()))
          reduction.setFastmath(arith::FastMathFlags::reassoc);
    // Equal constants from the separate steps become one, so that the
    // partial results' write and read back fold away.
    DominanceInfo dominance;
    for (Operation *top : mxjit::opsBetween(block, before, after))
      if (top->getNumRegions() != 0)
        eliminateCommonSubExpressions(rewriter, dominance, top);
    applyToNest(cleanupPatterns);

    // The accumulator's transfers are invariant in the reduced loops:
    // innermost first (post-order), so that it moves out of all of them.
    SmallVector<scf::ForOp> reductionLoops;
    for (Operation *o : nest())
      if (auto loop = dyn_cast<scf::ForOp>(o))
        if (!loop->hasAttr(kParallelAttr))
          reductionLoops.push_back(loop);
    for (scf::ForOp loop : reductionLoops) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      hoistLoopInvariantSubsets(rewriter, loop);
    }
    applyToNest(cleanupPatterns);
  }

  FrozenRewritePatternSet cleanupPatterns, lowerPatterns;
};
} // namespace
