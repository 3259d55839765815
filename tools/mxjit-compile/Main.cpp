//===- Main.cpp - mxjit-compile, the ahead-of-time compiler ---------------===//
//
// Compiles an MXNet symbol JSON (with optional .params and input shapes) or
// an `.mlir` file in the mx dialect to an x86-64 object file and a C header,
// on the same pipeline as the JIT (see docs/aot.md).
//
//===----------------------------------------------------------------------===//

#include "AotModel.h"
#include "CApi.h"
#include "TrainStep.h"

#include "runtime/CodeGen.h"
#include "runtime/Context.h"
#include "runtime/Error.h"
#include "runtime/JitEngine.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

#include <cstdio>

using namespace mxjit;
using namespace mxjit::aot;
namespace cl = llvm::cl;

namespace {

cl::OptionCategory category("mxjit-compile options");

cl::opt<std::string> inputFile(cl::Positional, cl::Required,
                               cl::desc("<model-symbol.json | model.mlir>"),
                               cl::cat(category));
cl::opt<std::string> paramsFile("params",
                                cl::desc("MXNet .params file with the weights"),
                                cl::value_desc("file"), cl::cat(category));
cl::list<std::string> shapeArgs("shape",
                                cl::desc("Shape of an input: NAME=D0,D1,..."),
                                cl::value_desc("name=dims"), cl::cat(category));
cl::list<std::string> dtypeArgs("dtype",
                                cl::desc("Dtype of an input: NAME=float32 "
                                         "(float32, float64, int32, int64)"),
                                cl::value_desc("name=dtype"),
                                cl::cat(category));
cl::list<std::string> outputArgs("outputs", cl::CommaSeparated,
                                 cl::desc("Graph outputs to keep (internal "
                                          "outputs allowed)"),
                                 cl::value_desc("name,..."), cl::cat(category));
cl::opt<std::string> modelName("name",
                               cl::desc("C name prefix (default: from the "
                                        "input file name)"),
                               cl::cat(category));
cl::opt<std::string> weightsMode("weights", cl::init("embed"),
                                 cl::desc("embed: .params values as constants "
                                          "in the object; args: weights are "
                                          "arguments of the C function"),
                                 cl::cat(category));
cl::opt<std::string> emitKind("emit", cl::init("obj"),
                              cl::desc("Output: mlir (mx dialect), llvm (LLVM "
                                       "IR), asm or obj"),
                              cl::cat(category));
cl::opt<std::string> cpuName("cpu", cl::init("native"),
                             cl::desc("CPU to generate code for: native or an "
                                      "LLVM CPU name (e.g. x86-64-v3)"),
                             cl::cat(category));
cl::opt<std::string> targetName("target", cl::init("x86-64"),
                                cl::desc("Target: x86-64"), cl::cat(category));
cl::opt<std::string> gpuArch("gpu-arch",
                             cl::desc("GPU architecture (nvptx64 only)"),
                             cl::cat(category));
cl::opt<bool> trainMode("train",
                        cl::desc("Compile a training step: forward, backward "
                                 "and the optimizer update in place"),
                        cl::cat(category));
cl::opt<std::string> optimizerName("optimizer", cl::init("sgd"),
                                   cl::desc("--train: sgd or adam"),
                                   cl::cat(category));
cl::opt<double> learningRate("lr",
                             cl::desc("--train: learning rate (default: the "
                                      "optimizer's, 0.01 sgd, 0.001 adam)"),
                             cl::cat(category));
cl::opt<double> momentum("momentum", cl::init(0.0),
                         cl::desc("--train: sgd momentum"), cl::cat(category));
cl::opt<double> weightDecay("wd", cl::init(0.0),
                            cl::desc("--train: weight decay (not on biases)"),
                            cl::cat(category));
cl::opt<double> beta1("beta1", cl::init(0.9), cl::desc("--train: adam beta1"),
                      cl::cat(category));
cl::opt<double> beta2("beta2", cl::init(0.999), cl::desc("--train: adam beta2"),
                      cl::cat(category));
cl::opt<double> epsilon("epsilon", cl::init(1e-8),
                        cl::desc("--train: adam epsilon"), cl::cat(category));
cl::opt<double> rescaleGrad("rescale-grad",
                            cl::desc("--train: gradient scale (default: "
                                     "1/batch size)"),
                            cl::cat(category));
cl::opt<unsigned> jitSteps("steps", cl::init(1),
                           cl::desc("--jit-run with --train: training steps "
                                    "to run"),
                           cl::cat(category));
cl::opt<bool> fastMath("fast-math", cl::init(true),
                       cl::desc("Polynomial tanh/exp/log/erf as in the JIT "
                                "(docs/performance.md)"),
                       cl::cat(category));
cl::opt<std::string> outputFile("o", cl::init("-"),
                                cl::desc("Output file ('-': stdout)"),
                                cl::value_desc("file"), cl::cat(category));
cl::opt<std::string> headerFile("header", cl::desc("Write the C header here"),
                                cl::value_desc("file"), cl::cat(category));
cl::opt<bool> jitRun(
    "jit-run",
    cl::desc("Testing aid: instead of compiling, run the model once with "
             "the JIT on inputs filled by the documented pattern and print "
             "the outputs, one value per line"),
    cl::cat(category));

[[noreturn]] void fail(const std::string &message) {
  llvm::errs() << inputFile << ": error: " << message << "\n";
  std::exit(1);
}

/// NAME=VALUE of a --shape or --dtype.
std::pair<std::string, std::string> splitAssignment(llvm::StringRef flag,
                                                    llvm::StringRef arg) {
  auto [name, value] = arg.split('=');
  if (name.empty() || value.empty() || !arg.contains('='))
    fail("--" + flag.str() + ": expected NAME=VALUE, got '" + arg.str() + "'");
  return {name.str(), value.str()};
}

ModelRequest parseRequest() {
  ModelRequest request;
  request.input = inputFile;
  request.paramsFile = paramsFile;
  for (const std::string &arg : shapeArgs) {
    auto [name, dims] = splitAssignment("shape", arg);
    std::vector<int64_t> shape;
    llvm::SmallVector<llvm::StringRef> parts;
    llvm::StringRef(dims).split(parts, ',');
    for (llvm::StringRef part : parts) {
      int64_t d;
      if (part.trim().getAsInteger(10, d) || d <= 0)
        fail("--shape: '" + name +
             "': dimensions must be positive "
             "integers, got '" +
             dims + "'");
      shape.push_back(d);
    }
    request.shapes[name] = shape;
  }
  for (const std::string &arg : dtypeArgs) {
    auto [name, dtype] = splitAssignment("dtype", arg);
    std::optional<DType> parsed = parseDType(dtype);
    if (!parsed)
      fail("--dtype: '" + name + "': unknown dtype '" + dtype +
           "' (float32, float64, int32, int64)");
    request.dtypes[name] = *parsed;
  }
  request.outputs.assign(outputArgs.begin(), outputArgs.end());
  if (weightsMode != "embed" && weightsMode != "args")
    fail("--weights: expected embed or args, got '" + weightsMode + "'");
  request.embedWeights = weightsMode == "embed";
  if (trainMode) {
    // Trained weights change: the caller owns them.
    if (weightsMode.getNumOccurrences() && weightsMode == "embed")
      fail("--weights=embed: --train updates the weights in place, so they "
           "are arguments (--weights=args)");
    if (!outputArgs.empty())
      fail("--outputs: not available with --train (the step returns the "
           "symbol's outputs)");
    request.embedWeights = false;
    TrainRequest &t = request.train;
    t.enabled = true;
    t.optimizer = optimizerName;
    if (learningRate.getNumOccurrences())
      t.learningRate = learningRate;
    if (rescaleGrad.getNumOccurrences())
      t.rescaleGrad = rescaleGrad;
    t.momentum = momentum;
    t.wd = weightDecay;
    t.beta1 = beta1;
    t.beta2 = beta2;
    t.epsilon = epsilon;
  } else {
    for (cl::Option *o : std::initializer_list<cl::Option *>{
             &optimizerName, &learningRate, &momentum, &weightDecay, &beta1,
             &beta2, &epsilon, &rescaleGrad, &jitSteps})
      if (o->getNumOccurrences())
        fail("--" + o->ArgStr.str() + ": only meaningful with --train");
  }
  return request;
}

/// The default --name: the file name without "-symbol.json", ".json" or
/// ".mlir".
std::string defaultName() {
  llvm::StringRef stem = llvm::sys::path::filename(inputFile.getValue());
  for (llvm::StringRef suffix : {"-symbol.json", ".json", ".mlir"})
    if (stem.consume_back(suffix))
      break;
  return stem.str();
}

void writeOutput(const std::string &path, llvm::StringRef bytes, bool text) {
  std::error_code ec;
  llvm::ToolOutputFile out(
      path, ec, text ? llvm::sys::fs::OF_Text : llvm::sys::fs::OF_None);
  if (ec)
    fail("cannot open '" + path + "' for writing: " + ec.message());
  out.os() << bytes;
  out.keep();
}

int runJit(const AotModel &model) {
  std::shared_ptr<CompiledFunction> fn =
      mxjit::compile(*model.module, model.entry);
  std::vector<HostBuffer> buffers;
  std::vector<const void *> inputs;
  for (const Argument &a : model.arguments) {
    HostBuffer buffer = filledBuffer(a);
    inputs.push_back(buffer.data());
    buffers.push_back(std::move(buffer));
  }
  std::vector<HostBuffer> results;
  std::vector<void *> outputs;
  for (const TensorSpec &spec : fn->outputs()) {
    results.emplace_back(spec);
    outputs.push_back(results.back().data());
  }
  fn->call(inputs, outputs);
  std::string text;
  for (size_t o = 0; o < model.outputs.size(); ++o)
    text += formatValues(results[o]);
  writeOutput(outputFile, text, /*text=*/true);
  return 0;
}

int run() {
  if (targetName == "nvptx64")
    fail("--target=nvptx64: GPU code generation is not supported yet; "
         "only x86-64 is");
  if (targetName != "x86-64")
    fail("--target: unknown target '" + targetName + "' (x86-64)");
  if (!gpuArch.empty())
    fail("--gpu-arch: only meaningful with --target=nvptx64");
  if (emitKind != "mlir" && emitKind != "llvm" && emitKind != "asm" &&
      emitKind != "obj")
    fail("--emit: expected mlir, llvm, asm or obj, got '" + emitKind + "'");
  std::string name = modelName.empty() ? defaultName() : modelName.getValue();

  std::unique_ptr<mlir::MLIRContext> context = createContext();
  ModelRequest request = parseRequest();
  AotModel model = loadModel(*context, request);

  CompileOptions options;
  std::unique_ptr<llvm::TargetMachine> tm =
      createTargetMachine(cpuName, options.optLevel);
  options.cpu = tm->getTargetCPU().str();
  options.vectorWidth = vectorWidthFor(*tm);
  options.fastMath = fastMath;
  // No thread pool outside the JIT: loops run on the caller's thread.
  options.parallelize = false;
  mlir::OwningOpRef<mlir::ModuleOp> lowered(model.module->clone());
  lowerModule(*lowered, model.entry, options);
  markUnusedArguments(model, *lowered, request.embedWeights);
  if (jitRun && model.train) {
    writeOutput(outputFile, runJitTraining(model, request, jitSteps),
                /*text=*/true);
    return 0;
  }
  if (jitRun)
    return runJit(model);
  if (!headerFile.empty())
    writeOutput(headerFile, cHeader(model, name), /*text=*/true);
  if (emitKind == "mlir") {
    std::string text;
    llvm::raw_string_ostream os(text);
    model.module->print(os);
    writeOutput(outputFile, text, /*text=*/true);
    return 0;
  }

  llvm::LLVMContext llvmContext;
  std::unique_ptr<llvm::Module> module =
      translateToLLVMIR(*lowered, model.entry, llvmContext, *tm);
  module->setModuleIdentifier(name);
  module->setSourceFileName(name);
  addCApi(*module, model, name);
  optimizeLLVMModule(*module, *tm, options.optLevel);
  if (emitKind == "llvm") {
    std::string text;
    llvm::raw_string_ostream os(text);
    module->print(os, nullptr);
    writeOutput(outputFile, text, /*text=*/true);
    return 0;
  }
  bool isAsm = emitKind == "asm";
  llvm::SmallVector<char, 0> code =
      emitMachineCode(*module, *tm,
                      isAsm ? llvm::CodeGenFileType::AssemblyFile
                            : llvm::CodeGenFileType::ObjectFile);
  writeOutput(outputFile, llvm::StringRef(code.data(), code.size()), isAsm);
  return 0;
}

} // namespace

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  cl::HideUnrelatedOptions(category);
  cl::ParseCommandLineOptions(
      argc, argv,
      "mxjit-compile: ahead-of-time compiler for MXNet models (docs/aot.md)\n");
  try {
    return run();
  } catch (const Error &e) {
    fail(e.what());
  } catch (const std::exception &e) {
    fail(e.what());
  }
}
