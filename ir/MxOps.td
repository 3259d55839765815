//===- MxOps.td - mx dialect operations --------------------*- tablegen -*-===//

#ifndef MXJIT_IR_MXOPS_TD
#define MXJIT_IR_MXOPS_TD

include "ir/MxDialect.td"
include "mlir/IR/BuiltinAttributeInterfaces.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

//===----------------------------------------------------------------------===//
// Constant
//===----------------------------------------------------------------------===//

def Mx_ConstantOp : Mx_Op<"constant",
    [ConstantLike, Pure, AllTypesMatch<["value", "result"]>]> {
  let summary = "a tensor of constant values";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "attr-dict $value";
  let hasFolder = 1;
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Unary elementwise
//===----------------------------------------------------------------------===//

class Mx_UnaryOp<string mnemonic, Type tensorType, string doc,
                 list<Trait> traits = []>
    : Mx_Op<mnemonic, traits # [Pure, Elementwise, SameOperandsAndResultType]> {
  let summary = doc;
  let arguments = (ins tensorType:$data);
  let results = (outs tensorType:$result);
  let assemblyFormat = "$data attr-dict `:` type($result)";
  let hasFolder = 1;
}

def Mx_NegativeOp : Mx_UnaryOp<"negative", Mx_Tensor, "-x">;
def Mx_AbsOp : Mx_UnaryOp<"abs", Mx_Tensor, "|x|">;
def Mx_SquareOp : Mx_UnaryOp<"square", Mx_Tensor, "x * x">;
def Mx_ReluOp : Mx_UnaryOp<"relu", Mx_Tensor, "max(x, 0)">;
def Mx_ExpOp : Mx_UnaryOp<"exp", Mx_FloatTensor, "e^x">;
def Mx_LogOp : Mx_UnaryOp<"log", Mx_FloatTensor, "natural logarithm">;
def Mx_SqrtOp : Mx_UnaryOp<"sqrt", Mx_FloatTensor, "square root">;
def Mx_SigmoidOp : Mx_UnaryOp<"sigmoid", Mx_FloatTensor, "1 / (1 + e^-x)">;
def Mx_TanhOp : Mx_UnaryOp<"tanh", Mx_FloatTensor, "hyperbolic tangent">;
def Mx_SinOp : Mx_UnaryOp<"sin", Mx_FloatTensor, "sine">;
def Mx_CosOp : Mx_UnaryOp<"cos", Mx_FloatTensor, "cosine">;
def Mx_TanOp : Mx_UnaryOp<"tan", Mx_FloatTensor, "tangent">;
def Mx_Log2Op : Mx_UnaryOp<"log2", Mx_FloatTensor, "base-2 logarithm">;
def Mx_Log10Op : Mx_UnaryOp<"log10", Mx_FloatTensor, "base-10 logarithm">;
def Mx_Log1pOp : Mx_UnaryOp<"log1p", Mx_FloatTensor, "log(1 + x)">;
def Mx_Expm1Op : Mx_UnaryOp<"expm1", Mx_FloatTensor, "e^x - 1">;
def Mx_ReciprocalOp : Mx_UnaryOp<"reciprocal", Mx_FloatTensor, "1 / x">;
def Mx_RsqrtOp : Mx_UnaryOp<"rsqrt", Mx_FloatTensor, "1 / sqrt(x)">;
def Mx_CbrtOp : Mx_UnaryOp<"cbrt", Mx_FloatTensor, "cube root">;
def Mx_RcbrtOp : Mx_UnaryOp<"rcbrt", Mx_FloatTensor, "1 / cbrt(x)">;
def Mx_SinhOp : Mx_UnaryOp<"sinh", Mx_FloatTensor, "hyperbolic sine">;
def Mx_CoshOp : Mx_UnaryOp<"cosh", Mx_FloatTensor, "hyperbolic cosine">;
def Mx_ArcsinOp : Mx_UnaryOp<"arcsin", Mx_FloatTensor, "inverse sine">;
def Mx_ArccosOp : Mx_UnaryOp<"arccos", Mx_FloatTensor, "inverse cosine">;
def Mx_ArctanOp : Mx_UnaryOp<"arctan", Mx_FloatTensor, "inverse tangent">;
def Mx_ArcsinhOp : Mx_UnaryOp<"arcsinh", Mx_FloatTensor,
                              "inverse hyperbolic sine">;
