//===- Diagnostics.cpp - collect MLIR diagnostics into a string -----------===//

#include "runtime/Diagnostics.h"

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/Location.h"

#include "llvm/Support/raw_ostream.h"

using namespace mlir;

static llvm::StringRef severityName(DiagnosticSeverity severity) {
  switch (severity) {
  case DiagnosticSeverity::Note:
    return "note";
  case DiagnosticSeverity::Warning:
    return "warning";
  case DiagnosticSeverity::Error:
    return "error";
  case DiagnosticSeverity::Remark:
    return "remark";
  }
  return "error";
}

mxjit::DiagnosticCapture::DiagnosticCapture(MLIRContext *context)
    : owner_(std::this_thread::get_id()),
      handler_(context, [this](Diagnostic &diag) -> LogicalResult {
        if (std::this_thread::get_id() != owner_)
          return failure();
        append(diag, 0);
        return success();
      }) {}

void mxjit::DiagnosticCapture::append(Diagnostic &diag, unsigned indent) {
  llvm::raw_string_ostream os(text_);
  os.indent(indent);
  // A file position reads best; it may be wrapped in a name or call-site
  // location, and unknown locations add nothing.
  Location loc = diag.getLocation();
  if (auto fileLoc = loc->findInstanceOf<FileLineColLoc>())
    os << fileLoc.getFilename().getValue() << ':' << fileLoc.getLine() << ':'
       << fileLoc.getColumn() << ": ";
  else if (!llvm::isa<UnknownLoc>(loc))
    os << loc << ": ";
  os << severityName(diag.getSeverity()) << ": " << diag.str() << '\n';
  for (Diagnostic &note : diag.getNotes())
    append(note, indent + 2);
}
