// RUN: mxjit-opt %s --mx-to-linalg --split-input-file | FileCheck %s

// CHECK-DAG: #[[ID2:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @broadcast_add
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x3xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID2]], #[[ROW]], #[[ID2]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: ins(%arg0, %arg1 : tensor<2x3xf32>, tensor<3xf32>) outs(%[[E]] : tensor<2x3xf32>)
// CHECK: arith.addf
func.func @broadcast_add(%a: tensor<2x3xf32>, %b: tensor<3xf32>) -> tensor<2x3xf32> {
  %0 = mx.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<2x3xf32>
  return %0 : tensor<2x3xf32>
}

// -----

// Size-1 axes that stretch read index 0.
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d0, 0)>
// CHECK-DAG: #[[ROW0:.*]] = affine_map<(d0, d1) -> (0, d1)>
// CHECK-LABEL: func.func @outer_broadcast
// CHECK: linalg.generic {indexing_maps = [#[[COL]], #[[ROW0]], {{.*}}]
// CHECK: arith.mulf
func.func @outer_broadcast(%a: tensor<4x1xf32>, %b: tensor<1x5xf32>) -> tensor<4x5xf32> {
  %0 = mx.multiply %a, %b : (tensor<4x1xf32>, tensor<1x5xf32>) -> tensor<4x5xf32>
  return %0 : tensor<4x5xf32>
}

// -----

// CHECK-LABEL: func.func @unary_math
// CHECK: math.exp
// CHECK: math.log
// CHECK: math.sqrt
// CHECK: math.tanh
// CHECK: math.sin
// CHECK: math.cos
// CHECK: math.absf
// sigmoid = 1 / (1 + exp(-x))
// CHECK: arith.negf
// CHECK-NEXT: math.exp
// CHECK-NEXT: arith.addf
// CHECK-NEXT: arith.divf
// relu
// CHECK: arith.maximumf
// negative, square
// CHECK: arith.negf
// CHECK: arith.mulf
func.func @unary_math(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = mx.exp %x : tensor<8xf32>
  %1 = mx.log %x : tensor<8xf32>
  %2 = mx.sqrt %1 : tensor<8xf32>
  %s = mx.add %2, %0 : (tensor<8xf32>, tensor<8xf32>) -> tensor<8xf32>
  %3 = mx.tanh %s : tensor<8xf32>
  %4 = mx.sin %3 : tensor<8xf32>
  %5 = mx.cos %4 : tensor<8xf32>
  %6 = mx.abs %5 : tensor<8xf32>
  %7 = mx.sigmoid %6 : tensor<8xf32>
  %8 = mx.relu %7 : tensor<8xf32>
  %9 = mx.negative %8 : tensor<8xf32>
  %10 = mx.square %9 : tensor<8xf32>
  return %10 : tensor<8xf32>
}

// -----

// Comparisons yield 1 or 0 in the operand type; integer ops use signed
// predicates, and integer division never traps.
// CHECK-LABEL: func.func @compare_and_divide
// CHECK: arith.cmpf ogt
// CHECK-NEXT: arith.uitofp {{.*}} : i1 to f32
// CHECK: arith.cmpi sle
// CHECK-NEXT: arith.extui {{.*}} : i1 to i64
// CHECK: arith.cmpi eq
// CHECK: arith.select
// CHECK: arith.divsi
// CHECK: arith.select
// CHECK: math.ipowi
func.func @compare_and_divide(%a: tensor<4xf32>, %b: tensor<4xf32>, %i: tensor<4xi64>, %j: tensor<4xi64>) -> (tensor<4xf32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>) {
  %0 = mx.greater %a, %b : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  %1 = mx.lesser_equal %i, %j : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %2 = mx.divide %i, %j : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  %3 = mx.power %i, %j : (tensor<4xi64>, tensor<4xi64>) -> tensor<4xi64>
  return %0, %1, %2, %3 : tensor<4xf32>, tensor<4xi64>, tensor<4xi64>, tensor<4xi64>
}

