// Round trip of every mx op: custom form, generic form and bytecode all parse
// back to the same custom form, with result types as the shape rules infer.
// RUN: mxjit-opt %s | mxjit-opt | FileCheck %s
// RUN: mxjit-opt --mlir-print-op-generic %s | mxjit-opt | FileCheck %s
// RUN: mxjit-opt -emit-bytecode %s | mxjit-opt | FileCheck %s

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

// Splat, dense, rank-0, empty and resource-backed values.
// CHECK-LABEL: func.func @constant
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense<1.500000e+00> : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense<{{\[\[}}1, 2], [3, 4]]> : tensor<2x2xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense<-7> : tensor<i64>
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense<> : tensor<0xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.constant dense_resource<mx_blob> : tensor<2xi32>
// CHECK-NEXT: return
func.func @constant() {
  %0 = mx.constant dense<1.500000e+00> : tensor<2x3xf32>
  %1 = mx.constant dense<[1.000000e+00, -2.500000e+00]> : tensor<2xf64>
  %2 = mx.constant dense<[[1, 2], [3, 4]]> : tensor<2x2xi32>
  %3 = mx.constant dense<-7> : tensor<i64>
  %4 = mx.constant dense<> : tensor<0xf32>
  %5 = mx.constant dense_resource<mx_blob> : tensor<2xi32>
  return
}

