//===- OnnxImporter.cpp - ONNX file -> func.func @main of mnn ops ---------===//
//
// Reading the file, checking the model, initializers, graph inputs and
// outputs, and the walk over the nodes. The per-op conversions live in
// OnnxOps.cpp.
//
// Errors: everything below reports through `Failure` (location + one line);
// diagnostics that MLIR itself emits while ops are built (shape inference,
// verifiers) are captured and folded into that one line, which
// importOnnxFile emits once at the end.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImporter.h"
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementTypes.h"
#include "mnn/ElementsUtils.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/DialectResourceBlobManager.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Interfaces/SideEffectInterfaces.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/FormatVariadic.h"
#include "llvm/Support/MemoryBuffer.h"

#include <algorithm>
#include <climits>
#include <cmath>
#include <cstring>
#include <memory>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {

// The default-domain opsets whose semantics the converters implement (older
// attribute forms such as Clip-6 and Slice-1 included). Opsets 22 to 27 only
// widened type constraints (bfloat16, float8/4, int4/2) of the ops converted
// here and added new ops. Those element types are imported as described in
// mnn/ElementTypes.h, except FLOAT4E2M1 and FLOAT8E8M0 (no MLIR 19 type).
constexpr int64_t kMinOpset = 6;
constexpr int64_t kMaxOpset = 27;

// Initializers up to this size become plain DenseElementsAttr (readable IR,
// cheap folding); larger raw_data is referenced in place.
constexpr size_t kMaxInlineBytes = 256;

std::string shapeStr(ArrayRef<int64_t> shape) {
  if (shape.empty())
    return "scalar";
  std::string s;
  for (size_t i = 0; i < shape.size(); ++i)
    s += (i ? "x" : "") + std::to_string(shape[i]);
  return s;
}

Type convertElementType(MLIRContext *ctx, int32_t t) {
  Builder b(ctx);
  switch (t) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::INT64:
    return b.getI64Type();
  case onnx::TensorProto::INT32:
    return b.getI32Type();
  case onnx::TensorProto::INT16:
    return b.getI16Type();
  case onnx::TensorProto::INT8:
    return b.getI8Type();
  case onnx::TensorProto::UINT8:
    return IntegerType::get(ctx, 8, IntegerType::Unsigned);
  case onnx::TensorProto::UINT16:
    return IntegerType::get(ctx, 16, IntegerType::Unsigned);
  case onnx::TensorProto::UINT32:
    return IntegerType::get(ctx, 32, IntegerType::Unsigned);
  case onnx::TensorProto::UINT64:
    return IntegerType::get(ctx, 64, IntegerType::Unsigned);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  // Codes newer than the onnx.proto this importer was generated from (see
  // mnn/ElementTypes.h for how they are stored).
  case kOnnxFloat8E4M3FN:
    return b.getFloat8E4M3FNType();
  case kOnnxFloat8E4M3FNUZ:
    return b.getFloat8E4M3FNUZType();
  case kOnnxFloat8E5M2:
    return b.getFloat8E5M2Type();
  case kOnnxFloat8E5M2FNUZ:
    return b.getFloat8E5M2FNUZType();
  case kOnnxUint4:
    return IntegerType::get(ctx, 4, IntegerType::Unsigned);
  case kOnnxInt4:
    return b.getIntegerType(4);
  case kOnnxUint2:
    return IntegerType::get(ctx, 2, IntegerType::Unsigned);
  case kOnnxInt2:
    return b.getIntegerType(2);
  default:
    return nullptr;
  }
}

std::string onnxTypeName(int32_t t) {
  if (onnx::TensorProto::DataType_IsValid(t))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(t));
  // Types newer than the onnx.proto this importer was generated from.
  static const char *const newer[] = {
      "FLOAT8E4M3FN", "FLOAT8E4M3FNUZ", "FLOAT8E5M2", "FLOAT8E5M2FNUZ",
      "UINT4",        "INT4",           "FLOAT4E2M1", "FLOAT8E8M0",
      "UINT2",        "INT2"};
  if (t >= 17 && t < 17 + (int32_t)std::size(newer))
    return newer[t - 17];
  return "data type " + std::to_string(t);
}

