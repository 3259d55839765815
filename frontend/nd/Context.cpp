//===- Context.cpp - device contexts --------------------------------------===//

#include "mxjit/context.h"

#include "runtime/Error.h"
#include "runtime/cuda/CudaDriver.h"

namespace mxjit {

std::string Context::str() const {
  return (type == DeviceType::CPU ? "cpu(" : "gpu(") + std::to_string(id) + ")";
}

void checkContext(const Context &ctx) {
  if (ctx.id < 0)
    throw Error("invalid device id " + std::to_string(ctx.id) + " in " +
                ctx.str());
  if (ctx.type != Context::DeviceType::GPU)
    return;
  // The driver and device come first, so a machine without a GPU says so
  // ("gpu(0): no CUDA driver (libcuda.so.1 not found...)").
  cuda::CudaDriver::require(ctx.id);
  // Arrays still hold host buffers: device-resident arrays need the GPU
  // compile path (mx-lower-to-nvvm) behind mxjit::compile.
  throw Error("context " + ctx.str() +
              " is not available for arrays yet: NDArray storage and ops on "
              "the GPU are not implemented (the CUDA runtime is; use cpu())");
}

} // namespace mxjit
