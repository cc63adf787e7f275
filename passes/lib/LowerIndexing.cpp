//===- LowerIndexing.cpp - arg/top-k, gathers, scatters, scans -------------===//
//
// The ops of MNNIndexingOps.td on buffers. Element-parallel ones (gathers,
// one_hot, trilu, class_weight) are linalg.generic ops that compute their
// source position from linalg.index and load it; ops with an order or a
// carried state (arg_top_k, cumsum, scatters, whose duplicates must apply in
// order) are scf.for nests. These kernels work on any int or float element
// type. Index values are wrapped once (negative counts from the end) and then
// clamped into the dim, so a bad index never touches memory outside a buffer.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include <array>

namespace mnn::lowering {

namespace {

Value cIdx(OpBuilder &b, Location loc, int64_t v) {
  return b.create<arith::ConstantIndexOp>(loc, v);
}

/// An int or float index value as `index`.
Value toIndex(OpBuilder &b, Location loc, Value raw) {
  if (isa<FloatType>(raw.getType()))
    raw = b.create<arith::FPToSIOp>(loc, b.getI64Type(), raw);
  return b.create<arith::IndexCastOp>(loc, b.getIndexType(), raw);
}

/// Wraps a negative index once and clamps it into [0, dim).
Value wrapClamp(OpBuilder &b, Location loc, Value raw, int64_t dim) {
  Value i = toIndex(b, loc, raw);
  Value neg = b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::slt, i,
                                      cIdx(b, loc, 0));
  Value wrapped = b.create<arith::AddIOp>(loc, i, cIdx(b, loc, dim));
  i = b.create<arith::SelectOp>(loc, neg, wrapped, i);
  i = b.create<arith::MaxSIOp>(loc, i, cIdx(b, loc, 0));
  return b.create<arith::MinSIOp>(loc, i, cIdx(b, loc, std::max<int64_t>(dim - 1, 0)));
}

Value zeroOf(OpBuilder &b, Location loc, Type elt) {
  return b.create<arith::ConstantOp>(loc, b.getZeroAttr(elt));
}

Value oneOf(OpBuilder &b, Location loc, Type elt) {
  if (isa<FloatType>(elt))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(elt, 1.0));
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(elt, 1));
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  if (isa<FloatType>(x.getType()))
    return b.create<arith::AddFOp>(loc, x, y);
  return b.create<arith::AddIOp>(loc, x, y);
}

/// Scatter reduction of the old value and the update.
Value combine(OpBuilder &b, Location loc, StringRef kind, Value old, Value u) {
  bool f = isa<FloatType>(u.getType());
  if (kind == "add")
    return add(b, loc, old, u);
  if (kind == "mul")
    return f ? b.create<arith::MulFOp>(loc, old, u).getResult()
             : b.create<arith::MulIOp>(loc, old, u).getResult();
  if (kind == "max")
    return f ? b.create<arith::MaximumFOp>(loc, old, u).getResult()
             : b.create<arith::MaxSIOp>(loc, old, u).getResult();
  if (kind == "min")
    return f ? b.create<arith::MinimumFOp>(loc, old, u).getResult()
             : b.create<arith::MinSIOp>(loc, old, u).getResult();
  return u;
}

/// A linalg.generic over all of `out` with no inputs: `body` gets the
/// iteration indices and returns the element.
void generateInto(OpBuilder &b, Location loc, Value out,
                  function_ref<Value(OpBuilder &, Location, ValueRange)> body) {
  int64_t rank = cast<MemRefType>(out.getType()).getRank();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, ValueRange{}, ValueRange{out},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, its,
      [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> ivs;
        for (int64_t d = 0; d < rank; ++d)
          ivs.push_back(nb.create<linalg::IndexOp>(nl, d));
        nb.create<linalg::YieldOp>(nl, ValueRange{body(nb, nl, ivs)});
      });
}

