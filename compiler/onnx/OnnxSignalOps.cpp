//===- OnnxSignalOps.cpp - DFT, STFT and window functions -----------------===//
//
// Lengths are static, so a DFT is one matmul with a constant [N*C, K*2]
// matrix of cosines and sines: the [..., N, C] layout of ONNX's real (C = 1)
// or interleaved complex (C = 2) signals is already the row that multiplies
// it. STFT frames the signal with one constant-index gather, applies the
// window and does the same. Window functions are constants.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include <cmath>

using namespace mlir;
using llvm::SmallVector;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

Value f32Constant(NodeContext &n, ArrayRef<int64_t> shape,
                  ArrayRef<double> values) {
  auto type = RankedTensorType::get(shape, n.b.getF32Type());
  return n.constant(mnn::makeElementsFromDoubles(type, values));
}

/// One scalar of an input that must be a compile-time constant.
FailureOr<int64_t> constScalar(NodeContext &n, size_t i, StringRef what) {
  auto v = n.constInts(i, what);
  if (failed(v))
    return failure();
  if (v->size() != 1)
    return n.fail("input '" + what + "' must have one element");
  return v->front();
}

/// The DFT matrix for signals of `inLen` samples with `channels` (1 real, 2
/// complex) values each, transform length `length`. Forward: `bins` outputs
/// (length, or length/2+1 one-sided) as (re, im). Inverse: full complex
/// output; inverse one-sided (irfft): `length` real samples from a
/// Hermitian half spectrum.
SmallVector<double> dftMatrix(int64_t inLen, int64_t channels, int64_t length,
                              bool inverse, bool onesided, int64_t &outBins,
                              int64_t &outChannels) {
  bool irfft = inverse && onesided;
  outBins = inverse ? length : (onesided ? length / 2 + 1 : length);
  outChannels = irfft ? 1 : 2;
  int64_t used = std::min(inLen, irfft ? length / 2 + 1 : length);
  SmallVector<double> w(inLen * channels * outBins * outChannels, 0.0);
  auto at = [&](int64_t n, int64_t c, int64_t k, int64_t d) -> double & {
    return w[((n * channels + c) * outBins + k) * outChannels + d];
  };
  for (int64_t n = 0; n < used; ++n) {
    for (int64_t k = 0; k < outBins; ++k) {
      // exact phase: reduce n*k modulo length before scaling
      double angle = 2.0 * M_PI * double((n * k) % length) / double(length);
      double c = std::cos(angle), s = std::sin(angle);
      if (irfft) {
        // input bin n, output sample k. DC and Nyquist count once and their
        // imaginary parts are ignored; other bins stand for their mirror too.
        bool single = n == 0 || (length % 2 == 0 && n == length / 2);
        double weight = (single ? 1.0 : 2.0) / double(length);
        at(n, 0, k, 0) = weight * c;
        if (channels == 2 && !single)
          at(n, 1, k, 0) = -weight * s;
      } else if (inverse) {
        double scale = 1.0 / double(length);
        at(n, 0, k, 0) = scale * c;
        at(n, 0, k, 1) = scale * s;
        if (channels == 2) {
          at(n, 1, k, 0) = -scale * s;
          at(n, 1, k, 1) = scale * c;
        }
      } else {
        at(n, 0, k, 0) = c;
        at(n, 0, k, 1) = -s;
        if (channels == 2) {
          at(n, 1, k, 0) = s;
          at(n, 1, k, 1) = c;
        }
      }
    }
  }
  return w;
}

/// DFT of `x` ([..., N, ..., C]) along `axis` (not the last dim).
FailureOr<Value> dft(NodeContext &n, Value x, int64_t axis, int64_t length,
                     bool inverse, bool onesided) {
  Ints shape(shapeOf(x));
  int64_t rank = shape.size();
  int64_t channels = shape.back();
  if (channels != 1 && channels != 2)
    return n.fail("the last dim must be 1 (real) or 2 (complex), got " +
                  Twine(channels));
  if (axis < 0 || axis >= rank - 1)
    return n.fail("axis " + Twine(axis) +
                  " must be a signal dim, not the last (real/imaginary) dim");
  // Move the transformed dim next to the channels: [rest..., N, C].
  Ints perm;
  for (int64_t d = 0; d < rank - 1; ++d)
    if (d != axis)
      perm.push_back(d);
  perm.push_back(axis);
  perm.push_back(rank - 1);
  FailureOr<Value> moved = x;
  bool identity = axis == rank - 2;
  if (!identity)
    moved = n.create<mnn::TransposeOp>(x, perm);
  if (failed(moved))
    return failure();
  Ints movedShape(shapeOf(*moved));
  int64_t inLen = movedShape[rank - 2];
  int64_t rows = product(ArrayRef<int64_t>(movedShape).drop_back(2));
  int64_t bins, outChannels;
  SmallVector<double> w =
      dftMatrix(inLen, channels, length, inverse, onesided, bins, outChannels);
  auto flat = n.reshape(*moved, {rows, inLen * channels});
  if (failed(flat))
    return failure();
  Value matrix = f32Constant(n, {inLen * channels, bins * outChannels}, w);
  auto zero = llvm::APFloat(0.0f);
  auto product2d = n.create<mnn::MatMulOp>(*flat, matrix, Value(), Value(),
                                           "none", zero, zero);
  if (failed(product2d))
    return failure();
  Ints outShape(movedShape);
  outShape[rank - 2] = bins;
  outShape[rank - 1] = outChannels;
  auto out = n.reshape(*product2d, outShape);
  if (failed(out) || identity)
    return out;
  Ints inversePerm(rank);
  for (int64_t i = 0; i < rank; ++i)
    inversePerm[perm[i]] = i;
  return n.create<mnn::TransposeOp>(*out, inversePerm);
}

