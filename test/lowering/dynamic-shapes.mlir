// RUN: mxjit-opt %s --mx-to-linalg --canonicalize --cse --split-input-file -verify-diagnostics | FileCheck %s
// RUN: not mxjit-opt %s --split-input-file --mx-lower-to-llvm=bare-ptr-call-conv=0 2>/dev/null | FileCheck %s --check-prefix=LLVM
// RUN: not mxjit-opt %s --split-input-file --mx-lower-to-llvm=bare-ptr-call-conv=0 2>/dev/null | FileCheck %s --check-prefix=ARENA
// (`not`: the rejected splits below fail; the first one still prints.)

// Shape-generic functions: every `?` stands for the batch size, read with
// tensor.dim from the first `?` argument. Results sized by the batch get
// tensor.empty(%batch); a reshape keeps the `?`; contracting over the batch
// (the weight gradient) gives a static result; a mean over the batch
// divides by the call's batch size.

// CHECK-LABEL: func.func @mlp(
// CHECK-SAME: %[[X:.*]]: tensor<?x2x4xf32>
// CHECK: %[[FLAT:.*]] = tensor.collapse_shape %[[X]] {{\[\[}}0], [1, 2]] : tensor<?x2x4xf32> into tensor<?x8xf32>
// CHECK: %[[B:.*]] = tensor.dim %[[X]], %c0 : tensor<?x2x4xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B]]) : tensor<?x3xf32>
// CHECK: linalg.generic {{.*}} ins(%[[FLAT]], %arg1 : tensor<?x8xf32>, tensor<3x8xf32>) outs(%{{.*}} : tensor<?x3xf32>)
// CHECK: tensor.empty(%[[B]]) : tensor<?xf32>
// CHECK: linalg.generic {{.*}} outs(%[[E]] : tensor<?x3xf32>)
// CHECK: linalg.generic {{.*}} ins(%{{.*}}, %[[FLAT]] : tensor<?x3xf32>, tensor<?x8xf32>) outs(%{{.*}} : tensor<3x8xf32>)
// CHECK: %[[BI:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK: %[[BF:.*]] = arith.sitofp %[[BI]] : i64 to f32
// CHECK: arith.divf %{{.*}}, %[[BF]] : f32

// LLVM-LABEL: llvm.func @mlp(
// LLVM-SAME: %arg0: !llvm.ptr, %arg1: !llvm.ptr, %arg2: i64, %arg3: i64, %arg4: i64, %arg5: i64
func.func @mlp(%x: tensor<?x2x4xf32>, %w: tensor<3x8xf32>, %b: tensor<3xf32>) -> (tensor<?x3xf32>, tensor<3x8xf32>, tensor<3xf32>) {
  %h = mx.fully_connected %x, %w, %b {num_hidden = 3 : i64} : (tensor<?x2x4xf32>, tensor<3x8xf32>, tensor<3xf32>) -> tensor<?x3xf32>
  %s = mx.log_softmax %h {axis = -1 : i64} : tensor<?x3xf32>
  %f = mx.reshape %x {shape = array<i64: 0, -1>} : (tensor<?x2x4xf32>) -> tensor<?x8xf32>
  %g = mx.dot %s, %f {transpose_a = true} : (tensor<?x3xf32>, tensor<?x8xf32>) -> tensor<3x8xf32>
  %m = mx.mean %s {axis = array<i64: 0>} : (tensor<?x3xf32>) -> tensor<3xf32>
  return %s, %g, %m : tensor<?x3xf32>, tensor<3x8xf32>, tensor<3xf32>
}

// -----

// Broadcasting a (?, 1) column along the classes, as the VJP of a sum does.
// CHECK-LABEL: func.func @broadcast_column
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0 : tensor<?x1xf32>
// CHECK: tensor.empty(%[[B]]) : tensor<?x4xf32>
func.func @broadcast_column(%g: tensor<?x1xf32>) -> tensor<?x4xf32> {
  %0 = mx.broadcast_to %g {shape = array<i64: 0, 4>} : (tensor<?x1xf32>) -> tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}

// -----

// Static temporaries of a shape-generic function are still planned into one
// arena, but from malloc: the runtime's arena functions take and return bare
// pointers, which descriptor calls would get wrong.
// ARENA-NOT: mxjit_arena
// ARENA-LABEL: llvm.func @static_temporary(
// ARENA: llvm.call @malloc
// ARENA-NOT: mxjit_arena
func.func @static_temporary(%x: tensor<?x4xf32>, %w: tensor<4x4xf32>) -> tensor<?x4xf32> {
  %t = mx.transpose %w {axes = array<i64: 1, 0>} : (tensor<4x4xf32>) -> tensor<4x4xf32>
  %u = mx.exp %t : tensor<4x4xf32>
  %y = mx.dot %x, %u : (tensor<?x4xf32>, tensor<4x4xf32>) -> tensor<?x4xf32>
  return %y : tensor<?x4xf32>
}

// -----

