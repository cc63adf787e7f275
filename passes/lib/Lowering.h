//===- Lowering.h - state shared by the lowering files ---------*- C++ -*-===//
//
// LowerToLinalg walks the entry function once; each op family lowers in a
// file of its own (LowerConvMatMul, LowerReductions, LowerDataMovement,
// LowerElementwise). This header is private to those files.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_LOWERING_H
#define MNN_PASSES_LOWERING_H

#include "KernelEpilogue.h"
#include "mnn/BufferInfo.h"
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/Dialect/Utils/StructuredOpsUtils.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/Matchers.h"

#include <functional>

namespace mnn::lowering {

using namespace mlir;
using llvm::SmallVector;

using BodyFn = std::function<Value(OpBuilder &, Location, ValueRange)>;

/// Buffer element type of a tensor element type: integers signless (the
/// tensor type keeps ONNX signedness), bool as one byte (i8).
Type storageType(Type elt);
/// The buffer type of a tensor type (storage element type).
MemRefType memrefOf(Type tensorType);
Value f32Const(OpBuilder &b, Location loc, double v);
SmallVector<int64_t> contiguousStrides(ArrayRef<int64_t> shape);
/// Reinterprets a contiguous buffer with another static shape (same element
/// count) as an identity-layout memref.
Value reshapeBuffer(OpBuilder &b, Location loc, Value buf,
                    ArrayRef<int64_t> shape);
/// True for a memref with an identity layout (contiguous and row-major, so
/// reshapeBuffer takes it without a copy) and for no value (an absent
/// optional operand).
bool isPlainBuffer(Value buf);
/// Fills with `value` the pad columns of `rows` consecutive rows of the
/// 1-D buffer `flat`, `wp` elements apart from element `start` on (null: 0),
/// each row being `left` pad, `w` image and `right` pad elements. A row's
/// right pad and the next row's left pad are adjacent (across channel planes
/// too where the rows run on): one run, one short vector store per row. (A
/// fill or a store per column element became scatters of single floats.)
/// With `firstLeftOnly`, only the first row's left pad: the producer wrote
/// the rest (mnn::kPadRunAttr).
void fillPadColumns(OpBuilder &b, Location loc, Value flat, Value start, int64_t rows,
                    int64_t wp, int64_t left, int64_t w, int64_t right, Value value,
                    bool firstLeftOnly = false);
/// A strided view of a contiguous static buffer (for conv/pool windows),
/// starting `offset` elements into it.
Value stridedView(OpBuilder &b, Location loc, Value buf,
                  ArrayRef<int64_t> sizes, ArrayRef<int64_t> strides,
                  int64_t offset = 0);
/// An scf.parallel over [0, bounds) with unit steps (its iterations become
/// thread-pool tasks); the builder is left at the start of its body.
scf::ParallelOp parallelOver(OpBuilder &b, Location loc, ArrayRef<int64_t> bounds);
/// Builds a linalg.generic over `outShape` reading `ins` with the given maps.
linalg::GenericOp buildGeneric(OpBuilder &b, Location loc, ValueRange ins,
                               ArrayRef<AffineMap> inMaps, Value out,
                               AffineMap outMap,
                               ArrayRef<utils::IteratorType> iterators,
                               BodyFn body);
/// A float constant of type `t` (f32 or f64).
Value floatConst(OpBuilder &b, Location loc, Type t, double v);

/// The fused activation of a conv or matmul.
template <typename OpT>
KernelEpilogue epilogueOf(OpT op) {
  return {op.getActivation().str(), op.getClipMin().convertToDouble(),
          op.getClipMax().convertToDouble()};
}

/// Scalar arithmetic for the kernels that are generic over the element type
/// (reductions, pooling, matmul, conv): floats compute in their own type
/// (f16 was widened to f32 by mnn-widen-f16), integers in their signless
/// storage type with the tensor type's signedness picking max/min/division,
/// bool as a 0/1 byte (max/min are or/and, as unsigned max/min).
struct Scalar {
  Type storage;
  bool isFloat = false, isUnsigned = false, isBool = false;
  explicit Scalar(Type tensorType);
  Value cst(OpBuilder &b, Location loc, double v) const;
  /// The identity of max (-inf or the type's minimum) and of min.
  Value lowest(OpBuilder &b, Location loc) const;
  Value highest(OpBuilder &b, Location loc) const;
  Value add(OpBuilder &b, Location loc, Value x, Value y) const;
  Value mul(OpBuilder &b, Location loc, Value x, Value y) const;
  Value max(OpBuilder &b, Location loc, Value x, Value y) const;
  Value min(OpBuilder &b, Location loc, Value x, Value y) const;
  Value abs(OpBuilder &b, Location loc, Value x) const;
};

using mnn::activationBody;

/// Indexing ops whose kernels handle any int/float element type
/// (LowerIndexing.cpp).
bool lowersAnyElementType(Operation *op);

struct Lowering {
  ModuleOp module;
  func::FuncOp source;
  func::FuncOp target;
  OpBuilder b;
  bool profile = false;
  SmallVector<Attribute> profiledOps;
  DenseMap<Value, Value> buffers;
  /// Interior view -> whole padded buffer, for tensors stored padded
  /// (mnn::paddedStorage).
  DenseMap<Value, Value> paddedBuffers;
  /// Padded buffers whose producer zeroes the column pads (kPadRunAttr).
  llvm::DenseSet<Value> padRunBuffers;
  /// NCHW view -> its [N, H, C, W] buffer, for tensors stored in whole-row
  /// pixel panels (mnn::panelStorage).
  DenseMap<Value, Value> panelBuffers;
  SmallVector<Value> outputs;
  Value arena;
  /// The thread pool argument (!llvm.ptr; NULL at run time on one thread).
  Value pool;
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
  /// A view of `op`'s scratch space, `byteOffset` bytes into it.
  Value scratchBuffer(Operation *op, ArrayRef<int64_t> shape, Type elt,
                      Location loc, int64_t byteOffset = 0) {
    int64_t offset =
        cast<IntegerAttr>(op->getAttr("mnn.scratch_offset")).getInt() +
        byteOffset;
    Value off = b.create<arith::ConstantIndexOp>(loc, offset);
    return b.create<memref::ViewOp>(loc, MemRefType::get(shape, elt), arena,
                                     off, ValueRange{});
  }
  Value constantBuffer(ElementsAttr value, Location loc);
  /// The declaration of runtime function `name` (runtime_abi.h), added to
  /// the module on first use.
  func::FuncOp runtimeFunction(StringRef name, FunctionType type);

