//===- Tile.cpp - two-level tiling of linalg ops ---------------------------===//
//
// Kernel ops (conv, depthwise conv, matmul; marked mnn.kernel by the
// lowering) get two levels:
//   1. parallel tiles: an scf.parallel whose iterations are independent chunks
//      of output (later outlined into thread-pool tasks);
//   (1b. channel-lane convs with long reductions: scf.for over blocks of
//       input channels sized to L1, see blockReduction;)
//   2. register tiles: scf.for loops down to an R x VW block of the output
//      (R rows of one output dim, VW lanes along the innermost output dim),
//      with the reduction dims left whole for the microkernel.
// The register tile is recorded on the tiled op (mnn.rows_dim, mnn.cols_dim)
// for mnn-vectorize. Other linalg ops big enough to be worth it only get the
// parallel level.
//
//===----------------------------------------------------------------------===//
#include "KernelEpilogue.h"
#include "mnn/BufferInfo.h"
#include "mnn/Passes.h"
#include "mnn/TopLevelOps.h"

#include "mlir/Dialect/Linalg/Transforms/Transforms.h"
#include "mlir/IR/PatternMatch.h"

namespace mnn {
#define GEN_PASS_DEF_TILE
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;
using llvm::SmallVector;

namespace {

/// Elements of output below which splitting across threads is not worth a
/// dispatch.
constexpr int64_t kMinParallelWork = 1 << 14;

/// Reduction length from which a channel-lane conv tile amortizes the
/// gather/scatter of its accumulators.
constexpr int64_t kLongReduction = 256;
/// Pixel-lane conv tiles over at least kPrefetchedReduction input channels
/// (x taps) of an input larger than half the L2 budget prefetch their
/// input, kInputPrefetchDistance elements ahead; from kStreamedReduction on
/// they also take 12 rows with 512-bit vectors (scheduleKernel).
constexpr int64_t kPrefetchedReduction = 32;
constexpr int64_t kStreamedReduction = 128;
constexpr int64_t kInputPrefetchDistance = 64;
/// Channel-lane tiles prefetch their input a line ahead (16 floats).
constexpr int64_t kChannelLaneInputPrefetch = 16;

int64_t largestDivisor(int64_t n, ArrayRef<int64_t> candidates) {
  for (int64_t c : candidates)
    if (n % c == 0)
      return c;
  return 1;
}

/// Loop dims of a conv kernel op, as LowerConvMatMul builds it:
/// n g ob oi oh ow | kh kw cg (output channel og = ob * blk + oi).
enum ConvDim { N, G, OB, OI, OH, OW, KH, KW, CG, NumConvDims };

struct KernelSchedule {
  SmallVector<int64_t> parallelTiles, registerTiles;
  /// Reduction blocks between the two levels (empty: none).
  SmallVector<int64_t> reductionTiles;
  unsigned rowsDim, colsDim;
  int64_t lanes; // vector lanes along colsDim
  /// Loop order of the parallel tiles (empty: the op's dim order).
  SmallVector<int64_t> interchange;
  /// Elements ahead along the lanes that each reduction step prefetches
  /// the lane operand (mnn.input_prefetch_distance; 0: none).
  int64_t inputPrefetch = 0;
};

/// True if the conv's input windows are contiguous along the output width
/// (stride 1), i.e. the last dim of its window view has unit stride.
bool unitStrideAlongOW(linalg::GenericOp op) {
  auto type = cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  return succeeded(getStridesAndOffset(type, strides, offset)) &&
         strides.back() == 1;
}

/// Reduction blocking of a channel-lane conv. Without it each register tile
/// streams the whole reduction (every input channel's rows and all packed
/// weights of its channel block) from L2 once per output row, which bounds
/// long reductions (the 3x3 convs of 14x14 and 7x7 maps) by L2 bandwidth.
/// Instead a parallel tile spans several output rows and walks the input
/// channels in blocks whose input rows and weights fit in `cacheBytes` of
/// L1: each weight is then reused across the rows, each input row across
/// the taps that read it. Blocks stay long enough (>= kMinBlockSteps) that
/// re-gathering the accumulators per block is cheap.
void blockReduction(linalg::GenericOp op, ArrayRef<int64_t> ranges,
                    KernelSchedule &s, int64_t lanes, int64_t cacheBytes) {
  constexpr int64_t kMinBlockSteps = 256;
  if (cacheBytes <= 0 || ranges.size() != NumConvDims)
    return;
  // Not a 1x1 conv over pixel panels (LowerPackedInputConv): its tile
  // reads a panel and a weight block straight through, and splitting the
  // reduction costs a transposed store and reload of the accumulators per
  // block plus the epilogue's own passes. Zen 3 (AVX2), 1 thread:
  // SqueezeNet's 512 -> 992 classifier on 13x13 0.89x the time in the
  // network, the network 0.96x; mobilenet_v2 (its 14x14 and 7x7 1x1
  // convs) 1.00x.
  if (op->hasAttr("mnn.whole_rows") && ranges[KH] * ranges[KW] == 1)
    return;
  auto type = cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  SmallVector<int64_t> strides; // window view: n g cg kh kw oh ow
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)) || strides.size() != 7)
    return;
  int64_t rowWidth = (ranges[OW] - 1) * strides[6] + (ranges[KW] - 1) * strides[4] + 1;
  int64_t weightBytes = ranges[KH] * ranges[KW] * lanes * 4;
  int64_t taps = ranges[KH] * ranges[KW];
  for (int64_t ohTile = std::min<int64_t>(ranges[OH], 8); ohTile >= 1; --ohTile) {
    if (ranges[OH] % ohTile)
      continue;
    // Input bytes per channel of the block: the rows' span in the channel's
    // plane, or ohTile separate rows when the channels are interleaved
    // (an input packed in pixel panels, BufferInfo.h's packedInputRows).
    int64_t inputBytes =
        strides[5] > strides[2]
            ? ohTile * rowWidth * 4
            : ((ohTile - 1) * strides[5] + (ranges[KH] - 1) * strides[3] + rowWidth) * 4;
    int64_t block = 0;
    for (int64_t kc = ranges[CG]; kc >= 1; --kc)
      if (ranges[CG] % kc == 0 && kc * (inputBytes + weightBytes) <= cacheBytes) {
        block = kc;
        break;
      }
    if (block == 0 || (block < ranges[CG] && block * taps < kMinBlockSteps))
      continue;
    s.parallelTiles[OH] = ohTile;
    if (block < ranges[CG]) {
      s.reductionTiles.assign(ranges.size(), 0);
      s.reductionTiles[CG] = block;
    }
    return;
  }
}

