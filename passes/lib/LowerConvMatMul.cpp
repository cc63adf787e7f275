//===- LowerConvMatMul.cpp - conv2d and matmul to linalg ------------------===//
//
// Conv and matmul become linalg.generic contractions over (views of) their
// buffers. f32 ones are kernel ops carrying their epilogue (bias, residual,
// activation; KernelEpilogue.h); other types initialize the output,
// accumulate into it and apply the activation as separate loops.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include <cmath>

namespace mnn::lowering {

/// The static NCHW strides and offset of `buf`'s layout (innermost stride
/// 1), or failure.
static LogicalResult staticNchwLayout(Value buf, SmallVectorImpl<int64_t> &strides,
                                      int64_t &offset) {
  if (failed(getStridesAndOffset(cast<MemRefType>(buf.getType()), strides, offset)) ||
      llvm::any_of(strides, ShapedType::isDynamic) || ShapedType::isDynamic(offset) ||
      strides.back() != 1)
    return failure();
  return success();
}

/// Output channels per weight block of a direct conv (og = ob * blk + oi):
/// the packing block of "bhwigo" weights, else all of a group's channels.
static int64_t weightBlock(mnn::Conv2DOp op) {
  auto fshape = cast<RankedTensorType>(op.getFilter().getType()).getShape();
  return op.getFilterLayout() == "bhwigo" ? fshape[5]
                                          : op.getOutputChannels() / op.getGroup();
}

linalg::GenericOp Lowering::buildKernel(Location loc, StringRef kind,
                                        ArrayRef<Value> operands,
                                        ArrayRef<AffineMap> operandMaps,
                                        Value bias, AffineMap biasMap,
                                        Value residual, Value out, AffineMap outMap,
                                        ArrayRef<utils::IteratorType> iterators,
                                        const KernelEpilogue &epilogue) {
  SmallVector<Value> ins(operands);
  SmallVector<AffineMap> maps(operandMaps);
  if (bias) {
    ins.push_back(bias);
    maps.push_back(biasMap);
  }
  if (residual) {
    ins.push_back(residual);
    maps.push_back(outMap);
  }
  auto op = buildGeneric(b, loc, ins, maps, out, outMap, iterators,
                         [](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                           Value p = nb.create<arith::MulFOp>(nl, a[0], a[1]);
                           return nb.create<arith::AddFOp>(nl, a.back(), p);
                         });
  op->setAttr(mnn::kKernelAttr, b.getStringAttr(kind));
  epilogue.attachTo(op);
  return op;
}

void Lowering::applyActivation(Location loc, Value out,
                               const KernelEpilogue &epilogue) {
  if (epilogue.activation == "none")
    return;
  int64_t rank = cast<MemRefType>(out.getType()).getRank();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  b.create<linalg::GenericOp>(
      loc, TypeRange{}, ValueRange{}, ValueRange{out},
      SmallVector<AffineMap>{b.getMultiDimIdentityMap(rank)}, its,
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        nb.create<linalg::YieldOp>(
            nl, activationBody(nb, nl, args[0], epilogue.activation,
                               epilogue.lo, epilogue.hi));
      });
}

