//===- TrainerStates.cpp - Trainer::save_states and load_states ----------===//

#include "mxjit/gluon/trainer.h"

#include "runtime/TensorSpec.h"

#include <cstdlib>

namespace mxjit::gluon {

namespace {

/// A saved key, `state:<i>:<k>` or `count:<i>`.
struct StateKey {
  bool isCount = false;
  size_t param = 0, slot = 0;
};

bool parseIndex(const std::string &text, size_t &out) {
  if (text.empty() || text.find_first_not_of("0123456789") != std::string::npos)
    return false;
  out = std::strtoull(text.c_str(), nullptr, 10);
  return true;
}

StateKey parseKey(const std::string &key, const std::string &path) {
  StateKey k;
  auto bad = [&] {
    return Error("Trainer.load_states: '" + path + "' has key '" + key +
                 "', which save_states does not write (expected "
                 "'state:<i>:<k>' or 'count:<i>')");
  };
  if (key.rfind("count:", 0) == 0) {
    k.isCount = true;
    if (!parseIndex(key.substr(6), k.param))
      throw bad();
    return k;
  }
  if (key.rfind("state:", 0) != 0)
    throw bad();
  std::string rest = key.substr(6);
  size_t colon = rest.find(':');
  if (colon == std::string::npos ||
      !parseIndex(rest.substr(0, colon), k.param) ||
      !parseIndex(rest.substr(colon + 1), k.slot))
    throw bad();
  return k;
}

} // namespace

void Trainer::save_states(const std::string &path) const {
  std::map<std::string, nd::NDArray> out;
  for (size_t i = 0; i < params_.size(); ++i) {
    if (!states_[i])
      continue;
    std::string index = std::to_string(i);
    for (size_t k = 0; k < states_[i]->size(); ++k)
      out["state:" + index + ":" + std::to_string(k)] = (*states_[i])[k];
    out["count:" + index] =
        nd::array({static_cast<double>(
                      optimizer_->update_count(static_cast<int64_t>(i)))},
                  {1}, params_[i]->context(), DType::Int64);
  }
  nd::save(path, out);
}

void Trainer::load_states(const std::string &path) {
  std::map<std::string, nd::NDArray> loaded = nd::load(path);
  std::map<size_t, std::map<size_t, nd::NDArray>> states;
  std::map<size_t, int64_t> counts;
  for (const auto &[key, value] : loaded) {
    StateKey k = parseKey(key, path);
    if (k.param >= params_.size())
      throw Error("Trainer.load_states: '" + path + "' has key '" + key +
                  "' for parameter " + std::to_string(k.param) +
                  ", but the Trainer has " + std::to_string(params_.size()) +
                  " parameters");
    if (k.isCount) {
      if (value.size() != 1)
        throw Error("Trainer.load_states: '" + key + "' in '" + path +
                    "' must hold one update count, got shape " +
                    formatShape(value.shape()));
      counts[k.param] = value.asscalar<int64_t>();
    } else {
      states[k.param][k.slot] = value;
    }
  }
  // Check everything against what create_state makes before changing any
  // state, so a wrong file leaves the Trainer as it was.
  std::vector<std::optional<optimizer::State>> next = states_;
  for (auto &[i, slots] : states)
    if (!counts.count(i))
      throw Error("Trainer.load_states: '" + path +
                  "' has states but no "
                  "'count:" +
                  std::to_string(i) + "' for parameter '" + params_[i]->name() +
                  "'");
  // Every updated parameter has a count; its states may be none (plain sgd).
  for (auto [i, count] : counts) {
    const Parameter &p = *params_[i];
    std::map<size_t, nd::NDArray> &slots = states[i];
    optimizer::State expected =
        optimizer_->create_state(static_cast<int64_t>(i), p.data());
    if (slots.size() != expected.size() ||
        (!slots.empty() && slots.rbegin()->first + 1 != slots.size()))
      throw Error("Trainer.load_states: parameter '" + p.name() + "' has " +
                  std::to_string(slots.size()) + " state arrays in '" + path +
                  "', but optimizer '" + optimizer_->name() + "' keeps " +
                  std::to_string(expected.size()));
    optimizer::State state;
    for (auto &[k, value] : slots) {
      const nd::NDArray &want = expected[k];
      if (value.shape() != want.shape() || value.dtype() != want.dtype())
        throw Error("Trainer.load_states: 'state:" + std::to_string(i) + ":" +
                    std::to_string(k) + "' for parameter '" + p.name() +
                    "' is " + formatShape(value.shape()) + " " +
                    dtypeName(value.dtype()).str() + ", expected " +
                    formatShape(want.shape()) + " " +
                    dtypeName(want.dtype()).str());
      state.push_back(value.copy());
    }
    next[i] = std::move(state);
  }
  states_ = std::move(next);
  for (auto [i, count] : counts)
    optimizer_->set_update_count(static_cast<int64_t>(i), count);
}

} // namespace mxjit::gluon
