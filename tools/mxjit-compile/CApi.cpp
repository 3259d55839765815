//===- CApi.cpp - the plain C API of an AOT-compiled model ----------------===//

#include "CApi.h"

#include "runtime/Error.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Linker/Linker.h"
#include "llvm/Support/SourceMgr.h"

using namespace mxjit;
using namespace mxjit::aot;

namespace {

/// Alignment of embedded weights: the arena's and HostBuffer's, so vector
/// loads of weights are as aligned as in the JIT.
constexpr unsigned kWeightAlignment = 64;

const char *cType(DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return "float";
  case DType::Float64:
    return "double";
  case DType::Int32:
    return "int32_t";
  case DType::Int64:
    return "int64_t";
  }
  return "void";
}

llvm::Type *elementType(llvm::LLVMContext &ctx, DType dtype) {
  switch (dtype) {
  case DType::Float32:
    return llvm::Type::getFloatTy(ctx);
  case DType::Float64:
    return llvm::Type::getDoubleTy(ctx);
  case DType::Int32:
    return llvm::Type::getInt32Ty(ctx);
  case DType::Int64:
    return llvm::Type::getInt64Ty(ctx);
  }
  return nullptr;
}

/// `name` as a C identifier: other characters become '_'.
std::string identifier(llvm::StringRef name) {
  std::string out;
  for (char c : name)
    out += llvm::isAlnum(c) ? c : '_';
  if (out.empty() || llvm::isDigit(out[0]))
    out = "_" + out;
  return out;
}

/// MLIR's memrefCopy (mlir/ExecutionEngine/CRunnerUtils.h), which lowered
/// copies between non-contiguous layouts call: copies every element of the
/// strided source to the strided destination, walking the linear index
/// through the sizes. Both arguments are unranked descriptors {rank,
/// ranked descriptor}; a ranked one is {allocated, aligned, offset,
/// sizes[rank], strides[rank]}.
constexpr const char *kMemrefCopyIR = R"(
define void @memrefCopy(i64 %elemSize, ptr %src, ptr %dst) {
entry:
  %rank = load i64, ptr %src
  %sdp = getelementptr inbounds i8, ptr %src, i64 8
  %sdesc = load ptr, ptr %sdp
  %ddp = getelementptr inbounds i8, ptr %dst, i64 8
  %ddesc = load ptr, ptr %ddp
  %sap = getelementptr inbounds i8, ptr %sdesc, i64 8
  %sbase = load ptr, ptr %sap
  %sop = getelementptr inbounds i8, ptr %sdesc, i64 16
  %soff = load i64, ptr %sop
  %ssizes = getelementptr inbounds i8, ptr %sdesc, i64 24
  %sstrides = getelementptr inbounds i64, ptr %ssizes, i64 %rank
  %dap = getelementptr inbounds i8, ptr %ddesc, i64 8
  %dbase = load ptr, ptr %dap
  %dop = getelementptr inbounds i8, ptr %ddesc, i64 16
  %doff = load i64, ptr %dop
  %dsizes = getelementptr inbounds i8, ptr %ddesc, i64 24
  %dstrides = getelementptr inbounds i64, ptr %dsizes, i64 %rank
  br label %count
count:
  %ci = phi i64 [ 0, %entry ], [ %ci.next, %count.body ]
  %total = phi i64 [ 1, %entry ], [ %total.next, %count.body ]
  %cdone = icmp sge i64 %ci, %rank
  br i1 %cdone, label %outer, label %count.body
count.body:
  %csp = getelementptr inbounds i64, ptr %ssizes, i64 %ci
  %cs = load i64, ptr %csp
  %total.next = mul i64 %total, %cs
  %ci.next = add i64 %ci, 1
  br label %count
outer:
  %lin = phi i64 [ 0, %count ], [ %lin.next, %copy ]
  %odone = icmp sge i64 %lin, %total
  br i1 %odone, label %exit, label %inner
inner:
  %dim = phi i64 [ %rank, %outer ], [ %dim.next, %inner.body ]
  %rem = phi i64 [ %lin, %outer ], [ %rem.next, %inner.body ]
  %so = phi i64 [ %soff, %outer ], [ %so.next, %inner.body ]
  %dof = phi i64 [ %doff, %outer ], [ %dof.next, %inner.body ]
  %idone = icmp sle i64 %dim, 0
  br i1 %idone, label %copy, label %inner.body
inner.body:
  %dim.next = sub i64 %dim, 1
  %szp = getelementptr inbounds i64, ptr %ssizes, i64 %dim.next
  %sz = load i64, ptr %szp
  %idx = urem i64 %rem, %sz
  %rem.next = udiv i64 %rem, %sz
  %ssp = getelementptr inbounds i64, ptr %sstrides, i64 %dim.next
  %ss = load i64, ptr %ssp
  %dsp = getelementptr inbounds i64, ptr %dstrides, i64 %dim.next
  %ds = load i64, ptr %dsp
  %sstep = mul i64 %idx, %ss
  %so.next = add i64 %so, %sstep
  %dstep = mul i64 %idx, %ds
  %dof.next = add i64 %dof, %dstep
  br label %inner
copy:
  %sbyte = mul i64 %so, %elemSize
  %dbyte = mul i64 %dof, %elemSize
  %sp = getelementptr i8, ptr %sbase, i64 %sbyte
  %dp = getelementptr i8, ptr %dbase, i64 %dbyte
  call void @llvm.memcpy.p0.p0.i64(ptr %dp, ptr %sp, i64 %elemSize, i1 false)
  %lin.next = add i64 %lin, 1
  br label %outer
exit:
  ret void
}
declare void @llvm.memcpy.p0.p0.i64(ptr, ptr, i64, i1)
)";