def Mx_ArccoshOp : Mx_UnaryOp<"arccosh", Mx_FloatTensor,
                              "inverse hyperbolic cosine">;
def Mx_ArctanhOp : Mx_UnaryOp<"arctanh", Mx_FloatTensor,
                              "inverse hyperbolic tangent">;
def Mx_ErfOp : Mx_UnaryOp<"erf", Mx_FloatTensor, "Gauss error function">;
def Mx_SoftsignOp : Mx_UnaryOp<"softsign", Mx_FloatTensor, "x / (1 + |x|)">;
def Mx_SoftreluOp : Mx_UnaryOp<"softrelu", Mx_FloatTensor,
                               "log(1 + e^x), computed without overflow">;
def Mx_RadiansOp : Mx_UnaryOp<"radians", Mx_FloatTensor,
                              "degrees to radians (x * pi / 180)">;
def Mx_DegreesOp : Mx_UnaryOp<"degrees", Mx_FloatTensor,
                              "radians to degrees (x * 180 / pi)">;
// As MXNet: -1 for x < 0, 1 for x > 0 and 0 otherwise (NaN included).
def Mx_SignOp : Mx_UnaryOp<"sign", Mx_Tensor, "sign of x (-1, 0 or 1)">;

def Mx_ClipOp : Mx_Op<"clip",
    [Pure, Elementwise, SameOperandsAndResultType]> {
  let summary = "clamp to [a_min, a_max]";
  let description = [{
    As MXNet: `x > a_max` gives a_max, `x < a_min` gives a_min and anything
    else (NaN included) is x. The bounds are stored as f64 and converted to
    the element type; integer tensors truncate them toward zero (saturating
    at the type's range), as MXNet's `DType(a_min)`. `a_min <= a_max` is
    required.

    ```
    %y = mx.clip %x {a_min = -1.0 : f64, a_max = 1.0 : f64} : tensor<4xf32>
    ```
  }];
  let arguments = (ins Mx_Tensor:$data, F64Attr:$a_min, F64Attr:$a_max);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` type($result)";
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Mx_StopGradientOp : Mx_Op<"stop_gradient",
    [Pure, SameOperandsAndResultType]> {
  let summary = "identity whose gradient is zero (MXNet BlockGrad)";
  let description = [{
    Forwards its operand unchanged; the gradient pass sends no gradient
    through it. Canonicalization keeps it (mx-autodiff must see it);
    mx-to-linalg replaces it with its operand.
  }];
  let arguments = (ins Mx_Tensor:$data);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` type($result)";
}

//===----------------------------------------------------------------------===//
// Binary elementwise with NumPy broadcasting
//===----------------------------------------------------------------------===//

class Mx_BroadcastBinaryOp<string mnemonic, string doc, list<Trait> traits = []>
    : Mx_Op<mnemonic, traits # [Pure, InferTypeOpAdaptor,
                                SameOperandsAndResultElementType]> {
  let summary = doc;
  let description = [{
    Elementwise with NumPy broadcasting: shapes are aligned on the right and a
    dimension of size 1 stretches to match the other operand.
  }];
  let arguments = (ins Mx_Tensor:$lhs, Mx_Tensor:$rhs);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferBroadcastResultType(location, adaptor.getLhs().getType(),
                                      adaptor.getRhs().getType(), types);
    }
  }];
}