/// Bytes spanned by a (strided) memref.
int64_t spannedBytes(Value memref) {
  auto type = cast<MemRefType>(memref.getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (failed(getStridesAndOffset(type, strides, offset)) ||
      !type.hasStaticShape() || llvm::any_of(strides, ShapedType::isDynamic))
    return -1;
  int64_t span = 1;
  for (auto [size, stride] : llvm::zip(type.getShape(), strides))
    span += (size - 1) * stride;
  return span * type.getElementTypeBitWidth() / 8;
}

/// Loop order of a conv's parallel tiles. Output-channel blocks outermost
/// (the dim order) keep one block's weights in cache while the whole input
/// streams past once per block; output rows outermost keep a row tile's
/// inputs in cache while all weights stream past once per row tile. Takes
/// the order that moves fewer bytes: rows outermost for 1x1 convs on large
/// maps (few weights, a large input re-read by every channel block),
/// channels outermost for deep layers with large weights. An input that
/// fits in `l2Bytes` while the weights do not is re-read from L2, cheaply
/// next to weights re-streamed from L3 or memory: channels outermost
/// (squeezenet's 512 -> 1000 classifier on 13x13: a 346 KB input against
/// 2 MB of weights, 0.95-0.985x). So does an input that fits in `l2Bytes`
/// under a larger output (expansion convs): re-reading it from L2 per
/// channel block costs little, while rows outermost writes every output
/// channel's plane per row tile, as many store streams as channels
/// (mobilenet_v2's 16 -> 96 conv on 112x112 with a 2 MB L2: 0.87x). Not
/// where the input is the larger: each thread of a channel-outermost split
/// reads all of it (mobilenet_v2's 96 -> 24 conv on 56x56 took 1.3x as
/// long at two threads as at one).
void chooseConvLoopOrder(linalg::GenericOp op, ArrayRef<int64_t> ranges,
                         KernelSchedule &s, int64_t l2Bytes) {
  int64_t inputBytes = spannedBytes(op.getDpsInputOperand(0)->get());
  int64_t weightBytes = spannedBytes(op.getDpsInputOperand(1)->get());
  if (inputBytes < 0 || weightBytes < 0)
    return;
  int64_t outputBytes = spannedBytes(op.getDpsInitOperand(0)->get());
  if (l2Bytes > 0 && inputBytes <= l2Bytes &&
      (weightBytes > l2Bytes || outputBytes > inputBytes))
    return;
  int64_t channelTiles = ranges[G] * ranges[OB] *
                         llvm::divideCeil(ranges[OI], s.parallelTiles[OI]);
  int64_t rowTiles = llvm::divideCeil(ranges[OH], s.parallelTiles[OH]);
  if (s.parallelTiles[OW])
    rowTiles *= llvm::divideCeil(ranges[OW], s.parallelTiles[OW]);
  if (weightBytes * rowTiles < inputBytes * channelTiles)
    s.interchange = {N, G, OH, OW, OB, OI, KH, KW, CG};
}

/// Pixels per parallel tile of a flattened map (at most kPixelChunk).
constexpr int64_t kPixelChunk = 256;

/// Pixels per parallel tile of a flattened map of `pixels`: whole vectors,
/// at most kPixelChunk, and tiles of equal size (a divisor of the map's
/// vectors, down to a quarter of kPixelChunk) or else of nearly equal size.
/// The thread pool splits tiles by count, so a short last tile leaves a
/// thread idle: 28x28 = 784 pixels in tiles of 256 gave two threads 512
/// and 272 pixels (1.3-1.4x speedup); tiles of 112 give both 392.
int64_t pixelChunk(int64_t pixels, int64_t vectorWidth) {
  int64_t vectors = llvm::divideCeil(pixels, vectorWidth);
  int64_t most = std::max<int64_t>(kPixelChunk / vectorWidth, 1);
  for (int64_t v = most; v >= std::max<int64_t>(most / 4, 1); --v)
    if (vectors % v == 0)
      return v * vectorWidth;
  return llvm::divideCeil(vectors, llvm::divideCeil(vectors, most)) * vectorWidth;
}

/// Output rows per register tile of a pixel-lane depthwise conv, 0 to tile
/// its channels instead. Rows of one channel share its weights (a
/// broadcast per tap for all rows) and their windows overlap: with stride
/// 1, R rows read R + KH - 1 input rows per tap column instead of R x KH
/// (LLVM merges the loads of the same row). 4 rows where they divide the
/// map, else 2: mobilenet_v2's 28x28 depthwise convs took 0.62x the time in the
/// network, a 56x56 one 0.95x, mobilenet_v3_small's 88-channel 28x28 one
/// 0.56-0.61x (AVX-512). With stride 2 only 2R + 1 of 3R rows are shared
/// and each needs its even/odd shuffles: with AVX2 (16 registers) a
/// 144-channel 56x56 -> 28x28 conv took 1.15-1.2x the time, with AVX-512
/// 0.89x.
int64_t depthwiseRows(linalg::GenericOp op, ArrayRef<int64_t> ranges, int64_t vectorWidth) {
  // The input window view: n g cg kh kw oh ow; its rows stride / its taps'.
  auto type = cast<MemRefType>(op.getDpsInputOperand(0)->get().getType());
  SmallVector<int64_t> strides;
  int64_t offset;
  if (ranges.size() != NumConvDims || failed(getStridesAndOffset(type, strides, offset)) ||
      strides.size() != 7 || ShapedType::isDynamic(strides[3]) ||
      ShapedType::isDynamic(strides[5]) || strides[3] <= 0 || strides[5] % strides[3])
    return 0;
  int64_t stride = strides[5] / strides[3];
  if (stride != 1 && !(stride == 2 && vectorWidth >= 32))
    return 0;
  int64_t rows = largestDivisor(ranges[OH], {4, 2});
  return rows > 1 ? rows : 0;
}

/// Register and parallel tile sizes for a kernel op. `vectorWidth` is the
/// number of f32 lanes the microkernel uses for one row, `channelLanes` the
/// output channels of a channel-lane conv tile (= the weight packing block;
/// `wideChannelTile`: twice the target's block, see
/// mnn::wideChannelLaneBlock),
/// `cacheBytes` / `l2Bytes` the L1 / L2 budgets (blockReduction,
/// chooseConvLoopOrder).
std::optional<KernelSchedule> scheduleKernel(linalg::GenericOp op,
                                             StringRef kind,
                                             int64_t vectorWidth,
                                             int64_t channelLanes,
                                             bool wideChannelTile,
                                             int64_t cacheBytes,
                                             int64_t l2Bytes) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  unsigned n = ranges.size();
  KernelSchedule s;
  s.lanes = vectorWidth;
  s.parallelTiles.assign(n, 0);
  s.registerTiles.assign(n, 0);
  if (kind == "conv" || kind == "depthwise_conv") {
    // Channel lanes: vector lanes along the output channels (contiguous in
    // the packed weights), rows = output pixels along ow (one broadcast input
    // value each). Used for narrow outputs (7x7, 14x14 maps, where lanes
    // along ow would be mostly masked), strided convs (ow lanes would be
    // gathered) and long reductions. Needs at least 4 pixels per tile (the largest divisor of OW up to 8)
    // to reuse each weight vector enough: OW = 13 or 27 take pixel lanes.
    // Its accumulators are gathered/scattered from NCHW once per tile, which
    // only pays off with a long reduction; short ones (1x1 convs over few
    // channels) on wide maps take pixel lanes.
    // Rows divide OW (mnn::channelLanePixelRows, BufferInfo.h).
    // A packed-input conv's panel is its pixel dim (mnn.whole_rows,
    // LowerPackedInputConv); a depthwise conv over channel blocks
    // (mnn.blocked_input, LowerBlockedDepthwiseConv) always takes channel
    // lanes, as do the last few columns of a wide-block conv (split off in
    // TilePass, any width).
    bool wholeRows = op->hasAttr("mnn.whole_rows");
    int64_t wideRows = wideChannelTile ? mnn::wideChannelLaneRows(ranges[OW], channelLanes / 2) : 0;
    int64_t pixelRows =
        wholeRows ? ranges[OW] : mnn::channelLanePixelRows(ranges[OW], wideRows);
    int64_t minRows = wholeRows && wideChannelTile ? 1 : 4;
    int64_t reduction = 1;
    for (unsigned d = OW + 1; d < ranges.size(); ++d)
      reduction *= ranges[d];
    // One 16-lane vector of channels (AVX-512's 32 registers) over a short
    // reduction: 16 pixels where they divide OW. 8 accumulators each take
    // a chain of FMAs per step, at the FMA latency: mobilenet_v3_small's
    // 3 -> 16 stem (27 steps) 0.95x the time alone and in the network.
    if (!wholeRows && !wideChannelTile && channelLanes == 16 && reduction < kLongReduction &&
        ranges[OW] % 16 == 0)
      pixelRows = 16;
    bool pixelLanesFit = ranges[OW] >= vectorWidth && unitStrideAlongOW(op);
    if (kind == "conv" && ranges[OI] % channelLanes == 0 && pixelRows >= minRows &&
        (!pixelLanesFit || reduction >= kLongReduction || op->hasAttr("mnn.blocked_input") ||
         wideChannelTile)) {
      s.rowsDim = OW;
      s.colsDim = OI;
      s.lanes = channelLanes;
      int64_t rows = pixelRows;
      for (unsigned d : {N, G, OB, OH}) {
        s.parallelTiles[d] = 1;
        s.registerTiles[d] = 1;
      }
      s.parallelTiles[OI] = channelLanes;
      s.registerTiles[OI] = channelLanes;
      s.registerTiles[OW] = rows;
      // One long pixel row (a 1x1 conv's flattened map): parallel tiles of
      // whole register tiles along it too, so that threads can split the
      // pixels (chooseConvLoopOrder puts them outside the channel blocks
      // where the input outweighs the weights).
      if (ranges[OH] == 1 && ranges[OW] > 2 * kPixelChunk && !wholeRows)
        s.parallelTiles[OW] = pixelChunk(ranges[OW], rows);
      blockReduction(op, ranges, s, channelLanes, cacheBytes);
      chooseConvLoopOrder(op, ranges, s, l2Bytes);
      // A 1x1 conv read from its NCHW planes (the wide tile, 6 pixels of
      // one plane per step) over an input larger than half the L2: each
      // step prefetches its plane's line a line ahead, which the tiles two
      // or three on read; the hardware prefetchers do not follow one stream
      // per input channel. Only while a line per channel read and one
      // ahead fill at most half a 32 KB L1 (reductions up to 128).
      // Zen 3 (AVX2), in squeezenet1_1 (interleaved profiles, with and
      // without a flush): its 64 / 128 -> 16 squeezes on 55x55 0.73-0.80x
      // the time, 128 -> 32 on 27x27 0.94x; 256 -> 32 on 27x27 lost
      // (1.06-1.09x), as did 192 -> 32 on 28x28 alone in cache (1.06x).
      constexpr int64_t kMaxPrefetchedReduction = 128;
      if (wideChannelTile && !wholeRows && ranges[KH] * ranges[KW] == 1 && l2Bytes > 0 &&
          reduction >= kPrefetchedReduction && reduction <= kMaxPrefetchedReduction &&
          spannedBytes(op.getDpsInputOperand(0)->get()) > l2Bytes / 2)
        s.inputPrefetch = kChannelLaneInputPrefetch;
      return s;
    }
    // Pixel lanes: lanes along ow, rows = output channels (or, for a
    // depthwise conv, output rows of one channel: depthwiseRows).
    s.rowsDim = kind == "conv" ? OI : G;
    s.colsDim = OW;
    // A conv's rows share each input vector: 6 of them (12 accumulators of
    // 16 lanes) where they divide the channels of a weight block
    // (mnn::sixRowPixelLaneConv leaves such weights unblocked). With 512-bit
    // vectors (two per row, 32 registers) 8 where 6 does not divide: 16
    // accumulators, and each input vector is read by half as many tiles as
    // with 4 (SqueezeNet's 128 -> 16 squeeze conv on 55x55 0.95x, whole
    // networks 0.97-0.99x). Over a long reduction from an input larger than
    // half the L2 (streamed from L2 or further, prefetched: below) 12 rows
    // (24 accumulators), so that each input vector is read by half as many
    // tiles again: mobilenet_v2's 144 -> 24 conv on 56x56 0.86-0.89x in the
    // network (alone 0.6x); over short reductions 12 rows lost (its
    // 112x112 16 -> 96 conv 1.06x). A depthwise conv's channels share
    // nothing: 4 of them where its output rows do not take the tile.
    bool largeInput = kind == "conv" && l2Bytes > 0 &&
                      spannedBytes(op.getDpsInputOperand(0)->get()) > l2Bytes / 2;
    bool streamedInput = largeInput && reduction >= kStreamedReduction;
    SmallVector<int64_t> convRows = {6, 4, 2};
    if (vectorWidth >= 32)
      convRows = streamedInput ? SmallVector<int64_t>{12, 6, 8, 4, 2}
                               : SmallVector<int64_t>{6, 8, 4, 2};
    int64_t rows = kind == "conv" ? largestDivisor(ranges[s.rowsDim], convRows)
                                  : largestDivisor(ranges[s.rowsDim], {4, 2});
    if (int64_t outRows = kind == "conv" ? 0 : depthwiseRows(op, ranges, vectorWidth)) {
      s.rowsDim = OH;
      rows = outRows;
    }
    for (unsigned d : {N, G, OB, OI, OH}) {
      s.parallelTiles[d] = 1;
      s.registerTiles[d] = 1;
    }
    s.parallelTiles[s.rowsDim] = rows;
    s.registerTiles[s.rowsDim] = rows;
    s.registerTiles[OW] = vectorWidth;
    // A conv's tile reads a vector from each of `reduction` input planes
    // (or rows) per step, more streams than the hardware prefetchers
    // follow. Where the input is larger than half the L2 (mostly evicted by
    // the time its reader runs), the tile prefetches its lanes 4 lines ahead
    // in the same plane, which the next tiles along the row read:
    // SqueezeNet's 128 -> 16 squeeze conv on 55x55 (a 1.55 MB concat)
    // 0.72x the time; over shorter reductions too, mobilenet_v2's 32 -> 16
    // conv on 112x112 (1.6 MB) 0.88-0.90x and its 96 -> 24 one on 56x56
    // 0.95-0.97x in the network (interleaved profiles, both orders). Inputs
    // that stay in cache lost: 128 -> 32 on 27x27 (373 KB) 1.12x,
    // mobilenet_v2's 192 -> 32 on 28x28 (602 KB) 1.08-1.11x.
    if (largeInput && reduction >= kPrefetchedReduction)
      s.inputPrefetch = kInputPrefetchDistance;
    // One long pixel row (a 1x1 conv's flattened map): parallel tiles of
    // at most kPixelChunk pixels, so that a tile's inputs stay in cache.
    if (ranges[OH] == 1 && ranges[OW] > 2 * kPixelChunk)
      s.parallelTiles[OW] = pixelChunk(ranges[OW], vectorWidth);
    // A band's 1x1 conv (mnn::kChannelHalvesAttr): parallel tiles of half
    // its output channels by one row, halves outermost.
    if (kind == "conv" && op->hasAttr(mnn::kChannelHalvesAttr)) {
      if (ranges[OB] % 2 == 0) {
        s.parallelTiles[OB] = ranges[OB] / 2;
        s.parallelTiles[OI] = ranges[OI];
      } else if (ranges[OB] == 1 && ranges[OI] % (2 * rows) == 0) {
        s.parallelTiles[OI] = ranges[OI] / 2;
      }
      return s;
    }
    if (kind == "conv")
      chooseConvLoopOrder(op, ranges, s, l2Bytes);
    return s;
  }
  if (kind == "matmul") {
    // batch... m n | k
    unsigned m = n - 3, cols = n - 2;
    s.rowsDim = m;
    s.colsDim = cols;
    // 6 rows where they divide M (12 accumulators of 16 lanes: with the
    // two B vectors and a broadcast, the 16 registers of AVX2), else 4, 2.
    // With 512-bit vectors (32 registers, 32 lanes) up to 12 rows, 24
    // accumulators: the Winograd GEMM of a 7x7 map (16 tiles) took 4 rows,
    // 8 accumulators, at half the peak (ResNet-18's 512-channel convs
    // 0.74-0.77x the time with 8).
    int64_t rows = vectorWidth >= 32 ? largestDivisor(ranges[m], {12, 8, 6, 4, 2})
                                     : largestDivisor(ranges[m], {6, 4, 2});
    for (unsigned d = 0; d < m; ++d) {
      s.parallelTiles[d] = 1;
      s.registerTiles[d] = 1;
    }
    s.parallelTiles[m] = rows;
    s.registerTiles[m] = rows;
    // Wide, short products (classifier heads) also split along n.
    if (ranges[cols] > 8 * vectorWidth)
      s.parallelTiles[cols] = 8 * vectorWidth;
    s.registerTiles[cols] = vectorWidth;
    // A matrix-vector product (one row) streams the weights from memory:
    // 4 vectors per row step read 4 whole cache lines of it instead of one
    // line per row of K, and keep 4x the accumulators in flight.
    int64_t gemvLanes = mnn::kMatrixVectorLaneMultiple * vectorWidth;
    if (rows == 1 && ranges[m] == 1 && ranges[cols] >= gemvLanes) {
      s.registerTiles[cols] = gemvLanes;
      s.lanes = gemvLanes;
    }
    return s;
  }
  return std::nullopt;
}

