// RUN: mxjit-opt %s --split-input-file --pass-pipeline='builtin.module(mx-plan-memory)' | FileCheck %s

#id = affine_map<(d0) -> (d0)>

// By default the arena comes from the runtime: one call to
// @mxjit_arena_acquire with the planned size, its one-byte handle
// reinterpreted at the arena's size, and one @mxjit_arena_release of the
// handle before the return. Both functions are declared once for the
// module, even though two functions use them.
// CHECK-DAG: func.func private @mxjit_arena_acquire(i64) -> memref<1xi8>
// CHECK-DAG: func.func private @mxjit_arena_release(memref<1xi8>)
// CHECK-LABEL: func.func @first
// CHECK-SAME: mx.planned_peak_bytes = 64 : i64
// CHECK: %[[SIZE:.*]] = arith.constant 64 : i64
// CHECK: %[[H:.*]] = call @mxjit_arena_acquire(%[[SIZE]]) : (i64) -> memref<1xi8>
// CHECK: %[[ARENA:.*]] = memref.reinterpret_cast %[[H]] to offset: [0], sizes: [64], strides: [1] : memref<1xi8> to memref<64xi8>
// CHECK: memref.view %[[ARENA]]
// CHECK-NOT: memref.alloc
// CHECK-NOT: memref.dealloc
// CHECK: call @mxjit_arena_release(%[[H]]) : (memref<1xi8>) -> ()
// CHECK-NEXT: return
// CHECK-LABEL: func.func @second
// CHECK: call @mxjit_arena_acquire
// CHECK: call @mxjit_arena_release
func.func @first(%x: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<16xf32>
  return
}

func.func @second(%x: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<16xf32>
  return
}

// -----

// A function with no temporaries needs no arena and no declarations.
// CHECK: // -----
// CHECK-NOT: mxjit_arena
// CHECK: func.func @none
// CHECK-NOT: mxjit_arena
func.func @none(%x: memref<16xf32>) {
  return
}
