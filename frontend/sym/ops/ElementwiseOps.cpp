//===- ElementwiseOps.cpp - unary, binary, scalar and n-ary elementwise ---===//
//
// MXNet's names for the elementwise family, with the aliases its Python
// operators and old JSON files use (_Plus, _PlusScalar, ElementWiseSum).
// elemwise_* and the _equal family require equal shapes, as in MXNet; the
// broadcast_* ops broadcast. Everything lowers to one mx op.
//
//===----------------------------------------------------------------------===//

#include "sym/ops/OpFamilies.h"
#include "sym/ops/OpHelpers.h"

#include "ir/MxOps.h"

#include "mlir/IR/BuiltinTypes.h"

namespace mxjit::sym::detail {

using mlir::Value;

namespace {

template <typename OpTy>
void unary(const char *name, std::vector<std::string> aliases = {}) {
  OpInfo info = fixedOp(name, {"data"}, {});
  info.elementwise = true;
  info.lower = single(
      [](LowerContext &ctx, const Params &, const std::vector<Value> &in) {
        return build<OpTy>(ctx, in[0]);
      });
  registerOp(std::move(info), aliases);
}

Value activation(LowerContext &ctx, const std::string &act, Value x) {
  if (act == "relu")
    return build<mx::ReluOp>(ctx, x);
  if (act == "sigmoid")
    return build<mx::SigmoidOp>(ctx, x);
  if (act == "tanh")
    return build<mx::TanhOp>(ctx, x);
  if (act == "softrelu")
    return build<mx::SoftreluOp>(ctx, x);
  if (act == "softsign")
    return build<mx::SoftsignOp>(ctx, x);
  throw Error("act_type '" + act +
              "' is not one of relu, sigmoid, tanh, softrelu, softsign");
}

/// Same-shape binary ops (elemwise_add, _maximum, _equal): MXNet's
/// ElemwiseShape rejects operands of different shapes instead of
/// broadcasting them.
template <typename OpTy>
void sameShapeBinary(const char *name, std::vector<std::string> aliases) {
  OpInfo info = fixedOp(name, {"lhs", "rhs"}, {});
  info.elementwise = true;
  std::string opName = name;
  info.lower = single([opName](LowerContext &ctx, const Params &,
                               const std::vector<Value> &in) {
    if (shapeOf(in[0]) != shapeOf(in[1]))
      throw Error(opName + " needs operands of one shape, got " +
                  formatShapeOf(in[0]) + " and " + formatShapeOf(in[1]) +
                  " (use broadcast_* to broadcast)");
    return build<OpTy>(ctx, {in[0], in[1]});
  });
  registerOp(std::move(info), aliases);
}

template <typename OpTy>
void broadcastBinary(const char *name, std::vector<std::string> aliases = {}) {
  OpInfo info = fixedOp(name, {"lhs", "rhs"}, {});
  info.lower = single(
      [](LowerContext &ctx, const Params &, const std::vector<Value> &in) {
        return build<OpTy>(ctx, {in[0], in[1]});
      });
  registerOp(std::move(info), aliases);
}

template <typename OpTy>
void scalarOp(const char *name, std::vector<std::string> aliases) {
  // `is_int` is written by MXNet >= 1.8 to keep integer scalars exact; the
  // scalar is read as a double either way.
  OpInfo info = fixedOp(name, {"data"}, {{"scalar", "1"}, {"is_int", "True"}});
  info.elementwise = true;
  info.check = [](const Params &p) {
    p.f64("scalar", 1.0);
    p.boolean("is_int", true);
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        return build<OpTy>(ctx, in[0],
                           {f64Attr(ctx, "scalar", p.f64("scalar", 1))});
      });
  registerOp(std::move(info), aliases);
}

std::optional<DType> castDType(const Params &p) {
  std::string name = p.str("dtype", "");
  std::optional<DType> d = parseDType(name);
  if (!d)
    throw Error("Error in operator " + p.node() + " (" + p.op() + "): dtype '" +
                name + "' is not supported (float32, float64, int32, int64)");
  return d;
}

void registerCast() {
  OpInfo info = fixedOp("Cast", {"data"}, {{"dtype", "required"}});
  info.elementwise = true; // one shape; the dtype rule is its own
  info.check = [](const Params &p) { castDType(p); };
  info.inferTypes = [](const Params &p, std::vector<std::optional<DType>> &,
                       std::vector<std::optional<DType>> &out) {
    out[0] = castDType(p);
  };
  info.lower = single([](LowerContext &ctx, const Params &p,
                         const std::vector<Value> &in) {
    auto type = mlir::cast<mlir::RankedTensorType>(in[0].getType());
    mlir::Type element = toMlirType(*castDType(p), *ctx.builder.getContext());
    return build<mx::CastOp>(ctx, in[0], {}, {type.clone(element)});
  });
  registerOp(std::move(info), {"cast"});
}

void registerAddN() {
  OpInfo info;
  info.name = "add_n";
  info.keyVarNumArgs = "num_args";
  info.params = {{"num_args", "required"}};
  info.inputs = variadicInputs("num_args");
  info.outputs = singleOutput;
  info.elementwise = true;
  info.check = [](const Params &p) {
    if (p.i64("num_args") < 1)
      throw Error("Error in operator " + p.node() + " (" + p.op() +
                  "): num_args must be at least 1");
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &, const std::vector<Value> &in) {
        Value sum = in[0];
        for (size_t i = 1; i < in.size(); ++i) {
          if (shapeOf(in[i]) != shapeOf(in[0]))
            throw Error("add_n needs inputs of one shape, got " +
                        formatShapeOf(in[0]) + " and " + formatShapeOf(in[i]));
          sum = build<mx::AddOp>(ctx, {sum, in[i]});
        }
        return sum;
      });
  registerOp(std::move(info), {"ElementWiseSum"});
}

} // namespace

