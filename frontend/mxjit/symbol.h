//===- symbol.h - mxjit::sym, MXNet's Symbol API in C++ ---------*- C++ -*-===//
//
// A Symbol is a graph of MXNet operators (nodes named as MXNet names them,
// attributes kept as MXNet's strings, so graphs round-trip through MXNet's
// JSON unchanged). Binding a symbol lowers it to one function of mx-dialect
// ops; forward and backward of a bound graph compile to a single function,
// cached by shape.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_SYMBOL_H
#define MXJIT_SYMBOL_H

#include "mxjit/context.h"
#include "mxjit/ndarray.h"

#include <cstdint>
#include <initializer_list>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mxjit::sym {

namespace detail {
struct Node;
/// One output of a node.
struct Entry {
  std::shared_ptr<Node> node;
  uint32_t index = 0;
};
} // namespace detail

/// A shape as MXNet 1.x writes it: a 0 dimension is unknown and an empty
/// shape is an unknown shape.
using Shape = std::vector<int64_t>;
using AttrMap = std::map<std::string, std::string>;
using GradReq = nd::GradReq;

class Symbol;
class Executor;

/// The value of one keyword argument of an operator call: an input symbol
/// (`weight=w`) or a parameter, written as MXNet writes it into the graph's
/// attributes (`(3, 3)`, `True`, `0.9`, `relu`).
class Arg {
public:
  Arg(const Symbol &s);
  Arg(int v) : Arg(static_cast<long long>(v)) {}
  Arg(long v) : Arg(static_cast<long long>(v)) {}
  Arg(long long v);
  Arg(unsigned v) : Arg(static_cast<long long>(v)) {}
  Arg(double v);
  Arg(bool v);
  Arg(const char *v) : value_(v) {}
  Arg(std::string v) : value_(std::move(v)) {}
  Arg(const Shape &v);
  Arg(std::initializer_list<int64_t> v) : Arg(Shape(v)) {}

  bool isSymbol() const { return symbol_ != nullptr; }
  const Symbol &symbol() const { return *symbol_; }
  /// The attribute string (empty for a symbol).
  const std::string &str() const { return value_; }

private:
  std::shared_ptr<Symbol> symbol_;
  std::string value_;
};

/// Keyword arguments of an operator call, in order: inputs by name,
/// parameters, and optionally "name" and "attr" (ignored as parameters).
using Kwargs = std::vector<std::pair<std::string, Arg>>;

class Symbol {
public:
  /// An empty symbol; most operations on it throw mxjit::Error.
  Symbol() = default;
  explicit Symbol(std::vector<detail::Entry> outputs);

  bool empty() const { return outputs_.empty(); }
  /// The name of a single-output symbol (throws for groups).
  std::string name() const;

  /// Free variables that are not auxiliary states, in graph order.
  std::vector<std::string> list_arguments() const;
  /// "<node>_output" (or the op's own output names: "<node>_mean").
  std::vector<std::string> list_outputs() const;
  /// Variables the graph updates itself (BatchNorm's moving mean/var).
  std::vector<std::string> list_auxiliary_states() const;
  /// Every variable: arguments and auxiliary states in graph order.
  std::vector<std::string> list_inputs() const;
  size_t num_outputs() const { return outputs_.size(); }

  /// The user attribute `key` of this (single-output) symbol's node, with or
  /// without MXNet's `__key__` spelling.
  std::optional<std::string> attr(const std::string &key) const;
  /// Every attribute of this symbol's node (parameters and user attributes).
  AttrMap list_attr() const;
  /// node name -> its attributes, for every node with attributes.
  std::map<std::string, AttrMap> attr_dict() const;
  void set_attr(const AttrMap &attrs);

  /// Every output of every node, as one group (MXNet's get_internals()).
  Symbol get_internals() const;
  /// The inputs of this symbol's node as a group (empty for a variable).
  Symbol get_children() const;
  /// Output `i` of a group or multi-output symbol.
  Symbol operator[](size_t i) const;
  /// The output named `name` (as list_outputs() spells it).
  Symbol operator[](const std::string &name) const;

