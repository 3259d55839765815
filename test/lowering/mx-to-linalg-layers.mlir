// RUN: mxjit-opt %s --mx-to-linalg --split-input-file | FileCheck %s
// RUN: mxjit-opt %s --mx-lower-to-llvm --split-input-file | FileCheck %s --check-prefix=LLVM

// Every layer op also goes through the whole pipeline to the LLVM dialect
// (only mx-plan-memory's `mx.*_bytes = N` function attributes stay, for
// the runtime to read).
// LLVM-NOT: {{mx\.[a-z_]+ [^=]}}
// LLVM-NOT: linalg.

// batch_norm in training: two reductions over the non-channel axes (mean,
// then the biased variance of the centred data), rsqrt(var + eps), gamma and
// beta broadcast per channel; the statistics come back as (C).
// CHECK-DAG: #[[RED:.*]] = affine_map<(d0, d1, d2) -> (d1)>
// CHECK-LABEL: func.func @batch_norm_train
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[RED]]], iterator_types = ["reduction", "parallel", "reduction"]}
// CHECK-SAME: ins(%arg0 : tensor<4x3x5xf32>)
// CHECK: arith.addf
// CHECK: arith.divf
// CHECK: arith.subf
// CHECK: arith.mulf %in, %in
// CHECK: iterator_types = ["reduction", "parallel", "reduction"]
// CHECK: arith.constant 1.000000e-03 : f32
// CHECK: math.rsqrt
// CHECK: arith.mulf
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: %[[M:.*]] = tensor.collapse_shape {{.*}} : tensor<1x3x1xf32> into tensor<3xf32>
// CHECK: %[[V:.*]] = tensor.collapse_shape {{.*}} : tensor<1x3x1xf32> into tensor<3xf32>
// CHECK: return %{{.*}}, %[[M]], %[[V]]
func.func @batch_norm_train(%x: tensor<4x3x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {training = true, fix_gamma = false} : (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// batch_norm with moving statistics: no reduction; a per-channel scale
// gamma * rsqrt(var + eps) and shift beta - mean * scale on (C) vectors, then
// one multiply-add over the data. The statistics results are the operands.
// CHECK-LABEL: func.func @batch_norm_inference
// CHECK-NOT: "reduction"
// CHECK: ins(%arg4 : tensor<3xf32>)
// CHECK: math.rsqrt
// CHECK: ins(%{{.*}}, %arg1 : tensor<3xf32>, tensor<3xf32>)
// CHECK: arith.subf
// CHECK: tensor.expand_shape {{.*}} into tensor<1x3xf32>
// CHECK: arith.mulf
// CHECK: arith.addf
// CHECK: return %{{.*}}, %arg3, %arg4
func.func @batch_norm_inference(%x: tensor<4x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>) {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {fix_gamma = false} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0, %0#1, %0#2 : tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>
}

// -----

// fix_gamma never reads gamma.
// CHECK-LABEL: func.func @batch_norm_fix_gamma
// CHECK-NOT: {{[(, ]}}%arg1{{[ ,)]}}
// CHECK: return
func.func @batch_norm_fix_gamma(%x: tensor<4x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>) -> tensor<4x3xf32> {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {training = true} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<4x3xf32>
}

// -----

// dropout: the key is hashed once from the seed, then one generic hashes
// each element's index in the mask shape (axis 0 shares the mask, so only
// d1 and d2 count), keeps u >= p and scales by 1 / (1 - p) = 4/3.
// CHECK-LABEL: func.func @dropout
// CHECK-DAG: tensor.extract %arg1[%{{.*}}] : tensor<2xi64>
// CHECK-DAG: arith.constant -7046029254386353131 : i64
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]} ins(%arg0 : tensor<2x3x5xf32>)
// CHECK-NOT: linalg.index 0
// CHECK: linalg.index 1
// CHECK: linalg.index 2
// CHECK: arith.shrui
// CHECK: arith.uitofp {{.*}} : i64 to f64
// CHECK: arith.cmpf oge, %{{.*}}, %{{.*}} : f64
// CHECK: arith.constant 1.33333337 : f32
// CHECK: arith.select
func.func @dropout(%x: tensor<2x3x5xf32>, %seed: tensor<2xi64>) -> tensor<2x3x5xf32> {
  %0 = mx.dropout %x, %seed {p = 0.25 : f64, axes = array<i64: 0>} : (tensor<2x3x5xf32>, tensor<2xi64>) -> tensor<2x3x5xf32>
  return %0 : tensor<2x3x5xf32>
}

// -----

// p = 0 is the identity, p = 1 a fill with zeros.
// CHECK-LABEL: func.func @dropout_extremes
// CHECK-NOT: linalg.generic
// CHECK: %[[Z:.*]] = linalg.fill
// CHECK: return %arg0, %[[Z]]
func.func @dropout_extremes(%x: tensor<4x3xf32>, %s: tensor<2xi64>) -> (tensor<4x3xf32>, tensor<4x3xf32>) {
  %0 = mx.dropout %x, %s {p = 0.0 : f64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  %1 = mx.dropout %x, %s {p = 1.0 : f64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return %0, %1 : tensor<4x3xf32>, tensor<4x3xf32>
}

// -----

// softmax_output is a softmax; for N-D data without multi_output MXNet
// flattens the trailing axes into the classes.
// CHECK-LABEL: func.func @softmax_output_flat
// CHECK: tensor.collapse_shape %arg0 {{.*}} into tensor<24xf32>
// CHECK: tensor.expand_shape {{.*}} into tensor<2x12xf32>
// CHECK: arith.maximumf
// CHECK: math.exp
// CHECK: arith.divf
// CHECK: tensor.expand_shape {{.*}} into tensor<2x3x4xf32>
// CHECK-NOT: {{[(, ]}}%arg1{{[ ,)]}}
func.func @softmax_output_flat(%x: tensor<2x3x4xf32>, %l: tensor<2xf32>) -> tensor<2x3x4xf32> {
  %0 = mx.softmax_output %x, %l : (tensor<2x3x4xf32>, tensor<2xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// multi_output: softmax over axis 1 in place, no reshapes.
// CHECK-DAG: #[[KEEP:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-LABEL: func.func @softmax_output_multi
// CHECK-NOT: tensor.collapse_shape
// CHECK: linalg.generic {indexing_maps = [#{{.*}}, #[[KEEP]]], iterator_types = ["parallel", "reduction", "parallel"]}
// CHECK: arith.maximumf
func.func @softmax_output_multi(%x: tensor<2x3x4xf32>, %l: tensor<2x4xf32>) -> tensor<2x3x4xf32> {
  %0 = mx.softmax_output %x, %l {multi_output = true} : (tensor<2x3x4xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// The regression outputs: identity, sigmoid, identity.
// CHECK-LABEL: func.func @regression_outputs
// CHECK: %[[S:.*]] = linalg.generic
// CHECK: arith.negf
// CHECK: math.exp
// CHECK: return %arg0, %[[S]], %arg0
func.func @regression_outputs(%x: tensor<4x1xf32>, %l: tensor<4xf32>) -> (tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>) {
  %0 = mx.linear_regression_output %x, %l : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
  %1 = mx.logistic_regression_output %x, %l : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
  %2 = mx.mae_regression_output %x, %l : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
  return %0, %1, %2 : tensor<4x1xf32>, tensor<4x1xf32>, tensor<4x1xf32>
}
