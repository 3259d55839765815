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
      loadedFromDisk_(loadedFromDisk), loadMs_(loadMs),
      // `?` dimensions all stand for the batch size: such a function is
      // called with callBatch().
      generic_(llvm::any_of(
          inputs_, [](const TensorSpec &spec) { return spec.isDynamic(); })) {}

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

void CompiledFunction::checkAliasing(int64_t batch,
                                     llvm::ArrayRef<const void *> inputs,
                                     llvm::ArrayRef<void *> outputs) const {
  // No TensorSpec copies: this runs on every call, also of one eager op.
  auto range = [&](const TensorSpec &spec, const void *data) {
    uintptr_t bytes = dtypeSize(spec.dtype);
    for (int64_t d : spec.shape)
      bytes *= static_cast<uintptr_t>(d == TensorSpec::kDynamicDim ? batch : d);
    auto begin = reinterpret_cast<uintptr_t>(data);
    return std::make_pair(begin, begin + bytes);
  };
  auto overlap = [](std::pair<uintptr_t, uintptr_t> a,
                    std::pair<uintptr_t, uintptr_t> b) {
    return a.first < b.second && b.first < a.second;
  };
  for (size_t o = 0; o < outputs.size(); ++o) {
    auto out = range(outputs_[o], outputs[o]);
    for (size_t i = 0; i < inputs.size(); ++i) {
      if (!overlap(out, range(inputs_[i], inputs[i])))
        continue;
      bool donated =
          llvm::is_contained(donations_, std::pair<unsigned, unsigned>(i, o));
      if (donated && inputs[i] == outputs[o])
        continue;
      throw Error("@" + entry_ + ": output " + std::to_string(o) +
                  " overlaps input " + std::to_string(i) +
                  (donated ? " (a donated input must be passed as exactly "
                             "the output's pointer)"
                           : " (only inputs declared with mx.donate may "
                             "share an output's buffer)"));
    }
    for (size_t p = 0; p < o; ++p)
      if (overlap(out, range(outputs_[p], outputs[p])))
        throw Error("@" + entry_ + ": output " + std::to_string(o) +
                    " overlaps output " + std::to_string(p));
  }
}

void CompiledFunction::call(llvm::ArrayRef<const void *> inputs,
                            llvm::ArrayRef<void *> outputs) const {
  if (generic_)
    throw Error("@" + entry_ +
                " is shape-generic: call it with callBatch(batch, ...)");
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
  checkAliasing(-1, inputs, outputs);
  for (size_t i = 0; i < n; ++i)
    args[i] = &values[i];
  packed_(args.data());
}

void CompiledFunction::callBatch(int64_t batch,
                                 llvm::ArrayRef<const void *> inputs,
                                 llvm::ArrayRef<void *> outputs) const {
  if (!generic_) {
    call(inputs, outputs);
    return;
  }
  if (batch < 1)
    throw Error("@" + entry_ + ": batch size must be positive, got " +
                std::to_string(batch));
  checkCount(entry_, "input", inputs_, inputs.size());
  checkCount(entry_, "output", outputs_, outputs.size());
  // Without the bare-pointer convention each memref argument expands to
  // (allocated, aligned, offset, sizes..., strides...), all 64-bit; the
  // packed wrapper takes one pointer per expanded value.
  llvm::SmallVector<int64_t, 64> values;
  auto push = [&](const TensorSpec &spec, const void *data) {
    auto ptr = static_cast<int64_t>(reinterpret_cast<intptr_t>(data));
    values.append({ptr, ptr, 0});
    llvm::SmallVector<int64_t, 4> sizes;
    for (int64_t d : spec.shape)
      sizes.push_back(d == TensorSpec::kDynamicDim ? batch : d);
    values.append(sizes.begin(), sizes.end());
    llvm::SmallVector<int64_t, 4> strides(sizes.size());
    int64_t stride = 1;
    for (size_t i = sizes.size(); i-- > 0;) {
      strides[i] = stride;
      stride *= sizes[i];
    }
    values.append(strides.begin(), strides.end());
  };
  for (size_t i = 0; i < inputs.size(); ++i) {
    checkNotNull(entry_, "input", i, inputs[i]);
    push(inputs_[i], inputs[i]);
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    checkNotNull(entry_, "output", i, outputs[i]);
    push(outputs_[i], outputs[i]);
  }
  checkAliasing(batch, inputs, outputs);
  llvm::SmallVector<void *, 64> args(values.size());
  for (size_t i = 0; i < values.size(); ++i)
    args[i] = &values[i];
  packed_(args.data());
}

int64_t CompiledFunction::batchOf(llvm::ArrayRef<TensorSpec> inputs) const {
  if (!generic_)
    return -1;
  for (size_t i = 0; i < inputs_.size() && i < inputs.size(); ++i)
    for (size_t d = 0; d < inputs_[i].shape.size(); ++d)
      if (inputs_[i].shape[d] == TensorSpec::kDynamicDim &&
          d < inputs[i].shape.size())
        return inputs[i].shape[d];
  return -1;
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
  int64_t batch = generic_ ? genericBatch(inputs) : -1;
  llvm::SmallVector<const void *, 8> in;
  llvm::SmallVector<void *, 8> out;
  for (size_t i = 0; i < inputs.size(); ++i) {
    checkSpec(entry_, "input", i, inputs_[i].withDynamicDims(batch), inputs[i]);
    in.push_back(inputs[i]->data());
  }
  for (size_t i = 0; i < outputs.size(); ++i) {
    checkSpec(entry_, "output", i, outputs_[i].withDynamicDims(batch),
              outputs[i]);
    out.push_back(outputs[i]->data());
  }
  callBatch(batch, in, out);
}

int64_t CompiledFunction::genericBatch(
    llvm::ArrayRef<const HostBuffer *> inputs) const {
  checkCount(entry_, "input", inputs_, inputs.size());
  std::vector<TensorSpec> specs;
  for (size_t i = 0; i < inputs.size(); ++i) {
    checkNotNull(entry_, "input", i, inputs[i]);
    specs.push_back(inputs[i]->spec());
  }
  int64_t batch = batchOf(specs);
  if (batch < 1)
    throw Error("@" + entry_ +
                ": cannot tell the batch size from the inputs (expected " +
                (inputs_.empty() ? std::string("none") : inputs_[0].str()) +
                " for input 0)");
  return batch;
}

std::vector<HostBuffer>
CompiledFunction::run(llvm::ArrayRef<const HostBuffer *> inputs) const {
  std::vector<HostBuffer> results;
  results.reserve(outputs_.size());
  llvm::SmallVector<HostBuffer *, 4> out;
  // The call writes every element.
  int64_t batch = generic_ ? genericBatch(inputs) : -1;
  for (const TensorSpec &spec : outputs_)
    results.emplace_back(spec.withDynamicDims(batch),
                         HostBuffer::Uninitialized{});
  for (HostBuffer &b : results)
    out.push_back(&b);
  run(inputs, out);
  return results;
}
