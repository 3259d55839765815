//===- ConvolutionToLinalg.cpp - convolution and pooling ------------------===//
//
// Padding is a tensor.pad; the window arithmetic goes to linalg's named
// convolution and pooling ops wherever one fits the layout (so tiling and
// vectorization see them as such), and to an equivalent linalg.generic
// otherwise (grouped 1-D/3-D convolutions, 3-D pooling):
//
//   convolution        conv_{1d_ncw_fcw,2d_nchw_fchw,3d_ncdhw_fcdhw} (one
//                      group), depthwise_conv_*_nc*_c* (one channel per
//                      group), conv_2d_ngchw_gfchw (other 2-D groups)
//   backward_data      the convolution of the stride-interleaved, padded
//                      gradient with the flipped, transposed weight
//   backward_weight    one linalg.generic reducing over N and the output
//   pooling            pooling_nc{w,hw}_{max,sum} (+ a division for avg)
//   pooling_backward   one linalg.generic over the input reducing over the
//                      at most ceil(k / s) windows that contain each element
//                      (a gather, so no scatter and no wasted window slots)
//
// Every shape here has passed the verifier, so the shape rules cannot fail.
//
//===----------------------------------------------------------------------===//

#include "lowering/patterns/Patterns.h"

#include "ir/MxOps.h"
#include "ir/ShapeInference.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mxjit;
using namespace mxjit::lowering;

namespace {
using Ints = SmallVector<int64_t>;

RankedTensorType tensorOf(ArrayRef<int64_t> shape, Type element) {
  return RankedTensorType::get(shape, element);
}
Type elementOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}
ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}
Value constantIndex(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// The sizes of axes 0 (the batch, `?` in shape-generic functions) and 1
/// of `x`, for slices that keep them whole.
SmallVector<OpFoldResult> leadingSizes(OpBuilder &b, Location loc, Value x) {
  SmallVector<OpFoldResult> sizes;
  for (int64_t i = 0; i < 2; ++i) {
    int64_t d = shapeOf(x)[i];
    sizes.push_back(ShapedType::isDynamic(d)
                        ? OpFoldResult(tensor::DimOp::create(b, loc, x, i))
                        : OpFoldResult(b.getIndexAttr(d)));
  }
  return sizes;
}

/// Pads the spatial axes (2...) of `x` with `low`/`high` elements of
/// `value`; returns `x` when nothing is padded.
Value padSpatial(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> low,
                 ArrayRef<int64_t> high, double value) {
  if (llvm::all_of(low, [](int64_t p) { return p == 0; }) &&
      llvm::all_of(high, [](int64_t p) { return p == 0; }))
    return x;
  Ints shape(shapeOf(x));
  SmallVector<OpFoldResult> lo(2, b.getIndexAttr(0)), hi(2, b.getIndexAttr(0));
  for (size_t i = 0; i < low.size(); ++i) {
    shape[i + 2] += low[i] + high[i];
    lo.push_back(b.getIndexAttr(low[i]));
    hi.push_back(b.getIndexAttr(high[i]));
  }
  Type element = elementOf(x);
  Value padValue = emitScalarConstant(b, loc, element, value);
  return tensor::PadOp::create(b, loc, tensorOf(shape, element), x, lo, hi,
                               padValue);
}

/// Splits axis `axis` of `x` into (groups, size / groups).
Value splitAxis(OpBuilder &b, Location loc, Value x, int64_t axis,
                int64_t groups) {
  Ints shape(shapeOf(x));
  SmallVector<ReassociationIndices> reassoc;
  Ints out;
  for (int64_t i = 0, j = 0, e = shape.size(); i < e; ++i) {
    if (i == axis) {
      reassoc.push_back({j, j + 1});
      out.append({groups, shape[i] / groups});
      j += 2;
    } else {
      reassoc.push_back({j++});
      out.push_back(shape[i]);
    }
  }
  return tensor::ExpandShapeOp::create(b, loc, tensorOf(out, elementOf(x)), x,
                                       reassoc);
}

/// Merges axes `axis` and `axis + 1` of `x`.
Value mergeAxes(OpBuilder &b, Location loc, Value x, int64_t axis) {
  Ints shape(shapeOf(x));
  SmallVector<ReassociationIndices> reassoc;
  Ints out;
  for (int64_t i = 0, e = shape.size(); i < e; ++i) {
    if (i == axis) {
      reassoc.push_back({i, i + 1});
      out.push_back(shape[i] * shape[i + 1]);
      ++i;
    } else {
      reassoc.push_back({i});
      out.push_back(shape[i]);
    }
  }
  return tensor::CollapseShapeOp::create(b, loc, tensorOf(out, elementOf(x)), x,
                                         reassoc);
}

/// Drops axis 1 (of size 1) of `x`.
Value dropAxis1(OpBuilder &b, Location loc, Value x) {
  Ints shape(shapeOf(x));
  SmallVector<ReassociationIndices> reassoc = {{0, 1}};
  for (int64_t i = 2, e = shape.size(); i < e; ++i)
    reassoc.push_back({i});
  shape.erase(shape.begin() + 1);
  return tensor::CollapseShapeOp::create(b, loc, tensorOf(shape, elementOf(x)),
                                         x, reassoc);
}

SmallVector<utils::IteratorType> iterators(int64_t parallel,
                                           int64_t reduction) {
  SmallVector<utils::IteratorType> its(parallel, utils::IteratorType::parallel);
  its.append(reduction, utils::IteratorType::reduction);
  return its;
}

/// out(N, G, Fg, O...) += in(N, G, Cg, O*s + K*d) * w(G, Fg, Cg, K...), as
/// one generic over (n, g, f, o..., c, k...).
Value groupedConvGeneric(OpBuilder &b, Location loc, Value in, Value w,
                         Value init, ArrayRef<int64_t> stride,
                         ArrayRef<int64_t> dilate) {
  MLIRContext *ctx = b.getContext();
  int64_t r = stride.size(), loops = 4 + 2 * r;
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  AffineExpr n = d(0), g = d(1), f = d(2), c = d(3 + r);
  SmallVector<AffineExpr> inE = {n, g, c}, wE = {g, f, c}, outE = {n, g, f};
  for (int64_t i = 0; i < r; ++i) {
    AffineExpr o = d(3 + i), k = d(4 + r + i);
    inE.push_back(o * stride[i] + k * dilate[i]);
    wE.push_back(k);
    outE.push_back(o);
  }
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                 AffineMap::get(loops, 0, wE, ctx),
                                 AffineMap::get(loops, 0, outE, ctx)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{in, w}, init, maps,
             iterators(3 + r, 1 + r),
             [](OpBuilder &nb, Location nl, ValueRange a) {
               Value p = emitBinary(nb, nl, BinaryKind::Multiply, a[0], a[1]);
               linalg::YieldOp::create(
                   nb, nl, emitBinary(nb, nl, BinaryKind::Add, a[2], p));
             })
      .getResult(0);
}

