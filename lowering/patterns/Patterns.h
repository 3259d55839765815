//===- Patterns.h - mx to linalg rewrite patterns ---------------*- C++ -*-===//
//
// Shared helpers for the mx-to-linalg patterns, and one populate function per
// op family. Every pattern assumes static shapes: the pass rejects dynamic
// ones up front with a diagnostic.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_LOWERING_PATTERNS_PATTERNS_H
#define MXJIT_LOWERING_PATTERNS_PATTERNS_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/DialectConversion.h"

namespace mxjit::lowering {

/// Scalar computations of elementwise ops; one definition serves every
/// lowering (linalg bodies now, fused kernels later).
enum class UnaryKind {
  Negative,
  Abs,
  Square,
  Relu,
  Exp,
  Log,
  Sqrt,
  Sigmoid,
  Tanh,
  Sin,
  Cos,
  Tan,
  Log2,
  Log10,
  Log1p,
  Expm1,
  Reciprocal,
  Rsqrt,
  Cbrt,
  Rcbrt,
  Sinh,
  Cosh,
  Arcsin,
  Arccos,
  Arctan,
  Arcsinh,
  Arccosh,
  Arctanh,
  Erf,
  Softsign,
  Softrelu,
  Radians,
  Degrees,
  Sign
};
enum class BinaryKind {
  Add,
  Subtract,
  Multiply,
  Divide,
  Power,
  Maximum,
  Minimum,
  Equal,
  NotEqual,
  Greater,
  GreaterEqual,
  Lesser,
  LesserEqual
};

mlir::Value emitUnary(mlir::OpBuilder &b, mlir::Location loc, UnaryKind kind,
                      mlir::Value x);
mlir::Value emitBinary(mlir::OpBuilder &b, mlir::Location loc, BinaryKind kind,
                       mlir::Value lhs, mlir::Value rhs);
/// MXNet's clip: `x > hi` gives hi, `x < lo` gives lo, anything else (NaN
/// included) x. For integer `x` the bounds are truncated toward zero and
/// saturated at the type's range.
mlir::Value emitClip(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                     double lo, double hi);
/// Converts between any two of f32/f64/i32/i64 (integers are signed).
mlir::Value emitConvert(mlir::OpBuilder &b, mlir::Location loc, mlir::Value x,
                        mlir::Type to);
/// A scalar constant of `type` (integers truncate toward zero).
mlir::Value emitScalarConstant(mlir::OpBuilder &b, mlir::Location loc,
                               mlir::Type type, double value);

/// The indexing map that reads a tensor of `inShape` broadcast NumPy-style
/// into an iteration space of `outShape`.
mlir::AffineMap broadcastMap(mlir::MLIRContext *ctx,
                             llvm::ArrayRef<int64_t> inShape,
                             llvm::ArrayRef<int64_t> outShape);

/// A linalg.generic over `resultType`'s shape whose inputs are broadcast to
/// it; `body` maps the scalar inputs to the scalar result.
mlir::Value buildElementwise(
    mlir::OpBuilder &b, mlir::Location loc, mlir::RankedTensorType resultType,
    mlir::ValueRange inputs,
    llvm::function_ref<mlir::Value(mlir::OpBuilder &, mlir::Location,
                                   mlir::ValueRange)>
        body);

/// The batch size of the function being built into, for shape-generic
/// functions: mx-to-linalg lowers `?` dimensions only under the convention
/// that every `?` of an mx type stands for one batch size (the runtime's
/// shape-generic variants guarantee it), which is the first `?` dimension
/// of the enclosing function's arguments. Creates a tensor.dim at the
/// insertion point; null when the function has no `?` argument.
mlir::Value batchSize(mlir::OpBuilder &b, mlir::Location loc);

/// tensor.empty of `shape`, its `?` dimensions sized batchSize().
mlir::Value buildEmpty(mlir::OpBuilder &b, mlir::Location loc,
                       llvm::ArrayRef<int64_t> shape, mlir::Type element);

/// `shape`'s extent: the product of its static dimensions, and how many `?`
/// (batch-sized) dimensions multiply it.
struct Extent {
  int64_t elements = 1;
  int64_t batchPowers = 0;
};
Extent extentOf(llvm::ArrayRef<int64_t> shape);
inline Extent extentOf(int64_t dim) { return extentOf(llvm::ArrayRef(dim)); }
/// `whole` / `part` as one dimension (static, or `?` when it is exactly the
/// batch size); nullopt when it is neither.
std::optional<int64_t> quotientDim(Extent whole, Extent part);

/// tensor.empty of `type` filled with `value`.
mlir::Value buildFilled(mlir::OpBuilder &b, mlir::Location loc,
                        mlir::RankedTensorType type, double value);

/// Reshapes a tensor to `type` by collapsing to 1-D and expanding (`?`
/// dimensions of `type` are batchSize()).
mlir::Value buildReshape(mlir::OpBuilder &b, mlir::Location loc,
                         mlir::Value input, mlir::RankedTensorType type);

/// linalg.transpose of `input` by `perm`.
mlir::Value buildTranspose(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value input, llvm::ArrayRef<int64_t> perm);

void populateElementwiseToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateReductionToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateShapeToTensorPatterns(mlir::RewritePatternSet &patterns);
void populateContractionToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateConvolutionToLinalgPatterns(mlir::RewritePatternSet &patterns);
/// batch_norm (decomposed into mx ops), dropout (a hashed mask) and the
/// loss-output layers (their forward values as mx ops).
void populateNormalizationToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateRandomToLinalgPatterns(mlir::RewritePatternSet &patterns);
void populateOutputToLinalgPatterns(mlir::RewritePatternSet &patterns);

} // namespace mxjit::lowering

#endif // MXJIT_LOWERING_PATTERNS_PATTERNS_H
