//===- NestCleanup.h - canonicalization inside tiled loop nests -*- C++ -*-===//

#ifndef MXJIT_LOWERING_NESTCLEANUP_H
#define MXJIT_LOWERING_NESTCLEANUP_H

#include "mlir/IR/PatternMatch.h"
#include "mlir/Rewrite/FrozenRewritePatternSet.h"

namespace mxjit {

/// The canonicalization patterns of only the dialects tiled and vectorized
/// loop nests contain (affine, arith, linalg, scf, tensor, vector, ub):
/// every greedy run walks the whole set, and the patterns of all registered
/// ops are thousands. Plus the folding of tensor.extract_slice /
/// insert_slice into vector transfers, so that reads and writes become
/// transfers at offsets of the whole tensor (no view rebuilt per
/// iteration) and an accumulator's read and write pair up for hoisting.
void populateNestCleanupPatterns(mlir::RewritePatternSet &patterns);

/// The top-level ops strictly between `before` (null: the start of `block`)
/// and `after`: what a rewrite of the op once between them (a loop nest and
/// its helpers) has become, whatever it was replaced with.
llvm::SmallVector<mlir::Operation *>
opsBetween(mlir::Block *block, mlir::Operation *before, mlir::Operation *after);

/// Applies `patterns` greedily to the ops between `before` and `after` (see
/// opsBetween), everything nested in them and the ops they create: one
/// nest's business only, so that a whole-function walk per nest does not
/// make passes quadratic.
void applyPatternsBetween(mlir::Block *block, mlir::Operation *before,
                          mlir::Operation *after,
                          const mlir::FrozenRewritePatternSet &patterns);

} // namespace mxjit

#endif // MXJIT_LOWERING_NESTCLEANUP_H