def Mx_AddOp : Mx_BroadcastBinaryOp<"add", "lhs + rhs", [Commutative]>;
def Mx_SubtractOp : Mx_BroadcastBinaryOp<"subtract", "lhs - rhs">;
def Mx_MultiplyOp : Mx_BroadcastBinaryOp<"multiply", "lhs * rhs", [Commutative]>;
def Mx_DivideOp : Mx_BroadcastBinaryOp<"divide", "lhs / rhs">;
def Mx_PowerOp : Mx_BroadcastBinaryOp<"power", "lhs ^ rhs">;
def Mx_MaximumOp : Mx_BroadcastBinaryOp<"maximum", "max(lhs, rhs)", [Commutative]>;
def Mx_MinimumOp : Mx_BroadcastBinaryOp<"minimum", "min(lhs, rhs)", [Commutative]>;
// Comparisons return 1 or 0 in the operands' element type, as MXNet does.
def Mx_EqualOp : Mx_BroadcastBinaryOp<"equal", "lhs == rhs", [Commutative]>;
def Mx_NotEqualOp : Mx_BroadcastBinaryOp<"not_equal", "lhs != rhs", [Commutative]>;
def Mx_GreaterOp : Mx_BroadcastBinaryOp<"greater", "lhs > rhs">;
def Mx_GreaterEqualOp : Mx_BroadcastBinaryOp<"greater_equal", "lhs >= rhs">;
def Mx_LesserOp : Mx_BroadcastBinaryOp<"lesser", "lhs < rhs">;
def Mx_LesserEqualOp : Mx_BroadcastBinaryOp<"lesser_equal", "lhs <= rhs">;

//===----------------------------------------------------------------------===//
// Tensor-scalar elementwise (MXNet's _plus_scalar, _rminus_scalar, ...)
//===----------------------------------------------------------------------===//

class Mx_ScalarOp<string mnemonic, string doc>
    : Mx_Op<mnemonic, [Pure, Elementwise, SameOperandsAndResultType]> {
  let summary = doc;
  let description = [{
    The scalar is stored as f64 and converted to the tensor's element type
    (truncated toward zero for integer tensors), as MXNet does.
  }];
  let arguments = (ins Mx_Tensor:$data, F64Attr:$scalar);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data `,` $scalar attr-dict `:` type($result)";
  let hasFolder = 1;
}

def Mx_AddScalarOp : Mx_ScalarOp<"add_scalar", "x + s">;
def Mx_SubtractScalarOp : Mx_ScalarOp<"subtract_scalar", "x - s">;
def Mx_RSubtractScalarOp : Mx_ScalarOp<"rsubtract_scalar", "s - x">;
def Mx_MultiplyScalarOp : Mx_ScalarOp<"multiply_scalar", "x * s">;
def Mx_DivideScalarOp : Mx_ScalarOp<"divide_scalar", "x / s">;
def Mx_RDivideScalarOp : Mx_ScalarOp<"rdivide_scalar", "s / x">;
def Mx_PowerScalarOp : Mx_ScalarOp<"power_scalar", "x ^ s">;
def Mx_RPowerScalarOp : Mx_ScalarOp<"rpower_scalar", "s ^ x">;
def Mx_MaximumScalarOp : Mx_ScalarOp<"maximum_scalar", "max(x, s)">;
def Mx_MinimumScalarOp : Mx_ScalarOp<"minimum_scalar", "min(x, s)">;
def Mx_EqualScalarOp : Mx_ScalarOp<"equal_scalar", "x == s">;
def Mx_NotEqualScalarOp : Mx_ScalarOp<"not_equal_scalar", "x != s">;
def Mx_GreaterScalarOp : Mx_ScalarOp<"greater_scalar", "x > s">;
def Mx_GreaterEqualScalarOp : Mx_ScalarOp<"greater_equal_scalar", "x >= s">;
def Mx_LesserScalarOp : Mx_ScalarOp<"lesser_scalar", "x < s">;
def Mx_LesserEqualScalarOp : Mx_ScalarOp<"lesser_equal_scalar", "x <= s">;

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

class Mx_ReduceOp<string mnemonic, string doc>
    : Mx_Op<mnemonic, [Pure, InferTypeOpAdaptor,
                       SameOperandsAndResultElementType]> {
  let summary = doc;
  let description = [{
    Reduces over `axis` (all axes when empty; negative values count from the
    end). With `exclude` the listed axes are kept and all others reduced.
    As in MXNet 1.x, reducing every axis without `keepdims` gives shape (1,).
  }];
  let arguments = (ins Mx_Tensor:$data,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$keepdims,
                   DefaultValuedAttr<BoolAttr, "false">:$exclude);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// The reduced axes, normalised to [0, rank) and sorted.
    ::llvm::SmallVector<int64_t> getReducedAxes();
  }];
  let extraClassDefinition = [{
    ::llvm::LogicalResult $cppClass::inferReturnTypes(
        ::mlir::MLIRContext *context, std::optional<::mlir::Location> location,
        Adaptor adaptor, ::llvm::SmallVectorImpl<::mlir::Type> &types) {
      return inferReduceResultType(location, adaptor.getData().getType(),
                                   adaptor.getAxis(), adaptor.getKeepdims(),
                                   adaptor.getExclude(), types);
    }
    ::llvm::SmallVector<int64_t> $cppClass::getReducedAxes() {
      return *normalizeReduceAxes(getData().getType().getRank(), getAxis(),
                                  getExclude(), nullptr);
    }
  }];
}

