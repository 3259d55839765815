//===- TensorOps.cpp - shape, reduction, contraction and softmax ops ------===//
//
// MXNet's tensor operators over the mx dialect. Parameters keep MXNet's
// spellings and defaults; the dialect checks shapes, so these lowerings
// only translate parameters (and, for SliceChannel, split by the input's
// static shape).
//
//===----------------------------------------------------------------------===//

#include "sym/ShapeUtil.h"
#include "sym/ops/OpFamilies.h"
#include "sym/ops/OpHelpers.h"

#include "ir/MxOps.h"

#include <limits>

namespace mxjit::sym::detail {

using mlir::Value;

namespace {

constexpr int64_t kMin = std::numeric_limits<int64_t>::min();
constexpr int64_t kMax = std::numeric_limits<int64_t>::max();

/// A tuple whose items may be None ("(None, 2)"), as slice's begin/end.
std::vector<std::optional<int64_t>> optionalTuple(const Params &p,
                                                  const std::string &key) {
  std::string s = p.str(key, "()");
  std::string body;
  for (char c : s)
    if (c != '(' && c != ')' && c != '[' && c != ']' && c != ' ')
      body += c;
  std::vector<std::optional<int64_t>> out;
  size_t pos = 0;
  while (pos < body.size()) {
    size_t comma = body.find(',', pos);
    std::string item = body.substr(
        pos, comma == std::string::npos ? std::string::npos : comma - pos);
    if (item == "None") {
      out.push_back(std::nullopt);
    } else {
      AttrMap one{{key, item}};
      out.push_back(Params(one, p.op(), p.node()).i64(key));
    }
    if (comma == std::string::npos)
      break;
    pos = comma + 1;
  }
  return out;
}

/// Reduction axes: absent or None reduces everything.
Shape reduceAxes(const Params &p) {
  if (!p.has("axis") || p.str("axis", "") == "None" ||
      p.str("axis", "") == "()")
    return {};
  return p.tuple("axis", {});
}

int64_t normAxis(const Params &p, int64_t axis, int64_t rank) {
  if (axis < -rank || axis >= rank)
    throw paramError(p, "axis " + std::to_string(axis) +
                            " is out of range for rank " +
                            std::to_string(rank));
  return axis < 0 ? axis + rank : axis;
}

Value reshapeTo(LowerContext &ctx, Value x, llvm::ArrayRef<int64_t> shape) {
  return build<mx::ReshapeOp>(ctx, x, {i64sAttr(ctx, "shape", shape)});
}

/// Reshape's target: `shape` or, for old graphs, `target_shape` (0 infers
/// a dimension) with `keep_highest` keeping the first one.
Shape reshapeTarget(const Params &p) {
  Shape shape = p.tuple("shape", {});
  if (!shape.empty())
    return shape;
  Shape legacy = p.tuple("target_shape", {});
  if (legacy.empty() || legacy == Shape{0})
    throw paramError(p, "shape is required");
  for (int64_t &d : legacy)
    if (d == 0)
      d = -1;
  if (p.boolean("keep_highest", false))
    legacy[0] = 0;
  return legacy;
}

void registerReshapes() {
  OpInfo reshape = fixedOp("Reshape", {"data"},
                           {{"shape", "()"},
                            {"reverse", "False"},
                            {"target_shape", "(0,)"},
                            {"keep_highest", "False"}});
  reshape.check = [](const Params &p) {
    reshapeTarget(p);
    p.boolean("reverse", false);
  };
  reshape.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        return build<mx::ReshapeOp>(
            ctx, in[0],
            {i64sAttr(ctx, "shape", reshapeTarget(p)),
             boolAttr(ctx, "reverse", p.boolean("reverse", false))});
      });
  registerOp(std::move(reshape), {"reshape"});

  OpInfo flatten = fixedOp("Flatten", {"data"}, {});
  flatten.lower = single(
      [](LowerContext &ctx, const Params &, const std::vector<Value> &in) {
        return reshapeTo(ctx, in[0], {0, -1});
      });
  registerOp(std::move(flatten), {"flatten"});

