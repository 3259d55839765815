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

// Max pooling's gradient, written as (N, C, OH, KH, OW, KW) and collapsed
// to NCHW, merges into the tanh backward that consumes it: the consumer is
// expanded to the split shape (its other operand viewed through
// tensor.expand_shape, its init a fresh tensor.empty) and one kernel
// writes the result, collapsed back once. Only the arg-max (i8) stays.
// CHECK: remark: mx-fuse: {{[0-9]+}} kernels before, 4 after
// CHECK-LABEL: func.func @pool_backward_into_tanh_backward
// CHECK: %[[ARG:.*]]:2 = linalg.generic
// CHECK: %[[T:.*]] = tensor.expand_shape %arg1 {{\[}}[0], [1], [2, 3], [4, 5]] output_shape [1, 2, 4, 2, 4, 2]
// CHECK: %[[E:.*]] = tensor.empty() : tensor<1x2x4x2x4x2xf32>
// CHECK: %[[G:.*]] = linalg.generic {{.*}} ins(%arg0, %[[ARG]]#1, %[[T]] : tensor<1x2x4x4xf32>, tensor<1x2x4x4xi8>, tensor<1x2x4x2x4x2xf32>) outs(%[[E]] : tensor<1x2x4x2x4x2xf32>)
// CHECK-SAME: mx.fused = ["pooling_backward", "square", "rsubtract_scalar", "multiply"]
// CHECK-NOT: linalg.generic
// CHECK: tensor.collapse_shape %[[G]] {{\[}}[0], [1], [2, 3], [4, 5]] : tensor<1x2x4x2x4x2xf32> into tensor<1x2x8x8xf32>
func.func @pool_backward_into_tanh_backward(%g: tensor<1x2x4x4xf32>, %t: tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32> {
  %0 = mx.pooling_backward %g, %t {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %1 = mx.square %t : tensor<1x2x8x8xf32>
  %2 = mx.rsubtract_scalar %1, 1.0 : tensor<1x2x8x8xf32>
  %3 = mx.multiply %0, %2 : (tensor<1x2x8x8xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  return %3 : tensor<1x2x8x8xf32>
}

// A collapsed producer whose consumer is a reduction is left alone: the
// reduction cannot absorb it, so expanding would only add reshapes.
// CHECK-LABEL: func.func @collapse_into_reduction
// CHECK: tensor.collapse_shape
// CHECK: linalg.generic
// CHECK-SAME: "reduction"
func.func @collapse_into_reduction(%g: tensor<1x2x4x4xf32>, %t: tensor<1x2x8x8xf32>) -> tensor<2xf32> {
  %0 = mx.pooling_backward %g, %t {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<1x2x4x4xf32>, tensor<1x2x8x8xf32>) -> tensor<1x2x8x8xf32>
  %1 = mx.sum %0 {axis = array<i64: 0, 2, 3>} : (tensor<1x2x8x8xf32>) -> tensor<2xf32>
  return %1 : tensor<2xf32>
}
