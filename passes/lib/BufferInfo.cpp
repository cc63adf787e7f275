//===- BufferInfo.cpp - facts shared by memory planning and lowering ------===//
#include "mnn/BufferInfo.h"

#include "Winograd.h"

#include "mnn/MNNDialect.h"

#include "mlir/IR/BuiltinTypes.h"

using namespace mlir;

namespace mnn {

int64_t byteSize(Type type) {
  auto shaped = cast<ShapedType>(type);
  Type elt = shaped.getElementType();
  int64_t width = elt.isInteger(1) ? 1 : (elt.getIntOrFloatBitWidth() + 7) / 8;
  return shaped.getNumElements() * width;
}

bool isViewOp(Operation *op) { return isa<ReshapeOp>(op); }

Value bufferRoot(Value v) {
  while (Operation *def = v.getDefiningOp()) {
    if (!isViewOp(def))
      break;
    v = def->getOperand(0);
  }
  return v;
}

static bool hasPadding(ArrayRef<int64_t> pads) {
  return llvm::any_of(pads, [](int64_t p) { return p != 0; });
}

int64_t scratchBytes(Operation *op) {
  // Winograd convs: padded HWC input, V and M (Winograd.h).
  if (auto conv = dyn_cast<Conv2DOp>(op); conv && winograd::outputTile(conv.getFilterLayout()))
    return winograd::shapeOf(conv).totalElements * 4;
  auto paddedBytes = [](Value input, ArrayRef<int64_t> pads) -> int64_t {
    auto t = cast<RankedTensorType>(input.getType());
    int64_t h = t.getDimSize(2) + pads[0] + pads[2];
    int64_t w = t.getDimSize(3) + pads[1] + pads[3];
    return t.getDimSize(0) * t.getDimSize(1) * h * w *
           (t.getElementType().getIntOrFloatBitWidth() / 8);
  };
  if (auto conv = dyn_cast<Conv2DOp>(op))
    return hasPadding(conv.getPads()) ? paddedBytes(conv.getInput(), conv.getPads())
                                      : 0;
  if (auto pool = dyn_cast<Pool2DOp>(op))
    return hasPadding(pool.getPads()) ? paddedBytes(pool.getInput(), pool.getPads())
                                      : 0;
  return 0;
}

} // namespace mnn