/// Links kMemrefCopyIR into `module` when lowered code calls memrefCopy.
void defineMemrefCopy(llvm::Module &module) {
  llvm::Function *declared = module.getFunction("memrefCopy");
  if (!declared || !declared->isDeclaration())
    return;
  llvm::SMDiagnostic error;
  std::unique_ptr<llvm::Module> copy =
      llvm::parseAssemblyString(kMemrefCopyIR, error, module.getContext());
  if (!copy)
    throw Error("internal error: memrefCopy does not parse: " +
                error.getMessage().str());
  copy->setDataLayout(module.getDataLayout());
  copy->setTargetTriple(module.getTargetTriple());
  // External in its own module so that it resolves the declaration, then
  // private to the object like the rest.
  if (llvm::Linker::linkModules(module, std::move(copy)))
    throw Error("internal error: cannot link memrefCopy");
  module.getFunction("memrefCopy")
      ->setLinkage(llvm::GlobalValue::InternalLinkage);
}

/// Bodies for the runtime functions lowered code may declare, so the object
/// needs nothing beyond libc: the per-call arena comes from aligned_alloc
/// and free (no block cache), parallel loops run on the calling thread, and
/// strided copies use our memrefCopy instead of libmlir_c_runner_utils'.
void defineRuntimeFunctions(llvm::Module &module) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::Type *i64 = llvm::Type::getInt64Ty(ctx);
  llvm::Type *voidTy = llvm::Type::getVoidTy(ctx);
  auto define = [&](llvm::StringRef name) -> llvm::Function * {
    llvm::Function *f = module.getFunction(name);
    if (!f || !f->isDeclaration())
      return nullptr;
    f->setLinkage(llvm::GlobalValue::InternalLinkage);
    return f;
  };
  if (llvm::Function *f = define("mxjit_arena_acquire")) {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
    // aligned_alloc wants a multiple of the alignment.
    llvm::Value *bytes = b.CreateAnd(b.CreateAdd(f->getArg(0), b.getInt64(63)),
                                     b.getInt64(~int64_t(63)));
    llvm::FunctionCallee alloc = module.getOrInsertFunction(
        "aligned_alloc", llvm::FunctionType::get(ptr, {i64, i64}, false));
    llvm::Value *block = b.CreateCall(alloc, {b.getInt64(64), bytes});
    llvm::BasicBlock *fail = llvm::BasicBlock::Create(ctx, "fail", f);
    llvm::BasicBlock *ok = llvm::BasicBlock::Create(ctx, "ok", f);
    b.CreateCondBr(b.CreateIsNull(block), fail, ok);
    // Generated code cannot handle a failed allocation, as in the JIT.
    b.SetInsertPoint(fail);
    b.CreateCall(module.getOrInsertFunction(
        "abort", llvm::FunctionType::get(voidTy, false)));
    b.CreateUnreachable();
    b.SetInsertPoint(ok);
    b.CreateRet(block);
  }
  if (llvm::Function *f = define("mxjit_arena_release")) {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
    b.CreateCall(module.getOrInsertFunction(
                     "free", llvm::FunctionType::get(voidTy, {ptr}, false)),
                 {f->getArg(0)});
    b.CreateRetVoid();
  }
  defineMemrefCopy(module);
  if (llvm::Function *f = define("mxjit_parallel_for")) {
    // body(ctx, 0, count): the whole range on this thread.
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "entry", f));
    auto *bodyType = llvm::FunctionType::get(voidTy, {ptr, i64, i64}, false);
    b.CreateCall(bodyType, f->getArg(0),
                 {f->getArg(1), b.getInt64(0), f->getArg(2)});
    b.CreateRetVoid();
  }
}

