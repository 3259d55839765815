// RUN: mxjit-opt %s --mx-fast-math | FileCheck %s

// f32 tanh, exp, log, log2 and erf, scalar or vector, become polynomial
// approximations: arith and math.fma, no math call left to become a libm
// call per element.
// CHECK-LABEL: func.func @approximated
// CHECK-NOT: math.tanh
// CHECK-NOT: math.exp
// CHECK-NOT: math.log
// CHECK-NOT: math.erf
// CHECK: math.fma
// CHECK: return
func.func @approximated(%x: f32, %v: vector<16xf32>)
    -> (f32, vector<16xf32>, f32, f32, f32) {
  %0 = math.tanh %x : f32
  %1 = math.exp %v : vector<16xf32>
  %2 = math.log %x : f32
  %3 = math.log2 %x : f32
  %4 = math.erf %x : f32
  return %0, %1, %2, %3, %4 : f32, vector<16xf32>, f32, f32, f32
}

// f64 ops and the accuracy-critical expm1/log1p are left alone (the latter
// go to libm through mx-precise-math-to-libm).
// CHECK-LABEL: func.func @kept
// CHECK-NEXT: math.tanh %arg0 : f64
// CHECK-NEXT: math.exp %arg0 : f64
// CHECK-NEXT: math.expm1 %arg1 : f32
// CHECK-NEXT: math.log1p %arg1 : f32
// CHECK-NEXT: return
func.func @kept(%x: f64, %y: f32) -> (f64, f64, f32, f32) {
  %0 = math.tanh %x : f64
  %1 = math.exp %x : f64
  %2 = math.expm1 %y : f32
  %3 = math.log1p %y : f32
  return %0, %1, %2, %3 : f64, f64, f32, f32
}
