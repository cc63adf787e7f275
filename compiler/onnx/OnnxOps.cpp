//===- OnnxOps.cpp - ONNX operators -> mnn ops ----------------------------===//
//
// One converter per ONNX op type (default domain, opsets 6 to 21). Each reads
// the node's attributes with their per-opset defaults, normalizes them the way
// the mnn dialect wants (pads [top, left, bottom, right], non-negative axes,
// static slice starts/sizes/steps) and builds the ops through NodeContext,
// which infers, verifies and folds them. Inputs that ONNX computes but the
// dialect needs as attributes (Reshape's shape, Slice's starts, axes, Clip
// bounds) must fold to constants.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/Verifier.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {

//===----------------------------------------------------------------------===//
// NodeContext
//===----------------------------------------------------------------------===//

FailureOr<Value> NodeContext::input(size_t i, StringRef what) {
  if (hasInput(i))
    return inputs[i];
  if (what.empty())
    return fail("missing input " + Twine(i));
  return fail("missing input '" + what + "'");
}

FailureOr<Ints> NodeContext::constInts(size_t i, StringRef what) {
  auto v = input(i, what);
  if (failed(v))
    return failure();
  Attribute attr;
  if (!matchPattern(*v, m_Constant(&attr)))
    return fail("input '" + what +
                "' must be a constant, but it is computed at run time");
  auto values = mnn::getAsInts(cast<ElementsAttr>(attr));
  if (!values)
    return fail("input '" + what + "' is not an integer constant");
  return Ints(values->begin(), values->end());
}

FailureOr<std::optional<Ints>>
NodeContext::intsInputOrAttr(size_t i, StringRef name, int64_t inputSince) {
  if (opset < inputSince)
    return getInts(name);
  if (!hasInput(i))
    return std::optional<Ints>();
  auto v = constInts(i, name);
  if (failed(v))
    return failure();
  return std::optional<Ints>(*v);
}

FailureOr<SmallVector<double>> NodeContext::constDoubles(size_t i,
                                                         StringRef what) {
  auto v = input(i, what);
  if (failed(v))
    return failure();
  Attribute attr;
  if (!matchPattern(*v, m_Constant(&attr)))
    return fail("input '" + what +
                "' must be a constant, but it is computed at run time");
  auto values = mnn::getAsDoubles(cast<ElementsAttr>(attr));
  if (!values)
    return fail("input '" + what + "' has an unsupported constant type");
  return SmallVector<double>(values->begin(), values->end());
}

const onnx::AttributeProto *NodeContext::attr(StringRef name) const {
  for (const auto &a : node.attribute())
    if (a.name() == name)
      return &a;
  return nullptr;
}

int64_t NodeContext::getInt(StringRef name, int64_t dflt) const {
  const auto *a = attr(name);
  return a ? a->i() : dflt;
}

float NodeContext::getFloat(StringRef name, float dflt) const {
  const auto *a = attr(name);
  if (!a)
    return dflt;
  if (a->type() == onnx::AttributeProto::INT)
    return static_cast<float>(a->i());
  return a->f();
}

std::string NodeContext::getString(StringRef name, StringRef dflt) const {
  const auto *a = attr(name);
  return a ? a->s() : dflt.str();
}

std::optional<Ints> NodeContext::getInts(StringRef name) const {
  const auto *a = attr(name);
  if (!a)
    return std::nullopt;
  return Ints(a->ints().begin(), a->ints().end());
}

LogicalResult NodeContext::onlyOutputsBelow(size_t from, StringRef what) {
  for (size_t i = from; i < (size_t)node.output_size(); ++i)
    if (hasOutput(i))
      return fail(what + " (output " + Twine(i) + " '" + node.output(i) +
                  "') is not supported");
  return success();
}

FailureOr<int64_t> NodeContext::normalizeAxis(int64_t axis, int64_t rank,
                                              StringRef what) {
  if (axis < -rank || axis >= rank)
    return fail(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

FailureOr<Ints> NodeContext::normalizeAxes(ArrayRef<int64_t> axes,
                                           int64_t rank) {
  Ints out;
  for (int64_t a : axes) {
    auto ax = normalizeAxis(a, rank);
    if (failed(ax))
      return failure();
    if (llvm::is_contained(out, *ax))
      return fail("axis " + Twine(a) + " is repeated");
    out.push_back(*ax);
  }
  llvm::sort(out);
  return out;
}

Value NodeContext::constant(ElementsAttr value) {
  return b.create<mnn::ConstantOp>(loc, value.getType(), value);
}

Value NodeContext::i64Constant(ArrayRef<int64_t> values,
                               ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, b.getI64Type());
  return constant(mnn::makeElementsFromInts(type, values));
}

Value NodeContext::scalarConstant(Type elt, double value) {
  auto type = RankedTensorType::get({}, elt);
  Attribute scalar;
  if (isa<FloatType>(elt))
    scalar = b.getFloatAttr(elt, value);
  else
    scalar = b.getIntegerAttr(elt, static_cast<int64_t>(value));
  return constant(DenseElementsAttr::get(type, ArrayRef<Attribute>(scalar)));
}

FailureOr<Value> NodeContext::reshape(Value v, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, typeOf(v).getElementType());
  return createTyped<mnn::ReshapeOp>(type, v);
}

