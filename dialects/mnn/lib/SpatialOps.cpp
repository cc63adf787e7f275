//===- SpatialOps.cpp - pad, broadcast, resample: types, verifiers, folders ===//
//
// Shape inference, verifiers and folders of the ops in MNNSpatialOps.td.
// Constant operands fold (small tables, Tile/Expand of constant parameters);
// big ones stay ops so that the weights are not duplicated at compile time.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/MNNDialect.h"

#include "OpUtils.h"

#include "mlir/IR/Diagnostics.h"

#include <cstring>
#include <functional>

using namespace mlir;
using llvm::SmallVector;
using namespace mnn::detail;

namespace {

/// Builds `type` from the bytes of `in`: element i comes from element
/// source(i) of `in`, or is `fill` (raw bytes of one element) when it is -1.
OpFoldResult gatherElements(ElementsAttr in, RankedTensorType type,
                            std::function<int64_t(int64_t)> source,
                            ArrayRef<char> fill = {}) {
  auto bytes = mnn::getRawBytes(in);
  if (!bytes)
    return {};
  int64_t w = mnn::elementByteWidth(type.getElementType());
  int64_t n = type.getNumElements();
  std::vector<char> out(n * w);
  for (int64_t i = 0; i < n; ++i) {
    int64_t s = source(i);
    std::memcpy(out.data() + i * w, s < 0 ? fill.data() : bytes->data() + s * w,
                w);
  }
  return mnn::makeElements(type, out);
}

/// Source index along a padded dim of size `dim`, or -1 for the border
/// of constant mode. `i` is the index into the padded dim minus the begin pad.
int64_t padSource(int64_t i, int64_t dim, llvm::StringRef mode) {
  if (i >= 0 && i < dim)
    return i;
  if (mode == "constant")
    return -1;
  if (mode == "edge")
    return i < 0 ? 0 : dim - 1;
  if (mode == "wrap")
    return ((i % dim) + dim) % dim;
  // reflect (dim >= 2 is verified): period 2 * (dim - 1).
  int64_t period = 2 * (dim - 1);
  int64_t m = ((i % period) + period) % period;
  return m < dim ? m : period - m;
}

} // namespace

//===----------------------------------------------------------------------===//
// pad
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(PadOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!in)
    return emitOptionalError(loc, "pad expects a ranked input");
  ArrayRef<int64_t> pads = adaptor.getPads();
  int64_t rank = in.getRank();
  if ((int64_t)pads.size() != 2 * rank)
    return emitOptionalError(loc, "pad expects ", 2 * rank, " pads for rank ",
                             rank, ", got ", pads.size());
  SmallVector<int64_t> shape(in.getShape());
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] < 0 || pads[d + rank] < 0)
      return emitOptionalError(loc, "pad amounts must be non-negative");
    shape[d] += pads[d] + pads[d + rank];
  }
  results.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult mnn::PadOp::verify() {
  StringRef mode = getMode();
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      mode != "wrap")
    return emitOpError("unknown pad mode '") << mode << "'";
  auto in = cast<RankedTensorType>(getInput().getType());
  ArrayRef<int64_t> pads = getPads();
  int64_t rank = in.getRank();
  for (int64_t d = 0; d < rank; ++d) {
    if (pads[d] == 0 && pads[d + rank] == 0)
      continue;
    int64_t dim = in.getDimSize(d);
    if (mode != "constant" && dim == 0)
      return emitOpError("cannot pad the empty dim ") << d << " in " << mode
                                                       << " mode";
    if (mode == "reflect" && dim < 2)
      return emitOpError("reflect mode needs at least 2 elements in dim ")
             << d << ", which has " << dim;
  }
  return success();
}

