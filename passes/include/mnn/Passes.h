//===- Passes.h - mnn compiler passes ---------------------------*- C++ -*-===//
#ifndef MNN_PASSES_H
#define MNN_PASSES_H

#include "mnn/MNNDialect.h"

#include "mlir/Dialect/Affine/IR/AffineOps.h"
#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/ControlFlow/IR/ControlFlow.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Index/IR/IndexDialect.h"
#include "mlir/Dialect/LLVMIR/LLVMDialect.h"
#include "mlir/Dialect/Linalg/IR/Linalg.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/MemRef/IR/MemRef.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Vector/IR/VectorOps.h"
#include "mlir/Pass/Pass.h"

namespace mnn {

#define GEN_PASS_DECL
#include "mnn/Passes.h.inc"

#define GEN_PASS_REGISTRATION
#include "mnn/Passes.h.inc"

/// Attribute names shared by the memory planner and the lowering.
inline constexpr llvm::StringLiteral kOffsetAttr = "mnn.offset";
inline constexpr llvm::StringLiteral kArenaBytesAttr = "mnn.arena_bytes";
inline constexpr llvm::StringLiteral kUnplannedBytesAttr = "mnn.unplanned_bytes";
/// Scratch each pool worker needs besides the arena (mnnrt_thread_scratch).
inline constexpr llvm::StringLiteral kThreadScratchBytesAttr = "mnn.thread_scratch_bytes";
inline constexpr llvm::StringLiteral kKernelAttr = "mnn.kernel";
/// Name of the function that computes the whole model after lowering.
inline constexpr llvm::StringLiteral kMainFunction = "__mnn_main";

} // namespace mnn

#endif // MNN_PASSES_H