FailureOr<Value> NodeContext::finish(Operation *op, bool inferType) {
  if (inferType) {
    SmallVector<Type, 1> types;
    auto iface = cast<InferTypeOpInterface>(op);
    if (failed(iface.inferReturnTypes(
            ctx(), loc, op->getOperands(), op->getAttrDictionary(),
            op->getPropertiesStorage(), op->getRegions(), types))) {
      op->erase();
      return failure(); // the message was captured by the importer
    }
    op->getResult(0).setType(types.front());
  }
  if (failed(mlir::verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return failure();
  }
  // Fold like OpBuilder::createOrFold, so shape subgraphs become constants.
  SmallVector<Attribute> operandConsts;
  for (Value v : op->getOperands()) {
    Attribute a;
    matchPattern(v, m_Constant(&a));
    operandConsts.push_back(a);
  }
  SmallVector<OpFoldResult, 1> folded;
  Value result = op->getResult(0);
  if (succeeded(op->fold(operandConsts, folded)) && folded.size() == 1) {
    if (auto v = dyn_cast<Value>(folded.front())) {
      if (v.getType() == result.getType()) {
        op->erase();
        return v;
      }
    } else if (auto e = dyn_cast_or_null<ElementsAttr>(
                   dyn_cast<Attribute>(folded.front()))) {
      if (e.getType() == result.getType()) {
        Value c = constant(e);
        op->erase();
        return c;
      }
    }
  }
  return result;
}

namespace {

//===----------------------------------------------------------------------===//
// Helpers
//===----------------------------------------------------------------------===//

bool isConstant(Value v) { return matchPattern(v, m_Constant()); }

/// Product of dims that come from the model (reshape targets, ...), or
/// nullopt if it is not a plausible element count (negative, > 2^40).
std::optional<int64_t> checkedProduct(ArrayRef<int64_t> dims) {
  constexpr int64_t kMax = int64_t(1) << 40;
  int64_t p = 1;
  for (int64_t d : dims) {
    if (d < 0 || (d > 0 && p > kMax / d))
      return std::nullopt;
    p *= d;
  }
  return p;
}

int64_t ceilDiv(int64_t a, int64_t b) { return (a + b - 1) / b; }

FailureOr<Value> matmul(NodeContext &n, Value a, Value b, Value bias) {
  return n.create<mnn::MatMulOp>(a, b, bias, Value(), "none", f32(0), f32(0));
}

FailureOr<Value> transpose(NodeContext &n, Value v, ArrayRef<int64_t> perm) {
  return n.create<mnn::TransposeOp>(v, perm);
}

/// Window placement of a conv/pool dim under auto_pad SAME_UPPER/SAME_LOWER.
void samePads(int64_t in, int64_t stride, int64_t effKernel, bool upper,
              int64_t &begin, int64_t &end) {
  int64_t out = ceilDiv(in, stride);
  int64_t total = std::max<int64_t>(0, (out - 1) * stride + effKernel - in);
  begin = upper ? total / 2 : total - total / 2;
  end = total - begin;
}

/// Reads kernel/strides/dilations/pads shared by Conv and the pools.
LogicalResult readWindowAttrs(NodeContext &n, Ints &strides, Ints &dilations,
                              Ints &pads) {
  strides = n.getInts("strides").value_or(Ints{1, 1});
  dilations = n.getInts("dilations").value_or(Ints{1, 1});
  pads = n.getInts("pads").value_or(Ints{0, 0, 0, 0});
  if (strides.size() != 2 || dilations.size() != 2 || pads.size() != 4)
    return n.fail("expected 2 strides, 2 dilations and 4 pads (2-D only)");
  for (int64_t v : strides)
    if (v <= 0)
      return n.fail("strides must be positive");
  for (int64_t v : dilations)
    if (v <= 0)
      return n.fail("dilations must be positive");
  for (int64_t v : pads)
    if (v < 0)
      return n.fail("pads must be non-negative");
  return success();
}

//===----------------------------------------------------------------------===//
// Matrix products, normalization
//===----------------------------------------------------------------------===//

LogicalResult convertMatMul(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  return n.setOutput(0, matmul(n, *a, *b, Value()));
}

// Y = alpha * A' * B' + beta * C. Constant transposes and scalings fold into
// the weights; a C of one value per output column becomes the matmul bias.
LogicalResult convertGemm(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  Value lhs = *a, rhs = *b;
  if (rankOf(lhs) != 2 || rankOf(rhs) != 2)
    return n.fail("A and B must be 2-D, got " + shapeStr(shapeOf(lhs)) +
                  " and " + shapeStr(shapeOf(rhs)));
  float alpha = n.getFloat("alpha", 1.0f), beta = n.getFloat("beta", 1.0f);
  if (n.getInt("transA", 0)) {
    auto t = transpose(n, lhs, {1, 0});
    if (failed(t))
      return failure();
    lhs = *t;
  }
  if (n.getInt("transB", 0)) {
    auto t = transpose(n, rhs, {1, 0});
    if (failed(t))
      return failure();
    rhs = *t;
  }
  Type elt = eltOf(lhs);
  bool scaleOutput = false;
  if (alpha != 1.0f) {
    if (isConstant(rhs)) {
      auto scaled = n.create<mnn::MulOp>(rhs, n.scalarConstant(elt, alpha));
      if (failed(scaled))
        return failure();
      rhs = *scaled;
    } else {
      scaleOutput = true;
    }
  }
  Value c;
  if (n.hasInput(2) && beta != 0.0f) {
    c = n.inputs[2];
    if (beta != 1.0f) {
      auto scaled = n.create<mnn::MulOp>(c, n.scalarConstant(elt, beta));
      if (failed(scaled))
        return failure();
      c = *scaled;
    }
  }
  int64_t cols = shapeOf(rhs)[1];
  Value bias;
  if (c && !scaleOutput) {
    ArrayRef<int64_t> cs = shapeOf(c);
    if ((cs.size() == 1 && cs[0] == cols) ||
        (cs.size() == 2 && cs[0] == 1 && cs[1] == cols)) {
      auto flat = n.reshape(c, {cols});
      if (failed(flat))
        return failure();
      bias = *flat;
      c = nullptr;
    }
  }
  auto y = matmul(n, lhs, rhs, bias);
  if (succeeded(y) && scaleOutput)
    y = n.create<mnn::MulOp>(*y, n.scalarConstant(elt, alpha));
  if (succeeded(y) && c)
    y = n.create<mnn::AddOp>(*y, c);
  return n.setOutput(0, y);
}

LogicalResult convertSoftmax(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  int64_t rank = rankOf(*x);
  auto axis = n.normalizeAxis(n.getInt("axis", n.opset >= 13 ? -1 : 1), rank);
  if (failed(axis))
    return failure();
  if (n.opset >= 13 || *axis == rank - 1)
    return n.setOutput(0, n.create<mnn::SoftmaxOp>(*x, *axis));
  // Before opset 13 the input is coerced to 2-D at `axis`: softmax over all
  // the trailing dims together.
  ArrayRef<int64_t> shape = shapeOf(*x);
  auto flat = n.reshape(
      *x, {product(shape.take_front(*axis)), product(shape.drop_front(*axis))});
  if (failed(flat))
    return failure();
  auto s = n.create<mnn::SoftmaxOp>(*flat, 1);
  if (failed(s))
    return failure();
  return n.setOutput(0, n.reshape(*s, shape));
}

LogicalResult convertLayerNorm(NodeContext &n) {
  auto x = n.input(0, "X"), scale = n.input(1, "Scale");
  if (failed(x) || failed(scale))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rankOf(*x));
  if (failed(axis))
    return failure();
  Value bias = n.hasInput(2) ? n.inputs[2] : Value();
  float eps = n.getFloat("epsilon", 1e-5f);
  if (failed(n.setOutput(
          0, n.create<mnn::LayerNormOp>(*x, *scale, bias, *axis, f32(eps)))))
    return failure();
  if (!n.hasOutput(1) && !n.hasOutput(2))
    return success();
  // The optional Mean and InvStdDev outputs (normalized dims kept as 1),
  // recomputed with plain reductions: training graphs only need them.
  Ints axes;
  for (int64_t i = *axis; i < rankOf(*x); ++i)
    axes.push_back(i);
  auto mean = n.create<mnn::ReduceOp>(*x, "mean", axes, true);
  if (failed(mean))
    return failure();
  auto d = n.create<mnn::SubOp>(*x, *mean);
  auto sq = succeeded(d) ? n.create<mnn::MulOp>(*d, *d) : d;
  auto var = succeeded(sq) ? n.create<mnn::ReduceOp>(*sq, "mean", axes, true)
                           : sq;
  auto shifted = succeeded(var) ? n.create<mnn::AddOp>(
                                      *var, n.scalarConstant(eltOf(*x), eps))
                                : var;
  auto sd = succeeded(shifted) ? n.create<mnn::SqrtOp>(*shifted) : shifted;
  if (failed(sd))
    return failure();
  n.outputs[1] = *mean;
  return n.setOutput(2, n.create<mnn::ReciprocalOp>(*sd));
}

LogicalResult convertBatchNorm(NodeContext &n) {
  SmallVector<Value> in;
  const char *names[] = {"X", "scale", "B", "input_mean", "input_var"};
  for (int i = 0; i < 5; ++i) {
    auto v = n.input(i, names[i]);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  if (n.opset >= 14 && n.getInt("training_mode", 0) != 0)
    return n.fail("training mode is not supported");
  if (n.opset < 9 && n.getInt("spatial", 1) == 0)
    return n.fail("spatial = 0 is not supported");
  if (failed(n.onlyOutputsBelow(1, "the training output")))
    return failure();
  float eps = n.getFloat("epsilon", 1e-5f);
  if (llvm::all_of(ArrayRef<Value>(in).drop_front(), isConstant))
    return n.setOutput(0, n.create<mnn::BatchNormOp>(in[0], in[1], in[2],
                                                     in[3], in[4], f32(eps)));
  // Statistics computed at run time: (x - mean) / sqrt(var + eps) * scale + B
  // with each [C] parameter broadcast over dim 1.
  int64_t rank = rankOf(in[0]);
  if (rank < 2)
    return n.fail("X must have a channel dim, got " + shapeStr(shapeOf(in[0])));
  SmallVector<Value> p;
  for (int i = 1; i < 5; ++i) {
    Ints shape(rank - 1, 1);
    shape[0] = product(shapeOf(in[i]));
    auto r = n.reshape(in[i], shape);
    if (failed(r))
      return failure();
    p.push_back(*r);
  }
  auto centered = n.create<mnn::SubOp>(in[0], p[2]);
  auto var = n.create<mnn::AddOp>(p[3], n.scalarConstant(eltOf(in[0]), eps));
  if (failed(centered) || failed(var))
    return failure();
  auto stddev = n.create<mnn::SqrtOp>(*var);
  if (failed(stddev))
    return failure();
  auto normed = n.create<mnn::DivOp>(*centered, *stddev);
  if (failed(normed))
    return failure();
  auto scaled = n.create<mnn::MulOp>(*normed, p[0]);
  if (failed(scaled))
    return failure();
  return n.setOutput(0, n.create<mnn::AddOp>(*scaled, p[1]));
}

//===----------------------------------------------------------------------===//
// Reductions
//===----------------------------------------------------------------------===//

// Reduce* converters live in OnnxReductionOps.cpp.

LogicalResult convertGlobalPool(NodeContext &n, StringRef kind) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  if (rankOf(*x) < 3)
    return n.fail("expects an N x C x spatial input, got " +
                  shapeStr(shapeOf(*x)));
  Ints axes;
  for (int64_t i = 2; i < rankOf(*x); ++i)
    axes.push_back(i);
  return n.setOutput(0, n.create<mnn::ReduceOp>(*x, kind, axes, true));
}
LogicalResult convertGlobalAveragePool(NodeContext &n) {
  return convertGlobalPool(n, "mean");
}
LogicalResult convertGlobalMaxPool(NodeContext &n) {
  return convertGlobalPool(n, "max");
}

//===----------------------------------------------------------------------===//
// Convolution and pooling
//===----------------------------------------------------------------------===//

LogicalResult convertConv(NodeContext &n) {
  auto x = n.input(0, "X"), w = n.input(1, "W");
  if (failed(x) || failed(w))
    return failure();
  if (rankOf(*x) != 4 || rankOf(*w) != 4)
    return n.fail("only 2-D convolution is supported (4-D input and weight), "
                  "got input " +
                  shapeStr(shapeOf(*x)) + " and weight " +
                  shapeStr(shapeOf(*w)));
  ArrayRef<int64_t> ws = shapeOf(*w), xs = shapeOf(*x);
  if (auto k = n.getInts("kernel_shape"))
    if (*k != Ints{ws[2], ws[3]})
      return n.fail("kernel_shape does not match the weight " + shapeStr(ws));
  Ints strides, dilations, pads;
  if (failed(readWindowAttrs(n, strides, dilations, pads)))
    return failure();
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
    for (int i = 0; i < 2; ++i)
      samePads(xs[2 + i], strides[i], dilations[i] * (ws[2 + i] - 1) + 1,
               autoPad == "SAME_UPPER", pads[i], pads[i + 2]);
  } else if (autoPad == "VALID") {
    pads.assign(4, 0);
  } else if (autoPad != "NOTSET") {
    return n.fail("unknown auto_pad '" + autoPad + "'");
  }
  Value bias = n.hasInput(2) ? n.inputs[2] : Value();
  int64_t group = n.getInt("group", 1);
  if (group <= 0)
    return n.fail("group must be positive");
  return n.setOutput(0, n.create<mnn::Conv2DOp>(*x, *w, bias, Value(), strides,
                                                pads, dilations, group, "oihw",
                                                "none", f32(0), f32(0)));
}