namespace {

// Resource names must be valid keys in the printed IR.
std::string resourceName(StringRef tensorName) {
  std::string s;
  for (char c : tensorName)
    s += (llvm::isAlnum(c) || c == '_' || c == '.') ? c : '_';
  return s.empty() || llvm::isDigit(s[0]) ? "w_" + s : s;
}

// ONNX packs int4/uint4 two per byte and int2/uint2 four per byte, the first
// element in the lowest bits; buffers hold one element per byte (low bits,
// high bits zero).
std::vector<char> unpackSubByte(ArrayRef<uint8_t> packed, int64_t count,
                                unsigned bits) {
  std::vector<char> out(count);
  unsigned perByte = 8 / bits, mask = (1u << bits) - 1;
  for (int64_t i = 0; i < count; ++i)
    out[i] = char((packed[i / perByte] >> (bits * (i % perByte))) & mask);
  return out;
}

// Appends `count` values read by `get(i)` as little-endian `width`-byte ints.
template <typename Get>
void appendInts(std::vector<char> &out, int64_t count, int64_t width, Get get) {
  out.reserve(out.size() + count * width);
  for (int64_t i = 0; i < count; ++i) {
    int64_t v = get(i);
    char bytes[8];
    std::memcpy(bytes, &v, 8);
    out.insert(out.end(), bytes, bytes + width);
  }
}

} // namespace

// `owner` (may be null) keeps the protobuf alive: with it, large raw_data is
// referenced in place instead of copied.
static FailureOr<ElementsAttr>
convertTensor(MLIRContext *ctx, const onnx::TensorProto &t, std::string &error,
              const std::shared_ptr<const void> &owner) {
  auto failWith = [&](const Twine &msg) -> FailureOr<ElementsAttr> {
    error = msg.str();
    return failure();
  };
  Type elt = convertElementType(ctx, t.data_type());
  if (!elt)
    return failWith("has unsupported element type " +
                    onnxTypeName(t.data_type()));
  if (t.data_location() == onnx::TensorProto::EXTERNAL ||
      t.external_data_size() > 0)
    return failWith("stores its data in an external file, which is not "
                    "supported (save the model with its weights inside)");
  if (t.has_segment())
    return failWith("is a segment of a tensor, which is not supported");
  SmallVector<int64_t> shape;
  int64_t n = 1;
  for (int64_t d : t.dims()) {
    if (d < 0 || (d > 0 && n > (int64_t(1) << 40) / d))
      return failWith("has an invalid dim " + Twine(d));
    shape.push_back(d);
    n *= d;
  }
  auto type = RankedTensorType::get(shape, elt);
  int64_t width = mnn::elementByteWidth(elt);
  int64_t expectBytes = n * width;
  auto sizeError = [&](int64_t got, StringRef unit) {
    bool bytes = unit == "bytes of raw_data";
    return failWith("has " + Twine(got) + " " + unit + " but its dims [" +
                    shapeStr(shape) + "] need " +
                    Twine(bytes ? expectBytes : n));
  };

  if (mnn::isSubByteInteger(elt)) {
    unsigned bits = elt.getIntOrFloatBitWidth();
    int64_t packedBytes = (n * bits + 7) / 8;
    std::vector<uint8_t> packed;
    if (t.has_raw_data()) {
      const std::string &raw = t.raw_data();
      if ((int64_t)raw.size() != packedBytes)
        return failWith("has " + Twine(raw.size()) +
                        " bytes of raw_data but its dims [" + shapeStr(shape) +
                        "] need " + Twine(packedBytes) + " (" + Twine(8 / bits) +
                        " elements per byte)");
      packed.assign(raw.begin(), raw.end());
    } else {
      // int32_data holds one packed byte per value.
      if (t.int32_data_size() != packedBytes)
        return failWith("has " + Twine(t.int32_data_size()) +
                        " int32_data values but its dims [" + shapeStr(shape) +
                        "] need " + Twine(packedBytes) + " (" + Twine(8 / bits) +
                        " elements per value)");
      for (int32_t v : t.int32_data())
        packed.push_back(uint8_t(v));
    }
    return mnn::makeElements(type, unpackSubByte(packed, n, bits));
  }

  if (t.has_raw_data()) {
    const std::string &raw = t.raw_data();
    if ((int64_t)raw.size() != expectBytes)
      return sizeError(raw.size(), "bytes of raw_data");
    ArrayRef<char> bytes(raw.data(), raw.size());
    // Claim the alignment malloc guarantees (16; less if the data is less
    // aligned), so the printed IR does not depend on addresses.
    uintptr_t addr = reinterpret_cast<uintptr_t>(raw.data());
    size_t align = 16;
    while (align > 1 && addr % align)
      align /= 2;
    if (owner && raw.size() > kMaxInlineBytes && !elt.isInteger(1) &&
        (int64_t)align >= width) {
      // Zero copy: the blob points into the protobuf and shares its owner.
      AsmResourceBlob blob(
          bytes, align, [owner](void *, size_t, size_t) {},
          /*dataIsMutable=*/false);
      return ElementsAttr(DenseResourceElementsAttr::get(
          type, resourceName(t.name()), std::move(blob)));
    }
    return mnn::makeElements(type, bytes);
  }

  // Typed fields (ONNX stores small ints and float16 bits in int32_data).
  std::vector<char> bytes;
  switch (t.data_type()) {
  case onnx::TensorProto::FLOAT:
    if (t.float_data_size() != n)
      return sizeError(t.float_data_size(), "float_data values");
    bytes.resize(expectBytes);
    if (n)
      std::memcpy(bytes.data(), t.float_data().data(), expectBytes);
    break;
  case onnx::TensorProto::DOUBLE:
    if (t.double_data_size() != n)
      return sizeError(t.double_data_size(), "double_data values");
    bytes.resize(expectBytes);
    if (n)
      std::memcpy(bytes.data(), t.double_data().data(), expectBytes);
    break;
  case onnx::TensorProto::INT64:
    if (t.int64_data_size() != n)
      return sizeError(t.int64_data_size(), "int64_data values");
    appendInts(bytes, n, 8, [&](int64_t i) { return t.int64_data(i); });
    break;
  default: // INT32, INT16, INT8, UINT8, BOOL; FLOAT16, BFLOAT16, FLOAT8* as bits
    if (t.int32_data_size() != n)
      return sizeError(t.int32_data_size(), "int32_data values");
    appendInts(bytes, n, width, [&](int64_t i) {
      int64_t v = t.int32_data(i);
      return elt.isInteger(1) ? int64_t(v != 0) : v;
    });
    break;
  }
  return mnn::makeElements(type, bytes);
}

