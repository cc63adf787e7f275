//===- Vectorize.cpp - register-tile microkernels in the vector dialect ----===//
//
// A tiled kernel op (marked by mnn-tile with mnn.rows_dim / mnn.cols_dim)
// computes out[R rows x C <= VW lanes] += sum over the reduction dims of
// a * b. It becomes:
//   acc[r] = transfer_read out row r               (R vector registers)
//   for each reduction index (scf.for nest, accumulators as iter_args):
//     operand depends on the cols dim: one vector load (gathered when the
//       lanes are not contiguous), otherwise a scalar load + broadcast;
//     acc[r] = fma(a_r, b_r, acc[r])
// With indexed-lanes = L (AArch64: fmla by element reads its scalar from
// any lane of a 128-bit register), a per-row operand that is contiguous
// along the rows is loaded L rows at a time, and one contiguous along the
// innermost reduction dim L steps at a time (that loop is unrolled by L):
// fewer loads per fmla and no ld1r, which occupies an FP pipe.
//   transfer_write acc[r]
// A kernel op with a fused epilogue (KernelEpilogue.h) starts its
// accumulators from the bias/residual instead of reading the output, and
// applies the activation before the store.
// Operands with lanes 2 or 3 elements apart (stride-2/3 conv windows) are
// one contiguous load and a shuffle; a reduction dim of at most 5 steps
// that moves them by one element (kw) is unrolled so that its taps share
// those loads.
// Partial tiles (C < VW at the edge) use VW/2 or VW/4 lanes when C fits,
// masked loads and stores unless C fills them. Every other
// linalg op is left to be lowered to loops, which LLVM's loop vectorizer
// handles for the simple elementwise cases.
//
//===----------------------------------------------------------------------===//
#include "KernelEpilogue.h"
#include "VectorTranspose.h"
#include "mnn/Passes.h"

#include "mlir/Dialect/Utils/StaticValueUtils.h"
#include "mlir/IR/Matchers.h"

namespace mnn {
#define GEN_PASS_DEF_VECTORIZE
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;
using llvm::SmallVector;

namespace {

/// Cache level of the weight prefetches (mnn.prefetch_distance): 2 = L2
/// (prefetcht1 on x86, PLDL2KEEP on AArch64). The panels arrive from
/// memory a whole panel ahead, long before the FMAs need them; into L1
/// (prefetcht0) each one held a line-fill buffer for the whole memory
/// round trip, so few were in flight: ResNet-18's Winograd convs 0.84-0.91x
/// the time with L2 (layer3/4), the network 0.93-0.94x, mobilenet_v2's
/// packed-input convs 0.98x (1 thread, after a cache flush).
constexpr int32_t kPrefetchLocality = 2;

/// f32 elements per 64-byte cache line (the prefetches' unit).
constexpr int64_t kLineFloats = 16;

/// The body must be `out + a * b` (as the lowering builds it).
bool isMultiplyAccumulate(linalg::GenericOp op) {
  Block &body = op.getRegion().front();
  auto yield = cast<linalg::YieldOp>(body.getTerminator());
  auto add = yield.getOperand(0).getDefiningOp<arith::AddFOp>();
  if (!add)
    return false;
  Value acc = body.getArgument(op.getNumDpsInputs());
  Value prod = add.getLhs() == acc ? add.getRhs() : add.getLhs();
  auto mul = prod.getDefiningOp<arith::MulFOp>();
  return mul && (add.getLhs() == acc || add.getRhs() == acc) &&
         ((mul.getLhs() == body.getArgument(0) && mul.getRhs() == body.getArgument(1)) ||
          (mul.getLhs() == body.getArgument(1) && mul.getRhs() == body.getArgument(0)));
}

bool mapUses(AffineMap map, unsigned dim) {
  return llvm::any_of(map.getResults(), [&](AffineExpr e) {
    return e.isFunctionOfDim(dim);
  });
}

struct Microkernel {
  linalg::GenericOp op;
  OpBuilder &b;
  Location loc;
  unsigned rowsDim, colsDim;
  int64_t rows, vw;
  Value colsSize; // runtime lane count (index)
  Value mask;     // null for full tiles
  VectorType vType;
  int64_t indexedLanes; // 0: per-row operands are scalar loads + broadcasts
  std::optional<mnn::KernelEpilogue> epilogue;
  /// A reduction dim unrolled because it moves a strided-lane operand by
  /// one element (a conv's kw at stride 2 or 3): its taps share windows.
  std::optional<unsigned> tapDim;
  int64_t taps = 0;
  /// mnn.prefetch_distance: elements past the B operand's current row to
  /// prefetch each reduction step (the panel the next tile will stream), or
  /// past its current element where B is the per-row operand.
  int64_t prefetchDistance = 0;
  /// mnn.input_prefetch_distance: elements past the lane operand's current
  /// vector (A, along the lanes) to prefetch each reduction step; in a
  /// channel-lane tile (A per row), past row 0's element.
  int64_t inputPrefetch = 0;
  /// The even-odd-lane-block option (8 on x86 with 256-bit vectors).
  int64_t evenOddBlock = 0;
  /// Whether the tile's lane-varying values are held with their lanes
  /// permuted within blocks of 8 as laneOrder says (set by emit()).
  bool permuted = false;

  /// The output column that lane `lane` of the tile's vectors holds. An
  /// AVX2 stride-2 pick (the even or odd elements of two registers) is one
  /// vshufps, which works within 128-bit halves: it yields columns
  /// 0 1 4 5 2 3 6 7 of each 8, and a vpermpd per register would restore
  /// their order. A tile whose only lane-varying operand is read with
  /// stride 2 keeps that order throughout (its accumulators are per lane)
  /// and restores it once, at the store (and at the residual's load):
  /// a 3x3 stride-2 depthwise tile does 6 shuffles per kernel row and
  /// channel instead of 12. The permutation is its own inverse.
  int64_t laneOrder(int64_t lane) const {
    return permuted ? lane - lane % 8 + mnn::kVshufpsEvenOddOrder[lane % 8] : lane;
  }

  /// `v` (natural order) in the tile's lane order, or back.
  Value toLaneOrder(Value v) {
    if (!permuted)
      return v;
    SmallVector<int64_t> order;
    for (int64_t lane = 0; lane < vw; ++lane)
      order.push_back(laneOrder(lane));
    return b.create<vector::ShuffleOp>(loc, v, v, order);
  }

  /// How the operand that varies per row (and not along the lanes) is read.
  enum class PerRowLoads {
    Scalar,         // one scalar load + broadcast per row and step
    AlongRows,      // contiguous along the rows: L rows per vector load
    AlongReduction, // contiguous along the innermost reduction dim: L steps
  };