// MaxPool / AveragePool. `pads` of the op include the extra bottom/right
// padding ceil_mode needs; `counted_pads` are the explicit (or auto) pads.
LogicalResult convertPoolWith(NodeContext &n, StringRef kind,
                              std::optional<bool> countIncludePadOverride) {
  auto x = n.input(0, "X");
  if (failed(x) || failed(n.onlyOutputsBelow(1, "the Indices output")))
    return failure();
  if (rankOf(*x) != 4)
    return n.fail("only 2-D pooling is supported (4-D input), got " +
                  shapeStr(shapeOf(*x)));
  auto kernel = n.getInts("kernel_shape");
  if (!kernel || kernel->size() != 2)
    return n.fail("kernel_shape must have 2 entries (2-D pooling)");
  for (int64_t k : *kernel)
    if (k <= 0)
      return n.fail("kernel_shape must be positive");
  Ints strides, dilations, pads;
  if (failed(readWindowAttrs(n, strides, dilations, pads)))
    return failure();
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  bool ceilMode = n.getInt("ceil_mode", 0) != 0;
  ArrayRef<int64_t> xs = shapeOf(*x);
  Ints opPads(4), counted(4);
  for (int i = 0; i < 2; ++i) {
    int64_t in = xs[2 + i], s = strides[i];
    int64_t eff = dilations[i] * ((*kernel)[i] - 1) + 1;
    int64_t &begin = counted[i], &end = counted[i + 2];
    if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER") {
      samePads(in, s, eff, autoPad == "SAME_UPPER", begin, end);
    } else if (autoPad == "VALID") {
      begin = end = 0;
    } else if (autoPad == "NOTSET") {
      begin = pads[i];
      end = pads[i + 2];
    } else {
      return n.fail("unknown auto_pad '" + autoPad + "'");
    }
    int64_t span = in + begin + end - eff;
    if (span < 0)
      return n.fail("the window (" + Twine(eff) +
                    ") is larger than the padded input (" +
                    Twine(in + begin + end) + ")");
    int64_t out = span / s + 1;
    if (ceilMode && autoPad == "NOTSET") {
      out = ceilDiv(span, s) + 1;
      // The last window must start inside the input or the left padding.
      if ((out - 1) * s >= in + begin)
        --out;
    }
    int64_t extra =
        std::max<int64_t>(0, (out - 1) * s + eff - (in + begin + end));
    opPads[i] = begin;
    opPads[i + 2] = end + extra;
  }
  bool countIncludePad = kind == "avg" && n.getInt("count_include_pad", 0) != 0;
  if (countIncludePadOverride)
    countIncludePad = *countIncludePadOverride;
  return n.setOutput(0, n.create<mnn::Pool2DOp>(*x, kind, *kernel, strides,
                                                opPads, dilations,
                                                countIncludePad, counted));
}
LogicalResult convertPool(NodeContext &n, StringRef kind) {
  return convertPoolWith(n, kind, std::nullopt);
}
LogicalResult convertMaxPool(NodeContext &n) { return convertPool(n, "max"); }

