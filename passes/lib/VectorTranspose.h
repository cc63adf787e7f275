//===- VectorTranspose.h - square transposes of 1-D vectors ------*- C++ -*-===//
//
// The transpose of `width` vectors of `width` lanes (a power of two), as
// log2(width) stages of width shuffles: stage h swaps the off-diagonal
// h x h blocks of every 2h x 2h block. Row i of the result holds lane i of
// every input vector. Also the lane order of AVX2's even/odd picks.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_VECTORTRANSPOSE_H
#define MNN_PASSES_VECTORTRANSPOSE_H

#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/IR/Builders.h"

namespace mnn {

/// The columns that AVX2's even/odd pick of two 8-lane registers (one
/// vshufps, which works within 128-bit halves) leaves in lanes 0..7; the
/// permutation is its own inverse. Kernels whose lanes are independent keep
/// this order and restore it once, at the store.
inline constexpr int64_t kVshufpsEvenOddOrder[8] = {0, 1, 4, 5, 2, 3, 6, 7};

inline llvm::SmallVector<mlir::Value> transposeSquare(mlir::OpBuilder &b, mlir::Location loc,
                                                      llvm::SmallVector<mlir::Value> v,
                                                      int64_t width) {
  for (int64_t h = 1; h < width; h *= 2) {
    llvm::SmallVector<int64_t> lo, hi;
    for (int64_t e = 0; e < width; ++e) {
      lo.push_back((e & h) ? width + e - h : e);
      hi.push_back((e & h) ? width + e : e + h);
    }
    llvm::SmallVector<mlir::Value> next(v.size());
    for (int64_t i = 0; i < width; ++i) {
      if (i & h)
        continue;
      next[i] = b.create<mlir::vector::ShuffleOp>(loc, v[i], v[i + h], lo);
      next[i + h] = b.create<mlir::vector::ShuffleOp>(loc, v[i], v[i + h], hi);
    }
    v = next;
  }
  return v;
}

} // namespace mnn

#endif // MNN_PASSES_VECTORTRANSPOSE_H
