//===- Pipeline.cpp - the stages of mnn-compile ---------------------------===//
//
// The whole compiler as a list of pass pipelines, one per stage:
//   graph       fold constants, fold batch_norm, fuse epilogues, pack weights
//               (and transform Winograd filters)
//   bufferized  plan the arena, lower to linalg on buffers
//   tiled       parallel + register tiles
//   vectorized  microkernels, thread-pool tasks
//   llvm        LLVM dialect
//
//===----------------------------------------------------------------------===//
#include "compiler/Pipeline.h"

#include "mnn/BufferInfo.h"
#include "mnn/Passes.h"

#include "mlir/Pass/PassManager.h"
#include "mlir/Transforms/Passes.h"
#include "llvm/Support/Format.h"
#include "llvm/Support/raw_ostream.h"

#include <chrono>

using namespace mlir;

namespace mnn {

static const char *const kStageNames[] = {"import", "graph", "bufferized",
                                          "tiled", "vectorized", "llvm"};

std::optional<Stage> parseStage(llvm::StringRef name) {
  for (int i = 0; i <= (int)Stage::LLVM; ++i)
    if (name == kStageNames[i])
      return static_cast<Stage>(i);
  return std::nullopt;
}

llvm::StringRef stageName(Stage stage) { return kStageNames[(int)stage]; }

/// The channel-lane conv tile reads one packed block of weights per step.
static int64_t channelBlock(const PipelineOptions &options) {
  return options.convChannelBlock > 0 ? options.convChannelBlock
                                      : options.vectorBits / 32;
}

static void addStage(OpPassManager &pm, Stage stage,
                     const PipelineOptions &options) {
  switch (stage) {
  case Stage::Import:
    break;
  case Stage::Graph: {
    pm.addNestedPass<func::FuncOp>(createWidenF16());
    pm.addNestedPass<func::FuncOp>(createFoldConstants());
    pm.addNestedPass<func::FuncOp>(createFoldBatchNorm());
    pm.addNestedPass<func::FuncOp>(createFoldConstants());
    pm.addNestedPass<func::FuncOp>(createFuseEpilogue());
    PackWeightsOptions pack;
    pack.block = channelBlock(options);
    pack.winograd = options.winograd;
    // The columns of mnn-tile's matrix-vector register tile.
    pack.panel = mnn::kMatrixVectorLaneMultiple * mnn::matmulLanes(options.vectorBits);
    pm.addNestedPass<func::FuncOp>(createPackWeights(pack));
    pm.addNestedPass<func::FuncOp>(createFoldChannelScale());
    pm.addNestedPass<func::FuncOp>(createFoldConstants());
    break;
  }
  case Stage::Bufferized: {
    pm.addNestedPass<func::FuncOp>(createPlanMemory());
    LowerToLinalgOptions lowering;
    lowering.profile = options.profile;
    pm.addPass(createLowerToLinalg(lowering));
    break;
  }
  case Stage::Tiled: {
    TileOptions tile;
    tile.vectorBits = options.vectorBits;
    tile.channelLanes = channelBlock(options);
    // Three quarters of L1: the accumulators' output lines and the stack
    // need the rest.
    tile.cacheBytes = options.l1CacheBytes * 3 / 4;
    // Likewise three quarters of L2 for an operand to stay there while
    // the other streams past.
    tile.l2Bytes = options.l2CacheBytes * 3 / 4;
    // With vectors narrower than 512 bits a step has half the FMAs to hide
    // the spread prefetch's index arithmetic (a division per step) behind:
    // on Zen 3 (AVX2) plain line prefetches won, mobilenet_v2 0.90x,
    // squeezenet1_1 0.94x, resnet18 0.96-0.99x (in process, alternating).
    tile.spreadPrefetch = options.vectorBits >= 512;
    pm.addNestedPass<func::FuncOp>(createTile(tile));
    break;
  }
  case Stage::Vectorized: {
    VectorizeOptions vectorize;
    vectorize.indexedLanes = options.indexedFmaLanes;
    vectorize.evenOddLaneBlock = options.evenOddLaneBlock;
    pm.addNestedPass<func::FuncOp>(createVectorize(vectorize));
    pm.addPass(createOutlineParallel());
    pm.addPass(createCanonicalizerPass());
    pm.addPass(createCSEPass());
    break;
  }
  case Stage::LLVM: {
    LowerToLLVMOptions llvm;
    llvm.vectorBits = options.vectorBits;
    pm.addPass(createLowerToLLVM(llvm));
    break;
  }
  }
}

LogicalResult runPipeline(ModuleOp module, Stage last,
                          const PipelineOptions &options) {
  for (int i = (int)Stage::Graph; i <= (int)last; ++i) {
    auto stage = static_cast<Stage>(i);
    PassManager pm(module.getContext());
    addStage(pm, stage, options);
    auto start = std::chrono::steady_clock::now();
    if (failed(pm.run(module)))
      return failure();
    if (options.verbose) {
      double ms = std::chrono::duration<double, std::milli>(
                      std::chrono::steady_clock::now() - start)
                      .count();
      llvm::errs() << llvm::format("mnn-compile: stage %-10s %8.1f ms\n",
                                   stageName(stage).str().c_str(), ms);
    }
  }
  return success();
}

} // namespace mnn