LogicalResult Lowering::lowerConv(mnn::Conv2DOp op, Value out) {
  if (op.getFilterLayout().starts_with("winograd"))
    return lowerWinogradConv(op, out);
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  int64_t n = inType.getDimSize(0), c = inType.getDimSize(1);
  int64_t g = op.getGroup(), cg = c / g, cout = outType.getDimSize(1);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = op.getKernelH(), kw = op.getKernelW();
  auto s = op.getStrides();
  auto d = op.getDilations();

  if (bandedReader(op.getInput()) == op.getOperation())
    return lowerBandedDepthwise(op.getInput().getDefiningOp<mnn::Conv2DOp>(), op, out);
  bool outPlain = cast<MemRefType>(out.getType()).getLayout().isIdentity();
  // A packed-input conv writes NCHW or whole-row panels (panelStorage).
  if (int64_t rows = outPlain || panelBuffers.count(out) ? packedInputRows(op) : 0)
    return lowerPackedInputConv(op, out, rows);
  if (int64_t lanes = blockedInputLanes(op))
    return lowerBlockedDepthwiseConv(op, out, lanes);
  Scalar sc(outType);
  // Pieces of the output read the input in place or small padded windows
  // of it (directConvPieces); otherwise the conv reads one padded copy.
  SmallVector<ConvRect, 5> pieces = directConvPieces(op);
  Value input = bufferOf(op.getInput());
  SmallVector<int64_t> pshape(cast<MemRefType>(input.getType()).getShape());
  if (pieces.empty())
    input = padded(op, input, op.getPads(), sc.cst(b, loc, 0), loc, pshape);
  int64_t hp = pshape[2], wp = pshape[3];
  // A 1x1 conv on a 1x1 map (squeeze-and-excitation) is a matrix-vector
  // product [n, Cin] x [Cin, Cout]: the matmul microkernel, whose one-row
  // tile streams 4 vectors of weights per step (hwigo weights, unblocked by
  // PackWeights for this case).
  if (kh == 1 && kw == 1 && hp == 1 && wp == 1 && oh == 1 && ow == 1 && g == 1 &&
      op.getFilterLayout() == "hwigo" && outPlain &&
      outType.getElementType().isF32()) {
    auto map = [&](ArrayRef<unsigned> dims) {
      SmallVector<AffineExpr> exprs;
      for (unsigned d : dims)
        exprs.push_back(getAffineDimExpr(d, ctx));
      return AffineMap::get(3, 0, exprs, ctx);
    };
    enum { M, N, K };
    using IT = utils::IteratorType;
    buildKernel(
        loc, "matmul",
        {reshapeBuffer(b, loc, input, {n, c}),
         reshapeBuffer(b, loc, bufferOf(op.getFilter()), {c, cout})},
        {map({M, K}), map({K, N})},
        op.getBias() ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {cout}) : Value(),
        map({N}),
        op.getResidual() ? reshapeBuffer(b, loc, bufferOf(op.getResidual()), {n, cout})
                         : Value(),
        reshapeBuffer(b, loc, out, {n, cout}), map({M, N}),
        {IT::parallel, IT::parallel, IT::reduction}, epilogueOf(op));
    return success();
  }
  // A 1x1 stride-1 conv without padding reads each output pixel's own input
  // pixel and both are contiguous: all pixels form one dim (oh = 1), so the
  // vector lanes run across row ends, with no partial tile per row.
  if (kh == 1 && kw == 1 && s[0] == 1 && s[1] == 1 && hp == oh && wp == ow &&
      outPlain && outType.getElementType().isF32()) {
    ow *= oh;
    oh = 1;
  }
  // Every (kh, kw) tap of every output pixel of a rows x cols piece, as one
  // 7-D strided view of `buf` (NCHW strides sN, sC, sH, 1; the piece's first
  // window at `offset`).
  auto windowsIn = [&](Value buf, int64_t offset, int64_t sN, int64_t sC,
                       int64_t sH, int64_t rows, int64_t cols) {
    return stridedView(b, loc, buf, {n, g, cg, kh, kw, rows, cols},
                       {sN, cg * sC, sC, d[0] * sH, d[1], s[0] * sH, s[1]}, offset);
  };
  // Each piece's windows, with its output rect.
  SmallVector<std::pair<Value, ConvRect>, 5> windowPieces;
  if (pieces.empty()) {
    windowPieces.push_back({windowsIn(input, 0, c * hp * wp, hp * wp, wp, oh, ow),
                            ConvRect{0, oh, 0, ow}});
  } else {
    // The interior reads the input where it lies.
    SmallVector<int64_t> inStrides;
    int64_t inOffset;
    if (failed(staticNchwLayout(input, inStrides, inOffset)))
      return op.emitOpError("input buffer has no static NCHW strides");
    auto pads = op.getPads();
    const ConvRect &in = pieces.front();
    windowPieces.push_back(
        {windowsIn(input,
                   inOffset + (in.y0 * s[0] - pads[0]) * inStrides[2] +
                       (in.x0 * s[1] - pads[1]),
                   inStrides[0], inStrides[1], inStrides[2], in.y1 - in.y0,
                   in.x1 - in.x0),
         in});
    // Each border piece reads a zeroed window into which the input rows
    // and columns it covers are copied.
    int64_t byteOffset = 0;
    int64_t h = inType.getDimSize(2), w = inType.getDimSize(3);
    for (const ConvRect &piece : ArrayRef(pieces).drop_front()) {
      ConvRect win = convBorderWindow(op, piece);
      int64_t rows = win.y1 - win.y0, cols = win.x1 - win.x0;
      Value window = scratchBuffer(op, {n, c, rows, cols}, b.getF32Type(), loc, byteOffset);
      byteOffset += llvm::alignTo(n * c * rows * cols * 4, kArenaAlignment);
      b.create<linalg::FillOp>(loc, sc.cst(b, loc, 0), window);
      // The input rows/columns inside the window (padded coordinates).
      int64_t y0 = std::max(win.y0, pads[0]), y1 = std::min(win.y1, pads[0] + h);
      int64_t x0 = std::max(win.x0, pads[1]), x1 = std::min(win.x1, pads[1] + w);
      if (y0 < y1 && x0 < x1) {
        SmallVector<int64_t> ones(4, 1);
        Value from = b.create<memref::SubViewOp>(
            loc, input, SmallVector<int64_t>{0, 0, y0 - pads[0], x0 - pads[1]},
            SmallVector<int64_t>{n, c, y1 - y0, x1 - x0}, ones);
        Value to = b.create<memref::SubViewOp>(
            loc, window, SmallVector<int64_t>{0, 0, y0 - win.y0, x0 - win.x0},
            SmallVector<int64_t>{n, c, y1 - y0, x1 - x0}, ones);
        copy(loc, from, to);
      }
      windowPieces.push_back({windowsIn(window, 0, c * rows * cols, rows * cols, cols,
                                        piece.y1 - piece.y0, piece.x1 - piece.x0),
                              piece});
    }
  }
  DirectConvSpace space = directConvSpace(op);
  int64_t blk = space.blk, ob = space.ob;
  // The output may be the interior of a padded buffer (strided): split
  // its channel dim in place rather than through a flat view.
  Value out6;
  if (outPlain)
    out6 = reshapeBuffer(b, loc, out, {n, g, ob, blk, oh, ow});
  else
    out6 = b.create<memref::ExpandShapeOp>(
        loc, SmallVector<int64_t>{n, g, ob, blk, oh, ow}, out,
        SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
  // The tiled microkernels are f32: they take the epilogue (bias, residual,
  // activation) into their accumulators. Other types initialize the output,
  // accumulate into it and apply the activation as separate loops.
  if (outType.getElementType().isF32()) {
    Value residual6 = op.getResidual() ? reshapeBuffer(b, loc, bufferOf(op.getResidual()),
                                                       {n, g, ob, blk, oh, ow})
                                       : Value();
    // The piece `r` of a [n, g, ob, blk, oh, ow] buffer.
    auto rectOf = [&](Value buf6, const ConvRect &r) -> Value {
      if (!buf6 || (r.y0 == 0 && r.y1 == oh && r.x0 == 0 && r.x1 == ow))
        return buf6;
      return b.create<memref::SubViewOp>(
          loc, buf6, SmallVector<int64_t>{0, 0, 0, 0, r.y0, r.x0},
          SmallVector<int64_t>{n, g, ob, blk, r.y1 - r.y0, r.x1 - r.x0},
          SmallVector<int64_t>(6, 1));
    };
    for (auto &[windows, rect] : windowPieces) {
      linalg::GenericOp kernel =
          directConvKernel(op, windows, rectOf(out6, rect), rectOf(residual6, rect));
      // One kernel writing all of a padded buffer's interior zeroes its
      // column pads as it goes (mnn::kPadRunAttr).
      Value full = paddedBuffers.lookup(out);
      if (full && windowPieces.size() == 1 && isPlainBuffer(full) &&
          isa<mnn::Conv2DOp>(*op->getUsers().begin())) {
        int64_t run = cast<MemRefType>(full.getType()).getDimSize(3) - ow;
        kernel->setAttr(kPadRunAttr, b.getI64IntegerAttr(run));
        padRunBuffers.insert(full);
      }
    }
    return success();
  }
  assert(windowPieces.size() == 1 && "only f32 convs are split into pieces");
  Value windows = windowPieces.front().first;
  initAccumulator(loc, out6, op.getBias(), {1, g, ob, blk, 1, 1},
                  op.getResidual(), sc);
  buildGeneric(b, loc, {windows, space.filter}, {space.windows, space.filterMap}, out6,
               space.out, space.iterators,
               [&](OpBuilder &nb, Location nl, ValueRange a) {
                 return sc.add(nb, nl, a[2], sc.mul(nb, nl, a[0], a[1]));
               });
  applyActivation(loc, out, epilogueOf(op));
  return success();
}

