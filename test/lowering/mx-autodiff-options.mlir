// RUN: mxjit-opt %s --verify-diagnostics --mx-autodiff='function=f wrt=3'
// RUN: not mxjit-opt %s --mx-autodiff='function=f wrt=1' 2>&1 | FileCheck %s --check-prefix=INT
// RUN: not mxjit-opt %s --mx-autodiff='function=f results=2' 2>&1 | FileCheck %s --check-prefix=RESULTS
// RUN: not mxjit-opt %s --mx-autodiff='function=g results=0' 2>&1 | FileCheck %s --check-prefix=INTRESULT
// RUN: not mxjit-opt %s --mx-autodiff='function=external' 2>&1 | FileCheck %s --check-prefix=EXTERNAL
// RUN: not mxjit-opt %s --mx-autodiff='function=missing' 2>&1 | FileCheck %s --check-prefix=MISSING
// RUN: not mxjit-opt %s --mx-autodiff='function=dynamic' 2>&1 | FileCheck %s --check-prefix=DYNAMIC

// expected-error @+1 {{mx-autodiff: wrt index 3 is out of range (the function has 2 arguments)}}
func.func @f(%x: tensor<4xf32>, %n: tensor<4xi64>) -> tensor<4xf32> {
  %0 = mx.exp %x : tensor<4xf32>
  return %0 : tensor<4xf32>
}
// INT: error: mx-autodiff: argument 1 of type 'tensor<4xi64>' is not a floating-point tensor and gets no gradient
// RESULTS: error: mx-autodiff: result index 2 is out of range (the function has 1 results)

func.func @g(%n: tensor<4xi64>) -> tensor<4xi64> {
  return %n : tensor<4xi64>
}
// INTRESULT: error: mx-autodiff: result 0 of type 'tensor<4xi64>' is not a floating-point tensor

func.func private @external(%x: tensor<4xf32>) -> tensor<4xf32>
// EXTERNAL: error: cannot differentiate a function without a body
// MISSING: error: mx-autodiff: no function named @missing

func.func @dynamic(%x: tensor<?x4xf32>) -> tensor<?x4xf32> {
  %0 = mx.exp %x : tensor<?x4xf32>
  return %0 : tensor<?x4xf32>
}
// DYNAMIC: error: mx-autodiff needs static shapes, but the signature has 'tensor<?x4xf32>'
