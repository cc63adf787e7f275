//===- OnnxReductionOps.cpp - Reduce*, Arg*, TopK, CumSum, (Log)Softmax-likes --===//
//
// Reductions over axes (all Reduce* ops), index-of-extreme ops (ArgMax,
// ArgMin, TopK, Hardmax), LogSoftmax and CumSum. Axes come from attributes
// (older opsets) or constant inputs (ReduceSum from 13, the others from 18);
// TopK's k and CumSum's axis must fold to constants too. Reductions of
// constant inputs (shape arithmetic) are evaluated here.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

/// Shape of `shape` with the dims in `axes` removed (or kept as 1).
Ints reducedShape(ArrayRef<int64_t> shape, ArrayRef<int64_t> axes, bool keep) {
  Ints out;
  for (int64_t i = 0; i < (int64_t)shape.size(); ++i) {
    if (!llvm::is_contained(axes, i))
      out.push_back(shape[i]);
    else if (keep)
      out.push_back(1);
  }
  return out;
}

//===----------------------------------------------------------------------===//
// Reduce*
//===----------------------------------------------------------------------===//

/// Axes of a Reduce* node: attribute before `axesInputOpset`, input after.
/// nullopt means "not given or empty": all axes, or identity with
/// noop_with_empty_axes.
FailureOr<std::optional<Ints>> reduceAxes(NodeContext &n,
                                          int64_t axesInputOpset) {
  // An axes input of static shape [0] is empty whatever feeds it.
  if (n.opset >= axesInputOpset && n.hasInput(1) &&
      NodeContext::typeOf(n.inputs[1]).getNumElements() == 0)
    return std::optional<Ints>();
  auto given = n.intsInputOrAttr(1, "axes", axesInputOpset);
  if (failed(given))
    return failure();
  std::optional<Ints> axes = *given;
  if (axes && axes->empty())
    axes.reset();
  return axes;
}

/// Evaluates a reduction of a constant (shape arithmetic) in double.
Value evaluateReduce(NodeContext &n, ElementsAttr value, StringRef kind,
                     ArrayRef<int64_t> axes, bool keep) {
  auto type = cast<RankedTensorType>(value.getType());
  ArrayRef<int64_t> shape = type.getShape();
  int64_t rank = shape.size();
  Ints kept = reducedShape(shape, axes, /*keep=*/true);
  double init = kind == "max"    ? -std::numeric_limits<double>::infinity()
                : kind == "min"  ? std::numeric_limits<double>::infinity()
                : kind == "prod" ? 1.0
                                 : 0.0;
  std::vector<double> acc(product(kept), init);
  auto values = *mnn::getAsDoubles(value);
  for (int64_t i = 0, e = values.size(); i < e; ++i) {
    int64_t rest = i, outIndex = 0, stride = 1;
    for (int64_t d = rank - 1; d >= 0; --d) {
      int64_t idx = rest % shape[d];
      rest /= shape[d];
      if (kept[d] != 1)
        outIndex += idx * stride;
      stride *= kept[d];
    }
    double v = values[i], &a = acc[outIndex];
    if (kind == "max")
      a = std::max(a, v);
    else if (kind == "min")
      a = std::min(a, v);
    else if (kind == "prod")
      a *= v;
    else if (kind == "l1")
      a += std::fabs(v);
    else if (kind == "l2" || kind == "sum_square")
      a += v * v;
    else
      a += v;
  }
  int64_t count = product(shape) / std::max<int64_t>(product(kept), 1);
  for (double &a : acc) {
    if (kind == "mean")
      a /= count;
    else if (kind == "l2")
      a = std::sqrt(a);
    else if (kind == "log_sum")
      a = std::log(a);
  }
  auto outType =
      RankedTensorType::get(reducedShape(shape, axes, keep), type.getElementType());
  return n.constant(mnn::makeElementsFromDoubles(outType, acc));
}

