//===- LowerReductions.cpp - pooling, reductions and normalizations -------===//
//
// pool2d, reduce, softmax, log_softmax and layer_norm.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"
#include "VectorTranspose.h"

#include <cmath>
#include <limits>

namespace mnn::lowering {

LogicalResult Lowering::lowerPool(mnn::Pool2DOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  bool isMax = op.getKind() == "max";
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  auto k = op.getKernel(), s = op.getStrides(), d = op.getDilations(),
       p = op.getPads();
  if (auto conv = op.getInput().getDefiningOp<mnn::Conv2DOp>();
      conv && mnn::bandedReader(op.getInput()) == op.getOperation())
    return lowerBandedPool(conv, op, out);
  Scalar sc(outType);
  SmallVector<int64_t> pshape;
  Value init = isMax ? sc.lowest(b, loc) : sc.cst(b, loc, 0);
  Value input = padded(op, bufferOf(op.getInput()), p, init, loc, pshape);
  int64_t hp = pshape[2], wp = pshape[3];
  if (isMax && sc.storage.isF32() && s[1] == 2 && d[0] == 1 && d[1] == 1 &&
      ow >= 8 && k[1] <= 4 &&
      cast<MemRefType>(input.getType()).getLayout().isIdentity())
    return lowerStride2MaxPool(loc, input, out, {n, c, hp, wp, oh, ow, k[0], k[1], s[0]});
  Value windows =
      stridedView(b, loc, input, {n, c, k[0], k[1], oh, ow},
                  {c * hp * wp, hp * wp, d[0] * wp, d[1], s[0] * wp, s[1]});
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Iteration space: n c oh | kh kw | ow. The output row is innermost, so
  // that LLVM vectorizes along it (strided input lanes become interleaved
  // loads) while the row stays in L1 across the window taps.
  AffineMap winMap = AffineMap::get(6, 0, {dim(0), dim(1), dim(3), dim(4), dim(2), dim(5)}, ctx);
  AffineMap outMap = AffineMap::get(6, 0, {dim(0), dim(1), dim(2), dim(5)}, ctx);
  b.create<linalg::FillOp>(loc, init, out);
  using IT = utils::IteratorType;
  SmallVector<IT> its = {IT::parallel,  IT::parallel,  IT::parallel,
                         IT::reduction, IT::reduction, IT::parallel};
  buildGeneric(b, loc, {windows}, {winMap}, out, outMap, its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 if (isMax && sc.isFloat) {
                   // The accumulator unless x is larger: one vmaxps/fmax
                   // (a NaN input is ignored, a NaN accumulator kept).
                   Value gt = nb.create<arith::CmpFOp>(nl, arith::CmpFPredicate::OGT,
                                                       a[0], a[1]);
                   return nb.create<arith::SelectOp>(nl, gt, a[0], a[1]);
                 }
                 if (isMax)
                   return sc.max(nb, nl, a[0], a[1]);
                 return sc.add(nb, nl, a[0], a[1]);
               });
  if (isMax)
    return success();
  // Average: divide by the number of counted window elements, computed here
  // for every output position.
  auto counted = op.getCountedPads();
  bool includePad = op.getCountIncludePad();
  std::vector<double> inv(oh * ow);
  auto countAxis = [&](int64_t o, int64_t axis) {
    int64_t lo = includePad ? -counted[axis] : 0;
    int64_t hi = (axis == 0 ? h : w) + (includePad ? counted[axis + 2] : 0);
    int64_t cnt = 0;
    for (int64_t t = 0; t < k[axis]; ++t) {
      int64_t pos = o * s[axis] + t * d[axis] - p[axis];
      cnt += pos >= lo && pos < hi;
    }
    return cnt;
  };
  for (int64_t y = 0; y < oh; ++y)
    for (int64_t x = 0; x < ow; ++x) {
      int64_t cnt = countAxis(y, 0) * countAxis(x, 1);
      inv[y * ow + x] = cnt ? 1.0 / cnt : 0.0;
    }
  auto invType = RankedTensorType::get({1, 1, oh, ow}, sc.storage);
  Value invBuf =
      constantBuffer(mnn::makeElementsFromDoubles(invType, inv), loc);
  elementwise(loc, out, {out, invBuf}, [](OpBuilder &nb, Location nl, ValueRange a) {
    return nb.create<arith::MulFOp>(nl, a[0], a[1]);
  });
  return success();
}