  OpInfo transpose = fixedOp("transpose", {"data"}, {{"axes", "()"}});
  transpose.check = [](const Params &p) { p.tuple("axes", {}); };
  transpose.lower = single([](LowerContext &ctx, const Params &p,
                              const std::vector<Value> &in) {
    return build<mx::TransposeOp>(ctx, in[0],
                                  {i64sAttr(ctx, "axes", p.tuple("axes", {}))});
  });
  registerOp(std::move(transpose));

  OpInfo expand = fixedOp("expand_dims", {"data"}, {{"axis", "required"}});
  expand.check = [](const Params &p) { p.i64("axis"); };
  expand.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        return build<mx::ExpandDimsOp>(ctx, in[0],
                                       {i64Attr(ctx, "axis", p.i64("axis"))});
      });
  registerOp(std::move(expand));
}

void registerSlices() {
  OpInfo slice =
      fixedOp("slice", {"data"},
              {{"begin", "required"}, {"end", "required"}, {"step", "()"}});
  slice.check = [](const Params &p) {
    auto b = optionalTuple(p, "begin"), e = optionalTuple(p, "end");
    if (!p.has("begin") || !p.has("end"))
      throw paramError(p, "begin and end are required");
    if (b.size() != e.size())
      throw paramError(p, "begin and end must have the same length");
    optionalTuple(p, "step");
  };
  slice.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        auto b = optionalTuple(p, "begin"), e = optionalTuple(p, "end"),
             s = optionalTuple(p, "step");
        // None becomes the value that clamps to the open end for the step's
        // direction (see mx.slice).
        Shape begin, end, step;
        for (size_t i = 0; i < b.size(); ++i) {
          int64_t st = i < s.size() && s[i] ? *s[i] : 1;
          begin.push_back(b[i] ? *b[i] : (st > 0 ? kMin : kMax));
          end.push_back(e[i] ? *e[i] : (st > 0 ? kMax : kMin));
          step.push_back(st);
        }
        return build<mx::SliceOp>(ctx, in[0],
                                  {i64sAttr(ctx, "begin", begin),
                                   i64sAttr(ctx, "end", end),
                                   i64sAttr(ctx, "step", step)});
      });
  registerOp(std::move(slice), {"crop"});

  OpInfo sliceAxis = fixedOp(
      "slice_axis", {"data"},
      {{"axis", "required"}, {"begin", "required"}, {"end", "required"}});
  sliceAxis.check = [](const Params &p) {
    p.i64("axis");
    p.i64("begin");
    if (!p.has("end"))
      throw paramError(p, "end is required");
    p.optionalI64("end");
  };
  sliceAxis.lower = single([](LowerContext &ctx, const Params &p,
                              const std::vector<Value> &in) {
    int64_t rank = static_cast<int64_t>(shapeOf(in[0]).size());
    int64_t axis = normAxis(p, p.i64("axis"), rank);
    Shape begin(axis + 1, kMin), end(axis + 1, kMax);
    begin[axis] = p.i64("begin");
    end[axis] = p.optionalI64("end").value_or(kMax);
    return build<mx::SliceOp>(
        ctx, in[0], {i64sAttr(ctx, "begin", begin), i64sAttr(ctx, "end", end)});
  });
  registerOp(std::move(sliceAxis));

  OpInfo split;
  split.name = "SliceChannel";
  split.params = {
      {"num_outputs", "required"}, {"axis", "1"}, {"squeeze_axis", "False"}};
  split.inputs = [](const Params &) {
    return std::vector<std::string>{"data"};
  };
  split.outputs = [](const Params &p) {
    std::vector<std::string> names;
    for (int64_t i = 0; i < p.i64("num_outputs"); ++i)
      names.push_back("output" + std::to_string(i));
    return names;
  };
  split.check = [](const Params &p) {
    if (p.i64("num_outputs") < 1)
      throw paramError(p, "num_outputs must be at least 1");
    p.i64("axis", 1);
    p.boolean("squeeze_axis", false);
  };
  split.lower = [](LowerContext &ctx, const Params &p,
                   const std::vector<Value> &in) {
    llvm::ArrayRef<int64_t> shape = shapeOf(in[0]);
    int64_t rank = static_cast<int64_t>(shape.size());
    int64_t axis = normAxis(p, p.i64("axis", 1), rank);
    int64_t n = p.i64("num_outputs");
    if (shape[axis] % n != 0)
      throw paramError(p, "axis " + std::to_string(axis) + " of size " +
                              std::to_string(shape[axis]) +
                              " cannot be split into " + std::to_string(n) +
                              " equal parts");
    int64_t part = shape[axis] / n;
    bool squeeze = p.boolean("squeeze_axis", false);
    if (squeeze && part != 1)
      throw paramError(p, "squeeze_axis needs parts of size 1, got " +
                              std::to_string(part));
    std::vector<Value> outs;
    for (int64_t i = 0; i < n; ++i) {
      Shape begin(axis + 1, 0), end(shape.begin(), shape.begin() + axis + 1);
      begin[axis] = i * part;
      end[axis] = (i + 1) * part;
      Value v = build<mx::SliceOp>(
          ctx, in[0],
          {i64sAttr(ctx, "begin", begin), i64sAttr(ctx, "end", end)});
      if (squeeze) {
        Shape squeezed(shape.begin(), shape.end());
        squeezed.erase(squeezed.begin() + axis);
        v = reshapeTo(ctx, v, squeezed);
      }
      outs.push_back(v);
    }
    return outs;
  };
  registerOp(std::move(split), {"split"});

  OpInfo concat;
  concat.name = "Concat";
  concat.keyVarNumArgs = "num_args";
  concat.params = {{"num_args", "required"}, {"dim", "1"}};
  concat.inputs = variadicInputs("num_args");
  concat.outputs = [](const Params &) {
    return std::vector<std::string>{"output"};
  };
  concat.check = [](const Params &p) {
    if (p.i64("num_args") < 1)
      throw paramError(p, "num_args must be at least 1");
    p.i64("dim", 1);
  };
  concat.lower = single([](LowerContext &ctx, const Params &p,
                           const std::vector<Value> &in) {
    return build<mx::ConcatOp>(ctx, in, {i64Attr(ctx, "dim", p.i64("dim", 1))});
  });
  registerOp(std::move(concat), {"concat"});
}

