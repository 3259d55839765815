//===- NestCleanup.cpp - canonicalization inside tiled loop nests ---------===//

#include "lowering/NestCleanup.h"

#include "mlir/Dialect/Tensor/Transforms/Transforms.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

void mxjit::populateNestCleanupPatterns(RewritePatternSet &patterns) {
  MLIRContext *context = patterns.getContext();
  llvm::StringRef nestDialects[] = {"affine", "arith",  "linalg", "scf",
                                    "tensor", "vector", "ub"};
  for (llvm::StringRef name : nestDialects)
    if (Dialect *dialect = context->getLoadedDialect(name))
      dialect->getCanonicalizationPatterns(patterns);
  for (RegisteredOperationName op : context->getRegisteredOperations())
    if (llvm::is_contained(nestDialects, op.getDialectNamespace()))
      op.getCanonicalizationPatterns(patterns, context);
  tensor::populateFoldTensorSubsetIntoVectorTransferPatterns(patterns);
}

SmallVector<Operation *> mxjit::opsBetween(Block *block, Operation *before,
                                           Operation *after) {
  SmallVector<Operation *> ops;
  for (auto it = before ? std::next(before->getIterator()) : block->begin();
       &*it != after; ++it)
    ops.push_back(&*it);
  return ops;
}

void mxjit::applyPatternsBetween(Block *block, Operation *before,
                                 Operation *after,
                                 const FrozenRewritePatternSet &patterns) {
  SmallVector<Operation *> ops;
  for (Operation *top : opsBetween(block, before, after))
    top->walk([&](Operation *op) { ops.push_back(op); });
  GreedyRewriteConfig config;
  config.setStrictness(GreedyRewriteStrictness::ExistingAndNewOps);
  (void)applyOpPatternsGreedily(ops, patterns, config);
}
