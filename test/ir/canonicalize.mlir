// RUN: mxjit-opt %s -canonicalize -split-input-file | FileCheck %s

// Every folder and canonicalization pattern of the mx dialect. Constants are
// folded in double (floats) or int64 (integers, wrapping) and rounded to the
// element type; splats stay splats. Folded constants are hoisted to the top
// of the block, hence CHECK-DAG.

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

// Equal constants are merged; unused ones are dropped.
// CHECK-LABEL: func.func @constant_dedup
// CHECK-NEXT: %[[C:.*]] = mx.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-NEXT: return %[[C]], %[[C]]
func.func @constant_dedup() -> (tensor<2xf32>, tensor<2xf32>) {
  %0 = mx.constant dense<1.0> : tensor<2xf32>
  %1 = mx.constant dense<1.0> : tensor<2xf32>
  %2 = mx.constant dense<7> : tensor<2xi32>
  return %0, %1 : tensor<2xf32>, tensor<2xf32>
}

//===----------------------------------------------------------------------===//
// unary
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @unary_float_splat
// CHECK-DAG: %[[NEG:.*]] = mx.constant dense<-2.500000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[ABS:.*]] = mx.constant dense<2.500000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[SQ:.*]] = mx.constant dense<6.250000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[RELU:.*]] = mx.constant dense<0.000000e+00> : tensor<2x2xf32>
// CHECK-DAG: %[[EXP:.*]] = mx.constant dense<1.000000e+00> : tensor<3xf64>
// CHECK-DAG: %[[LOG:.*]] = mx.constant dense<0.000000e+00> : tensor<3xf64>
// CHECK-DAG: %[[SQRT:.*]] = mx.constant dense<3.000000e+00> : tensor<3xf64>
// CHECK-DAG: %[[SIG:.*]] = mx.constant dense<5.000000e-01> : tensor<f32>
// CHECK-NOT: mx.negative
// CHECK-NOT: mx.abs
// CHECK-NOT: mx.square
// CHECK-NOT: mx.relu
// CHECK-NOT: mx.exp
// CHECK-NOT: mx.log
// CHECK-NOT: mx.sqrt
// CHECK-NOT: mx.sigmoid
// CHECK: return %[[NEG]], %[[ABS]], %[[SQ]], %[[RELU]], %[[EXP]], %[[LOG]], %[[SQRT]], %[[SIG]]
func.func @unary_float_splat() -> (tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<f32>) {
  %p = mx.constant dense<2.5> : tensor<2x2xf32>
  %m = mx.constant dense<-2.5> : tensor<2x2xf32>
  %z = mx.constant dense<0.0> : tensor<3xf64>
  %one = mx.constant dense<1.0> : tensor<3xf64>
  %nine = mx.constant dense<9.0> : tensor<3xf64>
  %zs = mx.constant dense<0.0> : tensor<f32>
  %0 = mx.negative %p : tensor<2x2xf32>
  %1 = mx.abs %m : tensor<2x2xf32>
  %2 = mx.square %m : tensor<2x2xf32>
  %3 = mx.relu %m : tensor<2x2xf32>
  %4 = mx.exp %z : tensor<3xf64>
  %5 = mx.log %one : tensor<3xf64>
  %6 = mx.sqrt %nine : tensor<3xf64>
  %7 = mx.sigmoid %zs : tensor<f32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<2x2xf32>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>, tensor<f32>
}

// -----

// CHECK-LABEL: func.func @unary_float_dense
// CHECK-DAG: %[[NEG:.*]] = mx.constant dense<[1.500000e+00, -0.000000e+00, -4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[ABS:.*]] = mx.constant dense<[1.500000e+00, 0.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[SQ:.*]] = mx.constant dense<[2.250000e+00, 0.000000e+00, 1.600000e+01]> : tensor<3xf32>
// CHECK-DAG: %[[RELU:.*]] = mx.constant dense<[0.000000e+00, 0.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[SQRT:.*]] = mx.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf64>
// CHECK-DAG: %[[TANH:.*]] = mx.constant dense<[0.000000e+00, -0.000000e+00]> : tensor<2xf32>
// CHECK-DAG: %[[SIN:.*]] = mx.constant dense<[0.000000e+00, -0.000000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[COS:.*]] = mx.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-NOT: mx.{{(negative|abs|square|relu|sqrt|tanh|sin|cos)}}
// CHECK: return %[[NEG]], %[[ABS]], %[[SQ]], %[[RELU]], %[[SQRT]], %[[TANH]], %[[SIN]], %[[COS]]
func.func @unary_float_dense() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf64>, tensor<2xf32>, tensor<2xf64>, tensor<2xf64>) {
  %a = mx.constant dense<[-1.5, 0.0, 4.0]> : tensor<3xf32>
  %b = mx.constant dense<[4.0, 0.25]> : tensor<2xf64>
  %c = mx.constant dense<[0.0, -0.0]> : tensor<2xf32>
  %d = mx.constant dense<[0.0, -0.0]> : tensor<2xf64>
  %0 = mx.negative %a : tensor<3xf32>
  %1 = mx.abs %a : tensor<3xf32>
  %2 = mx.square %a : tensor<3xf32>
  %3 = mx.relu %a : tensor<3xf32>
  %4 = mx.sqrt %b : tensor<2xf64>
  %5 = mx.tanh %c : tensor<2xf32>
  %6 = mx.sin %d : tensor<2xf64>
  %7 = mx.cos %d : tensor<2xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf64>, tensor<2xf32>, tensor<2xf64>, tensor<2xf64>
}

// -----

// Integer unary folds wrap like the generated code: -INT64_MIN is INT64_MIN
// and 65536^2 is 0 in i32.
// CHECK-LABEL: func.func @unary_int
// CHECK-DAG: %[[NEG:.*]] = mx.constant dense<[3, 0, -7]> : tensor<3xi32>
// CHECK-DAG: %[[ABS:.*]] = mx.constant dense<[3, 0, 7]> : tensor<3xi32>
// CHECK-DAG: %[[SQ:.*]] = mx.constant dense<[9, 0, 49]> : tensor<3xi32>
// CHECK-DAG: %[[RELU:.*]] = mx.constant dense<[0, 0, 7]> : tensor<3xi32>
// CHECK-DAG: %[[NEGMIN:.*]] = mx.constant dense<-9223372036854775808> : tensor<i64>
// CHECK-DAG: %[[SQWRAP:.*]] = mx.constant dense<0> : tensor<2xi32>
// CHECK-DAG: %[[NEG64:.*]] = mx.constant dense<-5> : tensor<2xi64>
// CHECK-NOT: mx.{{(negative|abs|square|relu)}}
// CHECK: return %[[NEG]], %[[ABS]], %[[SQ]], %[[RELU]], %[[NEGMIN]], %[[SQWRAP]], %[[NEG64]]
func.func @unary_int() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<i64>, tensor<2xi32>, tensor<2xi64>) {
  %a = mx.constant dense<[-3, 0, 7]> : tensor<3xi32>
  %min = mx.constant dense<-9223372036854775808> : tensor<i64>
  %big = mx.constant dense<65536> : tensor<2xi32>
  %five = mx.constant dense<5> : tensor<2xi64>
  %0 = mx.negative %a : tensor<3xi32>
  %1 = mx.abs %a : tensor<3xi32>
  %2 = mx.square %a : tensor<3xi32>
  %3 = mx.relu %a : tensor<3xi32>
  %4 = mx.negative %min : tensor<i64>
  %5 = mx.square %big : tensor<2xi32>
  %6 = mx.negative %five : tensor<2xi64>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<i64>, tensor<2xi32>, tensor<2xi64>
}

// -----