LogicalResult Lowering::lowerStride2MaxPool(Location loc, Value input, Value out,
                                            ArrayRef<int64_t> g, int64_t outRow,
                                            int64_t outRows) {
  // LLVM leaves a linalg max pool that is strided along the width scalar
  // (vmaxss per tap and output). Here each output row is written 8 columns
  // at a time: per window row, one 16-element load serves taps kw = 0 and 1
  // (its even and odd elements) and one more taps 2 and 3; an unpaired last
  // tap (kw = 2 of a 3x3 pool) loads the 16 elements that end at its last
  // one and takes the odd ones (a 15-element vector is loaded in pieces).
  // The picks take the columns in the order one AVX2 vshufps leaves them,
  // 0 1 4 5 2 3 6 7 (NEON's uzp1 picks this order as cheaply as the natural
  // one): the max is per lane, so the accumulator keeps that order and is
  // permuted once, before the store, instead of a vpermpd per pick. The
  // last chunk of a row starts at ow - 8, overlapping the one before.
  int64_t n = g[0], c = g[1], hp = g[2], wp = g[3], oh = g[4], ow = g[5],
          kh = g[6], kw = g[7], sh = g[8];
  auto idx = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
  if (outRows < 0)
    outRows = oh;
  Value in = reshapeBuffer(b, loc, input, {n * c * hp * wp});
  Value res = reshapeBuffer(b, loc, out, {n * c * outRows * ow});
  OpBuilder::InsertionGuard guard(b);
  auto par = parallelOver(b, loc, {n * c, oh});
  Value plane = par.getInductionVars()[0], y = par.getInductionVars()[1];
  auto mul = [&](Value x, int64_t v) { return b.create<arith::MulIOp>(loc, x, idx(v)); };
  auto add = [&](Value x, Value v) { return b.create<arith::AddIOp>(loc, x, v); };
  Value inRow = add(mul(plane, hp * wp), mul(y, sh * wp));
  Value outStart = add(mul(plane, outRows * ow), mul(y, ow));
  if (outRow)
    outStart = add(outStart, idx(outRow * ow));
  auto loop = b.create<scf::ForOp>(loc, idx(0), idx((ow + 7) / 8), idx(1));
  b.setInsertionPointToStart(loop.getBody());
  Value x0 = b.create<arith::MinSIOp>(loc, mul(loop.getInductionVar(), 8), idx(ow - 8));
  auto v8 = VectorType::get({8}, b.getF32Type());
  Value acc = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(v8, APFloat::getInf(APFloat::IEEEsingle(), true)));
  Value pad = f32Const(b, loc, 0);
  auto take = [&](Value wide, int64_t first) {
    SmallVector<int64_t> lanes;
    for (int64_t l = 0; l < 8; ++l)
      lanes.push_back(first + 2 * mnn::kVshufpsEvenOddOrder[l]);
    Value x = b.create<vector::ShuffleOp>(loc, wide, wide, lanes);
    Value gt = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OGT, x, acc);
    acc = b.create<arith::SelectOp>(loc, gt, x, acc);
  };
  for (int64_t r = 0; r < kh; ++r)
    for (int64_t q = 0; q < kw; q += 2) {
      bool pair = q + 1 < kw, shifted = !pair && q > 0;
      int64_t from = shifted ? q - 1 : q;
      Value at = add(add(inRow, idx(r * wp + from)), mul(x0, 2));
      Value wide = b.create<vector::TransferReadOp>(
          loc, VectorType::get({pair || shifted ? 16 : 15}, b.getF32Type()), in,
          ValueRange{at}, pad, ArrayRef<bool>{true});
      take(wide, shifted ? 1 : 0);
      if (pair)
        take(wide, 1);
    }
  // The permutation is its own inverse.
  acc = b.create<vector::ShuffleOp>(loc, acc, acc, ArrayRef<int64_t>(mnn::kVshufpsEvenOddOrder));
  b.create<vector::TransferWriteOp>(loc, acc, res, ValueRange{add(outStart, x0)},
                                    ArrayRef<bool>{true});
  return success();
}

