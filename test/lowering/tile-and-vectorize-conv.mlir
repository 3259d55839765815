// RUN: mxjit-opt %s --mx-to-linalg --canonicalize | mxjit-opt --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize),canonicalize,cse)' | FileCheck %s

// convolution_backward_weight reads the data through a window (x[o + k]),
// so it is no contraction as written. mx-tile-and-vectorize copies the
// window once into (N, OH, OW, G, C, KH, KW) order and the gradient into
// (G, F, N, OH, OW), merges adjacent loops and drops the unit group loop:
// dW (F x C*KH*KW) = grad (F x N*OH*OW) * col (N*OH*OW x C*KH*KW), a plain
// 8 x 36 x 72 product blocked like any other (36 columns: one 32-wide
// register column, then the static remainder of 4 as 4-wide vectors).
// CHECK-LABEL: func.func @backward_weight(
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<2x1x4x8x8xf32>) outs(%{{.*}} : tensor<2x6x6x1x4x3x3xf32>)
// CHECK: linalg.transpose ins(%{{.*}} : tensor<2x1x8x6x6xf32>) outs(%{{.*}} : tensor<1x8x2x6x6xf32>) permutation = [1, 2, 0, 3, 4]
// CHECK-DAG: tensor.collapse_shape {{.*}} : tensor<1x8x2x6x6xf32> into tensor<8x72xf32>
// CHECK-DAG: tensor.collapse_shape {{.*}} : tensor<2x6x6x1x4x3x3xf32> into tensor<72x36xf32>
// CHECK: scf.for {{.*}} = %c0 to %c72 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} = %c0 to %c72 step %c1 iter_args({{.*}}) -> (vector<4xf32>,
// CHECK-NOT: linalg.generic
// CHECK: return
func.func @backward_weight(%g: tensor<2x8x6x6xf32>, %x: tensor<2x4x8x8xf32>) -> tensor<8x4x3x3xf32> {
  %0 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3, 3>, num_filter = 8 : i64} : (tensor<2x8x6x6xf32>, tensor<2x4x8x8xf32>) -> tensor<8x4x3x3xf32>
  return %0 : tensor<8x4x3x3xf32>
}

// batch_dot: the batch loop is tiled by 1 outermost, each batch a product.
// CHECK-LABEL: func.func @batch_dot(
// CHECK: scf.for {{.*}} = %c0 to %c3 step %c1
// CHECK: scf.for {{.*}} = %c0 to %c16 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
func.func @batch_dot(%a: tensor<3x8x16xf32>, %b: tensor<3x16x32xf32>) -> tensor<3x8x32xf32> {
  %0 = mx.batch_dot %a, %b : (tensor<3x8x16xf32>, tensor<3x16x32xf32>) -> tensor<3x8x32xf32>
  return %0 : tensor<3x8x32xf32>
}
