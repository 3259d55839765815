//===- ParameterDict.cpp - gluon.ParameterDict: naming, save and load ----===//

#include "mxjit/gluon/parameter.h"

namespace mxjit::gluon {

namespace {
/// MXNet's _brief_print_list: at most `limit` names, then "...".
std::string briefList(const std::vector<std::string> &names,
                      size_t limit = 10) {
  std::string out;
  for (size_t i = 0; i < names.size(); ++i) {
    if (i == limit / 2 && names.size() > limit) {
      out += ", ...";
      i = names.size() - limit / 2;
    }
    out += (out.empty() ? "'" : ", '") + names[i] + "'";
  }
  return out;
}
} // namespace

ParameterDict::ParameterDict(std::string prefix,
                             std::shared_ptr<ParameterDict> shared)
    : prefix_(std::move(prefix)), shared_(std::move(shared)) {}

ParameterPtr ParameterDict::find(const std::string &full_name) const {
  auto it = index_.find(full_name);
  return it == index_.end() ? nullptr : params_[it->second];
}

void ParameterDict::add(const ParameterPtr &param) {
  index_[param->name()] = params_.size();
  params_.push_back(param);
}

ParameterPtr ParameterDict::get(const std::string &name,
                                const ParameterOptions &options) {
  std::string full = prefix_ + name;
  ParameterPtr param = find(full);
  if (!param && shared_) {
    param = shared_->find(full);
    if (param)
      add(param);
  }
  if (!param) {
    param = std::make_shared<Parameter>(
        full, options.grad_req, options.shape, options.dtype, options.lr_mult,
        options.wd_mult, options.init, options.allow_deferred_init);
    add(param);
    return param;
  }
  if (!options.shape.empty())
    param->set_shape(options.shape);
  return param;
}

ParameterPtr ParameterDict::operator[](const std::string &full_name) const {
  if (ParameterPtr p = find(full_name))
    return p;
  throw Error("Parameter '" + full_name +
              "' is not in the ParameterDict; it holds " + briefList(keys()));
}

bool ParameterDict::contains(const std::string &full_name) const {
  return index_.count(full_name) != 0;
}

std::vector<std::string> ParameterDict::keys() const {
  std::vector<std::string> out;
  for (const ParameterPtr &p : params_)
    out.push_back(p->name());
  return out;
}

void ParameterDict::insert(const ParameterPtr &p) {
  if (!p)
    throw Error("ParameterDict: cannot insert a null Parameter");
  ParameterPtr mine = find(p->name());
  if (mine && mine != p)
    throw Error("Cannot update self with other because they have different "
                "Parameters with the same name '" +
                p->name() + "'");
  if (!mine)
    add(p);
}

void ParameterDict::update(const ParameterDict &other) {
  for (const ParameterPtr &p : other.params_)
    insert(p);
}

void ParameterDict::initialize(init::InitializerPtr init, Context ctx,
                               bool force_reinit) {
  for (const ParameterPtr &p : params_)
    p->initialize(nullptr, ctx, init, force_reinit);
}

void ParameterDict::zero_grad() {
  for (const ParameterPtr &p : params_)
    p->zero_grad();
}

void ParameterDict::save(const std::string &path,
                         const std::string &strip_prefix) {
  std::map<std::string, nd::NDArray> arrays;
  for (const ParameterPtr &p : params_) {
    if (p->name().compare(0, strip_prefix.size(), strip_prefix) != 0)
      throw Error("Prefix '" + strip_prefix +
                  "' is to be striped before saving, but Parameter's name '" +
                  p->name() + "' does not start with '" + strip_prefix + "'");
    arrays[p->name().substr(strip_prefix.size())] = p->data();
  }
  nd::save(path, arrays);
}

void ParameterDict::load(const std::string &path, Context ctx,
                         bool allow_missing, bool ignore_extra,
                         const std::string &restore_prefix) {
  for (const ParameterPtr &p : params_)
    if (p->name().compare(0, restore_prefix.size(), restore_prefix) != 0)
      throw Error("restore_prefix is '" + restore_prefix +
                  "' but Parameter's name '" + p->name() +
                  "' does not start with '" + restore_prefix + "'");
  std::map<std::string, nd::NDArray> loaded;
  std::vector<std::string> loadedNames;
  for (auto &[key, value] : nd::load(path)) {
    std::string name = key;
    if (name.rfind("arg:", 0) == 0 || name.rfind("aux:", 0) == 0)
      name = name.substr(4);
    loaded[restore_prefix + name] = value;
    loadedNames.push_back(name);
  }
  if (!allow_missing)
    for (const ParameterPtr &p : params_)
      if (!loaded.count(p->name()))
        throw Error("Parameter '" + p->name().substr(restore_prefix.size()) +
                    "' is missing in file '" + path +
                    "', which contains parameters: " + briefList(loadedNames) +
                    ". Please make sure source and target networks have the "
                    "same prefix.");
  for (auto &[name, value] : loaded) {
    ParameterPtr p = find(name);
    if (!p) {
      if (ignore_extra)
        continue;
      throw Error("Parameter '" + name.substr(restore_prefix.size()) +
                  "' loaded from file '" + path +
                  "' is not present in ParameterDict, choices are: " +
                  briefList(keys()) +
                  ". Set ignore_extra to True to ignore. Please make sure "
                  "source and target networks have the same prefix.");
    }
    p->load_init(value, ctx);
  }
}

} // namespace mxjit::gluon