LogicalResult Lowering::lowerRowReduce(Location loc, Value input, Value out,
                                       int64_t rows, int64_t len, StringRef kind,
                                       const Scalar &sc) {
  // LLVM keeps a linalg float sum scalar (one dependent vaddss per element:
  // the accumulator lives in memory that may alias the input). Here each row
  // is summed in four independent 8-lane accumulators, combined once.
  auto idx = [&](int64_t v) { return b.create<arith::ConstantIndexOp>(loc, v); };
  Type f32 = b.getF32Type();
  const int64_t vw = 8;
  int64_t accs = std::clamp<int64_t>(len / vw, 1, 4);
  bool isMax = kind == "max", isMin = kind == "min";
  double identity = isMax ? -INFINITY : isMin ? INFINITY : 0.0;
  // The same combination as the linalg form (Scalar), on vectors.
  auto combine = [&](OpBuilder &ob, Value x, Value y) -> Value {
    return isMax ? sc.max(ob, loc, x, y) : isMin ? sc.min(ob, loc, x, y) : sc.add(ob, loc, x, y);
  };
  auto reduceKind = isMax   ? vector::CombiningKind::MAXIMUMF
                    : isMin ? vector::CombiningKind::MINIMUMF
                            : vector::CombiningKind::ADD;
  auto horizontal = [&](Value v) -> Value {
    auto r = b.create<vector::ReductionOp>(loc, reduceKind, v);
    r.setFastmath(arith::FastMathFlags::reassoc);
    return r;
  };
  Value in = reshapeBuffer(b, loc, input, {rows * len});
  Value res = reshapeBuffer(b, loc, out, {rows});
  OpBuilder::InsertionGuard guard(b);
  auto par = parallelOver(b, loc, {rows});
  Value base = b.create<arith::MulIOp>(loc, par.getInductionVars()[0], idx(len));
  auto load = [&](OpBuilder &ob, int64_t width, Value at) -> Value {
    return ob.create<vector::LoadOp>(loc, VectorType::get({width}, f32), in, ValueRange{at});
  };
  auto v8 = VectorType::get({vw}, f32);
  Value start = b.create<arith::ConstantOp>(
      loc, DenseElementsAttr::get(v8, APFloat(static_cast<float>(identity))));
  SmallVector<Value> acc(accs, start);
  int64_t step = accs * vw, body = len / step * step;
  if (body > 0) {
    auto loop = b.create<scf::ForOp>(
        loc, idx(0), idx(body), idx(step), acc,
        [&](OpBuilder &lb, Location, Value j, ValueRange a) {
          SmallVector<Value> next;
          Value at = lb.create<arith::AddIOp>(loc, base, j);
          for (int64_t k = 0; k < accs; ++k) {
            Value off = lb.create<arith::AddIOp>(
                loc, at, lb.create<arith::ConstantIndexOp>(loc, k * vw));
            next.push_back(combine(lb, a[k], load(lb, vw, off)));
          }
          lb.create<scf::YieldOp>(loc, next);
        });
    acc.assign(loop.getResults().begin(), loop.getResults().end());
  }
  int64_t pos = body;
  for (int64_t k = 0; pos + vw <= len; pos += vw, ++k)
    acc[k % accs] = combine(b, acc[k % accs],
                            load(b, vw, b.create<arith::AddIOp>(loc, base, idx(pos))));
  for (int64_t k = 1; k < accs; ++k)
    acc[0] = combine(b, acc[0], acc[k]);
  Value total = horizontal(acc[0]);
  if (pos < len) // a remainder of fewer than 8 elements
    total = combine(b, total,
                    horizontal(load(b, len - pos, b.create<arith::AddIOp>(loc, base, idx(pos)))));
  if (kind == "mean")
    total = b.create<arith::MulFOp>(loc, total, f32Const(b, loc, 1.0 / len));
  b.create<memref::StoreOp>(loc, total, res, par.getInductionVars());
  return success();
}

