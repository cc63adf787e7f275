//===- FoldBatchNorm.cpp - fold inference batch_norm away -----------------===//
//
// batch_norm(x) = (x - mean) * s + bias with s = scale / sqrt(var + eps),
// per channel (dim 1). With constant parameters:
//
// 1. x = conv2d(in, W, b) with a constant filter (either layout), an optional
//    constant bias, no residual, activation none, and the batch_norm as its
//    only user: the conv is rewritten in place to
//        conv2d(in, W * s[o], (b - mean) * s + bias)
//    (a missing b counts as 0; the new bias is [Cout] unless b had a shape).
// 2. Otherwise: x * s + t with t = bias - mean * s, as mnn.mul and mnn.add
//    whose constants have shape [C, 1, ..., 1] (rank - 1 dims, so they
//    broadcast over dim 1 of the input).
//
// All parameter math is done in double and rounded once to the element type.
// A batch_norm with a non-constant parameter or a non-f32/f64 element type is
// left as is.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cmath>

namespace mnn {
#define GEN_PASS_DEF_FOLDBATCHNORM
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

/// Values of a constant operand, or nullopt if it is not a readable constant.
std::optional<std::vector<double>> constantValues(Value v) {
  ElementsAttr attr;
  if (!v || !matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  return mnn::getAsDoubles(attr);
}

bool isF32OrF64(Type t) { return t.isF32() || t.isF64(); }

/// Per-channel affine form of a batch_norm: y = x * s[c] + t[c].
struct ChannelAffine {
  std::vector<double> s, t, mean, bias;
};

std::optional<ChannelAffine> channelAffine(mnn::BatchNormOp bn) {
  auto type = cast<RankedTensorType>(bn.getInput().getType());
  if (type.getRank() < 2 || !isF32OrF64(type.getElementType()))
    return std::nullopt;
  int64_t channels = type.getDimSize(1);
  auto scale = constantValues(bn.getScale());
  auto bias = constantValues(bn.getBias());
  auto mean = constantValues(bn.getMean());
  auto var = constantValues(bn.getVariance());
  if (!scale || !bias || !mean || !var)
    return std::nullopt;
  for (auto *p : {&*scale, &*bias, &*mean, &*var})
    if ((int64_t)p->size() != channels)
      return std::nullopt;
  // ONNX stores epsilon as a float: use the float value, widened.
  double eps = bn.getEpsilon().convertToDouble();
  ChannelAffine a;
  a.s.resize(channels);
  a.t.resize(channels);
  for (int64_t c = 0; c < channels; ++c) {
    a.s[c] = (*scale)[c] / std::sqrt((*var)[c] + eps);
    a.t[c] = (*bias)[c] - (*mean)[c] * a.s[c];
  }
  a.mean = std::move(*mean);
  a.bias = std::move(*bias);
  return a;
}

Value makeConstant(OpBuilder &b, Location loc, ShapedType type,
                   ArrayRef<double> values) {
  return b.create<mnn::ConstantOp>(loc, type,
                                   mnn::makeElementsFromDoubles(type, values));
}

/// Case 1: scales the conv's filter and bias in place. Returns false if the
/// conv does not qualify.
bool foldIntoConv(mnn::BatchNormOp bn, const ChannelAffine &a) {
  auto conv = bn.getInput().getDefiningOp<mnn::Conv2DOp>();
  if (!conv || !conv.getOutput().hasOneUse() || conv.getResidual() ||
      conv.getActivation() != "none")
    return false;
  auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
  if (!isF32OrF64(filterType.getElementType()))
    return false;
  auto filter = constantValues(conv.getFilter());
  if (!filter)
    return false;
  int64_t cout = conv.getOutputChannels();
  std::vector<double> oldBias(cout, 0.0);
  if (conv.getBias()) {
    auto b = constantValues(conv.getBias());
    if (!b || (int64_t)b->size() != cout)
      return false;
    oldBias = std::move(*b);
  }

  // Output channel of flat filter element i: oihw has it outermost; in
  // hwigo the innermost [g, Cout/g] pair is exactly o = gi * Cout/g + co.
  int64_t n = filterType.getNumElements();
  bool oihw = conv.getFilterLayout() == "oihw";
  int64_t perChannel = n / cout;
  for (int64_t i = 0; i < n; ++i)
    (*filter)[i] *= a.s[oihw ? i / perChannel : i % cout];
  std::vector<double> newBias(cout);
  for (int64_t o = 0; o < cout; ++o)
    newBias[o] = (oldBias[o] - a.mean[o]) * a.s[o] + a.bias[o];

  OpBuilder b(conv);
  auto biasType = conv.getBias()
                      ? cast<ShapedType>(conv.getBias().getType())
                      : RankedTensorType::get({cout}, filterType.getElementType());
  Value newFilter = makeConstant(b, conv.getLoc(), filterType, *filter);
  Value newBiasValue = makeConstant(b, bn.getLoc(), biasType, newBias);
  conv.getFilterMutable().assign(newFilter);
  conv.getBiasMutable().assign(newBiasValue);
  // The conv now computes the batch_norm's value: it carries both locations.
  conv->setLoc(b.getFusedLoc({conv.getLoc(), bn.getLoc()}));
  bn.getOutput().replaceAllUsesWith(conv.getOutput());
  bn.erase();
  return true;
}

/// Case 2: x * s + t with [C, 1, ...] constants.
void lowerToMulAdd(mnn::BatchNormOp bn, const ChannelAffine &a) {
  auto type = cast<RankedTensorType>(bn.getInput().getType());
  SmallVector<int64_t> shape(type.getRank() - 1, 1);
  shape[0] = type.getDimSize(1);
  auto paramType = RankedTensorType::get(shape, type.getElementType());
  OpBuilder b(bn);
  Location loc = bn.getLoc();
  Value s = makeConstant(b, loc, paramType, a.s);
  Value t = makeConstant(b, loc, paramType, a.t);
  Value scaled = b.create<mnn::MulOp>(loc, bn.getInput(), s);
  Value shifted = b.create<mnn::AddOp>(loc, scaled, t);
  bn.getOutput().replaceAllUsesWith(shifted);
  bn.erase();
}

/// Erases constants left without users by the rewrites.
void eraseDeadConstants(func::FuncOp func) {
  func.walk([](mnn::ConstantOp c) {
    if (c->use_empty())
      c.erase();
  });
}

struct FoldBatchNormPass : mnn::impl::FoldBatchNormBase<FoldBatchNormPass> {
  using FoldBatchNormBase::FoldBatchNormBase;
  void runOnOperation() override {
    SmallVector<mnn::BatchNormOp> bns;
    getOperation().walk([&](mnn::BatchNormOp bn) { bns.push_back(bn); });
    for (mnn::BatchNormOp bn : bns) {
      std::optional<ChannelAffine> a = channelAffine(bn);
      if (!a)
        continue;
      if (!foldIntoConv(bn, *a))
        lowerToMulAdd(bn, *a);
    }
    eraseDeadConstants(getOperation());
  }
};

} // namespace
