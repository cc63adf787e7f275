//===- LowerToLinalg.cpp - bufferize the graph and lower it to linalg -----===//
//
// One walk over the entry function in program order. Every tensor value gets
// a buffer: its planned arena slot (a memref.view of the arena argument), the
// caller's output buffer when it is returned, a memref.global for constants,
// or a reshaped view of another buffer. Each mnn op then becomes linalg ops
// on those buffers. All shapes are static, so every view is static too.
//
//===----------------------------------------------------------------------===//
#include "mnn/BufferInfo.h"
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/Matchers.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace mnn {
#define GEN_PASS_DEF_LOWERTOLINALG
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;
using llvm::SmallVector;

namespace {

using BodyFn = std::function<Value(OpBuilder &, Location, ValueRange)>;

MemRefType memrefOf(Type tensorType) {
  auto t = cast<RankedTensorType>(tensorType);
  return MemRefType::get(t.getShape(), t.getElementType());
}

Value f32Const(OpBuilder &b, Location loc, double v) {
  return b.create<arith::ConstantOp>(loc, b.getF32FloatAttr((float)v));
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

/// A strided view of a contiguous static buffer (for conv/pool windows).
Value stridedView(OpBuilder &b, Location loc, Value buf,
                  ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides) {
  auto elt = cast<MemRefType>(buf.getType()).getElementType();
  auto layout = StridedLayoutAttr::get(b.getContext(), 0, strides);
  auto type = MemRefType::get(sizes, elt, layout);
  return b.create<memref::ReinterpretCastOp>(loc, type, buf, /*offset=*/0,
                                             sizes, strides);
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

struct Lowering {
  ModuleOp module;
  func::FuncOp source;
  func::FuncOp target;
  OpBuilder b;
  bool profile = false;
  SmallVector<Attribute> profiledOps;
  DenseMap<Value, Value> buffers;
  SmallVector<Value> outputs;
  Value arena;
  unsigned globalCounter = 0;

  Lowering(ModuleOp m, func::FuncOp src) : module(m), source(src), b(m) {}

  LogicalResult run();
  LogicalResult lowerOp(Operation *op);

  // Buffer management.
  Value bufferOf(Value tensor) { return buffers.lookup(tensor); }
  Value arenaBuffer(int64_t offset, Type tensorType, Location loc) {
    Value off = b.create<arith::ConstantIndexOp>(loc, offset);
    return b.create<memref::ViewOp>(loc, memrefOf(tensorType), arena, off,
                                    ValueRange{});
  }
  FailureOr<Value> resultBuffer(OpResult result);
  Value scratchBuffer(Operation *op, ArrayRef<int64_t> shape, Location loc) {
    int64_t offset =
        cast<IntegerAttr>(op->getAttr("mnn.scratch_offset")).getInt();
    Value off = b.create<arith::ConstantIndexOp>(loc, offset);
    return b.create<memref::ViewOp>(loc, MemRefType::get(shape, b.getF32Type()),
                                     arena, off, ValueRange{});
  }
  Value constantBuffer(ElementsAttr value, Location loc);

  // Building blocks.
  void elementwise(Location loc, Value out, ValueRange ins, BodyFn body);
  void copy(Location loc, Value from, Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
  }
  Value padded(Operation *op, Value input, ArrayRef<int64_t> pads, double fill,
               Location loc, SmallVectorImpl<int64_t> &paddedShape);
  void applyActivation(Location loc, Value out, StringRef act, double lo,
                       double hi);

  LogicalResult lowerConv(mnn::Conv2DOp op, Value out);
  LogicalResult lowerMatMul(mnn::MatMulOp op, Value out);
  LogicalResult lowerPool(mnn::Pool2DOp op, Value out);
  LogicalResult lowerReduce(mnn::ReduceOp op, Value out);
  LogicalResult lowerSoftmax(mnn::SoftmaxOp op, Value out);
  LogicalResult lowerLayerNorm(mnn::LayerNormOp op, Value out);
  LogicalResult lowerTranspose(mnn::TransposeOp op, Value out);
  LogicalResult lowerConcat(mnn::ConcatOp op, Value out);
  LogicalResult lowerSlice(mnn::SliceOp op, Value out);
  LogicalResult lowerGather(mnn::GatherOp op, Value out);
  LogicalResult lowerCast(mnn::CastOp op, Value out);
};

FailureOr<Value> Lowering::resultBuffer(OpResult result) {
  Operation *op = result.getOwner();
  Location loc = op->getLoc();
  if (auto offsets = op->getAttrOfType<DenseI64ArrayAttr>(mnn::kOffsetAttr)) {
    int64_t offset = offsets[result.getResultNumber()];
    if (offset >= 0)
      return arenaBuffer(offset, result.getType(), loc);
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
  // Globals are 1-D so that large weights become one flat LLVM array.
  auto flatTensor =
      RankedTensorType::get({type.getNumElements()}, type.getElementType());
  ElementsAttr flatValue;
  if (auto dense = dyn_cast<DenseElementsAttr>(value))
    flatValue = dense.reshape(flatTensor);
  else if (auto res = dyn_cast<DenseResourceElementsAttr>(value))
    flatValue = DenseResourceElementsAttr::get(flatTensor, res.getRawHandle());
  else
    flatValue = mnn::makeElements(flatTensor, *mnn::getRawBytes(value));
  std::string name = "__mnn_const_" + std::to_string(globalCounter++);
  OpBuilder mb(module.getBodyRegion());
  mb.setInsertionPoint(target);
  auto flatMemref = MemRefType::get({type.getNumElements()}, type.getElementType());
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

Value Lowering::padded(Operation *op, Value input, ArrayRef<int64_t> pads,
                       double fill, Location loc,
                       SmallVectorImpl<int64_t> &paddedShape) {
  auto type = cast<MemRefType>(input.getType());
  paddedShape.assign(type.getShape().begin(), type.getShape().end());
  if (llvm::all_of(pads, [](int64_t p) { return p == 0; }))
    return input;
  paddedShape[2] += pads[0] + pads[2];
  paddedShape[3] += pads[1] + pads[3];
  Value scratch = scratchBuffer(op, paddedShape, loc);
  b.create<linalg::FillOp>(loc, f32Const(b, loc, fill), scratch);
  SmallVector<int64_t> offsets = {0, 0, pads[0], pads[1]};
  SmallVector<int64_t> strides(4, 1);
  Value interior = b.create<memref::SubViewOp>(loc, scratch, offsets,
                                               type.getShape(), strides);
  copy(loc, input, interior);
  return scratch;
}

Value activationBody(OpBuilder &b, Location loc, Value x, StringRef act,
                     double lo, double hi) {
  if (act == "relu")
    return b.create<arith::MaximumFOp>(loc, x, f32Const(b, loc, 0));
  if (act == "clip")
    return b.create<arith::MinimumFOp>(
        loc, b.create<arith::MaximumFOp>(loc, x, f32Const(b, loc, lo)),
        f32Const(b, loc, hi));
  if (act == "hard_sigmoid" || act == "hard_swish") {
    double alpha = act == "hard_swish" ? 1.0 / 6 : lo;
    double beta = act == "hard_swish" ? 0.5 : hi;
    Value y = b.create<arith::AddFOp>(
        loc, b.create<arith::MulFOp>(loc, x, f32Const(b, loc, alpha)),
        f32Const(b, loc, beta));
    y = b.create<arith::MinimumFOp>(
        loc, b.create<arith::MaximumFOp>(loc, y, f32Const(b, loc, 0)),
        f32Const(b, loc, 1));
    return act == "hard_swish" ? b.create<arith::MulFOp>(loc, x, y) : y;
  }
  if (act == "sigmoid") {
    Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
    return b.create<arith::DivFOp>(
        loc, f32Const(b, loc, 1),
        b.create<arith::AddFOp>(loc, f32Const(b, loc, 1), e));
  }
  return x;
}

void Lowering::applyActivation(Location loc, Value out, StringRef act,
                               double lo, double hi) {
  if (act == "none")
    return;
  int64_t rank = cast<MemRefType>(out.getType()).getRank();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, ValueRange{}, ValueRange{out},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, its,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        nb.create<linalg::YieldOp>(
            nl, activationBody(nb, nl, args[0], act, lo, hi));
      });
}

LogicalResult Lowering::lowerConv(mnn::Conv2DOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t g = op.getGroup(), cg = c / g, cout = outType.getDimSize(1),
          og = cout / g;
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = op.getKernelH(), kw = op.getKernelW();
  auto s = op.getStrides();
  auto d = op.getDilations();

  SmallVector<int64_t> pshape;
  Value input = padded(op, bufferOf(op.getInput()), op.getPads(), 0.0, loc, pshape);
  int64_t hp = pshape[2], wp = pshape[3];
  // Every (kh, kw) tap of every output pixel, as one 7-D strided view.
  Value windows = stridedView(
      b, loc, input, {n, g, cg, kh, kw, oh, ow},
      {c * hp * wp, cg * hp * wp, hp * wp, d[0] * wp, d[1], s[0] * wp, s[1]});
  // Output channels split as og = ob * blk + oi; blk = og unless the weights
  // are blocked (bhwigo), so one iteration space serves every layout.
  StringRef layout = op.getFilterLayout();
  auto fshape = cast<RankedTensorType>(op.getFilter().getType()).getShape();
  int64_t blk = layout == "bhwigo" ? fshape[5] : og, ob = og / blk;
  Value out6 = reshapeBuffer(b, loc, out, {n, g, ob, blk, oh, ow});

  // Iteration space: n g ob oi oh ow | kh kw cg (cg innermost: it walks the
  // packed weights contiguously).
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  enum { N, G, OB, OI, OH, OW, KH, KW, CG, NumDims };
  Value filter = bufferOf(op.getFilter());
  SmallVector<AffineExpr> filterExprs;
  if (layout == "bhwigo") {
    filterExprs = {dim(OB), dim(KH), dim(KW), dim(CG), dim(G), dim(OI)};
  } else if (layout == "hwigo") {
    filterExprs = {dim(KH), dim(KW), dim(CG), dim(G), dim(OI)};
  } else {
    filter = reshapeBuffer(b, loc, filter, {g, og, cg, kh, kw});
    filterExprs = {dim(G), dim(OI), dim(CG), dim(KH), dim(KW)};
  }
  AffineMap filterMap = AffineMap::get(NumDims, 0, filterExprs, ctx);
  AffineMap winMap = AffineMap::get(
      NumDims, 0, {dim(N), dim(G), dim(CG), dim(KH), dim(KW), dim(OH), dim(OW)}, ctx);
  AffineMap outMap = AffineMap::get(
      NumDims, 0, {dim(N), dim(G), dim(OB), dim(OI), dim(OH), dim(OW)}, ctx);

  // Accumulator init: bias (+ residual), else zero.
  if (op.getBias() || op.getResidual()) {
    SmallVector<Value> ins;
    if (op.getBias())
      ins.push_back(reshapeBuffer(b, loc, bufferOf(op.getBias()), {1, g, ob, blk, 1, 1}));
    if (op.getResidual())
      ins.push_back(reshapeBuffer(b, loc, bufferOf(op.getResidual()),
                                  {n, g, ob, blk, oh, ow}));
    elementwise(loc, out6, ins, [](OpBuilder &nb, Location nl, ValueRange a) {
      return a.size() == 2 ? nb.create<arith::AddFOp>(nl, a[0], a[1]).getResult()
                           : a[0];
    });
  } else {
    b.create<linalg::FillOp>(loc, f32Const(b, loc, 0), out6);
  }

  using IT = utils::IteratorType;
  SmallVector<IT> its(NumDims, IT::parallel);
  its[KH] = its[KW] = its[CG] = IT::reduction;
  auto conv = buildGeneric(
      b, loc, {windows, filter}, {winMap, filterMap}, out6, outMap, its,
      [](OpBuilder &nb, Location nl, ValueRange a) {
        return nb.create<arith::AddFOp>(
            nl, a[2], nb.create<arith::MulFOp>(nl, a[0], a[1]));
      });
  conv->setAttr(mnn::kKernelAttr, b.getStringAttr(g == c && og == 1 && g > 1
                                                      ? "depthwise_conv"
                                                      : "conv"));
  applyActivation(loc, out, op.getActivation(),
                  op.getClipMin().convertToDouble(),
                  op.getClipMax().convertToDouble());
  return success();
}

LogicalResult Lowering::lowerMatMul(mnn::MatMulOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(op.getLhs().getType());
  auto bType = cast<RankedTensorType>(op.getRhs().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  SmallVector<int64_t> as(aType.getShape()), bs(bType.getShape());
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  int64_t m = as[as.size() - 2], nn = bs.back();
  auto batchA = ArrayRef<int64_t>(as).drop_back(2);
  auto batchB = ArrayRef<int64_t>(bs).drop_back(2);
  auto batch = *mnn::broadcastShapes(batchA, batchB);
  int64_t nb = batch.size();
  // Iteration space: batch... m n | k.
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  unsigned dimM = nb, dimN = nb + 1, dimK = nb + 2, numDims = nb + 3;
  auto operandView = [&](Value buf, ArrayRef<int64_t> full, ArrayRef<int64_t> bshape,
                         unsigned row, unsigned col) {
    SmallVector<int64_t> kept;
    SmallVector<AffineExpr> exprs;
    int64_t lead = nb - bshape.size();
    for (size_t i = 0; i < bshape.size(); ++i) {
      if (bshape[i] == 1 && batch[lead + i] != 1)
        continue;
      kept.push_back(bshape[i]);
      exprs.push_back(dim(lead + i));
    }
    kept.push_back(full[full.size() - 2]);
    kept.push_back(full.back());
    exprs.push_back(dim(row));
    exprs.push_back(dim(col));
    return std::make_pair(reshapeBuffer(b, loc, buf, kept),
                          AffineMap::get(numDims, 0, exprs, ctx));
  };
  auto [aView, aMap] = operandView(bufferOf(op.getLhs()), as, batchA, dimM, dimK);
  auto [bView, bMap] = operandView(bufferOf(op.getRhs()), bs, batchB, dimK, dimN);
  SmallVector<int64_t> outShape(batch);
  outShape.push_back(m);
  outShape.push_back(nn);
  Value out3 = reshapeBuffer(b, loc, out, outShape);
  SmallVector<AffineExpr> outExprs;
  for (unsigned i = 0; i < nb; ++i)
    outExprs.push_back(dim(i));
  outExprs.push_back(dim(dimM));
  outExprs.push_back(dim(dimN));
  AffineMap outMap = AffineMap::get(numDims, 0, outExprs, ctx);

  if (op.getBias() || op.getResidual()) {
    SmallVector<Value> ins;
    if (op.getBias())
      ins.push_back(reshapeBuffer(b, loc, bufferOf(op.getBias()), {nn}));
    if (op.getResidual())
      ins.push_back(reshapeBuffer(b, loc, bufferOf(op.getResidual()), outShape));
    elementwise(loc, out3, ins, [](OpBuilder &nb, Location nl, ValueRange a) {
      return a.size() == 2 ? nb.create<arith::AddFOp>(nl, a[0], a[1]).getResult()
                           : a[0];
    });
  } else {
    b.create<linalg::FillOp>(loc, f32Const(b, loc, 0), out3);
  }
  using IT = utils::IteratorType;
  SmallVector<IT> its(numDims, IT::parallel);
  its.back() = IT::reduction;
  auto mm = buildGeneric(b, loc, {aView, bView}, {aMap, bMap}, out3, outMap, its,
                         [](OpBuilder &nb, Location nl, ValueRange a) {
                           return nb.create<arith::AddFOp>(
                               nl, a[2], nb.create<arith::MulFOp>(nl, a[0], a[1]));
                         });
  mm->setAttr(mnn::kKernelAttr, b.getStringAttr("matmul"));
  applyActivation(loc, out, op.getActivation(), op.getClipMin().convertToDouble(),
                  op.getClipMax().convertToDouble());
  return success();
}

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
  SmallVector<int64_t> pshape;
  double lowest = -std::numeric_limits<float>::infinity();
  Value input = padded(op, bufferOf(op.getInput()), p, isMax ? lowest : 0.0,
                       loc, pshape);
  int64_t hp = pshape[2], wp = pshape[3];
  Value windows =
      stridedView(b, loc, input, {n, c, k[0], k[1], oh, ow},
                  {c * hp * wp, hp * wp, d[0] * wp, d[1], s[0] * wp, s[1]});
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  // Iteration space: n c oh ow | kh kw.
  AffineMap winMap = AffineMap::get(6, 0, {dim(0), dim(1), dim(4), dim(5), dim(2), dim(3)}, ctx);
  AffineMap outMap = AffineMap::get(6, 0, {dim(0), dim(1), dim(2), dim(3)}, ctx);
  b.create<linalg::FillOp>(loc, f32Const(b, loc, isMax ? lowest : 0.0), out);
  using IT = utils::IteratorType;
  SmallVector<IT> its = {IT::parallel, IT::parallel, IT::parallel,
                         IT::parallel, IT::reduction, IT::reduction};
  buildGeneric(b, loc, {windows}, {winMap}, out, outMap, its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 if (isMax)
                   return nb.create<arith::MaximumFOp>(nl, a[0], a[1]);
                 return nb.create<arith::AddFOp>(nl, a[0], a[1]);
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
  auto invType = RankedTensorType::get({1, 1, oh, ow}, b.getF32Type());
  Value invBuf =
      constantBuffer(mnn::makeElementsFromDoubles(invType, inv), loc);
  elementwise(loc, out, {out, invBuf}, [](OpBuilder &nb, Location nl, ValueRange a) {
    return nb.create<arith::MulFOp>(nl, a[0], a[1]);
  });
  return success();
}

LogicalResult Lowering::lowerReduce(mnn::ReduceOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  int64_t rank = inType.getRank();
  StringRef kind = op.getKind();
  double init = kind == "max" ? -std::numeric_limits<float>::infinity()
                : kind == "min" ? std::numeric_limits<float>::infinity()
                                : 0.0;
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
  Value outView = reshapeBuffer(b, loc, out, kept);
  b.create<linalg::FillOp>(loc, f32Const(b, loc, init), outView);
  buildGeneric(b, loc, {bufferOf(op.getInput())}, {b.getMultiDimIdentityMap(rank)},
               outView, AffineMap::get(rank, 0, exprs, ctx), its,
               [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                 if (kind == "max")
                   return nb.create<arith::MaximumFOp>(nl, a[0], a[1]);
                 if (kind == "min")
                   return nb.create<arith::MinimumFOp>(nl, a[0], a[1]);
                 return nb.create<arith::AddFOp>(nl, a[0], a[1]);
               });
  if (kind == "mean")
    elementwise(loc, outView, {outView}, [&](OpBuilder &nb, Location nl, ValueRange a) {
      return nb.create<arith::MulFOp>(nl, a[0], f32Const(nb, nl, 1.0 / count));
    });
  return success();
}

// Row-wise loops: softmax and layer_norm need two passes over each row and
// scalar state between them; plain scf loops say that most directly.
LogicalResult Lowering::lowerSoftmax(mnn::SoftmaxOp op, Value out) {
  Location loc = op.getLoc();
  auto type = cast<RankedTensorType>(op.getType());
  int64_t axis = op.getAxis();
  if (axis < 0)
    axis += type.getRank();
  int64_t outer = 1, len = type.getDimSize(axis), inner = 1;
  for (int64_t i = 0; i < axis; ++i)
    outer *= type.getDimSize(i);
  for (int64_t i = axis + 1; i < type.getRank(); ++i)
    inner *= type.getDimSize(i);
  Value in = reshapeBuffer(b, loc, bufferOf(op.getInput()), {outer, len, inner});
  Value o = reshapeBuffer(b, loc, out, {outer, len, inner});
  Value c0 = b.create<arith::ConstantIndexOp>(loc, 0);
  Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
  Value cOuter = b.create<arith::ConstantIndexOp>(loc, outer);
  Value cLen = b.create<arith::ConstantIndexOp>(loc, len);
  Value cInner = b.create<arith::ConstantIndexOp>(loc, inner);
  Value lowest = f32Const(b, loc, -std::numeric_limits<float>::infinity());
  Value zero = f32Const(b, loc, 0);
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
              b3.create<memref::StoreOp>(l3, e, o, ValueRange{i, k, j});
              b3.create<scf::YieldOp>(l3, ValueRange{b3.create<arith::AddFOp>(l3, acc[0], e)});
            });
          Value inv = b2.create<arith::DivFOp>(l2, f32Const(b2, l2, 1.0), sumLoop.getResult(0));
          b2.create<scf::ForOp>(l2, c0, cLen, c1, ValueRange{},
            [&](OpBuilder &b3, Location l3, Value k, ValueRange) {
              Value e = b3.create<memref::LoadOp>(l3, o, ValueRange{i, k, j});
              b3.create<memref::StoreOp>(l3, b3.create<arith::MulFOp>(l3, e, inv), o,
                                         ValueRange{i, k, j});
              b3.create<scf::YieldOp>(l3);
            });
          b2.create<scf::YieldOp>(l2);
        });
      b1.create<scf::YieldOp>(l);
    });
  return success();
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
  Value in = reshapeBuffer(b, loc, bufferOf(op.getInput()), {rows, len});
  Value o = reshapeBuffer(b, loc, out, {rows, len});
  Value scale = reshapeBuffer(b, loc, bufferOf(op.getScale()), {len});
  Value bias = op.getBias() ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {len})
                            : Value();
  Value c0 = b.create<arith::ConstantIndexOp>(loc, 0);
  Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
  Value cRows = b.create<arith::ConstantIndexOp>(loc, rows);
  Value cLen = b.create<arith::ConstantIndexOp>(loc, len);
  Value zero = f32Const(b, loc, 0);
  Value invLen = f32Const(b, loc, 1.0 / len);
  Value eps = f32Const(b, loc, op.getEpsilon().convertToDouble());
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
    if (t.getNumElements() == 0)
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

