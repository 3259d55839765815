//===- TensorOps.cpp - registry entries of the tensor op family -----------===//

#include "sym/OpRegistry.h"
#include "sym/ops/OpFamilies.h"

namespace mxjit::sym::detail {

void registerTensorOps() {}

} // namespace mxjit::sym::detail
