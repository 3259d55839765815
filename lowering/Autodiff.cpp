//===- Autodiff.cpp - reverse-mode differentiation of mx functions --------===//
//
// The gradient function starts as a copy of the forward body, then walks it
// backwards: every op that lies between a differentiated argument and a
// differentiated result asks its DifferentiableOpInterface for the operand
// cotangents, which are summed where a value fans out. Canonicalization and
// CSE afterwards drop forward work the gradient does not need.
//
//===----------------------------------------------------------------------===//

#include "lowering/Autodiff.h"

#include "ir/MxOps.h"

#include "mlir/IR/Dominance.h"
#include "mlir/IR/IRMapping.h"
#include "mlir/IR/SymbolTable.h"
#include "mlir/Transforms/CSE.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

using namespace mlir;

namespace mxjit {
namespace {

bool isFloatTensor(Type t) {
  auto tensor = dyn_cast<RankedTensorType>(t);
  return tensor && isa<FloatType>(tensor.getElementType());
}

Value zerosOf(OpBuilder &b, Location loc, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  Type element = tensor.getElementType();
  Attribute zero = isa<FloatType>(element)
                       ? Attribute(b.getFloatAttr(element, 0.0))
                       : Attribute(b.getIntegerAttr(element, 0));
  return mx::ConstantOp::create(b, loc, DenseElementsAttr::get(tensor, zero));
}

Value onesOf(OpBuilder &b, Location loc, Type type) {
  auto tensor = cast<RankedTensorType>(type);
  return mx::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(tensor,
                             b.getFloatAttr(tensor.getElementType(), 1.0)));
}

/// Checks the options against `f` and fills in the defaults.
LogicalResult resolveOptions(func::FuncOp f, const AutodiffOptions &options,
                             SmallVectorImpl<unsigned> &wrt,
                             SmallVectorImpl<unsigned> &results) {
  FunctionType type = f.getFunctionType();
  if (f.isExternal())
    return f.emitError("cannot differentiate a function without a body");
  if (!f.getBody().hasOneBlock())
    return f.emitError("mx-autodiff needs a single-block function");
  // Seeds and zero cotangents are constants, which need static shapes.
  for (Type t : llvm::concat<const Type>(type.getInputs(), type.getResults()))
    if (auto shaped = dyn_cast<ShapedType>(t);
        shaped && !shaped.hasStaticShape())
      return f.emitError("mx-autodiff needs static shapes, but the signature "
                         "has ")
             << t;
  if (options.wrt.empty()) {
    for (unsigned i = 0; i < type.getNumInputs(); ++i)
      if (isFloatTensor(type.getInput(i)))
        wrt.push_back(i);
  } else {
    for (unsigned i : options.wrt) {
      if (i >= type.getNumInputs())
        return f.emitError("mx-autodiff: wrt index ")
               << i << " is out of range (the function has "
               << type.getNumInputs() << " arguments)";
      if (!isFloatTensor(type.getInput(i)))
        return f.emitError("mx-autodiff: argument ")
               << i << " of type " << type.getInput(i)
               << " is not a floating-point tensor and gets no gradient";
      wrt.push_back(i);
    }
  }
  if (options.results.empty()) {
    for (unsigned i = 0; i < type.getNumResults(); ++i)
      if (isFloatTensor(type.getResult(i)))
        results.push_back(i);
  } else {
    results.assign(options.results.begin(), options.results.end());
  }
  for (unsigned i : results) {
    if (i >= type.getNumResults())
      return f.emitError("mx-autodiff: result index ")
             << i << " is out of range (the function has "
             << type.getNumResults() << " results)";
    if (!isFloatTensor(type.getResult(i)))
      return f.emitError("mx-autodiff: result ")
             << i << " of type " << type.getResult(i)
             << " is not a floating-point tensor";
  }
  return success();
}

/// Runs the mx canonicalization patterns (the greedy driver also erases dead
/// pure ops, i.e. forward work the gradient does not use) and CSE on `g`,
/// which holds nothing but mx ops.
void cleanUp(func::FuncOp g) {
  MLIRContext *ctx = g.getContext();
  RewritePatternSet patterns(ctx);
  for (RegisteredOperationName op : ctx->getRegisteredOperations())
    if (op.getDialectNamespace() == mx::MxDialect::getDialectNamespace())
      op.getCanonicalizationPatterns(patterns, ctx);
  (void)applyPatternsGreedily(g, std::move(patterns));
  IRRewriter rewriter(ctx);
  DominanceInfo dominance(g);
  eliminateCommonSubExpressions(rewriter, dominance, g);
}

/// Emits the reverse pass at `builder`'s insertion point, after the copy of
/// the forward ops.
class ReverseBuilder {
public:
  explicit ReverseBuilder(OpBuilder &builder) : builder(builder) {}

  void accumulate(Value v, Value grad) {
    auto [it, inserted] = cotangents.try_emplace(v, grad);
    if (!inserted)
      it->second = mx::AddOp::create(builder, v.getLoc(), it->second, grad);
  }

  Value cotangentOr(Value v, bool zeroIfMissing) {
    if (Value c = cotangents.lookup(v))
      return c;
    return zeroIfMissing ? zerosOf(builder, v.getLoc(), v.getType()) : Value();
  }