// negative(negative x) -> x; log(exp x) -> x; abs and relu are idempotent.
// CHECK-LABEL: func.func @unary_algebra
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT: %[[ABS:.*]] = mx.abs %[[X]] : tensor<4xf32>
// CHECK-NEXT: %[[RELU:.*]] = mx.relu %[[I]] : tensor<4xi32>
// CHECK-NEXT: return %[[X]], %[[I]], %[[X]], %[[ABS]], %[[RELU]]
func.func @unary_algebra(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>) {
  %0 = mx.negative %x : tensor<4xf32>
  %1 = mx.negative %0 : tensor<4xf32>
  %2 = mx.negative %i : tensor<4xi32>
  %3 = mx.negative %2 : tensor<4xi32>
  %4 = mx.exp %x : tensor<4xf32>
  %5 = mx.log %4 : tensor<4xf32>
  %6 = mx.abs %x : tensor<4xf32>
  %7 = mx.abs %6 : tensor<4xf32>
  %8 = mx.abs %7 : tensor<4xf32>
  %9 = mx.relu %i : tensor<4xi32>
  %10 = mx.relu %9 : tensor<4xi32>
  return %1, %3, %5, %8, %10 : tensor<4xf32>, tensor<4xi32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>
}

// -----

// Rewrites that must not happen: exp(log x) is not x for x < 0, negative is
// not idempotent, and a single negative stays.
// CHECK-LABEL: func.func @unary_no_fold
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[L:.*]] = mx.log %[[X]] : tensor<4xf32>
// CHECK-NEXT: %[[E:.*]] = mx.exp %[[L]] : tensor<4xf32>
// CHECK-NEXT: %[[N:.*]] = mx.negative %[[X]] : tensor<4xf32>
// CHECK-NEXT: %[[S:.*]] = mx.square %[[N]] : tensor<4xf32>
// CHECK-NEXT: %[[Q:.*]] = mx.sqrt %[[S]] : tensor<4xf32>
// CHECK-NEXT: return %[[E]], %[[Q]]
func.func @unary_no_fold(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>) {
  %0 = mx.log %x : tensor<4xf32>
  %1 = mx.exp %0 : tensor<4xf32>
  %2 = mx.negative %x : tensor<4xf32>
  %3 = mx.square %2 : tensor<4xf32>
  %4 = mx.sqrt %3 : tensor<4xf32>
  return %1, %4 : tensor<4xf32>, tensor<4xf32>
}

// -----

// Only dense attributes are folded; resource-backed ones stay.
// CHECK-LABEL: func.func @unary_resource
// CHECK-NEXT: %[[C:.*]] = mx.constant dense_resource<blob> : tensor<2xi32>
// CHECK-NEXT: %[[N:.*]] = mx.negative %[[C]] : tensor<2xi32>
// CHECK-NEXT: return %[[N]]
func.func @unary_resource() -> tensor<2xi32> {
  %0 = mx.constant dense_resource<blob> : tensor<2xi32>
  %1 = mx.negative %0 : tensor<2xi32>
  return %1 : tensor<2xi32>
}
{-#
  dialect_resources: {
    builtin: {
      blob: "0x040000000100000002000000"
    }
  }
#-}

//===----------------------------------------------------------------------===//
// binary
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @binary_float
// CHECK-DAG: %[[ADD:.*]] = mx.constant dense<3.500000e+00> : tensor<2xf32>
// CHECK-DAG: %[[SUB:.*]] = mx.constant dense<[-5.000000e-01, 0.000000e+00, 5.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[MUL:.*]] = mx.constant dense<[2.000000e+00, 3.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[DIV:.*]] = mx.constant dense<[5.000000e-01, 0x7F800000, 0xFF800000]> : tensor<3xf32>
// CHECK-DAG: %[[POW:.*]] = mx.constant dense<1.024000e+03> : tensor<f64>
// CHECK-DAG: %[[MAX:.*]] = mx.constant dense<[2.000000e+00, 3.000000e+00]> : tensor<2xf64>
// CHECK-DAG: %[[MIN:.*]] = mx.constant dense<[1.000000e+00, -3.000000e+00]> : tensor<2xf64>
// CHECK-NOT: mx.{{(add|subtract|multiply|divide|power|maximum|minimum)}}
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[POW]], %[[MAX]], %[[MIN]]
func.func @binary_float() -> (tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f64>, tensor<2xf64>, tensor<2xf64>) {
  %a = mx.constant dense<1.5> : tensor<2xf32>
  %b = mx.constant dense<2.0> : tensor<2xf32>
  %c = mx.constant dense<[1.0, 1.5, 2.0]> : tensor<3xf32>
  %d = mx.constant dense<1.5> : tensor<3xf32>
  %m = mx.constant dense<2.0> : tensor<3xf32>
  %one = mx.constant dense<1.0> : tensor<3xf32>
  %e = mx.constant dense<[2.0, 0.0, -0.0]> : tensor<3xf32>
  %two = mx.constant dense<2.0> : tensor<f64>
  %ten = mx.constant dense<10.0> : tensor<f64>
  %f = mx.constant dense<[1.0, 3.0]> : tensor<2xf64>
  %g = mx.constant dense<[2.0, -3.0]> : tensor<2xf64>
  %0 = mx.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf32>
  %1 = mx.subtract %c, %d : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = mx.multiply %c, %m : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = mx.divide %one, %e : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %4 = mx.power %two, %ten : (tensor<f64>, tensor<f64>) -> tensor<f64>
  %5 = mx.maximum %f, %g : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  %6 = mx.minimum %f, %g : (tensor<2xf64>, tensor<2xf64>) -> tensor<2xf64>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<2xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<f64>, tensor<2xf64>, tensor<2xf64>
}

// -----

// Comparisons give 1 or 0 in the operands' element type.
// CHECK-LABEL: func.func @binary_compare
// CHECK-DAG: %[[EQ:.*]] = mx.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[NE:.*]] = mx.constant dense<[1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[GT:.*]] = mx.constant dense<[0.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[GE:.*]] = mx.constant dense<[0, 1, 1]> : tensor<3xi32>
// CHECK-DAG: %[[LT:.*]] = mx.constant dense<[1, 0, 0]> : tensor<3xi32>
// CHECK-DAG: %[[LE:.*]] = mx.constant dense<[1, 1, 0]> : tensor<3xi64>
// CHECK-NOT: mx.{{(equal|not_equal|greater|greater_equal|lesser|lesser_equal)}}
// CHECK: return %[[EQ]], %[[NE]], %[[GT]], %[[GE]], %[[LT]], %[[LE]]
func.func @binary_compare() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi64>) {
  %a = mx.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %b = mx.constant dense<2.0> : tensor<3xf32>
  %i = mx.constant dense<[1, 2, 3]> : tensor<3xi32>
  %j = mx.constant dense<2> : tensor<3xi32>
  %k = mx.constant dense<[-5, 2, 9]> : tensor<3xi64>
  %l = mx.constant dense<2> : tensor<3xi64>
  %0 = mx.equal %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %1 = mx.not_equal %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %2 = mx.greater %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<3xf32>
  %3 = mx.greater_equal %i, %j : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %4 = mx.lesser %i, %j : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %5 = mx.lesser_equal %k, %l : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi64>
}

// -----