LogicalResult Lowering::lowerReduce(mnn::ReduceOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  int64_t rank = inType.getRank();
  StringRef kind = op.getKind();
  Scalar sc(op.getType());
  if (!sc.isFloat && (kind == "l2" || kind == "log_sum"))
    return op.emitError("reduce kind '") << kind << "' needs a float element type";
  // Output viewed with the reduced dims removed.
  SmallVector<int64_t> kept;
  SmallVector<AffineExpr> exprs;
  SmallVector<utils::IteratorType> its;
  int64_t count = 1;
  for (int64_t i = 0; i < rank; ++i) {
    bool reduced = llvm::is_contained(op.getAxes(), i);
    its.push_back(reduced ? utils::IteratorType::reduction
                          : utils::IteratorType::parallel);
    if (reduced) {
      count *= inType.getDimSize(i);
    } else {
      kept.push_back(inType.getDimSize(i));
      exprs.push_back(getAffineDimExpr(i, ctx));
    }
  }
  // Float sum/mean/max/min over the innermost dims of a contiguous buffer
  // (global pools): explicit vector code.
  Value input = bufferOf(op.getInput());
  bool trailing = llvm::all_of(op.getAxes(), [&](int64_t a) { return a >= (int64_t)kept.size(); });
  if (sc.storage.isF32() && trailing && count >= 8 && inType.hasStaticShape() &&
      inType.getNumElements() > 0 &&
      (kind == "sum" || kind == "mean" || kind == "max" || kind == "min") &&
      cast<MemRefType>(input.getType()).getLayout().isIdentity())
    return lowerRowReduce(loc, input, out, inType.getNumElements() / count, count, kind, sc);
  Value outView = reshapeBuffer(b, loc, out, kept);
  Value init = kind == "max"    ? sc.lowest(b, loc)
               : kind == "min"  ? sc.highest(b, loc)
               : kind == "prod" ? sc.cst(b, loc, 1)
                                : sc.cst(b, loc, 0);
  b.create<linalg::FillOp>(loc, init, outView);
  if (inType.getNumElements() != 0)
    buildGeneric(b, loc, {input}, {b.getMultiDimIdentityMap(rank)},
               outView, AffineMap::get(rank, 0, exprs, ctx), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 if (kind == "max")
                   return sc.max(nb, nl, a[0], a[1]);
                 if (kind == "min")
                   return sc.min(nb, nl, a[0], a[1]);
                 if (kind == "prod")
                   return sc.mul(nb, nl, a[0], a[1]);
                 Value x = a[0];
                 if (kind == "l1")
                   x = sc.abs(nb, nl, x);
                 else if (kind == "l2" || kind == "sum_square")
                   x = sc.mul(nb, nl, x, x);
                 return sc.add(nb, nl, x, a[1]);
               });
  if (kind == "mean" || kind == "l2" || kind == "log_sum")
    elementwise(loc, outView, {outView}, [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
      if (kind == "l2")
        return nb.create<math::SqrtOp>(nl, a[0]);
      if (kind == "log_sum")
        return nb.create<math::LogOp>(nl, a[0]);
      if (!sc.isFloat && count == 0)
        return a[0];
      if (!sc.isFloat) // integer mean truncates like integer division
        return sc.isUnsigned
                   ? nb.create<arith::DivUIOp>(nl, a[0], sc.cst(nb, nl, count)).getResult()
                   : nb.create<arith::DivSIOp>(nl, a[0], sc.cst(nb, nl, count)).getResult();
      return nb.create<arith::MulFOp>(nl, a[0], sc.cst(nb, nl, 1.0 / count));
    });
  return success();
}

