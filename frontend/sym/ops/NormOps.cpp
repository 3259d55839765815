//===- NormOps.cpp - BatchNorm and Dropout --------------------------------===//
//
// BatchNorm lowers to mx.batch_norm with training = is_train &&
// !use_global_stats; in training it also hands the executor the new moving
// statistics, momentum * old + (1 - momentum) * batch (the biased batch
// variance, as MXNet), which the op itself never writes. Dropout is the
// identity unless is_train or mode="always", and then mx.dropout on the
// executor's per-call seed.
//
//===----------------------------------------------------------------------===//

#include "sym/ShapeUtil.h"
#include "sym/ops/OpFamilies.h"
#include "sym/ops/OpHelpers.h"

#include "ir/MxOps.h"

namespace mxjit::sym::detail {

using mlir::Value;

namespace {

/// `old * momentum + batch * (1 - momentum)` on (C) vectors.
Value movingAverage(LowerContext &ctx, Value old, Value batch,
                    double momentum) {
  mlir::Type type = old.getType();
  Value kept = build<mx::MultiplyScalarOp>(
      ctx, old, {f64Attr(ctx, "scalar", momentum)}, type);
  Value added = build<mx::MultiplyScalarOp>(
      ctx, batch, {f64Attr(ctx, "scalar", 1.0 - momentum)}, type);
  return build<mx::AddOp>(ctx, {kept, added});
}

void registerBatchNorm() {
  OpInfo info;
  info.name = "BatchNorm";
  info.params = {{"eps", "0.001"},
                 {"momentum", "0.9"},
                 {"fix_gamma", "True"},
                 {"use_global_stats", "False"},
                 {"output_mean_var", "False"},
                 {"axis", "1"},
                 {"cudnn_off", "False"},
                 // Quantization calibration (MXNet 1.6+): accepted, unused.
                 {"min_calib_range", "None"},
                 {"max_calib_range", "None"}};
  info.inputs = [](const Params &) {
    return std::vector<std::string>{"data", "gamma", "beta", "moving_mean",
                                    "moving_var"};
  };
  info.outputs = [](const Params &p) {
    if (p.boolean("output_mean_var", false))
      return std::vector<std::string>{"output", "mean", "var"};
    return std::vector<std::string>{"output"};
  };
  info.auxInputs = [](const Params &) { return std::vector<unsigned>{3, 4}; };
  info.check = [](const Params &p) {
    double eps = p.f64("eps", 1e-3);
    if (!(eps >= 0.0))
      throw paramError(p, "eps must be non-negative");
    p.f64("momentum", 0.9);
    p.boolean("fix_gamma", true);
    p.boolean("use_global_stats", false);
    p.boolean("output_mean_var", false);
    p.boolean("cudnn_off", false);
    p.i64("axis", 1);
    p.optionalF64("min_calib_range");
    p.optionalF64("max_calib_range");
  };
  // MXNet's BatchNormShape: gamma, beta and the moving statistics are (C)
  // with C the data's `axis` dimension.
  info.inferShapesBackward = [](const Params &p, std::vector<Shape> &in,
                                std::vector<Shape> &out) {
    const Shape &data = in[0];
    if (data.empty())
      return;
    int64_t rank = data.size(), axis = p.i64("axis", 1);
    if (axis < -rank || axis >= rank)
      throw paramError(p, "axis " + std::to_string(axis) +
                              " is out of range for data " + shapeStr(data));
    int64_t c = data[axis < 0 ? axis + rank : axis];
    mergeShape(out[0], data, p, "output");
    if (c <= 0)
      return;
    const char *names[] = {"gamma", "beta", "moving_mean", "moving_var"};
    for (int i = 0; i < 4; ++i)
      mergeShape(in[i + 1], {c}, p, std::string("input ") + names[i]);
    for (size_t i = 1; i < out.size(); ++i)
      mergeShape(out[i], {c}, p, i == 1 ? "output mean" : "output var");
  };
  info.lower = [](LowerContext &ctx, const Params &p,
                  const std::vector<Value> &in) {
    bool training = ctx.isTrain && !p.boolean("use_global_stats", false);
    double momentum = p.f64("momentum", 0.9);
    mlir::OpBuilder &b = ctx.builder;
    mlir::Operation *op =
        createOp(ctx, mx::BatchNormOp::getOperationName(), in,
                 {f64Attr(ctx, "eps", p.f64("eps", 1e-3)),
                  f64Attr(ctx, "momentum", momentum),
                  boolAttr(ctx, "fix_gamma", p.boolean("fix_gamma", true)),
                  boolAttr(ctx, "use_global_stats",
                           p.boolean("use_global_stats", false)),
                  i64Attr(ctx, "axis", p.i64("axis", 1)),
                  b.getNamedAttr("training", b.getBoolAttr(training))});
    if (training) {
      ctx.auxUpdates.push_back(
          {3, movingAverage(ctx, in[3], op->getResult(1), momentum)});
      ctx.auxUpdates.push_back(
          {4, movingAverage(ctx, in[4], op->getResult(2), momentum)});
    }
    if (p.boolean("output_mean_var", false))
      return std::vector<Value>{op->getResult(0), op->getResult(1),
                                op->getResult(2)};
    return std::vector<Value>{op->getResult(0)};
  };
  registerOp(std::move(info));
}

void registerDropout() {
  OpInfo info = fixedOp("Dropout", {"data"},
                        {{"p", "0.5"},
                         {"mode", "training"},
                         {"axes", "()"},
                         {"cudnn_off", "False"}});
  info.elementwise = true;
  info.check = [](const Params &p) {
    double prob = p.f64("p", 0.5);
    if (!(prob >= 0.0 && prob <= 1.0))
      throw paramError(p, "p must be in [0, 1], got " + p.str("p", ""));
    std::string mode = p.str("mode", "training");
    if (mode != "training" && mode != "always")
      throw paramError(p, "mode '" + mode + "' is not one of training, always");
    p.tuple("axes", {});
    p.boolean("cudnn_off", false);
  };
  info.lower = single([](LowerContext &ctx, const Params &p,
                         const std::vector<Value> &in) {
    double prob = p.f64("p", 0.5);
    bool active = ctx.isTrain || p.str("mode", "training") == "always";
    // Outside training (and for p = 0) Dropout is the identity and
    // needs no seed.
    if (!active || prob == 0.0)
      return in[0];
    return build<mx::DropoutOp>(
        ctx, {in[0], ctx.randomSeed()},
        {f64Attr(ctx, "p", prob), i64sAttr(ctx, "axes", p.tuple("axes", {}))},
        in[0].getType());
  });
  registerOp(std::move(info));
}

} // namespace

void registerNormOps() {
  registerBatchNorm();
  registerDropout();
}

} // namespace mxjit::sym::detail
