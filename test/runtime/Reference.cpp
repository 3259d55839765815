//===- Reference.cpp - plain C++ reference implementations of mx ops ------===//

#include "Reference.h"

#include <algorithm>
#include <cassert>
#include <cmath>
#include <limits>
#include <random>

namespace mxjit::ref {

int64_t Tensor::size() const { return numElements(shape); }

int64_t numElements(const Shape &shape) {
  int64_t n = 1;
  for (int64_t d : shape)
    n *= d;
  return n;
}

Shape stridesOf(const Shape &shape) {
  Shape s(shape.size(), 1);
  for (int64_t i = int64_t(shape.size()) - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

std::string typeString(const Shape &shape, DType dtype) {
  static const char *names[] = {"f32", "f64", "i32", "i64"};
  std::string s = "tensor<";
  for (int64_t d : shape)
    s += std::to_string(d) + "x";
  return s + names[static_cast<int>(dtype)] + ">";
}

std::string typeString(const Tensor &t) { return typeString(t.shape, t.dtype); }

namespace {
bool isInt(DType d) { return d == DType::Int32 || d == DType::Int64; }

double roundTo(double x, DType d) {
  switch (d) {
  case DType::Float32:
    return static_cast<float>(x);
  case DType::Float64:
    return x;
  case DType::Int32:
    return static_cast<int32_t>(std::trunc(x));
  case DType::Int64:
    return static_cast<double>(static_cast<int64_t>(std::trunc(x)));
  }
  return x;
}

/// Multi-index of flat position `flat` in `shape`.
Shape unravel(int64_t flat, const Shape &shape) {
  Shape idx(shape.size());
  for (int64_t i = int64_t(shape.size()) - 1; i >= 0; --i) {
    idx[i] = flat % shape[i];
    flat /= shape[i];
  }
  return idx;
}

int64_t ravel(const Shape &idx, const Shape &shape) {
  int64_t flat = 0;
  for (size_t i = 0; i < shape.size(); ++i)
    flat = flat * shape[i] + idx[i];
  return flat;
}
} // namespace

Tensor random(Shape shape, DType dtype, double lo, double hi, unsigned seed) {
  std::mt19937 rng(seed);
  std::uniform_real_distribution<double> dist(lo, hi);
  Tensor t{std::move(shape), {}, dtype};
  for (int64_t i = 0; i < t.size(); ++i) {
    double x = dist(rng);
    t.v.push_back(isInt(dtype) ? std::round(x) : roundTo(x, dtype));
  }
  return t;
}

Tensor iota(Shape shape, DType dtype) {
  Tensor t{std::move(shape), {}, dtype};
  for (int64_t i = 0; i < t.size(); ++i)
    t.v.push_back(double(i));
  return t;
}

Tensor map(const Tensor &a, const std::function<double(double)> &f) {
  Tensor r = a;
  for (double &x : r.v)
    x = f(x);
  return r;
}

Tensor zip(const Tensor &a, const Tensor &b,
           const std::function<double(double, double)> &f) {
  size_t rank = std::max(a.shape.size(), b.shape.size());
  auto padded = [&](const Shape &s) {
    Shape p(rank - s.size(), 1);
    p.insert(p.end(), s.begin(), s.end());
    return p;
  };
  Shape pa = padded(a.shape), pb = padded(b.shape), out(rank);
  for (size_t i = 0; i < rank; ++i)
    out[i] = std::max(pa[i], pb[i]);
  Tensor r{out, {}, a.dtype};
  for (int64_t k = 0; k < numElements(out); ++k) {
    Shape idx = unravel(k, out), ia(rank), ib(rank);
    for (size_t i = 0; i < rank; ++i) {
      ia[i] = pa[i] == 1 ? 0 : idx[i];
      ib[i] = pb[i] == 1 ? 0 : idx[i];
    }
    r.v.push_back(f(a.v[ravel(ia, pa)], b.v[ravel(ib, pb)]));
  }
  return r;
}

Tensor reduce(const Tensor &a, const std::vector<int64_t> &axes, bool keepdims,
              Reduce kind) {
  Shape kept, keptDims;
  for (size_t i = 0; i < a.shape.size(); ++i) {
    bool reduced = std::count(axes.begin(), axes.end(), int64_t(i)) > 0;
    if (!reduced)
      kept.push_back(a.shape[i]);
    keptDims.push_back(reduced ? 1 : a.shape[i]);
  }
  int64_t outSize = numElements(kept);
  double init = kind == Reduce::Max   ? -std::numeric_limits<double>::infinity()
                : kind == Reduce::Min ? std::numeric_limits<double>::infinity()
                                      : 0.0;
  std::vector<double> acc(outSize, init);
  int64_t count = a.size() / std::max<int64_t>(outSize, 1);
  for (int64_t k = 0; k < a.size(); ++k) {
    Shape idx = unravel(k, a.shape), o;
    for (size_t i = 0; i < a.shape.size(); ++i)
      if (!std::count(axes.begin(), axes.end(), int64_t(i)))
        o.push_back(idx[i]);
    double &slot = acc[ravel(o, kept)];
    double x = a.v[k];
    slot = kind == Reduce::Max   ? std::max(slot, x)
           : kind == Reduce::Min ? std::min(slot, x)
                                 : slot + x;
  }
  if (kind == Reduce::Mean)
    for (double &x : acc)
      x = isInt(a.dtype) ? std::trunc(x / count) : x / count;
  Shape outShape = keepdims ? keptDims : kept;
  if (outShape.empty())
    outShape = {1};
  return Tensor{outShape, acc, a.dtype};
}

Tensor reshape(const Tensor &a, Shape shape) {
  assert(numElements(shape) == a.size());
  return Tensor{std::move(shape), a.v, a.dtype};
}

Tensor transpose(const Tensor &a, const std::vector<int64_t> &perm) {
  Shape out;
  for (int64_t p : perm)
    out.push_back(a.shape[p]);
  Tensor r{out, std::vector<double>(a.size()), a.dtype};
  for (int64_t k = 0; k < a.size(); ++k) {
    Shape idx = unravel(k, a.shape), o;
    for (int64_t p : perm)
      o.push_back(idx[p]);
    r.v[ravel(o, out)] = a.v[k];
  }
  return r;
}

Tensor reverseAxes(const Tensor &a) {
  std::vector<int64_t> perm;
  for (int64_t i = int64_t(a.shape.size()) - 1; i >= 0; --i)
    perm.push_back(i);
  return transpose(a, perm);
}

Tensor broadcastTo(const Tensor &a, const Shape &shape) {
  Tensor zeros{shape, std::vector<double>(numElements(shape), 0.0), a.dtype};
  return zip(a, zeros, [](double x, double) { return x; });
}

Tensor strided(const Tensor &a, const std::vector<int64_t> &starts,
               const std::vector<int64_t> &steps, const Shape &sizes) {
  Tensor r{sizes, {}, a.dtype};
  for (int64_t k = 0; k < numElements(sizes); ++k) {
    Shape idx = unravel(k, sizes);
    for (size_t i = 0; i < sizes.size(); ++i)
      idx[i] = starts[i] + idx[i] * steps[i];
    r.v.push_back(a.v[ravel(idx, a.shape)]);
  }
  return r;
}

Tensor concat(const std::vector<Tensor> &inputs, int64_t dim) {
  Shape out = inputs[0].shape;
  out[dim] = 0;
  for (const Tensor &t : inputs)
    out[dim] += t.shape[dim];
  Tensor r{out, std::vector<double>(numElements(out)), inputs[0].dtype};
  int64_t offset = 0;
  for (const Tensor &t : inputs) {
    for (int64_t k = 0; k < t.size(); ++k) {
      Shape idx = unravel(k, t.shape);
      idx[dim] += offset;
      r.v[ravel(idx, out)] = t.v[k];
    }
    offset += t.shape[dim];
  }
  return r;
}

Tensor dot(const Tensor &a, const Tensor &b) {
  int64_t k = a.shape.back();
  int64_t m = a.size() / k, n = b.size() / k;
  Shape out(a.shape.begin(), a.shape.end() - 1);
  out.insert(out.end(), b.shape.begin() + 1, b.shape.end());
  if (out.empty())
    out = {1};
  Tensor r{out, std::vector<double>(m * n, 0.0), a.dtype};
  for (int64_t i = 0; i < m; ++i)
    for (int64_t j = 0; j < n; ++j)
      for (int64_t p = 0; p < k; ++p)
        r.v[i * n + j] += a.v[i * k + p] * b.v[p * n + j];
  return r;
}

Tensor batchDot(const Tensor &a, const Tensor &b, bool ta, bool tb) {
  size_t r = a.shape.size();
  auto swapLast = [&](const Tensor &t) {
    std::vector<int64_t> perm;
    for (size_t i = 0; i < r; ++i)
      perm.push_back(i);
    std::swap(perm[r - 1], perm[r - 2]);
    return transpose(t, perm);
  };
  Tensor x = ta ? swapLast(a) : a, y = tb ? swapLast(b) : b;
  int64_t m = x.shape[r - 2], k = x.shape[r - 1], n = y.shape[r - 1];
  int64_t batches = x.size() / (m * k);
  Shape out(x.shape.begin(), x.shape.end() - 2);
  out.push_back(m);
  out.push_back(n);
  Tensor res{out, std::vector<double>(batches * m * n, 0.0), a.dtype};
  for (int64_t bi = 0; bi < batches; ++bi)
    for (int64_t i = 0; i < m; ++i)
      for (int64_t j = 0; j < n; ++j)
        for (int64_t p = 0; p < k; ++p)
          res.v[(bi * m + i) * n + j] +=
              x.v[(bi * m + i) * k + p] * y.v[(bi * k + p) * n + j];
  return res;
}

Tensor fullyConnected(const Tensor &x, const Tensor &w,
                      const std::optional<Tensor> &bias, bool flatten) {
  int64_t hidden = w.shape[0], k = w.shape[1];
  int64_t rows = x.size() / k;
  Shape out = flatten ? Shape{x.shape[0], hidden}
                      : Shape(x.shape.begin(), x.shape.end() - 1);
  if (!flatten)
    out.push_back(hidden);
  Tensor r{out, std::vector<double>(rows * hidden, 0.0), x.dtype};
  for (int64_t i = 0; i < rows; ++i)
    for (int64_t j = 0; j < hidden; ++j) {
      double acc = bias ? bias->v[j] : 0.0;
      for (int64_t p = 0; p < k; ++p)
        acc += x.v[i * k + p] * w.v[j * k + p];
      r.v[i * hidden + j] = acc;
    }
  return r;
}

Tensor softmax(const Tensor &a, int64_t axis, double temperature, bool log) {
  Tensor r = a;
  Shape strides = stridesOf(a.shape);
  int64_t len = a.shape[axis], step = strides[axis];
  for (int64_t k = 0; k < a.size(); ++k) {
    if (unravel(k, a.shape)[axis] != 0)
      continue;
    double m = -std::numeric_limits<double>::infinity(), z = 0;
    for (int64_t i = 0; i < len; ++i)
      m = std::max(m, a.v[k + i * step]);
    for (int64_t i = 0; i < len; ++i)
      z += std::exp((a.v[k + i * step] - m) / temperature);
    for (int64_t i = 0; i < len; ++i) {
      double s = (a.v[k + i * step] - m) / temperature;
      r.v[k + i * step] = log ? s - std::log(z) : std::exp(s) / z;
    }
  }
  return r;
}

Tensor cast(const Tensor &a, DType to) {
  Tensor r = map(a, [&](double x) { return roundTo(x, to); });
  r.dtype = to;
  return r;
}

double softsign(double x) { return x / (1.0 + std::fabs(x)); }

double softrelu(double x) {
  // For x > 0, log(1 + e^x) = x + log(1 + e^-x).
  if (x > 0)
    return x + std::log1p(std::exp(-x));
  return std::log1p(std::exp(x));
}

double sign(double x) {
  if (x < 0)
    return -1.0;
  if (x > 0)
    return 1.0;
  return 0.0;
}

double rcbrt(double x) { return 1.0 / std::cbrt(x); }

const double kPi = 3.14159265358979323846;
double radians(double x) { return x * kPi / 180.0; }
double degrees(double x) { return x * 180.0 / kPi; }

namespace {
double boundFor(double v, DType d) {
  // Far beyond float's range (where the conversion is undefined in C++) a
  // bound rounds to infinity.
  if (d == DType::Float32 && std::fabs(v) > 1e39)
    return v > 0 ? std::numeric_limits<double>::infinity()
                 : -std::numeric_limits<double>::infinity();
  if (!isInt(d))
    return roundTo(v, d);
  double lo = d == DType::Int32 ? -2147483648.0 : -9223372036854775808.0;
  double hi = d == DType::Int32 ? 2147483647.0 : 9223372036854775807.0;
  return std::min(std::max(std::trunc(v), lo), hi);
}
} // namespace

Tensor clip(const Tensor &a, double lo, double hi) {
  double l = boundFor(lo, a.dtype), h = boundFor(hi, a.dtype);
  return map(a, [&](double x) {
    if (x > h)
      return h;
    if (x < l)
      return l;
    return x;
  });
}

Tensor sliceAssign(const Tensor &base, const Tensor &value,
                   const std::vector<int64_t> &starts,
                   const std::vector<int64_t> &steps) {
  Tensor r = base;
  for (int64_t k = 0; k < value.size(); ++k) {
    Shape idx = unravel(k, value.shape);
    for (size_t i = 0; i < idx.size(); ++i)
      idx[i] = starts[i] + idx[i] * steps[i];
    r.v[ravel(idx, base.shape)] = value.v[k];
  }
  return r;
}

} // namespace mxjit::ref

namespace mxjit::ref {
namespace {
Shape orDefault(const Shape &v, size_t n, int64_t d) {
  return v.empty() ? Shape(n, d) : v;
}

/// Calls fn(idx) for every multi-index of `shape` in row-major order.
template <typename Fn> void forEachIndex(const Shape &shape, Fn fn) {
  for (int64_t flat = 0, n = numElements(shape); flat < n; ++flat)
    fn(unravel(flat, shape));
}

int64_t offsetOf(const Shape &idx, const Shape &strides) {
  int64_t o = 0;
  for (size_t i = 0; i < idx.size(); ++i)
    o += idx[i] * strides[i];
  return o;
}
} // namespace

Tensor convolution(const Tensor &x, const Tensor &w,
                   const std::optional<Tensor> &bias, const ConvParams &p) {
  size_t r = p.kernel.size();
  Shape stride = orDefault(p.stride, r, 1), dilate = orDefault(p.dilate, r, 1),
        pad = orDefault(p.pad, r, 0);
  int64_t n = x.shape[0], c = x.shape[1], f = w.shape[0];
  int64_t cg = c / p.numGroup, fg = f / p.numGroup;
  Shape out = {n, f};
  for (size_t i = 0; i < r; ++i)
    out.push_back(
        (x.shape[i + 2] + 2 * pad[i] - dilate[i] * (p.kernel[i] - 1) - 1) /
            stride[i] +
        1);
  Tensor y{out, std::vector<double>(numElements(out), 0.0), x.dtype};
  Shape xs = stridesOf(x.shape), ws = stridesOf(w.shape);
  Shape spatialOut(out.begin() + 2, out.end());
  for (int64_t b = 0; b < n; ++b)
    for (int64_t of = 0; of < f; ++of) {
      int64_t group = of / fg;
      forEachIndex(spatialOut, [&](const Shape &o) {
        double acc = bias ? bias->v[of] : 0.0;
        for (int64_t ic = 0; ic < cg; ++ic)
          forEachIndex(p.kernel, [&](const Shape &k) {
            Shape xi = {b, group * cg + ic}, wi = {of, ic};
            for (size_t i = 0; i < r; ++i) {
              int64_t pos = o[i] * stride[i] + k[i] * dilate[i] - pad[i];
              if (pos < 0 || pos >= x.shape[i + 2])
                return;
              xi.push_back(pos);
              wi.push_back(k[i]);
            }
            acc += x.v[offsetOf(xi, xs)] * w.v[offsetOf(wi, ws)];
          });
        Shape yi = {b, of};
        yi.insert(yi.end(), o.begin(), o.end());
        y.v[offsetOf(yi, stridesOf(out))] = acc;
      });
    }
  return y;
}

Tensor pooling(const Tensor &x, const PoolParams &p) {
  size_t r = x.shape.size() - 2;
  Shape kernel =
      p.global ? Shape(x.shape.begin() + 2, x.shape.end()) : p.kernel;
  Shape stride = p.global ? Shape(r, 1) : orDefault(p.stride, r, 1);
  Shape pad = p.global ? Shape(r, 0) : orDefault(p.pad, r, 0);
  Shape out = {x.shape[0], x.shape[1]};
  for (size_t i = 0; i < r; ++i) {
    int64_t span = x.shape[i + 2] + 2 * pad[i] - kernel[i];
    out.push_back(
        1 + (p.full ? (span + stride[i] - 1) / stride[i] : span / stride[i]));
  }
  Tensor y{out, std::vector<double>(numElements(out), 0.0), x.dtype};
  Shape xs = stridesOf(x.shape);
  int64_t flat = 0;
  forEachIndex(out, [&](const Shape &o) {
    // MXNet: the window [start, start + k) clipped to the padded input for
    // the avg count, and to the input for the elements read.
    double acc =
        p.type == Pool::Max ? -std::numeric_limits<double>::infinity() : 0.0;
    int64_t countPad = 1, countIn = 1;
    for (size_t i = 0; i < r; ++i) {
      int64_t start = o[i + 2] * stride[i] - pad[i];
      int64_t end = std::min(start + kernel[i], x.shape[i + 2] + pad[i]);
      countPad *= end - start;
      countIn *= std::min(end, x.shape[i + 2]) - std::max<int64_t>(start, 0);
    }
    forEachIndex(kernel, [&](const Shape &k) {
      Shape xi = {o[0], o[1]};
      for (size_t i = 0; i < r; ++i) {
        int64_t pos = o[i + 2] * stride[i] - pad[i] + k[i];
        if (pos < 0 || pos >= x.shape[i + 2])
          return;
        xi.push_back(pos);
      }
      double v = x.v[offsetOf(xi, xs)];
      acc = p.type == Pool::Max ? std::max(acc, v) : acc + v;
    });
    if (p.type == Pool::Avg)
      acc /= static_cast<double>(p.countIncludePad ? countPad : countIn);
    y.v[flat++] = acc;
  });
  return y;
}

} // namespace mxjit::ref
