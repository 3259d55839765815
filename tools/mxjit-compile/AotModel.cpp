//===- AotModel.cpp - what mxjit-compile compiles -------------------------===//

#include "AotModel.h"
#include "TrainStep.h"

#include "mxjit/ndarray.h"
#include "mxjit/symbol.h"
#include "sym/Graph.h"
#include "sym/GraphToFunc.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Fingerprint.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Parser/Parser.h"
#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringRef.h"

#include <cstdio>
#include <cstring>
#include <set>

using namespace mxjit;
using namespace mxjit::aot;

namespace {

std::string join(const std::vector<std::string> &names) {
  return llvm::join(names, ", ");
}

/// Raw bytes of a loaded array, row-major.
std::string rawBytes(const nd::NDArray &a) {
  auto bytes = [](const auto &values) {
    return std::string(reinterpret_cast<const char *>(values.data()),
                       values.size() * sizeof(values[0]));
  };
  switch (a.dtype()) {
  case DType::Float32:
    return bytes(a.asvector<float>());
  case DType::Float64:
    return bytes(a.asvector<double>());
  case DType::Int32:
    return bytes(a.asvector<int32_t>());
  case DType::Int64:
    return bytes(a.asvector<int64_t>());
  }
  return {};
}

/// The .params arrays by graph variable name: "arg:x" and "aux:x" as a
/// checkpoint writes them, and bare names as Gluon's save_parameters does.
std::map<std::string, nd::NDArray> loadParams(const std::string &path) {
  std::map<std::string, nd::NDArray> out;
  for (auto &[name, array] : nd::load(path)) {
    llvm::StringRef key(name);
    if (!key.consume_front("arg:"))
      key.consume_front("aux:");
    out[key.str()] = array;
  }
  return out;
}

/// The symbol restricted to `names` (outputs or internal outputs, with or
/// without the "_output" suffix).
sym::Symbol selectOutputs(const sym::Symbol &symbol,
                          const std::vector<std::string> &names) {
  if (names.empty())
    return symbol;
  sym::Symbol internals = symbol.get_internals();
  std::vector<std::string> available = internals.list_outputs();
  std::vector<sym::Symbol> picked;
  for (const std::string &name : names) {
    auto it = std::find(available.begin(), available.end(), name);
    if (it == available.end())
      it = std::find(available.begin(), available.end(), name + "_output");
    if (it == available.end())
      throw Error("--outputs: the graph has no output named '" + name + "'");
    picked.push_back(internals[it - available.begin()]);
  }
  return sym::Group(picked);
}

AotModel loadMlir(mlir::MLIRContext &context, const ModelRequest &request) {
  if (request.train.enabled)
    throw Error("--train: needs a symbol JSON (the loss head and label "
                "come from the graph), not an .mlir function");
  if (!request.paramsFile.empty())
    throw Error("--params: only a symbol JSON input takes a .params file");
  DiagnosticCapture diagnostics(&context);
  AotModel model;
  model.module = mlir::parseSourceFile<mlir::ModuleOp>(request.input, &context);
  if (!model.module)
    throw Error("cannot parse '" + request.input + "':\n" + diagnostics.text());
  mlir::func::FuncOp fn;
  for (auto f : model.module->getOps<mlir::func::FuncOp>())
    if (f.isPublic() && !f.isExternal()) {
      fn = f;
      break;
    }
  if (!fn)
    throw Error("'" + request.input + "' has no public func.func to compile");
  model.entry = fn.getSymName().str();
  mlir::FunctionType type = fn.getFunctionType();
  for (auto [i, t] : llvm::enumerate(type.getInputs()))
    model.arguments.push_back(
        {"arg" + std::to_string(i),
         TensorSpec::fromType(t, "argument " + std::to_string(i) + " of @" +
                                     model.entry),
         {},
         true,
         true});
  for (auto [i, t] : llvm::enumerate(type.getResults()))
    model.outputs.push_back(
        {"output" + std::to_string(i),
         TensorSpec::fromType(t, "result " + std::to_string(i) + " of @" +
                                     model.entry)});
  return model;
}

AotModel loadSymbol(mlir::MLIRContext &context, const ModelRequest &request) {
  sym::Symbol symbol = selectOutputs(sym::load(request.input), request.outputs);
  std::vector<std::string> argNames = symbol.list_arguments();
  std::vector<std::string> auxNames = symbol.list_auxiliary_states();
  std::set<std::string> variables(argNames.begin(), argNames.end());
  variables.insert(auxNames.begin(), auxNames.end());

  // Shapes and dtypes are inferred from the arguments; auxiliary states
  // follow from them.
  std::set<std::string> arguments(argNames.begin(), argNames.end());
  for (const auto &[name, shape] : request.shapes)
    if (!arguments.count(name))
      throw Error("--shape: '" + name +
                  "' is not an input of the graph (inputs: " + join(argNames) +
                  ")");
  for (const auto &[name, dtype] : request.dtypes)
    if (!arguments.count(name))
      throw Error("--dtype: '" + name +
                  "' is not an input of the graph (inputs: " + join(argNames) +
                  ")");

  std::map<std::string, nd::NDArray> params;
  if (!request.paramsFile.empty())
    params = loadParams(request.paramsFile);
  for (const auto &[name, array] : params)
    if (!variables.count(name))
      throw Error("--params: '" + name + "' in '" + request.paramsFile +
                  "' is not an argument or auxiliary state of the graph");

  // Shapes from the command line alone first, so a parameter that
  // contradicts them is reported as the parameter's fault.
  std::map<std::string, sym::Shape> shapes(request.shapes.begin(),
                                           request.shapes.end());
  sym::Symbol::ShapeResult partial = symbol.infer_shape_partial(shapes);
  auto inferred = [&](const sym::Symbol::ShapeResult &r,
                      const std::string &name) -> const sym::Shape & {
    auto a = std::find(argNames.begin(), argNames.end(), name);
    if (a != argNames.end())
      return r.arg_shapes[a - argNames.begin()];
    return r.aux_shapes[std::find(auxNames.begin(), auxNames.end(), name) -
                        auxNames.begin()];
  };
  for (const auto &[name, array] : params) {
    const sym::Shape &want = inferred(partial, name);
    if (!want.empty() && want != array.shape())
      throw Error("--params: '" + name + "' has shape " +
                  formatShape(array.shape()) + " but the graph needs " +
                  formatShape(want));
    if (request.shapes.count(name) && request.shapes.at(name) != array.shape())
      throw Error("--params: '" + name + "' has shape " +
                  formatShape(array.shape()) + " but --shape gives " +
                  formatShape(request.shapes.at(name)));
    if (arguments.count(name))
      shapes.emplace(name, array.shape());
  }
  partial = symbol.infer_shape_partial(shapes);
  std::vector<std::string> unknown;
  for (const std::string &name : argNames)
    if (inferred(partial, name).empty())
      unknown.push_back(name);
  for (const std::string &name : auxNames)
    if (inferred(partial, name).empty())
      unknown.push_back(name);
  if (!unknown.empty())
    throw Error("missing shape for " + join(unknown) +
                ": give --shape NAME=D0,D1,... (or a .params file)");
  sym::Symbol::ShapeResult full = symbol.infer_shape(shapes);
  for (const auto &[name, array] : params)
    if (inferred(full, name) != array.shape())
      throw Error("--params: '" + name + "' has shape " +
                  formatShape(array.shape()) + " but the graph needs " +
                  formatShape(inferred(full, name)));

  std::map<std::string, DType> dtypes(request.dtypes.begin(),
                                      request.dtypes.end());
  for (const auto &[name, array] : params) {
    auto given = request.dtypes.find(name);
    if (given != request.dtypes.end() && given->second != array.dtype())
      throw Error("--params: '" + name + "' has dtype " +
                  dtypeName(array.dtype()).str() + " but --dtype gives " +
                  dtypeName(given->second).str());
    if (arguments.count(name))
      dtypes.emplace(name, array.dtype());
  }
  sym::Symbol::TypeResult types = symbol.infer_type(dtypes);

  AotModel model;
  std::vector<TensorSpec> argSpecs, auxSpecs;
  auto addArgument = [&](const std::string &name, const TensorSpec &spec) {
    Argument argument{name, spec, {}, true, request.shapes.count(name) != 0};
    auto p = params.find(name);
    if (p != params.end() && p->second.dtype() != spec.dtype)
      throw Error("--params: '" + name + "' has dtype " +
                  dtypeName(p->second.dtype()).str() + " but the graph needs " +
                  dtypeName(spec.dtype).str());
    if (request.embedWeights && p != params.end())
      argument.embedded = rawBytes(p->second);
    model.arguments.push_back(std::move(argument));
  };
  for (size_t i = 0; i < argNames.size(); ++i) {
    argSpecs.emplace_back(full.arg_shapes[i], types.arg_types[i]);
    addArgument(argNames[i], argSpecs.back());
  }
  for (size_t i = 0; i < auxNames.size(); ++i) {
    auxSpecs.emplace_back(full.aux_shapes[i], types.aux_types[i]);
    addArgument(auxNames[i], auxSpecs.back());
  }

  if (request.train.enabled) {
    // The .params values are the initial weights, not constants.
    for (Argument &a : model.arguments)
      if (auto p = params.find(a.name); p != params.end())
        a.initial = rawBytes(p->second);
    buildTrainStep(context, symbol, request, model);
    return model;
  }
  sym::detail::GraphFunction g = sym::detail::buildForward(
      context, symbol.entries(), argSpecs, auxSpecs, /*isTrain=*/false);
  if (g.usesSeed)
    throw Error("the graph has random operators, which mxjit-compile does "
                "not support yet");
  model.module = std::move(g.module);
  model.entry = g.entry;
  mlir::func::FuncOp fn = lookupEntry(*model.module, model.entry);
  std::vector<std::string> outNames = symbol.list_outputs();
  for (unsigned i = 0; i < g.numOutputs; ++i)
    model.outputs.push_back(
        {outNames[i], TensorSpec::fromType(fn.getResultTypes()[i],
                                           "output '" + outNames[i] + "'")});
  return model;
}

} // namespace

