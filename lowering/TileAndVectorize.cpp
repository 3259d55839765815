//===- TileAndVectorize.cpp - the mx-tile-and-vectorize pass --------------===//
//
// convert-linalg-to-loops turns a matrix product into a scalar k loop whose
// right-hand loads stride through memory and whose floating-point sum LLVM
// may not reorder, so nothing vectorizes it. This pass gives contractions
// the classic blocked structure instead, built only from upstream pieces:
//
//   for n0, k0, m0 (cache tiles)            scf tiling interface
//     for n1 += NR, m1 += MR (registers)    scf tiling interface, peeled
//       acc = C[m1:+MR, n1:+NR]             hoisted out of the k loop
//       for k: acc += A[m1:+MR, k] x B[k, n1:+NR]
//                                           linalg::vectorize ->
//                                           vector.contract -> outer
//                                           products -> vector.fma
//       C[...] = acc
//
// It runs on tensors, before bufferization, so that upstream im2col can
// turn 2-D convolutions into contractions first and so that the tiled loops
// bufferize in place like any other destination-passing code.
//
//===----------------------------------------------------------------------===//

#include "lowering/NestCleanup.h"
#include "lowering/Passes.h"

#include "mlir/Conversion/VectorToSCF/VectorToSCF.h"
#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/SCF/Transforms/TileUsingInterface.h"
#include "mlir/Dialect/SCF/Transforms/Transforms.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Dialect/UB/IR/UBOps.h"
#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/Dialect/Vector/Transforms/LoweringPatterns.h"
#include "mlir/Dialect/Vector/Transforms/VectorRewritePatterns.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Interfaces/TilingInterface.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"
#include "mlir/Transforms/LoopInvariantCodeMotionUtils.h"

namespace mxjit {
#define GEN_PASS_DEF_MXTILEANDVECTORIZE
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {
/// Gives a rank-reducing vector.transfer_write into a tensor leading unit
/// vector dimensions up to the tensor's rank (vector<16xf32> into
/// tensor<10x16xf32> becomes vector<1x16xf32>). The accumulator rows are
/// written back one 1-D transfer per row, and upstream one-shot-bufferize
/// decides whether a write reads its destination by pairing tensor and
/// vector dimensions from the front: a row written at offset [0, 0] passed
/// as overwriting all of tensor<10x16xf32>, so when the destination had to
/// be copied (its value used again, e.g. one zero fill shared by two
/// products) the copy was left out and the other rows read uninitialized
/// memory. With one vector dimension per tensor dimension the check is
/// exact; the unit dimension costs nothing once lowered.
void padWriteToTensorRank(RewriterBase &rewriter,
                          vector::TransferWriteOp write) {
  auto tensor = dyn_cast<RankedTensorType>(write.getBase().getType());
  VectorType vector = write.getVectorType();
  if (!tensor || write.getMask() || vector.isScalable() ||
      vector.getRank() >= tensor.getRank() ||
      !write.getPermutationMap().isMinorIdentity())
    return;
  int64_t extra = tensor.getRank() - vector.getRank();
  SmallVector<int64_t> shape(extra, 1);
  llvm::append_range(shape, vector.getShape());
  // The unit dimensions index single elements the original write's offsets
  // already address, so they are in bounds.
  SmallVector<bool> inBounds(extra, true);
  for (int64_t i = 0; i < vector.getRank(); ++i)
    inBounds.push_back(write.isDimInBounds(i));
  rewriter.setInsertionPoint(write);
  Value padded = vector::ShapeCastOp::create(
      rewriter, write.getLoc(), VectorType::get(shape, vector.getElementType()),
      write.getVector());
  rewriter.replaceOpWithNewOp<vector::TransferWriteOp>(
      write, padded, write.getBase(), write.getIndices(),
      ArrayRef<bool>(inBounds));
}

/// The loops of one contraction that the blocking is about; every other loop
/// (batch axes, extra parallel or reduction axes) is tiled by 1 outermost.
struct MatmulDims {
  unsigned m, n, k;
  /// The input read along m (the left operand) and the one read along n.
  unsigned lhs, rhs;
};

bool hasStaticShapes(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return !shaped || shaped.hasStaticShape();
  });
}

/// Whether every operand of `op` is static but for a `?` leading axis (the
/// batch of a shape-generic function), which loopOverSamples turns into a
/// loop around static per-sample code.
bool hasStaticSamples(linalg::LinalgOp op) {
  return llvm::all_of(op->getOperandTypes(), [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    if (!shaped || shaped.hasStaticShape())
      return true;
    return shaped.hasRank() && shaped.getNumDynamicDims() == 1 &&
           shaped.isDynamicDim(0);
  });
}