  PerRowLoads choosePerRowLoads(ArrayRef<AffineMap> maps, bool aRows, bool bRows,
                                ArrayRef<unsigned> reductionDims,
                                ArrayRef<int64_t> ranges) {
    if (indexedLanes <= 1 || aRows == bRows)
      return PerRowLoads::Scalar;
    unsigned p = aRows ? 0 : 1;
    if (mapUses(maps[p], colsDim) || mapUses(maps[1 - p], rowsDim))
      return PerRowLoads::Scalar;
    auto type = cast<MemRefType>(op.getDpsInputOperand(p)->get().getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    if (failed(getStridesAndOffset(type, strides, offset)) || strides.back() != 1)
      return PerRowLoads::Scalar;
    unsigned last = cast<AffineDimExpr>(maps[p].getResults().back()).getPosition();
    if (last == rowsDim && rows >= indexedLanes)
      return PerRowLoads::AlongRows;
    if (!reductionDims.empty() && last == reductionDims.back() &&
        ranges[last] % indexedLanes == 0)
      return PerRowLoads::AlongReduction;
    return PerRowLoads::Scalar;
  }

  SmallVector<Value> indices(AffineMap map, ArrayRef<Value> dims) {
    SmallVector<Value> idx;
    for (AffineExpr e : map.getResults())
      idx.push_back(dims[cast<AffineDimExpr>(e).getPosition()]);
    return idx;
  }

  Value cst(int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); }

  /// Loads the VW lanes of `operand` at `dims` (cols dim = lane 0).
  Value loadLanes(Value memref, AffineMap map, SmallVector<Value> dims) {
    auto type = cast<MemRefType>(memref.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    bool contiguous = succeeded(getStridesAndOffset(type, strides, offset)) &&
                      strides.back() == 1 &&
                      cast<AffineDimExpr>(map.getResults().back()).getPosition() ==
                          colsDim;
    if (contiguous) {
      auto perm = AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext());
      Value pad = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
      return toLaneOrder(b.create<vector::TransferReadOp>(
          loc, vType, memref, indices(map, dims), AffineMapAttr::get(perm), pad,
          mask, b.getBoolArrayAttr({true})));
    }
    unsigned laneDim = cast<AffineDimExpr>(map.getResults().back()).getPosition();
    int64_t laneStride = strides.empty() ? 0 : strides.back();
    if (laneDim == colsDim && (laneStride == 2 || laneStride == 3))
      return loadStridedLanes(memref, map, dims, laneStride);
    // Other strided lanes: one scalar load per lane, clamped to the valid
    // lanes of a partial tile.
    Value vec = zeroVector();
    Value last = b.create<arith::SubIOp>(loc, colsSize, cst(1));
    for (int64_t lane = 0; lane < vw; ++lane) {
      dims[colsDim] = b.create<arith::MinSIOp>(loc, cst(laneOrder(lane)), last);
      Value x = b.create<memref::LoadOp>(loc, memref, indices(map, dims));
      vec = b.create<vector::InsertOp>(loc, x, vec, lane);
    }
    return vec;
  }

  /// A 1-D view of `span` elements of `memref`'s buffer starting `distance`
  /// elements past its element at `dims` (which may lie outside `memref`'s
  /// own view, in the same buffer).
  Value flatView(Value memref, AffineMap map, SmallVector<Value> dims,
                 int64_t distance, int64_t span) {
    auto meta = b.create<memref::ExtractStridedMetadataOp>(loc, memref);
    Value at = meta.getOffset();
    if (distance)
      at = b.create<arith::AddIOp>(loc, at, cst(distance));
    for (auto [i, idx] : llvm::enumerate(indices(map, dims)))
      at = b.create<arith::AddIOp>(
          loc, at, b.create<arith::MulIOp>(loc, idx, meta.getStrides()[i]));
    auto flatType = MemRefType::get(
        {span}, b.getF32Type(),
        StridedLayoutAttr::get(b.getContext(), ShapedType::kDynamic, {1}));
    return b.create<memref::ReinterpretCastOp>(
        loc, flatType, meta.getBaseBuffer(), OpFoldResult(at),
        ArrayRef<OpFoldResult>{b.getIndexAttr(span)},
        ArrayRef<OpFoldResult>{b.getIndexAttr(1)});
  }

  /// Prefetches (for reading, at cache level `locality`) the element of
  /// `mem` `distance` elements past the one `map` gives for `dims`.
  void prefetchAhead(Value mem, AffineMap map, SmallVector<Value> dims, int64_t distance,
                     int32_t locality) {
    Value ahead = flatView(mem, map, std::move(dims), distance, 1);
    b.create<memref::PrefetchOp>(loc, ahead, ValueRange{cst(0)}, /*isWrite=*/false, locality,
                                 /*isDataCache=*/true);
  }

  /// Prefetches every cache line of the `vw` elements of `mem` (through
  /// `map`) that this iteration's `steps` steps of reduction dim `k` read,
  /// `distance` elements further on, at cache level `locality`.
  void linePrefetches(Value mem, AffineMap map, ArrayRef<Value> dims, unsigned k,
                      int64_t steps, int64_t distance, int32_t locality) {
    for (int64_t u = 0; u < steps; ++u)
      for (int64_t line = 0; line < std::max<int64_t>(1, vw / kLineFloats); ++line) {
        SmallVector<Value> at(dims);
        if (u)
          at[k] = b.create<arith::AddIOp>(loc, dims[k], cst(u));
        prefetchAhead(mem, map, at, distance + kLineFloats * line, locality);
      }
  }