/// |x|^p: x*x for p = 2 (exact), else pow(sqrt(x*x), p).
FailureOr<Value> absPow(NodeContext &n, Value x, double p) {
  auto sq = n.create<mnn::MulOp>(x, x);
  if (failed(sq) || p == 2.0)
    return sq;
  auto abs = n.create<mnn::SqrtOp>(*sq);
  if (failed(abs) || p == 1.0)
    return abs;
  return n.create<mnn::PowOp>(*abs, n.scalarConstant(eltOf(x), p));
}
/// The inverse of absPow on non-negative sums.
FailureOr<Value> root(NodeContext &n, Value s, double p) {
  if (p == 1.0)
    return s;
  if (p == 2.0)
    return n.create<mnn::SqrtOp>(s);
  return n.create<mnn::PowOp>(s, n.scalarConstant(eltOf(s), 1.0 / p));
}

// LpPool: (sum over the window of |x|^p)^(1/p), as an average pool that counts
// the padding, times the window size.
LogicalResult convertLpPool(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  double p = n.getInt("p", 2);
  if (p <= 0)
    return n.fail("p must be positive");
  auto kernel = n.getInts("kernel_shape");
  if (!kernel)
    return n.fail("kernel_shape is required");
  // The ceil_mode extension would not count in the window sum.
  if (n.getInt("ceil_mode", 0) != 0)
    return n.fail("ceil_mode = 1 is not supported");
  auto powered = absPow(n, *x, p);
  if (failed(powered))
    return failure();
  n.inputs[0] = *powered;
  if (failed(convertPoolWith(n, "avg", /*countIncludePad=*/true)))
    return failure();
  auto sum = n.create<mnn::MulOp>(
      n.outputs[0], n.scalarConstant(eltOf(*x), product(*kernel)));
  if (failed(sum))
    return failure();
  return n.setOutput(0, root(n, *sum, p));
}