/// The (m, n, k) loops of a floating-point contraction on static tensors:
/// n is the output's innermost axis (so accumulator rows are contiguous),
/// m the axis before it, k the innermost reduction axis of the left operand.
std::optional<MatmulDims> matmulDims(linalg::LinalgOp op) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() || !hasStaticShapes(op) ||
      !linalg::isaContractionOpInterface(op))
    return std::nullopt;
  Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
  if (!element.isF32() && !element.isF64())
    return std::nullopt;
  FailureOr<linalg::ContractionDimensions> dims =
      linalg::inferContractionDims(op);
  if (failed(dims) || dims->m.empty() || dims->n.empty() || dims->k.empty())
    return std::nullopt;
  AffineMap out = op.getMatchingIndexingMap(op.getDpsInitOperand(0));
  if (out.getNumResults() < 2)
    return std::nullopt;
  auto dimAt = [](AffineMap map, unsigned fromBack) {
    return cast<AffineDimExpr>(
               map.getResult(map.getNumResults() - 1 - fromBack))
        .getPosition();
  };
  MatmulDims d{dimAt(out, 1), dimAt(out, 0), 0, 0, 1};
  if (!llvm::is_contained(dims->m, d.m) || !llvm::is_contained(dims->n, d.n))
    return std::nullopt;
  // m loops are read by exactly one input: that one is the left operand.
  if (!op.getMatchingIndexingMap(op.getDpsInputOperand(0)).isFunctionOfDim(d.m))
    std::swap(d.lhs, d.rhs);
  AffineMap lhs = op.getMatchingIndexingMap(op.getDpsInputOperand(d.lhs));
  // The left operand's innermost reduction axis, so consecutive k steps read
  // consecutive elements when it is not transposed.
  std::optional<unsigned> k;
  for (AffineExpr e : lhs.getResults())
    if (llvm::is_contained(dims->k, cast<AffineDimExpr>(e).getPosition()))
      k = cast<AffineDimExpr>(e).getPosition();
  if (!k)
    return std::nullopt;
  d.k = *k;
  return d;
}

/// Makes `generic` read a copy of `operand` with its axes permuted by
/// `perm` (new axis i is old axis perm[i]), adjusting the indexing map.
void readTransposed(RewriterBase &rewriter, linalg::GenericOp generic,
                    OpOperand *operand, ArrayRef<int64_t> perm) {
  AffineMap map = generic.getMatchingIndexingMap(operand);
  auto type = cast<RankedTensorType>(operand->get().getType());
  SmallVector<int64_t> shape;
  SmallVector<AffineExpr> exprs;
  for (int64_t p : perm) {
    shape.push_back(type.getDimSize(p));
    exprs.push_back(map.getResult(p));
  }
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(generic);
  Location loc = generic.getLoc();
  Value empty =
      tensor::EmptyOp::create(rewriter, loc, shape, type.getElementType());
  Value transposed =
      linalg::TransposeOp::create(rewriter, loc, operand->get(), empty, perm)
          .getResult()[0];
  SmallVector<AffineMap> maps = generic.getIndexingMapsArray();
  maps[operand->getOperandNumber()] =
      AffineMap::get(map.getNumDims(), 0, exprs, rewriter.getContext());
  rewriter.modifyOpInPlace(generic, [&] {
    operand->set(transposed);
    generic.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });
}

/// A cache tile for a loop of `bound` iterations: the largest multiple of
/// `unit` (the register tile) that divides `bound` and lies within
/// [target / 2, target], so that every cache tile is full and static and
/// no dynamic remainder nest has to be generated (compile time); `target`
/// when there is none.
int64_t cacheTile(int64_t bound, int64_t target, int64_t unit) {
  if (bound <= target)
    return bound;
  for (int64_t t = target / unit * unit; t >= std::max<int64_t>(target / 2, 1);
       t -= unit)
    if (t > 0 && bound % t == 0)
      return t;
  return target;
}

/// When the right operand's innermost axis is not n, rewrites `op` (a
/// linalg.generic) to read a transposed copy whose innermost axis is n:
/// vector loads of accumulator-row width need unit stride along n, and one
/// copy of B costs O(k n) against the product's O(m n k).
LogicalResult makeRhsRowMajor(RewriterBase &rewriter, linalg::LinalgOp op,
                              const MatmulDims &d) {
  OpOperand *rhs = op.getDpsInputOperand(d.rhs);
  AffineMap map = op.getMatchingIndexingMap(rhs);
  unsigned rank = map.getNumResults();
  std::optional<unsigned> nPos =
      map.getResultPosition(getAffineDimExpr(d.n, rewriter.getContext()));
  if (!nPos)
    return failure();
  if (*nPos == rank - 1)
    return success();
  auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
  if (!generic)
    return failure();
  // Move the n axis last, keeping the others in order.
  SmallVector<int64_t> perm;
  for (unsigned i = 0; i < rank; ++i)
    if (i != *nPos)
      perm.push_back(i);
  perm.push_back(*nPos);
  readTransposed(rewriter, generic, rhs, perm);
  return success();
}

/// Drops the loops of extent 1 of `op` (whole-tensor reshapes, which
/// bufferize to views), so that tiles have no inner unit loops: the
/// outer-product lowering of vector.contract does not look through them.
/// Returns the new op, or `op` when nothing was dropped.
linalg::GenericOp dropUnitLoops(RewriterBase &rewriter, linalg::GenericOp op) {
  if (llvm::none_of(op.getStaticLoopRanges(), [](int64_t n) { return n == 1; }))
    return op;
  linalg::ControlDropUnitDims control;
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::DropUnitDimsResult> dropped =
      linalg::dropUnitDims(rewriter, op, control);
  if (failed(dropped))
    return op;
  rewriter.replaceOp(op, dropped->replacements);
  return cast<linalg::GenericOp>(dropped->resultOp.getOperation());
}

