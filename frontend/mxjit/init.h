//===- init.h - mxjit::init, MXNet 1.x's weight initializers ----*- C++ -*-===//
//
// Initializers fill parameter arrays by name, as mx.init does: an
// Initializer is called with an InitDesc (the parameter's name and
// attributes) and the array, and picks what to do from the `__init__`
// attribute or the name's suffix. dumps() writes MXNet's exact JSON string
// and create() reads it back, so initializers stored in MXNet symbol files
// (the `__init__` attribute) work unchanged.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_INIT_H
#define MXJIT_INIT_H

#include "mxjit/ndarray.h"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace mxjit::init {

class Initializer;
using InitializerPtr = std::shared_ptr<const Initializer>;

/// A number as the caller spelled it: dumps() writes an int as an int and a
/// float in Python's repr (`Xavier(..., 2)` dumps `2`, `2.0` dumps `2.0`),
/// because MXNet keeps the Python value the user passed.
class Number {
public:
  template <typename T, typename = std::enable_if_t<std::is_arithmetic_v<T> &&
                                                    !std::is_same_v<T, bool>>>
  Number(T v)
      : value_(static_cast<double>(v)), integral_(std::is_integral_v<T>) {}
  double value() const { return value_; }
  bool integral() const { return integral_; }
  /// Python json.dumps spelling: 2, 0.07, 1e-05, 2.0.
  std::string str() const;

private:
  double value_;
  bool integral_;
};

/// What is being initialized (MXNet's InitDesc): the parameter's name and
/// its attributes. An `__init__` attribute holding a dumps() string
/// overrides the initializer the description is passed to.
class InitDesc {
public:
  InitDesc(std::string name, std::map<std::string, std::string> attrs = {},
           InitializerPtr global_init = nullptr)
      : name(std::move(name)), attrs(std::move(attrs)),
        global_init(std::move(global_init)) {}
  std::string name;
  std::map<std::string, std::string> attrs;
  /// The initializer the whole model uses; FusedRNN without its own
  /// initializer falls back to it. Set to the called initializer when null
  /// and that initializer is held by a shared_ptr.
  InitializerPtr global_init;
};

/// The base class (mx.init.Initializer). Held by shared_ptr; subclasses
/// override init_weight, and may override the other hooks.
class Initializer : public std::enable_shared_from_this<Initializer> {
public:
  virtual ~Initializer();

  /// Initializes `arr` for the parameter `desc`: its `__init__` attribute
  /// if set, else by name suffix (see docs/init.md): weight -> init_weight,
  /// bias/beta/min/moving_mean/moving_avg/moving_inv_var -> 0,
  /// gamma/max/moving_var -> 1. Other names throw mxjit::Error
  /// ("Unknown initialization pattern for <name>...").
  virtual void operator()(const InitDesc &desc, nd::NDArray &arr) const;
  void operator()(const std::string &name, nd::NDArray &arr) const {
    (*this)(InitDesc(name), arr);
  }

  /// MXNet's JSON: `["xavier", {"rnd_type": "uniform", ...}]`.
  virtual std::string dumps() const;
  /// The registry name: the class name lowercased ("msraprelu").
  const std::string &name() const { return name_; }
  /// The keyword arguments in MXNet's order, each as its JSON text.
  const std::vector<std::pair<std::string, std::string>> &kwargs() const {
    return kwargs_;
  }

  /// Logs "Initialized <name> as <pattern>: <stat>" to stderr after each
  /// array; `print_func` defaults to norm(x)/sqrt(size) as MXNet.
  Initializer &set_verbosity(
      bool verbose = false,
      std::function<std::string(const nd::NDArray &)> print_func = nullptr);

  /// Same registry name and arguments (MXNet's __eq__).
  bool operator==(const Initializer &other) const;
  bool operator!=(const Initializer &other) const { return !(*this == other); }

  /// The weight rule on its own (MXNet's _init_weight), without name rules.
  virtual void init_weight(const InitDesc &desc, nd::NDArray &arr) const = 0;

protected:
  Initializer(std::string name,
              std::vector<std::pair<std::string, std::string>> kwargs = {});
  virtual void init_bias(const InitDesc &desc, nd::NDArray &arr) const;
  virtual void init_gamma(const InitDesc &desc, nd::NDArray &arr) const;
  virtual void init_beta(const InitDesc &desc, nd::NDArray &arr) const;
  virtual void init_zero(const InitDesc &desc, nd::NDArray &arr) const;
  virtual void init_one(const InitDesc &desc, nd::NDArray &arr) const;
  /// Names no rule matches: throws mxjit::Error.
  virtual void init_default(const InitDesc &desc, nd::NDArray &arr) const;
  void verbose_print(const InitDesc &desc, const std::string &pattern,
                     const nd::NDArray &arr) const;

  std::string name_;
  std::vector<std::pair<std::string, std::string>> kwargs_;
  bool verbose_ = false;
  std::function<std::string(const nd::NDArray &)> print_func_;
};

/// An initializer from a dumps() string (`["normal", {"sigma": 0.5}]`) or a
/// registered name ("xavier", "zeros"), case-insensitive. Throws
/// mxjit::Error for unknown names, malformed JSON, unknown or ill-typed
/// arguments.
InitializerPtr create(const std::string &dumps_or_name);

