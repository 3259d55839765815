//===- Error.h - the exception thrown by the mxjit C++ API ------*- C++ -*-===//
//
// One exception type for bad input anywhere in the C++ API (wrong shapes,
// argument counts, IR that fails to verify or lower), so callers can catch
// mxjit failures without catching unrelated std::runtime_errors.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_ERROR_H
#define MXJIT_RUNTIME_ERROR_H

#include <stdexcept>

namespace mxjit {

class Error : public std::runtime_error {
public:
  using runtime_error::runtime_error;
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_ERROR_H
