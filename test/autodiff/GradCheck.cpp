//===- GradCheck.cpp - finite-difference checks of mx-autodiff ------------===//

#include "GradCheck.h"

#include "lowering/Autodiff.h"
#include "runtime/Context.h"
#include "runtime/Diagnostics.h"
#include "runtime/Error.h"
#include "runtime/Jit.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"

#include "llvm/ADT/SmallPtrSet.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <cfloat>
#include <cmath>
#include <cstdlib>
#include <sstream>

using namespace mxjit;
using namespace mxjit::gradcheck;

namespace {

/// splitmix64: small, fast and the same on every platform (unlike the
/// standard distributions).
class Rng {
public:
  explicit Rng(uint64_t seed) : state_(seed) {}
  uint64_t next() {
    uint64_t z = (state_ += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  /// Uniform in [0, 1).
  double unit() { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  double uniform(double lo, double hi) { return lo + (hi - lo) * unit(); }
  int64_t integer(int64_t lo, int64_t hi) {
    return lo +
           static_cast<int64_t>(next() % static_cast<uint64_t>(hi - lo + 1));
  }

private:
  uint64_t state_;
};

uint64_t hashName(const std::string &s) {
  uint64_t h = 0xcbf29ce484222325ull;
  for (unsigned char ch : s)
    h = (h ^ ch) * 0x100000001b3ull;
  return h;
}

double draw(Rng &rng, const Domain &d) {
  switch (d.kind) {
  case Domain::Kind::Uniform:
    return rng.uniform(d.lo, d.hi);
  case Domain::Kind::AwayFromZero: {
    double v = rng.uniform(d.lo, d.hi);
    return (rng.next() & 1) ? v : -v;
  }
  case Domain::Kind::Lattice: {
    // Values lo + step * k within [lo, hi].
    int64_t n = static_cast<int64_t>(std::floor((d.hi - d.lo) / d.step + 1e-9));
    return d.lo + d.step * static_cast<double>(rng.integer(0, n));
  }
  case Domain::Kind::Integer:
    return static_cast<double>(
        rng.integer(static_cast<int64_t>(d.lo), static_cast<int64_t>(d.hi)));
  }
  return 0.0;
}

void fill(HostBuffer &b, Rng &rng, const Domain &d) {
  switch (b.spec().dtype) {
  case DType::Float64:
    for (double &v : b.values<double>())
      v = draw(rng, d);
    break;
  case DType::Float32:
    for (float &v : b.values<float>())
      v = static_cast<float>(draw(rng, d));
    break;
  case DType::Int64:
    for (int64_t &v : b.values<int64_t>())
      v = static_cast<int64_t>(std::llround(draw(rng, d)));
    break;
  case DType::Int32:
    for (int32_t &v : b.values<int32_t>())
      v = static_cast<int32_t>(std::llround(draw(rng, d)));
    break;
  }
}

std::string multiIndex(const TensorSpec &spec, int64_t flat) {
  std::vector<int64_t> idx(spec.shape.size());
  for (int64_t d = spec.rank() - 1; d >= 0; --d) {
    int64_t n = spec.shape[d];
    idx[d] = n ? flat % n : 0;
    flat = n ? flat / n : 0;
  }
  std::string s = "(";
  for (size_t d = 0; d < idx.size(); ++d)
    s += (d ? "," : "") + std::to_string(idx[d]);
  return s + ")";
}

std::string gradName(int order) {
  std::string s = "f";
  for (int k = 0; k < order; ++k)
    s += "_grad";
  return s;
}

/// sum over `results` of <seeds[i], out[results[i]]>, and the same sum of
/// absolute products in `magnitude` (the scale of its rounding error).
/// `extra` follows `args` (the frozen stop_gradient values, if any).
double weightedSum(const CompiledFunction &fn,
                   const std::vector<HostBuffer> &args,
                   const std::vector<HostBuffer> &extra,
                   const std::vector<unsigned> &results,
                   const std::vector<HostBuffer> &seeds,
                   double *magnitude = nullptr) {
  std::vector<const HostBuffer *> in = pointers(args);
  for (const HostBuffer &b : extra)
    in.push_back(&b);
  std::vector<HostBuffer> out = fn.run(in);
  double sum = 0.0, mag = 0.0;
  for (size_t i = 0; i < results.size(); ++i) {
    auto y = out[results[i]].values<double>();
    auto w = seeds[i].values<double>();
    for (size_t j = 0; j < y.size(); ++j) {
      sum += w[j] * y[j];
      mag += std::fabs(w[j] * y[j]);
    }
  }
  if (magnitude)
    *magnitude = mag;
  return sum;
}

std::string printFunction(mlir::func::FuncOp f) {
  std::string s;
  llvm::raw_string_ostream os(s);
  f.print(os);
  return s;
}

/// Compiles `fn`, which belongs to no module, in a module of its own.
std::shared_ptr<CompiledFunction> compileDetached(Jit &jit,
                                                  mlir::func::FuncOp fn) {
  mlir::OwningOpRef<mlir::ModuleOp> single =
      mlir::ModuleOp::create(mlir::UnknownLoc::get(fn.getContext()));
  single->push_back(fn);
  return jit.get(*single, fn.getSymName(), compileOptions());
}

/// The finite differences of a function must hold every mx.stop_gradient at
/// its value at the unperturbed point, as autodiff does. When `g` has such
/// ops, `frozen` is `g` with each stop_gradient result replaced by a new
/// trailing argument, and `probe` is `g` returning, after its own results,
/// the stop_gradient values in the same order.
struct FdTarget {
  std::shared_ptr<CompiledFunction> fn;
  std::shared_ptr<CompiledFunction> frozen, probe;
};

FdTarget makeFdTarget(Jit &jit, mlir::func::FuncOp g,
                      std::shared_ptr<CompiledFunction> compiled) {
  FdTarget target{std::move(compiled), nullptr, nullptr};
  auto isStop = [](mlir::Operation *op) {
    return op->getName().getStringRef() == "mx.stop_gradient";
  };
  bool any = false;
  g.walk([&](mlir::Operation *op) { any |= isStop(op); });
  if (!any)
    return target;

  mlir::MLIRContext *context = g.getContext();
  mlir::Location loc = mlir::UnknownLoc::get(context);

  auto frozen = llvm::cast<mlir::func::FuncOp>(g->clone());
  frozen.setSymName((g.getSymName() + "_frozen").str());
  llvm::SmallVector<mlir::Operation *> stops;
  frozen.walk([&](mlir::Operation *op) {
    if (isStop(op))
      stops.push_back(op);
  });
  for (mlir::Operation *op : stops) {
    unsigned index = frozen.getNumArguments();
    (void)frozen.insertArgument(index, op->getResult(0).getType(), {}, loc);
    op->getResult(0).replaceAllUsesWith(frozen.getArgument(index));
    op->erase();
  }

  auto probe = llvm::cast<mlir::func::FuncOp>(g->clone());
  probe.setSymName((g.getSymName() + "_probe").str());
  auto ret =
      llvm::cast<mlir::func::ReturnOp>(probe.getBody().front().getTerminator());
  llvm::SmallVector<mlir::Value> values(ret.getOperands());
  // The operand, which is the same value: returning the result would repeat
  // it when the stop_gradient is itself a result.
  probe.walk([&](mlir::Operation *op) {
    if (isStop(op))
      values.push_back(op->getOperand(0));
  });
  ret->setOperands(values);
  llvm::SmallVector<mlir::Type> types;
  for (mlir::Value v : values)
    types.push_back(v.getType());
  probe.setFunctionType(
      mlir::FunctionType::get(context, probe.getArgumentTypes(), types));

  target.frozen = compileDetached(jit, frozen);
  target.probe = compileDetached(jit, probe);
  return target;
}

bool verbose() { return std::getenv("MXJIT_GRADCHECK_VERBOSE") != nullptr; }

} // namespace

std::vector<const HostBuffer *>
mxjit::gradcheck::pointers(const std::vector<HostBuffer> &bs) {
  std::vector<const HostBuffer *> ps;
  for (const HostBuffer &b : bs)
    ps.push_back(&b);
  return ps;
}

std::shared_ptr<CompiledFunction>
mxjit::gradcheck::compileAlone(Jit &jit, mlir::func::FuncOp fn) {
  return compileDetached(jit, llvm::cast<mlir::func::FuncOp>(fn->clone()));
}

std::vector<HostBuffer>
mxjit::gradcheck::randomBuffers(const std::vector<TensorSpec> &specs,
                                uint64_t seed, Domain domain) {
  Rng rng(seed);
  std::vector<HostBuffer> buffers;
  for (const TensorSpec &spec : specs) {
    HostBuffer b(spec);
    fill(b, rng, domain);
    buffers.push_back(std::move(b));
  }
  return buffers;
}

CompileOptions mxjit::gradcheck::compileOptions() {
  CompileOptions options;
  // O0: about 2x faster to compile than O1 on these small graphs and the
  // results are the same (the lowering, not LLVM, fixes the arithmetic).
  options.optLevel = 0;
  if (const char *level = std::getenv("MXJIT_GRADCHECK_OPT"))
    options.optLevel = static_cast<unsigned>(std::atoi(level));
  return options;
}

void mxjit::gradcheck::checkCase(const GradCase &c) {
  const std::string where = "[" + c.name + "] ";
  Jit jit;
  mlir::MLIRContext &context = jit.context();
  mlir::OwningOpRef<mlir::ModuleOp> module;
  try {
    module = parseModule(context, c.source, c.name);
  } catch (const Error &e) {
    ADD_FAILURE() << where << "does not parse:\n" << e.what();
    return;
  }
  auto f = module->lookupSymbol<mlir::func::FuncOp>("f");
  if (!f) {
    ADD_FAILURE() << where << "has no @f";
    return;
  }

  // The arguments differentiated at every order.
  std::vector<unsigned> wrt = c.wrt;
  if (wrt.empty())
    for (auto [i, t] : llvm::enumerate(f.getArgumentTypes()))
      if (mlir::isa<mlir::FloatType>(
              mlir::cast<mlir::ShapedType>(t).getElementType()))
        wrt.push_back(static_cast<unsigned>(i));

  // Build f_grad, f_grad_grad, ... each from the previous one.
  std::vector<mlir::func::FuncOp> fns = {f};
  for (int k = 1; k <= c.order; ++k) {
    AutodiffOptions options;
    options.wrt = k == 1 ? c.wrt : wrt;
    if (k == 1)
      options.results = c.results;
    options.seeds = true;
    options.keepForward = false;
    DiagnosticCapture diagnostics(&context);
    mlir::FailureOr<mlir::func::FuncOp> g = differentiate(fns.back(), options);
    if (mlir::failed(g)) {
      ADD_FAILURE() << where << "differentiate(@" << gradName(k - 1)
                    << ") failed at order " << k << ":\n"
                    << diagnostics.text();
      return;
    }
    if (g->getSymName() != gradName(k)) {
      ADD_FAILURE() << where << "the gradient of @" << gradName(k - 1)
                    << " is named @" << g->getSymName().str();
      return;
    }
    fns.push_back(*g);
    if (verbose())
      llvm::errs() << where << "order " << k << ":\n"
                   << printFunction(*g) << "\n";
  }

  // Compile every level on its own: the runtime lowers whole modules, and
  // each level is self-contained.
  std::vector<std::shared_ptr<CompiledFunction>> compiled;
  for (mlir::func::FuncOp fn : fns) {
    try {
      compiled.push_back(compileAlone(jit, fn));
    } catch (const Error &e) {
      ADD_FAILURE() << where << "@" << fn.getSymName().str()
                    << " does not compile:\n"
                    << e.what() << "\n"
                    << printFunction(fn);
      return;
    }
  }

  std::vector<FdTarget> targets;
  try {
    for (size_t k = 0; k + 1 < fns.size(); ++k)
      targets.push_back(makeFdTarget(jit, fns[k], compiled[k]));
  } catch (const Error &e) {
    ADD_FAILURE() << where
                  << "the stop_gradient-frozen copies do not compile:\n"
                  << e.what();
    return;
  }

  // The arguments of @f, then one seed per differentiated result per level.
  Rng rng(hashName(c.name));
  std::vector<HostBuffer> args;
  for (auto [i, spec] : llvm::enumerate(compiled[0]->inputs())) {
    HostBuffer b(spec);
    fill(b, rng, i < c.domains.size() ? c.domains[i] : Domain());
    args.push_back(std::move(b));
  }

  for (int k = 1; k <= c.order; ++k) {
    const CompiledFunction &prev = *compiled[k - 1];
    const CompiledFunction &grad = *compiled[k];
    const std::string level = where + "order " + std::to_string(k) + ", ";

    std::vector<unsigned> results =
        k == 1 ? c.results : std::vector<unsigned>();
    // The default: every floating-point result.
    if (results.empty())
      for (unsigned r = 0; r < prev.outputs().size(); ++r)
        if (prev.outputs()[r].dtype == DType::Float64 ||
            prev.outputs()[r].dtype == DType::Float32)
          results.push_back(r);

    std::vector<HostBuffer> seeds;
    for (unsigned r : results) {
      const TensorSpec &spec = prev.outputs()[r];
      if (spec.dtype != DType::Float64) {
        ADD_FAILURE() << level << "result " << r << " of @" << prev.entry()
                      << " is " << spec.str() << "; the harness seeds f64 only";
        return;
      }
      HostBuffer s(spec);
      fill(s, rng, Domain::uniform(-1.0, 1.0));
      seeds.push_back(std::move(s));
    }

    // Signature: (args..., seeds...) -> (one gradient per wrt argument).
    std::vector<TensorSpec> expectedInputs = prev.inputs();
    for (const HostBuffer &s : seeds)
      expectedInputs.push_back(s.spec());
    if (grad.inputs() != expectedInputs) {
      ADD_FAILURE() << level << "@" << grad.entry() << " takes "
                    << grad.inputs().size() << " arguments, expected "
                    << expectedInputs.size() << " (the arguments of @"
                    << prev.entry()
                    << " and one seed per differentiated result)";
      return;
    }
    if (grad.outputs().size() != wrt.size()) {
      ADD_FAILURE() << level << "@" << grad.entry() << " returns "
                    << grad.outputs().size() << " results, expected "
                    << wrt.size() << " gradients";
      return;
    }
    for (size_t i = 0; i < wrt.size(); ++i)
      if (grad.outputs()[i] != prev.inputs()[wrt[i]]) {
        ADD_FAILURE() << level << "gradient " << i << " is "
                      << grad.outputs()[i].str() << ", argument " << wrt[i]
                      << " is " << prev.inputs()[wrt[i]].str();
        return;
      }

    std::vector<HostBuffer> gradArgs;
    for (const HostBuffer &a : args)
      gradArgs.push_back(a.clone());
    for (const HostBuffer &s : seeds)
      gradArgs.push_back(s.clone());
    std::vector<HostBuffer> ad = grad.run(pointers(gradArgs));
    if (c.scaleAutodiff != 1.0)
      for (HostBuffer &b : ad)
        for (double &v : b.values<double>())
          v *= c.scaleAutodiff;

    // What the finite differences evaluate: @prev, or @prev with its
    // stop_gradients held at their values here.
    const FdTarget &target = targets[k - 1];
    const CompiledFunction &fdFn = target.frozen ? *target.frozen : prev;
    std::vector<HostBuffer> frozenValues;
    if (target.probe) {
      std::vector<HostBuffer> probed = target.probe->run(pointers(args));
      for (size_t r = prev.outputs().size(); r < probed.size(); ++r)
        frozenValues.push_back(std::move(probed[r]));
    }

    double magnitude = 0.0;
    weightedSum(fdFn, args, frozenValues, results, seeds, &magnitude);
    const double noise = 16 * DBL_EPSILON * magnitude / (2 * c.eps);

    for (size_t i = 0; i < wrt.size(); ++i) {
      HostBuffer &x = args[wrt[i]];
      if (x.spec().dtype != DType::Float64) {
        ADD_FAILURE() << level << "argument " << wrt[i] << " is "
                      << x.spec().str() << "; the harness perturbs f64 only";
        return;
      }
      auto xs = x.values<double>();
      auto gs = ad[i].values<double>();
      int mismatches = 0;
      double worst = 0.0, worstRatio = 0.0;
      std::ostringstream report;
      report.precision(12);
      for (size_t j = 0; j < xs.size(); ++j) {
        double saved = xs[j];
        xs[j] = saved + c.eps;
        double plus = weightedSum(fdFn, args, frozenValues, results, seeds);
        xs[j] = saved - c.eps;
        double minus = weightedSum(fdFn, args, frozenValues, results, seeds);
        xs[j] = saved;
        double fd = (plus - minus) / (2 * c.eps);
        double got = gs[j];
        double tol =
            c.atol + c.rtol * std::max(std::fabs(fd), std::fabs(got)) + noise;
        double err = std::fabs(got - fd);
        worstRatio = std::max(worstRatio, err / tol);
        if (!(err <= tol)) { // also catches NaN
          worst = std::isnan(err) ? err : std::max(worst, err);
          if (mismatches++ < 6)
            report << "\n  element " << multiIndex(x.spec(), j)
                   << " (x = " << saved << "): finite difference " << fd
                   << ", autodiff " << got << ", |diff| " << err << " > tol "
                   << tol;
        }
      }
      if (verbose())
        llvm::errs() << level << "argument " << wrt[i]
                     << ": worst |diff| / tol = " << worstRatio << "\n";
      if (mismatches)
        ADD_FAILURE() << level << "d/d(argument " << wrt[i] << ") of @"
                      << prev.entry() << " " << x.spec().str() << ": "
                      << mismatches << " of " << xs.size()
                      << " elements differ (worst |diff| " << worst << ")"
                      << report.str();
    }

    // The next level takes this level's seeds as arguments.
    for (HostBuffer &s : seeds)
      args.push_back(std::move(s));
  }
}

void mxjit::gradcheck::checkCases(const std::vector<GradCase> &cases) {
  for (const GradCase &c : cases) {
    SCOPED_TRACE(c.name);
    checkCase(c);
  }
}

//===----------------------------------------------------------------------===//
// MLIR text helpers
//===----------------------------------------------------------------------===//

std::string mxjit::gradcheck::tensorType(const std::string &shape,
                                         const std::string &element) {
  return "tensor<" + (shape.empty() ? "" : shape + "x") + element + ">";
}

std::string mxjit::gradcheck::unaryFunc(const std::string &op,
                                        const std::string &shape) {
  std::string t = tensorType(shape);
  return "func.func @f(%x: " + t + ") -> " + t + " {\n  %0 = mx." + op +
         " %x : " + t + "\n  return %0 : " + t + "\n}\n";
}

std::string mxjit::gradcheck::scalarFunc(const std::string &op,
                                         const std::string &shape,
                                         double scalar) {
  std::string t = tensorType(shape);
  std::ostringstream s;
  s.precision(17);
  s << std::scientific << scalar;
  return "func.func @f(%x: " + t + ") -> " + t + " {\n  %0 = mx." + op +
         " %x, " + s.str() + " : " + t + "\n  return %0 : " + t + "\n}\n";
}

std::string mxjit::gradcheck::binaryFunc(const std::string &op,
                                         const std::string &lhs,
                                         const std::string &rhs,
                                         const std::string &result) {
  std::string a = tensorType(lhs), b = tensorType(rhs), r = tensorType(result);
  return "func.func @f(%a: " + a + ", %b: " + b + ") -> " + r +
         " {\n  %0 = mx." + op + " %a, %b : (" + a + ", " + b + ") -> " + r +
         "\n  return %0 : " + r + "\n}\n";
}

std::string mxjit::gradcheck::squaredUnaryFunc(const std::string &op,
                                               const std::string &attrs,
                                               const std::string &shape,
                                               const std::string &result) {
  std::string t = tensorType(shape), r = tensorType(result);
  return "func.func @f(%x: " + t + ") -> " + r + " {\n  %0 = mx." + op +
         " %x " + (attrs.empty() ? "" : "{" + attrs + "} ") + ": (" + t +
         ") -> " + r + "\n  %1 = mx.square %0 : " + r + "\n  return %1 : " + r +
         "\n}\n";
}
