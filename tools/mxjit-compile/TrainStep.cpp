//===- TrainStep.cpp - mxjit-compile --train: one training step -----------===//

#include "TrainStep.h"

#include "ir/MxDialect.h"
#include "ir/MxOps.h"
#include "mxjit/ndarray.h"
#include "mxjit/optimizer.h"
#include "nd/Engine.h"
#include "nd/Trace.h"
#include "sym/Graph.h"
#include "sym/GraphToFunc.h"

#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Fingerprint.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/Parser/Parser.h"

#include "llvm/ADT/StringExtras.h"

#include <cmath>
#include <cstdio>
#include <limits>
#include <set>

using namespace mxjit;
using namespace mxjit::aot;
using mlir::Value;

namespace {

/// Ops whose backward is the loss gradient itself (they ignore their head
/// gradient), so their output can end a training graph.
const std::set<std::string> kLossHeads = {
    "SoftmaxOutput", "Softmax", "LinearRegressionOutput",
    "LogisticRegressionOutput", "MAERegressionOutput"};

/// Which arguments of the symbol play which part.
struct Roles {
  std::vector<unsigned> data, labels, weights;
  /// For each label: the number of classes of its SoftmaxOutput (0 for a
  /// regression label).
  std::map<unsigned, int64_t> classes;
};

Roles findRoles(const sym::Symbol &symbol, const AotModel &model) {
  std::vector<std::string> argNames = symbol.list_arguments();
  std::vector<std::string> heads;
  Roles roles;
  std::set<unsigned> labels;
  std::map<std::string, sym::Shape> shapes;
  for (const Argument &a : model.arguments)
    if (a.shapeGiven)
      shapes[a.name] = a.spec.shape;
  std::vector<sym::Shape> outShapes =
      symbol.infer_shape_partial(shapes).out_shapes;
  for (const sym::detail::Entry &out : symbol.entries()) {
    const sym::detail::Node &node = *out.node;
    heads.push_back(node.isVariable() ? node.name : node.op);
    if (!kLossHeads.count(node.op))
      continue;
    if (node.inputs.size() < 2 || !node.inputs[1].node->isVariable())
      throw Error("--train: the loss head '" + node.name + "' (" + node.op +
                  ") has no label input variable");
    auto it =
        std::find(argNames.begin(), argNames.end(), node.inputs[1].node->name);
    unsigned index = it - argNames.begin();
    labels.insert(index);
    // A SoftmaxOutput label holds class indices over the last axis of the
    // probabilities.
    roles.classes[index] = 0;
    if (node.op == "SoftmaxOutput" || node.op == "Softmax") {
      const sym::Shape &probs = outShapes[&out - symbol.entries().data()];
      if (!probs.empty())
        roles.classes[index] = probs.back();
    }
  }
  if (labels.empty())
    throw Error("--train: the symbol has no loss head (" +
                llvm::join(kLossHeads, ", ") + ") among its outputs, only " +
                llvm::join(heads, ", "));
  for (unsigned i = 0; i < argNames.size(); ++i) {
    if (labels.count(i))
      roles.labels.push_back(i);
    else if (model.arguments[i].shapeGiven)
      roles.data.push_back(i);
    else
      roles.weights.push_back(i);
  }
  if (roles.data.empty())
    throw Error("--train: give the data inputs' shapes with --shape (the "
                "batch size sets the default --rescale-grad)");
  for (unsigned i : roles.weights)
    if (model.arguments[i].spec.dtype != DType::Float32 &&
        model.arguments[i].spec.dtype != DType::Float64)
      throw Error("--train: weight '" + model.arguments[i].name + "' is " +
                  dtypeName(model.arguments[i].spec.dtype).str() +
                  "; trained weights must be floating-point (give inputs "
                  "that are not trained with --shape)");
  return roles;
}

/// The optimizer --train asks for, with parameter j of `weightNames` as
/// index j (so biases get no weight decay, as MXNet's idx2name rule).
std::unique_ptr<optimizer::Optimizer>
makeOptimizer(const TrainRequest &t, const std::vector<std::string> &names,
              double batch) {
  optimizer::Kwargs kwargs;
  std::string name = llvm::StringRef(t.optimizer).lower();
  if (name == "sgd") {
    kwargs["momentum"] = t.momentum;
  } else if (name == "adam") {
    kwargs["beta1"] = t.beta1;
    kwargs["beta2"] = t.beta2;
    kwargs["epsilon"] = t.epsilon;
  } else {
    throw Error("--optimizer: unknown optimizer '" + t.optimizer +
                "' (sgd, adam)");
  }
  if (t.learningRate)
    kwargs["learning_rate"] = *t.learningRate;
  kwargs["wd"] = t.wd;
  kwargs["rescale_grad"] = t.rescaleGrad ? *t.rescaleGrad : 1.0 / batch;
  std::map<int64_t, std::string> idx2name;
  for (size_t j = 0; j < names.size(); ++j)
    idx2name[static_cast<int64_t>(j)] = names[j];
  return optimizer::create(name, kwargs, nullptr, idx2name);
}

double batchSize(const AotModel &model, const Roles &roles) {
  const TensorSpec &spec = model.arguments[roles.data.front()].spec;
  return spec.shape.empty() ? 1.0 : static_cast<double>(spec.shape.front());
}

/// What an argument of the recorded update function is.
struct Leaf {
  enum Kind { Weight, Grad, State, Constant, Rate } kind = Constant;
  unsigned weight = 0, state = 0;
  /// A Constant's value.
  std::shared_ptr<HostBuffer> value;
};

struct RecordedUpdate {
  mlir::OwningOpRef<mlir::ModuleOp> module;
  std::vector<Leaf> leaves;
  /// Optimizer states per weight.
  unsigned statesPerWeight = 0;
};

/// Records opt.update() of every weight on lazy NDArrays and returns it as
/// `func.func @update(leaves...) -> (new weights..., new states...)` in
/// `context`. Adam's rate, which depends on the step count, is recorded
/// with a NaN learning rate so that its leaf is the NaN one.
RecordedUpdate recordUpdate(mlir::MLIRContext &context,
                            optimizer::Optimizer &opt,
                            const std::vector<TensorSpec> &specs) {
  using nd::detail::Node;
  std::map<const Node *, Leaf> known;
  std::vector<nd::NDArray> weights, grads;
  std::vector<optimizer::State> states;
  RecordedUpdate out;
  for (size_t j = 0; j < specs.size(); ++j) {
    weights.push_back(nd::zeros(specs[j].shape, cpu(), specs[j].dtype));
    grads.push_back(nd::zeros(specs[j].shape, cpu(), specs[j].dtype));
    weights[j].wait_to_read();
    grads[j].wait_to_read();
    known[weights[j].node().get()] = {Leaf::Weight, unsigned(j), 0, {}};
    known[grads[j].node().get()] = {Leaf::Grad, unsigned(j), 0, {}};
    states.push_back(opt.create_state(static_cast<int64_t>(j), weights[j]));
    out.statesPerWeight = states.back().size();
    for (size_t k = 0; k < states[j].size(); ++k) {
      states[j][k].wait_to_read();
      known[states[j][k].node().get()] = {
          Leaf::State, unsigned(j), unsigned(k), {}};
    }
  }
  for (size_t j = 0; j < specs.size(); ++j)
    opt.update(static_cast<int64_t>(j), weights[j], grads[j], states[j]);

  std::vector<nd::detail::NodePtr> roots;
  for (const nd::NDArray &w : weights)
    roots.push_back(w.node());
  for (const optimizer::State &s : states)
    for (const nd::NDArray &a : s)
      roots.push_back(a.node());
  nd::detail::Trace trace = nd::detail::collectTrace(
      roots, [](const Node &n) { return n.pending(); });
  for (const nd::detail::NodePtr &root : roots) {
    if (!root->pending())
      throw Error("internal error: the optimizer update left a buffer "
                  "unchanged");
    trace.outputs.push_back(root.get());
  }
  for (Node *leaf : trace.leaves) {
    auto it = known.find(leaf);
    if (it != known.end()) {
      out.leaves.push_back(it->second);
      continue;
    }
    Leaf constant{Leaf::Constant, 0, 0, leaf->value};
    if (leaf->spec.dtype == DType::Float32 && leaf->spec.numElements() == 1 &&
        std::isnan(*static_cast<const float *>(leaf->value->data())))
      constant.kind = Leaf::Rate;
    out.leaves.push_back(constant);
  }
  // The engine's context holds the ops' attributes; the text carries them
  // into the compiler's.
  mlir::OwningOpRef<mlir::ModuleOp> recorded = nd::detail::buildTraceModule(
      nd::detail::Engine::get().context(), trace, "update");
  std::string text;
  llvm::raw_string_ostream os(text);
  recorded->print(os);
  DiagnosticCapture diagnostics(&context);
  out.module = mlir::parseSourceString<mlir::ModuleOp>(text, &context);
  if (!out.module)
    throw Error("internal error: the recorded update does not parse:\n" +
                diagnostics.text());
  return out;
}

/// Clones the single-block body of `fn` at `b` with its arguments bound to
/// `args`; returns the values it returns.
llvm::SmallVector<Value> inlineBody(mlir::OpBuilder &b, mlir::func::FuncOp fn,
                                    llvm::ArrayRef<Value> args) {
  mlir::IRMapping mapping;
  mapping.map(fn.getArguments(), args);
  llvm::SmallVector<Value> results;
  for (mlir::Operation &op : fn.getBody().front()) {
    if (auto ret = llvm::dyn_cast<mlir::func::ReturnOp>(op)) {
      for (Value v : ret.getOperands())
        results.push_back(mapping.lookup(v));
      break;
    }
    b.clone(op, mapping);
  }
  return results;
}

} // namespace