LogicalResult convertGlobalLpPool(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  if (rankOf(*x) < 3)
    return n.fail("expects an N x C x spatial input, got " +
                  shapeStr(shapeOf(*x)));
  double p = n.getInt("p", 2);
  if (p <= 0)
    return n.fail("p must be positive");
  Ints axes;
  for (int64_t i = 2; i < rankOf(*x); ++i)
    axes.push_back(i);
  auto powered = absPow(n, *x, p);
  if (failed(powered))
    return failure();
  auto sum = n.create<mnn::ReduceOp>(*powered, "sum", axes, true);
  if (failed(sum))
    return failure();
  return n.setOutput(0, root(n, *sum, p));
}
LogicalResult convertAveragePool(NodeContext &n) {
  return convertPool(n, "avg");
}

//===----------------------------------------------------------------------===//
// Data movement and shapes
//===----------------------------------------------------------------------===//

LogicalResult convertTranspose(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  int64_t rank = rankOf(*x);
  Ints perm;
  if (auto p = n.getInts("perm")) {
    perm = *p;
  } else {
    for (int64_t i = rank - 1; i >= 0; --i)
      perm.push_back(i);
  }
  if ((int64_t)perm.size() != rank)
    return n.fail("perm has " + Twine(perm.size()) + " entries for rank " +
                  Twine(rank));
  return n.setOutput(0, transpose(n, *x, perm));
}

