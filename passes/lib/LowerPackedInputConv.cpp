//===- LowerPackedInputConv.cpp - conv over a repacked input --------------===//
//
// A conv marked by mnn-pack-weights (BufferInfo.h's packedInputRows) first
// copies the window taps of its output pixels into its scratch as pixel
// panels (one vector<R> per tap, channel and panel)
//     packed[n][t][kh][kw][c][r] = padded[n][c][oh * sh + kh * dh][ow * sw + kw * dw]
// for the pixel first(t) + r = oh * OW + ow, with first(t) = t * R, except
// that the last panel of an output whose size P R does not divide starts
// at P - R (it overlaps its neighbour). A 1x1 stride-1 conv's taps are its
// input pixels: one vector<R> move per channel and panel; a strided conv's
// are gathered. The conv is then one kernel op over the whole panels, whose
// iteration space sees panels as oh and a panel's pixels as ow (the output
// [N, Cout, P] viewed as [.., P / R, R]), and one more over the last panel
// when it overlaps: it recomputes a few pixels, whose values are the same.
// Both ops carry mnn.channel_lanes = the weights' block and mnn.whole_rows,
// so mnn-tile gives them a tile of R pixels x the whole block.
// Where R = OW the panels are [N, OH, C, OW]: an input stored that way
// (BufferInfo.h's panelStorage) is read in place, with no copy, and the
// output may be stored that way too, or as the padded channel blocks of
// the depthwise conv that reads it (blockedStorageLanes).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

