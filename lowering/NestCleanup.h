//===- NestCleanup.h - canonicalization inside tiled loop nests -*- C++ -*-===//

#ifndef MXJIT_LOWERING_NESTCLEANUP_H
#define MXJIT_LOWERING_NESTCLEANUP_H

#include "mlir/IR/PatternMatch.h"

namespace mxjit {

/// The canonicalization patterns of only the dialects tiled and vectorized
/// loop nests contain (affine, arith, linalg, scf, tensor, vector, ub):
/// every greedy run walks the whole set, and the patterns of all registered
/// ops are thousands. Plus the folding of tensor.extract_slice /
/// insert_slice into vector transfers, so that reads and writes become
/// transfers at offsets of the whole tensor (no view rebuilt per
/// iteration) and an accumulator's read and write pair up for hoisting.
void populateNestCleanupPatterns(mlir::RewritePatternSet &patterns);

} // namespace mxjit

#endif // MXJIT_LOWERING_NESTCLEANUP_H
