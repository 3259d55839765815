//===- Basic.cpp - Zero, One, Constant, Uniform, Normal -------------------===//

#include "Detail.h"

#include "runtime/Error.h"

namespace mxjit::init {

using detail::text;

Zero::Zero() : Initializer("zero") {}
void Zero::init_weight(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 0.0);
}

One::One() : Initializer("one") {}
void One::init_weight(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 1.0);
}

namespace {
// MXNet dumps an array value as tolist(): nested lists of Python numbers.
std::string nestedList(const std::vector<double> &values, const nd::Shape &s,
                       size_t dim, size_t &pos, bool integral) {
  if (dim == s.size()) {
    json::Value v;
    v.kind = json::Value::Kind::Number;
    v.number = values[pos++];
    v.integral = integral;
    return json::write(v);
  }
  std::string out = "[";
  for (int64_t i = 0; i < s[dim]; ++i)
    out += (i ? ", " : "") + nestedList(values, s, dim + 1, pos, integral);
  return out + "]";
}
} // namespace

Constant::Constant(Number value)
    : Initializer("constant", {{"value", text(value)}}),
      scalar_(value.value()) {}

Constant::Constant(const nd::NDArray &value)
    : Initializer("constant"), scalar_(0), array_(value.copy()) {
  size_t pos = 0;
  bool integral =
      value.dtype() == DType::Int32 || value.dtype() == DType::Int64;
  kwargs_ = {{"value", nestedList(array_.asvector<double>(), array_.shape(), 0,
                                  pos, integral)}};
}

void Constant::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  if (array_.empty()) {
    detail::fill(arr, scalar_);
    return;
  }
  try {
    // NumPy assignment broadcasting: missing leading axes count as 1.
    nd::Shape shape = array_.shape();
    if (shape.size() < arr.shape().size())
      shape.insert(shape.begin(), arr.shape().size() - shape.size(), 1);
    nd::broadcast_to(array_.reshape(shape), arr.shape()).copyto(arr);
  } catch (const Error &e) {
    throw Error("constant: cannot initialize '" + desc.name + "' of shape " +
                detail::shapeStr(arr.shape()) + " from a value of shape " +
                detail::shapeStr(array_.shape()) + ": " + e.what());
  }
}

Uniform::Uniform(Number scale)
    : Initializer("uniform", {{"scale", text(scale)}}), scale_(scale.value()) {}

void Uniform::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  if (!(scale_ >= 0))
    throw Error("uniform: cannot initialize '" + desc.name +
                "': scale must be non-negative, got " +
                json::floatRepr(scale_));
  nd::random::uniform(-scale_, scale_, arr.shape(), arr.context(), arr.dtype())
      .copyto(arr);
}

Normal::Normal(Number sigma)
    : Initializer("normal", {{"sigma", text(sigma)}}), sigma_(sigma.value()) {}

void Normal::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  if (!(sigma_ >= 0))
    throw Error("normal: cannot initialize '" + desc.name +
                "': sigma must be non-negative, got " +
                json::floatRepr(sigma_));
  nd::random::normal(0, sigma_, arr.shape(), arr.context(), arr.dtype())
      .copyto(arr);
}

namespace detail {

namespace {
// Constant's value from JSON: a number, or nested lists (an array).
InitializerPtr makeConstant(const KwargTexts &kwargs) {
  KwargReader r("constant", kwargs);
  const json::Value *v = r.raw("value");
  r.finish();
  if (!v)
    throw Error("constant: missing required argument 'value'");
  if (v->kind == json::Value::Kind::Number)
    return std::make_shared<Constant>(r.number("value"));
  if (v->kind != json::Value::Kind::Array)
    throw Error("constant: argument 'value' must be a number or a list, got " +
                std::string(json::kindName(*v)));
  // Walk the nested lists, checking they are rectangular.
  std::vector<double> values;
  nd::Shape shape;
  bool integral = true;
  std::function<void(const json::Value &, size_t)> walk =
      [&](const json::Value &x, size_t dim) {
        if (x.kind == json::Value::Kind::Number) {
          if (dim != shape.size())
            throw Error("constant: 'value' is not a rectangular list");
          values.push_back(x.number);
          integral = integral && x.integral;
          return;
        }
        if (x.kind != json::Value::Kind::Array)
          throw Error("constant: 'value' must hold numbers, got " +
                      std::string(json::kindName(x)));
        if (dim == shape.size() && values.empty())
          shape.push_back(int64_t(x.items.size()));
        else if (dim >= shape.size() || shape[dim] != int64_t(x.items.size()))
          throw Error("constant: 'value' is not a rectangular list");
        for (const auto &item : x.items)
          walk(item, dim + 1);
      };
  walk(*v, 0);
  if (values.empty())
    throw Error("constant: 'value' is an empty list");
  return std::make_shared<Constant>(nd::array(
      values, shape, cpu(), integral ? DType::Int64 : DType::Float64));
}
} // namespace

void addBasicFactories(FactoryMap &map) {
  auto zero = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader("zero", kwargs).finish();
    return std::make_shared<Zero>();
  };
  auto one = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader("one", kwargs).finish();
    return std::make_shared<One>();
  };
  map["zero"] = map["zeros"] = zero;
  map["one"] = map["ones"] = one;
  map["constant"] = makeConstant;
  map["uniform"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("uniform", kwargs);
    auto init = std::make_shared<Uniform>(r.number("scale", Number(0.07)));
    r.finish();
    return init;
  };
  map["normal"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("normal", kwargs);
    auto init = std::make_shared<Normal>(r.number("sigma", Number(0.01)));
    r.finish();
    return init;
  };
}

} // namespace detail
} // namespace mxjit::init
