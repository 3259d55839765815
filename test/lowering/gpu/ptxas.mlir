// REQUIRES: ptxas
// RUN: rm -rf %t && mxjit-opt %s --mx-autodiff --mx-lower-to-nvvm=toolkit=/usr/local/cuda | %extract_ptx -o %t --ptxas %ptxas
// RUN: mxjit-opt %s --mx-lower-to-nvvm="gpu-arch=sm_80 toolkit=/usr/local/cuda" | %extract_ptx -o %t/sm80 --ptxas %ptxas

// Every kernel of a training step (forward, gradient) and of reductions and
// broadcasts assembles with the CUDA toolkit's ptxas for its architecture (libdevice
// linked from the toolkit for tanh's fabsf).

func.func @step(%x: tensor<16x12xf32>, %w: tensor<8x12xf32>, %b: tensor<8xf32>,
                %l: tensor<16xf32>) -> tensor<16x8xf32> {
  %h = mx.fully_connected %x, %w, %b {num_hidden = 8 : i64} : (tensor<16x12xf32>, tensor<8x12xf32>, tensor<8xf32>) -> tensor<16x8xf32>
  %t = mx.tanh %h : tensor<16x8xf32>
  %s = mx.softmax_output %t, %l : (tensor<16x8xf32>, tensor<16xf32>) -> tensor<16x8xf32>
  return %s : tensor<16x8xf32>
}

func.func @reduce(%x: tensor<6x7x5xf32>) -> (tensor<1xf32>, tensor<6x1x5xf32>, tensor<6x7x5xf32>) {
  %s = mx.sum %x : (tensor<6x7x5xf32>) -> tensor<1xf32>
  %m = mx.mean %x {axis = array<i64: 1>, keepdims = true} : (tensor<6x7x5xf32>) -> tensor<6x1x5xf32>
  %p = mx.softmax %x : tensor<6x7x5xf32>
  return %s, %m, %p : tensor<1xf32>, tensor<6x1x5xf32>, tensor<6x7x5xf32>
}
