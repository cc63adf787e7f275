//===- BufferInfo.cpp - facts shared by memory planning and lowering ------===//
#include "mnn/BufferInfo.h"

#include "Winograd.h"

#include "mnn/MNNDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace mnn {

int64_t byteSize(Type type) {
  auto shaped = cast<ShapedType>(type);
  Type elt = shaped.getElementType();
  int64_t width = elt.isInteger(1) ? 1 : (elt.getIntOrFloatBitWidth() + 7) / 8;
  return shaped.getNumElements() * width;
}

bool isViewOp(Operation *op) { return isa<ReshapeOp>(op); }

Value bufferRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isViewOp(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

/// True if `v` or a view of it is returned (its buffer may then be the
/// caller's output buffer, not the arena).
static bool returnedOrViewReturned(Value v) {
  return llvm::any_of(v.getUsers(), [](Operation *user) {
    return isa<func::ReturnOp>(user) ||
           (isViewOp(user) && returnedOrViewReturned(user->getResult(0)));
  });
}

std::optional<std::pair<Value, int64_t>> concatSlice(Value v) {
  Operation *producer = v.getDefiningOp();
  if (!producer || isViewOp(producer) || producer->hasTrait<OpTrait::ConstantLike>() ||
      !v.hasOneUse())
    return std::nullopt;
  auto concat = dyn_cast<ConcatOp>(*v.getUsers().begin());
  if (!concat || returnedOrViewReturned(concat.getResult()))
    return std::nullopt;
  auto type = cast<RankedTensorType>(concat.getType());
  int64_t axis = concat.getAxis();
  if (llvm::any_of(type.getShape().take_front(axis), [](int64_t d) { return d != 1; }))
    return std::nullopt;
  int64_t offset = 0;
  for (Value in : concat.getInputs()) {
    if (in == v)
      return std::make_pair(concat.getResult(), offset);
    offset += byteSize(in.getType());
  }
  return std::nullopt;
}

static bool hasPadding(ArrayRef<int64_t> pads) {
  return llvm::any_of(pads, [](int64_t p) { return p != 0; });
}

/// A 1x1 conv with stride 1 and no padding: each output pixel reads its own
/// input pixel.
static bool isPointwise(Conv2DOp conv) {
  return conv.getKernelH() == 1 && conv.getKernelW() == 1 &&
         llvm::all_of(conv.getStrides(), [](int64_t s) { return s == 1; }) &&
         !hasPadding(conv.getPads());
}

/// Reductions (Cin x KH x KW) at least this long are long: a conv over one
/// reads its input in pixel panels (choosePackedInputTile), shorter 1x1
/// convs on large maps take pixel lanes.
static constexpr int64_t kLongReduction = 256;

/// Bytes of `input` (NCHW) padded by `pads`.
static int64_t paddedBytes(Value input, ArrayRef<int64_t> pads) {
  auto t = cast<RankedTensorType>(input.getType());
  int64_t h = t.getDimSize(2) + pads[0] + pads[2];
  int64_t w = t.getDimSize(3) + pads[1] + pads[3];
  return t.getDimSize(0) * t.getDimSize(1) * h * w *
         (t.getElementType().getIntOrFloatBitWidth() / 8);
}

/// Bytes of the padded copy a conv or pool makes of its input: none when
/// it is unpadded or its input is stored padded (paddedStorage).
static int64_t paddedCopyBytes(Value input, ArrayRef<int64_t> pads) {
  return hasPadding(pads) && !paddedStorage(input) ? paddedBytes(input, pads) : 0;
}

/// Convs whose kernels read their input through padded() and write their
/// output through the plain conv lowering (not a transformed-filter path).
static bool isDirectConv(Conv2DOp conv) {
  StringRef layout = conv.getFilterLayout();
  return (layout == "oihw" || layout == "hwigo" || layout == "bhwigo") &&
         cast<RankedTensorType>(conv.getType()).getElementType().isF32();
}

/// Intermediate tensors over this size are banded into their depthwise
/// reader (bandedReader). Smaller ones mostly stay in L2 between the two:
/// mobilenet_v2's 1.8 MB 56x56 expansions gained 2-8% per pair at one
/// thread and lost 10-17% at two.
static constexpr int64_t kMinBandedBytes = 2 << 20;
/// Budget of a band buffer: written by the 1x1 conv, then read by the
/// depthwise conv while it is still in L2.
static constexpr int64_t kBandBufferBytes = 768 << 10;
/// A banded pool's buffer: larger, and at least two bands. Each band is
/// two parallel regions (the conv's rows, then the pool's), each split
/// among all threads: SqueezeNet's stem in five bands of 768 KB took
/// 0.97x the time at 1 thread and 1.03-1.05x at 4 to 16 threads (16-core
/// host); in two (1.6 MB) 0.97-0.99x at 1, 0.98-1.0x at 2, 0.98-1.03x at
/// 4 to 16.
static constexpr int64_t kPoolBandBufferBytes = 3 << 20;

/// Whether `pool` takes lowerStride2MaxPool (LowerReductions.cpp): an f32
/// max pool of stride 2 along the width, at most 4 taps wide, over at least
/// 8 output columns.
static bool bandablePool(Pool2DOp pool) {
  auto out = cast<RankedTensorType>(pool.getType());
  auto k = pool.getKernel(), s = pool.getStrides();
  return pool.getKind() == "max" && out.getElementType().isF32() && s[1] == 2 &&
         llvm::all_of(pool.getDilations(), [](int64_t d) { return d == 1; }) &&
         out.getDimSize(3) >= 8 && k[1] <= 4;
}

Operation *bandedReader(Value v) {
  auto producer = v.getDefiningOp<Conv2DOp>();
  if (!producer || !v.hasOneUse() || !isDirectConv(producer) || producer.getGroup() != 1 ||
      producer.getResidual() || producer->hasAttr(kPackedInputRowsAttr))
    return nullptr;
  auto type = cast<RankedTensorType>(v.getType());
  Operation *user = *v.getUsers().begin();
  if (producer->getNextNode() != user || type.getDimSize(0) != 1 ||
      byteSize(type) <= kMinBandedBytes)
    return nullptr;
  // An undilated conv read by a stride-2 max pool.
  if (auto pool = dyn_cast<Pool2DOp>(user)) {
    if (!bandablePool(pool) ||
        llvm::any_of(producer.getDilations(), [](int64_t d) { return d != 1; }))
      return nullptr;
    return pool.getOperation();
  }
  // A pointwise conv read by a depthwise conv.
  auto dw = dyn_cast<Conv2DOp>(user);
  if (!isPointwise(producer) || !dw || dw.getInput() != v || !isDirectConv(dw) ||
      dw.getResidual() || dw->hasAttr(kPackedInputRowsAttr) ||
      dw->hasAttr(kBlockedInputLanesAttr) ||
      static_cast<int64_t>(dw.getGroup()) != type.getDimSize(1) ||
      cast<RankedTensorType>(dw.getType()).getDimSize(1) != type.getDimSize(1) ||
      llvm::any_of(dw.getDilations(), [](int64_t d) { return d != 1; }))
    return nullptr;
  return dw.getOperation();
}

namespace {
/// The window geometry of a banded reader (a depthwise conv or a pool).
struct BandReader {
  int64_t c, wp, oh, kh, sh;
};
BandReader bandReaderOf(Operation *op) {
  if (auto pool = dyn_cast<Pool2DOp>(op)) {
    auto in = cast<RankedTensorType>(pool.getInput().getType());
    auto pads = pool.getPads();
    return {in.getDimSize(1), in.getDimSize(3) + pads[1] + pads[3],
            cast<RankedTensorType>(pool.getType()).getDimSize(2), pool.getKernel()[0],
            pool.getStrides()[0]};
  }
  auto dw = cast<Conv2DOp>(op);
  auto in = cast<RankedTensorType>(dw.getInput().getType());
  auto pads = dw.getPads();
  return {in.getDimSize(1), in.getDimSize(3) + pads[1] + pads[3],
          cast<RankedTensorType>(dw.getType()).getDimSize(2), dw.getKernelH(),
          dw.getStrides()[0]};
}
} // namespace

int64_t bandedRows(Operation *op) {
  BandReader r = bandReaderOf(op);
  // The most rows whose buffer fits the budget, then bands of equal size.
  bool pool = isa<Pool2DOp>(op);
  int64_t budget = pool ? kPoolBandBufferBytes : kBandBufferBytes;
  int64_t rows = std::max<int64_t>(1, (budget / (r.c * r.wp * 4) - r.kh) / r.sh + 1);
  int64_t bands = llvm::divideCeil(r.oh, std::min(rows, r.oh));
  if (pool)
    bands = std::min(std::max<int64_t>(bands, 2), r.oh);
  return llvm::divideCeil(r.oh, bands);
}

int64_t bandCount(Operation *op) {
  return llvm::divideCeil(bandReaderOf(op).oh, bandedRows(op));
}

int64_t bandTaskThreads(Operation *op) {
  // Two bands per thread at least, so that a slow thread's last band can be
  // taken by another.
  return isa<Pool2DOp>(op) ? 0 : bandCount(op) / 2;
}

int64_t bandedPoolBandOffset(Operation *pool) {
  auto conv = cast<Pool2DOp>(pool).getInput().getDefiningOp<Conv2DOp>();
  return llvm::alignTo(paddedCopyBytes(conv.getInput(), conv.getPads()), kArenaAlignment);
}

SmallVector<int64_t, 4> bandBufferShape(Operation *op) {
  BandReader r = bandReaderOf(op);
  return {1, r.c, (bandedRows(op) - 1) * r.sh + r.kh, r.wp};
}

/// Bytes of a banded reader's band buffer (f32).
static int64_t bandBufferBytes(Operation *op) {
  SmallVector<int64_t, 4> shape = bandBufferShape(op);
  return shape[0] * shape[1] * shape[2] * shape[3] * 4;
}

std::optional<SmallVector<int64_t, 4>> paddedStorage(Value v) {
  if (bandedReader(v))
    return std::nullopt;
  // A conv reading a packed input writes a plain output: its tile's
  // pixel panels run across row ends (packedInputRows).
  auto producer = v.getDefiningOp<Conv2DOp>();
  if (!producer || !isDirectConv(producer) || !v.hasOneUse() ||
      producer->hasAttr(kPackedInputRowsAttr))
    return std::nullopt;
  // A channel-blocked depthwise conv pads while it copies its input.
  Operation *user = *v.getUsers().begin();
  ArrayRef<int64_t> pads;
  if (auto conv = dyn_cast<Conv2DOp>(user); conv && isDirectConv(conv) &&
                                           conv.getInput() == v &&
                                           !conv->hasAttr(kBlockedInputLanesAttr))
    pads = conv.getPads();
  else if (auto pool = dyn_cast<Pool2DOp>(user); pool && pool.getInput() == v)
    pads = pool.getPads();
  if (!hasPadding(pads))
    return std::nullopt;
  return SmallVector<int64_t, 4>(pads.begin(), pads.end());
}

bool panelStorage(Value v) {
  auto type = dyn_cast<RankedTensorType>(v.getType());
  if (!type || type.getRank() != 4 || !type.getElementType().isF32() || v.use_empty())
    return false;
  int64_t w = type.getDimSize(3);
  // Producers whose tiles can store into the panels: a channel-blocked
  // depthwise conv (channel rows of pixels) or a packed-input conv whose own
  // panels are whole rows.
  auto producer = v.getDefiningOp<Conv2DOp>();
  if (!producer || (!producer->hasAttr(kBlockedInputLanesAttr) && packedInputRows(producer) != w))
    return false;
  // Every reader takes the panels: a packed-input 1x1 stride-1 conv with
  // whole-row panels reading v as its input, or one adding v as its
  // residual (its output has v's shape, so its panels are v's rows too).
  return llvm::all_of(v.getUsers(), [&](Operation *op) {
    auto user = dyn_cast<Conv2DOp>(op);
    if (!user || packedInputRows(user) != w)
      return false;
    if (user.getInput() == v)
      return isPointwise(user) && user.getResidual() != v;
    return user.getResidual() == v;
  });
}

int64_t blockedStorageLanes(Value v) {
  auto producer = v.getDefiningOp<Conv2DOp>();
  if (!producer || !v.hasOneUse() || producer.getResidual())
    return 0;
  auto user = dyn_cast<Conv2DOp>(*v.getUsers().begin());
  int64_t lanes = user ? blockedInputLanes(user) : 0;
  auto type = cast<RankedTensorType>(v.getType());
  auto filter = cast<RankedTensorType>(producer.getFilter().getType());
  if (!lanes || user.getInput() != v || packedInputRows(producer) != type.getDimSize(3) ||
      producer.getFilterLayout() != "bhwigo" || filter.getDimSize(5) != lanes)
    return 0;
  return lanes;
}

int64_t storageBytes(Value v) {
  // Channel blocks of the depthwise conv that reads it, padded.
  if (blockedStorageLanes(v))
    return paddedBytes(v, cast<Conv2DOp>(*v.getUsers().begin()).getPads());
  auto pads = paddedStorage(v);
  if (!pads)
    return byteSize(v.getType());
  auto t = cast<RankedTensorType>(v.getType());
  return t.getDimSize(0) * t.getDimSize(1) *
         (t.getDimSize(2) + (*pads)[0] + (*pads)[2]) *
         (t.getDimSize(3) + (*pads)[1] + (*pads)[3]) * 4;
}

/// Whether `v` is stored as whole NCHW planes, one contiguous run (its own
/// buffer, or its slice of a concat, which concatSlice only takes when it is
/// contiguous): no reader is a padded conv or pool (for which v would be
/// stored padded, paddedStorage).
static bool storedAsPlanes(Value v) {
  return llvm::none_of(v.getUsers(), [&](Operation *user) {
    if (auto conv = dyn_cast<Conv2DOp>(user))
      return conv.getInput() == v && hasPadding(conv.getPads());
    if (auto pool = dyn_cast<Pool2DOp>(user))
      return hasPadding(pool.getPads());
    return false;
  });
}

PackedInputTile choosePackedInputTile(Operation *op, int64_t vectorLanes) {
  // Long reductions, or shorter ones on small maps (up to 16x16, where
  // rows are too short for pixel lanes). 1x1 convs over few channels on
  // larger maps take pixel lanes straight from the NCHW rows (Tile.cpp).
  constexpr int64_t kMinSmallMapReduction = 64, kSmallMap = 256;
  // Strided convs (any kernel) gather their windows into the panels: their
  // pixel-lane or channel-lane tiles would read the input with a stride.
  // Stride-1 convs with a larger kernel stay direct (or Winograd).
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || vectorLanes <= 0 || conv.getGroup() != 1)
    return {};
  bool strided = llvm::any_of(conv.getStrides(), [](int64_t s) { return s != 1; });
  if (!isPointwise(conv) && !strided)
    return {};
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  int64_t pixels = out.getDimSize(2) * out.getDimSize(3);
  int64_t reduction = in.getDimSize(1) * conv.getKernelH() * conv.getKernelW(),
          cout = out.getDimSize(1);
  // A 1x1 stride-1 conv on a larger map with few output channels reads its
  // NCHW rows directly (lowerConv's tile over the flattened map, whose
  // parallel tiles split the pixels): copying its Cin x P inputs into panels
  // costs about as much as computing up to 64 channels from them. Single
  // convs after a cache flush, 1 thread, AVX-512: 256 -> 32 on 27x27
  // (SqueezeNet's fire7 squeeze) 0.33x the time, 256 -> 64 on 28x28 0.93x;
  // with 128 or 256 output channels the panels won (1.3-1.45x), and on maps
  // under 512 pixels they were as fast or faster (384 -> 48 on 20x20,
  // 512 -> 64 on 17x17). In squeezenet1_1, fire7's squeeze conv: 0.75x at
  // 1 thread, 0.96x at 2.
  constexpr int64_t kMaxDirectCout = 64;
  if (isPointwise(conv) && pixels > 2 * kSmallMap && cout <= kMaxDirectCout)
    return {};
  // So does one on a smaller map whose Cout a vector does not divide (with
  // 512-bit vectors), where its output is stored as whole planes (the
  // pixel-lane tiles then run over the flattened map): panels would take
  // half-vector tiles, or a conv over the whole vectors and one over the
  // rest (splitChannelRemainder), each copying the input into its own
  // panels. mobilenet_v3_small's 240 -> 40 and 96 -> 40 projections on
  // 14x14 took 0.55-0.62x the time of the split pair, one thread.
  if (isPointwise(conv) && cout <= kMaxDirectCout && cout % vectorLanes != 0 &&
      pixels >= 2 * vectorLanes && storedAsPlanes(conv.getResult()))
    return {};
  // A strided 1x1 conv packs only the pixels it reads (a quarter of its
  // input at stride 2), so it takes panels on larger maps too: ResNet-18's
  // 64 -> 128 stride-2 downsample on 56x56 0.71-0.76x the time after a
  // cache flush, 0.89-0.91x warm (its direct tile broadcast every other
  // input pixel and stored its tiles transposed).
  bool stridedPointwise = strided && conv.getKernelH() == 1 && conv.getKernelW() == 1;
  if (!out.getElementType().isF32() ||
      (reduction < kLongReduction &&
       (pixels > kSmallMap || reduction < kMinSmallMapReduction) &&
       !(stridedPointwise && reduction >= kMinSmallMapReduction)))
    return {};
  // With 16 registers (AVX2, NEON): six pixels x two vectors of channels
  // fills them (12 accumulators, 2 weight vectors, 1 broadcast) with one
  // broadcast per two FMAs; where two vectors do not divide Cout, twelve
  // pixels x one vector.
  if (vectorLanes < 16)
    return cout % (2 * vectorLanes) == 0 && pixels >= 6 ? PackedInputTile{6, 2 * vectorLanes}
           : cout % vectorLanes == 0 && pixels >= 12    ? PackedInputTile{12, vectorLanes}
                                                        : PackedInputTile{};
  // With 32 registers (AVX-512): 7 to 14 pixels x two vectors (up to 28
  // accumulators), the count whose panels overshoot the map least (the
  // last panel overlaps its neighbour and recomputes pixels), the larger
  // on a tie: 13 on 13x13, 14 on 14x14, 7 on 7x7, where 12 computed 60 of
  // 49 pixels. One vector where two do not divide Cout, half a vector
  // where one does not (SqueezeNet's 1000 classes).
  int64_t lanes = cout % (2 * vectorLanes) == 0 ? 2 * vectorLanes
                  : cout % vectorLanes == 0     ? vectorLanes
                  : cout % (vectorLanes / 2) == 0 ? vectorLanes / 2
                                                : 0;
  if (!lanes || pixels < 7)
    return {};
  int64_t rows = 7;
  for (int64_t r = 8; r <= 14; ++r)
    if (llvm::divideCeil(pixels, r) * r <= llvm::divideCeil(pixels, rows) * rows)
      rows = r;
  return PackedInputTile{rows, lanes};
}

