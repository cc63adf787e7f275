#include "codegen/ObjectEmitter.h"

#include "codegen/RegisterTiledLoops.h"
#include "codegen/TargetInfo.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Analysis/CGSCCPassManager.h"
#include "llvm/Analysis/LoopAnalysisManager.h"
#include "llvm/IR/LegacyPassManager.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/PassManager.h"
#include "llvm/IR/Verifier.h"
#include "llvm/Passes/PassBuilder.h"
#include "llvm/Passes/StandardInstrumentations.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/raw_ostream.h"
#include "llvm/Target/TargetMachine.h"

namespace mnn::codegen {

llvm::Expected<OptLevel> parseOptLevel(llvm::StringRef text) {
  llvm::StringRef digits = text;
  digits.consume_front("O");
  if (digits == "0")
    return OptLevel::O0;
  if (digits == "1")
    return OptLevel::O1;
  if (digits == "2")
    return OptLevel::O2;
  if (digits == "3")
    return OptLevel::O3;
  return llvm::createStringError("unknown optimization level '" + text +
                                 "' (use O0, O1, O2 or O3)");
}

llvm::Expected<std::string> createTemporaryObjectFile(llvm::StringRef prefix) {
  llvm::SmallString<128> path;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(prefix, "o", path))
    return llvm::createStringError(
        ec, "cannot create a temporary object file: " + ec.message());
  return std::string(path);
}

void prepareModule(llvm::Module &module, const TargetInfo &target) {
  module.setTargetTriple(target.triple().str());
  module.setDataLayout(target.dataLayout());
  for (llvm::Function &fn : module) {
    if (fn.isDeclaration())
      continue;
    if (!fn.hasFnAttribute("target-cpu"))
      fn.addFnAttr("target-cpu", target.cpu());
    if (!fn.hasFnAttribute("target-features") && !target.features().empty())
      fn.addFnAttr("target-features", target.features());
  }
}

static llvm::Error checkPrepared(const llvm::Module &module,
                                 const TargetInfo &target) {
  if (module.getTargetTriple() != target.triple().str() ||
      module.getDataLayout() != target.dataLayout())
    return llvm::createStringError(
        "module '" + module.getModuleIdentifier() +
        "' is not prepared for " + target.triple().str() +
        " (call prepareModule first)");
  return llvm::Error::success();
}

static llvm::Error verify(const llvm::Module &module) {
  std::string message;
  llvm::raw_string_ostream os(message);
  if (llvm::verifyModule(module, &os))
    return llvm::createStringError("invalid LLVM IR in module '" +
                                   module.getModuleIdentifier() +
                                   "':\n" + os.str());
  return llvm::Error::success();
}

llvm::Error optimizeModule(llvm::Module &module, const TargetInfo &target,
                           const OptimizeOptions &options,
                           llvm::TargetMachine *machine) {
  if (llvm::Error err = checkPrepared(module, target))
    return err;
  if (options.verify)
    if (llvm::Error err = verify(module))
      return err;

  if (options.loopUnrolling)
    keepRegisterTiledLoopsRolled(module, target.preferredVectorBits(),
                                 target.numVectorRegisters());

  llvm::PipelineTuningOptions tuning;
  tuning.LoopUnrolling = options.loopUnrolling;
  tuning.LoopInterleaving = options.loopUnrolling;
  tuning.LoopVectorization = options.loopVectorization;
  tuning.SLPVectorization = options.slpVectorization;

  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  // Standard instrumentation: LLVM's -time-passes, -print-after=... work.
  llvm::PassInstrumentationCallbacks instrumentation;
  llvm::StandardInstrumentations standard(module.getContext(),
                                          /*DebugLogging=*/false);
  standard.registerCallbacks(instrumentation, &mam);
  llvm::PassBuilder pb(machine ? machine : &target.targetMachine(), tuning,
                       std::nullopt,
                       &instrumentation);
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);

  llvm::ModulePassManager mpm;
  switch (options.level) {
  case OptLevel::O0:
    mpm = pb.buildO0DefaultPipeline(llvm::OptimizationLevel::O0);
    break;
  case OptLevel::O1:
    mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O1);
    break;
  case OptLevel::O2:
    mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2);
    break;
  case OptLevel::O3:
    mpm = pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O3);
    break;
  }
  mpm.run(module, mam);
  return llvm::Error::success();
}

llvm::Error emitObjectFile(llvm::Module &module, const TargetInfo &target,
                           llvm::StringRef path, EmitKind kind,
                           llvm::TargetMachine *machine) {
  if (llvm::Error err = checkPrepared(module, target))
    return err;

  std::error_code ec;
  llvm::raw_fd_ostream out(path, ec,
                           kind == EmitKind::Object ? llvm::sys::fs::OF_None
                                                    : llvm::sys::fs::OF_Text);
  if (ec)
    return llvm::createStringError(ec, "cannot open '" + path +
                                           "' for writing: " + ec.message());

  {
    // The pass manager owns streamers that write into `out` until it is
    // destroyed, so it must go before `out` is closed.
    llvm::legacy::PassManager pm;
    llvm::CodeGenFileType fileType = kind == EmitKind::Object
                                         ? llvm::CodeGenFileType::ObjectFile
                                         : llvm::CodeGenFileType::AssemblyFile;
    llvm::TargetMachine &tm = machine ? *machine : target.targetMachine();
    if (tm.addPassesToEmitFile(pm, out, nullptr, fileType))
      return llvm::createStringError("the " + target.triple().str() +
                                     " target cannot emit this file type");
    pm.run(module);
  }
  out.close();
  if (out.has_error()) {
    std::error_code writeError = out.error();
    out.clear_error();
    return llvm::createStringError(writeError, "cannot write '" + path +
                                                   "': " +
                                                   writeError.message());
  }
  return llvm::Error::success();
}

} // namespace mnn::codegen
