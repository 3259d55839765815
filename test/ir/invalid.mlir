// RUN: mxjit-opt %s -split-input-file -verify-diagnostics

// Every verifier and type-inference rule of the mx dialect, one case each.
// A failed shape rule reports its message and then "failed to infer returned
// types"; a result type that disagrees with the inferred one reports the two.

//===----------------------------------------------------------------------===//
// constant
//===----------------------------------------------------------------------===//

func.func @constant_not_dense() {
  // expected-error @+1 {{'mx.constant' op value must be a dense elements attribute}}
  %0 = mx.constant sparse<[[0]], [1.0]> : tensor<2xf32>
  return
}

// -----

func.func @constant_type_mismatch() {
  // expected-error @+1 {{'mx.constant' op failed to verify that all of {value, result} have same type}}
  %0 = "mx.constant"() <{value = dense<1.0> : tensor<2xf32>}> : () -> tensor<3xf32>
  return
}

// -----

func.func @constant_bad_element() {
  // expected-error @+1 {{'mx.constant' op result #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xf16>'}}
  %0 = mx.constant dense<1.0> : tensor<2xf16>
  return
}

// -----

func.func @constant_i1() {
  // expected-error-re @+1 {{'mx.constant' op result #0 must be ranked tensor of {{.*}} values, but got 'tensor<2xi1>'}}
  %0 = mx.constant dense<true> : tensor<2xi1>
  return
}

//===----------------------------------------------------------------------===//
// element types and operand/result types
//===----------------------------------------------------------------------===//

// -----

func.func @exp_on_integer(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.exp' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.exp %x : tensor<2xi32>
  return
}

// -----

func.func @log_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.log' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.log %x : tensor<2xi64>
  return
}

// -----

func.func @unsupported_element(%x: tensor<2xi8>) {
  // expected-error @+1 {{'mx.negative' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = mx.negative %x : tensor<2xi8>
  return
}

// -----

func.func @unranked(%x: tensor<*xf32>) {
  // expected-error-re @+1 {{'mx.relu' op operand #0 must be ranked tensor of {{.*}} values, but got 'tensor<*xf32>'}}
  %0 = "mx.relu"(%x) : (tensor<*xf32>) -> tensor<*xf32>
  return
}

// -----

func.func @unary_result_type(%x: tensor<2xf32>) {
  // The Elementwise trait reports the shape mismatch first.
  // expected-error @+1 {{'mx.negative' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "mx.negative"(%x) : (tensor<2xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @add_mixed_elements(%a: tensor<2xf32>, %b: tensor<2xi32>) {
  // expected-error @+1 {{'mx.add' op requires the same element type for all operands and results}}
  %0 = mx.add %a, %b : (tensor<2xf32>, tensor<2xi32>) -> tensor<2xf32>
  return
}

// -----

func.func @add_result_element(%a: tensor<2xf32>, %b: tensor<2xf32>) {
  // expected-error @+1 {{'mx.add' op requires the same element type for all operands and results}}
  %0 = mx.add %a, %b : (tensor<2xf32>, tensor<2xf32>) -> tensor<2xf64>
  return
}

// -----

func.func @scalar_type(%x: tensor<2xf32>) {
  // expected-error @+1 {{'mx.add_scalar' op requires the same type for all operands and results}}
  %0 = "mx.add_scalar"(%x) <{scalar = 1.0 : f64}> : (tensor<2xf32>) -> tensor<2xf64>
  return
}

// -----

func.func @scalar_not_f64(%x: tensor<2xf32>) {
  // expected-error @+1 {{'mx.multiply_scalar' op attribute 'scalar' failed to satisfy constraint: 64-bit float attribute}}
  %0 = "mx.multiply_scalar"(%x) <{scalar = 1.0 : f32}> : (tensor<2xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @cast_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.cast' op all non-scalar operands/results must have the same shape and base type}}
  %0 = mx.cast %x : tensor<2x3xf32> -> tensor<3x2xi32>
  return
}

// -----

func.func @cast_bad_element(%x: tensor<2xf32>) {
  // expected-error-re @+1 {{'mx.cast' op result #0 must be ranked tensor of {{.*}} values, but got 'tensor<2xbf16>'}}
  %0 = mx.cast %x : tensor<2xf32> -> tensor<2xbf16>
  return
}

// -----

func.func @concat_mixed_elements(%a: tensor<2x3xf32>, %b: tensor<2x3xf64>) {
  // expected-error @+1 {{'mx.concat' op requires the same element type for all operands and results}}
  %0 = mx.concat %a, %b : (tensor<2x3xf32>, tensor<2x3xf64>) -> tensor<2x6xf32>
  return
}

// -----

func.func @reshape_result_element(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.reshape' op requires the same element type for all operands and results}}
  %0 = mx.reshape %x {shape = array<i64: 6>} : (tensor<2x3xf32>) -> tensor<6xi32>
  return
}

// -----

func.func @dot_mixed_elements(%a: tensor<2x3xf32>, %b: tensor<3x4xf64>) {
  // expected-error @+1 {{'mx.dot' op requires the same element type for all operands and results}}
  %0 = mx.dot %a, %b : (tensor<2x3xf32>, tensor<3x4xf64>) -> tensor<2x4xf32>
  return
}

// -----

func.func @fully_connected_bias_element(%x: tensor<8x4xf32>, %w: tensor<10x4xf32>, %b: tensor<10xf64>) {
  // expected-error @+1 {{'mx.fully_connected' op requires the same element type for all operands and results}}
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 10 : i64} : (tensor<8x4xf32>, tensor<10x4xf32>, tensor<10xf64>) -> tensor<8x10xf32>
  return
}

// -----

func.func @sum_result_element(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{'mx.sum' op requires the same element type for all operands and results}}
  %0 = mx.sum %x : (tensor<2x3xi32>) -> tensor<1xi64>
  return
}

// -----

func.func @softmax_integer(%x: tensor<2x3xi32>) {
  // expected-error @+1 {{'mx.softmax' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2x3xi32>'}}
  %0 = mx.softmax %x : tensor<2x3xi32>
  return
}

// -----

