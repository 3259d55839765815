// RUN: mxjit-opt %s --pass-pipeline='builtin.module(mx-to-linalg,canonicalize,cse,func.func(mx-vectorize-reductions),canonicalize,cse)' | FileCheck %s
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(mx-to-linalg,canonicalize,cse,func.func(mx-vectorize-reductions{vector-width=8}),canonicalize,cse)' | FileCheck %s --check-prefix=AVX2
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(mx-to-linalg,canonicalize,cse,func.func(mx-vectorize-reductions{vector-width=0}))' | FileCheck %s --check-prefix=OFF
// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// OFF-NOT: vector.

// A row reduction: one row per iteration of a parallel loop, 4 registers
// of partial sums carried across the row, merged by one vector.reduction.
// CHECK-LABEL: func.func @sum_rows
// CHECK: scf.for %[[ROW:.*]] = {{.*}} iter_args(%[[OUT:.*]] = %{{.*}}) -> (tensor<64xf32>) {
// CHECK:   %[[ACC:.*]] = scf.for %[[K:.*]] = %{{.*}} to %{{.*}} step %c64 iter_args(%[[P:.*]] = %{{.*}}) -> (vector<1x64xf32>) {
// CHECK:     %[[X:.*]] = vector.transfer_read %{{.*}}[%[[ROW]], %[[K]]]{{.*}} : tensor<64x1024xf32>, vector<1x64xf32>
// CHECK:     arith.addf %[[X]], %[[P]] : vector<1x64xf32>
// CHECK:   vector.reduction <add>, %{{.*}}, %{{.*}} fastmath<reassoc> : vector<64xf32> into f32
// CHECK: } {mxjit.parallel}
// AVX2-LABEL: func.func @sum_rows
// AVX2: arith.addf {{.*}} : vector<1x32xf32>
// AVX2: vector.reduction <add>, {{.*}} : vector<32xf32> into f32
// LLVM-LABEL: llvm.func internal @sum_rows_parallel0
// LLVM: llvm.fadd {{.*}} : vector<64xf32>
// LLVM: "llvm.intr.vector.reduce.fadd"({{.*}}) <{fastmathFlags = #llvm.fastmath<reassoc>}> : (f32, vector<64xf32>) -> f32
func.func @sum_rows(%x: tensor<64x1024xf32>) -> tensor<64xf32> {
  %0 = mx.sum %x {axis = array<i64: 1>} : (tensor<64x1024xf32>) -> tensor<64xf32>
  return %0 : tensor<64xf32>
}

// A column reduction: blocks of 32 rows (32 KiB of input), then 64
// columns per parallel iteration accumulated in registers in row order (no
// reassociation), read and written once per block.
// CHECK-LABEL: func.func @sum_cols
// CHECK: scf.for %[[BLOCK:.*]] = %{{.*}} to %c128 step %c32 iter_args(%{{.*}} = %{{.*}}) -> (tensor<256xf32>) {
// CHECK:   scf.for %[[COL:.*]] = %{{.*}} to %c256 step %c64 iter_args(%[[OUT:.*]] = %{{.*}}) -> (tensor<256xf32>) {
// CHECK:     %[[INIT:.*]] = vector.transfer_read %[[OUT]][%[[COL]]]{{.*}} : tensor<256xf32>, vector<64xf32>
// CHECK:     %[[ACC:.*]] = scf.for %[[K:.*]] = %{{.*}} to %c32 step %c1 iter_args(%[[A:.*]] = %[[INIT]]) -> (vector<64xf32>) {
// CHECK:       %[[ROW:.*]] = affine.apply #{{.*}}()[%[[BLOCK]], %[[K]]]
// CHECK:       vector.transfer_read %{{.*}}[%[[ROW]], %[[COL]]]
// CHECK:       arith.addf %[[A]], %{{.*}} : vector<64xf32>
// CHECK:     vector.transfer_write %[[ACC]], %[[OUT]][%[[COL]]]
// CHECK:   } {mxjit.parallel}
// CHECK-NOT: vector.reduction
// CHECK-LABEL: func.func @sum_all
func.func @sum_cols(%x: tensor<128x256xf32>) -> tensor<256xf32> {
  %0 = mx.sum %x {axis = array<i64: 0>} : (tensor<128x256xf32>) -> tensor<256xf32>
  return %0 : tensor<256xf32>
}

