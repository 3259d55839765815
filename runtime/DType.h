//===- DType.h - tensor element types ---------------------------*- C++ -*-===//
//
// The element types the mx dialect supports, with MXNet's names. Integers
// are signless in MLIR and read as signed, as in MXNet.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_DTYPE_H
#define MXJIT_RUNTIME_DTYPE_H

#include "llvm/ADT/StringRef.h"

#include <cstddef>
#include <cstdint>
#include <optional>

namespace mlir {
class MLIRContext;
class Type;
} // namespace mlir

namespace mxjit {

enum class DType { Float32, Float64, Int32, Int64 };

/// Bytes per element.
std::size_t dtypeSize(DType dtype);

/// MXNet's name: "float32", "float64", "int32", "int64".
llvm::StringRef dtypeName(DType dtype);

/// The dtype named `name` (MXNet spelling), or std::nullopt.
std::optional<DType> parseDType(llvm::StringRef name);

/// f32, f64, i32 or i64 in `context`.
mlir::Type toMlirType(DType dtype, mlir::MLIRContext &context);

/// The dtype of an MLIR element type, or std::nullopt when mx does not
/// support it (f16, i1, unsigned integers, ...).
std::optional<DType> dtypeFromMlirType(mlir::Type type);

/// The dtype of a C++ element type, e.g. `dtypeOf<float>()`.
template <typename T> constexpr DType dtypeOf() {
  static_assert(sizeof(T) == 0, "no mx dtype for this C++ type");
  return DType::Float32;
}
template <> constexpr DType dtypeOf<float>() { return DType::Float32; }
template <> constexpr DType dtypeOf<double>() { return DType::Float64; }
template <> constexpr DType dtypeOf<int32_t>() { return DType::Int32; }
template <> constexpr DType dtypeOf<int64_t>() { return DType::Int64; }

} // namespace mxjit

#endif // MXJIT_RUNTIME_DTYPE_H