/// out(N, F, O...) += conv(in(N, C, X...) already padded, w(F, C/groups,
/// K...)) with `groups` channel groups.
Value buildConv(OpBuilder &b, Location loc, Value in, Value w, Value init,
                ArrayRef<int64_t> stride, ArrayRef<int64_t> dilate,
                int64_t groups) {
  int64_t rank = shapeOf(in).size();
  Type outType = init.getType();
  Attribute s = b.getI64TensorAttr(stride), d = b.getI64TensorAttr(dilate);
  auto named = [&](auto tag, Value input, Value filter) -> Value {
    using OpTy = decltype(tag);
    return OpTy::create(b, loc, TypeRange{outType}, ValueRange{input, filter},
                        ValueRange{init}, s, d)
        .getResult(0);
  };
  if (groups == 1) {
    if (rank == 3)
      return named(linalg::Conv1DNcwFcwOp(), in, w);
    if (rank == 4)
      return named(linalg::Conv2DNchwFchwOp(), in, w);
    return named(linalg::Conv3DNcdhwFcdhwOp(), in, w);
  }
  int64_t channels = shapeOf(in)[1], filters = shapeOf(init)[1];
  if (groups == channels && groups == filters) {
    // Depthwise with multiplier 1: the filter is (C, K...).
    Value filter = dropAxis1(b, loc, w);
    if (rank == 3)
      return named(linalg::DepthwiseConv1DNcwCwOp(), in, filter);
    if (rank == 4)
      return named(linalg::DepthwiseConv2DNchwChwOp(), in, filter);
    return named(linalg::DepthwiseConv3DNcdhwCdhwOp(), in, filter);
  }
  Value gin = splitAxis(b, loc, in, 1, groups);
  Value gw = splitAxis(b, loc, w, 0, groups);
  Value ginit = splitAxis(b, loc, init, 1, groups);
  Value out;
  if (rank == 4)
    out = linalg::Conv2DNgchwGfchwOp::create(b, loc, TypeRange{ginit.getType()},
                                             ValueRange{gin, gw},
                                             ValueRange{ginit}, s, d)
              .getResult(0);
  else
    out = groupedConvGeneric(b, loc, gin, gw, ginit, stride, dilate);
  return mergeAxes(b, loc, out, 1);
}

template <typename Op> shape::ConvWindow convWindow(Op op, Value data) {
  std::string error;
  shape::ConvAttrs attrs{op.getKernel(),
                         op.getStride(),
                         op.getDilate(),
                         op.getPad(),
                         static_cast<int64_t>(op.getNumFilter()),
                         static_cast<int64_t>(op.getNumGroup())};
  return *shape::convolutionWindow(shapeOf(data), attrs, error);
}

