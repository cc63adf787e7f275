//===- LowerSpatial.cpp - pad, broadcast, resample -------------------------===//
//
// Pad in constant mode is a fill plus a copy into the interior; the other
// modes read every output element from a computed source index. Broadcast is
// an elementwise copy. Resample (Resize) reads its per-axis tap tables as
// extra generic operands and gathers the taps from the input.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

namespace mnn::lowering {

namespace {

Value idx(OpBuilder &b, Location loc, int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

/// x mod m in [0, m).
Value positiveMod(OpBuilder &b, Location loc, Value x, int64_t m) {
  Value mv = idx(b, loc, m);
  Value r = b.create<arith::RemSIOp>(loc, x, mv);
  Value neg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, r,
                                      idx(b, loc, 0));
  return b.create<arith::SelectOp>(loc, neg,
                                   b.create<arith::AddIOp>(loc, r, mv), r);
}

/// A scalar of element type `elt` with value v.
Value scalarOf(OpBuilder &b, Location loc, Type elt, double v) {
  if (auto f = dyn_cast<FloatType>(elt))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(f, v));
  return b.create<arith::ConstantOp>(
      loc, b.getIntegerAttr(elt, static_cast<int64_t>(v)));
}

} // namespace

LogicalResult Lowering::lowerPad(mnn::PadOp op, Value out) {
  Location loc = op.getLoc();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  if (outType.getNumElements() == 0)
    return success();
  int64_t rank = inType.getRank();
  ArrayRef<int64_t> pads = op.getPads();
  Value in = bufferOf(op.getInput());
  StringRef mode = op.getMode();
  if (mode == "constant" || inType.getNumElements() == 0) {
    b.create<linalg::FillOp>(
        loc, scalarOf(b, loc, outType.getElementType(),
                      op.getValue().convertToDouble()),
        out);
    if (inType.getNumElements() == 0)
      return success();
    SmallVector<int64_t> offsets(pads.take_front(rank)), strides(rank, 1);
    Value interior = b.create<memref::SubViewOp>(loc, out, offsets,
                                                 inType.getShape(), strides);
    copy(loc, in, interior);
    return success();
  }
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, ValueRange{}, ValueRange{out},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, its,
      [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d) {
          Value i = nb.create<linalg::IndexOp>(nl, d);
          int64_t dim = inType.getDimSize(d);
          if (pads[d] == 0 && pads[d + rank] == 0) {
            at.push_back(i);
            continue;
          }
          Value s = nb.create<arith::SubIOp>(nl, i, idx(nb, nl, pads[d]));
          if (mode == "edge") {
            s = nb.create<arith::MaxSIOp>(nl, s, idx(nb, nl, 0));
            s = nb.create<arith::MinSIOp>(nl, s, idx(nb, nl, dim - 1));
          } else if (mode == "wrap") {
            s = positiveMod(nb, nl, s, dim);
          } else { // reflect: period 2 * (dim - 1), mirrored second half
            int64_t period = 2 * (dim - 1);
            Value m = positiveMod(nb, nl, s, period);
            Value lo = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::slt,
                                                m, idx(nb, nl, dim));
            s = nb.create<arith::SelectOp>(
                nl, lo, m,
                nb.create<arith::SubIOp>(nl, idx(nb, nl, period), m));
          }
          at.push_back(s);
        }
        nb.create<linalg::YieldOp>(
            nl, ValueRange{nb.create<memref::LoadOp>(nl, in, at)});
      });
  return success();
}

LogicalResult Lowering::lowerBroadcast(mnn::BroadcastOp op, Value out) {
  if (cast<RankedTensorType>(op.getType()).getNumElements() == 0)
    return success();
  elementwise(op.getLoc(), out, {bufferOf(op.getInput())},
              [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return success();
}

LogicalResult Lowering::lowerResample(mnn::ResampleOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto outType = cast<RankedTensorType>(op.getType());
  if (outType.getNumElements() == 0)
    return success();
  int64_t rank = outType.getRank(), axis = op.getAxis(), taps = op.getTaps();
  int64_t len = outType.getDimSize(axis);
  ArrayRef<int64_t> indices = op.getIndices();
  ArrayRef<float> weights = op.getWeights();
  bool gather = op.isGather();
  bool extrapolate = false;
  // One 1-D table per tap (indices, and weights unless gathering), read at
  // the output position along the axis.
  SmallVector<Value> tables;
  SmallVector<AffineMap> maps;
  AffineMap axisMap = AffineMap::get(rank, 0, getAffineDimExpr(axis, ctx));
  for (int64_t t = 0; t < taps; ++t) {
    SmallVector<int64_t> idxTab(len);
    SmallVector<double> wTab(len);
    for (int64_t o = 0; o < len; ++o) {
      int64_t i = indices[o * taps + t];
      extrapolate |= i < 0;
      idxTab[o] = i; // -1 (outside) stays: the body tests and clamps it
      wTab[o] = weights[o * taps + t];
    }
    auto itype = RankedTensorType::get({len}, b.getI64Type());
    tables.push_back(constantBuffer(mnn::makeElementsFromInts(itype, idxTab), loc));
    maps.push_back(axisMap);
    if (!gather) {
      auto ftype = RankedTensorType::get({len}, b.getF32Type());
      tables.push_back(
          constantBuffer(mnn::makeElementsFromDoubles(ftype, wTab), loc));
      maps.push_back(axisMap);
    }
  }
  Value in = bufferOf(op.getInput());
  float fill = op.getExtrapolationValue().convertToFloat();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(
      b, loc, tables, maps, out, b.getMultiDimIdentityMap(rank), its,
      [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(d == axis ? Value()
                                : nb.create<linalg::IndexOp>(nl, d).getResult());
        Value acc, outside;
        int64_t stride = gather ? 1 : 2;
        for (int64_t t = 0; t < taps; ++t) {
          Value raw = a[t * stride];
          if (t == 0 && extrapolate)
            outside = nb.create<arith::CmpIOp>(
                nl, arith::CmpIPredicate::slt, raw,
                nb.create<arith::ConstantIntOp>(nl, 0, 64));
          Value i = nb.create<arith::IndexCastOp>(nl, nb.getIndexType(), raw);
          if (extrapolate)
            i = nb.create<arith::MaxSIOp>(nl, i, idx(nb, nl, 0));
          at[axis] = i;
          Value v = nb.create<memref::LoadOp>(nl, in, at);
          if (gather) {
            acc = v;
            continue;
          }
          Value term = nb.create<arith::MulFOp>(nl, v, a[t * stride + 1]);
          acc = acc ? nb.create<arith::AddFOp>(nl, acc, term).getResult() : term;
        }
        if (outside)
          acc = nb.create<arith::SelectOp>(nl, outside,
                                           scalarOf(nb, nl, outType.getElementType(), fill),
                                           acc);
        return acc;
      });
  return success();
}

} // namespace mnn::lowering
