//===- FoldChannelScale.cpp - move an input-channel scale into the weights ===//
//
// A squeeze-and-excitation block ends in x * s, s [1, C, 1, 1] computed at
// run time, read only by a conv. Since
//     conv(x * s, W) = conv(x, W * s along W's input-channel dim),
// the conv can read x directly and scale its weights instead: one pass over
// Cout * Cin * KH * KW weights in place of one over C * H * W activations
// (read and written). Done where the weights are the smaller of the two:
// mobilenet_v3_small's 14x14 projections (40 or 48 output channels over
// 196 pixels) and its 56x56 one, not its 7x7 ones (96 channels, 49 pixels).
//
// Runs after mnn-pack-weights: the scale is reshaped to broadcast along the
// input-channel dim of whichever layout the filter has. A constant scale
// (x / std of an input normalization) always moves: mnn-fold-constants then
// computes the scaled weights at compile time.
//
//===----------------------------------------------------------------------===//
#include "mnn/MNNDialect.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"

namespace mnn {
#define GEN_PASS_DEF_FOLDCHANNELSCALE
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

/// The input-channel dim of a conv filter in `layout` (mnn.conv2d's
/// filter_layout), or -1 for an unknown layout.
int64_t inputChannelDim(StringRef layout) {
  if (layout == "oihw")
    return 1;
  if (layout == "hwigo" || layout.starts_with("winograd"))
    return 2;
  if (layout == "bhwigo")
    return 3;
  return -1;
}

/// Whether `type` broadcasts against NCHW as a per-channel scale of
/// `channels`: [1, C, 1, 1], [C, 1, 1] (aligned from the right).
bool isChannelScale(RankedTensorType type, int64_t channels) {
  if (!type.hasStaticShape() || type.getRank() < 3 || type.getRank() > 4)
    return false;
  ArrayRef<int64_t> shape = type.getShape().take_back(3);
  return shape[0] == channels && shape[1] == 1 && shape[2] == 1 &&
         (type.getRank() == 3 || type.getDimSize(0) == 1);
}

void foldIntoWeights(mnn::Conv2DOp conv) {
  auto mul = conv.getInput().getDefiningOp<mnn::MulOp>();
  if (!mul || !mul->hasOneUse() || conv.getGroup() != 1)
    return;
  auto xType = cast<RankedTensorType>(mul.getType());
  auto filterType = cast<RankedTensorType>(conv.getFilter().getType());
  int64_t dim = inputChannelDim(conv.getFilterLayout());
  if (dim < 0 || xType.getRank() != 4 || !xType.hasStaticShape() ||
      !filterType.hasStaticShape() || !xType.getElementType().isF32() ||
      !filterType.getElementType().isF32() || filterType.getDimSize(dim) != xType.getDimSize(1))
    return;
  // x * s or s * x, x of the product's own type.
  Value x = mul.getLhs(), scale = mul.getRhs();
  if (x.getType() != xType)
    std::swap(x, scale);
  auto scaleType = cast<RankedTensorType>(scale.getType());
  if (x.getType() != xType || !isChannelScale(scaleType, xType.getDimSize(1)))
    return;
  // A constant scale (an input normalization) folds into constant
  // weights at compile time (mnn-fold-constants after this pass).
  if (filterType.getNumElements() > xType.getNumElements() &&
      !matchPattern(scale, m_Constant()))
    return;
  OpBuilder b(conv);
  Location loc = mul.getLoc();
  SmallVector<int64_t> shape(filterType.getRank(), 1);
  shape[dim] = xType.getDimSize(1);
  Value s = b.create<mnn::ReshapeOp>(loc, RankedTensorType::get(shape, scaleType.getElementType()),
                                     scale);
  Value scaled = b.create<mnn::MulOp>(loc, conv.getFilter(), s);
  conv.getFilterMutable().assign(scaled);
  conv.getInputMutable().assign(x);
  mul.erase();
}

struct FoldChannelScalePass : mnn::impl::FoldChannelScaleBase<FoldChannelScalePass> {
  void runOnOperation() override {
    SmallVector<mnn::Conv2DOp> convs;
    getOperation().walk([&](mnn::Conv2DOp conv) { convs.push_back(conv); });
    for (mnn::Conv2DOp conv : convs)
      foldIntoWeights(conv);
  }
};

} // namespace