struct ConvolutionLowering : OpConversionPattern<mx::ConvolutionOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ConvolutionOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto w = convWindow(op, op.getData());
    RankedTensorType outType = op.getType();
    Value in = padSpatial(rewriter, loc, adaptor.getData(), w.pad, w.pad, 0);
    Value init;
    if (Value bias = adaptor.getBias()) {
      // Broadcast the bias along axis 1 as the starting accumulator.
      MLIRContext *ctx = rewriter.getContext();
      int64_t rank = outType.getRank();
      SmallVector<AffineMap> maps = {
          AffineMap::get(rank, 0, getAffineDimExpr(1, ctx)),
          rewriter.getMultiDimIdentityMap(rank)};
      Value empty = buildEmpty(rewriter, loc, outType.getShape(),
                               outType.getElementType());
      init = linalg::GenericOp::create(
                 rewriter, loc, TypeRange{outType}, bias, empty, maps,
                 iterators(rank, 0),
                 [](OpBuilder &nb, Location nl, ValueRange a) {
                   linalg::YieldOp::create(nb, nl, a[0]);
                 })
                 .getResult(0);
    } else {
      init = buildFilled(rewriter, loc, outType, 0);
    }
    rewriter.replaceOp(op,
                       buildConv(rewriter, loc, in, adaptor.getWeight(), init,
                                 w.stride, w.dilate, op.getNumGroup()));
    return success();
  }
};

/// The weight (F, Cg, K...) as (C, Fg, K...) with every kernel axis
/// reversed: w'[g Cg + c, f, k] = w[g Fg + f, c, K - 1 - k].
Value flipTransposeWeight(OpBuilder &b, Location loc, Value w, int64_t groups) {
  MLIRContext *ctx = b.getContext();
  Value gw = splitAxis(b, loc, w, 0, groups); // (G, Fg, Cg, K...)
  Ints shape(shapeOf(gw));
  int64_t rank = shape.size();
  auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Iterate over the output (G, Cg, Fg, K...).
  SmallVector<AffineExpr> inE = {d(0), d(2), d(1)};
  for (int64_t i = 3; i < rank; ++i)
    inE.push_back(getAffineConstantExpr(shape[i] - 1, ctx) - d(i));
  Ints outShape = {shape[0], shape[2], shape[1]};
  outShape.append(shape.begin() + 3, shape.end());
  auto outType = tensorOf(outShape, elementOf(w));
  Value empty = tensor::EmptyOp::create(b, loc, outShape, elementOf(w));
  Value flipped =
      linalg::GenericOp::create(
          b, loc, TypeRange{outType}, gw, empty,
          {AffineMap::get(rank, 0, inE, ctx), b.getMultiDimIdentityMap(rank)},
          iterators(rank, 0),
          [](OpBuilder &nb, Location nl, ValueRange a) {
            linalg::YieldOp::create(nb, nl, a[0]);
          })
          .getResult(0);
  return mergeAxes(b, loc, flipped, 0);
}

struct ConvolutionBackwardDataLowering
    : OpConversionPattern<mx::ConvolutionBackwardDataOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ConvolutionBackwardDataOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType dataType = op.getType();
    std::string error;
    shape::ConvAttrs attrs{op.getKernel(),
                           op.getStride(),
                           op.getDilate(),
                           op.getPad(),
                           static_cast<int64_t>(op.getNumFilter()),
                           static_cast<int64_t>(op.getNumGroup())};
    auto w = *shape::convolutionWindow(dataType.getShape(), attrs, error);
    Value g = adaptor.getGrad();
    Ints gShape(shapeOf(g));
    Type element = elementOf(g);
    int64_t r = w.kernel.size();
    // dx[x] = sum_k g_s[x + p - k d] w[k] with g_s the gradient interleaved
    // with s - 1 zeros; substituting k' = K - 1 - k makes it a stride-1
    // convolution of g_s padded by L = d (K - 1) - p in front (cropped when
    // negative) with the flipped weight.
    Ints low(r), high(r), cropLow(r), target(r);
    bool strided = false, crop = false;
    for (int64_t i = 0; i < r; ++i) {
      int64_t o = gShape[i + 2], s = w.stride[i];
      int64_t interleaved = (o - 1) * s + 1;
      int64_t span = w.dilate[i] * (w.kernel[i] - 1);
      int64_t l = span - w.pad[i];
      target[i] = dataType.getDimSize(i + 2) + span;
      int64_t h = target[i] - l - interleaved;
      low[i] = std::max<int64_t>(l, 0);
      high[i] = std::max<int64_t>(h, 0);
      cropLow[i] = std::max<int64_t>(-l, 0);
      strided |= s != 1;
      crop |= l < 0 || h < 0;
    }
    Value padded;
    if (!strided) {
      padded = padSpatial(rewriter, loc, g, low, high, 0);
    } else {
      Ints shape = {gShape[0], gShape[1]};
      SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)),
          sizes = leadingSizes(rewriter, loc, g),
          strides(2, rewriter.getIndexAttr(1));
      for (int64_t i = 0; i < r; ++i) {
        int64_t o = gShape[i + 2];
        shape.push_back(low[i] + (o - 1) * w.stride[i] + 1 + high[i]);
        offsets.push_back(rewriter.getIndexAttr(low[i]));
        sizes.push_back(rewriter.getIndexAttr(o));
        strides.push_back(rewriter.getIndexAttr(w.stride[i]));
      }
      Value zeros = buildFilled(rewriter, loc, tensorOf(shape, element), 0);
      padded = tensor::InsertSliceOp::create(rewriter, loc, g, zeros, offsets,
                                             sizes, strides);
    }
    if (crop) {
      SmallVector<OpFoldResult> offsets(2, rewriter.getIndexAttr(0)),
          sizes = leadingSizes(rewriter, loc, g),
          strides(2 + r, rewriter.getIndexAttr(1));
      for (int64_t i = 0; i < r; ++i) {
        offsets.push_back(rewriter.getIndexAttr(cropLow[i]));
        sizes.push_back(rewriter.getIndexAttr(target[i]));
      }
      padded = tensor::ExtractSliceOp::create(rewriter, loc, padded, offsets,
                                              sizes, strides);
    }
    int64_t groups = op.getNumGroup();
    Value weight =
        flipTransposeWeight(rewriter, loc, adaptor.getWeight(), groups);
    Value init = buildFilled(rewriter, loc, dataType, 0);
    rewriter.replaceOp(op, buildConv(rewriter, loc, padded, weight, init,
                                     Ints(r, 1), w.dilate, groups));
    return success();
  }
};