/// kind: a mnn.reduce kind, or "log_sum_exp" (decomposed for stability as
/// m + log(sum(exp(x - m))) with m the max).
LogicalResult convertReduce(NodeContext &n, StringRef kind,
                            int64_t axesInputOpset) {
  auto x = n.input(0, "data");
  auto given = reduceAxes(n, axesInputOpset);
  if (failed(x) || failed(given))
    return failure();
  int64_t rank = rankOf(*x);
  Ints axes;
  if (*given) {
    auto normalized = n.normalizeAxes(**given, rank);
    if (failed(normalized))
      return failure();
    axes = *normalized;
  } else {
    // noop_with_empty_axes exists from the opset that made axes an input.
    if (n.getInt("noop_with_empty_axes", 0) != 0) {
      n.outputs[0] = *x;
      return success();
    }
    for (int64_t i = 0; i < rank; ++i)
      axes.push_back(i);
  }
  bool keep = n.getInt("keepdims", 1) != 0;
  Attribute attr;
  if (matchPattern(*x, m_Constant(&attr))) {
    if (!mnn::getAsDoubles(cast<ElementsAttr>(attr)))
      return n.fail("unsupported constant element type");
    if (kind == "log_sum_exp") {
      auto values = *mnn::getAsDoubles(cast<ElementsAttr>(attr));
      for (double &v : values)
        v = std::exp(v);
      auto type = cast<ShapedType>(cast<ElementsAttr>(attr).getType());
      attr = mnn::makeElementsFromDoubles(type, values);
      kind = "log_sum";
    }
    n.outputs[0] = evaluateReduce(n, cast<ElementsAttr>(attr), kind, axes, keep);
    return success();
  }
  if (kind != "log_sum_exp")
    return n.setOutput(0, n.create<mnn::ReduceOp>(*x, kind, axes, keep));
  auto m = n.create<mnn::ReduceOp>(*x, "max", axes, true);
  if (failed(m))
    return failure();
  auto shifted = n.create<mnn::SubOp>(*x, *m);
  if (failed(shifted))
    return failure();
  auto e = n.create<mnn::ExpOp>(*shifted);
  if (failed(e))
    return failure();
  auto ls = n.create<mnn::ReduceOp>(*e, "log_sum", axes, true);
  if (failed(ls))
    return failure();
  auto y = n.create<mnn::AddOp>(*ls, *m);
  if (failed(y))
    return failure();
  return n.setOutput(0, n.reshape(*y, reducedShape(shapeOf(*x), axes, keep)));
}

template <int64_t AxesInputOpset>
LogicalResult convertReduceSum(NodeContext &n) {
  return convertReduce(n, "sum", AxesInputOpset);
}
#define MNN_REDUCE_CONVERTER(NAME, KIND)                                       \
  LogicalResult convert##NAME(NodeContext &n) {                                \
    return convertReduce(n, KIND, 18);                                         \
  }
MNN_REDUCE_CONVERTER(ReduceMean, "mean")
MNN_REDUCE_CONVERTER(ReduceMax, "max")
MNN_REDUCE_CONVERTER(ReduceMin, "min")
MNN_REDUCE_CONVERTER(ReduceProd, "prod")
MNN_REDUCE_CONVERTER(ReduceL1, "l1")
MNN_REDUCE_CONVERTER(ReduceL2, "l2")
MNN_REDUCE_CONVERTER(ReduceSumSquare, "sum_square")
MNN_REDUCE_CONVERTER(ReduceLogSum, "log_sum")
MNN_REDUCE_CONVERTER(ReduceLogSumExp, "log_sum_exp")
#undef MNN_REDUCE_CONVERTER

//===----------------------------------------------------------------------===//
// ArgMax, ArgMin, TopK, Hardmax
//===----------------------------------------------------------------------===//

LogicalResult convertArg(NodeContext &n, bool largest) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rankOf(*x));
  if (failed(axis))
    return failure();
  if (shapeOf(*x)[*axis] == 0)
    return n.fail("cannot take the index of an extreme of an empty axis");
  bool last = n.getInt("select_last_index", 0) != 0;
  auto idx = n.create<mnn::ArgTopKOp>(*x, *axis, 1, largest, last);
  if (failed(idx) || n.getInt("keepdims", 1) != 0)
    return n.setOutput(0, idx);
  return n.setOutput(0, n.reshape(*idx, reducedShape(shapeOf(*idx), {*axis},
                                                     false)));
}
LogicalResult convertArgMax(NodeContext &n) { return convertArg(n, true); }
LogicalResult convertArgMin(NodeContext &n) { return convertArg(n, false); }

LogicalResult convertTopK(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  int64_t k;
  if (n.opset < 10) {
    if (!n.attr("k"))
      return n.fail("missing attribute 'k'");
    k = n.getInt("k", 0);
  } else {
    auto v = n.constInts(1, "K");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return n.fail("input 'K' must hold one value");
    k = v->front();
  }
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rankOf(*x));
  if (failed(axis))
    return failure();
  if (k < 0 || k > shapeOf(*x)[*axis])
    return n.fail("k = " + Twine(k) + " is out of range for dim " +
                  Twine(*axis) + " of size " + Twine(shapeOf(*x)[*axis]));
  bool largest = n.getInt("largest", 1) != 0;
  // sorted = 0 leaves the order unspecified: the sorted order is one of them.
  auto idx = n.create<mnn::ArgTopKOp>(*x, *axis, k, largest, false);
  if (failed(idx))
    return failure();
  if (n.hasOutput(0) &&
      failed(n.setOutput(0, n.create<mnn::GatherElementsOp>(*x, *idx, *axis))))
    return failure();
  if (n.numOutputs() > 1)
    n.outputs[1] = *idx;
  return success();
}