namespace mnn::lowering {

LogicalResult Lowering::lowerPackedInputConv(mnn::Conv2DOp op, Value out,
                                             int64_t rows) {
  Location loc = op.getLoc();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t ow = outType.getDimSize(3);
  int64_t kh = op.getKernelH(), kw = op.getKernelW();
  auto s = op.getStrides();
  auto d = op.getDilations();
  int64_t pixels = outType.getDimSize(2) * ow;
  int64_t panels = llvm::divideCeil(pixels, rows);
  int64_t panelSize = kh * kw * c * rows, imageSize = panels * panelSize;

  // An input stored in these panels (whole output rows, R = OW) is read
  // where it is: no copy.
  if (Value stored = panelBuffers.lookup(bufferOf(op.getInput()))) {
    assert(rows == ow && kh == 1 && kw == 1 && "panel storage of a 1x1 conv's rows");
    return packedInputKernels(op, out, rows, reshapeBuffer(b, loc, stored, {n * imageSize}));
  }
  SmallVector<int64_t> pshape;
  Value input = padded(op, bufferOf(op.getInput()), op.getPads(), f32Const(b, loc, 0), loc,
                       pshape);
  int64_t plane = pshape[2] * pshape[3], wp = pshape[3];
  input = reshapeBuffer(b, loc, input, {n * c * plane});
  Value packed = scratchBuffer(op, {n * imageSize}, b.getF32Type(), loc,
                               packedInputOffset(op));
  auto idx = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
  auto mul = [&](Value x, int64_t k) { return b.create<arith::MulIOp>(loc, x, idx(k)); };
  auto add = [&](Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); };
  auto vType = VectorType::get({rows}, b.getF32Type());
  if (kh == 1 && kw == 1 && s[0] == 1 && s[1] == 1 && plane == pixels) {
    // A 1x1 stride-1 conv: an scf.parallel over (n, c), each iteration
    // moving one channel's pixels panel by panel as vector<R> (a linalg
    // copy over (n, c, panel, pixel) costs LLVM seconds to vectorize).
    OpBuilder::InsertionGuard guard(b);
    auto par = parallelOver(b, loc, {n, c});
    Value ni = par.getInductionVars()[0], ci = par.getInductionVars()[1];
    Value srcRow = add(mul(ni, c * pixels), mul(ci, pixels));
    Value dstRow = add(mul(ni, imageSize), mul(ci, rows));
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(panels), idx(1));
    b.setInsertionPointToStart(loop.getBody());
    Value t = loop.getInductionVar();
    Value first = b.create<arith::MinSIOp>(loc, mul(t, rows), idx(pixels - rows));
    Value pad = f32Const(b, loc, 0);
    Value v = b.create<vector::TransferReadOp>(loc, vType, input,
                                               ValueRange{add(srcRow, first)}, pad,
                                               ArrayRef<bool>{true});
    b.create<vector::TransferWriteOp>(loc, v, packed,
                                      ValueRange{add(dstRow, mul(t, panelSize))},
                                      ArrayRef<bool>{true});
  } else {
    // A strided conv gathers the taps: per (image and panel, tap), the R
    // pixels' offsets in a padded plane once, then per channel R scalar
    // loads and one vector<R> store. Where a panel lies within one output
    // row (R divides OW) at column stride 1 or 2, its R inputs of a tap
    // are every s-th element of one input row: one vector of R * s
    // elements and, at stride 2, a pick of its even lanes. The scalar
    // loads became a gather, masked broadcasts and spills: 23% of a
    // 64 -> 128 stride-2 conv on 56x56 with 14-pixel panels. Only where
    // the vector's last element, one past the last tap, is still in the
    // padded row.
    bool rowSpans = ow % rows == 0 && (s[1] == 1 || s[1] == 2) &&
                    ow * s[1] + (kw - 1) * d[1] <= wp;
    OpBuilder::InsertionGuard guard(b);
    auto par = parallelOver(b, loc, {n * panels, kh * kw});
    Value nt = par.getInductionVars()[0], tap = par.getInductionVars()[1];
    Value ni = b.create<arith::DivUIOp>(loc, nt, idx(panels));
    Value t = b.create<arith::RemUIOp>(loc, nt, idx(panels));
    Value ky = b.create<arith::DivUIOp>(loc, tap, idx(kw));
    Value kx = b.create<arith::RemUIOp>(loc, tap, idx(kw));
    Value first = b.create<arith::MinSIOp>(loc, mul(t, rows), idx(pixels - rows));
    Value tapOffset = add(mul(ky, d[0] * wp), mul(kx, d[1]));
    SmallVector<Value> offsets;
    for (int64_t r = 0; r < rows; ++r) {
      Value p = add(first, idx(r));
      Value y = b.create<arith::DivUIOp>(loc, p, idx(ow));
      Value x = b.create<arith::RemUIOp>(loc, p, idx(ow));
      offsets.push_back(add(add(mul(y, s[0] * wp), mul(x, s[1])), tapOffset));
    }
    Value srcImage = mul(ni, c * plane);
    Value dst = add(mul(nt, panelSize), mul(tap, c * rows));
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(c), idx(1));
    b.setInsertionPointToStart(loop.getBody());
    Value ci = loop.getInductionVar();
    Value srcPlane = add(srcImage, mul(ci, plane));
    Value v;
    if (rowSpans) {
      auto wideType = VectorType::get({rows * s[1]}, b.getF32Type());
      Value wide = b.create<vector::TransferReadOp>(
          loc, wideType, input, ValueRange{add(srcPlane, offsets[0])}, f32Const(b, loc, 0),
          ArrayRef<bool>{true});
      SmallVector<int64_t> picks;
      for (int64_t r = 0; r < rows; ++r)
        picks.push_back(r * s[1]);
      v = s[1] == 1 ? wide : b.create<vector::ShuffleOp>(loc, wide, wide, picks).getResult();
    } else {
      v = b.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(vType, b.getF32FloatAttr(0).getValue()));
      for (int64_t r = 0; r < rows; ++r) {
        Value x = b.create<memref::LoadOp>(loc, input, ValueRange{add(srcPlane, offsets[r])});
        v = b.create<vector::InsertOp>(loc, x, v, r);
      }
    }
    b.create<vector::StoreOp>(loc, v, packed, ValueRange{add(dst, mul(ci, rows))});
  }
  return packedInputKernels(op, out, rows, packed);
}