/// scf.for nest over `shape` (nothing when it is empty of elements).
void loopNest(OpBuilder &b, Location loc, ArrayRef<int64_t> shape,
              function_ref<void(OpBuilder &, Location, ValueRange)> body) {
  SmallVector<Value> lbs, ubs, steps;
  for (int64_t d : shape) {
    lbs.push_back(cIdx(b, loc, 0));
    ubs.push_back(cIdx(b, loc, d));
    steps.push_back(cIdx(b, loc, 1));
  }
  scf::buildLoopNest(b, loc, lbs, ubs, steps,
                     [&](OpBuilder &nb, Location nl, ValueRange ivs) {
                       body(nb, nl, ivs);
                     });
}

int64_t numElements(Value v) {
  return cast<RankedTensorType>(v.getType()).getNumElements();
}

/// [outer, len, inner] around `axis`.
std::array<int64_t, 3> aroundAxis(ArrayRef<int64_t> shape, int64_t axis) {
  int64_t outer = 1, inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= shape[i];
  for (int64_t i = axis + 1; i < (int64_t)shape.size(); ++i)
    inner *= shape[i];
  return {outer, shape[axis], inner};
}

} // namespace

bool lowersAnyElementType(Operation *op) {
  return isa<mnn::ArgTopKOp, mnn::GatherElementsOp, mnn::GatherNDOp,
             mnn::ScatterElementsOp, mnn::ScatterNDOp, mnn::OneHotOp,
             mnn::TriluOp, mnn::CumSumOp, mnn::ClassWeightOp>(op);
}

// Selection by repeated scans: the j-th index is the best element that ranks
// after the (j-1)-th in the total order (value, then index), O(k * len) per
// row, no scratch memory. ArgMax/ArgMin (k = 1) are one scan.
LogicalResult Lowering::lowerArgTopK(mnn::ArgTopKOp op, Value out) {
  Location loc = op.getLoc();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  if (numElements(op->getResult(0)) == 0)
    return success();
  auto dims = aroundAxis(inType.getShape(), op.getAxis());
  int64_t outer = dims[0], len = dims[1], inner = dims[2];
  int64_t k = op.getK();
  bool largest = op.getLargest(), last = op.getLastIndex();
  // Buffers hold signless integers; the tensor type's signedness picks the
  // comparison.
  Type elt = storageType(inType.getElementType());
  bool isFloat = isa<FloatType>(elt);
  bool isUnsigned = inType.getElementType().isUnsignedInteger() ||
                    inType.getElementType().isInteger(1);
  Value in = reshapeBuffer(b, loc, bufferOf(op.getInput()), {outer, len, inner});
  Value o = reshapeBuffer(b, loc, out, {outer, k, inner});
  // Does (av, ai) rank strictly before (bv, bi)?
  auto precedes = [&](OpBuilder &nb, Location nl, Value av, Value ai, Value bv,
                      Value bi) -> Value {
    Value better, equal;
    if (isFloat) {
      better = nb.create<arith::CmpFOp>(
          nl, largest ? arith::CmpFPredicate::OGT : arith::CmpFPredicate::OLT,
          av, bv);
      equal = nb.create<arith::CmpFOp>(nl, arith::CmpFPredicate::OEQ, av, bv);
    } else {
      auto pred = isUnsigned ? (largest ? arith::CmpIPredicate::ugt
                                        : arith::CmpIPredicate::ult)
                             : (largest ? arith::CmpIPredicate::sgt
                                        : arith::CmpIPredicate::slt);
      better = nb.create<arith::CmpIOp>(nl, pred, av, bv);
      equal = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::eq, av, bv);
    }
    Value tie = nb.create<arith::CmpIOp>(
        nl, last ? arith::CmpIPredicate::sgt : arith::CmpIPredicate::slt, ai, bi);
    return nb.create<arith::OrIOp>(nl, better,
                                   nb.create<arith::AndIOp>(nl, equal, tie));
  };
  loopNest(b, loc, {outer, inner}, [&](OpBuilder &b1, Location l1, ValueRange oi) {
    Value none = cIdx(b1, l1, -1);
    Value c0 = cIdx(b1, l1, 0), c1 = cIdx(b1, l1, 1);
    b1.create<scf::ForOp>(
        l1, c0, cIdx(b1, l1, k), c1, ValueRange{zeroOf(b1, l1, elt), none},
        [&](OpBuilder &b2, Location l2, Value j, ValueRange prev) {
          Value havePrev = b2.create<arith::CmpIOp>(
              l2, arith::CmpIPredicate::sge, prev[1], cIdx(b2, l2, 0));
          auto scan = b2.create<scf::ForOp>(
              l2, c0, cIdx(b2, l2, len), c1, ValueRange{prev[0], none},
              [&](OpBuilder &b3, Location l3, Value t, ValueRange best) {
                Value x = b3.create<memref::LoadOp>(l3, in, ValueRange{oi[0], t, oi[1]});
                Value notPrev = b3.create<arith::XOrIOp>(
                    l3, havePrev, b3.create<arith::ConstantIntOp>(l3, 1, 1));
                Value eligible = b3.create<arith::OrIOp>(
                    l3, notPrev, precedes(b3, l3, prev[0], prev[1], x, t));
                Value noBest = b3.create<arith::CmpIOp>(
                    l3, arith::CmpIPredicate::slt, best[1], cIdx(b3, l3, 0));
                Value better = b3.create<arith::OrIOp>(
                    l3, noBest, precedes(b3, l3, x, t, best[0], best[1]));
                Value take = b3.create<arith::AndIOp>(l3, eligible, better);
                b3.create<scf::YieldOp>(
                    l3, ValueRange{b3.create<arith::SelectOp>(l3, take, x, best[0]),
                                   b3.create<arith::SelectOp>(l3, take, t, best[1])});
              });
          Value idx = b2.create<arith::IndexCastOp>(l2, b2.getI64Type(),
                                                    scan.getResult(1));
          b2.create<memref::StoreOp>(l2, idx, o, ValueRange{oi[0], j, oi[1]});
          b2.create<scf::YieldOp>(l2, scan.getResults());
        });
  });
  return success();
}

