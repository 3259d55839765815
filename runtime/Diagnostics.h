//===- Diagnostics.h - collect MLIR diagnostics into a string ---*- C++ -*-===//
//
// The runtime turns MLIR failures into mxjit::Error exceptions; the text of
// the exception is whatever the verifier, parser or a pass reported.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_RUNTIME_DIAGNOSTICS_H
#define MXJIT_RUNTIME_DIAGNOSTICS_H

#include "mlir/IR/Diagnostics.h"

#include <string>
#include <thread>

namespace mxjit {

/// While alive, collects the diagnostics emitted on the constructing thread
/// in `context` instead of printing them. Diagnostics from other threads are
/// passed on to the next handler, so concurrent compiles in one context each
/// see only their own messages.
class DiagnosticCapture {
public:
  explicit DiagnosticCapture(mlir::MLIRContext *context);
  DiagnosticCapture(const DiagnosticCapture &) = delete;
  DiagnosticCapture &operator=(const DiagnosticCapture &) = delete;

  /// One line per diagnostic, "file:line:col: error: message", with notes
  /// indented below their diagnostic.
  const std::string &text() const { return text_; }
  bool empty() const { return text_.empty(); }

private:
  void append(mlir::Diagnostic &diag, unsigned indent);

  std::string text_;
  std::thread::id owner_;
  mlir::ScopedDiagnosticHandler handler_;
};

} // namespace mxjit

#endif // MXJIT_RUNTIME_DIAGNOSTICS_H