func.func @reshape_missing_shape(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.reshape' op requires attribute 'shape'}}
  %0 = "mx.reshape"(%x) : (tensor<2x3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @fully_connected_missing_num_hidden(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+1 {{'mx.fully_connected' op requires attribute 'num_hidden'}}
  %0 = "mx.fully_connected"(%x, %w) <{operandSegmentSizes = array<i32: 1, 1, 0>}> : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return
}

//===----------------------------------------------------------------------===//
// inferred result type mismatches (one per op with type inference)
//===----------------------------------------------------------------------===//

// -----

func.func @add_wrong_result(%a: tensor<2x3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'mx.add' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<3x2xf32>'}}
  // expected-error @+1 {{'mx.add' op failed to infer returned types}}
  %0 = mx.add %a, %b : (tensor<2x3xf32>, tensor<3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @compare_wrong_result(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>) {
  // expected-error @+2 {{'mx.greater' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<2x1xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.greater %a, %b : (tensor<2x3xf32>, tensor<2x1xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @dynamic_result_not_accepted(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.multiply' op inferred type(s) 'tensor<2x3xf32>' are incompatible with return type(s) of operation 'tensor<?x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.multiply %a, %a : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<?x3xf32>
  return
}

// -----

func.func @sum_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.sum' op inferred type(s) 'tensor<1xf32>' are incompatible with return type(s) of operation 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.sum %x : (tensor<2x3xf32>) -> tensor<f32>
  return
}

// -----

func.func @mean_keepdims_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.mean' op inferred type(s) 'tensor<2x1xf32>' are incompatible with return type(s) of operation 'tensor<2xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.mean %x {axis = array<i64: 1>, keepdims = true} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @reshape_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op inferred type(s) 'tensor<3x2xf32>' are incompatible with return type(s) of operation 'tensor<2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 3, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_wrong_result(%x: tensor<2x3x4xf32>) {
  // expected-error @+2 {{'mx.transpose' op inferred type(s) 'tensor<4x3x2xf32>' are incompatible with return type(s) of operation 'tensor<3x2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.transpose %x : (tensor<2x3x4xf32>) -> tensor<3x2x4xf32>
  return
}

// -----

func.func @broadcast_to_wrong_result(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'mx.broadcast_to' op inferred type(s) 'tensor<4x3xf32>' are incompatible with return type(s) of operation 'tensor<4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.broadcast_to %x {shape = array<i64: 4, 0>} : (tensor<1x3xf32>) -> tensor<4x4xf32>
  return
}

// -----

func.func @expand_dims_wrong_result(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.expand_dims' op inferred type(s) 'tensor<2x3x1xf32>' are incompatible with return type(s) of operation 'tensor<1x2x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.expand_dims %x {axis = -1 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  return
}

// -----

func.func @slice_wrong_result(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op inferred type(s) 'tensor<3x6xf32>' are incompatible with return type(s) of operation 'tensor<2x6xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0>, end = array<i64: 5>, step = array<i64: 2>} : (tensor<5x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @concat_wrong_result(%a: tensor<2x3xf32>, %b: tensor<2x4xf32>) {
  // expected-error @+2 {{'mx.concat' op inferred type(s) 'tensor<2x7xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.concat %a, %b : (tensor<2x3xf32>, tensor<2x4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @dot_wrong_result(%a: tensor<3xf32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'mx.dot' op inferred type(s) 'tensor<1xf32>' are incompatible with return type(s) of operation 'tensor<f32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.dot %a, %b : (tensor<3xf32>, tensor<3xf32>) -> tensor<f32>
  return
}

// -----

func.func @batch_dot_wrong_result(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) {
  // expected-error @+2 {{'mx.batch_dot' op inferred type(s) 'tensor<2x3x5xf32>' are incompatible with return type(s) of operation 'tensor<2x5x3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.batch_dot %a, %b : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @fully_connected_wrong_result(%x: tensor<8x3x4xf32>, %w: tensor<10x12xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op inferred type(s) 'tensor<8x10xf32>' are incompatible with return type(s) of operation 'tensor<8x3x10xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x12xf32>) -> tensor<8x3x10xf32>
  return
}

//===----------------------------------------------------------------------===//
// broadcasting
//===----------------------------------------------------------------------===//

// -----

func.func @broadcast_incompatible(%a: tensor<2x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{operands could not be broadcast together with shapes (2,3) and (4)}}
  // expected-error @+1 {{'mx.subtract' op failed to infer returned types}}
  %0 = mx.subtract %a, %b : (tensor<2x3xf32>, tensor<4xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_incompatible_inner(%a: tensor<2x3x4xi64>, %b: tensor<5x1xi64>) {
  // expected-error @+2 {{operands could not be broadcast together with shapes (2,3,4) and (5,1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.lesser_equal %a, %b : (tensor<2x3x4xi64>, tensor<5x1xi64>) -> tensor<2x3x4xi64>
  return
}

//===----------------------------------------------------------------------===//
// reductions
//===----------------------------------------------------------------------===//

// -----

func.func @reduce_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{reduction axis 2 is out of range for rank 2}}
  // expected-error @+1 {{'mx.sum' op failed to infer returned types}}
  %0 = mx.sum %x {axis = array<i64: 2>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @reduce_negative_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{reduction axis -3 is out of range for rank 2}}
  // expected-error @+1 {{'mx.max' op failed to infer returned types}}
  %0 = mx.max %x {axis = array<i64: -3>, exclude = true} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

// -----

func.func @reduce_axis_twice(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{reduction axis -1 is listed twice in (1,-1)}}
  // expected-error @+1 {{'mx.min' op failed to infer returned types}}
  %0 = mx.min %x {axis = array<i64: 1, -1>} : (tensor<2x3xf32>) -> tensor<2xf32>
  return
}

//===----------------------------------------------------------------------===//
// reshape
//===----------------------------------------------------------------------===//

// -----

func.func @reshape_copy_past_end(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code 0 in (0,0,0) has no input dimension left to use from (2,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 0, 0, 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_split_past_end(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (0,-4,2,3) has no input dimension left to use from (6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 0, -4, 2, 3>} : (tensor<6xf32>) -> tensor<6x2x3xf32>
  return
}

// -----

func.func @reshape_two_infers(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape shape (-1,-1) has more than one -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -1, -1>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_merge_needs_two(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -3 in (0,-3) needs two input dimensions of (2,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 0, -3>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_split_needs_two_values(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (-4,2) must be followed by two values}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -4, 2>} : (tensor<6xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_split_two_infers(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (-4,-1,-1) splits into -1 and -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -4, -1, -1>} : (tensor<6xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_split_bad_size(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (-4,0,6) must split into positive sizes or -1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -4, 0, 6>} : (tensor<6xf32>) -> tensor<1x6xf32>
  return
}

// -----

func.func @reshape_split_not_divisible(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (-4,4,-1) cannot split dimension 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -4, 4, -1>} : (tensor<6xf32>) -> tensor<4x2xf32>
  return
}

// -----

func.func @reshape_split_wrong_product(%x: tensor<6xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape code -4 in (-4,2,2) cannot split dimension 6}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: -4, 2, 2>} : (tensor<6xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @reshape_invalid_code(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op reshape shape (2,-5) contains invalid value -5}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 2, -5>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @reshape_cannot_infer(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op cannot infer -1 in reshape shape (4,-1) for input (2,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 4, -1>} : (tensor<2x3xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @reshape_size_mismatch(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.reshape' op cannot reshape (2,3) (6 elements) to (4) (4 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {shape = array<i64: 4>} : (tensor<2x3xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @reshape_reverse_size_mismatch(%x: tensor<2x3x4xf32>) {
  // The reverse mode reports the reversed input and shape.
  // expected-error @+2 {{'mx.reshape' op cannot reshape (4,3,2) (24 elements) to (5,3) (15 elements)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.reshape %x {reverse = true, shape = array<i64: 3, 5>} : (tensor<2x3x4xf32>) -> tensor<3x5xf32>
  return
}

//===----------------------------------------------------------------------===//
// transpose, broadcast_to, expand_dims
//===----------------------------------------------------------------------===//

// -----

func.func @transpose_too_few_axes(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.transpose' op transpose axes (0) must list all 2 axes}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.transpose %x {axes = array<i64: 0>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @transpose_axis_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.transpose' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.transpose %x {axes = array<i64: 2, 0>} : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @transpose_repeated_axis(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.transpose' op transpose axes (0,-2) repeat axis -2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.transpose %x {axes = array<i64: 0, -2>} : (tensor<2x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_to_rank(%x: tensor<3xf32>) {
  // expected-error @+2 {{'mx.broadcast_to' op broadcast_to shape (2,3) must have the rank of input (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.broadcast_to %x {shape = array<i64: 2, 3>} : (tensor<3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_to_negative(%x: tensor<1x3xf32>) {
  // expected-error @+2 {{'mx.broadcast_to' op broadcast_to shape (-2,3) has negative size}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.broadcast_to %x {shape = array<i64: -2, 3>} : (tensor<1x3xf32>) -> tensor<2x3xf32>
  return
}

// -----

func.func @broadcast_to_non_one(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.broadcast_to' op cannot broadcast (2,3) to (4,0): axis 0 has size 2, not 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.broadcast_to %x {shape = array<i64: 4, 0>} : (tensor<2x3xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @expand_dims_out_of_range(%x: tensor<2x3xf32>) {
  // The new axis ranges over rank + 1 positions.
  // expected-error @+2 {{'mx.expand_dims' op axis 3 is out of range for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.expand_dims %x {axis = 3 : i64} : (tensor<2x3xf32>) -> tensor<2x3x1xf32>
  return
}

// -----

func.func @expand_dims_negative_out_of_range(%x: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.expand_dims' op axis -4 is out of range for rank 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.expand_dims %x {axis = -4 : i64} : (tensor<2x3xf32>) -> tensor<1x2x3xf32>
  return
}

//===----------------------------------------------------------------------===//
// slice
//===----------------------------------------------------------------------===//

// -----

func.func @slice_lengths_differ(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice begin (0,0) and end (2) differ in length}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0, 0>, end = array<i64: 2>} : (tensor<5x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @slice_step_length(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice step (1,1) must be empty or as long as begin (0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0>, end = array<i64: 2>, step = array<i64: 1, 1>} : (tensor<5x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @slice_too_many_axes(%x: tensor<5xf32>) {
  // expected-error @+2 {{'mx.slice' op slice begin (0,0) has more axes than input (5)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0, 0>, end = array<i64: 1, 1>} : (tensor<5xf32>) -> tensor<1xf32>
  return
}

// -----

func.func @slice_zero_step(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice step (1,0) has 0 at axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0, 0>, end = array<i64: 2, 2>, step = array<i64: 1, 0>} : (tensor<5x6xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @slice_dynamic_axis(%x: tensor<?x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice of dynamic axis 0 is not supported}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0>, end = array<i64: 2>} : (tensor<?x6xf32>) -> tensor<2x6xf32>
  return
}

// -----

func.func @slice_empty(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice begin (0,4) end (5,2) selects nothing on axis 1 of (5,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 0, 4>, end = array<i64: 5, 2>} : (tensor<5x6xf32>) -> tensor<5x0xf32>
  return
}

// -----

func.func @slice_empty_negative_step(%x: tensor<5x6xf32>) {
  // expected-error @+2 {{'mx.slice' op slice begin (1) end (3) selects nothing on axis 0 of (5,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice %x {begin = array<i64: 1>, end = array<i64: 3>, step = array<i64: -1>} : (tensor<5x6xf32>) -> tensor<0x6xf32>
  return
}

//===----------------------------------------------------------------------===//
// concat
//===----------------------------------------------------------------------===//

// -----

func.func @concat_no_inputs() {
  // SameOperandsAndResultElementType rejects this before type inference
  // (whose own "needs at least one input" only C++ builders can reach).
  // expected-error @+1 {{'mx.concat' op expected 1 or more operands, but found 0}}
  %0 = mx.concat : () -> tensor<2xf32>
  return
}

// -----

func.func @concat_dim_out_of_range(%a: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.concat' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.concat %a, %a {dim = 2 : i64} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<2x3x2xf32>
  return
}

// -----

func.func @concat_default_dim_rank1(%a: tensor<3xf32>) {
  // The default dim is 1, which a rank-1 input does not have.
  // expected-error @+2 {{'mx.concat' op axis 1 is out of range for rank 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.concat %a, %a : (tensor<3xf32>, tensor<3xf32>) -> tensor<6xf32>
  return
}

// -----

func.func @concat_rank_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x3x1xf32>) {
  // expected-error @+2 {{'mx.concat' op concat input 1 (2,3,1) differs in rank from input 0 (2,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.concat %a, %b : (tensor<2x3xf32>, tensor<2x3x1xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @concat_shape_mismatch(%a: tensor<2x3xf32>, %b: tensor<2x1xf32>, %c: tensor<3x3xf32>) {
  // expected-error @+2 {{'mx.concat' op concat input 2 (3,3) does not match (2,3) on axis 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.concat %a, %b, %c : (tensor<2x3xf32>, tensor<2x1xf32>, tensor<3x3xf32>) -> tensor<2x7xf32>
  return
}

//===----------------------------------------------------------------------===//
// contractions
//===----------------------------------------------------------------------===//

// -----

func.func @dot_rank0(%a: tensor<f32>, %b: tensor<3xf32>) {
  // expected-error @+2 {{'mx.dot' op dot operands must have rank >= 1, got () and (3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.dot %a, %b : (tensor<f32>, tensor<3xf32>) -> tensor<3xf32>
  return
}

// -----

func.func @dot_mismatch(%a: tensor<2x3xf32>, %b: tensor<4x5xf32>) {
  // expected-error @+2 {{'mx.dot' op dot contraction mismatch: (2,3) and (4,5) (3 vs 4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.dot %a, %b : (tensor<2x3xf32>, tensor<4x5xf32>) -> tensor<2x5xf32>
  return
}

// -----

func.func @dot_mismatch_transposed(%a: tensor<2x3xf32>, %b: tensor<2x3xf32>) {
  // expected-error @+2 {{'mx.dot' op dot contraction mismatch: (2,3)^T and (2,3)^T (2 vs 3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.dot %a, %b {transpose_a = true, transpose_b = true} : (tensor<2x3xf32>, tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @dot_transpose_vector(%a: tensor<3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'mx.dot' op dot cannot transpose a 1-D operand: (3)^T and (3,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.dot %a, %b {transpose_a = true} : (tensor<3xf32>, tensor<3x4xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @batch_dot_rank2(%a: tensor<2x3xf32>, %b: tensor<3x4xf32>) {
  // expected-error @+2 {{'mx.batch_dot' op batch_dot operands must have equal rank >= 3, got (2,3) and (3,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.batch_dot %a, %b : (tensor<2x3xf32>, tensor<3x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @batch_dot_rank_differs(%a: tensor<2x3x4xf32>, %b: tensor<1x2x4x5xf32>) {
  // expected-error @+2 {{'mx.batch_dot' op batch_dot operands must have equal rank >= 3, got (2,3,4) and (1,2,4,5)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.batch_dot %a, %b : (tensor<2x3x4xf32>, tensor<1x2x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @batch_dot_batch_differs(%a: tensor<2x3x4xf32>, %b: tensor<3x4x5xf32>) {
  // expected-error @+2 {{'mx.batch_dot' op batch_dot batch dimensions differ: (2,3,4) and (3,4,5)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.batch_dot %a, %b : (tensor<2x3x4xf32>, tensor<3x4x5xf32>) -> tensor<2x3x5xf32>
  return
}

// -----

func.func @batch_dot_mismatch(%a: tensor<2x3x4xf32>, %b: tensor<2x4x5xf32>) {
  // expected-error @+2 {{'mx.batch_dot' op batch_dot contraction mismatch: (2,3,4) and (2,4,5) (3 vs 4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.batch_dot %a, %b {transpose_a = true} : (tensor<2x3x4xf32>, tensor<2x4x5xf32>) -> tensor<2x4x5xf32>
  return
}

// -----

func.func @fully_connected_num_hidden(%x: tensor<2x3xf32>, %w: tensor<4x3xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op num_hidden must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {num_hidden = 0 : i64} : (tensor<2x3xf32>, tensor<4x3xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @fully_connected_rank0(%x: tensor<f32>, %w: tensor<4x1xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op fully_connected data must have rank >= 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {num_hidden = 4 : i64} : (tensor<f32>, tensor<4x1xf32>) -> tensor<4xf32>
  return
}

// -----

func.func @fully_connected_weight(%x: tensor<8x3x4xf32>, %w: tensor<10x4xf32>) {
  // flatten (the default) needs K = 3 * 4.
  // expected-error @+2 {{'mx.fully_connected' op fully_connected weight (10,4) must be (10,12) for data (8,3,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {num_hidden = 10 : i64} : (tensor<8x3x4xf32>, tensor<10x4xf32>) -> tensor<8x10xf32>
  return
}

// -----

func.func @fully_connected_weight_hidden(%x: tensor<8x4xf32>, %w: tensor<10x4xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op fully_connected weight (10,4) must be (5,4) for data (8,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {flatten = false, num_hidden = 5 : i64} : (tensor<8x4xf32>, tensor<10x4xf32>) -> tensor<8x5xf32>
  return
}

// -----

func.func @fully_connected_weight_rank(%x: tensor<8x4xf32>, %w: tensor<40xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op fully_connected weight (40) must be (10,4) for data (8,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w {num_hidden = 10 : i64} : (tensor<8x4xf32>, tensor<40xf32>) -> tensor<8x10xf32>
  return
}

// -----

func.func @fully_connected_bias(%x: tensor<8x4xf32>, %w: tensor<10x4xf32>, %b: tensor<8xf32>) {
  // expected-error @+2 {{'mx.fully_connected' op fully_connected bias (8) must be (10)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.fully_connected %x, %w, %b {num_hidden = 10 : i64} : (tensor<8x4xf32>, tensor<10x4xf32>, tensor<8xf32>) -> tensor<8x10xf32>
  return
}

//===----------------------------------------------------------------------===//
// softmax
//===----------------------------------------------------------------------===//

// -----

func.func @softmax_rank0(%x: tensor<f32>) {
  // expected-error @+1 {{'mx.softmax' op needs an input of rank >= 1}}
  %0 = mx.softmax %x : tensor<f32>
  return
}

// -----

func.func @softmax_axis(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.softmax' op axis 2 is out of range for rank 2}}
  %0 = mx.softmax %x {axis = 2 : i64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_negative_axis(%x: tensor<2x3xf64>) {
  // expected-error @+1 {{'mx.softmax' op axis -3 is out of range for rank 2}}
  %0 = mx.softmax %x {axis = -3 : i64} : tensor<2x3xf64>
  return
}

// -----

func.func @softmax_zero_temperature(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.softmax' op temperature must be positive, got 0.000000e+00}}
  %0 = mx.softmax %x {temperature = 0.0 : f64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_negative_temperature(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.softmax' op temperature must be positive, got -1.000000e+00}}
  %0 = mx.softmax %x {temperature = -1.0 : f64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_nan_temperature(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.softmax' op temperature must be positive, got nan}}
  %0 = mx.softmax %x {temperature = 0x7FF8000000000000 : f64} : tensor<2x3xf32>
  return
}

// -----

func.func @softmax_result_type(%x: tensor<2x3xf32>) {
  // expected-error @+1 {{'mx.softmax' op requires the same type for all operands and results}}
  %0 = "mx.softmax"(%x) : (tensor<2x3xf32>) -> tensor<3x2xf32>
  return
}

// -----

func.func @log_softmax_rank0(%x: tensor<f64>) {
  // expected-error @+1 {{'mx.log_softmax' op needs an input of rank >= 1}}
  %0 = mx.log_softmax %x : tensor<f64>
  return
}

// -----

func.func @log_softmax_axis(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.log_softmax' op axis 1 is out of range for rank 1}}
  %0 = mx.log_softmax %x {axis = 1 : i64} : tensor<4xf32>
  return
}

// -----

func.func @log_softmax_temperature(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.log_softmax' op temperature must be positive, got -2.500000e-01}}
  %0 = mx.log_softmax %x {temperature = -0.25 : f64} : tensor<4xf32>
  return
}

// -----

func.func @log_softmax_integer(%x: tensor<4xi64>) {
  // expected-error @+1 {{'mx.log_softmax' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<4xi64>'}}
  %0 = mx.log_softmax %x : tensor<4xi64>
  return
}

//===----------------------------------------------------------------------===//
// unary math, sign, clip, stop_gradient, slice_assign
//===----------------------------------------------------------------------===//

// -----

func.func @tan_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.tan' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.tan %x : tensor<2xi32>
  return
}

// -----

func.func @log2_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.log2' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.log2 %x : tensor<2xi64>
  return
}

// -----

func.func @log10_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.log10' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.log10 %x : tensor<2xi32>
  return
}

// -----

func.func @log1p_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.log1p' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.log1p %x : tensor<2xi64>
  return
}

// -----

func.func @expm1_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.expm1' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.expm1 %x : tensor<2xi32>
  return
}

// -----

func.func @reciprocal_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.reciprocal' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.reciprocal %x : tensor<2xi64>
  return
}

// -----

func.func @rsqrt_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.rsqrt' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.rsqrt %x : tensor<2xi32>
  return
}

// -----

func.func @cbrt_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.cbrt' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.cbrt %x : tensor<2xi64>
  return
}

// -----

func.func @rcbrt_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.rcbrt' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.rcbrt %x : tensor<2xi32>
  return
}

// -----

func.func @sinh_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.sinh' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.sinh %x : tensor<2xi64>
  return
}

// -----

func.func @cosh_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.cosh' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.cosh %x : tensor<2xi32>
  return
}

// -----

func.func @arcsin_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.arcsin' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.arcsin %x : tensor<2xi64>
  return
}

// -----

func.func @arccos_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.arccos' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.arccos %x : tensor<2xi32>
  return
}

// -----

func.func @arctan_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.arctan' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.arctan %x : tensor<2xi64>
  return
}

// -----

func.func @arcsinh_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.arcsinh' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.arcsinh %x : tensor<2xi32>
  return
}

// -----

func.func @arccosh_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.arccosh' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.arccosh %x : tensor<2xi64>
  return
}

// -----

func.func @arctanh_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.arctanh' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.arctanh %x : tensor<2xi32>
  return
}

// -----

func.func @erf_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.erf' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.erf %x : tensor<2xi64>
  return
}

// -----

func.func @softsign_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.softsign' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.softsign %x : tensor<2xi32>
  return
}

