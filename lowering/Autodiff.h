//===- Autodiff.h - reverse-mode differentiation of mx functions -*- C++
//-*-===//

#ifndef MXJIT_LOWERING_AUTODIFF_H
#define MXJIT_LOWERING_AUTODIFF_H

#include "mlir/Dialect/Func/IR/FuncOps.h"

#include <string>
#include <vector>

namespace mxjit {

struct AutodiffOptions {
  /// Arguments to differentiate, by index; empty means every floating-point
  /// argument. Integer arguments get no gradient and may not be listed.
  std::vector<unsigned> wrt;
  /// Results whose (seeded) sum is differentiated, by index; empty means
  /// every floating-point result.
  std::vector<unsigned> results;
  /// Take one cotangent (head gradient) argument per differentiated result,
  /// after the original arguments; otherwise every cotangent is ones.
  bool seeds = false;
  /// Return the forward results (all of them, in order) before the
  /// gradients, so forward work is shared with the gradient.
  bool keepForward = true;
  /// Name of the gradient function; empty means "<name>_grad".
  std::string name;
};

/// Builds the reverse-mode gradient of `f` as a new function of mx ops next
/// to `f` in its module, canonicalized, and returns it. Its signature is
/// (f's arguments..., [seeds...]) -> ([f's results...], gradients of the wrt
/// arguments in order). The new function carries `mx.gradient_of = @f`.
/// Emits a diagnostic naming the op and fails when an op on the path from a
/// wrt argument to a differentiated result has no VJP.
mlir::FailureOr<mlir::func::FuncOp>
differentiate(mlir::func::FuncOp f, const AutodiffOptions &options);

} // namespace mxjit

#endif // MXJIT_LOWERING_AUTODIFF_H
