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

//===----------------------------------------------------------------------===//
// Convolution and pooling (layout NCW / NCHW / NCDHW)
//===----------------------------------------------------------------------===//

/// MXNet's Convolution parameters. Empty stride/dilate/pad mean all 1, all 1
/// and all 0.
struct ConvAttrs {
  llvm::ArrayRef<int64_t> kernel, stride, dilate, pad;
  int64_t numFilter = 0, numGroup = 1;
};

/// The convolution window with every default filled in (one entry per
/// spatial axis).
struct ConvWindow {
  llvm::SmallVector<int64_t> kernel, stride, dilate, pad;
};

/// Validates the attributes against a data shape of rank kernel + 2.
std::optional<ConvWindow> convolutionWindow(llvm::ArrayRef<int64_t> data,
                                            const ConvAttrs &attrs,
                                            std::string &error);
/// The weight shape (num_filter, C / num_group, kernel...) for `data`.
MaybeShape convolutionWeight(llvm::ArrayRef<int64_t> data,
                             const ConvAttrs &attrs, std::string &error);
/// Output (N, num_filter, floor((x + 2p - d (k - 1) - 1) / s) + 1 ...);
/// checks the weight and (when present) the bias shapes.
MaybeShape convolution(llvm::ArrayRef<int64_t> data,
                       llvm::ArrayRef<int64_t> weight,
                       std::optional<llvm::ArrayRef<int64_t>> bias,
                       const ConvAttrs &attrs, std::string &error);

/// MXNet's Pooling parameters (pool_type does not change shapes). Empty
/// stride/pad mean all 1 and all 0; `kernel` is ignored with globalPool.
struct PoolAttrs {
  llvm::ArrayRef<int64_t> kernel, stride, pad;
  bool globalPool = false;
  /// pooling_convention "full" (ceil) rather than "valid" (floor).
  bool fullConvention = false;
};

/// The pooling window with defaults filled in; global pooling gives the
/// whole spatial extent as kernel, stride 1 and pad 0.
struct PoolWindow {
  llvm::SmallVector<int64_t> kernel, stride, pad;
};
std::optional<PoolWindow> poolingWindow(llvm::ArrayRef<int64_t> data,
                                        const PoolAttrs &attrs,
                                        std::string &error);
/// Output (N, C, 1 + floor-or-ceil((x + 2p - k) / s) ...).
MaybeShape pooling(llvm::ArrayRef<int64_t> data, const PoolAttrs &attrs,
                   std::string &error);

//===----------------------------------------------------------------------===//
// Normalization, dropout and output layers
//===----------------------------------------------------------------------===//

/// BatchNorm: the per-channel shape (C,) with C = data[axis] that gamma,
/// beta, the moving statistics and the mean/var results share. Data must
/// have rank >= 2; each parameter shape must be (C,).
MaybeShape batchNorm(llvm::ArrayRef<int64_t> data, int64_t axis,
                     llvm::ArrayRef<int64_t> gamma,
                     llvm::ArrayRef<int64_t> beta,
                     llvm::ArrayRef<int64_t> movingMean,
                     llvm::ArrayRef<int64_t> movingVar, std::string &error);

/// Dropout: the shape of the mask, data's shape with every axis in `axes`
/// (MXNet's axes sharing one mask value) set to 1.
MaybeShape dropoutMask(llvm::ArrayRef<int64_t> data,
                       llvm::ArrayRef<int64_t> axes, std::string &error);

/// How SoftmaxOutput reads data: as (outer, classes, inner) with the softmax
/// over `classes`. Without multi_output inner is 1 and outer is N (the
/// trailing axes flattened into classes, as MXNet does) or, with
/// preserve_shape, the product of all but the last axis. With multi_output
/// data is (N, C, d...) and inner the product of d.... A label with the
/// data's own shape holds probabilities (`probabilityLabel`).
struct SoftmaxOutputLayout {
  int64_t outer = 0, classes = 0, inner = 1;
  bool probabilityLabel = false;
};
std::optional<SoftmaxOutputLayout>
softmaxOutput(llvm::ArrayRef<int64_t> data, llvm::ArrayRef<int64_t> label,
              bool multiOutput, bool preserveShape, std::string &error);
/// The class-label shape SoftmaxOutput expects for `data`: (N, d...) with
/// multi_output, data minus its last axis with preserve_shape or for 2-D
/// data, else (N,).
MaybeShape softmaxOutputLabel(llvm::ArrayRef<int64_t> data, bool multiOutput,
                              bool preserveShape, std::string &error);

/// The regression outputs' label must have the data's shape, or be (N,) for
/// data (N,1) (as MXNet). Returns MXNet's num_output, label.size /
/// label.shape[0].
std::optional<int64_t> regressionOutput(llvm::ArrayRef<int64_t> data,
                                        llvm::ArrayRef<int64_t> label,
                                        std::string &error);

} // namespace mxjit::shape

#endif // MXJIT_IR_SHAPEINFERENCE_H