// Row-wise loops: softmax and layer_norm need two passes over each row and
// scalar state between them; plain scf loops say that most directly.
// Softmax: exp(x - max) / sum; log-softmax: x - (max + log(sum)).
LogicalResult Lowering::lowerSoftmaxRows(Location loc, Value input, Value out,
                                         RankedTensorType type, int64_t axis,
                                         bool logForm) {
  if (type.getNumElements() == 0)
    return success();
  if (axis < 0)
    axis += type.getRank();
  int64_t outer = 1, len = type.getDimSize(axis), inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= type.getDimSize(i);
  for (int64_t i = axis + 1; i < type.getRank(); ++i)
    inner *= type.getDimSize(i);
  if (type.getElementType().isF32() && inner == 1 && len >= 8 && isPlainBuffer(input) &&
      isPlainBuffer(out))
    return lowerSoftmaxVectorRows(loc, input, out, outer, len, logForm);
  Value in = reshapeBuffer(b, loc, input, {outer, len, inner});
  Value o = reshapeBuffer(b, loc, out, {outer, len, inner});
  Value c0 = b.create<arith::ConstantIndexOp>(loc, 0);
  Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
  Value cOuter = b.create<arith::ConstantIndexOp>(loc, outer);
  Value cLen = b.create<arith::ConstantIndexOp>(loc, len);
  Value cInner = b.create<arith::ConstantIndexOp>(loc, inner);
  Type ft = type.getElementType();
  Value lowest = floatConst(b, loc, ft, -std::numeric_limits<double>::infinity());
  Value zero = floatConst(b, loc, ft, 0);
  b.create<scf::ForOp>(loc, c0, cOuter, c1, ValueRange{},
    [&](OpBuilder &b1, Location l, Value i, ValueRange) {
      b1.create<scf::ForOp>(l, c0, cInner, c1, ValueRange{},
        [&](OpBuilder &b2, Location l2, Value j, ValueRange) {
          auto maxLoop = b2.create<scf::ForOp>(l2, c0, cLen, c1, ValueRange{lowest},
            [&](OpBuilder &b3, Location l3, Value k, ValueRange acc) {
              Value x = b3.create<memref::LoadOp>(l3, in, ValueRange{i, k, j});
              b3.create<scf::YieldOp>(l3, ValueRange{b3.create<arith::MaximumFOp>(l3, acc[0], x)});
            });
          Value mx = maxLoop.getResult(0);
          auto sumLoop = b2.create<scf::ForOp>(l2, c0, cLen, c1, ValueRange{zero},
            [&](OpBuilder &b3, Location l3, Value k, ValueRange acc) {
              Value x = b3.create<memref::LoadOp>(l3, in, ValueRange{i, k, j});
              Value e = b3.create<math::ExpOp>(l3, b3.create<arith::SubFOp>(l3, x, mx));
              if (!logForm) // kept for the scaling pass
                b3.create<memref::StoreOp>(l3, e, o, ValueRange{i, k, j});
              b3.create<scf::YieldOp>(l3, ValueRange{b3.create<arith::AddFOp>(l3, acc[0], e)});
            });
          Value sum = sumLoop.getResult(0);
          Value shift = logForm
              ? b2.create<arith::AddFOp>(l2, mx, b2.create<math::LogOp>(l2, sum)).getResult()
              : b2.create<arith::DivFOp>(l2, floatConst(b2, l2, ft, 1.0), sum).getResult();
          b2.create<scf::ForOp>(l2, c0, cLen, c1, ValueRange{},
            [&](OpBuilder &b3, Location l3, Value k, ValueRange) {
              Value y;
              if (logForm) {
                Value x = b3.create<memref::LoadOp>(l3, in, ValueRange{i, k, j});
                y = b3.create<arith::SubFOp>(l3, x, shift);
              } else {
                Value e = b3.create<memref::LoadOp>(l3, o, ValueRange{i, k, j});
                y = b3.create<arith::MulFOp>(l3, e, shift);
              }
              b3.create<memref::StoreOp>(l3, y, o, ValueRange{i, k, j});
              b3.create<scf::YieldOp>(l3);
            });
          b2.create<scf::YieldOp>(l2);
        });
      b1.create<scf::YieldOp>(l);
    });
  return success();
}

namespace {

/// Walks rows of `len` contiguous f32 elements in 8-lane vectors, for the
/// row-wise vector lowerings (softmax, layer norm): the rows run in an
/// scf.parallel (the constructor opens it, the builder's insertion point
/// stays inside), each as an scf.for over its whole vectors and, where 8
/// does not divide `len`, one masked vector at its end.
struct VectorRows {
  static constexpr int64_t kLanes = 8;
  OpBuilder &b;
  Location loc;
  int64_t len, body, rest;
  VectorType type;
  Value base, tailAt, mask;

  VectorRows(OpBuilder &b, Location loc, int64_t rows, int64_t len)
      : b(b), loc(loc), len(len), body(len / kLanes * kLanes), rest(len % kLanes),
        type(VectorType::get({kLanes}, b.getF32Type())) {
    auto par = parallelOver(b, loc, {rows});
    base = b.create<arith::MulIOp>(loc, par.getInductionVars()[0], index(b, len));
    tailAt = b.create<arith::AddIOp>(loc, base, index(b, body));
    if (rest)
      mask = b.create<vector::CreateMaskOp>(loc, VectorType::get({kLanes}, b.getI1Type()),
                                            ValueRange{index(b, rest)});
  }
  Value index(OpBuilder &ob, int64_t v) const {
    return ob.create<arith::ConstantIndexOp>(loc, v);
  }
  Value splat(OpBuilder &ob, double v) const {
    return ob.create<arith::ConstantOp>(
        loc, DenseElementsAttr::get(type, APFloat(static_cast<float>(v))));
  }
  /// The masked last vector of `buf` at `at`, `pad` in the lanes past the row.
  Value tailLoad(Value buf, Value at, double pad) const {
    return b.create<vector::MaskedLoadOp>(loc, type, buf, ValueRange{at}, mask, splat(b, pad));
  }
  void tailStore(Value buf, Value value) const {
    b.create<vector::MaskedStoreOp>(loc, buf, ValueRange{tailAt}, mask, value);
  }
  Value load(OpBuilder &ob, Value buf, Value at) const {
    return ob.create<vector::LoadOp>(loc, type, buf, ValueRange{at});
  }
  /// Runs `step(builder, offset in the buffer, column, carried)` over the
  /// row's whole vectors; returns the carried values.
  SmallVector<Value>
  overBody(ValueRange init,
           function_ref<SmallVector<Value>(OpBuilder &, Value, Value, ValueRange)> step) {
    if (body == 0)
      return SmallVector<Value>(init.begin(), init.end());
    auto loop = b.create<scf::ForOp>(
        loc, index(b, 0), index(b, body), index(b, kLanes), init,
        [&](OpBuilder &lb, Location, Value j, ValueRange carried) {
          Value at = lb.create<arith::AddIOp>(loc, base, j);
          lb.create<scf::YieldOp>(loc, step(lb, at, j, carried));
        });
    return SmallVector<Value>(loop.getResults().begin(), loop.getResults().end());
  }
  /// The lanes of `v` combined into one scalar.
  Value horizontal(vector::CombiningKind kind, Value v) const {
    auto r = b.create<vector::ReductionOp>(loc, kind, v);
    r.setFastmath(arith::FastMathFlags::reassoc);
    return r;
  }
};

} // namespace

