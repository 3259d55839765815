//===- MxToLinalg.cpp - the mx-to-linalg pass -----------------------------===//

#include "lowering/Passes.h"
#include "lowering/patterns/Patterns.h"

#include "ir/MxDialect.h"
#include "ir/MxOps.h"

#include "mlir/Interfaces/FunctionInterfaces.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mxjit {
#define GEN_PASS_DEF_MXTOLINALG
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;
using namespace mxjit;

namespace {
bool hasStaticShapes(Operation *op) {
  auto isStatic = [](Type t) {
    auto shaped = dyn_cast<ShapedType>(t);
    return !shaped || shaped.hasStaticShape();
  };
  return llvm::all_of(op->getOperandTypes(), isStatic) &&
         llvm::all_of(op->getResultTypes(), isStatic);
}

/// Ops whose patterns lower `?` (batch-sized) dimensions. Convolution and
/// pooling only window the spatial axes, which stay static; batch_norm
/// decomposes into mx reductions and elementwise ops; dropout's mask index
/// needs no stride for the leading axis. The others (slice, concat along
/// the batch, ...) still compute offset arithmetic from static sizes.
bool lowersBatchDims(Operation *op) {
  // Unary, scalar and cast ops.
  if (op->hasTrait<OpTrait::Elementwise>())
    return true;
  // Concatenating along a static axis copies the `?` ones whole.
  if (auto concat = dyn_cast<mx::ConcatOp>(op)) {
    RankedTensorType type = concat.getType();
    int64_t dim = concat.getDim();
    if (dim < 0)
      dim += type.getRank();
    return dim >= 0 && dim < type.getRank() && !type.isDynamicDim(dim);
  }
  return isa<
      mx::AddOp, mx::SubtractOp, mx::MultiplyOp, mx::DivideOp, mx::PowerOp,
      mx::MaximumOp, mx::MinimumOp, mx::EqualOp, mx::NotEqualOp, mx::GreaterOp,
      mx::GreaterEqualOp, mx::LesserOp, mx::LesserEqualOp, mx::ClipOp,
      mx::StopGradientOp, mx::SumOp, mx::MeanOp, mx::MaxOp, mx::MinOp,
      mx::SoftmaxOp, mx::LogSoftmaxOp, mx::ReshapeOp, mx::ExpandDimsOp,
      mx::TransposeOp, mx::BroadcastToOp, mx::DotOp, mx::BatchDotOp,
      mx::FullyConnectedOp, mx::SoftmaxOutputOp, mx::LinearRegressionOutputOp,
      mx::LogisticRegressionOutputOp, mx::MAERegressionOutputOp,
      mx::ConvolutionOp, mx::ConvolutionBackwardDataOp,
      mx::ConvolutionBackwardWeightOp, mx::PoolingOp, mx::PoolingBackwardOp,
      mx::PoolingMaxGatherOp, mx::BatchNormOp, mx::DropoutOp>(op);
}

/// Whether `op` lies in a function with a `?` argument dimension, which
/// every `?` of the function then stands for (lowering::batchSize()).
bool hasBatchArgument(Operation *op) {
  auto f = op->getParentOfType<FunctionOpInterface>();
  return f && llvm::any_of(f.getArgumentTypes(), [](Type t) {
           auto shaped = dyn_cast<ShapedType>(t);
           return shaped && !shaped.hasStaticShape();
         });
}

struct MxToLinalgPass : mxjit::impl::MxToLinalgBase<MxToLinalgPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    // Report every dynamically shaped op (not only the first) before trying.
    bool dynamic = false;
    module.walk([&](Operation *op) {
      if (!isa_and_nonnull<mx::MxDialect>(op->getDialect()) ||
          hasStaticShapes(op))
        return;
      if (!lowersBatchDims(op)) {
        op->emitOpError("has dynamic shapes, which mx-to-linalg lowers only "
                        "for elementwise, reduction, softmax, reshape, "
                        "transpose, dot, convolution, pooling, batch_norm, "
                        "dropout, concat (of static axes) and output ops; "
                        "specialise the shapes first");
        dynamic = true;
      } else if (!hasBatchArgument(op)) {
        op->emitOpError("has dynamic shapes, but its function has no `?` "
                        "argument dimension (the batch size every `?` "
                        "stands for)");
        dynamic = true;
      }
    });
    if (dynamic)
      return signalPassFailure();
    // The ops a pattern creates take its root's location; naming it after
    // the mx op lets later passes (mx-fuse's `mx.fused`) say which mx op a
    // kernel computes. Diagnostics still point at the original location.
    module.walk([&](Operation *op) {
      if (!isa_and_nonnull<mx::MxDialect>(op->getDialect()))
        return;
      op->setLoc(NameLoc::get(
          StringAttr::get(&getContext(), op->getName().getStringRef()),
          op->getLoc()));
    });

    RewritePatternSet patterns(&getContext());
    lowering::populateElementwiseToLinalgPatterns(patterns);
    lowering::populateReductionToLinalgPatterns(patterns);
    lowering::populateShapeToTensorPatterns(patterns);
    lowering::populateContractionToLinalgPatterns(patterns);
    lowering::populateConvolutionToLinalgPatterns(patterns);
    lowering::populateNormalizationToLinalgPatterns(patterns);
    lowering::populateRandomToLinalgPatterns(patterns);
    lowering::populateOutputToLinalgPatterns(patterns);

    ConversionTarget target(getContext());
    target.addIllegalDialect<mx::MxDialect>();
    target.markUnknownOpDynamicallyLegal([](Operation *) { return true; });
    if (failed(applyPartialConversion(module, target, std::move(patterns))))
      signalPassFailure();
  }
};
} // namespace
