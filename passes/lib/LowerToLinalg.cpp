//===- LowerToLinalg.cpp - bufferize the graph and lower it to linalg -----===//
//
// One walk over the entry function in program order. Every tensor value gets
// a buffer: its planned arena slot (a memref.view of the arena argument), the
// caller's output buffer when it is returned, a memref.global for constants,
// or a reshaped view of another buffer. Each mnn op then becomes linalg ops
// on those buffers. All shapes are static, so every view is static too.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "mnn/ElementTypes.h"
#include "mnn/Passes.h"

#include "mlir/IR/DialectResourceBlobManager.h"
#include "llvm/ADT/TypeSwitch.h"

#include <limits>

namespace mnn {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "mnn/Passes.h.inc"
} // namespace mnn

namespace mnn::lowering {

MemRefType memrefOf(Type tensorType) {
  auto t = cast<RankedTensorType>(tensorType);
  // Zero-element buffers are 1-D: MLIR gives a zero dim below the outermost
  // one dynamic strides, which the bare-pointer function ABI rejects.
  if (t.getNumElements() == 0)
    return MemRefType::get({0}, storageType(t.getElementType()));
  return MemRefType::get(t.getShape(), storageType(t.getElementType()));
}

static bool isEmptyTensor(Type t) {
  auto r = dyn_cast<RankedTensorType>(t);
  return r && r.getNumElements() == 0;
}

Value f32Const(OpBuilder &b, Location loc, double v) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr((float)v));
}

Value floatConst(OpBuilder &b, Location loc, Type t, double v) {
  return b.create<arith::ConstantOp>(loc, b.getFloatAttr(t, v));
}

Scalar::Scalar(Type tensorType) {
  Type elt = cast<ShapedType>(tensorType).getElementType();
  storage = storageType(elt);
  isFloat = isa<FloatType>(elt);
  isBool = elt.isInteger(1);
  isUnsigned = elt.isUnsignedInteger() || isBool;
}

Value Scalar::cst(OpBuilder &b, Location loc, double v) const {
  if (isFloat)
    return floatConst(b, loc, storage, v);
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(storage, (int64_t)v));
}

Value Scalar::lowest(OpBuilder &b, Location loc) const {
  if (isFloat)
    return cst(b, loc, -std::numeric_limits<double>::infinity());
  unsigned w = storage.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? APInt::getMinValue(w) : APInt::getSignedMinValue(w);
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(storage, v));
}

Value Scalar::highest(OpBuilder &b, Location loc) const {
  if (isFloat)
    return cst(b, loc, std::numeric_limits<double>::infinity());
  unsigned w = storage.getIntOrFloatBitWidth();
  APInt v = isUnsigned ? APInt::getMaxValue(w) : APInt::getSignedMaxValue(w);
  // Bools are stored as 0/1 bytes: their "all ones" is 1.
  if (isBool)
    v = APInt(w, 1);
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(storage, v));
}

Value Scalar::add(OpBuilder &b, Location loc, Value x, Value y) const {
  if (isFloat)
    return b.create<arith::AddFOp>(loc, x, y);
  return b.create<arith::AddIOp>(loc, x, y);
}

Value Scalar::mul(OpBuilder &b, Location loc, Value x, Value y) const {
  if (isFloat)
    return b.create<arith::MulFOp>(loc, x, y);
  return b.create<arith::MulIOp>(loc, x, y);
}

Value Scalar::max(OpBuilder &b, Location loc, Value x, Value y) const {
  if (isFloat)
    return b.create<arith::MaximumFOp>(loc, x, y);
  if (isUnsigned)
    return b.create<arith::MaxUIOp>(loc, x, y);
  return b.create<arith::MaxSIOp>(loc, x, y);
}

Value Scalar::min(OpBuilder &b, Location loc, Value x, Value y) const {
  if (isFloat)
    return b.create<arith::MinimumFOp>(loc, x, y);
  if (isUnsigned)
    return b.create<arith::MinUIOp>(loc, x, y);
  return b.create<arith::MinSIOp>(loc, x, y);
}

Value Scalar::abs(OpBuilder &b, Location loc, Value x) const {
  if (isFloat)
    return b.create<math::AbsFOp>(loc, x);
  if (isUnsigned)
    return x;
  return b.create<math::AbsIOp>(loc, x);
}