//===----------------------------------------------------------------------===//
// unary elementwise
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_f32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.negative %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.abs %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.square %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.relu %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.exp %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sqrt %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sigmoid %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.tanh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sin %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cos %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: return
func.func @unary_f32(%a0: tensor<2x3xf32>) {
  %0 = mx.negative %a0 : tensor<2x3xf32>
  %1 = mx.abs %a0 : tensor<2x3xf32>
  %2 = mx.square %a0 : tensor<2x3xf32>
  %3 = mx.relu %a0 : tensor<2x3xf32>
  %4 = mx.exp %a0 : tensor<2x3xf32>
  %5 = mx.log %a0 : tensor<2x3xf32>
  %6 = mx.sqrt %a0 : tensor<2x3xf32>
  %7 = mx.sigmoid %a0 : tensor<2x3xf32>
  %8 = mx.tanh %a0 : tensor<2x3xf32>
  %9 = mx.sin %a0 : tensor<2x3xf32>
  %10 = mx.cos %a0 : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary_f64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.negative %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.abs %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.square %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.relu %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.exp %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.log %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sqrt %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sigmoid %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.tanh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sin %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cos %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: return
func.func @unary_f64(%a0: tensor<2x3xf64>) {
  %0 = mx.negative %a0 : tensor<2x3xf64>
  %1 = mx.abs %a0 : tensor<2x3xf64>
  %2 = mx.square %a0 : tensor<2x3xf64>
  %3 = mx.relu %a0 : tensor<2x3xf64>
  %4 = mx.exp %a0 : tensor<2x3xf64>
  %5 = mx.log %a0 : tensor<2x3xf64>
  %6 = mx.sqrt %a0 : tensor<2x3xf64>
  %7 = mx.sigmoid %a0 : tensor<2x3xf64>
  %8 = mx.tanh %a0 : tensor<2x3xf64>
  %9 = mx.sin %a0 : tensor<2x3xf64>
  %10 = mx.cos %a0 : tensor<2x3xf64>
  return
}

// CHECK-LABEL: func.func @unary_i32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.negative %[[A0]] : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.abs %[[A0]] : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.square %[[A0]] : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.relu %[[A0]] : tensor<2x3xi32>
// CHECK-NEXT: return
func.func @unary_i32(%a0: tensor<2x3xi32>) {
  %0 = mx.negative %a0 : tensor<2x3xi32>
  %1 = mx.abs %a0 : tensor<2x3xi32>
  %2 = mx.square %a0 : tensor<2x3xi32>
  %3 = mx.relu %a0 : tensor<2x3xi32>
  return
}

// CHECK-LABEL: func.func @unary_i64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.negative %[[A0]] : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.abs %[[A0]] : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.square %[[A0]] : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.relu %[[A0]] : tensor<2x3xi64>
// CHECK-NEXT: return
func.func @unary_i64(%a0: tensor<2x3xi64>) {
  %0 = mx.negative %a0 : tensor<2x3xi64>
  %1 = mx.abs %a0 : tensor<2x3xi64>
  %2 = mx.square %a0 : tensor<2x3xi64>
  %3 = mx.relu %a0 : tensor<2x3xi64>
  return
}

// Unary ops keep the operand type, including rank 0 and dynamic dims.
// CHECK-LABEL: func.func @unary_rank0_dynamic
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<f32>, %[[A1:[a-z0-9]+]]: tensor<?x3xf64>, %[[A2:[a-z0-9]+]]: tensor<?xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.exp %[[A0]] : tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.tanh %[[A1]] : tensor<?x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.abs %[[A2]] : tensor<?xi64>
// CHECK-NEXT: return
func.func @unary_rank0_dynamic(%a0: tensor<f32>, %a1: tensor<?x3xf64>, %a2: tensor<?xi64>) {
  %0 = mx.exp %a0 : tensor<f32>
  %1 = mx.tanh %a1 : tensor<?x3xf64>
  %2 = mx.abs %a2 : tensor<?xi64>
  return
}

//===----------------------------------------------------------------------===//
// binary elementwise with broadcasting
//===----------------------------------------------------------------------===//

// Every binary op on every element type; (2,3) op (3) -> (2,3).
// CHECK-LABEL: func.func @binary_f32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>, %[[A1:[a-z0-9]+]]: tensor<3xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.power %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return
func.func @binary_f32(%a0: tensor<2x3xf32>, %a1: tensor<3xf32>) {
  %0 = mx.add %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %1 = mx.subtract %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %2 = mx.multiply %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = mx.divide %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %4 = mx.power %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %5 = mx.maximum %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %6 = mx.minimum %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %7 = mx.equal %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %8 = mx.not_equal %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %9 = mx.greater %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %10 = mx.greater_equal %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %11 = mx.lesser %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %12 = mx.lesser_equal %a0, %a1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @binary_f64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf64>, %[[A1:[a-z0-9]+]]: tensor<3xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.power %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal %[[A0]], %[[A1]] : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: return
func.func @binary_f64(%a0: tensor<2x3xf64>, %a1: tensor<3xf64>) {
  %0 = mx.add %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %1 = mx.subtract %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %2 = mx.multiply %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %3 = mx.divide %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %4 = mx.power %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %5 = mx.maximum %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %6 = mx.minimum %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %7 = mx.equal %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %8 = mx.not_equal %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %9 = mx.greater %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %10 = mx.greater_equal %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %11 = mx.lesser %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  %12 = mx.lesser_equal %a0, %a1 : (tensor<2x3xf64>, tensor<3xf64>) -> tensor<2x3xf64>
  return
}

// CHECK-LABEL: func.func @binary_i32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi32>, %[[A1:[a-z0-9]+]]: tensor<3xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.power %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal %[[A0]], %[[A1]] : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: return
func.func @binary_i32(%a0: tensor<2x3xi32>, %a1: tensor<3xi32>) {
  %0 = mx.add %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %1 = mx.subtract %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %2 = mx.multiply %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %3 = mx.divide %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %4 = mx.power %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %5 = mx.maximum %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %6 = mx.minimum %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %7 = mx.equal %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %8 = mx.not_equal %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %9 = mx.greater %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %10 = mx.greater_equal %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %11 = mx.lesser %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  %12 = mx.lesser_equal %a0, %a1 : (tensor<2x3xi32>, tensor<3xi32>) -> tensor<2x3xi32>
  return
}

// CHECK-LABEL: func.func @binary_i64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi64>, %[[A1:[a-z0-9]+]]: tensor<3xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.power %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal %[[A0]], %[[A1]] : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: return
func.func @binary_i64(%a0: tensor<2x3xi64>, %a1: tensor<3xi64>) {
  %0 = mx.add %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %1 = mx.subtract %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %2 = mx.multiply %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %3 = mx.divide %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %4 = mx.power %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %5 = mx.maximum %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %6 = mx.minimum %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %7 = mx.equal %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %8 = mx.not_equal %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %9 = mx.greater %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %10 = mx.greater_equal %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %11 = mx.lesser %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  %12 = mx.lesser_equal %a0, %a1 : (tensor<2x3xi64>, tensor<3xi64>) -> tensor<2x3xi64>
  return
}

// NumPy broadcasting: right-aligned, size-1 stretches, rank 0, dynamic
// (a dynamic dim against a static one takes the static size unless that
// is 1) and zero-size dims.
// CHECK-LABEL: func.func @broadcast_shapes
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<4x1xf32>, %[[A1:[a-z0-9]+]]: tensor<1x5xf32>, %[[A2:[a-z0-9]+]]: tensor<2x1x3xf32>, %[[A3:[a-z0-9]+]]: tensor<f32>, %[[A4:[a-z0-9]+]]: tensor<?x3xf32>, %[[A5:[a-z0-9]+]]: tensor<0x3xf32>, %[[A6:[a-z0-9]+]]: tensor<1x3xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A0]], %[[A1]] : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A2]], %[[A0]] : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply %[[A3]], %[[A2]] : (tensor<f32>, tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.add %[[A3]], %[[A3]] : (tensor<f32>, tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A4]], %[[A0]] : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract %[[A4]], %[[A6]] : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum %[[A4]], %[[A4]] : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater %[[A5]], %[[A3]] : (tensor<0x3xf32>, tensor<f32>) -> tensor<0x3xf32>
// CHECK-NEXT: return
func.func @broadcast_shapes(%a0: tensor<4x1xf32>, %a1: tensor<1x5xf32>, %a2: tensor<2x1x3xf32>, %a3: tensor<f32>, %a4: tensor<?x3xf32>, %a5: tensor<0x3xf32>, %a6: tensor<1x3xf32>) {
  %0 = mx.add %a0, %a1 : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
  %1 = mx.add %a2, %a0 : (tensor<2x1x3xf32>, tensor<4x1xf32>) -> tensor<2x4x3xf32>
  %2 = mx.multiply %a3, %a2 : (tensor<f32>, tensor<2x1x3xf32>) -> tensor<2x1x3xf32>
  %3 = mx.add %a3, %a3 : (tensor<f32>, tensor<f32>) -> tensor<f32>
  %4 = mx.subtract %a4, %a0 : (tensor<?x3xf32>, tensor<4x1xf32>) -> tensor<4x3xf32>
  %5 = mx.subtract %a4, %a6 : (tensor<?x3xf32>, tensor<1x3xf32>) -> tensor<?x3xf32>
  %6 = mx.maximum %a4, %a4 : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  %7 = mx.greater %a5, %a3 : (tensor<0x3xf32>, tensor<f32>) -> tensor<0x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// tensor-scalar
//===----------------------------------------------------------------------===//

// Every tensor-scalar op on every element type; the scalar is an f64.
// CHECK-LABEL: func.func @scalar_f32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsubtract_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rdivide_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.power_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rpower_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf32>
// CHECK-NEXT: return
func.func @scalar_f32(%a0: tensor<2x3xf32>) {
  %0 = mx.add_scalar %a0, 2.0 : tensor<2x3xf32>
  %1 = mx.subtract_scalar %a0, -1.5 : tensor<2x3xf32>
  %2 = mx.rsubtract_scalar %a0, 0.0 : tensor<2x3xf32>
  %3 = mx.multiply_scalar %a0, 1.0e+10 : tensor<2x3xf32>
  %4 = mx.divide_scalar %a0, 2.0 : tensor<2x3xf32>
  %5 = mx.rdivide_scalar %a0, -1.5 : tensor<2x3xf32>
  %6 = mx.power_scalar %a0, 0.0 : tensor<2x3xf32>
  %7 = mx.rpower_scalar %a0, 1.0e+10 : tensor<2x3xf32>
  %8 = mx.maximum_scalar %a0, 2.0 : tensor<2x3xf32>
  %9 = mx.minimum_scalar %a0, -1.5 : tensor<2x3xf32>
  %10 = mx.equal_scalar %a0, 0.0 : tensor<2x3xf32>
  %11 = mx.not_equal_scalar %a0, 1.0e+10 : tensor<2x3xf32>
  %12 = mx.greater_scalar %a0, 2.0 : tensor<2x3xf32>
  %13 = mx.greater_equal_scalar %a0, -1.5 : tensor<2x3xf32>
  %14 = mx.lesser_scalar %a0, 0.0 : tensor<2x3xf32>
  %15 = mx.lesser_equal_scalar %a0, 1.0e+10 : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @scalar_f64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsubtract_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rdivide_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.power_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rpower_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_scalar %[[A0]], -1.500000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal_scalar %[[A0]], 0.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_scalar %[[A0]], 1.000000e+10 : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal_scalar %[[A0]], 2.000000e+00 : tensor<2x3xf64>
// CHECK-NEXT: return
func.func @scalar_f64(%a0: tensor<2x3xf64>) {
  %0 = mx.add_scalar %a0, -1.5 : tensor<2x3xf64>
  %1 = mx.subtract_scalar %a0, 0.0 : tensor<2x3xf64>
  %2 = mx.rsubtract_scalar %a0, 1.0e+10 : tensor<2x3xf64>
  %3 = mx.multiply_scalar %a0, 2.0 : tensor<2x3xf64>
  %4 = mx.divide_scalar %a0, -1.5 : tensor<2x3xf64>
  %5 = mx.rdivide_scalar %a0, 0.0 : tensor<2x3xf64>
  %6 = mx.power_scalar %a0, 1.0e+10 : tensor<2x3xf64>
  %7 = mx.rpower_scalar %a0, 2.0 : tensor<2x3xf64>
  %8 = mx.maximum_scalar %a0, -1.5 : tensor<2x3xf64>
  %9 = mx.minimum_scalar %a0, 0.0 : tensor<2x3xf64>
  %10 = mx.equal_scalar %a0, 1.0e+10 : tensor<2x3xf64>
  %11 = mx.not_equal_scalar %a0, 2.0 : tensor<2x3xf64>
  %12 = mx.greater_scalar %a0, -1.5 : tensor<2x3xf64>
  %13 = mx.greater_equal_scalar %a0, 0.0 : tensor<2x3xf64>
  %14 = mx.lesser_scalar %a0, 1.0e+10 : tensor<2x3xf64>
  %15 = mx.lesser_equal_scalar %a0, 2.0 : tensor<2x3xf64>
  return
}

// CHECK-LABEL: func.func @scalar_i32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsubtract_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rdivide_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.power_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rpower_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi32>
// CHECK-NEXT: return
func.func @scalar_i32(%a0: tensor<2x3xi32>) {
  %0 = mx.add_scalar %a0, 0.0 : tensor<2x3xi32>
  %1 = mx.subtract_scalar %a0, 1.0e+10 : tensor<2x3xi32>
  %2 = mx.rsubtract_scalar %a0, 2.0 : tensor<2x3xi32>
  %3 = mx.multiply_scalar %a0, -1.5 : tensor<2x3xi32>
  %4 = mx.divide_scalar %a0, 0.0 : tensor<2x3xi32>
  %5 = mx.rdivide_scalar %a0, 1.0e+10 : tensor<2x3xi32>
  %6 = mx.power_scalar %a0, 2.0 : tensor<2x3xi32>
  %7 = mx.rpower_scalar %a0, -1.5 : tensor<2x3xi32>
  %8 = mx.maximum_scalar %a0, 0.0 : tensor<2x3xi32>
  %9 = mx.minimum_scalar %a0, 1.0e+10 : tensor<2x3xi32>
  %10 = mx.equal_scalar %a0, 2.0 : tensor<2x3xi32>
  %11 = mx.not_equal_scalar %a0, -1.5 : tensor<2x3xi32>
  %12 = mx.greater_scalar %a0, 0.0 : tensor<2x3xi32>
  %13 = mx.greater_equal_scalar %a0, 1.0e+10 : tensor<2x3xi32>
  %14 = mx.lesser_scalar %a0, 2.0 : tensor<2x3xi32>
  %15 = mx.lesser_equal_scalar %a0, -1.5 : tensor<2x3xi32>
  return
}

// CHECK-LABEL: func.func @scalar_i64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.add_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.subtract_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsubtract_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.multiply_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.divide_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rdivide_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.power_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rpower_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.maximum_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.minimum_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.equal_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.not_equal_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_scalar %[[A0]], 1.000000e+10 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.greater_equal_scalar %[[A0]], 2.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_scalar %[[A0]], -1.500000e+00 : tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.lesser_equal_scalar %[[A0]], 0.000000e+00 : tensor<2x3xi64>
// CHECK-NEXT: return
func.func @scalar_i64(%a0: tensor<2x3xi64>) {
  %0 = mx.add_scalar %a0, 1.0e+10 : tensor<2x3xi64>
  %1 = mx.subtract_scalar %a0, 2.0 : tensor<2x3xi64>
  %2 = mx.rsubtract_scalar %a0, -1.5 : tensor<2x3xi64>
  %3 = mx.multiply_scalar %a0, 0.0 : tensor<2x3xi64>
  %4 = mx.divide_scalar %a0, 1.0e+10 : tensor<2x3xi64>
  %5 = mx.rdivide_scalar %a0, 2.0 : tensor<2x3xi64>
  %6 = mx.power_scalar %a0, -1.5 : tensor<2x3xi64>
  %7 = mx.rpower_scalar %a0, 0.0 : tensor<2x3xi64>
  %8 = mx.maximum_scalar %a0, 1.0e+10 : tensor<2x3xi64>
  %9 = mx.minimum_scalar %a0, 2.0 : tensor<2x3xi64>
  %10 = mx.equal_scalar %a0, -1.5 : tensor<2x3xi64>
  %11 = mx.not_equal_scalar %a0, 0.0 : tensor<2x3xi64>
  %12 = mx.greater_scalar %a0, 1.0e+10 : tensor<2x3xi64>
  %13 = mx.greater_equal_scalar %a0, 2.0 : tensor<2x3xi64>
  %14 = mx.lesser_scalar %a0, -1.5 : tensor<2x3xi64>
  %15 = mx.lesser_equal_scalar %a0, 0.0 : tensor<2x3xi64>
  return
}

//===----------------------------------------------------------------------===//
// reductions
//===----------------------------------------------------------------------===//

// Reducing every axis without keepdims gives (1,) as in MXNet 1.x; an
// empty axis list reduces every axis even with exclude; exclude keeps
// the listed axes; negative axes count from the end.
// CHECK-LABEL: func.func @reduce_sum
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {exclude = true} : (tensor<2x3x4xf32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {exclude = true, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
// CHECK-NEXT: return
func.func @reduce_sum(%a0: tensor<2x3x4xf32>) {
  %0 = mx.sum %a0 : (tensor<2x3x4xf32>) -> tensor<1xf32>
  %1 = mx.sum %a0 {keepdims = false, exclude = false} : (tensor<2x3x4xf32>) -> tensor<1xf32>
  %2 = mx.sum %a0 {keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  %3 = mx.sum %a0 {axis = array<i64: 1>} : (tensor<2x3x4xf32>) -> tensor<2x4xf32>
  %4 = mx.sum %a0 {axis = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<2x3xf32>
  %5 = mx.sum %a0 {axis = array<i64: 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %6 = mx.sum %a0 {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x3x1xf32>
  %7 = mx.sum %a0 {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %8 = mx.sum %a0 {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %9 = mx.sum %a0 {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<1xf32>
  %10 = mx.sum %a0 {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %11 = mx.sum %a0 {exclude = true} : (tensor<2x3x4xf32>) -> tensor<1xf32>
  %12 = mx.sum %a0 {exclude = true, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<1x1x1xf32>
  return
}

// CHECK-LABEL: func.func @reduce_mean
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] : (tensor<2x3x4xf64>) -> tensor<1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] : (tensor<2x3x4xf64>) -> tensor<1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x1x1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 1>} : (tensor<2x3x4xf64>) -> tensor<2x4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: -1>} : (tensor<2x3x4xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 0, 2>} : (tensor<2x3x4xf64>) -> tensor<3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf64>) -> tensor<3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<2x1x4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xf64>) -> tensor<1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf64>) -> tensor<2x3x4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {exclude = true} : (tensor<2x3x4xf64>) -> tensor<1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A0]] {exclude = true, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x1x1xf64>
// CHECK-NEXT: return
func.func @reduce_mean(%a0: tensor<2x3x4xf64>) {
  %0 = mx.mean %a0 : (tensor<2x3x4xf64>) -> tensor<1xf64>
  %1 = mx.mean %a0 {keepdims = false, exclude = false} : (tensor<2x3x4xf64>) -> tensor<1xf64>
  %2 = mx.mean %a0 {keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x1x1xf64>
  %3 = mx.mean %a0 {axis = array<i64: 1>} : (tensor<2x3x4xf64>) -> tensor<2x4xf64>
  %4 = mx.mean %a0 {axis = array<i64: -1>} : (tensor<2x3x4xf64>) -> tensor<2x3xf64>
  %5 = mx.mean %a0 {axis = array<i64: 0, 2>} : (tensor<2x3x4xf64>) -> tensor<3xf64>
  %6 = mx.mean %a0 {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x3x1xf64>
  %7 = mx.mean %a0 {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf64>) -> tensor<3xf64>
  %8 = mx.mean %a0 {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<2x1x4xf64>
  %9 = mx.mean %a0 {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xf64>) -> tensor<1xf64>
  %10 = mx.mean %a0 {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xf64>) -> tensor<2x3x4xf64>
  %11 = mx.mean %a0 {exclude = true} : (tensor<2x3x4xf64>) -> tensor<1xf64>
  %12 = mx.mean %a0 {exclude = true, keepdims = true} : (tensor<2x3x4xf64>) -> tensor<1x1x1xf64>
  return
}

// CHECK-LABEL: func.func @reduce_max
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] : (tensor<2x3x4xi32>) -> tensor<1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] : (tensor<2x3x4xi32>) -> tensor<1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x1x1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 1>} : (tensor<2x3x4xi32>) -> tensor<2x4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: -1>} : (tensor<2x3x4xi32>) -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 0, 2>} : (tensor<2x3x4xi32>) -> tensor<3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x3x1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xi32>) -> tensor<3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<2x1x4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xi32>) -> tensor<1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xi32>) -> tensor<2x3x4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {exclude = true} : (tensor<2x3x4xi32>) -> tensor<1xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A0]] {exclude = true, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x1x1xi32>
// CHECK-NEXT: return
func.func @reduce_max(%a0: tensor<2x3x4xi32>) {
  %0 = mx.max %a0 : (tensor<2x3x4xi32>) -> tensor<1xi32>
  %1 = mx.max %a0 {keepdims = false, exclude = false} : (tensor<2x3x4xi32>) -> tensor<1xi32>
  %2 = mx.max %a0 {keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x1x1xi32>
  %3 = mx.max %a0 {axis = array<i64: 1>} : (tensor<2x3x4xi32>) -> tensor<2x4xi32>
  %4 = mx.max %a0 {axis = array<i64: -1>} : (tensor<2x3x4xi32>) -> tensor<2x3xi32>
  %5 = mx.max %a0 {axis = array<i64: 0, 2>} : (tensor<2x3x4xi32>) -> tensor<3xi32>
  %6 = mx.max %a0 {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x3x1xi32>
  %7 = mx.max %a0 {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xi32>) -> tensor<3xi32>
  %8 = mx.max %a0 {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<2x1x4xi32>
  %9 = mx.max %a0 {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xi32>) -> tensor<1xi32>
  %10 = mx.max %a0 {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xi32>) -> tensor<2x3x4xi32>
  %11 = mx.max %a0 {exclude = true} : (tensor<2x3x4xi32>) -> tensor<1xi32>
  %12 = mx.max %a0 {exclude = true, keepdims = true} : (tensor<2x3x4xi32>) -> tensor<1x1x1xi32>
  return
}

// CHECK-LABEL: func.func @reduce_min
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] : (tensor<2x3x4xi64>) -> tensor<1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] : (tensor<2x3x4xi64>) -> tensor<1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x1x1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 1>} : (tensor<2x3x4xi64>) -> tensor<2x4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: -1>} : (tensor<2x3x4xi64>) -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 0, 2>} : (tensor<2x3x4xi64>) -> tensor<3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x3x1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xi64>) -> tensor<3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<2x1x4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xi64>) -> tensor<1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xi64>) -> tensor<2x3x4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {exclude = true} : (tensor<2x3x4xi64>) -> tensor<1xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.min %[[A0]] {exclude = true, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x1x1xi64>
// CHECK-NEXT: return
func.func @reduce_min(%a0: tensor<2x3x4xi64>) {
  %0 = mx.min %a0 : (tensor<2x3x4xi64>) -> tensor<1xi64>
  %1 = mx.min %a0 {keepdims = false, exclude = false} : (tensor<2x3x4xi64>) -> tensor<1xi64>
  %2 = mx.min %a0 {keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x1x1xi64>
  %3 = mx.min %a0 {axis = array<i64: 1>} : (tensor<2x3x4xi64>) -> tensor<2x4xi64>
  %4 = mx.min %a0 {axis = array<i64: -1>} : (tensor<2x3x4xi64>) -> tensor<2x3xi64>
  %5 = mx.min %a0 {axis = array<i64: 0, 2>} : (tensor<2x3x4xi64>) -> tensor<3xi64>
  %6 = mx.min %a0 {axis = array<i64: 0, 2>, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x3x1xi64>
  %7 = mx.min %a0 {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xi64>) -> tensor<3xi64>
  %8 = mx.min %a0 {axis = array<i64: -3, -1>, exclude = true, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<2x1x4xi64>
  %9 = mx.min %a0 {axis = array<i64: 0, 1, 2>} : (tensor<2x3x4xi64>) -> tensor<1xi64>
  %10 = mx.min %a0 {axis = array<i64: 0, 1, 2>, exclude = true} : (tensor<2x3x4xi64>) -> tensor<2x3x4xi64>
  %11 = mx.min %a0 {exclude = true} : (tensor<2x3x4xi64>) -> tensor<1xi64>
  %12 = mx.min %a0 {exclude = true, keepdims = true} : (tensor<2x3x4xi64>) -> tensor<1x1x1xi64>
  return
}

// CHECK-LABEL: func.func @reduce_rank0_dynamic
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<f32>, %[[A1:[a-z0-9]+]]: tensor<?x4xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] : (tensor<f32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sum %[[A0]] {keepdims = true} : (tensor<f32>) -> tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.mean %[[A1]] {axis = array<i64: 1>} : (tensor<?x4xf32>) -> tensor<?xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.max %[[A1]] {axis = array<i64: 0>, keepdims = true} : (tensor<?x4xf32>) -> tensor<1x4xf32>
// CHECK-NEXT: return
func.func @reduce_rank0_dynamic(%a0: tensor<f32>, %a1: tensor<?x4xf32>) {
  %0 = mx.sum %a0 : (tensor<f32>) -> tensor<1xf32>
  %1 = mx.sum %a0 {keepdims = true} : (tensor<f32>) -> tensor<f32>
  %2 = mx.mean %a1 {axis = array<i64: 1>} : (tensor<?x4xf32>) -> tensor<?xf32>
  %3 = mx.max %a1 {axis = array<i64: 0>, keepdims = true} : (tensor<?x4xf32>) -> tensor<1x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// MXNet's special values (the examples of the MXNet reshape docs):
// 0 copy, -1 infer, -2 copy the rest, -3 merge two, -4 split one.
// CHECK-LABEL: func.func @reshape_codes
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[A1:[a-z0-9]+]]: tensor<2x3x4x5xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 4, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 2, 0, 0>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 6, 1, -1>} : (tensor<2x3x4xf32>) -> tensor<6x1x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 3, -1, 8>} : (tensor<2x3x4xf32>) -> tensor<3x1x8xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 2, -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -2, 1, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4x1x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -3, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A1]] {shape = array<i64: -3, -3>} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 0, -3>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -3, -2>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -4, 1, 2, -2>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 2, -4, -1, 3, -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: 0, -4, 3, -1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x3x1x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -4, -1, 1, -3>} : (tensor<2x3x4xf32>) -> tensor<2x1x12xf32>
// CHECK-NEXT: return
func.func @reshape_codes(%a0: tensor<2x3x4xf32>, %a1: tensor<2x3x4x5xf32>) {
  %0 = mx.reshape %a0 {shape = array<i64: 6, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = mx.reshape %a0 {shape = array<i64: 4, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %2 = mx.reshape %a0 {shape = array<i64: 2, 0, 0>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %3 = mx.reshape %a0 {shape = array<i64: 6, 1, -1>} : (tensor<2x3x4xf32>) -> tensor<6x1x4xf32>
  %4 = mx.reshape %a0 {shape = array<i64: 3, -1, 8>} : (tensor<2x3x4xf32>) -> tensor<3x1x8xf32>
  %5 = mx.reshape %a0 {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %6 = mx.reshape %a0 {shape = array<i64: 0, -1>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %7 = mx.reshape %a0 {shape = array<i64: -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %8 = mx.reshape %a0 {shape = array<i64: 2, -2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %9 = mx.reshape %a0 {shape = array<i64: -2, 1, 1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4x1x1xf32>
  %10 = mx.reshape %a0 {shape = array<i64: -3, 4>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %11 = mx.reshape %a1 {shape = array<i64: -3, -3>} : (tensor<2x3x4x5xf32>) -> tensor<6x20xf32>
  %12 = mx.reshape %a0 {shape = array<i64: 0, -3>} : (tensor<2x3x4xf32>) -> tensor<2x12xf32>
  %13 = mx.reshape %a0 {shape = array<i64: -3, -2>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %14 = mx.reshape %a0 {shape = array<i64: -4, 1, 2, -2>} : (tensor<2x3x4xf32>) -> tensor<1x2x3x4xf32>
  %15 = mx.reshape %a0 {shape = array<i64: 2, -4, -1, 3, -2>} : (tensor<2x3x4xf32>) -> tensor<2x1x3x4xf32>
  %16 = mx.reshape %a0 {shape = array<i64: 0, -4, 3, -1, 0>} : (tensor<2x3x4xf32>) -> tensor<2x3x1x4xf32>
  %17 = mx.reshape %a0 {shape = array<i64: -4, -1, 1, -3>} : (tensor<2x3x4xf32>) -> tensor<2x1x12xf32>
  return
}

// With reverse the special values are matched from the right; -4 keeps
// its two sizes in order.
// CHECK-LABEL: func.func @reshape_reverse
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<10x5x4xf32>, %[[A1:[a-z0-9]+]]: tensor<2x3x12xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -1, 0>} : (tensor<10x5x4xf32>) -> tensor<40x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64: -1, 0>} : (tensor<10x5x4xf32>) -> tensor<40x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {reverse = true, shape = array<i64: -1, 0>} : (tensor<10x5x4xf32>) -> tensor<50x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A1]] {reverse = true, shape = array<i64: -1, -4, 3, 4>} : (tensor<2x3x12xf32>) -> tensor<6x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A1]] {reverse = true, shape = array<i64: -3, 0>} : (tensor<2x3x12xf32>) -> tensor<6x12xf32>
// CHECK-NEXT: return
func.func @reshape_reverse(%a0: tensor<10x5x4xf32>, %a1: tensor<2x3x12xf32>) {
  %0 = mx.reshape %a0 {shape = array<i64: -1, 0>} : (tensor<10x5x4xf32>) -> tensor<40x5xf32>
  %1 = mx.reshape %a0 {shape = array<i64: -1, 0>, reverse = false} : (tensor<10x5x4xf32>) -> tensor<40x5xf32>
  %2 = mx.reshape %a0 {reverse = true, shape = array<i64: -1, 0>} : (tensor<10x5x4xf32>) -> tensor<50x4xf32>
  %3 = mx.reshape %a1 {reverse = true, shape = array<i64: -1, -4, 3, 4>} : (tensor<2x3x12xf32>) -> tensor<6x3x4xf32>
  %4 = mx.reshape %a1 {reverse = true, shape = array<i64: -3, 0>} : (tensor<2x3x12xf32>) -> tensor<6x12xf32>
  return
}

// CHECK-LABEL: func.func @reshape_rank0_dynamic
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<1xi32>, %[[A1:[a-z0-9]+]]: tensor<f64>, %[[A2:[a-z0-9]+]]: tensor<?x4xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A0]] {shape = array<i64>} : (tensor<1xi32>) -> tensor<i32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A1]] {shape = array<i64: 1, 1>} : (tensor<f64>) -> tensor<1x1xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A2]] {shape = array<i64: -1, 2>} : (tensor<?x4xi64>) -> tensor<?x2xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A2]] {shape = array<i64: -3>} : (tensor<?x4xi64>) -> tensor<?xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.reshape %[[A2]] {shape = array<i64: 0, -4, 2, -1>} : (tensor<?x4xi64>) -> tensor<?x2x2xi64>
// CHECK-NEXT: return
func.func @reshape_rank0_dynamic(%a0: tensor<1xi32>, %a1: tensor<f64>, %a2: tensor<?x4xi64>) {
  %0 = mx.reshape %a0 {shape = array<i64>} : (tensor<1xi32>) -> tensor<i32>
  %1 = mx.reshape %a1 {shape = array<i64: 1, 1>} : (tensor<f64>) -> tensor<1x1xf64>
  %2 = mx.reshape %a2 {shape = array<i64: -1, 2>} : (tensor<?x4xi64>) -> tensor<?x2xi64>
  %3 = mx.reshape %a2 {shape = array<i64: -3>} : (tensor<?x4xi64>) -> tensor<?xi64>
  %4 = mx.reshape %a2 {shape = array<i64: 0, -4, 2, -1>} : (tensor<?x4xi64>) -> tensor<?x2x2xi64>
  return
}