// Ops whose lowering needs static shapes are rejected with a diagnostic on
// each op, not a crash; the runtime then keeps compiling per batch size.
func.func @unsupported(%a: tensor<?x3xf32>) -> tensor<?x3xf32> {
  // expected-error @below {{'mx.concat' op has dynamic shapes, which mx-to-linalg lowers only for}}
  %0 = mx.concat %a, %a {dim = 0 : i64} : (tensor<?x3xf32>, tensor<?x3xf32>) -> tensor<?x3xf32>
  return %0 : tensor<?x3xf32>
}

// -----

// Concatenating along a static axis copies the `?` (batch) axis whole.
// CHECK-LABEL: func.func @concat_channels(
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0 : tensor<?x3xf32>
// CHECK: %[[E:.*]] = tensor.empty(%[[B]]) : tensor<?x5xf32>
// CHECK: %[[I:.*]] = tensor.insert_slice %arg0 into %[[E]][0, 0] [%[[B]], 3] [1, 1]
// CHECK: %[[D1:.*]] = tensor.dim %arg1, %c0 : tensor<?x2xf32>
// CHECK: tensor.insert_slice %arg1 into %[[I]][0, 3] [%[[D1]], 2] [1, 1]
func.func @concat_channels(%a: tensor<?x3xf32>, %b: tensor<?x2xf32>) -> tensor<?x5xf32> {
  %0 = mx.concat %a, %b {dim = 1 : i64} : (tensor<?x3xf32>, tensor<?x2xf32>) -> tensor<?x5xf32>
  return %0 : tensor<?x5xf32>
}

// -----

// A `?` that no argument carries has no batch size to stand for.
func.func @no_batch_argument(%a: tensor<3xf32>, %s: tensor<2xi64>) -> tensor<?x3xf32> {
  %0 = tensor.cast %a : tensor<3xf32> to tensor<?xf32>
  // expected-error @below {{'mx.exp' op has dynamic shapes, but its function has no `?` argument dimension}}
  %1 = mx.exp %0 : tensor<?xf32>
  // expected-error @below {{'mx.reshape' op has dynamic shapes, but}}
  %2 = mx.reshape %1 {shape = array<i64: 1, 3>} : (tensor<?xf32>) -> tensor<1x3xf32>
  %3 = tensor.cast %2 : tensor<1x3xf32> to tensor<?x3xf32>
  return %3 : tensor<?x3xf32>
}

// -----

// Convolution and pooling window only the spatial axes: the batch stays a
// `?` through tensor.pad, the named conv/pool ops, the grouped (expand_shape)
// and strided backward_data (insert_slice of the batch's extent) forms, the
// max-pooling arg-max and its gradient; the weight gradient reduces over it.
// CHECK-LABEL: func.func @lenet(
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0 : tensor<?x1x12x12xf32>
// CHECK: tensor.empty(%[[B]]) : tensor<?x4x10x10xf32>
// CHECK: %[[C:.*]] = linalg.conv_2d_nchw_fchw {{.*}} ins(%arg0, %arg1 : tensor<?x1x12x12xf32>, tensor<4x1x3x3xf32>) outs(%{{.*}} : tensor<?x4x10x10xf32>)
// CHECK: linalg.pooling_nchw_max {{.*}} ins(%[[C]], %{{.*}} : tensor<?x4x10x10xf32>, tensor<2x2xf32>) outs(%{{.*}} : tensor<?x4x5x5xf32>)
// CHECK: tensor.empty(%[[B]]) : tensor<?x4x5x5xi8>
// CHECK: tensor.empty(%[[B]]) : tensor<?x4x5x2x5x2xf32>
// CHECK: tensor.pad %{{.*}} low[0, 0, 2, 2] high[0, 0, 2, 2]
// CHECK: linalg.conv_2d_nchw_fchw {{.*}} ins(%{{.*}}, %{{.*}} : tensor<?x4x14x14xf32>, tensor<1x4x3x3xf32>) outs(%{{.*}} : tensor<?x1x12x12xf32>)
// CHECK: linalg.conv_2d_ngchw_gfchw {{.*}} : tensor<?x2x2x7x7xf32>, tensor<2x3x2x3x3xf32>) outs(%{{.*}} : tensor<?x2x3x3x3xf32>)
// CHECK: %[[G:.*]] = tensor.dim %arg4, %c0 : tensor<?x6x3x3xf32>
// CHECK: tensor.insert_slice %arg4 into %{{.*}}[0, 0, 1, 1] [%[[G]], 6, 3, 3] [1, 1, 2, 2] : tensor<?x6x3x3xf32> into tensor<?x6x7x7xf32>
// CHECK: tensor.empty(%[[B]]) : tensor<?x4x2x2xi8>
// CHECK: linalg.pooling_nchw_sum {{.*}} : tensor<?x4x12x12xf32>, tensor<3x3xf32>) outs(%{{.*}} : tensor<?x4x4x4xf32>)

