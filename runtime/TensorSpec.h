//===- TensorSpec.h - static shape and dtype of a tensor --------*- C++ -*-===//
//
// What the runtime knows about a tensor argument: its static shape and
// element type. Part of every compile-cache key, so hashing is stable
// across processes (xxh3 of the shape and dtype, no per-process seed).
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_TENSORSPEC_H
#define MXJIT_RUNTIME_TENSORSPEC_H

#include "runtime/DType.h"

#include "llvm/ADT/ArrayRef.h"

#include <climits>
#include <cstdint>
#include <functional>
#include <iosfwd>
#include <string>
#include <vector>

namespace mlir {
class MLIRContext;
class RankedTensorType;
class Type;
} // namespace mlir

namespace mxjit {

struct TensorSpec {
  std::vector<int64_t> shape;
  DType dtype = DType::Float32;

  TensorSpec() = default;
  TensorSpec(std::vector<int64_t> shape, DType dtype)
      : shape(std::move(shape)), dtype(dtype) {}

  /// A `?` dimension of a shape-generic signature (as in MLIR's kDynamic).
  static constexpr int64_t kDynamicDim = INT64_MIN;

  int64_t rank() const { return static_cast<int64_t>(shape.size()); }
  /// Whether some dimension is kDynamicDim.
  bool isDynamic() const;
  /// This spec with every kDynamicDim replaced by `size` (the batch size of
  /// a shape-generic function, whose `?` dimensions all stand for it).
  TensorSpec withDynamicDims(int64_t size) const;
  /// Product of the dimensions (1 for a rank-0 tensor).
  int64_t numElements() const;
  std::size_t byteSize() const {
    return static_cast<std::size_t>(numElements()) * dtypeSize(dtype);
  }

  /// MXNet's spelling: "(2,3) float32", "(5,) int64", "() float64".
  std::string str() const;

  /// Stable across processes and builds.
  uint64_t hash() const;

  /// The spec of a static ranked tensor type with an mx element type; throws
  /// mxjit::Error naming `what` (e.g. "argument 1 of @f") otherwise. With
  /// `allowDynamic`, `?` dimensions are accepted and kept as kDynamicDim.
  static TensorSpec fromType(mlir::Type type, llvm::StringRef what,
                             bool allowDynamic = false);
  /// `tensor<2x3xf32>` for "(2,3) float32".
  mlir::RankedTensorType toTensorType(mlir::MLIRContext &context) const;

  friend bool operator==(const TensorSpec &a, const TensorSpec &b) {
    return a.dtype == b.dtype && a.shape == b.shape;
  }
  friend bool operator!=(const TensorSpec &a, const TensorSpec &b) {
    return !(a == b);
  }
};

std::ostream &operator<<(std::ostream &os, const TensorSpec &spec);

/// A shape as TensorSpec::str() writes it: "(2,3)", "(5,)", "()".
std::string formatShape(llvm::ArrayRef<int64_t> shape);

} // namespace mxjit

template <> struct std::hash<mxjit::TensorSpec> {
  std::size_t operator()(const mxjit::TensorSpec &spec) const {
    return static_cast<std::size_t>(spec.hash());
  }
};

#endif // MXJIT_RUNTIME_TENSORSPEC_H
