// RUN: mxjit-opt %s --mx-to-linalg --canonicalize | mxjit-opt --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize),canonicalize,cse)' | FileCheck %s

// convolution_backward_weight reads the data through a window (x[o + k]),
// so it is no contraction as written. mx-tile-and-vectorize runs it one
// sample at a time: a sequential scf.for over the batch (a reduction axis
// here, so not mxjit.parallel) carries dW and accumulates each sample's
// product into it in batch order. Per sample the window is copied into
// (N, OH, OW, G, C, KH, KW) order and the gradient into (G, F, N, OH, OW),
// adjacent loops merge and the unit loops go:
// dW (F x C*KH*KW) += grad (F x OH*OW) * col (OH*OW x C*KH*KW), a plain
// 8 x 36 x 36 product blocked like any other (36 columns: one 32-wide
// register column, then the static remainder of 4 as 4-wide vectors).
// CHECK-LABEL: func.func @backward_weight(
// CHECK: %[[ZERO:.*]] = linalg.fill
// CHECK: %[[DW:.*]] = scf.for %[[S:.*]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %[[ZERO]]) -> (tensor<1x8x4x3x3xf32>) {
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[S]], 0, 0, 0, 0] [1, 1, 8, 6, 6] [1, 1, 1, 1, 1] : tensor<2x1x8x6x6xf32> to tensor<1x1x8x6x6xf32>
// CHECK-DAG: tensor.extract_slice %{{.*}}[%[[S]], 0, 0, 0, 0] [1, 1, 4, 8, 8] [1, 1, 1, 1, 1] : tensor<2x1x4x8x8xf32> to tensor<1x1x4x8x8xf32>
// CHECK: linalg.generic {{.*}} ins(%{{.*}} : tensor<1x1x4x8x8xf32>) outs(%{{.*}} : tensor<1x6x6x1x4x3x3xf32>)
// CHECK: linalg.transpose ins(%{{.*}} : tensor<1x1x8x6x6xf32>) outs(%{{.*}} : tensor<1x8x1x6x6xf32>) permutation = [1, 2, 0, 3, 4]
// CHECK-DAG: tensor.collapse_shape {{.*}} : tensor<1x8x1x6x6xf32> into tensor<8x36xf32>
// CHECK-DAG: tensor.collapse_shape {{.*}} : tensor<1x6x6x1x4x3x3xf32> into tensor<36x36xf32>
// CHECK-DAG: tensor.collapse_shape %[[ACC]] {{.*}} : tensor<1x8x4x3x3xf32> into tensor<8x36xf32>
// CHECK: scf.for {{.*}} = %c0 to %c36 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<32xf32>
// CHECK: scf.for {{.*}} = %c0 to %c36 step %c1 iter_args({{.*}}) -> (vector<4xf32>,
// CHECK-NOT: linalg.generic
// CHECK: scf.yield %{{.*}} : tensor<1x8x4x3x3xf32>
// CHECK-NEXT: }{{$}}
// CHECK: return
func.func @backward_weight(%g: tensor<2x8x6x6xf32>, %x: tensor<2x4x8x8xf32>) -> tensor<8x4x3x3xf32> {
  %0 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3, 3>, num_filter = 8 : i64} : (tensor<2x8x6x6xf32>, tensor<2x4x8x8xf32>) -> tensor<8x4x3x3xf32>
  return %0 : tensor<8x4x3x3xf32>
}

// convolution_backward_data is a convolution of the padded gradient with
// the flipped filter; its batch axis is an output axis, so it runs one
// sample at a time in a loop marked mxjit.parallel, each sample's im2col
// only (F*KH*KW = 72) x (H*W = 64).
// CHECK-LABEL: func.func @backward_data(
// CHECK: %[[PAD:.*]] = tensor.pad
// CHECK: %[[DX:.*]] = scf.for %[[S:.*]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %{{.*}}) -> (tensor<2x4x8x8xf32>) {
// CHECK-DAG: %[[G:.*]] = tensor.extract_slice %[[PAD]][%[[S]], 0, 0, 0] [1, 8, 10, 10] [1, 1, 1, 1] : tensor<2x8x10x10xf32> to tensor<1x8x10x10xf32>
// CHECK-DAG: tensor.extract_slice %[[ACC]][%[[S]], 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<1x4x8x8xf32>
// CHECK: linalg.generic {{.*}} ins(%[[G]] : tensor<1x8x10x10xf32>) outs(%{{.*}} : tensor<1x8x3x3x8x8xf32>)
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x8x3x3x8x8xf32> into tensor<72x64xf32>
// CHECK: scf.for {{.*}} = %c0 to %c72 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK: %[[INS:.*]] = tensor.insert_slice %{{.*}} into %[[ACC]][%[[S]], 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x8xf32> into tensor<2x4x8x8xf32>
// CHECK-NEXT: scf.yield %[[INS]]
// CHECK-NEXT: } {mxjit.parallel}
// CHECK-NEXT: return %[[DX]]
func.func @backward_data(%g: tensor<2x8x6x6xf32>, %w: tensor<8x4x3x3xf32>) -> tensor<2x4x8x8xf32> {
  %0 = mx.convolution_backward_data %g, %w {data_shape = array<i64: 2, 4, 8, 8>, kernel = array<i64: 3, 3>, num_filter = 8 : i64} : (tensor<2x8x6x6xf32>, tensor<8x4x3x3xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
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

// With a `?` batch (shape-generic functions) the per-sample loops get the
// batch as their dynamic trip count, and their bodies are the static
// per-sample code, packed and vectorized as above: the forward convolution's
// loop stays parallel, backward_weight's accumulates sample by sample.
// CHECK-LABEL: func.func @generic_batch(
// CHECK: %[[N:.*]] = tensor.dim %arg0, %c0 : tensor<?x4x8x8xf32>
// CHECK: scf.for %{{.*}} = %c0 to %[[N]] step %c1 iter_args(%{{.*}}) -> (tensor<?x8x6x6xf32>)
// CHECK: tensor.extract_slice %arg0[%{{.*}}, 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<?x4x8x8xf32> to tensor<1x4x8x8xf32>
// CHECK: vector.fma
// CHECK: } {mxjit.parallel}
// CHECK: scf.for %{{.*}} -> (tensor<1x8x4x3x3xf32>)
// CHECK: vector.fma
func.func @generic_batch(%x: tensor<?x4x8x8xf32>, %w: tensor<8x4x3x3xf32>, %g: tensor<?x8x6x6xf32>) -> (tensor<?x8x6x6xf32>, tensor<8x4x3x3xf32>) {
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 8 : i64, no_bias = true} : (tensor<?x4x8x8xf32>, tensor<8x4x3x3xf32>) -> tensor<?x8x6x6xf32>
  %1 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3, 3>, num_filter = 8 : i64} : (tensor<?x8x6x6xf32>, tensor<?x4x8x8xf32>) -> tensor<8x4x3x3xf32>
  return %0, %1 : tensor<?x8x6x6xf32>, tensor<8x4x3x3xf32>
}
