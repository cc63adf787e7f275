//===- LowerBlockedDepthwiseConv.cpp - depthwise conv over channel blocks -===//
//
// A depthwise conv marked by mnn-pack-weights (BufferInfo.h's
// blockedInputLanes = L) first copies its NCHW input, padded, into its
// scratch as channel blocks
//     blocked[n][cb][y][x][l] = padded[n][cb * L + l][y][x],
// 8 pixels x 8 channels at a time through a register transpose. The conv is then one kernel
// op whose lanes are the L channels of a block (the iteration space of
// lowerConv with g = blocks, oi = channel in block): each tap of a pixel is
// one vector load, the weights of a tap one vector (hwigo: channels
// contiguous), and mnn-tile gives it a tile of pixels along ow x L
// channels, stored to the NCHW output transposed (or to whole-row pixel
// panels, panelStorage). An input that its producer already stored in
// these blocks (blockedStorageLanes) only gets its border zeroed.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"
#include "VectorTranspose.h"

namespace mnn::lowering {

LogicalResult Lowering::lowerBlockedDepthwiseConv(mnn::Conv2DOp op, Value out,
                                                  int64_t lanes) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = op.getKernelH(), kw = op.getKernelW();
  auto s = op.getStrides();
  auto d = op.getDilations();
  int64_t blocks = c / lanes;
  int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
  auto pads = op.getPads();
  int64_t hp = h + pads[0] + pads[2], wp = w + pads[1] + pads[3], plane = hp * wp;
  // An input that its producer stored in these blocks (blockedStorageLanes)
  // only needs its border zeroed.
  bool stored = mnn::blockedStorageLanes(op.getInput()) != 0;
  Value blocked = stored ? reshapeBuffer(b, loc, bufferOf(op.getInput()), {n * c * plane})
                         : scratchBuffer(op, {n * c * plane}, b.getF32Type(), loc);

  // The copy, padding included: per (image and block, padded row), border
  // pixels are zero vectors and the row's pixels come 8 at a time from 8
  // channel rows, transposed in registers into 8 pixels of 8 channels each.
  // The last 8 pixels of a row overlap their neighbours; a row of fewer
  // than 8 is read masked. (Its NCHW input is never stored padded.)
  {
    auto idx = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
    auto mul = [&](Value x, int64_t k) { return b.create<arith::MulIOp>(loc, x, idx(k)); };
    auto add = [&](Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); };
    OpBuilder::InsertionGuard guard(b);
    auto par = parallelOver(b, loc, {n * blocks, hp});
    Value nb = par.getInductionVars()[0], y = par.getInductionVars()[1];
    Value dstRow = add(mul(nb, lanes * plane), mul(y, wp * lanes));
    auto vl = VectorType::get({lanes}, b.getF32Type());
    Value zero = b.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(vl, b.getF32FloatAttr(0).getValue()));
    auto zeroPixels = [&](int64_t from, int64_t count) {
      if (count == 0)
        return;
      auto loop = b.create<scf::ForOp>(loc, idx(from), idx(from + count), idx(1));
      OpBuilder::InsertionGuard g(b);
      b.setInsertionPointToStart(loop.getBody());
      b.create<vector::StoreOp>(loc, zero, blocked,
                                ValueRange{add(dstRow, mul(loop.getInductionVar(), lanes))});
    };
    Value iy = b.create<arith::SubIOp>(loc, y, idx(pads[0]));
    Value inside = b.create<arith::AndIOp>(
        loc, b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::sge, iy, idx(0)),
        b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, iy, idx(h)));
    auto branch = b.create<scf::IfOp>(loc, inside, /*withElseRegion=*/true);
    b.setInsertionPoint(branch.elseBlock()->getTerminator());
    zeroPixels(0, wp);
    b.setInsertionPoint(branch.thenBlock()->getTerminator());
    zeroPixels(0, pads[1]);
    zeroPixels(pads[1] + w, pads[3]);
    if (!stored) {
      Value src = reshapeBuffer(b, loc, bufferOf(op.getInput()), {n * c, h, w});
      int64_t run = std::min<int64_t>(w, 8);
      auto loop = b.create<scf::ForOp>(loc, idx(0), idx(llvm::divideCeil(w, 8)), idx(1));
      b.setInsertionPointToStart(loop.getBody());
      Value x0 = b.create<arith::MinSIOp>(loc, mul(loop.getInductionVar(), 8), idx(w - run));
      auto v8 = VectorType::get({8}, b.getF32Type());
      Value pad = f32Const(b, loc, 0);
      for (int64_t l0 = 0; l0 < lanes; l0 += 8) {
        SmallVector<Value> rows;
        for (int64_t l = l0; l < l0 + 8; ++l)
          rows.push_back(b.create<vector::TransferReadOp>(
              loc, v8, src, ValueRange{add(mul(nb, lanes), idx(l)), iy, x0}, pad,
              ArrayRef<bool>{w >= 8}));
        SmallVector<Value> pixels = mnn::transposeSquare(b, loc, rows, 8);
        for (int64_t i = 0; i < run; ++i)
          b.create<vector::StoreOp>(
              loc, pixels[i], blocked,
              ValueRange{add(add(dstRow, mul(add(x0, idx(pads[1] + i)), lanes)), idx(l0))});
      }
    }
  }

  // Iteration space as in lowerConv: n g ob oi oh ow | kh kw cg, with
  // g = channel blocks, ob = cg = 1 and oi = the channel in its block.
  enum { N, G, OB, OI, OH, OW, KH, KW, CG, NumDims };
  auto dims = [&](ArrayRef<unsigned> order) {
    SmallVector<AffineExpr> exprs;
    for (unsigned i : order)
      exprs.push_back(getAffineDimExpr(i, ctx));
    return AffineMap::get(NumDims, 0, exprs, ctx);
  };
  Value windows = stridedView(
      b, loc, blocked, {n, blocks, 1, kh, kw, oh, ow, lanes},
      {c * plane, lanes * plane, 0, d[0] * wp * lanes, d[1] * lanes, s[0] * wp * lanes,
       s[1] * lanes, 1});
  Value filter = reshapeBuffer(b, loc, bufferOf(op.getFilter()), {kh, kw, 1, blocks, lanes});
  // The output may be the interior of a padded buffer (strided).
  auto channelBlocks = [&](Value v) -> Value {
    if (cast<MemRefType>(v.getType()).getLayout().isIdentity())
      return reshapeBuffer(b, loc, v, {n, blocks, 1, lanes, oh, ow});
    return b.create<memref::ExpandShapeOp>(
        loc, SmallVector<int64_t>{n, blocks, 1, lanes, oh, ow}, v,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
  };
  using IT = utils::IteratorType;
  SmallVector<IT> its(NumDims, IT::parallel);
  its[KH] = its[KW] = its[CG] = IT::reduction;
  linalg::GenericOp kernel = buildKernel(
      loc, "conv", {windows, filter},
      {dims({N, G, CG, KH, KW, OH, OW, OI}), dims({KH, KW, CG, G, OI})},
      op.getBias() ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {blocks, 1, lanes})
                   : Value(),
      dims({G, OB, OI}),
      op.getResidual() ? channelBlocks(bufferOf(op.getResidual())) : Value(),
      channelBlocks(out), dims({N, G, OB, OI, OH, OW}), its, epilogueOf(op));
  kernel->setAttr("mnn.channel_lanes", b.getI64IntegerAttr(lanes));
  kernel->setAttr("mnn.blocked_input", b.getUnitAttr());
  return success();
}

} // namespace mnn::lowering
