//===- IndexingOps.cpp - result types of the indexing ops -----------------===//
//
// Shape inference for the ops of MNNIndexingOps.td (arg_top_k, gather/scatter
// variants, one_hot, trilu, cumsum, log_softmax, class_weight). Inconsistent
// operands fail with a message naming both shapes, which the importer reports
// on the ONNX node.
//
//===----------------------------------------------------------------------===//
#include "mnn/MNNDialect.h"

#include "OpUtils.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using namespace mnn::detail;

namespace {

bool isIndexType(RankedTensorType t) {
  return isa<IntegerType>(t.getElementType()) &&
         t.getElementType().getIntOrFloatBitWidth() > 1;
}

} // namespace

MNN_INFER_SIGNATURE(ArgTopKOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = rankedOf(adaptor.getInput());
  int64_t axis = adaptor.getAxis(), k = adaptor.getK();
  if (!in || axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, "arg_top_k axis ", axis,
                             " out of range for the input");
  if (k < 0 || k > in.getDimSize(axis))
    return emitOptionalError(loc, "k = ", k, " is not in [0, ",
                             in.getDimSize(axis), "] (dim ", axis, " of ",
                             shapeStr(in.getShape()), ")");
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = k;
  results.push_back(
      RankedTensorType::get(shape, IntegerType::get(context, 64)));
  return success();
}

