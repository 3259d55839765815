//===- Initializer.cpp - the Initializer base class and its name rules ----===//

#include "Detail.h"

#include "runtime/Error.h"

#include <cmath>
#include <iostream>

namespace mxjit::init {

std::string Number::str() const {
  json::Value v;
  v.kind = json::Value::Kind::Number;
  v.number = value_;
  v.integral = integral_;
  return json::write(v);
}

Initializer::Initializer(std::string name,
                         std::vector<std::pair<std::string, std::string>> kw)
    : name_(std::move(name)), kwargs_(std::move(kw)) {}

Initializer::~Initializer() = default;

namespace {
bool endsWith(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}
} // namespace

void Initializer::operator()(const InitDesc &in, nd::NDArray &arr) const {
  if (arr.empty())
    throw Error(name_ + ": cannot initialize '" + in.name +
                "': the array is empty");
  InitDesc desc = in;
  if (!desc.global_init)
    desc.global_init = weak_from_this().lock();
  // The suffix rules of MXNet's Initializer.__call__, plus the running
  // statistics its legacy path knew (moving_mean, moving_var, ...), which
  // BatchNorm's auxiliary states need.
  using Hook =
      std::function<void(const Initializer &, const InitDesc &, nd::NDArray &)>;
  static const std::vector<std::pair<std::string, Hook>> rules = {
      {"weight", &Initializer::init_weight},
      {"bias", &Initializer::init_bias},
      {"gamma", &Initializer::init_gamma},
      {"beta", &Initializer::init_beta},
      {"moving_mean", &Initializer::init_zero},
      {"moving_var", &Initializer::init_one},
      {"moving_inv_var", &Initializer::init_zero},
      {"moving_avg", &Initializer::init_zero},
      {"min", &Initializer::init_zero},
      {"max", &Initializer::init_one},
      // int8 weights of quantized layers: random integers in [-127, 127).
      {"weight_quantize",
       [](const Initializer &, const InitDesc &, nd::NDArray &arr) {
         std::vector<double> v =
             nd::random::uniform(-127, 127, arr.shape(), arr.context(),
                                 DType::Float64)
                 .asvector<double>();
         for (double &x : v)
           x = std::floor(x);
         detail::fill(arr, v);
       }},
      {"bias_quantize", &Initializer::init_zero},
  };
  auto attr = desc.attrs.find("__init__");
  try {
    if (attr != desc.attrs.end() && !attr->second.empty()) {
      create(attr->second)->init_weight(desc, arr);
      verbose_print(desc, attr->second, arr);
      return;
    }
    for (const auto &[suffix, hook] : rules) {
      if (endsWith(desc.name, suffix)) {
        hook(*this, desc, arr);
        verbose_print(desc, suffix, arr);
        return;
      }
    }
  } catch (const Error &e) {
    // Errors from the array layer do not know which parameter was meant.
    if (std::string(e.what()).find(desc.name) != std::string::npos)
      throw;
    throw Error(name_ + ": cannot initialize '" + desc.name + "': " + e.what());
  }
  init_default(desc, arr);
}

void Initializer::init_bias(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 0.0);
}
void Initializer::init_gamma(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 1.0);
}
void Initializer::init_beta(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 0.0);
}
void Initializer::init_zero(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 0.0);
}
void Initializer::init_one(const InitDesc &, nd::NDArray &arr) const {
  detail::fill(arr, 1.0);
}

void Initializer::init_default(const InitDesc &desc, nd::NDArray &) const {
  throw Error("Unknown initialization pattern for " + desc.name +
              ". Default initialization is now limited to \"weight\", "
              "\"bias\", \"gamma\" (1.0), and \"beta\" (0.0).Please use "
              "mx.sym.Variable(init=mx.init.*) to set initialization pattern");
}

std::string Initializer::dumps() const {
  std::string out = "[" + json::quote(name_) + ", {";
  for (size_t i = 0; i < kwargs_.size(); ++i)
    out += (i ? ", " : "") + json::quote(kwargs_[i].first) + ": " +
           kwargs_[i].second;
  return out + "}]";
}