struct ConvolutionBackwardWeightLowering
    : OpConversionPattern<mx::ConvolutionBackwardWeightOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::ConvolutionBackwardWeightOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto w = convWindow(op, op.getData());
    int64_t groups = op.getNumGroup(), r = w.kernel.size();
    Value x = padSpatial(rewriter, loc, adaptor.getData(), w.pad, w.pad, 0);
    Value gx = splitAxis(rewriter, loc, x, 1, groups); // (N, G, Cg, X...)
    Value gg = splitAxis(rewriter, loc, adaptor.getGrad(), 1, groups);
    RankedTensorType weightType = op.getType();
    Value init =
        splitAxis(rewriter, loc, buildFilled(rewriter, loc, weightType, 0), 0,
                  groups); // (G, Fg, Cg, K...)
    // dW[g, f, c, k] = sum_{n, o} grad[n, g, f, o] x[n, g, c, o s + k d],
    // over loops (g, f, c, k..., n, o...).
    int64_t loops = 4 + 2 * r;
    auto d = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
    AffineExpr g = d(0), f = d(1), c = d(2), n = d(3 + r);
    SmallVector<AffineExpr> gE = {n, g, f}, xE = {n, g, c}, outE = {g, f, c};
    for (int64_t i = 0; i < r; ++i) {
      AffineExpr k = d(3 + i), o = d(4 + r + i);
      gE.push_back(o);
      xE.push_back(o * w.stride[i] + k * w.dilate[i]);
      outE.push_back(k);
    }
    SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, gE, ctx),
                                   AffineMap::get(loops, 0, xE, ctx),
                                   AffineMap::get(loops, 0, outE, ctx)};
    Value out = linalg::GenericOp::create(
                    rewriter, loc, TypeRange{init.getType()},
                    ValueRange{gg, gx}, init, maps, iterators(3 + r, 1 + r),
                    [](OpBuilder &nb, Location nl, ValueRange a) {
                      Value p =
                          emitBinary(nb, nl, BinaryKind::Multiply, a[0], a[1]);
                      linalg::YieldOp::create(
                          nb, nl, emitBinary(nb, nl, BinaryKind::Add, a[2], p));
                    })
                    .getResult(0);
    rewriter.replaceOp(op, mergeAxes(rewriter, loc, out, 0));
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

struct PoolGeometry {
  shape::PoolWindow window;
  Ints in, out; // spatial sizes
  /// Right padding: at least pad, more where "full" windows overhang.
  Ints high;
};

template <typename Op>
PoolGeometry poolGeometry(Op op, ArrayRef<int64_t> data,
                          ArrayRef<int64_t> out) {
  std::string error;
  shape::PoolAttrs attrs{op.getKernel(), op.getStride(), op.getPad(),
                         op.getGlobalPool(),
                         op.getPoolingConvention() == "full"};
  PoolGeometry geo{*shape::poolingWindow(data, attrs, error), {}, {}, {}};
  const auto &w = geo.window;
  for (size_t i = 0; i < w.kernel.size(); ++i) {
    int64_t x = data[i + 2], o = out[i + 2];
    geo.in.push_back(x);
    geo.out.push_back(o);
    geo.high.push_back(
        std::max(w.pad[i], (o - 1) * w.stride[i] + w.kernel[i] - x - w.pad[i]));
  }
  return geo;
}

/// MXNet's avg divisor along one axis for each output position: the window
/// clipped to the padded input, or to the input without count_include_pad
/// (at least 1, so windows wholly in the padding give 0, not NaN).
Ints avgCounts(const PoolGeometry &geo, int64_t axis, bool includePad) {
  const auto &w = geo.window;
  int64_t x = geo.in[axis], p = w.pad[axis];
  Ints counts;
  for (int64_t o = 0; o < geo.out[axis]; ++o) {
    int64_t start = o * w.stride[axis] - p;
    int64_t end = std::min(start + w.kernel[axis], x + p);
    int64_t n = includePad ? end - start
                           : std::min(end, x) - std::max<int64_t>(start, 0);
    counts.push_back(std::max<int64_t>(n, 1));
  }
  return counts;
}

