//===- MxInterfaces.cpp - mx op interfaces --------------------------------===//

#include "ir/MxOps.h"

#include "ir/MxInterfaces.cpp.inc"
