// RUN: mxjit-opt %s --pass-pipeline='builtin.module(func.func(mx-gpu-map-loops{block-size=128}))' --split-input-file --verify-diagnostics | FileCheck %s

// A 2-d parallel loop becomes ceil(24*50 / 128) = 10 blocks of 128 threads
// with a guard, the flat index split back into (i, j), j fastest.
// CHECK-LABEL: func.func @elementwise
// CHECK-DAG: %[[C10:.*]] = arith.constant 10 : index
// CHECK-DAG: %[[C128:.*]] = arith.constant 128 : index
// CHECK-DAG: %[[C1200:.*]] = arith.constant 1200 : index
// CHECK: scf.parallel (%[[B:.*]]) = (%{{.*}}) to (%[[C10]])
// CHECK: scf.parallel (%[[T:.*]]) = (%{{.*}}) to (%[[C128]])
// CHECK: %[[IDX:.*]] = arith.addi
// CHECK: %[[IN:.*]] = arith.cmpi ult, %[[IDX]], %[[C1200]]
// CHECK: scf.if %[[IN]]
// CHECK: arith.remui %[[IDX]]
// CHECK: arith.divui %[[IDX]]
// CHECK: memref.load
// CHECK: memref.store
// CHECK: mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: mapping = [#gpu.loop_dim_map<processor = block_x
func.func @elementwise(%a: memref<24x50xf32>, %b: memref<24x50xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c24 = arith.constant 24 : index
  %c50 = arith.constant 50 : index
  scf.parallel (%i, %j) = (%c0, %c0) to (%c24, %c50) step (%c1, %c1) {
    %v = memref.load %a[%i, %j] : memref<24x50xf32>
    %e = math.exp %v : f32
    memref.store %e, %b[%i, %j] : memref<24x50xf32>
    scf.reduce
  }
  return
}

// -----

// A full reduction (serial loops), the scalar store before it and the
// rank-0 memref.copy after it are one run of device work: one block of one
// thread. Allocation stays on the host.
// CHECK-LABEL: func.func @reduction
// CHECK: memref.alloc
// CHECK: scf.parallel
// CHECK: scf.parallel
// CHECK: memref.store
// CHECK: scf.for
// CHECK: scf.for
// CHECK: memref.store %{{.*}}, %arg1[] : memref<f32>
// CHECK: mapping = [#gpu.loop_dim_map<processor = thread_x
// CHECK: mapping = [#gpu.loop_dim_map<processor = block_x
// CHECK-NOT: memref.copy
// CHECK: memref.dealloc
func.func @reduction(%a: memref<4x8xf32>, %out: memref<f32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %cst = arith.constant 0.0 : f32
  %acc = memref.alloc() : memref<f32>
  memref.store %cst, %acc[] : memref<f32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %a[%i, %j] : memref<4x8xf32>
      %s = memref.load %acc[] : memref<f32>
      %t = arith.addf %v, %s : f32
      memref.store %t, %acc[] : memref<f32>
    }
  }
  memref.copy %acc, %out : memref<f32> to memref<f32>
  memref.dealloc %acc : memref<f32>
  return
}

// -----

// A value loaded on the device cannot flow back into host code.
func.func @escaping(%a: memref<4xf32>, %n: memref<4xindex>) -> index {
  %c0 = arith.constant 0 : index
  // expected-error@+1 {{computes a value that host code uses after it}}
  %v = memref.load %n[%c0] : memref<4xindex>
  %d = memref.dim %a, %v : memref<4xf32>
  return %d : index
}
