//===- TensorSpec.cpp - static shape and dtype of a tensor ----------------===//

#include "runtime/TensorSpec.h"

#include "llvm/ADT/SmallVector.h"

#include "runtime/Error.h"

#include "mlir/IR/BuiltinTypes.h"

#include "llvm/Support/raw_ostream.h"
#include "llvm/Support/xxhash.h"

#include <ostream>

using namespace mxjit;

int64_t TensorSpec::numElements() const {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

bool TensorSpec::isDynamic() const {
  for (int64_t d : shape)
    if (d == kDynamicDim)
      return true;
  return false;
}

TensorSpec TensorSpec::withDynamicDims(int64_t size) const {
  TensorSpec s = *this;
  for (int64_t &d : s.shape)
    if (d == kDynamicDim)
      d = size;
  return s;
}

std::string mxjit::formatShape(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << '(';
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == TensorSpec::kDynamicDim)
      os << (i ? "," : "") << '?';
    else
      os << (i ? "," : "") << shape[i];
  // A one-element tuple keeps its trailing comma, as Python prints it.
  if (shape.size() == 1)
    os << ',';
  os << ')';
  return s;
}

std::string TensorSpec::str() const {
  return formatShape(shape) + " " + dtypeName(dtype).str();
}

uint64_t TensorSpec::hash() const {
  // Fixed-width words: the same spec hashes the same on every host of the
  // same endianness, which is all the on-disk cache needs.
  // Inline storage: the eager NDArray engine hashes specs on every op.
  llvm::SmallVector<uint64_t, 8> words;
  words.push_back(static_cast<uint64_t>(dtype));
  words.push_back(shape.size());
  for (int64_t d : shape)
    words.push_back(static_cast<uint64_t>(d));
  return llvm::xxh3_64bits(
      llvm::ArrayRef<uint8_t>(reinterpret_cast<const uint8_t *>(words.data()),
                              words.size() * sizeof(uint64_t)));
}

TensorSpec TensorSpec::fromType(mlir::Type type, llvm::StringRef what,
                                bool allowDynamic) {
  auto describe = [&]() {
    std::string s;
    llvm::raw_string_ostream os(s);
    os << what << " has type " << type;
    return s;
  };
  auto tensor = llvm::dyn_cast<mlir::RankedTensorType>(type);
  if (!tensor)
    throw Error(describe() + ": expected a ranked tensor");
  if (!allowDynamic && !tensor.hasStaticShape())
    throw Error(describe() + ": expected a static shape");
  std::optional<DType> dtype = dtypeFromMlirType(tensor.getElementType());
  if (!dtype)
    throw Error(describe() + ": expected element type f32, f64, i32 or i64");
  std::vector<int64_t> shape(tensor.getShape().begin(),
                             tensor.getShape().end());
  for (int64_t &d : shape)
    if (mlir::ShapedType::isDynamic(d))
      d = kDynamicDim;
  return TensorSpec(std::move(shape), *dtype);
}

mlir::RankedTensorType
TensorSpec::toTensorType(mlir::MLIRContext &context) const {
  std::vector<int64_t> dims = shape;
  for (int64_t &d : dims)
    if (d == kDynamicDim)
      d = mlir::ShapedType::kDynamic;
  return mlir::RankedTensorType::get(dims, toMlirType(dtype, context));
}

std::ostream &mxjit::operator<<(std::ostream &os, const TensorSpec &spec) {
  return os << spec.str();
}
