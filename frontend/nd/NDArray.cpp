//===- NDArray.cpp - the NDArray handle -----------------------------------===//

#include "mxjit/ndarray.h"

#include "nd/Engine.h"

#include "llvm/ADT/DenseSet.h"

#include <cmath>
#include <cstdio>
#include <sstream>

namespace mxjit::nd {

using detail::Engine;
using detail::Node;
using detail::NodePtr;

NDArray::NDArray(std::shared_ptr<Node> node)
    : var_(std::make_shared<detail::Var>()) {
  var_->node = std::move(node);
}

NDArray::NDArray(std::shared_ptr<detail::Var> var) : var_(std::move(var)) {}

bool NDArray::empty() const { return !var_ || !var_->node; }

NodePtr NDArray::node() const { return var_ ? var_->node : nullptr; }

const Node &NDArray::checked(const char *what) const {
  if (empty())
    throw Error(std::string(what) + ": the NDArray is empty");
  return *var_->node;
}

const Shape &NDArray::shape() const { return checked("shape").spec.shape; }
DType NDArray::dtype() const { return checked("dtype").spec.dtype; }
Context NDArray::context() const { return checked("context").context; }
int64_t NDArray::size() const { return checked("size").spec.numElements(); }

void NDArray::wait_to_read() const {
  checked("wait_to_read");
  Engine::get().evaluate(var_->node);
}

namespace {
double elementAsDouble(const HostBuffer &b, int64_t i) {
  switch (b.spec().dtype) {
  case DType::Float32:
    return b.values<float>()[i];
  case DType::Float64:
    return b.values<double>()[i];
  case DType::Int32:
    return b.values<int32_t>()[i];
  case DType::Int64:
    return static_cast<double>(b.values<int64_t>()[i]);
  }
  return 0;
}
} // namespace

template <typename T> std::vector<T> NDArray::asvector() const {
  wait_to_read();
  const HostBuffer &b = *var_->node->value;
  std::vector<T> out(b.numElements());
  // Same-type copies keep int64 values exact.
  if (dtypeOf<T>() == b.spec().dtype) {
    auto values = b.values<T>();
    out.assign(values.begin(), values.end());
    return out;
  }
  for (int64_t i = 0; i < b.numElements(); ++i)
    out[i] = static_cast<T>(elementAsDouble(b, i));
  return out;
}

template std::vector<float> NDArray::asvector<float>() const;
template std::vector<double> NDArray::asvector<double>() const;
template std::vector<int32_t> NDArray::asvector<int32_t>() const;
template std::vector<int64_t> NDArray::asvector<int64_t>() const;

template <typename T> T NDArray::asscalar() const {
  if (size() != 1)
    throw Error("asscalar: the array has shape " +
                TensorSpec(shape(), dtype()).str() + ", not a single element");
  return asvector<T>()[0];
}

template float NDArray::asscalar<float>() const;
template double NDArray::asscalar<double>() const;
template int32_t NDArray::asscalar<int32_t>() const;
template int64_t NDArray::asscalar<int64_t>() const;

NDArray NDArray::copy() const {
  wait_to_read();
  return NDArray(Engine::get().constant(var_->node->value->clone(), context()));
}

NDArray NDArray::as_in_context(const Context &ctx) const {
  checkContext(ctx);
  if (ctx == context())
    return *this;
  NDArray out = copy();
  out.var_->node->context = ctx;
  return out;
}

NDArray NDArray::astype(DType type) const { return cast(*this, type); }

NDArray NDArray::reshape(const Shape &shape, bool reverse) const {
  return nd::reshape(*this, shape, reverse);
}

NDArray NDArray::T() const { return transpose(*this); }

NDArray NDArray::operator[](int64_t i) const {
  int64_t rows = ndim() ? shape()[0] : 0;
  if (ndim() == 0 || i < -rows || i >= rows)
    throw Error("index " + std::to_string(i) + " is out of range for shape " +
                TensorSpec(shape(), dtype()).str());
  if (i < 0)
    i += rows;
  NDArray row = slice(i, i + 1);
  if (ndim() == 1)
    return row;
  return row.reshape(Shape(shape().begin() + 1, shape().end()));
}

NDArray NDArray::slice(int64_t begin, int64_t end) const {
  return nd::slice(*this, {begin}, {end});
}

void NDArray::copyto(NDArray &other) const {
  other.checked("copyto");
  if (other.shape() != shape())
    throw Error("copyto: source shape " + TensorSpec(shape(), dtype()).str() +
                " differs from target shape " +
                TensorSpec(other.shape(), other.dtype()).str());
  other.assign(other.dtype() == dtype() ? *this : astype(other.dtype()),
               "copyto");
}

NDArray &NDArray::assign(const NDArray &value, const char *what) {
  checked(what);
  if (value.shape() != shape() || value.dtype() != dtype())
    throw Error(std::string(what) + ": result " +
                TensorSpec(value.shape(), value.dtype()).str() +
                " cannot be stored in an array of " +
                TensorSpec(shape(), dtype()).str());
  Context ctx = context();
  if (value.context() == ctx) {
    var_->node = value.node();
    return *this;
  }
  var_->node = std::make_shared<Node>(*value.node());
  var_->node->context = ctx;
  return *this;
}

NDArray &NDArray::operator+=(const NDArray &o) {
  return assign(*this + o, "+=");
}
NDArray &NDArray::operator-=(const NDArray &o) {
  return assign(*this - o, "-=");
}
NDArray &NDArray::operator*=(const NDArray &o) {
  return assign(*this * o, "*=");
}
NDArray &NDArray::operator/=(const NDArray &o) {
  return assign(*this / o, "/=");
}
NDArray &NDArray::operator+=(double s) { return assign(*this + s, "+="); }
NDArray &NDArray::operator-=(double s) { return assign(*this - s, "-="); }
NDArray &NDArray::operator*=(double s) { return assign(*this * s, "*="); }
NDArray &NDArray::operator/=(double s) { return assign(*this / s, "/="); }

namespace {
/// NumPy-style element text: "1." for integral floats, up to 8 significant
/// digits otherwise; integers as is.
std::string formatElement(double v, bool isFloat) {
  if (!isFloat)
    return std::to_string(static_cast<int64_t>(v));
  if (std::isnan(v))
    return "nan";
  if (std::isinf(v))
    return v < 0 ? "-inf" : "inf";
  char buf[32];
  if (v == std::trunc(v) && std::fabs(v) < 1e16) {
    std::snprintf(buf, sizeof buf, "%.0f.", v);
    return buf;
  }
  std::snprintf(buf, sizeof buf, "%.8g", v);
  return buf;
}

/// Pads the items NumPy-style: integer parts right-aligned and fractional
/// parts left-aligned, so decimal points line up ("[ 0.5 -2. ]").
void alignItems(std::vector<std::string> &items) {
  size_t intWidth = 0, fracWidth = 0;
  for (const std::string &s : items) {
    size_t dot = s.find('.');
    intWidth = std::max(intWidth, dot == std::string::npos ? s.size() : dot);
    if (dot != std::string::npos)
      fracWidth = std::max(fracWidth, s.size() - dot - 1);
  }
  for (std::string &s : items) {
    size_t dot = s.find('.');
    size_t intPart = dot == std::string::npos ? s.size() : dot;
    size_t frac = dot == std::string::npos ? 0 : s.size() - dot - 1;
    std::string pad(
        dot == std::string::npos || fracWidth == 0 ? 0 : fracWidth - frac, ' ');
    s = std::string(intWidth - intPart, ' ') + s + pad;
  }
}

void printNested(std::ostream &os, const std::vector<std::string> &items,
                 const Shape &shape, size_t dim, int64_t &pos) {
  if (shape.empty()) {
    os << items[pos++];
    return;
  }
  os << "[";
  for (int64_t i = 0; i < shape[dim]; ++i) {
    if (dim + 1 == shape.size()) {
      os << items[pos++];
      if (i + 1 < shape[dim])
        os << " ";
    } else {
      if (i) {
        os << std::string(shape.size() - dim - 1, '\n')
           << std::string(dim + 1, ' ');
      }
      printNested(os, items, shape, dim + 1, pos);
    }
  }
  os << "]";
}
} // namespace

std::string NDArray::str() const {
  std::vector<double> values = asvector<double>();
  bool isFloat = dtype() == DType::Float32 || dtype() == DType::Float64;
  std::vector<std::string> items;
  for (double v : values)
    items.push_back(formatElement(v, isFloat));
  alignItems(items);
  std::ostringstream os;
  int64_t pos = 0;
  printNested(os, items, shape(), 0, pos);
  os << "\n<NDArray ";
  for (size_t i = 0; i < shape().size(); ++i)
    os << (i ? "x" : "") << shape()[i];
  os << " @" << context().str() << ">";
  return os.str();
}

std::ostream &operator<<(std::ostream &os, const NDArray &a) {
  return os << a.str();
}

CacheInfo cache_info() {
  CacheStats s = Engine::get().cacheStats();
  return {s.hits, s.misses, s.compileMs};
}

} // namespace mxjit::nd
