//===- ShapeInference.cpp - result types of mnn ops -----------------------===//
//
// Every op with InferTypeOpInterface computes its static result type here, so
// the importer never guesses shapes and the verifier rejects inconsistent IR
// with a message that names the mismatch.
//
//===----------------------------------------------------------------------===//
#include "mnn/MNNDialect.h"

#include "OpUtils.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using llvm::SmallVector;
using namespace mnn::detail;

namespace mnn {

FailureOr<SmallVector<int64_t>> broadcastShapes(ArrayRef<int64_t> a,
                                                ArrayRef<int64_t> b) {
  size_t rank = std::max(a.size(), b.size());
  SmallVector<int64_t> out(rank);
  for (size_t i = 0; i < rank; ++i) {
    int64_t da = i < rank - a.size() ? 1 : a[i - (rank - a.size())];
    int64_t db = i < rank - b.size() ? 1 : b[i - (rank - b.size())];
    if (da != db && da != 1 && db != 1)
      return failure();
    out[i] = da == 1 ? db : da;
  }
  return out;
}

} // namespace mnn

namespace {

LogicalResult inferBroadcast(std::optional<Location> loc, ValueRange operands,
                             SmallVectorImpl<Type> &results) {
  auto a = rankedOf(operands[0]), b = rankedOf(operands[1]);
  if (!a || !b)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             a.getElementType(), " vs ", b.getElementType());
  auto shape = mnn::broadcastShapes(a.getShape(), b.getShape());
  if (failed(shape))
    return emitOptionalError(loc, "shapes ", shapeStr(a.getShape()), " and ",
                             shapeStr(b.getShape()),
                             " are not broadcast-compatible");
  results.push_back(RankedTensorType::get(*shape, a.getElementType()));
  return success();
}

LogicalResult inferSameAsFirst(ValueRange operands,
                               SmallVectorImpl<Type> &results) {
  results.push_back(operands[0].getType());
  return success();
}

// Output length of a conv/pool window along one dim.
int64_t windowOut(int64_t in, int64_t k, int64_t stride, int64_t dil,
                  int64_t padBegin, int64_t padEnd) {
  int64_t effective = dil * (k - 1) + 1;
  return (in + padBegin + padEnd - effective) / stride + 1;
}

} // namespace

#define MNN_INFER_BROADCAST(OP)                                                \
  MNN_INFER_SIGNATURE(OP) { return inferBroadcast(loc, operands, results); }
MNN_INFER_BROADCAST(AddOp)
MNN_INFER_BROADCAST(SubOp)
MNN_INFER_BROADCAST(MulOp)
MNN_INFER_BROADCAST(DivOp)
MNN_INFER_BROADCAST(PowOp)

#define MNN_INFER_SAME(OP)                                                     \
  MNN_INFER_SIGNATURE(OP) { return inferSameAsFirst(operands, results); }
MNN_INFER_SAME(NegOp)
MNN_INFER_SAME(ReluOp)
MNN_INFER_SAME(SigmoidOp)
MNN_INFER_SAME(TanhOp)
MNN_INFER_SAME(ExpOp)
MNN_INFER_SAME(SqrtOp)
MNN_INFER_SAME(ErfOp)
MNN_INFER_SAME(ReciprocalOp)
MNN_INFER_SAME(HardSwishOp)
MNN_INFER_SAME(GeluOp)
MNN_INFER_SAME(HardSigmoidOp)
MNN_INFER_SAME(ClipOp)
MNN_INFER_SAME(SoftmaxOp)
MNN_INFER_SAME(LayerNormOp)
MNN_INFER_SAME(BatchNormOp)

MNN_INFER_SIGNATURE(ConstantOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  results.push_back(adaptor.getValue().getType());
  return success();
}