/// Starts the body of a C entry point `fn` returning int: 1 when any
/// pointer argument is null (the caller's mistake the function can
/// report), else `b` continues in the block that does the work.
void beginNullChecked(llvm::IRBuilder<> &b, llvm::Function *fn) {
  llvm::LLVMContext &ctx = fn->getContext();
  b.SetInsertPoint(llvm::BasicBlock::Create(ctx, "entry", fn));
  llvm::Value *anyNull = b.getFalse();
  for (llvm::Argument &arg : fn->args())
    if (arg.getType()->isPointerTy())
      anyNull = b.CreateOr(anyNull, b.CreateIsNull(&arg));
  llvm::BasicBlock *fail = llvm::BasicBlock::Create(ctx, "null", fn);
  llvm::BasicBlock *run = llvm::BasicBlock::Create(ctx, "run", fn);
  b.CreateCondBr(anyNull, fail, run);
  b.SetInsertPoint(fail);
  b.CreateRet(b.getInt32(1));
  b.SetInsertPoint(run);
}

/// `bytes` as a private 64-byte aligned constant array of `a`'s elements.
llvm::GlobalVariable *weightConstant(llvm::Module &module, const Argument &a,
                                     llvm::StringRef bytes,
                                     llvm::StringRef prefix) {
  llvm::Type *element = elementType(module.getContext(), a.spec.dtype);
  uint64_t count = a.spec.numElements();
  auto *init = llvm::ConstantDataArray::getRaw(bytes, count, element);
  auto *weight = new llvm::GlobalVariable(
      module, init->getType(), /*isConstant=*/true,
      llvm::GlobalValue::InternalLinkage, init, prefix + identifier(a.name));
  weight->setAlignment(llvm::Align(kWeightAlignment));
  return weight;
}

/// The C parameter of an Adam step count: `int64_t t`, by value.
bool byValue(const Argument &a) { return a.stepCount; }

/// Adam's bias-corrected rate for step `t` (an i64), as optimizer::Adam
/// computes it in double: lr * sqrt(1 - beta2^t) / (1 - beta1^t), then
/// rounded to float32 like the rate scalar the JIT passes.
llvm::Value *adamRate(llvm::IRBuilder<> &b, const Argument &a, llvm::Value *t) {
  llvm::Type *f64 = b.getDoubleTy();
  llvm::Value *tf = b.CreateSIToFP(t, f64);
  auto pow = [&](double base) {
    return b.CreateBinaryIntrinsic(llvm::Intrinsic::pow,
                                   llvm::ConstantFP::get(f64, base), tf);
  };
  llvm::Value *one = llvm::ConstantFP::get(f64, 1.0);
  llvm::Value *root = b.CreateUnaryIntrinsic(
      llvm::Intrinsic::sqrt, b.CreateFSub(one, pow(a.adamRate[2])));
  llvm::Value *rate = b.CreateFDiv(
      b.CreateFMul(llvm::ConstantFP::get(f64, a.adamRate[0]), root),
      b.CreateFSub(one, pow(a.adamRate[1])));
  return b.CreateFPTrunc(rate, b.getFloatTy());
}

