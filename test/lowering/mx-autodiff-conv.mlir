// RUN: mxjit-opt %s --mx-autodiff='seeds=true keep-forward=false' | FileCheck %s
// RUN: mxjit-opt %s --mx-autodiff='function=conv seeds=true keep-forward=false' --mx-autodiff='function=conv_grad keep-forward=false' | FileCheck %s --check-prefix=SECOND
// RUN: mxjit-opt %s --mx-autodiff='function=max_pool seeds=true keep-forward=false' --mx-autodiff='function=max_pool_grad wrt=1 keep-forward=false' | FileCheck %s --check-prefix=MAX2

// The gradient IR of convolution and pooling (the seed is the last argument).

// convolution: backward_data (with the data shape), backward_weight and the
// bias summed over N and the spatial axes, all with the forward attributes.
// CHECK-LABEL: func.func @conv_grad(%arg0: tensor<2x4x7x7xf32>, %arg1: tensor<6x2x3x3xf32>, %arg2: tensor<6xf32>, %arg3: tensor<2x6x4x4xf32>)
// CHECK-NOT: mx.convolution %
// CHECK: %[[DX:.*]] = mx.convolution_backward_data %arg3, %arg1 {data_shape = array<i64: 2, 4, 7, 7>, kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64, pad = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x6x4x4xf32>, tensor<6x2x3x3xf32>) -> tensor<2x4x7x7xf32>
// CHECK: %[[DW:.*]] = mx.convolution_backward_weight %arg3, %arg0 {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64, pad = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<2x6x4x4xf32>, tensor<2x4x7x7xf32>) -> tensor<6x2x3x3xf32>
// CHECK: %[[DB:.*]] = mx.sum %arg3 {axis = array<i64: 0, 2, 3>} : (tensor<2x6x4x4xf32>) -> tensor<6xf32>
// CHECK: return %[[DX]], %[[DW]], %[[DB]]
func.func @conv(%x: tensor<2x4x7x7xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<6xf32>) -> tensor<2x6x4x4xf32> {
  %0 = mx.convolution %x, %w, %b {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<2x4x7x7xf32>, tensor<6x2x3x3xf32>, tensor<6xf32>) -> tensor<2x6x4x4xf32>
  return %0 : tensor<2x6x4x4xf32>
}

// Second order (ones as the outer seeds): the backward ops' VJPs are
// convolutions and backward ops again: d/dx <v, bwd_weight(g, x)> =
// bwd_data(g, v), d/dW <u, bwd_data(g, W)> = bwd_weight(g, u), and the seed
// g gets conv(x, v) + conv(u, W).
// SECOND-LABEL: func.func @conv_grad_grad
// SECOND-DAG: mx.convolution %arg0, %{{.*}} {kernel
// SECOND-DAG: mx.convolution_backward_data %arg3, %{{.*}} {data_shape = array<i64: 2, 4, 7, 7>
// SECOND-DAG: mx.convolution %{{.*}}, %arg1 {kernel
// SECOND-DAG: mx.convolution_backward_weight %arg3, %{{.*}} {kernel
// SECOND: return

// pooling: one pooling_backward carrying every attribute.
// CHECK-LABEL: func.func @avg_pool_grad(%arg0: tensor<2x4x8x8xf32>, %arg1: tensor<2x4x5x5xf32>)
// CHECK-NEXT: %[[D:.*]] = mx.pooling_backward %arg1, %arg0 {count_include_pad = false, kernel = array<i64: 3, 3>, pad = array<i64: 1, 1>, pool_type = "avg", pooling_convention = "full", stride = array<i64: 2, 2>} : (tensor<2x4x5x5xf32>, tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
// CHECK-NEXT: return %[[D]]
func.func @avg_pool(%x: tensor<2x4x8x8xf32>) -> tensor<2x4x5x5xf32> {
  %0 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "avg", pooling_convention = "full", count_include_pad = false} : (tensor<2x4x8x8xf32>) -> tensor<2x4x5x5xf32>
  return %0 : tensor<2x4x5x5xf32>
}

// CHECK-LABEL: func.func @max_pool_grad(%arg0: tensor<1x2x5x5xf32>, %arg1: tensor<1x2x2x2xf32>)
// CHECK-NEXT: mx.pooling_backward %arg1, %arg0 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>}
func.func @max_pool(%x: tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32> {
  %0 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
  return %0 : tensor<1x2x2x2xf32>
}

// The gradient of max pooling's gradient with respect to the seed reads the
// cotangent at each window's arg-max.
// MAX2-LABEL: func.func @max_pool_grad_grad(%arg0: tensor<1x2x5x5xf32>, %arg1: tensor<1x2x2x2xf32>)
// MAX2: %[[G:.*]] = mx.pooling_max_gather %arg0, %{{.*}} {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<1x2x5x5xf32>, tensor<1x2x5x5xf32>) -> tensor<1x2x2x2xf32>
// MAX2: return %[[G]]
