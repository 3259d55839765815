//===- Host.cpp - NDArray values as host buffers --------------------------===//

#include "gluon/data/Host.h"

#include "nd/Engine.h"

namespace mxjit::gluon::data::detail {

std::shared_ptr<HostBuffer> hostValue(const nd::NDArray &x, const char *who) {
  if (x.empty())
    throw Error(std::string(who) + ": the NDArray is empty");
  x.wait_to_read();
  return x.node()->value;
}

nd::NDArray fromHost(HostBuffer value) {
  return nd::NDArray(
      nd::detail::Engine::get().constant(std::move(value), cpu()));
}

} // namespace mxjit::gluon::data::detail
