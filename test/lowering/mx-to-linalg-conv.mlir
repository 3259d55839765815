// RUN: mxjit-opt %s --mx-to-linalg | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// Convolution and pooling lower to tensor.pad and linalg's named
// convolution / pooling ops where one fits, linalg.generic otherwise; the
// whole pipeline compiles every form.
// LLVM-COUNT-9: llvm.func @

// The maps of the flipped weight and of the strided, dilated data read.
// CHECK-DAG: #[[FLIP:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d1, -d3 + 2)>
// CHECK-DAG: #[[XMAP:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d4, d0, d2, d5 * 2 + d3)>

// Padding is a tensor.pad; the bias starts the accumulator.
// CHECK-LABEL: func.func @conv1d
// CHECK: %[[P:.*]] = tensor.pad %arg0 low[0, 0, 1] high[0, 0, 1]
// CHECK: %[[B:.*]] = linalg.generic {{.*}} ins(%arg2 : tensor<4xf32>)
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<2> : tensor<1xi64>} ins(%[[P]], %arg1 : tensor<2x3x11xf32>, tensor<4x3x3xf32>) outs(%[[B]] : tensor<2x4x5xf32>)
func.func @conv1d(%x: tensor<2x3x9xf32>, %w: tensor<4x3x3xf32>, %b: tensor<4xf32>) -> tensor<2x4x5xf32> {
  %0 = mx.convolution %x, %w, %b {kernel = array<i64: 3>, stride = array<i64: 2>, pad = array<i64: 1>, num_filter = 4 : i64} : (tensor<2x3x9xf32>, tensor<4x3x3xf32>, tensor<4xf32>) -> tensor<2x4x5xf32>
  return %0 : tensor<2x4x5xf32>
}

// CHECK-LABEL: func.func @conv2d
// CHECK: tensor.pad %arg0 low[0, 0, 0, 1] high[0, 0, 0, 1]
// CHECK: linalg.fill
// CHECK: linalg.conv_2d_nchw_fchw {dilations = dense<[1, 2]> : tensor<2xi64>, strides = dense<[2, 1]> : tensor<2xi64>}
func.func @conv2d(%x: tensor<1x3x8x8xf32>, %w: tensor<4x3x3x3xf32>) -> tensor<1x4x3x6xf32> {
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, stride = array<i64: 2, 1>, dilate = array<i64: 1, 2>, pad = array<i64: 0, 1>, num_filter = 4 : i64} : (tensor<1x3x8x8xf32>, tensor<4x3x3x3xf32>) -> tensor<1x4x3x6xf32>
  return %0 : tensor<1x4x3x6xf32>
}

// One channel per group: the depthwise op on a (C, KH, KW) filter.
// CHECK-LABEL: func.func @conv2d_depthwise
// CHECK-NOT: tensor.pad
// CHECK: %[[W:.*]] = tensor.collapse_shape %arg1 {{\[\[}}0, 1], [2], [3]] : tensor<3x1x3x3xf32> into tensor<3x3x3xf32>
// CHECK: linalg.depthwise_conv_2d_nchw_chw {{.*}} ins(%arg0, %[[W]] : tensor<1x3x8x8xf32>, tensor<3x3x3xf32>)
func.func @conv2d_depthwise(%x: tensor<1x3x8x8xf32>, %w: tensor<3x1x3x3xf32>) -> tensor<1x3x6x6xf32> {
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 3 : i64, num_group = 3 : i64} : (tensor<1x3x8x8xf32>, tensor<3x1x3x3xf32>) -> tensor<1x3x6x6xf32>
  return %0 : tensor<1x3x6x6xf32>
}

// Groups without a named op: a generic over (n, g, f, o, c, k) on split views.
// CHECK-LABEL: func.func @conv1d_groups
// CHECK: tensor.expand_shape %arg0 {{\[\[}}0], [1, 2], [3]] output_shape [1, 2, 2, 8]
// CHECK: tensor.expand_shape %arg1 {{\[\[}}0, 1], [2], [3]] output_shape [2, 3, 2, 3]
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x2x3x6xf64> into tensor<1x6x6xf64>
func.func @conv1d_groups(%x: tensor<1x4x8xf64>, %w: tensor<6x2x3xf64>) -> tensor<1x6x6xf64> {
  %0 = mx.convolution %x, %w {kernel = array<i64: 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8xf64>, tensor<6x2x3xf64>) -> tensor<1x6x6xf64>
  return %0 : tensor<1x6x6xf64>
}

// The gradient interleaved with zeros (stride 2) and padded by
// d (k - 1) - p = 1, convolved with the flipped, transposed weight.
// CHECK-LABEL: func.func @backward_data
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: %[[S:.*]] = tensor.insert_slice %arg0 into %[[Z]][0, 0, 1] [2, 4, 5] [1, 1, 2] : tensor<2x4x5xf32> into tensor<2x4x11xf32>
// CHECK: linalg.generic {indexing_maps = [#[[FLIP]], {{.*}}]
// CHECK: %[[W:.*]] = tensor.collapse_shape {{.*}} into tensor<3x4x3xf32>
// CHECK: linalg.conv_1d_ncw_fcw {dilations = dense<1> : tensor<1xi64>, strides = dense<1> : tensor<1xi64>} ins(%[[S]], %[[W]] : tensor<2x4x11xf32>, tensor<3x4x3xf32>)
func.func @backward_data(%g: tensor<2x4x5xf32>, %w: tensor<4x3x3xf32>) -> tensor<2x3x9xf32> {
  %0 = mx.convolution_backward_data %g, %w {data_shape = array<i64: 2, 3, 9>, kernel = array<i64: 3>, stride = array<i64: 2>, pad = array<i64: 1>, num_filter = 4 : i64} : (tensor<2x4x5xf32>, tensor<4x3x3xf32>) -> tensor<2x3x9xf32>
  return %0 : tensor<2x3x9xf32>
}

