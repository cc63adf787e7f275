//===- ConstantFolding.cpp - op folders ------------------------------------===//
//
// Folders evaluate ops whose operands are all constants. The importer builds
// ops with createOrFold, so shape arithmetic from exporters (Shape -> Gather ->
// Concat -> Reshape) disappears while the graph is read, and the
// canonicalizer folds whatever the graph passes expose later.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementTypes.h"
#include "mnn/ElementsUtils.h"
#include "mnn/MNNDialect.h"

#include "OpUtils.h"

#include <cmath>
#include <cstring>
#include <functional>

using namespace mlir;
using llvm::SmallVector;
using namespace mnn::detail;

namespace {

// Elementwise folding is for shape arithmetic and small parameter math; big
// weight transforms are done by the dedicated passes.
// Offset into a broadcast operand of the output element at `index`.
int64_t broadcastOffset(ArrayRef<int64_t> index, ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides = stridesOf(shape);
  int64_t off = 0, lead = index.size() - shape.size();
  for (size_t i = 0; i < shape.size(); ++i)
    if (shape[i] != 1)
      off += index[lead + i] * strides[i];
  return off;
}

OpFoldResult foldBinary(Operation *op, Attribute lhsAttr, Attribute rhsAttr,
                        std::function<double(double, double)> fop,
                        std::function<std::optional<int64_t>(int64_t, int64_t)> iop) {
  ElementsAttr lhs = foldableConstant(lhsAttr), rhs = foldableConstant(rhsAttr);
  if (!lhs || !rhs)
    return {};
  auto outType = cast<RankedTensorType>(op->getResult(0).getType());
  if (!outType.hasStaticShape())
    return {};
  auto ls = cast<ShapedType>(lhs.getType()).getShape();
  auto rs = cast<ShapedType>(rhs.getType()).getShape();
  int64_t n = outType.getNumElements();
  SmallVector<int64_t> index;
  if (isa<FloatType>(outType.getElementType())) {
    auto a = mnn::getAsDoubles(lhs), b = mnn::getAsDoubles(rhs);
    if (!a || !b)
      return {};
    std::vector<double> out(n);
    for (int64_t i = 0; i < n; ++i) {
      unflatten(i, outType.getShape(), index);
      out[i] = fop((*a)[broadcastOffset(index, ls)],
                   (*b)[broadcastOffset(index, rs)]);
    }
    return mnn::makeElementsFromDoubles(outType, out);
  }
  auto a = mnn::getAsInts(lhs), b = mnn::getAsInts(rhs);
  if (!a || !b)
    return {};
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) {
    unflatten(i, outType.getShape(), index);
    auto v = iop((*a)[broadcastOffset(index, ls)],
                 (*b)[broadcastOffset(index, rs)]);
    if (!v)
      return {}; // e.g. integer division by zero: leave it to run time
    out[i] = *v;
  }
  return mnn::makeElementsFromInts(outType, out);
}

// Integer tensors fold only through `ifn` (shape arithmetic such as the
// Neg of an axis in exported LayerNormalization functions); ops without one
// are float-only.
OpFoldResult foldUnary(Operation *op, Attribute inAttr,
                       std::function<double(double)> fn,
                       std::function<int64_t(int64_t)> ifn = nullptr) {
  ElementsAttr in = foldableConstant(inAttr);
  auto type = cast<RankedTensorType>(op->getResult(0).getType());
  if (!in)
    return {};
  if (!isa<FloatType>(type.getElementType())) {
    if (!ifn || type.getElementType().isInteger(1))
      return {};
    auto v = mnn::getAsInts(in);
    if (!v)
      return {};
    for (int64_t &x : *v)
      x = ifn(x);
    return mnn::makeElementsFromInts(type, *v);
  }
  auto v = mnn::getAsDoubles(in);
  if (!v)
    return {};
  for (double &x : *v)
    x = fn(x);
  return mnn::makeElementsFromDoubles(type, *v);
}

// Gathers elements of `in` (element width w) into a new constant of `type`:
// element i of the result comes from flat input element source(i).
OpFoldResult permuteElements(ElementsAttr in, RankedTensorType type,
                             std::function<int64_t(int64_t)> source) {
  auto bytes = mnn::getRawBytes(in);
  if (!bytes)
    return {};
  int64_t w = mnn::elementByteWidth(type.getElementType());
  int64_t n = type.getNumElements();
  std::vector<char> out(n * w);
  for (int64_t i = 0; i < n; ++i)
    std::memcpy(out.data() + i * w, bytes->data() + source(i) * w, w);
  return mnn::makeElements(type, out);
}

} // namespace

OpFoldResult mnn::ConstantOp::fold(FoldAdaptor) { return getValue(); }