  /// mnn.prefetch_spread = [outer, tile]: dims of A such that the row tiles
  /// sharing one B panel run one after another, tile by tile along A's dim
  /// `tile` (this tile's extent there), within one step of dim `outer`
  /// (the Winograd GEMM: A = V[e] [e, rows, K], [0, 1]; a packed-input
  /// conv: its pixel panels, [0, 5]). Row tile i of those R, at the
  /// panel's row k of K, prefetches the line (i * K + k) / (R * K) of the
  /// way through the next panel (mnn.prefetch_distance on): the next panel
  /// streams in evenly across all R row tiles. Prefetching it all in the
  /// first row tile asked for two lines per step, far more than memory
  /// delivers, and left the other R - 1 with nothing in flight (a 14x14
  /// 256-channel Winograd conv took 1.6x its time with U in cache).
  /// False (nothing emitted) where the views do not have that form.
  bool spreadPrefetch(Value a, Value bb, AffineMap bMap, ArrayRef<Value> dims,
                      ArrayRef<unsigned> reductionDims, int64_t steps) {
    auto spread = op->getAttrOfType<DenseI64ArrayAttr>("mnn.prefetch_spread");
    auto aType = cast<MemRefType>(a.getType());
    auto bType = cast<MemRefType>(bb.getType());
    SmallVector<int64_t> aStrides, bStrides;
    int64_t aOffset, bOffset;
    if (!spread || spread.size() != 2 || failed(getStridesAndOffset(aType, aStrides, aOffset)) ||
        failed(getStridesAndOffset(bType, bStrides, bOffset)))
      return false;
    int64_t outer = spread[0], tileDim = spread[1];
    if (outer >= aType.getRank() || tileDim >= aType.getRank() ||
        ShapedType::isDynamic(aStrides[outer]) || ShapedType::isDynamic(aStrides[tileDim]) ||
        aType.isDynamicDim(tileDim) || bType.isDynamicDim(bType.getRank() - 1) ||
        llvm::any_of(bStrides, ShapedType::isDynamic))
      return false;
    int64_t tileStride = aStrides[tileDim] * aType.getDimSize(tileDim);
    // The panel: K rows of `width` (the tile's lanes, or the panel's
    // columns where narrower pieces cover them), one distance long.
    int64_t width = bType.getDimSize(bType.getRank() - 1), panel = prefetchDistance;
    if (tileStride <= 0 || aStrides[outer] % tileStride || panel % width)
      return false;
    int64_t tiles = aStrides[outer] / tileStride, reduction = panel / width;
    Value tile = b.create<arith::DivUIOp>(
        loc,
        b.create<arith::RemUIOp>(loc, b.create<memref::ExtractStridedMetadataOp>(loc, a).getOffset(),
                                 cst(aStrides[outer])),
        cst(tileStride));
    // This step's row of the panel, from B's indices.
    Value row = cst(0);
    for (auto [i, idx] : llvm::enumerate(indices(bMap, dims)))
      row = b.create<arith::AddIOp>(loc, row, b.create<arith::MulIOp>(loc, idx, cst(bStrides[i])));
    row = b.create<arith::DivUIOp>(loc, row, cst(width));
    Value step = b.create<arith::AddIOp>(
        loc, b.create<arith::MulIOp>(loc, tile, cst(reduction)), row);
    SmallVector<Value> start(dims);
    for (unsigned d : reductionDims)
      start[d] = cst(0);
    Value next = flatView(bb, bMap, start, prefetchDistance, panel);
    // Lines an iteration moves on: steps * width / (16 R), rounded up, plus
    // one where that is not whole (the first line is rounded down).
    int64_t moved = steps * width, perLine = kLineFloats * tiles;
    int64_t lines = moved % perLine ? moved / perLine + 1 : std::max<int64_t>(1, moved / perLine);
    Value first = b.create<arith::AndIOp>(
        loc,
        b.create<arith::DivUIOp>(loc, b.create<arith::MulIOp>(loc, step, cst(width)),
                                 cst(tiles)),
        cst(~(kLineFloats - 1)));
    for (int64_t line = 0; line < lines; ++line) {
      Value at = line ? b.create<arith::AddIOp>(loc, first, cst(line * kLineFloats)).getResult()
                      : first;
      b.create<memref::PrefetchOp>(loc, next, ValueRange{at}, /*isWrite=*/false,
                                   /*localityHint=*/kPrefetchLocality, /*isDataCache=*/true);
    }
    return true;
  }

  /// Lanes `stride` elements apart along the innermost dim of `memref`
  /// (stride-2/3 convolutions): one contiguous load spanning them all, then
  /// a shuffle picking every stride-th element, instead of a scalar load
  /// per lane.
  Value loadStridedLanes(Value memref, AffineMap map, SmallVector<Value> dims,
                         int64_t stride) {
    // An unrolled tap t = q * stride + r reads the window of the taps
    // q * stride .. q * stride + stride - 1 (all stride * VW elements; the
    // last one only if tap q * stride + stride - 1 exists, since it is
    // past what this tap needs) and picks lanes r, r + stride, ...: taps
    // 0 and 1 of a stride-2 conv share one window.
    int64_t first = 0;
    bool wholeWindow = false;
    if (tapDim && mapUses(map, *tapDim)) {
      auto tap = getConstantIntValue(dims[*tapDim]);
      if (tap) {
        first = *tap % stride;
        wholeWindow = *tap - first + stride - 1 < taps && !mask;
        // A tap without the partners of its window (tap 2 of a 3x3
        // stride-2 conv) still reads a whole window, the one ending at its
        // last element: it picks lanes stride - 1, 2 stride - 1, ... A
        // window of (VW - 1) x stride + 1 elements would be loaded in
        // pieces (a 31-float vector: three ymm, then an xmm and scalars).
        if (!wholeWindow && !mask && *tap >= stride - 1) {
          first = stride - 1;
          wholeWindow = true;
        }
        dims[*tapDim] = cst(*tap - first);
      }
    }
    int64_t span = wholeWindow ? vw * stride : (vw - 1) * stride + 1 + first;
    Value flat = flatView(memref, map, dims, 0, span);
    Value spanMask;
    if (mask) {
      // A partial tile reads up to its last valid lane only.
      Value n = b.create<arith::AddIOp>(
          loc, b.create<arith::MulIOp>(
                   loc, b.create<arith::SubIOp>(loc, colsSize, cst(1)), cst(stride)),
          cst(1 + first));
      spanMask = b.create<vector::CreateMaskOp>(
          loc, VectorType::get({span}, b.getI1Type()), ValueRange{n});
    }
    auto spanType = VectorType::get({span}, b.getF32Type());
    auto perm = AffineMap::getMinorIdentityMap(1, 1, b.getContext());
    Value pad = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
    Value wide = b.create<vector::TransferReadOp>(
        loc, spanType, flat, ValueRange{cst(0)}, AffineMapAttr::get(perm), pad,
        spanMask, b.getBoolArrayAttr({true}));
    SmallVector<int64_t> pick;
    for (int64_t lane = 0; lane < vw; ++lane)
      pick.push_back(first + laneOrder(lane) * stride);
    return b.create<vector::ShuffleOp>(loc, wide, wide, pick);
  }

  /// True if `memref`, read through `map`, is contiguous along the rows and
  /// strided along the lanes (a channel-lane tile's NCHW output or
  /// residual), so that whole tiles move as transposed vectors.
  bool contiguousAlongRows(Value memref, AffineMap map) {
    auto type = cast<MemRefType>(memref.getType());
    SmallVector<int64_t> strides;
    int64_t offset;
    return !mask && llvm::isPowerOf2_64(vw) && mapUses(map, colsDim) &&
           succeeded(getStridesAndOffset(type, strides, offset)) &&
           strides.back() == 1 &&
           cast<AffineDimExpr>(map.getResults().back()).getPosition() == rowsDim;
  }

  /// Transposes `v`, `width` vectors of `width` lanes (VectorTranspose.h;
  /// unpack/shufps/vperm2f128 on x86, zip/trn on AArch64).
  SmallVector<Value> transpose(SmallVector<Value> v, int64_t width) {
    return mnn::transposeSquare(b, loc, std::move(v), width);
  }

  /// Lanes per block of a transposed load/store: the rows' power of two,
  /// at most VW (16 lanes x 6 rows: two 8 x 8 transposes, not a 16 x 16).
  int64_t transposeBlock() const {
    return std::min<int64_t>(vw, llvm::PowerOf2Ceil(rows));
  }

