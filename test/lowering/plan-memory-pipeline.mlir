// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm=plan-memory=false | FileCheck %s --check-prefix=OFF

// mx-lower-to-llvm plans memory by default: the temporaries of a small MLP
// forward pass come from one arena taken from the runtime's block cache
// (mxjit_arena_acquire, a plain C call with a bare pointer result) and
// given back once (mxjit_arena_release); nothing else is malloc'ed, and the
// figures stay on the llvm.func for the runtime (the temporaries include the
// transposed weights mx-tile-and-vectorize copies). With plan-memory=false
// each temporary has its own malloc/free and no figures are recorded.
// The temporaries include the 32x16 transposed copy of %w1 (2048 bytes)
// that mx-tile-and-vectorize reads the first product's weight through, and
// the 8x4 second product, which mx-vectorize-reductions computes as dot
// products into a buffer of its own.
// CHECK-DAG: llvm.func @mxjit_arena_acquire(i64) -> !llvm.ptr
// CHECK-DAG: llvm.func @mxjit_arena_release(!llvm.ptr)
// CHECK-LABEL: llvm.func @mlp
// CHECK-SAME: attributes {mx.naive_bytes = 2720 : i64, mx.planned_peak_bytes = 2560 : i64}
// CHECK: llvm.call @mxjit_arena_acquire(%{{.*}}) : (i64) -> !llvm.ptr
// CHECK-NOT: llvm.call @malloc
// CHECK: llvm.call @mxjit_arena_release(%{{.*}}) : (!llvm.ptr) -> ()
// CHECK-NOT: llvm.call @free
// CHECK: llvm.return
// OFF-LABEL: llvm.func @mlp
// OFF-NOT: mx.naive_bytes
// OFF-COUNT-2: llvm.call @malloc
func.func @mlp(%x: tensor<8x32xf32>, %w1: tensor<16x32xf32>, %b1: tensor<16xf32>, %w2: tensor<4x16xf32>, %b2: tensor<4xf32>) -> tensor<8x4xf32> {
  %h1 = mx.fully_connected %x, %w1, %b1 {num_hidden = 16 : i64} : (tensor<8x32xf32>, tensor<16x32xf32>, tensor<16xf32>) -> tensor<8x16xf32>
  %r1 = mx.relu %h1 : tensor<8x16xf32>
  %h2 = mx.fully_connected %r1, %w2, %b2 {num_hidden = 4 : i64} : (tensor<8x16xf32>, tensor<4x16xf32>, tensor<4xf32>) -> tensor<8x4xf32>
  %ls = mx.log_softmax %h2 {axis = 1 : i64} : tensor<8x4xf32>
  return %ls : tensor<8x4xf32>
}
