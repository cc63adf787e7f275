//===- LowerDataMovement.cpp - transpose, concat, slice, gather ------------===//
//
// Ops that move data without arithmetic (Cast lowers with the elementwise
// ops, which share its element-type handling).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

namespace mnn::lowering {

LogicalResult Lowering::lowerTranspose(mnn::TransposeOp op, Value out) {
  MLIRContext *ctx = b.getContext();
  ArrayRef<int64_t> perm = op.getPerm();
  int64_t rank = perm.size();
  SmallVector<AffineExpr> inExprs(rank);
  for (int64_t i = 0; i < rank; ++i)
    inExprs[perm[i]] = getAffineDimExpr(i, ctx);
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(b, op.getLoc(), {bufferOf(op.getInput())},
               {AffineMap::get(rank, 0, inExprs, ctx)}, out,
               b.getMultiDimIdentityMap(rank), its,
               [](OpBuilder &, Location, ValueRange a) { return a[0]; });
  return success();
}

LogicalResult Lowering::lowerConcat(mnn::ConcatOp op, Value out) {
  Location loc = op.getLoc();
  int64_t axis = op.getAxis(), offset = 0;
  for (Value in : op.getInputs()) {
    auto t = cast<RankedTensorType>(in.getType());
    SmallVector<int64_t> offsets(t.getRank(), 0), strides(t.getRank(), 1);
    offsets[axis] = offset;
    offset += t.getDimSize(axis);
    // Empty operands add nothing; those written in place are already there.
    if (t.getNumElements() == 0 || mnn::concatSlice(in))
      continue;
    Value dst = b.create<memref::SubViewOp>(loc, out, offsets, t.getShape(), strides);
    copy(loc, bufferOf(in), dst);
  }
  return success();
}

LogicalResult Lowering::lowerSlice(mnn::SliceOp op, Value out) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  if (type.getNumElements() == 0)
    return success();
  ArrayRef<int64_t> starts = op.getStarts(), steps = op.getSteps();
  if (llvm::all_of(steps, [](int64_t s) { return s > 0; })) {
    Value src = b.create<memref::SubViewOp>(loc, bufferOf(op.getInput()), starts,
                                            type.getShape(), steps);
    copy(loc, src, out);
    return success();
  }
  // Negative steps: index arithmetic in a generic.
  Value in = bufferOf(op.getInput());
  int64_t rank = type.getRank();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, ValueRange{}, ValueRange{out},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, its,
      [&](OpBuilder &nb, Location nl, ValueRange) {
        SmallVector<Value> idx;
        for (int64_t d = 0; d < rank; ++d) {
          Value i = nb.create<linalg::IndexOp>(nl, d);
          Value scaled = nb.create<arith::MulIOp>(
              nl, i, nb.create<arith::ConstantIndexOp>(nl, steps[d]));
          idx.push_back(nb.create<arith::AddIOp>(
              nl, scaled, nb.create<arith::ConstantIndexOp>(nl, starts[d])));
        }
        nb.create<linalg::YieldOp>(nl, ValueRange{nb.create<memref::LoadOp>(nl, in, idx)});
      });
  return success();
}

LogicalResult Lowering::lowerGather(mnn::GatherOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto dataType = cast<RankedTensorType>(op.getData().getType());
  auto idxType = cast<RankedTensorType>(op.getIndices().getType());
  int64_t axis = op.getAxis(), rank = cast<RankedTensorType>(op.getType()).getRank();
  int64_t idxRank = idxType.getRank(), axisDim = dataType.getDimSize(axis);
  Value data = bufferOf(op.getData());
  SmallVector<AffineExpr> idxExprs;
  for (int64_t i = 0; i < idxRank; ++i)
    idxExprs.push_back(getAffineDimExpr(axis + i, ctx));
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  Value idxBuf = bufferOf(op.getIndices());
  if (idxRank == 0)
    idxBuf = reshapeBuffer(b, loc, idxBuf, {});
  buildGeneric(b, loc, {idxBuf}, {AffineMap::get(rank, 0, idxExprs, ctx)}, out,
               b.getMultiDimIdentityMap(rank), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 Value raw = nb.create<arith::IndexCastOp>(nl, nb.getIndexType(), a[0]);
                 Value neg = nb.create<arith::CmpIOp>(
                     nl, arith::CmpIPredicate::slt, raw,
                     nb.create<arith::ConstantIndexOp>(nl, 0));
                 Value wrapped = nb.create<arith::AddIOp>(
                     nl, raw, nb.create<arith::ConstantIndexOp>(nl, axisDim));
                 Value idx = nb.create<arith::SelectOp>(nl, neg, wrapped, raw);
                 // Out-of-range indices are clamped instead of reading
                 // outside the buffer.
                 idx = nb.create<arith::MaxSIOp>(nl, idx, nb.create<arith::ConstantIndexOp>(nl, 0));
                 idx = nb.create<arith::MinSIOp>(nl, idx, nb.create<arith::ConstantIndexOp>(nl, axisDim - 1));
                 SmallVector<Value> at;
                 for (int64_t d = 0; d < axis; ++d)
                   at.push_back(nb.create<linalg::IndexOp>(nl, d));
                 at.push_back(idx);
                 for (int64_t d = axis + 1; d < dataType.getRank(); ++d)
                   at.push_back(nb.create<linalg::IndexOp>(nl, d - 1 + idxRank));
                 return nb.create<memref::LoadOp>(nl, data, at);
               });
  return success();
}

} // namespace mnn::lowering
