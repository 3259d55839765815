//===- MxConvOps.cpp - convolution and pooling types and verifiers -------===//
//
// Result types come from the shape rules in ShapeInference.cpp (shared with
// the frontends). The backward ops re-run the forward rule so that a
// cotangent of the wrong shape is a verifier error, not a bad lowering.
//
//===----------------------------------------------------------------------===//

#include "ir/MxOps.h"
#include "ir/ShapeInference.h"

using namespace mlir;
using namespace mxjit;
using namespace mxjit::mx;

namespace {
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
Type elementOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

LogicalResult fail(std::optional<Location> loc, StringRef opName,
                   const Twine &message) {
  return emitOptionalError(loc, "'", opName, "' op ", message);
}

LogicalResult push(std::optional<Location> loc, StringRef opName,
                   const shape::MaybeShape &shape, Type element,
                   const std::string &error, SmallVectorImpl<Type> &types) {
  if (!shape)
    return fail(loc, opName, error);
  types.push_back(RankedTensorType::get(*shape, element));
  return success();
}

template <typename Adaptor> shape::ConvAttrs convAttrs(Adaptor a) {
  return {a.getKernel(),
          a.getStride(),
          a.getDilate(),
          a.getPad(),
          static_cast<int64_t>(a.getNumFilter()),
          static_cast<int64_t>(a.getNumGroup())};
}

/// The pooling window attributes, or an error for an unknown convention.
template <typename Adaptor>
std::optional<shape::PoolAttrs> poolAttrs(Adaptor a, std::string &error) {
  StringRef convention = a.getPoolingConvention();
  if (convention != "valid" && convention != "full") {
    error = ("pooling_convention must be \"valid\" or \"full\", got \"" +
             convention + "\"")
                .str();
    return std::nullopt;
  }
  return shape::PoolAttrs{a.getKernel(), a.getStride(), a.getPad(),
                          a.getGlobalPool(), convention == "full"};
}

/// Checks that `grad` has the shape of the forward op's output `expected`.
LogicalResult checkGrad(std::optional<Location> loc, StringRef opName,
                        ArrayRef<int64_t> grad,
                        const shape::MaybeShape &expected,
                        const std::string &error, const char *what) {
  if (!expected)
    return fail(loc, opName, error);
  if (grad.size() != expected->size() ||
      !llvm::all_of(llvm::zip(grad, *expected), [](auto p) {
        auto [g, e] = p;
        return g == e || ShapedType::isDynamic(g) || ShapedType::isDynamic(e);
      }))
    return fail(loc, opName,
                "grad " + shape::format(grad) + " must have the " + what +
                    " output shape " + shape::format(*expected));
  return success();
}

template <typename Op> LogicalResult verifyPoolType(Op op) {
  StringRef type = op.getPoolType();
  if (type != "max" && type != "avg" && type != "sum")
    return op.emitOpError("pool_type must be \"max\", \"avg\" or \"sum\", "
                          "got \"")
           << type << "\"";
  return success();
}
} // namespace

LogicalResult ConvolutionOp::inferReturnTypes(MLIRContext *,
                                              std::optional<Location> loc,
                                              Adaptor adaptor,
                                              SmallVectorImpl<Type> &types) {
  std::string error;
  std::optional<ArrayRef<int64_t>> bias;
  if (Value b = adaptor.getBias())
    bias = shapeOf(b);
  auto shape = shape::convolution(shapeOf(adaptor.getData()),
                                  shapeOf(adaptor.getWeight()), bias,
                                  convAttrs(adaptor), error);
  return push(loc, getOperationName(), shape, elementOf(adaptor.getData()),
              error, types);
}

LogicalResult ConvolutionBackwardDataOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  std::string error;
  ArrayRef<int64_t> data = adaptor.getDataShape();
  if (!llvm::all_of(data, [](int64_t d) { return d >= 0; }))
    return fail(loc, getOperationName(),
                "data_shape " + shape::format(data) +
                    " must have non-negative sizes");
  auto out = shape::convolution(data, shapeOf(adaptor.getWeight()),
                                std::nullopt, convAttrs(adaptor), error);
  ArrayRef<int64_t> grad = shapeOf(adaptor.getGrad());
  if (failed(
          checkGrad(loc, getOperationName(), grad, out, error, "convolution")))
    return failure();
  // A `?` batch of the cotangent is the data's batch (a convolution keeps
  // N): data_shape's leading entry is then the size it was traced at.
  SmallVector<int64_t> result(data);
  if (!grad.empty() && !result.empty() && ShapedType::isDynamic(grad[0]))
    result[0] = ShapedType::kDynamic;
  types.push_back(RankedTensorType::get(result, elementOf(adaptor.getGrad())));
  return success();
}

LogicalResult ConvolutionBackwardWeightOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, Adaptor adaptor,
    SmallVectorImpl<Type> &types) {
  std::string error;
  ArrayRef<int64_t> data = shapeOf(adaptor.getData());
  auto weight = shape::convolutionWeight(data, convAttrs(adaptor), error);
  if (!weight)
    return fail(loc, getOperationName(), error);
  auto out = shape::convolution(data, *weight, std::nullopt, convAttrs(adaptor),
                                error);
  if (failed(checkGrad(loc, getOperationName(), shapeOf(adaptor.getGrad()), out,
                       error, "convolution")))
    return failure();
  types.push_back(RankedTensorType::get(*weight, elementOf(adaptor.getData())));
  return success();
}

LogicalResult PoolingOp::inferReturnTypes(MLIRContext *,
                                          std::optional<Location> loc,
                                          Adaptor adaptor,
                                          SmallVectorImpl<Type> &types) {
  std::string error;
  auto attrs = poolAttrs(adaptor, error);
  if (!attrs)
    return fail(loc, getOperationName(), error);
  auto shape = shape::pooling(shapeOf(adaptor.getData()), *attrs, error);
  return push(loc, getOperationName(), shape, elementOf(adaptor.getData()),
              error, types);
}

LogicalResult PoolingOp::verify() { return verifyPoolType(*this); }

LogicalResult
PoolingBackwardOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                    Adaptor adaptor,
                                    SmallVectorImpl<Type> &types) {
  std::string error;
  auto attrs = poolAttrs(adaptor, error);
  if (!attrs)
    return fail(loc, getOperationName(), error);
  auto out = shape::pooling(shapeOf(adaptor.getData()), *attrs, error);
  if (failed(checkGrad(loc, getOperationName(), shapeOf(adaptor.getGrad()), out,
                       error, "pooling")))
    return failure();
  types.push_back(adaptor.getData().getType());
  return success();
}

LogicalResult PoolingBackwardOp::verify() { return verifyPoolType(*this); }

LogicalResult
PoolingMaxGatherOp::inferReturnTypes(MLIRContext *, std::optional<Location> loc,
                                     Adaptor adaptor,
                                     SmallVectorImpl<Type> &types) {
  std::string error;
  if (adaptor.getValues().getType() != adaptor.getData().getType())
    return fail(loc, getOperationName(),
                "values " + shape::format(shapeOf(adaptor.getValues())) +
                    " must have the type of data " +
                    shape::format(shapeOf(adaptor.getData())));
  auto attrs = poolAttrs(adaptor, error);
  if (!attrs)
    return fail(loc, getOperationName(), error);
  auto shape = shape::pooling(shapeOf(adaptor.getData()), *attrs, error);
  return push(loc, getOperationName(), shape, elementOf(adaptor.getData()),
              error, types);
}