def Mx_SumOp : Mx_ReduceOp<"sum", "sum over axes">;
def Mx_MeanOp : Mx_ReduceOp<"mean", "mean over axes">;
def Mx_MaxOp : Mx_ReduceOp<"max", "maximum over axes">;
def Mx_MinOp : Mx_ReduceOp<"min", "minimum over axes">;

//===----------------------------------------------------------------------===//
// Shape manipulation
//===----------------------------------------------------------------------===//

def Mx_ReshapeOp : Mx_Op<"reshape",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "reshape with MXNet's special values";
  let description = [{
    `shape` may use MXNet's special values: 0 copies the input dimension, -1
    is inferred from the remaining size, -2 copies all remaining dimensions,
    -3 merges two consecutive input dimensions, -4 splits one input dimension
    into the two values that follow it (one of them may be -1). With `reverse`
    the special values are matched from the right.
  }];
  let arguments = (ins Mx_Tensor:$data, DenseI64ArrayAttr:$shape,
                   DefaultValuedAttr<BoolAttr, "false">:$reverse);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
  let hasCanonicalizer = 1;
}

def Mx_TransposeOp : Mx_Op<"transpose",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "permute axes (reverse them when `axes` is empty)";
  let arguments = (ins Mx_Tensor:$data,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// The permutation, with the empty default expanded to a reversal.
    ::llvm::SmallVector<int64_t> getPermutation();
  }];
  let hasFolder = 1;
}

def Mx_BroadcastToOp : Mx_Op<"broadcast_to",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "broadcast to a shape (0 keeps the input dimension)";
  let arguments = (ins Mx_Tensor:$data, DenseI64ArrayAttr:$shape);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Mx_ExpandDimsOp : Mx_Op<"expand_dims",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "insert a dimension of size 1 at `axis`";
  let arguments = (ins Mx_Tensor:$data, I64Attr:$axis);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
}

def Mx_SliceOp : Mx_Op<"slice",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "strided slice along the leading axes";
  let description = [{
    `begin`, `end` and `step` cover the leading axes (the rest are kept
    whole). Negative indices count from the end and out-of-range indices are
    clamped, as in NumPy; the frontends write MXNet's `None` as INT64_MIN or
    INT64_MAX, which clamp to the open end. `step` defaults to 1 and must not
    be 0.
  }];
  let arguments = (ins Mx_Tensor:$data, DenseI64ArrayAttr:$begin,
                   DenseI64ArrayAttr:$end,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$step);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// Per-axis start and stride over the full rank after clamping.
    void getNormalizedBounds(::llvm::SmallVectorImpl<int64_t> &starts,
                             ::llvm::SmallVectorImpl<int64_t> &strides);
  }];
  let hasFolder = 1;
}

def Mx_SliceAssignOp : Mx_Op<"slice_assign",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "base with a strided slice replaced by value (_slice_assign)";
  let description = [{
    `begin`, `end` and `step` select a slice of `base` exactly as for
    `mx.slice`; the result is `base` with that slice replaced by `value`,
    whose shape must be the slice's shape.

    ```
    %r = mx.slice_assign %base, %value {begin = array<i64: 1>, end = array<i64: 3>}
        : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
    ```
  }];
  let arguments = (ins Mx_Tensor:$base, Mx_Tensor:$value,
                   DenseI64ArrayAttr:$begin, DenseI64ArrayAttr:$end,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$step);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat =
      "$base `,` $value attr-dict `:` functional-type(operands, results)";
  let extraClassDeclaration = [{
    /// Per-axis start and stride over the full rank after clamping.
    void getNormalizedBounds(::llvm::SmallVectorImpl<int64_t> &starts,
                             ::llvm::SmallVectorImpl<int64_t> &strides);
  }];
  let hasFolder = 1;
  let hasVerifier = 1;
}