bool sixRowPixelLaneConv(Operation *op, int64_t vectorLanes) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || vectorLanes <= 0 || conv.getGroup() != 1 || !isPointwise(conv) ||
      choosePackedInputTile(conv, vectorLanes).rows)
    return false;
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  return out.getElementType().isF32() && in.getDimSize(1) < kLongReduction &&
         out.getDimSize(2) * out.getDimSize(3) >= 2 * vectorLanes &&
         out.getDimSize(1) % 6 == 0;
}

int64_t packedInputRows(Operation *op) {
  auto rows = op->getAttrOfType<IntegerAttr>(kPackedInputRowsAttr);
  return rows && isa<Conv2DOp>(op) ? rows.getInt() : 0;
}

int64_t channelLanePixelRows(int64_t ow, int64_t wideRows) {
  // 8 down to 4 first; odd widths (13, 27 = 3 x 9, 55 = 5 x 11) take up to
  // 13 rows: 13 accumulators + a weight vector + a broadcast fit the 16
  // vector registers of x86. A wide tile (two vectors of channels) takes
  // up to wideRows (wideChannelLaneRows).
  if (wideRows > 0) {
    for (int64_t rows : {wideRows, int64_t{5}, int64_t{4}})
      if (ow % rows == 0)
        return rows;
    return 1;
  }
  for (int64_t rows : {8, 7, 6, 5, 4, 13, 11, 9})
    if (ow % rows == 0)
      return rows;
  return 1;
}

