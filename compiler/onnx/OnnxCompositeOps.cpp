//===- OnnxCompositeOps.cpp - small ONNX ops built from other mnn ops ------===//
//
// Ops rare enough that a kernel of their own is not worth it: each is a few
// existing mnn ops (elementwise, pooling), or a constant when its value only
// depends on shapes.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

using namespace mlir;
using llvm::SmallVector;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

// Swish (opset 24): x * sigmoid(alpha * x).
LogicalResult convertSwish(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  float alpha = n.getFloat("alpha", 1.0f);
  FailureOr<Value> arg = *x;
  if (alpha != 1.0f)
    arg = n.create<mnn::MulOp>(*x, n.scalarConstant(eltOf(*x), alpha));
  if (failed(arg))
    return failure();
  auto gate = n.create<mnn::SigmoidOp>(*arg);
  if (failed(gate))
    return failure();
  return n.setOutput(0, n.create<mnn::MulOp>(*x, *gate));
}

// LRN: x / (bias + alpha / size * sum of x^2 over `size` neighbouring
// channels)^beta. The channel window sum is an average pool over a
// [N, 1, C, rest] view that counts its zero padding, times size.
LogicalResult convertLRN(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  if (shape.size() < 3)
    return n.fail("X must be N x C x spatial, got " + shapeStr(shape));
  int64_t size = n.getInt("size", 0);
  if (size <= 0)
    return n.fail("size must be positive");
  float alpha = n.getFloat("alpha", 1e-4f), beta = n.getFloat("beta", 0.75f),
        bias = n.getFloat("bias", 1.0f);
  int64_t rest = 1;
  for (int64_t d : shape.drop_front(2))
    rest *= d;
  Type elt = eltOf(*x);
  auto sq = n.create<mnn::MulOp>(*x, *x);
  if (failed(sq))
    return failure();
  auto view = n.reshape(*sq, {shape[0], 1, shape[1], rest});
  if (failed(view))
    return failure();
  int64_t lo = (size - 1) / 2, hi = size - 1 - lo;
  Ints pads = {lo, 0, hi, 0};
  auto mean = n.create<mnn::Pool2DOp>(*view, "avg", Ints{size, 1}, Ints{1, 1},
                                      pads, Ints{1, 1}, true, pads);
  if (failed(mean))
    return failure();
  auto meanFull = n.reshape(*mean, shape);
  if (failed(meanFull))
    return failure();
  // alpha / size * (mean * size) = alpha * mean.
  auto scaled = n.create<mnn::MulOp>(*meanFull, n.scalarConstant(elt, alpha));
  if (failed(scaled))
    return failure();
  auto base = n.create<mnn::AddOp>(*scaled, n.scalarConstant(elt, bias));
  if (failed(base))
    return failure();
  auto denom = n.create<mnn::PowOp>(*base, n.scalarConstant(elt, beta));
  if (failed(denom))
    return failure();
  return n.setOutput(0, n.create<mnn::DivOp>(*x, *denom));
}

// EyeLike: ones on diagonal k of a 2-D shape, a constant.
LogicalResult convertEyeLike(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> shape = shapeOf(*x);
  if (shape.size() != 2)
    return n.fail("input must be 2-D, got " + shapeStr(shape));
  Type elt = eltOf(*x);
  if (const auto *dtype = n.attr("dtype")) {
    elt = convertElementType(n.ctx(), dtype->i());
    if (!elt)
      return n.fail("dtype " + onnxTypeName(dtype->i()) + " is not supported");
  }
  int64_t k = n.getInt("k", 0);
  SmallVector<double> values(shape[0] * shape[1], 0.0);
  for (int64_t i = 0; i < shape[0]; ++i)
    if (i + k >= 0 && i + k < shape[1])
      values[i * shape[1] + i + k] = 1.0;
  auto type = RankedTensorType::get(shape, elt);
  n.outputs[0] = n.constant(mnn::makeElementsFromDoubles(type, values));
  return success();
}

