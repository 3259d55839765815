//===- parameter.h - mxjit::gluon Parameter and ParameterDict ---*- C++ -*-===//
//
// MXNet 1.x's gluon/parameter.py on one context: a Parameter owns its data
// array (with an autograd gradient buffer unless grad_req is "null") and
// may defer its initialization until the first forward pass tells it its
// shape. A ParameterDict names parameters `<prefix><name>`, in creation
// order, and saves and loads them in MXNet's .params format.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_PARAMETER_H
#define MXJIT_GLUON_PARAMETER_H

#include "mxjit/init.h"
#include "mxjit/ndarray.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace mxjit::gluon {

/// Raised by Parameter::data()/grad() while initialization is deferred
/// (MXNet's DeferredInitializationError).
class DeferredInitializationError : public Error {
public:
  using Error::Error;
};

class Parameter {
public:
  /// `shape` may hold 0 for dimensions not known yet; `grad_req` is
  /// "write", "add" or "null".
  explicit Parameter(std::string name, std::string grad_req = "write",
                     nd::Shape shape = {}, DType dtype = DType::Float32,
                     double lr_mult = 1.0, double wd_mult = 1.0,
                     init::InitializerPtr init = nullptr,
                     bool allow_deferred_init = false);

  const std::string &name() const { return name_; }
  const nd::Shape &shape() const { return shape_; }
  /// Merges `shape` into the current one: an unknown (0) dimension takes
  /// the other's value; a different rank or known size throws mxjit::Error
  /// naming the parameter.
  void set_shape(const nd::Shape &shape);
  DType dtype() const { return dtype_; }
  const std::string &grad_req() const { return gradReq_; }
  /// Changing it after initialization attaches or drops the gradient.
  void set_grad_req(const std::string &req);

  /// The parameter's own initializer (MXNet's `init`); null uses the
  /// default_init of initialize().
  init::InitializerPtr init;
  double lr_mult, wd_mult;
  bool allow_deferred_init;

  /// MXNet's Parameter.initialize. Already initialized (or deferred): a
  /// no-op unless force_reinit. The initializer used is `init`, else the
  /// parameter's own, else `default_init` (Uniform() when null); as in
  /// MXNet it fills the array through its weight rule whatever the name
  /// (that is why Dense's bias_initializer defaults to "zeros"); Mixed and
  /// Load dispatch on the name. An unknown shape defers the work to the
  /// first forward when allow_deferred_init, else throws.
  void initialize(init::InitializerPtr init = nullptr, Context ctx = cpu(),
                  init::InitializerPtr default_init = nullptr,
                  bool force_reinit = false);
  /// Runs a deferred initialization now that the shape is known (layers
  /// call it in their first forward); a no-op when nothing is deferred.
  void finish_deferred_init();
  bool initialized() const { return !data_.empty(); }
  bool deferred() const { return deferred_.has_value(); }

  /// The data array (handles share it, so optimizer updates show through).
  /// Throws DeferredInitializationError while deferred, mxjit::Error when
  /// never initialized.
  nd::NDArray data() const;
  /// The gradient buffer backward writes; throws for grad_req "null".
  nd::NDArray grad() const;
  Context context() const { return ctx_; }
  /// Copies `data` into the parameter (its shape merges with the known
  /// one); while deferred, it becomes the initial value.
  void set_data(const nd::NDArray &data);
  /// Sets the gradient to zero (not counted as a fresh gradient).
  void zero_grad();
  /// Initializes from a loaded array (ParameterDict::load): checks shape
  /// and dtype against the declared ones, naming the parameter.
  void load_init(const nd::NDArray &data, Context ctx = cpu());

  /// Whether backward wrote the gradient since mark_grad_seen() (the
  /// gradient buffer's node changes with every backward).
  bool grad_fresh() const;
  void mark_grad_seen();

private:
  struct Deferred {
    init::InitializerPtr init, default_init;
    Context ctx;
    nd::NDArray data;
  };
  void initImpl(nd::NDArray data, Context ctx);
  void checkShapeKnown() const;

  std::string name_;
  std::string gradReq_;
  nd::Shape shape_;
  DType dtype_;
  Context ctx_ = cpu();
  nd::NDArray data_;
  std::optional<Deferred> deferred_;
  std::shared_ptr<void> seenGrad_;
};

using ParameterPtr = std::shared_ptr<Parameter>;

/// Options of ParameterDict::get for a parameter it creates; set the
/// rarer ones by field.
struct ParameterOptions {
  ParameterOptions(nd::Shape shape = {}, init::InitializerPtr init = nullptr)
      : shape(std::move(shape)), init(std::move(init)) {}
  nd::Shape shape;
  init::InitializerPtr init;
  DType dtype = DType::Float32;
  std::string grad_req = "write";
  double lr_mult = 1.0, wd_mult = 1.0;
  bool allow_deferred_init = false;
};

class ParameterDict {
public:
  explicit ParameterDict(std::string prefix = "",
                         std::shared_ptr<ParameterDict> shared = nullptr);

  const std::string &prefix() const { return prefix_; }
  const std::shared_ptr<ParameterDict> &shared() const { return shared_; }

  /// `<prefix><name>`: this dict's, else the shared dict's, else a new one
  /// made from `options`. For an existing parameter a given shape merges
  /// with the stored one (a conflict throws); other options are the first
  /// creation's.
  ParameterPtr get(const std::string &name,
                   const ParameterOptions &options = {});
  /// By full name; throws mxjit::Error listing the names when absent.
  ParameterPtr operator[](const std::string &full_name) const;
  bool contains(const std::string &full_name) const;
  size_t size() const { return params_.size(); }
  bool empty() const { return params_.empty(); }
  std::vector<std::string> keys() const;
  /// The parameters in creation order.
  const std::vector<ParameterPtr> &values() const { return params_; }
  /// Adds `other`'s parameters; the same name for different Parameter
  /// objects throws.
  void update(const ParameterDict &other);
  /// Adds one parameter under its own name, with update()'s check.
  void insert(const ParameterPtr &param);

  /// Every parameter's initialize(nullptr, ctx, init, force_reinit).
  void initialize(init::InitializerPtr init = nullptr, Context ctx = cpu(),
                  bool force_reinit = false);
  void zero_grad();
  /// nd::save of {name without strip_prefix: data}; a name not starting
  /// with strip_prefix throws.
  void save(const std::string &path, const std::string &strip_prefix = "");
  /// nd::load and load_init by `restore_prefix + saved name` ("arg:" and
  /// "aux:" dropped). Missing parameters throw unless allow_missing; names
  /// not in this dict throw unless ignore_extra.
  void load(const std::string &path, Context ctx = cpu(),
            bool allow_missing = false, bool ignore_extra = false,
            const std::string &restore_prefix = "");

private:
  ParameterPtr find(const std::string &full_name) const;
  void add(const ParameterPtr &param);

  std::string prefix_;
  std::shared_ptr<ParameterDict> shared_;
  std::vector<ParameterPtr> params_;
  std::map<std::string, size_t> index_;
};

} // namespace mxjit::gluon

#endif // MXJIT_GLUON_PARAMETER_H
