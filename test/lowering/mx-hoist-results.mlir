// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-hoist-results))' | FileCheck %s

// A weight gradient (returned only) moves to just after the last
// definition among its operands, ahead of the data gradient that does not
// need it, so %dy and %x can die there; ops whose results have other users
// stay where they are.
// CHECK-LABEL: func.func @weight_gradient_early
// CHECK-NEXT: %[[DY:.*]] = mx.tanh %arg2
// CHECK-NEXT: %[[DW:.*]] = mx.dot %[[DY]], %arg0 {transpose_a = true}
// CHECK-NEXT: %[[DB:.*]] = mx.sum %[[DY]]
// CHECK-NEXT: %[[DX:.*]] = mx.dot %[[DY]], %arg1
// CHECK-NEXT: %[[R:.*]] = mx.relu %[[DX]]
// CHECK-NEXT: return %[[R]], %[[DW]], %[[DB]]
func.func @weight_gradient_early(%x: tensor<4x8xf32>, %w: tensor<3x8xf32>, %g: tensor<4x3xf32>) -> (tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>) {
  %dy = mx.tanh %g : tensor<4x3xf32>
  %dx = mx.dot %dy, %w : (tensor<4x3xf32>, tensor<3x8xf32>) -> tensor<4x8xf32>
  %r = mx.relu %dx : tensor<4x8xf32>
  %dw = mx.dot %dy, %x {transpose_a = true} : (tensor<4x3xf32>, tensor<4x8xf32>) -> tensor<3x8xf32>
  %db = mx.sum %dy {axis = array<i64: 0>} : (tensor<4x3xf32>) -> tensor<3xf32>
  return %r, %dw, %db : tensor<4x8xf32>, tensor<3x8xf32>, tensor<3xf32>
}

// A returned value computed from arguments only moves to the top.
// CHECK-LABEL: func.func @from_arguments
// CHECK-NEXT: %[[A:.*]] = mx.negative %arg1
// CHECK-NEXT: %[[B:.*]] = mx.exp %arg0
// CHECK-NEXT: %[[C:.*]] = mx.exp %[[B]]
// CHECK-NEXT: return %[[C]], %[[A]]
func.func @from_arguments(%x: tensor<4xf32>, %y: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mx.exp %x : tensor<4xf32>
  %1 = mx.exp %0 : tensor<4xf32>
  %2 = mx.negative %y : tensor<4xf32>
  return %1, %2 : tensor<4xf32>, tensor<4xf32>
}
