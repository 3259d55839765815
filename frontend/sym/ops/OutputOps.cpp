//===- OutputOps.cpp - SoftmaxOutput and the regression outputs -----------===//
//
// MXNet's loss layers: the forward value is a softmax, sigmoid or identity,
// and backward() gives the loss gradient whatever the head gradient (the
// dialect ops' VJPs), so they are marked isLoss. A missing label takes the
// shape MXNet infers from the data.
//
//===----------------------------------------------------------------------===//

#include "sym/ShapeUtil.h"
#include "sym/ops/OpFamilies.h"
#include "sym/ops/OpHelpers.h"

#include "ir/MxOps.h"

namespace mxjit::sym::detail {

using mlir::Value;

namespace {

bool known(const Shape &s) { return !s.empty(); }

/// The class-label shape MXNet's SoftmaxOutputProp::InferShape assigns when
/// the label is unknown: (N, prod(d...)) with multi_output, else the data
/// without its last axis.
Shape softmaxLabelShape(const Params &p, const Shape &data) {
  if (p.boolean("multi_output", false)) {
    int64_t inner = 1;
    for (size_t i = 2; i < data.size(); ++i)
      inner = data[i] > 0 && inner > 0 ? inner * data[i] : 0;
    return {data[0], inner};
  }
  return Shape(data.begin(), data.end() - 1);
}

void registerSoftmaxOutput() {
  OpInfo info = fixedOp("SoftmaxOutput", {"data", "label"},
                        {{"grad_scale", "1"},
                         {"ignore_label", "-1"},
                         {"multi_output", "False"},
                         {"use_ignore", "False"},
                         {"preserve_shape", "False"},
                         {"normalization", "null"},
                         {"out_grad", "False"},
                         {"smooth_alpha", "0"}});
  info.isLoss = true;
  info.check = [](const Params &p) {
    p.f64("grad_scale", 1.0);
    p.f64("ignore_label", -1.0);
    p.boolean("multi_output", false);
    p.boolean("use_ignore", false);
    p.boolean("preserve_shape", false);
    p.boolean("out_grad", false);
    double alpha = p.f64("smooth_alpha", 0.0);
    if (!(alpha >= 0.0 && alpha <= 1.0))
      throw paramError(p, "smooth_alpha must be in [0, 1]");
    std::string norm = p.str("normalization", "null");
    if (norm != "null" && norm != "batch" && norm != "valid")
      throw paramError(p, "normalization '" + norm +
                              "' is not one of null, batch, valid");
  };
  info.inferShapesBackward = [](const Params &p, std::vector<Shape> &in,
                                std::vector<Shape> &out) {
    const Shape &data = in[0];
    if (!known(data))
      return;
    if (data.size() < 2)
      throw paramError(p, "data " + shapeStr(data) + " must have rank >= 2");
    mergeShape(out[0], data, p, "output");
    // A label of the data's own shape holds probabilities; leave it be.
    if (known(in[1]) && in[1].size() == data.size())
      return;
    Shape label = softmaxLabelShape(p, data);
    if (!known(in[1]) || in[1].size() == label.size())
      mergeShape(in[1], label, p, "input label");
  };
  info.lower = single([](LowerContext &ctx, const Params &p,
                         const std::vector<Value> &in) {
    mlir::OpBuilder &b = ctx.builder;
    return build<mx::SoftmaxOutputOp>(
        ctx, {in[0], in[1]},
        {f64Attr(ctx, "grad_scale", p.f64("grad_scale", 1.0)),
         f64Attr(ctx, "ignore_label", p.f64("ignore_label", -1.0)),
         boolAttr(ctx, "use_ignore", p.boolean("use_ignore", false)),
         boolAttr(ctx, "multi_output", p.boolean("multi_output", false)),
         b.getNamedAttr("normalization",
                        b.getStringAttr(p.str("normalization", "null"))),
         boolAttr(ctx, "preserve_shape", p.boolean("preserve_shape", false)),
         f64Attr(ctx, "smooth_alpha", p.f64("smooth_alpha", 0.0)),
         boolAttr(ctx, "out_grad", p.boolean("out_grad", false))},
        in[0].getType());
  });
  // "Softmax" is SoftmaxOutput's deprecated name in MXNet.
  registerOp(std::move(info), {"Softmax"});
}

template <typename OpTy> void regressionOutput(const char *name) {
  OpInfo info = fixedOp(name, {"data", "label"}, {{"grad_scale", "1"}});
  info.isLoss = true;
  info.check = [](const Params &p) { p.f64("grad_scale", 1.0); };
  // MXNet's RegressionOutputShape: an unknown label is (N) for data (N, 1),
  // else the data's shape.
  info.inferShapesBackward = [](const Params &p, std::vector<Shape> &in,
                                std::vector<Shape> &out) {
    const Shape &data = in[0];
    if (!known(data))
      return;
    mergeShape(out[0], data, p, "output");
    if (known(in[1]))
      return;
    if (data.size() == 2 && data[1] == 1)
      mergeShape(in[1], {data[0]}, p, "input label");
    else
      mergeShape(in[1], data, p, "input label");
  };
  info.lower = single([](LowerContext &ctx, const Params &p,
                         const std::vector<Value> &in) {
    return build<OpTy>(ctx, {in[0], in[1]},
                       {f64Attr(ctx, "grad_scale", p.f64("grad_scale", 1.0))},
                       in[0].getType());
  });
  registerOp(std::move(info));
}

} // namespace

void registerOutputOps() {
  registerSoftmaxOutput();
  regressionOutput<mx::LinearRegressionOutputOp>("LinearRegressionOutput");
  regressionOutput<mx::LogisticRegressionOutputOp>("LogisticRegressionOutput");
  regressionOutput<mx::MAERegressionOutputOp>("MAERegressionOutput");
}

} // namespace mxjit::sym::detail