SmallVector<int64_t> contiguousStrides(ArrayRef<int64_t> shape) {
  SmallVector<int64_t> s(shape.size(), 1);
  for (int i = (int)shape.size() - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// Reinterprets a contiguous buffer with another static shape (same element
/// count) as an identity-layout memref: collapse to 1-D, then expand.
Value reshapeBuffer(OpBuilder &b, Location loc, Value buf,
                    ArrayRef<int64_t> shape) {
  auto type = cast<MemRefType>(buf.getType());
  if (type.getShape() == shape)
    return buf;
  // Empty buffers stay memref<0xT> (see memrefOf); nothing indexes them.
  if (type.getNumElements() == 0)
    return buf;
  Type elt = type.getElementType();
  Value flat = buf;
  if (type.getRank() == 0) {
    flat = b.create<memref::ExpandShapeOp>(
        loc, MemRefType::get({1}, elt), buf, ArrayRef<ReassociationIndices>{});
  } else if (type.getRank() > 1) {
    ReassociationIndices all;
    for (int64_t i = 0; i < type.getRank(); ++i)
      all.push_back(i);
    flat = b.create<memref::CollapseShapeOp>(loc, buf,
                                             ArrayRef<ReassociationIndices>{all});
  }
  if (shape.empty())
    return b.create<memref::CollapseShapeOp>(
        loc, MemRefType::get({}, elt), flat, ArrayRef<ReassociationIndices>{});
  if (shape.size() == 1)
    return flat;
  ReassociationIndices all;
  for (size_t i = 0; i < shape.size(); ++i)
    all.push_back(i);
  return b.create<memref::ExpandShapeOp>(loc, MemRefType::get(shape, elt), flat,
                                         ArrayRef<ReassociationIndices>{all});
}

bool isPlainBuffer(Value buf) {
  return !buf || cast<MemRefType>(buf.getType()).getLayout().isIdentity();
}

/// A strided view of a contiguous static buffer (for conv/pool windows).
Value stridedView(OpBuilder &b, Location loc, Value buf,
                  ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides,
                  int64_t offset) {
  auto elt = cast<MemRefType>(buf.getType()).getElementType();
  auto layout = StridedLayoutAttr::get(b.getContext(), offset, strides);
  auto type = MemRefType::get(sizes, elt, layout);
  return b.create<memref::ReinterpretCastOp>(loc, type, buf, offset, sizes,
                                             strides);
}

func::FuncOp Lowering::runtimeFunction(StringRef name, FunctionType type) {
  if (auto fn = module.lookupSymbol<func::FuncOp>(name))
    return fn;
  OpBuilder mb(target);
  auto fn = mb.create<func::FuncOp>(target.getLoc(), name, type);
  fn.setPrivate();
  return fn;
}

scf::ParallelOp parallelOver(OpBuilder &b, Location loc, ArrayRef<int64_t> bounds) {
  auto idx = [&](int64_t v) -> Value { return b.create<arith::ConstantIndexOp>(loc, v); };
  SmallVector<Value> lower, upper, steps;
  for (int64_t bound : bounds) {
    lower.push_back(idx(0));
    upper.push_back(idx(bound));
    steps.push_back(idx(1));
  }
  auto par = b.create<scf::ParallelOp>(loc, lower, upper, steps);
  b.setInsertionPointToStart(par.getBody());
  return par;
}

/// Builds a linalg.generic over `outShape` reading `ins` with the given maps.
linalg::GenericOp buildGeneric(OpBuilder &b, Location loc, ValueRange ins,
                               ArrayRef<AffineMap> inMaps, Value out,
                               AffineMap outMap,
                               ArrayRef<utils::IteratorType> iterators,
                               BodyFn body) {
  SmallVector<AffineMap> maps(inMaps.begin(), inMaps.end());
  maps.push_back(outMap);
  return b.create<linalg::GenericOp>(
      loc, TypeRange{}, ins, ValueRange{out}, maps, iterators,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        nb.create<linalg::YieldOp>(nl, body(nb, nl, args));
      });
}

FailureOr<Value> Lowering::resultBuffer(OpResult result) {
  Operation *op = result.getOwner();
  Location loc = op->getLoc();
  if (auto offsets = op->getAttrOfType<DenseI64ArrayAttr>(mnn::kOffsetAttr)) {
    int64_t offset = offsets[result.getResultNumber()];
    auto pads = mnn::paddedStorage(result);
    if (int64_t lanes = offset >= 0 ? mnn::blockedStorageLanes(result) : 0) {
      // The padded channel blocks [N, C/L, Hp, Wp, L] its reader works on.
      auto type = cast<RankedTensorType>(result.getType());
      auto readerPads = cast<mnn::Conv2DOp>(*result.getUsers().begin()).getPads();
      return arenaBuffer(offset,
                         type.clone({type.getDimSize(0), type.getDimSize(1) / lanes,
                                     type.getDimSize(2) + readerPads[0] + readerPads[2],
                                     type.getDimSize(3) + readerPads[1] + readerPads[3],
                                     lanes}),
                         loc);
    }
    if (offset >= 0 && mnn::panelStorage(result)) {
      // [N, H, C, W], seen by the producer as NCHW through a transpose.
      auto type = cast<RankedTensorType>(result.getType());
      auto shape = type.getShape();
      Value full = arenaBuffer(
          offset, type.clone({shape[0], shape[2], shape[1], shape[3]}), loc);
      auto perm = AffineMap::getPermutationMap(ArrayRef<unsigned>{0, 2, 1, 3},
                                               b.getContext());
      Value view = b.create<memref::TransposeOp>(loc, full, AffineMapAttr::get(perm));
      panelBuffers[view] = full;
      return view;
    }
    if (offset >= 0 && !pads)
      return arenaBuffer(offset, result.getType(), loc);
    if (offset >= 0) {
      // The interior of a padded buffer (see padded()).
      auto type = cast<RankedTensorType>(result.getType());
      SmallVector<int64_t> shape(type.getShape());
      shape[2] += (*pads)[0] + (*pads)[2];
      shape[3] += (*pads)[1] + (*pads)[3];
      Value full = arenaBuffer(offset, type.clone(shape), loc);
      Value interior = b.create<memref::SubViewOp>(
          loc, full, SmallVector<int64_t>{0, 0, (*pads)[0], (*pads)[1]},
          type.getShape(), SmallVector<int64_t>(4, 1));
      paddedBuffers[interior] = full;
      return interior;
    }
  }
  // Unplanned: the value (or a view of it) is returned exactly once.
  auto ret = cast<func::ReturnOp>(source.front().getTerminator());
  for (auto [i, v] : llvm::enumerate(ret.getOperands()))
    if (mnn::bufferRoot(v) == result)
      return reshapeBuffer(b, loc, outputs[i],
                           cast<RankedTensorType>(result.getType()).getShape());
  return op->emitError("internal error: no buffer planned for this result "
                       "(run mnn-plan-memory first)");
}

Value Lowering::constantBuffer(ElementsAttr value, Location loc) {
  auto type = cast<RankedTensorType>(value.getType());
  // Globals are 1-D so that large weights become one flat LLVM array, and
  // hold the storage type (signless integers, bools as bytes).
  Type storage = storageType(type.getElementType());
  auto flatTensor = RankedTensorType::get({type.getNumElements()}, storage);
  ElementsAttr flatValue;
  auto dense = dyn_cast<DenseElementsAttr>(value);
  Type elt = type.getElementType();
  if (mnn::isSubByteInteger(elt)) {
    // One byte per element with the high bits clear (folded values may carry
    // a sign extension).
    std::vector<char> bytes = *mnn::getRawBytes(value);
    char mask = char((1u << elt.getIntOrFloatBitWidth()) - 1);
    for (char &c : bytes)
      c &= mask;
    flatValue = mnn::makeElements(flatTensor, bytes);
  } else if (dense && storage != elt) {
    if (elt.isInteger(1))
      flatValue = mnn::makeElements(flatTensor, *mnn::getRawBytes(value));
    else
      flatValue = dense.reshape(RankedTensorType::get({type.getNumElements()},
                                                      type.getElementType()))
                      .bitcast(storage);
  } else if (dense)
    flatValue = dense.reshape(flatTensor);
  else if (auto res = dyn_cast<DenseResourceElementsAttr>(value))
    flatValue = DenseResourceElementsAttr::get(flatTensor, res.getRawHandle());
  else
    flatValue = mnn::makeElements(flatTensor, *mnn::getRawBytes(value));
  std::string name = "__mnn_const_" + std::to_string(globalCounter++);
  OpBuilder mb(module.getBodyRegion());
  mb.setInsertionPoint(target);
  auto flatMemref = MemRefType::get({type.getNumElements()}, storage);
  mb.create<memref::GlobalOp>(loc, name, mb.getStringAttr("private"),
                              flatMemref, flatValue, /*constant=*/true,
                              mb.getI64IntegerAttr(64));
  Value flat = b.create<memref::GetGlobalOp>(loc, flatMemref, name);
  return reshapeBuffer(b, loc, flat, type.getShape());
}

void Lowering::elementwise(Location loc, Value out, ValueRange ins,
                           BodyFn body) {
  auto outType = cast<MemRefType>(out.getType());
  int64_t rank = outType.getRank();
  MLIRContext *ctx = b.getContext();
  // Whether input `in` is broadcast along output dim d (it lacks the dim
  // or has size 1 where the output does not).
  auto broadcastAlong = [&](Value in, int64_t d) {
    auto inType = cast<MemRefType>(in.getType());
    int64_t i = d - (rank - inType.getRank());
    return outType.getDimSize(d) != 1 && (i < 0 || inType.getDimSize(i) == 1);
  };
  // Adjacent output dims along which every operand is either read whole or
  // broadcast alike run as one dim: over an NCHW map with a per-channel
  // operand (squeeze-and-excitation's scale) the loop LLVM vectorizes is
  // then H x W long (196 on 14x14) instead of W (14, an 8-lane vector and
  // scalars). Only for contiguous buffers (identity layouts), which
  // collapse without copies. Size-1 dims join either side.
  SmallVector<ReassociationIndices> groups;
  bool contiguous = outType.getNumElements() > 0 && isPlainBuffer(out) &&
                    llvm::all_of(ins, isPlainBuffer);
  for (int64_t d = 0; d < rank; ++d) {
    bool joins = contiguous && !groups.empty();
    if (joins && outType.getDimSize(d) != 1) {
      // The group's last dim that is not 1 decides how each input reads it.
      int64_t prev = -1;
      for (int64_t g : groups.back())
        if (outType.getDimSize(g) != 1)
          prev = g;
      if (prev >= 0)
        for (Value in : ins)
          joins = joins && broadcastAlong(in, prev) == broadcastAlong(in, d);
    }
    if (joins)
      groups.back().push_back(d);
    else
      groups.push_back({d});
  }
  if ((int64_t)groups.size() < rank) {
    auto collapse = [&](Value v) {
      auto type = cast<MemRefType>(v.getType());
      SmallVector<int64_t> shape;
      for (const ReassociationIndices &g : groups) {
        int64_t size = 1;
        for (int64_t d : g) {
          int64_t i = d - (rank - type.getRank());
          size *= i < 0 ? 1 : type.getDimSize(i);
        }
        shape.push_back(size);
      }
      return reshapeBuffer(b, loc, v, shape);
    };
    SmallVector<Value> collapsedIns;
    for (Value in : ins)
      collapsedIns.push_back(collapse(in));
    elementwise(loc, collapse(out), collapsedIns, body);
    return;
  }
  // An operand broadcast along the innermost dim (a per-row scalar) is
  // loaded once per row, outside the loop over the row: as a linalg operand
  // it was loaded next to every store, and LLVM, which cannot tell that the
  // arena's output row does not overwrite it, kept that loop scalar
  // (squeeze-and-excitation's scale on 14x14 maps: 25 us where a vector
  // loop takes 5).
  constexpr int64_t kMinRowForScalars = 16;
  if (contiguous && rank >= 2 && outType.getDimSize(rank - 1) >= kMinRowForScalars &&
      llvm::any_of(ins, [&](Value in) { return broadcastAlong(in, rank - 1); })) {
    OpBuilder::InsertionGuard guard(b);
    auto par = parallelOver(b, loc, outType.getShape().drop_back());
    SmallVector<Value> ivs = par.getInductionVars();
    int64_t row = outType.getDimSize(rank - 1);
    auto idx = [&](int64_t v) -> Value { return b.create<arith::ConstantIndexOp>(loc, v); };
    // The flat offset of (ivs, 0) in a contiguous buffer of shape `shape`
    // aligned to the output's trailing dims (size-1 dims: index 0).
    auto offsetOf = [&](ArrayRef<int64_t> shape) {
      Value offset = idx(0);
      int64_t stride = 1;
      for (int64_t i = (int64_t)shape.size() - 1; i >= 0; --i) {
        int64_t d = rank - (int64_t)shape.size() + i;
        if (d < rank - 1 && shape[i] != 1)
          offset = b.create<arith::AddIOp>(
              loc, offset, b.create<arith::MulIOp>(loc, ivs[d], idx(stride)));
        stride *= shape[i];
      }
      return offset;
    };
    auto rowOf = [&](Value buf) -> Value {
      auto type = cast<MemRefType>(buf.getType());
      Value flat = reshapeBuffer(b, loc, buf, {type.getNumElements()});
      SmallVector<OpFoldResult> offsets = {offsetOf(type.getShape())};
      SmallVector<OpFoldResult> sizes = {b.getIndexAttr(row)};
      SmallVector<OpFoldResult> strides = {b.getIndexAttr(1)};
      return b.create<memref::SubViewOp>(loc, flat, offsets, sizes, strides);
    };
    SmallVector<Value> rows, scalars(ins.size());
    for (auto [k, in] : llvm::enumerate(ins)) {
      auto type = cast<MemRefType>(in.getType());
      if (broadcastAlong(in, rank - 1)) {
        Value flat = reshapeBuffer(b, loc, in, {std::max<int64_t>(type.getNumElements(), 1)});
        Value at = offsetOf(type.getShape());
        scalars[k] = b.create<memref::LoadOp>(loc, flat, at);
      } else {
        rows.push_back(rowOf(in));
      }
    }
    AffineMap id = b.getMultiDimIdentityMap(1);
    SmallVector<AffineMap> rowMaps(rows.size(), id);
    buildGeneric(b, loc, rows, rowMaps, rowOf(out), id, {utils::IteratorType::parallel},
                 [&](OpBuilder &nb, Location nl, ValueRange args) {
                   SmallVector<Value> all;
                   unsigned next = 0;
                   for (Value scalar : scalars)
                     all.push_back(scalar ? scalar : args[next++]);
                   return body(nb, nl, all);
                 });
    return;
  }
  SmallVector<Value> views;
  SmallVector<AffineMap> maps;
  for (Value in : ins) {
    auto inType = cast<MemRefType>(in.getType());
    int64_t lead = rank - inType.getRank();
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> exprs;
    for (int64_t i = 0; i < inType.getRank(); ++i) {
      int64_t d = inType.getDimSize(i);
      if (d == 1 && outType.getDimSize(lead + i) != 1)
        continue; // broadcast dim
      kept.push_back(d);
      exprs.push_back(getAffineDimExpr(lead + i, ctx));
    }
    views.push_back(reshapeBuffer(b, loc, in, kept));
    maps.push_back(AffineMap::get(rank, 0, exprs, ctx));
  }
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(b, loc, views, maps, out, b.getMultiDimIdentityMap(rank), its,
               [&](OpBuilder &nb, Location nl, ValueRange args) {
                 return body(nb, nl, args.drop_back());
               });
}

void fillPadColumns(OpBuilder &b, Location loc, Value flat, Value start, int64_t rows,
                    int64_t wp, int64_t left, int64_t w, int64_t right, Value value,
                    bool firstLeftOnly) {
  auto idx = [&](int64_t i) -> Value { return b.create<arith::ConstantIndexOp>(loc, i); };
  auto at = [&](Value offset) -> Value {
    return start ? b.create<arith::AddIOp>(loc, start, offset).getResult() : offset;
  };
  auto store = [&](Value offset, int64_t count) {
    Value v = b.create<vector::BroadcastOp>(loc, VectorType::get({count}, value.getType()), value);
    b.create<vector::TransferWriteOp>(loc, v, flat, ValueRange{at(offset)}, ArrayRef<bool>{true});
  };
  if (rows <= 0)
    return;
  if (left > 0)
    store(idx(0), left);
  if (firstLeftOnly)
    return;
  if (left + right > 0 && rows > 1) {
    OpBuilder::InsertionGuard guard(b);
    auto loop = b.create<scf::ForOp>(loc, idx(left + w), idx((rows - 1) * wp + left + w), idx(wp));
    b.setInsertionPointToStart(loop.getBody());
    store(loop.getInductionVar(), left + right);
  }
  if (right > 0)
    store(idx((rows - 1) * wp + left + w), right);
}

Value Lowering::padded(Operation *op, Value input, ArrayRef<int64_t> pads,
                       Value fill, Location loc,
                       SmallVectorImpl<int64_t> &paddedShape) {
  auto type = cast<MemRefType>(input.getType());
  paddedShape.assign(type.getShape().begin(), type.getShape().end());
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return input;
  paddedShape[2] += pads[0] + pads[2];
  paddedShape[3] += pads[1] + pads[3];
  // An input stored padded by its producer: only the border is filled.
  Value stored = paddedBuffers.lookup(input);
  Value scratch = stored ? stored
                         : scratchBuffer(op, paddedShape, type.getElementType(), loc);
  SmallVector<int64_t> strides(4, 1);
  // Fill only the border (top and bottom rows, left and right columns):
  // the interior is overwritten by the copy.
  int64_t n = paddedShape[0], c = paddedShape[1], h = type.getDimSize(2),
          w = type.getDimSize(3), wp = paddedShape[3];
  // Per plane in parallel (n, c): as whole-buffer fills they ran on one
  // thread, and the columns' fills store one element per row and plane
  // (mobilenet_v2's 144-channel 56x56 depthwise conv did not get faster
  // with a second thread). Rows are vector stores, the columns' few
  // elements per row one store each.
  {
    OpBuilder::InsertionGuard guard(b);
    auto idx = [&](int64_t v) -> Value { return b.create<arith::ConstantIndexOp>(loc, v); };
    auto par = parallelOver(b, loc, {n, c});
    Value ni = par.getInductionVars()[0], ci = par.getInductionVars()[1];
    // A row up to 64 elements wide is one vector; wider ones 16 at a time.
    constexpr int64_t kOneVectorRow = 64, kChunk = 16;
    int64_t chunk = wp <= kOneVectorRow ? wp : kChunk, whole = wp / chunk * chunk;
    auto splat = [&](int64_t count) -> Value {
      return b.create<vector::SplatOp>(
          loc, VectorType::get({count}, type.getElementType()), fill);
    };
    Value full = splat(chunk), tail = whole < wp ? splat(wp - whole) : Value();
    auto fillRow = [&](int64_t y) {
      auto write = [&](Value v, Value x) {
        b.create<vector::TransferWriteOp>(loc, v, scratch, ValueRange{ni, ci, idx(y), x},
                                          ArrayRef<bool>{true});
      };
      if (whole == chunk) {
        write(full, idx(0));
      } else {
        OpBuilder::InsertionGuard inner(b);
        auto cols = b.create<scf::ForOp>(loc, idx(0), idx(whole), idx(chunk));
        b.setInsertionPointToStart(cols.getBody());
        write(full, cols.getInductionVar());
      }
      if (tail)
        write(tail, idx(whole));
    };
    for (int64_t y = 0; y < pads[0]; ++y)
      fillRow(y);
    for (int64_t y = pads[0] + h; y < pads[0] + h + pads[2]; ++y)
      fillRow(y);
    // In a plain buffer the column pads are runs (fillPadColumns); only the
    // first row's left pad where the producer wrote the rest (kPadRunAttr).
    int64_t hp = paddedShape[2], run = pads[1] + pads[3];
    if (run > 0 && h > 0 && isPlainBuffer(scratch)) {
      Value flat = reshapeBuffer(b, loc, scratch, {n * c * hp * wp});
      Value plane = b.create<arith::MulIOp>(
          loc, b.create<arith::AddIOp>(loc, b.create<arith::MulIOp>(loc, ni, idx(c)), ci),
          idx(hp * wp));
      Value firstRow = b.create<arith::AddIOp>(loc, plane, idx(pads[0] * wp));
      fillPadColumns(b, loc, flat, firstRow, h, wp, pads[1], w, pads[3], fill,
                     /*firstLeftOnly=*/stored && padRunBuffers.contains(stored));
    } else if (run > 0 && h > 0) {
      auto rows = b.create<scf::ForOp>(loc, idx(pads[0]), idx(pads[0] + h), idx(1));
      b.setInsertionPointToStart(rows.getBody());
      Value y = rows.getInductionVar();
      for (int64_t x = 0; x < pads[1]; ++x)
        b.create<memref::StoreOp>(loc, fill, scratch, ValueRange{ni, ci, y, idx(x)});
      for (int64_t x = pads[1] + w; x < wp; ++x)
        b.create<memref::StoreOp>(loc, fill, scratch, ValueRange{ni, ci, y, idx(x)});
    }
  }
  if (stored)
    return stored;
  SmallVector<int64_t> offsets = {0, 0, pads[0], pads[1]};
  Value interior = b.create<memref::SubViewOp>(loc, scratch, offsets,
                                               type.getShape(), strides);
  copy(loc, input, interior);
  return scratch;
}

/// The ONNX node names behind a location: one for an imported op, several
/// ("conv+bn+relu") for an op that fusion made from several nodes.
static std::string nodeNames(Location loc) {
  std::string names;
  loc->walk([&](Location l) {
    if (auto name = dyn_cast<NameLoc>(l)) {
      if (!names.empty())
        names += "+";
      names += name.getName().str();
      return WalkResult::skip();
    }
    return WalkResult::advance();
  });
  return names.empty() ? "?" : names;
}

/// Whether the kernel of `op` lowers results of element type `elt`. f16 and
/// bf16 never get here for these ops (mnn-widen-f16 computes them in f32).
static bool kernelLowersType(Operation *op, Type elt) {
  if (elt.isF32())
    return true;
  bool kernel = isa<mnn::Conv2DOp, mnn::MatMulOp, mnn::Pool2DOp, mnn::ReduceOp,
                    mnn::SoftmaxOp, mnn::LogSoftmaxOp, mnn::LayerNormOp>(op);
  if (elt.isF64())
    return kernel;
  if (!isa<IntegerType>(elt))
    return false;
  // Integers: sums, products and max/min; no fused float activation.
  if (auto m = dyn_cast<mnn::MatMulOp>(op))
    return m.getActivation() == "none";
  if (auto p = dyn_cast<mnn::Pool2DOp>(op))
    return p.getKind() == "max";
  return isa<mnn::ReduceOp>(op);
}

/// Conv and matmul also accumulate integers exactly (ConvInteger,
/// MatMulInteger, the QLinear ops), as plain loops: the microkernel is f32.
static bool isIntegerContraction(Operation *op) {
  auto r = dyn_cast<RankedTensorType>(op->getResult(0).getType());
  return isa<mnn::Conv2DOp, mnn::MatMulOp>(op) && r &&
         isa<IntegerType>(r.getElementType()) &&
         !r.getElementType().isInteger(1);
}

LogicalResult Lowering::lowerOp(Operation *op) {
  Location loc = op->getLoc();
  if (auto c = dyn_cast<mnn::ConstantOp>(op)) {
    buffers[c.getResult()] = constantBuffer(c.getValue(), c.getLoc());
    return success();
  }
  if (auto r = dyn_cast<mnn::ReshapeOp>(op)) {
    buffers[r.getResult()] = reshapeBuffer(
        b, loc, bufferOf(r.getInput()),
        cast<RankedTensorType>(r.getType()).getShape());
    return success();
  }
  // Data movement and the elementwise ops handle every supported element
  // type (LowerElementwise checks each op's types); the compute kernels
  // take f32 and f64, some also integers (see kernelLowersType).
  bool anyType =
      isa<mnn::TransposeOp, mnn::ConcatOp, mnn::SliceOp, mnn::GatherOp,
          mnn::CastOp, mnn::BitCastOp, mnn::AddOp, mnn::SubOp, mnn::MulOp, mnn::DivOp,
          mnn::PowOp, mnn::NegOp, mnn::ReluOp, mnn::SigmoidOp, mnn::TanhOp,
          mnn::ExpOp, mnn::SqrtOp, mnn::ErfOp, mnn::ReciprocalOp,
          mnn::HardSwishOp, mnn::GeluOp, mnn::HardSigmoidOp, mnn::ClipOp,
          mnn::UnaryFnOp, mnn::BinaryFnOp, mnn::CompareOp, mnn::SelectOp,
          mnn::IsClassOp, mnn::PadOp, mnn::BroadcastOp>(op) ||
      lowersAnyElementType(op) || isIntegerContraction(op);
  // Nearest resampling is a gather; linear and cubic compute in f32.
  if (auto r = dyn_cast<mnn::ResampleOp>(op))
    anyType = r.isGather();
  for (Type t : op->getResultTypes())
    if (!anyType && !kernelLowersType(op, cast<ShapedType>(t).getElementType()))
      return op->emitError("'") << op->getName() << "' on element type "
                                << cast<ShapedType>(t).getElementType()
                                << " is not supported by code generation";
  if (isa<mnn::BatchNormOp>(op))
    return op->emitError("batch_norm must be folded before lowering "
                         "(run mnn-fold-batchnorm)");

  // A pointwise conv banded into its depthwise reader runs there.
  if (isa<mnn::Conv2DOp>(op) && mnn::bandedReader(op->getResult(0)))
    return success();
  FailureOr<Value> out = resultBuffer(cast<OpResult>(op->getResult(0)));
  if (failed(out))
    return failure();
  buffers[op->getResult(0)] = *out;
  // An empty result needs no code. Empty operands of a non-empty result
  // contribute nothing: reductions and matmul (K = 0) produce just their
  // initial value, concat skips them; other ops can't meet them here.
  if (llvm::all_of(op->getResultTypes(), isEmptyTensor))
    return success();
  if (llvm::any_of(op->getOperandTypes(), isEmptyTensor) &&
      !isa<mnn::ReduceOp, mnn::MatMulOp, mnn::ConcatOp>(op))
    return op->emitError("'") << op->getName()
                              << "' with an empty operand and a non-empty "
                                 "result is not supported by code generation";

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](mnn::Conv2DOp o) { return lowerConv(o, *out); })
      .Case([&](mnn::MatMulOp o) { return lowerMatMul(o, *out); })
      .Case([&](mnn::Pool2DOp o) { return lowerPool(o, *out); })
      .Case([&](mnn::ReduceOp o) { return lowerReduce(o, *out); })
      .Case([&](mnn::SoftmaxOp o) { return lowerSoftmax(o, *out); })
      .Case([&](mnn::LayerNormOp o) { return lowerLayerNorm(o, *out); })
      .Case([&](mnn::TransposeOp o) { return lowerTranspose(o, *out); })
      .Case([&](mnn::ConcatOp o) { return lowerConcat(o, *out); })
      .Case([&](mnn::SliceOp o) { return lowerSlice(o, *out); })
      .Case([&](mnn::GatherOp o) { return lowerGather(o, *out); })
      .Case([&](mnn::CastOp o) { return lowerCast(o, *out); })
      .Case([&](mnn::BitCastOp o) { return lowerBitCast(o, *out); })
      .Case([&](mnn::GridSampleOp o) { return lowerGridSample(o, *out); })
      .Case([&](mnn::LogSoftmaxOp o) { return lowerLogSoftmax(o, *out); })
      .Case([&](mnn::ArgTopKOp o) { return lowerArgTopK(o, *out); })
      .Case([&](mnn::GatherElementsOp o) { return lowerGatherElements(o, *out); })
      .Case([&](mnn::GatherNDOp o) { return lowerGatherND(o, *out); })
      .Case([&](mnn::ScatterElementsOp o) { return lowerScatterElements(o, *out); })
      .Case([&](mnn::ScatterNDOp o) { return lowerScatterND(o, *out); })
      .Case([&](mnn::OneHotOp o) { return lowerOneHot(o, *out); })
      .Case([&](mnn::TriluOp o) { return lowerTrilu(o, *out); })
      .Case([&](mnn::CumSumOp o) { return lowerCumSum(o, *out); })
      .Case([&](mnn::ClassWeightOp o) { return lowerClassWeight(o, *out); })
      .Case([&](mnn::PadOp o) { return lowerPad(o, *out); })
      .Case([&](mnn::BroadcastOp o) { return lowerBroadcast(o, *out); })
      .Case([&](mnn::ResampleOp o) { return lowerResample(o, *out); })
      .Default([&](Operation *o) { return lowerElementwise(o, *out); });
}