bool Initializer::operator==(const Initializer &other) const {
  return typeid(*this) == typeid(other) && name_ == other.name_ &&
         kwargs_ == other.kwargs_;
}

Initializer &Initializer::set_verbosity(
    bool verbose, std::function<std::string(const nd::NDArray &)> print_func) {
  verbose_ = verbose;
  if (!print_func)
    print_func = [](const nd::NDArray &x) {
      double ss = 0;
      for (double v : x.asvector<double>())
        ss += v * v;
      return json::floatRepr(std::sqrt(ss) /
                             std::sqrt(double(std::max<int64_t>(x.size(), 1))));
    };
  print_func_ = std::move(print_func);
  return *this;
}

void Initializer::verbose_print(const InitDesc &desc,
                                const std::string &pattern,
                                const nd::NDArray &arr) const {
  if (verbose_ && print_func_)
    std::clog << "Initialized " << desc.name << " as " << pattern << ": "
              << print_func_(arr) << "\n";
}

namespace detail {

void fill(nd::NDArray &arr, const std::vector<double> &values) {
  if (arr.shape().empty() && values.size() == 1) {
    fill(arr, values[0]);
    return;
  }
  nd::array(values, arr.shape(), arr.context(), arr.dtype()).copyto(arr);
}

void fill(nd::NDArray &arr, double value) {
  nd::full(arr.shape(), value, arr.context(), arr.dtype()).copyto(arr);
}

std::string shapeStr(const nd::Shape &shape) {
  std::string out = "(";
  for (size_t i = 0; i < shape.size(); ++i)
    out += (i ? ", " : "") + std::to_string(shape[i]);
  return out + (shape.size() == 1 ? ",)" : ")");
}

KwargReader::KwargReader(std::string initName, const KwargTexts &kwargs)
    : initName_(std::move(initName)) {
  for (const auto &[key, text] : kwargs)
    values_.emplace_back(key, json::parse(text));
}

const json::Value *KwargReader::find(const std::string &key, bool required) {
  used_.insert(key);
  for (const auto &[k, v] : values_)
    if (k == key)
      return &v;
  if (required)
    throw Error(initName_ + ": missing required argument '" + key + "'");
  return nullptr;
}

void KwargReader::typeError(const std::string &key,
                            const std::string &want) const {
  for (const auto &[k, v] : values_)
    if (k == key)
      throw Error(initName_ + ": argument '" + key + "' must be " + want +
                  ", got " + json::kindName(v) + " " + json::write(v));
  throw Error(initName_ + ": argument '" + key + "' must be " + want);
}

Number KwargReader::number(const std::string &key, std::optional<Number> def) {
  const json::Value *v = find(key, !def);
  if (!v)
    return *def;
  if (v->kind != json::Value::Kind::Number)
    typeError(key, "a number");
  if (v->integral)
    return Number(static_cast<int64_t>(v->number));
  return Number(v->number);
}

int64_t KwargReader::integer(const std::string &key,
                             std::optional<int64_t> def) {
  const json::Value *v = find(key, !def);
  if (!v)
    return *def;
  if (v->kind != json::Value::Kind::Number || !v->integral)
    typeError(key, "an int");
  return static_cast<int64_t>(v->number);
}

std::string KwargReader::string(const std::string &key,
                                std::optional<std::string> def) {
  const json::Value *v = find(key, !def);
  if (!v)
    return *def;
  if (v->kind != json::Value::Kind::String)
    typeError(key, "a string");
  return v->string;
}

bool KwargReader::boolean(const std::string &key, std::optional<bool> def) {
  const json::Value *v = find(key, !def);
  if (!v)
    return *def;
  if (v->kind != json::Value::Kind::Bool)
    typeError(key, "a bool");
  return v->boolean;
}

const json::Value *KwargReader::raw(const std::string &key) {
  return find(key, false);
}

void KwargReader::finish() const {
  for (const auto &[k, v] : values_)
    if (!used_.count(k))
      throw Error(initName_ + ": unexpected keyword argument '" + k + "'");
}

} // namespace detail
} // namespace mxjit::init
