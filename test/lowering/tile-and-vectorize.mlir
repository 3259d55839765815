// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize),canonicalize,cse)' | FileCheck %s
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize{vector-width=8 lower-contractions=false}))' | FileCheck %s --check-prefix=AVX2
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize{vector-width=0}))' | FileCheck %s --check-prefix=OFF

// The im2col copy of @conv below reads x[n, c, oh + kh, ow + kw].
// CHECK-DAG: #[[WIN:.*]] = affine_map<(d0, d1, d2, d3, d4, d5) -> (d0, d1, d2 + d4, d3 + d5)>

// A float matrix product (mx-to-linalg's form for dot) is blocked into
// 8 x 32 accumulators (8 rows of two 16-lane registers, AVX-512), and the k
// loop carries the 8 rows as SIMD values: one broadcast vector.fma per row
// and k, no loads or stores of the accumulator inside. n = 80 is 2 full
// register columns, then the 16 columns left get one register per row.
// CHECK-LABEL: func.func @matmul(
// CHECK: scf.for %[[N:.*]] = %c0 to %c64 step %c32
// CHECK-NEXT: scf.for %[[M:.*]] = %c0 to %c64 step %c8
// CHECK-COUNT-8: vector.transfer_read %{{.*}}[%{{.*}}, %[[N]]]{{.*}} : tensor<64x80xf32>, vector<32xf32>
// CHECK: scf.for %[[K:.*]] = %c0 to %c96 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK: %[[B:.*]] = vector.transfer_read %arg1[%[[K]], %[[N]]]{{.*}} : tensor<96x80xf32>, vector<32xf32>
// CHECK-COUNT-8: vector.fma {{.*}}, %[[B]], {{.*}} : vector<32xf32>
// CHECK-NOT: vector.transfer_write
// CHECK: scf.yield
// CHECK-COUNT-8: vector.transfer_write {{.*}} : vector<1x32xf32>, tensor<64x80xf32>
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c8
// CHECK: scf.for {{.*}} = %c0 to %c96 step %c1 iter_args({{.*}}) -> (vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>, vector<16xf32>)
// CHECK-COUNT-8: vector.fma {{.*}} : vector<16xf32>
// CHECK-NOT: linalg.generic
// CHECK: return
// AVX2-LABEL: func.func @matmul(
// AVX2: scf.for {{.*}} = %c0{{.*}} to %c80 step %c16
// AVX2: scf.for {{.*}} -> ({{.*}}vector<8x16xf32>)
// AVX2: vector.contract {{.*}} : vector<8x1xf32>, vector<1x16xf32> into vector<8x16xf32>
// OFF-LABEL: func.func @matmul(
// OFF-NOT: scf.for
// OFF: linalg.generic
#mA = affine_map<(m, n, k) -> (m, k)>
#mB = affine_map<(m, n, k) -> (k, n)>
#mBt = affine_map<(m, n, k) -> (n, k)>
#mC = affine_map<(m, n, k) -> (m, n)>
func.func @matmul(%a: tensor<64x96xf32>, %b: tensor<96x80xf32>, %c: tensor<64x80xf32>) -> tensor<64x80xf32> {
  %0 = linalg.generic {indexing_maps = [#mA, #mB, #mC], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %b : tensor<64x96xf32>, tensor<96x80xf32>) outs(%c : tensor<64x80xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<64x80xf32>
  return %0 : tensor<64x80xf32>
}

// fully_connected's weight is (n, k): one transposed copy makes n
// contiguous. f64 fills a register with 8 lanes, so the block is 8 x 16.
// CHECK-LABEL: func.func @matmul_transposed_rhs(
// CHECK: %[[T:.*]] = linalg.transpose ins(%arg1 : tensor<32x8xf64>) outs(%{{.*}} : tensor<8x32xf64>) permutation = [1, 0]
// CHECK: scf.for {{.*}} -> (vector<16xf64>, vector<16xf64>, vector<16xf64>, vector<16xf64>, vector<16xf64>, vector<16xf64>, vector<16xf64>, vector<16xf64>)
// CHECK: vector.transfer_read %[[T]]{{.*}} : tensor<8x32xf64>, vector<16xf64>
// CHECK-COUNT-8: vector.fma {{.*}} : vector<16xf64>
func.func @matmul_transposed_rhs(%a: tensor<16x8xf64>, %w: tensor<32x8xf64>, %c: tensor<16x32xf64>) -> tensor<16x32xf64> {
  %0 = linalg.generic {indexing_maps = [#mA, #mBt, #mC], iterator_types = ["parallel", "parallel", "reduction"]} ins(%a, %w : tensor<16x8xf64>, tensor<32x8xf64>) outs(%c : tensor<16x32xf64>) {
  ^bb0(%x: f64, %y: f64, %acc: f64):
    %p = arith.mulf %x, %y : f64
    %s = arith.addf %acc, %p : f64
    linalg.yield %s : f64
  } -> tensor<16x32xf64>
  return %0 : tensor<16x32xf64>
}

// Left alone: integer products, outputs narrower than one register
// (with AVX2's 8 lanes, n = 10 gets one 8-wide register column), and
// elementwise ops.
// CHECK-LABEL: func.func @integer(
// CHECK-NEXT: linalg.matmul
// CHECK-NEXT: return
func.func @integer(%a: tensor<64x64xi32>, %b: tensor<64x64xi32>, %c: tensor<64x64xi32>) -> tensor<64x64xi32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x64xi32>, tensor<64x64xi32>) outs(%c : tensor<64x64xi32>) -> tensor<64x64xi32>
  return %0 : tensor<64x64xi32>
}
// CHECK-LABEL: func.func @narrow(
// CHECK-NEXT: linalg.matmul
// CHECK-NEXT: return
// AVX2-LABEL: func.func @narrow(
// AVX2: vector.contract {{.*}} : vector<8x1xf32>, vector<1x8xf32> into vector<8x8xf32>
func.func @narrow(%a: tensor<64x64xf32>, %b: tensor<64x10xf32>, %c: tensor<64x10xf32>) -> tensor<64x10xf32> {
  %0 = linalg.matmul ins(%a, %b : tensor<64x64xf32>, tensor<64x10xf32>) outs(%c : tensor<64x10xf32>) -> tensor<64x10xf32>
  return %0 : tensor<64x10xf32>
}
// CHECK-LABEL: func.func @elementwise(
// CHECK-NOT: vector.
// CHECK: linalg.generic
// CHECK-NOT: vector.
// CHECK: return
func.func @elementwise(%a: tensor<64x64xf32>, %b: tensor<64x64xf32>) -> tensor<64x64xf32> {
  %0 = linalg.generic {indexing_maps = [affine_map<(i, j) -> (i, j)>, affine_map<(i, j) -> (i, j)>], iterator_types = ["parallel", "parallel"]} ins(%a : tensor<64x64xf32>) outs(%b : tensor<64x64xf32>) {
  ^bb0(%x: f32, %y: f32):
    %s = arith.addf %x, %y : f32
    linalg.yield %s : f32
  } -> tensor<64x64xf32>
  return %0 : tensor<64x64xf32>
}

// A 2-D convolution runs one image at a time: an scf.for over the batch,
// marked mxjit.parallel (images are independent), slices the image and its
// output, builds that image's im2col (27 x 64: C*KH*KW rows, OH*OW columns)
// and multiplies it with F = 4 accumulator rows. The copy is indexed
// (n, c, kh, kw, oh, ow), so its innermost loop walks an input row (no
// division by OW), and the filter is the product's left operand.
// CHECK-LABEL: func.func @conv(
// CHECK-NOT: linalg.conv_2d_nchw_fchw
// CHECK: %[[OUT:.*]] = scf.for %[[S:.*]] = %c0 to %c2 step %c1 iter_args(%[[ACC:.*]] = %arg2) -> (tensor<2x4x8x8xf32>) {
// CHECK-DAG: %[[IMG:.*]] = tensor.extract_slice %arg0[%[[S]], 0, 0, 0] [1, 3, 10, 10] [1, 1, 1, 1] : tensor<2x3x10x10xf32> to tensor<1x3x10x10xf32>
// CHECK-DAG: tensor.extract_slice %[[ACC]][%[[S]], 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<2x4x8x8xf32> to tensor<1x4x8x8xf32>
// CHECK: linalg.generic {indexing_maps = [#[[WIN]], #{{.*}}], {{.*}} ins(%[[IMG]] : tensor<1x3x10x10xf32>) outs(%{{.*}} : tensor<1x3x3x3x8x8xf32>)
// CHECK: tensor.collapse_shape {{.*}} : tensor<1x3x3x3x8x8xf32> into tensor<27x64xf32>
// CHECK: scf.for {{.*}} = %c0 to %c64 step %c32
// CHECK: scf.for {{.*}} = %c0 to %c27 step %c1 iter_args({{.*}}) -> (vector<32xf32>, vector<32xf32>, vector<32xf32>, vector<32xf32>)
// CHECK-COUNT-4: vector.fma {{.*}} : vector<32xf32>
// CHECK: } {mxjit.parallel}
// CHECK: %[[INS:.*]] = tensor.insert_slice %{{.*}} into %[[ACC]][%[[S]], 0, 0, 0] [1, 4, 8, 8] [1, 1, 1, 1] : tensor<1x4x8x8xf32> into tensor<2x4x8x8xf32>
// CHECK-NEXT: scf.yield %[[INS]]
// CHECK-NEXT: } {mxjit.parallel}
// CHECK-NEXT: return %[[OUT]]
// OFF-LABEL: func.func @conv(
// OFF: linalg.conv_2d_nchw_fchw
func.func @conv(%x: tensor<2x3x10x10xf32>, %w: tensor<4x3x3x3xf32>, %c: tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32> {
  %0 = linalg.conv_2d_nchw_fchw {dilations = dense<1> : tensor<2xi64>, strides = dense<1> : tensor<2xi64>} ins(%x, %w : tensor<2x3x10x10xf32>, tensor<4x3x3x3xf32>) outs(%c : tensor<2x4x8x8xf32>) -> tensor<2x4x8x8xf32>
  return %0 : tensor<2x4x8x8xf32>
}
