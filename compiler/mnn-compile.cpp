//===- mnn-compile.cpp - ONNX model to libNAME.so + NAME.h ------------------===//
//
//   mnn-compile model.onnx -o out/ [--target x86_64|aarch64] [--cpu NAME]
//               [--features +dotprod,...] [--name NAME]
//               [--input-shape input=1x3x224x224 ...] [--const-input sr=16000 ...]
//               [--emit=STAGE] [-v]
//
// Every failure prints one line `mnn-compile: error: ...` and exits 1; the
// output directory is only touched once everything has succeeded.
//
//===----------------------------------------------------------------------===//
#include "codegen/Backend.h"
#include "codegen/ParallelGlue.h"
#include "compiler/Pipeline.h"
#include "compiler/onnx/OnnxImporter.h"
#include "mnn/Passes.h"

#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/Target/LLVMIR/Dialect/Builtin/BuiltinToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Dialect/LLVMIR/LLVMToLLVMIRTranslation.h"
#include "mlir/Target/LLVMIR/Export.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace llvm;

namespace {

cl::OptionCategory category("mnn-compile options");

cl::opt<std::string> inputPath(cl::Positional, cl::desc("<model.onnx>"),
                               cl::cat(category));
cl::opt<std::string> outputDir("o", cl::desc("Output directory for libNAME.so and NAME.h"),
                               cl::value_desc("dir"), cl::cat(category));
cl::opt<std::string> targetArch("target", cl::desc("Target: x86_64 (default) or aarch64"),
                                cl::init("x86_64"), cl::cat(category));
cl::opt<std::string> targetCpu("cpu",
                               cl::desc("Target CPU (default x86-64-v3 = AVX2+FMA, or generic "
                                        "AArch64 NEON); e.g. skylake-avx512, cortex-a76, or native "
                                        "(this machine's CPU and features)"),
                               cl::cat(category));
cl::opt<std::string> targetFeatures("features",
                                    cl::desc("Extra target features, e.g. +dotprod,+fp16"),
                                    cl::cat(category));
cl::opt<std::string> modelName("name",
                               cl::desc("Model name: prefix of the C API and file names "
                                        "(default: the model file's stem)"),
                               cl::cat(category));
cl::list<std::string> inputShapes("input-shape",
                                  cl::desc("Fix an input's shape: NAME=1x3x224x224 (repeatable)"),
                                  cl::cat(category));
cl::list<std::string> constInputs("const-input",
                                  cl::desc("Bake an input into the model as a constant: "
                                           "NAME=16000 or NAME=1,2,3 (one value fills the "
                                           "whole tensor). It is no longer an input of the "
                                           "compiled model, and what depends on it (If "
                                           "conditions, shapes) folds at compile time. "
                                           "Repeatable"),
                                  cl::cat(category));
cl::opt<std::string> emitStage("emit",
                               cl::desc("Print the IR after a stage instead of building: "
                                        "import, graph, bufferized, tiled, vectorized, llvm"),
                               cl::cat(category));
cl::opt<bool> verbose("v", cl::desc("Print progress, stage timings and memory plan"),
                      cl::cat(category));
cl::opt<unsigned> codegenThreads(
    "j",
    cl::desc("Threads for LLVM optimization and code generation (default 0: "
             "one per core, at most 8); the module is split by function"),
    cl::init(0), cl::cat(category));
cl::opt<unsigned> l1CacheBytes(
    "l1-cache-bytes",
    cl::desc("L1 data cache per core that conv loops are blocked for "
             "(default: the target's, 32768; 0 turns the blocking off)"),
    cl::cat(category));
cl::opt<unsigned> l2CacheBytes(
    "l2-cache-bytes",
    cl::desc("L2 cache per core that conv loop orders assume (default: the "
             "target's, 524288; 0: not considered)"),
    cl::cat(category));
cl::opt<std::string> winograd(
    "winograd",
    cl::desc("Winograd F(4,3)/F(2,3) for 3x3 stride-1 convs: auto (default), off, "
             "f4 or f2 (force one tile size on every eligible conv)"),
    cl::init("auto"), cl::cat(category));
cl::opt<bool> profile("profile",
                      cl::desc("Time every fused op at run time (read it with "
                               "mnn-run --profile); adds a little overhead"),
                      cl::cat(category));
cl::opt<bool> keepSymbols("keep-symbols",
                          cl::desc("Keep the symbol table in the .so (function "
                                   "names for perf and debuggers; default: stripped)"),
                          cl::cat(category));

[[noreturn]] void fail(const Twine &message) {
  errs() << "mnn-compile: error: " << message << "\n";
  exit(1);
}

/// One line per diagnostic, naming the node when the location is a node name.
std::string formatDiagnostic(mlir::Diagnostic &diag) {
  std::string message = diag.str();
  std::string prefix;
  mlir::Location loc = diag.getLocation();
  if (auto name = dyn_cast<mlir::NameLoc>(loc)) {
    std::string node = name.getName().str();
    if (message.find(node) == std::string::npos)
      prefix = "node '" + node + "': ";
  }
  std::string line = prefix + message;
  for (char &c : line)
    if (c == '\n')
      c = ' ';
  return line;
}

std::string defaultName(StringRef path) {
  std::string stem = sys::path::stem(path).str();
  std::string name;
  for (char c : stem)
    name += isalnum((unsigned char)c) ? c : '_';
  if (name.empty() || !isalpha((unsigned char)name[0]))
    name = "model_" + name;
  return name;
}

mnn_dtype dtypeOf(mlir::Type type) {
  type = cast<mlir::ShapedType>(type).getElementType();
  if (type.isF32()) return MNN_DTYPE_F32;
  if (type.isF16()) return MNN_DTYPE_F16;
  if (type.isF64()) return MNN_DTYPE_F64;
  if (type.isInteger(1)) return MNN_DTYPE_BOOL;
  // isInteger(w) ignores signedness: test the unsigned types first.
  if (type.isUnsignedInteger(8)) return MNN_DTYPE_U8;
  if (type.isUnsignedInteger(16)) return MNN_DTYPE_U16;
  if (type.isUnsignedInteger(32)) return MNN_DTYPE_U32;
  if (type.isUnsignedInteger(64)) return MNN_DTYPE_U64;
  if (type.isInteger(8)) return MNN_DTYPE_I8;
  if (type.isInteger(16)) return MNN_DTYPE_I16;
  if (type.isInteger(32)) return MNN_DTYPE_I32;
  if (type.isInteger(64)) return MNN_DTYPE_I64;
  if (type.isBF16()) return MNN_DTYPE_BF16;
  if (type.isFloat8E4M3FN()) return MNN_DTYPE_F8E4M3FN;
  if (type.isFloat8E4M3FNUZ()) return MNN_DTYPE_F8E4M3FNUZ;
  if (type.isFloat8E5M2()) return MNN_DTYPE_F8E5M2;
  if (type.isFloat8E5M2FNUZ()) return MNN_DTYPE_F8E5M2FNUZ;
  if (type.isUnsignedInteger(4)) return MNN_DTYPE_U4;
  if (type.isUnsignedInteger(2)) return MNN_DTYPE_U2;
  if (type.isInteger(4)) return MNN_DTYPE_I4;
  if (type.isInteger(2)) return MNN_DTYPE_I2;
  return mnn_dtype(0); // no C API dtype
}

/// Inputs and outputs of the imported entry function, before lowering.
mnn::codegen::ModelInterface describe(mlir::ModuleOp module) {
  mnn::codegen::ModelInterface iface;
  for (auto f : module.getOps<mlir::func::FuncOp>()) {
    if (f.isExternal())
      continue;
    auto spec = [](mlir::Type t, mlir::StringAttr name, std::string fallback) {
      mnn::codegen::TensorSpec s;
      s.name = name ? name.str() : fallback;
      s.dtype = dtypeOf(t);
      if (s.dtype == mnn_dtype(0)) {
        std::string elt;
        llvm::raw_string_ostream(elt) << cast<mlir::ShapedType>(t).getElementType();
        fail("model " + Twine(fallback.rfind("input", 0) == 0 ? "input" : "output") +
             " '" + s.name + "' has element type " + elt +
             ", which the C API does not support (float32, float64, float16, "
             "bfloat16, float8 e4m3fn/e4m3fnuz/e5m2/e5m2fnuz, "
             "int2/4/8/16/32/64, uint2/4/8/16/32/64, bool)");
      }
      auto shape = cast<mlir::ShapedType>(t).getShape();
      s.shape.assign(shape.begin(), shape.end());
      return s;
    };
    for (unsigned i = 0; i < f.getNumArguments(); ++i)
      iface.inputs.push_back(spec(f.getArgumentTypes()[i],
                                  f.getArgAttrOfType<mlir::StringAttr>(i, "mnn.name"),
                                  "input_" + std::to_string(i)));
    for (unsigned i = 0; i < f.getNumResults(); ++i)
      iface.outputs.push_back(spec(f.getResultTypes()[i],
                                   f.getResultAttrOfType<mlir::StringAttr>(i, "mnn.name"),
                                   "output_" + std::to_string(i)));
  }
  return iface;
}

} // namespace

