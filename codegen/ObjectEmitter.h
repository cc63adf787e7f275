// ObjectEmitter: LLVM optimization and in-process code emission.
#ifndef MNN_CODEGEN_OBJECTEMITTER_H
#define MNN_CODEGEN_OBJECTEMITTER_H

#include "llvm/ADT/StringRef.h"
#include "llvm/Support/Error.h"

namespace llvm {
class Module;
class TargetMachine;
} // namespace llvm

namespace mnn::codegen {

class TargetInfo;

enum class OptLevel { O0, O1, O2, O3 };

/// Parses "0".."3" / "O0".."O3"; error otherwise.
llvm::Expected<OptLevel> parseOptLevel(llvm::StringRef text);

struct OptimizeOptions {
  /// LLVM's module pipeline (PassBuilder). O2 is the default: the MLIR side
  /// already tiled and vectorized, and -O3 tends to unroll register-tiled
  /// loops again (see docs/toolchain-notes).
  OptLevel level = OptLevel::O2;
  /// PipelineTuningOptions knobs; turn unrolling off if it fights the
  /// register tiling chosen upstream.
  bool loopUnrolling = true;
  bool loopVectorization = true;
  bool slpVectorization = true;
  /// Run the IR verifier before optimizing (cheap; catches bad lowering
  /// with a readable message instead of a crash in codegen).
  bool verify = true;
};

enum class EmitKind { Object, Assembly };

/// A new empty temporary file "<prefix>-XXXXXX.o" for an object; the caller
/// removes it.
llvm::Expected<std::string> createTemporaryObjectFile(llvm::StringRef prefix);

/// Sets the target triple and data layout on the module and tags every
/// function definition with the resolved "target-cpu"/"target-features"
/// (so that --emit=llvm output replays with plain llc). Call before
/// addModelGlue.
void prepareModule(llvm::Module &module, const TargetInfo &target);

/// Runs the LLVM optimization pipeline on the module. `machine` replaces
/// the target's own TargetMachine (code generation threads each have one).
llvm::Error optimizeModule(llvm::Module &module, const TargetInfo &target,
                           const OptimizeOptions &options = {},
                           llvm::TargetMachine *machine = nullptr);

/// Emits an ELF object (or assembly) for the module to `path` with the
/// target's TargetMachine (or `machine`). The module must have been prepared
/// for `target`.
llvm::Error emitObjectFile(llvm::Module &module, const TargetInfo &target,
                           llvm::StringRef path,
                           EmitKind kind = EmitKind::Object,
                           llvm::TargetMachine *machine = nullptr);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_OBJECTEMITTER_H