/// Parallel tiles for other ops: split the leading parallel dims.
SmallVector<int64_t> scheduleGeneric(linalg::LinalgOp op) {
  SmallVector<int64_t> ranges = op.getStaticLoopRanges();
  SmallVector<int64_t> tiles(ranges.size(), 0);
  int64_t total = 1;
  for (int64_t r : ranges)
    total *= r;
  if (total < kMinParallelWork || ShapedType::isDynamicShape(ranges))
    return tiles;
  auto iterators = op.getIteratorTypesArray();
  // Tile outer parallel dims to 1 until at least 8 chunks exist.
  int64_t chunks = 1;
  for (unsigned d = 0; d < ranges.size() && chunks < 8; ++d) {
    if (iterators[d] != utils::IteratorType::parallel)
      break;
    if (ranges[d] == 1)
      continue;
    tiles[d] = 1;
    chunks *= ranges[d];
  }
  if (chunks < 2)
    tiles.assign(ranges.size(), 0);
  return tiles;
}

/// Zeroes, after the last column of each output row of `out` (a conv
/// kernel's [N, G, OB, OI, OH, OW] output view into a padded buffer), the
/// `run` pad elements up to the next row's first column (mnn::kPadRunAttr),
/// at the builder's insertion point.
void zeroPadRuns(OpBuilder &b, Location loc, Value out, int64_t run) {
  auto type = cast<MemRefType>(out.getType());
  auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, out);
  unsigned last = type.getRank() - 1;
  auto cst = [&](int64_t v) -> Value { return b.create<arith::ConstantIndexOp>(loc, v); };
  // Row ends: offset + (index . strides) + OW * stride(OW).
  Value at = b.create<arith::AddIOp>(
      loc, meta.getOffset(),
      b.create<arith::MulIOp>(loc, meta.getSizes()[last], meta.getStrides()[last]));
  for (unsigned d = 0; d < last; ++d) {
    if (!type.isDynamicDim(d) && type.getDimSize(d) == 1)
      continue;
    auto loop = b.create<scf::ForOp>(loc, cst(0), meta.getSizes()[d], cst(1));
    b.setInsertionPointToStart(loop.getBody());
    at = b.create<arith::AddIOp>(
        loc, at, b.create<arith::MulIOp>(loc, loop.getInductionVar(), meta.getStrides()[d]));
  }
  auto flatType = MemRefType::get(
      {run}, type.getElementType(),
      StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {1}));
  Value flat = b.create<memref::ReinterpretCastOp>(
      loc, flatType, meta.getBaseBuffer(), OpFoldResult(at),
      ArrayRef<OpFoldResult>{b.getIndexAttr(run)}, ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  Value zero = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(VectorType::get({run}, type.getElementType()),
                                  b.getZeroAttr(type.getElementType())));
  b.create<vector::TransferWriteOp>(loc, zero, flat, ValueRange{cst(0)}, ArrayRef<bool>{true});
}