  /// Values that depend on a differentiated argument.
  void markActive(ArrayRef<Value> seedsOfActivity, Block &body) {
    active.insert(seedsOfActivity.begin(), seedsOfActivity.end());
    for (Operation &op : body)
      if (llvm::any_of(op.getOperands(),
                       [&](Value v) { return active.contains(v); }))
        active.insert(op.result_begin(), op.result_end());
  }

  LogicalResult run(ArrayRef<Operation *> forwardOps, StringRef fName) {
    for (Operation *op : llvm::reverse(forwardOps)) {
      bool hasCotangent = llvm::any_of(
          op->getResults(), [&](Value r) { return cotangents.count(r); });
      bool hasActiveOperand = llvm::any_of(
          op->getOperands(), [&](Value v) { return active.contains(v); });
      if (!hasCotangent || !hasActiveOperand)
        continue;
      auto differentiable = dyn_cast<mx::DifferentiableOpInterface>(op);
      if (!differentiable)
        return op->emitOpError("has no VJP (DifferentiableOpInterface), so "
                               "@")
               << fName << " cannot be differentiated through it";
      SmallVector<Value> resultGrads, operandGrads;
      for (Value r : op->getResults())
        resultGrads.push_back(cotangentOr(r, /*zeroIfMissing=*/true));
      if (failed(differentiable.buildVJP(builder, resultGrads, operandGrads)))
        return op->emitOpError("failed to build its VJP");
      if (operandGrads.size() != op->getNumOperands())
        return op->emitOpError("VJP returned ")
               << operandGrads.size() << " cotangents for "
               << op->getNumOperands() << " operands";
      for (auto [operand, grad] : llvm::zip(op->getOperands(), operandGrads)) {
        if (!grad || !active.contains(operand))
          continue;
        if (grad.getType() != operand.getType())
          return op->emitOpError("VJP produced a cotangent of type ")
                 << grad.getType() << " for an operand of type "
                 << operand.getType();
        accumulate(operand, grad);
      }
    }
    return success();
  }

private:
  OpBuilder &builder;
  DenseMap<Value, Value> cotangents;
  DenseSet<Value> active;
};

} // namespace

FailureOr<func::FuncOp> differentiate(func::FuncOp f,
                                      const AutodiffOptions &options) {
  SmallVector<unsigned> wrt, results;
  if (failed(resolveOptions(f, options, wrt, results)))
    return failure();

  MLIRContext *ctx = f.getContext();
  ctx->getOrLoadDialect<mx::MxDialect>();
  std::string name =
      options.name.empty() ? (f.getSymName() + "_grad").str() : options.name;
  auto module = f->getParentOfType<ModuleOp>();
  if (module && SymbolTable::lookupSymbolIn(module, name))
    return f.emitError("mx-autodiff: a function named @")
           << name << " already exists";

  FunctionType fType = f.getFunctionType();
  SmallVector<Type> inputs(fType.getInputs()), outputs;
  if (options.seeds)
    for (unsigned r : results)
      inputs.push_back(fType.getResult(r));
  if (options.keepForward)
    outputs.append(fType.getResults().begin(), fType.getResults().end());
  for (unsigned i : wrt)
    outputs.push_back(fType.getInput(i));

  OpBuilder builder(ctx);
  builder.setInsertionPointAfter(f);
  auto g = func::FuncOp::create(builder, f.getLoc(), name,
                                FunctionType::get(ctx, inputs, outputs));
  g.setVisibility(f.getVisibility());
  g->setAttr("mx.gradient_of", FlatSymbolRefAttr::get(f.getSymNameAttr()));
  Block *body = g.addEntryBlock();

  // Forward: a copy of f's body.
  IRMapping map;
  for (unsigned i = 0; i < fType.getNumInputs(); ++i)
    map.map(f.getArgument(i), body->getArgument(i));
  builder.setInsertionPointToEnd(body);
  SmallVector<Operation *> forwardOps;
  Operation *terminator = f.getBody().front().getTerminator();
  for (Operation &op : f.getBody().front().without_terminator())
    forwardOps.push_back(builder.clone(op, map));
  SmallVector<Value> forwardResults;
  for (Value v : terminator->getOperands())
    forwardResults.push_back(map.lookupOrDefault(v));

  // Reverse.
  ReverseBuilder reverse(builder);
  SmallVector<Value> wrtArgs;
  for (unsigned i : wrt)
    wrtArgs.push_back(body->getArgument(i));
  reverse.markActive(wrtArgs, *body);
  for (auto [k, r] : llvm::enumerate(results)) {
    Value seed = options.seeds
                     ? body->getArgument(fType.getNumInputs() + k)
                     : onesOf(builder, f.getLoc(), fType.getResult(r));
    reverse.accumulate(forwardResults[r], seed);
  }
  if (failed(reverse.run(forwardOps, f.getSymName()))) {
    g.erase();
    return failure();
  }

  SmallVector<Value> returned;
  if (options.keepForward)
    returned.append(forwardResults.begin(), forwardResults.end());
  for (Value arg : wrtArgs)
    returned.push_back(reverse.cotangentOr(arg, /*zeroIfMissing=*/true));
  func::ReturnOp::create(builder, f.getLoc(), returned);

  cleanUp(g);
  return g;
}

} // namespace mxjit