void mxjit::aot::buildTrainStep(mlir::MLIRContext &context,
                                const sym::Symbol &symbol,
                                const ModelRequest &request, AotModel &model) {
  std::vector<std::string> argNames = symbol.list_arguments();
  size_t numArgs = argNames.size();
  size_t numAux = model.arguments.size() - numArgs;
  Roles roles = findRoles(symbol, model);
  std::vector<std::string> weightNames;
  std::vector<TensorSpec> weightSpecs;
  for (unsigned i : roles.weights) {
    weightNames.push_back(model.arguments[i].name);
    weightSpecs.push_back(model.arguments[i].spec);
  }
  std::unique_ptr<optimizer::Optimizer> opt =
      makeOptimizer(request.train, weightNames, batchSize(model, roles));
  bool adam = opt->name() == "adam";
  double lr = opt->learning_rate();
  if (adam)
    opt->set_learning_rate(std::numeric_limits<double>::quiet_NaN());
  RecordedUpdate update = recordUpdate(context, *opt, weightSpecs);

  // Forward and backward: the Symbol executor's @train.
  std::vector<TensorSpec> argSpecs, auxSpecs;
  for (size_t i = 0; i < model.arguments.size(); ++i)
    (i < numArgs ? argSpecs : auxSpecs).push_back(model.arguments[i].spec);
  sym::detail::GraphFunction g = sym::detail::buildTrain(
      context, symbol.entries(), argSpecs, auxSpecs, roles.weights);
  if (g.usesSeed)
    throw Error("--train: the graph has random operators, which "
                "mxjit-compile does not support yet");
  mlir::func::FuncOp trainFn = lookupEntry(*g.module, g.entry);

  // The step's arguments: data, labels, weights, auxiliary states,
  // optimizer states, (Adam) the step count.
  std::vector<Argument> arguments;
  std::vector<unsigned> position(model.arguments.size());
  auto take = [&](unsigned i, const std::string &role) {
    position[i] = arguments.size();
    arguments.push_back(model.arguments[i]);
    arguments.back().role = role;
  };
  for (unsigned i : roles.data)
    take(i, "input");
  for (unsigned i : roles.labels) {
    take(i, "label");
    arguments.back().labelClasses = roles.classes[i];
  }
  for (unsigned i : roles.weights) {
    take(i, "weight");
    arguments.back().updated = true;
  }
  std::set<unsigned> auxUpdated(g.auxUpdated.begin(), g.auxUpdated.end());
  for (size_t a = 0; a < numAux; ++a) {
    take(numArgs + a, "auxiliary state");
    arguments.back().updated = auxUpdated.count(a);
  }
  size_t firstState = arguments.size();
  static const char *sgdStates[] = {"momentum"};
  static const char *adamStates[] = {"mean", "var"};
  for (size_t j = 0; j < weightNames.size(); ++j)
    for (unsigned k = 0; k < update.statesPerWeight; ++k) {
      Argument state;
      state.name = weightNames[j] + "_" + (adam ? adamStates[k] : sgdStates[k]);
      state.spec = weightSpecs[j];
      state.role = "optimizer state";
      state.updated = true;
      arguments.push_back(std::move(state));
    }
  auto stateArg = [&](unsigned j, unsigned k) {
    return firstState + j * update.statesPerWeight + k;
  };
  size_t rateArg = arguments.size();
  if (adam) {
    Argument t;
    t.name = "t";
    t.spec = TensorSpec({1}, DType::Float32);
    t.role = "step count";
    t.stepCount = true;
    t.adamRate[0] = lr;
    t.adamRate[1] = request.train.beta1;
    t.adamRate[2] = request.train.beta2;
    arguments.push_back(std::move(t));
  }

  mlir::OpBuilder b(&context);
  mlir::Location loc = b.getUnknownLoc();
  llvm::SmallVector<mlir::Type> inputTypes;
  for (const Argument &a : arguments)
    inputTypes.push_back(a.spec.toTensorType(context));
  b.setInsertionPointToEnd(g.module->getBody());
  auto step = mlir::func::FuncOp::create(b, loc, "train_step",
                                         b.getFunctionType(inputTypes, {}));
  mlir::Block *body = step.addEntryBlock();
  b.setInsertionPointToEnd(body);

  llvm::SmallVector<Value> trainArgs;
  for (size_t i = 0; i < model.arguments.size(); ++i)
    trainArgs.push_back(body->getArgument(position[i]));
  // Loss heads ignore their head gradient; ones, as Executor::backward.
  for (unsigned o : g.seededOutputs) {
    auto type = llvm::cast<mlir::RankedTensorType>(trainFn.getResultTypes()[o]);
    auto ones = mlir::DenseElementsAttr::get(
        type, mlir::FloatAttr::get(type.getElementType(), 1.0));
    trainArgs.push_back(mx::ConstantOp::create(b, loc, type, ones));
  }
  llvm::SmallVector<Value> trained = inlineBody(b, trainFn, trainArgs);
  size_t firstGrad = g.numOutputs + g.auxUpdated.size();

  auto updateFn = update.module->lookupSymbol<mlir::func::FuncOp>("update");
  llvm::SmallVector<Value> updateArgs;
  for (const Leaf &leaf : update.leaves) {
    switch (leaf.kind) {
    case Leaf::Weight:
      updateArgs.push_back(
          body->getArgument(position[roles.weights[leaf.weight]]));
      break;
    case Leaf::Grad:
      updateArgs.push_back(trained[firstGrad + leaf.weight]);
      break;
    case Leaf::State:
      updateArgs.push_back(
          body->getArgument(stateArg(leaf.weight, leaf.state)));
      break;
    case Leaf::Constant: {
      auto type = llvm::cast<mlir::RankedTensorType>(
          leaf.value->spec().toTensorType(context));
      auto value = mlir::DenseElementsAttr::getFromRawBuffer(
          type,
          llvm::ArrayRef<char>(static_cast<const char *>(leaf.value->data()),
                               leaf.value->spec().byteSize()));
      updateArgs.push_back(mx::ConstantOp::create(b, loc, type, value));
      break;
    }
    case Leaf::Rate: {
      // One rate for every weight, shaped as each update's scalar.
      Value rate = body->getArgument(rateArg);
      const TensorSpec &spec = leaf.value->spec();
      if (spec.shape != std::vector<int64_t>{1})
        rate = mx::ReshapeOp::create(b, loc, rate,
                                     b.getDenseI64ArrayAttr(spec.shape),
                                     b.getBoolAttr(false));
      updateArgs.push_back(rate);
      break;
    }
    }
  }
  llvm::SmallVector<Value> updated = inlineBody(b, updateFn, updateArgs);

  // Results: the symbol's outputs, then every buffer updated in place.
  llvm::SmallVector<Value> results(trained.begin(),
                                   trained.begin() + g.numOutputs);
  std::vector<Output> outputs;
  std::vector<std::string> outNames = symbol.list_outputs();
  for (unsigned i = 0; i < g.numOutputs; ++i)
    outputs.push_back({outNames[i],
                       TensorSpec::fromType(trained[i].getType(),
                                            "output '" + outNames[i] + "'"),
                       std::nullopt});
  auto inPlace = [&](Value value, size_t argument) {
    step.setArgAttr(argument, mx::kDonateAttrName,
                    b.getI64IntegerAttr(results.size()));
    results.push_back(value);
    const Argument &a = arguments[argument];
    outputs.push_back({a.name, a.spec, static_cast<unsigned>(argument)});
  };
  for (auto [r, a] : llvm::enumerate(g.auxUpdated))
    inPlace(trained[g.numOutputs + r], position[numArgs + a]);
  for (size_t j = 0; j < weightNames.size(); ++j)
    inPlace(updated[j], position[roles.weights[j]]);
  for (size_t j = 0; j < weightNames.size(); ++j)
    for (unsigned k = 0; k < update.statesPerWeight; ++k)
      inPlace(updated[weightNames.size() + j * update.statesPerWeight + k],
              stateArg(j, k));
  mlir::func::ReturnOp::create(b, loc, results);
  step.setFunctionType(
      b.getFunctionType(inputTypes, mlir::ValueRange(results).getTypes()));
  trainFn.erase();

  model.module = std::move(g.module);
  model.entry = "train_step";
  model.arguments = std::move(arguments);
  model.outputs = std::move(outputs);
  model.train = true;
}