// Integer arithmetic: division truncates toward zero, overflow wraps, and
// powers use exact integer arithmetic (3^40 wraps in i64).
// CHECK-LABEL: func.func @binary_int
// CHECK-DAG: %[[ADD:.*]] = mx.constant dense<[8, 3, -2147483648]> : tensor<3xi32>
// CHECK-DAG: %[[SUB:.*]] = mx.constant dense<[-6, 7, 2147483646]> : tensor<3xi32>
// CHECK-DAG: %[[MUL:.*]] = mx.constant dense<[7, -10, 2147483647]> : tensor<3xi32>
// CHECK-DAG: %[[DIV:.*]] = mx.constant dense<[0, -2, 2147483647]> : tensor<3xi32>
// CHECK-DAG: %[[POW:.*]] = mx.constant dense<[81, 1, -6289078614652622815]> : tensor<3xi64>
// CHECK-DAG: %[[POWNEG:.*]] = mx.constant dense<1> : tensor<2xi64>
// CHECK-DAG: %[[MAX:.*]] = mx.constant dense<[7, 5, 2147483647]> : tensor<3xi32>
// CHECK-DAG: %[[MIN:.*]] = mx.constant dense<[1, -2, 1]> : tensor<3xi32>
// CHECK-NOT: mx.{{(add|subtract|multiply|divide|power|maximum|minimum)}}
// CHECK: return %[[ADD]], %[[SUB]], %[[MUL]], %[[DIV]], %[[POW]], %[[POWNEG]], %[[MAX]], %[[MIN]]
func.func @binary_int() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi64>, tensor<2xi64>, tensor<3xi32>, tensor<3xi32>) {
  %a = mx.constant dense<[1, 5, 2147483647]> : tensor<3xi32>
  %b = mx.constant dense<[7, -2, 1]> : tensor<3xi32>
  %c = mx.constant dense<[3, 1, 3]> : tensor<3xi64>
  %d = mx.constant dense<[4, 0, 40]> : tensor<3xi64>
  %one = mx.constant dense<1> : tensor<2xi64>
  %neg = mx.constant dense<-5> : tensor<2xi64>
  %0 = mx.add %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %1 = mx.subtract %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %2 = mx.multiply %b, %a : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %3 = mx.divide %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %4 = mx.power %c, %d : (tensor<3xi64>, tensor<3xi64>) -> tensor<3xi64>
  %5 = mx.power %one, %neg : (tensor<2xi64>, tensor<2xi64>) -> tensor<2xi64>
  %6 = mx.maximum %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  %7 = mx.minimum %a, %b : (tensor<3xi32>, tensor<3xi32>) -> tensor<3xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi64>, tensor<2xi64>, tensor<3xi32>, tensor<3xi32>
}

// -----

// Two splats fold to a splat of the broadcast result type; a non-splat
// operand that needs broadcasting is left alone.
// CHECK-LABEL: func.func @binary_broadcast
// CHECK-DAG: %[[SPLAT:.*]] = mx.constant dense<5.000000e+00> : tensor<2x3xf32>
// CHECK-DAG: %[[A:.*]] = mx.constant dense<[1.000000e+00, 2.000000e+00, 3.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[B:.*]] = mx.constant dense<1.000000e+00> : tensor<2x3xf32>
// CHECK: %[[ADD:.*]] = mx.add %[[A]], %[[B]] : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: return %[[SPLAT]], %[[ADD]]
func.func @binary_broadcast() -> (tensor<2x3xf32>, tensor<2x3xf32>) {
  %a = mx.constant dense<2.0> : tensor<3xf32>
  %b = mx.constant dense<3.0> : tensor<2x1xf32>
  %c = mx.constant dense<[1.0, 2.0, 3.0]> : tensor<3xf32>
  %d = mx.constant dense<1.0> : tensor<2x3xf32>
  %0 = mx.add %a, %b : (tensor<3xf32>, tensor<2x1xf32>) -> tensor<2x3xf32>
  %1 = mx.add %c, %d : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// Integer division and power never trap, as in the lowering: x / 0 is 0,
// INT64_MIN / -1 wraps to INT64_MIN, and a negative exponent gives 1 for base
// 1, +-1 for base -1 and 0 otherwise. The folds agree.
// CHECK-LABEL: func.func @binary_int_never_traps
// CHECK-DAG: %[[D:.*]] = mx.constant dense<[2, 0]> : tensor<2xi32>
// CHECK-DAG: %[[MIN:.*]] = mx.constant dense<-9223372036854775808> : tensor<i64>
// CHECK-DAG: %[[P:.*]] = mx.constant dense<[0, 1, -1, 1]> : tensor<4xi64>
// CHECK-NOT: mx.{{(divide|power)}}
// CHECK: return %[[D]], %[[MIN]], %[[P]]
func.func @binary_int_never_traps() -> (tensor<2xi32>, tensor<i64>, tensor<4xi64>) {
  %a = mx.constant dense<[4, 5]> : tensor<2xi32>
  %z = mx.constant dense<[2, 0]> : tensor<2xi32>
  %min = mx.constant dense<-9223372036854775808> : tensor<i64>
  %m1 = mx.constant dense<-1> : tensor<i64>
  %b = mx.constant dense<[2, 1, -1, -1]> : tensor<4xi64>
  %e = mx.constant dense<[-1, -5, -3, -2]> : tensor<4xi64>
  %0 = mx.divide %a, %z : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %1 = mx.divide %min, %m1 : (tensor<i64>, tensor<i64>) -> tensor<i64>
  %2 = mx.power %b, %e : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0, %1, %2 : tensor<2xi32>, tensor<i64>, tensor<4xi64>
}

//===----------------------------------------------------------------------===//
// tensor-scalar
//===----------------------------------------------------------------------===//

// -----

// x - 0, x * 1, x / 1 and x ^ 1 are x; x + 0 is x for integers only.
// CHECK-LABEL: func.func @scalar_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>, %[[I:.*]]: tensor<4xi32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[X]], %[[I]], %[[I]], %[[I]], %[[I]], %[[I]]
func.func @scalar_identity(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>) {
  %0 = mx.subtract_scalar %x, 0.0 : tensor<4xf32>
  %1 = mx.multiply_scalar %x, 1.0 : tensor<4xf32>
  %2 = mx.divide_scalar %x, 1.0 : tensor<4xf32>
  %3 = mx.power_scalar %x, 1.0 : tensor<4xf32>
  %4 = mx.add_scalar %i, 0.0 : tensor<4xi32>
  %5 = mx.subtract_scalar %i, 0.0 : tensor<4xi32>
  %6 = mx.multiply_scalar %i, 1.0 : tensor<4xi32>
  %7 = mx.divide_scalar %i, 1.0 : tensor<4xi32>
  %8 = mx.power_scalar %i, 1.0 : tensor<4xi32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>, tensor<4xi32>
}

// -----

// Not identities: x + 0.0 turns -0.0 into +0.0 and so does x - (-0.0); the
// reversed ops have no identity; 0 and 1 mean nothing to max/min.
// CHECK-LABEL: func.func @scalar_no_identity
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: %[[A:.*]] = mx.add_scalar %[[X]], 0.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[B:.*]] = mx.subtract_scalar %[[X]], -0.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[C:.*]] = mx.rsubtract_scalar %[[X]], 0.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[D:.*]] = mx.rdivide_scalar %[[X]], 1.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[E:.*]] = mx.rpower_scalar %[[X]], 1.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[F:.*]] = mx.maximum_scalar %[[X]], 0.000000e+00 : tensor<4xf32>
// CHECK-NEXT: %[[G:.*]] = mx.multiply_scalar %[[X]], -1.000000e+00 : tensor<4xf32>
// CHECK-NEXT: return %[[A]], %[[B]], %[[C]], %[[D]], %[[E]], %[[F]], %[[G]]
func.func @scalar_no_identity(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>) {
  %0 = mx.add_scalar %x, 0.0 : tensor<4xf32>
  %1 = mx.subtract_scalar %x, -0.0 : tensor<4xf32>
  %2 = mx.rsubtract_scalar %x, 0.0 : tensor<4xf32>
  %3 = mx.rdivide_scalar %x, 1.0 : tensor<4xf32>
  %4 = mx.rpower_scalar %x, 1.0 : tensor<4xf32>
  %5 = mx.maximum_scalar %x, 0.0 : tensor<4xf32>
  %6 = mx.multiply_scalar %x, -1.0 : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5, %6 : tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>, tensor<4xf32>
}

// -----

