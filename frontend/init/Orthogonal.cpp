//===- Orthogonal.cpp - orthogonal weights from a QR factorization --------===//

#include "Detail.h"

#include "runtime/Error.h"

#include <cmath>

namespace mxjit::init {

using detail::text;

namespace {

/// The thin Q (rows x cols, rows >= cols, orthonormal columns) of the
/// row-major matrix `a`, by Householder reflections in double. Columns are
/// sign-corrected so R's diagonal is positive, which makes Q uniformly
/// (Haar) distributed for a Gaussian `a`, as the SVD MXNet uses would be.
std::vector<double> thinQ(std::vector<double> a, size_t rows, size_t cols) {
  auto at = [&](std::vector<double> &m, size_t i, size_t j) -> double & {
    return m[i * cols + j];
  };
  std::vector<std::vector<double>> reflectors;
  std::vector<double> diagSign(cols, 1.0);
  for (size_t k = 0; k < cols; ++k) {
    double norm = 0;
    for (size_t i = k; i < rows; ++i)
      norm += at(a, i, k) * at(a, i, k);
    norm = std::sqrt(norm);
    std::vector<double> v(rows - k, 0.0);
    double alpha = at(a, k, k) > 0 ? -norm : norm;
    for (size_t i = k; i < rows; ++i)
      v[i - k] = at(a, i, k);
    v[0] -= alpha;
    double vnorm = 0;
    for (double x : v)
      vnorm += x * x;
    vnorm = std::sqrt(vnorm);
    if (vnorm > 0)
      for (double &x : v)
        x /= vnorm;
    // R[k:, k:] -= 2 v (v^T R[k:, k:])
    for (size_t j = k; j < cols; ++j) {
      double dot = 0;
      for (size_t i = k; i < rows; ++i)
        dot += v[i - k] * at(a, i, j);
      for (size_t i = k; i < rows; ++i)
        at(a, i, j) -= 2 * v[i - k] * dot;
    }
    diagSign[k] = at(a, k, k) < 0 ? -1.0 : 1.0;
    reflectors.push_back(std::move(v));
  }
  // Q = H_0 ... H_{n-1} applied to the first `cols` columns of I.
  std::vector<double> q(rows * cols, 0.0);
  for (size_t k = 0; k < cols; ++k)
    at(q, k, k) = 1.0;
  for (size_t kk = cols; kk-- > 0;) {
    const std::vector<double> &v = reflectors[kk];
    for (size_t j = 0; j < cols; ++j) {
      double dot = 0;
      for (size_t i = kk; i < rows; ++i)
        dot += v[i - kk] * at(q, i, j);
      for (size_t i = kk; i < rows; ++i)
        at(q, i, j) -= 2 * v[i - kk] * dot;
    }
  }
  for (size_t i = 0; i < rows; ++i)
    for (size_t j = 0; j < cols; ++j)
      at(q, i, j) *= diagSign[j];
  return q;
}

} // namespace

Orthogonal::Orthogonal(Number scale, std::string rand_type)
    : Initializer("orthogonal",
                  {{"scale", text(scale)}, {"rand_type", text(rand_type)}}),
      scale_(scale.value()), rand_type_(std::move(rand_type)) {
  if (rand_type_ != "uniform" && rand_type_ != "normal")
    throw Error("orthogonal: rand_type must be 'uniform' or 'normal', got '" +
                rand_type_ + "'");
}

void Orthogonal::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  const nd::Shape &shape = arr.shape();
  if (shape.empty())
    throw Error("orthogonal: cannot initialize '" + desc.name +
                "': it needs at least one dimension");
  size_t nout = size_t(shape[0]);
  size_t nin = 1;
  for (size_t i = 1; i < shape.size(); ++i)
    nin *= size_t(shape[i]);
  if (nout == 0 || nin == 0)
    return;
  nd::Shape mat = {int64_t(nout), int64_t(nin)};
  std::vector<double> tmp =
      rand_type_ == "uniform"
          ? nd::random::uniform(-1, 1, mat, cpu(), DType::Float64)
                .asvector<double>()
          : nd::random::normal(0, 1, mat, cpu(), DType::Float64)
                .asvector<double>();
  // MXNet keeps whichever SVD factor has the matrix's shape: orthonormal
  // columns when nout >= nin, orthonormal rows otherwise. QR of the matrix
  // (or of its transpose) gives the same kind of factor.
  std::vector<double> res;
  if (nout >= nin) {
    res = thinQ(tmp, nout, nin);
  } else {
    std::vector<double> t(nin * nout);
    for (size_t i = 0; i < nout; ++i)
      for (size_t j = 0; j < nin; ++j)
        t[j * nout + i] = tmp[i * nin + j];
    std::vector<double> q = thinQ(t, nin, nout);
    res.resize(nout * nin);
    for (size_t i = 0; i < nout; ++i)
      for (size_t j = 0; j < nin; ++j)
        res[i * nin + j] = q[j * nout + i];
  }
  for (double &x : res)
    x *= scale_;
  detail::fill(arr, res);
}

namespace detail {

void addOrthogonalFactories(FactoryMap &map) {
  map["orthogonal"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("orthogonal", kwargs);
    auto init = std::make_shared<Orthogonal>(r.number("scale", Number(1.414)),
                                             r.string("rand_type", "uniform"));
    r.finish();
    return init;
  };
}

} // namespace detail
} // namespace mxjit::init
