//===- CApi.h - the plain C API of an AOT-compiled model ------ -*- C++ -*-===//
//
// What mxjit-compile adds to the lowered LLVM IR so the object links with
// `cc` alone: the entry point `<name>_infer` with one pointer per input and
// output, the embedded weights as constants, and private definitions of the
// runtime functions lowered code may call. And the C header declaring it.
//
//===----------------------------------------------------------------------===//

#ifndef MXJIT_TOOLS_MXJIT_COMPILE_CAPI_H
#define MXJIT_TOOLS_MXJIT_COMPILE_CAPI_H

#include "AotModel.h"

#include <string>

namespace llvm {
class Module;
} // namespace llvm

namespace mxjit::aot {

/// `<name>_infer`.
std::string inferSymbol(const std::string &name);

/// `<name>_infer`, or `<name>_train_step` for a training step.
std::string entrySymbol(const AotModel &model, const std::string &name);

/// Adds `<name>_infer` (or `<name>_train_step`, then `<name>_init_params`
/// when --params gave initial weights) calling `model.entry` in `module`
/// (lowered with bare pointers), the weights as private constants and
/// definitions of the runtime functions (arena on aligned_alloc/free, serial
/// parallel loop). Every other symbol of the module becomes internal, so
/// several models link into one program. Throws mxjit::Error.
void addCApi(llvm::Module &module, const AotModel &model,
             const std::string &name);

/// The C header declaring `<name>_infer`, with shapes, dtypes and sizes.
std::string cHeader(const AotModel &model, const std::string &name);

} // namespace mxjit::aot

#endif // MXJIT_TOOLS_MXJIT_COMPILE_CAPI_H
