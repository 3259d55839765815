// An mx function as input: y = relu(x * w + b) over a batch, and its sum.
func.func @scale(%x: tensor<4x8xf32>, %w: tensor<8xf32>, %b: tensor<8xf32>)
    -> (tensor<4x8xf32>, tensor<1xf32>) {
  %0 = mx.multiply %x, %w : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %1 = mx.add %0, %b : (tensor<4x8xf32>, tensor<8xf32>) -> tensor<4x8xf32>
  %2 = mx.relu %1 : tensor<4x8xf32>
  %3 = mx.sum %2 : (tensor<4x8xf32>) -> tensor<1xf32>
  return %2, %3 : tensor<4x8xf32>, tensor<1xf32>
}