FailureOr<linalg::LinalgOp> tileWith(RewriterBase &rewriter, linalg::LinalgOp op,
                                     ArrayRef<int64_t> tiles,
                                     linalg::LinalgTilingLoopType loopType,
                                     ArrayRef<int64_t> interchange = {}) {
  if (llvm::all_of(tiles, [](int64_t t) { return t == 0; }))
    return op;
  linalg::LinalgTilingOptions options;
  options.setTileSizes(tiles).setLoopType(loopType);
  if (!interchange.empty())
    options.setInterchange(SmallVector<unsigned>(interchange.begin(), interchange.end()));
  rewriter.setInsertionPoint(op);
  FailureOr<linalg::TiledLinalgOp> tiled =
      linalg::tileLinalgOp(rewriter, op, options);
  if (failed(tiled))
    return failure();
  rewriter.eraseOp(op);
  return tiled->op;
}

/// Splits a conv kernel along its output columns (dim OW) at `columns`: the
/// op keeps [0, columns) and a clone takes the rest, each operand indexed by
/// OW narrowed by a subview. Returns the clone.
linalg::GenericOp splitColumns(RewriterBase &rewriter, linalg::GenericOp op,
                               int64_t columns) {
  rewriter.setInsertionPointAfter(op);
  auto tail = cast<linalg::GenericOp>(rewriter.clone(*op));
  Location loc = op.getLoc();
  AffineExpr ow = getAffineDimExpr(OW, op.getContext());
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    auto pos = llvm::find(map.getResults(), ow) - map.getResults().begin();
    if (pos == (int64_t)map.getNumResults())
      continue;
    Value v = operand.get();
    auto type = cast<MemRefType>(v.getType());
    int64_t rank = type.getRank();
    SmallVector<OpFoldResult> offsets(rank, rewriter.getIndexAttr(0));
    SmallVector<OpFoldResult> strides(rank, rewriter.getIndexAttr(1)), sizes;
    for (int64_t d : type.getShape())
      sizes.push_back(rewriter.getIndexAttr(d));
    rewriter.setInsertionPoint(op);
    sizes[pos] = rewriter.getIndexAttr(columns);
    Value head = rewriter.create<memref::SubViewOp>(loc, v, offsets, sizes, strides);
    offsets[pos] = rewriter.getIndexAttr(columns);
    sizes[pos] = rewriter.getIndexAttr(type.getDimSize(pos) - columns);
    Value rest = rewriter.create<memref::SubViewOp>(loc, v, offsets, sizes, strides);
    operand.set(head);
    tail->setOperand(operand.getOperandNumber(), rest);
  }
  return tail;
}

