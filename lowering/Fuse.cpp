//===- Fuse.cpp - the mx-fuse pass ----------------------------------------===//
//
// mx-to-linalg gives every mx op its own linalg.generic, so a chain of n
// elementwise ops would write n - 1 intermediate buffers and stream them
// back from memory. Merging producers into consumers keeps the values in
// registers; the `mx.fused` attribute records what each kernel computes.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mxjit {
#define GEN_PASS_DEF_MXFUSE
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {

constexpr llvm::StringLiteral kFusedAttr = "mx.fused";

/// The mx op a kernel came from, from the name location mx-to-linalg sets
/// ("mx.relu" gives "relu"); empty when unknown.
llvm::StringRef originOf(Location loc) {
  if (auto name = dyn_cast<NameLoc>(loc)) {
    llvm::StringRef text = name.getName().getValue();
    if (text.consume_front("mx."))
      return text;
    return originOf(name.getChildLoc());
  }
  if (auto fused = dyn_cast<FusedLoc>(loc))
    for (Location inner : fused.getLocations())
      if (llvm::StringRef origin = originOf(inner); !origin.empty())
        return origin;
  return {};
}

/// The mx ops `op` computes, in order: its `mx.fused` list, else its own
/// origin.
SmallVector<Attribute> opsOf(Operation *op) {
  if (auto fused = op->getAttrOfType<ArrayAttr>(kFusedAttr))
    return SmallVector<Attribute>(fused.begin(), fused.end());
  llvm::StringRef origin = originOf(op->getLoc());
  return {StringAttr::get(op->getContext(), origin.empty() ? "?" : origin)};
}

/// Whether the body calls math functions that cost far more than a few
/// arithmetic instructions.
bool hasTranscendentals(linalg::GenericOp op) {
  return op.getBody()
      ->walk([](Operation *inner) {
        return isa<math::MathDialect>(inner->getDialect()) &&
                       !isa<math::AbsFOp, math::AbsIOp, math::CopySignOp,
                            math::FmaOp, math::SqrtOp, math::RsqrtOp>(inner)
                   ? WalkResult::interrupt()
                   : WalkResult::advance();
      })
      .wasInterrupted();
}

/// Whether merging recomputes the producer for several consumer iterations:
/// the consumer reads it through a map that drops loop dimensions (a
/// broadcast).
bool recomputes(OpOperand &operand, linalg::GenericOp consumer) {
  AffineMap map = consumer.getMatchingIndexingMap(&operand);
  return map.getNumResults() < consumer.getNumLoops();
}

struct FuseProducerIntoConsumer : OpRewritePattern<linalg::GenericOp> {
  FuseProducerIntoConsumer(MLIRContext *ctx, Pass::Statistic &fusions)
      : OpRewritePattern(ctx), fusions(fusions) {}

  LogicalResult matchAndRewrite(linalg::GenericOp consumer,
                                PatternRewriter &rewriter) const override {
    for (OpOperand &operand : consumer->getOpOperands()) {
      auto producer = operand.get().getDefiningOp<linalg::GenericOp>();
      if (!producer || !linalg::areElementwiseOpsFusable(&operand))
        continue;
      // Another use would keep the producer's buffer alive anyway (or make
      // the merged kernel write it too): nothing is saved.
      if (!producer->hasOneUse())
        continue;
      if (recomputes(operand, consumer) && hasTranscendentals(producer))
        continue;
      SmallVector<Attribute> ops = opsOf(producer);
      llvm::append_range(ops, opsOf(consumer));
      FailureOr<linalg::ElementwiseOpFusionResult> fused =
          linalg::fuseElementwiseOps(rewriter, &operand);
      if (failed(fused))
        continue;
      for (auto [original, replacement] : fused->replacements)
        rewriter.replaceUsesWithIf(original, replacement, [&](OpOperand &use) {
          return use.getOwner() != producer;
        });
      rewriter.eraseOp(consumer);
      rewriter.eraseOp(producer);
      fused->fusedOp->setAttr(kFusedAttr, rewriter.getArrayAttr(ops));
      ++fusions;
      return success();
    }
    return failure();
  }

  Pass::Statistic &fusions;
};

/// Whether to expand `operand`'s consumer so that it reads the collapsed
/// producer directly: only when the two can then be fused (the producer's
/// result is the collapse's only use, both all parallel), as a max pooling
/// backward (an (N, C, OH, KH, OW, KW) generic collapsed to NCHW) and the
/// activation backward that consumes it. Otherwise the collapse would be
/// traded for expansions of every other operand for nothing.
bool expandsIntoFusion(OpOperand *operand) {
  auto consumer = dyn_cast<linalg::GenericOp>(operand->getOwner());
  auto collapse = operand->get().getDefiningOp<tensor::CollapseShapeOp>();
  if (!consumer || !collapse || !collapse->hasOneUse() ||
      consumer.getNumParallelLoops() != consumer.getNumLoops())
    return false;
  auto producer = collapse.getSrc().getDefiningOp<linalg::GenericOp>();
  return producer && producer->hasOneUse() &&
         producer.getNumParallelLoops() == producer.getNumLoops();
}

/// The expansion replaces a kernel by a new one (and a collapse of its
/// result) without the kernel's `mx.fused` list; this carries it over.
struct KeepFusedList : RewriterBase::Listener {
  void notifyOperationReplaced(Operation *op, ValueRange values) override {
    auto ops = op->getAttrOfType<ArrayAttr>(kFusedAttr);
    if (!ops || values.size() != 1)
      return;
    Value v = values.front();
    if (auto collapse = v.getDefiningOp<tensor::CollapseShapeOp>())
      v = collapse.getSrc();
    if (auto generic = v.getDefiningOp<linalg::GenericOp>();
        generic && !generic->hasAttr(kFusedAttr))
      generic->setAttr(kFusedAttr, ops);
  }
};

struct MxFusePass : mxjit::impl::MxFuseBase<MxFusePass> {
  using MxFuseBase::MxFuseBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    auto countKernels = [&] {
      unsigned n = 0;
      func.walk([&](linalg::LinalgOp) { ++n; });
      return n;
    };
    int64_t before = countKernels();
    RewritePatternSet patterns(&getContext());
    patterns.add<FuseProducerIntoConsumer>(&getContext(), fusions);
    linalg::populateFoldReshapeOpsByExpansionPatterns(patterns,
                                                      expandsIntoFusion);
    // The expansion reshapes the consumer's tensor.empty init, which CSE
    // shares with other kernels of that shape; a reshaped empty becomes an
    // empty of its own, so that bufferization gives the expanded kernel a
    // fresh buffer instead of reusing (and keeping alive from the start)
    // the dead buffer of a kernel that ran long before.
    tensor::populateFoldTensorEmptyPatterns(patterns);
    KeepFusedList keepFusedList;
    if (failed(applyPatternsGreedily(
            func, std::move(patterns),
            GreedyRewriteConfig().setListener(&keepFusedList))))
      return signalPassFailure();
    int64_t after = countKernels();
    kernelsBefore += before;
    kernelsAfter += after;
    // Release builds of LLVM (Debian's) compile statistics out, so the
    // counts can also be asked for as remarks.
    if (reportKernels)
      func.emitRemark() << "mx-fuse: " << before << " kernels before, " << after
                        << " after";
  }
};

} // namespace
