//===- Dims.h - shared pieces of Dense and convolution layers --*- C++ -*-===//
//-*-===//

#ifndef MXJIT_GLUON_NN_DIMS_H
#define MXJIT_GLUON_NN_DIMS_H

#include "mxjit/gluon/nn.h"

namespace mxjit::gluon::nn::detail {

/// Gluon's "an int applies to every axis", checking the count and the
/// lower bound here so that a bad value names the layer instead of
/// surfacing later as a registry-op error.
inline nd::Shape expand(const Dims &d, size_t rank, const std::string &layer,
                        const char *what, int64_t minimum) {
  nd::Shape v = d.scalar ? nd::Shape(rank, d.values[0]) : d.values;
  if (v.size() != rank)
    throw Error(layer + ": " + what + " must be one int or " +
                std::to_string(rank) + " ints, got " +
                std::to_string(v.size()));
  for (int64_t x : v)
    if (x < minimum)
      throw Error(layer + ": " + what + " must be >= " +
                  std::to_string(minimum) + ", got " + std::to_string(x));
  return v;
}

/// The weight and, with `useBias`, the bias (units,) of a Dense or
/// convolution layer, both deferred until the first input fixes unknown
/// dims. The bias defaults to zeros: as in Gluon (bias_initializer='zeros'),
/// an initializer applies its weight rule whatever the parameter's name.
inline void weightAndBias(ParameterDict &params, nd::Shape weightShape,
                          int64_t units, DType dtype,
                          init::InitializerPtr weightInit,
                          init::InitializerPtr biasInit, bool useBias,
                          ParameterPtr &weight, ParameterPtr &bias) {
  ParameterOptions w;
  w.shape = std::move(weightShape);
  w.dtype = dtype;
  w.init = std::move(weightInit);
  w.allow_deferred_init = true;
  weight = params.get("weight", w);
  if (!useBias)
    return;
  ParameterOptions b;
  b.shape = {units};
  b.dtype = dtype;
  b.init = biasInit ? std::move(biasInit) : std::make_shared<init::Zero>();
  b.allow_deferred_init = true;
  bias = params.get("bias", b);
}

/// The one layout each rank supports: channels first.
inline const char *layoutFor(size_t rank) { return rank == 1 ? "NCW" : "NCHW"; }

} // namespace mxjit::gluon::nn::detail

#endif // MXJIT_GLUON_NN_DIMS_H
