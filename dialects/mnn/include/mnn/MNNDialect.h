//===- MNNDialect.h - the mnn graph dialect ---------------------*- C++ -*-===//
#ifndef MNN_MNNDIALECT_H
#define MNN_MNNDIALECT_H

#include "mlir/Bytecode/BytecodeOpInterface.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Dialect.h"
#include "mlir/IR/OpDefinition.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"

#include "mnn/MNNDialect.h.inc"

#define GET_OP_CLASSES
#include "mnn/MNNOps.h.inc"

namespace mnn {

/// Numpy broadcast of two static shapes; failure if they are incompatible.
mlir::FailureOr<llvm::SmallVector<int64_t>>
broadcastShapes(llvm::ArrayRef<int64_t> a, llvm::ArrayRef<int64_t> b);

/// Epilogue activations understood by conv2d/matmul.
bool isKnownActivation(llvm::StringRef name);

} // namespace mnn

#endif // MNN_MNNDIALECT_H