/// `op`, whose body is a multiply-add of its two inputs, with the inputs in
/// the other order. The body's arguments are renumbered with them, so the
/// product's operands swap too (vectorization takes the contraction's
/// operand order from the product's); f32/f64 multiplication commutes.
linalg::GenericOp swapInputs(RewriterBase &rewriter, linalg::GenericOp op) {
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  std::swap(maps[0], maps[1]);
  Value lhs = op.getDpsInputs()[0], rhs = op.getDpsInputs()[1];
  Block *body = op.getBlock();
  // No insertion guard: the old insertion point may be `op`, which goes.
  rewriter.setInsertionPoint(op);
  auto swapped = linalg::GenericOp::create(
      rewriter, op.getLoc(), op.getResultTypes(), ValueRange{rhs, lhs},
      op.getDpsInits(), maps, op.getIteratorTypesArray(),
      [&](OpBuilder &b, Location, ValueRange args) {
        IRMapping mapping;
        for (unsigned i = 0; i < body->getNumArguments(); ++i)
          mapping.map(body->getArgument(i), args[i]);
        for (Operation &inner : *body)
          b.clone(inner, mapping);
      });
  rewriter.replaceOp(op, swapped.getResults());
  rewriter.setInsertionPoint(swapped);
  return swapped;
}

/// im2col for any contraction-bodied linalg.generic with one operand read
/// through a window (a map that is not a projected permutation, e.g. a
/// convolution's x[o * s + k * d], as in mx-to-linalg's backward_weight and
/// grouped convolutions): that operand is copied once into a tensor indexed
/// by the loops it depends on, ordered reduction loops first and output
/// loops last, so that the op becomes a plain contraction. Then runs of
/// loops that stay adjacent in every operand are merged (C x KH x KW, OH x
/// OW), which makes it a matrix product that matmulDims accepts.
/// The input of a contraction-bodied generic that is read through a window
/// (see materializeWindowOperand), if it is one.
std::optional<unsigned> windowOperand(linalg::GenericOp op,
                                      bool dynamicSamples = false) {
  if (op.getNumDpsInputs() != 2 || op.getNumDpsInits() != 1 ||
      !op.hasPureTensorSemantics() ||
      !(dynamicSamples ? hasStaticSamples(op) : hasStaticShapes(op)))
    return std::nullopt;
  Type element = getElementTypeOrSelf(op.getDpsInits()[0]);
  if (!element.isF32() && !element.isF64())
    return std::nullopt;
  auto mulAdd = [](Operation *first, Operation *second) {
    return isa<arith::MulFOp>(first) && isa<arith::AddFOp>(second);
  };
  if (!linalg::detail::isContractionBody(*op.getBlock(), mulAdd))
    return std::nullopt;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[0].isProjectedPermutation() == maps[1].isProjectedPermutation() ||
      !maps[2].isProjectedPermutation())
    return std::nullopt;
  return maps[0].isProjectedPermutation() ? 1 : 0;
}