  Value zeros(int64_t width) {
    auto type = VectorType::get({width}, b.getF32Type());
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, b.getF32FloatAttr(0).getValue()));
  }

  Value zeroVector() { return zeros(vw); }

  /// The tile's row vectors (lanes along the cols) of a memref contiguous
  /// along the rows: per group of B rows and block of B lanes (B =
  /// transposeBlock()), one load per lane, transposed.
  SmallVector<Value> loadRowsTransposed(Value memref, AffineMap map) {
    auto type = cast<MemRefType>(memref.getType());
    auto perm = AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext());
    Value pad = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
    int64_t block = transposeBlock();
    SmallVector<Value> result;
    for (int64_t g = 0; g < rows; g += block) {
      int64_t n = std::min(block, rows - g);
      SmallVector<Value> groupRows(n, zeroVector());
      for (int64_t l0 = 0; l0 < vw; l0 += block) {
        SmallVector<Value> perLane;
        for (int64_t lane = l0; lane < l0 + block; ++lane) {
          SmallVector<Value> dims(op.getNumLoops(), cst(0));
          dims[rowsDim] = cst(g);
          dims[colsDim] = cst(lane);
          Value v = b.create<vector::TransferReadOp>(
              loc, VectorType::get({n}, b.getF32Type()), memref, indices(map, dims),
              AffineMapAttr::get(perm), pad, Value(), b.getBoolArrayAttr({true}));
          if (n < block)
            v = b.create<vector::InsertStridedSliceOp>(loc, v, zeros(block),
                                                        ArrayRef<int64_t>{0},
                                                        ArrayRef<int64_t>{1});
          perLane.push_back(v);
        }
        SmallVector<Value> t = transpose(perLane, block);
        for (int64_t r = 0; r < n; ++r)
          groupRows[r] = block == vw ? t[r]
                                     : b.create<vector::InsertStridedSliceOp>(
                                           loc, t[r], groupRows[r],
                                           ArrayRef<int64_t>{l0}, ArrayRef<int64_t>{1})
                                           .getResult();
      }
      result.append(groupRows.begin(), groupRows.end());
    }
    return result;
  }

  /// Stores the tile's row vectors into a memref contiguous along the rows:
  /// per group of B rows and block of B lanes, transposed, one store per
  /// lane.
  void storeRowsTransposed(ArrayRef<Value> rowValues, Value memref, AffineMap map) {
    auto type = cast<MemRefType>(memref.getType());
    auto perm = AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext());
    int64_t block = transposeBlock();
    for (int64_t g = 0; g < rows; g += block) {
      int64_t n = std::min(block, rows - g);
      for (int64_t l0 = 0; l0 < vw; l0 += block) {
        SmallVector<Value> group;
        for (int64_t r = g; r < g + n; ++r)
          group.push_back(block == vw ? rowValues[r]
                                      : b.create<vector::ExtractStridedSliceOp>(
                                            loc, rowValues[r], ArrayRef<int64_t>{l0},
                                            ArrayRef<int64_t>{block},
                                            ArrayRef<int64_t>{1})
                                            .getResult());
        while ((int64_t)group.size() < block)
          group.push_back(zeros(block));
        SmallVector<Value> t = transpose(group, block);
        for (int64_t lane = 0; lane < block; ++lane) {
          Value v = t[lane];
          if (n < block)
            v = b.create<vector::ExtractStridedSliceOp>(loc, v, ArrayRef<int64_t>{0},
                                                        ArrayRef<int64_t>{n},
                                                        ArrayRef<int64_t>{1});
          SmallVector<Value> dims(op.getNumLoops(), cst(0));
          dims[rowsDim] = cst(g);
          dims[colsDim] = cst(l0 + lane);
          b.create<vector::TransferWriteOp>(loc, Type(), v, memref, indices(map, dims),
                                            AffineMapAttr::get(perm), Value(),
                                            b.getBoolArrayAttr({true}));
        }
      }
    }
  }

  Value operandValue(Value memref, AffineMap map, SmallVector<Value> dims) {
    if (mapUses(map, colsDim))
      return loadLanes(memref, map, dims);
    Value x = b.create<memref::LoadOp>(loc, memref, indices(map, dims));
    return b.create<vector::BroadcastOp>(loc, vType, x);
  }

  /// The reduction dim to unroll for shared strided windows: one that
  /// moves the operand read with stride-2 or -3 lanes by one element, with
  /// at most 5 steps (5x5 kernels) (PerRowLoads::Scalar kernels only).
  std::optional<unsigned> stridedTapDim(ArrayRef<AffineMap> maps,
                                        ArrayRef<int64_t> ranges,
                                        ArrayRef<unsigned> reductionDims) {
    if (indexedLanes > 1)
      return std::nullopt;
    for (unsigned p : {0u, 1u}) {
      auto type = cast<MemRefType>(op.getDpsInputOperand(p)->get().getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      AffineMap map = maps[p];
      if (failed(getStridesAndOffset(type, strides, offset)) || strides.empty() ||
          cast<AffineDimExpr>(map.getResults().back()).getPosition() != colsDim ||
          (strides.back() != 2 && strides.back() != 3))
        continue;
      for (unsigned d : reductionDims)
        for (auto [i, e] : llvm::enumerate(map.getResults()))
          if (cast<AffineDimExpr>(e).getPosition() == d && strides[i] == 1 &&
              ranges[d] > 1 && ranges[d] <= 5)
            return d;
    }
    return std::nullopt;
  }

  /// Whether this tile keeps vshufps's lane order (see laneOrder): the
  /// option is on, the tile is whole vectors of blocks of 8, a kernel operand
  /// varies along the lanes only with stride 2 (none contiguously, which
  /// would need a shuffle per load), and the output and any lane-varying
  /// addend move as plain vectors.
  bool keepsStride2Order(ArrayRef<AffineMap> maps, bool outContiguous) {
    if (evenOddBlock != 8 || mask || vw % 8 != 0 || !outContiguous)
      return false;
    bool stride2 = false;
    for (unsigned p : {0u, 1u}) {
      if (!mapUses(maps[p], colsDim))
        continue;
      auto type = cast<MemRefType>(op.getDpsInputOperand(p)->get().getType());
      SmallVector<int64_t> strides;
      int64_t offset;
      if (failed(getStridesAndOffset(type, strides, offset)) ||
          cast<AffineDimExpr>(maps[p].getResults().back()).getPosition() != colsDim ||
          strides.back() != 2)
        return false;
      stride2 = true;
    }
    for (auto [i, addend] : llvm::enumerate(mnn::epilogueAddends(op)))
      if (contiguousAlongRows(addend, maps[2 + i]))
        return false;
    return stride2;
  }

  LogicalResult emit() {
    SmallVector<AffineMap> maps = op.getIndexingMapsArray();
    Value a = op.getDpsInputOperand(0)->get(), bb = op.getDpsInputOperand(1)->get();
    Value out = op.getDpsInitOperand(0)->get();
    auto outType = cast<MemRefType>(out.getType());
    SmallVector<int64_t> outStrides;
    int64_t outOffset;
    if (failed(getStridesAndOffset(outType, outStrides, outOffset)))
      return failure();
    // Lanes along the output's contiguous dim: plain vector loads/stores.
    // Otherwise (the channel-lane schedule) the accumulators move once per
    // tile, outside the reduction loops: as transposed vectors where the
    // output is contiguous along the rows, else lane by lane.
    AffineMap outMap = maps.back();
    bool outContiguous =
        outStrides.back() == 1 &&
        cast<AffineDimExpr>(outMap.getResults().back()).getPosition() == colsDim;

    unsigned numDims = op.getNumLoops();
    SmallVector<Value> zeroDims(numDims, cst(0));
    auto perm = AffineMap::getMinorIdentityMap(outType.getRank(), 1, b.getContext());
    Value pad = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
    bool outAlongRows = !outContiguous && contiguousAlongRows(out, outMap);
    permuted = keepsStride2Order(maps, outContiguous);
    SmallVector<Value> accs;
    if (epilogue) {
      // The sum of the addends (bias: one scalar or vector per tile,
      // residual: like the output), or zero.
      accs.assign(rows, zeroVector());
      for (auto [i, addend] : llvm::enumerate(mnn::epilogueAddends(op))) {
        AffineMap map = maps[2 + i];
        SmallVector<Value> values;
        if (contiguousAlongRows(addend, map))
          values = loadRowsTransposed(addend, map);
        for (int64_t r = 0; r < rows; ++r) {
          SmallVector<Value> dims = zeroDims;
          dims[rowsDim] = cst(r);
          Value v = values.empty() ? operandValue(addend, map, dims) : values[r];
          accs[r] = i == 0 ? v : b.create<arith::AddFOp>(loc, accs[r], v).getResult();
        }
      }
    } else if (outAlongRows) {
      accs = loadRowsTransposed(out, outMap);
    } else {
      for (int64_t r = 0; r < rows; ++r) {
        SmallVector<Value> dims = zeroDims;
        dims[rowsDim] = cst(r);
        if (outContiguous) {
          accs.push_back(toLaneOrder(b.create<vector::TransferReadOp>(
              loc, vType, out, indices(outMap, dims), AffineMapAttr::get(perm), pad,
              mask, b.getBoolArrayAttr({true}))));
          continue;
        }
        auto gather =
            b.create<scf::ForOp>(loc, cst(0), colsSize, cst(1), ValueRange{zeroVector()});
        {
          OpBuilder::InsertionGuard g(b);
          b.setInsertionPointToStart(gather.getBody());
          Value lane = gather.getInductionVar();
          dims[colsDim] = lane;
          Value x = b.create<memref::LoadOp>(loc, out, indices(outMap, dims));
          Value v = b.create<vector::InsertElementOp>(loc, x, gather.getRegionIterArgs()[0], lane);
          b.create<scf::YieldOp>(loc, v);
        }
        accs.push_back(gather.getResult(0));
      }
    }

    // Reduction loops, outermost first, accumulators carried through.
    SmallVector<int64_t> ranges = op.getStaticLoopRanges();
    SmallVector<unsigned> reductionDims;
    op.getReductionDims(reductionDims);
    bool aRows = mapUses(maps[0], rowsDim), bRows = mapUses(maps[1], rowsDim);
    PerRowLoads perRow = choosePerRowLoads(maps, aRows, bRows, reductionDims, ranges);
    SmallVector<Value> dims = zeroDims;
    OpBuilder::InsertionGuard guard(b);
    SmallVector<scf::ForOp> loops;
    tapDim = stridedTapDim(maps, ranges, reductionDims);
    if (tapDim)
      taps = ranges[*tapDim];
    for (unsigned d : reductionDims) {
      if (tapDim == d)
        continue;
      // Along-reduction lane loads take `indexedLanes` steps per iteration.
      int64_t step = perRow == PerRowLoads::AlongReduction && d == reductionDims.back()
                         ? indexedLanes
                         : 1;
      auto loop = b.create<scf::ForOp>(loc, cst(0), cst(ranges[d]), cst(step), accs);
      if (!loops.empty())
        b.create<scf::YieldOp>(loc, loop.getResults());
      loops.push_back(loop);
      b.setInsertionPointToStart(loop.getBody());
      dims[d] = loop.getInductionVar();
      accs.assign(loop.getRegionIterArgs().begin(), loop.getRegionIterArgs().end());
    }
    SmallVector<Value> next;
    // Unrolled taps where both operands vary per row (a depthwise conv:
    // each row is a channel), one row at a time: the row's windows are used
    // up by its taps before the next row loads its own (tap by tap across
    // the rows, LLVM kept every row's windows live and spilled them).
    bool rowByRow = tapDim && aRows && bRows && perRow == PerRowLoads::Scalar &&
                    !prefetchDistance;
    if (rowByRow) {
      for (int64_t r = 0; r < rows; ++r) {
        Value acc = accs[r];
        for (int64_t tap = 0; tap < taps; ++tap) {
          SmallVector<Value> rowDims = dims;
          rowDims[*tapDim] = cst(tap);
          rowDims[rowsDim] = cst(r);
          acc = b.create<vector::FMAOp>(loc, operandValue(a, maps[0], rowDims),
                                        operandValue(bb, maps[1], rowDims), acc);
        }
        next.push_back(acc);
      }
    }
    for (int64_t tap = 0; tap < (tapDim ? taps : 1) && !rowByRow; ++tap) {
    if (tapDim) {
      dims[*tapDim] = cst(tap);
      if (tap > 0)
        accs = next;
      next.clear();
    }
    int64_t steps = perRow == PerRowLoads::AlongReduction ? indexedLanes : 1;
    // The lane operand's lines mnn.input_prefetch_distance on, into L1.
    if (inputPrefetch && mapUses(maps[0], colsDim) && !aRows)
      linePrefetches(a, maps[0], dims, reductionDims.back(), steps, inputPrefetch,
                     /*locality=*/3);
    // A channel-lane tile's per-row input (its pixels): row 0's element
    // that distance on, once per step.
    if (inputPrefetch && aRows && !mapUses(maps[0], colsDim))
      prefetchAhead(a, maps[0], dims, inputPrefetch, /*locality=*/3);
    if (prefetchDistance && mapUses(maps[1], colsDim)) {
      // This row tile's share of the next panel (mnn.prefetch_spread), or
      // else the next panel's copy of the rows this step reads.
      if (!spreadPrefetch(a, bb, maps[1], dims, reductionDims, steps))
        linePrefetches(bb, maps[1], dims, reductionDims.back(), steps, prefetchDistance,
                       kPrefetchLocality);
    } else if (prefetchDistance && mapUses(maps[1], rowsDim)) {
      // A per-row B operand streamed along the reduction (the tiles-as-lanes
      // Winograd GEMM's U panel, a few floats per step): one prefetch per
      // step, the distance past row 0's element.
      prefetchAhead(bb, maps[1], dims, prefetchDistance, kPrefetchLocality);
    }
    if (perRow == PerRowLoads::Scalar) {
      Value aShared, bShared;
      if (!aRows)
        aShared = operandValue(a, maps[0], dims);
      if (!bRows)
        bShared = operandValue(bb, maps[1], dims);
      for (int64_t r = 0; r < rows; ++r) {
        SmallVector<Value> rowDims = dims;
        rowDims[rowsDim] = cst(r);
        Value av = aRows ? operandValue(a, maps[0], rowDims) : aShared;
        Value bv = bRows ? operandValue(bb, maps[1], rowDims) : bShared;
        next.push_back(b.create<vector::FMAOp>(loc, av, bv, accs[r]));
      }
    } else {
      // One operand is per row (a scalar broadcast to all lanes), the other
      // shared by all rows; the per-row scalars come from lanes of
      // `indexedLanes`-wide loads (lane-indexed fmla on AArch64).
      unsigned p = aRows ? 0 : 1;
      Value perRowMem = p == 0 ? a : bb, sharedMem = p == 0 ? bb : a;
      auto laneType = VectorType::get({indexedLanes}, b.getF32Type());
      auto laneLoad = [&](SmallVector<Value> at) -> Value {
        auto type = cast<MemRefType>(perRowMem.getType());
        auto perm = AffineMap::getMinorIdentityMap(type.getRank(), 1, b.getContext());
        Value pad = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
        return b.create<vector::TransferReadOp>(loc, laneType, perRowMem,
                                                indices(maps[p], at),
                                                AffineMapAttr::get(perm), pad, Value(),
                                                b.getBoolArrayAttr({true}));
      };
      auto fma = [&](Value scalarLanes, int64_t lane, Value shared, Value acc) {
        Value x = b.create<vector::ExtractOp>(loc, scalarLanes, lane);
        Value perRowV = b.create<vector::BroadcastOp>(loc, vType, x);
        return p == 0 ? b.create<vector::FMAOp>(loc, perRowV, shared, acc).getResult()
                      : b.create<vector::FMAOp>(loc, shared, perRowV, acc).getResult();
      };
      if (perRow == PerRowLoads::AlongRows) {
        // Rows r.. r+L-1 from one load; a last partial group overlaps the
        // one before it (start rows-L) so nothing past the tile is read.
        Value shared = operandValue(sharedMem, maps[1 - p], dims);
        int64_t groups = (rows + indexedLanes - 1) / indexedLanes;
        SmallVector<Value> groupLanes;
        for (int64_t g = 0; g < groups; ++g) {
          SmallVector<Value> at = dims;
          at[rowsDim] = cst(std::min(g * indexedLanes, rows - indexedLanes));
          groupLanes.push_back(laneLoad(at));
        }
        for (int64_t r = 0; r < rows; ++r) {
          int64_t g = std::min(r / indexedLanes, groups - 1);
          int64_t start = std::min(g * indexedLanes, rows - indexedLanes);
          next.push_back(fma(groupLanes[g], r - start, shared, accs[r]));
        }
      } else {
        // L reduction steps per iteration: row r's scalars for all of them
        // from one load.
        unsigned d = reductionDims.back();
        SmallVector<Value> rowLanes;
        for (int64_t r = 0; r < rows; ++r) {
          SmallVector<Value> at = dims;
          at[rowsDim] = cst(r);
          rowLanes.push_back(laneLoad(at));
        }
        next.assign(accs.begin(), accs.end());
        for (int64_t u = 0; u < indexedLanes; ++u) {
          SmallVector<Value> at = dims;
          at[d] = b.create<arith::AddIOp>(loc, dims[d], cst(u));
          Value shared = operandValue(sharedMem, maps[1 - p], at);
          for (int64_t r = 0; r < rows; ++r)
            next[r] = fma(rowLanes[r], u, shared, next[r]);
        }
      }
    }
    }
    if (!loops.empty()) {
      b.create<scf::YieldOp>(loc, next);
      b.setInsertionPointAfter(loops.front());
      accs.assign(loops.front().getResults().begin(), loops.front().getResults().end());
    } else {
      accs = next;
    }
    if (epilogue)
      for (Value &acc : accs)
        acc = mnn::activationBody(b, loc, acc, epilogue->activation, epilogue->lo,
                                  epilogue->hi);
    if (outAlongRows) {
      storeRowsTransposed(accs, out, outMap);
      return success();
    }
    for (int64_t r = 0; r < rows; ++r) {
      SmallVector<Value> rowDims = zeroDims;
      rowDims[rowsDim] = cst(r);
      if (outContiguous) {
        b.create<vector::TransferWriteOp>(loc, Type(), toLaneOrder(accs[r]), out,
                                          indices(outMap, rowDims),
                                          AffineMapAttr::get(perm), mask,
                                          b.getBoolArrayAttr({true}));
        continue;
      }
      auto scatter = b.create<scf::ForOp>(loc, cst(0), colsSize, cst(1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(scatter.getBody());
      Value lane = scatter.getInductionVar();
      rowDims[colsDim] = lane;
      Value x = b.create<vector::ExtractElementOp>(loc, accs[r], lane);
      b.create<memref::StoreOp>(loc, x, out, indices(outMap, rowDims));
    }
    return success();
  }
};

/// Narrowest vector of a partial tile's piece.
constexpr int64_t kMinLanes = 4;

/// A copy of the tile op over columns [offset, offset + size) of its cols
/// dim (size none: to the end): each operand indexed by that dim is cut by a
/// subview.
linalg::GenericOp columnsOf(OpBuilder &b, linalg::GenericOp op, unsigned colsDim,
                            int64_t offset, std::optional<int64_t> size) {
  Location loc = op.getLoc();
  IRMapping mapping;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    Value v = operand.get();
    auto type = cast<MemRefType>(v.getType());
    for (auto [i, e] : llvm::enumerate(map.getResults())) {
      if (!e.isFunctionOfDim(colsDim))
        continue;
      SmallVector<OpFoldResult> offsets(type.getRank(), b.getIndexAttr(0));
      SmallVector<OpFoldResult> sizes = memref::getMixedSizes(b, loc, v);
      SmallVector<OpFoldResult> strides(type.getRank(), b.getIndexAttr(1));
      offsets[i] = b.getIndexAttr(offset);
      if (size) {
        sizes[i] = b.getIndexAttr(*size);
      } else {
        Value whole = getValueOrCreateConstantIndexOp(b, loc, sizes[i]);
        sizes[i] = b.create<arith::SubIOp>(loc, whole,
                                           b.create<arith::ConstantIndexOp>(loc, offset))
                       .getResult();
      }
      mapping.map(v, b.create<memref::SubViewOp>(loc, v, offsets, sizes, strides));
      break;
    }
  }
  return cast<linalg::GenericOp>(b.clone(*op, mapping));
}

/// A copy of the partial tile op (the last `size` < vw columns of a row)
/// over the vw columns that end where it ends, or null. Each operand
/// indexed by the cols dim is a subview (mnn-tile's) of a buffer that holds
/// at least vw columns; its copy starts size - vw columns earlier. Only for
/// kernels that overwrite their output (an epilogue): the columns before
/// the tile are computed again and stored with the values they already
/// have.
linalg::GenericOp shiftedFullTile(OpBuilder &b, linalg::GenericOp op, unsigned colsDim,
                                  int64_t vw, Value size) {
  Location loc = op.getLoc();
  // (operand, its subview, the subview's axis along the cols dim)
  SmallVector<std::tuple<Value, memref::SubViewOp, unsigned>> shifted;
  for (OpOperand &operand : op->getOpOperands()) {
    AffineMap map = op.getMatchingIndexingMap(&operand);
    for (auto [i, e] : llvm::enumerate(map.getResults())) {
      if (!e.isFunctionOfDim(colsDim))
        continue;
      auto view = operand.get().getDefiningOp<memref::SubViewOp>();
      if (!view || e != getAffineDimExpr(colsDim, op.getContext()) ||
          view.getSourceType().getRank() != view.getType().getRank() ||
          view.getSourceType().isDynamicDim(i) || view.getSourceType().getDimSize(i) < vw)
        return {};
      shifted.push_back({operand.get(), view, (unsigned)i});
      break;
    }
  }
  IRMapping mapping;
  Value back = b.create<arith::SubIOp>(loc, b.create<arith::ConstantIndexOp>(loc, vw), size);
  for (auto [v, view, axis] : shifted) {
    SmallVector<OpFoldResult> offsets = view.getMixedOffsets();
    SmallVector<OpFoldResult> sizes = view.getMixedSizes();
    Value start = getValueOrCreateConstantIndexOp(b, loc, offsets[axis]);
    offsets[axis] = b.create<arith::SubIOp>(loc, start, back).getResult();
    sizes[axis] = b.getIndexAttr(vw);
    mapping.map(v, b.create<memref::SubViewOp>(loc, view.getSource(), offsets, sizes,
                                               view.getMixedStrides()));
  }
  return cast<linalg::GenericOp>(b.clone(*op, mapping));
}

LogicalResult vectorizeKernel(linalg::GenericOp op, int64_t vw, int64_t indexedLanes,
                              int64_t evenOddBlock) {
  std::optional<mnn::KernelEpilogue> epilogue = mnn::KernelEpilogue::of(op);
  // Inputs: the two operands, then the epilogue's addends.
  if (op.getNumDpsInputs() < 2 || (op.getNumDpsInputs() > 2 && !epilogue) ||
      !isMultiplyAccumulate(op) || !op.hasPureBufferSemantics())
    return failure();
  unsigned rowsDim = op->getAttrOfType<IntegerAttr>("mnn.rows_dim").getInt();
  unsigned colsDim = op->getAttrOfType<IntegerAttr>("mnn.cols_dim").getInt();
  OpBuilder b(op);
  Location loc = op.getLoc();
  SmallVector<Range, 4> ranges =
      cast<linalg::LinalgOp>(op.getOperation()).createLoopRanges(b, loc);
  auto iterators = op.getIteratorTypesArray();
  std::optional<int64_t> rows = getConstantIntValue(ranges[rowsDim].size);
  if (!rows)
    return failure();
  // Every other parallel dim of a register tile has size 1.
  for (unsigned d = 0; d < ranges.size(); ++d) {
    std::optional<int64_t> size = getConstantIntValue(ranges[d].size);
    if (iterators[d] == utils::IteratorType::reduction) {
      if (!size)
        return failure();
    } else if (d != rowsDim && d != colsDim && size != 1) {
      return failure();
    }
  }
  std::optional<int64_t> cols = getConstantIntValue(ranges[colsDim].size);
  if (cols && *cols > vw)
    return failure();
  // The kernel of `tile` over `width` lanes, masked to `size` unless `exact`.
  auto emit = [&](linalg::GenericOp tile, Value size, int64_t width, bool exact) {
    Microkernel k{tile, b, loc, rowsDim, colsDim, *rows, width, size, Value(),
                  VectorType::get({width}, b.getF32Type()), indexedLanes, epilogue};
    if (auto d = op->getAttrOfType<IntegerAttr>("mnn.prefetch_distance"))
      k.prefetchDistance = d.getInt();
    if (auto d = op->getAttrOfType<IntegerAttr>("mnn.input_prefetch_distance"))
      k.inputPrefetch = d.getInt();
    k.evenOddBlock = evenOddBlock;
    if (!exact)
      k.mask = b.create<vector::CreateMaskOp>(
          loc, VectorType::get({width}, b.getI1Type()), ValueRange{size});
    return k.emit();
  };
  // A partial tile (the right edge of a row; masked loads and stores are
  // slow on x86) is split into unmasked pieces of VW/2 or VW/4 lanes and
  // at most one masked piece, the narrowest that holds the rest: 12
  // columns are 8 + 4, 14 would be 8 + 4 + 2 (masked 4), 7 4 + 3 (masked 4).
  auto narrowest = [&](int64_t n) {
    int64_t width = vw;
    while (width % 2 == 0 && width / 2 >= n && width / 2 >= kMinLanes)
      width /= 2;
    return width;
  };
  // Unmasked pieces that cover n columns exactly (0: a masked one is needed).
  std::function<int64_t(int64_t)> exactPieces = [&](int64_t n) -> int64_t {
    int64_t width = narrowest(n);
    if (n == width)
      return 1;
    if (n % kMinLanes != 0 || width / 2 < kMinLanes)
      return 0;
    int64_t rest = exactPieces(n - width / 2);
    return rest ? rest + 1 : 0;
  };
  // Where the kernel overwrites its output (an epilogue: the accumulators
  // start from the addends, not from the output), a rest that is not one
  // unmasked piece (it would need a mask or more pieces) is instead one
  // more head-wide piece ending at the tile's last column, overlapping the
  // piece before it (which stored the same values): 14 columns are 8 + 8
  // (from column 6), 7 are 4 + 4 (from 3), and 28 with 32 lanes 16 + 16
  // (from 12) where 16 + 8 + 4 took three FMAs per row and step for 28
  // lanes (x86 issues a 128-bit FMA no faster than a 512-bit one).
  SmallVector<Operation *> pieces;
  auto piece = [&](linalg::GenericOp tile, int64_t offset, std::optional<int64_t> size) {
    linalg::GenericOp p = columnsOf(b, tile, colsDim, offset, size);
    pieces.push_back(p);
    return p;
  };
  auto cst = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
  // Static sizes: split until the rest fits one narrow vector.
  std::function<LogicalResult(linalg::GenericOp, int64_t, Value)> emitStatic =
      [&](linalg::GenericOp tile, int64_t n, Value size) -> LogicalResult {
    int64_t width = narrowest(n), head = width / 2;
    if (n == width || head < kMinLanes || n <= head)
      return emit(tile, size, width, /*exact=*/n == width);
    if (failed(emit(piece(tile, 0, head), cst(head), head, true)))
      return failure();
    if (epilogue && exactPieces(n - head) != 1)
      return emit(piece(tile, n - head, head), cst(head), head, true);
    return emitStatic(piece(tile, head, std::nullopt), n - head,
                      b.create<arith::SubIOp>(loc, size, cst(head)));
  };
  Value colsSize = getValueOrCreateConstantIndexOp(b, loc, ranges[colsDim].size);
  LogicalResult result = success();
  // mnn-tile records the size of a row's last tile (mnn.cols_remainder:
  // the cols range mod VW) when the tile sizes are dynamic.
  auto remainder = op->getAttrOfType<IntegerAttr>("mnn.cols_remainder");
  if (cols == vw || (!cols && remainder && remainder.getInt() == 0)) {
    result = emit(op, colsSize, vw, true);
  } else if (cols) {
    result = emitStatic(op, *cols, colsSize);
  } else {
    // Full tiles take the unmasked kernel, the last tile of a row the
    // split one (or, of unknown size, a masked one).
    Value full = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, colsSize,
                                         b.create<arith::ConstantIndexOp>(loc, vw));
    auto branch = b.create<scf::IfOp>(loc, full, /*withElseRegion=*/true);
    b.setInsertionPoint(branch.thenBlock()->getTerminator());
    result = emit(op, colsSize, vw, true);
    b.setInsertionPoint(branch.elseBlock()->getTerminator());
    // The last tile of a kernel that overwrites its output, where it is
    // not one unmasked piece, is (if its operands allow) the full vw
    // columns ending at the row's end: one unmasked kernel where the rest
    // took two or three pieces (a 56-wide row with 32 lanes was 32 + 16 +
    // 8, three FMAs per row and step for 24 columns). A rest of one piece
    // (16 of 112) stays: as many FMAs, fewer bytes.
    linalg::GenericOp shifted;
    if (succeeded(result) && epilogue && remainder && exactPieces(remainder.getInt()) != 1)
      shifted = shiftedFullTile(b, op, colsDim, vw, colsSize);
    if (shifted) {
      pieces.push_back(shifted);
      result = emit(shifted, b.create<arith::ConstantIndexOp>(loc, vw), vw, true);
    } else if (succeeded(result)) {
      result = remainder ? emitStatic(op, remainder.getInt(),
                                      b.create<arith::ConstantIndexOp>(
                                          loc, remainder.getInt()))
                         : emit(op, colsSize, vw, false);
    }
  }
  for (Operation *piece : llvm::reverse(pieces))
    piece->erase();
  if (failed(result))
    return failure();
  op.erase();
  return success();
}

