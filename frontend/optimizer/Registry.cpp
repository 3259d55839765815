//===- Registry.cpp - optimizer::create by name ---------------------------===//

#include "mxjit/optimizer.h"

#include <algorithm>
#include <cctype>
#include <mutex>
#include <set>

namespace mxjit::optimizer {

namespace {

std::string lower(std::string s) {
  std::transform(s.begin(), s.end(), s.begin(),
                 [](unsigned char c) { return std::tolower(c); });
  return s;
}

/// Reads the optimizer's own arguments, rejecting any it does not know.
class Args {
public:
  Args(const std::string &name, const Kwargs &kwargs,
       std::set<std::string> known)
      : name_(name), kwargs_(kwargs) {
    known.insert({"lazy_update", "multi_precision"});
    for (const auto &[key, value] : kwargs)
      if (!known.count(key))
        throw Error("optimizer '" + name + "': unknown argument '" + key + "'");
  }
  double get(const std::string &key, double fallback) const {
    auto it = kwargs_.find(key);
    return it == kwargs_.end() ? fallback : it->second;
  }
  std::optional<double> optional(const std::string &key) const {
    auto it = kwargs_.find(key);
    return it == kwargs_.end() ? std::nullopt
                               : std::optional<double>(it->second);
  }

private:
  std::string name_;
  const Kwargs &kwargs_;
};

std::map<std::string, Factory> builtins() {
  std::map<std::string, Factory> r;
  r["sgd"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("sgd", kw, {"momentum"});
    return std::make_unique<SGD>(a.get("momentum", 0.0), p);
  };
  r["nag"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("nag", kw, {"momentum"});
    return std::make_unique<NAG>(a.get("momentum", 0.0), p);
  };
  r["adam"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("adam", kw, {"beta1", "beta2", "epsilon"});
    return std::make_unique<Adam>(a.get("beta1", 0.9), a.get("beta2", 0.999),
                                  a.get("epsilon", 1e-8), p);
  };
  r["rmsprop"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("rmsprop", kw,
           {"gamma1", "gamma2", "epsilon", "centered", "clip_weights"});
    return std::make_unique<RMSProp>(
        a.get("gamma1", 0.9), a.get("gamma2", 0.9), a.get("epsilon", 1e-8),
        a.get("centered", 0.0) != 0.0, a.optional("clip_weights"), p);
  };
  r["adagrad"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("adagrad", kw, {"eps"});
    return std::make_unique<AdaGrad>(a.get("eps", 1e-7), p);
  };
  r["adadelta"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("adadelta", kw, {"rho", "epsilon"});
    return std::make_unique<AdaDelta>(a.get("rho", 0.9), a.get("epsilon", 1e-5),
                                      p);
  };
  r["adamax"] = [](const Kwargs &kw, const OptimizerParams &p) {
    Args a("adamax", kw, {"beta1", "beta2"});
    return std::make_unique<Adamax>(a.get("beta1", 0.9), a.get("beta2", 0.999),
                                    p);
  };
  return r;
}

std::mutex &registryMutex() {
  static std::mutex m;
  return m;
}

std::map<std::string, Factory> &registry() {
  static std::map<std::string, Factory> r = builtins();
  return r;
}

} // namespace

std::unique_ptr<Optimizer>
create(const std::string &name, const Kwargs &kwargs,
       std::shared_ptr<lr_scheduler::LRScheduler> lr_scheduler,
       std::map<int64_t, std::string> param_idx2name) {
  Factory factory;
  {
    std::lock_guard<std::mutex> lock(registryMutex());
    auto it = registry().find(lower(name));
    if (it == registry().end())
      throw Error("optimizer: no optimizer named '" + name + "'");
    factory = it->second;
  }
  // The common arguments go into OptimizerParams; the rest stay for the
  // optimizer's own factory.
  OptimizerParams params;
  params.lr_scheduler = std::move(lr_scheduler);
  params.param_idx2name = std::move(param_idx2name);
  Kwargs own;
  for (const auto &[key, value] : kwargs) {
    if (key == "learning_rate")
      params.learning_rate = value;
    else if (key == "wd")
      params.wd = value;
    else if (key == "rescale_grad")
      params.rescale_grad = value;
    else if (key == "clip_gradient")
      params.clip_gradient = value;
    else if (key == "begin_num_update")
      params.begin_num_update = static_cast<int64_t>(value);
    else
      own[key] = value;
  }
  return factory(own, params);
}

void register_optimizer(const std::string &name, Factory factory) {
  if (!factory)
    throw Error("optimizer: register_optimizer('" + name +
                "') needs a factory");
  std::lock_guard<std::mutex> lock(registryMutex());
  registry()[lower(name)] = std::move(factory);
}

std::vector<std::string> registered() {
  std::lock_guard<std::mutex> lock(registryMutex());
  std::vector<std::string> names;
  for (const auto &[name, factory] : registry())
    names.push_back(name);
  return names;
}

} // namespace mxjit::optimizer