/// `<name>_init_params(weights...)`: copies the --params values into the
/// caller's weight buffers (--train).
void addInitParams(llvm::Module &module, const AotModel &model,
                   const std::string &name) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  std::vector<const Argument *> initialized;
  for (const Argument &a : model.arguments)
    if (!a.initial.empty())
      initialized.push_back(&a);
  if (initialized.empty())
    return;
  auto *fn = llvm::Function::Create(
      llvm::FunctionType::get(
          llvm::Type::getInt32Ty(ctx),
          llvm::SmallVector<llvm::Type *>(initialized.size(), ptr), false),
      llvm::GlobalValue::ExternalLinkage, identifier(name) + "_init_params",
      module);
  llvm::IRBuilder<> b(ctx);
  beginNullChecked(b, fn);
  for (auto [i, a] : llvm::enumerate(initialized))
    b.CreateMemCpy(fn->getArg(i), llvm::MaybeAlign(),
                   weightConstant(module, *a, a->initial, "__mxjit_init_"),
                   llvm::Align(kWeightAlignment), a->initial.size());
  b.CreateRet(b.getInt32(0));
}

} // namespace

std::string mxjit::aot::inferSymbol(const std::string &name) {
  return identifier(name) + "_infer";
}

std::string mxjit::aot::entrySymbol(const AotModel &model,
                                    const std::string &name) {
  return model.train ? identifier(name) + "_train_step" : inferSymbol(name);
}

void mxjit::aot::addCApi(llvm::Module &module, const AotModel &model,
                         const std::string &name) {
  llvm::LLVMContext &ctx = module.getContext();
  llvm::Function *callee = module.getFunction(model.entry);
  if (!callee || callee->isDeclaration())
    throw Error("@" + model.entry + " is missing from the LLVM IR");
  if (callee->arg_size() != model.arguments.size() + model.outputs.size())
    throw Error("@" + model.entry +
                " has results beyond the graph's outputs "
                "(e.g. updated auxiliary states), which mxjit-compile does "
                "not support yet");
  std::string apiName = entrySymbol(model, name);
  if (module.getNamedValue(apiName))
    throw Error("--name: '" + apiName + "' clashes with a generated symbol");

  // Everything the pipeline generated is private to the object.
  for (llvm::Function &f : module)
    if (!f.isDeclaration())
      f.setLinkage(llvm::GlobalValue::InternalLinkage);
  for (llvm::GlobalVariable &g : module.globals())
    if (!g.isDeclaration())
      g.setLinkage(llvm::GlobalValue::InternalLinkage);
  defineRuntimeFunctions(module);

  llvm::Type *ptr = llvm::PointerType::getUnqual(ctx);
  llvm::SmallVector<llvm::Type *> paramTypes;
  for (const Argument &a : model.arguments)
    if (a.isParameter())
      paramTypes.push_back(byValue(a) ? llvm::Type::getInt64Ty(ctx) : ptr);
  for (const Output &o : model.outputs)
    if (!o.inPlaceOf)
      paramTypes.push_back(ptr);
  auto *api = llvm::Function::Create(
      llvm::FunctionType::get(llvm::Type::getInt32Ty(ctx), paramTypes, false),
      llvm::GlobalValue::ExternalLinkage, apiName, module);
  llvm::IRBuilder<> b(ctx);
  beginNullChecked(b, api);
  llvm::SmallVector<llvm::Value *> values;
  unsigned next = 0;
  for (const Argument &a : model.arguments) {
    if (!a.used) {
      // Never read: any pointer will do.
      values.push_back(
          llvm::ConstantPointerNull::get(llvm::PointerType::getUnqual(ctx)));
      continue;
    }
    if (byValue(a)) {
      llvm::Value *slot = b.CreateAlloca(b.getFloatTy());
      b.CreateStore(adamRate(b, a, api->getArg(next++)), slot);
      values.push_back(slot);
      continue;
    }
    if (a.embedded.empty()) {
      values.push_back(api->getArg(next++));
      continue;
    }
    values.push_back(weightConstant(module, a, a.embedded, "__mxjit_weight_"));
  }
  // An updated weight or state is its own out-parameter (`mx.donate`).
  for (const Output &o : model.outputs)
    values.push_back(o.inPlaceOf ? values[*o.inPlaceOf] : api->getArg(next++));
  b.CreateCall(callee, values);
  b.CreateRet(b.getInt32(0));
  addInitParams(module, model, name);
}

