//===- DType.cpp - tensor element types -----------------------------------===//

#include "runtime/DType.h"

#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/MLIRContext.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/Support/ErrorHandling.h"

using namespace mxjit;

std::size_t mxjit::dtypeSize(DType dtype) {
  switch (dtype) {
  case DType::Float32:
  case DType::Int32:
    return 4;
  case DType::Float64:
  case DType::Int64:
    return 8;
  }
  llvm_unreachable("unknown DType");
}

llvm::StringRef mxjit::dtypeName(DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return "float32";
  case DType::Float64:
    return "float64";
  case DType::Int32:
    return "int32";
  case DType::Int64:
    return "int64";
  }
  llvm_unreachable("unknown DType");
}

std::optional<DType> mxjit::parseDType(llvm::StringRef name) {
  return llvm::StringSwitch<std::optional<DType>>(name)
      .Case("float32", DType::Float32)
      .Case("float64", DType::Float64)
      .Case("int32", DType::Int32)
      .Case("int64", DType::Int64)
      .Default(std::nullopt);
}

mlir::Type mxjit::toMlirType(DType dtype, mlir::MLIRContext &context) {
  switch (dtype) {
  case DType::Float32:
    return mlir::Float32Type::get(&context);
  case DType::Float64:
    return mlir::Float64Type::get(&context);
  case DType::Int32:
    return mlir::IntegerType::get(&context, 32);
  case DType::Int64:
    return mlir::IntegerType::get(&context, 64);
  }
  llvm_unreachable("unknown DType");
}

std::optional<DType> mxjit::dtypeFromMlirType(mlir::Type type) {
  if (type.isF32())
    return DType::Float32;
  if (type.isF64())
    return DType::Float64;
  if (type.isSignlessInteger(32))
    return DType::Int32;
  if (type.isSignlessInteger(64))
    return DType::Int64;
  return std::nullopt;
}