int64_t wideChannelLaneBlock(Operation *op, int64_t block) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || block <= 0 || conv.getGroup() != 1 || choosePackedInputTile(conv, block).rows)
    return 0;
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  int64_t reduction = in.getDimSize(1) * conv.getKernelH() * conv.getKernelW();
  int64_t wide = 2 * block, ow = out.getDimSize(3);
  if (isPointwise(conv)) {
    // With 8-lane blocks, a 1x1 conv read straight from its NCHW planes
    // (no panels) over at least kMinWidePointwiseReduction channels: 16
    // channels x 6 pixels (12 accumulators, a broadcast per two FMAs)
    // instead of pixel lanes' 4 channel rows x 16 pixels (8 accumulators)
    // where 6 rows do not divide Cout. Zen 3 (AVX2), 1 thread, in process:
    // 192 -> 32 on 28x28 0.55x the time alone, mobilenet_v2's 144/192 -> 32
    // projections 0.80-0.82x in the network (the network 0.99-1.00x);
    // squeezenet1_1 (its squeezes) 0.90-1.02x over five A/B runs, 2
    // threads 1.00x. Over 32 channels (mobilenet_v2's 32 -> 16 on
    // 112x112) the transposed stores outweighed it: 1.13x.
    constexpr int64_t kMinWidePointwiseReduction = 64;
    return block < 16 && out.getElementType().isF32() && out.getDimSize(1) % wide == 0 &&
                   reduction >= kMinWidePointwiseReduction &&
                   wideChannelLaneColumns(ow, block) > 0
               ? wide
               : 0;
  }
  // Channel lanes: strided, or narrower than a pixel-lane tile (Tile.cpp).
  bool strided = llvm::any_of(conv.getStrides(), [](int64_t s) { return s != 1; });
  bool longReduction = reduction >= kLongReduction;
  int64_t columns = wideChannelLaneColumns(ow, block);
  if (!out.getElementType().isF32() || out.getDimSize(1) % wide != 0 ||
      (!strided && ow >= wide && !longReduction) || columns == 0)
    return 0;
  // A long reduction's one-pixel last tile (7 = 6 + 1 with 8-lane vectors)
  // has 2 accumulators: latency-bound, slower than one vector by 7 pixels.
  if (longReduction && ow - columns == 1)
    return 0;
  return wide;
}

