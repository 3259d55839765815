// RUN: mxjit-opt %s --mx-autodiff='function=fanout seeds=true keep-forward=false' | FileCheck %s --check-prefix=FANOUT
// RUN: mxjit-opt %s --mx-autodiff='function=fanout keep-forward=false' --mx-autodiff='function=fanout_grad keep-forward=false' | FileCheck %s --check-prefix=SECOND
// RUN: mxjit-opt %s --mx-autodiff='function=broadcast seeds=true keep-forward=false' | FileCheck %s --check-prefix=BCAST
// RUN: mxjit-opt %s --mx-autodiff='function=layer wrt=1,2' | FileCheck %s --check-prefix=LAYER
// RUN: mxjit-opt %s --mx-autodiff='function=two_results results=1' | FileCheck %s --check-prefix=RESULTS
// RUN: mxjit-opt %s --mx-autodiff | FileCheck %s --check-prefix=ALL

// Fan-out: x is used three times and its cotangents are summed.
// FANOUT-LABEL: func.func @fanout_grad(%arg0: tensor<4xf32>, %arg1: tensor<4xf32>) -> tensor<4xf32> attributes {mx.gradient_of = @fanout}
// FANOUT-DAG: %[[COS:.*]] = mx.cos %arg0
// FANOUT-DAG: %[[D1:.*]] = mx.multiply %arg1, %[[COS]]
// FANOUT-DAG: %[[D2:.*]] = mx.multiply %arg1, %arg0
// FANOUT: %[[S:.*]] = mx.add %[[D1]], %[[D2]]
// FANOUT: %[[T:.*]] = mx.add %[[S]], %[[D2]]
// FANOUT: return %[[T]]
// The pass applies to its own output: d2/dx2 (x*x + sin x) = 2 - sin x.
// SECOND-LABEL: func.func @fanout_grad_grad(%arg0: tensor<4xf32>) -> tensor<4xf32> attributes {mx.gradient_of = @fanout_grad}
// SECOND-DAG: %[[TWO:.*]] = mx.constant dense<2.000000e+00> : tensor<4xf32>
// SECOND-DAG: %[[SIN:.*]] = mx.sin %arg0
// SECOND: %[[NEG:.*]] = mx.negative %[[SIN]]
// SECOND: %[[R:.*]] = mx.add %[[NEG]], %[[TWO]]
// SECOND: return %[[R]]
func.func @fanout(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mx.multiply %x, %x : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mx.sin %x : tensor<4xf32>
  %2 = mx.add %0, %1 : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %2 : tensor<4xf32>
}

// Broadcast operands get their cotangent summed back to their own shape;
// the integer argument gets no gradient.
// BCAST-LABEL: func.func @broadcast_grad(%arg0: tensor<2x3xf32>, %arg1: tensor<3xf32>, %arg2: tensor<3xi32>, %arg3: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<3xf32>)
// BCAST: %[[DA:.*]] = mx.multiply %arg3, %arg1
// BCAST: %[[P:.*]] = mx.multiply %arg3, %arg0
// BCAST: %[[S:.*]] = mx.sum %[[P]] {axis = array<i64: 0>, keepdims = true} : (tensor<2x3xf32>) -> tensor<1x3xf32>
// BCAST: %[[DB:.*]] = mx.reshape %[[S]] {shape = array<i64: 3>} : (tensor<1x3xf32>) -> tensor<3xf32>
// BCAST: return %[[DA]], %[[DB]]
func.func @broadcast(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %n: tensor<3xi32>) -> tensor<2x3xf32> {
  %0 = mx.multiply %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// Only the listed arguments are differentiated; the forward result comes
// first and is shared with the gradient (one fully_connected, one tanh);
// the ones seed folds away.
// LAYER-LABEL: func.func @layer_grad(%arg0: tensor<2x3xf64>, %arg1: tensor<4x3xf64>, %arg2: tensor<4xf64>) -> (tensor<1xf64>, tensor<4x3xf64>, tensor<4xf64>)
// LAYER-COUNT-1: mx.fully_connected
// LAYER-COUNT-1: mx.tanh
// LAYER: %[[SQ:.*]] = mx.square
// LAYER: %[[DT:.*]] = mx.rsubtract_scalar %[[SQ]], 1.000000e+00
// LAYER: %[[DW:.*]] = mx.dot %[[DT]], %arg0 {transpose_a = true} : (tensor<2x4xf64>, tensor<2x3xf64>) -> tensor<4x3xf64>
// LAYER: %[[DB:.*]] = mx.sum %[[DT]] {axis = array<i64: 0>} : (tensor<2x4xf64>) -> tensor<4xf64>
// LAYER-NOT: mx.multiply
// LAYER: return %{{.*}}, %[[DW]], %[[DB]]
func.func @layer(%x: tensor<2x3xf64>, %w: tensor<4x3xf64>, %b: tensor<4xf64>) -> tensor<1xf64> {
  %h = mx.fully_connected %x, %w, %b {num_hidden = 4 : i64} : (tensor<2x3xf64>, tensor<4x3xf64>, tensor<4xf64>) -> tensor<2x4xf64>
  %t = mx.tanh %h : tensor<2x4xf64>
  %s = mx.sum %t : (tensor<2x4xf64>) -> tensor<1xf64>
  return %s : tensor<1xf64>
}

// `results` picks which results are differentiated; all are still returned.
// The exp result is not differentiated, so its VJP is never built.
// RESULTS-LABEL: func.func @two_results_grad(%arg0: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
// RESULTS: %[[E:.*]] = mx.exp %arg0
// RESULTS: %[[L:.*]] = mx.log %arg0
// RESULTS: %[[D:.*]] = mx.divide %{{.*}}, %arg0
// RESULTS-NOT: mx.multiply
// RESULTS: return %[[E]], %[[L]], %[[D]]
func.func @two_results(%x: tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %0 = mx.exp %x : tensor<3xf32>
  %1 = mx.log %x : tensor<3xf32>
  return %0, %1 : tensor<3xf32>, tensor<3xf32>
}

// Without `function`, every function that is not itself a gradient is
// differentiated, once.
// ALL-DAG: func.func @fanout_grad(
// ALL-DAG: func.func @broadcast_grad(
// ALL-DAG: func.func @layer_grad(
// ALL-DAG: func.func @two_results_grad(
// ALL-NOT: _grad_grad
// An argument the result does not depend on gets a zero gradient.
// ALL-LABEL: func.func @unused_argument_grad(%arg0: tensor<2xf32>, %arg1: tensor<2xf32>) -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>)
// ALL-DAG: %[[ZERO:.*]] = mx.constant dense<0.000000e+00> : tensor<2xf32>
// ALL-DAG: %[[ONE:.*]] = mx.constant dense<1.000000e+00> : tensor<2xf32>
// ALL: return %{{.*}}, %[[ONE]], %[[ZERO]]
func.func @unused_argument(%x: tensor<2xf32>, %unused: tensor<2xf32>) -> tensor<2xf32> {
  %0 = mx.add_scalar %x, 1.0 : tensor<2xf32>
  return %0 : tensor<2xf32>
}
