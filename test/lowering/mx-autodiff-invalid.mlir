// RUN: mxjit-opt %s --split-input-file --verify-diagnostics --allow-unregistered-dialect --mx-autodiff

// An op without a VJP on a differentiated path is an error naming the op.
func.func @no_vjp(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'foreign.op' op has no VJP (DifferentiableOpInterface), so @no_vjp cannot be differentiated through it}}
  %0 = "foreign.op"(%x) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = mx.exp %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}

// -----

// Upstream ops on tensors have no VJP either.
func.func @arith_on_tensors(%x: tensor<4xf32>) -> tensor<4xf32> {
  // expected-error @+1 {{'arith.addf' op has no VJP}}
  %0 = arith.addf %x, %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// Ops that do not lie on a differentiated path need no VJP.
func.func @inactive_foreign(%x: tensor<4xf32>, %n: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = "foreign.op"(%n) : (tensor<4xi32>) -> tensor<4xi32>
  %1 = mx.exp %x : tensor<4xf32>
  return %1, %0 : tensor<4xf32>, tensor<4xi32>
}

// -----

// Integer results are not differentiated (and external functions skipped).
func.func @integer_result(%x: tensor<4xi32>, %y: tensor<4xf32>) -> (tensor<4xi32>, tensor<4xf32>) {
  return %x, %y : tensor<4xi32>, tensor<4xf32>
}
func.func private @external(%x: tensor<4xf32>) -> tensor<4xf32>

// -----

// expected-error @+1 {{mx-autodiff: a function named @taken_grad already exists}}
func.func @taken(%x: tensor<4xf32>) -> tensor<4xf32> {
  return %x : tensor<4xf32>
}
func.func @taken_grad(%x: tensor<4xf32>) -> tensor<4xf32> attributes {mx.gradient_of = @other} {
  return %x : tensor<4xf32>
}
