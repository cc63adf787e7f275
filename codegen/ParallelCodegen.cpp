#include "codegen/ParallelCodegen.h"

#include "codegen/TargetInfo.h"

#include "llvm/Bitcode/BitcodeReader.h"
#include "llvm/Bitcode/BitcodeWriter.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Transforms/Utils/SplitModule.h"

#include <algorithm>
#include <atomic>
#include <thread>

namespace mnn::codegen {

namespace {

/// Optimizes and emits one part, given as bitcode, in a context of its own.
llvm::Error emitPart(llvm::StringRef bitcode, const TargetInfo &target,
                     const OptimizeOptions &options, llvm::StringRef path) {
  llvm::LLVMContext context;
  llvm::Expected<std::unique_ptr<llvm::Module>> part = llvm::parseBitcodeFile(
      llvm::MemoryBufferRef(bitcode, "part"), context);
  if (!part)
    return part.takeError();
  std::unique_ptr<llvm::TargetMachine> machine = target.createTargetMachine();
  if (!machine)
    return llvm::createStringError("cannot create a TargetMachine for " +
                                   target.triple().str());
  if (llvm::Error err = optimizeModule(**part, target, options, machine.get()))
    return err;
  return emitObjectFile(**part, target, path, EmitKind::Object, machine.get());
}

} // namespace

llvm::Expected<std::vector<std::string>>
emitObjectsInParallel(llvm::Module &module, const TargetInfo &target,
                      const OptimizeOptions &options, unsigned threads,
                      llvm::StringRef tempPrefix) {
  std::vector<std::string> paths;
  auto removeAll = [&] {
    for (const std::string &p : paths)
      llvm::sys::fs::remove(p);
  };
  unsigned definitions = 0;
  for (const llvm::Function &fn : module)
    definitions += !fn.isDeclaration();
  if (threads <= 1 || definitions < 4)
    return paths; // not worth splitting; the module is untouched

  // Split by function, largest first round-robin; internal symbols used
  // across parts become hidden globals. Function size is a poor predictor of
  // LLVM's time (unrolling, SLP), so the module is cut into several parts
  // per thread and the threads take parts from a queue until none are left.
  // Each part travels to its thread as bitcode (a context belongs to one
  // thread).
  unsigned numParts = std::min(4 * threads, definitions / 2);
  std::vector<llvm::SmallVector<char, 0>> bitcode;
  llvm::SplitModule(
      module, numParts,
      [&](std::unique_ptr<llvm::Module> part) {
        llvm::SmallVector<char, 0> buffer;
        llvm::raw_svector_ostream os(buffer);
        llvm::WriteBitcodeToFile(*part, os);
        bitcode.push_back(std::move(buffer));
      },
      /*PreserveLocals=*/false, /*RoundRobin=*/true);

  for (size_t i = 0; i < bitcode.size(); ++i) {
    llvm::Expected<std::string> path = createTemporaryObjectFile(tempPrefix);
    if (!path) {
      removeAll();
      return path.takeError();
    }
    paths.push_back(*path);
  }
  std::vector<llvm::Error> errors;
  for (size_t i = 0; i < bitcode.size(); ++i)
    errors.push_back(llvm::Error::success());
  std::atomic<size_t> next{0};
  std::vector<std::thread> workers;
  for (unsigned t = 0; t < std::min<size_t>(threads, bitcode.size()); ++t)
    workers.emplace_back([&] {
      for (size_t i = next++; i < bitcode.size(); i = next++)
        errors[i] = emitPart(llvm::StringRef(bitcode[i].data(), bitcode[i].size()),
                             target, options, paths[i]);
    });
  for (std::thread &t : workers)
    t.join();
  llvm::Error all = llvm::Error::success();
  for (llvm::Error &err : errors)
    all = llvm::joinErrors(std::move(all), std::move(err));
  if (all) {
    removeAll();
    return std::move(all);
  }
  return paths;
}

} // namespace mnn::codegen