  // Building blocks.
  void elementwise(Location loc, Value out, ValueRange ins, BodyFn body);
  void copy(Location loc, Value from, Value to) {
    b.create<linalg::CopyOp>(loc, from, to);
  }
  /// `input` (NCHW) padded on H/W with `fill` (of the buffer's type) in
  /// the op's scratch space; `input` itself without padding.
  Value padded(Operation *op, Value input, ArrayRef<int64_t> pads, Value fill,
               Location loc, SmallVectorImpl<int64_t> &paddedShape);
  /// An f32 kernel op (KernelEpilogue.h) tagged mnn.kernel = `kind`:
  ///   out = act(bias + residual + sum over the reduction of a * b),
  /// with `bias` (viewed for `biasMap`) and `residual` (viewed like the
  /// output) each optional (null).
  linalg::GenericOp buildKernel(Location loc, StringRef kind,
                                ArrayRef<Value> operands,
                                ArrayRef<AffineMap> operandMaps, Value bias,
                                AffineMap biasMap, Value residual, Value out,
                                AffineMap outMap,
                                ArrayRef<utils::IteratorType> iterators,
                                const KernelEpilogue &epilogue);
  /// The epilogue's activation as an elementwise op over `out`.
  void applyActivation(Location loc, Value out, const KernelEpilogue &epilogue);
  /// The accumulator's initial value for a non-fused kernel: bias (viewed
  /// as `biasShape`, broadcast) plus residual, or zero.
  void initAccumulator(Location loc, Value out, Value bias,
                       ArrayRef<int64_t> biasShape, Value residual,
                       const Scalar &sc);

