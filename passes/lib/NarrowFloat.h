//===- NarrowFloat.h - bf16/float8 <-> f32 as integer code -----*- C++ -*-===//
//
// Conversions between f32 and the narrow float formats of mnn/ElementTypes.h
// (bf16, f8E4M3FN, f8E4M3FNUZ, f8E5M2, f8E5M2FNUZ), emitted as arith ops on
// i32 bits: LLVM 19 has no f8 types and its bf16 truncation needs a libgcc
// routine that Debian 12's toolchain lacks. The bodies are branch-free, so
// LLVM vectorizes them. They compute the same bits as the reference
// encodeNarrowFloat / decodeNarrowFloat (ml_dtypes' conversions).
//
// Lowerings of Cast, of elementwise ops on these types, and of
// QuantizeLinear/DequantizeLinear to float8 build on these two functions.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_NARROWFLOAT_H
#define MNN_PASSES_NARROWFLOAT_H

#include "mnn/ElementTypes.h"

#include "mlir/IR/Builders.h"

namespace mnn::lowering {

/// Bits of a narrow float (an i8 or i16 value, the buffer storage) -> f32.
/// Exact; NaNs become the canonical quiet NaN with their sign.
mlir::Value emitNarrowFloatToF32(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value bits, const NarrowFloatFormat &f);

/// f32 -> bits of the narrow float (i8 or i16, the storage type), rounding
/// to nearest even. `saturate` clamps out-of-range values and infinities to
/// the largest finite value (ONNX Cast's saturate=1 for float8); otherwise
/// they become inf where the format has one, else NaN.
mlir::Value emitF32ToNarrowFloat(mlir::OpBuilder &b, mlir::Location loc,
                                 mlir::Value x, const NarrowFloatFormat &f,
                                 bool saturate);

} // namespace mnn::lowering

#endif // MNN_PASSES_NARROWFLOAT_H
