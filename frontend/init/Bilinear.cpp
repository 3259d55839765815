//===- Bilinear.cpp - bilinear upsampling kernels -------------------------===//

#include "Detail.h"

#include "runtime/Error.h"

#include <cmath>

namespace mxjit::init {

Bilinear::Bilinear() : Initializer("bilinear") {}

void Bilinear::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  const nd::Shape &shape = arr.shape();
  if (shape.size() != 4)
    throw Error("bilinear: cannot initialize '" + desc.name + "' of shape " +
                detail::shapeStr(shape) +
                ": it needs a 4-D (deconvolution) weight");
  // Every (out, in) channel pair gets the same kernel: the outer product of
  // a 1-D triangle filter centred at c, with f the upsampling factor.
  double f = std::ceil(double(shape[3]) / 2.0);
  double c = (2 * f - 1 - std::fmod(f, 2.0)) / (2.0 * f);
  int64_t n = arr.size();
  std::vector<double> values(size_t(std::max<int64_t>(n, 0)));
  for (int64_t i = 0; i < n; ++i) {
    double x = double(i % shape[3]);
    double y = double((i / shape[3]) % shape[2]);
    // Rounded through float32 as MXNet's numpy buffer is.
    values[size_t(i)] = static_cast<float>((1 - std::fabs(x / f - c)) *
                                           (1 - std::fabs(y / f - c)));
  }
  detail::fill(arr, values);
}

namespace detail {

void addBilinearFactories(FactoryMap &map) {
  map["bilinear"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader("bilinear", kwargs).finish();
    return std::make_shared<Bilinear>();
  };
}

} // namespace detail
} // namespace mxjit::init
