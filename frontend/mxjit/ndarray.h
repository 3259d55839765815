//===- ndarray.h - mxjit::nd, MXNet's NDArray in C++ ------------*- C++ -*-===//
//
// NDArrays are lazy: every op records an mx-dialect op (checked and typed by
// the dialect at once, so errors surface where the call is made), and
// reading a value compiles the pending ops behind it as one function,
// cached by structure and shapes.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_NDARRAY_H
#define MXJIT_NDARRAY_H

#include "mxjit/context.h"
#include "runtime/DType.h"
#include "runtime/Error.h"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

namespace mxjit::nd {

namespace detail {
struct Node;
struct Var;
} // namespace detail

using Shape = std::vector<int64_t>;

/// How backward updates an array's gradient (MXNet's grad_req).
enum class GradReq { Null, Write, Add };

class NDArray {
public:
  /// An empty handle; most operations on it throw mxjit::Error.
  NDArray() = default;
  explicit NDArray(std::shared_ptr<detail::Node> node);
  explicit NDArray(std::shared_ptr<detail::Var> var);

  bool empty() const;
  const Shape &shape() const;
  DType dtype() const;
  Context context() const;
  int64_t ndim() const { return static_cast<int64_t>(shape().size()); }
  /// Number of elements.
  int64_t size() const;

  /// Computes the value now (MXNet's wait_to_read).
  void wait_to_read() const;
  /// The elements in row-major order, converted to T (MXNet's asnumpy).
  template <typename T> std::vector<T> asvector() const;
  /// The only element of a size-1 array.
  template <typename T = double> T asscalar() const;

  /// A new array with the same value (computed eagerly, not shared).
  NDArray copy() const;
  /// Writes this value into `other`, which must have the same shape; its
  /// dtype is kept (the value is cast).
  void copyto(NDArray &other) const;
  NDArray as_in_context(const Context &ctx) const;
  NDArray astype(DType dtype) const;

  NDArray reshape(const Shape &shape, bool reverse = false) const;
  /// Reversed axes.
  NDArray T() const;
  /// The i-th slice along axis 0, without that axis (x[i] in MXNet).
  NDArray operator[](int64_t i) const;
  /// Rows [begin, end) along axis 0 (x[begin:end]).
  NDArray slice(int64_t begin, int64_t end) const;

  NDArray &operator+=(const NDArray &other);
  NDArray &operator-=(const NDArray &other);
  NDArray &operator*=(const NDArray &other);
  NDArray &operator/=(const NDArray &other);
  NDArray &operator+=(double s);
  NDArray &operator-=(double s);
  NDArray &operator*=(double s);
  NDArray &operator/=(double s);

  /// MXNet's printing: the values, then "<NDArray 2x3 @cpu(0)>".
  std::string str() const;

  /// Autograd: makes this array a variable with a zero gradient buffer.
  void attach_grad(GradReq req = GradReq::Write);
  /// The gradient buffer; throws mxjit::Error without attach_grad().
  NDArray grad() const;
  /// The same value, outside any recorded graph.
  NDArray detach() const;
  /// autograd::backward({*this}, {out_grad}, ...).
  void backward(const NDArray &out_grad = NDArray(), bool retain_graph = false,
                bool train_mode = true) const;

  /// The graph node behind the handle (null when empty).
  std::shared_ptr<detail::Node> node() const;
  const std::shared_ptr<detail::Var> &var() const { return var_; }

private:
  const detail::Node &checked(const char *what) const;
  /// Points this array (and every handle sharing it) at `value`'s node, for
  /// in-place ops and copyto, after checking shape and dtype are unchanged.
  NDArray &assign(const NDArray &value, const char *what);

