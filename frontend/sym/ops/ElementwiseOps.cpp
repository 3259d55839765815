//===- ElementwiseOps.cpp - registry entries of the elementwise op family
//-----------===//

#include "sym/OpRegistry.h"
#include "sym/ops/OpFamilies.h"

namespace mxjit::sym::detail {

void registerElementwiseOps() {}

} // namespace mxjit::sym::detail