/// Puts a windowed contraction inside an scf.for over the window operand's
/// leading axis (NCHW: the batch), one sample per iteration, so that its
/// im2col copy and matrix product are sample-sized. A batch axis the output
/// has (forward, backward_data) becomes a loop marked `mxjit.parallel` that
/// inserts each sample's slice; one that is reduced (backward_weight)
/// becomes a sequential loop accumulating into the whole output in sample
/// order. A `?` batch (shape-generic functions) becomes the loop's dynamic
/// trip count around static per-sample code, which the passes below tile
/// and vectorize as in a static function. Returns the op in the loop, or
/// `op` itself where it does not apply.
linalg::GenericOp loopOverSamples(RewriterBase &rewriter,
                                  linalg::GenericOp op) {
  std::optional<unsigned> window = windowOperand(op, /*dynamicSamples=*/true);
  if (!window)
    return op;
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  if (maps[*window].getNumResults() == 0)
    return op;
  auto batchExpr = dyn_cast<AffineDimExpr>(maps[*window].getResult(0));
  if (!batchExpr)
    return op;
  unsigned batch = batchExpr.getPosition();
  int64_t extent = op.getStaticLoopRanges()[batch];
  if (!ShapedType::isDynamic(extent) && extent <= 1)
    return op;
  // Where each operand has the batch as a plain axis; used in any other way
  // it cannot be sliced.
  SmallVector<std::optional<unsigned>> at;
  for (AffineMap map : maps) {
    std::optional<unsigned> pos;
    for (auto [i, e] : llvm::enumerate(map.getResults())) {
      auto dim = dyn_cast<AffineDimExpr>(e);
      if (dim && dim.getPosition() == batch) {
        if (pos)
          return op;
        pos = i;
      } else if (e.isFunctionOfDim(batch)) {
        return op;
      }
    }
    at.push_back(pos);
  }
  // A `?` axis must be the batch, or the per-sample op is not static.
  for (auto [operand, pos] : llvm::zip(op->getOperands(), at)) {
    auto type = cast<RankedTensorType>(operand.getType());
    if (!type.hasStaticShape() && pos != 0u)
      return op;
  }
  bool parallel = at[2].has_value();
  if (parallel !=
      (op.getIteratorTypesArray()[batch] == utils::IteratorType::parallel))
    return op;

  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value lb = arith::ConstantIndexOp::create(rewriter, loc, 0);
  Value ub = ShapedType::isDynamic(extent)
                 ? Value(tensor::DimOp::create(rewriter, loc,
                                               op.getDpsInputs()[*window], 0))
                 : Value(arith::ConstantIndexOp::create(rewriter, loc, extent));
  Value step = arith::ConstantIndexOp::create(rewriter, loc, 1);
  Operation *inner = nullptr;
  auto loop = scf::ForOp::create(
      rewriter, loc, lb, ub, step, ValueRange{op.getDpsInits()[0]},
      [&](OpBuilder &b, Location l, Value sample, ValueRange args) {
        auto sliceParams = [&](Value v, unsigned pos) {
          auto type = cast<RankedTensorType>(v.getType());
          SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
          // Only the batch axis, sliced to 1 below, may be `?`.
          SmallVector<OpFoldResult> sizes;
          for (int64_t d : type.getShape())
            sizes.push_back(b.getIndexAttr(ShapedType::isDynamic(d) ? 1 : d));
          SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
          offsets[pos] = sample;
          sizes[pos] = b.getIndexAttr(1);
          return std::make_tuple(offsets, sizes, strides);
        };
        auto slice = [&](Value v, unsigned pos) -> Value {
          auto [offsets, sizes, strides] = sliceParams(v, pos);
          return tensor::ExtractSliceOp::create(b, l, v, offsets, sizes,
                                                strides);
        };
        SmallVector<Value> operands;
        for (unsigned i = 0; i < 2; ++i) {
          Value input = op.getDpsInputs()[i];
          operands.push_back(at[i] ? slice(input, *at[i]) : input);
        }
        Value acc = args[0];
        operands.push_back(parallel ? slice(acc, *at[2]) : acc);
        inner = b.clone(*op);
        inner->setOperands(operands);
        inner->getResult(0).setType(operands[2].getType());
        Value result = inner->getResult(0);
        if (parallel) {
          auto [offsets, sizes, strides] = sliceParams(acc, *at[2]);
          result = tensor::InsertSliceOp::create(b, l, result, acc, offsets,
                                                 sizes, strides);
        }
        scf::YieldOp::create(b, l, result);
      });
  if (parallel)
    loop->setAttr("mxjit.parallel", rewriter.getUnitAttr());
  rewriter.replaceOp(op, loop.getResults());
  return cast<linalg::GenericOp>(inner);
}