// CausalConvWithState (opset 27): depthwise 1-D conv over [past, input]
// (past = k-1 zeros when absent); the last k-1 positions are the new state.
LogicalResult convertCausalConvWithState(NodeContext &n) {
  auto x = n.input(0, "input"), w = n.input(1, "weight");
  if (failed(x) || failed(w))
    return failure();
  ArrayRef<int64_t> xs = shapeOf(*x), ws = shapeOf(*w);
  if (xs.size() != 3 || ws.size() != 3 || ws[0] != xs[1] || ws[1] != 1)
    return n.fail("input must be [B, C, L] and weight [C, 1, k], got " +
                  shapeStr(xs) + " and " + shapeStr(ws));
  if (!eltOf(*x).isF32())
    return n.fail("only float32 inputs are supported");
  std::string act = n.getString("activation", "none");
  if (act != "none" && act != "silu" && act != "swish")
    return n.fail("unknown activation '" + act + "'");
  int64_t batch = xs[0], channels = xs[1], length = xs[2], k = ws[2];
  Ints stateShape = {batch, channels, k - 1};
  Value past;
  if (n.hasInput(3)) {
    past = n.inputs[3];
    if (shapeOf(past) != ArrayRef<int64_t>(stateShape))
      return n.fail("past_state must be " + shapeStr(stateShape) + ", got " +
                    shapeStr(shapeOf(past)));
  } else if (k > 1) {
    auto type = RankedTensorType::get(stateShape, eltOf(*x));
    past = n.constant(DenseElementsAttr::get(type, 0.0f));
  }
  FailureOr<Value> padded = *x;
  if (k > 1)
    padded = n.create<mnn::ConcatOp>(ValueRange{past, *x}, 2);
  if (failed(padded))
    return failure();
  int64_t total = length + k - 1;
  auto in4 = n.reshape(*padded, {batch, channels, 1, total});
  auto w4 = n.reshape(*w, {channels, 1, 1, k});
  if (failed(in4) || failed(w4))
    return failure();
  Value bias = n.hasInput(2) ? n.inputs[2] : Value();
  auto zero = llvm::APFloat(0.0f);
  auto conv = n.create<mnn::Conv2DOp>(*in4, *w4, bias, Value(), Ints{1, 1},
                                      Ints{0, 0, 0, 0}, Ints{1, 1}, channels,
                                      "oihw", "none", zero, zero);
  if (failed(conv))
    return failure();
  FailureOr<Value> y = n.reshape(*conv, {batch, channels, length});
  if (succeeded(y) && act != "none") {
    auto gate = n.create<mnn::SigmoidOp>(*y);
    if (failed(gate))
      return failure();
    y = n.create<mnn::MulOp>(*y, *gate);
  }
  if (failed(n.setOutput(0, y)))
    return failure();
  if (n.hasOutput(1)) {
    if (k == 1) {
      return n.fail("a kernel of width 1 has an empty state");
    }
    auto state = n.create<mnn::SliceOp>(*padded, Ints{0, 0, length},
                                        stateShape, Ints{1, 1, 1});
    if (failed(state))
      return failure();
    n.outputs[1] = *state;
  }
  return success();
}

// AffineGrid: every output point's normalized coordinates (x, y[, z], 1),
// a constant [points, dims+1] base, times theta^T: one batched matmul.
LogicalResult convertAffineGrid(NodeContext &n) {
  auto theta = n.input(0, "theta");
  auto size = n.constInts(1, "size");
  if (failed(theta) || failed(size))
    return failure();
  if (!eltOf(*theta).isF32())
    return n.fail("only float32 theta is supported");
  int64_t dims = size->size() - 2;
  ArrayRef<int64_t> ts = shapeOf(*theta);
  if ((dims != 2 && dims != 3) || ts.size() != 3 || ts[0] != (*size)[0] ||
      ts[1] != dims || ts[2] != dims + 1)
    return n.fail("theta " + shapeStr(ts) + " and size " + shapeStr(*size) +
                  " must be [N, 2, 3] with [N, C, H, W] or [N, 3, 4] with "
                  "[N, C, D, H, W]");
  bool alignCorners = n.getInt("align_corners", 0) != 0;
  // Spatial sizes, innermost (W) first, matching the coordinate order x, y, z.
  Ints extent;
  for (int64_t d = 0; d < dims; ++d)
    extent.push_back((*size)[size->size() - 1 - d]);
  auto coord = [&](int64_t i, int64_t len) {
    if (alignCorners)
      return len > 1 ? -1.0 + 2.0 * double(i) / double(len - 1) : 0.0;
    return (2.0 * double(i) + 1.0) / double(len) - 1.0;
  };
  int64_t points = 1;
  for (int64_t e : extent)
    points *= e;
  SmallVector<double> base;
  for (int64_t p = 0; p < points; ++p) {
    int64_t rest = p;
    SmallVector<double> xyz(dims);
    for (int64_t d = 0; d < dims; ++d) {
      xyz[d] = coord(rest % extent[d], extent[d]);
      rest /= extent[d];
    }
    base.append(xyz.begin(), xyz.end());
    base.push_back(1.0);
  }
  auto baseType = RankedTensorType::get({points, dims + 1}, n.b.getF32Type());
  Value baseV = n.constant(mnn::makeElementsFromDoubles(baseType, base));
  auto thetaT = n.create<mnn::TransposeOp>(*theta, Ints{0, 2, 1});
  if (failed(thetaT))
    return failure();
  auto zero = llvm::APFloat(0.0f);
  auto grid = n.create<mnn::MatMulOp>(baseV, *thetaT, Value(), Value(), "none",
                                      zero, zero);
  if (failed(grid))
    return failure();
  Ints outShape = {(*size)[0]};
  for (size_t d = 2; d < size->size(); ++d)
    outShape.push_back((*size)[d]);
  outShape.push_back(dims);
  return n.setOutput(0, n.reshape(*grid, outShape));
}

} // namespace

void addCompositeConverters(llvm::StringMap<Converter> &table) {
  table["Swish"] = convertSwish;
  table["LRN"] = convertLRN;
  table["EyeLike"] = convertEyeLike;
  table["AffineGrid"] = convertAffineGrid;
  table["CausalConvWithState"] = computeInF32<convertCausalConvWithState>;
}

} // namespace mnn::onnx_import
