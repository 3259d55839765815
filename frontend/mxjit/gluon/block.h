//===- block.h - mxjit::gluon Block, Sequential and name scopes -*- C++ -*-===//
//
// MXNet 1.x's gluon/block.py for imperative use. Blocks are held by
// shared_ptr; a block made without a prefix is named `<alias><n>_` from a
// per-scope counter (the first Dense is `dense0_`), and blocks made inside
// a parent's name_scope() get `<parent prefix><alias><n>_` from the
// parent's own counter (`sequential0_dense0_`). Parameters are named
// `<prefix><name>` (`dense0_weight`).
//
// hybridize() only records a flag: imperative NDArrays are traced lazily
// and backward() evaluates every gradient together, so a block's forward
// and backward (with the previous step's optimizer updates) already run as
// one cached compiled function, hybridized or not.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_GLUON_BLOCK_H
#define MXJIT_GLUON_BLOCK_H

#include "mxjit/gluon/parameter.h"

#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace mxjit::gluon {

class Block;
using BlockPtr = std::shared_ptr<Block>;

/// A fresh set of top-level name counters while alive (MXNet's
/// `with mx.name.NameManager():`), so that names restart at `dense0_`.
class NameManager {
public:
  NameManager();
  ~NameManager();
  NameManager(const NameManager &) = delete;
  NameManager &operator=(const NameManager &) = delete;
};

/// Blocks created while it is alive are children in `block`'s scope.
class NameScope {
public:
  explicit NameScope(Block *block);
  ~NameScope();
  NameScope(const NameScope &) = delete;
  NameScope &operator=(const NameScope &) = delete;
};

class Block : public std::enable_shared_from_this<Block> {
public:
  virtual ~Block() = default;
  Block(const Block &) = delete;
  Block &operator=(const Block &) = delete;

  /// `dense0_`; name() is it without the trailing '_'.
  const std::string &prefix() const { return prefix_; }
  std::string name() const;
  /// This block's own parameters (not its children's).
  ParameterDict &params() { return *params_; }
  const std::shared_ptr<ParameterDict> &params_ptr() const { return params_; }
  /// This block's and its descendants' parameters whose names match
  /// `select` from their start (Python's re.match; ECMAScript syntax);
  /// empty selects all. A bad pattern throws mxjit::Error.
  ParameterDict collect_params(const std::string &select = "") const;
  /// collect_params().initialize(init, ctx, force_reinit).
  void initialize(init::InitializerPtr init = nullptr, Context ctx = cpu(),
                  bool force_reinit = false);

  /// `auto scope = block->name_scope();` around creating children.
  NameScope name_scope() { return NameScope(this); }
  /// Adds a child (in order) and returns it. `name` is its key in
  /// save_parameters' structural names (MXNet's attribute name); by default
  /// its position, as Sequential's children are "0", "1", ...
  template <typename T>
  std::shared_ptr<T> register_child(std::shared_ptr<T> b,
                                    const std::string &name = "") {
    registerChild(b, name);
    return b;
  }
  const std::vector<BlockPtr> &children() const { return children_; }

  /// Parameters by structural name: own ones by their name without the
  /// dict prefix ("weight"), children's under "<child name>." ("0.weight",
  /// "1.0.bias"), as MXNet's _collect_params_with_prefix.
  std::map<std::string, ParameterPtr>
  collect_params_with_prefix(const std::string &prefix = "") const;
  /// nd::save of every parameter's data by structural name, which does not
  /// depend on the blocks' prefixes (a model rebuilt in another name scope
  /// loads it). `deduplicate` saves a parameter shared by several blocks
  /// once, under its first name.
  void save_parameters(const std::string &path, bool deduplicate = false) const;
  /// Reads save_parameters' files (a file of prefixed names, as
  /// ParameterDict::save writes, loads through collect_params().load with
  /// this block's prefix, as in MXNet). A parameter not in the file throws
  /// unless allow_missing; a name in the file that is not a parameter
  /// throws unless ignore_extra; shapes and dtypes must match.
  void load_parameters(const std::string &path, Context ctx = cpu(),
                       bool allow_missing = false, bool ignore_extra = false);

  /// One input; the default calls the multi-input forward.
  virtual nd::NDArray forward(const nd::NDArray &x);
  /// Several inputs; the default requires one and calls forward(x).
  virtual std::vector<nd::NDArray> forward(const std::vector<nd::NDArray> &xs);
  nd::NDArray operator()(const nd::NDArray &x) { return forward(x); }
  std::vector<nd::NDArray> operator()(const std::vector<nd::NDArray> &xs) {
    return forward(xs);
  }

  /// Records the flag on this block and its children (see the file
  /// comment: execution is the same either way).
  void hybridize(bool active = true);
  bool hybridized() const { return hybridized_; }

protected:
  /// `alias` is MXNet's class-name hint ("dense"); `prefix` unset takes
  /// the scope's counter; `params` shares another dict's parameters.
  Block(const std::string &alias, std::optional<std::string> prefix = {},
        std::shared_ptr<ParameterDict> params = nullptr);
  /// Finishes deferred initialization of this block's own parameters.
  void finishDeferredInit();

private:
  friend class NameScope;
  void registerChild(const BlockPtr &child, const std::string &name);

  std::string prefix_;
  std::shared_ptr<ParameterDict> params_;
  std::vector<BlockPtr> children_;
  std::vector<std::string> childNames_;
  std::map<std::string, int> childCounter_;
  bool hybridized_ = false;
};

/// MXNet's HybridBlock: the base of the built-in layers and of user blocks
/// meant to be hybridized. Execution is the same as a Block's (see the file
/// comment); derive from it and override forward:
///
///   class Net : public gluon::HybridBlock {
///   public:
///     Net() : HybridBlock("net") {
///       auto scope = name_scope();
///       fc = register_child(std::make_shared<nn::Dense>(10), "fc");
///     }
///     nd::NDArray forward(const nd::NDArray &x) override {
///       return (*fc)(nd::relu(x));
///     }
///     std::shared_ptr<nn::Dense> fc;
///   };
class HybridBlock : public Block {
protected:
  using Block::Block;
};

/// Runs its children in order, each on the previous output.
class Sequential : public Block {
public:
  explicit Sequential(std::optional<std::string> prefix = {},
                      std::shared_ptr<ParameterDict> params = nullptr);
  void add(const BlockPtr &block) { register_child(block); }
  void add(const std::vector<BlockPtr> &blocks);
  BlockPtr operator[](size_t i) const;
  size_t size() const { return children().size(); }
  using Block::forward;
  nd::NDArray forward(const nd::NDArray &x) override;

protected:
  Sequential(const std::string &alias, std::optional<std::string> prefix,
             std::shared_ptr<ParameterDict> params);
};

/// Sequential under its own name (`hybridsequential0_`).
class HybridSequential : public Sequential {
public:
  explicit HybridSequential(std::optional<std::string> prefix = {},
                            std::shared_ptr<ParameterDict> params = nullptr);
};

} // namespace mxjit::gluon

#endif // MXJIT_GLUON_BLOCK_H