Lowering::DirectConvSpace Lowering::directConvSpace(mnn::Conv2DOp op) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto inType = cast<RankedTensorType>(op.getInput().getType());
  int64_t c = inType.getDimSize(1), g = op.getGroup(), cg = c / g;
  int64_t og = op.getOutputChannels() / g;
  // Output channels split as og = ob * blk + oi; blk = og unless the weights
  // are blocked (bhwigo), so one iteration space serves every layout.
  DirectConvSpace space;
  StringRef layout = op.getFilterLayout();
  space.blk = weightBlock(op);
  space.ob = og / space.blk;
  // Iteration space: n g ob oi oh ow | kh kw cg (cg innermost: it walks the
  // packed weights contiguously).
  auto dim = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  enum { N, G, OB, OI, OH, OW, KH, KW, CG, NumDims };
  space.filter = bufferOf(op.getFilter());
  SmallVector<AffineExpr> filterExprs;
  if (layout == "bhwigo") {
    filterExprs = {dim(OB), dim(KH), dim(KW), dim(CG), dim(G), dim(OI)};
  } else if (layout == "hwigo") {
    filterExprs = {dim(KH), dim(KW), dim(CG), dim(G), dim(OI)};
  } else {
    space.filter = reshapeBuffer(b, loc, space.filter,
                                 {g, og, cg, op.getKernelH(), op.getKernelW()});
    filterExprs = {dim(G), dim(OI), dim(CG), dim(KH), dim(KW)};
  }
  space.filterMap = AffineMap::get(NumDims, 0, filterExprs, ctx);
  space.windows = AffineMap::get(
      NumDims, 0, {dim(N), dim(G), dim(CG), dim(KH), dim(KW), dim(OH), dim(OW)}, ctx);
  space.bias = AffineMap::get(NumDims, 0, {dim(G), dim(OB), dim(OI)}, ctx);
  space.out = AffineMap::get(
      NumDims, 0, {dim(N), dim(G), dim(OB), dim(OI), dim(OH), dim(OW)}, ctx);
  space.iterators.assign(NumDims, utils::IteratorType::parallel);
  space.iterators[KH] = space.iterators[KW] = space.iterators[CG] =
      utils::IteratorType::reduction;
  return space;
}