template <typename OpTy>
void reduction(const char *name, std::vector<std::string> aliases) {
  OpInfo info =
      fixedOp(name, {"data"},
              {{"axis", "None"}, {"keepdims", "False"}, {"exclude", "False"}});
  info.check = [](const Params &p) {
    reduceAxes(p);
    p.boolean("keepdims", false);
    p.boolean("exclude", false);
  };
  info.lower = single([](LowerContext &ctx, const Params &p,
                         const std::vector<Value> &in) {
    return build<OpTy>(ctx, in[0],
                       {i64sAttr(ctx, "axis", reduceAxes(p)),
                        boolAttr(ctx, "keepdims", p.boolean("keepdims", false)),
                        boolAttr(ctx, "exclude", p.boolean("exclude", false))});
  });
  registerOp(std::move(info), aliases);
}

template <typename OpTy> void contraction(const char *name) {
  OpInfo info = fixedOp(name, {"lhs", "rhs"},
                        {{"transpose_a", "False"},
                         {"transpose_b", "False"},
                         {"forward_stype", "None"}});
  info.check = [](const Params &p) {
    p.boolean("transpose_a", false);
    p.boolean("transpose_b", false);
    std::string stype = p.str("forward_stype", "None");
    if (stype != "None" && stype != "default")
      throw paramError(p, "forward_stype '" + stype +
                              "' is not supported (dense only)");
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        return build<OpTy>(
            ctx, {in[0], in[1]},
            {boolAttr(ctx, "transpose_a", p.boolean("transpose_a", false)),
             boolAttr(ctx, "transpose_b", p.boolean("transpose_b", false))});
      });
  registerOp(std::move(info));
}

