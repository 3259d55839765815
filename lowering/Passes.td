//===- Passes.td - mxjit passes ----------------------------*- tablegen -*-===//

#ifndef MXJIT_LOWERING_PASSES_TD
#define MXJIT_LOWERING_PASSES_TD

include "mlir/Pass/PassBase.td"

def MxToLinalg : Pass<"mx-to-linalg", "mlir::ModuleOp"> {
  let summary = "Lower mx ops to linalg, tensor, arith and math";
  let description = [{
    Rewrites every `mx` op into upstream dialects on tensors: elementwise and
    broadcasting ops become `linalg.generic`, reductions `linalg.generic`
    with reduction iterators, contractions `linalg.generic` matmul-like nests,
    and shape ops `tensor` reshapes and slices. Softmax is decomposed into a
    numerically stable max / exp / sum sequence. Ops on dynamic shapes are
    reported as not yet lowerable.
  }];
  let dependentDialects = [
    "mlir::arith::ArithDialect", "mlir::linalg::LinalgDialect",
    "mlir::math::MathDialect", "mlir::tensor::TensorDialect"
  ];
}

#endif // MXJIT_LOWERING_PASSES_TD