// -----

func.func @softrelu_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.softrelu' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.softrelu %x : tensor<2xi64>
  return
}

// -----

func.func @radians_on_i32(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.radians' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi32>'}}
  %0 = mx.radians %x : tensor<2xi32>
  return
}

// -----

func.func @degrees_on_i64(%x: tensor<2xi64>) {
  // expected-error @+1 {{'mx.degrees' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values, but got 'tensor<2xi64>'}}
  %0 = mx.degrees %x : tensor<2xi64>
  return
}

// -----

func.func @tan_result_type(%x: tensor<2xf32>) {
  // expected-error @+1 {{'mx.tan' op requires the same type for all operands and results}}
  %0 = "mx.tan"(%x) : (tensor<2xf32>) -> tensor<2xf64>
  return
}

// -----

func.func @sign_on_i8(%x: tensor<2xi8>) {
  // expected-error @+1 {{'mx.sign' op operand #0 must be ranked tensor of 32-bit float or 64-bit float or 32-bit signless integer or 64-bit signless integer values, but got 'tensor<2xi8>'}}
  %0 = mx.sign %x : tensor<2xi8>
  return
}

// -----

func.func @sign_result_type(%x: tensor<2xi32>) {
  // expected-error @+1 {{'mx.sign' op all non-scalar operands/results must have the same shape and base type}}
  %0 = "mx.sign"(%x) : (tensor<2xi32>) -> tensor<3xi32>
  return
}