//===----------------------------------------------------------------------===//
// transpose, broadcast_to, expand_dims
//===----------------------------------------------------------------------===//

// Empty axes (the default) reverse the axes.
// CHECK-LABEL: func.func @transpose
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[A1:[a-z0-9]+]]: tensor<5xi32>, %[[A2:[a-z0-9]+]]: tensor<i64>, %[[A3:[a-z0-9]+]]: tensor<?x3xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A0]] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A0]] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A0]] {axes = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A0]] {axes = array<i64: -1, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A0]] {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A1]] : (tensor<5xi32>) -> tensor<5xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A2]] : (tensor<i64>) -> tensor<i64>
// CHECK-NEXT: %{{[0-9]+}} = mx.transpose %[[A3]] : (tensor<?x3xf64>) -> tensor<3x?xf64>
// CHECK-NEXT: return
func.func @transpose(%a0: tensor<2x3x4xf32>, %a1: tensor<5xi32>, %a2: tensor<i64>, %a3: tensor<?x3xf64>) {
  %0 = mx.transpose %a0 : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %1 = mx.transpose %a0 {axes = array<i64>} : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  %2 = mx.transpose %a0 {axes = array<i64: 1, 0, 2>} : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  %3 = mx.transpose %a0 {axes = array<i64: -1, 0, 1>} : (tensor<2x3x4xf32>) -> tensor<4x2x3xf32>
  %4 = mx.transpose %a0 {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %5 = mx.transpose %a1 : (tensor<5xi32>) -> tensor<5xi32>
  %6 = mx.transpose %a2 : (tensor<i64>) -> tensor<i64>
  %7 = mx.transpose %a3 : (tensor<?x3xf64>) -> tensor<3x?xf64>
  return
}

// 0 in the target keeps the input dimension.
// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<1x3xf32>, %[[A1:[a-z0-9]+]]: tensor<2x1x1xi64>, %[[A2:[a-z0-9]+]]: tensor<?x1xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A0]] {shape = array<i64: 4, 3>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A0]] {shape = array<i64: 4, 0>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A0]] {shape = array<i64: 0, 0>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A1]] {shape = array<i64: 0, 5, 6>} : (tensor<2x1x1xi64>) -> tensor<2x5x6xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A2]] {shape = array<i64: 0, 7>} : (tensor<?x1xf64>) -> tensor<?x7xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.broadcast_to %[[A2]] {shape = array<i64: 3, 7>} : (tensor<?x1xf64>) -> tensor<3x7xf64>
// CHECK-NEXT: return
func.func @broadcast_to(%a0: tensor<1x3xf32>, %a1: tensor<2x1x1xi64>, %a2: tensor<?x1xf64>) {
  %0 = mx.broadcast_to %a0 {shape = array<i64: 4, 3>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
  %1 = mx.broadcast_to %a0 {shape = array<i64: 4, 0>} : (tensor<1x3xf32>) -> tensor<4x3xf32>
  %2 = mx.broadcast_to %a0 {shape = array<i64: 0, 0>} : (tensor<1x3xf32>) -> tensor<1x3xf32>
  %3 = mx.broadcast_to %a1 {shape = array<i64: 0, 5, 6>} : (tensor<2x1x1xi64>) -> tensor<2x5x6xi64>
  %4 = mx.broadcast_to %a2 {shape = array<i64: 0, 7>} : (tensor<?x1xf64>) -> tensor<?x7xf64>
  %5 = mx.broadcast_to %a2 {shape = array<i64: 3, 7>} : (tensor<?x1xf64>) -> tensor<3x7xf64>
  return
}

// axis ranges over [-rank-1, rank].
// CHECK-LABEL: func.func @expand_dims
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>, %[[A1:[a-z0-9]+]]: tensor<i32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A0]] {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A0]] {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A0]] {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A0]] {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A0]] {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expand_dims %[[A1]] {axis = 0 : i64} : (tensor<i32>) -> tensor<1xi32>
// CHECK-NEXT: return
func.func @expand_dims(%a0: tensor<2x3xf32>, %a1: tensor<i32>) {
  %0 = mx.expand_dims %a0 {axis = 0 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %1 = mx.expand_dims %a0 {axis = 1 : i64} : (tensor<2x3xf32>) -> tensor<2x1x3xf32>
  %2 = mx.expand_dims %a0 {axis = 2 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  %3 = mx.expand_dims %a0 {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  %4 = mx.expand_dims %a0 {axis = -3 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  %5 = mx.expand_dims %a1 {axis = 0 : i64} : (tensor<i32>) -> tensor<1xi32>
  return
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

// Leading axes only; negative indices count from the end, out-of-range
// ones clamp (INT64_MIN/INT64_MAX stand for MXNet's None), negative steps
// walk backwards; the last case is MXNet's doc example
// slice(x, begin=(None, 0), end=(None, 3), step=(-1, 2)).
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<5x6xf32>, %[[A1:[a-z0-9]+]]: tensor<3x4xi32>, %[[A2:[a-z0-9]+]]: tensor<4x?xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 1>, end = array<i64: 4>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 1>, end = array<i64: 4>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 0, 1>, end = array<i64: 5, 6>, step = array<i64: 2, 2>} : (tensor<5x6xf32>) -> tensor<3x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: -3>, end = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<2x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: -100>, end = array<i64: 100>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: -9223372036854775808, 2>, end = array<i64: 9223372036854775807, 9223372036854775807>} : (tensor<5x6xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: -1>, end = array<i64: -6>, step = array<i64: -2>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 3, 5>, end = array<i64: 0, 0>, step = array<i64: -1, -1>} : (tensor<5x6xf32>) -> tensor<3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 1, 9223372036854775807>, end = array<i64: 2, -9223372036854775808>, step = array<i64: 1, -4>} : (tensor<5x6xf32>) -> tensor<1x2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 0>, end = array<i64: 5>, step = array<i64: 9223372036854775807>} : (tensor<5x6xf32>) -> tensor<1x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A0]] {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -9223372036854775808>} : (tensor<5x6xf32>) -> tensor<1x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A1]] {begin = array<i64: 9223372036854775807, 0>, end = array<i64: -9223372036854775808, 3>, step = array<i64: -1, 2>} : (tensor<3x4xi32>) -> tensor<3x2xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice %[[A2]] {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<4x?xf64>) -> tensor<2x?xf64>
// CHECK-NEXT: return
func.func @slice(%a0: tensor<5x6xf32>, %a1: tensor<3x4xi32>, %a2: tensor<4x?xf64>) {
  %0 = mx.slice %a0 {begin = array<i64: 1>, end = array<i64: 4>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
  %1 = mx.slice %a0 {begin = array<i64: 1>, end = array<i64: 4>, step = array<i64>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
  %2 = mx.slice %a0 {begin = array<i64: 0, 1>, end = array<i64: 5, 6>, step = array<i64: 2, 2>} : (tensor<5x6xf32>) -> tensor<3x3xf32>
  %3 = mx.slice %a0 {begin = array<i64: -3>, end = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<2x6xf32>
  %4 = mx.slice %a0 {begin = array<i64: -100>, end = array<i64: 100>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %5 = mx.slice %a0 {begin = array<i64: -9223372036854775808, 2>, end = array<i64: 9223372036854775807, 9223372036854775807>} : (tensor<5x6xf32>) -> tensor<5x4xf32>
  %6 = mx.slice %a0 {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %7 = mx.slice %a0 {begin = array<i64: -1>, end = array<i64: -6>, step = array<i64: -2>} : (tensor<5x6xf32>) -> tensor<3x6xf32>
  %8 = mx.slice %a0 {begin = array<i64: 3, 5>, end = array<i64: 0, 0>, step = array<i64: -1, -1>} : (tensor<5x6xf32>) -> tensor<3x5xf32>
  %9 = mx.slice %a0 {begin = array<i64: 1, 9223372036854775807>, end = array<i64: 2, -9223372036854775808>, step = array<i64: 1, -4>} : (tensor<5x6xf32>) -> tensor<1x2xf32>
  %10 = mx.slice %a0 {begin = array<i64: 0>, end = array<i64: 5>, step = array<i64: 9223372036854775807>} : (tensor<5x6xf32>) -> tensor<1x6xf32>
  %11 = mx.slice %a0 {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -9223372036854775808>} : (tensor<5x6xf32>) -> tensor<1x6xf32>
  %12 = mx.slice %a1 {begin = array<i64: 9223372036854775807, 0>, end = array<i64: -9223372036854775808, 3>, step = array<i64: -1, 2>} : (tensor<3x4xi32>) -> tensor<3x2xi32>
  %13 = mx.slice %a2 {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<4x?xf64>) -> tensor<2x?xf64>
  return
}

//===----------------------------------------------------------------------===//
// concat and cast
//===----------------------------------------------------------------------===//

// Variadic; dim defaults to 1 and may be negative.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>, %[[A1:[a-z0-9]+]]: tensor<2x4xf32>, %[[A2:[a-z0-9]+]]: tensor<2x1xf32>, %[[A3:[a-z0-9]+]]: tensor<5x3xf32>, %[[A4:[a-z0-9]+]]: tensor<?x3xi64>, %[[A5:[a-z0-9]+]]: tensor<2x3xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A1]], %[[A2]] : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A1]] : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A3]], %[[A0]] {dim = 0 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<2x3xf32>) -> tensor<9x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A2]] {dim = -1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A3]] {dim = -2 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<7x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]] : (tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A0]], %[[A0]], %[[A0]], %[[A0]], %[[A0]] : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x15xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A4]], %[[A5]] {dim = 0 : i64} : (tensor<?x3xi64>, tensor<2x3xi64>) -> tensor<?x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.concat %[[A4]], %[[A5]] : (tensor<?x3xi64>, tensor<2x3xi64>) -> tensor<?x6xi64>
// CHECK-NEXT: return
func.func @concat(%a0: tensor<2x3xf32>, %a1: tensor<2x4xf32>, %a2: tensor<2x1xf32>, %a3: tensor<5x3xf32>, %a4: tensor<?x3xi64>, %a5: tensor<2x3xi64>) {
  %0 = mx.concat %a0, %a1, %a2 : (tensor<2x3xf32>, tensor<2x4xf32>, tensor<2x1xf32>) -> tensor<2x8xf32>
  %1 = mx.concat %a0, %a1 {dim = 1 : i64} : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
  %2 = mx.concat %a0, %a3, %a0 {dim = 0 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>, tensor<2x3xf32>) -> tensor<9x3xf32>
  %3 = mx.concat %a0, %a2 {dim = -1 : i64} : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x4xf32>
  %4 = mx.concat %a0, %a3 {dim = -2 : i64} : (tensor<2x3xf32>, tensor<5x3xf32>) -> tensor<7x3xf32>
  %5 = mx.concat %a0 : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %6 = mx.concat %a0, %a0, %a0, %a0, %a0 : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x15xf32>
  %7 = mx.concat %a4, %a5 {dim = 0 : i64} : (tensor<?x3xi64>, tensor<2x3xi64>) -> tensor<?x3xi64>
  %8 = mx.concat %a4, %a5 : (tensor<?x3xi64>, tensor<2x3xi64>) -> tensor<?x6xi64>
  return
}

// Every pair of the four element types, same-type included.
// CHECK-LABEL: func.func @cast
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>, %[[A1:[a-z0-9]+]]: tensor<2x3xf64>, %[[A2:[a-z0-9]+]]: tensor<2x3xi32>, %[[A3:[a-z0-9]+]]: tensor<2x3xi64>, %[[A4:[a-z0-9]+]]: tensor<?x3xf32>, %[[A5:[a-z0-9]+]]: tensor<i32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A0]] : tensor<2x3xf32> -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A0]] : tensor<2x3xf32> -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A0]] : tensor<2x3xf32> -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A0]] : tensor<2x3xf32> -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A1]] : tensor<2x3xf64> -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A1]] : tensor<2x3xf64> -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A1]] : tensor<2x3xf64> -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A1]] : tensor<2x3xf64> -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A2]] : tensor<2x3xi32> -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A2]] : tensor<2x3xi32> -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A2]] : tensor<2x3xi32> -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A2]] : tensor<2x3xi32> -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A3]] : tensor<2x3xi64> -> tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A3]] : tensor<2x3xi64> -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A3]] : tensor<2x3xi64> -> tensor<2x3xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A3]] : tensor<2x3xi64> -> tensor<2x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A4]] : tensor<?x3xf32> -> tensor<?x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cast %[[A5]] : tensor<i32> -> tensor<f64>
// CHECK-NEXT: return
func.func @cast(%a0: tensor<2x3xf32>, %a1: tensor<2x3xf64>, %a2: tensor<2x3xi32>, %a3: tensor<2x3xi64>, %a4: tensor<?x3xf32>, %a5: tensor<i32>) {
  %0 = mx.cast %a0 : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = mx.cast %a0 : tensor<2x3xf32> -> tensor<2x3xf64>
  %2 = mx.cast %a0 : tensor<2x3xf32> -> tensor<2x3xi32>
  %3 = mx.cast %a0 : tensor<2x3xf32> -> tensor<2x3xi64>
  %4 = mx.cast %a1 : tensor<2x3xf64> -> tensor<2x3xf32>
  %5 = mx.cast %a1 : tensor<2x3xf64> -> tensor<2x3xf64>
  %6 = mx.cast %a1 : tensor<2x3xf64> -> tensor<2x3xi32>
  %7 = mx.cast %a1 : tensor<2x3xf64> -> tensor<2x3xi64>
  %8 = mx.cast %a2 : tensor<2x3xi32> -> tensor<2x3xf32>
  %9 = mx.cast %a2 : tensor<2x3xi32> -> tensor<2x3xf64>
  %10 = mx.cast %a2 : tensor<2x3xi32> -> tensor<2x3xi32>
  %11 = mx.cast %a2 : tensor<2x3xi32> -> tensor<2x3xi64>
  %12 = mx.cast %a3 : tensor<2x3xi64> -> tensor<2x3xf32>
  %13 = mx.cast %a3 : tensor<2x3xi64> -> tensor<2x3xf64>
  %14 = mx.cast %a3 : tensor<2x3xi64> -> tensor<2x3xi32>
  %15 = mx.cast %a3 : tensor<2x3xi64> -> tensor<2x3xi64>
  %16 = mx.cast %a4 : tensor<?x3xf32> -> tensor<?x3xi64>
  %17 = mx.cast %a5 : tensor<i32> -> tensor<f64>
  return
}