LogicalResult convertReshape(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  auto target = n.constInts(1, "shape");
  if (failed(target))
    return failure();
  ArrayRef<int64_t> in = shapeOf(*x);
  bool allowZero = n.getInt("allowzero", 0) != 0;
  Ints out;
  int64_t inferred = -1;
  for (size_t i = 0; i < target->size(); ++i) {
    int64_t v = (*target)[i];
    if (v == 0 && !allowZero) {
      if (i >= in.size())
        return n.fail("shape entry 0 at position " + Twine(i) +
                      " copies a dim the input " + shapeStr(in) +
                      " does not have");
      out.push_back(in[i]);
    } else if (v == -1) {
      if (inferred >= 0)
        return n.fail("shape has more than one -1");
      inferred = i;
      out.push_back(1);
    } else if (v < 0) {
      return n.fail("invalid shape entry " + Twine(v));
    } else {
      out.push_back(v);
    }
  }
  int64_t total = product(in);
  if (!checkedProduct(out))
    return n.fail("invalid target shape [" + shapeStr(*target) + "]");
  if (inferred >= 0) {
    int64_t known = product(out);
    if (known == 0 || total % known != 0)
      return n.fail("cannot reshape " + shapeStr(in) + " into [" +
                    shapeStr(*target) + "]");
    out[inferred] = total / known;
  }
  if (product(out) != total)
    return n.fail("cannot reshape " + shapeStr(in) + " into " + shapeStr(out) +
                  ": element counts differ");
  return n.setOutput(0, n.reshape(*x, out));
}

LogicalResult convertFlatten(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> in = shapeOf(*x);
  int64_t rank = in.size(), axis = n.getInt("axis", 1);
  if (axis < -rank || axis > rank)
    return n.fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
  if (axis < 0)
    axis += rank;
  return n.setOutput(0, n.reshape(*x, {product(in.take_front(axis)),
                                       product(in.drop_front(axis))}));
}

LogicalResult convertUnsqueeze(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  auto given = n.intsInputOrAttr(1, "axes", 13);
  if (failed(given))
    return failure();
  if (!*given)
    return n.fail(n.opset >= 13 ? "missing input 'axes'"
                                : "missing attribute 'axes'");
  Ints axes = **given;
  ArrayRef<int64_t> in = shapeOf(*x);
  int64_t outRank = in.size() + axes.size();
  auto normalized = n.normalizeAxes(axes, outRank);
  if (failed(normalized))
    return failure();
  Ints out;
  for (int64_t i = 0, next = 0; i < outRank; ++i)
    out.push_back(llvm::is_contained(*normalized, i) ? 1 : in[next++]);
  return n.setOutput(0, n.reshape(*x, out));
}

LogicalResult convertSqueeze(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  auto given = n.intsInputOrAttr(1, "axes", 13);
  if (failed(given))
    return failure();
  std::optional<Ints> axes = *given;
  ArrayRef<int64_t> in = shapeOf(*x);
  Ints out;
  if (!axes) {
    for (int64_t d : in)
      if (d != 1)
        out.push_back(d);
  } else {
    auto normalized = n.normalizeAxes(*axes, in.size());
    if (failed(normalized))
      return failure();
    for (int64_t i = 0; i < (int64_t)in.size(); ++i) {
      if (!llvm::is_contained(*normalized, i)) {
        out.push_back(in[i]);
      } else if (in[i] != 1) {
        return n.fail("cannot squeeze dim " + Twine(i) + " of size " +
                      Twine(in[i]) + " (input " + shapeStr(in) + ")");
      }
    }
  }
  return n.setOutput(0, n.reshape(*x, out));
}

LogicalResult convertConcat(NodeContext &n) {
  SmallVector<Value> inputs;
  for (size_t i = 0; i < n.inputs.size(); ++i) {
    auto v = n.input(i);
    if (failed(v))
      return failure();
    inputs.push_back(*v);
  }
  if (inputs.empty())
    return n.fail("needs at least one input");
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rankOf(inputs.front()));
  if (failed(axis))
    return failure();
  return n.setOutput(0, n.create<mnn::ConcatOp>(inputs, *axis));
}