// LLVM-LABEL: llvm.func @lenet(
func.func @lenet(%x: tensor<?x1x12x12xf32>, %w: tensor<4x1x3x3xf32>, %b: tensor<4xf32>, %w2: tensor<6x2x3x3xf32>, %g: tensor<?x6x3x3xf32>) -> (tensor<?x4x5x5xf32>, tensor<?x4x10x10xf32>, tensor<4x1x3x3xf32>, tensor<?x1x12x12xf32>, tensor<?x4x10x10xf32>, tensor<?x6x3x3xf32>, tensor<?x4x5x5xf32>, tensor<?x4x2x2xf32>, tensor<?x4x4x4xf32>) {
  %c = mx.convolution %x, %w, %b {kernel = array<i64: 3, 3>, num_filter = 4 : i64} : (tensor<?x1x12x12xf32>, tensor<4x1x3x3xf32>, tensor<4xf32>) -> tensor<?x4x10x10xf32>
  %p = mx.pooling %c {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<?x4x10x10xf32>) -> tensor<?x4x5x5xf32>
  %pb = mx.pooling_backward %p, %c {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>, pool_type = "max"} : (tensor<?x4x5x5xf32>, tensor<?x4x10x10xf32>) -> tensor<?x4x10x10xf32>
  %dw = mx.convolution_backward_weight %pb, %x {kernel = array<i64: 3, 3>, num_filter = 4 : i64} : (tensor<?x4x10x10xf32>, tensor<?x1x12x12xf32>) -> tensor<4x1x3x3xf32>
  %dx = mx.convolution_backward_data %pb, %w {data_shape = array<i64: 7, 1, 12, 12>, kernel = array<i64: 3, 3>, num_filter = 4 : i64} : (tensor<?x4x10x10xf32>, tensor<4x1x3x3xf32>) -> tensor<?x1x12x12xf32>
  %pa = mx.pooling_backward %p, %c {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, pool_type = "avg", count_include_pad = false} : (tensor<?x4x5x5xf32>, tensor<?x4x10x10xf32>) -> tensor<?x4x10x10xf32>
  %c2 = mx.convolution %p, %w2 {kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, num_filter = 6 : i64, num_group = 2 : i64, no_bias = true} : (tensor<?x4x5x5xf32>, tensor<6x2x3x3xf32>) -> tensor<?x6x3x3xf32>
  %dx2 = mx.convolution_backward_data %g, %w2 {data_shape = array<i64: 7, 4, 5, 5>, kernel = array<i64: 3, 3>, stride = array<i64: 2, 2>, pad = array<i64: 1, 1>, num_filter = 6 : i64, num_group = 2 : i64} : (tensor<?x6x3x3xf32>, tensor<6x2x3x3xf32>) -> tensor<?x4x5x5xf32>
  %gat = mx.pooling_max_gather %p, %dx2 {kernel = array<i64: 2, 2>, stride = array<i64: 2, 2>} : (tensor<?x4x5x5xf32>, tensor<?x4x5x5xf32>) -> tensor<?x4x2x2xf32>
  %avg = mx.pooling %c {kernel = array<i64: 3, 3>, stride = array<i64: 3, 3>, pad = array<i64: 1, 1>, pool_type = "avg", count_include_pad = false} : (tensor<?x4x10x10xf32>) -> tensor<?x4x4x4xf32>
  return %p, %pb, %dw, %dx, %pa, %c2, %dx2, %gat, %avg : tensor<?x4x5x5xf32>, tensor<?x4x10x10xf32>, tensor<4x1x3x3xf32>, tensor<?x1x12x12xf32>, tensor<?x4x10x10xf32>, tensor<?x6x3x3xf32>, tensor<?x4x5x5xf32>, tensor<?x4x2x2xf32>, tensor<?x4x4x4xf32>
}

// -----

// batch_norm's batch statistics divide by the call's batch size times the
// spatial extent; dropout's mask index needs no stride for the batch.
// CHECK-LABEL: func.func @cnn_layers(
// CHECK: %[[B:.*]] = tensor.dim %arg0, %c0 : tensor<?x3x4x4xf32>
// CHECK: %[[BI:.*]] = arith.index_cast %[[B]] : index to i64
// CHECK: %[[N:.*]] = arith.muli %[[BI]], %c16_i64 : i64
// CHECK: %[[NF:.*]] = arith.sitofp %[[N]] : i64 to f32
// CHECK: arith.divf %{{.*}}, %[[NF]] : f32
// CHECK: tensor.empty(%[[B]]) : tensor<?x3x4x4xf32>

// LLVM-LABEL: llvm.func @cnn_layers(
func.func @cnn_layers(%x: tensor<?x3x4x4xf32>, %g: tensor<3xf32>, %b: tensor<3xf32>, %mm: tensor<3xf32>, %mv: tensor<3xf32>, %s: tensor<2xi64>) -> (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<?x3x4x4xf32>) {
  %0:3 = mx.batch_norm %x, %g, %b, %mm, %mv {training = true, fix_gamma = false} : (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>, tensor<3xf32>) -> (tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<3xf32>)
  %1 = mx.dropout %0#0, %s {p = 0.25 : f64} : (tensor<?x3x4x4xf32>, tensor<2xi64>) -> tensor<?x3x4x4xf32>
  return %0#0, %0#1, %1 : tensor<?x3x4x4xf32>, tensor<3xf32>, tensor<?x3x4x4xf32>
}