std::string mxjit::aot::runJitTraining(const AotModel &model,
                                       const ModelRequest &request, int steps) {
  sym::Symbol symbol = sym::load(request.input);
  auto toArray = [](const HostBuffer &buffer) {
    std::vector<double> values(buffer.numElements());
    for (int64_t i = 0; i < buffer.numElements(); ++i)
      values[i] =
          buffer.spec().dtype == DType::Float64   ? buffer.values<double>()[i]
          : buffer.spec().dtype == DType::Float32 ? buffer.values<float>()[i]
          : buffer.spec().dtype == DType::Int32   ? buffer.values<int32_t>()[i]
                                                  : buffer.values<int64_t>()[i];
    return nd::array(values, buffer.spec().shape, cpu(), buffer.spec().dtype);
  };
  std::map<std::string, nd::NDArray> args, grads, aux;
  std::map<std::string, sym::GradReq> reqs;
  std::vector<std::string> weightNames;
  double batch = 0;
  for (const Argument &a : model.arguments) {
    if (a.role == "optimizer state" || a.stepCount)
      continue;
    nd::NDArray value = toArray(filledBuffer(a));
    if (a.role == "auxiliary state") {
      aux[a.name] = value;
      continue;
    }
    args[a.name] = value;
    reqs[a.name] = sym::GradReq::Null;
    if (a.role == "input" && batch == 0)
      batch = a.spec.shape.empty() ? 1 : a.spec.shape.front();
    if (a.role == "weight") {
      weightNames.push_back(a.name);
      grads[a.name] = nd::zeros(a.spec.shape, cpu(), a.spec.dtype);
      reqs[a.name] = sym::GradReq::Write;
    }
  }
  sym::Executor exec = symbol.bind(cpu(), args, grads, reqs, aux);
  std::unique_ptr<optimizer::Optimizer> opt =
      makeOptimizer(request.train, weightNames, batch);
  std::vector<optimizer::State> states;
  for (size_t j = 0; j < weightNames.size(); ++j)
    states.push_back(opt->create_state(static_cast<int64_t>(j),
                                       exec.arg_dict().at(weightNames[j])));
  for (int s = 0; s < steps; ++s) {
    exec.forward(/*is_train=*/true);
    exec.backward();
    for (size_t j = 0; j < weightNames.size(); ++j) {
      nd::NDArray weight = exec.arg_dict().at(weightNames[j]);
      opt->update(static_cast<int64_t>(j), weight,
                  exec.grad_dict().at(weightNames[j]), states[j]);
    }
  }

  auto print = [](const nd::NDArray &a) {
    a.wait_to_read();
    return formatValues(*a.node()->value);
  };
  std::string text;
  for (const nd::NDArray &out : exec.outputs())
    text += print(out);
  std::map<std::string, nd::NDArray> stateByName;
  size_t next = 0;
  for (const Argument &a : model.arguments)
    if (a.role == "optimizer state") {
      size_t perWeight = states.front().size();
      stateByName[a.name] = states[next / perWeight][next % perWeight];
      ++next;
    }
  for (const Output &o : model.outputs) {
    if (!o.inPlaceOf)
      continue;
    const Argument &a = model.arguments[*o.inPlaceOf];
    if (a.role == "weight")
      text += print(exec.arg_dict().at(a.name));
    else if (a.role == "auxiliary state")
      text += print(exec.aux_dict().at(a.name));
    else
      text += print(stateByName.at(a.name));
  }
  return text;
}