/// `sums` (N, C, O...) divided by the avg counts of each window.
Value divideByCounts(OpBuilder &b, Location loc, Value sums,
                     const PoolGeometry &geo, bool includePad) {
  auto type = cast<RankedTensorType>(sums.getType());
  Type element = type.getElementType();
  int64_t r = geo.out.size();
  SmallVector<Ints> counts;
  bool uniform = true;
  for (int64_t i = 0; i < r; ++i) {
    counts.push_back(avgCounts(geo, i, includePad));
    uniform &= llvm::all_equal(counts.back());
  }
  if (uniform) {
    double total = 1;
    for (const Ints &c : counts)
      total *= c.front();
    return buildElementwise(
        b, loc, type, sums, [&](OpBuilder &nb, Location nl, ValueRange a) {
          Value t = emitScalarConstant(nb, nl, element, total);
          return emitBinary(nb, nl, BinaryKind::Divide, a[0], t);
        });
  }
  // One constant vector of counts per axis, multiplied in the body: the
  // divisor factorises over the axes.
  MLIRContext *ctx = b.getContext();
  int64_t rank = type.getRank();
  SmallVector<Value> inputs = {sums};
  SmallVector<AffineMap> maps = {b.getMultiDimIdentityMap(rank)};
  for (int64_t i = 0; i < r; ++i) {
    SmallVector<double> values(counts[i].begin(), counts[i].end());
    auto vecType = tensorOf({geo.out[i]}, element);
    DenseElementsAttr attr;
    if (element.isF32()) {
      SmallVector<float> f(values.begin(), values.end());
      attr = DenseElementsAttr::get(vecType, ArrayRef<float>(f));
    } else {
      attr = DenseElementsAttr::get(vecType, ArrayRef<double>(values));
    }
    inputs.push_back(arith::ConstantOp::create(b, loc, attr));
    maps.push_back(AffineMap::get(rank, 0, getAffineDimExpr(i + 2, ctx)));
  }
  maps.push_back(b.getMultiDimIdentityMap(rank));
  Value empty = buildEmpty(b, loc, type.getShape(), element);
  return linalg::GenericOp::create(
             b, loc, TypeRange{type}, inputs, empty, maps, iterators(rank, 0),
             [&](OpBuilder &nb, Location nl, ValueRange a) {
               Value count = a[1];
               for (int64_t i = 1; i < r; ++i)
                 count =
                     emitBinary(nb, nl, BinaryKind::Multiply, count, a[1 + i]);
               linalg::YieldOp::create(
                   nb, nl, emitBinary(nb, nl, BinaryKind::Divide, a[0], count));
             })
      .getResult(0);
}

/// Max or sum over each window of the padded `in`, into `init` (N, C, O...).
Value buildPool(OpBuilder &b, Location loc, Value in, Value init, bool isMax,
                const shape::PoolWindow &w) {
  int64_t r = w.kernel.size();
  Type element = elementOf(in);
  Attribute s = b.getI64TensorAttr(w.stride),
            d = b.getI64TensorAttr(Ints(r, 1));
  Value window = tensor::EmptyOp::create(b, loc, w.kernel, element);
  auto named = [&](auto tag) -> Value {
    using OpTy = decltype(tag);
    return OpTy::create(b, loc, TypeRange{init.getType()},
                        ValueRange{in, window}, ValueRange{init}, s, d)
        .getResult(0);
  };
  if (r == 1)
    return isMax ? named(linalg::PoolingNcwMaxOp())
                 : named(linalg::PoolingNcwSumOp());
  if (r == 2)
    return isMax ? named(linalg::PoolingNchwMaxOp())
                 : named(linalg::PoolingNchwSumOp());
  // No channels-first 3-D pooling upstream: the same loops as a generic.
  MLIRContext *ctx = b.getContext();
  int64_t loops = 2 + 2 * r;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineExpr> inE = {dim(0), dim(1)}, winE, outE = {dim(0), dim(1)};
  for (int64_t i = 0; i < r; ++i) {
    inE.push_back(dim(2 + i) * w.stride[i] + dim(2 + r + i));
    winE.push_back(dim(2 + r + i));
    outE.push_back(dim(2 + i));
  }
  SmallVector<AffineMap> maps = {AffineMap::get(loops, 0, inE, ctx),
                                 AffineMap::get(loops, 0, winE, ctx),
                                 AffineMap::get(loops, 0, outE, ctx)};
  return linalg::GenericOp::create(
             b, loc, TypeRange{init.getType()}, ValueRange{in, window}, init,
             maps, iterators(2 + r, r),
             [&](OpBuilder &nb, Location nl, ValueRange a) {
               linalg::YieldOp::create(
                   nb, nl,
                   emitBinary(nb, nl,
                              isMax ? BinaryKind::Maximum : BinaryKind::Add,
                              a[2], a[0]));
             })
      .getResult(0);
}

struct PoolingLowering : OpConversionPattern<mx::PoolingOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::PoolingOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType outType = op.getType();
    auto geo = poolGeometry(op, shapeOf(op.getData()), outType.getShape());
    bool isMax = op.getPoolType() == "max";
    double identity = isMax ? -std::numeric_limits<double>::infinity() : 0.0;
    Value in = padSpatial(rewriter, loc, adaptor.getData(), geo.window.pad,
                          geo.high, identity);
    Value init = buildFilled(rewriter, loc, outType, identity);
    Value out = buildPool(rewriter, loc, in, init, isMax, geo.window);
    if (op.getPoolType() == "avg")
      out = divideByCounts(rewriter, loc, out, geo, op.getCountIncludePad());
    rewriter.replaceOp(op, out);
    return success();
  }
};

