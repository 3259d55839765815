//===- MxDialect.td - the mx dialect definition ------------*- tablegen -*-===//
//
// The `mx` dialect models MXNet operators on ranked tensors. Element types are
// f32, f64, i32 and i64 (signless integers are read as signed, as in MXNet).
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_IR_MXDIALECT_TD
#define MXJIT_IR_MXDIALECT_TD

include "mlir/IR/OpBase.td"
include "ir/MxInterfaces.td"

def Mx_Dialect : Dialect {
  let name = "mx";
  let cppNamespace = "::mxjit::mx";
  let summary = "MXNet operators on ranked tensors";
  let description = [{
    Ops follow MXNet 1.x semantics and names (snake_case). Binary ops broadcast
    like NumPy. Attribute names match MXNet's operator parameters so that
    symbol JSON maps onto the dialect one to one.
  }];
  let hasConstantMaterializer = 1;
  // `mx.donate` on function arguments (see kDonateAttrName).
  let hasRegionArgAttrVerify = 1;
}

// Every mx op states its reverse-mode rule: a missing VJP is a build error,
// never a silent zero gradient.
class Mx_Op<string mnemonic, list<Trait> traits = []>
    : Op<Mx_Dialect, mnemonic,
         traits # [DeclareOpInterfaceMethods<Mx_DifferentiableOpInterface>]>;

def Mx_Element : AnyTypeOf<[F32, F64, I32, I64]>;
def Mx_Tensor : RankedTensorOf<[F32, F64, I32, I64]>;
def Mx_FloatTensor : RankedTensorOf<[F32, F64]>;

#endif // MXJIT_IR_MXDIALECT_TD
