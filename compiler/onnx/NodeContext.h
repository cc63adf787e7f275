//===- NodeContext.h - what an ONNX node converter works with --*- C++ -*-===//
//
// Internal to the importer. OnnxImporter.cpp walks the graph and, for every
// node, hands a NodeContext (resolved input values, attributes, a builder
// positioned in @main) to the converter registered for the op type in
// OnnxOps.cpp. The converter fills the node's outputs or fails with one
// message; the graph walker prefixes it with "node '<name>' (<op>): ".
//
//===----------------------------------------------------------------------===//
#ifndef MNN_COMPILER_ONNX_NODECONTEXT_H
#define MNN_COMPILER_ONNX_NODECONTEXT_H

#include "mnn/MNNDialect.h"

#include "onnx.pb.h"

#include "mlir/IR/Builders.h"
#include "llvm/ADT/StringMap.h"

#include <functional>
#include <optional>
#include <string>

namespace mnn::onnx_import {

/// TensorProto data types newer than the generated onnx.proto (opset 19+).
enum : int32_t {
  kOnnxFloat8E4M3FN = 17,
  kOnnxFloat8E4M3FNUZ = 18,
  kOnnxFloat8E5M2 = 19,
  kOnnxFloat8E5M2FNUZ = 20,
  kOnnxUint4 = 21,
  kOnnxInt4 = 22,
  kOnnxFloat4E2M1 = 23,
  kOnnxFloat8E8M0 = 24,
  kOnnxUint2 = 25,
  kOnnxInt2 = 26,
};

/// Element type of an ONNX TensorProto.DataType, or null if unsupported.
mlir::Type convertElementType(mlir::MLIRContext *ctx, int32_t onnxType);
/// "FLOAT", "STRING", ... for messages.
std::string onnxTypeName(int32_t onnxType);
/// "1x3x224x224" ("scalar" for rank 0).
std::string shapeStr(llvm::ArrayRef<int64_t> shape);

/// Converts a TensorProto (Constant node value) into an elements attribute;
/// copies the data. Fails with a message in `error`.
mlir::FailureOr<mlir::ElementsAttr>
tensorToElements(mlir::MLIRContext *ctx, const onnx::TensorProto &tensor,
                 std::string &error);

class NodeContext {
public:
  NodeContext(const onnx::NodeProto &node, int64_t opset, mlir::OpBuilder &b,
              mlir::Location loc, llvm::SmallVector<mlir::Value> inputs)
      : node(node), opset(opset), b(b), loc(loc), inputs(std::move(inputs)),
        outputs(node.output_size()) {}

  const onnx::NodeProto &node;
  /// Version of the default ONNX domain the model imports.
  const int64_t opset;
  mlir::OpBuilder &b;
  const mlir::Location loc;
  /// One per node input; null where the name is empty (absent optional).
  llvm::SmallVector<mlir::Value> inputs;
  /// Filled by the converter, one per node output; entries whose output name
  /// is empty may stay null.
  llvm::SmallVector<mlir::Value> outputs;
  /// The converter's failure message (without the node prefix).
  std::string error;
  /// Imports a subgraph (If branch, Loop body) inline at the builder's
  /// insertion point: its inputs bound to `inputs`, names resolved innermost
  /// scope first (subgraphs see the enclosing graphs' values). Returns the
  /// graph's outputs, or failure with the inner error in `error`.
  std::function<mlir::FailureOr<llvm::SmallVector<mlir::Value>>(
      const onnx::GraphProto &graph, llvm::ArrayRef<mlir::Value> inputs,
      std::string &error)>
      importSubgraph;

  mlir::MLIRContext *ctx() { return b.getContext(); }

  //--- Errors ---------------------------------------------------------------
  mlir::LogicalResult fail(const llvm::Twine &message) {
    if (error.empty())
      error = message.str();
    return mlir::failure();
  }

  //--- Inputs ---------------------------------------------------------------
  bool hasInput(size_t i) const { return i < inputs.size() && inputs[i]; }
  /// The input, or failure with "missing input <what>".
  mlir::FailureOr<mlir::Value> input(size_t i, llvm::StringRef what = "");
  static mlir::RankedTensorType typeOf(mlir::Value v) {
    return mlir::cast<mlir::RankedTensorType>(v.getType());
  }
  /// Values of an input that must be a constant (shape, axes, ...).
  mlir::FailureOr<llvm::SmallVector<int64_t>> constInts(size_t i,
                                                        llvm::StringRef what);
  mlir::FailureOr<llvm::SmallVector<double>> constDoubles(size_t i,
                                                          llvm::StringRef what);
  /// Integers that moved from attribute `name` to constant input `i` in
  /// opset `inputSince` (the axes of Squeeze, Unsqueeze and the reductions):
  /// the input's values from that opset on, the attribute's before; nullopt
  /// when the node gives neither.
  mlir::FailureOr<std::optional<llvm::SmallVector<int64_t>>>
  intsInputOrAttr(size_t i, llvm::StringRef name, int64_t inputSince);

  //--- Attributes -----------------------------------------------------------
  const onnx::AttributeProto *attr(llvm::StringRef name) const;
  int64_t getInt(llvm::StringRef name, int64_t dflt) const;
  float getFloat(llvm::StringRef name, float dflt) const;
  std::string getString(llvm::StringRef name, llvm::StringRef dflt) const;
  std::optional<llvm::SmallVector<int64_t>> getInts(llvm::StringRef name) const;