/// The first arg-max of every max-pooling window of the padded `in` (-inf
/// padding), as the flat row-major offset inside the window (i64), and,
/// when `values` (padded like `in`) is given, the element of `values` there.
/// Ties go to the smaller offset whatever order the loops run in.
///
/// The loops are (n, c, window..., output...): the window loops run outside
/// the output ones, so the innermost loop walks a row of independent
/// windows (no loop-carried dependence through the running max and index,
/// which LLVM could not keep in registers as the buffers may alias) and
/// vectorizes.
/// The narrowest signed integer type that holds every offset inside the
/// window and, above them, the "none yet" marker (its largest value): i8
/// for windows up to 127 elements (2 x 2 or 3 x 3 pooling), so the arg-max
/// tensor, a temporary as large as the pooled output, takes a quarter of
/// its f32 size instead of twice as much in i64.
IntegerType argMaxType(OpBuilder &b, const shape::PoolWindow &w) {
  int64_t elements = 1;
  for (int64_t k : w.kernel)
    elements *= k;
  for (unsigned width : {8u, 16u, 32u})
    if (elements < (int64_t(1) << (width - 1)))
      return b.getIntegerType(width);
  return b.getI64Type();
}

std::pair<Value, Value> buildArgMax(OpBuilder &b, Location loc, Value in,
                                    Value values, ArrayRef<int64_t> outShape,
                                    const shape::PoolWindow &w) {
  MLIRContext *ctx = b.getContext();
  Type element = elementOf(in);
  int64_t r = w.kernel.size(), loops = 2 + 2 * r;
  auto dim = [&](int64_t i) { return getAffineDimExpr(i, ctx); };
  // Loop 2 + i is window axis i, loop 2 + r + i output axis i.
  auto windowLoop = [&](int64_t i) { return 2 + i; };
  auto outLoop = [&](int64_t i) { return 2 + r + i; };
  SmallVector<AffineExpr> inE = {dim(0), dim(1)}, outE = {dim(0), dim(1)};
  for (int64_t i = 0; i < r; ++i) {
    inE.push_back(dim(outLoop(i)) * w.stride[i] + dim(windowLoop(i)));
    outE.push_back(dim(outLoop(i)));
  }
  AffineMap inMap = AffineMap::get(loops, 0, inE, ctx);
  AffineMap outMap = AffineMap::get(loops, 0, outE, ctx);
  // The window tensor only gives the reduction loops their extents.
  SmallVector<AffineExpr> winE;
  for (int64_t i = 0; i < r; ++i)
    winE.push_back(dim(windowLoop(i)));
  SmallVector<utils::IteratorType> iters(loops, utils::IteratorType::parallel);
  for (int64_t i = 0; i < r; ++i)
    iters[windowLoop(i)] = utils::IteratorType::reduction;
  Value window = tensor::EmptyOp::create(b, loc, w.kernel, element);
  SmallVector<Value> inputs = {in, window};
  SmallVector<AffineMap> maps = {inMap, AffineMap::get(loops, 0, winE, ctx)};
  if (values) {
    inputs.push_back(values);
    maps.push_back(inMap);
  }
  auto valueType = tensorOf(outShape, element);
  IntegerType offsetType = argMaxType(b, w);
  auto indexType = tensorOf(outShape, offsetType);
  Value maxIndex = arith::ConstantIntOp::create(
      b, loc, offsetType,
      llvm::APInt::getSignedMaxValue(offsetType.getWidth()).getSExtValue());
  Value indexInit = buildEmpty(b, loc, outShape, offsetType);
  Value firstIndex =
      linalg::FillOp::create(b, loc, maxIndex, indexInit).getResult(0);
  SmallVector<Value> inits = {
      buildFilled(b, loc, valueType, -std::numeric_limits<double>::infinity()),
      firstIndex};
  SmallVector<Type> types = {valueType, indexType};
  if (values) {
    inits.push_back(buildFilled(b, loc, valueType, 0));
    types.push_back(valueType);
  }
  for (size_t i = 0; i < inits.size(); ++i)
    maps.push_back(outMap);
  auto generic = linalg::GenericOp::create(
      b, loc, types, inputs, inits, maps, iters,
      [&](OpBuilder &nb, Location nl, ValueRange a) {
        Value v = a[0];
        unsigned out = values ? 3 : 2;
        Value m = a[out], best = a[out + 1];
        Value offset = constantIndex(nb, nl, 0);
        for (int64_t i = 0; i < r; ++i) {
          Value k = linalg::IndexOp::create(nb, nl, windowLoop(i));
          Value scaled = arith::MulIOp::create(
              nb, nl, offset, constantIndex(nb, nl, w.kernel[i]));
          offset = arith::AddIOp::create(nb, nl, scaled, k);
        }
        Value cur = arith::IndexCastOp::create(nb, nl, offsetType, offset);
        Value greater =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OGT, v, m);
        Value equal =
            arith::CmpFOp::create(nb, nl, arith::CmpFPredicate::OEQ, v, m);
        Value earlier =
            arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, cur, best);
        Value take = arith::OrIOp::create(
            nb, nl, greater, arith::AndIOp::create(nb, nl, equal, earlier));
        SmallVector<Value> yields = {
            arith::SelectOp::create(nb, nl, take, v, m),
            arith::SelectOp::create(nb, nl, take, cur, best)};
        if (values)
          yields.push_back(
              arith::SelectOp::create(nb, nl, take, a[2], a[out + 2]));
        linalg::YieldOp::create(nb, nl, yields);
      });
  return {generic.getResult(1), values ? generic.getResult(2) : Value()};
}

