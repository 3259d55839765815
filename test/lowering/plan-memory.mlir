// RUN: mxjit-opt %s --split-input-file --pass-pipeline='builtin.module(mx-plan-memory{runtime-arena=false})' | FileCheck %s
// RUN: mxjit-opt %s --split-input-file --pass-pipeline='builtin.module(mx-plan-memory{in-place=false runtime-arena=false})' | FileCheck %s --check-prefix=NOINPLACE

#id = affine_map<(d0) -> (d0)>

// Two temporaries whose lifetimes do not overlap share one 64-byte slot:
// %a dies at the second op, %b is first written at the third.
// CHECK-LABEL: func.func @reuse
// CHECK-SAME: mx.naive_bytes = 128 : i64, mx.planned_peak_bytes = 64 : i64
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<64xi8> to memref<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[A]] : memref<16xf32>)
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<64xi8> to memref<16xf32>
// CHECK: linalg.generic {{.*}} outs(%[[B]] : memref<16xf32>)
// CHECK-NOT: memref.dealloc %[[A]]
// CHECK-NOT: memref.dealloc %[[B]]
// CHECK: memref.dealloc %[[ARENA]] : memref<64xi8>
// CHECK-NEXT: return
func.func @reuse(%x: memref<16xf32>, %out: memref<16xf32>) {
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
  %b = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%out : memref<16xf32>) outs(%b : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%b, %x : memref<16xf32>, memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %e = arith.addf %i, %j : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// Both temporaries are live at the last op, so they get disjoint slots; a
// 12-byte buffer still takes a whole 64-byte slot.
// CHECK-LABEL: func.func @overlap
// CHECK-SAME: mx.naive_bytes = 24 : i64, mx.planned_peak_bytes = 128 : i64
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<128xi8>
// CHECK-DAG: %[[C0:.*]] = arith.constant 0 : index
// CHECK-DAG: %[[C64:.*]] = arith.constant 64 : index
// CHECK-DAG: memref.view %[[ARENA]][%[[C0]]][] : memref<128xi8> to memref<3xf32>
// CHECK-DAG: memref.view %[[ARENA]][%[[C64]]][] : memref<128xi8> to memref<3xf32>
// CHECK: memref.dealloc %[[ARENA]] :
func.func @overlap(%x: memref<3xf32>, %out: memref<3xf32>) {
  %a = memref.alloc() : memref<3xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<3xf32>) outs(%a : memref<3xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  %b = memref.alloc() : memref<3xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<3xf32>) outs(%b : memref<3xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%a, %b : memref<3xf32>, memref<3xf32>) outs(%out : memref<3xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %e = arith.addf %i, %j : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<3xf32>
  memref.dealloc %b : memref<3xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// %a dies at the op that first writes %b, an elementwise op reading and
// writing both through identity maps: %b is written over %a (same slot).
// Without in-place updates they overlap at that op and need two slots.
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: mx.planned_peak_bytes = 64 : i64
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64xi8>
// CHECK: %[[A:.*]] = memref.view %[[ARENA]][%[[C0:.*]]][]
// CHECK: %[[B:.*]] = memref.view %[[ARENA]][%[[C0]]][]
// CHECK: linalg.generic {{.*}} ins(%[[A]] : memref<16xf32>) outs(%[[B]] : memref<16xf32>)
// NOINPLACE-LABEL: func.func @in_place
// NOINPLACE-SAME: mx.planned_peak_bytes = 128 : i64
// NOINPLACE: memref.alloc() {alignment = 64 : i64} : memref<128xi8>
func.func @in_place(%x: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  %b = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%b : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%b, %x : memref<16xf32>, memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %j: f32, %o: f32):
    %e = arith.addf %i, %j : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>
#rev = affine_map<(d0) -> (15 - d0)>

// Reading the dying input through a non-identity map is not elementwise:
// element i of the result would overwrite an input element still to be
// read, so the two keep separate slots.
// CHECK-LABEL: func.func @reversed_not_in_place
// CHECK-SAME: mx.planned_peak_bytes = 128 : i64
func.func @reversed_not_in_place(%x: memref<16xf32>, %out: memref<16xf32>) {
  %a = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  %b = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#rev, #id], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%b : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    linalg.yield %i : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%b : memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<16xf32>
  memref.dealloc %b : memref<16xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// A view extends its buffer's lifetime: %a is read through the collapsed
// view at the copy, after %b has been written, so they cannot share.
// CHECK-LABEL: func.func @view_keeps_alive
// CHECK-SAME: mx.naive_bytes = 48 : i64, mx.planned_peak_bytes = 128 : i64
func.func @view_keeps_alive(%x: memref<2x4xf32>, %out: memref<8xf32>, %out2: memref<4xf32>) {
  %a = memref.alloc() : memref<2x4xf32>
  memref.copy %x, %a : memref<2x4xf32> to memref<2x4xf32>
  %v = memref.collapse_shape %a [[0, 1]] : memref<2x4xf32> into memref<8xf32>
  %b = memref.alloc() : memref<4xf32>
  %s = memref.subview %x[0, 0] [1, 4] [1, 1] : memref<2x4xf32> to memref<4xf32, strided<[1]>>
  memref.copy %s, %b : memref<4xf32, strided<[1]>> to memref<4xf32>
  memref.copy %v, %out : memref<8xf32> to memref<8xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%b : memref<4xf32>) outs(%out2 : memref<4xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  memref.dealloc %a : memref<2x4xf32>
  memref.dealloc %b : memref<4xf32>
  return
}

// -----

// Left alone: an allocation inside a loop whose iterations may run on
// several threads at once (`mxjit.parallel`), one of dynamic shape and one
// the function returns. Only the static temporary %t is planned; the naive sum
// counts every static allocation, and the planned peak adds the unplanned
// static ones to the arena.
// CHECK-LABEL: func.func @left_alone
// CHECK-SAME: mx.naive_bytes = 48 : i64, mx.planned_peak_bytes = 96 : i64
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64xi8>
// CHECK: memref.alloc(%arg1) : memref<?xf32>
// CHECK: scf.for
// CHECK-NEXT: %[[L:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc %[[L]]
// CHECK: %[[R:.*]] = memref.alloc() : memref<4xf32>
// CHECK: memref.dealloc %[[ARENA]] :
// CHECK-NEXT: return %[[R]]
func.func @left_alone(%x: memref<4xf32>, %n: index) -> memref<4xf32> {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %d = memref.alloc(%n) : memref<?xf32>
  %t = memref.alloc() : memref<4xf32>
  memref.copy %x, %t : memref<4xf32> to memref<4xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    %l = memref.alloc() : memref<4xf32>
    memref.copy %t, %l : memref<4xf32> to memref<4xf32>
    memref.dealloc %l : memref<4xf32>
  } {mxjit.parallel}
  %r = memref.alloc() : memref<4xf32>
  memref.copy %t, %r : memref<4xf32> to memref<4xf32>
  memref.dealloc %t : memref<4xf32>
  memref.dealloc %d : memref<?xf32>
  return %r : memref<4xf32>
}

// -----

// A buffer allocated and freed in every iteration of sequential loops (a
// backward_weight batch loop's per-sample im2col copy) becomes one buffer
// for the whole outer loop, in the arena: here it shares the slot of %t,
// which dies before the loop. One that an iteration hands on (%k, yielded)
// stays in the loop.
// CHECK-LABEL: func.func @hoist_from_sequential_loop
// CHECK-SAME: mx.naive_bytes = 192 : i64, mx.planned_peak_bytes = 128 : i64
// CHECK: %[[ARENA:.*]] = memref.alloc() {alignment = 64 : i64} : memref<64xi8>
// CHECK: %[[C0:.*]] = arith.constant 0 : index
// CHECK: memref.view %[[ARENA]][%[[C0]]][] : memref<64xi8> to memref<16xf32>
// CHECK: %[[L:.*]] = memref.view %[[ARENA]][%[[C0]]][] : memref<64xi8> to memref<4x4xf32>
// CHECK-NEXT: scf.for
// CHECK-NEXT: scf.for
// CHECK-NEXT: memref.copy %arg0, %[[L]]
// CHECK-NEXT: }
// CHECK-NEXT: }
// CHECK: scf.for {{.*}} iter_args
// CHECK-NEXT: %[[K:.*]] = memref.alloc() : memref<16xf32>
// CHECK-NOT: memref.dealloc %[[L]]
// CHECK: memref.dealloc %[[ARENA]] : memref<64xi8>
func.func @hoist_from_sequential_loop(%x: memref<4x4xf32>, %y: memref<16xf32>, %out: memref<16xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %t = memref.alloc() : memref<16xf32>
  memref.copy %y, %t : memref<16xf32> to memref<16xf32>
  memref.copy %t, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %t : memref<16xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c4 step %c1 {
      %l = memref.alloc() : memref<4x4xf32>
      memref.copy %x, %l : memref<4x4xf32> to memref<4x4xf32>
      memref.dealloc %l : memref<4x4xf32>
    }
  }
  %last = scf.for %i = %c0 to %c4 step %c1 iter_args(%prev = %y) -> (memref<16xf32>) {
    %k = memref.alloc() : memref<16xf32>
    memref.copy %prev, %k : memref<16xf32> to memref<16xf32>
    scf.yield %k : memref<16xf32>
  }
  memref.copy %last, %out : memref<16xf32> to memref<16xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// A result computed into a temporary and copied into its out-parameter just
// before the return is written into the out-parameter directly: no arena,
// no copy, and the naive figure still counts the temporary.
// CHECK-LABEL: func.func @forward_into_output
// CHECK-SAME: (%[[X:.*]]: memref<16xf32>, %[[OUT:.*]]: memref<16xf32>)
// CHECK-SAME: mx.naive_bytes = 64 : i64, mx.planned_peak_bytes = 0 : i64
// CHECK-NOT: memref.alloc
// CHECK: linalg.generic {{.*}} ins(%[[X]] : memref<16xf32>) outs(%[[OUT]] : memref<16xf32>)
// CHECK-NOT: memref.copy
// CHECK-NOT: memref.dealloc
// CHECK: return
func.func @forward_into_output(%x: memref<16xf32>, %out: memref<16xf32>) {
  %t = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%t : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  memref.copy %t, %out : memref<16xf32> to memref<16xf32>
  memref.dealloc %t : memref<16xf32>
  return
}

// -----

#id = affine_map<(d0) -> (d0)>

// Not forwarded: the out-parameter is also written before the copy (its
// contents there must not be overwritten early), and a temporary read after
// its copy must stay itself.
// CHECK-LABEL: func.func @not_forwarded
// CHECK-SAME: mx.naive_bytes = 128 : i64
// CHECK: memref.copy %{{.*}}, %arg1
// CHECK: memref.copy %{{.*}}, %arg2
func.func @not_forwarded(%x: memref<16xf32>, %out: memref<16xf32>, %out2: memref<16xf32>) {
  %t = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%t : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%t : memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  memref.copy %t, %out : memref<16xf32> to memref<16xf32>
  %u = memref.alloc() : memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%x : memref<16xf32>) outs(%u : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.sqrt %i : f32
    linalg.yield %e : f32
  }
  memref.copy %u, %out2 : memref<16xf32> to memref<16xf32>
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%u : memref<16xf32>) outs(%out : memref<16xf32>) {
  ^bb0(%i: f32, %o: f32):
    %e = math.exp %i : f32
    linalg.yield %e : f32
  }
  memref.dealloc %t : memref<16xf32>
  memref.dealloc %u : memref<16xf32>
  return
}
