//===- Bind.cpp - bind, simple_bind and eval ------------------------------===//

#include "sym/ExecutorImpl.h"

#include "runtime/Error.h"

#include <algorithm>

namespace mxjit::sym {

using nd::NDArray;

namespace {

/// Arrays by name, in `names` order; names missing from `given` stay empty
/// handles. Names in `given` that are not in `names` throw.
std::vector<NDArray> byName(const std::map<std::string, NDArray> &given,
                            const std::vector<std::string> &names,
                            const char *what) {
  std::vector<NDArray> out(names.size());
  std::map<std::string, size_t> index;
  for (size_t i = 0; i < names.size(); ++i)
    index.emplace(names[i], i);
  for (const auto &[name, value] : given) {
    auto it = index.find(name);
    if (it == index.end())
      throw Error(std::string("bind: '") + name + "' in " + what + " is not " +
                  (std::string(what) == "aux_states" ? "an auxiliary state"
                                                     : "an argument") +
                  " of the symbol");
    out[it->second] = value;
  }
  return out;
}

std::vector<NDArray> inOrder(const std::vector<NDArray> &given,
                             const std::vector<std::string> &names,
                             const char *what, bool allowEmpty) {
  if (given.empty() && allowEmpty)
    return std::vector<NDArray>(names.size());
  if (given.size() != names.size())
    throw Error(std::string("bind: ") + what + " has " +
                std::to_string(given.size()) + " arrays but the symbol has " +
                std::to_string(names.size()));
  return given;
}

std::vector<GradReq> requests(const std::vector<NDArray> &grads,
                              const std::vector<std::string> &names,
                              const std::map<std::string, GradReq> &given,
                              GradReq dflt) {
  for (const auto &[name, req] : given)
    if (std::find(names.begin(), names.end(), name) == names.end())
      throw Error("bind: grad_req names '" + name +
                  "', which is not an argument of the symbol");
  std::vector<GradReq> reqs;
  for (size_t i = 0; i < names.size(); ++i) {
    auto it = given.find(names[i]);
    GradReq req = it != given.end() ? it->second : dflt;
    reqs.push_back(grads[i].empty() ? GradReq::Null : req);
  }
  return reqs;
}

Executor make(const Symbol &s, const Context &ctx, std::vector<NDArray> args,
              std::vector<NDArray> grads, std::vector<GradReq> reqs,
              std::vector<NDArray> aux) {
  if (s.empty())
    throw Error("bind: the symbol is empty");
  return Executor(
      std::make_shared<ExecutorImpl>(s, ctx, std::move(args), std::move(grads),
                                     std::move(reqs), std::move(aux)));
}

} // namespace

Executor Symbol::bind(const Context &ctx,
                      const std::map<std::string, NDArray> &args,
                      const std::map<std::string, NDArray> &args_grad,
                      const std::map<std::string, GradReq> &grad_req,
                      const std::map<std::string, NDArray> &aux_states) const {
  std::vector<std::string> argNames = list_arguments();
  std::vector<std::string> auxNames = list_auxiliary_states();
  std::vector<NDArray> grads = byName(args_grad, argNames, "args_grad");
  std::vector<GradReq> reqs =
      requests(grads, argNames, grad_req, GradReq::Write);
  return make(*this, ctx, byName(args, argNames, "args"), std::move(grads),
              std::move(reqs), byName(aux_states, auxNames, "aux_states"));
}

Executor Symbol::bind(const Context &ctx, const std::vector<NDArray> &args,
                      const std::vector<NDArray> &args_grad, GradReq grad_req,
                      const std::vector<NDArray> &aux_states) const {
  std::vector<std::string> argNames = list_arguments();
  std::vector<NDArray> grads =
      inOrder(args_grad, argNames, "args_grad", /*allowEmpty=*/true);
  std::vector<GradReq> reqs = requests(grads, argNames, {}, grad_req);
  return make(*this, ctx, inOrder(args, argNames, "args", false),
              std::move(grads), std::move(reqs),
              inOrder(aux_states, list_auxiliary_states(), "aux_states",
                      list_auxiliary_states().empty()));
}

Executor Symbol::simple_bind(const Context &ctx,
                             const std::map<std::string, Shape> &shapes,
                             GradReq grad_req,
                             const std::map<std::string, DType> &types) const {
  std::map<std::string, GradReq> reqs;
  for (const std::string &name : list_arguments())
    reqs[name] = grad_req;
  return simple_bind(ctx, shapes, reqs, types);
}

Executor Symbol::simple_bind(const Context &ctx,
                             const std::map<std::string, Shape> &shapes,
                             const std::map<std::string, GradReq> &grad_req,
                             const std::map<std::string, DType> &types) const {
  ShapeResult inferred = infer_shape(shapes);
  TypeResult dtypes = infer_type(types);
  std::vector<std::string> argNames = list_arguments();
  std::vector<NDArray> args, grads;
  std::vector<GradReq> reqs;
  for (size_t i = 0; i < argNames.size(); ++i) {
    args.push_back(nd::zeros(inferred.arg_shapes[i], ctx, dtypes.arg_types[i]));
    auto it = grad_req.find(argNames[i]);
    GradReq req = it == grad_req.end() ? GradReq::Null : it->second;
    reqs.push_back(req);
    grads.push_back(req == GradReq::Null ? NDArray()
                                         : nd::zeros(inferred.arg_shapes[i],
                                                     ctx, dtypes.arg_types[i]));
  }
  for (const auto &[name, req] : grad_req)
    if (std::find(argNames.begin(), argNames.end(), name) == argNames.end())
      throw Error("simple_bind: grad_req names '" + name +
                  "', which is not an argument of the symbol");
  std::vector<NDArray> aux;
  for (size_t i = 0; i < inferred.aux_shapes.size(); ++i)
    aux.push_back(nd::zeros(inferred.aux_shapes[i], ctx, dtypes.aux_types[i]));
  return make(*this, ctx, std::move(args), std::move(grads), std::move(reqs),
              std::move(aux));
}

std::vector<NDArray>
Symbol::eval(const Context &ctx,
             const std::map<std::string, NDArray> &args) const {
  std::map<std::string, NDArray> aux;
  Executor exe = bind(ctx, args, {}, {}, aux);
  exe.forward(false);
  return exe.outputs();
}

} // namespace mxjit::sym
