//===- TopLevelOps.h - ops of a function body outside any loop -*- C++ -*-===//
//
// The lowering may choose between schedules at run time (an scf.if on the
// thread count, BufferInfo.h's bandTaskThreads). The ops in either branch
// still run once per call, like those of the body itself: mnn-tile tiles
// them and mnn-outline-parallel outlines their parallel loops.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_TOPLEVELOPS_H
#define MNN_TOPLEVELOPS_H

#include "mlir/Dialect/SCF/IR/SCF.h"
#include "llvm/ADT/STLFunctionalExtras.h"

namespace mnn {

/// Calls `fn` on each op of `block` in order and, for an scf.if, on the ops
/// of its branches (recursively) right after it.
inline void forEachTopLevelOp(mlir::Block &block,
                              llvm::function_ref<void(mlir::Operation &)> fn) {
  for (mlir::Operation &op : block) {
    fn(op);
    if (mlir::isa<mlir::scf::IfOp>(op))
      for (mlir::Region &region : op.getRegions())
        for (mlir::Block &branch : region)
          forEachTopLevelOp(branch, fn);
  }
}

} // namespace mnn

#endif // MNN_TOPLEVELOPS_H