int64_t wideChannelLaneRows(int64_t ow, int64_t block) {
  if (block < 16)
    return 6;
  return ow % 8 != 0 && ow % 7 == 0 ? 7 : 8;
}

int64_t wideChannelLaneColumns(int64_t ow, int64_t block) {
  return ow - ow % wideChannelLaneRows(ow, block);
}

int64_t matmulLanes(int64_t vectorBits) { return vectorBits >= 512 ? 32 : 16; }

int64_t chooseBlockedInputLanes(Operation *op, int64_t vectorLanes) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || vectorLanes <= 0 || vectorLanes % 8 != 0)
    return 0;
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  int64_t c = in.getDimSize(1), ow = out.getDimSize(3);
  // With 512-bit vectors, channels that a vector does not divide but half
  // of one does take half-vector blocks: mobilenet_v3_small's 5x5
  // depthwise conv over 120 channels on 14x14 took 0.70x the time, and the
  // 1x1 conv before it, whose output was stored padded for it in 14-pixel
  // rows (a masked 32-lane tile each), 0.40x over the flattened map (the
  // network 0.96-0.97x at one thread, 0.98x at two).
  int64_t lanes = vectorLanes;
  if (vectorLanes >= 16 && c % vectorLanes != 0 && c % (vectorLanes / 2) == 0)
    lanes = vectorLanes / 2;
  // mnn-tile's channel-lane tile needs at least 4 pixel rows.
  if ((int64_t)conv.getGroup() != c || out.getDimSize(1) != c || c % lanes != 0 ||
      !in.getElementType().isF32() || !out.getElementType().isF32() ||
      channelLanePixelRows(ow) < 4)
    return 0;
  // On wider maps the pixel-lane kernel fills its vectors, and the copy's
  // extra pass over a larger input costs about what the blocked kernel
  // saves, or more: in mobilenet_v2 and _v3_small, blocked depthwise convs
  // with 28 output columns took 0.8-2.1x as long, with 56 or 112 columns
  // 1.1-2x.
  constexpr int64_t kMaxBlockedWidth = 16;
  if (ow >= kMaxBlockedWidth)
    return 0;
  // The producer's channel block where it is a packed-input conv whose
  // tiles are whole rows by one or two vectors of channels: it then stores
  // its output straight into the blocks (blockedStorageLanes). (Not with
  // half-vector blocks.)
  if (auto producer = conv.getInput().getDefiningOp<Conv2DOp>()) {
    PackedInputTile tile = choosePackedInputTile(producer, vectorLanes);
    if (tile.rows == in.getDimSize(3) &&
        (tile.lanes == 2 * vectorLanes || tile.lanes == vectorLanes) &&
        !producer.getResidual() && conv.getInput().hasOneUse() && lanes == vectorLanes)
      return tile.lanes;
  }
  return lanes;
}