struct TilePass : mnn::impl::TileBase<TilePass> {
  using TileBase::TileBase;

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    int64_t vectorWidth = mnn::matmulLanes(vectorBits);
    SmallVector<linalg::LinalgOp> ops;
    // Only untiled ops: those at the top level (also inside a top-level
    // scf.if, a choice of schedule at run time), and the kernels of a band
    // task (mnn.band_tasks) right inside their band's case; nothing is tiled
    // twice when the pass reruns. A band task's kernels get register tiles
    // only, keeping the order of their parallel tiles as sequential loops:
    // each band is one task already.
    if (func.isExternal())
      return;
    llvm::DenseSet<Operation *> inTask;
    mnn::forEachTopLevelOp(func.front(), [&](Operation &op) {
      if (auto linalgOp = dyn_cast<linalg::LinalgOp>(op))
        ops.push_back(linalgOp);
      if (isa<scf::ParallelOp>(op) && op.hasAttr(mnn::kBandTasksAttr))
        op.walk([&](linalg::GenericOp kernel) {
          if (kernel->hasAttr(mnn::kKernelAttr) &&
              isa<scf::IndexSwitchOp>(kernel->getParentOp())) {
            ops.push_back(kernel);
            inTask.insert(kernel);
          }
        });
    });
    IRRewriter rewriter(&getContext());
    // The target's weight block; a conv may carry its own (mnn.channel_lanes).
    int64_t targetLanes = channelLanes > 0 ? channelLanes : vectorBits / 32;
    // A channel-lane conv blocked by twice the target's block takes R = 6
    // (8 with 16-lane vectors) pixels per tile (BufferInfo.h's
    // wideChannelLaneBlock); where R does not divide its columns, the last
    // 1 to R - 1 are a conv of their own, tiled whole (mnn.whole_rows).
    for (unsigned i = 0; i < ops.size(); ++i) {
      auto generic = dyn_cast<linalg::GenericOp>(ops[i].getOperation());
      auto kind = ops[i]->getAttrOfType<StringAttr>(mnn::kKernelAttr);
      auto block = ops[i]->getAttrOfType<IntegerAttr>("mnn.channel_lanes");
      if (!generic || !kind || kind.getValue() != "conv" || !block ||
          block.getInt() != 2 * targetLanes || generic->hasAttr("mnn.whole_rows") ||
          generic.getNumLoops() != NumConvDims)
        continue;
      int64_t ow = generic.getStaticLoopRanges()[OW];
      int64_t columns = mnn::wideChannelLaneColumns(ow, targetLanes);
      if (columns == 0 || columns == ow)
        continue;
      linalg::GenericOp tail = splitColumns(rewriter, generic, columns);
      tail->setAttr("mnn.whole_rows", rewriter.getUnitAttr());
      ops.insert(ops.begin() + i + 1, tail);
      ++i;
    }
    for (linalg::LinalgOp op : ops) {
      auto generic = dyn_cast<linalg::GenericOp>(op.getOperation());
      auto kind = op->getAttrOfType<StringAttr>(mnn::kKernelAttr);
      std::optional<KernelSchedule> s;
      // A conv whose lowering chose its tile's channel block says so
      // (LowerPackedInputConv.cpp).
      int64_t lanes = targetLanes;
      if (auto block = op->getAttrOfType<IntegerAttr>("mnn.channel_lanes"))
        lanes = block.getInt();
      if (generic && kind)
        s = scheduleKernel(generic, kind.getValue(), vectorWidth, lanes,
                           lanes == 2 * targetLanes, cacheBytes, l2Bytes);
      if (!s && op->hasAttr(mnn::kPadRunAttr)) {
        OpBuilder pb(op);
        pb.setInsertionPointAfter(op);
        zeroPadRuns(pb, op->getLoc(), op.getDpsInits()[0],
                    op->getAttrOfType<IntegerAttr>(mnn::kPadRunAttr).getInt());
        op->removeAttr(mnn::kPadRunAttr);
      }
      if (!s) {
        if (failed(tileWith(rewriter, op, scheduleGeneric(op),
                            linalg::LinalgTilingLoopType::ParallelLoops))) {
          op->emitError("tiling failed");
          return signalPassFailure();
        }
        continue;
      }
      // Row tiles share a B panel one after another (the prefetches split
      // between them, Vectorize.cpp) only in the original order and with
      // whole reductions, and where the target wants them (spread-prefetch).
      if (!s->interchange.empty() || !s->reductionTiles.empty() || !spreadPrefetch)
        op->removeAttr("mnn.prefetch_spread");
      SmallVector<int64_t> fullRanges = op.getStaticLoopRanges();
      auto padRun = op->getAttrOfType<IntegerAttr>(mnn::kPadRunAttr);
      Value fullOut = op.getDpsInits()[0];
      Operation *parent = op->getParentOp();
      Location loc = op->getLoc(); // op is gone after the tiling
      FailureOr<linalg::LinalgOp> outer =
          tileWith(rewriter, op, s->parallelTiles,
                   inTask.contains(op.getOperation()) ? linalg::LinalgTilingLoopType::Loops
                                                      : linalg::LinalgTilingLoopType::ParallelLoops,
                   s->interchange);
      if (failed(outer)) {
        op->emitError("parallel tiling failed");
        return signalPassFailure();
      }
      // The column pads after the rows of this parallel tile, while they
      // are in L1, where the tile spans whole rows; else after all of them.
      if (padRun) {
        (*outer)->removeAttr(mnn::kPadRunAttr);
        Value tileOut = (*outer).getDpsInits()[0];
        auto tileType = cast<MemRefType>(tileOut.getType());
        OpBuilder pb(*outer);
        if (tileType.getShape().back() == fullRanges[OW]) {
          pb.setInsertionPointAfter(*outer);
          zeroPadRuns(pb, loc, tileOut, padRun.getInt());
        } else {
          Operation *top = *outer;
          while (top->getParentOp() != parent)
            top = top->getParentOp();
          pb.setInsertionPointAfter(top);
          zeroPadRuns(pb, loc, fullOut, padRun.getInt());
        }
      }
      if (!s->reductionTiles.empty()) {
        // The epilogue cannot ride in the registers across reduction
        // blocks: it runs on the parallel tile (hot in cache) before the
        // first block and after the last.
        if (mnn::KernelEpilogue::of(*outer)) {
          OpBuilder b(*outer);
          outer = cast<linalg::LinalgOp>(
              mnn::materializeEpilogue(b, cast<linalg::GenericOp>(*outer))
                  .getOperation());
        }
        outer = tileWith(rewriter, *outer, s->reductionTiles,
                         linalg::LinalgTilingLoopType::Loops);
        if (failed(outer)) {
          op->emitError("reduction tiling failed");
          return signalPassFailure();
        }
      }
      // Register tiles are relative to the parallel tile.
      FailureOr<linalg::LinalgOp> inner = tileWith(
          rewriter, *outer, s->registerTiles, linalg::LinalgTilingLoopType::Loops);
      if (failed(inner)) {
        op->emitError("register tiling failed");
        return signalPassFailure();
      }
      (*inner)->setAttr("mnn.rows_dim", rewriter.getI64IntegerAttr(s->rowsDim));
      (*inner)->setAttr("mnn.cols_dim", rewriter.getI64IntegerAttr(s->colsDim));
      (*inner)->setAttr("mnn.lanes", rewriter.getI64IntegerAttr(s->lanes));
      if (s->inputPrefetch)
        (*inner)->setAttr("mnn.input_prefetch_distance",
                          rewriter.getI64IntegerAttr(s->inputPrefetch));
      // Parallel tiles along the cols dim are whole register tiles, so only
      // a row's last register tile can be partial, of this size (0: none).
      if (!ShapedType::isDynamic(fullRanges[s->colsDim]) &&
          s->registerTiles[s->colsDim] == s->lanes &&
          s->parallelTiles[s->colsDim] % s->lanes == 0)
        (*inner)->setAttr("mnn.cols_remainder",
                          rewriter.getI64IntegerAttr(fullRanges[s->colsDim] % s->lanes));
    }
  }
};

} // namespace