/// Elements per vector of a copy's row chunks (one cache line of f32).
constexpr int64_t kCopyChunk = 16;

/// A static linalg.copy whose rows (last dim) are contiguous on both sides
/// becomes loops over the other dims and vector loads and stores along the
/// rows: chunks of kCopyChunk and one shorter tail. Left to LLVM, a short
/// row was unrolled into scalar loads and stores that it could not merge
/// (source and destination may alias as far as it knows): the padded copy
/// of a stem's left edge piece, 32 floats from each of 669 input rows, was
/// 1.5% of mobilenet_v3_small.
LogicalResult vectorizeCopy(linalg::CopyOp op) {
  if (!op.hasPureBufferSemantics())
    return failure();
  Value from = op.getInputs()[0], to = op.getOutputs()[0];
  auto fromType = cast<MemRefType>(from.getType()), toType = cast<MemRefType>(to.getType());
  SmallVector<int64_t> fromStrides, toStrides;
  int64_t offset;
  if (!fromType.hasStaticShape() || fromType.getShape() != toType.getShape() ||
      fromType.getRank() == 0 || fromType.getElementType() != toType.getElementType() ||
      !fromType.getElementType().isIntOrFloat() ||
      failed(getStridesAndOffset(fromType, fromStrides, offset)) ||
      failed(getStridesAndOffset(toType, toStrides, offset)) || fromStrides.back() != 1 ||
      toStrides.back() != 1)
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  auto idx = [&](int64_t v) -> Value { return b.create<arith::ConstantIndexOp>(loc, v); };
  ArrayRef<int64_t> shape = fromType.getShape();
  int64_t n = shape.back();
  SmallVector<Value> at;
  for (int64_t size : shape.drop_back()) {
    if (size == 1) {
      at.push_back(idx(0));
      continue;
    }
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(size), idx(1));
    b.setInsertionPointToStart(loop.getBody());
    at.push_back(loop.getInductionVar());
  }
  auto move = [&](Value x, int64_t count) {
    SmallVector<Value> indices(at);
    indices.push_back(x);
    auto type = VectorType::get({count}, fromType.getElementType());
    Value pad = b.create<arith::ConstantOp>(loc, b.getZeroAttr(fromType.getElementType()));
    Value v = b.create<vector::TransferReadOp>(loc, type, from, indices, pad,
                                               ArrayRef<bool>{true});
    b.create<vector::TransferWriteOp>(loc, v, to, indices, ArrayRef<bool>{true});
  };
  int64_t whole = n / kCopyChunk * kCopyChunk;
  if (whole > 0) {
    OpBuilder::InsertionGuard guard(b);
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(whole), idx(kCopyChunk));
    b.setInsertionPointToStart(loop.getBody());
    move(loop.getInductionVar(), kCopyChunk);
  }
  if (whole < n)
    move(idx(whole), n - whole);
  op.erase();
  return success();
}

struct VectorizePass : mnn::impl::VectorizeBase<VectorizePass> {
  using VectorizeBase::VectorizeBase;

  void runOnOperation() override {
    SmallVector<linalg::CopyOp> copies;
    getOperation().walk([&](linalg::CopyOp op) { copies.push_back(op); });
    for (linalg::CopyOp op : copies)
      (void)vectorizeCopy(op);
    SmallVector<linalg::GenericOp> kernels;
    getOperation().walk([&](linalg::GenericOp op) {
      if (op->hasAttr("mnn.rows_dim") || mnn::KernelEpilogue::of(op))
        kernels.push_back(op);
    });
    for (linalg::GenericOp op : kernels) {
      // Lanes = the cols tile size mnn-tile chose. A tile that does not fit
      // the microkernel stays a linalg op and is lowered to loops, its
      // epilogue as separate loops.
      if (auto lanes = op->getAttrOfType<IntegerAttr>("mnn.lanes"))
        if (succeeded(vectorizeKernel(op, lanes.getInt(), indexedLanes, evenOddLaneBlock)))
          continue;
      if (mnn::KernelEpilogue::of(op)) {
        OpBuilder b(op);
        mnn::materializeEpilogue(b, op);
      }
    }
  }
};

} // namespace
