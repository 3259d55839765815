//===- BlockParameters.cpp - Block::save_parameters and load_parameters --===//
//
// MXNet 1.x's Block.save_parameters / load_parameters: files keyed by
// structural names ("0.weight"), which survive renaming the blocks.
//
//===----------------------------------------------------------------------===//

#include "mxjit/gluon/block.h"

#include <set>

namespace mxjit::gluon {

namespace {

/// The keys as Python prints a list of names.
template <typename T>
std::string joinNames(const std::map<std::string, T> &entries) {
  std::string out = "[";
  for (const auto &entry : entries)
    out += (out.size() > 1 ? ", '" : "'") + entry.first + "'";
  return out + "]";
}

} // namespace

std::map<std::string, ParameterPtr>
Block::collect_params_with_prefix(const std::string &prefix) const {
  std::string base = prefix.empty() ? "" : prefix + ".";
  std::map<std::string, ParameterPtr> out;
  const std::string &dictPrefix = params_->prefix();
  for (const ParameterPtr &p : params_->values()) {
    const std::string &full = p->name();
    std::string local =
        full.rfind(dictPrefix, 0) == 0 ? full.substr(dictPrefix.size()) : full;
    out[base + local] = p;
  }
  for (size_t i = 0; i < children_.size(); ++i)
    for (auto &entry :
         children_[i]->collect_params_with_prefix(base + childNames_[i]))
      out.insert(std::move(entry));
  return out;
}

void Block::save_parameters(const std::string &path, bool deduplicate) const {
  std::map<std::string, nd::NDArray> arrays;
  std::set<const Parameter *> saved;
  for (const auto &[key, p] : collect_params_with_prefix()) {
    if (deduplicate && !saved.insert(p.get()).second)
      continue;
    arrays[key] = p->data();
  }
  nd::save(path, arrays);
}

void Block::load_parameters(const std::string &path, Context ctx,
                            bool allow_missing, bool ignore_extra) {
  std::map<std::string, nd::NDArray> loaded = nd::load(path);
  std::map<std::string, ParameterPtr> params = collect_params_with_prefix();
  if (loaded.empty() && params.empty())
    return;
  bool structural = false;
  for (const auto &[key, array] : loaded)
    structural |= key.find('.') != std::string::npos;
  if (!structural) {
    // A file of full names (ParameterDict::save, MXNet's save_params).
    collect_params().load(path, ctx, allow_missing, ignore_extra, prefix());
    return;
  }
  // A parameter shared by several blocks is present when any of its names
  // is (save_parameters' deduplicate keeps only the first).
  std::set<const Parameter *> present;
  for (const auto &[key, p] : params)
    if (loaded.count(key))
      present.insert(p.get());
  if (!allow_missing)
    for (const auto &[key, p] : params)
      if (!present.count(p.get()))
        throw Error("Block '" + name() + "': Parameter '" + key +
                    "' is missing in file '" + path +
                    "', which contains parameters: " + joinNames(loaded) +
                    ". Set allow_missing=True to ignore missing parameters.");
  if (!ignore_extra)
    for (const auto &[key, array] : loaded)
      if (!params.count(key))
        throw Error("Block '" + name() + "': Parameter '" + key +
                    "' loaded from file '" + path +
                    "' is not present in ParameterDict, which contains "
                    "parameters " +
                    joinNames(params) + ". Set ignore_extra=True to ignore.");
  for (const auto &[key, array] : loaded)
    if (auto it = params.find(key); it != params.end())
      it->second->load_init(array, ctx);
}

} // namespace mxjit::gluon
