//===- OpUtils.h - helpers shared by the op definition files ---*- C++ -*-===//
//
// Internal to dialects/mnn/lib: the type checks, message formatting and
// constant-folding limits that shape inference and the folders of every op
// family use.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_DIALECTS_MNN_LIB_OPUTILS_H
#define MNN_DIALECTS_MNN_LIB_OPUTILS_H

#include "mlir/IR/BuiltinAttributeInterfaces.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/Value.h"

#include <string>

namespace mnn::detail {

/// Folders give up on constants larger than this (compile time and memory).
constexpr int64_t kMaxFoldElements = 1 << 20;

/// `a` as an elements attribute small enough to fold, else null.
inline mlir::ElementsAttr foldableConstant(mlir::Attribute a) {
  auto e = llvm::dyn_cast_or_null<mlir::ElementsAttr>(a);
  if (!e ||
      llvm::cast<mlir::ShapedType>(e.getType()).getNumElements() > kMaxFoldElements)
    return nullptr;
  return e;
}

inline mlir::RankedTensorType rankedOf(mlir::Value v) {
  return llvm::dyn_cast<mlir::RankedTensorType>(v.getType());
}

/// "1x3x224x224" ("scalar" for rank 0), for messages.
inline std::string shapeStr(llvm::ArrayRef<int64_t> shape) {
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s.empty() ? "scalar" : s;
}

/// Row-major element strides of `shape`.
inline llvm::SmallVector<int64_t> stridesOf(llvm::ArrayRef<int64_t> shape) {
  llvm::SmallVector<int64_t> s(shape.size(), 1);
  for (int i = (int)shape.size() - 2; i >= 0; --i)
    s[i] = s[i + 1] * shape[i + 1];
  return s;
}

/// The multi-index of row-major element `flat` of `shape`.
inline void unflatten(int64_t flat, llvm::ArrayRef<int64_t> shape,
                      llvm::SmallVectorImpl<int64_t> &index) {
  index.assign(shape.size(), 0);
  for (int i = (int)shape.size() - 1; i >= 0; --i) {
    index[i] = shape[i] ? flat % shape[i] : 0;
    flat = shape[i] ? flat / shape[i] : 0;
  }
}

} // namespace mnn::detail

/// Definition header of an op's inferReturnTypes (InferTypeOpInterface).
#define MNN_INFER_SIGNATURE(OP)                                                \
  mlir::LogicalResult mnn::OP::inferReturnTypes(                               \
      mlir::MLIRContext *context, std::optional<mlir::Location> loc,           \
      mlir::ValueRange operands, mlir::DictionaryAttr attributes,              \
      mlir::OpaqueProperties properties, mlir::RegionRange regions,            \
      llvm::SmallVectorImpl<mlir::Type> &results)

#endif // MNN_DIALECTS_MNN_LIB_OPUTILS_H