  /// Composition: a copy in which the free variables named in `kwargs` are
  /// replaced by the given symbols (`net2(data2=net1, name='composed')`).
  Symbol operator()(const std::map<std::string, Symbol> &kwargs,
                    const std::string &name = "") const;
  /// Positional composition: replaces list_arguments() in order.
  Symbol operator()(const std::vector<Symbol> &args,
                    const std::string &name = "") const;
  /// A deep copy (fresh nodes, same names).
  Symbol copy() const;

  struct ShapeResult {
    std::vector<Shape> arg_shapes, out_shapes, aux_shapes;
    /// True when every shape is known.
    bool complete = false;
  };
  /// Infers every shape from the given ones (by argument name, or in
  /// list_arguments() order), forward and backward through the graph.
  /// Throws mxjit::Error naming the node on conflicts or when some shape
  /// stays unknown.
  ShapeResult
  infer_shape(const std::map<std::string, Shape> &shapes = {}) const;
  ShapeResult infer_shape(const std::vector<Shape> &shapes) const;
  /// As infer_shape, but unknown shapes are left empty instead of throwing.
  ShapeResult
  infer_shape_partial(const std::map<std::string, Shape> &shapes) const;

  struct TypeResult {
    std::vector<DType> arg_types, out_types, aux_types;
  };
  /// Infers dtypes (float32 where nothing says otherwise).
  TypeResult infer_type(const std::map<std::string, DType> &types = {}) const;

  /// MXNet's JSON (nodes, arg_nodes, node_row_ptr, heads, attrs).
  std::string tojson() const;
  void save(const std::string &path) const;

  /// Binds arrays to the arguments (by name or in list_arguments() order).
  /// `args_grad` arrays receive gradients per `grad_req` (arguments missing
  /// from `args_grad` get none).
  Executor
  bind(const Context &ctx, const std::map<std::string, nd::NDArray> &args,
       const std::map<std::string, nd::NDArray> &args_grad = {},
       const std::map<std::string, GradReq> &grad_req = {},
       const std::map<std::string, nd::NDArray> &aux_states = {}) const;
  Executor bind(const Context &ctx, const std::vector<nd::NDArray> &args,
                const std::vector<nd::NDArray> &args_grad = {},
                GradReq grad_req = GradReq::Write,
                const std::vector<nd::NDArray> &aux_states = {}) const;
  /// Allocates every array from the shapes of some arguments (zeros).
  Executor simple_bind(const Context &ctx,
                       const std::map<std::string, Shape> &shapes,
                       GradReq grad_req = GradReq::Write,
                       const std::map<std::string, DType> &types = {}) const;
  Executor simple_bind(const Context &ctx,
                       const std::map<std::string, Shape> &shapes,
                       const std::map<std::string, GradReq> &grad_req,
                       const std::map<std::string, DType> &types = {}) const;
  /// Binds, runs forward (inference) and returns the outputs.
  std::vector<nd::NDArray>
  eval(const Context &ctx,
       const std::map<std::string, nd::NDArray> &args) const;

  /// A readable listing of the graph (MXNet's debug_str()).
  std::string debug_str() const;

  const std::vector<detail::Entry> &entries() const { return outputs_; }

private:
  std::vector<detail::Entry> outputs_;
};

/// A free variable. `shape`/`dtype` are recorded as `__shape__`/`__dtype__`
/// and used by infer_shape/infer_type; `attrs` are user attributes.
Symbol Variable(const std::string &name, const AttrMap &attrs = {},
                const Shape &shape = {},
                std::optional<DType> dtype = std::nullopt);
inline Symbol var(const std::string &name, const AttrMap &attrs = {},
                  const Shape &shape = {},
                  std::optional<DType> dtype = std::nullopt) {
  return Variable(name, attrs, shape, dtype);
}
/// The outputs of several symbols as one.
Symbol Group(const std::vector<Symbol> &symbols);