int64_t blockedInputLanes(Operation *op) {
  auto lanes = op->getAttrOfType<IntegerAttr>(kBlockedInputLanesAttr);
  return lanes && isa<Conv2DOp>(op) ? lanes.getInt() : 0;
}

int64_t packedInputOffset(Operation *op) {
  auto conv = dyn_cast<Conv2DOp>(op);
  return conv ? paddedCopyBytes(conv.getInput(), conv.getPads()) : 0;
}

ConvRect convBorderWindow(Operation *op, const ConvRect &r) {
  auto conv = cast<Conv2DOp>(op);
  auto s = conv.getStrides();
  auto d = conv.getDilations();
  return {r.y0 * s[0], (r.y1 - 1) * s[0] + (conv.getKernelH() - 1) * d[0] + 1,
          r.x0 * s[1], (r.x1 - 1) * s[1] + (conv.getKernelW() - 1) * d[1] + 1};
}

/// Maps at least this wide and tall are split: smaller ones have few
/// interior pixels and their copy is cheap, and every piece is a kernel of
/// its own (tiles, code, a parallel region).
static constexpr int64_t kMinSplitWidth = 32, kMinSplitHeight = 8;
/// The widest pixel tile of a direct conv (16 pixel lanes, two chunks of
/// 8 pixels of a channel-lane tile).
static constexpr int64_t kPieceColumns = 16;

