//===- MxDialect.cpp - the mx dialect -------------------------------------===//

#include "ir/MxDialect.h"
#include "ir/MxOps.h"

#include "mlir/Interfaces/FunctionInterfaces.h"

using namespace mlir;
using namespace mxjit::mx;

#include "ir/MxDialect.cpp.inc"

void MxDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "ir/MxOps.cpp.inc"
      >();
}

Operation *MxDialect::materializeConstant(OpBuilder &builder, Attribute value,
                                          Type type, Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return ConstantOp::create(builder, loc, type, elements);
}

LogicalResult MxDialect::verifyRegionArgAttribute(Operation *op,
                                                  unsigned regionIndex,
                                                  unsigned argIndex,
                                                  NamedAttribute attr) {
  StringRef name = attr.getName().getValue();
  if (name != kDonateAttrName && name != kDonateOutAttrName)
    return op->emitError("unknown mx argument attribute '") << name << "'";
  auto index = dyn_cast<IntegerAttr>(attr.getValue());
  if (!index || index.getInt() < 0)
    return op->emitError("'")
           << name << "' of argument " << argIndex
           << " must be a non-negative integer, got " << attr.getValue();
  auto f = dyn_cast<FunctionOpInterface>(op);
  if (!f || regionIndex != 0)
    return op->emitError("'")
           << name << "' is only valid on function arguments";
  // Once results are out-parameters (after buffer-results-to-out-params) the
  // function has none left to check against.
  if (name != kDonateAttrName || f.getNumResults() == 0)
    return success();
  uint64_t result = index.getInt();
  if (result >= f.getNumResults())
    return op->emitError("'mx.donate' of argument ")
           << argIndex << " names result " << result
           << ", but the function has " << f.getNumResults();
  if (f.getArgumentTypes()[argIndex] != f.getResultTypes()[result])
    return op->emitError("'mx.donate' of argument ")
           << argIndex << " (" << f.getArgumentTypes()[argIndex]
           << ") names result " << result << " of another type ("
           << f.getResultTypes()[result] << ")";
  for (unsigned other = 0; other < argIndex; ++other)
    if (auto prior = f.getArgAttrOfType<IntegerAttr>(other, kDonateAttrName);
        prior && prior.getInt() == index.getInt())
      return op->emitError("arguments ") << other << " and " << argIndex
                                         << " both donate to result " << result;
  return success();
}