void materializeWindowOperand(RewriterBase &rewriter, linalg::GenericOp op) {
  std::optional<unsigned> windowIndex = windowOperand(op);
  if (!windowIndex)
    return;
  Type element = getElementTypeOrSelf(op.getDpsInits()[0]);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  unsigned window = *windowIndex;
  AffineMap windowMap = maps[window];
  unsigned loops = op.getNumLoops();
  auto positions = [](AffineMap map) {
    SmallVector<unsigned> dims;
    for (AffineExpr e : map.getResults())
      dims.push_back(cast<AffineDimExpr>(e).getPosition());
    return dims;
  };
  SmallVector<unsigned> outDims = positions(maps[2]);
  SmallVector<unsigned> otherDims = positions(maps[1 - window]);
  SmallVector<unsigned> order;
  auto take = [&](unsigned d, bool output) {
    if (windowMap.isFunctionOfDim(d) &&
        llvm::is_contained(outDims, d) == output &&
        !llvm::is_contained(order, d))
      order.push_back(d);
  };
  // Output axes that the other operand does not read and that come before
  // one it does (a forward convolution's batch axis, before the filters)
  // stay outermost: each batch element's copy is then one contiguous
  // k x n matrix, as upstream im2col lays it out.
  size_t lastShared = 0;
  for (auto [i, d] : llvm::enumerate(outDims))
    if (llvm::is_contained(otherDims, d))
      lastShared = i;
  for (size_t i = 0; i < lastShared; ++i)
    if (!llvm::is_contained(otherDims, outDims[i]))
      take(outDims[i], true);
  for (unsigned d : otherDims)
    take(d, false);
  for (unsigned d = 0; d < loops; ++d)
    take(d, false);
  for (unsigned d : outDims)
    take(d, true);

  MLIRContext *ctx = op.getContext();
  SmallVector<int64_t> bounds = op.getStaticLoopRanges();
  SmallVector<AffineExpr> toGathered(loops, getAffineConstantExpr(0, ctx));
  SmallVector<AffineExpr> gatheredExprs;
  SmallVector<int64_t> shape;
  for (auto [i, d] : llvm::enumerate(order)) {
    toGathered[d] = getAffineDimExpr(i, ctx);
    gatheredExprs.push_back(getAffineDimExpr(d, ctx));
    shape.push_back(bounds[d]);
  }
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(op);
  Location loc = op.getLoc();
  Value empty = tensor::EmptyOp::create(rewriter, loc, shape, element);
  SmallVector<utils::IteratorType> parallel(order.size(),
                                            utils::IteratorType::parallel);
  Value gathered =
      linalg::GenericOp::create(
          rewriter, loc, TypeRange{empty.getType()},
          ValueRange{op.getDpsInputs()[window]}, ValueRange{empty},
          ArrayRef<AffineMap>{
              windowMap.replaceDimsAndSymbols(toGathered, {}, order.size(), 0),
              rewriter.getMultiDimIdentityMap(order.size())},
          parallel,
          [](OpBuilder &b, Location l, ValueRange args) {
            linalg::YieldOp::create(b, l, args[0]);
          })
          .getResult(0);
  maps[window] = AffineMap::get(loops, 0, gatheredExprs, ctx);
  rewriter.modifyOpInPlace(op, [&] {
    op.getDpsInputOperand(window)->set(gathered);
    op.setIndexingMapsAttr(rewriter.getAffineMapArrayAttr(maps));
  });

  // The other operand with its reduction axes last, in the gathered
  // operand's order, so that all of them can merge into one long k loop
  // (for backward_weight: the batch and the output pixels).
  SmallVector<int64_t> perm;
  for (auto [i, d] : llvm::enumerate(otherDims))
    if (llvm::is_contained(outDims, d) || !llvm::is_contained(order, d))
      perm.push_back(i);
  for (unsigned d : order)
    if (const auto *it = llvm::find(otherDims, d);
        it != otherDims.end() && !llvm::is_contained(outDims, d))
      perm.push_back(it - otherDims.begin());
  if (!llvm::equal(perm, llvm::seq<int64_t>(0, perm.size()))) {
    readTransposed(rewriter, op, op.getDpsInputOperand(1 - window), perm);
    maps = op.getIndexingMapsArray();
  }

  // The contraction lowering below wants the operand read along m (the
  // other one: a convolution's filter) first.
  if (window == 0) {
    op = swapInputs(rewriter, op);
    maps = op.getIndexingMapsArray();
  }

  // Merge maximal runs of consecutive loops of one kind that every operand
  // reads as adjacent axes in the same order.
  SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
  SmallVector<ReassociationIndices> runs;
  for (unsigned start = 0; start < loops;) {
    ReassociationIndices run = {int64_t(start)};
    while (run.back() + 1 < loops &&
           iterators[run.back() + 1] == iterators[start]) {
      ReassociationIndices longer = run;
      longer.push_back(run.back() + 1);
      if (!linalg::areDimSequencesPreserved(maps, {longer}))
        break;
      run = std::move(longer);
    }
    start = run.back() + 1;
    if (run.size() > 1)
      runs.push_back(std::move(run));
  }
  linalg::GenericOp merged = op;
  if (!runs.empty()) {
    FailureOr<linalg::CollapseResult> collapsed =
        linalg::collapseOpIterationDims(op, runs, rewriter);
    if (failed(collapsed))
      return;
    rewriter.replaceOp(op, collapsed->results);
    merged = cast<linalg::GenericOp>(collapsed->collapsedOp.getOperation());
  }
  // Loops of extent 1 (one channel group) go too, so that the op is a plain
  // (m, n, k) product.
  dropUnitLoops(rewriter, merged);
}