LogicalResult Lowering::lowerGatherElements(mnn::GatherElementsOp op, Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  int64_t axis = op.getAxis(), rank = dataType.getRank();
  int64_t axisDim = dataType.getDimSize(axis);
  Value data = bufferOf(op.getData());
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(b, loc, {bufferOf(op.getIndices())},
               {b.getMultiDimIdentityMap(rank)}, out,
               b.getMultiDimIdentityMap(rank), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 SmallVector<Value> at;
                 for (int64_t d = 0; d < rank; ++d)
                   at.push_back(d == axis ? wrapClamp(nb, nl, a[0], axisDim)
                                          : nb.create<linalg::IndexOp>(nl, d).getResult());
                 return nb.create<memref::LoadOp>(nl, data, at);
               });
  return success();
}

LogicalResult Lowering::lowerGatherND(mnn::GatherNDOp op, Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  auto idxType = cast<RankedTensorType>(op.getIndices().getType());
  int64_t bd = op.getBatchDims(), q = idxType.getRank();
  int64_t r = idxType.getDimSize(q - 1);
  Value data = bufferOf(op.getData()), indices = bufferOf(op.getIndices());
  generateInto(b, loc, out, [&](OpBuilder &nb, Location nl, ValueRange ivs) -> Value {
    // Output dims: indices dims but the last, then data dims after b + r.
    SmallVector<Value> at(ivs.begin(), ivs.begin() + bd);
    SmallVector<Value> idxAt(ivs.begin(), ivs.begin() + (q - 1));
    for (int64_t c = 0; c < r; ++c) {
      idxAt.push_back(cIdx(nb, nl, c));
      Value raw = nb.create<memref::LoadOp>(nl, indices, idxAt);
      idxAt.pop_back();
      at.push_back(wrapClamp(nb, nl, raw, dataType.getDimSize(bd + c)));
    }
    at.append(ivs.begin() + (q - 1), ivs.end());
    return nb.create<memref::LoadOp>(nl, data, at);
  });
  return success();
}

