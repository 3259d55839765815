//===- MxDialect.cpp - the mx dialect -------------------------------------===//

#include "ir/MxDialect.h"
#include "ir/MxOps.h"

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
