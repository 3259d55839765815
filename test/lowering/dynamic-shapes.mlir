// RUN: mxjit-opt %s --mx-to-linalg --canonicalize --cse --split-input-file -verify-diagnostics | FileCheck %s
// RUN: not mxjit-opt %s --split-input-file --mx-lower-to-llvm=bare-ptr-call-conv=0 2>/dev/null | FileCheck %s --check-prefix=LLVM
// RUN: not mxjit-opt %s --split-input-file --mx-lower-to-llvm=bare-ptr-call-conv=0 2>/dev/null | FileCheck %s --check-prefix=ARENA
// (`not`: the rejected splits below fail; the first one still prints.)

// Shape-generic functions: every `?` stands for the batch size, read with
// tensor.dim from the first `?` argument. Results sized by the batch get
// tensor.empty(%batch); a reshape keeps the `?`; contracting over the batch
// (the weight gradient) gives a static result; a mean over the batch
// divides by the call's batch size.

// CHECK-LABEL: func.func @mlp(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x4xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2]] : tensor<?x2x4xf32> into tensor<?x8xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %c0 : tensor<?x2x4xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B]]) : tensor<?x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[FLAT]], %arg1 : tensor<?x8xf32>, tensor<3x8xf32>) outs(%{{.*}} : tensor<?x3xf32>)
// CHECK: tensor.empty(%[[B]]) : tensor<?xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[FLAT]] : tensor<?x3xf32>, tensor<?x8xf32>) outs(%{{.*}} : tensor<3x8xf32>)
// CHECK: %[[BI:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK: %[[BF:.*]] = arith.sitofp %[[BI]] : i64 to f32
// CHECK: arith.divf %{{.*}}, %[[BF]] : f32

// LLVM-LABEL: llvm.func @mlp(
// LLVM-SAME: %arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: i64, %arg3: i64, %arg4: i64, %arg5: i64
func.func @mlp(%x: tensor<?x2x4xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> (tensor<?x3xf32>, tensor<3x8xf32>, tensor<3xf32>) {
  %h = mx.fully_connected %x, %w, %b {num_hidden = 3 : i64} : (tensor<?x2x4xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %s = mx.log_softmax %h {axis = -1 : i64} : tensor<?x3xf32>
  %f = mx.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x2x4xf32>) -> tensor<?x8xf32>
  %g = mx.dot %s, %f {transpose_a = true} : (tensor<?x3xf32>, tensor<?x8xf32>) -> tensor<3x8xf32>
  %m = mx.mean %s {axis = array<i64: 0>} : (tensor<?x3xf32>) -> tensor<3xf32>
  return %s, %g, %m : tensor<?x3xf32>, tensor<3x8xf32>, tensor<3xf32>
}

// -----

// Broadcasting a (?, 1) column along the classes, as the VJP of a sum does.
// CHECK-LABEL: func.func @broadcast_column
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0 : tensor<?x1xf32>
// CHECK: tensor.empty(%[[B]]) : tensor<?x4xf32>
func.func @broadcast_column(%g: tensor<?x1xf32>) -> tensor<?x4xf32> {
  %0 = mx.broadcast_to %g {shape = array<i64: 0, 4>} : (tensor<?x1xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Static temporaries of a shape-generic function are still planned into one
// arena, but from malloc: the runtime's arena functions take and return bare
// pointers, which descriptor calls would get wrong.
// ARENA-NOT: mxjit_arena
// ARENA-LABEL: llvm.func @static_temporary(
// ARENA: llvm.call @malloc
// ARENA-NOT: mxjit_arena
func.func @static_temporary(%x: tensor<?x4xf32>, %w: tensor<4x4xf32>) -> tensor<?x4xf32> {
  %t = mx.transpose %w {axes = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %u = mx.exp %t : tensor<4x4xf32>
  %y = mx.dot %x, %u : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Ops whose lowering needs static shapes are rejected with a diagnostic on
// each op, not a crash; the runtime then keeps compiling per batch size.
func.func @concat(%a: tensor<?x3xf32>) -> tensor<?x6xf32> {
  // expected-error @below {{'mx.concat' op has dynamic shapes, which mx-to-linalg lowers only for}}
  %0 = mx.concat %a, %a {dim = 1 : i64} : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x6xf32>
  return %0 : tensor<?x6xf32>
}

// -----

// A `?` that no argument carries has no batch size to stand for.
func.func @no_batch_argument(%a: tensor<3xf32>, %s: tensor<2xi64>) -> tensor<?x3xf32> {
  %0 = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  // expected-error @below {{'mx.exp' op has dynamic shapes, but its function has no `?` argument dimension}}
  %1 = mx.exp %0 : tensor<?xf32>
  // expected-error @below {{'mx.reshape' op has dynamic shapes, but}}
  %2 = mx.reshape %1 {shape = array<i64: 1, 3>} : (tensor<?xf32>) -> tensor<1x3xf32>
  %3 = tensor.cast %2 : tensor<1x3xf32> to tensor<?x3xf32>
  return %3 : tensor<?x3xf32>
}
