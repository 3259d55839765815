// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm=parallelize=false | FileCheck %s --check-prefix=OFF

// mx-lower-to-llvm runs mx-parallelize: a big elementwise op and the tile
// loops of a big matrix product call the runtime's mxjit_parallel_for with
// a body of C signature (ctx, begin, end); a small op stays inline.
// CHECK-LABEL: llvm.func @big_add(
// CHECK: %[[F:.*]] = llvm.mlir.addressof @big_add_parallel0 : !llvm.ptr
// CHECK: llvm.call @mxjit_parallel_for(%[[F]],
// CHECK: llvm.func internal @big_add_parallel0(%{{.*}}: !llvm.ptr, %{{.*}}: i64, %{{.*}}: i64)
// CHECK-LABEL: llvm.func @small_add(
// CHECK-NOT: mxjit_parallel_for
// CHECK-LABEL: llvm.func @dot(
// CHECK: llvm.call @mxjit_parallel_for
// CHECK: llvm.intr.fmuladd
// CHECK: llvm.func @mxjit_parallel_for(!llvm.ptr, !llvm.ptr, i64)
// OFF-NOT: mxjit_parallel_for
func.func @big_add(%a: tensor<1024x1024xf32>, %b: tensor<1024x1024xf32>) -> tensor<1024x1024xf32> {
  %0 = mx.add %a, %b : (tensor<1024x1024xf32>, tensor<1024x1024xf32>) -> tensor<1024x1024xf32>
  return %0 : tensor<1024x1024xf32>
}
func.func @small_add(%a: tensor<4x4xf32>, %b: tensor<4x4xf32>) -> tensor<4x4xf32> {
  %0 = mx.add %a, %b : (tensor<4x4xf32>, tensor<4x4xf32>) -> tensor<4x4xf32>
  return %0 : tensor<4x4xf32>
}
func.func @dot(%a: tensor<256x256xf32>, %b: tensor<256x256xf32>) -> tensor<256x256xf32> {
  %0 = mx.dot %a, %b : (tensor<256x256xf32>, tensor<256x256xf32>) -> tensor<256x256xf32>
  return %0 : tensor<256x256xf32>
}