SmallVector<ConvRect, 5> directConvPieces(Operation *op) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || !isDirectConv(conv) || !hasPadding(conv.getPads()) ||
      paddedStorage(conv.getInput()) || packedInputRows(op) || blockedInputLanes(op) ||
      bandedReader(conv.getInput()))
    return {};
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  auto out = cast<RankedTensorType>(conv.getType());
  int64_t h = in.getDimSize(2), w = in.getDimSize(3);
  int64_t oh = out.getDimSize(2), ow = out.getDimSize(3);
  if (ow < kMinSplitWidth || oh < kMinSplitHeight)
    return {};
  auto s = conv.getStrides();
  auto d = conv.getDilations();
  auto pads = conv.getPads();
  // First and one-past-last output index whose window lies inside the
  // input along one axis: tap 0 at o*s - pad >= 0, the last tap at
  // o*s - pad + (k-1)*d <= size - 1.
  auto inside = [](int64_t size, int64_t pad, int64_t k, int64_t s, int64_t d,
                   int64_t outSize) -> std::pair<int64_t, int64_t> {
    int64_t first = llvm::divideCeil(pad, s);
    int64_t last = size - 1 + pad - (k - 1) * d;
    int64_t end = last < 0 ? 0 : std::min(outSize, last / s + 1);
    return {first, std::max(first, end)};
  };
  auto [y0, y1] = inside(h, pads[0], conv.getKernelH(), s[0], d[0], oh);
  auto [x0, x1] = inside(w, pads[1], conv.getKernelW(), s[1], d[1], ow);
  // The interior's columns start and span whole pixel tiles, so that the
  // left and right pieces are a tile or more wide rather than a column or
  // two, which would take a tile each (a 7x7 stem took 1.35x as long).
  x0 = llvm::alignTo(x0, kPieceColumns);
  x1 = x0 + std::max<int64_t>(0, x1 - x0) / kPieceColumns * kPieceColumns;
  // Mostly border: one padded copy serves it better.
  if ((y1 - y0) * 2 < oh || (x1 - x0) * 2 < ow)
    return {};
  SmallVector<ConvRect, 5> pieces = {{y0, y1, x0, x1}};
  if (y0 > 0)
    pieces.push_back({0, y0, 0, ow});
  if (y1 < oh)
    pieces.push_back({y1, oh, 0, ow});
  if (x0 > 0)
    pieces.push_back({y0, y1, 0, x0});
  if (x1 < ow)
    pieces.push_back({y0, y1, x1, ow});
  return pieces;
}