FailureOr<ElementsAttr> tensorToElements(MLIRContext *ctx,
                                         const onnx::TensorProto &tensor,
                                         std::string &error) {
  return convertTensor(ctx, tensor, error, nullptr);
}

namespace {

/// The one error of an import: where and what.
struct Failure {
  std::optional<Location> loc;
  std::string message;
};

/// Collects the first error diagnostic MLIR emits while ops are built.
struct CapturedDiagnostic {
  std::optional<Location> loc;
  std::string message;
  void reset() {
    loc.reset();
    message.clear();
  }
};

std::string typeStr(Type t) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// "'mnn.conv2d' op group 3 must divide ..." -> "group 3 must divide ...".
std::string stripOpPrefix(StringRef msg) {
  if (msg.starts_with("'")) {
    size_t pos = msg.find("' op ");
    if (pos != StringRef::npos)
      return msg.drop_front(pos + 5).str();
  }
  return msg.str();
}

class GraphImporter {
public:
  GraphImporter(MLIRContext &ctx, StringRef path, const ImportOptions &options,
                std::shared_ptr<const onnx::ModelProto> model,
                CapturedDiagnostic &captured, Failure &result)
      : ctx(ctx), path(path.str()), options(options), model(std::move(model)),
        graph(this->model->graph()), captured(captured), result(result),
        builder(&ctx) {}

  OwningOpRef<ModuleOp> run();

private:
  void setError(Location loc, const Twine &msg) {
    result.loc = loc;
    result.message = msg.str();
  }
  void setFileError(const Twine &msg) {
    setError(fileLoc(), "file '" + path + "': " + msg);
  }
  LogicalResult fail(Location loc, const Twine &msg) {
    setError(loc, msg);
    return mlir::failure();
  }
  LogicalResult failFile(const Twine &msg) {
    setFileError(msg);
    return mlir::failure();
  }
  Location fileLoc() { return FileLineColLoc::get(&ctx, path, 0, 0); }

  LogicalResult findOpset();
  LogicalResult collectInitializers();
  FailureOr<RankedTensorType> inputType(const onnx::ValueInfoProto &vi);
  FailureOr<RankedTensorType> resolveInputType(const onnx::ValueInfoProto &vi);
  LogicalResult checkInputShapeOptions();
  FailureOr<Value> constInput(const onnx::ValueInfoProto &vi,
                              RankedTensorType type,
                              const std::vector<double> &values);
  LogicalResult define(StringRef name, Value v, Location loc);
  FailureOr<Value> lookup(StringRef name);
  LogicalResult importNode(const onnx::NodeProto &node, int index);
  FailureOr<SmallVector<Value>> importSubgraph(const onnx::GraphProto &g,
                                               ArrayRef<Value> inputs,
                                               std::string &error);
  LogicalResult checkDeclaredOutput(const onnx::ValueInfoProto &vi, Value v);
  void eraseDeadOps(Block &block);

  MLIRContext &ctx;
  std::string path;
  const ImportOptions &options;
  std::shared_ptr<const onnx::ModelProto> model;
  const onnx::GraphProto &graph;
  CapturedDiagnostic &captured;
  Failure &result;
  OpBuilder builder;

