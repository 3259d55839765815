//===- Checkpoint.cpp - mx.model.save_checkpoint / load_checkpoint --------===//

#include "mxjit/symbol.h"

#include "runtime/Error.h"

#include <cstdio>

namespace mxjit::sym {

namespace {

std::string paramsPath(const std::string &prefix, int epoch) {
  if (epoch < 0)
    throw Error("checkpoint '" + prefix + "': negative epoch " +
                std::to_string(epoch));
  char digits[16];
  std::snprintf(digits, sizeof digits, "%04d", epoch);
  return prefix + "-" + digits + ".params";
}

} // namespace

void save_checkpoint(const std::string &prefix, int epoch, const Symbol &symbol,
                     const std::map<std::string, nd::NDArray> &arg_params,
                     const std::map<std::string, nd::NDArray> &aux_params) {
  std::string params = paramsPath(prefix, epoch);
  symbol.save(prefix + "-symbol.json");
  std::map<std::string, nd::NDArray> saved;
  for (const auto &[name, array] : arg_params)
    saved["arg:" + name] = array.as_in_context(cpu());
  for (const auto &[name, array] : aux_params)
    saved["aux:" + name] = array.as_in_context(cpu());
  nd::save(params, saved);
}

std::pair<std::map<std::string, nd::NDArray>,
          std::map<std::string, nd::NDArray>>
split_params(const std::map<std::string, nd::NDArray> &saved,
             const std::string &source) {
  std::map<std::string, nd::NDArray> args, aux;
  for (const auto &[key, array] : saved) {
    size_t colon = key.find(':');
    if (colon == std::string::npos)
      throw Error(source + ": array '" + key +
                  "' has no \"arg:\" or \"aux:\" prefix (not a checkpoint "
                  "parameter file?)");
    std::string type = key.substr(0, colon), name = key.substr(colon + 1);
    if (type == "arg")
      args[name] = array;
    else if (type == "aux")
      aux[name] = array;
  }
  return {std::move(args), std::move(aux)};
}

Checkpoint load_checkpoint(const std::string &prefix, int epoch) {
  std::string params = paramsPath(prefix, epoch);
  Checkpoint c;
  c.symbol = load(prefix + "-symbol.json");
  auto [args, aux] = split_params(nd::load(params), "'" + params + "'");
  c.arg_params = std::move(args);
  c.aux_params = std::move(aux);
  return c;
}

} // namespace mxjit::sym
