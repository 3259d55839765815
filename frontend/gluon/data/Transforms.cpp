//===- Transforms.cpp - vision::transforms ToTensor, Normalize, Compose ---===//
//
// Computed on the host: a transform runs once per sample, and one compiled
// op per sample would cost more than the arithmetic itself.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/data.h"

#include "gluon/data/Host.h"

namespace mxjit::gluon::data::vision::transforms {

nd::NDArray ToTensor::operator()(const nd::NDArray &x) const {
  if (x.empty())
    throw Error("ToTensor: the NDArray is empty");
  const nd::Shape &s = x.shape();
  if (s.size() != 3 && s.size() != 4)
    throw Error("ToTensor: expects an (H,W,C) or (N,H,W,C) image, got " +
                TensorSpec(s, x.dtype()).str());
  std::vector<float> in = x.asvector<float>();
  int64_t n = s.size() == 4 ? s[0] : 1;
  int64_t h = s[s.size() - 3], w = s[s.size() - 2], c = s.back();
  nd::Shape shape = {c, h, w};
  if (s.size() == 4)
    shape.insert(shape.begin(), n);
  HostBuffer out(TensorSpec(shape, DType::Float32));
  auto o = out.values<float>();
  int64_t plane = h * w;
  for (int64_t b = 0; b < n; ++b)
    for (int64_t p = 0; p < plane; ++p)
      for (int64_t k = 0; k < c; ++k)
        o[(b * c + k) * plane + p] = in[(b * plane + p) * c + k] / 255.0f;
  return detail::fromHost(std::move(out));
}

Normalize::Normalize(std::vector<double> mean, std::vector<double> std)
    : mean(std::move(mean)), std(std::move(std)) {
  if (this->mean.empty() || this->std.empty())
    throw Error("Normalize: mean and std need at least one value");
  for (double v : this->std)
    if (v == 0)
      throw Error("Normalize: std must not be 0");
}

nd::NDArray Normalize::operator()(const nd::NDArray &x) const {
  if (x.empty())
    throw Error("Normalize: the NDArray is empty");
  const nd::Shape &s = x.shape();
  if (s.size() != 3 && s.size() != 4)
    throw Error("Normalize: expects a (C,H,W) or (N,C,H,W) tensor, got " +
                TensorSpec(s, x.dtype()).str());
  int64_t c = s[s.size() - 3];
  for (const auto *v : {&mean, &std})
    if (v->size() != 1 && static_cast<int64_t>(v->size()) != c)
      throw Error("Normalize: " + std::string(v == &mean ? "mean" : "std") +
                  " has " + std::to_string(v->size()) +
                  " values for an input with " + std::to_string(c) +
                  " channels");
  std::vector<float> in = x.asvector<float>();
  HostBuffer out(TensorSpec(s, DType::Float32));
  auto o = out.values<float>();
  int64_t plane = s[s.size() - 2] * s.back();
  for (size_t i = 0; i < in.size(); ++i) {
    int64_t k = static_cast<int64_t>(i) / plane % c;
    double m = mean.size() == 1 ? mean[0] : mean[k];
    double d = std.size() == 1 ? std[0] : std[k];
    o[i] = static_cast<float>((in[i] - m) / d);
  }
  return detail::fromHost(std::move(out));
}

nd::NDArray Compose::operator()(const nd::NDArray &x) const {
  nd::NDArray y = x;
  for (const ArrayFn &f : fns) {
    if (!f)
      throw Error("Compose: a transform is empty");
    y = f(y);
  }
  return y;
}

} // namespace mxjit::gluon::data::vision::transforms
