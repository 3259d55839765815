// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-donate-destinations))' | FileCheck %s
// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-donate-destinations),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,buffer-deallocation-pipeline,convert-bufferization-to-memref,mx-plan-memory,func.func(mx-donate-out-params))' | FileCheck %s --check-prefix=BUF

#id = affine_map<(d0) -> (d0)>

// The update w' = w - g (result 0) is built in %w's tensor instead of a
// tensor.empty shared with the other result; %w gets the index its result
// takes as an out-parameter (2 arguments + result 0).
// CHECK-LABEL: func.func @update
// CHECK-SAME: (%[[W:.*]]: tensor<16xf32> {mx.donate = 0 : i64, mx.donate_out = 2 : i64}, %[[G:.*]]: tensor<16xf32>)
// CHECK: %[[E:.*]] = tensor.empty()
// CHECK: linalg.generic {{.*}} ins(%[[W]], %[[G]] : {{.*}}) outs(%[[W]] : tensor<16xf32>)
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<16xf32>)

// After bufferization the update writes %w's buffer in place: no buffer of
// its own, and the result reaches out-parameter %arg2 by a copy that runs
// only when the caller passed another pointer than %w's. The second result,
// which reads the new weight, is computed straight into its out-parameter.
// BUF-LABEL: func.func @update
// BUF-SAME: (%[[W:.*]]: memref<16xf32>, %[[G:.*]]: memref<16xf32>, %[[O0:.*]]: memref<16xf32>, %[[O1:.*]]: memref<16xf32>)
// BUF-NOT: memref.alloc
// BUF: linalg.generic {{.*}} ins(%[[W]], %[[G]] : {{.*}}) outs(%[[W]] : memref<16xf32>)
// BUF: linalg.generic {{.*}} ins(%[[W]] : memref<16xf32>) outs(%[[O1]] : memref<16xf32>)
// BUF: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[W]]
// BUF: %[[Q:.*]] = memref.extract_aligned_pointer_as_index %[[O0]]
// BUF: %[[NE:.*]] = arith.cmpi ne, %[[P]], %[[Q]]
// BUF: scf.if %[[NE]] {
// BUF-NEXT: memref.copy %[[W]], %[[O0]]
// BUF-NEXT: }
// BUF-NEXT: return
func.func @update(%w: tensor<16xf32> {mx.donate = 0 : i64}, %g: tensor<16xf32>) -> (tensor<16xf32>, tensor<16xf32>) {
  %e = tensor.empty() : tensor<16xf32>
  %w2 = linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%w, %g : tensor<16xf32>, tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %b: f32, %o: f32):
    %d = arith.subf %a, %b : f32
    linalg.yield %d : f32
  } -> tensor<16xf32>
  %sq = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%w2 : tensor<16xf32>) outs(%e : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %m = arith.mulf %a, %a : f32
    linalg.yield %m : f32
  } -> tensor<16xf32>
  return %w2, %sq : tensor<16xf32>, tensor<16xf32>
}

// The destination chain goes through scf.for and tensor.insert_slice down
// to the tensor.empty. Bufferization cannot prove that the loop reads each
// row of %w before writing it, so it copies %w first; that copy is the
// argument's only use and comes before any use of the out-parameter, so
// sharing one buffer is safe as it is (no guard, no second copy).
// CHECK-LABEL: func.func @loop
// CHECK-SAME: (%[[W:.*]]: tensor<4x8xf32> {mx.donate = 0 : i64, mx.donate_out = 1 : i64})
// CHECK: scf.for {{.*}} iter_args(%{{.*}} = %[[W]])
// BUF-LABEL: func.func @loop
// BUF-SAME: (%[[W:.*]]: memref<4x8xf32>, %[[O:.*]]: memref<4x8xf32>)
// BUF-NEXT: %[[OLD:.*]] = memref.alloc()
// BUF-NEXT: memref.copy %[[W]], %[[OLD]]
// BUF-NOT: %[[W]]
// BUF: memref.subview %[[OLD]]
// BUF-NOT: %[[W]]
// BUF: return
func.func @loop(%w: tensor<4x8xf32> {mx.donate = 0 : i64}) -> tensor<4x8xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %e = tensor.empty() : tensor<4x8xf32>
  %r = scf.for %i = %c0 to %c4 step %c1 iter_args(%acc = %e) -> tensor<4x8xf32> {
    %row = tensor.extract_slice %w[%i, 0] [1, 8] [1, 1] : tensor<4x8xf32> to tensor<8xf32>
    %re = tensor.empty() : tensor<8xf32>
    %neg = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%row : tensor<8xf32>) outs(%re : tensor<8xf32>) {
    ^bb0(%a: f32, %o: f32):
      %n = arith.negf %a : f32
      linalg.yield %n : f32
    } -> tensor<8xf32>
    %ins = tensor.insert_slice %neg into %acc[%i, 0] [1, 8] [1, 1] : tensor<8xf32> into tensor<4x8xf32>
    scf.yield %ins : tensor<4x8xf32>
  }
  return %r : tensor<4x8xf32>
}

// A result whose destination chain does not start at a tensor.empty (here
// a constant) keeps it; bufferization and mx-donate-out-params then decide.
// CHECK-LABEL: func.func @constant_destination
// CHECK: %[[C:.*]] = arith.constant dense<1.000000e+00>
// CHECK: linalg.generic {{.*}} outs(%[[C]] : tensor<16xf32>)
// BUF-LABEL: func.func @constant_destination
// BUF-NOT: scf.if
// BUF: return
func.func @constant_destination(%w: tensor<16xf32> {mx.donate = 0 : i64}) -> tensor<16xf32> {
  %c = arith.constant dense<1.0> : tensor<16xf32>
  %s = linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%w : tensor<16xf32>) outs(%c : tensor<16xf32>) {
  ^bb0(%a: f32, %o: f32):
    %d = arith.addf %a, %o : f32
    linalg.yield %d : f32
  } -> tensor<16xf32>
  return %s : tensor<16xf32>
}