std::string mxjit::aot::cHeader(const AotModel &model,
                                const std::string &name) {
  std::string id = identifier(name);
  std::string upper = llvm::StringRef(id).upper();
  std::string guard = upper + "_H";
  std::string out;
  out += "/* Generated by mxjit-compile: the C API of model '" + name +
         "'. Link the object with `cc ... -lm`; it needs only libc and "
         "libm. */\n";
  out += "#ifndef " + guard + "\n#define " + guard + "\n\n";
  out += "#include <stdint.h>\n\n";
  out += "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";

  std::string params, docs, defines, initParams, initDocs;
  auto macroOf = [&](const std::string &bufName) {
    return upper + "_" + llvm::StringRef(identifier(bufName)).upper();
  };
  auto add = [&](const std::string &role, const std::string &bufName,
                 const TensorSpec &spec, bool isConst,
                 llvm::StringRef note = "") {
    std::string macro = macroOf(bufName);
    defines += "#define " + macro + "_SIZE " +
               std::to_string(spec.numElements()) + "\n";
    docs += " *   " + identifier(bufName) + ": " + role + " '" + bufName +
            "', " + spec.str() + ", " + macro + "_SIZE elements" + note.str() +
            "\n";
    params += std::string(params.empty() ? "" : ", ") +
              (isConst ? "const " : "") + cType(spec.dtype) + " *" +
              identifier(bufName);
  };
  for (const Argument &a : model.arguments) {
    if (!a.isParameter())
      continue;
    if (byValue(a)) {
      docs += " *   " + identifier(a.name) +
              ": the step number, 1 for the first step (Adam's bias "
              "correction)\n";
      params += std::string(params.empty() ? "" : ", ") + "int64_t " +
                identifier(a.name);
      continue;
    }
    add(a.role, a.name, a.spec, !a.updated,
        a.updated ? ", updated in place" : "");
    if (!a.initial.empty()) {
      initDocs += " *   " + identifier(a.name) + ": " + macroOf(a.name) +
                  "_SIZE elements\n";
      initParams += std::string(initParams.empty() ? "" : ", ") +
                    cType(a.spec.dtype) + " *" + identifier(a.name);
    }
  }
  for (const Output &o : model.outputs)
    if (!o.inPlaceOf)
      add("output", o.name, o.spec, false);

  out += "/* Element counts of each buffer. */\n" + defines + "\n";
  if (model.train) {
    out += "/* Runs one training step: forward, backward and the optimizer\n"
           " * update, written in place into the weight and optimizer-state\n"
           " * buffers (zero the optimizer states before the first step).\n"
           " * Buffers are dense, row-major, caller-allocated and distinct;\n"
           " * outputs are the model's outputs before the update:\n" +
           docs +
           " * Returns 0 on success, 1 when a pointer is null. Calls on\n"
           " * different buffers may run in parallel. */\n";
  } else {
    out += "/* Runs the model once (inference). Buffers are dense, row-major,\n"
           " * caller-allocated; outputs must not alias inputs:\n" +
           docs +
           " * Returns 0 on success, 1 when a pointer is null. Safe to call\n"
           " * from several threads at once. */\n";
  }
  out += "int " + entrySymbol(model, name) + "(" + params + ");\n\n";
  if (!initParams.empty())
    out += "/* Copies the initial weights (the --params file) into:\n" +
           initDocs + " * Returns 0, or 1 when a pointer is null. */\n" +
           "int " + identifier(name) + "_init_params(" + initParams + ");\n\n";
  out += "#ifdef __cplusplus\n}\n#endif\n\n#endif /* " + guard + " */\n";
  return out;
}
