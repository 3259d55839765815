// RUN: mxjit-opt %s --mx-to-linalg --canonicalize --mx-fuse=report-kernels=true 2>&1 | FileCheck %s

// An elementwise chain with a broadcast operand becomes one kernel that
// names the mx ops it computes.
// CHECK: remark: mx-fuse: 4 kernels before, 1 after
// CHECK-LABEL: func.func @chain
// CHECK-COUNT-1: linalg.generic
// CHECK-SAME: mx.fused = ["multiply_scalar", "add", "relu", "exp"]
// CHECK-NOT: linalg.generic
func.func @chain(%x: tensor<16x32xf32>, %b: tensor<32xf32>) -> tensor<16x32xf32> {
  %0 = mx.multiply_scalar %x, 2.0 : tensor<16x32xf32>
  %1 = mx.add %0, %b : (tensor<16x32xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  %2 = mx.relu %1 : tensor<16x32xf32>
  %3 = mx.exp %2 : tensor<16x32xf32>
  return %3 : tensor<16x32xf32>
}

// An elementwise producer merges into the reduction that consumes it: no
// 16x32 buffer is left (the fill of the accumulator stays a kernel).
// CHECK: remark: mx-fuse: 4 kernels before, 2 after
// CHECK-LABEL: func.func @into_reduction
// CHECK: linalg.fill
// CHECK: linalg.generic
// CHECK-SAME: iterator_types = ["parallel", "reduction"]
// CHECK-SAME: mx.fused = ["square", "multiply_scalar", "sum"]
// CHECK-NOT: linalg.generic
func.func @into_reduction(%x: tensor<16x32xf32>) -> tensor<16xf32> {
  %0 = mx.square %x : tensor<16x32xf32>
  %1 = mx.multiply_scalar %0, 0.5 : tensor<16x32xf32>
  %2 = mx.sum %1 {axis = array<i64: 1>} : (tensor<16x32xf32>) -> tensor<16xf32>
  return %2 : tensor<16xf32>
}

// A producer whose value is also returned keeps its own kernel: its buffer
// must exist anyway.
// CHECK: remark: mx-fuse: 2 kernels before, 2 after
// CHECK-LABEL: func.func @multi_use
// CHECK-NOT: mx.fused
func.func @multi_use(%x: tensor<8xf32>) -> (tensor<8xf32>, tensor<8xf32>) {
  %0 = mx.exp %x : tensor<8xf32>
  %1 = mx.relu %0 : tensor<8xf32>
  return %0, %1 : tensor<8xf32>, tensor<8xf32>
}

// exp of a row vector read by every row of a broadcast would run 16 times
// per element if merged, so it stays apart; the cheap negation merges.
// CHECK: remark: mx-fuse: 3 kernels before, 2 after
// CHECK-LABEL: func.func @broadcast_cost
// CHECK: linalg.generic
// CHECK-NOT: mx.fused
// CHECK: math.exp
// CHECK: linalg.generic
// CHECK-SAME: mx.fused = ["negative", "add"]
func.func @broadcast_cost(%x: tensor<16x32xf32>, %b: tensor<32xf32>) -> tensor<16x32xf32> {
  %0 = mx.exp %b : tensor<32xf32>
  %1 = mx.negative %0 : tensor<32xf32>
  %2 = mx.add %x, %1 : (tensor<16x32xf32>, tensor<32xf32>) -> tensor<16x32xf32>
  return %2 : tensor<16x32xf32>
}
