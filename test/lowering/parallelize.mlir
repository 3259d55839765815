// RUN: mxjit-opt %s --mx-parallelize --split-input-file | FileCheck %s
// RUN: mxjit-opt %s --mx-parallelize='min-work=1000' --split-input-file | FileCheck %s --check-prefix=SMALL

// A big elementwise scf.parallel: its first dimension goes to the pool. The
// body gets [begin, end) of the rows, rebuilds the memrefs from the pointers
// in the context and recomputes the constants.
// CHECK-LABEL: func.func @add(
// CHECK-SAME: %[[A:.*]]: memref<1024x1024xf32>, %[[B:.*]]: memref<1024x1024xf32>, %[[C:.*]]: memref<1024x1024xf32>)
// CHECK: %[[CTX:.*]] = llvm.alloca %{{.*}} x i64
// CHECK: %[[PA:.*]] = memref.extract_aligned_pointer_as_index %[[A]]
// CHECK: %[[IA:.*]] = arith.index_cast %[[PA]] : index to i64
// CHECK: llvm.store %[[IA]]
// CHECK-COUNT-2: memref.extract_aligned_pointer_as_index
// CHECK: %[[N:.*]] = arith.constant 1024 : i64
// CHECK: %[[F:.*]] = constant @add_parallel0 : (!llvm.ptr, index, index) -> ()
// CHECK: call @mxjit_parallel_for(%[[F]], %[[CTX]], %[[N]])
// CHECK-NOT: scf.parallel
// CHECK: return
// CHECK: func.func private @add_parallel0(%[[CTXARG:.*]]: !llvm.ptr, %[[BEGIN:.*]]: index, %[[END:.*]]: index)
// CHECK-SAME: llvm.linkage = #llvm.linkage<internal>, mxjit.parallel_body
// CHECK: llvm.load %{{.*}} : !llvm.ptr -> !llvm.ptr
// CHECK: builtin.unrealized_conversion_cast %{{.*}} to memref<1024x1024xf32>
// CHECK: %[[LO:.*]] = arith.addi %{{.*}}, %{{.*}} : index
// CHECK: %[[HI:.*]] = arith.minsi
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = (%[[LO]], %{{.*}}) to (%[[HI]], %{{.*}})
// CHECK: func.func private @mxjit_parallel_for((!llvm.ptr, index, index) -> (), !llvm.ptr, i64)
func.func @add(%a: memref<1024x1024xf32>, %b: memref<1024x1024xf32>, %c: memref<1024x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1024 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<1024x1024xf32>
    %y = memref.load %b[%i, %j] : memref<1024x1024xf32>
    %s = arith.addf %x, %y : f32
    memref.store %s, %c[%i, %j] : memref<1024x1024xf32>
  }
  return
}

// -----

// A small loop stays on the calling thread.
// CHECK-LABEL: func.func @small(
// CHECK-NOT: mxjit_parallel_for
// CHECK: scf.parallel
// SMALL-LABEL: func.func @small(
// SMALL-NOT: mxjit_parallel_for
func.func @small(%a: memref<4x4xf32>, %c: memref<4x4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 4 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%n, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<4x4xf32>
    %s = arith.addf %x, %x : f32
    memref.store %s, %c[%i, %j] : memref<4x4xf32>
  }
  return
}

// -----

// A column sum: the reduction loop is outermost and never split. The
// parallel loop inside it is split per row only when one row is enough
// work (min-work=1000), and then the outer loop's index travels in the
// context.
// CHECK-LABEL: func.func @colsum(
// CHECK-NOT: mxjit_parallel_for
// CHECK: scf.for
// CHECK: scf.parallel
// SMALL-LABEL: func.func @colsum(
// SMALL: scf.for %[[I:.*]] =
// SMALL: %[[II:.*]] = arith.index_cast %[[I]] : index to i64
// SMALL: llvm.store %[[II]]
// SMALL: call @mxjit_parallel_for
// SMALL: func.func private @colsum_parallel0(
// SMALL: llvm.load %{{.*}} : !llvm.ptr -> i64
// SMALL: scf.parallel
func.func @colsum(%a: memref<512x1024xf32>, %c: memref<1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %m = arith.constant 512 : index
  %n = arith.constant 1024 : index
  scf.for %i = %c0 to %m step %c1 {
    scf.parallel (%j) = (%c0) to (%n) step (%c1) {
      %x = memref.load %a[%i, %j] : memref<512x1024xf32>
      %y = memref.load %c[%j] : memref<1024xf32>
      %s = arith.addf %x, %y : f32
      memref.store %s, %c[%j] : memref<1024xf32>
    }
  }
  return
}

// -----

// scf.for is split only when its producer marked it parallel, and never
// when it carries values between iterations.
// CHECK-LABEL: func.func @tiles(
// CHECK: call @mxjit_parallel_for
// CHECK-NOT: mxjit_parallel_for
// CHECK: scf.for {{.*}} iter_args
// CHECK: } {mxjit.parallel}
// CHECK: scf.for
// CHECK: return
// CHECK: func.func private @tiles_parallel0(
// CHECK: scf.for %{{.*}} = %[[LO:.*]] to %[[HI:.*]] step %{{.*}} {
func.func @tiles(%a: memref<256x256xf32>, %c: memref<256x256xf32>, %out: memref<1xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c8 = arith.constant 8 : index
  %n = arith.constant 256 : index
  %zero = arith.constant 0.0 : f32
  scf.for %i = %c0 to %n step %c8 {
    scf.for %ii = %c0 to %c8 step %c1 {
      scf.for %j = %c0 to %n step %c1 {
        %r = arith.addi %i, %ii : index
        %x = memref.load %a[%r, %j] : memref<256x256xf32>
        memref.store %x, %c[%r, %j] : memref<256x256xf32>
      }
    }
  } {mxjit.parallel}
  %sum = scf.for %i = %c0 to %n step %c1 iter_args(%acc = %zero) -> f32 {
    %t = scf.for %j = %c0 to %n step %c1 iter_args(%acc2 = %acc) -> f32 {
      %x = memref.load %a[%i, %j] : memref<256x256xf32>
      %s = arith.addf %acc2, %x : f32
      scf.yield %s : f32
    }
    scf.yield %t : f32
  } {mxjit.parallel}
  memref.store %sum, %out[%c0] : memref<1xf32>
  scf.for %i = %c0 to %n step %c1 {
    scf.for %j = %c0 to %n step %c1 {
      %x = memref.load %a[%i, %j] : memref<256x256xf32>
      memref.store %x, %c[%j, %i] : memref<256x256xf32>
    }
  }
  return
}

// -----

// Dynamic shapes cannot travel as a bare pointer: left alone.
// CHECK-LABEL: func.func @dynamic(
// CHECK-NOT: mxjit_parallel_for
func.func @dynamic(%a: memref<?x1024xf32>, %c: memref<?x1024xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %n = arith.constant 1024 : index
  %m = memref.dim %a, %c0 : memref<?x1024xf32>
  scf.parallel (%i, %j) = (%c0, %c0) to (%m, %n) step (%c1, %c1) {
    %x = memref.load %a[%i, %j] : memref<?x1024xf32>
    memref.store %x, %c[%i, %j] : memref<?x1024xf32>
  }
  return
}
