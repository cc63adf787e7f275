//===- KernelEpilogue.h - bias/residual/activation of a kernel op -*- C++ -*-===//
//
// A kernel op (linalg.generic marked mnn.kernel, body `acc + a * b`) may
// carry its epilogue, so that the microkernel starts its accumulators from
// the bias and residual and applies the activation before its one store,
// instead of three more passes over the output:
//   - DPS inputs after the two operands are addends of the initial value
//     (bias, residual), each with its own indexing map over the op's
//     parallel dims; the body ignores them;
//   - the unit attribute mnn.epilogue marks that the output is overwritten:
//         out = act(sum of the addends (0 if none) + sum over k of a * b)
//     and mnn.activation / mnn.clip name the activation.
// Whoever cannot fuse it (a reduction split into blocks, a tile the
// microkernel does not take) calls materializeEpilogue, which restores the
// plain form: init op, accumulate-only kernel op, activation op.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_KERNELEPILOGUE_H
#define MNN_PASSES_KERNELEPILOGUE_H

#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/IR/Builders.h"

#include <string>

namespace mnn {

inline constexpr llvm::StringLiteral kEpilogueAttr = "mnn.epilogue";

struct KernelEpilogue {
  std::string activation = "none";
  double lo = 0, hi = 0; // clip bounds or hard_sigmoid alpha/beta

  /// The epilogue of `op`, or none if its output is accumulated into.
  static std::optional<KernelEpilogue> of(mlir::Operation *op);
  /// Marks `op` (whose extra inputs are the addends) with this epilogue.
  void attachTo(mlir::Operation *op) const;
};

/// The addends of the initial value: the kernel op's inputs after the two
/// multiplied operands.
inline mlir::OperandRange epilogueAddends(mlir::linalg::GenericOp op) {
  return op.getInputs().drop_front(2);
}

/// `act(x)` for a float or a vector of floats (relu, clip, hard_sigmoid,
/// hard_swish, sigmoid; "none" returns x).
mlir::Value activationBody(mlir::OpBuilder &b, mlir::Location loc,
                           mlir::Value x, llvm::StringRef act, double lo,
                           double hi);

/// Splits the epilogue of `op` off into an init op before it and an
/// activation op after it (both over op's output), replacing `op` by an
/// accumulate-only copy, which is returned. Attributes other than the
/// epilogue's are kept.
mlir::linalg::GenericOp materializeEpilogue(mlir::OpBuilder &b,
                                            mlir::linalg::GenericOp op);

} // namespace mnn

#endif // MNN_PASSES_KERNELEPILOGUE_H