// The rows of a softmax over the innermost dim, in vector code: the
// scalar loops above are one dependent add per element (a float sum LLVM
// does not reorder) and one polynomial exp per element, on one thread
// (the encoder layer's 4 x 16 x 16 attention softmax: 10 us, 38% of the
// layer). Each row: a max over 8-lane vectors, then exp(x - max) stored
// and summed in a vector, then the scaling pass; a last partial vector is
// a masked load (padded with -inf, whose exp is 0) and a masked store.
LogicalResult Lowering::lowerSoftmaxVectorRows(Location loc, Value input, Value out,
                                               int64_t rows, int64_t len, bool logForm) {
  Value in = reshapeBuffer(b, loc, input, {rows * len});
  Value o = reshapeBuffer(b, loc, out, {rows * len});
  OpBuilder::InsertionGuard guard(b);
  VectorRows r(b, loc, rows, len);
  // Max.
  Value mx = r.overBody({r.splat(b, -INFINITY)},
                        [&](OpBuilder &lb, Value at, Value, ValueRange acc) -> SmallVector<Value> {
                          return {lb.create<arith::MaximumFOp>(loc, acc[0], r.load(lb, in, at))};
                        })[0];
  if (r.rest)
    mx = b.create<arith::MaximumFOp>(loc, mx, r.tailLoad(in, r.tailAt, -INFINITY));
  Value mxs = r.horizontal(vector::CombiningKind::MAXIMUMF, mx);
  Value mxv = b.create<vector::BroadcastOp>(loc, r.type, mxs);
  // exp(x - max), stored (softmax) and summed.
  auto expOf = [&](OpBuilder &ob, Value x) -> Value {
    return ob.create<math::ExpOp>(loc, ob.create<arith::SubFOp>(loc, x, mxv));
  };
  Value sum = r.overBody({r.splat(b, 0)},
                         [&](OpBuilder &lb, Value at, Value, ValueRange acc) -> SmallVector<Value> {
                           Value e = expOf(lb, r.load(lb, in, at));
                           if (!logForm)
                             lb.create<vector::StoreOp>(loc, e, o, ValueRange{at});
                           return {lb.create<arith::AddFOp>(loc, acc[0], e)};
                         })[0];
  if (r.rest) {
    Value e = expOf(b, r.tailLoad(in, r.tailAt, -INFINITY));
    if (!logForm)
      r.tailStore(o, e);
    sum = b.create<arith::AddFOp>(loc, sum, e);
  }
  Value total = r.horizontal(vector::CombiningKind::ADD, sum);
  Value shift = logForm
                    ? b.create<arith::AddFOp>(loc, mxs, b.create<math::LogOp>(loc, total))
                          .getResult()
                    : b.create<arith::DivFOp>(loc, f32Const(b, loc, 1.0), total).getResult();
  Value shiftv = b.create<vector::BroadcastOp>(loc, r.type, shift);
  // Scaling: e / sum, or x - (max + log(sum)).
  auto scaled = [&](OpBuilder &ob, Value x) -> Value {
    return logForm ? ob.create<arith::SubFOp>(loc, x, shiftv).getResult()
                   : ob.create<arith::MulFOp>(loc, x, shiftv).getResult();
  };
  Value src = logForm ? in : o;
  r.overBody({}, [&](OpBuilder &lb, Value at, Value, ValueRange) -> SmallVector<Value> {
    lb.create<vector::StoreOp>(loc, scaled(lb, r.load(lb, src, at)), o, ValueRange{at});
    return {};
  });
  if (r.rest)
    r.tailStore(o, scaled(b, r.tailLoad(src, r.tailAt, -INFINITY)));
  return success();
}