// -----

// Scalars become constants of the element type; reversed forms swap operands.
// CHECK-LABEL: func.func @scalars
// CHECK: %[[S:.*]] = arith.constant 3.000000e+00 : f32
// CHECK-NEXT: arith.subf %[[S]], %{{.*}} : f32
// CHECK: %[[T:.*]] = arith.constant 2 : i32
// CHECK-NEXT: arith.muli %{{.*}}, %[[T]] : i32
func.func @scalars(%a: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = mx.rsubtract_scalar %a, 3.0 : tensor<4xf32>
  %1 = mx.multiply_scalar %i, 2.5 : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// CHECK-LABEL: func.func @casts_and_constant
// CHECK: arith.constant dense<[1, 2]> : tensor<2xi32>
// CHECK: arith.addi
// CHECK: arith.sitofp {{.*}} : i32 to f64
// CHECK: arith.fptosi {{.*}} : f64 to i64
// CHECK: arith.truncf {{.*}} : f64 to f32
func.func @casts_and_constant(%x: tensor<2xi32>) -> (tensor<2xi64>, tensor<2xf32>) {
  %c = mx.constant dense<[1, 2]> : tensor<2xi32>
  %s = mx.add %x, %c : (tensor<2xi32>, tensor<2xi32>) -> tensor<2xi32>
  %0 = mx.cast %s : tensor<2xi32> -> tensor<2xf64>
  %1 = mx.cast %0 : tensor<2xf64> -> tensor<2xi64>
  %2 = mx.cast %0 : tensor<2xf64> -> tensor<2xf32>
  return %1, %2 : tensor<2xi64>, tensor<2xf32>
}

// -----

// CHECK-DAG: #[[IN:.*]] = affine_map<(d0, d1, d2) -> (d0, d1, d2)>
// CHECK-DAG: #[[KEPT:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @reductions
// max starts from -inf
// CHECK: %[[NINF:.*]] = arith.constant 0xFF800000 : f32
// CHECK: linalg.fill ins(%[[NINF]] : f32)
// CHECK: linalg.generic {indexing_maps = [#[[IN]], #[[KEPT]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.maximumf
// keepdims reshapes (2, 4) to (2, 1, 4)
// CHECK: tensor.expand_shape
// mean divides the sum by the reduced count
// CHECK: arith.addf
// CHECK: arith.constant 8.000000e+00 : f32
// CHECK: arith.divf
// integer min starts from INT32_MAX
// CHECK: arith.constant 2147483647 : i32
// CHECK: arith.minsi
func.func @reductions(%x: tensor<2x3x4xf32>, %i: tensor<2x3xi32>) -> (tensor<2x1x4xf32>, tensor<3xf32>, tensor<1xi32>) {
  %0 = mx.max %x {axis = array<i64: 1>, keepdims = true} : (tensor<2x3x4xf32>) -> tensor<2x1x4xf32>
  %1 = mx.mean %x {axis = array<i64: 1>, exclude = true} : (tensor<2x3x4xf32>) -> tensor<3xf32>
  %2 = mx.min %i : (tensor<2x3xi32>) -> tensor<1xi32>
  return %0, %1, %2 : tensor<2x1x4xf32>, tensor<3xf32>, tensor<1xi32>
}

// -----

// Softmax subtracts the row maximum before exp, then divides by the row sum.
// CHECK-LABEL: func.func @softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: arith.constant 5.000000e-01
// CHECK: arith.divf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK-LABEL: func.func @log_softmax
// CHECK: arith.maximumf
// CHECK: arith.subf
// CHECK: math.exp
// CHECK: arith.addf
// CHECK: math.log
// CHECK-NEXT: arith.subf
func.func @softmax(%x: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = mx.softmax %x {temperature = 0.5 : f64} : tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}
func.func @log_softmax(%x: tensor<2x5xf64>) -> tensor<2x5xf64> {
  %0 = mx.log_softmax %x {axis = 0 : i64} : tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}

// -----

// CHECK-DAG: #[[BC:.*]] = affine_map<(d0, d1, d2) -> (0, d1, d2)>
// CHECK-LABEL: func.func @shape_ops
// reshape goes through a 1-D view
// CHECK: tensor.collapse_shape %arg0 {{\[\[}}0, 1, 2]] : tensor<2x3x4xf32> into tensor<24xf32>
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1]] output_shape [6, 4] : tensor<24xf32> into tensor<6x4xf32>
// CHECK: linalg.transpose ins(%{{.*}} : tensor<6x4xf32>) outs(%{{.*}} : tensor<4x6xf32>) permutation = [1, 0]
// CHECK: linalg.generic {indexing_maps = [#[[BC]], {{.*}}]
// CHECK: tensor.expand_shape %{{.*}} {{\[\[}}0, 1, 2, 3]] output_shape [2, 3, 1, 4]
func.func @shape_ops(%x: tensor<2x3x4xf32>, %y: tensor<1x3x4xf32>) -> (tensor<4x6xf32>, tensor<5x3x4xf32>, tensor<2x3x1x4xf32>) {
  %0 = mx.reshape %x {shape = array<i64: -3, 0>} : (tensor<2x3x4xf32>) -> tensor<6x4xf32>
  %1 = mx.transpose %0 : (tensor<6x4xf32>) -> tensor<4x6xf32>
  %2 = mx.broadcast_to %y {shape = array<i64: 5, 0, 0>} : (tensor<1x3x4xf32>) -> tensor<5x3x4xf32>
  %3 = mx.expand_dims %x {axis = -2 : i64} : (tensor<2x3x4xf32>) -> tensor<2x3x1x4xf32>
  return %1, %2, %3 : tensor<4x6xf32>, tensor<5x3x4xf32>, tensor<2x3x1x4xf32>
}