//===----------------------------------------------------------------------===//
// contractions
//===----------------------------------------------------------------------===//

// lhs[:-1] ++ rhs[1:], (1,) for two vectors; transposes of matrices.
// CHECK-LABEL: func.func @dot
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<3xf32>, %[[A1:[a-z0-9]+]]: tensor<2x3xf32>, %[[A2:[a-z0-9]+]]: tensor<3x4xf32>, %[[A3:[a-z0-9]+]]: tensor<4x3xf32>, %[[A4:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[A5:[a-z0-9]+]]: tensor<4x5x6xf32>, %[[A6:[a-z0-9]+]]: tensor<?x3xf64>, %[[A7:[a-z0-9]+]]: tensor<3x?xf64>, %[[A8:[a-z0-9]+]]: tensor<2x3xi32>, %[[A9:[a-z0-9]+]]: tensor<3x2xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A0]], %[[A0]] : (tensor<3xf32>, tensor<3xf32>) -> tensor<1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A1]], %[[A2]] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A1]], %[[A2]] : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A1]], %[[A3]] {transpose_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A2]], %[[A2]] {transpose_a = true} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A2]], %[[A1]] {transpose_a = true, transpose_b = true} : (tensor<3x4xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A0]], %[[A2]] : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A1]], %[[A0]] : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A4]], %[[A5]] : (tensor<2x3x4xf32>, tensor<4x5x6xf32>) -> tensor<2x3x5x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A4]], %[[A3]] : (tensor<2x3x4xf32>, tensor<4x3xf32>) -> tensor<2x3x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A2]], %[[A5]] : (tensor<3x4xf32>, tensor<4x5x6xf32>) -> tensor<3x5x6xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A6]], %[[A7]] : (tensor<?x3xf64>, tensor<3x?xf64>) -> tensor<?x?xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A8]], %[[A8]] {transpose_b = true} : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x2xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dot %[[A9]], %[[A9]] {transpose_a = true} : (tensor<3x2xi64>, tensor<3x2xi64>) -> tensor<2x2xi64>
// CHECK-NEXT: return
func.func @dot(%a0: tensor<3xf32>, %a1: tensor<2x3xf32>, %a2: tensor<3x4xf32>, %a3: tensor<4x3xf32>, %a4: tensor<2x3x4xf32>, %a5: tensor<4x5x6xf32>, %a6: tensor<?x3xf64>, %a7: tensor<3x?xf64>, %a8: tensor<2x3xi32>, %a9: tensor<3x2xi64>) {
  %0 = mx.dot %a0, %a0 : (tensor<3xf32>, tensor<3xf32>) -> tensor<1xf32>
  %1 = mx.dot %a1, %a2 : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %2 = mx.dot %a1, %a2 {transpose_a = false, transpose_b = false} : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  %3 = mx.dot %a1, %a3 {transpose_b = true} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  %4 = mx.dot %a2, %a2 {transpose_a = true} : (tensor<3x4xf32>, tensor<3x4xf32>) -> tensor<4x4xf32>
  %5 = mx.dot %a2, %a1 {transpose_a = true, transpose_b = true} : (tensor<3x4xf32>, tensor<2x3xf32>) -> tensor<4x2xf32>
  %6 = mx.dot %a0, %a2 : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  %7 = mx.dot %a1, %a0 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2xf32>
  %8 = mx.dot %a4, %a5 : (tensor<2x3x4xf32>, tensor<4x5x6xf32>) -> tensor<2x3x5x6xf32>
  %9 = mx.dot %a4, %a3 : (tensor<2x3x4xf32>, tensor<4x3xf32>) -> tensor<2x3x3xf32>
  %10 = mx.dot %a2, %a5 : (tensor<3x4xf32>, tensor<4x5x6xf32>) -> tensor<3x5x6xf32>
  %11 = mx.dot %a6, %a7 : (tensor<?x3xf64>, tensor<3x?xf64>) -> tensor<?x?xf64>
  %12 = mx.dot %a8, %a8 {transpose_b = true} : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x2xi32>
  %13 = mx.dot %a9, %a9 {transpose_a = true} : (tensor<3x2xi64>, tensor<3x2xi64>) -> tensor<2x2xi64>
  return
}

