//===- WidenF16.cpp - compute f16 kernels in f32 -------------------------===//
//
// The compute-heavy kernels lower for f32 and f64 only. An f16 op among them
// is rewritten to cast(f16 -> f32), the op on f32, cast(f32 -> f16): one
// rounding at the end instead of one per accumulation step, and the f32
// microkernels apply. Elementwise ops need no rewrite (they extend f16 to f32
// in their bodies).
//
//===----------------------------------------------------------------------===//
#include "mnn/MNNDialect.h"
#include "mnn/Passes.h"

#include "mlir/IR/Builders.h"

namespace mnn {
#define GEN_PASS_DEF_WIDENF16
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

bool isF16Tensor(Type t) {
  auto r = dyn_cast<RankedTensorType>(t);
  return r && r.getElementType().isF16();
}

Type widened(Type t) {
  auto r = cast<RankedTensorType>(t);
  return RankedTensorType::get(r.getShape(), Float32Type::get(t.getContext()));
}

bool isKernelOp(Operation *op) {
  if (auto r = dyn_cast<mnn::ResampleOp>(op))
    return !r.isGather(); // nearest resampling copies any element type
  return isa<mnn::Conv2DOp, mnn::MatMulOp, mnn::Pool2DOp, mnn::ReduceOp,
             mnn::SoftmaxOp, mnn::LogSoftmaxOp, mnn::LayerNormOp,
             mnn::GridSampleOp, mnn::BatchNormOp>(op);
}

struct WidenF16Pass : mnn::impl::WidenF16Base<WidenF16Pass> {
  void runOnOperation() override {
    SmallVector<Operation *> ops;
    getOperation().walk([&](Operation *op) {
      if (isKernelOp(op) && llvm::any_of(op->getResultTypes(), isF16Tensor))
        ops.push_back(op);
    });
    for (Operation *op : ops) {
      OpBuilder b(op);
      for (OpOperand &use : op->getOpOperands())
        if (isF16Tensor(use.get().getType()))
          use.set(b.create<mnn::CastOp>(op->getLoc(), widened(use.get().getType()),
                                        use.get()));
      b.setInsertionPointAfter(op);
      for (OpResult r : op->getResults()) {
        if (!isF16Tensor(r.getType()))
          continue;
        Type f16 = r.getType();
        r.setType(widened(f16));
        auto back = b.create<mnn::CastOp>(op->getLoc(), f16, r);
        r.replaceAllUsesExcept(back.getResult(), back);
      }
    }
  }
};

} // namespace