LogicalResult Lowering::lowerSoftmax(mnn::SoftmaxOp op, Value out) {
  return lowerSoftmaxRows(op.getLoc(), bufferOf(op.getInput()), out,
                          cast<RankedTensorType>(op.getType()), op.getAxis(),
                          /*logForm=*/false);
}

LogicalResult Lowering::lowerLogSoftmax(mnn::LogSoftmaxOp op, Value out) {
  return lowerSoftmaxRows(op.getLoc(), bufferOf(op.getInput()), out,
                          cast<RankedTensorType>(op.getType()), op.getAxis(),
                          /*logForm=*/true);
}

// Layer norm rows in vector code (the scalar loops below add one element
// at a time, on one thread: the encoder layer's 16 x 64 norms took 1.3 us
// each). Per row: the sum over 8-lane vectors, the sum of squared
// deviations (the masked tail's lanes past the row select 0), then
// (x - mean) * rstd * scale + bias; a last partial vector is a masked load
// and a masked store.
void Lowering::lowerLayerNormVectorRows(Location loc, Value in, Value o, Value scale,
                                        Value bias, int64_t rows, int64_t len,
                                        double epsilon) {
  OpBuilder::InsertionGuard guard(b);
  VectorRows r(b, loc, rows, len);
  Value invLen = f32Const(b, loc, 1.0 / len);
  // Mean.
  Value sum = r.overBody({r.splat(b, 0)},
                         [&](OpBuilder &lb, Value at, Value, ValueRange acc) -> SmallVector<Value> {
                           return {lb.create<arith::AddFOp>(loc, acc[0], r.load(lb, in, at))};
                         })[0];
  if (r.rest)
    sum = b.create<arith::AddFOp>(loc, sum, r.tailLoad(in, r.tailAt, 0));
  Value mean = b.create<arith::MulFOp>(loc, r.horizontal(vector::CombiningKind::ADD, sum),
                                       invLen);
  Value meanv = b.create<vector::BroadcastOp>(loc, r.type, mean);
  // Variance: the mean of the squared deviations.
  Value sq = r.overBody({r.splat(b, 0)},
                        [&](OpBuilder &lb, Value at, Value, ValueRange acc) -> SmallVector<Value> {
                          Value dx = lb.create<arith::SubFOp>(loc, r.load(lb, in, at), meanv);
                          return {lb.create<vector::FMAOp>(loc, dx, dx, acc[0])};
                        })[0];
  if (r.rest) {
    Value dx = b.create<arith::SelectOp>(
        loc, r.mask, b.create<arith::SubFOp>(loc, r.tailLoad(in, r.tailAt, 0), meanv),
        r.splat(b, 0));
    sq = b.create<vector::FMAOp>(loc, dx, dx, sq);
  }
  Value var = b.create<arith::MulFOp>(loc, r.horizontal(vector::CombiningKind::ADD, sq), invLen);
  Value rstd = b.create<math::RsqrtOp>(
      loc, b.create<arith::AddFOp>(loc, var, f32Const(b, loc, epsilon)));
  Value rstdv = b.create<vector::BroadcastOp>(loc, r.type, rstd);
  // (x - mean) * rstd * scale + bias.
  auto normalized = [&](OpBuilder &ob, Value x, Value s, Value bi) -> Value {
    Value y = ob.create<arith::MulFOp>(loc, ob.create<arith::SubFOp>(loc, x, meanv), rstdv);
    y = ob.create<arith::MulFOp>(loc, y, s);
    return bi ? ob.create<arith::AddFOp>(loc, y, bi).getResult() : y;
  };
  r.overBody({}, [&](OpBuilder &lb, Value at, Value j, ValueRange) -> SmallVector<Value> {
    Value y = normalized(lb, r.load(lb, in, at), r.load(lb, scale, j),
                         bias ? r.load(lb, bias, j) : Value());
    lb.create<vector::StoreOp>(loc, y, o, ValueRange{at});
    return {};
  });
  if (r.rest) {
    Value j = r.index(b, r.body);
    r.tailStore(o, normalized(b, r.tailLoad(in, r.tailAt, 0), r.tailLoad(scale, j, 0),
                              bias ? r.tailLoad(bias, j, 0) : Value()));
  }
}