linalg::GenericOp Lowering::directConvKernel(mnn::Conv2DOp op, Value windows, Value out6,
                                             Value residual6) {
  DirectConvSpace space = directConvSpace(op);
  int64_t c = cast<RankedTensorType>(op.getInput().getType()).getDimSize(1);
  int64_t g = op.getGroup(), og = op.getOutputChannels() / g;
  linalg::GenericOp kernel = buildKernel(
      op.getLoc(), g == c && og == 1 && g > 1 ? "depthwise_conv" : "conv",
      {windows, space.filter}, {space.windows, space.filterMap},
      op.getBias()
          ? reshapeBuffer(b, op.getLoc(), bufferOf(op.getBias()), {g, space.ob, space.blk})
          : Value(),
      space.bias, residual6, out6, space.out, space.iterators, epilogueOf(op));
  // Blocked weights set the channel-lane tile's lanes (mnn-tile).
  if (op.getFilterLayout() == "bhwigo")
    kernel->setAttr("mnn.channel_lanes", b.getI64IntegerAttr(space.blk));
  return kernel;
}

/// The input of a conv banded into its reader (mnn::bandedReader): its
/// buffer, read through views at static NCHW strides from its offset.
struct BandedInput {
  Value buffer;
  SmallVector<int64_t> strides;
  int64_t offset = 0;
};

static FailureOr<BandedInput> bandedInput(Value buffer, mnn::Conv2DOp conv) {
  BandedInput in;
  in.buffer = buffer;
  if (failed(staticNchwLayout(in.buffer, in.strides, in.offset)))
    return conv.emitOpError("input buffer has no static NCHW strides");
  return in;
}

