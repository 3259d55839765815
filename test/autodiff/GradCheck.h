//===- GradCheck.h - finite-difference checks of mx-autodiff ----*- C++ -*-===//
//
// One data-driven harness for the autodiff suite. A GradCase is an mx function
// `@f` as MLIR text plus the domain its inputs are drawn from; checkCase()
// differentiates it with mxjit::differentiate up to the requested order and
// compares every gradient element with central finite differences:
//
//   order 1: @f_grad(x, w)        vs d/dx sum_r <w_r, f_r(x)>
//   order 2: @f_grad_grad(x, w, v) vs d/dx sum_k <v_k, f_grad_k(x, w)>
//   order 3: likewise one level up.
//
// Finite differences cannot see mx.stop_gradient, so for functions that use
// it they run on a copy whose stop_gradient values are extra arguments held
// at their values at the unperturbed point.
//
// Mismatches are reported (non-fatally) with the case name, the order, the
// argument and the element's multi-index, the finite-difference value and
// the autodiff value.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TEST_AUTODIFF_GRADCHECK_H
#define MXJIT_TEST_AUTODIFF_GRADCHECK_H

#include "runtime/CompileOptions.h"
#include "runtime/HostBuffer.h"
#include "runtime/Jit.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <cstdint>
#include <string>
#include <vector>

namespace mxjit::gradcheck {

/// Where the values of one argument come from. Every draw is deterministic:
/// the generator is seeded from the case name.
struct Domain {
  enum class Kind { Uniform, AwayFromZero, Lattice, Integer };
  Kind kind = Kind::Uniform;
  double lo = -1.0, hi = 1.0, step = 0.0;

  /// Uniform in [lo, hi].
  static Domain uniform(double lo, double hi) {
    return {Kind::Uniform, lo, hi, 0.0};
  }
  /// A random sign times a value uniform in [lo, hi] (0 < lo): keeps inputs
  /// away from the kink or pole at zero.
  static Domain awayFromZero(double lo, double hi) {
    return {Kind::AwayFromZero, lo, hi, 0.0};
  }
  /// offset + step * k for a random integer k with the value in
  /// [lo, hi]: two lattices with offsets that differ by step / 2 never come
  /// closer than step / 2, which keeps max/min/clip away from ties and
  /// thresholds.
  static Domain lattice(double lo, double hi, double step) {
    return {Kind::Lattice, lo, hi, step};
  }
  /// Integers uniform in [lo, hi], for integer arguments.
  static Domain integer(int64_t lo, int64_t hi) {
    return {Kind::Integer, static_cast<double>(lo), static_cast<double>(hi),
            0.0};
  }
};

struct GradCase {
  /// Shown in every failure message; also seeds the random generator.
  std::string name;
  /// MLIR text defining `func.func @f`, f64 tensors (integer arguments are
  /// allowed and get no gradient).
  std::string source;
  /// One per argument of @f; missing trailing ones are uniform(-1, 1).
  std::vector<Domain> domains;
  /// AutodiffOptions::wrt for the first order (empty: the default, every
  /// floating-point argument). Higher orders differentiate with respect to
  /// the same arguments of @f.
  std::vector<unsigned> wrt;
  /// AutodiffOptions::results for the first order (empty: the default,
  /// every floating-point result).
  std::vector<unsigned> results;
  /// Highest order checked (1 to 3).
  int order = 2;
  /// Central-difference step.
  double eps = 1e-6;
  /// An element passes when |ad - fd| <= atol + rtol * max(|ad|, |fd|) +
  /// noise, where noise is the rounding error of the difference quotient,
  /// 16 ulp of sum_r |<w_r, f_r(x)>| divided by 2 eps.
  double rtol = 1e-6;
  double atol = 1e-8;
  /// Multiplies every autodiff gradient before the comparison: only for the
  /// harness's own negative control (a 1e-5 relative error must fail).
  double scaleAutodiff = 1.0;

  GradCase() = default;
  GradCase(std::string name, std::string source,
           std::vector<Domain> domains = {}, int order = 2)
      : name(std::move(name)), source(std::move(source)),
        domains(std::move(domains)), order(order) {}
  GradCase &withOrder(int o) {
    order = o;
    return *this;
  }
  GradCase &withWrt(std::vector<unsigned> w) {
    wrt = std::move(w);
    return *this;
  }
  GradCase &withResults(std::vector<unsigned> r) {
    results = std::move(r);
    return *this;
  }
  GradCase &withTolerance(double eps_, double rtol_, double atol_) {
    eps = eps_;
    rtol = rtol_;
    atol = atol_;
    return *this;
  }
};

/// How gradients are compiled: the fastest options that still give exact
/// f64 results (see the measurement in CompileOptionsAreFastAndExact).
CompileOptions compileOptions();

/// Compiles a module that holds a clone of `fn` alone (the runtime lowers
/// whole modules; gradient functions are self-contained).
std::shared_ptr<CompiledFunction> compileAlone(Jit &jit, mlir::func::FuncOp fn);

/// Deterministic buffers for `specs` drawn from `domain`.
std::vector<HostBuffer> randomBuffers(const std::vector<TensorSpec> &specs,
                                      uint64_t seed, Domain domain = Domain());

/// The arguments of `fn`'s compiled form as the pointers run() takes.
std::vector<const HostBuffer *> pointers(const std::vector<HostBuffer> &bs);

/// Differentiates, compiles and checks one case up to its order; failures
/// are gtest non-fatal failures naming the case.
void checkCase(const GradCase &c);

/// checkCase() on every case, each under a trace naming it.
void checkCases(const std::vector<GradCase> &cases);

//===----------------------------------------------------------------------===//
// MLIR text helpers. A shape is written as in a tensor type: "2x3"; "" is
// rank 0.
//===----------------------------------------------------------------------===//

/// "tensor<2x3xf64>" (or another element type).
std::string tensorType(const std::string &shape,
                       const std::string &element = "f64");

/// @f(%x) -> op(%x) for an elementwise unary op.
std::string unaryFunc(const std::string &op, const std::string &shape);

/// @f(%x) -> op(%x, scalar) for a tensor-scalar op.
std::string scalarFunc(const std::string &op, const std::string &shape,
                       double scalar);

/// @f(%a, %b) -> op(%a, %b) for a broadcasting binary op.
std::string binaryFunc(const std::string &op, const std::string &lhs,
                       const std::string &rhs, const std::string &result);

/// @f(%x) -> square(op {attrs} (%x)): a one-operand op with attributes,
/// squared so that the second order exercises the VJP of its VJP.
std::string squaredUnaryFunc(const std::string &op, const std::string &attrs,
                             const std::string &shape,
                             const std::string &result);

} // namespace mxjit::gradcheck

#endif // MXJIT_TEST_AUTODIFF_GRADCHECK_H
