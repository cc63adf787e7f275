//===- LowerPackedInputConv.cpp - 1x1 conv over a repacked input ----------===//
//
// A 1x1 conv marked by mnn-pack-weights (BufferInfo.h's packedInputRows)
// first copies its NCHW input into its scratch as pixel panels (one
// vector<R> per channel and panel)
//     packed[n][t][c][r] = input[n][c][first(t) + r],  r < R,
// with first(t) = t * R, except that the last panel of a map whose size P
// R does not divide starts at P - R (it overlaps its neighbour). The conv
// is then one kernel op over the whole panels, whose iteration space sees
// panels as oh and a panel's pixels as ow (the output [N, Cout, P] viewed
// as [.., P / R, R]), and one more over the last panel when it overlaps:
// it recomputes a few pixels, whose values are the same.
// Both ops carry mnn.channel_lanes = the weights' block and mnn.whole_rows,
// so mnn-tile gives them a tile of R pixels x the whole block.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

namespace mnn::lowering {

LogicalResult Lowering::lowerPackedInputConv(mnn::Conv2DOp op, Value out,
                                             int64_t rows) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t cout = outType.getDimSize(1);
  int64_t pixels = inType.getDimSize(2) * inType.getDimSize(3);
  auto fshape = cast<RankedTensorType>(op.getFilter().getType()).getShape();
  int64_t blk = fshape[5], ob = cout / blk;
  int64_t whole = pixels / rows, panels = llvm::divideCeil(pixels, rows);
  int64_t panelSize = c * rows, imageSize = panels * panelSize;

  Value input = reshapeBuffer(b, loc, bufferOf(op.getInput()), {n * c * pixels});
  Value packed = scratchBuffer(op, {n * imageSize}, b.getF32Type(), loc);
  auto dims = [&](unsigned count, ArrayRef<unsigned> order) {
    SmallVector<AffineExpr> exprs;
    for (unsigned i : order)
      exprs.push_back(getAffineDimExpr(i, ctx));
    return AffineMap::get(count, 0, exprs, ctx);
  };
  // The copy: an scf.parallel over (n, c), each iteration moving one
  // channel's pixels panel by panel as vector<R> (a linalg copy over
  // (n, c, panel, pixel) costs LLVM seconds to vectorize).
  {
    auto idx = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
    OpBuilder::InsertionGuard guard(b);
    auto par = parallelOver(b, loc, {n, c});
    Value ni = par.getInductionVars()[0], ci = par.getInductionVars()[1];
    auto mul = [&](Value x, int64_t k) { return b.create<arith::MulIOp>(loc, x, idx(k)); };
    auto add = [&](Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); };
    Value srcRow = add(mul(ni, c * pixels), mul(ci, pixels));
    Value dstRow = add(mul(ni, imageSize), mul(ci, rows));
    auto loop = b.create<scf::ForOp>(loc, idx(0), idx(panels), idx(1));
    b.setInsertionPointToStart(loop.getBody());
    Value t = loop.getInductionVar();
    Value first = b.create<arith::MinSIOp>(loc, mul(t, rows), idx(pixels - rows));
    auto vType = VectorType::get({rows}, b.getF32Type());
    Value pad = f32Const(b, loc, 0);
    Value v = b.create<vector::TransferReadOp>(loc, vType, input,
                                               ValueRange{add(srcRow, first)}, pad,
                                               ArrayRef<bool>{true});
    b.create<vector::TransferWriteOp>(loc, v, packed,
                                      ValueRange{add(dstRow, mul(t, panelSize))},
                                      ArrayRef<bool>{true});
  }

  // Iteration space as in lowerConv: n g ob oi oh ow | kh kw cg.
  enum { N, G, OB, OI, OH, OW, KH, KW, CG, NumDims };
  AffineMap winMap = dims(NumDims, {N, G, CG, KH, KW, OH, OW});
  AffineMap filterMap = dims(NumDims, {OB, KH, KW, CG, G, OI});
  AffineMap outMap = dims(NumDims, {N, G, OB, OI, OH, OW});
  using IT = utils::IteratorType;
  SmallVector<IT> its(NumDims, IT::parallel);
  its[KH] = its[KW] = its[CG] = IT::reduction;
  Value outFlat = reshapeBuffer(b, loc, out, {n * cout * pixels});
  Value residual = op.getResidual()
                       ? reshapeBuffer(b, loc, bufferOf(op.getResidual()),
                                       {n * cout * pixels})
                       : Value();
  Value bias = op.getBias()
                   ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {1, ob, blk})
                   : Value();
  auto outputView = [&](Value flat, int64_t count, int64_t pixel0) {
    return stridedView(b, loc, flat, {n, 1, ob, blk, count, rows},
                       {cout * pixels, cout * pixels, blk * pixels, pixels, rows, 1},
                       pixel0);
  };
  auto conv = [&](int64_t panel0, int64_t count, int64_t pixel0) {
    Value windows =
        stridedView(b, loc, packed, {n, 1, c, 1, 1, count, rows},
                    {imageSize, imageSize, rows, 0, 0, panelSize, 1},
                    panel0 * panelSize);
    linalg::GenericOp kernel = buildKernel(
        loc, "conv", {windows, bufferOf(op.getFilter())}, {winMap, filterMap},
        bias, dims(NumDims, {G, OB, OI}),
        residual ? outputView(residual, count, pixel0) : Value(),
        outputView(outFlat, count, pixel0), outMap, its, epilogueOf(op));
    kernel->setAttr("mnn.channel_lanes", b.getI64IntegerAttr(blk));
    kernel->setAttr("mnn.whole_rows", b.getUnitAttr());
  };

  conv(0, whole, 0);
  if (whole < panels)
    conv(whole, 1, pixels - rows);
  return success();
}

} // namespace mnn::lowering
