// RUN: mxjit-opt %s --mx-outline-loop-nests='group-ops=10' | FileCheck %s
// RUN: mxjit-opt %s --mx-outline-loop-nests='group-ops=0' | FileCheck %s --check-prefix=SPLIT
// RUN: mxjit-opt %s --mx-outline-loop-nests | FileCheck %s --check-prefix=GROUP
// RUN: mxjit-opt %s --mx-lower-to-llvm | mlir-translate --mlir-to-llvmir | opt -O3 -S | FileCheck %s --check-prefix=O3
// RUN: mxjit-opt %s --mx-lower-to-llvm=outline-loop-nests=false | FileCheck %s --check-prefix=OFF

// Each top-level loop nest becomes a private no-inline kernel called from
// where it was; LLVM's per-loop work then scales with the kernel, not with
// the whole function.

// CHECK-LABEL: func.func @nests(
// CHECK-SAME: %[[X:.*]]: memref<4x8xf32>, %[[OUT:.*]]: memref<4xf32>
// The allocation stays in the caller.
// CHECK: %[[A:.*]] = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
// CHECK-NEXT: call @nests_kernel0(%[[X]], %[[A]]) : (memref<4x8xf32>, memref<4x8xf32>) -> ()
// The view is rebuilt inside the kernel: only the base crosses the call.
// CHECK-NEXT: call @nests_kernel1(%[[OUT]], %[[A]]) : (memref<4xf32>, memref<4x8xf32>) -> ()
// CHECK-NEXT: return

// CHECK: func.func private @nests_kernel0(%{{.*}}: memref<4x8xf32>, %{{.*}}: memref<4x8xf32>)
// CHECK-SAME: llvm.linkage = #llvm.linkage<internal>
// CHECK-SAME: passthrough = ["noinline"]
// Constants are cloned into the kernel, not passed.
// CHECK-DAG: arith.constant 2.000000e+00 : f32
// CHECK-DAG: arith.constant 8 : index
// CHECK: scf.for
// CHECK: scf.for
// CHECK: arith.mulf
// CHECK: return

// CHECK: func.func private @nests_kernel1(%[[O:.*]]: memref<4xf32>, %[[B:.*]]: memref<4x8xf32>)
// CHECK-SAME: passthrough = ["noinline"]
// CHECK: %[[V:.*]] = memref.subview %[[B]][0, 2] [4, 1] [1, 1]
// The two small nests at the end share one kernel (7 + 4 ops > 10 >= 4 + 5).
// CHECK: scf.for
// CHECK: memref.load %[[V]]
// CHECK: scf.for
// CHECK: return

// SPLIT-LABEL: func.func @nests(
// SPLIT: call @nests_kernel0(
// SPLIT: call @nests_kernel1(
// SPLIT: call @nests_kernel2(
// SPLIT-NOT: call

// By default (64 ops) all three small nests share one kernel.
// GROUP-LABEL: func.func @nests(
// GROUP: call @nests_kernel0(
// GROUP-NOT: call

// After O3 the (default-grouped) kernel is still a separate function,
// called from @nests.
// O3-LABEL: define void @nests(
// O3: call {{.*}}void @nests_kernel0(
// O3: define internal {{.*}}void @nests_kernel0({{.*}}) {{.*}}#[[ATTR:[0-9]+]]
// O3: attributes #[[ATTR]] = { {{.*}}noinline

// OFF-LABEL: llvm.func @nests(
// OFF-NOT: llvm.call @nests_kernel
// OFF-NOT: @nests_kernel
func.func @nests(%x: memref<4x8xf32>, %out: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  %two = arith.constant 2.0 : f32
  %a = memref.alloc() {alignment = 64 : i64} : memref<4x8xf32>
  scf.for %i = %c0 to %c4 step %c1 {
    scf.for %j = %c0 to %c8 step %c1 {
      %v = memref.load %x[%i, %j] : memref<4x8xf32>
      %m = arith.mulf %v, %two : f32
      memref.store %m, %a[%i, %j] : memref<4x8xf32>
    }
  }
  %col = memref.subview %a[0, 2] [4, 1] [1, 1] : memref<4x8xf32> to memref<4xf32, strided<[8], offset: 2>>
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %col[%i] : memref<4xf32, strided<[8], offset: 2>>
    memref.store %v, %out[%i] : memref<4xf32>
  }
  scf.for %i = %c0 to %c4 step %c1 {
    %v = memref.load %out[%i] : memref<4xf32>
    %m = arith.mulf %v, %v : f32
    memref.store %m, %out[%i] : memref<4xf32>
  }
  return
}

// Private functions (and kernels from an earlier run) are left alone.
// CHECK-LABEL: func.func private @helper(
// CHECK: scf.for
// CHECK-NOT: call
func.func private @helper(%x: memref<4xf32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %z = arith.constant 0.0 : f32
  scf.for %i = %c0 to %c4 step %c1 {
    memref.store %z, %x[%i] : memref<4xf32>
  }
  return
}