LogicalResult Lowering::lowerScatterElements(mnn::ScatterElementsOp op,
                                             Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  copy(loc, bufferOf(op.getData()), out);
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  auto updType = cast<RankedTensorType>(op.getUpdates().getType());
  int64_t axis = op.getAxis(), axisDim = dataType.getDimSize(axis);
  Value indices = bufferOf(op.getIndices()), updates = bufferOf(op.getUpdates());
  StringRef kind = op.getReduction();
  loopNest(b, loc, updType.getShape(), [&](OpBuilder &nb, Location nl, ValueRange ivs) {
    Value raw = nb.create<memref::LoadOp>(nl, indices, ivs);
    SmallVector<Value> at(ivs.begin(), ivs.end());
    at[axis] = wrapClamp(nb, nl, raw, axisDim);
    Value u = nb.create<memref::LoadOp>(nl, updates, ivs);
    if (kind != "none")
      u = combine(nb, nl, kind, nb.create<memref::LoadOp>(nl, out, at), u);
    nb.create<memref::StoreOp>(nl, u, out, at);
  });
  return success();
}

LogicalResult Lowering::lowerScatterND(mnn::ScatterNDOp op, Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  copy(loc, bufferOf(op.getData()), out);
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  auto idxType = cast<RankedTensorType>(op.getIndices().getType());
  auto updType = cast<RankedTensorType>(op.getUpdates().getType());
  int64_t q = idxType.getRank(), r = idxType.getDimSize(q - 1);
  Value indices = bufferOf(op.getIndices()), updates = bufferOf(op.getUpdates());
  StringRef kind = op.getReduction();
  loopNest(b, loc, updType.getShape(), [&](OpBuilder &nb, Location nl, ValueRange ivs) {
    SmallVector<Value> idxAt(ivs.begin(), ivs.begin() + (q - 1)), at;
    for (int64_t c = 0; c < r; ++c) {
      idxAt.push_back(cIdx(nb, nl, c));
      Value raw = nb.create<memref::LoadOp>(nl, indices, idxAt);
      idxAt.pop_back();
      at.push_back(wrapClamp(nb, nl, raw, dataType.getDimSize(c)));
    }
    at.append(ivs.begin() + (q - 1), ivs.end());
    Value u = nb.create<memref::LoadOp>(nl, updates, ivs);
    if (kind != "none")
      u = combine(nb, nl, kind, nb.create<memref::LoadOp>(nl, out, at), u);
    nb.create<memref::StoreOp>(nl, u, out, at);
  });
  return success();
}

LogicalResult Lowering::lowerOneHot(mnn::OneHotOp op, Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  int64_t axis = op.getAxis(), depth = op.getDepth();
  Value indices = bufferOf(op.getIndices());
  Value values = reshapeBuffer(b, loc, bufferOf(op.getValues()), {2});
  generateInto(b, loc, out, [&](OpBuilder &nb, Location nl, ValueRange ivs) -> Value {
    SmallVector<Value> at;
    for (int64_t d = 0; d < (int64_t)ivs.size(); ++d)
      if (d != axis)
        at.push_back(ivs[d]);
    Value i = toIndex(nb, nl, nb.create<memref::LoadOp>(nl, indices, at));
    Value neg = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::slt, i,
                                         cIdx(nb, nl, 0));
    i = nb.create<arith::SelectOp>(
        nl, neg, nb.create<arith::AddIOp>(nl, i, cIdx(nb, nl, depth)), i);
    Value hit = nb.create<arith::CmpIOp>(nl, arith::CmpIPredicate::eq, i, ivs[axis]);
    Value off = nb.create<memref::LoadOp>(nl, values, ValueRange{cIdx(nb, nl, 0)});
    Value on = nb.create<memref::LoadOp>(nl, values, ValueRange{cIdx(nb, nl, 1)});
    return nb.create<arith::SelectOp>(nl, hit, on, off);
  });
  return success();
}

