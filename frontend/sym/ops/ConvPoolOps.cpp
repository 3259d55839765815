//===- ConvPoolOps.cpp - Convolution and Pooling --------------------------===//
//
// MXNet's Convolution and Pooling over mx.convolution and mx.pooling. The
// dialect checks shapes and window attributes; these entries validate the
// parameters MXNet has but the dialect does not (layout, cudnn_*,
// workspace, p_value), infer the weight and bias shapes from the data as
// MXNet's ConvolutionShape does, and translate the rest.
//
//===----------------------------------------------------------------------===//

#include "sym/ShapeUtil.h"
#include "sym/ops/OpFamilies.h"
#include "sym/ops/OpHelpers.h"

#include "ir/MxOps.h"

namespace mxjit::sym::detail {

using mlir::Value;

namespace {

const char *layoutFor(size_t spatial) {
  return spatial == 1 ? "NCW" : spatial == 2 ? "NCHW" : "NCDHW";
}

/// MXNet's layout parameter: only channels-first layouts are supported,
/// and a given layout must match the kernel's rank.
void checkLayout(const Params &p, size_t spatial) {
  std::string layout = p.str("layout", "None");
  if (layout == "None")
    return;
  if (layout != "NCW" && layout != "NCHW" && layout != "NCDHW")
    throw paramError(p, "layout " + layout +
                            " is not supported (only NCW, NCHW and NCDHW)");
  if (spatial && layout != layoutFor(spatial))
    throw paramError(p, "layout " + layout + " does not match the " +
                            std::to_string(spatial) + "-D kernel (" +
                            layoutFor(spatial) + ")");
}

/// `key` as a tuple; empty when missing, "None" or "()".
Shape optionalTuple(const Params &p, const std::string &key) {
  if (p.str(key, "None") == "None")
    return {};
  return p.tuple(key, {});
}

//===----------------------------------------------------------------------===//
// Convolution
//===----------------------------------------------------------------------===//

Shape convKernel(const Params &p) {
  Shape kernel = p.tuple("kernel", {});
  if (kernel.empty() || kernel.size() > 3)
    throw paramError(p, "kernel " + shapeStr(kernel) +
                            " must have 1, 2 or 3 dimensions");
  return kernel;
}

void checkConvolution(const Params &p) {
  Shape kernel = convKernel(p);
  if (p.i64("num_filter") < 1)
    throw paramError(p, "num_filter must be positive");
  if (p.i64("num_group", 1) < 1)
    throw paramError(p, "num_group must be positive");
  for (const char *key : {"stride", "dilate", "pad"}) {
    Shape v = optionalTuple(p, key);
    if (!v.empty() && v.size() != kernel.size())
      throw paramError(p, std::string(key) + " " + shapeStr(v) +
                              " must have as many entries as kernel " +
                              shapeStr(kernel));
  }
  p.i64("workspace", 1024);
  p.boolean("no_bias", false);
  p.boolean("cudnn_off", false);
  std::string tune = p.str("cudnn_tune", "None");
  if (tune != "None" && tune != "off" && tune != "limited_workspace" &&
      tune != "fastest")
    throw paramError(p, "cudnn_tune '" + tune +
                            "' is not one of None, off, limited_workspace, "
                            "fastest");
  checkLayout(p, kernel.size());
}

/// MXNet's ConvolutionShape, on partial shapes (0 = unknown dimension):
/// weight (num_filter, C / num_group, kernel...), bias (num_filter,) and
/// the output where the data's dimensions are known.
void inferConvolutionShapes(const Params &p, std::vector<Shape> &in,
                            std::vector<Shape> &out) {
  Shape kernel = convKernel(p);
  int64_t filters = p.i64("num_filter"), groups = p.i64("num_group", 1);
  if (in.size() > 2)
    mergeShape(in[2], {filters}, p, "input bias");
  const Shape &data = in[0];
  if (data.empty())
    return;
  if (data.size() != kernel.size() + 2)
    throw paramError(p, "data " + shapeStr(data) + " must be " +
                            layoutFor(kernel.size()) + " for the kernel " +
                            shapeStr(kernel));
  int64_t channels = data[1];
  if (channels > 0 && channels % groups != 0)
    throw paramError(p,
                     "input num_filter must divide group size: data " +
                         shapeStr(data) + " has " + std::to_string(channels) +
                         " channels, num_group is " + std::to_string(groups));
  Shape weight = {filters, channels > 0 ? channels / groups : 0};
  weight.insert(weight.end(), kernel.begin(), kernel.end());
  mergeShape(in[1], weight, p, "input weight");

  size_t r = kernel.size();
  Shape stride = optionalTuple(p, "stride"),
        dilate = optionalTuple(p, "dilate"), pad = optionalTuple(p, "pad");
  Shape o = {data[0], filters};
  for (size_t i = 0; i < r; ++i) {
    int64_t s = stride.empty() ? 1 : stride[i];
    int64_t d = dilate.empty() ? 1 : dilate[i];
    int64_t pd = pad.empty() ? 0 : pad[i];
    int64_t x = data[i + 2], extent = d * (kernel[i] - 1) + 1;
    // Bad windows are left for the dialect to report.
    if (x <= 0 || s <= 0 || x + 2 * pd < extent)
      o.push_back(0);
    else
      o.push_back((x + 2 * pd - extent) / s + 1);
  }
  mergeShape(out[0], o, p, "output");
}

Value lowerConvolution(LowerContext &ctx, const Params &p,
                       const std::vector<Value> &in) {
  std::vector<mlir::NamedAttribute> attrs = {
      i64sAttr(ctx, "kernel", convKernel(p)),
      i64Attr(ctx, "num_filter", p.i64("num_filter")),
      i64Attr(ctx, "num_group", p.i64("num_group", 1))};
  for (const char *key : {"stride", "dilate", "pad"}) {
    Shape v = optionalTuple(p, key);
    if (!v.empty())
      attrs.push_back(i64sAttr(ctx, key, v));
  }
  return build<mx::ConvolutionOp>(ctx, in, attrs);
}

void registerConvolution() {
  OpInfo info;
  info.name = "Convolution";
  info.params = {{"kernel", "required"},     {"stride", "[]"},
                 {"dilate", "[]"},           {"pad", "[]"},
                 {"num_filter", "required"}, {"num_group", "1"},
                 {"workspace", "1024"},      {"no_bias", "False"},
                 {"cudnn_tune", "None"},     {"cudnn_off", "False"},
                 {"layout", "None"}};
  info.inputs = dataWeightBias;
  info.outputs = singleOutput;
  info.check = checkConvolution;
  info.inferShapesBackward = inferConvolutionShapes;
  info.lower = single(lowerConvolution);
  registerOp(std::move(info));
}

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

void checkPooling(const Params &p) {
  std::string type = p.str("pool_type", "max");
  if (type == "lp")
    throw paramError(p, "pool_type 'lp' is not supported (max, avg, sum)");
  if (type != "max" && type != "avg" && type != "sum")
    throw paramError(p, "pool_type '" + type + "' is not one of max, avg, sum");
  std::string convention = p.str("pooling_convention", "valid");
  if (convention == "same")
    throw paramError(p, "pooling_convention 'same' is not supported "
                        "(valid, full)");
  if (convention != "valid" && convention != "full")
    throw paramError(p, "pooling_convention '" + convention +
                            "' is not one of valid, full");
  bool global = p.boolean("global_pool", false);
  Shape kernel = optionalTuple(p, "kernel");
  if (!global && (kernel.empty() || kernel.size() > 3))
    throw paramError(p, "kernel " + shapeStr(kernel) +
                            " must have 1, 2 or 3 dimensions (or set "
                            "global_pool)");
  if (!global)
    for (const char *key : {"stride", "pad"}) {
      Shape v = optionalTuple(p, key);
      if (!v.empty() && v.size() != kernel.size())
        throw paramError(p, std::string(key) + " " + shapeStr(v) +
                                " must have as many entries as kernel " +
                                shapeStr(kernel));
    }
  p.boolean("cudnn_off", false);
  p.optionalI64("p_value");
  if (p.str("count_include_pad", "None") != "None")
    p.boolean("count_include_pad", true);
  checkLayout(p, global ? 0 : kernel.size());
}

/// The output on partial shapes (0 = unknown), as MXNet's PoolingShape.
void inferPoolingShapes(const Params &p, std::vector<Shape> &in,
                        std::vector<Shape> &out) {
  const Shape &data = in[0];
  if (data.size() < 3)
    return;
  bool global = p.boolean("global_pool", false);
  bool full = p.str("pooling_convention", "valid") == "full";
  Shape kernel = optionalTuple(p, "kernel");
  if (!global && kernel.size() != data.size() - 2)
    return; // the dialect reports the rank mismatch
  Shape stride = optionalTuple(p, "stride"), pad = optionalTuple(p, "pad");
  Shape o = {data[0], data[1]};
  for (size_t i = 0; i + 2 < data.size(); ++i) {
    if (global) {
      o.push_back(1);
      continue;
    }
    int64_t s = stride.empty() ? 1 : stride[i];
    int64_t pd = pad.empty() ? 0 : pad[i];
    int64_t x = data[i + 2], span = x + 2 * pd - kernel[i];
    if (x <= 0 || s <= 0 || span < 0)
      o.push_back(0);
    else
      o.push_back(1 + (full ? (span + s - 1) / s : span / s));
  }
  mergeShape(out[0], o, p, "output");
}

Value lowerPooling(LowerContext &ctx, const Params &p,
                   const std::vector<Value> &in) {
  mlir::OpBuilder &b = ctx.builder;
  bool global = p.boolean("global_pool", false);
  bool includePad = p.str("count_include_pad", "None") == "None" ||
                    p.boolean("count_include_pad", true);
  std::vector<mlir::NamedAttribute> attrs = {
      b.getNamedAttr("pool_type", b.getStringAttr(p.str("pool_type", "max"))),
      b.getNamedAttr("pooling_convention",
                     b.getStringAttr(p.str("pooling_convention", "valid"))),
      boolAttr(ctx, "global_pool", global),
      boolAttr(ctx, "count_include_pad", includePad)};
  if (!global)
    for (const char *key : {"kernel", "stride", "pad"}) {
      Shape v = optionalTuple(p, key);
      if (!v.empty())
        attrs.push_back(i64sAttr(ctx, key, v));
    }
  return build<mx::PoolingOp>(ctx, in[0], attrs);
}

void registerPooling() {
  OpInfo info = fixedOp("Pooling", {"data"},
                        {{"kernel", "[]"},
                         {"pool_type", "max"},
                         {"global_pool", "False"},
                         {"cudnn_off", "False"},
                         {"pooling_convention", "valid"},
                         {"stride", "[]"},
                         {"pad", "[]"},
                         {"p_value", "None"},
                         {"count_include_pad", "None"},
                         {"layout", "None"}});
  info.check = checkPooling;
  info.inferShapesBackward = inferPoolingShapes;
  info.lower = single(lowerPooling);
  registerOp(std::move(info));
}

} // namespace

void registerConvPoolOps() {
  registerConvolution();
  registerPooling();
}

} // namespace mxjit::sym::detail