LogicalResult Lowering::lowerBandedDepthwise(mnn::Conv2DOp pw, mnn::Conv2DOp dw, Value out) {
  Location loc = dw.getLoc();
  FailureOr<BandedInput> in = bandedInput(bufferOf(pw.getInput()), pw);
  if (failed(in))
    return failure();
  auto &[x, xs, xOffset] = *in;
  auto mid = cast<RankedTensorType>(pw.getType());
  auto outType = cast<RankedTensorType>(dw.getType());
  int64_t cin = cast<RankedTensorType>(pw.getInput().getType()).getDimSize(1);
  int64_t c = mid.getDimSize(1), h = mid.getDimSize(2), w = mid.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = dw.getKernelH(), kw = dw.getKernelW();
  auto s = dw.getStrides();
  auto pads = dw.getPads();
  SmallVector<int64_t, 4> bandShape = bandBufferShape(dw);
  int64_t rows = bandedRows(dw), bufRows = bandShape[2], wp = bandShape[3];
  Scalar sc(outType);
  SmallVector<int64_t> ones4(4, 1);
  auto zero = [&](Value band, int64_t row, int64_t rowCount, int64_t col, int64_t colCount) {
    if (rowCount <= 0 || colCount <= 0)
      return;
    Value v = b.create<memref::SubViewOp>(loc, band, SmallVector<int64_t>{0, 0, row, col},
                                          SmallVector<int64_t>{1, c, rowCount, colCount},
                                          ones4);
    b.create<linalg::FillOp>(loc, sc.cst(b, loc, 0), v);
  };
  // The pad columns of a band buffer, which no band writes.
  auto zeroColumns = [&](Value band) {
    fillPadColumns(b, loc, reshapeBuffer(b, loc, band, {c * bufRows * wp}), Value(),
                   c * bufRows, wp, pads[1], w, pads[3], sc.cst(b, loc, 0));
  };
  int64_t pwBlk = weightBlock(pw);
  Value out6 = cast<MemRefType>(out.getType()).getLayout().isIdentity()
                   ? reshapeBuffer(b, loc, out, {1, c, 1, 1, oh, ow})
                   : b.create<memref::ExpandShapeOp>(
                         loc, SmallVector<int64_t>{1, c, 1, 1, oh, ow}, out,
                         SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}})
                         .getResult();
  // Output rows [y0, y0 + rows) of the depthwise conv, through `band`:
  // the rows it reads outside the image zeroed, the 1x1 conv's rows into
  // the rest, then the depthwise conv from it. The 1x1 conv's parallel
  // tiles are two halves of its channels, outermost (mnn-tile; sequential
  // loops in a band task, where mobilenet_v2 took 0.985-0.988x the time
  // it took with the default order, at one thread and at two).
  auto emitBand = [&](Value band, int64_t y0) {
    int64_t y1 = std::min(oh, y0 + rows);
    // Padded rows [p0, p1) of the depthwise conv's input; image rows [i0, i1).
    int64_t p0 = y0 * s[0], p1 = (y1 - 1) * s[0] + kh;
    int64_t i0 = std::max<int64_t>(p0 - pads[0], 0), i1 = std::min(p1 - pads[0], h);
    zero(band, 0, i0 + pads[0] - p0, pads[1], w);
    zero(band, i1 + pads[0] - p0, p1 - i1 - pads[0], pads[1], w);
    if (i0 < i1) {
      int64_t n = i1 - i0;
      Value win = stridedView(b, loc, x, {1, 1, cin, 1, 1, n, w},
                              {xs[0], cin * xs[1], xs[1], xs[2], 1, xs[2], 1},
                              xOffset + i0 * xs[2]);
      Value interior = b.create<memref::SubViewOp>(
          loc, band, SmallVector<int64_t>{0, 0, i0 + pads[0] - p0, pads[1]},
          SmallVector<int64_t>{1, c, n, w}, ones4);
      Value pwOut = b.create<memref::ExpandShapeOp>(
          loc, SmallVector<int64_t>{1, 1, c / pwBlk, pwBlk, n, w}, interior,
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
      directConvKernel(pw, win, pwOut, Value())
          ->setAttr(kChannelHalvesAttr, b.getUnitAttr());
    }
    Value win = stridedView(b, loc, band, {1, c, 1, kh, kw, y1 - y0, ow},
                            {c * bufRows * wp, bufRows * wp, bufRows * wp, wp, 1,
                             s[0] * wp, s[1]},
                            0);
    Value rect = b.create<memref::SubViewOp>(
        loc, out6, SmallVector<int64_t>{0, 0, 0, 0, y0, 0},
        SmallVector<int64_t>{1, c, 1, 1, y1 - y0, ow}, SmallVector<int64_t>(6, 1));
    directConvKernel(dw, win, rect, Value());
  };
  // Bands one after another, each op of a band split among all threads, in
  // the op's arena scratch.
  auto bandsInTurn = [&] {
    Value band = scratchBuffer(dw, bandShape, b.getF32Type(), loc);
    zeroColumns(band);
    for (int64_t y0 = 0; y0 < oh; y0 += rows)
      emitBand(band, y0);
  };
  int64_t taskThreads = bandTaskThreads(dw);
  if (taskThreads < 2) {
    bandsInTurn();
    return success();
  }
  // Up to taskThreads threads: one task per band, both ops on the thread
  // that takes it, in that thread's band buffer (the op's arena scratch on
  // the thread that called run). At two threads each keeps to its half of
  // the map, as the ops before and after split it, and a band waits for
  // no dispatch: mobilenet_v2's 112x112 pair (seven bands) took 0.92x the
  // time of bandsInTurn at two threads (interleaved profile), the network
  // 0.976-0.986x.
  int64_t bands = bandCount(dw);
  // Typed by the largest worker scratch of the model (mnnrt_thread_scratch
  // has one declaration); the band uses only its own bandShape bytes, which
  // this op's arena scratch (`own`) holds.
  auto scratchType = MemRefType::get(
      {target->getAttrOfType<IntegerAttr>(kThreadScratchBytesAttr).getInt()}, b.getI8Type());
  func::FuncOp numThreads = runtimeFunction(
      "mnnrt_num_threads", b.getFunctionType({pool.getType()}, {b.getI32Type()}));
  Value threads = b.create<func::CallOp>(loc, numThreads, ValueRange{pool}).getResult(0);
  Value useTasks = b.create<arith::CmpIOp>(
      loc, arith::CmpIPredicate::sle, threads,
      b.create<arith::ConstantIntOp>(loc, taskThreads, 32));
  auto ifOp = b.create<scf::IfOp>(loc, useTasks, /*withElseRegion=*/true);
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPointToStart(&ifOp.getThenRegion().front());
  scf::ParallelOp par = parallelOver(b, loc, {bands});
  par->setAttr(kBandTasksAttr, b.getUnitAttr());
  Value own = scratchBuffer(dw, scratchType.getShape(), b.getI8Type(), loc);
  func::FuncOp threadScratch =
      runtimeFunction("mnnrt_thread_scratch",
                      b.getFunctionType({pool.getType(), scratchType}, {scratchType}));
  Value mine = b.create<func::CallOp>(loc, threadScratch, ValueRange{pool, own}).getResult(0);
  Value band = b.create<memref::ViewOp>(loc, MemRefType::get(bandShape, b.getF32Type()), mine,
                                        b.create<arith::ConstantIndexOp>(loc, 0), ValueRange{});
  zeroColumns(band);
  SmallVector<int64_t> cases;
  for (int64_t k = 0; k < bands; ++k)
    cases.push_back(k);
  auto sw = b.create<scf::IndexSwitchOp>(loc, TypeRange{}, par.getInductionVars()[0], cases,
                                         bands);
  for (int64_t k = 0; k < bands; ++k) {
    b.setInsertionPointToStart(&sw.getCaseRegions()[k].emplaceBlock());
    emitBand(band, k * rows);
    b.create<scf::YieldOp>(loc);
  }
  b.setInsertionPointToStart(&sw.getDefaultRegion().emplaceBlock());
  b.create<scf::YieldOp>(loc);
  b.setInsertionPointToStart(&ifOp.getElseRegion().front());
  bandsInTurn();
  return success();
}