  LogicalResult lowerConv(mnn::Conv2DOp op, Value out);
  /// A direct conv's iteration space n g ob oi oh ow | kh kw cg (output
  /// channel og = ob * blk + oi): its filter buffer viewed for its layout,
  /// the indexing maps of the windows, filter, bias and output, and the
  /// iterator types.
  struct DirectConvSpace {
    Value filter;
    AffineMap windows, filterMap, bias, out;
    SmallVector<utils::IteratorType> iterators;
    int64_t blk = 1, ob = 1;
  };
  DirectConvSpace directConvSpace(mnn::Conv2DOp op);
  /// The f32 kernel op of a direct conv over `windows` ([N, G, Cin/G, KH,
  /// KW, OH, OW]) into `out6` ([N, G, Cout/G/B, B, OH, OW]; B the weights'
  /// block), `residual6` (like out6) optional.
  linalg::GenericOp directConvKernel(mnn::Conv2DOp op, Value windows, Value out6,
                                     Value residual6);
  /// A depthwise conv computed in bands of rows, each from the rows of its
  /// input that the pointwise conv `pw` computes into a band buffer just
  /// before (BufferInfo.h's bandedReader).
  LogicalResult lowerBandedDepthwise(mnn::Conv2DOp pw, mnn::Conv2DOp dw, Value out);
  /// A 1x1 conv reading its input repacked in pixel panels of `rows`
  /// (BufferInfo.h's packedInputRows; LowerPackedInputConv.cpp).
  LogicalResult lowerPackedInputConv(mnn::Conv2DOp op, Value out, int64_t rows);
  /// The kernel ops of a packed-input conv over its panels `packed`
  /// (flat, [N, panels, KH, KW, C, R]).
  LogicalResult packedInputKernels(mnn::Conv2DOp op, Value out, int64_t rows, Value packed);
  /// A depthwise conv reading its input repacked in channel blocks of
  /// `lanes` (BufferInfo.h's blockedInputLanes; LowerBlockedDepthwiseConv.cpp).
  LogicalResult lowerBlockedDepthwiseConv(mnn::Conv2DOp op, Value out, int64_t lanes);
  /// A conv with a "winograd4"/"winograd2" filter (LowerWinograd.cpp).
  LogicalResult lowerWinogradConv(mnn::Conv2DOp op, Value out);
  LogicalResult lowerMatMul(mnn::MatMulOp op, Value out);
  /// A matmul whose rhs is stored as column panels (rhs_panel).
  LogicalResult lowerPanelMatMul(mnn::MatMulOp op, Value out);
  LogicalResult lowerPool(mnn::Pool2DOp op, Value out);
  /// A float max pool with stride 2 along the width, in vector code
  /// (g = n, c, padded h and w, oh, ow, kh, kw, stride along h). Its oh
  /// rows go to rows [outRow, outRow + oh) of `out`, whose planes have
  /// `outRows` rows (-1: oh).
  LogicalResult lowerStride2MaxPool(Location loc, Value input, Value out,
                                    ArrayRef<int64_t> g, int64_t outRow = 0,
                                    int64_t outRows = -1);
  /// The conv producing a max pool's input, banded into the pool
  /// (mnn::bandedReader): per band of pool rows, the conv's rows it reads
  /// into the pool's band buffer, then the pool over them.
  LogicalResult lowerBandedPool(mnn::Conv2DOp conv, mnn::Pool2DOp pool, Value out);
  LogicalResult lowerReduce(mnn::ReduceOp op, Value out);
  /// A float sum/mean/max/min of each of `rows` contiguous runs of `len`
  /// elements, in vector code.
  LogicalResult lowerRowReduce(Location loc, Value input, Value out, int64_t rows,
                               int64_t len, StringRef kind, const Scalar &sc);
  LogicalResult lowerSoftmax(mnn::SoftmaxOp op, Value out);
  LogicalResult lowerSoftmaxRows(Location loc, Value input, Value out,
                                 RankedTensorType type, int64_t axis,
                                 bool logForm);
  /// Softmax (or log-softmax) of each of `rows` contiguous f32 runs of `len`
  /// elements, in vector code, the rows in parallel.
  LogicalResult lowerSoftmaxVectorRows(Location loc, Value input, Value out,
                                       int64_t rows, int64_t len, bool logForm);
  LogicalResult lowerLayerNorm(mnn::LayerNormOp op, Value out);
  /// Layer norm of each of `rows` contiguous f32 runs of `len` elements
  /// (`in`, `o` [rows * len]; `scale`, `bias` [len], bias optional), in
  /// vector code, the rows in parallel.
  void lowerLayerNormVectorRows(Location loc, Value in, Value o, Value scale,
                                Value bias, int64_t rows, int64_t len, double epsilon);
  LogicalResult lowerTranspose(mnn::TransposeOp op, Value out);
  LogicalResult lowerConcat(mnn::ConcatOp op, Value out);
  LogicalResult lowerSlice(mnn::SliceOp op, Value out);
  LogicalResult lowerGather(mnn::GatherOp op, Value out);
  LogicalResult lowerCast(mnn::CastOp op, Value out);
  LogicalResult lowerBitCast(mnn::BitCastOp op, Value out);
  LogicalResult lowerElementwise(Operation *op, Value out);
  LogicalResult lowerGridSample(mnn::GridSampleOp op, Value out);
  /// A call of libm's `name` (f32: name + "f"), declared on first use.
  Value libmCall(OpBuilder &nb, Location loc, StringRef name, ValueRange args);
  // Indexing ops (LowerIndexing.cpp) and log_softmax (LowerReductions.cpp).
  LogicalResult lowerLogSoftmax(mnn::LogSoftmaxOp op, Value out);
  LogicalResult lowerArgTopK(mnn::ArgTopKOp op, Value out);
  LogicalResult lowerGatherElements(mnn::GatherElementsOp op, Value out);
  LogicalResult lowerGatherND(mnn::GatherNDOp op, Value out);
  LogicalResult lowerScatterElements(mnn::ScatterElementsOp op, Value out);
  LogicalResult lowerScatterND(mnn::ScatterNDOp op, Value out);
  LogicalResult lowerOneHot(mnn::OneHotOp op, Value out);
  LogicalResult lowerTrilu(mnn::TriluOp op, Value out);
  LogicalResult lowerCumSum(mnn::CumSumOp op, Value out);
  LogicalResult lowerClassWeight(mnn::ClassWeightOp op, Value out);
  // LowerSpatial.cpp
  LogicalResult lowerPad(mnn::PadOp op, Value out);
  LogicalResult lowerBroadcast(mnn::BroadcastOp op, Value out);
  LogicalResult lowerResample(mnn::ResampleOp op, Value out);
};

} // namespace mnn::lowering

#endif // MNN_PASSES_LOWERING_H
