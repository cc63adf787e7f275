// The LLVM back end of mnn-compile, in one include.
//
// Typical driver flow:
//   auto target = TargetInfo::create({arch, cpu, features});   // early: the
//   ... tile/vectorize with target->preferredVectorBits() ...  // MLIR passes
//   ... translate to llvm::Module with __mnn_main ...          // need it
//   auto runtime = findRuntimeArchive(arch, argv[0]);
//   auto result = buildModelLibrary(*module, interface, *target,
//                                   {outputDir, *runtime});
#ifndef MNN_CODEGEN_BACKEND_H
#define MNN_CODEGEN_BACKEND_H

#include "codegen/HeaderWriter.h"
#include "codegen/ModelGlue.h"
#include "codegen/ObjectEmitter.h"
#include "codegen/SharedLibraryLinker.h"
#include "codegen/StagedOutputs.h"
#include "codegen/TargetInfo.h"

#include <optional>
#include <string>

namespace mnn::codegen {

struct BackendOptions {
  std::string outputDir;      ///< receives libNAME.so and NAME.h
  std::string runtimeArchive; ///< libmnnrt.a for the target (required)
  OptimizeOptions optimize;
  std::string linkerPath;                  ///< see LinkOptions::linkerPath
  std::optional<std::string> systemLibDir; ///< see LinkOptions::systemLibDir
  std::string objectPath;   ///< if set, also keep the object file here
  std::string assemblyPath; ///< if set, also write the assembly here
  bool writeHeader = true;
  bool keepSymbols = false; ///< link without --strip-all (profiling, debugging)
  /// Threads (module parts) for LLVM optimization and code generation; 0:
  /// one per core, at most 8. A kept object or assembly listing needs 1.
  unsigned codegenThreads = 0;
};

struct BackendResult {
  std::string libraryPath; ///< <outputDir>/libNAME.so
  std::string headerPath;  ///< <outputDir>/NAME.h ("" if not written)
  /// Wall time of LLVM optimization + code generation and of linking +
  /// publishing, and the threads and module parts (objects) code generation
  /// used (mnn-compile -v).
  double llvmMs = 0, linkMs = 0;
  unsigned codegenThreads = 1, codegenParts = 1;
};

/// prepareModule + addModelGlue + optimizeModule + emitObjectFile +
/// linkSharedLibrary + writeModelHeader, publishing libNAME.so and NAME.h
/// together (StagedOutputs): on error neither file is created or replaced.
/// `module` is modified (glue, optimization, codegen).
llvm::Expected<BackendResult> buildModelLibrary(llvm::Module &module,
                                                const ModelInterface &model,
                                                const TargetInfo &target,
                                                const BackendOptions &options);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_BACKEND_H