LogicalResult Lowering::run() {
  MLIRContext *ctx = module.getContext();
  auto srcType = source.getFunctionType();
  SmallVector<Type> argTypes;
  for (Type t : srcType.getInputs())
    argTypes.push_back(memrefOf(t));
  for (Type t : srcType.getResults())
    argTypes.push_back(memrefOf(t));
  int64_t arenaBytes = 0;
  if (auto a = source->getAttrOfType<IntegerAttr>(mnn::kArenaBytesAttr))
    arenaBytes = a.getInt();
  argTypes.push_back(MemRefType::get({std::max<int64_t>(arenaBytes, 1)},
                                     IntegerType::get(ctx, 8)));
  argTypes.push_back(LLVM::LLVMPointerType::get(ctx));

  b.setInsertionPoint(source);
  target = b.create<func::FuncOp>(source.getLoc(), mnn::kMainFunction,
                                  FunctionType::get(ctx, argTypes, {}));
  for (auto attr : source->getDiscardableAttrs())
    target->setAttr(attr.getName(), attr.getValue());
  unsigned numIn = srcType.getNumInputs(), numOut = srcType.getNumResults();
  for (unsigned i = 0; i < numIn; ++i)
    if (auto name = source.getArgAttr(i, "mnn.name"))
      target.setArgAttr(i, "mnn.name", name);
  for (unsigned i = 0; i < numOut; ++i)
    if (auto name = source.getResultAttr(i, "mnn.name"))
      target.setArgAttr(numIn + i, "mnn.name", name);
  Block *entry = target.addEntryBlock();
  b.setInsertionPointToStart(entry);
  for (unsigned i = 0; i < numIn; ++i)
    buffers[source.getArgument(i)] = entry->getArgument(i);
  for (unsigned i = 0; i < numOut; ++i)
    outputs.push_back(entry->getArgument(numIn + i));
  arena = entry->getArgument(numIn + numOut);
  pool = entry->getArgument(numIn + numOut + 1);

  // Profile hooks: runtime functions taking the op's index.
  func::FuncOp profileBegin, profileEnd;
  if (profile) {
    auto hookType = FunctionType::get(ctx, {b.getI32Type()}, {});
    profileBegin = runtimeFunction("mnnrt_profile_begin", hookType);
    profileEnd = runtimeFunction("mnnrt_profile_end", hookType);
  }

  Operation *terminator = source.front().getTerminator();
  for (Operation &op : source.front()) {
    if (&op == terminator)
      break;
    // Constants and views generate no code: nothing to time.
    bool timed = profile && !isa<mnn::ConstantOp, mnn::ReshapeOp>(op);
    Value index;
    if (timed) {
      index = b.create<arith::ConstantIntOp>(op.getLoc(), profiledOps.size(), 32);
      b.create<func::CallOp>(op.getLoc(), profileBegin, ValueRange{index});
      profiledOps.push_back(b.getStringAttr(
          nodeNames(op.getLoc()) + " (" + op.getName().getStringRef().str() + ")"));
    }
    if (failed(lowerOp(&op)))
      return failure();
    if (timed)
      b.create<func::CallOp>(op.getLoc(), profileEnd, ValueRange{index});
  }
  if (profile)
    module->setAttr("mnn.profile_ops", b.getArrayAttr(profiledOps));
  // Results not written in place (returned twice, inputs, constants, views
  // of those) are copied into their output buffer.
  for (auto [i, v] : llvm::enumerate(terminator->getOperands())) {
    Value root = mnn::bufferRoot(v);
    auto res = dyn_cast<OpResult>(root);
    bool inPlace = res && !res.getOwner()->hasTrait<OpTrait::ConstantLike>() &&
                   !(res.getOwner()->getAttrOfType<DenseI64ArrayAttr>(mnn::kOffsetAttr) &&
                     res.getOwner()->getAttrOfType<DenseI64ArrayAttr>(
                         mnn::kOffsetAttr)[res.getResultNumber()] >= 0);
    if (!inPlace)
      copy(terminator->getLoc(), bufferOf(v), outputs[i]);
  }
  b.create<func::ReturnOp>(source.getLoc());
  source.erase();
  return success();
}

} // namespace mnn::lowering

using namespace mlir;

namespace {

using mnn::lowering::Lowering;

struct LowerToLinalgPass : mnn::impl::LowerToLinalgBase<LowerToLinalgPass> {
  using LowerToLinalgBase::LowerToLinalgBase;
  void runOnOperation() override {
    ModuleOp module = getOperation();
    func::FuncOp main;
    for (auto f : module.getOps<func::FuncOp>())
      if (!f.isExternal() && f.getName() != mnn::kMainFunction)
        main = f;
    if (!main)
      return;
    Lowering lowering(module, main);
    lowering.profile = profile;
    if (failed(lowering.run()))
      signalPassFailure();
  }
};

} // namespace
