//===- BufferInfo.h - facts shared by memory planning and lowering -*- C++ -*-===//
//
// The memory planner and the linalg lowering must agree on which values own a
// buffer, which are views of another value's buffer, and how much scratch an
// op needs while it runs. Both ask these functions.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_BUFFERINFO_H
#define MNN_BUFFERINFO_H

#include "mlir/IR/Operation.h"
#include "mlir/IR/Value.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>

namespace mnn {

/// Alignment of every arena slot, in bytes.
inline constexpr int64_t kArenaAlignment = 64;

/// Bytes of a static tensor or memref type.
int64_t byteSize(mlir::Type type);

/// True if the op's result shares its input's buffer (no copy).
bool isViewOp(mlir::Operation *op);

/// The value whose buffer `v` lives in (follows views), or v itself.
mlir::Value bufferRoot(mlir::Value v);

/// Where `v` is written in place into the output of the concat that reads
/// it: that output and the byte offset of v's slice in it. So for a value
/// produced by an op (not a constant, an input or a view) whose one use is
/// a concat along an axis with only unit dims before it (the slice is one
/// contiguous run: channels of an N = 1 NCHW tensor), when the concat's
/// output is an arena buffer (neither it nor a view of it is returned).
/// The concat then copies only its other operands; mnn-plan-memory gives v
/// no slot of its own.
std::optional<std::pair<mlir::Value, int64_t>> concatSlice(mlir::Value v);

/// Bytes of arena scratch the op needs while it runs (e.g. a padded copy of
/// a conv input); 0 when none.
int64_t scratchBytes(mlir::Operation *op);

/// Output rows [y0, y1) by columns [x0, x1) of a conv.
struct ConvRect {
  int64_t y0, y1, x0, x1;
};

/// The pieces in which a padded direct conv (the plain f32 lowering) whose
/// input is not stored padded computes its output, or none when it reads
/// one padded copy of its input. The first piece is the interior, whose
/// windows lie inside the input: it reads the input in place. The others
/// are the top and bottom rows and the left and right columns between
/// them; each reads a padded copy of just the input window it needs
/// (convBorderWindow), in the op's scratch one after another. A network's
/// first conv thus does not copy the whole model input before it starts
/// (mobilenet's 3x224x224 input: 0.6 MB read cold and written again).
llvm::SmallVector<ConvRect, 5> directConvPieces(mlir::Operation *op);

/// The op into whose lowering the conv producing `v` is banded, or null.
/// Where a conv's large output (over 2 MB) is read only by the op right
/// after it, that reader computes its output in bands of rows (bandedRows):
/// for each band the conv computes the input rows the band reads into a
/// band buffer in the reader's scratch, and the reader reads them there
/// while they are in cache. `v` then has no buffer. Readers: a depthwise
/// conv after a 1x1 conv (the buffer zero-bordered for its padding;
/// mobilenet_v2's 96-channel 112x112 expansion wrote 4.8 MB that its
/// stride-2 depthwise conv read back from L3), and a stride-2 max pool
/// after an undilated conv (the stems of squeezenet1_1 and resnet18; the
/// buffer bordered with -inf for the pool's padding).
mlir::Operation *bandedReader(mlir::Value v);

/// Marks the pixel-lane conv kernel op of a band's 1x1 conv: its parallel
/// tiles are half its output channels (half its weight blocks, or half of
/// its unblocked channels) by one row, halves outermost. Two threads then
/// split it as they split the depthwise conv that reads the band (by
/// channels), and a thread still reads each input row from L1 for all the
/// channel tiles of its half.
inline constexpr llvm::StringLiteral kChannelHalvesAttr = "mnn.channel_halves";

/// On a conv kernel op whose output is the interior of a padded buffer
/// (paddedStorage): the number of pad elements between the end of each
/// output row and the start of the next (its right pad plus the next row's
/// left pad), which mnn-tile zeroes in each parallel tile right after the
/// tile's rows, while their cache lines are still in L1. The reader then
/// fills only the top and bottom rows and the first row's left pad.
inline constexpr llvm::StringLiteral kPadRunAttr = "mnn.pad_run";

/// Marks the parallel loop over a banded depthwise conv's bands (one task
/// per band, bandTaskThreads): mnn-tile gives the kernels inside register
/// tiles only.
inline constexpr llvm::StringLiteral kBandTasksAttr = "mnn.band_tasks";

/// Bands of a banded reader (bandedRows each, the last one shorter).
int64_t bandCount(mlir::Operation *bandedReader);

/// The most threads at which a banded depthwise conv runs each band as one
/// task (both ops of a band on one thread, in a band buffer of that
/// thread's own: mnnrt_thread_scratch); with more threads, each band's ops
/// are split among all of them.
int64_t bandTaskThreads(mlir::Operation *bandedReader);

/// Scratch each pool worker needs for `op` besides the arena (its band
/// buffer where it runs band tasks; 0 otherwise).
int64_t threadScratchBytes(mlir::Operation *op);

/// Output rows R per band of a depthwise conv or pool whose input is
/// banded (bandedReader).
int64_t bandedRows(mlir::Operation *bandedReader);

/// Shape of that op's band buffer (its scratch): [1, C, (R-1) * S + KH,
/// W + left and right pads].
llvm::SmallVector<int64_t, 4> bandBufferShape(mlir::Operation *bandedReader);

/// Bytes into a banded pool's scratch at which its band buffer starts:
/// after the padded copy of its conv's input (that conv's padding), if any.
int64_t bandedPoolBandOffset(mlir::Operation *pool);

/// The rows and columns of the padded input that the output rect `r` of
/// `conv` reads (padded coordinates: input row y is padded row y + top pad).
ConvRect convBorderWindow(mlir::Operation *conv, const ConvRect &r);

/// The pads (top, left, bottom, right) with which the tensor `v` is stored,
/// or none if it is stored plainly. A conv result whose only reader is a
/// padded conv (not a channel-blocked one, which pads while it copies) or
/// pool is stored padded: the producer writes the interior
/// of the padded buffer, the reader fills just the border, and no padded
/// copy is made.
std::optional<llvm::SmallVector<int64_t, 4>> paddedStorage(mlir::Value v);

/// Whether the tensor `v` is stored in whole-row pixel panels, [N, H, C, W]
/// (a transposed view of it is the NCHW tensor): the layout in which a
/// packed-input 1x1 stride-1 conv whose panels are its output rows (R = W,
/// the 14x14 and 7x7 maps with 512-bit vectors) reads its input, so that it
/// needs no packing copy. Where every reader of v is such a conv, reading v
/// as its input, or a packed-input conv with whole-row panels adding v as
/// its residual; and v's producer is a channel-blocked depthwise conv
/// (whose tiles store channel rows of pixels, at a channel stride of W
/// instead of H x W) or a packed-input conv with whole-row panels (whose
/// tile of R pixels x its channel block is then one contiguous run).
bool panelStorage(mlir::Value v);

/// The block L when the tensor `v` is stored as the padded channel blocks
/// [N, C/L, Hp, Wp, L] that its only reader, a channel-blocked depthwise conv
/// (blockedInputLanes = L), reads: v's producer is a packed-input conv whose
/// tiles are whole output rows by L channels (its weight block), which
/// store each pixel's L channels as one vector there instead of transposing
/// them to NCHW, and the depthwise conv only zeroes the border instead of
/// copying its input into its blocks. 0 otherwise.
int64_t blockedStorageLanes(mlir::Value v);

/// Name of the conv attribute by which mnn-pack-weights marks a 1x1 conv
/// that reads its input repacked in pixel panels; its value is the panel
/// width R.
inline constexpr llvm::StringLiteral kPackedInputRowsAttr =
    "mnn.packed_input_rows";

/// Panel width R of a conv that reads its input repacked in its scratch as
/// panels [N, ceil(OH*OW/R), KH, KW, C, R] (the window taps of R output
/// pixels; a 1x1 stride-1 conv's are its input pixels), or 0 when it reads
/// the NCHW input directly. Its channel-lane tile (R pixels x a block of
/// output channels) then finds the R inputs of each reduction step in one
/// contiguous run instead of R values of a cache line in each channel plane
/// (strided, for a strided conv): a K x R panel stays in L1, with no set
/// conflicts. When R does not divide OH*OW, the last panel holds the last R
/// pixels (overlapping its neighbour). Marked by
/// mnn-pack-weights (choosePackedInputTile); its output is stored plainly
/// (never paddedStorage).
int64_t packedInputRows(mlir::Operation *op);

/// Bytes into a packed-input conv's scratch at which its panels start:
/// after the padded copy of its input, when it needs one.
int64_t packedInputOffset(mlir::Operation *op);

/// The register tile of a packed-input conv: R pixels (the panel width)
/// x `lanes` output channels (its weights' block).
struct PackedInputTile {
  int64_t rows = 0, lanes = 0;
};

/// The tile a conv gets, from its shape alone (rows 0: none), for vectors
/// of `vectorLanes` f32: f32, group 1, either 1x1 with stride 1 and no
/// padding or strided (any kernel), a reduction (Cin x KH x KW) of at
/// least 256 (64 on outputs of up to 256 pixels), R output pixels, and
/// lanes dividing Cout.
PackedInputTile choosePackedInputTile(mlir::Operation *conv, int64_t vectorLanes);

/// True if `conv` keeps its weights unblocked (hwigo) so that its
/// pixel-lane tile can take 6 output channels as rows (12 accumulators;
/// mnn-tile takes rows from {6, 4, 2} dividing the channels a weight block
/// holds, and blocks of `vectorLanes` would allow only 4): f32, group 1,
/// 1x1, stride 1, no padding, not packed-input, fewer than 256 input
/// channels (a short reduction: pixel lanes), a map of at least
/// 2 x vectorLanes pixels (one vector of lanes) and Cout a multiple of 6.
bool sixRowPixelLaneConv(mlir::Operation *conv, int64_t vectorLanes);

/// Pixel rows of a channel-lane conv tile over OW output columns: the
/// largest of 8..4 (else 13, 11, 9) dividing OW, or 1 (the microkernel has a
/// static row count, so rows divide OW). A tile of twice the target's block
/// of channels (wideChannelLaneBlock) passes `wideRows`
/// (wideChannelLaneRows) and takes that many, or 5 or 4.
int64_t channelLanePixelRows(int64_t ow, int64_t wideRows = 0);

/// Pixel rows of a channel-lane tile of twice the target's block of
/// channels (`block` lanes per vector) over OW columns: 6 with 8-lane (AVX2)
/// or 4-lane vectors, 12 accumulators of the 16 registers; with 16-lane
/// (AVX-512) vectors 8, 16 accumulators of 32 registers (the 3x3 stride-2
/// first conv of mobilenet_v2 0.84-0.86x the time of 6 pixels, ResNet-18's
/// 7x7 one 0.89-0.94x; 14 or 16 pixels were slower than 6), or 7 where 7
/// divides OW and 8 does not (7-, 14- and 28-wide maps: no short last tile).
int64_t wideChannelLaneRows(int64_t ow, int64_t block);

/// Weight block of a direct conv whose channel-lane tile takes twice the
/// target's block of output channels (`block`) by wideChannelLaneRows
/// pixels. With 8-lane vectors that is 12 accumulators, two weight vectors
/// and one broadcast per 12 FMAs, where one vector by 8 pixels has 8
/// accumulators, too few to hide the FMA latency (ResNet-18's 7x7 first
/// conv: 54 -> 66 GFLOP/s). Taken by convs that do not take packed input,
/// f32, group 1, not 1x1, Cout a multiple of 2 x block and
/// wideChannelLaneColumns(OW) > 0, on channel lanes: short reductions
/// (first-layer convs: Cin x KH x KW < 256, e.g. 3 x 7 x 7) where strided or
/// narrower than 2 x block; long reductions (direct 3x3 convs that are not
/// Winograd, 5x5, dilated) at any width, unless the last tile would be one
/// pixel. Single 3x3 convs (--winograd=off), 1 thread, after a cache
/// flush, AVX-512: 512 channels on 7x7 0.84x the time, 256 on 14x14 0.73x
/// (AVX2 0.88x), 128 on 28x28 0.75x (AVX2 0.80x), 64 on 56x56 0.87x; a 5x5
/// 64-channel conv on 28x28 0.65x. With 8-lane blocks also 1x1 convs read
/// from their NCHW planes over at least 64 input channels (BufferInfo.cpp).
/// 0 otherwise.
int64_t wideChannelLaneBlock(mlir::Operation *conv, int64_t block);

/// Output columns of such a conv that its tiles of R =
/// wideChannelLaneRows(OW, block) pixels cover: OW rounded down to a
/// multiple of R. The rest (OW mod R) is one more tile of 1 to R - 1
/// pixels: mnn-tile splits the conv there (with R = 6, ResNet-18's 112 =
/// 18 x 6 + 4, SqueezeNet's 111 = 18 x 6 + 3; with 8, 112 = 14 x 8 and 111 =
/// 13 x 8 + 7).
int64_t wideChannelLaneColumns(int64_t ow, int64_t block);

/// Name of the conv attribute by which mnn-pack-weights marks a depthwise
/// conv that reads its input repacked in channel blocks; its value is the
/// block L.
inline constexpr llvm::StringLiteral kBlockedInputLanesAttr =
    "mnn.blocked_input_lanes";

/// Name of the conv attribute by which mnn-pack-weights gives a Winograd
/// conv's output transform wider vectors than winograd::kLanes (16 output
/// channels with 512-bit vectors, where 16 divides Cout); LowerWinograd.
inline constexpr llvm::StringLiteral kWinogradOutputLanesAttr =
    "mnn.winograd_output_lanes";

/// Block L of a depthwise conv that copies its (padded) NCHW input into its
/// scratch as channel blocks [N, C/L, Hp, Wp, L] (NCHWc), or 0 when it reads
/// the NCHW planes directly. Its tile is then R output pixels x L channels:
/// every tap is one vector load per pixel and one weight vector, at any
/// stride and map width, instead of pixel lanes that narrow maps leave
/// partly empty and strided maps must shuffle. Marked by mnn-pack-weights
/// (chooseBlockedInputLanes).
int64_t blockedInputLanes(mlir::Operation *op);

/// The block a depthwise conv gets, from its shape alone (0: none), for
/// vectors of `vectorLanes` f32: f32, one filter per channel, the channels
/// a multiple of the lanes (with 16 or more lanes, of half of them: half a
/// vector per block) and an output narrower than 16 columns.
int64_t chooseBlockedInputLanes(mlir::Operation *conv, int64_t vectorLanes);

/// Lanes (f32 columns) of mnn-tile's matmul register tile for vectors of
/// `vectorBits`: two vectors, 16 up to 256 bits, 32 with 512.
int64_t matmulLanes(int64_t vectorBits);

/// A matrix-vector product's register tile takes this many times the matmul
/// lanes (mnn-tile), and mnn-pack-weights packs its constant rhs in column
/// panels of that width.
inline constexpr int64_t kMatrixVectorLaneMultiple = 4;

/// Bytes of the buffer holding `v` (with its padding, if any).
int64_t storageBytes(mlir::Value v);

} // namespace mnn

#endif // MNN_BUFFERINFO_H
