//===- ShapeInference.h - MXNet shape rules ---------------------*- C++ -*-===//
//
// The shape rules of every mx op as plain functions, shared by the dialect's
// type inference and the frontends (NDArray, Symbol, JSON import), so an op's
// shape rule is written once. Each returns std::nullopt and sets `error` to a
// message naming the offending shape or attribute when no shape exists.
// Dynamic dimensions (ShapedType::kDynamic) propagate conservatively.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_IR_SHAPEINFERENCE_H
#define MXJIT_IR_SHAPEINFERENCE_H

#include "llvm/ADT/ArrayRef.h"
#include "llvm/ADT/SmallVector.h"

#include <cstdint>
#include <optional>
#include <string>

namespace mxjit::shape {

using Shape = llvm::SmallVector<int64_t, 4>;
using MaybeShape = std::optional<Shape>;

/// Formats a shape the way MXNet prints it: "(2,3)"; "?" marks a dynamic dim.
std::string format(llvm::ArrayRef<int64_t> shape);

/// Product of the dimensions (1 for rank 0); kDynamic if any is dynamic.
int64_t numElements(llvm::ArrayRef<int64_t> shape);

MaybeShape broadcast(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs,
                     std::string &error);

/// The reduced axes in [0, rank), sorted and unique.
std::optional<llvm::SmallVector<int64_t>>
reduceAxes(int64_t rank, llvm::ArrayRef<int64_t> axis, bool exclude,
           std::string &error);
MaybeShape reduce(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> axis,
                  bool keepdims, bool exclude, std::string &error);

MaybeShape reshape(llvm::ArrayRef<int64_t> input, llvm::ArrayRef<int64_t> spec,
                   bool reverse, std::string &error);

/// The permutation `axes` stands for (empty means reversed axes).
std::optional<llvm::SmallVector<int64_t>>
permutation(int64_t rank, llvm::ArrayRef<int64_t> axes, std::string &error);
MaybeShape transpose(llvm::ArrayRef<int64_t> input,
                     llvm::ArrayRef<int64_t> axes, std::string &error);

MaybeShape broadcastTo(llvm::ArrayRef<int64_t> input,
                       llvm::ArrayRef<int64_t> target, std::string &error);

MaybeShape expandDims(llvm::ArrayRef<int64_t> input, int64_t axis,
                      std::string &error);

/// A slice resolved against the input shape: per-axis start, step and size.
struct SliceBounds {
  llvm::SmallVector<int64_t> starts, steps;
  Shape sizes;
};
std::optional<SliceBounds> slice(llvm::ArrayRef<int64_t> input,
                                 llvm::ArrayRef<int64_t> begin,
                                 llvm::ArrayRef<int64_t> end,
                                 llvm::ArrayRef<int64_t> step,
                                 std::string &error);

MaybeShape concat(llvm::ArrayRef<llvm::ArrayRef<int64_t>> inputs, int64_t dim,
                  std::string &error);

MaybeShape dot(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs,
               bool transposeA, bool transposeB, std::string &error);
MaybeShape batchDot(llvm::ArrayRef<int64_t> lhs, llvm::ArrayRef<int64_t> rhs,
                    bool transposeA, bool transposeB, std::string &error);

/// `bias` is std::nullopt when the op has no bias.
MaybeShape fullyConnected(llvm::ArrayRef<int64_t> data,
                          llvm::ArrayRef<int64_t> weight,
                          std::optional<llvm::ArrayRef<int64_t>> bias,
                          int64_t numHidden, bool flatten, std::string &error);

/// Normalises an axis in [-rank, rank) to [0, rank).
std::optional<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                     std::string &error);

} // namespace mxjit::shape

#endif // MXJIT_IR_SHAPEINFERENCE_H
