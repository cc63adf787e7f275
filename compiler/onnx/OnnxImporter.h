//===- OnnxImporter.h - ONNX model -> mnn dialect --------------*- C++ -*-===//
//
// Reads an ONNX model file and builds a module holding one
//
//   func.func @main(%arg0: tensor<...> {mnn.name = "input"}, ...)
//       -> (tensor<...> {mnn.name = "output"}, ...)
//
// of mnn ops on static tensors. Supported: the default domain ("" or
// "ai.onnx") at opsets 6 to 21; the op list is in OnnxOps.cpp. Every op is
// located at NameLoc("<node name>") (unnamed nodes: "<op_type>_<index>"), so
// later stages can name the node an error comes from. Shape subgraphs
// (Shape -> Gather -> Concat -> Reshape, ...) are folded to constants while
// the graph is read.
//
// Ownership of the weights: large initializers stored as raw_data are not
// copied. They become dense_resource blobs that point into the parsed
// protobuf, and each blob holds a shared reference to it; the protobuf is
// freed when the last blob is, i.e. when the MLIRContext is destroyed. The
// caller has nothing to keep alive besides the context (which must outlive
// the module anyway). The blobs are immutable: passes that rewrite weights
// create new constants.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_COMPILER_ONNX_ONNXIMPORTER_H
#define MNN_COMPILER_ONNX_ONNXIMPORTER_H

#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/StringRef.h"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace mnn {

struct ImportOptions {
  /// Concrete shapes of graph inputs, from `--input-shape name=1x3x224x224`.
  /// Required for inputs with symbolic or unknown dims; must match the rank
  /// and the fixed dims of the model's input.
  std::map<std::string, std::vector<int64_t>> inputShapes;
  /// Inputs baked into the model as constants, from `--const-input
  /// sr=16000`: one value (a splat) or one per element, in row-major order.
  /// They stop being inputs of the compiled model, and computations on them
  /// (shape arithmetic, If conditions) fold at compile time.
  std::map<std::string, std::vector<double>> constInputs;
};

/// Parses `path` and imports its main graph. On failure returns a null module
/// after reporting exactly one error through the context's diagnostic engine,
/// naming the file, the tensor or the node (name and op type), e.g.
///   node 'my_node' (NonMaxSuppression): unsupported operator
///   input 'x' has unknown dim 'batch': pass --input-shape x=...
/// Loads the func and mnn dialects into `context`.
mlir::OwningOpRef<mlir::ModuleOp> importOnnxFile(mlir::MLIRContext &context,
                                                 llvm::StringRef path,
                                                 const ImportOptions &options);

/// Parses one `--input-shape` value, "name=1x3x224x224" (a rank-0 input is
/// "name="), into `options`. On failure returns false and sets `error` to a
/// message that quotes `spec`.
bool parseInputShape(llvm::StringRef spec, ImportOptions &options,
                     std::string &error);

/// Parses one `--const-input` value, "name=16000" or "name=1,2,3", into
/// `options`. On failure returns false and sets `error`.
bool parseConstInput(llvm::StringRef spec, ImportOptions &options,
                     std::string &error);

} // namespace mnn

#endif // MNN_COMPILER_ONNX_ONNXIMPORTER_H