/// Any registered MXNet operator by name ("FullyConnected", "_plus",
/// "broadcast_add", ...): `positional` fills the op's inputs in order,
/// `kwargs` holds named inputs, parameters, "name" and "attr". Missing
/// inputs become variables named "<name>_<input>" (fc1_weight).
Symbol Op(const std::string &op, const std::vector<Symbol> &positional,
          const Kwargs &kwargs = {}, const std::string &name = "");

/// Every registered operator, as MXNet names it (aliases included).
std::vector<std::string> list_operators();

Symbol load(const std::string &path);
Symbol fromjson(const std::string &json);
inline Symbol load_json(const std::string &json) { return fromjson(json); }

/// A saved model (MXNet's mx.model.load_checkpoint): the symbol and its
/// parameters split into arguments and auxiliary states.
struct Checkpoint {
  Symbol symbol;
  std::map<std::string, nd::NDArray> arg_params, aux_params;
};
/// Writes "<prefix>-symbol.json" and "<prefix>-<epoch as 4 digits>.params",
/// the arrays (copied to the CPU) named "arg:<name>" and "aux:<name>", as
/// mx.model.save_checkpoint does.
void save_checkpoint(const std::string &prefix, int epoch, const Symbol &symbol,
                     const std::map<std::string, nd::NDArray> &arg_params,
                     const std::map<std::string, nd::NDArray> &aux_params);
/// Reads what save_checkpoint (or MXNet) wrote. Throws mxjit::Error naming
/// the file when either is unreadable or a name lacks the "arg:"/"aux:"
/// prefix.
Checkpoint load_checkpoint(const std::string &prefix, int epoch);
/// Splits arrays named "arg:x" / "aux:y" (a checkpoint's .params file, or
/// Module.save_params) into {x: ...} and {y: ...}; other prefixes are
/// skipped as MXNet does; a name without a prefix throws naming `source`.
std::pair<std::map<std::string, nd::NDArray>,
          std::map<std::string, nd::NDArray>>
split_params(const std::map<std::string, nd::NDArray> &saved,
             const std::string &source = "params");

// Operator functions, one per MXNet operator (mxjit/sym_ops.def):
//   Unary ops take their data input first: FullyConnected(x, {{"num_hidden",
//   10}}, "fc1"); the other inputs come from kwargs or are created.
//   Binary ops take two inputs; variadic ops a vector.
#define MXJIT_SYM_UNARY(NAME, OP)                                              \
  Symbol NAME(const Symbol &data, const Kwargs &kwargs = {},                   \
              const std::string &name = "");
#define MXJIT_SYM_BINARY(NAME, OP)                                             \
  Symbol NAME(const Symbol &lhs, const Symbol &rhs, const Kwargs &kwargs = {}, \
              const std::string &name = "");
#define MXJIT_SYM_VARIADIC(NAME, OP)                                           \
  Symbol NAME(const std::vector<Symbol> &data, const Kwargs &kwargs = {},      \
              const std::string &name = "");
#include "mxjit/sym_ops.def"

// Arithmetic as MXNet's Symbol operators (_plus, _plus_scalar, ...).
Symbol operator-(const Symbol &x);
#define MXJIT_SYM_OPERATOR(OP)                                                 \
  Symbol operator OP(const Symbol &lhs, const Symbol &rhs);                    \
  Symbol operator OP(const Symbol &lhs, double rhs);                           \
  Symbol operator OP(double lhs, const Symbol &rhs);
MXJIT_SYM_OPERATOR(+)
MXJIT_SYM_OPERATOR(-)
MXJIT_SYM_OPERATOR(*)
MXJIT_SYM_OPERATOR(/)
MXJIT_SYM_OPERATOR(==)
MXJIT_SYM_OPERATOR(!=)
MXJIT_SYM_OPERATOR(>)
MXJIT_SYM_OPERATOR(>=)
MXJIT_SYM_OPERATOR(<)
MXJIT_SYM_OPERATOR(<=)
#undef MXJIT_SYM_OPERATOR
Symbol pow(const Symbol &base, const Symbol &exp);
Symbol pow(const Symbol &base, double exp);
Symbol pow(double base, const Symbol &exp);

