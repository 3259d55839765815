// RUN: mxjit-opt %s --mx-to-linalg -verify-diagnostics

// Dynamic shapes are rejected with a diagnostic on each op, not a crash.
func.func @dynamic(%a: tensor<?x3xf32>, %b: tensor<3xf32>) -> tensor<?x3xf32> {
  // expected-error @below {{'mx.add' op has dynamic shapes, which mx-to-linalg does not lower yet}}
  %0 = mx.add %a, %b : (tensor<?x3xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  // expected-error @below {{'mx.exp' op has dynamic shapes}}
  %1 = mx.exp %0 : tensor<?x3xf32>
  return %1 : tensor<?x3xf32>
}