// Every tensor-scalar op on a float constant ([1, 2, 4] and the scalar 2).
// CHECK-LABEL: func.func @scalar_float
// CHECK-DAG: %[[ADD:.*]] = mx.constant dense<[3.000000e+00, 4.000000e+00, 6.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[SUB:.*]] = mx.constant dense<[-1.000000e+00, 0.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[RSUB:.*]] = mx.constant dense<[1.000000e+00, 0.000000e+00, -2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[MUL:.*]] = mx.constant dense<[2.000000e+00, 4.000000e+00, 8.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[DIV:.*]] = mx.constant dense<[5.000000e-01, 1.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[RDIV:.*]] = mx.constant dense<[2.000000e+00, 1.000000e+00, 5.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[POW:.*]] = mx.constant dense<[1.000000e+00, 4.000000e+00, 1.600000e+01]> : tensor<3xf32>
// CHECK-DAG: %[[RPOW:.*]] = mx.constant dense<[4.000000e+00, 1.600000e+01]> : tensor<2xf64>
// CHECK-DAG: %[[MAX:.*]] = mx.constant dense<[2.000000e+00, 2.000000e+00, 4.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[MIN:.*]] = mx.constant dense<[1.000000e+00, 2.000000e+00, 2.000000e+00]> : tensor<3xf32>
// CHECK-NOT: mx.{{[a-z_]+}}_scalar
// CHECK: return %[[ADD]], %[[SUB]], %[[RSUB]], %[[MUL]], %[[DIV]], %[[RDIV]], %[[POW]], %[[RPOW]], %[[MAX]], %[[MIN]]
func.func @scalar_float() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf64>, tensor<3xf32>, tensor<3xf32>) {
  %c = mx.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %d = mx.constant dense<[2.0, 4.0]> : tensor<2xf64>
  %0 = mx.add_scalar %c, 2.0 : tensor<3xf32>
  %1 = mx.subtract_scalar %c, 2.0 : tensor<3xf32>
  %2 = mx.rsubtract_scalar %c, 2.0 : tensor<3xf32>
  %3 = mx.multiply_scalar %c, 2.0 : tensor<3xf32>
  %4 = mx.divide_scalar %c, 2.0 : tensor<3xf32>
  %5 = mx.rdivide_scalar %c, 2.0 : tensor<3xf32>
  %6 = mx.power_scalar %c, 2.0 : tensor<3xf32>
  %7 = mx.rpower_scalar %d, 2.0 : tensor<2xf64>
  %8 = mx.maximum_scalar %c, 2.0 : tensor<3xf32>
  %9 = mx.minimum_scalar %c, 2.0 : tensor<3xf32>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<2xf64>, tensor<3xf32>, tensor<3xf32>
}

// -----

// CHECK-LABEL: func.func @scalar_compare
// CHECK-DAG: %[[EQ:.*]] = mx.constant dense<[0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[NE:.*]] = mx.constant dense<[1.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[GT:.*]] = mx.constant dense<[0.000000e+00, 0.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[GE:.*]] = mx.constant dense<[0.000000e+00, 1.000000e+00, 1.000000e+00]> : tensor<3xf32>
// CHECK-DAG: %[[LT:.*]] = mx.constant dense<[1, 0, 0]> : tensor<3xi64>
// CHECK-DAG: %[[LE:.*]] = mx.constant dense<[1, 1, 0]> : tensor<3xi64>
// CHECK-NOT: mx.{{[a-z_]+}}_scalar
// CHECK: return %[[EQ]], %[[NE]], %[[GT]], %[[GE]], %[[LT]], %[[LE]]
func.func @scalar_compare() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi64>, tensor<3xi64>) {
  %c = mx.constant dense<[1.0, 2.0, 4.0]> : tensor<3xf32>
  %i = mx.constant dense<[1, 2, 4]> : tensor<3xi64>
  %0 = mx.equal_scalar %c, 2.0 : tensor<3xf32>
  %1 = mx.not_equal_scalar %c, 2.0 : tensor<3xf32>
  %2 = mx.greater_scalar %c, 2.0 : tensor<3xf32>
  %3 = mx.greater_equal_scalar %c, 2.0 : tensor<3xf32>
  %4 = mx.lesser_scalar %i, 2.0 : tensor<3xi64>
  %5 = mx.lesser_equal_scalar %i, 2.0 : tensor<3xi64>
  return %0, %1, %2, %3, %4, %5 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xi64>, tensor<3xi64>
}

// -----

// On integer tensors the scalar is truncated toward zero first (2.7 -> 2,
// -0.5 -> 0), as MXNet does; integer powers are exact and wrap, even for a
// huge exponent.
// CHECK-LABEL: func.func @scalar_int
// CHECK-DAG: %[[ADD:.*]] = mx.constant dense<[3, 4, 6]> : tensor<3xi32>
// CHECK-DAG: %[[GT:.*]] = mx.constant dense<1> : tensor<3xi32>
// CHECK-DAG: %[[RDIV:.*]] = mx.constant dense<[7, 3, 1]> : tensor<3xi32>
// CHECK-DAG: %[[POW:.*]] = mx.constant dense<-8263244261429739519> : tensor<i64>
// CHECK-DAG: %[[RPOW:.*]] = mx.constant dense<[3, 9, 81]> : tensor<3xi32>
// CHECK-NOT: mx.{{[a-z_]+}}_scalar
// CHECK: return %[[ADD]], %[[GT]], %[[RDIV]], %[[POW]], %[[RPOW]]
func.func @scalar_int() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<i64>, tensor<3xi32>) {
  %c = mx.constant dense<[1, 2, 4]> : tensor<3xi32>
  %three = mx.constant dense<3> : tensor<i64>
  %0 = mx.add_scalar %c, 2.7 : tensor<3xi32>
  %1 = mx.greater_scalar %c, -0.5 : tensor<3xi32>
  %2 = mx.rdivide_scalar %c, 7.9 : tensor<3xi32>
  %3 = mx.power_scalar %three, 1.0e+15 : tensor<i64>
  %4 = mx.rpower_scalar %c, 3.0 : tensor<3xi32>
  return %0, %1, %2, %3, %4 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<i64>, tensor<3xi32>
}

// -----