struct PoolingMaxGatherLowering : OpConversionPattern<mx::PoolingMaxGatherOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::PoolingMaxGatherOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    ArrayRef<int64_t> outShape = op.getType().getShape();
    auto geo = poolGeometry(op, shapeOf(op.getData()), outShape);
    const auto &w = geo.window;
    Value in = padSpatial(rewriter, loc, adaptor.getData(), w.pad, geo.high,
                          -std::numeric_limits<double>::infinity());
    Value values =
        padSpatial(rewriter, loc, adaptor.getValues(), w.pad, geo.high, 0);
    rewriter.replaceOp(
        op, buildArgMax(rewriter, loc, in, values, outShape, w).second);
    return success();
  }
};

/// Max pooling whose windows tile the input exactly (stride = kernel, no
/// padding, no partial window): every input element lies in one window, so
/// its gradient is that window's if it is the window's arg-max, else 0. One
/// all-parallel generic writes the gradient viewed as (N, C, O0, K0, O1,
/// K1, ...), which is the input's layout split, reading the window's
/// gradient and arg-max directly: no gather, no index arithmetic beyond the
/// offset in the window, and the innermost loops vectorize.
bool tilesExactly(const PoolGeometry &geo) {
  const auto &w = geo.window;
  for (size_t i = 0; i < w.kernel.size(); ++i)
    if (w.stride[i] != w.kernel[i] || w.pad[i] != 0 || geo.high[i] != 0 ||
        geo.out[i] * w.kernel[i] != geo.in[i])
      return false;
  return true;
}

Value buildTiledMaxPoolBackward(OpBuilder &b, Location loc, Value g,
                                Value argmax, RankedTensorType dataType,
                                const PoolGeometry &geo) {
  MLIRContext *ctx = b.getContext();
  const auto &w = geo.window;
  int64_t r = w.kernel.size(), loops = 2 + 2 * r;
  ArrayRef<int64_t> shape = dataType.getShape();
  // Loop 2 + 2i is window axis i (output position), 2 + 2i + 1 the offset
  // inside the window along that axis.
  Ints split = {shape[0], shape[1]};
  SmallVector<ReassociationIndices> reassoc = {{0}, {1}};
  SmallVector<AffineExpr> outE = {getAffineDimExpr(0, ctx),
                                  getAffineDimExpr(1, ctx)};
  for (int64_t i = 0; i < r; ++i) {
    split.append({geo.out[i], w.kernel[i]});
    reassoc.push_back({2 + 2 * i, 2 + 2 * i + 1});
    outE.push_back(getAffineDimExpr(2 + 2 * i, ctx));
  }
  Type element = dataType.getElementType();
  Value init = buildEmpty(b, loc, split, element);
  AffineMap windowMap = AffineMap::get(loops, 0, outE, ctx);
  SmallVector<AffineMap> maps = {windowMap, windowMap,
                                 b.getMultiDimIdentityMap(loops)};
  SmallVector<utils::IteratorType> iters(loops, utils::IteratorType::parallel);
  Value tiled =
      linalg::GenericOp::create(
          b, loc, TypeRange{init.getType()}, ValueRange{g, argmax}, init, maps,
          iters,
          [&](OpBuilder &nb, Location nl, ValueRange a) {
            // The row-major offset inside the window, as buildArgMax
            // numbers it.
            Value offset = constantIndex(nb, nl, 0);
            for (int64_t i = 0; i < r; ++i) {
              Value k = linalg::IndexOp::create(nb, nl, 2 + 2 * i + 1);
              offset = arith::AddIOp::create(
                  nb, nl,
                  arith::MulIOp::create(nb, nl, offset,
                                        constantIndex(nb, nl, w.kernel[i])),
                  k);
            }
            Value cur = arith::IndexCastOp::create(
                nb, nl, getElementTypeOrSelf(argmax.getType()), offset);
            Value hit = arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq,
                                              cur, a[1]);
            Value zero = emitScalarConstant(nb, nl, element, 0);
            Value grad = arith::SelectOp::create(nb, nl, hit, a[0], zero);
            linalg::YieldOp::create(nb, nl, grad);
          })
          .getResult(0);
  return tensor::CollapseShapeOp::create(b, loc, dataType, tiled, reassoc);
}

