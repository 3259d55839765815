//===- Naming.cpp - NameManager, Prefix and AttrScope ---------------------===//
//
// As in MXNet, the scopes are per thread: the innermost NameManager (a
// Prefix is one) names every new op, and entering one starts fresh
// counters, so `fullyconnected0` can be made again inside it.
//
//===----------------------------------------------------------------------===//

#include "sym/SymbolImpl.h"

#include <unordered_map>

namespace mxjit::sym {

namespace {

struct Manager {
  std::string prefix;
  std::unordered_map<std::string, int64_t> counters;
};

struct ScopeState {
  // The bottom manager is the thread's default one and is never popped.
  std::vector<Manager> managers{Manager{}};
  std::vector<AttrMap> attrScopes;
};

ScopeState &state() {
  thread_local ScopeState s;
  return s;
}

} // namespace

namespace detail {

std::string nextName(const std::string &name, const std::string &hint) {
  Manager &m = state().managers.back();
  if (!name.empty())
    return m.prefix + name;
  int64_t &counter = m.counters[hint];
  return m.prefix + hint + std::to_string(counter++);
}

AttrMap currentScopeAttrs() {
  const auto &scopes = state().attrScopes;
  return scopes.empty() ? AttrMap{} : scopes.back();
}

std::string userAttrKey(const std::string &key) {
  static const char *const hidden[] = {"ctx_group",    "lr_mult",
                                       "wd_mult",      "force_mirroring",
                                       "mirror_stage", "profiler_scope"};
  for (const char *h : hidden)
    if (key == h)
      return "__" + key + "__";
  return key;
}

} // namespace detail

namespace name {

Prefix::Prefix(std::string prefix) {
  state().managers.push_back(Manager{std::move(prefix), {}});
}
Prefix::~Prefix() { state().managers.pop_back(); }

NameManager::NameManager() { state().managers.push_back(Manager{}); }
NameManager::~NameManager() { state().managers.pop_back(); }

} // namespace name

AttrScope::AttrScope(AttrMap attrs) {
  // Inner scopes extend and override the outer ones (MXNet's
  // AttrScope.__enter__ merges the current attributes into the new ones).
  AttrMap merged = detail::currentScopeAttrs();
  for (auto &[k, v] : attrs)
    merged[detail::userAttrKey(k)] = std::move(v);
  state().attrScopes.push_back(std::move(merged));
}
AttrScope::~AttrScope() { state().attrScopes.pop_back(); }

} // namespace mxjit::sym