/// Carries every row of each n-D vector that `loop` carries as its own
/// loop-carried value. After the accumulator block has been hoisted out of
/// the k loop as one vector<MR x NR> and the contraction lowered to row
/// FMAs, the body only reads rows (vector.extract) and yields rows inserted
/// back; carried as an aggregate, LLVM would see an array phi, carried row
/// by row, each row is one SIMD register value. (Hoisting row by row
/// instead proves the rows disjoint with Presburger arithmetic, which made
/// the whole pass five times slower.)
void splitCarriedRows(RewriterBase &rewriter, scf::ForOp loop) {
  // Rows of an n-D vector: one per position of its leading n - 1 axes.
  auto rowsOf = [](Value v) -> int64_t {
    auto type = dyn_cast<VectorType>(v.getType());
    if (!type || type.getRank() < 2 || type.isScalable())
      return 0;
    return type.getNumElements() / type.getShape().back();
  };
  auto position = [](Value v, int64_t row) {
    ArrayRef<int64_t> shape = cast<VectorType>(v.getType()).getShape();
    SmallVector<int64_t> pos(shape.size() - 1);
    for (int64_t i = pos.size() - 1; i >= 0; --i) {
      pos[i] = row % shape[i];
      row /= shape[i];
    }
    return pos;
  };
  auto rowRead = [](Operation *user) -> std::optional<int64_t> {
    auto extract = dyn_cast<vector::ExtractOp>(user);
    if (!extract || !extract.getDynamicPosition().empty() ||
        extract.getNumIndices() + 1 != extract.getSourceVectorType().getRank())
      return std::nullopt;
    ArrayRef<int64_t> shape = extract.getSourceVectorType().getShape();
    int64_t row = 0;
    for (auto [p, size] : llvm::zip(extract.getStaticPosition(), shape))
      row = row * size + p;
    return row;
  };
  SmallVector<int64_t> rows; // per iter_arg: rows to split it into, or 0
  bool any = false;
  for (BlockArgument arg : loop.getRegionIterArgs()) {
    int64_t n = rowsOf(arg);
    if (n &&
        !llvm::all_of(arg.getUsers(), [&](Operation *u) { return rowRead(u); }))
      n = 0;
    rows.push_back(n);
    any |= n != 0;
  }
  if (!any)
    return;
  Location loc = loop.getLoc();
  OpBuilder::InsertionGuard guard(rewriter);
  rewriter.setInsertionPoint(loop);
  SmallVector<Value> inits;
  for (auto [init, n] : llvm::zip(loop.getInitArgs(), rows)) {
    if (!n)
      inits.push_back(init);
    for (int64_t r = 0; r < n; ++r)
      inits.push_back(rewriter.createOrFold<vector::ExtractOp>(
          loc, init, position(init, r)));
  }
  auto newLoop =
      scf::ForOp::create(rewriter, loc, loop.getLowerBound(),
                         loop.getUpperBound(), loop.getStep(), inits);
  IRMapping map;
  map.map(loop.getInductionVar(), newLoop.getInductionVar());
  unsigned next = 0;
  SmallVector<ValueRange> rowArgs;
  for (auto [arg, n] : llvm::zip(loop.getRegionIterArgs(), rows)) {
    ValueRange newArgs = newLoop.getRegionIterArgs().slice(next, n ? n : 1);
    next += n ? n : 1;
    rowArgs.push_back(newArgs);
    if (!n)
      map.map(arg, newArgs.front());
  }
  rewriter.setInsertionPointToStart(newLoop.getBody());
  for (Operation &op : loop.getBody()->without_terminator()) {
    if (std::optional<int64_t> row = rowRead(&op)) {
      auto arg = dyn_cast<BlockArgument>(op.getOperand(0));
      if (arg && arg.getOwner() == loop.getBody() && arg.getArgNumber() > 0 &&
          rows[arg.getArgNumber() - 1]) {
        map.map(op.getResult(0), rowArgs[arg.getArgNumber() - 1][*row]);
        continue;
      }
    }
    rewriter.clone(op, map);
  }
  SmallVector<Value> yields;
  auto yield = cast<scf::YieldOp>(loop.getBody()->getTerminator());
  for (auto [value, n] : llvm::zip(yield.getOperands(), rows)) {
    Value mapped = map.lookupOrDefault(value);
    if (!n)
      yields.push_back(mapped);
    for (int64_t r = 0; r < n; ++r)
      yields.push_back(rewriter.createOrFold<vector::ExtractOp>(
          loc, mapped, position(mapped, r)));
  }
  scf::YieldOp::create(rewriter, loc, yields);

  // The old results, rebuilt from the rows for whatever reads them.
  rewriter.setInsertionPointAfter(newLoop);
  SmallVector<Value> results;
  next = 0;
  for (auto [result, n] : llvm::zip(loop.getResults(), rows)) {
    if (!n) {
      results.push_back(newLoop.getResult(next++));
      continue;
    }
    Value whole = ub::PoisonOp::create(rewriter, loc, result.getType());
    for (int64_t r = 0; r < n; ++r)
      whole = vector::InsertOp::create(rewriter, loc, newLoop.getResult(next++),
                                       whole, position(result, r));
    results.push_back(whole);
  }
  rewriter.replaceOp(loop, results);
}

