// RUN: mxjit-opt %s --mx-autodiff --mx-lower-to-nvvm | FileCheck %s
// RUN: mxjit-opt %s --mx-autodiff --mx-lower-to-nvvm | %extract_ptx | FileCheck %s --check-prefix=PTX

// An MLP with softmax_output and its gradient (mx-autodiff) lowers to one
// host function per mx function that only launches kernels, allocates
// device memory and waits on its stream; the kernels are PTX for sm_90.

// CHECK-NOT: mx.
// CHECK-NOT: linalg.
// CHECK-NOT: memref.
// CHECK-LABEL: llvm.func @mlp(
// CHECK-SAME: !llvm.ptr
// CHECK: gpu.launch_func
// CHECK: llvm.return
// CHECK-LABEL: llvm.func @mlp_grad(
// CHECK: gpu.launch_func
// CHECK: llvm.return
// CHECK: gpu.binary @{{.*}} [#gpu.object<#nvvm.target<O = 3, chip = "sm_90">
// CHECK-SAME: assembly =

// PTX: .target sm_90
// PTX: .visible .entry mlp_kernel(
// PTX: %ctaid.x
// PTX: %tid.x
// PTX: ld.global

func.func @mlp(%x: tensor<32x20xf32>, %w1: tensor<64x20xf32>, %b1: tensor<64xf32>,
               %w2: tensor<10x64xf32>, %b2: tensor<10xf32>, %l: tensor<32xf32>) -> tensor<32x10xf32> {
  %h = mx.fully_connected %x, %w1, %b1 {num_hidden = 64 : i64} : (tensor<32x20xf32>, tensor<64x20xf32>, tensor<64xf32>) -> tensor<32x64xf32>
  %r = mx.relu %h : tensor<32x64xf32>
  %o = mx.fully_connected %r, %w2, %b2 {num_hidden = 10 : i64} : (tensor<32x64xf32>, tensor<10x64xf32>, tensor<10xf32>) -> tensor<32x10xf32>
  %s = mx.softmax_output %o, %l : (tensor<32x10xf32>, tensor<32xf32>) -> tensor<32x10xf32>
  return %s : tensor<32x10xf32>
}
