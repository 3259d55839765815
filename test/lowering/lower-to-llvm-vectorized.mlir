// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm=vector-width=8 | FileCheck %s --check-prefix=AVX2
// RUN: mxjit-opt %s --mx-lower-to-llvm=vector-width=0 | FileCheck %s --check-prefix=SCALAR

// mx-lower-to-llvm runs mx-tile-and-vectorize: mx.dot ends as 8 fused
// multiply-adds of two-register rows per k step (vector-width=16 by default,
// 8 for AVX2), and as scalar loops with vector-width=0.
// CHECK: llvm.func internal @dot_kernel
// CHECK-COUNT-8: llvm.intr.fmuladd({{.*}}) : (vector<32xf32>, vector<32xf32>, vector<32xf32>) -> vector<32xf32>
// AVX2-COUNT-8: llvm.intr.fmuladd({{.*}}) : (vector<16xf32>, vector<16xf32>, vector<16xf32>) -> vector<16xf32>
// SCALAR-NOT: vector<
func.func @dot(%a: tensor<32x64xf32>, %b: tensor<64x64xf32>) -> tensor<32x64xf32> {
  %0 = mx.dot %a, %b : (tensor<32x64xf32>, tensor<64x64xf32>) -> tensor<32x64xf32>
  return %0 : tensor<32x64xf32>
}