struct MxTileAndVectorizePass
    : mxjit::impl::MxTileAndVectorizeBase<MxTileAndVectorizePass> {
  using MxTileAndVectorizeBase::MxTileAndVectorizeBase;

  LogicalResult initialize(MLIRContext *context) override {
    // Built once per pass instance rather than once per function.
    RewritePatternSet cleanup(context);
    mxjit::populateNestCleanupPatterns(cleanup);
    cleanupPatterns = FrozenRewritePatternSet(std::move(cleanup));

    // A vectorized contraction is broadcasts, a multiply and a
    // multi_reduction; these fold it into one vector.contract. They must run
    // before canonicalization, which turns the reduction over the unit k
    // into a shape_cast that no longer looks like a contraction.
    // The same set as upstream's vectorize_children_and_apply_patterns:
    // broadcasts in transfer permutation maps become vector.broadcast ops,
    // which then fold into the contraction's indexing maps.
    RewritePatternSet contract(context);
    vector::populateVectorTransferPermutationMapLoweringPatterns(contract);
    vector::populateVectorReductionToContractPatterns(contract);
    vector::populateSinkVectorOpsPatterns(contract);
    vector::TransferReadOp::getCanonicalizationPatterns(contract, context);
    vector::TransferWriteOp::getCanonicalizationPatterns(contract, context);
    tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(contract);
    contractPatterns = FrozenRewritePatternSet(std::move(contract));

    RewritePatternSet lowering(context);
    vector::populateVectorContractLoweringPatterns(
        lowering, vector::VectorContractLowering::OuterProduct);
    vector::populateVectorOuterProductLoweringPatterns(lowering);
    vector::populateVectorTransferPermutationMapLoweringPatterns(lowering);
    vector::populateVectorTransposeLoweringPatterns(
        lowering, vector::VectorTransposeLowering::EltWise);
    vector::populateVectorShapeCastLoweringPatterns(lowering);
    vector::TransferReadOp::getCanonicalizationPatterns(lowering, context);
    vector::TransferWriteOp::getCanonicalizationPatterns(lowering, context);
    vector::ExtractOp::getCanonicalizationPatterns(lowering, context);
    vector::InsertOp::getCanonicalizationPatterns(lowering, context);
    // Accumulator blocks become one transfer per row, so that each row can
    // be hoisted out of the k loop on its own.
    populateVectorToSCFConversionPatterns(lowering, VectorTransferToSCFOptions()
                                                        .enableFullUnroll()
                                                        .enableLowerTensors()
                                                        .setTargetRank(1));
    vector::BroadcastOp::getCanonicalizationPatterns(lowering, context);
    lowerPatterns = FrozenRewritePatternSet(std::move(lowering));

    return success();
  }

  void runOnOperation() override {
    if (vectorWidth <= 0)
      return;
    func::FuncOp func = getOperation();
    IRRewriter rewriter(&getContext());

    if (im2col) {
      SmallVector<linalg::Conv2DNchwFchwOp> convs;
      func.walk([&](linalg::Conv2DNchwFchwOp conv) {
        Type element = getElementTypeOrSelf(conv.getDpsInits()[0]);
        if (conv.hasPureTensorSemantics() && hasStaticSamples(conv) &&
            (element.isF32() || element.isF64()))
          convs.push_back(conv);
      });
      // As a generic, the convolution is a contraction that reads its input
      // through a window, which materializeWindowOperand below turns into
      // a copy plus a batched matrix product. Upstream rewriteInIm2Col
      // would do the same with one copy whose indexing divides by the
      // output width (d floordiv OW, d mod OW), which LLVM cannot
      // vectorize; this copy's innermost loop walks input rows.
      for (linalg::Conv2DNchwFchwOp conv : convs) {
        rewriter.setInsertionPoint(conv);
        // A failure leaves the convolution to the scalar loops.
        (void)linalg::generalizeNamedOp(rewriter, conv);
      }
    }

    if (im2col) {
      SmallVector<linalg::GenericOp> windowed;
      func.walk([&](linalg::GenericOp op) { windowed.push_back(op); });
      for (linalg::GenericOp op : windowed)
        materializeWindowOperand(rewriter, loopOverSamples(rewriter, op));
    }

    SmallVector<linalg::LinalgOp> contractions;
    func.walk([&](linalg::LinalgOp op) {
      if (matmulDims(op))
        contractions.push_back(op);
    });
    for (linalg::LinalgOp op : contractions)
      blockAndVectorize(rewriter, op);
    func.walk([&](vector::TransferWriteOp write) {
      padWriteToTensorRank(rewriter, write);
    });
  }

private:
  void blockAndVectorize(RewriterBase &rewriter, linalg::LinalgOp op) {
    if (auto generic = dyn_cast<linalg::GenericOp>(op.getOperation()))
      op = dropUnitLoops(rewriter, generic);
    std::optional<MatmulDims> dims = matmulDims(op);
    if (!dims)
      return;
    MatmulDims d = *dims;
    if (failed(makeRhsRowMajor(rewriter, op, d)))
      return; // a named op with a transposed rhs
    SmallVector<int64_t> bounds = op.getStaticLoopRanges();
    Type element = getElementTypeOrSelf(op.getDpsInitOperand(0)->get());
    int64_t lanes = element.isF64() ? std::max<int64_t>(vectorWidth / 2, 1)
                                    : int64_t(vectorWidth);
    // Narrow outputs use one register per row, narrower ones stay scalar.
    int64_t nr = lanes * registerVectors;
    if (bounds[d.n] < nr)
      nr = lanes;
    if (bounds[d.n] < nr)
      return;
    int64_t mr = std::min<int64_t>(registerRows, bounds[d.m]);

    unsigned loops = bounds.size();
    SmallVector<int64_t> cacheTiles(loops, 1), registerTiles(loops, 0);
    SmallVector<int64_t> order;
    for (unsigned i = 0; i < loops; ++i)
      if (i != d.m && i != d.n && i != d.k)
        order.push_back(i);
    // n, k, m: one k x n block of B is reused across all m tiles, and an
    // m x k block of A across the register columns within it.
    order.append({d.n, d.k, d.m});
    cacheTiles[d.m] = cacheTile(bounds[d.m], cacheTileM, mr);
    cacheTiles[d.n] = cacheTile(bounds[d.n], cacheTileN, nr);
    cacheTiles[d.k] = cacheTile(bounds[d.k], cacheTileK, 1);
    registerTiles[d.m] = mr;
    registerTiles[d.n] = nr;
    registerTiles[d.k] = 1;
    // A cache tile no smaller than the loop is no loop at all.
    for (unsigned i = 0; i < loops; ++i)
      if (cacheTiles[i] >= bounds[i])
        cacheTiles[i] = 0;

    // Tile loops over parallel dimensions get `mxjit.parallel`, which
    // mx-parallelize needs to split scf.for loops after bufferization.
    SmallVector<utils::IteratorType> iterators = op.getIteratorTypesArray();
    auto markParallel = [&](ArrayRef<LoopLikeOpInterface> tileLoops,
                            ArrayRef<int64_t> loopOrder,
                            ArrayRef<int64_t> tiles) {
      SmallVector<int64_t> tiledDims;
      for (int64_t dim : loopOrder)
        if (tiles[dim] != 0)
          tiledDims.push_back(dim);
      if (tiledDims.size() != tileLoops.size())
        return;
      for (auto [loop, dim] : llvm::zip(tileLoops, tiledDims))
        if (iterators[dim] == utils::IteratorType::parallel)
          loop->setAttr("mxjit.parallel", rewriter.getUnitAttr());
    };

    MLIRContext *ctx = &getContext();
    scf::SCFTilingOptions outer;
    outer.setTileSizes(getAsIndexOpFoldResult(ctx, cacheTiles));
    outer.setInterchange(order);
    rewriter.setInsertionPoint(op);
    FailureOr<scf::SCFTilingResult> cache = scf::tileUsingSCF(
        rewriter, cast<TilingInterface>(op.getOperation()), outer);
    // A failure leaves the op (or below, its cache tile) to the scalar
    // loops, which is slow but correct.
    if (failed(cache))
      return;
    markParallel(cache->loops, order, cacheTiles);
    rewriter.replaceOp(op, cache->replacements);
    Operation *root = cache->loops.empty()
                          ? cache->tiledOps.front()
                          : cache->loops.front().getOperation();

    // Registers: n, then m, then k innermost so the accumulator block stays
    // in registers across the whole k loop.
    scf::SCFTilingOptions inner;
    inner.setTileSizes(getAsIndexOpFoldResult(ctx, registerTiles));
    SmallVector<int64_t> innerOrder(order.begin(), order.end() - 3);
    innerOrder.append({d.n, d.m, d.k});
    inner.setInterchange(innerOrder);
    auto tiled = cast<TilingInterface>(cache->tiledOps.front());
    rewriter.setInsertionPoint(tiled);
    FailureOr<scf::SCFTilingResult> reg =
        scf::tileUsingSCF(rewriter, tiled, inner);
    if (failed(reg))
      return;
    markParallel(reg->loops, innerOrder, registerTiles);
    rewriter.replaceOp(tiled, reg->replacements);
    if (cache->loops.empty())
      root = reg->loops.front().getOperation();

    // Peel m (inner) then n, so the main part of both has full, static
    // tiles. Partial tiles whose size is static too (any remainder of a
    // loop with static bounds) are vectorized like full ones, with
    // narrower registers; the others stay linalg ops for the scalar loops.
    // Everything below works on the ops between these two, which stay put:
    // the tiled loops plus the peeled n remainder next to them.
    Block *block = root->getBlock();
    Operation *before = root->getPrevNode();
    Operation *after = root->getNextNode();
    for (int i : {1, 0}) {
      if (reg->loops.size() != 3)
        break;
      auto loop = cast<scf::ForOp>(reg->loops[i].getOperation());
      scf::ForOp partial;
      (void)scf::peelForLoopAndSimplifyBounds(rewriter, loop, partial);
    }
    auto nest = [&] { return mxjit::opsBetween(block, before, after); };
    // Applied to the loops themselves too, so that a one-iteration remainder
    // loop folds away and its tile sizes become constants.
    auto applyToNest = [&](const FrozenRewritePatternSet &patterns) {
      mxjit::applyPatternsBetween(block, before, after, patterns);
    };
    // Folds the now constant tile sizes into static slice and op types.
    // Only inside the nest: the rest of the function is not this op's
    // business, and a whole-function walk per op would be quadratic.
    applyToNest(cleanupPatterns);

    SmallVector<linalg::LinalgOp> full;
    for (Operation *op : nest())
      op->walk([&](linalg::LinalgOp tile) {
        if (hasStaticShapes(tile) && linalg::isaContractionOpInterface(tile))
          full.push_back(tile);
      });
    for (linalg::LinalgOp tile : full) {
      rewriter.setInsertionPoint(tile);
      FailureOr<linalg::VectorizationResult> vectorized =
          linalg::vectorize(rewriter, tile, {}, {}, false, false, false,
                            /*createNamedContraction=*/true);
      if (failed(vectorized))
        continue;
      rewriter.replaceOp(tile, vectorized->replacements);
    }
    applyToNest(contractPatterns);
    applyToNest(cleanupPatterns);

    // The k loops: the innermost scf.for around each vector.contract.
    SmallVector<scf::ForOp> kLoops;
    for (Operation *op : nest())
      op->walk([&](vector::ContractionOp contract) {
        if (auto loop = contract->getParentOfType<scf::ForOp>())
          kLoops.push_back(loop);
      });
    // The accumulator block's read and write are invariant in the k loop.
    // Offsets computed inside the loop must move out first.
    for (scf::ForOp loop : kLoops) {
      moveLoopInvariantCode(cast<LoopLikeOpInterface>(loop.getOperation()));
      hoistLoopInvariantSubsets(rewriter, loop);
    }
    if (!lowerContractions)
      return;
    kLoops.clear();
    for (Operation *op : nest())
      op->walk([&](vector::ContractionOp contract) {
        if (auto loop = contract->getParentOfType<scf::ForOp>())
          kLoops.push_back(loop);
      });
    applyToNest(lowerPatterns);
    for (scf::ForOp loop : kLoops)
      splitCarriedRows(rewriter, loop);
    applyToNest(cleanupPatterns);
    return;
  }

  FrozenRewritePatternSet cleanupPatterns, contractPatterns, lowerPatterns;
};
} // namespace
