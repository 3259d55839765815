// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm | mlir-translate --mlir-to-llvmir | FileCheck %s --check-prefix=LLVMIR
// RUN: mxjit-opt %s --mx-lower-to-llvm | FileCheck %s --check-prefix=LIBM

// One function that uses every mx op lowers all the way to the LLVM dialect,
// with results turned into trailing out-parameters and bare-pointer memrefs.

// CHECK-NOT: mx.
// CHECK-NOT: linalg.
// CHECK-NOT: tensor.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @every_op(
// CHECK-SAME: !llvm.ptr
// CHECK-NOT: -> !llvm.struct
// CHECK: llvm.return
// LLVMIR: define void @every_op(ptr
// LLVMIR: define void @integer_ops(ptr
// LLVMIR: define void @more_ops(ptr
// LLVMIR: define void @more_integer_ops(ptr

// expm1 and log1p are libm calls (convert-math-to-llvm would expand them to
// exp(x) - 1 and log(1 + x)); softrelu uses log1p too.
// LIBM-DAG: llvm.call @expm1f(
// LIBM-DAG: llvm.call @expm1(
// LIBM-DAG: llvm.call @log1pf(
// LIBM-DAG: llvm.call @log1p(
func.func @every_op(%a: tensor<2x3xf32>, %b: tensor<3xf32>, %w: tensor<4x3xf32>,
                    %bias: tensor<4xf32>, %m: tensor<2x3x4xf32>,
                    %n: tensor<2x4x5xf32>) -> (tensor<2x4xf32>, tensor<1xf32>, tensor<2x3x5xf32>, tensor<6x2xf32>) {
  %c = mx.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %0 = mx.negative %a : tensor<2x3xf32>
  %1 = mx.abs %0 : tensor<2x3xf32>
  %2 = mx.square %1 : tensor<2x3xf32>
  %3 = mx.relu %2 : tensor<2x3xf32>
  %4 = mx.exp %3 : tensor<2x3xf32>
  %5 = mx.log %4 : tensor<2x3xf32>
  %6 = mx.sqrt %5 : tensor<2x3xf32>
  %7 = mx.sigmoid %6 : tensor<2x3xf32>
  %8 = mx.tanh %7 : tensor<2x3xf32>
  %9 = mx.sin %8 : tensor<2x3xf32>
  %10 = mx.cos %9 : tensor<2x3xf32>
  %11 = mx.add %10, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %12 = mx.subtract %11, %c : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %13 = mx.multiply %12, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %14 = mx.divide %13, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %15 = mx.power %14, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %16 = mx.maximum %15, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %17 = mx.minimum %16, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %18 = mx.equal %17, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %19 = mx.not_equal %18, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %20 = mx.greater %19, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %21 = mx.greater_equal %20, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %22 = mx.lesser %21, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %23 = mx.lesser_equal %22, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %24 = mx.add_scalar %23, 1.0 : tensor<2x3xf32>
  %25 = mx.subtract_scalar %24, 2.0 : tensor<2x3xf32>
  %26 = mx.rsubtract_scalar %25, 3.0 : tensor<2x3xf32>
  %27 = mx.multiply_scalar %26, 4.0 : tensor<2x3xf32>
  %28 = mx.divide_scalar %27, 5.0 : tensor<2x3xf32>
  %29 = mx.rdivide_scalar %28, 6.0 : tensor<2x3xf32>
  %30 = mx.power_scalar %29, 2.0 : tensor<2x3xf32>
  %31 = mx.rpower_scalar %30, 2.0 : tensor<2x3xf32>
  %32 = mx.maximum_scalar %31, 0.5 : tensor<2x3xf32>
  %33 = mx.minimum_scalar %32, 8.0 : tensor<2x3xf32>
  %34 = mx.equal_scalar %33, 1.0 : tensor<2x3xf32>
  %35 = mx.not_equal_scalar %34, 1.0 : tensor<2x3xf32>
  %36 = mx.greater_scalar %35, 1.0 : tensor<2x3xf32>
  %37 = mx.greater_equal_scalar %36, 1.0 : tensor<2x3xf32>
  %38 = mx.lesser_scalar %37, 1.0 : tensor<2x3xf32>
  %39 = mx.lesser_equal_scalar %38, 1.0 : tensor<2x3xf32>
  %40 = mx.sum %39 {axis = array<i64: 1>, keepdims = true} : (tensor<2x3xf32>) -> tensor<2x1xf32>
  %41 = mx.mean %39 {axis = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<3xf32>
  %42 = mx.max %39 {axis = array<i64: 0>, exclude = true} : (tensor<2x3xf32>) -> tensor<2xf32>
  %43 = mx.min %39 : (tensor<2x3xf32>) -> tensor<1xf32>
  %44 = mx.broadcast_to %40 {shape = array<i64: 2, 3>} : (tensor<2x1xf32>) -> tensor<2x3xf32>
  %45 = mx.add %44, %41 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %46 = mx.expand_dims %42 {axis = 1 : i64} : (tensor<2xf32>) -> tensor<2x1xf32>
  %47 = mx.multiply %45, %46 : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %48 = mx.reshape %47 {shape = array<i64: -1, 2>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  %49 = mx.transpose %48 : (tensor<3x2xf32>) -> tensor<2x3xf32>
  %50 = mx.slice %49 {begin = array<i64: 0, -1>, end = array<i64: 2, -4>, step = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %51 = mx.concat %50, %a {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<4x3xf32>
  %52 = mx.dot %51, %w {transpose_b = true} : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x4xf32>
  %53 = mx.slice %52 {begin = array<i64: 0>, end = array<i64: 2>} : (tensor<4x4xf32>) -> tensor<2x4xf32>
  %54 = mx.fully_connected %a, %w, %bias {num_hidden = 4 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>, tensor<4xf32>) -> tensor<2x4xf32>
  %55 = mx.add %53, %54 : (tensor<2x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  %56 = mx.softmax %55 : tensor<2x4xf32>
  %57 = mx.log_softmax %56 {axis = 0 : i64, temperature = 2.0 : f64} : tensor<2x4xf32>
  %58 = mx.sum %57 : (tensor<2x4xf32>) -> tensor<1xf32>
  %59 = mx.add %58, %43 : (tensor<1xf32>, tensor<1xf32>) -> tensor<1xf32>
  %60 = mx.batch_dot %m, %n : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x3x5xf32>
  %61 = mx.cast %a : tensor<2x3xf32> -> tensor<2x3xf64>
  %62 = mx.cast %61 : tensor<2x3xf64> -> tensor<2x3xf32>
  %63 = mx.dot %62, %a {transpose_a = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x3xf32>
  %64 = mx.reshape %63 {shape = array<i64: 0, -1>} : (tensor<3x3xf32>) -> tensor<3x3xf32>
  %65 = mx.slice %64 {begin = array<i64: 0>, end = array<i64: 2>} : (tensor<3x3xf32>) -> tensor<2x3xf32>
  %66 = mx.concat %65, %65, %65 {dim = 0 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<6x3xf32>
  %67 = mx.fully_connected %66, %w {num_hidden = 4 : i64} : (tensor<6x3xf32>, tensor<4x3xf32>) -> tensor<6x4xf32>
  %68 = mx.reshape %67 {shape = array<i64: 6, 2, 2>} : (tensor<6x4xf32>) -> tensor<6x2x2xf32>
  %69 = mx.sum %68 {axis = array<i64: -1>} : (tensor<6x2x2xf32>) -> tensor<6x2xf32>
  return %56, %59, %60, %69 : tensor<2x4xf32>, tensor<1xf32>, tensor<2x3x5xf32>, tensor<6x2xf32>
}

// Integer element types take the integer arithmetic paths (safe division,
// ipowi, signed comparisons and min/max, integer casts).
func.func @integer_ops(%x: tensor<4xi32>, %y: tensor<4xi32>) -> (tensor<4xi32>, tensor<4xf32>, tensor<1xi64>) {
  %0 = mx.divide %x, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %1 = mx.power %0, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %2 = mx.maximum %1, %x : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %3 = mx.lesser %2, %y : (tensor<4xi32>, tensor<4xi32>) -> tensor<4xi32>
  %4 = mx.abs %3 : tensor<4xi32>
  %5 = mx.negative %4 : tensor<4xi32>
  %6 = mx.relu %5 : tensor<4xi32>
  %7 = mx.rdivide_scalar %6, 7.0 : tensor<4xi32>
  %8 = mx.cast %7 : tensor<4xi32> -> tensor<4xf32>
  %9 = mx.cast %x : tensor<4xi32> -> tensor<4xi64>
  %10 = mx.max %9 : (tensor<4xi64>) -> tensor<1xi64>
  return %7, %8, %10 : tensor<4xi32>, tensor<4xf32>, tensor<1xi64>
}

// The unary math ops, clip, stop_gradient and slice_assign, on f32 and f64.
func.func @more_ops(%a: tensor<2x3xf32>, %v: tensor<1x3xf32>, %d: tensor<4xf64>) -> (tensor<2x3xf32>, tensor<4xf64>) {
  %0 = mx.tan %a : tensor<2x3xf32>
  %1 = mx.log2 %0 : tensor<2x3xf32>
  %2 = mx.log10 %1 : tensor<2x3xf32>
  %3 = mx.log1p %2 : tensor<2x3xf32>
  %4 = mx.expm1 %3 : tensor<2x3xf32>
  %5 = mx.reciprocal %4 : tensor<2x3xf32>
  %6 = mx.rsqrt %5 : tensor<2x3xf32>
  %7 = mx.cbrt %6 : tensor<2x3xf32>
  %8 = mx.rcbrt %7 : tensor<2x3xf32>
  %9 = mx.sinh %8 : tensor<2x3xf32>
  %10 = mx.cosh %9 : tensor<2x3xf32>
  %11 = mx.arcsin %10 : tensor<2x3xf32>
  %12 = mx.arccos %11 : tensor<2x3xf32>
  %13 = mx.arctan %12 : tensor<2x3xf32>
  %14 = mx.arcsinh %13 : tensor<2x3xf32>
  %15 = mx.arccosh %14 : tensor<2x3xf32>
  %16 = mx.arctanh %15 : tensor<2x3xf32>
  %17 = mx.erf %16 : tensor<2x3xf32>
  %18 = mx.softsign %17 : tensor<2x3xf32>
  %19 = mx.softrelu %18 : tensor<2x3xf32>
  %20 = mx.radians %19 : tensor<2x3xf32>
  %21 = mx.degrees %20 : tensor<2x3xf32>
  %22 = mx.sign %21 : tensor<2x3xf32>
  %23 = mx.clip %22 {a_min = -0.5 : f64, a_max = 0.5 : f64} : tensor<2x3xf32>
  %24 = mx.stop_gradient %23 : tensor<2x3xf32>
  %25 = mx.slice_assign %24, %v {begin = array<i64: 1>, end = array<i64: 0>, step = array<i64: -1>} : (tensor<2x3xf32>, tensor<1x3xf32>) -> tensor<2x3xf32>
  %b0 = mx.tan %d : tensor<4xf64>
  %b1 = mx.log2 %b0 : tensor<4xf64>
  %b2 = mx.log10 %b1 : tensor<4xf64>
  %b3 = mx.log1p %b2 : tensor<4xf64>
  %b4 = mx.expm1 %b3 : tensor<4xf64>
  %b5 = mx.reciprocal %b4 : tensor<4xf64>
  %b6 = mx.rsqrt %b5 : tensor<4xf64>
  %b7 = mx.cbrt %b6 : tensor<4xf64>
  %b8 = mx.rcbrt %b7 : tensor<4xf64>
  %b9 = mx.sinh %b8 : tensor<4xf64>
  %b10 = mx.cosh %b9 : tensor<4xf64>
  %b11 = mx.arcsin %b10 : tensor<4xf64>
  %b12 = mx.arccos %b11 : tensor<4xf64>
  %b13 = mx.arctan %b12 : tensor<4xf64>
  %b14 = mx.arcsinh %b13 : tensor<4xf64>
  %b15 = mx.arccosh %b14 : tensor<4xf64>
  %b16 = mx.arctanh %b15 : tensor<4xf64>
  %b17 = mx.erf %b16 : tensor<4xf64>
  %b18 = mx.softsign %b17 : tensor<4xf64>
  %b19 = mx.softrelu %b18 : tensor<4xf64>
  %b20 = mx.radians %b19 : tensor<4xf64>
  %b21 = mx.degrees %b20 : tensor<4xf64>
  %b22 = mx.sign %b21 : tensor<4xf64>
  %b23 = mx.clip %b22 {a_min = -0.5 : f64, a_max = 0.5 : f64} : tensor<4xf64>
  %b24 = mx.stop_gradient %b23 : tensor<4xf64>
  return %25, %b24 : tensor<2x3xf32>, tensor<4xf64>
}

// sign, clip (saturated bounds), stop_gradient and slice_assign on integers.
func.func @more_integer_ops(%x: tensor<4xi32>, %y: tensor<2xi64>, %z: tensor<5xi64>) -> (tensor<4xi32>, tensor<5xi64>) {
  %0 = mx.sign %x : tensor<4xi32>
  %1 = mx.clip %0 {a_min = -1.0e20 : f64, a_max = 0.5 : f64} : tensor<4xi32>
  %2 = mx.stop_gradient %1 : tensor<4xi32>
  %3 = mx.clip %y {a_min = -3.0 : f64, a_max = 3.0 : f64} : tensor<2xi64>
  %4 = mx.slice_assign %z, %3 {begin = array<i64: 0>, end = array<i64: 5>, step = array<i64: 3>} : (tensor<5xi64>, tensor<2xi64>) -> tensor<5xi64>
  return %2, %4 : tensor<4xi32>, tensor<5xi64>
}