MNN_INFER_SIGNATURE(GatherElementsOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto data = rankedOf(adaptor.getData()), idx = rankedOf(adaptor.getIndices());
  int64_t axis = adaptor.getAxis();
  if (!data || !idx || !isIndexType(idx))
    return emitOptionalError(loc, "gather_elements needs integer indices");
  if (idx.getRank() != data.getRank() || axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "indices ", shapeStr(idx.getShape()),
                             " and data ", shapeStr(data.getShape()),
                             " must have the same rank (axis ", axis, ")");
  for (int64_t d = 0; d < data.getRank(); ++d)
    if (d != axis && idx.getDimSize(d) > data.getDimSize(d))
      return emitOptionalError(loc, "indices ", shapeStr(idx.getShape()),
                               " exceed data ", shapeStr(data.getShape()),
                               " in dim ", d);
  if (data.getDimSize(axis) == 0 && idx.getNumElements() != 0)
    return emitOptionalError(loc, "gather from an empty axis");
  results.push_back(
      RankedTensorType::get(idx.getShape(), data.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(GatherNDOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto data = rankedOf(adaptor.getData()), idx = rankedOf(adaptor.getIndices());
  int64_t b = adaptor.getBatchDims();
  if (!data || !idx || !isIndexType(idx) || idx.getRank() < 1)
    return emitOptionalError(loc, "gather_nd needs integer indices of rank >= 1");
  int64_t r = idx.getDimSize(idx.getRank() - 1);
  if (b < 0 || b >= idx.getRank() || b >= data.getRank() ||
      b + r > data.getRank())
    return emitOptionalError(loc, "gather_nd indices ", shapeStr(idx.getShape()),
                             " do not fit data ", shapeStr(data.getShape()),
                             " with batch_dims ", b);
  for (int64_t d = 0; d < b; ++d)
    if (idx.getDimSize(d) != data.getDimSize(d))
      return emitOptionalError(loc, "gather_nd batch dim ", d, " differs: ",
                               shapeStr(idx.getShape()), " vs ",
                               shapeStr(data.getShape()));
  for (int64_t d = b; d < b + r; ++d)
    if (data.getDimSize(d) == 0)
      return emitOptionalError(loc, "gather_nd from an empty dim");
  SmallVector<int64_t> shape(idx.getShape().drop_back());
  llvm::append_range(shape, data.getShape().drop_front(b + r));
  results.push_back(RankedTensorType::get(shape, data.getElementType()));
  return success();
}

static bool knownScatterReduction(StringRef r) {
  return llvm::is_contained({"none", "add", "mul", "max", "min"}, r);
}

MNN_INFER_SIGNATURE(ScatterElementsOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto data = rankedOf(adaptor.getData()), idx = rankedOf(adaptor.getIndices()),
       upd = rankedOf(adaptor.getUpdates());
  int64_t axis = adaptor.getAxis();
  if (!data || !idx || !upd || !isIndexType(idx))
    return emitOptionalError(loc, "scatter_elements needs integer indices");
  if (!knownScatterReduction(adaptor.getReduction()))
    return emitOptionalError(loc, "unknown reduction '", adaptor.getReduction(),
                             "'");
  if (idx.getShape() != upd.getShape() ||
      upd.getElementType() != data.getElementType() ||
      idx.getRank() != data.getRank() || axis < 0 || axis >= data.getRank())
    return emitOptionalError(loc, "indices ", shapeStr(idx.getShape()),
                             " and updates ", shapeStr(upd.getShape()),
                             " must match each other and the rank and type of "
                             "data ", shapeStr(data.getShape()));
  for (int64_t d = 0; d < data.getRank(); ++d)
    if (d != axis && idx.getDimSize(d) > data.getDimSize(d))
      return emitOptionalError(loc, "indices ", shapeStr(idx.getShape()),
                               " exceed data ", shapeStr(data.getShape()),
                               " in dim ", d);
  if (data.getDimSize(axis) == 0 && idx.getNumElements() != 0)
    return emitOptionalError(loc, "scatter into an empty axis");
  results.push_back(data);
  return success();
}

MNN_INFER_SIGNATURE(ScatterNDOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto data = rankedOf(adaptor.getData()), idx = rankedOf(adaptor.getIndices()),
       upd = rankedOf(adaptor.getUpdates());
  if (!data || !idx || !upd || !isIndexType(idx) || idx.getRank() < 1)
    return emitOptionalError(loc, "scatter_nd needs integer indices of rank >= 1");
  if (!knownScatterReduction(adaptor.getReduction()))
    return emitOptionalError(loc, "unknown reduction '", adaptor.getReduction(),
                             "'");
  int64_t r = idx.getDimSize(idx.getRank() - 1);
  SmallVector<int64_t> want(idx.getShape().drop_back());
  if (r > data.getRank())
    return emitOptionalError(loc, "scatter_nd index length ", r,
                             " exceeds the data rank");
  llvm::append_range(want, data.getShape().drop_front(r));
  if (upd.getShape() != ArrayRef<int64_t>(want) ||
      upd.getElementType() != data.getElementType())
    return emitOptionalError(loc, "scatter_nd updates ", shapeStr(upd.getShape()),
                             " should be ", shapeStr(want), " for indices ",
                             shapeStr(idx.getShape()), " and data ",
                             shapeStr(data.getShape()));
  for (int64_t d = 0; d < r; ++d)
    if (data.getDimSize(d) == 0 && idx.getNumElements() != 0)
      return emitOptionalError(loc, "scatter_nd into an empty dim");
  results.push_back(data);
  return success();
}

MNN_INFER_SIGNATURE(OneHotOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto idx = rankedOf(adaptor.getIndices()), values = rankedOf(adaptor.getValues());
  int64_t depth = adaptor.getDepth(), axis = adaptor.getAxis();
  if (!idx || !values || values.getNumElements() != 2)
    return emitOptionalError(loc, "one_hot needs two values [off, on]");
  if (depth <= 0 || axis < 0 || axis > idx.getRank())
    return emitOptionalError(loc, "one_hot depth ", depth, " or axis ", axis,
                             " is invalid");
  SmallVector<int64_t> shape(idx.getShape());
  shape.insert(shape.begin() + axis, depth);
  results.push_back(RankedTensorType::get(shape, values.getElementType()));
  return success();
}

MNN_INFER_SIGNATURE(TriluOp) {
  auto in = rankedOf(operands[0]);
  if (!in || in.getRank() < 2)
    return emitOptionalError(loc, "trilu needs a rank >= 2 input");
  results.push_back(in);
  return success();
}

/// Ops along one axis whose result has the input's type.
static LogicalResult inferSameAlongAxis(std::optional<Location> loc, Value input,
                                        int64_t axis, StringRef opName,
                                        SmallVectorImpl<Type> &results) {
  auto in = rankedOf(input);
  if (!in || axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, opName, " axis out of range");
  results.push_back(in);
  return success();
}

MNN_INFER_SIGNATURE(CumSumOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  return inferSameAlongAxis(loc, adaptor.getInput(), adaptor.getAxis(), "cumsum",
                            results);
}

MNN_INFER_SIGNATURE(LogSoftmaxOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  return inferSameAlongAxis(loc, adaptor.getInput(), adaptor.getAxis(),
                            "log_softmax", results);
}

MNN_INFER_SIGNATURE(ClassWeightOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto target = rankedOf(adaptor.getTarget());
  if (!target || !isIndexType(target))
    return emitOptionalError(loc, "the target must be integer class indices");
  if ((int64_t)adaptor.getClasses() <= 0)
    return emitOptionalError(loc, "there must be at least one class");
  if (Value w = adaptor.getWeight()) {
    auto wt = rankedOf(w);
    if (!wt || wt.getRank() != 1 || wt.getDimSize(0) != (int64_t)adaptor.getClasses() ||
        !wt.getElementType().isF32())
      return emitOptionalError(loc, "the weight must be f32 with one entry per "
                                    "class (", adaptor.getClasses(), ")");
  }
  results.push_back(
      RankedTensorType::get(target.getShape(), Float32Type::get(context)));
  return success();
}
