//===- NestCleanup.cpp - canonicalization inside tiled loop nests ---------===//

#include "lowering/NestCleanup.h"

#include "mlir/Dialect/Tensor/Transforms/Transforms.h"

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
