//===- Pipeline.h - the stages of mnn-compile -------------------*- C++ -*-===//
#ifndef MNN_COMPILER_PIPELINE_H
#define MNN_COMPILER_PIPELINE_H

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringRef.h"

#include <optional>
#include <string>

namespace mnn {

/// Stages in order; --emit=<name> stops after one and prints the IR.
enum class Stage { Import, Graph, Bufferized, Tiled, Vectorized, LLVM };

std::optional<Stage> parseStage(llvm::StringRef name);
llvm::StringRef stageName(Stage stage);

struct PipelineOptions {
  int64_t vectorBits = 256;
  /// Lanes a lane-indexed FMA can pick its scalar from (0: none, x86).
  int64_t indexedFmaLanes = 0;
  /// Block within which a stride-2 even/odd pick permutes lanes (8: AVX2's
  /// vshufps; 0: none; see mnn-vectorize's even-odd-lane-block).
  int64_t evenOddLaneBlock = 0;
  /// Output channels per packed weight block and channel-lane conv tile
  /// (0: one register of f32, vectorBits / 32).
  int64_t convChannelBlock = 0;
  /// L1 data cache bytes the conv reduction blocks are sized for (0: no
  /// reduction blocking).
  int64_t l1CacheBytes = 32 * 1024;
  /// L2 cache bytes per core (conv loop order; 0: not considered).
  int64_t l2CacheBytes = 512 * 1024;
  /// Winograd 3x3 convs (mnn-pack-weights): "auto", "off", "f2" or "f4".
  std::string winograd = "auto";
  bool verbose = false; ///< print each stage's wall time to stderr
  bool profile = false; ///< emit per-op timing hooks (mnn-run --profile)
};

/// Runs the stages after Import up to and including `last`. Errors are
/// reported through the context's diagnostic handler.
mlir::LogicalResult runPipeline(mlir::ModuleOp module, Stage last,
                                const PipelineOptions &options);

} // namespace mnn

#endif // MNN_COMPILER_PIPELINE_H
