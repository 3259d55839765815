//===- Ops.cpp - NDArray functions and operators for every mx op ----------===//

#include "mxjit/ndarray.h"

#include "nd/Engine.h"

#include <limits>

namespace mxjit::nd {

detail::NodePtr detail::inputNode(const NDArray &x) {
  detail::NodePtr node = x.node();
  if (node && x.var()->grad)
    node->variable = x.var();
  return node;
}

using detail::Attrs;
using detail::Engine;
using detail::NodePtr;

namespace {
NDArray invoke(const char *op, llvm::ArrayRef<NDArray> inputs,
               const Attrs &attrs = Attrs(),
               std::optional<TensorSpec> resultType = std::nullopt) {
  // Inline storage: an eager op should not allocate for its operand list.
  llvm::SmallVector<NodePtr, 4> nodes;
  for (const NDArray &x : inputs)
    nodes.push_back(detail::inputNode(x));
  return NDArray(Engine::get().record(op, nodes, attrs.get(), resultType));
}

NDArray scalarOp(const char *op, const NDArray &x, double s) {
  return invoke(op, {x}, Attrs().f64("scalar", s));
}

NDArray reduction(const char *op, const NDArray &x, const Shape &axis,
                  bool keepdims, bool exclude) {
  return invoke(op, {x},
                Attrs()
                    .i64s("axis", axis)
                    .boolean("keepdims", keepdims)
                    .boolean("exclude", exclude));
}

NDArray softmaxLike(const char *op, const NDArray &x, int64_t axis,
                    std::optional<double> temperature) {
  Attrs attrs;
  attrs.i64("axis", axis);
  if (temperature)
    attrs.f64("temperature", *temperature);
  return invoke(op, {x}, attrs);
}
} // namespace

#define MXJIT_ND_UNARY(NAME)                                                   \
  NDArray NAME(const NDArray &x) { return invoke("mx." #NAME, {x}); }
#define MXJIT_ND_BINARY(NAME)                                                  \
  NDArray NAME(const NDArray &lhs, const NDArray &rhs) {                       \
    return invoke("mx." #NAME, {lhs, rhs});                                    \
  }
#include "mxjit/nd_ops.def"

NDArray power(const NDArray &x, double s) {
  return scalarOp("mx.power_scalar", x, s);
}
NDArray power(double s, const NDArray &x) {
  return scalarOp("mx.rpower_scalar", x, s);
}
NDArray maximum(const NDArray &x, double s) {
  return scalarOp("mx.maximum_scalar", x, s);
}
NDArray minimum(const NDArray &x, double s) {
  return scalarOp("mx.minimum_scalar", x, s);
}
NDArray clip(const NDArray &x, double a_min, double a_max) {
  return invoke("mx.clip", {x},
                Attrs().f64("a_min", a_min).f64("a_max", a_max));
}

NDArray sum(const NDArray &x, const Shape &axis, bool keepdims, bool exclude) {
  return reduction("mx.sum", x, axis, keepdims, exclude);
}
NDArray mean(const NDArray &x, const Shape &axis, bool keepdims, bool exclude) {
  return reduction("mx.mean", x, axis, keepdims, exclude);
}
NDArray max(const NDArray &x, const Shape &axis, bool keepdims, bool exclude) {
  return reduction("mx.max", x, axis, keepdims, exclude);
}
NDArray min(const NDArray &x, const Shape &axis, bool keepdims, bool exclude) {
  return reduction("mx.min", x, axis, keepdims, exclude);
}

NDArray reshape(const NDArray &x, const Shape &shape, bool reverse) {
  return invoke("mx.reshape", {x},
                Attrs().i64s("shape", shape).boolean("reverse", reverse));
}
NDArray transpose(const NDArray &x, const Shape &axes) {
  return invoke("mx.transpose", {x}, Attrs().i64s("axes", axes));
}
NDArray broadcast_to(const NDArray &x, const Shape &shape) {
  return invoke("mx.broadcast_to", {x}, Attrs().i64s("shape", shape));
}
NDArray expand_dims(const NDArray &x, int64_t axis) {
  return invoke("mx.expand_dims", {x}, Attrs().i64("axis", axis));
}

NDArray slice(const NDArray &x,
              const std::vector<std::optional<int64_t>> &begin,
              const std::vector<std::optional<int64_t>> &end,
              const std::vector<std::optional<int64_t>> &step) {
  // MXNet's None becomes the value that clamps to the open end for the
  // axis's direction (see mx.slice).
  constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  Shape b, e, s;
  for (size_t i = 0; i < begin.size(); ++i) {
    int64_t st = i < step.size() && step[i] ? *step[i] : 1;
    b.push_back(begin[i] ? *begin[i] : (st > 0 ? kMin : kMax));
    e.push_back(i < end.size() && end[i] ? *end[i] : (st > 0 ? kMax : kMin));
    s.push_back(st);
  }
  if (end.size() != begin.size())
    throw Error("slice: begin has " + std::to_string(begin.size()) +
                " values but end has " + std::to_string(end.size()));
  Attrs attrs;
  attrs.i64s("begin", b).i64s("end", e);
  if (!step.empty())
    attrs.i64s("step", s);
  return invoke("mx.slice", {x}, attrs);
}

NDArray concat(const std::vector<NDArray> &xs, int64_t dim) {
  if (xs.empty())
    throw Error("concat: needs at least one array");
  return invoke("mx.concat", xs, Attrs().i64("dim", dim));
}

NDArray cast(const NDArray &x, DType dtype) {
  return invoke("mx.cast", {x}, Attrs(), TensorSpec(x.shape(), dtype));
}

NDArray dot(const NDArray &lhs, const NDArray &rhs, bool transpose_a,
            bool transpose_b) {
  return invoke("mx.dot", {lhs, rhs},
                Attrs()
                    .boolean("transpose_a", transpose_a)
                    .boolean("transpose_b", transpose_b));
}

NDArray batch_dot(const NDArray &lhs, const NDArray &rhs, bool transpose_a,
                  bool transpose_b) {
  return invoke("mx.batch_dot", {lhs, rhs},
                Attrs()
                    .boolean("transpose_a", transpose_a)
                    .boolean("transpose_b", transpose_b));
}

NDArray fully_connected(const NDArray &data, const NDArray &weight,
                        const NDArray &bias, int64_t num_hidden, bool flatten) {
  std::vector<NDArray> inputs{data, weight};
  if (!bias.empty())
    inputs.push_back(bias);
  return invoke(
      "mx.fully_connected", inputs,
      Attrs().i64("num_hidden", num_hidden).boolean("flatten", flatten));
}

NDArray softmax(const NDArray &x, int64_t axis,
                std::optional<double> temperature) {
  return softmaxLike("mx.softmax", x, axis, temperature);
}
NDArray log_softmax(const NDArray &x, int64_t axis,
                    std::optional<double> temperature) {
  return softmaxLike("mx.log_softmax", x, axis, temperature);
}

NDArray operator-(const NDArray &x) { return negative(x); }

#define MXJIT_ND_OPERATOR(OP, BINARY, SCALAR, RSCALAR)                         \
  NDArray operator OP(const NDArray &lhs, const NDArray &rhs) {                \
    return BINARY(lhs, rhs);                                                   \
  }                                                                            \
  NDArray operator OP(const NDArray &lhs, double rhs) {                        \
    return scalarOp("mx." SCALAR, lhs, rhs);                                   \
  }                                                                            \
  NDArray operator OP(double lhs, const NDArray &rhs) {                        \
    return scalarOp("mx." RSCALAR, rhs, lhs);                                  \
  }
MXJIT_ND_OPERATOR(+, add, "add_scalar", "add_scalar")
MXJIT_ND_OPERATOR(-, subtract, "subtract_scalar", "rsubtract_scalar")
MXJIT_ND_OPERATOR(*, multiply, "multiply_scalar", "multiply_scalar")
MXJIT_ND_OPERATOR(/, divide, "divide_scalar", "rdivide_scalar")
MXJIT_ND_OPERATOR(==, equal, "equal_scalar", "equal_scalar")
MXJIT_ND_OPERATOR(!=, not_equal, "not_equal_scalar", "not_equal_scalar")
MXJIT_ND_OPERATOR(>, greater, "greater_scalar", "lesser_scalar")
MXJIT_ND_OPERATOR(>=, greater_equal, "greater_equal_scalar",
                  "lesser_equal_scalar")
MXJIT_ND_OPERATOR(<, lesser, "lesser_scalar", "greater_scalar")
MXJIT_ND_OPERATOR(<=, lesser_equal, "lesser_equal_scalar",
                  "greater_equal_scalar")
#undef MXJIT_ND_OPERATOR

} // namespace mxjit::nd
