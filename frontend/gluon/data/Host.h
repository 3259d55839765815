//===- Host.h - NDArray values as host buffers, for the data API -*- C++
//-*-===//
//
// The data API moves samples between host buffers and arrays without lazy
// ops: an array's computed buffer is shared (buffers are immutable once
// computed) and new arrays are materialized nodes around a buffer.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_FRONTEND_GLUON_DATA_HOST_H
#define MXJIT_FRONTEND_GLUON_DATA_HOST_H

#include "mxjit/ndarray.h"
#include "runtime/HostBuffer.h"

#include <memory>
#include <string>

namespace mxjit::gluon::data::detail {

/// The computed value of `x` (computing it when pending); throws
/// mxjit::Error naming `who` for an empty handle.
std::shared_ptr<HostBuffer> hostValue(const nd::NDArray &x, const char *who);

/// A materialized CPU array holding `value`.
nd::NDArray fromHost(HostBuffer value);

/// The values of an IDX file (plain or gzipped) converted to `dtype`;
/// vision::read_idx without the array around them. `trailingUnitDim` adds
/// a last dimension of 1 (MNIST's HWC channel) without copying.
HostBuffer readIdx(const std::string &path, DType dtype,
                   bool trailingUnitDim = false);

} // namespace mxjit::gluon::data::detail

#endif // MXJIT_FRONTEND_GLUON_DATA_HOST_H