LogicalResult Lowering::lowerTrilu(mnn::TriluOp op, Value out) {
  Location loc = op.getLoc();
  if (numElements(op->getResult(0)) == 0)
    return success();
  int64_t rank = cast<RankedTensorType>(op.getType()).getRank(), k = op.getK();
  bool upper = op.getUpper();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(b, loc, {bufferOf(op.getInput())}, {b.getMultiDimIdentityMap(rank)},
               out, b.getMultiDimIdentityMap(rank), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 Value row = nb.create<linalg::IndexOp>(nl, rank - 2);
                 Value col = nb.create<linalg::IndexOp>(nl, rank - 1);
                 Value diff = nb.create<arith::SubIOp>(nl, col, row);
                 Value keep = nb.create<arith::CmpIOp>(
                     nl, upper ? arith::CmpIPredicate::sge : arith::CmpIPredicate::sle,
                     diff, cIdx(nb, nl, k));
                 return nb.create<arith::SelectOp>(nl, keep, a[0],
                                                   zeroOf(nb, nl, a[0].getType()));
               });
  return success();
}

LogicalResult Lowering::lowerCumSum(mnn::CumSumOp op, Value out) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  if (type.getNumElements() == 0)
    return success();
  auto dims = aroundAxis(type.getShape(), op.getAxis());
  int64_t outer = dims[0], len = dims[1], inner = dims[2];
  bool exclusive = op.getExclusive(), reverse = op.getReverse();
  bool product = op.getProduct();
  Value in = reshapeBuffer(b, loc, bufferOf(op.getInput()), {outer, len, inner});
  Value o = reshapeBuffer(b, loc, out, {outer, len, inner});
  Type elt = storageType(type.getElementType());
  loopNest(b, loc, {outer, inner}, [&](OpBuilder &b1, Location l1, ValueRange oi) {
    b1.create<scf::ForOp>(
        l1, cIdx(b1, l1, 0), cIdx(b1, l1, len), cIdx(b1, l1, 1),
        ValueRange{product ? oneOf(b1, l1, elt) : zeroOf(b1, l1, elt)},
        [&](OpBuilder &b2, Location l2, Value t, ValueRange acc) {
          Value pos = reverse ? b2.create<arith::SubIOp>(l2, cIdx(b2, l2, len - 1), t)
                                    .getResult()
                              : t;
          Value x = b2.create<memref::LoadOp>(l2, in, ValueRange{oi[0], pos, oi[1]});
          Value next = product ? combine(b2, l2, "mul", acc[0], x)
                               : add(b2, l2, acc[0], x);
          b2.create<memref::StoreOp>(l2, exclusive ? acc[0] : next, o,
                                     ValueRange{oi[0], pos, oi[1]});
          b2.create<scf::YieldOp>(l2, ValueRange{next});
        });
  });
  return success();
}

LogicalResult Lowering::lowerClassWeight(mnn::ClassWeightOp op, Value out) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  if (type.getNumElements() == 0)
    return success();
  int64_t rank = type.getRank(), classes = op.getClasses();
  bool hasIgnore = op.getHasIgnore();
  int64_t ignore = op.getIgnoreIndex();
  Value weight = op.getWeight() ? bufferOf(op.getWeight()) : Value();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(b, loc, {bufferOf(op.getTarget())}, {b.getMultiDimIdentityMap(rank)},
               out, b.getMultiDimIdentityMap(rank), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 Value t = toIndex(nb, nl, a[0]);
                 Value w = f32Const(nb, nl, 1.0);
                 if (weight) {
                   Value c = nb.create<arith::MaxSIOp>(nl, t, cIdx(nb, nl, 0));
                   c = nb.create<arith::MinSIOp>(nl, c, cIdx(nb, nl, classes - 1));
                   w = nb.create<memref::LoadOp>(nl, weight, ValueRange{c});
                 }
                 if (!hasIgnore)
                   return w;
                 Value ignored = nb.create<arith::CmpIOp>(
                     nl, arith::CmpIPredicate::eq, t, cIdx(nb, nl, ignore));
                 return nb.create<arith::SelectOp>(nl, ignored, f32Const(nb, nl, 0.0), w);
               });
  return success();
}

} // namespace mnn::lowering
