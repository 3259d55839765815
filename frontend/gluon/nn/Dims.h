//===- Dims.h - expanding Gluon's int-or-tuple layer arguments --*- C++ -*-===//

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

/// The one layout each rank supports: channels first.
inline const char *layoutFor(size_t rank) { return rank == 1 ? "NCW" : "NCHW"; }

} // namespace mxjit::gluon::nn::detail

#endif // MXJIT_GLUON_NN_DIMS_H