// Rank 3 and 4; equal batch dims; transposes swap the last two axes.
// CHECK-LABEL: func.func @batch_dot
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3x4xf32>, %[[A1:[a-z0-9]+]]: tensor<2x4x5xf32>, %[[A2:[a-z0-9]+]]: tensor<2x4x3xf32>, %[[A3:[a-z0-9]+]]: tensor<2x5x4xf32>, %[[A4:[a-z0-9]+]]: tensor<2x6x3x4xf64>, %[[A5:[a-z0-9]+]]: tensor<2x6x4x5xf64>, %[[A6:[a-z0-9]+]]: tensor<?x3x4xi32>, %[[A7:[a-z0-9]+]]: tensor<7x4x2xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A0]], %[[A1]] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A2]], %[[A1]] {transpose_a = true} : (tensor<2x4x3xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A0]], %[[A3]] {transpose_b = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A2]], %[[A3]] {transpose_a = true, transpose_b = true} : (tensor<2x4x3xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A0]], %[[A1]] : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A4]], %[[A5]] : (tensor<2x6x3x4xf64>, tensor<2x6x4x5xf64>) -> tensor<2x6x3x5xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A5]], %[[A4]] {transpose_a = true, transpose_b = true} : (tensor<2x6x4x5xf64>, tensor<2x6x3x4xf64>) -> tensor<2x6x5x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.batch_dot %[[A6]], %[[A7]] : (tensor<?x3x4xi32>, tensor<7x4x2xi32>) -> tensor<?x3x2xi32>
// CHECK-NEXT: return
func.func @batch_dot(%a0: tensor<2x3x4xf32>, %a1: tensor<2x4x5xf32>, %a2: tensor<2x4x3xf32>, %a3: tensor<2x5x4xf32>, %a4: tensor<2x6x3x4xf64>, %a5: tensor<2x6x4x5xf64>, %a6: tensor<?x3x4xi32>, %a7: tensor<7x4x2xi32>) {
  %0 = mx.batch_dot %a0, %a1 : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %1 = mx.batch_dot %a2, %a1 {transpose_a = true} : (tensor<2x4x3xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %2 = mx.batch_dot %a0, %a3 {transpose_b = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %3 = mx.batch_dot %a2, %a3 {transpose_a = true, transpose_b = true} : (tensor<2x4x3xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  %4 = mx.batch_dot %a0, %a1 {transpose_a = false} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %5 = mx.batch_dot %a4, %a5 : (tensor<2x6x3x4xf64>, tensor<2x6x4x5xf64>) -> tensor<2x6x3x5xf64>
  %6 = mx.batch_dot %a5, %a4 {transpose_a = true, transpose_b = true} : (tensor<2x6x4x5xf64>, tensor<2x6x3x4xf64>) -> tensor<2x6x5x3xf64>
  %7 = mx.batch_dot %a6, %a7 : (tensor<?x3x4xi32>, tensor<7x4x2xi32>) -> tensor<?x3x2xi32>
  return
}

// flatten (the default) reads data as (batch, prod(rest)); flatten=false
// contracts the last axis only.
// CHECK-LABEL: func.func @fully_connected
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<8x3x4xf32>, %[[A1:[a-z0-9]+]]: tensor<10x12xf32>, %[[A2:[a-z0-9]+]]: tensor<10xf32>, %[[A3:[a-z0-9]+]]: tensor<10x4xf32>, %[[A4:[a-z0-9]+]]: tensor<4xf32>, %[[A5:[a-z0-9]+]]: tensor<2x5xf64>, %[[A6:[a-z0-9]+]]: tensor<3x5xf64>, %[[A7:[a-z0-9]+]]: tensor<?x5xi32>, %[[A8:[a-z0-9]+]]: tensor<3x5xi32>, %[[A9:[a-z0-9]+]]: tensor<3xi32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A0]], %[[A1]], %[[A2]] {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>, tensor<10xf32>) -> tensor<8x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A0]], %[[A1]] {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>) -> tensor<8x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A0]], %[[A1]] {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>) -> tensor<8x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A0]], %[[A3]], %[[A2]] {flatten = false, num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x4xf32>, tensor<10xf32>) -> tensor<8x3x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A0]], %[[A3]] {flatten = false, num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x4xf32>) -> tensor<8x3x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A4]], %[[A3]] {flatten = false, num_hidden = 10 : i64} : (tensor<4xf32>, tensor<10x4xf32>) -> tensor<10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A5]], %[[A6]] {num_hidden = 3 : i64} : (tensor<2x5xf64>, tensor<3x5xf64>) -> tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.fully_connected %[[A7]], %[[A8]], %[[A9]] {num_hidden = 3 : i64} : (tensor<?x5xi32>, tensor<3x5xi32>, tensor<3xi32>) -> tensor<?x3xi32>
// CHECK-NEXT: return
func.func @fully_connected(%a0: tensor<8x3x4xf32>, %a1: tensor<10x12xf32>, %a2: tensor<10xf32>, %a3: tensor<10x4xf32>, %a4: tensor<4xf32>, %a5: tensor<2x5xf64>, %a6: tensor<3x5xf64>, %a7: tensor<?x5xi32>, %a8: tensor<3x5xi32>, %a9: tensor<3xi32>) {
  %0 = mx.fully_connected %a0, %a1, %a2 {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>, tensor<10xf32>) -> tensor<8x10xf32>
  %1 = mx.fully_connected %a0, %a1 {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>) -> tensor<8x10xf32>
  %2 = mx.fully_connected %a0, %a1 {flatten = true, num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>) -> tensor<8x10xf32>
  %3 = mx.fully_connected %a0, %a3, %a2 {flatten = false, num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x4xf32>, tensor<10xf32>) -> tensor<8x3x10xf32>
  %4 = mx.fully_connected %a0, %a3 {flatten = false, num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x4xf32>) -> tensor<8x3x10xf32>
  %5 = mx.fully_connected %a4, %a3 {flatten = false, num_hidden = 10 : i64} : (tensor<4xf32>, tensor<10x4xf32>) -> tensor<10xf32>
  %6 = mx.fully_connected %a5, %a6 {num_hidden = 3 : i64} : (tensor<2x5xf64>, tensor<3x5xf64>) -> tensor<2x3xf64>
  %7 = mx.fully_connected %a7, %a8, %a9 {num_hidden = 3 : i64} : (tensor<?x5xi32>, tensor<3x5xi32>, tensor<3xi32>) -> tensor<?x3xi32>
  return
}