// Integer division by a zero scalar (0.5 truncates to 0) or by a zero
// element folds to 0 like the lowering; a scalar with no int64 value is not
// folded.
// CHECK-LABEL: func.func @scalar_int_div_zero
// CHECK-DAG: %[[C:.*]] = mx.constant dense<[1, 0, 4]> : tensor<3xi32>
// CHECK-DAG: %[[Z:.*]] = mx.constant dense<0> : tensor<3xi32>
// CHECK-DAG: %[[R:.*]] = mx.constant dense<[8, 0, 2]> : tensor<3xi32>
// CHECK: %[[E:.*]] = mx.add_scalar %[[C]], 1.000000e+30 : tensor<3xi32>
// CHECK-NEXT: return %[[Z]], %[[R]], %[[Z]], %[[E]]
func.func @scalar_int_div_zero() -> (tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>) {
  %c = mx.constant dense<[1, 0, 4]> : tensor<3xi32>
  %0 = mx.divide_scalar %c, 0.0 : tensor<3xi32>
  %1 = mx.rdivide_scalar %c, 8.0 : tensor<3xi32>
  %2 = mx.divide_scalar %c, 0.5 : tensor<3xi32>
  %3 = mx.add_scalar %c, 1.0e+30 : tensor<3xi32>
  return %0, %1, %2, %3 : tensor<3xi32>, tensor<3xi32>, tensor<3xi32>, tensor<3xi32>
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// -----

// A reshape to the input type is the input (whatever the spec says).
// CHECK-LABEL: func.func @reshape_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]]
func.func @reshape_same_type(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %0 = mx.reshape %x {shape = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mx.reshape %x {shape = array<i64: 0, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = mx.reshape %x {reverse = true, shape = array<i64: -2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

// -----

// reshape(reshape(x)) becomes one reshape with the final shape written out;
// a chain back to the input type disappears.
// CHECK-LABEL: func.func @reshape_chain
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>)
// CHECK-NEXT: %[[R:.*]] = mx.reshape %[[X]] {shape = array<i64: 4, 6>} : (tensor<2x3x4xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: return %[[R]], %[[X]]
func.func @reshape_chain(%x: tensor<2x3x4xf32>) -> (tensor<4x6xf32>, tensor<2x3x4xf32>) {
  %0 = mx.reshape %x {shape = array<i64: -1>} : (tensor<2x3x4xf32>) -> tensor<24xf32>
  %1 = mx.reshape %0 {shape = array<i64: 2, -1, 3>} : (tensor<24xf32>) -> tensor<2x4x3xf32>
  %2 = mx.reshape %1 {shape = array<i64: 0, -3>, reverse = true} : (tensor<2x4x3xf32>) -> tensor<2x12xf32>
  %3 = mx.reshape %2 {shape = array<i64: 4, 6>} : (tensor<2x12xf32>) -> tensor<4x6xf32>
  %4 = mx.reshape %0 {shape = array<i64: 2, 3, 4>} : (tensor<24xf32>) -> tensor<2x3x4xf32>
  return %3, %4 : tensor<4x6xf32>, tensor<2x3x4xf32>
}

// -----

// The outer reshape reads x directly; the inner one stays for its other user.
// CHECK-LABEL: func.func @reshape_chain_shared
// CHECK-SAME: (%[[X:.*]]: tensor<2x6xf32>)
// CHECK-NEXT: %[[A:.*]] = mx.reshape %[[X]] {shape = array<i64: -1>} : (tensor<2x6xf32>) -> tensor<12xf32>
// CHECK-NEXT: %[[B:.*]] = mx.reshape %[[X]] {shape = array<i64: 3, 4>} : (tensor<2x6xf32>) -> tensor<3x4xf32>
// CHECK-NEXT: return %[[A]], %[[B]]
func.func @reshape_chain_shared(%x: tensor<2x6xf32>) -> (tensor<12xf32>, tensor<3x4xf32>) {
  %0 = mx.reshape %x {shape = array<i64: -1>} : (tensor<2x6xf32>) -> tensor<12xf32>
  %1 = mx.reshape %0 {shape = array<i64: 3, -1>} : (tensor<12xf32>) -> tensor<3x4xf32>
  return %0, %1 : tensor<12xf32>, tensor<3x4xf32>
}

// -----

// A zero-size result cannot be written as a literal shape (0 means "copy"),
// so such chains are kept; a dynamic result is kept too.
// CHECK-LABEL: func.func @reshape_chain_kept
// CHECK-SAME: (%[[X:.*]]: tensor<3x0xf32>, %[[D:.*]]: tensor<?x4xf32>)
// CHECK-NEXT: %[[A:.*]] = mx.reshape %[[X]] {shape = array<i64: -3>} : (tensor<3x0xf32>) -> tensor<0xf32>
// CHECK-NEXT: %[[B:.*]] = mx.reshape %[[A]] {shape = array<i64: 0, 1>} : (tensor<0xf32>) -> tensor<0x1xf32>
// CHECK-NEXT: %[[C:.*]] = mx.reshape %[[D]] {shape = array<i64: -1>} : (tensor<?x4xf32>) -> tensor<?xf32>
// CHECK-NEXT: %[[E:.*]] = mx.reshape %[[C]] {shape = array<i64: -1, 2>} : (tensor<?xf32>) -> tensor<?x2xf32>
// CHECK-NEXT: return %[[B]], %[[E]]
func.func @reshape_chain_kept(%x: tensor<3x0xf32>, %d: tensor<?x4xf32>) -> (tensor<0x1xf32>, tensor<?x2xf32>) {
  %0 = mx.reshape %x {shape = array<i64: -3>} : (tensor<3x0xf32>) -> tensor<0xf32>
  %1 = mx.reshape %0 {shape = array<i64: 0, 1>} : (tensor<0xf32>) -> tensor<0x1xf32>
  %2 = mx.reshape %d {shape = array<i64: -1>} : (tensor<?x4xf32>) -> tensor<?xf32>
  %3 = mx.reshape %2 {shape = array<i64: -1, 2>} : (tensor<?xf32>) -> tensor<?x2xf32>
  return %1, %3 : tensor<0x1xf32>, tensor<?x2xf32>
}

// -----

// A reshaped constant is a constant (row-major order kept).
// CHECK-LABEL: func.func @reshape_constant
// CHECK-DAG: %[[A:.*]] = mx.constant dense<{{\[\[}}1, 2, 3], [4, 5, 6]]> : tensor<2x3xi32>
// CHECK-DAG: %[[B:.*]] = mx.constant dense<2.500000e+00> : tensor<3x1x2xf64>
// CHECK-NOT: mx.reshape
// CHECK: return %[[A]], %[[B]]
func.func @reshape_constant() -> (tensor<2x3xi32>, tensor<3x1x2xf64>) {
  %c = mx.constant dense<[1, 2, 3, 4, 5, 6]> : tensor<6xi32>
  %s = mx.constant dense<2.5> : tensor<6xf64>
  %0 = mx.reshape %c {shape = array<i64: 2, -1>} : (tensor<6xi32>) -> tensor<2x3xi32>
  %1 = mx.reshape %s {shape = array<i64: 3, 1, 2>} : (tensor<6xf64>) -> tensor<3x1x2xf64>
  return %0, %1 : tensor<2x3xi32>, tensor<3x1x2xf64>
}

//===----------------------------------------------------------------------===//
// transpose, broadcast_to, slice, concat
//===----------------------------------------------------------------------===//

// -----

// Identity permutations fold (explicit, or the default on rank 0 and 1).
// CHECK-LABEL: func.func @transpose_identity
// CHECK-SAME: (%[[X:.*]]: tensor<2x3x4xf32>, %[[V:.*]]: tensor<5xi32>, %[[S:.*]]: tensor<f64>)
// CHECK-NEXT: %[[T:.*]] = mx.transpose %[[X]] {axes = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
// CHECK-NEXT: %[[U:.*]] = mx.transpose %[[X]] : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
// CHECK-NEXT: return %[[X]], %[[X]], %[[V]], %[[S]], %[[T]], %[[U]]
func.func @transpose_identity(%x: tensor<2x3x4xf32>, %v: tensor<5xi32>, %s: tensor<f64>) -> (tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<5xi32>, tensor<f64>, tensor<2x4x3xf32>, tensor<4x3x2xf32>) {
  %0 = mx.transpose %x {axes = array<i64: 0, 1, 2>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %1 = mx.transpose %x {axes = array<i64: -3, -2, -1>} : (tensor<2x3x4xf32>) -> tensor<2x3x4xf32>
  %2 = mx.transpose %v : (tensor<5xi32>) -> tensor<5xi32>
  %3 = mx.transpose %s : (tensor<f64>) -> tensor<f64>
  %4 = mx.transpose %x {axes = array<i64: 0, 2, 1>} : (tensor<2x3x4xf32>) -> tensor<2x4x3xf32>
  %5 = mx.transpose %x : (tensor<2x3x4xf32>) -> tensor<4x3x2xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<2x3x4xf32>, tensor<2x3x4xf32>, tensor<5xi32>, tensor<f64>, tensor<2x4x3xf32>, tensor<4x3x2xf32>
}

// -----

// A transpose whose permutation only moves size-1 axes still changes the
// type, so it stays.
// CHECK-LABEL: func.func @transpose_size1_kept
// CHECK: mx.transpose
func.func @transpose_size1_kept(%x: tensor<1x3xf32>) -> tensor<3x1xf32> {
  %0 = mx.transpose %x : (tensor<1x3xf32>) -> tensor<3x1xf32>
  return %0 : tensor<3x1xf32>
}

// -----

// broadcast_to the input's own shape is the input; of a splat it is a splat;
// a non-splat constant and a dynamic target are left alone.
// CHECK-LABEL: func.func @broadcast_to
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-DAG: %[[SPLAT:.*]] = mx.constant dense<7> : tensor<4x3xi64>
// CHECK-DAG: %[[C:.*]] = mx.constant dense<{{\[\[}}1.000000e+00, 2.000000e+00, 3.000000e+00]]> : tensor<1x3xf32>
// CHECK-DAG: %[[S:.*]] = mx.constant dense<1.000000e+00> : tensor<1xf32>
// CHECK: %[[B:.*]] = mx.broadcast_to %[[C]] {shape = array<i64: 2, 0>} : (tensor<1x3xf32>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[D:.*]] = mx.broadcast_to %[[S]] {shape = array<i64: -9223372036854775808>} : (tensor<1xf32>) -> tensor<?xf32>
// CHECK-NEXT: return %[[X]], %[[X]], %[[SPLAT]], %[[B]], %[[D]]
func.func @broadcast_to(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xi64>, tensor<2x3xf32>, tensor<?xf32>) {
  %0 = mx.broadcast_to %x {shape = array<i64: 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mx.broadcast_to %x {shape = array<i64: 2, 3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %s = mx.constant dense<7> : tensor<1x3xi64>
  %2 = mx.broadcast_to %s {shape = array<i64: 4, 0>} : (tensor<1x3xi64>) -> tensor<4x3xi64>
  %c = mx.constant dense<[[1.0, 2.0, 3.0]]> : tensor<1x3xf32>
  %3 = mx.broadcast_to %c {shape = array<i64: 2, 0>} : (tensor<1x3xf32>) -> tensor<2x3xf32>
  %one = mx.constant dense<1.0> : tensor<1xf32>
  %4 = mx.broadcast_to %one {shape = array<i64: -9223372036854775808>} : (tensor<1xf32>) -> tensor<?xf32>
  return %0, %1, %2, %3, %4 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<4x3xi64>, tensor<2x3xf32>, tensor<?xf32>
}

// -----

// A slice that keeps every element in order is the input; partial, reversed
// and strided slices stay.
// CHECK-LABEL: func.func @slice
// CHECK-SAME: (%[[X:.*]]: tensor<5x6xf32>)
// CHECK-NEXT: %[[REV:.*]] = mx.slice %[[X]] {begin = array<i64: -1>, end = array<i64: -9223372036854775808>, step = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
// CHECK-NEXT: %[[PART:.*]] = mx.slice %[[X]] {begin = array<i64: 1>, end = array<i64: 5>} : (tensor<5x6xf32>) -> tensor<4x6xf32>
// CHECK-NEXT: %[[STEP:.*]] = mx.slice %[[X]] {begin = array<i64: 0, 0>, end = array<i64: 5, 6>, step = array<i64: 1, 2>} : (tensor<5x6xf32>) -> tensor<5x3xf32>
// CHECK-NEXT: return %[[X]], %[[X]], %[[X]], %[[REV]], %[[PART]], %[[STEP]]
func.func @slice(%x: tensor<5x6xf32>) -> (tensor<5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>, tensor<4x6xf32>, tensor<5x3xf32>) {
  %0 = mx.slice %x {begin = array<i64: 0>, end = array<i64: 5>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %1 = mx.slice %x {begin = array<i64: -9223372036854775808, -6>, end = array<i64: 9223372036854775807, 100>, step = array<i64: 1, 1>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %2 = mx.slice %x {begin = array<i64>, end = array<i64>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %3 = mx.slice %x {begin = array<i64: -1>, end = array<i64: -9223372036854775808>, step = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<5x6xf32>
  %4 = mx.slice %x {begin = array<i64: 1>, end = array<i64: 5>} : (tensor<5x6xf32>) -> tensor<4x6xf32>
  %5 = mx.slice %x {begin = array<i64: 0, 0>, end = array<i64: 5, 6>, step = array<i64: 1, 2>} : (tensor<5x6xf32>) -> tensor<5x3xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>, tensor<5x6xf32>, tensor<4x6xf32>, tensor<5x3xf32>
}

// -----

// concat of one input is that input.
// CHECK-LABEL: func.func @concat
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>)
// CHECK-NEXT: %[[C:.*]] = mx.concat %[[X]], %[[X]] : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
// CHECK-NEXT: return %[[X]], %[[X]], %[[C]]
func.func @concat(%x: tensor<2x3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x6xf32>) {
  %0 = mx.concat %x : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mx.concat %x {dim = 0 : i64} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = mx.concat %x, %x : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x6xf32>
  return %0, %1, %2 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x6xf32>
}

//===----------------------------------------------------------------------===//
// cast
//===----------------------------------------------------------------------===//

// -----

// CHECK-LABEL: func.func @cast_same_type
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[I:.*]]: tensor<4xi64>)
// CHECK-NEXT: return %[[X]], %[[I]]
func.func @cast_same_type(%x: tensor<2x3xf32>, %i: tensor<4xi64>) -> (tensor<2x3xf32>, tensor<4xi64>) {
  %0 = mx.cast %x : tensor<2x3xf32> -> tensor<2x3xf32>
  %1 = mx.cast %i : tensor<4xi64> -> tensor<4xi64>
  return %0, %1 : tensor<2x3xf32>, tensor<4xi64>
}

// -----

// Floats truncate toward zero into integers, integers wrap into narrower
// integers and sign-extend into wider ones, f64 rounds to nearest f32.
// CHECK-LABEL: func.func @cast_constant
// CHECK-DAG: %[[F2I:.*]] = mx.constant dense<[1, -1, 0]> : tensor<3xi32>
// CHECK-DAG: %[[F2L:.*]] = mx.constant dense<[1, -1, 0]> : tensor<3xi64>
// CHECK-DAG: %[[F2D:.*]] = mx.constant dense<[1.7000000476837158, -1.7000000476837158, -5.000000e-01]> : tensor<3xf64>
// CHECK-DAG: %[[D2F:.*]] = mx.constant dense<[1.000000e-01, 0x7F800000]> : tensor<2xf32>
// CHECK-DAG: %[[I2F:.*]] = mx.constant dense<[-3.000000e+00, 1.600000e+01]> : tensor<2xf32>
// CHECK-DAG: %[[I2D:.*]] = mx.constant dense<[-3.000000e+00, 1.600000e+01]> : tensor<2xf64>
// CHECK-DAG: %[[I2L:.*]] = mx.constant dense<[-3, 16]> : tensor<2xi64>
// CHECK-DAG: %[[L2I:.*]] = mx.constant dense<[1, -1]> : tensor<2xi32>
// CHECK-DAG: %[[SPLAT:.*]] = mx.constant dense<-2.000000e+00> : tensor<2x2xf64>
// CHECK-NOT: mx.cast
// CHECK: return %[[F2I]], %[[F2L]], %[[F2D]], %[[D2F]], %[[I2F]], %[[I2D]], %[[I2L]], %[[L2I]], %[[SPLAT]]
func.func @cast_constant() -> (tensor<3xi32>, tensor<3xi64>, tensor<3xf64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xi64>, tensor<2xi32>, tensor<2x2xf64>) {
  %f = mx.constant dense<[1.7, -1.7, -0.5]> : tensor<3xf32>
  %d = mx.constant dense<[0.1, 1.0e+300]> : tensor<2xf64>
  %i = mx.constant dense<[-3, 16]> : tensor<2xi32>
  %l = mx.constant dense<[4294967297, 8589934591]> : tensor<2xi64>
  %s = mx.constant dense<-2> : tensor<2x2xi32>
  %0 = mx.cast %f : tensor<3xf32> -> tensor<3xi32>
  %1 = mx.cast %f : tensor<3xf32> -> tensor<3xi64>
  %2 = mx.cast %f : tensor<3xf32> -> tensor<3xf64>
  %3 = mx.cast %d : tensor<2xf64> -> tensor<2xf32>
  %4 = mx.cast %i : tensor<2xi32> -> tensor<2xf32>
  %5 = mx.cast %i : tensor<2xi32> -> tensor<2xf64>
  %6 = mx.cast %i : tensor<2xi32> -> tensor<2xi64>
  %7 = mx.cast %l : tensor<2xi64> -> tensor<2xi32>
  %8 = mx.cast %s : tensor<2x2xi32> -> tensor<2x2xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8 : tensor<3xi32>, tensor<3xi64>, tensor<3xf64>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xi64>, tensor<2xi32>, tensor<2x2xf64>
}

// -----

// NaN and out-of-range floats have no integer value: not folded.
// CHECK-LABEL: func.func @cast_no_fold
// CHECK-DAG: %[[N:.*]] = mx.constant dense<0x7FC00000> : tensor<2xf32>
// CHECK-DAG: %[[B:.*]] = mx.constant dense<1.000000e+19> : tensor<2xf64>
// CHECK: %[[A:.*]] = mx.cast %[[N]] : tensor<2xf32> -> tensor<2xi32>
// CHECK-NEXT: %[[C:.*]] = mx.cast %[[B]] : tensor<2xf64> -> tensor<2xi64>
// CHECK-NEXT: return %[[A]], %[[C]]
func.func @cast_no_fold() -> (tensor<2xi32>, tensor<2xi64>) {
  %n = mx.constant dense<0x7FC00000> : tensor<2xf32>
  %b = mx.constant dense<1.0e+19> : tensor<2xf64>
  %0 = mx.cast %n : tensor<2xf32> -> tensor<2xi32>
  %1 = mx.cast %b : tensor<2xf64> -> tensor<2xi64>
  return %0, %1 : tensor<2xi32>, tensor<2xi64>
}

// -----

// x * 1 and x / 1 fold when x already has the result type (gradients seeded
// with ones produce them); a broadcasting x does not.
// CHECK-LABEL: func.func @multiply_divide_by_one
// CHECK-SAME: (%[[X:.*]]: tensor<2x3xf32>, %[[V:.*]]: tensor<3xf32>)
// CHECK: %[[B:.*]] = mx.multiply %[[V]], %{{.*}} : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
// CHECK: return %[[X]], %[[X]], %[[X]], %[[B]]
func.func @multiply_divide_by_one(%x: tensor<2x3xf32>, %v: tensor<3xf32>) -> (tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>) {
  %one = mx.constant dense<1.0> : tensor<2x3xf32>
  %one1 = mx.constant dense<1.0> : tensor<3xf32>
  %0 = mx.multiply %x, %one : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %1 = mx.multiply %one1, %x : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  %2 = mx.divide %x, %one1 : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  %3 = mx.multiply %v, %one : (tensor<3xf32>, tensor<2x3xf32>) -> tensor<2x3xf32>
  return %0, %1, %2, %3 : tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>, tensor<2x3xf32>
}

//===----------------------------------------------------------------------===//
// unary math, sign, clip, stop_gradient, slice_assign
//===----------------------------------------------------------------------===//

// -----

// Splats with exact results (CSE then merges equal constants).
// CHECK-LABEL: func.func @unary_math_splat
// CHECK-DAG: %[[THREE:.*]] = mx.constant dense<3.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[QUARTER:.*]] = mx.constant dense<2.500000e-01> : tensor<2xf32>
// CHECK-DAG: %[[HALF:.*]] = mx.constant dense<5.000000e-01> : tensor<2xf32>
// CHECK-DAG: %[[ZERO:.*]] = mx.constant dense<0.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[SOFTSIGN:.*]] = mx.constant dense<7.500000e-01> : tensor<2xf64>
// CHECK-DAG: %[[PI:.*]] = mx.constant dense<3.1415926535897931> : tensor<2xf64>
// CHECK-DAG: %[[DEG:.*]] = mx.constant dense<1.800000e+02> : tensor<2xf64>
// CHECK-DAG: %[[ONE:.*]] = mx.constant dense<1.000000e+00> : tensor<2xf64>
// CHECK-DAG: %[[ZERO64:.*]] = mx.constant dense<0.000000e+00> : tensor<2xf64>
// CHECK-NOT: mx.{{(log2|log10|reciprocal|rsqrt|rcbrt|cbrt|softsign|radians|degrees|sinh|cosh|tan|log1p|expm1|arccos|arccosh)}}
// CHECK: return %[[THREE]], %[[THREE]], %[[QUARTER]], %[[HALF]], %[[HALF]], %[[THREE]], %[[ZERO]], %[[ZERO]], %[[ZERO]], %[[SOFTSIGN]], %[[PI]], %[[DEG]], %[[ZERO64]], %[[ONE]], %[[ZERO64]], %[[ZERO64]]
func.func @unary_math_splat() -> (tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>) {
  %eight = mx.constant dense<8.0> : tensor<2xf32>
  %thousand = mx.constant dense<1000.0> : tensor<2xf32>
  %four = mx.constant dense<4.0> : tensor<2xf32>
  %c27 = mx.constant dense<27.0> : tensor<2xf32>
  %z = mx.constant dense<0.0> : tensor<2xf32>
  %three = mx.constant dense<3.0> : tensor<2xf64>
  %d180 = mx.constant dense<180.0> : tensor<2xf64>
  %z64 = mx.constant dense<0.0> : tensor<2xf64>
  %one64 = mx.constant dense<1.0> : tensor<2xf64>
  %0 = mx.log2 %eight : tensor<2xf32>
  %1 = mx.log10 %thousand : tensor<2xf32>
  %2 = mx.reciprocal %four : tensor<2xf32>
  %3 = mx.rsqrt %four : tensor<2xf32>
  %4 = mx.rcbrt %eight : tensor<2xf32>
  %5 = mx.cbrt %c27 : tensor<2xf32>
  %6 = mx.tan %z : tensor<2xf32>
  %7 = mx.log1p %z : tensor<2xf32>
  %8 = mx.expm1 %z : tensor<2xf32>
  %9 = mx.softsign %three : tensor<2xf64>
  %10 = mx.radians %d180 : tensor<2xf64>
  %11 = mx.degrees %10 : tensor<2xf64>
  %12 = mx.sinh %z64 : tensor<2xf64>
  %13 = mx.cosh %z64 : tensor<2xf64>
  %14 = mx.arccos %one64 : tensor<2xf64>
  %15 = mx.arccosh %one64 : tensor<2xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11, %12, %13, %14, %15 : tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>, tensor<2xf64>
}

// -----

// Dense values are computed in double and rounded to f32; arctanh(-1) is
// -inf; softrelu neither overflows nor underflows for large |x|; log1p and
// expm1 keep full precision near 0.
// CHECK-LABEL: func.func @unary_math_dense
// CHECK-DAG: %[[TAN:.*]] = mx.constant dense<[0.000000e+00, 0.546302497, -1.55740774]> : tensor<3xf32>
// CHECK-DAG: %[[ASIN:.*]] = mx.constant dense<[0.000000e+00, 0.52359879, -1.57079637]> : tensor<3xf32>
// CHECK-DAG: %[[ACOS:.*]] = mx.constant dense<[1.57079637, 1.04719758, 3.14159274]> : tensor<3xf32>
// CHECK-DAG: %[[ATAN:.*]] = mx.constant dense<[0.000000e+00, 0.463647604, -0.785398185]> : tensor<3xf32>
// CHECK-DAG: %[[ASINH:.*]] = mx.constant dense<[0.000000e+00, 0.481211811, -0.881373584]> : tensor<3xf32>
// CHECK-DAG: %[[ATANH:.*]] = mx.constant dense<[0.000000e+00, 0.549306154, 0xFF800000]> : tensor<3xf32>
// CHECK-DAG: %[[ERF:.*]] = mx.constant dense<[0.000000e+00, 0.520499885, -0.842700779]> : tensor<3xf32>
// CHECK-DAG: %[[ACOSH:.*]] = mx.constant dense<[0.000000e+00, 1.31695795, 2.99322295]> : tensor<3xf32>
// CHECK-DAG: %[[SOFTSIGN:.*]] = mx.constant dense<[0.000000e+00, 0.333333343, -5.000000e-01]> : tensor<3xf32>
// CHECK-DAG: %[[SOFTRELU:.*]] = mx.constant dense<[0.000000e+00, 0.69314718055994529, 1.000000e+03]> : tensor<3xf64>
// CHECK-DAG: %[[LOG1P:.*]] = mx.constant dense<[9.9999999995000007E-11, -1.00000000005E-10, 0.000000e+00]> : tensor<3xf64>
// CHECK-DAG: %[[EXPM1:.*]] = mx.constant dense<[1.00000000005E-10, -9.9999999995000007E-11, 0.000000e+00]> : tensor<3xf64>
// CHECK-NOT: mx.{{(tan|arcsin|arccos|arctan|arcsinh|arctanh|erf|arccosh|softsign|softrelu|log1p|expm1)}}
// CHECK: return %[[TAN]], %[[ASIN]], %[[ACOS]], %[[ATAN]], %[[ASINH]], %[[ATANH]], %[[ERF]], %[[ACOSH]], %[[SOFTSIGN]], %[[SOFTRELU]], %[[LOG1P]], %[[EXPM1]]
func.func @unary_math_dense() -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>) {
  %a = mx.constant dense<[0.0, 0.5, -1.0]> : tensor<3xf32>
  %b = mx.constant dense<[1.0, 2.0, 10.0]> : tensor<3xf32>
  %c = mx.constant dense<[-1000.0, 0.0, 1000.0]> : tensor<3xf64>
  %d = mx.constant dense<[1.0e-10, -1.0e-10, 0.0]> : tensor<3xf64>
  %0 = mx.tan %a : tensor<3xf32>
  %1 = mx.arcsin %a : tensor<3xf32>
  %2 = mx.arccos %a : tensor<3xf32>
  %3 = mx.arctan %a : tensor<3xf32>
  %4 = mx.arcsinh %a : tensor<3xf32>
  %5 = mx.arctanh %a : tensor<3xf32>
  %6 = mx.erf %a : tensor<3xf32>
  %7 = mx.arccosh %b : tensor<3xf32>
  %8 = mx.softsign %a : tensor<3xf32>
  %9 = mx.softrelu %c : tensor<3xf64>
  %10 = mx.log1p %d : tensor<3xf64>
  %11 = mx.expm1 %d : tensor<3xf64>
  return %0, %1, %2, %3, %4, %5, %6, %7, %8, %9, %10, %11 : tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf64>, tensor<3xf64>, tensor<3xf64>
}

// -----

// sign is -1/0/1 with NaN and -0.0 giving 0 (MXNet), for every dtype, and
// idempotent.
// CHECK-LABEL: func.func @sign
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-DAG: %[[F:.*]] = mx.constant dense<[-1.000000e+00, 0.000000e+00, 0.000000e+00, 1.000000e+00, 0.000000e+00]> : tensor<5xf32>
// CHECK-DAG: %[[I:.*]] = mx.constant dense<[-1, 0, 1, 1]> : tensor<4xi32>
// CHECK-DAG: %[[S:.*]] = mx.constant dense<-1> : tensor<2xi64>
// CHECK: %[[SX:.*]] = mx.sign %[[X]] : tensor<4xf32>
// CHECK-NOT: mx.sign
// CHECK: return %[[F]], %[[I]], %[[S]], %[[SX]]
func.func @sign(%x: tensor<4xf32>) -> (tensor<5xf32>, tensor<4xi32>, tensor<2xi64>, tensor<4xf32>) {
  %f = mx.constant dense<[-2.5, -0.0, 0.0, 3.0, 0x7FC00000]> : tensor<5xf32>
  %i = mx.constant dense<[-7, 0, 1, 2147483647]> : tensor<4xi32>
  %s = mx.constant dense<-9223372036854775808> : tensor<2xi64>
  %0 = mx.sign %f : tensor<5xf32>
  %1 = mx.sign %i : tensor<4xi32>
  %2 = mx.sign %s : tensor<2xi64>
  %3 = mx.sign %x : tensor<4xf32>
  %4 = mx.sign %3 : tensor<4xf32>
  return %0, %1, %2, %4 : tensor<5xf32>, tensor<4xi32>, tensor<2xi64>, tensor<4xf32>
}

// -----

// clip keeps NaN; integer tensors truncate the bounds toward zero
// (-1.5 -> -1, 2.9 -> 2) and saturate them at the type's range; clip to
// (-inf, inf) is the identity, a half-open clip is not.
// CHECK-LABEL: func.func @clip
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-DAG: %[[F:.*]] = mx.constant dense<[-1.000000e+00, -1.000000e+00, 2.500000e-01, 1.500000e+00, 0x7FC00000]> : tensor<5xf32>
// CHECK-DAG: %[[I:.*]] = mx.constant dense<[-1, -1, 0, 1, 2]> : tensor<5xi32>
// CHECK-DAG: %[[J:.*]] = mx.constant dense<[-2147483648, 0, 2147483647]> : tensor<3xi32>
// CHECK-DAG: %[[K:.*]] = mx.constant dense<4> : tensor<2xi64>
// CHECK: %[[HALF:.*]] = mx.clip %[[X]] {a_max = 0x7FF0000000000000 : f64, a_min = -1.000000e+00 : f64} : tensor<4xf32>
// CHECK-NOT: mx.clip
// CHECK: return %[[F]], %[[I]], %[[J]], %[[K]], %[[X]], %[[HALF]]
func.func @clip(%x: tensor<4xf32>) -> (tensor<5xf32>, tensor<5xi32>, tensor<3xi32>, tensor<2xi64>, tensor<4xf32>, tensor<4xf32>) {
  %f = mx.constant dense<[-3.0, -1.0, 0.25, 2.0, 0x7FC00000]> : tensor<5xf32>
  %i = mx.constant dense<[-3, -1, 0, 1, 5]> : tensor<5xi32>
  %j = mx.constant dense<[-2147483648, 0, 2147483647]> : tensor<3xi32>
  %k = mx.constant dense<9> : tensor<2xi64>
  %0 = mx.clip %f {a_min = -1.0 : f64, a_max = 1.5 : f64} : tensor<5xf32>
  %1 = mx.clip %i {a_min = -1.5 : f64, a_max = 2.9 : f64} : tensor<5xi32>
  %2 = mx.clip %j {a_min = -1.0e10 : f64, a_max = 1.0e10 : f64} : tensor<3xi32>
  %3 = mx.clip %k {a_min = 0.0 : f64, a_max = 4.0 : f64} : tensor<2xi64>
  %4 = mx.clip %x {a_min = 0xFFF0000000000000 : f64, a_max = 0x7FF0000000000000 : f64} : tensor<4xf32>
  %5 = mx.clip %x {a_min = -1.0 : f64, a_max = 0x7FF0000000000000 : f64} : tensor<4xf32>
  return %0, %1, %2, %3, %4, %5 : tensor<5xf32>, tensor<5xi32>, tensor<3xi32>, tensor<2xi64>, tensor<4xf32>, tensor<4xf32>
}

// -----

// stop_gradient is never folded, not even on a constant: mx-autodiff has to
// see it (mx-to-linalg removes it).
// CHECK-LABEL: func.func @stop_gradient_kept
// CHECK-SAME: (%[[X:[a-z0-9]+]]: tensor<4xf32>)
// CHECK-DAG: %[[C:.*]] = mx.constant dense<1.000000e+00> : tensor<2xf32>
// CHECK-DAG: %[[S0:.*]] = mx.stop_gradient %[[X]] : tensor<4xf32>
// CHECK-DAG: %[[S1:.*]] = mx.stop_gradient %[[C]] : tensor<2xf32>
// CHECK: return %[[S0]], %[[S1]]
func.func @stop_gradient_kept(%x: tensor<4xf32>) -> (tensor<4xf32>, tensor<2xf32>) {
  %c = mx.constant dense<1.0> : tensor<2xf32>
  %0 = mx.stop_gradient %x : tensor<4xf32>
  %1 = mx.stop_gradient %c : tensor<2xf32>
  return %0, %1 : tensor<4xf32>, tensor<2xf32>
}

// -----

// Assigning the whole base in order gives value; a reversed or partial
// window stays.
// CHECK-LABEL: func.func @slice_assign
// CHECK-SAME: (%[[B:[a-z0-9]+]]: tensor<5x4xf32>, %[[V:[a-z0-9]+]]: tensor<5x4xf32>, %[[W:[a-z0-9]+]]: tensor<2x4xf32>)
// CHECK-NEXT: %[[R:.*]] = mx.slice_assign %[[B]], %[[V]] {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -1>}
// CHECK-NEXT: %[[P:.*]] = mx.slice_assign %[[B]], %[[W]] {begin = array<i64: 1>, end = array<i64: 3>}
// CHECK-NEXT: return %[[V]], %[[R]], %[[P]]
func.func @slice_assign(%b: tensor<5x4xf32>, %v: tensor<5x4xf32>, %w: tensor<2x4xf32>) -> (tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>) {
  %0 = mx.slice_assign %b, %v {begin = array<i64: -100>, end = array<i64: 100>} : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %1 = mx.slice_assign %b, %v {begin = array<i64: 4>, end = array<i64: -9223372036854775808>, step = array<i64: -1>} : (tensor<5x4xf32>, tensor<5x4xf32>) -> tensor<5x4xf32>
  %2 = mx.slice_assign %b, %w {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  return %0, %1, %2 : tensor<5x4xf32>, tensor<5x4xf32>, tensor<5x4xf32>
}