  //--- Outputs --------------------------------------------------------------
  size_t numOutputs() const { return outputs.size(); }
  bool hasOutput(size_t i) const {
    return i < (size_t)node.output_size() && !node.output(i).empty();
  }
  mlir::LogicalResult setOutput(size_t i, mlir::FailureOr<mlir::Value> v) {
    if (mlir::failed(v))
      return mlir::failure();
    outputs[i] = *v;
    return mlir::success();
  }
  /// Fails unless outputs >= `from` are absent (e.g. MaxPool's Indices).
  mlir::LogicalResult onlyOutputsBelow(size_t from, llvm::StringRef what);

  //--- Helpers --------------------------------------------------------------
  /// Resolves a possibly negative axis against `rank`.
  mlir::FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                         llvm::StringRef what = "axis");
  /// Resolves axes: sorted, non-negative, no repeats.
  mlir::FailureOr<llvm::SmallVector<int64_t>>
  normalizeAxes(llvm::ArrayRef<int64_t> axes, int64_t rank);
  mlir::Value constant(mlir::ElementsAttr value);
  mlir::Value i64Constant(llvm::ArrayRef<int64_t> values,
                          llvm::ArrayRef<int64_t> shape);
  /// A rank-0 constant of element type `elt`.
  mlir::Value scalarConstant(mlir::Type elt, double value);
  mlir::FailureOr<mlir::Value> reshape(mlir::Value v,
                                       llvm::ArrayRef<int64_t> shape);

  /// Builds an op whose result type is inferred (InferTypeOpInterface),
  /// verifies and folds it. Shape errors become a failure with the message of
  /// the op's shape inference or verifier (captured by the importer), never a
  /// crash.
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> create(Args &&...args) {
    auto op =
        b.create<OpTy>(loc, placeholderType(), std::forward<Args>(args)...);
    return finish(op.getOperation(), /*inferType=*/true);
  }
  /// Same with an explicit result type (reshape, cast).
  template <typename OpTy, typename... Args>
  mlir::FailureOr<mlir::Value> createTyped(mlir::Type type, Args &&...args) {
    auto op = b.create<OpTy>(loc, type, std::forward<Args>(args)...);
    return finish(op.getOperation(), /*inferType=*/false);
  }

private:
  mlir::Type placeholderType() {
    return mlir::UnrankedTensorType::get(b.getF32Type());
  }
  mlir::FailureOr<mlir::Value> finish(mlir::Operation *op, bool inferType);
};

//--- Small helpers shared by the converter files ---------------------------
using Ints = llvm::SmallVector<int64_t>;
inline llvm::ArrayRef<int64_t> shapeOf(mlir::Value v) {
  return NodeContext::typeOf(v).getShape();
}
inline int64_t rankOf(mlir::Value v) { return NodeContext::typeOf(v).getRank(); }
inline mlir::Type eltOf(mlir::Value v) {
  return NodeContext::typeOf(v).getElementType();
}
inline int64_t product(llvm::ArrayRef<int64_t> dims) {
  int64_t p = 1;
  for (int64_t d : dims)
    p *= d;
  return p;
}
inline llvm::APFloat f32(double v) { return llvm::APFloat(static_cast<float>(v)); }

using Converter = mlir::LogicalResult (*)(NodeContext &);
/// Op type -> converter, for the default domain.
const llvm::StringMap<Converter> &getConverters();
/// Runs a float32 converter on float16 inputs: they are widened to f32, and
/// the f32 outputs narrowed back (as the ONNX reference computes fp16 models).
template <mlir::LogicalResult (*Convert)(NodeContext &)>
mlir::LogicalResult computeInF32(NodeContext &n) {
  bool half = false;
  for (mlir::Value &v : n.inputs) {
    if (!v || !NodeContext::typeOf(v).getElementType().isF16())
      continue;
    half = true;
    auto shape = NodeContext::typeOf(v).getShape();
    auto wide = n.createTyped<mnn::CastOp>(
        mlir::RankedTensorType::get(shape, n.b.getF32Type()), v);
    if (mlir::failed(wide))
      return mlir::failure();
    v = *wide;
  }
  if (mlir::failed(Convert(n)))
    return mlir::failure();
  if (!half)
    return mlir::success();
  for (mlir::Value &v : n.outputs) {
    if (!v || !NodeContext::typeOf(v).getElementType().isF32())
      continue;
    auto shape = NodeContext::typeOf(v).getShape();
    auto narrow = n.createTyped<mnn::CastOp>(
        mlir::RankedTensorType::get(shape, n.b.getF16Type()), v);
    if (mlir::failed(narrow))
      return mlir::failure();
    v = *narrow;
  }
  return mlir::success();
}

// Op families in files of their own (OnnxXxxOps.cpp) each add their
// converters to the table through an addXxxConverters(table) declared here.
void addTransformerConverters(llvm::StringMap<Converter> &table);
void addCompositeConverters(llvm::StringMap<Converter> &table);
void addSignalConverters(llvm::StringMap<Converter> &table);
void addSamplingConverters(llvm::StringMap<Converter> &table);
void addElementwiseConverters(llvm::StringMap<Converter> &table);
void addControlFlowConverters(llvm::StringMap<Converter> &table);
void addRecurrentConverters(llvm::StringMap<Converter> &table);
void addReductionConverters(llvm::StringMap<Converter> &table);
void addIndexingConverters(llvm::StringMap<Converter> &table);
void addSpatialConverters(llvm::StringMap<Converter> &table);
void addQuantizationConverters(llvm::StringMap<Converter> &table);

} // namespace mnn::onnx_import

#endif // MNN_COMPILER_ONNX_NODECONTEXT_H
