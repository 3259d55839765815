//===- Random.h - seeds from the generator behind nd::random ----*- C++ -*-===//

#ifndef MXJIT_FRONTEND_ND_RANDOM_H
#define MXJIT_FRONTEND_ND_RANDOM_H

#include <cstdint>

namespace mxjit::nd::detail {

/// The next value of the generator nd::random::seed() seeds, so compiled
/// random ops (Dropout) are reproducible under mx.random.seed as in MXNet.
uint64_t nextRandomSeed();

} // namespace mxjit::nd::detail

#endif // MXJIT_FRONTEND_ND_RANDOM_H