AotModel mxjit::aot::loadModel(mlir::MLIRContext &context,
                               const ModelRequest &request) {
  if (llvm::StringRef(request.input).ends_with(".mlir"))
    return loadMlir(context, request);
  return loadSymbol(context, request);
}

void mxjit::aot::markUnusedArguments(AotModel &model, mlir::ModuleOp lowered,
                                     bool embedWeights) {
  // Lowering leaves dead descriptor code behind; once it is gone, an
  // argument without uses is one the computation never reads.
  DiagnosticCapture diagnostics(lowered.getContext());
  mlir::PassManager pm(lowered.getContext());
  pm.addPass(mlir::createCanonicalizerPass());
  if (mlir::failed(pm.run(lowered)))
    throw Error("@" + model.entry + ": canonicalization failed:\n" +
                diagnostics.text());
  auto fn = lowered.lookupSymbol<mlir::LLVM::LLVMFuncOp>(model.entry);
  if (!fn || fn.getNumArguments() < model.arguments.size())
    throw Error("@" + model.entry + " is missing from the lowered module");
  for (auto [i, argument] : llvm::enumerate(model.arguments))
    argument.used = !fn.getArgument(i).use_empty();

  // Every weight the function reads must come from somewhere.
  if (!embedWeights)
    return;
  std::vector<std::string> missing;
  for (const Argument &a : model.arguments)
    if (a.isParameter() && !a.shapeGiven)
      missing.push_back(a.name);
  if (!missing.empty())
    throw Error("no value for " + join(missing) +
                ": give a .params file with --params that holds them, "
                "--shape for inputs, or --weights=args to pass weights "
                "at run time");
}

