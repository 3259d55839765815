//===- Rnn.cpp - LSTMBias and FusedRNN ------------------------------------===//

#include "Detail.h"

#include "runtime/Error.h"

namespace mxjit::init {

using detail::text;

LSTMBias::LSTMBias(Number forget_bias)
    : Initializer("lstmbias", {{"forget_bias", text(forget_bias)}}),
      forget_bias_(forget_bias.value()) {}

void LSTMBias::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  const nd::Shape &shape = arr.shape();
  if (shape.empty())
    throw Error("lstmbias: cannot initialize '" + desc.name +
                "': it needs at least one dimension");
  // The gates are stacked i, f, c, o along axis 0; only f is non-zero.
  int64_t row = shape[0] == 0 ? 0 : arr.size() / shape[0];
  int64_t hidden = shape[0] / 4;
  std::vector<double> values(size_t(arr.size()), 0.0);
  for (int64_t i = hidden * row; i < 2 * hidden * row; ++i)
    values[size_t(i)] = forget_bias_;
  detail::fill(arr, values);
}

namespace {
const std::vector<std::string> *gateNames(const std::string &mode) {
  static const std::vector<std::string> single = {""};
  static const std::vector<std::string> lstm = {"_i", "_f", "_c", "_o"};
  static const std::vector<std::string> gru = {"_r", "_z", "_o"};
  if (mode == "rnn_relu" || mode == "rnn_tanh")
    return &single;
  if (mode == "lstm")
    return &lstm;
  if (mode == "gru")
    return &gru;
  return nullptr;
}
} // namespace

FusedRNN::FusedRNN(InitializerPtr init, int num_hidden, int num_layers,
                   std::string mode, bool bidirectional, Number forget_bias)
    : Initializer("fusedrnn", {{"init", init ? text(init->dumps()) : "null"},
                               {"num_hidden", text(Number(num_hidden))},
                               {"num_layers", text(Number(num_layers))},
                               {"mode", text(mode)},
                               {"bidirectional", text(bidirectional)},
                               {"forget_bias", text(forget_bias)}}),
      init_(std::move(init)), num_hidden_(num_hidden), num_layers_(num_layers),
      mode_(std::move(mode)), bidirectional_(bidirectional),
      forget_bias_(forget_bias.value()) {
  if (!gateNames(mode_))
    throw Error("fusedrnn: mode must be 'rnn_relu', 'rnn_tanh', 'lstm' or "
                "'gru', got '" +
                mode_ + "'");
  if (num_hidden_ <= 0 || num_layers_ <= 0)
    throw Error("fusedrnn: num_hidden and num_layers must be positive, got " +
                std::to_string(num_hidden_) + " and " +
                std::to_string(num_layers_));
}

void FusedRNN::init_weight(const InitDesc &desc, nd::NDArray &arr) const {
  const std::vector<std::string> &gates = *gateNames(mode_);
  int64_t b = bidirectional_ ? 2 : 1, m = int64_t(gates.size());
  int64_t h = num_hidden_, layers = num_layers_;
  int64_t total = arr.size();
  // The input size is implied by the total, as FusedRNNCell.unpack_weights.
  int64_t ni = total / b / h / m - (layers - 1) * (h + b * h + 2) - h - 2;
  int64_t expect =
      (ni + h + 2) * h * m * b + (layers - 1) * m * h * (h + b * h + 2) * b;
  if (arr.ndim() != 1 || ni <= 0 || expect != total)
    throw Error("fusedrnn: cannot initialize '" + desc.name + "' of shape " +
                detail::shapeStr(arr.shape()) +
                ": invalid parameters size for FusedRNNCell (num_hidden " +
                std::to_string(h) + ", num_layers " + std::to_string(layers) +
                ", mode " + mode_ + ")");
  InitializerPtr inner = init_ ? init_ : desc.global_init;
  if (!inner || inner.get() == this)
    throw Error("fusedrnn: cannot initialize '" + desc.name +
                "': no initializer for the unpacked weights (pass init, or a "
                "global initializer in the InitDesc)");

  // One block per gate, named and laid out as FusedRNNCell._slice_weights:
  // all weights (i2h then h2h per layer and direction), then all biases.
  std::vector<double> values(size_t(total), 0.0);
  size_t pos = 0;
  auto block = [&](const std::string &name, const nd::Shape &shape) {
    nd::NDArray part = nd::zeros(shape, cpu(), DType::Float64);
    if (mode_ == "lstm" && name.size() >= 7 &&
        name.compare(name.size() - 7, 7, "_f_bias") == 0)
      detail::fill(part, forget_bias_);
    else
      (*inner)(InitDesc(name, {}, desc.global_init), part);
    for (double v : part.asvector<double>())
      values[pos++] = v;
  };
  const char *dirs[] = {"l", "r"};
  for (int64_t layer = 0; layer < layers; ++layer)
    for (int64_t d = 0; d < b; ++d) {
      std::string prefix = dirs[d] + std::to_string(layer);
      for (const auto &g : gates)
        block(prefix + "_i2h" + g + "_weight",
              layer > 0 ? nd::Shape{h, b * h} : nd::Shape{h, ni});
      for (const auto &g : gates)
        block(prefix + "_h2h" + g + "_weight", {h, h});
    }
  for (int64_t layer = 0; layer < layers; ++layer)
    for (int64_t d = 0; d < b; ++d) {
      std::string prefix = dirs[d] + std::to_string(layer);
      for (const auto &g : gates)
        block(prefix + "_i2h" + g + "_bias", {h});
      for (const auto &g : gates)
        block(prefix + "_h2h" + g + "_bias", {h});
    }
  detail::fill(arr, values);
}

namespace detail {

void addRnnFactories(FactoryMap &map) {
  map["lstmbias"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("lstmbias", kwargs);
    auto init =
        std::make_shared<LSTMBias>(r.number("forget_bias", Number(1.0)));
    r.finish();
    return init;
  };
  map["fusedrnn"] = [](const KwargTexts &kwargs) -> InitializerPtr {
    KwargReader r("fusedrnn", kwargs);
    // `init` is itself a dumps() string (or null).
    InitializerPtr inner;
    const json::Value *init = r.raw("init");
    if (!init)
      throw Error("fusedrnn: missing required argument 'init'");
    if (init->kind == json::Value::Kind::String)
      inner = create(init->string);
    else if (init->kind != json::Value::Kind::Null)
      throw Error("fusedrnn: argument 'init' must be a dumps() string or "
                  "null, got " +
                  std::string(json::kindName(*init)));
    int64_t hidden = r.integer("num_hidden");
    int64_t layers = r.integer("num_layers");
    std::string mode = r.string("mode");
    bool bidirectional = r.boolean("bidirectional", false);
    Number forget = r.number("forget_bias", Number(1.0));
    r.finish();
    if (hidden > INT32_MAX || layers > INT32_MAX)
      throw Error("fusedrnn: num_hidden or num_layers is too large");
    return std::make_shared<FusedRNN>(inner, int(hidden), int(layers), mode,
                                      bidirectional, forget);
  };
}

} // namespace detail
} // namespace mxjit::init