void registerFullyConnected() {
  OpInfo info;
  info.name = "FullyConnected";
  info.params = {
      {"num_hidden", "required"}, {"no_bias", "False"}, {"flatten", "True"}};
  info.inputs = dataWeightBias;
  info.outputs = singleOutput;
  info.check = [](const Params &p) {
    if (p.i64("num_hidden") < 1)
      throw paramError(p, "num_hidden must be positive");
    p.boolean("flatten", true);
  };
  // MXNet's FullyConnectedShape: the weight is (num_hidden, K) with K the
  // data's row size, the bias (num_hidden,); known before the data's batch.
  info.inferShapesBackward = [](const Params &p, std::vector<Shape> &in,
                                std::vector<Shape> &out) {
    int64_t hidden = p.i64("num_hidden");
    bool flatten = p.boolean("flatten", true);
    if (in.size() > 2)
      mergeShape(in[2], {hidden}, p, "input bias");
    const Shape &data = in[0];
    if (data.empty())
      return;
    if (flatten) {
      int64_t k = 1;
      for (size_t i = 1; i < data.size(); ++i)
        k = data[i] > 0 && k > 0 ? k * data[i] : 0;
      mergeShape(in[1], {hidden, data.size() > 1 ? k : 1}, p, "input weight");
      mergeShape(out[0], {data[0], hidden}, p, "output");
    } else {
      mergeShape(in[1], {hidden, data.back()}, p, "input weight");
      Shape o = data;
      o.back() = hidden;
      mergeShape(out[0], o, p, "output");
    }
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        return build<mx::FullyConnectedOp>(
            ctx, in,
            {i64Attr(ctx, "num_hidden", p.i64("num_hidden")),
             boolAttr(ctx, "flatten", p.boolean("flatten", true))});
      });
  registerOp(std::move(info));
}

template <typename OpTy> void softmax(const char *name) {
  OpInfo info = fixedOp(name, {"data"},
                        {{"axis", "-1"},
                         {"temperature", "None"},
                         {"dtype", "None"},
                         {"use_length", "False"}});
  info.elementwise = true;
  info.check = [](const Params &p) {
    p.i64("axis", -1);
    p.optionalF64("temperature");
    if (p.boolean("use_length", false))
      throw paramError(p, "use_length=True is not supported");
    std::string dtype = p.str("dtype", "None");
    if (dtype != "None")
      throw paramError(p, "dtype '" + dtype +
                              "' is not supported (the output keeps the "
                              "input's dtype)");
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        std::vector<mlir::NamedAttribute> attrs{
            i64Attr(ctx, "axis", p.i64("axis", -1))};
        if (std::optional<double> t = p.optionalF64("temperature"))
          attrs.push_back(f64Attr(ctx, "temperature", *t));
        return build<OpTy>(ctx, in[0], attrs);
      });
  registerOp(std::move(info));
}

void registerSoftmaxActivation() {
  OpInfo info = fixedOp("SoftmaxActivation", {"data"}, {{"mode", "instance"}});
  info.elementwise = true;
  info.check = [](const Params &p) {
    std::string mode = p.str("mode", "instance");
    if (mode != "instance" && mode != "channel")
      throw paramError(p, "mode '" + mode + "' is not instance or channel");
  };
  info.lower = single(
      [](LowerContext &ctx, const Params &p, const std::vector<Value> &in) {
        llvm::ArrayRef<int64_t> shape = shapeOf(in[0]);
        if (p.str("mode", "instance") == "channel")
          return build<mx::SoftmaxOp>(ctx, in[0], {i64Attr(ctx, "axis", 1)});
        // Instance mode normalises over everything but the batch axis.
        Value flat = reshapeTo(ctx, in[0], {0, -1});
        Value y = build<mx::SoftmaxOp>(ctx, flat, {i64Attr(ctx, "axis", 1)});
        return reshapeTo(ctx, y, shape);
      });
  registerOp(std::move(info));
}

} // namespace

void registerTensorOps() {
  registerReshapes();
  registerSlices();
  reduction<mx::SumOp>("sum", {"sum_axis"});
  reduction<mx::MeanOp>("mean", {});
  reduction<mx::MaxOp>("max", {"max_axis"});
  reduction<mx::MinOp>("min", {"min_axis"});
  contraction<mx::DotOp>("dot");
  contraction<mx::BatchDotOp>("batch_dot");
  registerFullyConnected();
  softmax<mx::SoftmaxOp>("softmax");
  softmax<mx::LogSoftmaxOp>("log_softmax");
  registerSoftmaxActivation();
}

} // namespace mxjit::sym::detail