def Mx_ConcatOp : Mx_Op<"concat",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "join tensors along `dim`";
  let arguments = (ins Variadic<Mx_Tensor>:$data,
                   DefaultValuedAttr<I64Attr, "1">:$dim);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` functional-type(operands, results)";
  let hasFolder = 1;
}

def Mx_CastOp : Mx_Op<"cast", [Pure, Elementwise, SameOperandsAndResultShape]> {
  let summary = "convert the element type (the dtype is the result type's)";
  let arguments = (ins Mx_Tensor:$data);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = "$data attr-dict `:` type($data) `->` type($result)";
  let hasFolder = 1;
}

//===----------------------------------------------------------------------===//
// Contractions
//===----------------------------------------------------------------------===//

def Mx_DotOp : Mx_Op<"dot",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "MXNet dot: contract the last axis of lhs with the first of rhs";
  let description = [{
    For N-D lhs and M-D rhs the result has shape lhs[:-1] ++ rhs[1:] (shape
    (1,) when both are 1-D). With `transpose_a` lhs contracts its first axis
    instead (result lhs[1:] ++ ...), with `transpose_b` rhs contracts its last
    axis (result ... ++ rhs[:-1]); for matrices this is the usual transpose.
    1-D operands cannot be transposed.
  }];
  let arguments = (ins Mx_Tensor:$lhs, Mx_Tensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
                   DefaultValuedAttr<BoolAttr, "false">:$transpose_b);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Mx_BatchDotOp : Mx_Op<"batch_dot",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "batched matrix product over the last two axes";
  let description = [{
    Operands have rank >= 3 and equal leading (batch) dimensions;
    `transpose_a`/`transpose_b` swap each operand's last two axes.
  }];
  let arguments = (ins Mx_Tensor:$lhs, Mx_Tensor:$rhs,
                   DefaultValuedAttr<BoolAttr, "false">:$transpose_a,
                   DefaultValuedAttr<BoolAttr, "false">:$transpose_b);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat =
      "$lhs `,` $rhs attr-dict `:` functional-type(operands, results)";
}

def Mx_FullyConnectedOp : Mx_Op<"fully_connected",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "y = x W^T + b";
  let description = [{
    `weight` has shape (num_hidden, K) and the optional `bias` (num_hidden).
    With `flatten` the data is read as (batch, K) with K the product of all
    but the first axis; without it the product acts on the last axis.
  }];
  let arguments = (ins Mx_Tensor:$data, Mx_Tensor:$weight,
                   Optional<Mx_Tensor>:$bias, I64Attr:$num_hidden,
                   DefaultValuedAttr<BoolAttr, "true">:$flatten);
  let results = (outs Mx_Tensor:$result);
  let assemblyFormat = [{
    $data `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

//===----------------------------------------------------------------------===//
// Softmax
//===----------------------------------------------------------------------===//

class Mx_SoftmaxBase<string mnemonic, string doc>
    : Mx_Op<mnemonic, [Pure, SameOperandsAndResultType]> {
  let summary = doc;
  let arguments = (ins Mx_FloatTensor:$data,
                   DefaultValuedAttr<I64Attr, "-1">:$axis,
                   OptionalAttr<F64Attr>:$temperature);
  let results = (outs Mx_FloatTensor:$result);
  let assemblyFormat = "$data attr-dict `:` type($result)";
  let hasVerifier = 1;
}

def Mx_SoftmaxOp : Mx_SoftmaxBase<"softmax", "softmax along `axis`">;
def Mx_LogSoftmaxOp : Mx_SoftmaxBase<"log_softmax", "log of softmax along `axis`">;

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

// MXNet's Convolution parameters (layout NCW / NCHW / NCDHW). Empty stride,
// dilate and pad mean all 1, all 1 and all 0.
defvar Mx_ConvAttrs = (ins DenseI64ArrayAttr:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$stride,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$dilate,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pad,
    I64Attr:$num_filter,
    DefaultValuedAttr<I64Attr, "1">:$num_group);

