// RUN: mxjit-opt %s --mx-precise-math-to-libm | FileCheck %s

// expm1 and log1p become calls of the C library's accurate versions; every
// other math op is left for convert-math-to-llvm.
// CHECK-DAG: func.func private @expm1(f64) -> f64
// CHECK-DAG: func.func private @log1pf(f32) -> f32
// CHECK-LABEL: func.func @f
// CHECK: call @expm1(%arg0) : (f64) -> f64
// CHECK: call @log1pf(%arg1) : (f32) -> f32
// CHECK: math.exp %arg2 : f64
// CHECK-NOT: call
func.func @f(%x: f64, %y: f32, %z: f64) -> (f64, f32, f64) {
  %0 = math.expm1 %x : f64
  %1 = math.log1p %y : f32
  %2 = math.exp %z : f64
  return %0, %1, %2 : f64, f32, f64
}

// A function without those ops is untouched.
// CHECK-LABEL: func.func @untouched
// CHECK-NEXT: math.sin
func.func @untouched(%x: f32) -> f32 {
  %0 = math.sin %x : f32
  return %0 : f32
}