LogicalResult convertSplit(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> in = shapeOf(*x);
  auto axis = n.normalizeAxis(n.getInt("axis", 0), in.size());
  if (failed(axis))
    return failure();
  int64_t dim = in[*axis], numOutputs = n.numOutputs();
  Ints sizes;
  if (n.opset < 13) {
    sizes = n.getInts("split").value_or(Ints{});
  } else if (n.hasInput(1)) {
    auto v = n.constInts(1, "split");
    if (failed(v))
      return failure();
    sizes = *v;
  }
  if (sizes.empty()) {
    int64_t parts = numOutputs;
    if (n.opset >= 18 && n.attr("num_outputs")) {
      parts = n.getInt("num_outputs", 0);
      if (parts != numOutputs)
        return n.fail("num_outputs is " + Twine(parts) + " but the node has " +
                      Twine(numOutputs) + " outputs");
    }
    if (parts <= 0)
      return n.fail("has no outputs");
    // Equal parts; from opset 18 the last one may be smaller.
    if (n.opset < 18 && dim % parts != 0)
      return n.fail("cannot split dim " + Twine(dim) + " into " + Twine(parts) +
                    " equal parts");
    int64_t chunk = ceilDiv(dim, parts);
    for (int64_t i = 0; i < parts; ++i)
      sizes.push_back(std::min(chunk, dim - i * chunk));
    if (sizes.back() <= 0)
      return n.fail("cannot split dim " + Twine(dim) + " into " + Twine(parts) +
                    " parts");
  }
  if ((int64_t)sizes.size() != numOutputs)
    return n.fail("split has " + Twine(sizes.size()) + " sizes for " +
                  Twine(numOutputs) + " outputs");
  int64_t sum = 0;
  for (int64_t s : sizes) {
    if (s < 0)
      return n.fail("split sizes must be non-negative");
    sum += s;
  }
  if (sum != dim)
    return n.fail("split sizes add up to " + Twine(sum) + " but dim " +
                  Twine(*axis) + " has " + Twine(dim));
  Ints starts(in.size(), 0), steps(in.size(), 1);
  for (int64_t i = 0, offset = 0; i < numOutputs; offset += sizes[i++]) {
    if (!n.hasOutput(i))
      continue;
    Ints shape(in);
    shape[*axis] = sizes[i];
    starts[*axis] = sizes[i] ? offset : 0;
    if (failed(
            n.setOutput(i, n.create<mnn::SliceOp>(*x, starts, shape, steps))))
      return failure();
  }
  return success();
}

