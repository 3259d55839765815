// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-donate-out-params))' | FileCheck %s

// Out-parameter %o may be the very buffer of donated argument %a
// (mx.donate_out names it). Each function shows one way the pass keeps the
// code right for that; all drop the donation attributes.

#id = affine_map<(d0) -> (d0)>

// Computed in place in %a, then copied out: the copy only runs when the
// caller passed distinct buffers.
// CHECK-NOT: mx.donate
// CHECK-LABEL: func.func @in_place
// CHECK-SAME: (%[[A:.*]]: memref<16xf32>, %[[O:.*]]: memref<16xf32>)
// CHECK: linalg.generic {{.*}} outs(%[[A]] : memref<16xf32>)
// CHECK: %[[P:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[Q:.*]] = memref.extract_aligned_pointer_as_index %[[O]]
// CHECK: %[[NE:.*]] = arith.cmpi ne, %[[P]], %[[Q]] : index
// CHECK: scf.if %[[NE]] {
// CHECK-NEXT: memref.copy %[[A]], %[[O]]
func.func @in_place(%a: memref<16xf32> {mx.donate = 0 : i64, mx.donate_out = 1 : i64}, %o: memref<16xf32>) {
  linalg.generic {indexing_maps = [#id, #id], iterator_types = ["parallel"]} ins(%a : memref<16xf32>) outs(%a : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32):
    %n = arith.negf %x : f32
    linalg.yield %n : f32
  }
  memref.copy %a, %o : memref<16xf32> to memref<16xf32>
  return
}

// Every use of %a (and its view) comes before the first use of %o: left
// as it is.
// CHECK-LABEL: func.func @ordered
// CHECK-SAME: (%[[A:.*]]: memref<16xf32>, %[[G:.*]]: memref<16xf32>, %[[T:.*]]: memref<16xf32>, %[[O:.*]]: memref<16xf32>)
// CHECK-NOT: memref.alloc
// CHECK-NOT: scf.if
// CHECK: memref.copy %[[T]], %[[O]]
// CHECK-NEXT: return
func.func @ordered(%a: memref<16xf32> {mx.donate = 0 : i64, mx.donate_out = 3 : i64}, %g: memref<16xf32>, %t: memref<16xf32>, %o: memref<16xf32>) {
  %v = memref.subview %a[0] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1]>>
  %w = memref.subview %t[0] [8] [1] : memref<16xf32> to memref<8xf32, strided<[1]>>
  memref.copy %v, %w : memref<8xf32, strided<[1]>> to memref<8xf32, strided<[1]>>
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%a, %g : memref<16xf32>, memref<16xf32>) outs(%t : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  }
  memref.copy %t, %o : memref<16xf32> to memref<16xf32>
  return
}

// %o is written before %a is read for the last time: %a is copied on entry
// and the body reads the copy.
// CHECK-LABEL: func.func @late_read
// CHECK-SAME: (%[[A:.*]]: memref<16xf32>, %[[G:.*]]: memref<16xf32>, %[[O:.*]]: memref<16xf32>)
// CHECK-NEXT: %[[OLD:.*]] = memref.alloc() {alignment = 64 : i64} : memref<16xf32>
// CHECK-NEXT: memref.copy %[[A]], %[[OLD]]
// CHECK-NEXT: linalg.generic {{.*}} ins(%[[OLD]], %[[G]] : {{.*}}) outs(%[[O]] : memref<16xf32>)
// CHECK: linalg.generic {{.*}} ins(%[[O]], %[[OLD]] : {{.*}}) outs(%[[O]] : memref<16xf32>)
// CHECK: memref.dealloc %[[OLD]]
// CHECK-NEXT: return
func.func @late_read(%a: memref<16xf32> {mx.donate = 0 : i64, mx.donate_out = 2 : i64}, %g: memref<16xf32>, %o: memref<16xf32>) {
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%a, %g : memref<16xf32>, memref<16xf32>) outs(%o : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %s = arith.subf %x, %y : f32
    linalg.yield %s : f32
  }
  linalg.generic {indexing_maps = [#id, #id, #id], iterator_types = ["parallel"]} ins(%o, %a : memref<16xf32>, memref<16xf32>) outs(%o : memref<16xf32>) {
  ^bb0(%x: f32, %y: f32, %z: f32):
    %m = arith.mulf %x, %y : f32
    linalg.yield %m : f32
  }
  return
}