double mxjit::aot::fillValue(const Argument &argument, int64_t i) {
  int64_t k = (i * 37) % 101;
  if (argument.labelClasses > 0)
    return k % argument.labelClasses;
  if (argument.spec.dtype == DType::Int32 ||
      argument.spec.dtype == DType::Int64)
    return k;
  return k / 101.0 - 0.5;
}

HostBuffer mxjit::aot::filledBuffer(const Argument &argument) {
  HostBuffer buffer(argument.spec);
  const std::string &value =
      argument.embedded.empty() ? argument.initial : argument.embedded;
  if (!value.empty()) {
    std::memcpy(buffer.data(), value.data(), value.size());
    return buffer;
  }
  for (int64_t i = 0; i < buffer.numElements(); ++i) {
    double v = fillValue(argument, i);
    switch (argument.spec.dtype) {
    case DType::Float32:
      buffer.values<float>()[i] = static_cast<float>(v);
      break;
    case DType::Float64:
      buffer.values<double>()[i] = v;
      break;
    case DType::Int32:
      buffer.values<int32_t>()[i] = static_cast<int32_t>(v);
      break;
    case DType::Int64:
      buffer.values<int64_t>()[i] = static_cast<int64_t>(v);
      break;
    }
  }
  return buffer;
}

std::string mxjit::aot::formatValues(const HostBuffer &buffer) {
  std::string text;
  for (int64_t i = 0; i < buffer.numElements(); ++i) {
    char line[64];
    switch (buffer.spec().dtype) {
    case DType::Float32:
      std::snprintf(line, sizeof line, "%.9g\n",
                    static_cast<const float *>(buffer.data())[i]);
      break;
    case DType::Float64:
      std::snprintf(line, sizeof line, "%.17g\n",
                    static_cast<const double *>(buffer.data())[i]);
      break;
    case DType::Int32:
      std::snprintf(line, sizeof line, "%d\n",
                    static_cast<const int32_t *>(buffer.data())[i]);
      break;
    case DType::Int64:
      std::snprintf(line, sizeof line, "%lld\n",
                    static_cast<long long>(
                        static_cast<const int64_t *>(buffer.data())[i]));
      break;
    }
    text += line;
  }
  return text;
}