static std::optional<int64_t> intDiv(int64_t a, int64_t b) {
  if (b == 0)
    return std::nullopt;
  return a / b; // ONNX integer Div truncates like C
}

OpFoldResult mnn::AddOp::fold(FoldAdaptor a) {
  return foldBinary(*this, a.getLhs(), a.getRhs(),
                    [](double x, double y) { return x + y; },
                    [](int64_t x, int64_t y) -> std::optional<int64_t> { return x + y; });
}
OpFoldResult mnn::SubOp::fold(FoldAdaptor a) {
  return foldBinary(*this, a.getLhs(), a.getRhs(),
                    [](double x, double y) { return x - y; },
                    [](int64_t x, int64_t y) -> std::optional<int64_t> { return x - y; });
}
OpFoldResult mnn::MulOp::fold(FoldAdaptor a) {
  return foldBinary(*this, a.getLhs(), a.getRhs(),
                    [](double x, double y) { return x * y; },
                    [](int64_t x, int64_t y) -> std::optional<int64_t> { return x * y; });
}
OpFoldResult mnn::DivOp::fold(FoldAdaptor a) {
  return foldBinary(*this, a.getLhs(), a.getRhs(),
                    [](double x, double y) { return x / y; }, intDiv);
}
OpFoldResult mnn::PowOp::fold(FoldAdaptor a) {
  return foldBinary(*this, a.getLhs(), a.getRhs(),
                    [](double x, double y) { return std::pow(x, y); },
                    [](int64_t x, int64_t y) -> std::optional<int64_t> {
                      return (int64_t)std::pow((double)x, (double)y);
                    });
}

OpFoldResult mnn::NegOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return -x; },
                   [](int64_t x) { return (int64_t)(0 - (uint64_t)x); });
}
OpFoldResult mnn::ReluOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return x > 0 ? x : 0; });
}
OpFoldResult mnn::SigmoidOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(),
                   [](double x) { return 1.0 / (1.0 + std::exp(-x)); });
}
OpFoldResult mnn::TanhOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return std::tanh(x); });
}
OpFoldResult mnn::ExpOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return std::exp(x); });
}
OpFoldResult mnn::SqrtOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return std::sqrt(x); });
}
OpFoldResult mnn::ErfOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return std::erf(x); });
}
OpFoldResult mnn::ReciprocalOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) { return 1.0 / x; });
}
OpFoldResult mnn::HardSwishOp::fold(FoldAdaptor a) {
  return foldUnary(*this, a.getInput(), [](double x) {
    return x * std::min(1.0, std::max(0.0, x / 6 + 0.5));
  });
}
OpFoldResult mnn::GeluOp::fold(FoldAdaptor a) {
  bool tanhForm = getApproximate() == "tanh";
  return foldUnary(*this, a.getInput(), [tanhForm](double x) {
    if (tanhForm)
      return 0.5 * x *
             (1 + std::tanh(std::sqrt(2 / M_PI) * (x + 0.044715 * x * x * x)));
    return 0.5 * x * (1 + std::erf(x / std::sqrt(2.0)));
  });
}
OpFoldResult mnn::HardSigmoidOp::fold(FoldAdaptor a) {
  double alpha = getAlpha().convertToDouble(), beta = getBeta().convertToDouble();
  return foldUnary(*this, a.getInput(), [=](double x) {
    return std::min(1.0, std::max(0.0, alpha * x + beta));
  });
}
OpFoldResult mnn::ClipOp::fold(FoldAdaptor a) {
  double lo = getMin().convertToDouble(), hi = getMax().convertToDouble();
  return foldUnary(*this, a.getInput(),
                   [=](double x) { return std::min(hi, std::max(lo, x)); });
}

OpFoldResult mnn::CastOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  ElementsAttr in = foldableConstant(a.getInput());
  if (!in)
    return {};
  auto type = cast<RankedTensorType>(getOutput().getType());
  Type inElt = cast<ShapedType>(in.getType()).getElementType();
  // The folders below write f32/f64/whole-byte integer elements only; casts
  // to narrower types are left to the generated code.
  Type outElt = type.getElementType();
  if (!(outElt.isF32() || outElt.isF64() ||
        (isa<IntegerType>(outElt) && !isSubByteInteger(outElt))))
    return {};
  if (isa<FloatType>(inElt)) {
    auto v = getAsDoubles(in);
    if (!v)
      return {};
    if (!isa<FloatType>(type.getElementType()))
      for (double &x : *v)
        x = type.getElementType().isInteger(1) ? (x != 0) : std::trunc(x);
    return makeElementsFromDoubles(type, *v);
  }
  auto v = getAsInts(in);
  if (!v)
    return {};
  return makeElementsFromInts(type, *v);
}

