// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-distinct-results))' | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s --check-prefix=LLVM

// A value returned twice gets a copy for the repeat, so each result can
// become its own out-parameter.
// CHECK-LABEL: func.func @twice
// CHECK: %[[E:.*]] = mx.exp %arg0
// CHECK: %[[INIT:.*]] = tensor.empty() : tensor<4xf64>
// CHECK: %[[C:.*]] = linalg.copy ins(%[[E]] : tensor<4xf64>) outs(%[[INIT]] : tensor<4xf64>)
// CHECK: return %[[E]], %[[C]], %arg0
// LLVM-LABEL: llvm.func @twice(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr, %arg3: !llvm.ptr)
func.func @twice(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>, tensor<4xf64>) {
  %0 = mx.exp %x : tensor<4xf64>
  return %0, %0, %x : tensor<4xf64>, tensor<4xf64>, tensor<4xf64>
}

// An argument returned twice is copied too; distinct results are untouched.
// CHECK-LABEL: func.func @argument_twice
// CHECK: %[[C:.*]] = linalg.copy ins(%arg0
// CHECK: return %arg0, %[[C]]
// CHECK-LABEL: func.func @distinct
// CHECK-NOT: linalg.copy
// LLVM-LABEL: llvm.func @argument_twice(%arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: !llvm.ptr)
func.func @argument_twice(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  return %x, %x : tensor<4xf64>, tensor<4xf64>
}
func.func @distinct(%x: tensor<4xf64>) -> (tensor<4xf64>, tensor<4xf64>) {
  %0 = mx.exp %x : tensor<4xf64>
  return %0, %x : tensor<4xf64>, tensor<4xf64>
}
