//===- Reference.h - plain C++ reference implementations of mx ops --------===//
//
// Straightforward loops in double precision, written independently of the
// compiler, used to check what the JIT computes for every op.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TEST_RUNTIME_REFERENCE_H
#define MXJIT_TEST_RUNTIME_REFERENCE_H

#include "runtime/DType.h"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace mxjit::ref {

using Shape = std::vector<int64_t>;

struct Tensor {
  Shape shape;
  std::vector<double> v;
  DType dtype = DType::Float32;

  int64_t size() const;
};

int64_t numElements(const Shape &shape);
Shape stridesOf(const Shape &shape);
/// The MLIR type spelling, e.g. "tensor<2x3xf32>".
std::string typeString(const Shape &shape, DType dtype);
std::string typeString(const Tensor &t);

/// Deterministic values in [lo, hi] (integers for integer dtypes), rounded
/// to the dtype so the reference sees exactly what the JIT sees.
Tensor random(Shape shape, DType dtype, double lo, double hi, unsigned seed);
Tensor iota(Shape shape, DType dtype);

Tensor map(const Tensor &a, const std::function<double(double)> &f);
/// NumPy broadcasting; the result shape is computed here, not taken from
/// the compiler.
Tensor zip(const Tensor &a, const Tensor &b,
           const std::function<double(double, double)> &f);

enum class Reduce { Sum, Mean, Max, Min };
/// `axes` must be the reduced axes, sorted, non-negative.
Tensor reduce(const Tensor &a, const std::vector<int64_t> &axes, bool keepdims,
              Reduce kind);

Tensor reshape(const Tensor &a, Shape shape);
Tensor transpose(const Tensor &a, const std::vector<int64_t> &perm);
Tensor reverseAxes(const Tensor &a);
Tensor broadcastTo(const Tensor &a, const Shape &shape);
/// out[i] = a[start + i * step] on each axis.
Tensor strided(const Tensor &a, const std::vector<int64_t> &starts,
               const std::vector<int64_t> &steps, const Shape &sizes);
Tensor concat(const std::vector<Tensor> &inputs, int64_t dim);
/// Contract the last axis of a with the first axis of b.
Tensor dot(const Tensor &a, const Tensor &b);
Tensor batchDot(const Tensor &a, const Tensor &b, bool ta, bool tb);
Tensor fullyConnected(const Tensor &x, const Tensor &w,
                      const std::optional<Tensor> &bias, bool flatten);
Tensor softmax(const Tensor &a, int64_t axis, double temperature, bool log);
Tensor cast(const Tensor &a, DType to);

// Scalar definitions of unary ops that <cmath> lacks (MXNet's meanings).
double softsign(double x); // x / (1 + |x|)
double softrelu(double x); // log(1 + e^x), without overflow
double sign(double x);     // -1, 0 or 1; NaN gives 0
double rcbrt(double x);    // 1 / cbrt(x)
double radians(double x);  // degrees to radians
double degrees(double x);  // radians to degrees

/// MXNet's clip: x > hi gives hi, x < lo gives lo, anything else (NaN too)
/// x. The bounds are first converted to the dtype: rounded to float for
/// f32, truncated toward zero and saturated at the range for integers.
Tensor clip(const Tensor &a, double lo, double hi);
/// `base` with base[starts + i * steps] = value[i] on each axis (value's
/// shape is the slice's).
Tensor sliceAssign(const Tensor &base, const Tensor &value,
                   const std::vector<int64_t> &starts,
                   const std::vector<int64_t> &steps);

/// MXNet's Convolution on NCW/NCHW/NCDHW data; empty stride/dilate/pad
/// mean 1/1/0. Weight (num_filter, C / groups, kernel...).
struct ConvParams {
  Shape kernel, stride, dilate, pad;
  int64_t numGroup = 1;
};
Tensor convolution(const Tensor &x, const Tensor &w,
                   const std::optional<Tensor> &bias, const ConvParams &p);

/// MXNet's Pooling (valid/full convention, count_include_pad for avg).
enum class Pool { Max, Avg, Sum };
struct PoolParams {
  Pool type = Pool::Max;
  Shape kernel, stride, pad;
  bool global = false, full = false, countIncludePad = true;
};
Tensor pooling(const Tensor &x, const PoolParams &p);

} // namespace mxjit::ref

#endif // MXJIT_TEST_RUNTIME_REFERENCE_H
