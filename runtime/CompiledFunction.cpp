//===- CompiledFunction.cpp - calling JIT-compiled functions --------------===//

#include "runtime/Error.h"
#include "runtime/JitEngine.h"
#include "runtime/ObjectLinker.h"

#include "llvm/ADT/SmallVector.h"

using namespace mxjit;

CompiledFunction::CompiledFunction(std::unique_ptr<LinkedObject> code,
                                   PackedFn packed, std::string entry,
                                   std::vector<TensorSpec> inputs,
                                   std::vector<TensorSpec> outputs,
                                   CompileTimings timings,
                                   MemoryPlan memoryPlan, bool loadedFromDisk,
                                   double loadMs)
    : code_(std::move(code)), packed_(packed), entry_(std::move(entry)),
      inputs_(std::move(inputs)), outputs_(std::move(outputs)),
      timings_(timings), memoryPlan_(memoryPlan),
      loadedFromDisk_(loadedFromDisk), loadMs_(loadMs) {}

CompiledFunction::~CompiledFunction() = default;

static void checkCount(const std::string &entry, const char *kind,
                       const std::vector<TensorSpec> &specs, size_t given) {
  if (given == specs.size())
    return;
  std::string msg = "@" + entry + ": expected " + std::to_string(specs.size()) +
                    " " + kind + "s, got " + std::to_string(given);
  if (given < specs.size())
    msg += " (" + std::string(kind) + " " + std::to_string(given) + ", " +
           specs[given].str() + ", is missing)";
  else
    msg += " (" + std::string(kind) + " " + std::to_string(specs.size()) +
           " is extra)";
  throw Error(msg);
}

static void checkNotNull(const std::string &entry, const char *kind,
                         size_t index, const void *ptr) {
  if (!ptr)
    throw Error("@" + entry + ": " + kind + " " + std::to_string(index) +
                " is a null pointer");
}

void CompiledFunction::call(llvm::ArrayRef<const void *> inputs,
                            llvm::ArrayRef<void *> outputs) const {
  checkCount(entry_, "input", inputs_, inputs.size());
  checkCount(entry_, "output", outputs_, outputs.size());

  // The packed wrapper takes one pointer per argument, pointing at the
  // argument's value; with bare-pointer memrefs each value is a data pointer.
  const size_t n = inputs.size() + outputs.size();
  llvm::SmallVector<void *, 16> values(n);
  llvm::SmallVector<void *, 16> args(n);
  for (size_t i = 0; i < inputs.size(); ++i) {
    checkNotNull(entry_, "input", i, inputs[i]);
    // The generated code only reads inputs; the ABI has no const.
    values[i] = const_cast<void *>(inputs[i]);
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    checkNotNull(entry_, "output", i, outputs[i]);
    values[inputs.size() + i] = outputs[i];
  }
  for (size_t i = 0; i < n; ++i)
    args[i] = &values[i];
  packed_(args.data());
}

static void checkSpec(const std::string &entry, const char *kind, size_t index,
                      const TensorSpec &expected, const HostBuffer *buffer) {
  checkNotNull(entry, kind, index, buffer);
  if (buffer->empty())
    throw Error("@" + entry + ": " + kind + " " + std::to_string(index) +
                " is an empty buffer, expected " + expected.str());
  if (buffer->spec() != expected)
    throw Error("@" + entry + ": " + kind + " " + std::to_string(index) +
                " is " + buffer->spec().str() + ", expected " + expected.str());
}

void CompiledFunction::run(llvm::ArrayRef<const HostBuffer *> inputs,
                           llvm::ArrayRef<HostBuffer *> outputs) const {
  checkCount(entry_, "input", inputs_, inputs.size());
  checkCount(entry_, "output", outputs_, outputs.size());
  llvm::SmallVector<const void *, 8> in;
  llvm::SmallVector<void *, 8> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    checkSpec(entry_, "input", i, inputs_[i], inputs[i]);
    in.push_back(inputs[i]->data());
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    checkSpec(entry_, "output", i, outputs_[i], outputs[i]);
    out.push_back(outputs[i]->data());
  }
  call(in, out);
}

std::vector<HostBuffer>
CompiledFunction::run(llvm::ArrayRef<const HostBuffer *> inputs) const {
  std::vector<HostBuffer> results;
  results.reserve(outputs_.size());
  llvm::SmallVector<HostBuffer *, 4> out;
  // The call writes every element.
  for (const TensorSpec &spec : outputs_)
    results.emplace_back(spec, HostBuffer::Uninitialized{});
  for (HostBuffer &b : results)
    out.push_back(&b);
  run(inputs, out);
  return results;
}
