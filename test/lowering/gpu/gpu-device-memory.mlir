// RUN: mxjit-opt %s --mx-gpu-device-memory | FileCheck %s

// Host temporaries live in device memory; allocations inside kernels are
// left alone.
// CHECK-LABEL: func.func @temps
// CHECK: %[[M:.*]] = gpu.alloc () : memref<16xf32>
// CHECK: gpu.launch
// CHECK: memref.alloca
// CHECK: gpu.dealloc %[[M]] : memref<16xf32>
// CHECK-NOT: memref.alloc(
func.func @temps(%a: memref<16xf32>) {
  %c1 = arith.constant 1 : index
  %m = memref.alloc() : memref<16xf32>
  gpu.launch blocks(%bx, %by, %bz) in (%x = %c1, %y = %c1, %z = %c1)
             threads(%tx, %ty, %tz) in (%u = %c1, %v = %c1, %w = %c1) {
    %s = memref.alloca() : memref<1xf32>
    gpu.terminator
  }
  memref.dealloc %m : memref<16xf32>
  return
}
