#include "codegen/Backend.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include <chrono>

namespace mnn::codegen {

llvm::Expected<BackendResult> buildModelLibrary(llvm::Module &module,
                                                const ModelInterface &model,
                                                const TargetInfo &target,
                                                const BackendOptions &options) {
  if (llvm::Error err = validateModelInterface(model))
    return std::move(err);
  if (model.arch != target.arch())
    return llvm::createStringError("model '" + model.name + "' is for " +
                                   model.arch + " but the target is " +
                                   target.arch());
  if (options.outputDir.empty())
    return llvm::createStringError("no output directory given");
  if (options.runtimeArchive.empty())
    return llvm::createStringError("no runtime archive given");

  using Clock = std::chrono::steady_clock;
  auto msSince = [](Clock::time_point start) {
    return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
  };
  double optimizeMs = 0, codegenMs = 0;
  Clock::time_point start = Clock::now();
  prepareModule(module, target);
  if (llvm::Error err = addModelGlue(module, model))
    return std::move(err);
  if (llvm::Error err = optimizeModule(module, target, options.optimize))
    return std::move(err);
  optimizeMs = msSince(start);
  start = Clock::now();

  if (!options.assemblyPath.empty()) {
    // Codegen mutates the IR, so the assembly comes from a copy.
    std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
    if (llvm::Error err = emitObjectFile(*copy, target, options.assemblyPath,
                                         EmitKind::Assembly))
      return std::move(err);
  }

  llvm::SmallString<128> objectPath;
  if (std::error_code ec = llvm::sys::fs::createTemporaryFile(
          "mnn-" + model.name, "o", objectPath))
    return llvm::createStringError(
        ec, "cannot create a temporary object file: " + ec.message());
  llvm::FileRemover removeObject(objectPath);
  if (llvm::Error err = emitObjectFile(module, target, objectPath))
    return std::move(err);
  codegenMs = msSince(start);
  start = Clock::now();
  if (!options.objectPath.empty())
    if (std::error_code ec =
            llvm::sys::fs::copy_file(objectPath, options.objectPath))
      return llvm::createStringError(ec, "cannot write '" +
                                             options.objectPath +
                                             "': " + ec.message());

  BackendResult result;
  result.optimizeMs = optimizeMs;
  result.codegenMs = codegenMs;
  llvm::SmallString<256> path(options.outputDir);
  llvm::sys::path::append(path, "lib" + model.name + ".so");
  result.libraryPath = std::string(path);
  if (options.writeHeader) {
    path = options.outputDir;
    llvm::sys::path::append(path, model.name + ".h");
    result.headerPath = std::string(path);
  }

  StagedOutputs staged;
  llvm::Expected<std::string> tempLibrary = staged.stage(result.libraryPath);
  if (!tempLibrary)
    return tempLibrary.takeError();

  LinkOptions link;
  link.arch = model.arch;
  link.objectPath = std::string(objectPath);
  link.runtimeArchive = options.runtimeArchive;
  link.outputPath = *tempLibrary;
  link.soname = "lib" + model.name + ".so";
  link.exportedSymbols = exportedSymbols(model.name);
  link.linkerPath = options.linkerPath;
  link.systemLibDir = options.systemLibDir;
  if (llvm::Error err = linkSharedLibrary(link))
    return std::move(err);

  if (options.writeHeader) {
    llvm::Expected<std::string> tempHeader = staged.stage(result.headerPath);
    if (!tempHeader)
      return tempHeader.takeError();
    if (llvm::Error err = writeModelHeader(model, *tempHeader))
      return std::move(err);
  }

  if (llvm::Error err = staged.commit())
    return std::move(err);
  result.linkMs = msSince(start);
  return result;
}

} // namespace mnn::codegen