LogicalResult Lowering::lowerBandedPool(mnn::Conv2DOp conv, mnn::Pool2DOp pool, Value out) {
  Location loc = pool.getLoc();
  if (!cast<MemRefType>(out.getType()).getLayout().isIdentity())
    return pool.emitOpError("a banded pool needs a plain output buffer");
  auto mid = cast<RankedTensorType>(conv.getType());
  auto outType = cast<RankedTensorType>(pool.getType());
  Scalar sc(outType);
  // A padded conv reads a padded copy of its input, at the start of the
  // pool's scratch (unless its producer stored it padded).
  SmallVector<int64_t> pshape;
  FailureOr<BandedInput> in = bandedInput(
      padded(pool, bufferOf(conv.getInput()), conv.getPads(), sc.cst(b, loc, 0), loc, pshape),
      conv);
  if (failed(in))
    return failure();
  auto &[x, xs, xOffset] = *in;
  int64_t cin = cast<RankedTensorType>(conv.getInput().getType()).getDimSize(1);
  int64_t c = mid.getDimSize(1), h = mid.getDimSize(2), w = mid.getDimSize(3);
  int64_t oh = outType.getDimSize(2), ow = outType.getDimSize(3);
  int64_t kh = conv.getKernelH(), kw = conv.getKernelW();
  auto cs = conv.getStrides();
  auto k = pool.getKernel(), ps = pool.getStrides(), q = pool.getPads();
  SmallVector<int64_t, 4> bandShape = bandBufferShape(pool);
  int64_t rows = bandedRows(pool), bufRows = bandShape[2], wp = bandShape[3];
  // The band buffer holds the pool's padded input rows [y0 * S, (y1 - 1) *
  // S + KH) for a band of pool rows [y0, y1): the conv's rows there, and
  // the lowest value in the pool's padding (its columns filled once, rows
  // above and below the conv's output per band).
  Value band = scratchBuffer(pool, bandShape, b.getF32Type(), loc, bandedPoolBandOffset(pool));
  Value lowest = sc.lowest(b, loc);
  auto fill = [&](int64_t row, int64_t rowCount, int64_t col, int64_t colCount) {
    if (rowCount <= 0 || colCount <= 0)
      return;
    b.create<linalg::FillOp>(
        loc, lowest,
        b.create<memref::SubViewOp>(loc, band, SmallVector<int64_t>{0, 0, row, col},
                                    SmallVector<int64_t>{1, c, rowCount, colCount},
                                    SmallVector<int64_t>(4, 1))
            .getResult());
  };
  fillPadColumns(b, loc, reshapeBuffer(b, loc, band, {c * bufRows * wp}), Value(), c * bufRows,
                 wp, q[1], w, q[3], lowest);
  DirectConvSpace space = directConvSpace(conv);
  for (int64_t y0 = 0; y0 < oh; y0 += rows) {
    int64_t y1 = std::min(oh, y0 + rows);
    // Padded rows [p0, p1); the conv's rows [i0, i1) among them.
    int64_t p0 = y0 * ps[0], p1 = (y1 - 1) * ps[0] + k[0];
    int64_t i0 = std::max<int64_t>(p0 - q[0], 0), i1 = std::min(p1 - q[0], h);
    fill(0, i0 + q[0] - p0, q[1], w);
    fill(i1 + q[0] - p0, p1 - q[0] - i1, q[1], w);
    if (i0 < i1) {
      int64_t n = i1 - i0;
      Value win = stridedView(b, loc, x, {1, 1, cin, kh, kw, n, w},
                              {xs[0], cin * xs[1], xs[1], xs[2], 1, cs[0] * xs[2], cs[1]},
                              xOffset + i0 * cs[0] * xs[2]);
      Value interior = b.create<memref::SubViewOp>(
          loc, band, SmallVector<int64_t>{0, 0, i0 + q[0] - p0, q[1]},
          SmallVector<int64_t>{1, c, n, w}, SmallVector<int64_t>(4, 1));
      Value out6 = b.create<memref::ExpandShapeOp>(
          loc, SmallVector<int64_t>{1, 1, space.ob, space.blk, n, w}, interior,
          SmallVector<ReassociationIndices>{{0}, {1, 2, 3}, {4}, {5}});
      directConvKernel(conv, win, out6, Value());
    }
    // The pool's rows [y0, y1) from the band.
    if (failed(lowerStride2MaxPool(loc, band, out,
                                   {1, c, bufRows, wp, y1 - y0, ow, k[0], k[1], ps[0]}, y0, oh)))
      return failure();
  }
  return success();
}