LogicalResult convertDFT(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  if (!eltOf(*x).isF32())
    return n.fail("only float32 signals are supported");
  int64_t rank = shapeOf(*x).size();
  int64_t axis = n.opset >= 20 ? -2 : n.getInt("axis", 1);
  if (n.opset >= 20 && n.hasInput(2)) {
    auto a = constScalar(n, 2, "axis");
    if (failed(a))
      return failure();
    axis = *a;
  }
  // Negative axes count from the end, the real/imaginary dim included.
  if (axis < -rank || axis >= rank)
    return n.fail("axis " + Twine(axis) + " is out of range for rank " +
                  Twine(rank));
  if (axis < 0)
    axis += rank;
  bool inverse = n.getInt("inverse", 0) != 0;
  bool onesided = n.getInt("onesided", 0) != 0;
  if (onesided && !inverse && shapeOf(*x).back() != 1)
    return n.fail("onesided needs a real signal (last dim 1)");
  int64_t inLen = axis < rank - 1 ? shapeOf(*x)[axis] : 0;
  int64_t length = inverse && onesided ? 2 * (inLen - 1) : inLen;
  if (n.hasInput(1)) {
    auto l = constScalar(n, 1, "dft_length");
    if (failed(l))
      return failure();
    length = *l;
  }
  if (length <= 0)
    return n.fail("the DFT length must be positive, got " + Twine(length));
  return n.setOutput(0, dft(n, *x, axis, length, inverse, onesided));
}

LogicalResult convertSTFT(NodeContext &n) {
  auto x = n.input(0, "signal");
  if (failed(x))
    return failure();
  if (!eltOf(*x).isF32())
    return n.fail("only float32 signals are supported");
  ArrayRef<int64_t> xs = shapeOf(*x);
  if (xs.size() != 3)
    return n.fail("signal must be [batch, length, 1 or 2], got " + shapeStr(xs));
  auto step = constScalar(n, 1, "frame_step");
  if (failed(step))
    return failure();
  Value window = n.hasInput(2) ? n.inputs[2] : Value();
  int64_t frameLength = window ? shapeOf(window)[0] : xs[1];
  if (n.hasInput(3)) {
    auto fl = constScalar(n, 3, "frame_length");
    if (failed(fl))
      return failure();
    frameLength = *fl;
  }
  if (window && (shapeOf(window).size() != 1 || shapeOf(window)[0] != frameLength))
    return n.fail("window must be 1-D of frame_length " + Twine(frameLength));
  if (*step <= 0 || frameLength <= 0 || frameLength > xs[1])
    return n.fail("frame_step and frame_length must be positive, frame_length "
                  "at most the signal length " + Twine(xs[1]));
  int64_t frames = 1 + (xs[1] - frameLength) / *step;
  Ints indices;
  for (int64_t f = 0; f < frames; ++f)
    for (int64_t i = 0; i < frameLength; ++i)
      indices.push_back(f * *step + i);
  // [batch, frames, frame_length, C]
  auto framed = n.create<mnn::GatherOp>(
      *x, n.i64Constant(indices, {frames, frameLength}), 1);
  if (failed(framed))
    return failure();
  if (window) {
    auto w = n.reshape(window, {frameLength, 1});
    if (failed(w))
      return failure();
    framed = n.create<mnn::MulOp>(*framed, *w);
    if (failed(framed))
      return failure();
  }
  bool onesided = n.getInt("onesided", 1) != 0;
  if (onesided && xs[2] != 1)
    return n.fail("onesided needs a real signal (last dim 1)");
  return n.setOutput(0, dft(n, *framed, 2, frameLength, false, onesided));
}

/// Hann, Hamming, Blackman: sums of cosines of 2*pi*n/D, D = size (periodic)
/// or size - 1.
template <int Kind> LogicalResult convertWindow(NodeContext &n) {
  auto size = constScalar(n, 0, "size");
  if (failed(size))
    return failure();
  if (*size <= 0)
    return n.fail("size must be positive, got " + Twine(*size));
  Type elt = convertElementType(n.ctx(), n.getInt("output_datatype", 1));
  if (!elt)
    return n.fail("output_datatype is not supported");
  bool periodic = n.getInt("periodic", 1) != 0;
  double denom = periodic ? double(*size) : double(*size - 1);
  SmallVector<double> values(*size);
  for (int64_t i = 0; i < *size; ++i) {
    double a = denom > 0 ? 2.0 * M_PI * double(i) / denom : 0.0;
    switch (Kind) {
    case 0: // Hann
      values[i] = 0.5 - 0.5 * std::cos(a);
      break;
    case 1: // Hamming
      values[i] = 25.0 / 46.0 - (21.0 / 46.0) * std::cos(a);
      break;
    default: // Blackman
      values[i] = 0.42 - 0.5 * std::cos(a) + 0.08 * std::cos(2.0 * a);
      break;
    }
  }
  auto type = RankedTensorType::get({*size}, elt);
  n.outputs[0] = n.constant(mnn::makeElementsFromDoubles(type, values));
  return success();
}

} // namespace

void addSignalConverters(llvm::StringMap<Converter> &table) {
  table["DFT"] = convertDFT;
  table["STFT"] = convertSTFT;
  table["HannWindow"] = convertWindow<0>;
  table["HammingWindow"] = convertWindow<1>;
  table["BlackmanWindow"] = convertWindow<2>;
}

} // namespace mnn::onnx_import
