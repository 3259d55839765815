//===- GpuDeviceMemory.cpp - the mx-gpu-device-memory pass ----------------===//
//
// Bufferization allocates temporaries with memref.alloc, which
// finalize-memref-to-llvm would turn into host malloc calls; kernels can
// only read device memory, so host functions allocate with gpu.alloc.
//
//===----------------------------------------------------------------------===//

#include "lowering/Passes.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"

namespace mxjit {
#define GEN_PASS_DEF_MXGPUDEVICEMEMORY
#include "lowering/Passes.h.inc"
} // namespace mxjit

using namespace mlir;

namespace {
struct MxGpuDeviceMemoryPass
    : public mxjit::impl::MxGpuDeviceMemoryBase<MxGpuDeviceMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func->getParentOfType<gpu::GPUModuleOp>())
      return;
    SmallVector<Operation *> ops;
    func.walk([&](Operation *op) {
      if (isa<memref::AllocOp, memref::DeallocOp>(op) &&
          !op->getParentOfType<gpu::LaunchOp>())
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      if (auto alloc = dyn_cast<memref::AllocOp>(op)) {
        auto replacement = gpu::AllocOp::create(
            b, alloc.getLoc(), alloc.getType(), /*asyncToken=*/Type(),
            /*asyncDependencies=*/ValueRange(), alloc.getDynamicSizes(),
            alloc.getSymbolOperands(), /*hostShared=*/false);
        alloc.replaceAllUsesWith(replacement.getMemref());
      } else {
        auto dealloc = cast<memref::DeallocOp>(op);
        gpu::DeallocOp::create(b, dealloc.getLoc(), /*asyncToken=*/Type(),
                               ValueRange(), dealloc.getMemref());
      }
      op->erase();
    }
  }
};
} // namespace
