//===- LowerWinograd.cpp - Winograd F(m,3) convolution --------------------===//
//
// A conv2d whose filter mnn-pack-weights transformed (filter_layout
// "winograd4" / "winograd2", U [a*a, Cout/S, Cin, S], a = m + 2; Winograd.h)
// becomes, over the op's scratch space:
//   1. the input, zero-padded to whole tiles and transposed to HWC
//      ([N, HP, WP, Cin]): fills of the border, and the interior in 8 x 8
//      register transposes, an scf.parallel over (image, row, channel
//      vector);
//   2. input transform, an scf.parallel over the tiles (n, th, tw): for each
//      8 input channels, V = B^T d B on vector<8xf32> (the a x a tile d is a
//      vector load per tap, contiguous along Cin), stored to V [a*a, TP, Cin];
//   3. M[e] = V[e] x U[e] for the a*a points e: a linalg.generic tagged
//      mnn.kernel = "matmul", which mnn-tile and mnn-vectorize turn into the
//      register-tiled microkernel (rows = tiles, lanes = Cout; with tiles as
//      lanes, "winograd4t"/"winograd2t", rows = 4 output channels of a U
//      panel and lanes = tiles, V stored [a*a, Cin, TP], M written
//      transposed);
//   4. output transform, an scf.parallel over (image, tile row, vector of
//      8 output channels, or 16 with mnn.winograd_output_lanes), the row's
//      tiles inside: Y = A^T M A + bias, transposed row by row (shuffles) to one
//      vector<m> along x per channel, + residual, the activation (before the
//      transpose when there is no residual), and stored
//      into the NCHW result, cropped at the edges (masked at the last tile
//      column, skipped rows at the last tile row).
// Both transforms emit only the non-zero coefficients of B^T and A^T,
// fully unrolled over the tile.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"
#include "VectorTranspose.h"
#include "Winograd.h"

namespace mnn::lowering {

namespace {

/// Emits the unrolled linear combinations out[r] = sum_k mat[r][k] * xs[k]
/// (mat is rows x xs.size(), row-major), skipping zero coefficients.
SmallVector<Value> combine(OpBuilder &b, Location loc, ArrayRef<Value> xs,
                           const double *mat, int64_t rows) {
  auto vt = cast<VectorType>(xs[0].getType());
  auto splat = [&](double c) -> Value {
    return b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(vt, b.getF32FloatAttr((float)c).getValue()));
  };
  SmallVector<Value> out;
  int64_t cols = xs.size();
  for (int64_t r = 0; r < rows; ++r) {
    Value acc;
    for (int64_t k = 0; k < cols; ++k) {
      double c = mat[r * cols + k];
      Value x = xs[k];
      if (c == 0)
        continue;
      if (!acc)
        acc = c == 1    ? x
              : c == -1 ? b.create<arith::NegFOp>(loc, x).getResult()
                        : b.create<arith::MulFOp>(loc, x, splat(c)).getResult();
      else if (c == 1)
        acc = b.create<arith::AddFOp>(loc, acc, x);
      else if (c == -1)
        acc = b.create<arith::SubFOp>(loc, acc, x);
      else
        acc = b.create<vector::FMAOp>(loc, x, splat(c), acc);
    }
    out.push_back(acc ? acc : splat(0));
  }
  return out;
}

/// T X T^T for an a x a tile X and a rows x a matrix T: the rows x rows
/// result, row-major. Columns first, then rows. X[k][j] comes from `in`,
/// called column by column, and each result row goes to `out` as soon as it
/// is computed, so few tile values are live at once (fewer spills).
void transform2D(OpBuilder &b, Location loc, function_ref<Value(int64_t, int64_t)> in,
                 int64_t a, const double *t, int64_t rows,
                 function_ref<void(int64_t, ArrayRef<Value>)> out) {
  // tmp[i][j] = sum_k T[i][k] X[k][j]  (rows x a)
  SmallVector<Value> tmp(rows * a);
  for (int64_t j = 0; j < a; ++j) {
    SmallVector<Value> col;
    for (int64_t k = 0; k < a; ++k)
      col.push_back(in(k, j));
    SmallVector<Value> r = combine(b, loc, col, t, rows);
    for (int64_t i = 0; i < rows; ++i)
      tmp[i * a + j] = r[i];
  }
  // y[i][j] = sum_k T[j][k] tmp[i][k]  (rows x rows)
  for (int64_t i = 0; i < rows; ++i)
    out(i, combine(b, loc, ArrayRef<Value>(tmp).slice(i * a, a), t, rows));
}

/// Elements ahead along an output row that the output transform prefetches
/// for writing with each store: one cache line. Each line of a row takes
/// 16 / m stores from as many tiles, with the stores of the tile's other
/// rows and channels in between; without the prefetches the NCHW stores
/// took about a third of a 16 -> 64 conv on 56x56 (stores redirected to one
/// place: 0.69x the time). With them the conv took 0.88x (55x55) and 0.95x
/// (56x56) the time; SqueezeNet 0.975x, ResNet-18 0.99x (T=1).
constexpr int64_t kStoreAhead = 16;

/// Elements ahead of the current step that a tiles-as-lanes GEMM prefetches
/// its U stream (4 KB: 256 steps of a 4-channel panel).
constexpr int64_t kTileLanesPrefetch = 1024;

} // namespace