// MXNet's Pooling window parameters. Empty stride and pad mean all 1 and
// all 0; with global_pool the kernel is the whole spatial extent.
defvar Mx_PoolWindowAttrs = (ins
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$kernel,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$stride,
    DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$pad,
    DefaultValuedAttr<BoolAttr, "false">:$global_pool,
    DefaultValuedStrAttr<StrAttr, "valid">:$pooling_convention);
defvar Mx_PoolTypeAttrs = (ins
    DefaultValuedStrAttr<StrAttr, "max">:$pool_type,
    DefaultValuedAttr<BoolAttr, "true">:$count_include_pad);

class Mx_ConvPoolOp<string mnemonic>
    : Mx_Op<mnemonic, [Pure, InferTypeOpAdaptor,
                       SameOperandsAndResultElementType]> {
  let results = (outs Mx_FloatTensor:$result);
  let assemblyFormat = [{
    operands attr-dict `:` functional-type(operands, results)
  }];
}

def Mx_ConvolutionOp : Mx_ConvPoolOp<"convolution"> {
  let summary = "N-D convolution (MXNet's Convolution)";
  let description = [{
    `data` (N, C, x...), `weight` (num_filter, C / num_group, kernel...), the
    optional `bias` (num_filter). Output spatial size
    floor((x + 2 pad - dilate (kernel - 1) - 1) / stride) + 1. Channels are
    split into num_group groups, each convolved with its own filters.
  }];
  let arguments = !con((ins Mx_FloatTensor:$data, Mx_FloatTensor:$weight,
                            Optional<Mx_FloatTensor>:$bias), Mx_ConvAttrs);
  let assemblyFormat = [{
    $data `,` $weight (`,` $bias^)? attr-dict `:` functional-type(operands, results)
  }];
}

def Mx_ConvolutionBackwardDataOp
    : Mx_ConvPoolOp<"convolution_backward_data"> {
  let summary = "gradient of a convolution with respect to its data";
  let description = [{
    The transposed convolution: given the cotangent `grad` of a convolution's
    output and its `weight`, the cotangent of its data, whose shape
    `data_shape` is an attribute (strided convolutions map several data
    sizes to one output size). Bilinear in (grad, weight).
  }];
  let arguments = !con((ins Mx_FloatTensor:$grad, Mx_FloatTensor:$weight,
                            DenseI64ArrayAttr:$data_shape), Mx_ConvAttrs);
}

def Mx_ConvolutionBackwardWeightOp
    : Mx_ConvPoolOp<"convolution_backward_weight"> {
  let summary = "gradient of a convolution with respect to its weight";
  let description = [{
    Given the cotangent `grad` of a convolution's output and its `data`,
    the cotangent of its weight. Bilinear in (grad, data).
  }];
  let arguments = !con((ins Mx_FloatTensor:$grad, Mx_FloatTensor:$data),
                       Mx_ConvAttrs);
}

def Mx_PoolingOp : Mx_ConvPoolOp<"pooling"> {
  let summary = "max, average or sum pooling (MXNet's Pooling)";
  let description = [{
    `data` (N, C, x...). Output spatial size 1 + floor((x + 2 pad - kernel) /
    stride) for pooling_convention "valid", ceil for "full". Max pooling
    ignores padding; avg divides by the window clipped to the padded input
    (count_include_pad) or to the input.
  }];
  let arguments = !con((ins Mx_FloatTensor:$data), Mx_PoolWindowAttrs,
                       Mx_PoolTypeAttrs);
  let hasVerifier = 1;
}

def Mx_PoolingBackwardOp : Mx_ConvPoolOp<"pooling_backward"> {
  let summary = "gradient of a pooling with respect to its data";
  let description = [{
    Given the cotangent `grad` of a pooling's output and its `data`, the
    cotangent of the data: max sends each output's cotangent to the first
    arg-max of its window, avg spreads it divided by the window's count,
    sum copies it. Linear in `grad`.
  }];
  let arguments = !con((ins Mx_FloatTensor:$grad, Mx_FloatTensor:$data),
                       Mx_PoolWindowAttrs, Mx_PoolTypeAttrs);
  let hasVerifier = 1;
}

