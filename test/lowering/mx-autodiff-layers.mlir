// RUN: mxjit-opt %s --mx-autodiff='seeds=true keep-forward=false' --split-input-file | FileCheck %s

// The gradient IR of the layer ops (the last argument of each gradient is
// the seed g).

// batch_norm in training: the batch statistics are recomputed from x with
// mx ops (the op's mean/var results carry no gradient), then
// dx = rsqrt(var + eps) * (g*gamma - mean(g*gamma) - x_hat * mean(g*gamma * x_hat)),
// dgamma = sum(g * x_hat), dbeta = sum(g); the moving statistics get zeros.
// CHECK-LABEL: func.func @bn_train_grad
// CHECK-SAME: %[[X:arg0]]: tensor<4x3x5xf32>, %[[G:arg1]]: tensor<3xf32>
// CHECK-SAME: %[[S:arg5]]: tensor<4x3x5xf32>
// CHECK: %[[Z:.*]] = mx.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[MU:.*]] = mx.mean %[[X]] {axis = array<i64: 0, 2>, keepdims = true} : (tensor<4x3x5xf32>) -> tensor<1x3x1xf32>
// CHECK: %[[XC:.*]] = mx.subtract %[[X]], %[[MU]]
// CHECK: %[[SQ:.*]] = mx.square %[[XC]]
// CHECK: %[[VAR:.*]] = mx.mean %[[SQ]] {axis = array<i64: 0, 2>, keepdims = true}
// CHECK: %[[VE:.*]] = mx.add_scalar %[[VAR]], 1.000000e-03
// CHECK: %[[INV:.*]] = mx.rsqrt %[[VE]]
// CHECK: %[[XH:.*]] = mx.multiply %[[XC]], %[[INV]]
// CHECK: %[[GB:.*]] = mx.reshape %[[G]] {shape = array<i64: 1, 3, 1>}
// CHECK: %[[DXH:.*]] = mx.multiply %[[S]], %[[GB]]
// CHECK: %[[M1:.*]] = mx.mean %[[DXH]] {axis = array<i64: 0, 2>, keepdims = true}
// CHECK: %[[P:.*]] = mx.multiply %[[DXH]], %[[XH]]
// CHECK: %[[M2:.*]] = mx.mean %[[P]] {axis = array<i64: 0, 2>, keepdims = true}
// CHECK: %[[D1:.*]] = mx.subtract %[[DXH]], %[[M1]]
// CHECK: %[[XM:.*]] = mx.multiply %[[XH]], %[[M2]]
// CHECK: %[[D2:.*]] = mx.subtract %[[D1]], %[[XM]]
// CHECK: %[[DX:.*]] = mx.multiply %[[INV]], %[[D2]]
// CHECK: %[[GX:.*]] = mx.multiply %[[S]], %[[XH]]
// CHECK: %[[DG:.*]] = mx.sum %[[GX]] {axis = array<i64: 0, 2>} : (tensor<4x3x5xf32>) -> tensor<3xf32>
// CHECK: %[[DB:.*]] = mx.sum %[[S]] {axis = array<i64: 0, 2>} : (tensor<4x3x5xf32>) -> tensor<3xf32>
// CHECK: return %[[DX]], %[[DG]], %[[DB]], %[[Z]], %[[Z]]
func.func @bn_train(%x: tensor<4x3x5xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>) -> tensor<4x3x5xf32> {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {fix_gamma = false, training = true} : (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<4x3x5xf32>
}

// -----

// With global statistics: dx = g * gamma * rsqrt(moving_var + eps). With
// fix_gamma gamma gets zeros and is not read, and x_hat (only needed for
// dgamma) is dead: the moving mean is not read either.
// CHECK-LABEL: func.func @bn_global_grad
// CHECK-SAME: %[[S:arg5]]: tensor<4x3xf32>
// CHECK-NOT: mx.mean
// CHECK: %[[Z:.*]] = mx.constant dense<0.000000e+00> : tensor<3xf32>
// CHECK: %[[MV:.*]] = mx.reshape %arg4 {shape = array<i64: 1, 3>}
// CHECK: %[[VE:.*]] = mx.add_scalar %[[MV]], 1.000000e-05
// CHECK: %[[INV:.*]] = mx.rsqrt %[[VE]]
// CHECK: %[[DX:.*]] = mx.multiply %[[S]], %[[INV]]
// CHECK-NOT: %arg1
// CHECK-NOT: %arg3
// CHECK: %[[DB:.*]] = mx.sum %[[S]] {axis = array<i64: 0>}
// CHECK: return %[[DX]], %[[Z]], %[[DB]], %[[Z]], %[[Z]]
func.func @bn_global(%x: tensor<4x3xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>) -> tensor<4x3xf32> {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {eps = 1.0e-5 : f64, use_global_stats = true, training = true} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return %0#0 : tensor<4x3xf32>
}

// -----

// dropout: the cotangent through the same mask (same seed, p and axes).
// CHECK-LABEL: func.func @dropout_grad
// CHECK-SAME: (%arg0: tensor<8x4xf32>, %[[SEED:arg1]]: tensor<2xi64>, %[[S:arg2]]: tensor<8x4xf32>)
// CHECK-SAME: -> tensor<8x4xf32>
// CHECK: %[[D:.*]] = mx.dropout %[[S]], %[[SEED]] {axes = array<i64: 1>, p = 3.000000e-01 : f64}
// CHECK: return %[[D]]
func.func @dropout(%x: tensor<8x4xf32>, %seed: tensor<2xi64>) -> tensor<8x4xf32> {
  %0 = mx.dropout %x, %seed {p = 0.3 : f64, axes = array<i64: 1>} : (tensor<8x4xf32>, tensor<2xi64>) -> tensor<8x4xf32>
  return %0 : tensor<8x4xf32>
}

// -----

// softmax_output ignores the seed: (softmax(x) - onehot(trunc(label))) / N
// with "batch"; the one-hot compares the label with the class ids.
// CHECK-LABEL: func.func @softmax_output_batch_grad
// CHECK-SAME: %[[S:arg2]]: tensor<4x10xf32>
// CHECK-NOT: %[[S]]
// CHECK: %[[IDS:.*]] = mx.constant dense<{{.*}}> : tensor<1x10x1xf32>
// CHECK: %[[P:.*]] = mx.softmax %arg0 : tensor<4x10xf32>
// CHECK: %[[P3:.*]] = mx.reshape %[[P]] {shape = array<i64: 4, 10, 1>}
// CHECK: %[[L:.*]] = mx.reshape %arg1 {shape = array<i64: 4, 1, 1>}
// CHECK: %[[LI:.*]] = mx.cast %[[L]] : tensor<4x1x1xf32> -> tensor<4x1x1xi64>
// CHECK: %[[LT:.*]] = mx.cast %[[LI]] : tensor<4x1x1xi64> -> tensor<4x1x1xf32>
// CHECK: %[[OH:.*]] = mx.equal %[[LT]], %[[IDS]] : (tensor<4x1x1xf32>, tensor<1x10x1xf32>) -> tensor<4x10x1xf32>
// CHECK: %[[D:.*]] = mx.subtract %[[P3]], %[[OH]]
// CHECK: %[[SC:.*]] = mx.multiply_scalar %[[D]], 2.500000e-01
// CHECK: %[[R:.*]] = mx.reshape %[[SC]] {shape = array<i64: 4, 10>}
// CHECK: return %[[R]], %{{.*}} : tensor<4x10xf32>, tensor<4xf32>
func.func @softmax_output_batch(%x: tensor<4x10xf32>, %l: tensor<4xf32>) -> tensor<4x10xf32> {
  %0 = mx.softmax_output %x, %l {normalization = "batch"} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
  return %0 : tensor<4x10xf32>
}

// -----

// multi_output with use_ignore and "valid": ignored positions are zeroed and
// the sum is divided by max(count(label != ignore_label), 1).
// CHECK-LABEL: func.func @softmax_output_valid_grad
// CHECK: %[[P:.*]] = mx.softmax %arg0 {axis = 1 : i64} : tensor<2x3x4xf32>
// CHECK: %[[OH:.*]] = mx.equal
// CHECK: %[[D:.*]] = mx.subtract %[[P]], %[[OH]]
// CHECK: %[[K:.*]] = mx.not_equal_scalar %{{.*}}, 0.000000e+00 : tensor<2x1x4xf32>
// CHECK: %[[DK:.*]] = mx.multiply %[[D]], %[[K]]
// CHECK: %[[N:.*]] = mx.sum %[[K]] : (tensor<2x1x4xf32>) -> tensor<1xf32>
// CHECK: %[[N1:.*]] = mx.maximum_scalar %[[N]], 1.000000e+00
// CHECK: %[[Q:.*]] = mx.divide %[[DK]], %[[N1]]
// CHECK: %[[R:.*]] = mx.multiply_scalar %[[Q]], 2.000000e+00
// CHECK: return %[[R]]
func.func @softmax_output_valid(%x: tensor<2x3x4xf32>, %l: tensor<2x4xf32>) -> tensor<2x3x4xf32> {
  %0 = mx.softmax_output %x, %l {multi_output = true, normalization = "valid", use_ignore = true, ignore_label = 0.0 : f64, grad_scale = 2.0 : f64} : (tensor<2x3x4xf32>, tensor<2x4xf32>) -> tensor<2x3x4xf32>
  return %0 : tensor<2x3x4xf32>
}

// -----

// Label smoothing: target = onehot * (1 - alpha - alpha / (C - 1)) + alpha / (C - 1);
// out_grad multiplies by the seed.
// CHECK-LABEL: func.func @softmax_output_smooth_grad
// CHECK-SAME: %[[S:arg2]]: tensor<2x5xf64>
// CHECK: %[[OH:.*]] = mx.equal
// CHECK: %[[T1:.*]] = mx.multiply_scalar %[[OH]], 7.500000e-01
// CHECK: %[[T:.*]] = mx.add_scalar %[[T1]], 5.000000e-02
// CHECK: %[[D:.*]] = mx.subtract %{{.*}}, %[[T]]
// CHECK: %[[R:.*]] = mx.reshape %[[D]] {shape = array<i64: 2, 5>}
// CHECK: %[[O:.*]] = mx.multiply %[[R]], %[[S]]
// CHECK: return %[[O]]
func.func @softmax_output_smooth(%x: tensor<2x5xf64>, %l: tensor<2xf64>) -> tensor<2x5xf64> {
  %0 = mx.softmax_output %x, %l {smooth_alpha = 0.2 : f64, out_grad = true} : (tensor<2x5xf64>, tensor<2xf64>) -> tensor<2x5xf64>
  return %0 : tensor<2x5xf64>
}

// -----

// Probability labels: (softmax - label) * grad_scale, no normalization.
// CHECK-LABEL: func.func @softmax_output_prob_grad
// CHECK: %[[P:.*]] = mx.softmax %arg0
// CHECK: %[[D:.*]] = mx.subtract %[[P]], %arg1
// CHECK: %[[R:.*]] = mx.multiply_scalar %[[D]], 3.000000e+00
// CHECK: return %[[R]]
func.func @softmax_output_prob(%x: tensor<2x5xf32>, %l: tensor<2x5xf32>) -> tensor<2x5xf32> {
  %0 = mx.softmax_output %x, %l {grad_scale = 3.0 : f64, normalization = "batch"} : (tensor<2x5xf32>, tensor<2x5xf32>) -> tensor<2x5xf32>
  return %0 : tensor<2x5xf32>
}

// -----

// Regression outputs ignore the seed: (out - label) * grad_scale /
// num_output with num_output = label.size / label.shape[0]; the (N) label of
// (N, 1) data is reshaped; MAE takes the sign.
// CHECK-LABEL: func.func @linear_grad
// CHECK-SAME: %[[S:arg2]]: tensor<4x3xf32>
// CHECK-NOT: %[[S]]
// CHECK: %[[D:.*]] = mx.subtract %arg0, %arg1
// CHECK: %[[R:.*]] = mx.multiply_scalar %[[D]], 0.66666666666666663
// CHECK: return %[[R]]
func.func @linear(%x: tensor<4x3xf32>, %l: tensor<4x3xf32>) -> tensor<4x3xf32> {
  %0 = mx.linear_regression_output %x, %l {grad_scale = 2.0 : f64} : (tensor<4x3xf32>, tensor<4x3xf32>) -> tensor<4x3xf32>
  return %0 : tensor<4x3xf32>
}

// CHECK-LABEL: func.func @logistic_grad
// CHECK: %[[Y:.*]] = mx.sigmoid %arg0 : tensor<4x1xf32>
// CHECK: %[[L:.*]] = mx.reshape %arg1 {shape = array<i64: 4, 1>}
// CHECK: %[[D:.*]] = mx.subtract %[[Y]], %[[L]]
// CHECK: return %[[D]]
func.func @logistic(%x: tensor<4x1xf32>, %l: tensor<4xf32>) -> tensor<4x1xf32> {
  %0 = mx.logistic_regression_output %x, %l : (tensor<4x1xf32>, tensor<4xf32>) -> tensor<4x1xf32>
  return %0 : tensor<4x1xf32>
}

// CHECK-LABEL: func.func @mae_grad
// CHECK: %[[D:.*]] = mx.subtract %arg0, %arg1
// CHECK: %[[G:.*]] = mx.sign %[[D]]
// CHECK: return %[[G]]
func.func @mae(%x: tensor<4xf32>, %l: tensor<4xf32>) -> tensor<4xf32> {
  %0 = mx.mae_regression_output %x, %l : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return %0 : tensor<4xf32>
}
