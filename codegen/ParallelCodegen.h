//===- ParallelCodegen.h - optimize and emit a module on several threads -*- C++ -*-===//
//
// LLVM's optimization pipeline and instruction selection are single-threaded
// and take most of a model's compile time. The model's functions (one per
// fused op plus the outlined parallel bodies) hardly call each other, so the
// module splits into parts with little loss: each part is optimized and
// emitted on its own thread, in its own LLVMContext and TargetMachine, into
// its own object file; the linker joins them.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_CODEGEN_PARALLELCODEGEN_H
#define MNN_CODEGEN_PARALLELCODEGEN_H

#include "codegen/ObjectEmitter.h"

#include "llvm/Support/Error.h"

#include <string>
#include <vector>

namespace llvm {
class Module;
} // namespace llvm

namespace mnn::codegen {

class TargetInfo;

/// Optimizes and emits `module` (prepared for `target`, glue added) on
/// `threads` threads as several object files (up to four parts per thread,
/// for balance); returns their paths (temporary files the caller removes).
/// With one thread, or too few functions to split, it returns no paths and
/// leaves the module untouched (the caller emits it whole); otherwise the
/// module is consumed.
llvm::Expected<std::vector<std::string>>
emitObjectsInParallel(llvm::Module &module, const TargetInfo &target,
                      const OptimizeOptions &options, unsigned threads,
                      llvm::StringRef tempPrefix);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_PARALLELCODEGEN_H