def Mx_PoolingMaxGatherOp : Mx_ConvPoolOp<"pooling_max_gather"> {
  let summary = "values at the arg-max of each max-pooling window";
  let description = [{
    For each window of max pooling over `data`, the element of `values`
    (data-shaped) at the window's first arg-max of `data`: the adjoint of
    max pooling_backward, so max pooling has gradients of every order.
  }];
  let arguments = !con((ins Mx_FloatTensor:$data, Mx_FloatTensor:$values),
                       Mx_PoolWindowAttrs);
}

//===----------------------------------------------------------------------===//
// Normalization, dropout and output layers
//===----------------------------------------------------------------------===//

def Mx_BatchNormOp : Mx_Op<"batch_norm",
    [Pure, InferTypeOpAdaptor, SameOperandsAndResultElementType]> {
  let summary = "batch normalization (MXNet BatchNorm)";
  let description = [{
    Normalizes `data` per channel (the `axis` dimension, C) and applies the
    affine `gamma * x_hat + beta`; `gamma`, `beta`, `moving_mean` and
    `moving_var` have shape (C). With `training` and without
    `use_global_stats` the statistics are the batch mean and the biased batch
    variance over every other axis, else the moving ones. The results are
    the output and MXNet's hidden outputs: the statistics used (batch mean
    and variance in training, `moving_mean`/`moving_var` otherwise).
    `fix_gamma` treats gamma as 1 (and gives it no gradient). The op does
    not update the moving statistics: the frontend computes
    `momentum * moving + (1 - momentum) * batch` from results 1 and 2.
    `momentum` is kept for round trips of MXNet graphs only.

    The VJP is the full batch-norm backward through the batch statistics in
    training, the affine backward with global statistics; the moving
    statistics get no gradient and, as in MXNet, the cotangents of the mean
    and var results are ignored.

    ```
    %y, %m, %v = mx.batch_norm %x, %g, %b, %mm, %mv {training = true}
        : (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>,
           tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
    ```
  }];
  let arguments = (ins Mx_FloatTensor:$data, Mx_FloatTensor:$gamma,
                   Mx_FloatTensor:$beta, Mx_FloatTensor:$moving_mean,
                   Mx_FloatTensor:$moving_var,
                   DefaultValuedAttr<F64Attr, "1e-3">:$eps,
                   DefaultValuedAttr<F64Attr, "0.9">:$momentum,
                   DefaultValuedAttr<BoolAttr, "true">:$fix_gamma,
                   DefaultValuedAttr<BoolAttr, "false">:$use_global_stats,
                   DefaultValuedAttr<I64Attr, "1">:$axis,
                   DefaultValuedAttr<BoolAttr, "false">:$training);
  let results = (outs Mx_FloatTensor:$output, Mx_FloatTensor:$mean,
                 Mx_FloatTensor:$var);
  let assemblyFormat = [{
    $data `,` $gamma `,` $beta `,` $moving_mean `,` $moving_var attr-dict `:`
    functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The channel axis in [0, rank).
    int64_t getChannelAxis();
    /// The axes the statistics reduce: every axis but the channel axis.
    ::llvm::SmallVector<int64_t> getStatAxes();
    /// Whether the batch statistics are used: training && !use_global_stats.
    bool usesBatchStats() { return getTraining() && !getUseGlobalStats(); }
  }];
}