LogicalResult Lowering::lowerLayerNorm(mnn::LayerNormOp op, Value out) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += type.getRank();
  int64_t rows = 1, len = 1;
  for (int64_t i = 0; i < type.getRank(); ++i)
    (i < axis ? rows : len) *= type.getDimSize(i);
  auto scaleType = cast<RankedTensorType>(op.getScale().getType());
  if (scaleType.getNumElements() != len ||
      (op.getBias() &&
       cast<RankedTensorType>(op.getBias().getType()).getNumElements() != len))
    return op.emitError("layer_norm scale and bias must cover the normalized "
                        "dims exactly (") << len << " elements)";
  Value input = bufferOf(op.getInput());
  Value scaleBuf = bufferOf(op.getScale());
  Value biasBuf = op.getBias() ? bufferOf(op.getBias()) : Value();
  Value scale = reshapeBuffer(b, loc, scaleBuf, {len});
  Value bias = biasBuf ? reshapeBuffer(b, loc, biasBuf, {len}) : Value();
  if (type.getElementType().isF32() && len >= 8 && isPlainBuffer(input) &&
      isPlainBuffer(out) && isPlainBuffer(scaleBuf) && isPlainBuffer(biasBuf)) {
    lowerLayerNormVectorRows(loc, reshapeBuffer(b, loc, input, {rows * len}),
                             reshapeBuffer(b, loc, out, {rows * len}), scale, bias, rows, len,
                             op.getEpsilon().convertToDouble());
    return success();
  }
  Value in = reshapeBuffer(b, loc, input, {rows, len});
  Value o = reshapeBuffer(b, loc, out, {rows, len});
  Value c0 = b.create<arith::ConstantIndexOp>(loc, 0);
  Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
  Value cRows = b.create<arith::ConstantIndexOp>(loc, rows);
  Value cLen = b.create<arith::ConstantIndexOp>(loc, len);
  Type ft = type.getElementType();
  Value zero = floatConst(b, loc, ft, 0);
  Value invLen = floatConst(b, loc, ft, 1.0 / len);
  Value eps = floatConst(b, loc, ft, op.getEpsilon().convertToDouble());
  b.create<scf::ForOp>(loc, c0, cRows, c1, ValueRange{},
    [&](OpBuilder &b1, Location l, Value r, ValueRange) {
      auto sum = b1.create<scf::ForOp>(l, c0, cLen, c1, ValueRange{zero},
        [&](OpBuilder &b2, Location l2, Value k, ValueRange acc) {
          Value x = b2.create<memref::LoadOp>(l2, in, ValueRange{r, k});
          b2.create<scf::YieldOp>(l2, ValueRange{b2.create<arith::AddFOp>(l2, acc[0], x)});
        });
      Value mean = b1.create<arith::MulFOp>(l, sum.getResult(0), invLen);
      auto sq = b1.create<scf::ForOp>(l, c0, cLen, c1, ValueRange{zero},
        [&](OpBuilder &b2, Location l2, Value k, ValueRange acc) {
          Value x = b2.create<memref::LoadOp>(l2, in, ValueRange{r, k});
          Value dx = b2.create<arith::SubFOp>(l2, x, mean);
          b2.create<scf::YieldOp>(l2, ValueRange{b2.create<arith::AddFOp>(
                                          l2, acc[0], b2.create<arith::MulFOp>(l2, dx, dx))});
        });
      Value var = b1.create<arith::MulFOp>(l, sq.getResult(0), invLen);
      Value rstd = b1.create<math::RsqrtOp>(l, b1.create<arith::AddFOp>(l, var, eps));
      b1.create<scf::ForOp>(l, c0, cLen, c1, ValueRange{},
        [&](OpBuilder &b2, Location l2, Value k, ValueRange) {
          Value x = b2.create<memref::LoadOp>(l2, in, ValueRange{r, k});
          Value y = b2.create<arith::MulFOp>(l2, b2.create<arith::SubFOp>(l2, x, mean), rstd);
          y = b2.create<arith::MulFOp>(l2, y, b2.create<memref::LoadOp>(l2, scale, ValueRange{k}));
          if (bias)
            y = b2.create<arith::AddFOp>(l2, y, b2.create<memref::LoadOp>(l2, bias, ValueRange{k}));
          b2.create<memref::StoreOp>(l2, y, o, ValueRange{r, k});
          b2.create<scf::YieldOp>(l2);
        });
      b1.create<scf::YieldOp>(l);
    });
  return success();
}

} // namespace mnn::lowering