LogicalResult Lowering::packedInputKernels(mnn::Conv2DOp op, Value out, int64_t rows,
                                           Value packed) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  // [N, C, H, W] in, [N, Cout, OH, OW] out; the weights' block is the
  // bhwigo filter's last dim.
  ArrayRef<int64_t> inShape = cast<RankedTensorType>(op.getInput().getType()).getShape();
  ArrayRef<int64_t> outShape = cast<RankedTensorType>(op.getType()).getShape();
  int64_t n = inShape[0], c = inShape[1], cout = outShape[1], pixels = outShape[2] * outShape[3];
  int64_t kh = op.getKernelH(), kw = op.getKernelW();
  int64_t blk = cast<RankedTensorType>(op.getFilter().getType()).getShape()[5];
  int64_t ob = cout / blk;
  int64_t whole = pixels / rows, panels = llvm::divideCeil(pixels, rows);
  int64_t panelSize = kh * kw * c * rows, imageSize = panels * panelSize;
  auto dims = [&](unsigned count, ArrayRef<unsigned> order) {
    SmallVector<AffineExpr> exprs;
    for (unsigned i : order)
      exprs.push_back(getAffineDimExpr(i, ctx));
    return AffineMap::get(count, 0, exprs, ctx);
  };

  // Iteration space as in lowerConv: n g ob oi oh ow | kh kw cg.
  enum { N, G, OB, OI, OH, OW, KH, KW, CG, NumDims };
  AffineMap winMap = dims(NumDims, {N, G, CG, KH, KW, OH, OW});
  AffineMap filterMap = dims(NumDims, {OB, KH, KW, CG, G, OI});
  using IT = utils::IteratorType;
  SmallVector<IT> its(NumDims, IT::parallel);
  its[KH] = its[KW] = its[CG] = IT::reduction;
  Value bias = op.getBias()
                   ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {1, ob, blk})
                   : Value();
  // The output (and a residual) as [n, 1, ob, blk, panels, R]: from NCHW, or
  // from [N, H, C, W] where it is stored in whole-row panels (panelStorage),
  // whose panels never overlap.
  auto outputView = [&](Value buffer, int64_t count, int64_t pixel0) {
    if (Value stored = panelBuffers.lookup(buffer)) {
      assert(pixel0 == 0 && "whole-row panels do not overlap");
      return stridedView(b, loc, reshapeBuffer(b, loc, stored, {n * cout * pixels}),
                         {n, 1, ob, blk, count, rows},
                         {cout * pixels, cout * pixels, blk * rows, rows, cout * rows, 1}, 0);
    }
    return stridedView(b, loc, reshapeBuffer(b, loc, buffer, {n * cout * pixels}),
                       {n, 1, ob, blk, count, rows},
                       {cout * pixels, cout * pixels, blk * pixels, pixels, rows, 1},
                       pixel0);
  };
  Value residual = op.getResidual() ? bufferOf(op.getResidual()) : Value();
  // Stored as its depthwise reader's padded channel blocks (R = OW, blk = L):
  // each pixel's channels are one contiguous vector at (oh + pt, ow + pl).
  AffineMap outMap = dims(NumDims, {N, G, OB, OI, OH, OW});
  Value blockedOut;
  if (mnn::blockedStorageLanes(op.getResult())) {
    auto type = cast<MemRefType>(out.getType()); // [N, C/L, Hp, Wp, L]
    auto readerPads = cast<mnn::Conv2DOp>(*op.getResult().getUsers().begin()).getPads();
    int64_t hp = type.getDimSize(2), wp = type.getDimSize(3);
    assert(type.getDimSize(4) == blk && rows == outShape[3] && !residual);
    outMap = dims(NumDims, {N, G, OB, OH, OW, OI});
    blockedOut = stridedView(b, loc, reshapeBuffer(b, loc, out, {type.getNumElements()}),
                             {n, 1, ob, whole, rows, blk},
                             {cout * hp * wp, cout * hp * wp, hp * wp * blk, wp * blk, blk, 1},
                             (readerPads[0] * wp + readerPads[1]) * blk);
  }
  auto conv = [&](int64_t panel0, int64_t count, int64_t pixel0) {
    Value windows =
        stridedView(b, loc, packed, {n, 1, c, kh, kw, count, rows},
                    {imageSize, imageSize, rows, kw * c * rows, c * rows, panelSize, 1},
                    panel0 * panelSize);
    linalg::GenericOp kernel = buildKernel(
        loc, "conv", {windows, bufferOf(op.getFilter())}, {winMap, filterMap},
        bias, dims(NumDims, {G, OB, OI}),
        residual ? outputView(residual, count, pixel0) : Value(),
        blockedOut ? blockedOut : outputView(out, count, pixel0), outMap, its,
        epilogueOf(op));
    kernel->setAttr("mnn.channel_lanes", b.getI64IntegerAttr(blk));
    kernel->setAttr("mnn.whole_rows", b.getUnitAttr());
    // Few pixel panels per weight panel (small maps): fetch the next
    // channel block's weights while this one computes (Vectorize.cpp).
    kernel->setAttr("mnn.prefetch_distance", b.getI64IntegerAttr(kh * kw * c * blk));
    // The pixel panels of one image (windows dim 5, within dim 0) use each
    // block's weights one after another: they split the next block's
    // prefetches (unless mnn-tile puts the channel blocks inside them).
    kernel->setAttr("mnn.prefetch_spread", b.getDenseI64ArrayAttr({0, 5}));
  };

  conv(0, whole, 0);
  if (whole < panels)
    conv(whole, 1, pixels - rows);
  return success();
}

} // namespace mnn::lowering