def Mx_DropoutOp : Mx_Op<"dropout",
    [Pure, AllTypesMatch<["data", "result"]>]> {
  let summary = "inverted dropout with a counter-based mask (MXNet Dropout)";
  let description = [{
    `result = data * keep / (1 - p)` where `keep` is 0 with probability `p`.
    The mask is a pure function of the `seed` (tensor<2xi64>: key and
    counter) and the element's linear index in the mask shape (data's shape
    with the `axes` dimensions set to 1, so those axes share one value):
    splitmix64 hashing, see docs/dialect.md. The same seed always gives the
    same mask, so the op is pure and the VJP is `mx.dropout` of the
    cotangent with the same seed. `p = 0` is the identity and `p = 1` gives
    zeros. The frontends emit it only in training (or MXNet's
    `mode="always"`).

    ```
    %y = mx.dropout %x, %seed {p = 0.25 : f64}
        : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
    ```
  }];
  let arguments = (ins Mx_FloatTensor:$data, Mx_Tensor:$seed,
                   DefaultValuedAttr<F64Attr, "0.5">:$p,
                   DefaultValuedAttr<DenseI64ArrayAttr, "{}">:$axes);
  let results = (outs Mx_FloatTensor:$result);
  let assemblyFormat = [{
    $data `,` $seed attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mx_SoftmaxOutputOp : Mx_Op<"softmax_output",
    [Pure, AllTypesMatch<["data", "result"]>,
     AllElementTypesMatch<["data", "label"]>]> {
  let summary = "softmax with a cross-entropy gradient (MXNet SoftmaxOutput)";
  let description = [{
    Forward: softmax over the class axis: the flattened trailing axes of
    (N, ...) by default (the last axis of 2-D data), the last axis with
    `preserve_shape`, axis 1 of (N, C, d...) with `multi_output`. `label`
    holds class ids as floats (truncated toward zero, as MXNet reads them),
    or has the data's shape and holds probabilities.

    The VJP ignores the incoming cotangent (MXNet loss-layer semantics;
    with `out_grad` it multiplies by it): `(softmax - target) * grad_scale /
    norm` with target the one-hot label (label smoothing `smooth_alpha`:
    `1 - alpha` on the label, `alpha / (C - 1)` elsewhere), rows whose label
    is `ignore_label` zeroed with `use_ignore`, and norm per
    `normalization`: "null" 1, "batch" the number of labels, "valid" the
    number of labels that are not `ignore_label` (at least 1); with
    `multi_output` "null" and "batch" also divide by prod(d...), as MXNet.
    Probability labels give `(softmax - label) * grad_scale`.

    ```
    %p = mx.softmax_output %x, %label {normalization = "batch"}
        : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
    ```
  }];
  let arguments = (ins Mx_FloatTensor:$data, Mx_FloatTensor:$label,
                   DefaultValuedAttr<F64Attr, "1.0">:$grad_scale,
                   DefaultValuedAttr<F64Attr, "-1.0">:$ignore_label,
                   DefaultValuedAttr<BoolAttr, "false">:$use_ignore,
                   DefaultValuedAttr<BoolAttr, "false">:$multi_output,
                   DefaultValuedAttr<StrAttr, "\"null\"">:$normalization,
                   DefaultValuedAttr<BoolAttr, "false">:$preserve_shape,
                   DefaultValuedAttr<F64Attr, "0.0">:$smooth_alpha,
                   DefaultValuedAttr<BoolAttr, "false">:$out_grad);
  let results = (outs Mx_FloatTensor:$result);
  let assemblyFormat = [{
    $data `,` $label attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// The softmax of `data` (an operand of this op's type) over the class
    /// axis, as mx ops; shared by the lowering and the VJP.
    ::mlir::Value buildSoftmax(::mlir::OpBuilder &b, ::mlir::Value data);
  }];
}

class Mx_RegressionOutputOp<string mnemonic, string doc>
    : Mx_Op<mnemonic, [Pure, AllTypesMatch<["data", "result"]>,
                       AllElementTypesMatch<["data", "label"]>]> {
  let summary = doc;
  let description = [{
    A loss layer: the VJP ignores the incoming cotangent and gives
    `grad_scale / num_output` times the loss derivative, with num_output =
    label.size / label.shape[0] (MXNet). `label` has the data's shape, or is
    (N) for data (N, 1).
  }];
  let arguments = (ins Mx_FloatTensor:$data, Mx_FloatTensor:$label,
                   DefaultValuedAttr<F64Attr, "1.0">:$grad_scale);
  let results = (outs Mx_FloatTensor:$result);
  let assemblyFormat = [{
    $data `,` $label attr-dict `:` functional-type(operands, results)
  }];
  let hasVerifier = 1;
}

def Mx_LinearRegressionOutputOp : Mx_RegressionOutputOp<
    "linear_regression_output", "identity; gradient out - label">;
def Mx_LogisticRegressionOutputOp : Mx_RegressionOutputOp<
    "logistic_regression_output", "sigmoid; gradient out - label">;
def Mx_MAERegressionOutputOp : Mx_RegressionOutputOp<
    "mae_regression_output", "identity; gradient sign(out - label)">;

#endif // MXJIT_IR_MXOPS_TD