LogicalResult Lowering::lowerCast(mnn::CastOp op, Value out) {
  Type from = cast<RankedTensorType>(op.getInput().getType()).getElementType();
  Type to = cast<RankedTensorType>(op.getType()).getElementType();
  elementwise(op.getLoc(), out, {bufferOf(op.getInput())},
              [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                Value x = a[0];
                bool fromF = isa<FloatType>(from), toF = isa<FloatType>(to);
                if (fromF && toF)
                  return from.getIntOrFloatBitWidth() < to.getIntOrFloatBitWidth()
                             ? nb.create<arith::ExtFOp>(nl, to, x).getResult()
                             : nb.create<arith::TruncFOp>(nl, to, x).getResult();
                if (fromF)
                  return nb.create<arith::FPToSIOp>(nl, to, x);
                if (toF)
                  return nb.create<arith::SIToFPOp>(nl, to, x);
                unsigned fw = from.getIntOrFloatBitWidth(), tw = to.getIntOrFloatBitWidth();
                if (fw == tw)
                  return x;
                return fw < tw ? nb.create<arith::ExtSIOp>(nl, to, x).getResult()
                               : nb.create<arith::TruncIOp>(nl, to, x).getResult();
              });
  return success();
}

/// The ONNX node names behind a location: one for an imported op, several
/// ("conv+bn+relu") for an op that fusion made from several nodes.
std::string nodeNames(Location loc) {
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

bool isF32Tensor(Type t) {
  auto r = dyn_cast<RankedTensorType>(t);
  return r && r.getElementType().isF32();
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
  // Generated kernels compute in f32; other element types only appear in
  // constant subgraphs, which fold before this point.
  bool movesData = isa<mnn::TransposeOp, mnn::ConcatOp, mnn::SliceOp,
                       mnn::GatherOp, mnn::CastOp>(op);
  for (Type t : op->getResultTypes())
    if (!movesData && !isF32Tensor(t))
      return op->emitError("'") << op->getName() << "' on element type "
                                << cast<ShapedType>(t).getElementType()
                                << " is not supported by code generation (only f32)";
  if (isa<mnn::BatchNormOp>(op))
    return op->emitError("batch_norm must be folded before lowering "
                         "(run mnn-fold-batchnorm)");

  FailureOr<Value> out = resultBuffer(cast<OpResult>(op->getResult(0)));
  if (failed(out))
    return failure();
  buffers[op->getResult(0)] = *out;

  auto unary = [&](Value x, BodyFn fn) {
    elementwise(loc, *out, {bufferOf(x)}, fn);
    return success();
  };
  auto binary = [&](Value x, Value y, BodyFn fn) {
    elementwise(loc, *out, {bufferOf(x), bufferOf(y)}, fn);
    return success();
  };
  auto one = [](OpBuilder &nb, Location nl) { return f32Const(nb, nl, 1.0); };

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
      .Case([&](mnn::AddOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::AddFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::SubOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::SubFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::MulOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::MulFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::DivOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::DivFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::PowOp o) {
        // x^2 (layer-norm decompositions) is exact and cheap as x*x.
        ElementsAttr e;
        if (matchPattern(o.getRhs(), m_Constant(&e))) {
          auto v = mnn::getAsDoubles(e);
          if (v && !v->empty() && llvm::all_of(*v, [](double x) { return x == 2.0; }))
            return unary(o.getLhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
              return nb.create<arith::MulFOp>(nl, a[0], a[0]);
            });
        }
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::PowFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::NegOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::NegFOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ReluOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "relu", 0, 0);
        });
      })
      .Case([&](mnn::SigmoidOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "sigmoid", 0, 0);
        });
      })
      .Case([&](mnn::HardSwishOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "hard_swish", 0, 0);
        });
      })
      .Case([&](mnn::HardSigmoidOp o) {
        double alpha = o.getAlpha().convertToDouble(), beta = o.getBeta().convertToDouble();
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "hard_sigmoid", alpha, beta);
        });
      })
      .Case([&](mnn::ClipOp o) {
        double lo = o.getMin().convertToDouble(), hi = o.getMax().convertToDouble();
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "clip", lo, hi);
        });
      })
      .Case([&](mnn::TanhOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::TanhOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ExpOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::ExpOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::SqrtOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::SqrtOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ErfOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::ErfOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ReciprocalOp o) {
        return unary(o.getInput(), [&](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::DivFOp>(nl, one(nb, nl), a[0]);
        });
      })
      .Case([&](mnn::GeluOp o) {
        bool tanhForm = o.getApproximate() == "tanh";
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0];
          Value half = nb.create<arith::MulFOp>(nl, x, f32Const(nb, nl, 0.5));
          Value inner;
          if (tanhForm) {
            Value x3 = nb.create<arith::MulFOp>(nl, nb.create<arith::MulFOp>(nl, x, x), x);
            Value t = nb.create<arith::AddFOp>(
                nl, x, nb.create<arith::MulFOp>(nl, x3, f32Const(nb, nl, 0.044715)));
            inner = nb.create<math::TanhOp>(
                nl, nb.create<arith::MulFOp>(nl, t, f32Const(nb, nl, std::sqrt(2.0 / M_PI))));
          } else {
            inner = nb.create<math::ErfOp>(
                nl, nb.create<arith::MulFOp>(nl, x, f32Const(nb, nl, 1.0 / std::sqrt(2.0))));
          }
          return nb.create<arith::MulFOp>(
              nl, half, nb.create<arith::AddFOp>(nl, inner, f32Const(nb, nl, 1.0)));
        });
      })
      .Default([&](Operation *o) {
        return o->emitError("'") << o->getName()
                                 << "' is not supported by code generation";
      });
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

  // Profile hooks: runtime functions taking the op's index.
  func::FuncOp profileBegin, profileEnd;
  if (profile) {
    OpBuilder mb(target);
    auto hookType = FunctionType::get(ctx, {b.getI32Type()}, {});
    profileBegin = mb.create<func::FuncOp>(source.getLoc(), "mnnrt_profile_begin", hookType);
    profileEnd = mb.create<func::FuncOp>(source.getLoc(), "mnnrt_profile_end", hookType);
    profileBegin.setPrivate();
    profileEnd.setPrivate();
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