  int64_t opset = 0;
  llvm::StringMap<Value> values;
  llvm::StringMap<const onnx::TensorProto *> initializers;
  llvm::StringMap<std::string> nodeOpTypes; // node name -> op type
  /// Scopes of the subgraphs being imported (innermost last): their values
  /// and not yet materialized initializers. Empty for the main graph.
  struct Scope {
    llvm::StringMap<Value> values;
    llvm::StringMap<const onnx::TensorProto *> initializers;
  };
  SmallVector<std::unique_ptr<Scope>> scopes;
};

LogicalResult GraphImporter::findOpset() {
  bool found = false;
  for (const auto &id : model->opset_import()) {
    if (id.domain().empty() || id.domain() == "ai.onnx") {
      opset = id.version();
      found = true;
    }
  }
  if (!found) {
    // IR version 1/2 models predate opset_import and mean opset 1.
    return failFile("imports no version of the default ONNX operator set");
  }
  if (opset < kMinOpset || opset > kMaxOpset)
    return failFile("ONNX opset " + Twine(opset) + " is not supported (" +
                    Twine(kMinOpset) + " to " + Twine(kMaxOpset) + " are)");
  return success();
}

LogicalResult GraphImporter::collectInitializers() {
  for (const auto &t : graph.initializer()) {
    if (t.name().empty())
      return failFile("an initializer has no name");
    if (!initializers.try_emplace(t.name(), &t).second)
      return fail(fileLoc(), "initializer '" + t.name() + "' is defined twice");
  }
  if (graph.sparse_initializer_size() > 0)
    return fail(fileLoc(), "sparse initializer '" +
                               graph.sparse_initializer(0).values().name() +
                               "' is not supported");
  return success();
}

LogicalResult GraphImporter::checkInputShapeOptions() {
  std::vector<std::pair<std::string, const char *>> named;
  for (const auto &entry : options.inputShapes)
    named.emplace_back(entry.first, "--input-shape");
  for (const auto &entry : options.constInputs)
    named.emplace_back(entry.first, "--const-input");
  for (const auto &[inputName, option] : named) {
    bool isInput = false;
    for (const auto &vi : graph.input())
      isInput |= vi.name() == inputName && !initializers.count(vi.name());
    if (isInput)
      continue;
    std::string names;
    for (const auto &vi : graph.input())
      if (!initializers.count(vi.name()))
        names += (names.empty() ? "'" : ", '") + vi.name() + "'";
    return fail(fileLoc(), Twine(option) + " names '" + inputName +
                               "', which is not an input of the model "
                               "(inputs: " +
                               (names.empty() ? "none" : names) + ")");
  }
  return success();
}

FailureOr<RankedTensorType>
GraphImporter::inputType(const onnx::ValueInfoProto &vi) {
  auto type = resolveInputType(vi);
  if (failed(type))
    return failure();
  // Element counts beyond 2^40 would overflow the shape arithmetic.
  int64_t n = 1;
  for (int64_t d : type->getShape()) {
    if (d > (int64_t(1) << 40) / std::max<int64_t>(n, 1)) {
      setError(NameLoc::get(StringAttr::get(&ctx, vi.name())),
               "input '" + vi.name() + "' has an implausible shape " +
                   shapeStr(type->getShape()));
      return failure();
    }
    n *= std::max<int64_t>(d, 1);
  }
  return type;
}

FailureOr<RankedTensorType>
GraphImporter::resolveInputType(const onnx::ValueInfoProto &vi) {
  const std::string &name = vi.name();
  Location loc = NameLoc::get(StringAttr::get(&ctx, name));
  if (!vi.has_type() || !vi.type().has_tensor_type()) {
    setError(loc,
             "input '" + name + "' is not a tensor, which is not supported");
    return failure();
  }
  const auto &tt = vi.type().tensor_type();
  Type elt = convertElementType(&ctx, tt.elem_type());
  if (!elt) {
    setError(loc, "input '" + name + "' has unsupported element type " +
                      onnxTypeName(tt.elem_type()));
    return failure();
  }
  auto given = options.inputShapes.find(name);
  bool hasGiven = given != options.inputShapes.end();
  std::string example = name + "=1x3x224x224";
  if (!tt.has_shape()) {
    if (!hasGiven) {
      setError(loc, "input '" + name +
                        "' has an unknown shape: pass "
                        "--input-shape " +
                        example);
      return failure();
    }
    return RankedTensorType::get(given->second, elt);
  }
  const auto &dims = tt.shape().dim();
  SmallVector<int64_t> shape;
  if (hasGiven) {
    const std::vector<int64_t> &g = given->second;
    if ((int)g.size() != dims.size()) {
      setError(loc, "input '" + name + "' has rank " + Twine(dims.size()) +
                        " but --input-shape gives " + shapeStr(g) + " (rank " +
                        Twine(g.size()) + ")");
      return failure();
    }
    for (int i = 0; i < dims.size(); ++i) {
      if (g[i] <= 0) {
        setError(loc, "--input-shape for '" + name + "' has non-positive dim " +
                          Twine(g[i]));
        return failure();
      }
      if (dims[i].has_dim_value() && dims[i].dim_value() >= 0 &&
          dims[i].dim_value() != g[i]) {
        setError(loc, "input '" + name + "' has dim " + Twine(i) + " = " +
                          Twine(dims[i].dim_value()) +
                          " but --input-shape gives " + Twine(g[i]));
        return failure();
      }
    }
    return RankedTensorType::get(g, elt);
  }
  // Build an example shape for the message: known dims kept, unknown ones 1.
  std::string suggestion;
  for (int i = 0; i < dims.size(); ++i) {
    int64_t v = dims[i].has_dim_value() && dims[i].dim_value() >= 0
                    ? dims[i].dim_value()
                    : 1;
    suggestion += (i ? "x" : "") + std::to_string(v);
  }
  for (int i = 0; i < dims.size(); ++i) {
    const auto &d = dims[i];
    if (d.has_dim_value() && d.dim_value() >= 0) {
      shape.push_back(d.dim_value());
      continue;
    }
    std::string what = d.has_dim_param() && !d.dim_param().empty()
                           ? "'" + d.dim_param() + "'"
                           : "(dim " + std::to_string(i) + ")";
    setError(loc, "input '" + name + "' has unknown dim " + what +
                      ": pass --input-shape " + name + "=" + suggestion);
    return failure();
  }
  return RankedTensorType::get(shape, elt);
}

FailureOr<Value>
GraphImporter::constInput(const onnx::ValueInfoProto &vi, RankedTensorType type,
                          const std::vector<double> &values) {
  Location loc = NameLoc::get(StringAttr::get(&ctx, vi.name()));
  int64_t n = type.getNumElements();
  if ((int64_t)values.size() != n && values.size() != 1) {
    setError(loc, "--const-input gives " + Twine(values.size()) +
                      " values for input '" + vi.name() + "' of shape " +
                      shapeStr(type.getShape()) + " (" + Twine(n) +
                      " elements; one value fills all)");
    return failure();
  }
  Type elt = type.getElementType();
  SmallVector<Attribute> attrs;
  for (double v : values) {
    if (isa<FloatType>(elt)) {
      attrs.push_back(FloatAttr::get(elt, v));
      continue;
    }
    bool isSigned = !elt.isInteger(1) && !elt.isUnsignedInteger();
    if (v != std::floor(v) || (elt.isInteger(1) && v != 0 && v != 1) ||
        (!isSigned && v < 0)) {
      setError(loc, "--const-input value " + llvm::formatv("{0}", v).str() +
                        " for input '" +
                        vi.name() + "' does not fit its type " + typeStr(elt));
      return failure();
    }
    attrs.push_back(IntegerAttr::get(elt, APInt(elt.getIntOrFloatBitWidth(),
                                                (int64_t)v, isSigned)));
  }
  auto value = values.size() == 1 && n != 1
                   ? DenseElementsAttr::get(type, attrs.front())
                   : DenseElementsAttr::get(type, attrs);
  return builder.create<mnn::ConstantOp>(loc, type, value).getResult();
}

LogicalResult GraphImporter::define(StringRef name, Value v, Location loc) {
  if (!scopes.empty()) {
    Scope &s = *scopes.back();
    if (s.values.count(name) || s.initializers.count(name))
      return fail(loc, "tensor '" + name + "' is defined twice");
    s.values[name] = v;
    return success();
  }
  if (values.count(name) || initializers.count(name))
    return fail(loc, "tensor '" + name + "' is defined twice");
  values[name] = v;
  return success();
}

FailureOr<Value> GraphImporter::lookup(StringRef name) {
  for (auto &scope : llvm::reverse(scopes)) {
    auto v = scope->values.find(name);
    if (v != scope->values.end())
      return v->second;
    auto init = scope->initializers.find(name);
    if (init == scope->initializers.end())
      continue;
    std::string error;
    auto attr = convertTensor(&ctx, *init->second, error, model);
    Location loc = NameLoc::get(StringAttr::get(&ctx, name));
    if (failed(attr)) {
      setError(loc, "initializer '" + name + "' " + error);
      return failure();
    }
    Value c = builder.create<mnn::ConstantOp>(loc, attr->getType(), *attr);
    scope->initializers.erase(init);
    scope->values[name] = c;
    return c;
  }
  auto it = values.find(name);
  if (it != values.end())
    return it->second;
  auto init = initializers.find(name);
  if (init == initializers.end())
    return failure();
  // Materialize the initializer where it is first used.
  std::string error;
  auto attr = convertTensor(&ctx, *init->second, error, model);
  Location loc = NameLoc::get(StringAttr::get(&ctx, name));
  if (failed(attr)) {
    setError(loc, "initializer '" + name + "' " + error);
    return failure();
  }
  Value v = builder.create<mnn::ConstantOp>(loc, attr->getType(), *attr);
  initializers.erase(init);
  values[name] = v;
  return v;
}

LogicalResult GraphImporter::importNode(const onnx::NodeProto &node,
                                        int index) {
  std::string name = node.name().empty()
                         ? node.op_type() + "_" + std::to_string(index)
                         : node.name();
  nodeOpTypes[name] = node.op_type();
  Location loc = NameLoc::get(StringAttr::get(&ctx, name));
  std::string prefix = "node '" + name + "' (" + node.op_type() + "): ";
  auto nodeError = [&](const Twine &msg) { return fail(loc, prefix + msg); };

  // Ops of other domains are in the table under "<domain>.<op>".
  bool defaultDomain = node.domain().empty() || node.domain() == "ai.onnx";
  std::string key = defaultDomain ? node.op_type()
                                  : node.domain() + "." + node.op_type();
  const auto &converters = getConverters();
  auto conv = converters.find(key);
  if (conv == converters.end())
    return nodeError(defaultDomain ? std::string("unsupported operator")
                                   : "unsupported operator of domain '" +
                                         node.domain() + "'");
  if (node.output_size() == 0)
    return nodeError("has no outputs");

  SmallVector<Value> inputs;
  for (const std::string &in : node.input()) {
    if (in.empty()) {
      inputs.push_back(nullptr);
      continue;
    }
    auto v = lookup(in);
    if (failed(v)) {
      if (!result.message.empty()) // a bad initializer
        return mlir::failure();
      return nodeError("input '" + in +
                       "' is not defined (not a graph input, an initializer "
                       "or the output of an earlier node)");
    }
    inputs.push_back(*v);
  }

  NodeContext nc(node, opset, builder, loc, std::move(inputs));
  nc.importSubgraph = [this](const onnx::GraphProto &g, ArrayRef<Value> ins,
                             std::string &error) {
    return importSubgraph(g, ins, error);
  };
  captured.reset();
  if (failed(conv->second(nc))) {
    std::string msg = nc.error;
    if (msg.empty())
      msg = captured.message.empty() ? "cannot be imported"
                                     : stripOpPrefix(captured.message);
    return nodeError(msg);
  }
  for (int i = 0; i < node.output_size(); ++i) {
    if (node.output(i).empty())
      continue;
    if (!nc.outputs[i])
      return nodeError("output '" + node.output(i) + "' is not supported");
    if (failed(define(node.output(i), nc.outputs[i], loc)))
      return mlir::failure();
  }
  return success();
}

FailureOr<SmallVector<Value>>
GraphImporter::importSubgraph(const onnx::GraphProto &g, ArrayRef<Value> ins,
                              std::string &error) {
  // The inner error replaces nothing of the outer state: it is handed back
  // to the converter, which prefixes it with the enclosing node.
  auto failWith = [&]() -> FailureOr<SmallVector<Value>> {
    error = result.message.empty() ? "cannot be imported" : result.message;
    result.message.clear();
    result.loc.reset();
    scopes.pop_back();
    return failure();
  };
  scopes.push_back(std::make_unique<Scope>());
  if (g.input_size() != (int)ins.size()) {
    result.message = "graph '" + g.name() + "' has " +
                     std::to_string(g.input_size()) + " inputs, expected " +
                     std::to_string(ins.size());
    return failWith();
  }
  if (g.sparse_initializer_size() > 0) {
    result.message = "sparse initializers are not supported";
    return failWith();
  }
  for (const auto &t : g.initializer())
    scopes.back()->initializers[t.name()] = &t;
  for (int i = 0; i < g.input_size(); ++i)
    if (failed(define(g.input(i).name(), ins[i],
                      NameLoc::get(StringAttr::get(&ctx, g.input(i).name())))))
      return failWith();
  for (int i = 0; i < g.node_size(); ++i)
    if (failed(importNode(g.node(i), i)))
      return failWith();
  SmallVector<Value> outs;
  for (const auto &vi : g.output()) {
    auto v = lookup(vi.name());
    if (failed(v)) {
      if (result.message.empty())
        result.message = "graph '" + g.name() + "' output '" + vi.name() +
                         "' is not computed by any node";
      return failWith();
    }
    outs.push_back(*v);
  }
  scopes.pop_back();
  return outs;
}

LogicalResult GraphImporter::checkDeclaredOutput(const onnx::ValueInfoProto &vi,
                                                 Value v) {
  if (!vi.has_type() || !vi.type().has_tensor_type())
    return success();
  const auto &tt = vi.type().tensor_type();
  auto type = cast<RankedTensorType>(v.getType());
  Location loc = NameLoc::get(StringAttr::get(&ctx, vi.name()));
  Type declared = convertElementType(&ctx, tt.elem_type());
  if (tt.elem_type() != 0 && declared != type.getElementType())
    return fail(loc, "output '" + vi.name() + "' is declared as " +
                         onnxTypeName(tt.elem_type()) +
                         " but the graph computes " +
                         typeStr(type.getElementType()));
  if (!tt.has_shape())
    return success();
  const auto &dims = tt.shape().dim();
  bool mismatch = dims.size() != type.getRank();
  for (int i = 0; !mismatch && i < dims.size(); ++i)
    mismatch = dims[i].has_dim_value() && dims[i].dim_value() > 0 &&
               dims[i].dim_value() != type.getDimSize(i);
  if (!mismatch)
    return success();
  std::string declaredShape;
  for (int i = 0; i < dims.size(); ++i)
    declaredShape +=
        (i ? "x" : "") + (dims[i].has_dim_value()
                              ? std::to_string(dims[i].dim_value())
                          : dims[i].has_dim_param() ? dims[i].dim_param()
                                                    : std::string("?"));
  return fail(loc, "output '" + vi.name() + "' is declared with shape " +
                       (dims.empty() ? "scalar" : declaredShape) +
                       " but the graph computes " + shapeStr(type.getShape()));
}

void GraphImporter::eraseDeadOps(Block &block) {
  for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block)))
    if (isOpTriviallyDead(&op))
      op.erase();
}