OpFoldResult mnn::TransposeOp::fold(FoldAdaptor a) {
  ArrayRef<int64_t> perm = getPerm();
  bool identity = true;
  for (size_t i = 0; i < perm.size(); ++i)
    identity &= perm[i] == (int64_t)i;
  if (identity)
    return getInput();
  // Weight transposes (Gemm transB) may be large: no element limit here.
  auto in = dyn_cast_or_null<ElementsAttr>(a.getInput());
  if (!in)
    return {};
  auto type = cast<RankedTensorType>(getOutput().getType());
  auto inShape = cast<ShapedType>(in.getType()).getShape();
  SmallVector<int64_t> inStrides = stridesOf(inShape);
  SmallVector<int64_t> index;
  return permuteElements(in, type, [&](int64_t i) {
    unflatten(i, type.getShape(), index);
    int64_t off = 0;
    for (size_t d = 0; d < perm.size(); ++d)
      off += index[d] * inStrides[perm[d]];
    return off;
  });
}

OpFoldResult mnn::ReshapeOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  auto in = dyn_cast_or_null<ElementsAttr>(a.getInput());
  if (!in)
    return {};
  auto type = cast<RankedTensorType>(getOutput().getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(in))
    return dense.reshape(type);
  return permuteElements(in, type, [](int64_t i) { return i; });
}

OpFoldResult mnn::ConcatOp::fold(FoldAdaptor a) {
  if (getInputs().size() == 1)
    return getInputs()[0];
  SmallVector<ElementsAttr> parts;
  for (Attribute attr : a.getInputs()) {
    ElementsAttr e = foldableConstant(attr);
    if (!e)
      return {};
    parts.push_back(e);
  }
  auto type = cast<RankedTensorType>(getOutput().getType());
  int64_t axis = getAxis(), w = elementByteWidth(type.getElementType());
  // Copy rows: outer = dims before axis, inner = bytes of one axis slice.
  int64_t outer = 1;
  for (int64_t d = 0; d < axis; ++d)
    outer *= type.getDimSize(d);
  std::vector<char> out;
  out.reserve(type.getNumElements() * w);
  SmallVector<std::vector<char>> raws;
  for (ElementsAttr e : parts) {
    auto raw = getRawBytes(e);
    if (!raw)
      return {};
    raws.push_back(std::move(*raw));
  }
  for (int64_t o = 0; o < outer; ++o)
    for (size_t p = 0; p < parts.size(); ++p) {
      int64_t chunk = raws[p].size() / outer;
      out.insert(out.end(), raws[p].begin() + o * chunk,
                 raws[p].begin() + (o + 1) * chunk);
    }
  return makeElements(type, out);
}

OpFoldResult mnn::SliceOp::fold(FoldAdaptor a) {
  auto inType = cast<RankedTensorType>(getInput().getType());
  auto type = cast<RankedTensorType>(getOutput().getType());
  bool identity = inType == type;
  for (size_t d = 0; d < getStarts().size(); ++d)
    identity &= getStarts()[d] == 0 && getSteps()[d] == 1;
  if (identity)
    return getInput();
  ElementsAttr in = foldableConstant(a.getInput());
  if (!in)
    return {};
  SmallVector<int64_t> inStrides = stridesOf(inType.getShape());
  SmallVector<int64_t> index;
  return permuteElements(in, type, [&](int64_t i) {
    unflatten(i, type.getShape(), index);
    int64_t off = 0;
    for (size_t d = 0; d < index.size(); ++d)
      off += (getStarts()[d] + index[d] * getSteps()[d]) * inStrides[d];
    return off;
  });
}

OpFoldResult mnn::GatherOp::fold(FoldAdaptor a) {
  ElementsAttr data = foldableConstant(a.getData());
  ElementsAttr idxAttr = foldableConstant(a.getIndices());
  if (!data || !idxAttr)
    return {};
  auto indices = getAsInts(idxAttr);
  if (!indices)
    return {};
  auto dataShape = cast<ShapedType>(data.getType()).getShape();
  int64_t axis = getAxis(), axisDim = dataShape[axis];
  for (int64_t &i : *indices) {
    if (i < -axisDim || i >= axisDim)
      return {}; // out of range: the verifier of the importer reports it
    if (i < 0)
      i += axisDim;
  }
  auto type = cast<RankedTensorType>(getOutput().getType());
  int64_t inner = 1;
  for (size_t d = axis + 1; d < dataShape.size(); ++d)
    inner *= dataShape[d];
  int64_t numIdx = indices->size();
  return permuteElements(data, type, [&](int64_t i) {
    int64_t in = i % inner, rest = i / inner;
    int64_t k = rest % numIdx, outer = rest / numIdx;
    return (outer * axisDim + (*indices)[k]) * inner + in;
  });
}
