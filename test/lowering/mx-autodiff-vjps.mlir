// RUN: mxjit-opt %s --mx-autodiff='seeds=true keep-forward=false' | FileCheck %s

// The gradient IR of representative VJPs (g is the seed argument).

// softmax: y * (g - sum(g * y, axis, keepdims)).
// CHECK-LABEL: func.func @softmax_grad(%arg0: tensor<2x5xf32>, %arg1: tensor<2x5xf32>)
// CHECK: %[[Y:.*]] = mx.softmax %arg0
// CHECK: %[[GY:.*]] = mx.multiply %arg1, %[[Y]]
// CHECK: %[[S:.*]] = mx.sum %[[GY]] {axis = array<i64: 1>, keepdims = true} : (tensor<2x5xf32>) -> tensor<2x1xf32>
// CHECK: %[[D:.*]] = mx.subtract %arg1, %[[S]] : (tensor<2x5xf32>, tensor<2x1xf32>) -> tensor<2x5xf32>
// CHECK: %[[R:.*]] = mx.multiply %[[Y]], %[[D]]
// CHECK: return %[[R]]

// log_softmax: (g - exp(y) * sum(g, axis, keepdims)) / T.
// CHECK-LABEL: func.func @log_softmax_grad
// CHECK: %[[Y:.*]] = mx.log_softmax %arg0 {axis = 0 : i64, temperature = 2.000000e+00 : f64}
// CHECK: %[[S:.*]] = mx.sum %arg1 {axis = array<i64: 0>, keepdims = true}
// CHECK: %[[P:.*]] = mx.exp %[[Y]]
// CHECK: %[[PS:.*]] = mx.multiply %[[P]], %[[S]]
// CHECK: %[[D:.*]] = mx.subtract %arg1, %[[PS]]
// CHECK: %[[R:.*]] = mx.divide_scalar %[[D]], 2.000000e+00
// CHECK: return %[[R]]

// max: the cotangent goes to every element equal to the maximum.
// CHECK-LABEL: func.func @max_grad
// CHECK: %[[M:.*]] = mx.max %arg0 {axis = array<i64: 1>}
// CHECK: %[[MK:.*]] = mx.reshape %[[M]] {shape = array<i64: 2, 1>}
// CHECK: %[[MB:.*]] = mx.broadcast_to %[[MK]] {shape = array<i64: 2, 3>}
// CHECK: %[[MASK:.*]] = mx.equal %arg0, %[[MB]]
// CHECK: %[[GK:.*]] = mx.reshape %arg1 {shape = array<i64: 2, 1>}
// CHECK: %[[GB:.*]] = mx.broadcast_to %[[GK]] {shape = array<i64: 2, 3>}
// CHECK: %[[R:.*]] = mx.multiply %[[GB]], %[[MASK]]
// CHECK: return %[[R]]

// concat hands each input its window; slice scatters into zeros. The
// forward slice and concat themselves are dead and removed.
// CHECK-LABEL: func.func @slice_concat_grad
// CHECK-NOT: mx.concat
// CHECK: %[[Z:.*]] = mx.constant dense<0.000000e+00> : tensor<5x3xf32>
// CHECK: %[[G0:.*]] = mx.slice %arg2 {begin = array<i64: 0>, end = array<i64: 2>}
// CHECK: %[[G1:.*]] = mx.slice %arg2 {begin = array<i64: 2>, end = array<i64: 4>}
// CHECK: %[[DX:.*]] = mx.slice_assign %[[Z]], %[[G0]] {begin = array<i64: 1>, end = array<i64: 3>}
// CHECK: return %[[DX]], %[[G1]]

// dot with transpose_a: each cotangent is one dot in its operand's layout.
// CHECK-LABEL: func.func @dot_grad(%arg0: tensor<3x2xf32>, %arg1: tensor<3x4xf32>, %arg2: tensor<2x4xf32>)
// CHECK: %[[DA:.*]] = mx.dot %arg1, %arg2 {transpose_b = true} : (tensor<3x4xf32>, tensor<2x4xf32>) -> tensor<3x2xf32>
// CHECK: %[[DB:.*]] = mx.dot %arg0, %arg2 : (tensor<3x2xf32>, tensor<2x4xf32>) -> tensor<3x4xf32>
// CHECK: return %[[DA]], %[[DB]]

// clip passes the cotangent inside [a_min, a_max]; stop_gradient's operand
// gets nothing through it (x only receives the clip branch).
// CHECK-LABEL: func.func @clip_stop_grad
// CHECK: %[[STOP:.*]] = mx.stop_gradient %arg0
// CHECK: %[[G:.*]] = mx.multiply %arg1, %[[STOP]]
// CHECK: %[[HI:.*]] = mx.greater_scalar %arg0, 1.000000e+00
// CHECK: %[[LO:.*]] = mx.lesser_scalar %arg0, -1.000000e+00
// CHECK: %[[OUT:.*]] = mx.add %[[HI]], %[[LO]]
// CHECK: %[[IN:.*]] = mx.rsubtract_scalar %[[OUT]], 1.000000e+00
// CHECK: %[[R:.*]] = mx.multiply %[[G]], %[[IN]]
// CHECK: return %[[R]]

func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = mx.softmax %x : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @log_softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = mx.log_softmax %x {axis = 0 : i64, temperature = 2.0 : f64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @max(%x: tensor<2x3xf32>) -> tensor<2xf32> {
  %0 = mx.max %x {axis = array<i64: 1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return %0 : tensor<2xf32>
}
func.func @slice_concat(%x: tensor<5x3xf32>, %y: tensor<2x3xf32>) -> tensor<4x3xf32> {
  %0 = mx.slice %x {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x3xf32>) -> tensor<2x3xf32>
  %1 = mx.concat %0, %y {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  return %1 : tensor<4x3xf32>
}
func.func @dot(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = mx.dot %a, %b {transpose_a = true} : (tensor<3x2xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}
func.func @clip_stop(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mx.clip %x {a_min = -1.0 : f64, a_max = 1.0 : f64} : tensor<4xf32>
  %1 = mx.stop_gradient %x : tensor<4xf32>
  %2 = mx.multiply %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}