  std::shared_ptr<detail::Var> var_;
};

std::ostream &operator<<(std::ostream &os, const NDArray &a);

//===----------------------------------------------------------------------===//
// Creation
//===----------------------------------------------------------------------===//

/// An array of `shape` from row-major `values` (shape (n,) when omitted),
/// converted to `dtype`.
NDArray array(const std::vector<double> &values, Shape shape = {},
              Context ctx = cpu(), DType dtype = DType::Float32);
NDArray zeros(const Shape &shape, Context ctx = cpu(),
              DType dtype = DType::Float32);
NDArray ones(const Shape &shape, Context ctx = cpu(),
             DType dtype = DType::Float32);
NDArray full(const Shape &shape, double value, Context ctx = cpu(),
             DType dtype = DType::Float32);
/// MXNet's empty: uninitialized in MXNet; zero-filled here.
NDArray empty(const Shape &shape, Context ctx = cpu(),
              DType dtype = DType::Float32);
/// [start, stop) by `step`, as MXNet's arange.
NDArray arange(double start, double stop, double step = 1.0,
               Context ctx = cpu(), DType dtype = DType::Float32);

namespace random {
/// Seeds the generator used by uniform() and normal() (mx.random.seed).
void seed(uint64_t seed);
NDArray uniform(double low, double high, const Shape &shape,
                Context ctx = cpu(), DType dtype = DType::Float32);
NDArray normal(double loc, double scale, const Shape &shape,
               Context ctx = cpu(), DType dtype = DType::Float32);
} // namespace random

//===----------------------------------------------------------------------===//
// Operators (every mx op; NumPy broadcasting for binary ops)
//===----------------------------------------------------------------------===//

// Every unary and broadcasting binary mx op: negative ... sign, and
// stop_gradient (identity forward, no gradient: MXNet's BlockGrad); add ...
// lesser_equal. The list is mxjit/nd_ops.def.
#define MXJIT_ND_UNARY(NAME) NDArray NAME(const NDArray &x);
#define MXJIT_ND_BINARY(NAME)                                                  \
  NDArray NAME(const NDArray &lhs, const NDArray &rhs);
#include "mxjit/nd_ops.def"

NDArray power(const NDArray &x, double s);
NDArray power(double s, const NDArray &x);
NDArray maximum(const NDArray &x, double s);
NDArray minimum(const NDArray &x, double s);
NDArray clip(const NDArray &x, double a_min, double a_max);

/// `axis` empty: every axis. Reducing every axis without keepdims gives
/// shape (1,), as MXNet 1.x.
NDArray sum(const NDArray &x, const Shape &axis = {}, bool keepdims = false,
            bool exclude = false);
NDArray mean(const NDArray &x, const Shape &axis = {}, bool keepdims = false,
             bool exclude = false);
NDArray max(const NDArray &x, const Shape &axis = {}, bool keepdims = false,
            bool exclude = false);
NDArray min(const NDArray &x, const Shape &axis = {}, bool keepdims = false,
            bool exclude = false);

NDArray reshape(const NDArray &x, const Shape &shape, bool reverse = false);
NDArray transpose(const NDArray &x, const Shape &axes = {});
NDArray broadcast_to(const NDArray &x, const Shape &shape);
NDArray expand_dims(const NDArray &x, int64_t axis);
/// MXNet's slice; std::nullopt stands for None.
NDArray slice(const NDArray &x,
              const std::vector<std::optional<int64_t>> &begin,
              const std::vector<std::optional<int64_t>> &end,
              const std::vector<std::optional<int64_t>> &step = {});
NDArray concat(const std::vector<NDArray> &xs, int64_t dim = 1);
NDArray cast(const NDArray &x, DType dtype);
NDArray dot(const NDArray &lhs, const NDArray &rhs, bool transpose_a = false,
            bool transpose_b = false);
NDArray batch_dot(const NDArray &lhs, const NDArray &rhs,
                  bool transpose_a = false, bool transpose_b = false);
/// `bias` may be empty (no_bias).
NDArray fully_connected(const NDArray &data, const NDArray &weight,
                        const NDArray &bias, int64_t num_hidden,
                        bool flatten = true);
NDArray softmax(const NDArray &x, int64_t axis = -1,
                std::optional<double> temperature = std::nullopt);
NDArray log_softmax(const NDArray &x, int64_t axis = -1,
                    std::optional<double> temperature = std::nullopt);

NDArray operator-(const NDArray &x);
#define MXJIT_ND_OPERATOR(OP)                                                  \
  NDArray operator OP(const NDArray &lhs, const NDArray &rhs);                 \
  NDArray operator OP(const NDArray &lhs, double rhs);                         \
  NDArray operator OP(double lhs, const NDArray &rhs);
MXJIT_ND_OPERATOR(+)
MXJIT_ND_OPERATOR(-)
MXJIT_ND_OPERATOR(*)
MXJIT_ND_OPERATOR(/)
MXJIT_ND_OPERATOR(==)
MXJIT_ND_OPERATOR(!=)
MXJIT_ND_OPERATOR(>)
MXJIT_ND_OPERATOR(>=)
MXJIT_ND_OPERATOR(<)
MXJIT_ND_OPERATOR(<=)
#undef MXJIT_ND_OPERATOR

//===----------------------------------------------------------------------===//
// Files (MXNet's binary NDArray format: .params, nd.save / nd.load)
//===----------------------------------------------------------------------===//

/// Writes arrays with their names (MXNet's nd.save of a dict), in key
/// order. float32/float64/int32/int64 are stored as such. Throws
/// mxjit::Error naming the file when it cannot be written.
void save(const std::string &path, const std::map<std::string, NDArray> &data);
/// Writes an unnamed list (nd.save of a list).
void save(const std::string &path, const std::vector<NDArray> &data);
/// Reads a named file (nd.load returning a dict): names are kept as written
/// ("arg:fc1_weight"). Arrays load on the CPU; float16, bfloat16, uint8,
/// int8 and bool arrays are converted to float32. Throws mxjit::Error naming
/// the file for unreadable, truncated or malformed files, sparse arrays and
/// unnamed lists (use load_list).
std::map<std::string, NDArray> load(const std::string &path);
/// Reads the arrays of a named or unnamed file in file order (nd.load
/// returning a list; names are dropped).
std::vector<NDArray> load_list(const std::string &path);

/// Number of compiles and cache hits so far (the runtime cache's stats).
struct CacheInfo {
  uint64_t hits = 0, misses = 0;
  double compileMs = 0;
};
CacheInfo cache_info();

} // namespace mxjit::nd

#endif // MXJIT_NDARRAY_H
