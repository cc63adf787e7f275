//===- MNNOps.cpp - verifiers and helpers of mnn ops ----------------------===//
#include "mnn/MNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/OpImplementation.h"

using namespace mlir;

bool mnn::isKnownActivation(llvm::StringRef name) {
  return llvm::is_contained({"none", "relu", "clip", "hard_swish",
                             "hard_sigmoid", "sigmoid"},
                            name);
}

static LogicalResult verifyEpilogue(Operation *op, StringRef activation,
                                    Value residual) {
  if (!mnn::isKnownActivation(activation))
    return op->emitOpError("unknown activation '") << activation << "'";
  if (residual && residual.getType() != op->getResult(0).getType())
    return op->emitOpError("residual type ")
           << residual.getType() << " differs from result type "
           << op->getResult(0).getType();
  return success();
}

int64_t mnn::Conv2DOp::getOutputChannels() {
  return cast<RankedTensorType>(getOutput().getType()).getDimSize(1);
}
/// Winograd layouts ("winograd2", "winograd4" and their tiles-as-lanes
/// forms "winograd2t", "winograd4t": [(m+2)^2, Cout/S, Cin, S])
/// hold a transformed 3x3 filter.
static bool isWinogradLayout(StringRef layout) {
  return layout.starts_with("winograd");
}
int64_t mnn::Conv2DOp::getKernelH() {
  auto fs = cast<RankedTensorType>(getFilter().getType()).getShape();
  StringRef layout = getFilterLayout();
  if (isWinogradLayout(layout))
    return 3;
  return layout == "oihw" ? fs[2] : layout == "bhwigo" ? fs[1] : fs[0];
}
int64_t mnn::Conv2DOp::getKernelW() {
  auto fs = cast<RankedTensorType>(getFilter().getType()).getShape();
  StringRef layout = getFilterLayout();
  if (isWinogradLayout(layout))
    return 3;
  return layout == "oihw" ? fs[3] : layout == "bhwigo" ? fs[2] : fs[1];
}

LogicalResult mnn::Conv2DOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto fs = cast<RankedTensorType>(getFilter().getType()).getShape();
  int64_t g = getGroup();
  int64_t cin = in.getDimSize(1), cout = getOutputChannels();
  if (g <= 0 || cin % g != 0 || cout % g != 0)
    return emitOpError("group ") << g << " must divide input channels " << cin
                                 << " and output channels " << cout;
  StringRef layout = getFilterLayout();
  if (isWinogradLayout(layout)) {
    if (g != 1)
      return emitOpError(layout) << " filter needs group 1";
    for (int64_t v : getStrides())
      if (v != 1)
        return emitOpError(layout) << " filter needs stride 1";
    for (int64_t v : getDilations())
      if (v != 1)
        return emitOpError(layout) << " filter needs dilation 1";
  }
  int64_t cinPerGroup = layout == "oihw" ? fs[1] : layout == "bhwigo" ? fs[3] : fs[2];
  if (cinPerGroup != cin / g)
    return emitOpError("filter expects ")
           << cinPerGroup * g << " input channels but the input has " << cin;
  int64_t groupDim = layout == "hwigo" ? fs[3] : layout == "bhwigo" ? fs[4] : g;
  if (groupDim != g)
    return emitOpError(layout) << " filter group dim " << groupDim
                               << " != group " << g;
  for (int64_t v : getStrides())
    if (v <= 0)
      return emitOpError("strides must be positive");
  for (int64_t v : getDilations())
    if (v <= 0)
      return emitOpError("dilations must be positive");
  for (int64_t v : getPads())
    if (v < 0)
      return emitOpError("pads must be non-negative");
  if (getBias()) {
    auto bt = cast<RankedTensorType>(getBias().getType());
    if (bt.getNumElements() != cout)
      return emitOpError("bias has ") << bt.getNumElements()
                                      << " elements, expected " << cout;
  }
  return verifyEpilogue(*this, getActivation(), getResidual());
}

LogicalResult mnn::MatMulOp::verify() {
  if (getBias()) {
    auto out = cast<RankedTensorType>(getOutput().getType());
    auto bt = cast<RankedTensorType>(getBias().getType());
    if (out.getRank() == 0 || bt.getNumElements() != out.getShape().back())
      return emitOpError("bias must have one element per output column");
  }
  return verifyEpilogue(*this, getActivation(), getResidual());
}

LogicalResult mnn::ReduceOp::verify() {
  if (!llvm::is_contained({"sum", "mean", "max", "min", "prod", "l1", "l2",
                             "sum_square", "log_sum"},
                            getKind()))
    return emitOpError("unknown reduction kind '") << getKind() << "'";
  int64_t rank = cast<RankedTensorType>(getInput().getType()).getRank();
  for (int64_t a : getAxes())
    if (a < 0 || a >= rank)
      return emitOpError("reduction axis ") << a << " out of range";
  return success();
}

LogicalResult mnn::Pool2DOp::verify() {
  if (getKind() != "max" && getKind() != "avg")
    return emitOpError("pool kind must be max or avg");
  if (getCountedPads().size() != 4)
    return emitOpError("counted_pads needs 4 entries");
  for (int64_t v : getStrides())
    if (v <= 0)
      return emitOpError("strides must be positive");
  return success();
}

LogicalResult mnn::TransposeOp::verify() {
  SmallVector<bool> seen(getPerm().size(), false);
  for (int64_t p : getPerm()) {
    if (p < 0 || p >= (int64_t)seen.size() || seen[p])
      return emitOpError("perm is not a permutation");
    seen[p] = true;
  }
  return success();
}

LogicalResult mnn::ReshapeOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (!in.hasStaticShape() || in.getNumElements() != out.getNumElements())
    return emitOpError("cannot reshape ")
           << in << " into " << out << ": element counts differ";
  if (in.getElementType() != out.getElementType())
    return emitOpError("reshape must keep the element type");
  return success();
}

LogicalResult mnn::SliceOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  if ((int64_t)getStarts().size() != in.getRank() ||
      (int64_t)getSteps().size() != in.getRank())
    return emitOpError("starts/sizes/steps need one entry per dim");
  for (int64_t d = 0; d < in.getRank(); ++d) {
    int64_t start = getStarts()[d], size = getSizes()[d], step = getSteps()[d];
    if (step == 0 || size < 0)
      return emitOpError("slice step 0 or negative size in dim ") << d;
    if (size == 0)
      continue;
    int64_t last = start + (size - 1) * step;
    if (start < 0 || start >= in.getDimSize(d) || last < 0 ||
        last >= in.getDimSize(d))
      return emitOpError("slice out of bounds in dim ") << d;
  }
  return success();
}

LogicalResult mnn::GatherOp::verify() {
  auto idx = cast<RankedTensorType>(getIndices().getType());
  if (!isa<IntegerType>(idx.getElementType()))
    return emitOpError("indices must be integers");
  return success();
}

LogicalResult mnn::CastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.getShape() != out.getShape())
    return emitOpError("cast must keep the shape");
  return success();
}

#define GET_OP_CLASSES
#include "mnn/MNNOps.cpp.inc"