/// A factory for create(): gets the dumps() arguments as an object of JSON
/// texts by key (`{"sigma": "0.5"}`), in order.
using Factory = std::function<InitializerPtr(
    const std::vector<std::pair<std::string, std::string>> &kwargs)>;
/// Registers a custom initializer under a lowercase name (mx.init.register).
void register_initializer(const std::string &name, Factory factory);

//===----------------------------------------------------------------------===//
// The initializers
//===----------------------------------------------------------------------===//

/// Weights 0 (alias "zeros").
class Zero : public Initializer {
public:
  Zero();
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;
};

/// Weights 1 (alias "ones").
class One : public Initializer {
public:
  One();
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;
};

/// Weights `value`: a scalar or an array broadcast to the weight's shape
/// (dumps() writes an array as nested lists, as MXNet's tolist()).
class Constant : public Initializer {
public:
  explicit Constant(Number value);
  explicit Constant(const nd::NDArray &value);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  double scalar_;
  nd::NDArray array_;
};

/// Uniform in [-scale, scale].
class Uniform : public Initializer {
public:
  explicit Uniform(Number scale = 0.07);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  double scale_;
};

/// Normal with mean 0 and standard deviation `sigma`.
class Normal : public Initializer {
public:
  explicit Normal(Number sigma = 0.01);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  double sigma_;
};

/// Xavier/Glorot: scale = sqrt(magnitude / factor), factor from fan_in =
/// shape[1] * prod(shape[2:]) and fan_out = shape[0] * prod(shape[2:]);
/// uniform in [-scale, scale] or normal with std scale. `rnd_type`:
/// "uniform" | "gaussian"; `factor_type`: "avg" | "in" | "out".
class Xavier : public Initializer {
public:
  explicit Xavier(std::string rnd_type = "uniform",
                  std::string factor_type = "avg", Number magnitude = 3);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

protected:
  std::string rnd_type_, factor_type_;
  double magnitude_;
};

/// He/MSRA: Xavier("gaussian", factor_type, 2 / (1 + slope^2)).
class MSRAPrelu : public Xavier {
public:
  explicit MSRAPrelu(std::string factor_type = "avg", Number slope = 0.25);
};

/// An orthogonal matrix (rows or columns, whichever are fewer, orthonormal)
/// times `scale`, from the QR factorization of a random (shape[0],
/// prod(shape[1:])) matrix. `rand_type`: "uniform" | "normal".
class Orthogonal : public Initializer {
public:
  explicit Orthogonal(Number scale = 1.414, std::string rand_type = "uniform");
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  double scale_;
  std::string rand_type_;
};

/// Bilinear upsampling kernels for 4-D (deconvolution) weights.
class Bilinear : public Initializer {
public:
  Bilinear();
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;
};

/// LSTM biases: 0 except the forget gate's quarter (rows [n/4, n/2)),
/// which gets `forget_bias`.
class LSTMBias : public Initializer {
public:
  explicit LSTMBias(Number forget_bias = 1.0);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  double forget_bias_;
};

/// The packed parameter vector of a fused RNN layer (MXNet's FusedRNNCell
/// layout): each per-gate weight and bias block is initialized by `init`
/// (or the global initializer) under its own name ("l0_i2h_f_weight"), and
/// LSTM forget-gate biases get `forget_bias`. `mode`: "rnn_relu" |
/// "rnn_tanh" | "lstm" | "gru".
class FusedRNN : public Initializer {
public:
  FusedRNN(InitializerPtr init, int num_hidden, int num_layers,
           std::string mode, bool bidirectional = false,
           Number forget_bias = 1.0);
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  InitializerPtr init_;
  int num_hidden_, num_layers_;
  std::string mode_;
  bool bidirectional_;
  double forget_bias_;
};

/// The initializer of the first pattern that matches the name from its
/// start (Python's re.match); no match throws mxjit::Error.
class Mixed : public Initializer {
public:
  Mixed(std::vector<std::string> patterns,
        std::vector<InitializerPtr> initializers);
  void operator()(const InitDesc &desc, nd::NDArray &arr) const override;
  using Initializer::operator();
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;

private:
  struct Rule;
  std::vector<std::shared_ptr<const Rule>> rules_;
};

/// Values loaded from a map or a .params file, with "arg:"/"aux:" prefixes
/// dropped; names not found go to `default_init` (an error without one).
class Load : public Initializer {
public:
  explicit Load(const std::map<std::string, nd::NDArray> &param,
                InitializerPtr default_init = nullptr, bool verbose = false);
  explicit Load(const std::string &path, InitializerPtr default_init = nullptr,
                bool verbose = false);
  void operator()(const InitDesc &desc, nd::NDArray &arr) const override;
  using Initializer::operator();
  void init_weight(const InitDesc &desc, nd::NDArray &arr) const override;
  /// Only a Load made from a file can be written: `["load", {"param":
  /// "<path>", ...}]`; from a map it throws mxjit::Error.
  std::string dumps() const override;

private:
  std::map<std::string, nd::NDArray> param_;
  InitializerPtr default_init_;
  bool verbose_load_;
  bool from_file_;
};

} // namespace mxjit::init

#endif // MXJIT_INIT_H
