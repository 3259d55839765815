// RUN: mxjit-opt %s --mx-to-linalg --allow-unregistered-dialect | FileCheck %s

// Ops of unregistered dialects are left alone (their dialect is null and
// must not be dereferenced) while the mx ops around them are lowered.
// CHECK-LABEL: func.func @unregistered
// CHECK: "foreign.op"
// CHECK: linalg.generic
func.func @unregistered(%a: tensor<4xf32>) -> tensor<4xf32> {
  %0 = "foreign.op"(%a) : (tensor<4xf32>) -> tensor<4xf32>
  %1 = mx.exp %0 : tensor<4xf32>
  return %1 : tensor<4xf32>
}
