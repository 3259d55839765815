//===- OpHelpers.h - building registry entries ------------------*- C++ -*-===//

#ifndef MXJIT_FRONTEND_SYM_OPS_OPHELPERS_H
#define MXJIT_FRONTEND_SYM_OPS_OPHELPERS_H

#include "sym/Lowering.h"
#include "sym/SymbolImpl.h"

namespace mxjit::sym::detail {

using ParamList = std::vector<std::pair<std::string, std::string>>;

/// The one visible output, "output", of most ops.
inline std::vector<std::string> singleOutput(const Params &) {
  return {"output"};
}

/// data, weight and, unless no_bias, bias (FullyConnected, Convolution).
inline std::vector<std::string> dataWeightBias(const Params &p) {
  if (p.boolean("no_bias", false))
    return {"data", "weight"};
  return {"data", "weight", "bias"};
}

/// An entry with fixed input names and a single output named "output".
inline OpInfo fixedOp(std::string name, std::vector<std::string> inputs,
                      ParamList params) {
  OpInfo info;
  info.name = std::move(name);
  info.inputs = [inputs](const Params &) { return inputs; };
  info.outputs = singleOutput;
  info.params = std::move(params);
  return info;
}

/// "Error in operator <node> (<op>): <message>", for parameter checks.
inline Error paramError(const Params &p, const std::string &message) {
  return Error("Error in operator " + p.node() + " (" + p.op() +
               "): " + message);
}

/// A lowering producing one value.
template <typename F> auto single(F f) {
  return [f](LowerContext &ctx, const Params &p,
             const std::vector<mlir::Value> &in) {
    return std::vector<mlir::Value>{f(ctx, p, in)};
  };
}

/// "(2, 3)" for a lowered value, for error messages.
inline std::string formatShapeOf(mlir::Value v) {
  llvm::ArrayRef<int64_t> s = shapeOf(v);
  return formatShape(Shape(s.begin(), s.end()));
}

/// Input names arg0 .. arg{n-1} of a variadic op.
inline std::function<std::vector<std::string>(const Params &)>
variadicInputs(std::string key) {
  return [key](const Params &p) {
    std::vector<std::string> names;
    int64_t n = p.i64(key, 0);
    for (int64_t i = 0; i < n; ++i)
      names.push_back("arg" + std::to_string(i));
    return names;
  };
}

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_OPS_OPHELPERS_H