// -----

// Positive steps are a strided extract_slice; a negative step reads the
// window backwards.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (d0, -d1 + 2)>
// CHECK-LABEL: func.func @slices
// CHECK: tensor.extract_slice %arg0[1, 0] [2, 3] [2, 1] : tensor<5x3xf32> to tensor<2x3xf32>
// CHECK: %[[W:.*]] = tensor.extract_slice %arg0[0, 0] [5, 3] [1, 1]
// CHECK: linalg.generic {indexing_maps = [#[[REV]], {{.*}}]{{.*}} ins(%[[W]]
func.func @slices(%x: tensor<5x3xf32>) -> (tensor<2x3xf32>, tensor<5x3xf32>) {
  %0 = mx.slice %x {begin = array<i64: 1>, end = array<i64: 4>, step = array<i64: 2>} : (tensor<5x3xf32>) -> tensor<2x3xf32>
  %1 = mx.slice %x {begin = array<i64: 0, -1>, end = array<i64: 5, -100>, step = array<i64: 1, -1>} : (tensor<5x3xf32>) -> tensor<5x3xf32>
  return %0, %1 : tensor<2x3xf32>, tensor<5x3xf32>
}

// -----

// CHECK-LABEL: func.func @concat
// CHECK: %[[E:.*]] = tensor.empty() : tensor<2x7xf32>
// CHECK: %[[A:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [2, 3] [1, 1]
// CHECK: tensor.insert_slice %arg1 into %[[A]][0, 3] [2, 4] [1, 1]
func.func @concat(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) -> tensor<2x7xf32> {
  %0 = mx.concat %a, %b : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<2x7xf32>
  return %0 : tensor<2x7xf32>
}

// -----

