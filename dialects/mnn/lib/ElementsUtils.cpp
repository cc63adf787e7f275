//===- ElementsUtils.cpp - reading and making constant tensors ------------===//
#include "mnn/ElementsUtils.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/BuiltinDialect.h"
#include "mlir/IR/DialectResourceBlobManager.h"

#include <atomic>
#include <cstring>

using namespace mlir;

namespace mnn {

int64_t elementByteWidth(Type type) {
  if (type.isInteger(1))
    return 1; // one byte per bool in our buffers
  return (type.getIntOrFloatBitWidth() + 7) / 8;
}

std::optional<std::vector<char>> getRawBytes(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Type elt = type.getElementType();
  int64_t n = type.getNumElements();
  int64_t width = elementByteWidth(elt);
  std::vector<char> out(n * width);
  if (auto dense = dyn_cast<DenseElementsAttr>(attr)) {
    if (elt.isInteger(1)) {
      int64_t i = 0;
      for (bool b : dense.getValues<bool>())
        out[i++] = b ? 1 : 0;
      return out;
    }
    ArrayRef<char> raw = dense.getRawData();
    if (dense.isSplat()) {
      for (int64_t i = 0; i < n; ++i)
        std::memcpy(out.data() + i * width, raw.data(), width);
    } else {
      std::memcpy(out.data(), raw.data(), out.size());
    }
    return out;
  }
  if (auto resource = dyn_cast<DenseResourceElementsAttr>(attr)) {
    AsmResourceBlob *blob = resource.getRawHandle().getBlob();
    if (!blob || blob->getData().size() != out.size())
      return std::nullopt;
    std::memcpy(out.data(), blob->getData().data(), out.size());
    return out;
  }
  return std::nullopt;
}

template <typename T>
static std::optional<std::vector<T>> convertAll(ElementsAttr attr) {
  auto type = cast<ShapedType>(attr.getType());
  Type elt = type.getElementType();
  auto bytes = getRawBytes(attr);
  if (!bytes)
    return std::nullopt;
  int64_t n = type.getNumElements();
  std::vector<T> out(n);
  const char *p = bytes->data();
  for (int64_t i = 0; i < n; ++i) {
    if (elt.isF32()) {
      float v;
      std::memcpy(&v, p + 4 * i, 4);
      out[i] = static_cast<T>(v);
    } else if (elt.isF64()) {
      double v;
      std::memcpy(&v, p + 8 * i, 8);
      out[i] = static_cast<T>(v);
    } else if (auto it = dyn_cast<IntegerType>(elt)) {
      unsigned w = it.getWidth();
      bool isUnsigned = it.isUnsigned();
      int64_t v = 0;
      if (w == 1 || w == 8)
        v = isUnsigned || w == 1 ? (int64_t)(uint8_t)p[i] : (int64_t)(int8_t)p[i];
      else if (w == 16) {
        int16_t x; std::memcpy(&x, p + 2 * i, 2);
        v = isUnsigned ? (int64_t)(uint16_t)x : x;
      } else if (w == 32) {
        int32_t x; std::memcpy(&x, p + 4 * i, 4);
        v = isUnsigned ? (int64_t)(uint32_t)x : x;
      } else if (w == 64) {
        std::memcpy(&v, p + 8 * i, 8);
      } else {
        return std::nullopt;
      }
      out[i] = static_cast<T>(v);
    } else if (auto ft = dyn_cast<FloatType>(elt); ft && ft.getWidth() == 16) {
      // f16/bf16: decoded exactly through APFloat.
      uint16_t x;
      std::memcpy(&x, p + 2 * i, 2);
      APFloat f(ft.getFloatSemantics(), APInt(16, x));
      out[i] = static_cast<T>(f.convertToDouble());
    } else {
      return std::nullopt;
    }
  }
  return out;
}

std::optional<std::vector<double>> getAsDoubles(ElementsAttr attr) {
  return convertAll<double>(attr);
}
std::optional<std::vector<int64_t>> getAsInts(ElementsAttr attr) {
  return convertAll<int64_t>(attr);
}

ElementsAttr makeElements(ShapedType type, ArrayRef<char> bytes) {
  Type elt = type.getElementType();
  if (elt.isInteger(1)) {
    SmallVector<bool> bools;
    for (char c : bytes)
      bools.push_back(c != 0);
    return DenseElementsAttr::get(type, bools);
  }
  // Small constants stay readable in the IR; large ones become blobs.
  if (bytes.size() <= 256)
    return DenseElementsAttr::getFromRawBuffer(type, bytes);
  static std::atomic<unsigned> counter{0};
  std::string name = "mnn_const_" + std::to_string(counter++);
  return DenseResourceElementsAttr::get(
      type, name,
      HeapAsmResourceBlob::allocateAndCopyWithAlign(bytes, 64));
}

ElementsAttr makeElementsFromDoubles(ShapedType type, ArrayRef<double> values) {
  Type elt = type.getElementType();
  int64_t width = elementByteWidth(elt);
  std::vector<char> bytes(values.size() * width);
  for (size_t i = 0; i < values.size(); ++i) {
    char *p = bytes.data() + i * width;
    if (elt.isF32()) {
      float v = static_cast<float>(values[i]);
      std::memcpy(p, &v, 4);
    } else if (elt.isF64()) {
      std::memcpy(p, &values[i], 8);
    } else if (auto ft = dyn_cast<FloatType>(elt); ft && ft.getWidth() == 16) {
      // f16/bf16: rounded to nearest even (overflow gives inf).
      APFloat f(values[i]);
      bool lost;
      f.convert(ft.getFloatSemantics(), APFloat::rmNearestTiesToEven, &lost);
      uint16_t x = (uint16_t)f.bitcastToAPInt().getZExtValue();
      std::memcpy(p, &x, 2);
    } else {
      int64_t v = static_cast<int64_t>(values[i]);
      if (elt.isInteger(1))
        v = values[i] != 0;
      std::memcpy(p, &v, width); // little-endian truncation
    }
  }
  return makeElements(type, bytes);
}

ElementsAttr makeElementsFromInts(ShapedType type, ArrayRef<int64_t> values) {
  Type elt = type.getElementType();
  if (isa<FloatType>(elt)) {
    std::vector<double> d(values.begin(), values.end());
    return makeElementsFromDoubles(type, d);
  }
  int64_t width = elementByteWidth(elt);
  std::vector<char> bytes(values.size() * width);
  for (size_t i = 0; i < values.size(); ++i) {
    int64_t v = elt.isInteger(1) ? values[i] != 0 : values[i];
    std::memcpy(bytes.data() + i * width, &v, width);
  }
  return makeElements(type, bytes);
}

} // namespace mnn