OwningOpRef<ModuleOp> GraphImporter::run() {
  if (failed(findOpset()) || failed(collectInitializers()) ||
      failed(checkInputShapeOptions()))
    return nullptr;

  // Runtime inputs (old exporters also list the initializers as inputs).
  SmallVector<const onnx::ValueInfoProto *> inputs, constInputs;
  SmallVector<Type> inputTypes, constTypes;
  for (const auto &vi : graph.input()) {
    if (initializers.count(vi.name()))
      continue;
    if (options.constInputs.count(vi.name())) {
      auto type = inputType(vi);
      if (failed(type))
        return nullptr;
      constInputs.push_back(&vi);
      constTypes.push_back(*type);
      continue;
    }
    if (vi.name().empty()) {
      setFileError("a graph input has no name");
      return nullptr;
    }
    auto type = inputType(vi);
    if (failed(type))
      return nullptr;
    inputs.push_back(&vi);
    inputTypes.push_back(*type);
  }
  if (graph.output_size() == 0) {
    setFileError("the graph has no outputs");
    return nullptr;
  }

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc());
  builder.setInsertionPointToEnd(module->getBody());
  auto func = builder.create<func::FuncOp>(
      fileLoc(), "main", builder.getFunctionType(inputTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToStart(body);
  for (size_t i = 0; i < inputs.size(); ++i) {
    const std::string &name = inputs[i]->name();
    Location loc = NameLoc::get(StringAttr::get(&ctx, name));
    body->getArgument(i).setLoc(loc);
    func.setArgAttr(i, "mnn.name", builder.getStringAttr(name));
    if (failed(define(name, body->getArgument(i), loc)))
      return nullptr;
  }
  for (size_t i = 0; i < constInputs.size(); ++i) {
    const auto &vi = *constInputs[i];
    auto c = constInput(vi, cast<RankedTensorType>(constTypes[i]),
                        options.constInputs.at(vi.name()));
    if (failed(c) ||
        failed(define(vi.name(), *c,
                      NameLoc::get(StringAttr::get(&ctx, vi.name())))))
      return nullptr;
  }

  for (int i = 0; i < graph.node_size(); ++i)
    if (failed(importNode(graph.node(i), i)))
      return nullptr;

  SmallVector<Value> results;
  for (const auto &vi : graph.output()) {
    auto v = lookup(vi.name());
    if (failed(v)) {
      if (result.message.empty())
        setError(NameLoc::get(StringAttr::get(&ctx, vi.name())),
                 "graph output '" + vi.name() +
                     "' is not computed by any node");
      return nullptr;
    }
    if (failed(checkDeclaredOutput(vi, *v)))
      return nullptr;
    results.push_back(*v);
  }
  builder.create<func::ReturnOp>(fileLoc(), results);
  func.setFunctionType(
      builder.getFunctionType(inputTypes, ValueRange(results).getTypes()));
  for (int i = 0; i < graph.output_size(); ++i)
    func.setResultAttr(i, "mnn.name",
                       builder.getStringAttr(graph.output(i).name()));
  eraseDeadOps(*body);

  captured.reset();
  if (failed(mlir::verify(*module))) {
    std::string msg = stripOpPrefix(captured.message);
    Location loc = captured.loc ? *captured.loc : fileLoc();
    if (auto nameLoc = dyn_cast<NameLoc>(loc)) {
      auto it = nodeOpTypes.find(nameLoc.getName().strref());
      if (it != nodeOpTypes.end())
        msg = "node '" + it->first().str() + "' (" + it->second + "): " + msg;
    }
    setError(loc, "the imported graph is invalid: " + msg);
    return nullptr;
  }
  return module;
}

// Reads and parses the file; the returned model is shared by the weight blobs.
std::shared_ptr<onnx::ModelProto> parseModel(StringRef path, Failure &error,
                                             MLIRContext &ctx) {
  Location loc = FileLineColLoc::get(&ctx, path, 0, 0);
  auto fail = [&](const Twine &msg) {
    error.loc = loc;
    error.message = msg.str();
    return nullptr;
  };
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer)
    return fail("cannot read file '" + path +
                "': " + buffer.getError().message());
  StringRef data = (*buffer)->getBuffer();
  if (data.empty())
    return fail("file '" + path + "' is empty (not an ONNX model)");
  if (data.size() > (size_t)INT_MAX)
    return fail("file '" + path +
                "' is larger than 2 GB, which is not supported");
  auto model = std::make_shared<onnx::ModelProto>();
  if (!model->ParseFromArray(data.data(), (int)data.size()))
    return fail("file '" + path +
                "' is not a valid ONNX model (truncated or corrupt)");
  if (!model->has_graph())
    return fail("file '" + path +
                "' is not a valid ONNX model (it has no graph)");
  return model;
}

} // namespace
} // namespace mnn::onnx_import