// Matrix transposes fold into the contraction maps; accumulators start at 0.
// CHECK-DAG: #[[LT:.*]] = affine_map<(d0, d1, d2) -> (d2, d0)>
// CHECK-DAG: #[[RN:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[OUT:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @dot_transpose_a
// CHECK: linalg.fill
// CHECK: linalg.generic {indexing_maps = [#[[LT]], #[[RN]], #[[OUT]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK: arith.mulf
// CHECK-NEXT: arith.addf
func.func @dot_transpose_a(%a: tensor<3x2xf32>, %b: tensor<3x4xf32>) -> tensor<2x4xf32> {
  %0 = mx.dot %a, %b {transpose_a = true} : (tensor<3x2xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return %0 : tensor<2x4xf32>
}

// -----

// N-D dot flattens to a matrix product and reshapes back.
// CHECK-LABEL: func.func @dot_nd
// CHECK: tensor.collapse_shape %arg0 {{.*}} into tensor<24xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<6x4xf32>
// CHECK: linalg.generic
// CHECK: tensor.expand_shape {{.*}} into tensor<2x3x5xf32>
func.func @dot_nd(%a: tensor<2x3x4xf32>, %b: tensor<4x5xf32>) -> tensor<2x3x5xf32> {
  %0 = mx.dot %a, %b : (tensor<2x3x4xf32>, tensor<4x5xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// CHECK-DAG: #[[BL:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d3)>
// CHECK-DAG: #[[BR:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2, d3)>
// CHECK-DAG: #[[BO:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d1, d2)>
// CHECK-LABEL: func.func @batch_dot
// CHECK: linalg.generic {indexing_maps = [#[[BL]], #[[BR]], #[[BO]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]}
func.func @batch_dot(%a: tensor<2x3x4xf32>, %b: tensor<2x5x4xf32>) -> tensor<2x3x5xf32> {
  %0 = mx.batch_dot %a, %b {transpose_b = true} : (tensor<2x3x4xf32>, tensor<2x5x4xf32>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// The bias, broadcast over rows, is the accumulator's starting value.
// CHECK-DAG: #[[BIAS:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-DAG: #[[W:.*]] = affine_map<(d0, d1, d2) -> (d1, d2)>
// CHECK-LABEL: func.func @fully_connected
// CHECK: tensor.collapse_shape %arg0 {{.*}} into tensor<24xf32>
// CHECK: %[[D:.*]] = tensor.expand_shape {{.*}} into tensor<2x12xf32>
// CHECK: %[[INIT:.*]] = linalg.generic {indexing_maps = [#[[BIAS]], {{.*}}]{{.*}} ins(%arg2 : tensor<5xf32>)
// CHECK: linalg.generic {indexing_maps = [{{.*}}, #[[W]], {{.*}}]{{.*}} ins(%[[D]], %arg1 : tensor<2x12xf32>, tensor<5x12xf32>) outs(%[[INIT]] : tensor<2x5xf32>)
func.func @fully_connected(%x: tensor<2x3x4xf32>, %w: tensor<5x12xf32>, %b: tensor<5xf32>) -> tensor<2x5xf32> {
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 5 : i64} : (tensor<2x3x4xf32>, tensor<5x12xf32>, tensor<5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// The unary math ops map onto math ops one to one (reciprocal and rcbrt
// divide 1 by x or cbrt x; radians/degrees multiply by a constant).
// CHECK-LABEL: func.func @unary_math_more
// CHECK: math.tan
// CHECK: math.log2
// CHECK: math.log10
// CHECK: math.log1p
// CHECK: math.expm1
// CHECK: %[[ONE:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: arith.divf %[[ONE]], %{{.*}} : f32
// CHECK: math.rsqrt
// CHECK: math.cbrt
// CHECK: %[[ONE2:.*]] = arith.constant 1.000000e+00 : f32
// CHECK-NEXT: %[[CB:.*]] = math.cbrt
// CHECK-NEXT: arith.divf %[[ONE2]], %[[CB]] : f32
// CHECK: math.sinh
// CHECK: math.cosh
// CHECK: math.asin
// CHECK: math.acos
// CHECK: math.atan
// CHECK: math.asinh
// CHECK: math.acosh
// CHECK: math.atanh
// CHECK: math.erf
// CHECK: %[[RAD:.*]] = arith.constant 0.0174532924 : f32
// CHECK-NEXT: arith.mulf %{{.*}}, %[[RAD]] : f32
// CHECK: %[[DEG:.*]] = arith.constant 57.2957802 : f32
// CHECK-NEXT: arith.mulf %{{.*}}, %[[DEG]] : f32
func.func @unary_math_more(%x: tensor<8xf32>) -> tensor<8xf32> {
  %0 = mx.tan %x : tensor<8xf32>
  %1 = mx.log2 %0 : tensor<8xf32>
  %2 = mx.log10 %1 : tensor<8xf32>
  %3 = mx.log1p %2 : tensor<8xf32>
  %4 = mx.expm1 %3 : tensor<8xf32>
  %5 = mx.reciprocal %4 : tensor<8xf32>
  %6 = mx.rsqrt %5 : tensor<8xf32>
  %7 = mx.cbrt %6 : tensor<8xf32>
  %8 = mx.rcbrt %7 : tensor<8xf32>
  %9 = mx.sinh %8 : tensor<8xf32>
  %10 = mx.cosh %9 : tensor<8xf32>
  %11 = mx.arcsin %10 : tensor<8xf32>
  %12 = mx.arccos %11 : tensor<8xf32>
  %13 = mx.arctan %12 : tensor<8xf32>
  %14 = mx.arcsinh %13 : tensor<8xf32>
  %15 = mx.arccosh %14 : tensor<8xf32>
  %16 = mx.arctanh %15 : tensor<8xf32>
  %17 = mx.erf %16 : tensor<8xf32>
  %18 = mx.radians %17 : tensor<8xf32>
  %19 = mx.degrees %18 : tensor<8xf32>
  return %19 : tensor<8xf32>
}

// -----

// softsign = x / (1 + |x|); softrelu = max(x, 0) + log1p(exp(-|x|)), which
// never overflows; sign selects -1/1/0 with ordered compares (NaN -> 0).
// CHECK-LABEL: func.func @softsign_softrelu_sign
// CHECK: %[[A:.*]] = math.absf %[[IN:.*]] : f64
// CHECK-NEXT: %[[D:.*]] = arith.addf %{{.*}}, %[[A]] : f64
// CHECK-NEXT: arith.divf %[[IN]], %[[D]] : f64
// CHECK: %[[A2:.*]] = math.absf %[[IN2:.*]] : f64
// CHECK-NEXT: %[[N:.*]] = arith.negf %[[A2]] : f64
// CHECK-NEXT: %[[E:.*]] = math.exp %[[N]] : f64
// CHECK-NEXT: %[[L:.*]] = math.log1p %[[E]] : f64
// CHECK-NEXT: %[[M:.*]] = arith.maximumf %[[IN2]], %{{.*}} : f64
// CHECK-NEXT: arith.addf %[[M]], %[[L]] : f64
// CHECK: %[[GT:.*]] = arith.cmpf ogt
// CHECK-NEXT: %[[LT:.*]] = arith.cmpf olt
// CHECK-NEXT: %[[P:.*]] = arith.select %[[GT]]
// CHECK-NEXT: arith.select %[[LT]], %{{.*}}, %[[P]] : f64
// CHECK: arith.cmpi sgt
// CHECK-NEXT: arith.cmpi slt
func.func @softsign_softrelu_sign(%x: tensor<4xf64>, %i: tensor<4xi32>) -> (tensor<4xf64>, tensor<4xi32>) {
  %0 = mx.softsign %x : tensor<4xf64>
  %1 = mx.softrelu %0 : tensor<4xf64>
  %2 = mx.sign %1 : tensor<4xf64>
  %3 = mx.sign %i : tensor<4xi32>
  return %2, %3 : tensor<4xf64>, tensor<4xi32>
}

// -----

// clip: x > hi gives hi, x < lo gives lo, otherwise x (NaN too). Integer
// bounds truncate toward zero and saturate (1e10 -> INT32_MAX).
// CHECK-LABEL: func.func @clip
// CHECK: %[[LO:.*]] = arith.constant -1.000000e+00 : f32
// CHECK-NEXT: %[[HI:.*]] = arith.constant 2.500000e+00 : f32
// CHECK-NEXT: %[[ABOVE:.*]] = arith.cmpf ogt, %[[X:.*]], %[[HI]] : f32
// CHECK-NEXT: %[[BELOW:.*]] = arith.cmpf olt, %[[X]], %[[LO]] : f32
// CHECK-NEXT: %[[S:.*]] = arith.select %[[BELOW]], %[[LO]], %[[X]] : f32
// CHECK-NEXT: arith.select %[[ABOVE]], %[[HI]], %[[S]] : f32
// CHECK: %[[ILO:.*]] = arith.constant -1 : i32
// CHECK-NEXT: %[[IHI:.*]] = arith.constant 2147483647 : i32
// CHECK-NEXT: arith.cmpi sgt, %{{.*}}, %[[IHI]] : i32
// CHECK-NEXT: arith.cmpi slt, %{{.*}}, %[[ILO]] : i32
func.func @clip(%x: tensor<4xf32>, %i: tensor<4xi32>) -> (tensor<4xf32>, tensor<4xi32>) {
  %0 = mx.clip %x {a_min = -1.0 : f64, a_max = 2.5 : f64} : tensor<4xf32>
  %1 = mx.clip %i {a_min = -1.9 : f64, a_max = 1.0e10 : f64} : tensor<4xi32>
  return %0, %1 : tensor<4xf32>, tensor<4xi32>
}

// -----

// stop_gradient computes nothing.
// CHECK-LABEL: func.func @stop_gradient
// CHECK-SAME: (%[[X:.*]]: tensor<4xf32>)
// CHECK-NEXT: return %[[X]] : tensor<4xf32>
func.func @stop_gradient(%x: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mx.stop_gradient %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}

// -----

// slice_assign inserts value into the positive-stride window of the slice;
// a negative step reverses value along that axis first.
// CHECK-DAG: #[[REV:.*]] = affine_map<(d0, d1) -> (-d0 + 1, d1)>
// CHECK-LABEL: func.func @slice_assign
// CHECK-SAME: (%[[B:.*]]: tensor<5x4xf32>, %[[V:.*]]: tensor<2x4xf32>, %[[W:.*]]: tensor<2x2xf32>)
// CHECK: %[[I0:.*]] = tensor.insert_slice %[[V]] into %[[B]][1, 0] [2, 4] [2, 1] : tensor<2x4xf32> into tensor<5x4xf32>
// CHECK: %[[R:.*]] = linalg.generic {indexing_maps = [#[[REV]], {{.*}}]{{.*}} ins(%[[W]] : tensor<2x2xf32>)
// CHECK: tensor.insert_slice %[[R]] into %[[I0]][1, 1] [2, 2] [3, 1] : tensor<2x2xf32> into tensor<5x4xf32>
func.func @slice_assign(%b: tensor<5x4xf32>, %v: tensor<2x4xf32>, %w: tensor<2x2xf32>) -> tensor<5x4xf32> {
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 5>, step = array<i64: 2>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  %1 = mx.slice_assign %0, %w {begin = array<i64: 4, 1>, end = array<i64: 0, 3>, step = array<i64: -3, 1>} : (tensor<5x4xf32>, tensor<2x2xf32>) -> tensor<5x4xf32>
  return %1 : tensor<5x4xf32>
}
