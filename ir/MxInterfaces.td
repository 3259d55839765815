//===- MxInterfaces.td - mx op interfaces ------------------*- tablegen -*-===//

#ifndef MXJIT_IR_MXINTERFACES_TD
#define MXJIT_IR_MXINTERFACES_TD

include "mlir/IR/OpBase.td"

def Mx_DifferentiableOpInterface : OpInterface<"DifferentiableOpInterface"> {
  let cppNamespace = "::mxjit::mx";
  let description = [{
    An op's reverse-mode rule. `buildVJP` emits, at the builder's insertion
    point and from mx ops only (so gradients can be differentiated again),
    the vector-Jacobian product: given one cotangent per result (never null,
    with the result's type) it appends one cotangent per operand to
    `operandGrads`, with the operand's type, or a null Value where the
    operand gets no gradient (integer operands, comparisons, stop_gradient).
    The op itself is still in place and its operands and results may be used.
  }];
  let methods = [
    InterfaceMethod<
      "Emits the vector-Jacobian product of this op.",
      "::llvm::LogicalResult", "buildVJP",
      (ins "::mlir::OpBuilder &":$builder, "::mlir::ValueRange":$resultGrads,
           "::llvm::SmallVectorImpl<::mlir::Value> &":$operandGrads)>
  ];
}

#endif // MXJIT_IR_MXINTERFACES_TD