/// Bytes of the border pieces' padded windows (directConvPieces), each
/// slot aligned.
static int64_t borderWindowBytes(Conv2DOp conv, ArrayRef<ConvRect> pieces) {
  auto in = cast<RankedTensorType>(conv.getInput().getType());
  int64_t bytes = 0;
  for (const ConvRect &piece : pieces.drop_front()) {
    ConvRect win = convBorderWindow(conv, piece);
    bytes += llvm::alignTo(in.getDimSize(0) * in.getDimSize(1) * (win.y1 - win.y0) *
                               (win.x1 - win.x0) * 4,
                           kArenaAlignment);
  }
  return bytes;
}

int64_t threadScratchBytes(Operation *op) {
  auto conv = dyn_cast<Conv2DOp>(op);
  if (!conv || bandedReader(conv.getInput()) != op || bandTaskThreads(op) < 2)
    return 0;
  return llvm::alignTo(bandBufferBytes(op), kArenaAlignment);
}

int64_t scratchBytes(Operation *op) {
  // A packed-input conv whose input is stored in its panels reads it there.
  if (auto conv = dyn_cast<Conv2DOp>(op); conv && panelStorage(conv.getInput()))
    return 0;
  if (int64_t rows = packedInputRows(op)) {
    // The panels, after the padded copy of the input if it needs one.
    auto conv = cast<Conv2DOp>(op);
    auto in = cast<RankedTensorType>(conv.getInput().getType());
    auto out = cast<RankedTensorType>(conv.getType());
    int64_t pixels = out.getDimSize(2) * out.getDimSize(3);
    return packedInputOffset(op) +
           in.getDimSize(0) * llvm::divideCeil(pixels, rows) * rows * in.getDimSize(1) *
               conv.getKernelH() * conv.getKernelW() * 4;
  }
  // Winograd convs: padded HWC input, V and M (Winograd.h).
  if (auto conv = dyn_cast<Conv2DOp>(op); conv && winograd::outputTile(conv.getFilterLayout()))
    return winograd::shapeOf(conv).totalElements * 4;
  // A channel-blocked depthwise conv pads while it copies into its blocks
  // (no padded copy); other convs and pools need a padded copy unless the
  // input is stored padded.
  if (auto conv = dyn_cast<Conv2DOp>(op)) {
    if (bandedReader(conv.getInput()) == op)
      return bandBufferBytes(op);
    if (blockedInputLanes(op))
      return blockedStorageLanes(conv.getInput()) ? 0
                                                   : paddedBytes(conv.getInput(), conv.getPads());
    if (auto pieces = directConvPieces(op); !pieces.empty())
      return borderWindowBytes(conv, pieces);
    return paddedCopyBytes(conv.getInput(), conv.getPads());
  }
  if (auto pool = dyn_cast<Pool2DOp>(op)) {
    if (bandedReader(pool.getInput()) == op)
      return bandedPoolBandOffset(op) + bandBufferBytes(op);
    return paddedCopyBytes(pool.getInput(), pool.getPads());
  }
  return 0;
}

} // namespace mnn
