//===- Xavier.cpp - Xavier and MSRAPrelu ----------------------------------===//

#include "Detail.h"

#include "runtime/Error.h"

#include <cmath>

namespace mxjit::init {

using detail::text;

namespace {
void checkChoice(const std::string &init, const std::string &what,
                 const std::string &value,
                 const std::vector<std::string> &choices) {
  for (const auto &c : choices)
    if (value == c)
      return;
  std::string list;
  for (const auto &c : choices)
    list += (list.empty() ? "'" : ", '") + c + "'";
  throw Error(init + ": " + what + " must be one of " + list + ", got '" +
              value + "'");
}
} // namespace

Xavier::Xavier(std::string rnd_type, std::string factor_type, Number magnitude)
    : Initializer("xavier", {{"rnd_type", text(rnd_type)},
                             {"factor_type", text(factor_type)},
                             {"magnitude", text(magnitude)}}),
      rnd_type_(std::move(rnd_type)), factor_type_(std::move(factor_type)),
      magnitude_(magnitude.value()) {
  // MXNet finds bad choices only when a weight is initialized; failing at
  // construction points at the actual mistake.
  checkChoice("xavier", "rnd_type", rnd_type_, {"uniform", "gaussian"});
  checkChoice("xavier", "factor_type", factor_type_, {"avg", "in", "out"});
  if (!(magnitude_ >= 0))
    throw Error("xavier: magnitude must be non-negative, got " +
                json::floatRepr(magnitude_));
}

void Xavier::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  const nd::Shape &shape = arr.shape();
  if (shape.size() < 2)
    throw Error("Xavier initializer cannot be applied to vector " + desc.name +
                ". It requires at least 2D.");
  // Convolution kernels (out, in, k...) count every kernel position.
  double hwScale = 1;
  for (size_t i = 2; i < shape.size(); ++i)
    hwScale *= double(shape[i]);
  double fanIn = double(shape[1]) * hwScale;
  double fanOut = double(shape[0]) * hwScale;
  double factor = factor_type_ == "avg"  ? (fanIn + fanOut) / 2.0
                  : factor_type_ == "in" ? fanIn
                                         : fanOut;
  if (!(factor > 0))
    throw Error(name_ + ": cannot initialize '" + desc.name + "' of shape " +
                detail::shapeStr(shape) + ": its fan is zero");
  double scale = std::sqrt(magnitude_ / factor);
  if (rnd_type_ == "uniform")
    nd::random::uniform(-scale, scale, shape, arr.context(), arr.dtype())
        .copyto(arr);
  else
    nd::random::normal(0, scale, shape, arr.context(), arr.dtype()).copyto(arr);
}

MSRAPrelu::MSRAPrelu(std::string factor_type, Number slope)
    : Xavier("gaussian", factor_type,
             2.0 / (1 + slope.value() * slope.value())) {
  name_ = "msraprelu";
  kwargs_ = {{"factor_type", text(factor_type)}, {"slope", text(slope)}};
}

namespace detail {

void addXavierFactories(FactoryMap &map) {
  map["xavier"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("xavier", kwargs);
    auto init = std::make_shared<Xavier>(r.string("rnd_type", "uniform"),
                                         r.string("factor_type", "avg"),
                                         r.number("magnitude", Number(3)));
    r.finish();
    return init;
  };
  map["msraprelu"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("msraprelu", kwargs);
    auto init = std::make_shared<MSRAPrelu>(r.string("factor_type", "avg"),
                                            r.number("slope", Number(0.25)));
    r.finish();
    return init;
  };
}

} // namespace detail
} // namespace mxjit::init