namespace mnn {

OwningOpRef<ModuleOp> importOnnxFile(MLIRContext &context, StringRef path,
                                     const ImportOptions &options) {
  using namespace onnx_import;
  context.loadDialect<mnn::MNNDialect, func::FuncDialect>();
  Failure error;
  OwningOpRef<ModuleOp> module;
  {
    CapturedDiagnostic captured;
    ScopedDiagnosticHandler handler(&context, [&](Diagnostic &d) {
      if (d.getSeverity() != DiagnosticSeverity::Error)
        return mlir::failure(); // let warnings through
      if (captured.message.empty()) {
        captured.message = d.str();
        captured.loc = d.getLocation();
      }
      return mlir::success();
    });
    if (auto model = parseModel(path, error, context)) {
      GraphImporter importer(context, path, options, std::move(model), captured,
                             error);
      module = importer.run();
    }
    if (!module && error.message.empty()) {
      error.loc = captured.loc;
      error.message =
          captured.message.empty() ? "import failed" : captured.message;
    }
  }
  if (!module) {
    // One line, even when a (corrupt) name holds control characters.
    std::string line;
    for (char c : error.message) {
      if ((unsigned char)c < 0x20 || c == 0x7f)
        line += "\\" + llvm::utohexstr((unsigned char)c, false, 2);
      else
        line += c;
    }
    emitError(error.loc ? *error.loc : UnknownLoc::get(&context)) << line;
  }
  return module;
}

bool parseInputShape(StringRef spec, ImportOptions &options,
                     std::string &error) {
  size_t eq = spec.rfind('=');
  auto bad = [&](const Twine &why) {
    error = ("malformed --input-shape '" + spec + "': " + why +
             " (expected name=1x3x224x224)")
                .str();
    return false;
  };
  if (eq == StringRef::npos || eq == 0)
    return bad("no 'name='");
  StringRef name = spec.take_front(eq), dims = spec.drop_front(eq + 1);
  std::vector<int64_t> shape;
  if (!dims.empty()) {
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef p : parts) {
      int64_t v;
      if (p.getAsInteger(10, v) || v <= 0)
        return bad("'" + p + "' is not a positive dim");
      shape.push_back(v);
    }
  }
  if (!options.inputShapes.emplace(name.str(), shape).second) {
    error = ("--input-shape is given twice for '" + name + "'").str();
    return false;
  }
  return true;
}

bool parseConstInput(StringRef spec, ImportOptions &options,
                     std::string &error) {
  size_t eq = spec.find('=');
  auto bad = [&](const Twine &why) {
    error = ("malformed --const-input '" + spec + "': " + why +
             " (expected name=16000 or name=1,2,3)")
                .str();
    return false;
  };
  if (eq == StringRef::npos || eq == 0)
    return bad("no 'name='");
  StringRef name = spec.take_front(eq), list = spec.drop_front(eq + 1);
  if (list.empty())
    return bad("no value");
  std::vector<double> values;
  SmallVector<StringRef> parts;
  list.split(parts, ',');
  for (StringRef p : parts) {
    double v;
    if (p.trim().getAsDouble(v))
      return bad("'" + p + "' is not a number");
    values.push_back(v);
  }
  if (!options.constInputs.emplace(name.str(), values).second) {
    error = ("--const-input is given twice for '" + name + "'").str();
    return false;
  }
  return true;
}

} // namespace mnn