void Lowering::initAccumulator(Location loc, Value out, Value bias,
                               ArrayRef<int64_t> biasShape, Value residual,
                               const Scalar &sc) {
  if (!bias && !residual) {
    b.create<linalg::FillOp>(loc, sc.cst(b, loc, 0), out);
    return;
  }
  auto shape = cast<MemRefType>(out.getType()).getShape();
  SmallVector<Value> ins;
  if (bias)
    ins.push_back(reshapeBuffer(b, loc, bufferOf(bias), biasShape));
  if (residual)
    ins.push_back(reshapeBuffer(b, loc, bufferOf(residual), shape));
  elementwise(loc, out, ins, [&](OpBuilder &nb, Location nl, ValueRange a) {
    return a.size() == 2 ? sc.add(nb, nl, a[0], a[1]) : a[0];
  });
}

LogicalResult Lowering::lowerPanelMatMul(mnn::MatMulOp op, Value out) {
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(op.getLhs().getType());
  auto outType = cast<RankedTensorType>(op.getType());
  if (!outType.getElementType().isF32())
    return op.emitOpError("rhs_panel needs f32 (the matmul microkernel)");
  // All lhs rows (batch dims included) against one [K, N] matrix.
  int64_t k = aType.getShape().back(), rows = aType.getNumElements() / k;
  int64_t n = outType.getShape().empty() ? 1 : outType.getShape().back();
  int64_t s = op.getRhsPanel(), panels = n / s, tail = n % s;
  Value a = reshapeBuffer(b, loc, bufferOf(op.getLhs()), {rows, k});
  Value rhs = bufferOf(op.getRhs());
  Value bias = op.getBias() ? bufferOf(op.getBias()) : Value();
  Value residual = op.getResidual() ? bufferOf(op.getResidual()) : Value();
  Value flatOut = reshapeBuffer(b, loc, out, {rows * n});
  if (bias)
    bias = reshapeBuffer(b, loc, bias, {n});
  if (residual)
    residual = reshapeBuffer(b, loc, residual, {rows * n});
  auto map = [&](unsigned numDims, ArrayRef<unsigned> dims) {
    SmallVector<AffineExpr> exprs;
    for (unsigned d : dims)
      exprs.push_back(getAffineDimExpr(d, ctx));
    return AffineMap::get(numDims, 0, exprs, ctx);
  };
  using IT = utils::IteratorType;
  // The full panels: dims (panel, row, lane | k), the panel a batch dim
  // outside the rows, so each parallel tile streams one panel.
  if (panels > 0) {
    enum { P, R, L, K };
    auto outView = [&](Value buf) {
      return stridedView(b, loc, buf, {rows, panels, s}, {n, s, 1});
    };
    buildKernel(loc, "matmul",
                {a, stridedView(b, loc, rhs, {panels, k, s}, {k * s, s, 1})},
                {map(4, {R, K}), map(4, {P, K, L})},
                bias ? stridedView(b, loc, bias, {panels, s}, {s, 1}) : Value(),
                map(4, {P, L}), residual ? outView(residual) : Value(),
                outView(flatOut), map(4, {R, P, L}),
                {IT::parallel, IT::parallel, IT::parallel, IT::reduction},
                epilogueOf(op));
  }
  // The last n % s columns: an ordinary row-major [K, tail] rhs.
  if (tail > 0) {
    enum { R, C, K };
    int64_t col = panels * s;
    auto outView = [&](Value buf) {
      return stridedView(b, loc, buf, {rows, tail}, {n, 1}, col);
    };
    buildKernel(loc, "matmul",
                {a, stridedView(b, loc, rhs, {k, tail}, {tail, 1}, panels * k * s)},
                {map(3, {R, K}), map(3, {K, C})},
                bias ? stridedView(b, loc, bias, {tail}, {1}, col) : Value(),
                map(3, {C}), residual ? outView(residual) : Value(),
                outView(flatOut), map(3, {R, C}),
                {IT::parallel, IT::parallel, IT::reduction}, epilogueOf(op));
  }
  return success();
}