//===----------------------------------------------------------------------===//
// softmax
//===----------------------------------------------------------------------===//

// axis defaults to -1; temperature is optional.
// CHECK-LABEL: func.func @softmax
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>, %[[A1:[a-z0-9]+]]: tensor<4x5xf64>, %[[A2:[a-z0-9]+]]: tensor<?xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A0]] {axis = 0 : i64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A0]] {axis = -2 : i64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A0]] {temperature = 5.000000e-01 : f64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A1]] {axis = 1 : i64, temperature = 2.000000e+00 : f64} : tensor<4x5xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax %[[A2]] : tensor<?xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A0]] {axis = 0 : i64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A0]] {axis = -2 : i64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A0]] {temperature = 5.000000e-01 : f64} : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A1]] {axis = 1 : i64, temperature = 2.000000e+00 : f64} : tensor<4x5xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.log_softmax %[[A2]] : tensor<?xf32>
// CHECK-NEXT: return
func.func @softmax(%a0: tensor<2x3xf32>, %a1: tensor<4x5xf64>, %a2: tensor<?xf32>) {
  %0 = mx.softmax %a0 : tensor<2x3xf32>
  %1 = mx.softmax %a0 {axis = -1 : i64} : tensor<2x3xf32>
  %2 = mx.softmax %a0 {axis = 0 : i64} : tensor<2x3xf32>
  %3 = mx.softmax %a0 {axis = -2 : i64} : tensor<2x3xf32>
  %4 = mx.softmax %a0 {temperature = 0.5 : f64} : tensor<2x3xf32>
  %5 = mx.softmax %a1 {axis = 1 : i64, temperature = 2.0 : f64} : tensor<4x5xf64>
  %6 = mx.softmax %a2 : tensor<?xf32>
  %7 = mx.log_softmax %a0 : tensor<2x3xf32>
  %8 = mx.log_softmax %a0 {axis = -1 : i64} : tensor<2x3xf32>
  %9 = mx.log_softmax %a0 {axis = 0 : i64} : tensor<2x3xf32>
  %10 = mx.log_softmax %a0 {axis = -2 : i64} : tensor<2x3xf32>
  %11 = mx.log_softmax %a0 {temperature = 0.5 : f64} : tensor<2x3xf32>
  %12 = mx.log_softmax %a1 {axis = 1 : i64, temperature = 2.0 : f64} : tensor<4x5xf64>
  %13 = mx.log_softmax %a2 : tensor<?xf32>
  return
}

{-#
  dialect_resources: {
    builtin: {
      mx_blob: "0x040000000100000002000000"
    }
  }
#-}

// MXNet's N-D transposes: lhs^T contracts its first axis, rhs^T its last;
// the remaining axes keep their order.
// CHECK-LABEL: func.func @dot_nd_transposes
// CHECK-NEXT: mx.dot %{{.*}}, %{{.*}} {transpose_a = true} : (tensor<3x2x4xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
// CHECK-NEXT: mx.dot %{{.*}}, %{{.*}} {transpose_b = true} : (tensor<2x3xf32>, tensor<4x5x3xf32>) -> tensor<2x4x5xf32>
func.func @dot_nd_transposes(%a: tensor<3x2x4xf32>, %b: tensor<3x5xf32>, %c: tensor<2x3xf32>, %d: tensor<4x5x3xf32>) {
  %0 = mx.dot %a, %b {transpose_a = true} : (tensor<3x2x4xf32>, tensor<3x5xf32>) -> tensor<2x4x5xf32>
  %1 = mx.dot %c, %d {transpose_b = true} : (tensor<2x3xf32>, tensor<4x5x3xf32>) -> tensor<2x4x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// unary math, sign, clip, stop_gradient, slice_assign
//===----------------------------------------------------------------------===//

// CHECK-LABEL: func.func @unary_math_f32
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf32>)
// CHECK-NEXT: %{{[0-9]+}} = mx.tan %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log2 %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log10 %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.log1p %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.expm1 %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.reciprocal %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsqrt %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cbrt %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.rcbrt %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sinh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.cosh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arcsin %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arccos %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arctan %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arcsinh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arccosh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.arctanh %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.erf %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softsign %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softrelu %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.radians %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.degrees %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A0]] : tensor<2x3xf32>
// CHECK-NEXT: return
func.func @unary_math_f32(%a0: tensor<2x3xf32>) {
  %0 = mx.tan %a0 : tensor<2x3xf32>
  %1 = mx.log2 %a0 : tensor<2x3xf32>
  %2 = mx.log10 %a0 : tensor<2x3xf32>
  %3 = mx.log1p %a0 : tensor<2x3xf32>
  %4 = mx.expm1 %a0 : tensor<2x3xf32>
  %5 = mx.reciprocal %a0 : tensor<2x3xf32>
  %6 = mx.rsqrt %a0 : tensor<2x3xf32>
  %7 = mx.cbrt %a0 : tensor<2x3xf32>
  %8 = mx.rcbrt %a0 : tensor<2x3xf32>
  %9 = mx.sinh %a0 : tensor<2x3xf32>
  %10 = mx.cosh %a0 : tensor<2x3xf32>
  %11 = mx.arcsin %a0 : tensor<2x3xf32>
  %12 = mx.arccos %a0 : tensor<2x3xf32>
  %13 = mx.arctan %a0 : tensor<2x3xf32>
  %14 = mx.arcsinh %a0 : tensor<2x3xf32>
  %15 = mx.arccosh %a0 : tensor<2x3xf32>
  %16 = mx.arctanh %a0 : tensor<2x3xf32>
  %17 = mx.erf %a0 : tensor<2x3xf32>
  %18 = mx.softsign %a0 : tensor<2x3xf32>
  %19 = mx.softrelu %a0 : tensor<2x3xf32>
  %20 = mx.radians %a0 : tensor<2x3xf32>
  %21 = mx.degrees %a0 : tensor<2x3xf32>
  %22 = mx.sign %a0 : tensor<2x3xf32>
  return
}

// CHECK-LABEL: func.func @unary_math_f64
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<2x3xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.tan %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.log2 %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.log10 %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.log1p %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.expm1 %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.reciprocal %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rsqrt %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cbrt %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.rcbrt %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sinh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.cosh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arcsin %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arccos %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arctan %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arcsinh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arccosh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.arctanh %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.erf %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.softsign %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.softrelu %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.radians %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.degrees %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A0]] : tensor<2x3xf64>
// CHECK-NEXT: return
func.func @unary_math_f64(%a0: tensor<2x3xf64>) {
  %0 = mx.tan %a0 : tensor<2x3xf64>
  %1 = mx.log2 %a0 : tensor<2x3xf64>
  %2 = mx.log10 %a0 : tensor<2x3xf64>
  %3 = mx.log1p %a0 : tensor<2x3xf64>
  %4 = mx.expm1 %a0 : tensor<2x3xf64>
  %5 = mx.reciprocal %a0 : tensor<2x3xf64>
  %6 = mx.rsqrt %a0 : tensor<2x3xf64>
  %7 = mx.cbrt %a0 : tensor<2x3xf64>
  %8 = mx.rcbrt %a0 : tensor<2x3xf64>
  %9 = mx.sinh %a0 : tensor<2x3xf64>
  %10 = mx.cosh %a0 : tensor<2x3xf64>
  %11 = mx.arcsin %a0 : tensor<2x3xf64>
  %12 = mx.arccos %a0 : tensor<2x3xf64>
  %13 = mx.arctan %a0 : tensor<2x3xf64>
  %14 = mx.arcsinh %a0 : tensor<2x3xf64>
  %15 = mx.arccosh %a0 : tensor<2x3xf64>
  %16 = mx.arctanh %a0 : tensor<2x3xf64>
  %17 = mx.erf %a0 : tensor<2x3xf64>
  %18 = mx.softsign %a0 : tensor<2x3xf64>
  %19 = mx.softrelu %a0 : tensor<2x3xf64>
  %20 = mx.radians %a0 : tensor<2x3xf64>
  %21 = mx.degrees %a0 : tensor<2x3xf64>
  %22 = mx.sign %a0 : tensor<2x3xf64>
  return
}

