//===- Creation.cpp - array, zeros, ones, full, arange, random ------------===//

#include "mxjit/ndarray.h"

#include "nd/Engine.h"
#include "nd/Random.h"

#include <cmath>
#include <mutex>
#include <random>

namespace mxjit::nd {

namespace {
void checkShape(const Shape &shape, const char *what) {
  for (int64_t d : shape)
    if (d < 0)
      throw Error(std::string(what) + ": negative dimension in shape " +
                  TensorSpec(shape, DType::Float32).str());
}

/// A materialized array filled by `value(i)` for each flat index.
template <typename Fn>
NDArray filled(const Shape &shape, const Context &ctx, DType dtype,
               const char *what, Fn value) {
  checkContext(ctx);
  checkShape(shape, what);
  HostBuffer b(TensorSpec(shape, dtype));
  for (int64_t i = 0; i < b.numElements(); ++i) {
    double v = value(i);
    switch (dtype) {
    case DType::Float32:
      b.values<float>()[i] = static_cast<float>(v);
      break;
    case DType::Float64:
      b.values<double>()[i] = v;
      break;
    case DType::Int32:
      b.values<int32_t>()[i] = static_cast<int32_t>(v);
      break;
    case DType::Int64:
      b.values<int64_t>()[i] = static_cast<int64_t>(v);
      break;
    }
  }
  return NDArray(detail::Engine::get().constant(std::move(b), ctx));
}
} // namespace

NDArray array(const std::vector<double> &values, Shape shape, Context ctx,
              DType dtype) {
  if (shape.empty())
    shape = {static_cast<int64_t>(values.size())};
  checkShape(shape, "array");
  if (TensorSpec(shape, dtype).numElements() !=
      static_cast<int64_t>(values.size()))
    throw Error("array: " + std::to_string(values.size()) +
                " values do not fill shape " + TensorSpec(shape, dtype).str());
  return filled(shape, ctx, dtype, "array",
                [&](int64_t i) { return values[i]; });
}

NDArray zeros(const Shape &shape, Context ctx, DType dtype) {
  return full(shape, 0.0, ctx, dtype);
}

NDArray ones(const Shape &shape, Context ctx, DType dtype) {
  return full(shape, 1.0, ctx, dtype);
}

NDArray full(const Shape &shape, double value, Context ctx, DType dtype) {
  return filled(shape, ctx, dtype, "full", [&](int64_t) { return value; });
}

NDArray empty(const Shape &shape, Context ctx, DType dtype) {
  return zeros(shape, ctx, dtype);
}

NDArray arange(double start, double stop, double step, Context ctx,
               DType dtype) {
  if (step == 0 || !std::isfinite(step))
    throw Error("arange: step must be finite and non-zero, got " +
                std::to_string(step));
  double count = std::ceil((stop - start) / step);
  int64_t n = count > 0 ? static_cast<int64_t>(count) : 0;
  return filled({n}, ctx, dtype, "arange",
                [&](int64_t i) { return start + step * double(i); });
}

namespace random {
namespace {
std::mutex generatorMutex;
std::mt19937_64 &generator() {
  static std::mt19937_64 g(0);
  return g;
}
} // namespace

void seed(uint64_t s) {
  std::lock_guard<std::mutex> lock(generatorMutex);
  generator().seed(s);
}

NDArray uniform(double low, double high, const Shape &shape, Context ctx,
                DType dtype) {
  if (!(low <= high))
    throw Error("uniform: low " + std::to_string(low) + " exceeds high " +
                std::to_string(high));
  std::lock_guard<std::mutex> lock(generatorMutex);
  std::uniform_real_distribution<double> dist(low, high);
  return filled(shape, ctx, dtype, "uniform",
                [&](int64_t) { return dist(generator()); });
}

NDArray normal(double loc, double scale, const Shape &shape, Context ctx,
               DType dtype) {
  if (!(scale >= 0))
    throw Error("normal: scale must be non-negative, got " +
                std::to_string(scale));
  std::lock_guard<std::mutex> lock(generatorMutex);
  std::normal_distribution<double> dist(loc, scale);
  return filled(shape, ctx, dtype, "normal",
                [&](int64_t) { return dist(generator()); });
}
} // namespace random

uint64_t detail::nextRandomSeed() {
  std::lock_guard<std::mutex> lock(random::generatorMutex);
  return random::generator()();
}

} // namespace mxjit::nd
