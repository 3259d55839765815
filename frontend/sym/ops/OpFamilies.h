//===- OpFamilies.h - registration entry of each op family ------*- C++ -*-===//
//
// OpRegistry.cpp calls each of these once, on first lookup; one file under
// sym/ops/ per family.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_SYM_OPS_OPFAMILIES_H
#define MXJIT_FRONTEND_SYM_OPS_OPFAMILIES_H

namespace mxjit::sym::detail {

/// Unary math, Activation, BlockGrad, Cast, clip, binary elemwise_* and
/// broadcast_* ops, scalar ops (_plus_scalar ...), add_n/ElementWiseSum.
void registerElementwiseOps();
/// Reshape, Flatten, Concat, SliceChannel, transpose, expand_dims, slice,
/// reductions, dot, batch_dot, FullyConnected, softmax, log_softmax.
void registerTensorOps();
/// Convolution, Pooling.
void registerConvPoolOps();
/// BatchNorm, Dropout.
void registerNormOps();
/// SoftmaxOutput and the regression outputs.
void registerOutputOps();

} // namespace mxjit::sym::detail

#endif // MXJIT_FRONTEND_SYM_OPS_OPFAMILIES_H