// sign, clip and stop_gradient take every element type.
// CHECK-LABEL: func.func @sign_clip_stop_gradient
// CHECK-SAME: (%[[A0:[a-z0-9]+]]: tensor<4xf32>, %[[A1:[a-z0-9]+]]: tensor<4xf64>, %[[A2:[a-z0-9]+]]: tensor<4xi32>, %[[A3:[a-z0-9]+]]: tensor<4xi64>, %[[A4:[a-z0-9]+]]: tensor<f32>, %[[A5:[a-z0-9]+]]: tensor<?x3xi64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A0]] : tensor<4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A0]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A0]] : tensor<4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A1]] : tensor<4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A1]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A1]] : tensor<4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A2]] : tensor<4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A2]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A2]] : tensor<4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A3]] : tensor<4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A3]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A3]] : tensor<4xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A4]] : tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A4]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A4]] : tensor<f32>
// CHECK-NEXT: %{{[0-9]+}} = mx.sign %[[A5]] : tensor<?x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A5]] {a_max = 2.000000e+00 : f64, a_min = -1.500000e+00 : f64} : tensor<?x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.stop_gradient %[[A5]] : tensor<?x3xi64>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A0]] {a_max = 5.000000e-01 : f64, a_min = 5.000000e-01 : f64} : tensor<4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.clip %[[A1]] {a_max = 0x7FF0000000000000 : f64, a_min = 0xFFF0000000000000 : f64} : tensor<4xf64>
// CHECK-NEXT: return
func.func @sign_clip_stop_gradient(%a0: tensor<4xf32>, %a1: tensor<4xf64>, %a2: tensor<4xi32>, %a3: tensor<4xi64>, %a4: tensor<f32>, %a5: tensor<?x3xi64>) {
  %0 = mx.sign %a0 : tensor<4xf32>
  %1 = mx.clip %a0 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<4xf32>
  %2 = mx.stop_gradient %a0 : tensor<4xf32>
  %3 = mx.sign %a1 : tensor<4xf64>
  %4 = mx.clip %a1 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<4xf64>
  %5 = mx.stop_gradient %a1 : tensor<4xf64>
  %6 = mx.sign %a2 : tensor<4xi32>
  %7 = mx.clip %a2 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<4xi32>
  %8 = mx.stop_gradient %a2 : tensor<4xi32>
  %9 = mx.sign %a3 : tensor<4xi64>
  %10 = mx.clip %a3 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<4xi64>
  %11 = mx.stop_gradient %a3 : tensor<4xi64>
  %12 = mx.sign %a4 : tensor<f32>
  %13 = mx.clip %a4 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<f32>
  %14 = mx.stop_gradient %a4 : tensor<f32>
  %15 = mx.sign %a5 : tensor<?x3xi64>
  %16 = mx.clip %a5 {a_min = -1.5 : f64, a_max = 2.0 : f64} : tensor<?x3xi64>
  %17 = mx.stop_gradient %a5 : tensor<?x3xi64>
  %18 = mx.clip %a0 {a_min = 0.5 : f64, a_max = 0.5 : f64} : tensor<4xf32>
  %19 = mx.clip %a1 {a_min = 0xFFF0000000000000 : f64, a_max = 0x7FF0000000000000 : f64} : tensor<4xf64>
  return
}
// slice_assign: the result is the base type; the slice follows mx.slice
// (negative indices, clamping, None as INT64_MIN/MAX, negative steps) and
// value has the slice's shape.
// CHECK-LABEL: func.func @slice_assign
// CHECK-SAME: (%[[B:[a-z0-9]+]]: tensor<5x4xf32>, %[[V0:[a-z0-9]+]]: tensor<2x4xf32>, %[[V1:[a-z0-9]+]]: tensor<3x2xf32>, %[[V2:[a-z0-9]+]]: tensor<5x4xf32>, %[[BI:[a-z0-9]+]]: tensor<3x4xi32>, %[[VI:[a-z0-9]+]]: tensor<3x2xi32>, %[[BD:[a-z0-9]+]]: tensor<4x?xf64>, %[[VD:[a-z0-9]+]]: tensor<2x?xf64>)
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[B]], %[[V0]] {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[B]], %[[V0]] {begin = array<i64: -2>, end = array<i64: 100>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[B]], %[[V1]] {begin = array<i64: 0, 1>, end = array<i64: 5, 4>, step = array<i64: 2, 2>} : (tensor<5x4xf32>, tensor<3x2xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[B]], %[[V1]] {begin = array<i64: 9223372036854775807, 3>, end = array<i64: -9223372036854775808, 0>, step = array<i64: -2, -2>} : (tensor<5x4xf32>, tensor<3x2xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[B]], %[[V2]] {begin = array<i64: 0>, end = array<i64: 5>} : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[BI]], %[[VI]] {begin = array<i64: 9223372036854775807, 0>, end = array<i64: -9223372036854775808, 3>, step = array<i64: -1, 2>} : (tensor<3x4xi32>, tensor<3x2xi32>) -> tensor<3x4xi32>
// CHECK-NEXT: %{{[0-9]+}} = mx.slice_assign %[[BD]], %[[VD]] {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<4x?xf64>, tensor<2x?xf64>) -> tensor<4x?xf64>
// CHECK-NEXT: return
func.func @slice_assign(%b: tensor<5x4xf32>, %v0: tensor<2x4xf32>, %v1: tensor<3x2xf32>, %v2: tensor<5x4xf32>, %bi: tensor<3x4xi32>, %vi: tensor<3x2xi32>, %bd: tensor<4x?xf64>, %vd: tensor<2x?xf64>) {
  %0 = mx.slice_assign %b, %v0 {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  %1 = mx.slice_assign %b, %v0 {begin = array<i64: -2>, end = array<i64: 100>, step = array<i64>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  %2 = mx.slice_assign %b, %v1 {begin = array<i64: 0, 1>, end = array<i64: 5, 4>, step = array<i64: 2, 2>} : (tensor<5x4xf32>, tensor<3x2xf32>) -> tensor<5x4xf32>
  %3 = mx.slice_assign %b, %v1 {begin = array<i64: 9223372036854775807, 3>, end = array<i64: -9223372036854775808, 0>, step = array<i64: -2, -2>} : (tensor<5x4xf32>, tensor<3x2xf32>) -> tensor<5x4xf32>
  %4 = mx.slice_assign %b, %v2 {begin = array<i64: 0>, end = array<i64: 5>} : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %5 = mx.slice_assign %bi, %vi {begin = array<i64: 9223372036854775807, 0>, end = array<i64: -9223372036854775808, 3>, step = array<i64: -1, 2>} : (tensor<3x4xi32>, tensor<3x2xi32>) -> tensor<3x4xi32>
  %6 = mx.slice_assign %bd, %vd {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<4x?xf64>, tensor<2x?xf64>) -> tensor<4x?xf64>
  return
}

//===----------------------------------------------------------------------===//
// Normalization, dropout and output layers
//===----------------------------------------------------------------------===//

// batch_norm: defaults elided; the mean/var results are (C); negative axis.
// CHECK-LABEL: func.func @batch_norm
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = mx.batch_norm %arg0, %arg1, %arg1, %arg1, %arg1 : (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
// CHECK-NEXT: %{{.*}}, %{{.*}}, %{{.*}} = mx.batch_norm %arg2, %arg3, %arg3, %arg3, %arg3 {axis = -1 : i64, eps = 1.000000e-05 : f64, fix_gamma = false, momentum = 0.000000e+00 : f64, training = true, use_global_stats = true} : (tensor<2x6xf64>, tensor<6xf64>, tensor<6xf64>, tensor<6xf64>, tensor<6xf64>) -> (tensor<2x6xf64>, tensor<6xf64>, tensor<6xf64>)
// CHECK-NEXT: return
func.func @batch_norm(%x: tensor<4x3x5xf32>, %g: tensor<3xf32>, %y: tensor<2x6xf64>, %c: tensor<6xf64>) {
  %0:3 = mx.batch_norm %x, %g, %g, %g, %g {eps = 1.0e-3 : f64, momentum = 0.9 : f64, fix_gamma = true, axis = 1 : i64} : (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  %1:3 = mx.batch_norm %y, %c, %c, %c, %c {axis = -1 : i64, eps = 1.0e-5 : f64, momentum = 0.0 : f64, fix_gamma = false, use_global_stats = true, training = true} : (tensor<2x6xf64>, tensor<6xf64>, tensor<6xf64>, tensor<6xf64>, tensor<6xf64>) -> (tensor<2x6xf64>, tensor<6xf64>, tensor<6xf64>)
  return
}

// dropout: p and axes (axes share one mask value).
// CHECK-LABEL: func.func @dropout
// CHECK-NEXT: %{{[0-9]+}} = mx.dropout %arg0, %arg1 : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dropout %arg0, %arg1 {axes = array<i64: 0>, p = 2.500000e-01 : f64} : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.dropout %arg0, %arg1 {p = 1.000000e+00 : f64} : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
// CHECK-NEXT: return
func.func @dropout(%x: tensor<8x16xf32>, %seed: tensor<2xi64>) {
  %0 = mx.dropout %x, %seed : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
  %1 = mx.dropout %x, %seed {p = 0.25 : f64, axes = array<i64: 0>} : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
  %2 = mx.dropout %x, %seed {p = 1.0 : f64} : (tensor<8x16xf32>, tensor<2xi64>) -> tensor<8x16xf32>
  return
}

// softmax_output: class ids, multi_output labels (N, d...), (N, D) and
// (N, 1, d...), preserve_shape, probability labels, every parameter.
// CHECK-LABEL: func.func @softmax_output
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg0, %arg1 : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg2, %arg3 {multi_output = true, normalization = "valid", use_ignore = true} : (tensor<2x5x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x5x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg2, %arg4 {multi_output = true} : (tensor<2x5x3x4xf32>, tensor<2x12xf32>) -> tensor<2x5x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg2, %arg5 {multi_output = true} : (tensor<2x5x3x4xf32>, tensor<2x1x3x4xf32>) -> tensor<2x5x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg2, %arg6 {preserve_shape = true} : (tensor<2x5x3x4xf32>, tensor<2x5x3xf32>) -> tensor<2x5x3x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg0, %arg0 : (tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.softmax_output %arg7, %arg8 {grad_scale = 2.000000e+00 : f64, ignore_label = 3.000000e+00 : f64, normalization = "batch", out_grad = true, smooth_alpha = 1.000000e-01 : f64, use_ignore = true} : (tensor<3x2x5xf64>, tensor<3xf64>) -> tensor<3x2x5xf64>
// CHECK-NEXT: return
func.func @softmax_output(%x: tensor<4x10xf32>, %l: tensor<4xf32>, %m: tensor<2x5x3x4xf32>, %ml: tensor<2x3x4xf32>, %mf: tensor<2x12xf32>, %m1: tensor<2x1x3x4xf32>, %pl: tensor<2x5x3xf32>, %f: tensor<3x2x5xf64>, %fl: tensor<3xf64>) {
  %0 = mx.softmax_output %x, %l : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
  %1 = mx.softmax_output %m, %ml {multi_output = true, normalization = "valid", use_ignore = true} : (tensor<2x5x3x4xf32>, tensor<2x3x4xf32>) -> tensor<2x5x3x4xf32>
  %2 = mx.softmax_output %m, %mf {multi_output = true} : (tensor<2x5x3x4xf32>, tensor<2x12xf32>) -> tensor<2x5x3x4xf32>
  %3 = mx.softmax_output %m, %m1 {multi_output = true} : (tensor<2x5x3x4xf32>, tensor<2x1x3x4xf32>) -> tensor<2x5x3x4xf32>
  %4 = mx.softmax_output %m, %pl {preserve_shape = true} : (tensor<2x5x3x4xf32>, tensor<2x5x3xf32>) -> tensor<2x5x3x4xf32>
  %5 = mx.softmax_output %x, %x : (tensor<4x10xf32>, tensor<4x10xf32>) -> tensor<4x10xf32>
  %6 = mx.softmax_output %f, %fl {grad_scale = 2.0 : f64, ignore_label = 3.0 : f64, use_ignore = true, normalization = "batch", smooth_alpha = 0.1 : f64, out_grad = true} : (tensor<3x2x5xf64>, tensor<3xf64>) -> tensor<3x2x5xf64>
  return
}

// Regression outputs: label of the data's shape, or (N) for data (N, 1).
// CHECK-LABEL: func.func @regression_outputs
// CHECK-NEXT: %{{[0-9]+}} = mx.linear_regression_output %arg0, %arg0 : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.logistic_regression_output %arg1, %arg2 {grad_scale = 5.000000e-01 : f64} : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.mae_regression_output %arg1, %arg1 : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
// CHECK-NEXT: return
func.func @regression_outputs(%x: tensor<4x3xf32>, %c: tensor<4x1xf32>, %l: tensor<4xf32>) {
  %0 = mx.linear_regression_output %x, %x : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  %1 = mx.logistic_regression_output %c, %l {grad_scale = 0.5 : f64} : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
  %2 = mx.mae_regression_output %c, %c {grad_scale = 1.0 : f64} : (tensor<4x1xf32>, tensor<4x1xf32>) -> tensor<4x1xf32>
  return
}

//===----------------------------------------------------------------------===//
// convolution and pooling
//===----------------------------------------------------------------------===//

// Defaults are omitted when printed; 1-D, 2-D with groups and no bias, 3-D.
// CHECK-LABEL: func.func @convolution
// CHECK-NEXT: %{{[0-9]+}} = mx.convolution %arg0, %arg1, %arg2 {kernel = array<i64: 3>, num_filter = 4 : i64} : (tensor<2x3x9xf32>, tensor<4x3x3xf32>, tensor<4xf32>) -> tensor<2x4x7xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.convolution %arg3, %arg4 {dilate = array<i64: 1, 2>, kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64, pad = array<i64: 1, 1>, stride = array<i64: 2, 2>} : (tensor<1x4x8x8xf64>, tensor<6x2x3x3xf64>) -> tensor<1x6x4x3xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.convolution %arg5, %arg6 {kernel = array<i64: 2, 2, 2>, num_filter = 2 : i64} : (tensor<1x1x3x4x5xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x2x3x4xf32>
func.func @convolution(%x1: tensor<2x3x9xf32>, %w1: tensor<4x3x3xf32>, %b1: tensor<4xf32>,
                       %x2: tensor<1x4x8x8xf64>, %w2: tensor<6x2x3x3xf64>,
                       %x3: tensor<1x1x3x4x5xf32>, %w3: tensor<2x1x2x2x2xf32>) {
  %0 = mx.convolution %x1, %w1, %b1 {kernel = array<i64: 3>, num_filter = 4 : i64} : (tensor<2x3x9xf32>, tensor<4x3x3xf32>, tensor<4xf32>) -> tensor<2x4x7xf32>
  %1 = mx.convolution %x2, %w2 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, dilate = array<i64: 1, 2>, pad = array<i64: 1, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf64>, tensor<6x2x3x3xf64>) -> tensor<1x6x4x3xf64>
  %2 = mx.convolution %x3, %w3 {kernel = array<i64: 2, 2, 2>, num_filter = 2 : i64} : (tensor<1x1x3x4x5xf32>, tensor<2x1x2x2x2xf32>) -> tensor<1x2x2x3x4xf32>
  return
}

// The gradient ops: backward_data takes the data shape as an attribute.
// CHECK-LABEL: func.func @convolution_backward
// CHECK-NEXT: %{{[0-9]+}} = mx.convolution_backward_data %arg0, %arg1 {data_shape = array<i64: 1, 4, 8, 8>, kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64, stride = array<i64: 2, 2>} : (tensor<1x6x3x3xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.convolution_backward_weight %arg0, %arg2 {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64, stride = array<i64: 2, 2>} : (tensor<1x6x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<6x2x3x3xf32>
func.func @convolution_backward(%g: tensor<1x6x3x3xf32>, %w: tensor<6x2x3x3xf32>, %x: tensor<1x4x8x8xf32>) {
  %0 = mx.convolution_backward_data %g, %w {data_shape = array<i64: 1, 4, 8, 8>, kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x6x3x3xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  %1 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x6x3x3xf32>, tensor<1x4x8x8xf32>) -> tensor<6x2x3x3xf32>
  return
}

// Pooling: valid/full conventions, global pooling without a kernel.
// CHECK-LABEL: func.func @pooling
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling %arg0 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x3x3xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling %arg0 {kernel = array<i64: 3, 3>, pool_type = "avg", pooling_convention = "full", stride = array<i64: 2, 2>} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling %arg0 {count_include_pad = false, kernel = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "avg"} : (tensor<2x3x8x8xf32>) -> tensor<2x3x9x9xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling %arg0 {global_pool = true, pool_type = "sum"} : (tensor<2x3x8x8xf32>) -> tensor<2x3x1x1xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling %arg1 {kernel = array<i64: 2>} : (tensor<1x2x5xf64>) -> tensor<1x2x4xf64>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling_backward %arg2, %arg0 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<2x3x3x3xf32>, tensor<2x3x8x8xf32>) -> tensor<2x3x8x8xf32>
// CHECK-NEXT: %{{[0-9]+}} = mx.pooling_max_gather %arg0, %arg0 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<2x3x8x8xf32>, tensor<2x3x8x8xf32>) -> tensor<2x3x3x3xf32>
func.func @pooling(%x: tensor<2x3x8x8xf32>, %y: tensor<1x2x5xf64>, %g: tensor<2x3x3x3xf32>) {
  %0 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<2x3x8x8xf32>) -> tensor<2x3x3x3xf32>
  %1 = mx.pooling %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pool_type = "avg", pooling_convention = "full"} : (tensor<2x3x8x8xf32>) -> tensor<2x3x4x4xf32>
  %2 = mx.pooling %x {kernel = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "avg", count_include_pad = false} : (tensor<2x3x8x8xf32>) -> tensor<2x3x9x9xf32>
  %3 = mx.pooling %x {global_pool = true, pool_type = "sum"} : (tensor<2x3x8x8xf32>) -> tensor<2x3x1x1xf32>
  %4 = mx.pooling %y {kernel = array<i64: 2>} : (tensor<1x2x5xf64>) -> tensor<1x2x4xf64>
  %5 = mx.pooling_backward %g, %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<2x3x3x3xf32>, tensor<2x3x8x8xf32>) -> tensor<2x3x8x8xf32>
  %6 = mx.pooling_max_gather %x, %x {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>} : (tensor<2x3x8x8xf32>, tensor<2x3x8x8xf32>) -> tensor<2x3x3x3xf32>
  return
}