void registerElementwiseOps() {
  unary<mx::ReluOp>("relu");
  unary<mx::SigmoidOp>("sigmoid");
  unary<mx::TanhOp>("tanh");
  unary<mx::ExpOp>("exp");
  unary<mx::LogOp>("log");
  unary<mx::SqrtOp>("sqrt");
  unary<mx::RsqrtOp>("rsqrt");
  unary<mx::CbrtOp>("cbrt");
  unary<mx::RcbrtOp>("rcbrt");
  unary<mx::SquareOp>("square");
  unary<mx::AbsOp>("abs");
  unary<mx::NegativeOp>("negative");
  unary<mx::SignOp>("sign");
  unary<mx::ReciprocalOp>("reciprocal");
  unary<mx::SinOp>("sin");
  unary<mx::CosOp>("cos");
  unary<mx::TanOp>("tan");
  unary<mx::ArcsinOp>("arcsin");
  unary<mx::ArccosOp>("arccos");
  unary<mx::ArctanOp>("arctan");
  unary<mx::SinhOp>("sinh");
  unary<mx::CoshOp>("cosh");
  unary<mx::ArcsinhOp>("arcsinh");
  unary<mx::ArccoshOp>("arccosh");
  unary<mx::ArctanhOp>("arctanh");
  unary<mx::Log2Op>("log2");
  unary<mx::Log10Op>("log10");
  unary<mx::Log1pOp>("log1p");
  unary<mx::Expm1Op>("expm1");
  unary<mx::ErfOp>("erf");
  unary<mx::SoftsignOp>("softsign");
  unary<mx::RadiansOp>("radians");
  unary<mx::DegreesOp>("degrees");
  unary<mx::StopGradientOp>("BlockGrad", {"stop_gradient"});

  {
    OpInfo info = fixedOp("Activation", {"data"}, {{"act_type", "required"}});
    info.elementwise = true;
    info.check = [](const Params &p) {
      std::string act = p.str("act_type", "");
      if (act != "relu" && act != "sigmoid" && act != "tanh" &&
          act != "softrelu" && act != "softsign")
        throw Error("Error in operator " + p.node() + " (" + p.op() +
                    "): act_type '" + act +
                    "' is not one of relu, sigmoid, tanh, softrelu, "
                    "softsign");
    };
    info.lower = single(
        [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
          return activation(ctx, p.str("act_type", ""), in[0]);
        });
    registerOp(std::move(info));
  }
  {
    OpInfo info = fixedOp("identity", {"data"}, {});
    info.elementwise = true;
    info.lower = [](LowerContext &, const Params &,
                    const std::vector<Value> &in) { return in; };
    registerOp(std::move(info), {"_copy"});
  }
  {
    OpInfo info = fixedOp("clip", {"data"},
                          {{"a_min", "required"}, {"a_max", "required"}});
    info.elementwise = true;
    info.check = [](const Params &p) {
      if (!p.has("a_min") || !p.has("a_max"))
        throw Error("Error in operator " + p.node() + " (" + p.op() +
                    "): a_min and a_max are required");
      p.f64("a_min", 0);
      p.f64("a_max", 0);
    };
    info.lower = single(
        [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
          return build<mx::ClipOp>(ctx, in[0],
                                   {f64Attr(ctx, "a_min", p.f64("a_min", 0)),
                                    f64Attr(ctx, "a_max", p.f64("a_max", 0))});
        });
    registerOp(std::move(info));
  }
  registerCast();
  registerAddN();

  sameShapeBinary<mx::AddOp>("elemwise_add", {"_add", "_plus", "_Plus"});
  sameShapeBinary<mx::SubtractOp>("elemwise_sub", {"_sub", "_minus", "_Minus"});
  sameShapeBinary<mx::MultiplyOp>("elemwise_mul", {"_mul", "_Mul"});
  sameShapeBinary<mx::DivideOp>("elemwise_div", {"_div", "_Div"});
  sameShapeBinary<mx::PowerOp>("_power", {"_Power"});
  sameShapeBinary<mx::MaximumOp>("_maximum", {"_Maximum"});
  sameShapeBinary<mx::MinimumOp>("_minimum", {"_Minimum"});
  sameShapeBinary<mx::EqualOp>("_equal", {"_Equal"});
  sameShapeBinary<mx::NotEqualOp>("_not_equal", {"_Not_Equal"});
  sameShapeBinary<mx::GreaterOp>("_greater", {"_Greater"});
  sameShapeBinary<mx::GreaterEqualOp>("_greater_equal", {"_Greater_Equal"});
  sameShapeBinary<mx::LesserOp>("_lesser", {"_Lesser"});
  sameShapeBinary<mx::LesserEqualOp>("_lesser_equal", {"_Lesser_Equal"});

  broadcastBinary<mx::AddOp>("broadcast_add", {"broadcast_plus"});
  broadcastBinary<mx::SubtractOp>("broadcast_sub", {"broadcast_minus"});
  broadcastBinary<mx::MultiplyOp>("broadcast_mul");
  broadcastBinary<mx::DivideOp>("broadcast_div");
  broadcastBinary<mx::PowerOp>("broadcast_power");
  broadcastBinary<mx::MaximumOp>("broadcast_maximum");
  broadcastBinary<mx::MinimumOp>("broadcast_minimum");
  broadcastBinary<mx::EqualOp>("broadcast_equal");
  broadcastBinary<mx::NotEqualOp>("broadcast_not_equal");
  broadcastBinary<mx::GreaterOp>("broadcast_greater");
  broadcastBinary<mx::GreaterEqualOp>("broadcast_greater_equal");
  broadcastBinary<mx::LesserOp>("broadcast_lesser");
  broadcastBinary<mx::LesserEqualOp>("broadcast_lesser_equal");

  scalarOp<mx::AddScalarOp>("_plus_scalar", {"_PlusScalar"});
  scalarOp<mx::SubtractScalarOp>("_minus_scalar", {"_MinusScalar"});
  scalarOp<mx::RSubtractScalarOp>("_rminus_scalar", {"_RMinusScalar"});
  scalarOp<mx::MultiplyScalarOp>("_mul_scalar", {"_MulScalar"});
  scalarOp<mx::DivideScalarOp>("_div_scalar", {"_DivScalar"});
  scalarOp<mx::RDivideScalarOp>("_rdiv_scalar", {"_RDivScalar"});
  scalarOp<mx::PowerScalarOp>("_power_scalar", {"_PowerScalar"});
  scalarOp<mx::RPowerScalarOp>("_rpower_scalar", {"_RPowerScalar"});
  scalarOp<mx::MaximumScalarOp>("_maximum_scalar", {"_MaximumScalar"});
  scalarOp<mx::MinimumScalarOp>("_minimum_scalar", {"_MinimumScalar"});
  scalarOp<mx::EqualScalarOp>("_equal_scalar", {"_EqualScalar"});
  scalarOp<mx::NotEqualScalarOp>("_not_equal_scalar", {"_NotEqualScalar"});
  scalarOp<mx::GreaterScalarOp>("_greater_scalar", {"_GreaterScalar"});
  scalarOp<mx::GreaterEqualScalarOp>("_greater_equal_scalar",
                                     {"_GreaterEqualScalar"});
  scalarOp<mx::LesserScalarOp>("_lesser_scalar", {"_LesserScalar"});
  scalarOp<mx::LesserEqualScalarOp>("_lesser_equal_scalar",
                                    {"_LesserEqualScalar"});
}

} // namespace mxjit::sym::detail