// -----

func.func @clip_min_above_max(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.clip' op a_min (2.000000e+00) must not exceed a_max (1.000000e+00)}}
  %0 = mx.clip %x {a_min = 2.0 : f64, a_max = 1.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @clip_nan_bound(%x: tensor<4xi32>) {
  // expected-error @+1 {{'mx.clip' op a_min (nan) must not exceed a_max (1.000000e+00)}}
  %0 = mx.clip %x {a_min = 0x7FF8000000000000 : f64, a_max = 1.0 : f64} : tensor<4xi32>
  return
}

// -----

func.func @clip_missing_bound(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.clip' op requires attribute 'a_max'}}
  %0 = mx.clip %x {a_min = 0.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @clip_f32_bound(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.clip' op attribute 'a_min' failed to satisfy constraint: 64-bit float attribute}}
  %0 = mx.clip %x {a_min = 0.0 : f32, a_max = 1.0 : f64} : tensor<4xf32>
  return
}

// -----

func.func @clip_result_type(%x: tensor<4xi64>) {
  // expected-error @+1 {{'mx.clip' op requires the same type for all operands and results}}
  %0 = "mx.clip"(%x) {a_min = 0.0 : f64, a_max = 1.0 : f64} : (tensor<4xi64>) -> tensor<4xi32>
  return
}

// -----

func.func @stop_gradient_result_type(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.stop_gradient' op requires the same type for all operands and results}}
  %0 = "mx.stop_gradient"(%x) : (tensor<4xf32>) -> tensor<2x2xf32>
  return
}

// -----

func.func @stop_gradient_i1(%x: tensor<4xi1>) {
  // expected-error-re @+1 {{'mx.stop_gradient' op operand #0 must be ranked tensor of {{.*}} values, but got 'tensor<4xi1>'}}
  %0 = mx.stop_gradient %x : tensor<4xi1>
  return
}

// -----

func.func @slice_assign_value_shape(%b: tensor<5x4xf32>, %v: tensor<3x4xf32>) {
  // expected-error @+1 {{'mx.slice_assign' op value shape (3,4) does not match the shape (2,4) of the slice of base (5,4)}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<3x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_value_shape_strided(%b: tensor<5x4xf32>, %v: tensor<2x2xf32>) {
  // expected-error @+1 {{'mx.slice_assign' op value shape (2,2) does not match the shape (3,2) of the slice of base (5,4)}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 4, 3>, end = array<i64: -100, 0>, step = array<i64: -2, -2>} : (tensor<5x4xf32>, tensor<2x2xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_value_rank(%b: tensor<5x4xf32>, %v: tensor<8xf32>) {
  // expected-error @+1 {{'mx.slice_assign' op value shape (8) does not match the shape (2,4) of the slice of base (5,4)}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<8xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_value_element(%b: tensor<5x4xf32>, %v: tensor<2x4xf64>) {
  // expected-error @+1 {{'mx.slice_assign' op requires the same element type for all operands and results}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf64>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_result_type(%b: tensor<5x4xf32>, %v: tensor<2x4xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op inferred type(s) 'tensor<5x4xf32>' are incompatible with return type(s) of operation 'tensor<2x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<2x4xf32>
  return
}

// -----

func.func @slice_assign_lengths_differ(%b: tensor<5x4xf32>, %v: tensor<2x4xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op slice begin (1,0) and end (3) differ in length}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1, 0>, end = array<i64: 3>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_zero_step(%b: tensor<5x4xf32>, %v: tensor<2x4xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op slice step (0) has 0 at axis 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 1>, end = array<i64: 3>, step = array<i64: 0>} : (tensor<5x4xf32>, tensor<2x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_empty(%b: tensor<5x4xf32>, %v: tensor<0x4xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op slice begin (3) end (1) selects nothing on axis 0 of (5,4)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 3>, end = array<i64: 1>} : (tensor<5x4xf32>, tensor<0x4xf32>) -> tensor<5x4xf32>
  return
}

// -----

func.func @slice_assign_too_many_axes(%b: tensor<5xf32>, %v: tensor<1xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op slice begin (0,0) has more axes than input (5)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 0, 0>, end = array<i64: 1, 1>} : (tensor<5xf32>, tensor<1xf32>) -> tensor<5xf32>
  return
}

// -----

func.func @slice_assign_dynamic_axis(%b: tensor<?x4xf32>, %v: tensor<2x4xf32>) {
  // expected-error @+2 {{'mx.slice_assign' op slice of dynamic axis 0 is not supported}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.slice_assign %b, %v {begin = array<i64: 0>, end = array<i64: 2>} : (tensor<?x4xf32>, tensor<2x4xf32>) -> tensor<?x4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// Normalization, dropout and output layers
//===----------------------------------------------------------------------===//

func.func @batch_norm_gamma_shape(%x: tensor<4x3x5xf32>, %g: tensor<3xf32>, %bad: tensor<5xf32>) {
  // expected-error @+2 {{'mx.batch_norm' op batch_norm gamma shape (5) must be (3), the channels of data (4,3,5) along axis 1}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = mx.batch_norm %x, %bad, %g, %g, %g : (tensor<4x3x5xf32>, tensor<5xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3x5xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @batch_norm_moving_var_shape(%x: tensor<4x3x5xf32>, %g: tensor<5xf32>, %bad: tensor<5x1xf32>) {
  // expected-error @+2 {{'mx.batch_norm' op batch_norm moving_var shape (5,1) must be (5), the channels of data (4,3,5) along axis 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = mx.batch_norm %x, %g, %g, %g, %bad {axis = -1 : i64} : (tensor<4x3x5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5xf32>, tensor<5x1xf32>) -> (tensor<4x3x5xf32>, tensor<5xf32>, tensor<5xf32>)
  return
}

// -----

func.func @batch_norm_axis(%x: tensor<4x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+2 {{'mx.batch_norm' op axis 2 is out of range for rank 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = mx.batch_norm %x, %g, %g, %g, %g {axis = 2 : i64} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @batch_norm_rank(%x: tensor<3xf32>, %g: tensor<3xf32>) {
  // expected-error @+2 {{'mx.batch_norm' op batch_norm data (3) must have rank >= 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = mx.batch_norm %x, %g, %g, %g, %g {axis = 0 : i64} : (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @batch_norm_eps(%x: tensor<4x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+1 {{'mx.batch_norm' op eps must be finite and non-negative, got -1.000000e-03}}
  %0:3 = mx.batch_norm %x, %g, %g, %g, %g {eps = -1.0e-3 : f64} : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>)
  return
}

// -----

func.func @batch_norm_result_type(%x: tensor<4x3xf32>, %g: tensor<3xf32>) {
  // expected-error @+2 {{'mx.batch_norm' op inferred type(s) 'tensor<4x3xf32>', 'tensor<3xf32>', 'tensor<3xf32>' are incompatible with return type(s) of operation 'tensor<4x3xf32>', 'tensor<4xf32>', 'tensor<3xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0:3 = mx.batch_norm %x, %g, %g, %g, %g : (tensor<4x3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<4x3xf32>, tensor<4xf32>, tensor<3xf32>)
  return
}

// -----

func.func @dropout_p(%x: tensor<4x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mx.dropout' op p must be in [0, 1], got 1.500000e+00}}
  %0 = mx.dropout %x, %s {p = 1.5 : f64} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @dropout_seed(%x: tensor<4x3xf32>, %s: tensor<3xi64>) {
  // expected-error @+1 {{'mx.dropout' op seed must be a tensor<2xi64> (key, counter), got 'tensor<3xi64>'}}
  %0 = mx.dropout %x, %s : (tensor<4x3xf32>, tensor<3xi64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @dropout_axes(%x: tensor<4x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mx.dropout' op dropout axis 2 is out of range for rank 2}}
  %0 = mx.dropout %x, %s {axes = array<i64: 2>} : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<4x3xf32>
  return
}

// -----

func.func @dropout_type(%x: tensor<4x3xf32>, %s: tensor<2xi64>) {
  // expected-error @+1 {{'mx.dropout' op failed to verify that all of {data, result} have same type}}
  %0 = mx.dropout %x, %s : (tensor<4x3xf32>, tensor<2xi64>) -> tensor<4x3xf64>
  return
}

// -----

func.func @softmax_output_label(%x: tensor<4x10xf32>, %l: tensor<5xf32>) {
  // expected-error @+1 {{'mx.softmax_output' op softmax_output label shape (5) does not match data (4,10): expected (4) (class ids) or (4,10) (probabilities)}}
  %0 = mx.softmax_output %x, %l : (tensor<4x10xf32>, tensor<5xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @softmax_output_multi_label(%x: tensor<2x5x3xf32>, %l: tensor<2x5xf32>) {
  // expected-error @+1 {{'mx.softmax_output' op softmax_output label shape (2,5) does not match data (2,5,3): expected (2,3) (class ids) or (2,5,3) (probabilities)}}
  %0 = mx.softmax_output %x, %l {multi_output = true} : (tensor<2x5x3xf32>, tensor<2x5xf32>) -> tensor<2x5x3xf32>
  return
}

// -----

func.func @softmax_output_normalization(%x: tensor<4x10xf32>, %l: tensor<4xf32>) {
  // expected-error @+1 {{'mx.softmax_output' op normalization must be "null", "batch" or "valid", got "mean"}}
  %0 = mx.softmax_output %x, %l {normalization = "mean"} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @softmax_output_smooth_alpha(%x: tensor<4x10xf32>, %l: tensor<4xf32>) {
  // expected-error @+1 {{'mx.softmax_output' op smooth_alpha must be in [0, 1], got -1.000000e-01}}
  %0 = mx.softmax_output %x, %l {smooth_alpha = -0.1 : f64} : (tensor<4x10xf32>, tensor<4xf32>) -> tensor<4x10xf32>
  return
}

// -----

func.func @softmax_output_rank(%x: tensor<10xf32>, %l: tensor<1xf32>) {
  // expected-error @+1 {{'mx.softmax_output' op softmax_output data (10) must have rank >= 2}}
  %0 = mx.softmax_output %x, %l : (tensor<10xf32>, tensor<1xf32>) -> tensor<10xf32>
  return
}

// -----

func.func @softmax_output_label_dtype(%x: tensor<4x10xf32>, %l: tensor<4xf64>) {
  // expected-error @+1 {{'mx.softmax_output' op failed to verify that all of {data, label} have same element type}}
  %0 = mx.softmax_output %x, %l : (tensor<4x10xf32>, tensor<4xf64>) -> tensor<4x10xf32>
  return
}

// -----

func.func @regression_label(%x: tensor<4x3xf32>, %l: tensor<4xf32>) {
  // expected-error @+1 {{'mx.linear_regression_output' op regression output label shape (4) must equal the data shape (4,3)}}
  %0 = mx.linear_regression_output %x, %l : (tensor<4x3xf32>, tensor<4xf32>) -> tensor<4x3xf32>
  return
}

// -----

func.func @regression_column_label(%x: tensor<4x1xf32>, %l: tensor<3xf32>) {
  // expected-error @+1 {{'mx.mae_regression_output' op regression output label shape (3) must equal the data shape (4,1) or be (4,)}}
  %0 = mx.mae_regression_output %x, %l : (tensor<4x1xf32>, tensor<3xf32>) -> tensor<4x1xf32>
  return
}

// -----

func.func @regression_grad_scale(%x: tensor<4xf32>) {
  // expected-error @+1 {{'mx.logistic_regression_output' op grad_scale must be finite}}
  %0 = mx.logistic_regression_output %x, %x {grad_scale = 0x7FF0000000000000 : f64} : (tensor<4xf32>, tensor<4xf32>) -> tensor<4xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// convolution and pooling
//===----------------------------------------------------------------------===//

func.func @conv_kernel_rank(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op convolution kernel (3,3,3,3) must have 1, 2 or 3 dimensions}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3, 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_data_rank(%x: tensor<4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op convolution with a 2-D kernel needs NCHW data of rank 4, got (4,8,8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 6 : i64} : (tensor<4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_stride_length(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op stride (2,2,2) must have as many entries as kernel (3,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2, 2>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_kernel_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op incorrect kernel size: (0,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 0, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_stride_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op incorrect stride size: (0,1)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, stride = array<i64: 0, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_dilate_zero(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op incorrect dilate size: (1,0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, dilate = array<i64: 1, 0>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_pad_negative(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op incorrect pad size: (-1,0)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, pad = array<i64: -1, 0>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_num_filter(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op num_filter must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_num_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op num_group must be positive, got 0}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 0 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_channels_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op input num_filter must divide group size: data (1,4,8,8) has 4 channels, num_group is 3}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 3 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_filters_group(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op output num_filter must divide group size: num_filter 5, num_group is 2}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 5 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_kernel_exceeds(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x5x5xf32>) {
  // expected-error @+2 {{'mx.convolution' op kernel size exceed input: kernel (5,5) dilated by (2,1) spans 9 on axis 2 but data (1,4,8,8) padded by (0,0) has 8}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 5, 5>, dilate = array<i64: 2, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x5x5xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_weight_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<6x4x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op weight shape inconsistent, provided (6,4,3,3), inferred (6,2,3,3) from data (1,4,8,8)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x4x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_bias_shape(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>, %b: tensor<4xf32>) {
  // expected-error @+2 {{'mx.convolution' op bias shape inconsistent, provided (4), inferred (6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w, %b {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>, tensor<4xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @conv_backward_data_grad(%x: tensor<1x6x5x5xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution_backward_data' op grad (1,6,5,5) must have the convolution output shape (1,6,6,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution_backward_data %x, %w {data_shape = array<i64: 1, 4, 8, 8>, kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x6x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_backward_data_shape(%x: tensor<1x6x6x6xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution_backward_data' op data_shape (1,-4,8,8) must have non-negative sizes}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution_backward_data %x, %w {data_shape = array<i64: 1, -4, 8, 8>, kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x6x6x6xf32>, tensor<6x2x3x3xf32>) -> tensor<1x4x8x8xf32>
  return
}

// -----

func.func @conv_backward_weight_grad(%g: tensor<1x6x6x5xf32>, %x: tensor<1x4x8x8xf32>) {
  // expected-error @+2 {{'mx.convolution_backward_weight' op grad (1,6,6,5) must have the convolution output shape (1,6,6,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution_backward_weight %g, %x {kernel = array<i64: 3, 3>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x6x6x5xf32>, tensor<1x4x8x8xf32>) -> tensor<6x2x3x3xf32>
  return
}

// -----

func.func @conv_integer(%x: tensor<1x1x4xi32>, %w: tensor<1x1x2xi32>) {
  // expected-error @+1 {{'mx.convolution' op operand #0 must be ranked tensor of 32-bit float or 64-bit float values}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 2>, num_filter = 1 : i64} : (tensor<1x1x4xi32>, tensor<1x1x2xi32>) -> tensor<1x1x3xi32>
  return
}

// -----

func.func @conv_missing_kernel(%x: tensor<1x1x4xf32>, %w: tensor<1x1x2xf32>) {
  // expected-error @+1 {{'mx.convolution' op requires attribute 'kernel'}}
  %0 = "mx.convolution"(%x, %w) <{num_filter = 1 : i64}> : (tensor<1x1x4xf32>, tensor<1x1x2xf32>) -> tensor<1x1x3xf32>
  return
}

// -----

func.func @pool_type(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+1 {{'mx.pooling' op pool_type must be "max", "avg" or "sum", got "lp"}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "lp"} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_convention(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op pooling_convention must be "valid" or "full", got "same"}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, pooling_convention = "same"} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_no_kernel(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op pooling kernel () must have 1, 2 or 3 dimensions}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {pool_type = "max"} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_data_rank(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op pooling with a 1-D kernel needs NCW data of rank 3, got (1,2,6,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_kernel_exceeds(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op kernel size (8) exceeds input (6 padded to 6) on axis 3 of data (1,2,6,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 8>, pad = array<i64: 1, 0>, pool_type = "max"} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_stride_length(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op stride (2) must have as many entries as kernel (2,2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, stride = array<i64: 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_stride_zero(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op incorrect stride size: (0,2)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, stride = array<i64: 0, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @pool_global_rank(%x: tensor<2x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op global pooling needs NCW, NCHW or NCDHW data, got (2,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {global_pool = true} : (tensor<2x6xf32>) -> tensor<2x1xf32>
  return
}

// -----

func.func @pool_wrong_result(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op inferred type(s) 'tensor<1x2x3x3xf32>' are incompatible with return type(s) of operation 'tensor<1x2x4x4xf32>'}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x4x4xf32>
  return
}

// -----

func.func @pool_backward_grad(%g: tensor<1x2x4x3xf32>, %x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling_backward' op grad (1,2,4,3) must have the pooling output shape (1,2,3,3)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling_backward %g, %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x4x3xf32>, tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @pool_backward_type(%g: tensor<1x2x3x3xf32>, %x: tensor<1x2x6x6xf32>) {
  // expected-error @+1 {{'mx.pooling_backward' op pool_type must be "max", "avg" or "sum", got "min"}}
  %0 = mx.pooling_backward %g, %x {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "min"} : (tensor<1x2x3x3xf32>, tensor<1x2x6x6xf32>) -> tensor<1x2x6x6xf32>
  return
}

// -----

func.func @pool_max_gather_values(%x: tensor<1x2x6x6xf32>, %v: tensor<1x2x6x5xf32>) {
  // expected-error @+2 {{'mx.pooling_max_gather' op values (1,2,6,5) must have the type of data (1,2,6,6)}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling_max_gather %x, %v {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<1x2x6x6xf32>, tensor<1x2x6x5xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

func.func @conv_window_too_large(%x: tensor<1x4x8x8xf32>, %w: tensor<6x2x3x3xf32>) {
  // expected-error @+2 {{'mx.convolution' op kernel, stride, dilate and pad must not exceed 2147483647}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.convolution %x, %w {kernel = array<i64: 3, 3>, dilate = array<i64: 4611686018427387904, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<1x4x8x8xf32>, tensor<6x2x3x3xf32>) -> tensor<1x6x6x6xf32>
  return
}

// -----

func.func @pool_window_too_large(%x: tensor<1x2x6x6xf32>) {
  // expected-error @+2 {{'mx.pooling' op kernel, stride and pad must not exceed 2147483647}}
  // expected-error @+1 {{failed to infer returned types}}
  %0 = mx.pooling %x {kernel = array<i64: 2, 2>, pad = array<i64: 4611686018427387904, 0>} : (tensor<1x2x6x6xf32>) -> tensor<1x2x3x3xf32>
  return
}

// -----

//===----------------------------------------------------------------------===//
// mx.donate (function argument attribute)
//===----------------------------------------------------------------------===//

// expected-error @+1 {{'mx.donate' of argument 0 names result 1, but the function has 1}}
func.func @donate_out_of_range(%w: tensor<4xf32> {mx.donate = 1 : i64}) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}

// -----

// expected-error @+1 {{'mx.donate' of argument 0 ('tensor<4xf32>') names result 0 of another type ('tensor<4xf64>')}}
func.func @donate_type(%w: tensor<4xf32> {mx.donate = 0 : i64}, %v: tensor<4xf64>) -> tensor<4xf64> {
  return %v : tensor<4xf64>
}

// -----

// expected-error @+1 {{arguments 0 and 1 both donate to result 0}}
func.func @donate_twice(%w: tensor<4xf32> {mx.donate = 0 : i64}, %v: tensor<4xf32> {mx.donate = 0 : i64}) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}

// -----

// expected-error @+1 {{'mx.donate' of argument 0 must be a non-negative integer, got -1 : i64}}
func.func @donate_negative(%w: tensor<4xf32> {mx.donate = -1 : i64}) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}

// -----

// expected-error @+1 {{unknown mx argument attribute 'mx.donated'}}
func.func @donate_misspelled(%w: tensor<4xf32> {mx.donated = 0 : i64}) -> tensor<4xf32> {
  return %w : tensor<4xf32>
}