int main(int argc, char **argv) {
  cl::HideUnrelatedOptions(category);
  cl::SetVersionPrinter([](raw_ostream &os) { os << "mnn-compile 0.1.0 (LLVM/MLIR 19)\n"; });
  cl::ParseCommandLineOptions(
      argc, argv,
      "mnn-compile: compiles an ONNX model ahead of time into libNAME.so (weights "
      "inside) and the C header NAME.h\n");
  auto start = std::chrono::steady_clock::now();
  auto elapsed = [&] {
    return std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - start)
        .count();
  };

  if (inputPath.empty())
    fail("no input model given (usage: mnn-compile model.onnx -o out/)");
  std::optional<mnn::Stage> stopAfter;
  if (!emitStage.empty()) {
    stopAfter = mnn::parseStage(emitStage);
    if (!stopAfter)
      fail("unknown --emit stage '" + emitStage +
           "' (expected import, graph, bufferized, tiled, vectorized or llvm)");
  } else if (outputDir.empty()) {
    fail("no output directory given (-o DIR)");
  }
  if (targetArch != "x86_64" && targetArch != "aarch64")
    fail("unknown --target '" + targetArch + "' (expected x86_64 or aarch64)");
  std::string name = modelName.empty() ? defaultName(inputPath) : modelName.getValue();
  if (Error e = mnn::codegen::validateModelName(name))
    fail(toString(std::move(e)));

  mnn::ImportOptions importOptions;
  for (const std::string &spec : inputShapes) {
    std::string error;
    if (!mnn::parseInputShape(spec, importOptions, error))
      fail(error);
  }
  for (const std::string &spec : constInputs) {
    std::string error;
    if (!mnn::parseConstInput(spec, importOptions, error))
      fail(error);
  }

  // The target comes first: tiling depends on its vector width.
  mnn::codegen::initializeCodegenTargets();
  mnn::codegen::TargetSpec spec{targetArch, targetCpu, targetFeatures};
  Expected<mnn::codegen::TargetInfo> target = mnn::codegen::TargetInfo::create(spec);
  if (!target)
    fail(toString(target.takeError()));

  mlir::MLIRContext context;
  context.loadDialect<mnn::MNNDialect, mlir::func::FuncDialect>();
  mlir::DialectRegistry registry;
  mlir::registerBuiltinDialectTranslation(registry);
  mlir::registerLLVMDialectTranslation(registry);
  context.appendDialectRegistry(registry);
  std::string firstError;
  mlir::ScopedDiagnosticHandler handler(&context, [&](mlir::Diagnostic &diag) {
    if (diag.getSeverity() == mlir::DiagnosticSeverity::Error && firstError.empty())
      firstError = formatDiagnostic(diag);
    return mlir::success();
  });
  auto failWithDiagnostic = [&](const char *what) {
    fail(firstError.empty() ? std::string(what) : firstError);
  };

  mlir::OwningOpRef<mlir::ModuleOp> module =
      mnn::importOnnxFile(context, inputPath, importOptions);
  if (!module)
    failWithDiagnostic("import failed");
  if (verbose)
    errs() << format("mnn-compile: imported %s in %.1f ms\n", inputPath.c_str(), elapsed());

  mnn::codegen::ModelInterface iface = describe(*module);
  iface.name = name;
  iface.arch = targetArch;

  mnn::PipelineOptions pipeline;
  pipeline.vectorBits = target->preferredVectorBits();
  pipeline.indexedFmaLanes = target->indexedFMALanes();
  pipeline.evenOddLaneBlock = target->evenOddLaneBlock();
  pipeline.convChannelBlock = target->convChannelBlock();
  pipeline.l1CacheBytes = l1CacheBytes.getNumOccurrences()
                              ? static_cast<int64_t>(l1CacheBytes)
                              : target->l1DataCacheBytes();
  pipeline.l2CacheBytes = l2CacheBytes.getNumOccurrences()
                              ? static_cast<int64_t>(l2CacheBytes)
                              : target->l2CacheBytes();
  pipeline.verbose = verbose;
  pipeline.profile = profile;
  if (winograd != "auto" && winograd != "off" && winograd != "f2" && winograd != "f4")
    fail("--winograd must be auto, off, f2 or f4, not '" + winograd + "'");
  pipeline.winograd = winograd;
  if (stopAfter) {
    if (*stopAfter != mnn::Stage::Import &&
        failed(mnn::runPipeline(*module, *stopAfter, pipeline)))
      failWithDiagnostic("compilation failed");
    module->print(outs());
    return 0;
  }
  if (failed(mnn::runPipeline(*module, mnn::Stage::LLVM, pipeline)))
    failWithDiagnostic("compilation failed");

  if (auto main = module->lookupSymbol(mnn::kMainFunction)) {
    if (auto a = main->getAttrOfType<mlir::IntegerAttr>(mnn::kArenaBytesAttr))
      iface.arenaBytes = a.getInt();
    if (auto a = main->getAttrOfType<mlir::IntegerAttr>(mnn::kThreadScratchBytesAttr))
      iface.threadScratchBytes = a.getInt();
    if (verbose)
      if (auto u = main->getAttrOfType<mlir::IntegerAttr>(mnn::kUnplannedBytesAttr))
        errs() << format("mnn-compile: arena %llu bytes; without reuse %llu bytes (%.1f%%)\n",
                         (unsigned long long)iface.arenaBytes,
                         (unsigned long long)u.getInt(),
                         u.getInt() ? 100.0 * iface.arenaBytes / u.getInt() : 0.0);
    if (verbose && iface.threadScratchBytes)
      errs() << format("mnn-compile: scratch of each worker thread %llu bytes\n",
                       (unsigned long long)iface.threadScratchBytes);
  }

  if (auto ops = (*module)->getAttrOfType<mlir::ArrayAttr>("mnn.profile_ops"))
    for (mlir::Attribute a : ops)
      iface.opNames.push_back(cast<mlir::StringAttr>(a).str());

  LLVMContext llvmContext;
  std::unique_ptr<Module> llvmModule =
      mlir::translateModuleToLLVMIR(*module, llvmContext, name);
  if (!llvmModule)
    failWithDiagnostic("translation to LLVM IR failed");
  module = nullptr; // weights now live in the LLVM module
  if (Error e = mnn::codegen::addParallelGlue(*llvmModule))
    fail(toString(std::move(e)));

  Expected<std::string> runtime = mnn::codegen::findRuntimeArchive(targetArch, argv[0]);
  if (!runtime)
    fail(toString(runtime.takeError()));
  // A directory this run creates is removed again if the build fails.
  bool createdDir = !sys::fs::exists(outputDir);
  if (std::error_code ec = sys::fs::create_directories(outputDir))
    fail("cannot create output directory '" + outputDir + "': " + ec.message());
  mnn::codegen::BackendOptions backend;
  backend.outputDir = outputDir;
  backend.runtimeArchive = *runtime;
  backend.codegenThreads = codegenThreads;
  backend.keepSymbols = keepSymbols;
  Expected<mnn::codegen::BackendResult> result =
      mnn::codegen::buildModelLibrary(*llvmModule, iface, *target, backend);
  if (!result) {
    std::string message = toString(result.takeError());
    if (createdDir)
      sys::fs::remove_directories(outputDir);
    fail(message);
  }
  if (verbose) {
    errs() << format("mnn-compile: llvm optimization + code generation %.1f ms "
                     "(%u threads, %u parts), link %.1f ms\n",
                     result->llvmMs, result->codegenThreads, result->codegenParts,
                     result->linkMs);
    uint64_t size = 0;
    sys::fs::file_size(result->libraryPath, size);
    errs() << format("mnn-compile: wrote %s (%llu bytes) and %s in %.1f ms total\n",
                     result->libraryPath.c_str(), (unsigned long long)size,
                     result->headerPath.c_str(), elapsed());
  }
  return 0;
}