// ONNX Slice (clamped starts/ends, negative steps) -> a normalized mnn.slice.
LogicalResult convertSlice(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  Ints starts, ends, axes, steps;
  if (n.opset < 10) {
    starts = n.getInts("starts").value_or(Ints{});
    ends = n.getInts("ends").value_or(Ints{});
    axes = n.getInts("axes").value_or(Ints{});
  } else {
    auto s = n.constInts(1, "starts"), e = n.constInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s;
    ends = *e;
    if (n.hasInput(3)) {
      auto a = n.constInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (n.hasInput(4)) {
      auto st = n.constInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    for (size_t i = 0; i < starts.size(); ++i)
      axes.push_back(i);
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return n.fail("starts, ends, axes and steps differ in length");

  ArrayRef<int64_t> in = shapeOf(*x);
  int64_t rank = in.size();
  Ints outStarts(rank, 0), outSizes(in), outSteps(rank, 1);
  SmallVector<bool> seen(rank, false);
  for (size_t k = 0; k < starts.size(); ++k) {
    auto axis = n.normalizeAxis(axes[k], rank);
    if (failed(axis))
      return failure();
    if (seen[*axis])
      return n.fail("axis " + Twine(axes[k]) + " is repeated");
    seen[*axis] = true;
    int64_t d = in[*axis], s = starts[k], e = ends[k], t = steps[k];
    if (t == 0)
      return n.fail("step 0 on axis " + Twine(axes[k]));
    if (s < 0)
      s += d;
    if (e < 0)
      e += d;
    int64_t size = 0;
    if (t > 0) {
      s = std::clamp<int64_t>(s, 0, d);
      e = std::clamp<int64_t>(e, 0, d);
      if (e > s)
        size = (e - s - 1) / t + 1;
    } else {
      s = std::clamp<int64_t>(s, 0, d - 1);
      e = std::clamp<int64_t>(e, -1, d - 1);
      int64_t mag = t == std::numeric_limits<int64_t>::min()
                        ? std::numeric_limits<int64_t>::max()
                        : -t;
      if (d > 0 && s > e)
        size = (s - e - 1) / mag + 1;
    }
    outStarts[*axis] = size ? s : 0;
    outSizes[*axis] = size;
    outSteps[*axis] = t;
  }
  return n.setOutput(0,
                     n.create<mnn::SliceOp>(*x, outStarts, outSizes, outSteps));
}

LogicalResult convertGather(NodeContext &n) {
  auto data = n.input(0, "data"), indices = n.input(1, "indices");
  if (failed(data) || failed(indices))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rankOf(*data));
  if (failed(axis))
    return failure();
  Value idx = *indices;
  Attribute attr;
  if (matchPattern(idx, m_Constant(&attr))) {
    // Constant indices: check the range, resolve negative ones.
    auto values = mnn::getAsInts(cast<ElementsAttr>(attr));
    if (!values)
      return n.fail("indices must be integers");
    int64_t dim = shapeOf(*data)[*axis];
    bool negative = false;
    for (int64_t &v : *values) {
      if (v < -dim || v >= dim)
        return n.fail("index " + Twine(v) + " is out of range for dim " +
                      Twine(*axis) + " of size " + Twine(dim));
      negative |= v < 0;
      if (v < 0)
        v += dim;
    }
    if (negative)
      idx = n.constant(
          mnn::makeElementsFromInts(NodeContext::typeOf(idx), *values));
  }
  return n.setOutput(0, n.create<mnn::GatherOp>(*data, idx, *axis));
}

LogicalResult convertShape(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  int64_t rank = shape.size();
  int64_t start = n.getInt("start", 0), end = n.getInt("end", rank);
  if (start < 0)
    start += rank;
  if (end < 0)
    end += rank;
  start = std::clamp<int64_t>(start, 0, rank);
  end = std::clamp<int64_t>(end, start, rank);
  Ints dims(shape.begin() + start, shape.begin() + end);
  n.outputs[0] = n.i64Constant(dims, {(int64_t)dims.size()});
  return success();
}

LogicalResult convertConstant(NodeContext &n) {
  if (const auto *a = n.attr("value")) {
    std::string error;
    auto value = tensorToElements(n.ctx(), a->t(), error);
    if (failed(value))
      return n.fail("the value " + error);
    n.outputs[0] = n.constant(*value);
    return success();
  }
  Builder &b = n.b;
  if (const auto *a = n.attr("value_float")) {
    auto type = RankedTensorType::get({}, b.getF32Type());
    n.outputs[0] = n.constant(mnn::makeElementsFromDoubles(type, {a->f()}));
  } else if (const auto *a = n.attr("value_floats")) {
    auto type = RankedTensorType::get({a->floats_size()}, b.getF32Type());
    std::vector<double> v(a->floats().begin(), a->floats().end());
    n.outputs[0] = n.constant(mnn::makeElementsFromDoubles(type, v));
  } else if (const auto *a = n.attr("value_int")) {
    n.outputs[0] = n.i64Constant({a->i()}, {});
  } else if (const auto *a = n.attr("value_ints")) {
    Ints v(a->ints().begin(), a->ints().end());
    n.outputs[0] = n.i64Constant(v, {(int64_t)v.size()});
  } else if (!n.node.attribute().empty()) {
    return n.fail("attribute '" + n.node.attribute(0).name() +
                  "' is not supported");
  } else {
    return n.fail("has no value");
  }
  return success();
}

LogicalResult convertConstantOfShape(NodeContext &n) {
  auto shape = n.constInts(0, "input");
  if (failed(shape))
    return failure();
  if (!checkedProduct(*shape))
    return n.fail("invalid shape [" + shapeStr(*shape) + "]");
  Type elt = n.b.getF32Type();
  std::vector<char> bytes(4, 0);
  if (const auto *a = n.attr("value")) {
    std::string error;
    auto value = tensorToElements(n.ctx(), a->t(), error);
    if (failed(value))
      return n.fail("the value " + error);
    auto raw = mnn::getRawBytes(*value);
    elt = cast<ShapedType>(value->getType()).getElementType();
    if (!raw || cast<ShapedType>(value->getType()).getNumElements() != 1)
      return n.fail("the value must have exactly one element");
    bytes = *raw;
  }
  auto type = RankedTensorType::get(*shape, elt);
  if (elt.isInteger(1)) {
    n.outputs[0] = n.constant(DenseElementsAttr::get(type, bytes[0] != 0));
  } else {
    n.outputs[0] = n.constant(DenseElementsAttr::getFromRawBuffer(type, bytes));
  }
  return success();
}

} // namespace

const llvm::StringMap<Converter> &getConverters() {
  static const llvm::StringMap<Converter> converters = [] {
  llvm::StringMap<Converter> table = {
      // Matrix products, normalization.
      {"MatMul", convertMatMul},
      {"Gemm", convertGemm},
      {"Softmax", convertSoftmax},
      {"LayerNormalization", convertLayerNorm},
      {"BatchNormalization", convertBatchNorm},
      // Reductions.
      {"GlobalAveragePool", convertGlobalAveragePool},
      {"GlobalMaxPool", convertGlobalMaxPool},
      // Convolution and pooling.
      {"Conv", convertConv},
      {"MaxPool", convertMaxPool},
      {"AveragePool", convertAveragePool},
      {"LpPool", convertLpPool},
      {"GlobalLpPool", convertGlobalLpPool},
      // Data movement and shapes.
      {"Transpose", convertTranspose},
      {"Reshape", convertReshape},
      {"Flatten", convertFlatten},
      {"Unsqueeze", convertUnsqueeze},
      {"Squeeze", convertSqueeze},
      {"Concat", convertConcat},
      {"Split", convertSplit},
      {"Slice", convertSlice},
      {"Gather", convertGather},
      {"Shape", convertShape},
      {"Constant", convertConstant},
      {"ConstantOfShape", convertConstantOfShape},
  };
  // Op families in files of their own add their converters here.
  addTransformerConverters(table);
  addCompositeConverters(table);
  addSignalConverters(table);
  addSamplingConverters(table);
  addElementwiseConverters(table);
  addControlFlowConverters(table);
  addRecurrentConverters(table);
  addReductionConverters(table);
  addIndexingConverters(table);
  addSpatialConverters(table);
  // After the spatial wrappers: ConvInteger/QLinearConv reuse their Conv.
  addQuantizationConverters(table);
  return table;
  }();
  return converters;
}

} // namespace mnn::onnx_import
