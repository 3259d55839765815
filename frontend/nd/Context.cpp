//===- Context.cpp - device contexts --------------------------------------===//

#include "mxjit/context.h"

#include "runtime/Error.h"

namespace mxjit {

std::string Context::str() const {
  return (type == DeviceType::CPU ? "cpu(" : "gpu(") + std::to_string(id) + ")";
}

void checkContext(const Context &ctx) {
  if (ctx.id < 0)
    throw Error("invalid device id " + std::to_string(ctx.id) + " in " +
                ctx.str());
  if (ctx.type == Context::DeviceType::GPU)
    throw Error("context " + ctx.str() +
                " is not available: this build has no GPU backend yet "
                "(use cpu())");
}

} // namespace mxjit
