//===- nd_registry_ops.h - registry ops on NDArrays (mx.nd.<Op>) -*- C++
//-*-===//
//
// MXNet's mx.nd.FullyConnected, nd.Convolution, nd.BatchNorm, ... are the
// operators of the Symbol API called on arrays. nd::Op runs any registry
// op imperatively: it lowers the op as the Symbol executor does and records
// the resulting mx ops as lazy NDArray ops, so they fuse with the ops
// around them, are differentiable under autograd::record() and compile
// once per structure.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_ND_REGISTRY_OPS_H
#define MXJIT_ND_REGISTRY_OPS_H

#include "mxjit/ndarray.h"
#include "mxjit/symbol.h"

#include <string>
#include <vector>

namespace mxjit::nd {

/// Runs the registry op `op` ("FullyConnected", "BatchNorm", ...) on
/// `inputs`, given in the op's input order (list_arguments order of the
/// symbol, auxiliary states last, all required), with `kwargs` as
/// parameters. Returns the op's visible outputs. Training behaviour
/// (BatchNorm's batch statistics, Dropout) follows autograd::is_training().
/// BatchNorm in training updates its moving_mean and moving_var inputs in
/// place, as MXNet's nd.BatchNorm does. Throws mxjit::Error naming the op
/// on unknown ops, wrong input counts and bad parameters.
std::vector<NDArray> Op(const std::string &op,
                        const std::vector<NDArray> &inputs,
                        const sym::Kwargs &kwargs = {});

/// First output of the op (the only visible one for these ops).
/// inputs: data, weight[, bias] (no bias with no_bias=True).
NDArray FullyConnected(const std::vector<NDArray> &inputs,
                       const sym::Kwargs &kwargs = {});
/// inputs: data, weight[, bias].
NDArray Convolution(const std::vector<NDArray> &inputs,
                    const sym::Kwargs &kwargs = {});
NDArray Pooling(const NDArray &data, const sym::Kwargs &kwargs = {});
NDArray Activation(const NDArray &data, const sym::Kwargs &kwargs = {});
/// inputs: data, gamma, beta, moving_mean, moving_var.
NDArray BatchNorm(const std::vector<NDArray> &inputs,
                  const sym::Kwargs &kwargs = {});
NDArray Dropout(const NDArray &data, const sym::Kwargs &kwargs = {});
NDArray Flatten(const NDArray &data);
NDArray SoftmaxOutput(const NDArray &data, const NDArray &label,
                      const sym::Kwargs &kwargs = {});

} // namespace mxjit::nd

#endif // MXJIT_ND_REGISTRY_OPS_H
