//===- ElementsUtils.h - reading and making constant tensors ----*- C++ -*-===//
//
// Weights arrive as dense resource blobs (no copy of the model's bytes); small
// folded values are plain DenseElementsAttr. These helpers hide the
// difference from passes.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_ELEMENTSUTILS_H
#define MNN_ELEMENTSUTILS_H

#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/SmallVector.h"

#include <optional>
#include <vector>

namespace mnn {

/// Raw little-endian bytes of a dense constant (splats expanded), or nullopt
/// for attributes that are not dense data.
std::optional<std::vector<char>> getRawBytes(mlir::ElementsAttr attr);

/// Values converted to double / int64 (any int or float element type).
std::optional<std::vector<double>> getAsDoubles(mlir::ElementsAttr attr);
std::optional<std::vector<int64_t>> getAsInts(mlir::ElementsAttr attr);

/// Makes a constant of `type` from raw bytes: an owned resource blob when
/// large (keeps printed IR short), a DenseElementsAttr when small.
mlir::ElementsAttr makeElements(mlir::ShapedType type,
                                llvm::ArrayRef<char> bytes);
/// From doubles/ints converted to the element type of `type`.
mlir::ElementsAttr makeElementsFromDoubles(mlir::ShapedType type,
                                           llvm::ArrayRef<double> values);
mlir::ElementsAttr makeElementsFromInts(mlir::ShapedType type,
                                        llvm::ArrayRef<int64_t> values);

/// Byte width of an element type supported in constants.
int64_t elementByteWidth(mlir::Type type);

} // namespace mnn

#endif // MNN_ELEMENTSUTILS_H