struct PoolingBackwardLowering : OpConversionPattern<mx::PoolingBackwardOp> {
  using OpConversionPattern::OpConversionPattern;
  LogicalResult
  matchAndRewrite(mx::PoolingBackwardOp op, OpAdaptor adaptor,
                  ConversionPatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    RankedTensorType dataType = op.getType();
    ArrayRef<int64_t> outShape = shapeOf(op.getGrad());
    auto geo = poolGeometry(op, dataType.getShape(), outShape);
    const auto &w = geo.window;
    int64_t r = w.kernel.size(), rank = dataType.getRank();
    Type element = dataType.getElementType();
    StringRef type = op.getPoolType();
    Value g = adaptor.getGrad(), argmax;
    if (type == "avg")
      g = divideByCounts(rewriter, loc, g, geo, op.getCountIncludePad());
    if (type == "max") {
      Value in = padSpatial(rewriter, loc, adaptor.getData(), w.pad, geo.high,
                            -std::numeric_limits<double>::infinity());
      argmax = buildArgMax(rewriter, loc, in, Value(), outShape, w).first;
      if (tilesExactly(geo)) {
        rewriter.replaceOp(op, buildTiledMaxPoolBackward(
                                   rewriter, loc, g, argmax, dataType, geo));
        return success();
      }
    }
    // Element x (padded position x + p) lies in windows o with
    // o s <= x + p < o s + k: at most J = min(ceil(k / s), O) consecutive
    // ones ending at min((x + p) / s, O - 1). Loop over (n, c, x..., j...).
    Ints span;
    for (int64_t i = 0; i < r; ++i)
      span.push_back(
          std::min((w.kernel[i] + w.stride[i] - 1) / w.stride[i], geo.out[i]));
    MLIRContext *ctx = rewriter.getContext();
    int64_t loops = rank + r;
    SmallVector<AffineExpr> spanE;
    for (int64_t i = 0; i < r; ++i)
      spanE.push_back(getAffineDimExpr(rank + i, ctx));
    Value spanTensor = tensor::EmptyOp::create(rewriter, loc, span, element);
    SmallVector<AffineMap> maps = {
        AffineMap::get(loops, 0, spanE, ctx),
        AffineMap::getMultiDimIdentityMap(loops, ctx).getMajorSubMap(rank)};
    Value init = buildFilled(rewriter, loc, dataType, 0);
    Value result =
        linalg::GenericOp::create(
            rewriter, loc, TypeRange{dataType}, spanTensor, init, maps,
            iterators(rank, r),
            [&](OpBuilder &nb, Location nl, ValueRange a) {
              auto c = [&](int64_t v) { return constantIndex(nb, nl, v); };
              SmallVector<Value> at = {linalg::IndexOp::create(nb, nl, 0),
                                       linalg::IndexOp::create(nb, nl, 1)};
              Value valid = arith::ConstantIntOp::create(nb, nl, 1, 1);
              Value offset = c(0);
              for (int64_t i = 0; i < r; ++i) {
                Value x = linalg::IndexOp::create(nb, nl, 2 + i);
                Value j = linalg::IndexOp::create(nb, nl, rank + i);
                Value num = arith::AddIOp::create(nb, nl, x, c(w.pad[i]));
                Value top = arith::MinSIOp::create(
                    nb, nl, arith::DivUIOp::create(nb, nl, num, c(w.stride[i])),
                    c(geo.out[i] - 1));
                Value o = arith::SubIOp::create(nb, nl, top, j);
                Value k = arith::SubIOp::create(
                    nb, nl, num,
                    arith::MulIOp::create(nb, nl, o, c(w.stride[i])));
                Value inside = arith::AndIOp::create(
                    nb, nl,
                    arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::sge, o,
                                          c(0)),
                    arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::slt, k,
                                          c(w.kernel[i])));
                valid = arith::AndIOp::create(nb, nl, valid, inside);
                at.push_back(arith::MaxSIOp::create(nb, nl, o, c(0)));
                offset = arith::AddIOp::create(
                    nb, nl,
                    arith::MulIOp::create(nb, nl, offset, c(w.kernel[i])), k);
              }
              Value v = tensor::ExtractOp::create(nb, nl, g, at);
              if (argmax) {
                Value best = tensor::ExtractOp::create(nb, nl, argmax, at);
                Value cur = arith::IndexCastOp::create(
                    nb, nl, getElementTypeOrSelf(argmax.getType()), offset);
                valid = arith::AndIOp::create(
                    nb, nl, valid,
                    arith::CmpIOp::create(nb, nl, arith::CmpIPredicate::eq, cur,
                                          best));
              }
              Value zero = emitScalarConstant(nb, nl, element, 0);
              Value add = arith::SelectOp::create(nb, nl, valid, v, zero);
              linalg::YieldOp::create(
                  nb, nl, emitBinary(nb, nl, BinaryKind::Add, a[1], add));
            })
            .getResult(0);
    rewriter.replaceOp(op, result);
    return success();
  }
};
} // namespace

void mxjit::lowering::populateConvolutionToLinalgPatterns(
    RewritePatternSet &patterns) {
  patterns.add<ConvolutionLowering, ConvolutionBackwardDataLowering,
               ConvolutionBackwardWeightLowering, PoolingLowering,
               PoolingBackwardLowering, PoolingMaxGatherLowering>(
      patterns.getContext());
}