LogicalResult Lowering::lowerWinogradConv(mnn::Conv2DOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  winograd::Shape s = winograd::shapeOf(op);
  const winograd::Transform *tf = winograd::transformFor(s.m);
  if (!tf || !cast<RankedTensorType>(op.getType()).getElementType().isF32() ||
      s.cin % winograd::kLanes || s.cout % winograd::kLanes || s.cm < s.cout)
    return op.emitError("unsupported Winograd conv");
  const int64_t lanes = winograd::kLanes, m = s.m, a = s.a, aa = a * a;
  Type f32 = b.getF32Type();
  auto vt = VectorType::get({lanes}, f32);
  auto idx = [&](int64_t v) -> Value {
    return b.create<arith::ConstantIndexOp>(loc, v);
  };
  Value zero = b.create<arith::ConstantOp>(loc, b.getF32FloatAttr(0));
  Value padded =
      scratchBuffer(op, {s.n, s.hp, s.wp, s.cin}, f32, loc, s.paddedOffset * 4);
  // With tiles as lanes (Winograd.h) V is [a*a, Cin, TP]: each GEMM step
  // reads one vector of tiles.
  const bool tileLanes = winograd::tilesAsLanes(op.getFilterLayout());
  Value gemmIn = scratchBuffer(
      op, tileLanes ? SmallVector<int64_t>{aa, s.cin, s.tp} : SmallVector<int64_t>{aa, s.tp, s.cin},
      f32, loc, s.gemmInOffset * 4);
  Value gemmOut =
      scratchBuffer(op, {aa, s.tp, s.cm}, f32, loc, s.gemmOutOffset * 4);
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  using IT = utils::IteratorType;

  // 1. Zero-padded HWC copy of the input, covering whole tiles: zero the
  // border (rows above and below, then columns left and right), copy the rest.
  auto pads = op.getPads();
  auto fillRegion = [&](int64_t y, int64_t rows, int64_t x, int64_t cols) {
    if (rows <= 0 || cols <= 0)
      return;
    b.create<linalg::FillOp>(
        loc, zero,
        b.create<memref::SubViewOp>(loc, padded, ArrayRef<int64_t>{0, y, x, 0},
                                    ArrayRef<int64_t>{s.n, rows, cols, s.cin},
                                    ArrayRef<int64_t>{1, 1, 1, 1})
            .getResult());
  };
  int64_t below = pads[0] + s.h, right = pads[1] + s.w;
  fillRegion(0, pads[0], 0, s.wp);
  fillRegion(below, s.hp - below, 0, s.wp);
  fillRegion(pads[0], s.h, 0, pads[1]);
  fillRegion(pads[0], s.h, right, s.wp - right);
  // The interior, NCHW -> HWC in 8 x 8 blocks: per (image, row, channel
  // vector), 8 pixels of 8 channel rows are loaded, transposed in registers
  // and stored as 8 channel vectors (a linalg copy with the transposing map
  // became one vinsertps per element: 15% of a 64-channel 56x56 conv). The
  // last block of a row starts at W - 8, overlapping the one before (a
  // narrower row reads 8 lanes, zero past its end, and stores W).
  {
    OpBuilder::InsertionGuard guard(b);
    Value input = bufferOf(op.getInput());
    auto par = parallelOver(b, loc, {s.n, s.h, s.cin / lanes});
    Value ni = par.getInductionVars()[0], y = par.getInductionVars()[1];
    Value c = b.create<arith::MulIOp>(loc, par.getInductionVars()[2], idx(lanes));
    auto blocks = b.create<scf::ForOp>(loc, idx(0), idx((s.w + lanes - 1) / lanes), idx(1));
    b.setInsertionPointToStart(blocks.getBody());
    Value x0 = idx(0);
    if (s.w >= lanes)
      x0 = b.create<arith::MinSIOp>(
          loc, b.create<arith::MulIOp>(loc, blocks.getInductionVar(), idx(lanes)),
          idx(s.w - lanes));
    SmallVector<Value> rows;
    for (int64_t l = 0; l < lanes; ++l)
      rows.push_back(b.create<vector::TransferReadOp>(
          loc, vt, input,
          ValueRange{ni, b.create<arith::AddIOp>(loc, c, idx(l)), y, x0}, zero,
          ArrayRef<bool>{s.w >= lanes}));
    SmallVector<Value> pixels = mnn::transposeSquare(b, loc, rows, lanes);
    Value py = b.create<arith::AddIOp>(loc, y, idx(pads[0]));
    Value px = b.create<arith::AddIOp>(loc, x0, idx(pads[1]));
    for (int64_t x = 0; x < std::min<int64_t>(lanes, s.w); ++x)
      b.create<vector::StoreOp>(
          loc, pixels[x], padded,
          ValueRange{ni, py, b.create<arith::AddIOp>(loc, px, idx(x)), c});
  }
  // GEMM rows (tiles as lanes: lanes) past the last tile: zero (they are
  // computed, never stored).
  if (s.tp > s.t) {
    Value tail =
        tileLanes
            ? b.create<memref::SubViewOp>(loc, gemmIn, ArrayRef<int64_t>{0, 0, s.t},
                                          ArrayRef<int64_t>{aa, s.cin, s.tp - s.t},
                                          ArrayRef<int64_t>{1, 1, 1})
            : b.create<memref::SubViewOp>(loc, gemmIn, ArrayRef<int64_t>{0, s.t, 0},
                                          ArrayRef<int64_t>{aa, s.tp - s.t, s.cin},
                                          ArrayRef<int64_t>{1, 1, 1});
    b.create<linalg::FillOp>(loc, zero, tail);
  }

  // How the transforms loop over the tiles and channel vectors of `step`
  // lanes. Tiles: all tiles (n, th, tw) in parallel, the channel vectors
  // inside. ChannelsOutside: the channel vectors in parallel, the tiles
  // inside: a tiles-as-lanes V row holds all 16 tiles of one channel (one
  // cache line), so threads that split the tiles would write the same lines
  // (ResNet-18 at 2 threads: 1.05x the time instead of 0.96x). TileRows:
  // (n, th, channel vector) in parallel, the tiles of the row inside:
  // consecutive tiles fill each output row's cache lines, m floats each.
  // With the channel vectors inside each tile the NCHW stores took about a
  // quarter of a 16 -> 64 conv's time on 55x55 (measured by redirecting
  // them to one place).
  enum class TileOrder { Tiles, ChannelsOutside, TileRows };
  auto tileLoops = [&](int64_t channels, int64_t step, TileOrder order,
                       function_ref<void(Value n, Value th, Value tw, Value t,
                                         Value c)>
                           body) {
    OpBuilder::InsertionGuard guard(b);
    auto tileIndex = [&](Value n, Value th, Value tw) -> Value {
      return b.create<arith::AddIOp>(
          loc,
          b.create<arith::MulIOp>(
              loc, b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, n, idx(s.th)), th),
              idx(s.tw)),
          tw);
    };
    if (order == TileOrder::ChannelsOutside) {
      auto par = parallelOver(b, loc, {channels / step});
      Value c = b.create<arith::MulIOp>(loc, par.getInductionVars()[0], idx(step));
      auto tiles = b.create<scf::ForOp>(loc, idx(0), idx(s.t), idx(1));
      b.setInsertionPointToStart(tiles.getBody());
      Value t = tiles.getInductionVar();
      Value n = b.create<arith::DivUIOp>(loc, t, idx(s.th * s.tw));
      Value rest = b.create<arith::RemUIOp>(loc, t, idx(s.th * s.tw));
      Value th = b.create<arith::DivUIOp>(loc, rest, idx(s.tw));
      Value tw = b.create<arith::RemUIOp>(loc, rest, idx(s.tw));
      body(n, th, tw, t, c);
      return;
    }
    if (order == TileOrder::TileRows) {
      auto par = parallelOver(b, loc, {s.n, s.th, channels / step});
      Value n = par.getInductionVars()[0], th = par.getInductionVars()[1];
      Value c = b.create<arith::MulIOp>(loc, par.getInductionVars()[2], idx(step));
      auto cols = b.create<scf::ForOp>(loc, idx(0), idx(s.tw), idx(1));
      b.setInsertionPointToStart(cols.getBody());
      Value tw = cols.getInductionVar();
      body(n, th, tw, tileIndex(n, th, tw), c);
      return;
    }
    auto par = parallelOver(b, loc, {s.n, s.th, s.tw});
    Value n = par.getInductionVars()[0], th = par.getInductionVars()[1],
          tw = par.getInductionVars()[2];
    Value t = tileIndex(n, th, tw);
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(channels), idx(step));
    b.setInsertionPointToStart(loop.getBody());
    body(n, th, tw, t, loop.getInductionVar());
  };
  auto offset = [&](Value base, int64_t k) -> Value {
    return k == 0 ? base : b.create<arith::AddIOp>(loc, base, idx(k)).getResult();
  };

  // 2. Input transform: V[i*a + j][t][c..c+8] = (B^T d B)[i][j].
  tileLoops(s.cin, lanes, tileLanes ? TileOrder::ChannelsOutside : TileOrder::Tiles,
            [&](Value n, Value th, Value tw, Value t, Value c) {
    Value y0 = b.create<arith::MulIOp>(loc, th, idx(m));
    Value x0 = b.create<arith::MulIOp>(loc, tw, idx(m));
    transform2D(
        b, loc,
        [&](int64_t i, int64_t j) -> Value {
          return b.create<vector::LoadOp>(
              loc, vt, padded, ValueRange{n, offset(y0, i), offset(x0, j), c});
        },
        a, tf->bt, a,
        [&](int64_t i, ArrayRef<Value> row) {
          for (int64_t j = 0; j < a; ++j) {
            if (!tileLanes) {
              b.create<vector::StoreOp>(loc, row[j], gemmIn,
                                        ValueRange{idx(i * a + j), t, c});
              continue;
            }
            // One float per channel, TP apart: scalar stores (the GEMM
            // reads each stored float Cout/4 times).
            for (int64_t l = 0; l < lanes; ++l)
              b.create<memref::StoreOp>(
                  loc, b.create<vector::ExtractOp>(loc, row[j], l), gemmIn,
                  ValueRange{idx(i * a + j), offset(c, l), t});
          }
        });
  });

  // 3. M[e] = V[e] x U[e]: batch e, rows = tiles, columns = Cout, K = Cin.
  // Cout is split as (ob, oi) by U's panels of S channels, ob a batch dim
  // outside the rows: mnn-tile runs the parallel tiles in dim order
  // (e, ob, rows), so all row tiles of one (e, ob) reuse one contiguous
  // K x S panel of U from L1 (with ob inside the rows, a 512 x 512 U[e]
  // would be streamed from memory once per 4 rows).
  // The GEMM overwrites M (an epilogue without addends: its accumulators
  // start at zero), so M needs no zero fill first.
  auto fshape = cast<RankedTensorType>(op.getFilter().getType()).getShape();
  int64_t ob = fshape[1], oi = fshape[3];
  SmallVector<IT> its = {IT::parallel, IT::parallel, IT::parallel, IT::parallel,
                         IT::reduction};
  auto map = [&](ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(dim(d));
    return AffineMap::get(5, 0, exprs, ctx);
  };
  // Dims: e, ob, the register tile's rows and lanes, k.
  AffineMap vMap, uMap, mMap;
  int64_t prefetch;
  if (!tileLanes) {
    enum { E, OB, ROWS, OI, K };
    vMap = map({E, ROWS, K});
    uMap = map({E, OB, K, OI});
    mMap = map({E, ROWS, OB, OI});
    prefetch = s.cin * oi; // the next panel's row
  } else {
    // Transposed: rows = the OI output channels of a panel (the broadcast
    // operand, U's K x 4 panel read once, in order), lanes = the tiles
    // (V^T rows), stored to M transposed (contiguous along the channels).
    // The U stream runs ahead of the FMAs by a prefetch 4 KB ahead per step.
    enum { E, OB, OI, TILES, K };
    vMap = map({E, K, TILES});
    uMap = map({E, OB, K, OI});
    mMap = map({E, TILES, OB, OI});
    prefetch = kTileLanesPrefetch;
  }
  auto gemm = buildGeneric(
      b, loc, {gemmIn, bufferOf(op.getFilter())}, {vMap, uMap},
      reshapeBuffer(b, loc, gemmOut, {aa, s.tp, ob, oi}), mMap, its,
      [](OpBuilder &nb, Location nl, ValueRange x) -> Value {
        return nb.create<arith::AddFOp>(nl, x[2],
                                        nb.create<arith::MulFOp>(nl, x[0], x[1]));
      });
  gemm->setAttr("mnn.prefetch_distance", b.getI64IntegerAttr(prefetch));
  // The row tiles of one (e, ob) run one after another (their panel stays
  // in L1): they share the next panel's prefetches (Vectorize.cpp).
  // (A = V [e, rows, K]: row tiles along dim 1 within one e, dim 0.)
  if (!tileLanes)
    gemm->setAttr("mnn.prefetch_spread", b.getDenseI64ArrayAttr({0, 1}));
  gemm->setAttr(mnn::kKernelAttr, b.getStringAttr("matmul"));
  KernelEpilogue{}.attachTo(gemm);

  // 4. Output transform, epilogue and cropped NCHW stores, over `ol`
  // output channels per vector (kWinogradOutputLanesAttr, else kLanes).
  int64_t ol = lanes;
  if (auto wide = op->getAttrOfType<IntegerAttr>(mnn::kWinogradOutputLanesAttr))
    ol = wide.getInt();
  if (ol <= 0 || s.cout % ol)
    return op.emitError("Winograd output lanes must divide Cout");
  auto ovt = VectorType::get({ol}, f32);
  Value bias = op.getBias() ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {s.cout})
                            : Value();
  Value residual = op.getResidual() ? bufferOf(op.getResidual()) : Value();
  StringRef act = op.getActivation();
  double lo = op.getClipMin().convertToDouble(), hi = op.getClipMax().convertToDouble();
  tileLoops(s.cout, ol, TileOrder::TileRows, [&](Value n, Value th, Value tw, Value t, Value c) {
    SmallVector<Value> y;
    transform2D(
        b, loc,
        [&](int64_t i, int64_t j) -> Value {
          return b.create<vector::LoadOp>(loc, ovt, gemmOut,
                                          ValueRange{idx(i * a + j), t, c});
        },
        a, tf->at, m, [&](int64_t, ArrayRef<Value> row) { y.append(row.begin(), row.end()); });
    Value bv = bias ? b.create<vector::LoadOp>(loc, ovt, bias, ValueRange{c}).getResult()
                    : Value();
    Value y0 = b.create<arith::MulIOp>(loc, th, idx(m));
    Value x0 = b.create<arith::MulIOp>(loc, tw, idx(m));
    // Row i of the tile: m vectors over 8 channels -> per channel l a
    // vector<m> along x (shuffles), so the NCHW stores (and residual loads)
    // are contiguous. At the last tile column of a width that m does not
    // divide they are masked to the ow % m columns that exist.
    auto rowType = VectorType::get({m}, f32);
    auto emitRow = [&](int64_t i, ArrayRef<Value> r, int64_t cols) {
      Value mask;
      if (cols < m) {
        SmallVector<bool> bits(m, false);
        std::fill(bits.begin(), bits.begin() + cols, true);
        mask = b.create<arith::ConstantOp>(
            loc, DenseElementsAttr::get(VectorType::get({m}, b.getI1Type()), bits));
      }
      Value rowZero = b.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(rowType, b.getF32FloatAttr(0).getValue()));
      SmallVector<Value> pairs; // m == 4: (r0, r1) and (r2, r3) interleaved
      if (m == 4) {
        SmallVector<int64_t> zip;
        for (int64_t l = 0; l < ol; ++l)
          zip.append({l, ol + l});
        pairs.push_back(b.create<vector::ShuffleOp>(loc, r[0], r[1], zip));
        pairs.push_back(b.create<vector::ShuffleOp>(loc, r[2], r[3], zip));
      }
      Value oy = offset(y0, i);
      for (int64_t l = 0; l < ol; ++l) {
        Value v = m == 4 ? b.create<vector::ShuffleOp>(
                               loc, pairs[0], pairs[1],
                               ArrayRef<int64_t>{2 * l, 2 * l + 1, 2 * ol + 2 * l,
                                                 2 * ol + 2 * l + 1})
                               .getResult()
                         : b.create<vector::ShuffleOp>(loc, r[0], r[1],
                                                       ArrayRef<int64_t>{l, ol + l})
                               .getResult();
        SmallVector<Value> at{n, offset(c, l), oy, x0};
        if (residual)
          v = b.create<arith::AddFOp>(
              loc, v,
              mask ? b.create<vector::MaskedLoadOp>(loc, rowType, residual, at, mask,
                                                    rowZero)
                         .getResult()
                   : b.create<vector::LoadOp>(loc, rowType, residual, at).getResult());
        if (residual && act != "none")
          v = activationBody(b, loc, v, act, lo, hi);
        // The row's next cache line, for writing: tiles further along the
        // row store into it (clamped to the row's last element).
        Value ahead = b.create<arith::MinSIOp>(loc, offset(x0, kStoreAhead), idx(s.ow - 1));
        b.create<memref::PrefetchOp>(loc, out, ValueRange{n, offset(c, l), oy, ahead},
                                     /*isWrite=*/true, /*localityHint=*/3,
                                     /*isDataCache=*/true);
        if (mask)
          b.create<vector::MaskedStoreOp>(loc, out, at, mask, v);
        else
          b.create<vector::StoreOp>(loc, v, out, at);
      }
    };
    for (int64_t i = 0; i < m; ++i) {
      OpBuilder::InsertionGuard guard(b);
      if (s.oh % m && i >= s.oh % m) {
        // Rows past the output exist only in the last tile row.
        Value inside = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, th,
                                               idx(s.th - 1));
        auto ifOp = b.create<scf::IfOp>(loc, inside, /*withElseRegion=*/false);
        b.setInsertionPointToStart(ifOp.thenBlock());
      }
      SmallVector<Value> r;
      for (int64_t j = 0; j < m; ++j) {
        Value v = y[i * m + j];
        if (bv)
          v = b.create<arith::AddFOp>(loc, v, bv);
        // Without a residual the activation runs on the 8-wide vectors.
        if (!residual && act != "none")
          v = activationBody(b, loc, v, act, lo, hi);
        r.push_back(v);
      }
      if (s.ow % m == 0) {
        emitRow(i, r, m);
        continue;
      }
      Value lastCol = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::eq, tw,
                                              idx(s.tw - 1));
      auto ifOp = b.create<scf::IfOp>(loc, lastCol, /*withElseRegion=*/true);
      b.setInsertionPointToStart(ifOp.thenBlock());
      emitRow(i, r, s.ow % m);
      b.setInsertionPointToStart(ifOp.elseBlock());
      emitRow(i, r, m);
    }
  });
  return success();
}

} // namespace mnn::lowering
