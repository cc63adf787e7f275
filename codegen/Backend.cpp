#include "codegen/Backend.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/Path.h"
#include "llvm/Transforms/Utils/Cloning.h"

#include "codegen/ParallelCodegen.h"

#include "llvm/ADT/ScopeExit.h"

#include <algorithm>
#include <chrono>
#include <thread>

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
  Clock::time_point start = Clock::now();
  prepareModule(module, target);
  if (llvm::Error err = addModelGlue(module, model))
    return std::move(err);

  std::vector<std::string> objects;
  auto removeObjects = llvm::make_scope_exit([&] {
    for (const std::string &path : objects)
      llvm::sys::fs::remove(path);
  });
  unsigned threads = options.codegenThreads;
  if (threads == 0)
    threads = std::clamp(std::thread::hardware_concurrency(), 1u, 8u);
  // Kept objects and assembly listings are of the whole module.
  if (!options.assemblyPath.empty() || !options.objectPath.empty())
    threads = 1;
  llvm::Expected<std::vector<std::string>> emitted = emitObjectsInParallel(
      module, target, options.optimize, threads, "mnn-" + model.name);
  if (!emitted)
    return emitted.takeError();
  objects = std::move(*emitted);
  if (objects.empty()) { // not split: the whole module as one object
    if (llvm::Error err = optimizeModule(module, target, options.optimize))
      return std::move(err);
    if (!options.assemblyPath.empty()) {
      // Codegen mutates the IR, so the assembly comes from a copy.
      std::unique_ptr<llvm::Module> copy = llvm::CloneModule(module);
      if (llvm::Error err = emitObjectFile(*copy, target, options.assemblyPath,
                                           EmitKind::Assembly))
        return std::move(err);
    }
    llvm::Expected<std::string> objectPath =
        createTemporaryObjectFile("mnn-" + model.name);
    if (!objectPath)
      return objectPath.takeError();
    objects.push_back(*objectPath);
    if (llvm::Error err = emitObjectFile(module, target, *objectPath))
      return std::move(err);
    if (!options.objectPath.empty())
      if (std::error_code ec =
              llvm::sys::fs::copy_file(*objectPath, options.objectPath))
        return llvm::createStringError(ec, "cannot write '" +
                                               options.objectPath +
                                               "': " + ec.message());
  }
  double llvmMs = msSince(start);
  start = Clock::now();

  BackendResult result;
  result.llvmMs = llvmMs;
  result.codegenParts = static_cast<unsigned>(objects.size());
  result.codegenThreads = objects.size() > 1 ? threads : 1;
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
  link.objectPaths = objects;
  link.runtimeArchive = options.runtimeArchive;
  link.outputPath = *tempLibrary;
  link.soname = "lib" + model.name + ".so";
  link.exportedSymbols = exportedSymbols(model.name);
  link.linkerPath = options.linkerPath;
  link.systemLibDir = options.systemLibDir;
  link.stripAll = !options.keepSymbols;
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