namespace name {
/// Scoped prefix for automatic and explicit names (mx.name.Prefix).
class Prefix {
public:
  explicit Prefix(std::string prefix);
  ~Prefix();
  Prefix(const Prefix &) = delete;
  Prefix &operator=(const Prefix &) = delete;
};
/// Scoped fresh naming counters (mx.name.NameManager()): inside it the
/// first FullyConnected is fullyconnected0 again.
class NameManager {
public:
  NameManager();
  ~NameManager();
  NameManager(const NameManager &) = delete;
  NameManager &operator=(const NameManager &) = delete;
};
} // namespace name

/// Scoped user attributes added to every symbol created inside it
/// (mx.AttrScope(ctx_group='dev1')).
class AttrScope {
public:
  explicit AttrScope(AttrMap attrs);
  ~AttrScope();
  AttrScope(const AttrScope &) = delete;
  AttrScope &operator=(const AttrScope &) = delete;
};

class ExecutorImpl;

/// A symbol bound to arrays (MXNet's Executor). Copies share state.
class Executor {
public:
  Executor() = default;
  explicit Executor(std::shared_ptr<ExecutorImpl> impl);

  /// Runs the graph on the bound arrays (after copying `kwargs` into the
  /// named arguments). With is_train, BatchNorm uses batch statistics and
  /// updates its moving averages, Dropout drops, and a backward() may follow.
  void forward(bool is_train = false,
               const std::map<std::string, nd::NDArray> &kwargs = {});
  /// Gradients of the last is_train forward into the grad arrays;
  /// `out_grads` (one per output) default to ones. Loss outputs
  /// (SoftmaxOutput, *RegressionOutput) ignore them, as in MXNet.
  void backward(const std::vector<nd::NDArray> &out_grads = {});

  const std::vector<nd::NDArray> &outputs();
  std::map<std::string, nd::NDArray> output_dict();
  const std::map<std::string, nd::NDArray> &arg_dict() const;
  const std::map<std::string, nd::NDArray> &grad_dict() const;
  const std::map<std::string, nd::NDArray> &aux_dict() const;
  std::vector<nd::NDArray> arg_arrays() const;
  std::vector<nd::NDArray> grad_arrays() const;
  std::vector<nd::NDArray> aux_arrays() const;
  /// Copies values into the bound arrays; names not bound throw unless
  /// allow_extra_params.
  void
  copy_params_from(const std::map<std::string, nd::NDArray> &arg_params,
                   const std::map<std::string, nd::NDArray> &aux_params = {},
                   bool allow_extra_params = false);

  /// Compile statistics of this executor's functions.
  struct Stats {
    /// Wall time of this executor's compiles (graph building included),
    /// of which the MLIR pipeline and LLVM (optimisation and codegen).
    double compileMs = 0, pipelineMs = 0, llvmMs = 0;
    unsigned compiles = 0;
    /// Functions found in the on-disk compile cache instead of compiled,
    /// and the wall time of getting them (graph building included).
    unsigned diskLoads = 0;
    double loadMs = 0;
    uint64_t calls = 0;
  };
  Stats stats() const;
  /// The mx-dialect module the last run compiled (for inspection).
  std::string debug_mlir(bool is_train = true) const;

  const Symbol &symbol() const;

private:
  ExecutorImpl &impl() const;
  std::shared_ptr<ExecutorImpl> impl_;
};

} // namespace mxjit::sym

namespace mxjit::viz {
/// Graphviz DOT of the network, with shapes on edges when `shapes` gives
/// the input shapes. Parameter variables (weights, biases, aux states) are
/// hidden unless `hide_weights` is false.
std::string plot_network(const sym::Symbol &symbol,
                         const std::map<std::string, sym::Shape> &shapes = {},
                         const std::string &title = "plot",
                         bool hide_weights = true);
/// Writes `<path>` as DOT, or renders it with Graphviz's `dot` when `format`
/// is "svg" or "png" (throws mxjit::Error when dot is not installed).
void save_network(const sym::Symbol &symbol, const std::string &path,
                  const std::map<std::string, sym::Shape> &shapes = {},
                  const std::string &format = "dot");
} // namespace mxjit::viz

#endif // MXJIT_SYMBOL_H