OpFoldResult mnn::PadOp::fold(FoldAdaptor a) {
  if (llvm::all_of(getPads(), [](int64_t p) { return p == 0; }))
    return getInput();
  ElementsAttr in = foldableConstant(a.getInput());
  auto type = cast<RankedTensorType>(getType());
  if (!in || type.getNumElements() > kMaxFoldElements)
    return {};
  Type elt = type.getElementType();
  auto fillAttr = mnn::makeElementsFromDoubles(
      RankedTensorType::get({1}, elt), {getValue().convertToDouble()});
  auto fill = mnn::getRawBytes(fillAttr);
  if (!fill)
    return {};
  auto inShape = cast<ShapedType>(in.getType()).getShape();
  SmallVector<int64_t> inStrides = stridesOf(inShape), index;
  int64_t rank = inShape.size();
  ArrayRef<int64_t> pads = getPads();
  StringRef mode = getMode();
  return gatherElements(
      in, type,
      [&](int64_t i) -> int64_t {
        unflatten(i, type.getShape(), index);
        int64_t off = 0;
        for (int64_t d = 0; d < rank; ++d) {
          int64_t s = padSource(index[d] - pads[d], inShape[d], mode);
          if (s < 0)
            return -1;
          off += s * inStrides[d];
        }
        return off;
      },
      *fill);
}

//===----------------------------------------------------------------------===//
// broadcast
//===----------------------------------------------------------------------===//

LogicalResult mnn::BroadcastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getType());
  if (in.getElementType() != out.getElementType())
    return emitOpError("element types differ");
  auto shape = mnn::broadcastShapes(in.getShape(), out.getShape());
  if (failed(shape) || ArrayRef<int64_t>(*shape) != out.getShape())
    return emitOpError("cannot broadcast ")
           << shapeStr(in.getShape()) << " to " << shapeStr(out.getShape());
  return success();
}

OpFoldResult mnn::BroadcastOp::fold(FoldAdaptor a) {
  auto type = cast<RankedTensorType>(getType());
  if (getInput().getType() == type)
    return getInput();
  auto dense = dyn_cast_or_null<DenseElementsAttr>(a.getInput());
  if (dense && dense.isSplat())
    return DenseElementsAttr::get(type, dense.getSplatValue<Attribute>());
  ElementsAttr in = foldableConstant(a.getInput());
  if (!in || type.getNumElements() > kMaxFoldElements)
    return {};
  auto inShape = cast<ShapedType>(in.getType()).getShape();
  SmallVector<int64_t> inStrides = stridesOf(inShape), index;
  int64_t lead = type.getRank() - inShape.size();
  return gatherElements(in, type, [&](int64_t i) {
    unflatten(i, type.getShape(), index);
    int64_t off = 0;
    for (size_t d = 0; d < inShape.size(); ++d)
      if (inShape[d] != 1)
        off += index[lead + d] * inStrides[d];
    return off;
  });
}

//===----------------------------------------------------------------------===//
// resample
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(ResampleOp) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto in = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  if (!in)
    return emitOptionalError(loc, "resample expects a ranked input");
  int64_t axis = adaptor.getAxis(), taps = adaptor.getTaps();
  if (axis < 0 || axis >= in.getRank())
    return emitOptionalError(loc, "resample axis ", axis,
                             " is out of range for rank ", in.getRank());
  int64_t n = adaptor.getIndices().size();
  if (taps <= 0 || n % taps != 0 || (int64_t)adaptor.getWeights().size() != n)
    return emitOptionalError(loc, "resample tables do not match taps = ", taps);
  SmallVector<int64_t> shape(in.getShape());
  shape[axis] = n / taps;
  results.push_back(RankedTensorType::get(shape, in.getElementType()));
  return success();
}

LogicalResult mnn::ResampleOp::verify() {
  int64_t dim = cast<RankedTensorType>(getInput().getType())
                    .getDimSize(getAxis());
  ArrayRef<int64_t> idx = getIndices();
  int64_t taps = getTaps();
  for (size_t i = 0; i < idx.size(); ++i) {
    bool outside = idx[i] == -1 && i % taps == 0;
    if (!outside && (idx[i] < 0 || idx[i] >= dim))
      return emitOpError("resample index ")
             << idx[i] << " is out of range for an axis of " << dim;
  }
  if (!isGather() && !cast<RankedTensorType>(getType()).getElementType().isF32())
    return emitOpError("interpolating resample is f32 only");
  return success();
}

bool mnn::ResampleOp::isGather() {
  return getTaps() == 1 &&
         llvm::all_of(getWeights(), [](float w) { return w == 1.0f; }) &&
         llvm::all_of(getIndices(), [](int64_t i) { return i >= 0; });
}