// One generic reducing over n and the output position.
// CHECK-LABEL: func.func @backward_weight
// CHECK: tensor.pad %arg1 low[0, 0, 1] high[0, 0, 1]
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[XMAP]], {{.*}}], iterator_types = ["parallel", "parallel", "parallel", "parallel", "reduction", "reduction"]}
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x4x3x3xf32> into tensor<4x3x3xf32>
func.func @backward_weight(%g: tensor<2x4x5xf32>, %x: tensor<2x3x9xf32>) -> tensor<4x3x3xf32> {
  %0 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3>, stride = array<i64: 2>, pad = array<i64: 1>, num_filter = 4 : i64} : (tensor<2x4x5xf32>, tensor<2x3x9xf32>) -> tensor<4x3x3xf32>
  return %0 : tensor<4x3x3xf32>
}

// Max pooling pads with -inf.
// CHECK-LABEL: func.func @max_pool
// CHECK: %[[NEG:.*]] = arith.constant 0xFF800000 : f32
// CHECK: tensor.pad %arg0 low[0, 0, 1, 1] high[0, 0, 1, 1]
// CHECK-NEXT: ^bb0
// CHECK-NEXT: tensor.yield %[[NEG]]
// CHECK: linalg.pooling_nchw_max {dilations = dense<1> : tensor<2xi64>, strides = dense<2> : tensor<2xi64>}
func.func @max_pool(%x: tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32> {
  %0 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "max"} : (tensor<1x2x8x8xf32>) -> tensor<1x2x4x4xf32>
  return %0 : tensor<1x2x4x4xf32>
}

// Full windows everywhere: one division by the window size.
// CHECK-LABEL: func.func @avg_pool_1d
// CHECK: linalg.pooling_ncw_sum
// CHECK: arith.constant 2.000000e+00 : f32
// CHECK: arith.divf
func.func @avg_pool_1d(%x: tensor<1x2x8xf32>) -> tensor<1x2x4xf32> {
  %0 = mx.pooling %x {kernel = array<i64: 2>, stride = array<i64: 2>, pool_type = "avg"} : (tensor<1x2x8xf32>) -> tensor<1x2x4xf32>
  return %0 : tensor<1x2x4xf32>
}

// The first arg-max of each window (ties to the smaller offset), then a
// gather over the at most 2 x 2 windows that hold each input element. The
// arg-max runs its window loops outside the output ones, so the innermost
// loop has no loop-carried dependence and vectorizes.
// CHECK-LABEL: func.func @pooling_backward_max
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "reduction", "reduction", "parallel", "parallel"]} {{.*}} outs({{.*}} : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi8>)
// CHECK: arith.cmpf ogt
// CHECK: arith.cmpf oeq
// CHECK: arith.cmpi slt
// CHECK: %[[SPAN:.*]] = tensor.empty() : tensor<2x2xf32>
// CHECK: linalg.generic {{.*}} ins(%[[SPAN]] : tensor<2x2xf32>) outs({{.*}} : tensor<1x2x8x8xf32>)
// CHECK: tensor.extract %arg0
// CHECK: tensor.extract %[[ARG]]#1
func.func @pooling_backward_max(%g: tensor<1x2x4x4xf32>, %x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %0 = mx.pooling_backward %g, %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "max"} : (tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// Windows that tile the input exactly (stride = kernel, no padding): each
// element's gradient is its window's when it is the window's arg-max, one
// all-parallel generic over the input split as (N, C, OH, KH, OW, KW),
// with no gather.
// CHECK-LABEL: func.func @pooling_backward_max_tiled
// CHECK: %[[ARG:.*]]:2 = linalg.generic {{.*}} outs({{.*}} : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi8>)
// CHECK: %[[G:.*]] = linalg.generic {{{.*}}iterator_types = ["parallel", "parallel", "parallel", "parallel", "parallel", "parallel"]} ins(%arg0, %[[ARG]]#1 : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi8>) outs({{.*}} : tensor<1x2x4x2x4x2xf32>)
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK-NOT: tensor.extract
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2, 3], [4, 5]] : tensor<1x2x4x2x4x2xf32> into tensor<1x2x8x8xf32>
func.func @pooling_backward_max_tiled(%g: tensor<1x2x4x4xf32>, %x: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %0 = mx.pooling_backward %g, %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %0 : tensor<1x2x8x8xf32>
}

// The arg-max offsets use the narrowest integer type above the window's
// element count: 12 x 12 = 144 offsets do not fit i8, so i16.
// CHECK-LABEL: func.func @pooling_backward_max_wide_window
// CHECK: linalg.generic {{.*}} outs({{.*}} : tensor<1x1x1x1xf32>, tensor<1x1x1x1xi16>)
func.func @pooling_backward_max_wide_window(%g: tensor<1x1x1x1xf32>, %x: tensor<1x1x12x12xf32>) -> tensor<1x1x12x12xf32> {
  %0 = mx.pooling_backward %g, %x {kernel = array<i64: 12, 12>, stride = array<i64: 12, 12>, pool_type = "max"} : (tensor<1x1x1x1xf32>, tensor<1x1x12x12xf32>) -> tensor<1x1x12x12xf32>
  return %0 : tensor<1x1x12x12xf32>
}