/// Before opset 13, Softmax-like ops coerce the input to 2-D at `axis` and
/// work on all trailing dims together; `body` then runs on axis 1 of the 2-D
/// view. Mirrors convertSoftmax in OnnxOps.cpp.
LogicalResult convertSoftmaxLike(
    NodeContext &n,
    llvm::function_ref<FailureOr<Value>(Value, int64_t)> body) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  int64_t rank = rankOf(*x);
  auto axis = n.normalizeAxis(n.getInt("axis", n.opset >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  if (n.opset >= 13 || *axis == rank - 1)
    return n.setOutput(0, body(*x, *axis));
  ArrayRef<int64_t> shape = shapeOf(*x);
  auto flat = n.reshape(
      *x, {product(shape.take_front(*axis)), product(shape.drop_front(*axis))});
  if (failed(flat))
    return failure();
  auto y = body(*flat, 1);
  if (failed(y))
    return failure();
  return n.setOutput(0, n.reshape(*y, shape));
}

LogicalResult convertLogSoftmax(NodeContext &n) {
  return convertSoftmaxLike(n, [&](Value x, int64_t axis) {
    return n.create<mnn::LogSoftmaxOp>(x, axis);
  });
}

// One-hot of the (first) maximum: arg_top_k(k = 1) then one_hot.
LogicalResult convertHardmax(NodeContext &n) {
  return convertSoftmaxLike(n, [&](Value x, int64_t axis) -> FailureOr<Value> {
    int64_t len = shapeOf(x)[axis];
    if (len == 0)
      return n.reshape(x, shapeOf(x));
    auto idx = n.create<mnn::ArgTopKOp>(x, axis, 1, true, false);
    if (failed(idx))
      return failure();
    auto squeezed = n.reshape(*idx, reducedShape(shapeOf(x), {axis}, false));
    if (failed(squeezed))
      return failure();
    auto valuesType = RankedTensorType::get({2}, eltOf(x));
    Value values =
        n.constant(mnn::makeElementsFromDoubles(valuesType, {0.0, 1.0}));
    return n.create<mnn::OneHotOp>(*squeezed, values, len, axis);
  });
}

//===----------------------------------------------------------------------===//
// CumSum
//===----------------------------------------------------------------------===//

LogicalResult convertCumulative(NodeContext &n, bool product) {
  auto x = n.input(0, "x");
  auto axisVal = n.constInts(1, "axis");
  if (failed(x) || failed(axisVal))
    return failure();
  if (axisVal->size() != 1)
    return n.fail("input 'axis' must hold one value");
  auto axis = n.normalizeAxis(axisVal->front(), rankOf(*x));
  if (failed(axis))
    return failure();
  bool exclusive = n.getInt("exclusive", 0) != 0;
  bool reverse = n.getInt("reverse", 0) != 0;
  auto y = n.create<mnn::CumSumOp>(*x, *axis, exclusive, reverse);
  if (succeeded(y) && product)
    if (auto op = y->getDefiningOp<mnn::CumSumOp>())
      op.setProduct(true);
  return n.setOutput(0, y);
}

LogicalResult convertCumSum(NodeContext &n) { return convertCumulative(n, false); }
LogicalResult convertCumProd(NodeContext &n) { return convertCumulative(n, true); }

} // namespace

void addReductionConverters(llvm::StringMap<Converter> &table) {
  table["ReduceSum"] = convertReduceSum<13>;
  table["ReduceMean"] = convertReduceMean;
  table["ReduceMax"] = convertReduceMax;
  table["ReduceMin"] = convertReduceMin;
  table["ReduceProd"] = convertReduceProd;
  table["ReduceL1"] = convertReduceL1;
  table["ReduceL2"] = convertReduceL2;
  table["ReduceSumSquare"] = convertReduceSumSquare;
  table["ReduceLogSum"] = convertReduceLogSum;
  table["ReduceLogSumExp"] = convertReduceLogSumExp;
  table["ArgMax"] = convertArgMax;
  table["ArgMin"] = convertArgMin;
  table["TopK"] = convertTopK;
  table["Hardmax"] = convertHardmax;
  table["LogSoftmax"] = convertLogSoftmax;
  table["CumSum"] = convertCumSum;
  table["CumProd"] = convertCumProd;
}

} // namespace mnn::onnx_import
