// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize),canonicalize,cse)' | FileCheck %s
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-tile-and-vectorize),one-shot-bufferize{bufferize-function-boundaries})' | FileCheck %s --check-prefix=BUF

// Two products share one zero-filled init, as CSE leaves them for chained
// dots. The first is register-blocked (8 + 2 rows of 16) and its rows are
// written back one transfer per row; each write keeps a unit vector
// dimension per tensor dimension, vector<1x16xf32> into tensor<10x16xf32>.
// A rank-1 write at [0, 0] passed upstream bufferization's check as
// overwriting the whole tensor, so the copy of the shared fill was left out
// and rows 8 and 9 read uninitialized memory.

#lhs = affine_map<(m, n, k) -> (m, k)>
#rhs = affine_map<(m, n, k) -> (k, n)>
#out = affine_map<(m, n, k) -> (m, n)>

// CHECK-LABEL: func.func @shared_init
// CHECK: scf.for
// CHECK-COUNT-8: vector.transfer_write {{.*}} : vector<1x16xf32>, tensor<10x16xf32>
// CHECK: scf.for
// CHECK-COUNT-2: vector.transfer_write {{.*}} : vector<1x16xf32>, tensor<10x16xf32>
// CHECK-NOT: vector.transfer_write {{.*}} : vector<16xf32>, tensor<10x16xf32>

// The first product writes into a copy of the fill, which the second
// product still reads as its init.
// BUF-LABEL: func.func @shared_init
// BUF: linalg.fill {{.*}} outs(%[[FILL:.*]] : memref<10x16xf32>)
// BUF: %[[COPY:.*]] = memref.alloc() {{.*}} : memref<10x16xf32>
// BUF-NEXT: memref.copy %[[FILL]], %[[COPY]]
// BUF-NEXT: vector.transfer_write {{.*}}, %[[COPY]][{{.*}}] {{.*}} : vector<1x16xf32>, memref<10x16xf32>
// BUF: linalg.generic {{.*}} ins(%[[COPY]], {{.*}}) outs(%[[FILL]] : memref<10x16xf32>)
func.func @shared_init(%a: tensor<10x10xf32>, %b: tensor<10x16xf32>,
                       %c: tensor<16x16xf32>) -> tensor<10x16xf32> {
  %zero = arith.constant 0.0 : f32
  %empty = tensor.empty() : tensor<10x16xf32>
  %fill = linalg.fill ins(%zero : f32) outs(%empty : tensor<10x16xf32>) -> tensor<10x16xf32>
  %ab = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                        iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%a, %b : tensor<10x10xf32>, tensor<10x16xf32>)
      outs(%fill : tensor<10x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %p = arith.mulf %x, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<10x16xf32>
  // Not a plain contraction (a relu on the lhs), so it is left alone and
  // keeps reading %fill after the first product.
  %abc = linalg.generic {indexing_maps = [#lhs, #rhs, #out],
                         iterator_types = ["parallel", "parallel", "reduction"]}
      ins(%ab, %c : tensor<10x16xf32>, tensor<16x16xf32>)
      outs(%fill : tensor<10x16xf32>) {
  ^bb0(%x: f32, %y: f32, %acc: f32):
    %r = arith.maximumf %x, %zero : f32
    %p = arith.mulf %r, %y : f32
    %s = arith.addf %acc, %p : f32
    linalg.yield %s : f32
  } -> tensor<10x16xf32>
  return %abc : tensor<10x16xf32>
}
