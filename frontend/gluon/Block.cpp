//===- Block.cpp - gluon.Block: name scopes, children, parameters --------===//

#include "mxjit/gluon/block.h"

#include <optional>
#include <regex>

namespace mxjit::gluon {

namespace {
/// The blocks whose name_scope() is open, innermost last.
thread_local std::vector<Block *> scopeStack;
/// Top-level counters by alias (MXNet's NameManager), innermost last.
thread_local std::vector<std::map<std::string, int>> nameCounters(1);
} // namespace

NameManager::NameManager() { nameCounters.emplace_back(); }
NameManager::~NameManager() { nameCounters.pop_back(); }

NameScope::NameScope(Block *block) { scopeStack.push_back(block); }
NameScope::~NameScope() { scopeStack.pop_back(); }

Block::Block(const std::string &alias, std::optional<std::string> prefix,
             std::shared_ptr<ParameterDict> params) {
  if (scopeStack.empty()) {
    if (!prefix)
      prefix = alias + std::to_string(nameCounters.back()[alias]++) + "_";
    prefix_ = *prefix;
    params_ = params ? std::make_shared<ParameterDict>(params->prefix(), params)
                     : std::make_shared<ParameterDict>(prefix_);
    return;
  }
  Block *parent = scopeStack.back();
  if (!prefix)
    prefix = alias + std::to_string(parent->childCounter_[alias]++) + "_";
  prefix_ = parent->prefix_ + *prefix;
  params_ =
      params
          ? std::make_shared<ParameterDict>(params->prefix(), params)
          : std::make_shared<ParameterDict>(parent->params_->prefix() + *prefix,
                                            parent->params_->shared());
}

std::string Block::name() const {
  if (!prefix_.empty() && prefix_.back() == '_')
    return prefix_.substr(0, prefix_.size() - 1);
  return prefix_;
}

ParameterDict Block::collect_params(const std::string &select) const {
  ParameterDict out(params_->prefix());
  std::optional<std::regex> pattern;
  if (!select.empty()) {
    try {
      pattern.emplace(select);
    } catch (const std::regex_error &e) {
      throw Error("Block '" + name() + "': collect_params: bad pattern '" +
                  select + "': " + e.what());
    }
  }
  for (const ParameterPtr &p : params_->values())
    // match_continuous anchors at the start only, as Python's re.match.
    if (!pattern || std::regex_search(p->name(), *pattern,
                                      std::regex_constants::match_continuous))
      out.insert(p);
  for (const BlockPtr &child : children_)
    out.update(child->collect_params(select));
  return out;
}

void Block::initialize(init::InitializerPtr init, Context ctx,
                       bool force_reinit) {
  collect_params().initialize(std::move(init), ctx, force_reinit);
}

void Block::registerChild(const BlockPtr &child, const std::string &name) {
  if (!child)
    throw Error("Block '" + this->name() + "': cannot register a null child");
  if (child.get() == this)
    throw Error("Block '" + this->name() +
                "': cannot register itself as a child");
  std::string key = name.empty() ? std::to_string(children_.size()) : name;
  for (const std::string &existing : childNames_)
    if (existing == key)
      throw Error("Block '" + this->name() + "': a child named '" + key +
                  "' is already registered");
  children_.push_back(child);
  childNames_.push_back(key);
}

nd::NDArray Block::forward(const nd::NDArray &) {
  throw Error("Block '" + name() + "' does not implement forward");
}

std::vector<nd::NDArray> Block::forward(const std::vector<nd::NDArray> &xs) {
  if (xs.size() != 1)
    throw Error("Block '" + name() + "' takes one input, got " +
                std::to_string(xs.size()));
  return {forward(xs[0])};
}

void Block::hybridize(bool active) {
  hybridized_ = active;
  for (const BlockPtr &child : children_)
    child->hybridize(active);
}

void Block::finishDeferredInit() {
  for (const ParameterPtr &p : params_->values())
    p->finish_deferred_init();
}

} // namespace mxjit::gluon