LogicalResult Lowering::lowerMatMul(mnn::MatMulOp op, Value out) {
  if (op.getRhsPanel() != 0)
    return lowerPanelMatMul(op, out);
  Location loc = op.getLoc();
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(op.getLhs().getType());
  auto bType = cast<RankedTensorType>(op.getRhs().getType());
  SmallVector<int64_t> as(aType.getShape()), bs(bType.getShape());
  if (as.size() == 1)
    as.insert(as.begin(), 1);
  if (bs.size() == 1)
    bs.push_back(1);
  // A 2-D rhs shared by all batches: the batches' rows are the rows of one
  // product ([B..., M, K] x [K, N] as [B * M, K] x [K, N]), so a register
  // tile spans rows of several batches. The encoder layer's in-projection,
  // [16, 1, 64] x [64, 192], was 16 one-row products (4.7 us, 28% of the
  // layer after its softmax was vectorized). f32 (the microkernel) and
  // contiguous buffers only.
  if (bs.size() == 2 && as.size() > 2 && as.back() != 0 &&
      cast<RankedTensorType>(op.getType()).getElementType().isF32() &&
      isPlainBuffer(bufferOf(op.getLhs())) && isPlainBuffer(out) &&
      isPlainBuffer(op.getResidual() ? bufferOf(op.getResidual()) : Value())) {
    int64_t rows = 1;
    for (int64_t d : ArrayRef<int64_t>(as).drop_back())
      rows *= d;
    as = {rows, as.back()};
  }
  int64_t m = as[as.size() - 2], nn = bs.back();
  auto batchA = ArrayRef<int64_t>(as).drop_back(2);
  auto batchB = ArrayRef<int64_t>(bs).drop_back(2);
  auto batch = *mnn::broadcastShapes(batchA, batchB);
  Scalar sc(op.getType());
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

  using IT = utils::IteratorType;
  SmallVector<IT> its(numDims, IT::parallel);
  its.back() = IT::reduction;
  // f32 with a reduction: the microkernel, with the epilogue fused (see
  // lowerConv). K = 0: the initial value is the product.
  if (sc.storage.isF32() && as.back() != 0) {
    buildKernel(
        loc, "matmul", {aView, bView}, {aMap, bMap},
        op.getBias() ? reshapeBuffer(b, loc, bufferOf(op.getBias()), {nn}) : Value(),
        AffineMap::get(numDims, 0, {dim(dimN)}, ctx),
        op.getResidual() ? reshapeBuffer(b, loc, bufferOf(op.getResidual()), outShape)
                         : Value(),
        out3, outMap, its, epilogueOf(op));
    return success();
  }
  initAccumulator(loc, out3, op.getBias(), {nn}, op.getResidual(), sc);
  if (as.back() != 0)
    buildGeneric(b, loc, {aView, bView}, {aMap, bMap}, out3, outMap, its,
                 [&](OpBuilder &nb, Location nl, ValueRange a) {
                   return sc.add(nb, nl, a[2], sc.mul(nb, nl, a[0], a[1]));
                 });
  applyActivation(loc, out, epilogueOf(op));
  return success();
}

} // namespace mnn::lowering