// A long full reduction: split into 64 rows reduced in parallel (a fixed
// count, so the order does not depend on the threads), then the 64 row
// results in order.
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [64, 4096]
// CHECK: scf.for
// CHECK:   scf.for {{.*}} -> (vector<1x64xf32>)
// CHECK:   vector.reduction <add>
// CHECK: } {mxjit.parallel}
// CHECK: linalg.generic {{.*}} iterator_types = ["reduction"]{{.*}} ins(%{{.*}} : tensor<64xf32>)
func.func @sum_all(%x: tensor<262144xf32>) -> tensor<1xf32> {
  %0 = mx.sum %x : (tensor<262144xf32>) -> tensor<1xf32>
  return %0 : tensor<1xf32>
}

// 1000 = 25 x 40: 2.5 registers of partial maxima.
// CHECK-LABEL: func.func @max_rows
// CHECK: scf.for {{.*}} step %c40 {{.*}} -> (vector<1x40xf32>)
// CHECK:   arith.maximumf {{.*}} : vector<1x40xf32>
// CHECK: vector.reduction <maximumf>, {{.*}} : vector<40xf32> into f32
func.func @max_rows(%x: tensor<8x1000xf32>) -> tensor<8xf32> {
  %0 = mx.max %x {axis = array<i64: 1>} : (tensor<8x1000xf32>) -> tensor<8xf32>
  return %0 : tensor<8xf32>
}

// Softmax: both of its reductions (max, then sum of the exponentials) are
// vectorized row reductions; the elementwise steps stay linalg.generic
// ops, whose loops LLVM vectorizes.
// CHECK-LABEL: func.func @softmax
// CHECK: vector.reduction <maximumf>, {{.*}} : vector<40xf32> into f32
// CHECK: math.exp
// CHECK: vector.reduction <add>, {{.*}} : vector<40xf32> into f32
// CHECK: arith.divf
func.func @softmax(%x: tensor<128x1000xf32>) -> tensor<128x1000xf32> {
  %0 = mx.softmax %x : tensor<128x1000xf32>
  return %0 : tensor<128x1000xf32>
}

// Several reduced axes (a convolution's bias gradient): the partial sums
// live across all of them, merged once per channel.
// CHECK-LABEL: func.func @sum_nchw
// CHECK: scf.for {{.*}} -> (tensor<6xf32>)
// CHECK:   scf.for {{.*}} -> (vector<1x1x1x8xf32>)
// CHECK:     scf.for {{.*}} -> (vector<1x1x1x8xf32>)
// CHECK:   vector.reduction <add>, {{.*}} : vector<8xf32> into f32
// CHECK: } {mxjit.parallel}
func.func @sum_nchw(%x: tensor<4x6x8x8xf32>) -> tensor<6xf32> {
  %0 = mx.sum %x {axis = array<i64: 0, 2, 3>} : (tensor<4x6x8x8xf32>) -> tensor<6xf32>
  return %0 : tensor<6xf32>
}

// No tile of at least half a register divides 7: left alone.
// CHECK-LABEL: func.func @sum_odd
// CHECK-NOT: vector.
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "reduction"]
func.func @sum_odd(%x: tensor<16x7xf32>) -> tensor<16xf32> {
  %0 = mx.sum %x {axis = array<i64: 1>} : (tensor<16x7xf32>) -> tensor<16xf32>
  return %0 : tensor<16xf32>
}

// Dynamic shapes (shape-generic functions) keep the scalar loops.
// CHECK-LABEL: func.func @sum_dynamic
// CHECK-NOT: vector.
// CHECK: linalg.generic
#id = affine_map<(d0, d1) -> (d0, d1)>
#row = affine_map<(d0, d1) -> (d0)>
func.func @sum_dynamic(%x: tensor<?x1024xf32>, %init: tensor<?xf32>) -> tensor<?xf32> {
  %0 = linalg.generic {indexing_maps = [#id, #row], iterator_types = ["parallel", "reduction"]} ins(%x : tensor<?x1024xf32>) outs(%init : tensor<?xf32>) {
  ^bb0(%in: f32, %out: f32):
    %1 = arith.addf %in, %out : f32
    linalg.yield %1 : f32
  } -> tensor<?xf32>
  return %0 : tensor<?xf32>
}