MNN_INFER_SIGNATURE(Conv2DOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto input = rankedOf(adaptor.getInput());
  auto filter = rankedOf(adaptor.getFilter());
  if (!input || !filter || input.getRank() != 4)
    return emitOptionalError(loc, "conv2d expects a 4-D NCHW input");
  ArrayRef<int64_t> s = adaptor.getStrides(), p = adaptor.getPads(),
                    d = adaptor.getDilations();
  if (s.size() != 2 || p.size() != 4 || d.size() != 2)
    return emitOptionalError(loc, "conv2d expects 2 strides, 4 pads, 2 dilations");
  auto fs = filter.getShape();
  int64_t cout, kh, kw;
  if (adaptor.getFilterLayout() == "oihw" && fs.size() == 4) {
    cout = fs[0];
    kh = fs[2];
    kw = fs[3];
  } else if (adaptor.getFilterLayout() == "hwigo" && fs.size() == 5) {
    cout = fs[3] * fs[4];
    kh = fs[0];
    kw = fs[1];
  } else if (adaptor.getFilterLayout() == "bhwigo" && fs.size() == 6) {
    cout = fs[4] * fs[0] * fs[5];
    kh = fs[1];
    kw = fs[2];
  } else if (((adaptor.getFilterLayout() == "winograd4" ||
               adaptor.getFilterLayout() == "winograd4t") &&
              fs.size() == 4 && fs[0] == 36) ||
             ((adaptor.getFilterLayout() == "winograd2" ||
               adaptor.getFilterLayout() == "winograd2t") &&
              fs.size() == 4 && fs[0] == 16)) {
    // [(m+2)^2, Cout/S, Cin, S]: a transformed 3x3 filter (mnn-pack-weights).
    // Tiles as lanes, the last panel of S <= 8 channels may be padded with
    // zero channels: Cout is the multiple of 8 just below the panels'.
    cout = fs[1] * fs[3];
    bool tilesAsLanes = adaptor.getFilterLayout() == "winograd4t" ||
                        adaptor.getFilterLayout() == "winograd2t";
    if (tilesAsLanes && fs[3] <= 8)
      cout = cout / 8 * 8;
    kh = kw = 3;
  } else {
    return emitOptionalError(loc, "conv2d filter of shape ", shapeStr(fs),
                             " does not match filter_layout ",
                             adaptor.getFilterLayout());
  }
  int64_t oh = windowOut(input.getDimSize(2), kh, s[0], d[0], p[0], p[2]);
  int64_t ow = windowOut(input.getDimSize(3), kw, s[1], d[1], p[1], p[3]);
  if (oh <= 0 || ow <= 0)
    return emitOptionalError(loc, "conv2d output would be empty: input ",
                             shapeStr(input.getShape()), ", kernel ", kh, "x",
                             kw);
  results.push_back(RankedTensorType::get({input.getDimSize(0), cout, oh, ow},
                                          input.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(MatMulOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto a = rankedOf(adaptor.getLhs()), b = rankedOf(adaptor.getRhs());
  if (!a || !b || a.getRank() < 1 || b.getRank() < 1)
    return emitOptionalError(loc, "matmul expects ranked operands");
  SmallVector<int64_t> as(a.getShape()), bs(b.getShape());
  // Panel-packed rhs: a flat [K * N] matrix, K from the lhs.
  if (auto panel = static_cast<int64_t>(adaptor.getRhsPanel()); panel != 0) {
    int64_t k = as.back();
    if (panel < 0 || bs.size() != 1 || k <= 0 || bs[0] % k != 0)
      return emitOptionalError(loc, "matmul rhs_panel ", panel,
                               " needs a flat rhs of K x N elements (K = ", k,
                               "), got ", shapeStr(b.getShape()));
    bs = {k, bs[0] / k};
  }
  bool aVec = as.size() == 1, bVec = bs.size() == 1;
  if (aVec)
    as.insert(as.begin(), 1);
  if (bVec)
    bs.push_back(1);
  int64_t k = as.back();
  if (bs[bs.size() - 2] != k)
    return emitOptionalError(loc, "matmul inner dims differ: ",
                             shapeStr(a.getShape()), " x ",
                             shapeStr(b.getShape()));
  auto batch = mnn::broadcastShapes(ArrayRef<int64_t>(as).drop_back(2),
                                    ArrayRef<int64_t>(bs).drop_back(2));
  if (failed(batch))
    return emitOptionalError(loc, "matmul batch dims don't broadcast: ",
                             shapeStr(a.getShape()), " x ",
                             shapeStr(b.getShape()));
  SmallVector<int64_t> out(*batch);
  if (!aVec)
    out.push_back(as[as.size() - 2]);
  if (!bVec)
    out.push_back(bs.back());
  results.push_back(RankedTensorType::get(out, a.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(ReduceOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = rankedOf(adaptor.getInput());
  if (!in)
    return emitOptionalError(loc, "reduce expects a ranked input");
  SmallVector<int64_t> out;
  for (int64_t i = 0; i < in.getRank(); ++i) {
    bool reduced = llvm::is_contained(adaptor.getAxes(), i);
    if (!reduced)
      out.push_back(in.getDimSize(i));
    else if (adaptor.getKeepdims())
      out.push_back(1);
  }
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(Pool2DOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = rankedOf(adaptor.getInput());
  ArrayRef<int64_t> k = adaptor.getKernel(), s = adaptor.getStrides(),
                    p = adaptor.getPads(), d = adaptor.getDilations();
  if (!in || in.getRank() != 4 || k.size() != 2 || s.size() != 2 ||
      p.size() != 4 || d.size() != 2)
    return emitOptionalError(loc, "pool2d expects a 4-D input, 2-D kernel, "
                                  "strides and dilations and 4 pads");
  int64_t oh = windowOut(in.getDimSize(2), k[0], s[0], d[0], p[0], p[2]);
  int64_t ow = windowOut(in.getDimSize(3), k[1], s[1], d[1], p[1], p[3]);
  if (oh <= 0 || ow <= 0)
    return emitOptionalError(loc, "pool2d output would be empty");
  results.push_back(RankedTensorType::get(
      {in.getDimSize(0), in.getDimSize(1), oh, ow}, in.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(TransposeOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = rankedOf(adaptor.getInput());
  ArrayRef<int64_t> perm = adaptor.getPerm();
  if (!in || (int64_t)perm.size() != in.getRank())
    return emitOptionalError(loc, "transpose perm must have one entry per dim");
  SmallVector<int64_t> out;
  for (int64_t p : perm) {
    if (p < 0 || p >= in.getRank())
      return emitOptionalError(loc, "transpose perm entry out of range");
    out.push_back(in.getDimSize(p));
  }
  results.push_back(RankedTensorType::get(out, in.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(ConcatOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  if (operands.empty())
    return emitOptionalError(loc, "concat needs at least one input");
  auto first = rankedOf(operands[0]);
  int64_t axis = adaptor.getAxis();
  if (!first || axis < 0 || axis >= first.getRank())
    return emitOptionalError(loc, "concat axis out of range");
  SmallVector<int64_t> out(first.getShape());
  out[axis] = 0;
  for (Value v : operands) {
    auto t = rankedOf(v);
    if (!t || t.getRank() != first.getRank() ||
        t.getElementType() != first.getElementType())
      return emitOptionalError(loc, "concat inputs differ in rank or type");
    for (int64_t i = 0; i < t.getRank(); ++i)
      if (i != axis && t.getDimSize(i) != first.getDimSize(i))
        return emitOptionalError(loc, "concat inputs differ in dim ", i, ": ",
                                 shapeStr(first.getShape()), " vs ",
                                 shapeStr(t.getShape()));
    out[axis] += t.getDimSize(axis);
  }
  results.push_back(RankedTensorType::get(out, first.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(SliceOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = rankedOf(adaptor.getInput());
  if (!in || (int64_t)adaptor.getSizes().size() != in.getRank())
    return emitOptionalError(loc, "slice needs one size per dim");
  results.push_back(
      RankedTensorType::get(adaptor.getSizes(), in.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(GatherOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto data = rankedOf(adaptor.getData());
  auto idx = rankedOf(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (!data || !idx || axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "gather axis out of range");
  SmallVector<int64_t> out(data.getShape().take_front(axis));
  out.append(idx.getShape().begin(), idx.getShape().end());
  out.append(data.getShape().begin() + axis + 1, data.getShape().end());
  results.push_back(RankedTensorType::get(out, data.getElementType()));
  return success();
}
