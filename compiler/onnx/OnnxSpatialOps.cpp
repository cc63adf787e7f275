//===- OnnxSpatialOps.cpp - spatial and shape ONNX operators --------------===//
//
// Pad, Resize/Upsample, ConvTranspose, Expand, Tile, Range, DepthToSpace,
// SpaceToDepth and the instance/group/Lp/mean-variance normalizations, plus
// 1-D Conv/MaxPool/AveragePool (reshaped to 2-D) and the folding of a zero
// Pad into the pads of the Conv/AveragePool it feeds.
//
// Most of these decompose into core mnn ops (reshape, transpose, slice,
// conv2d, layer_norm, reduce, elementwise): Resize becomes one mnn.resample
// per resized axis, whose tap tables (indices and weights) are computed here
// from the coordinate transformation, so the lowering knows nothing of the
// ONNX modes. ConvTranspose is a stride-1 conv2d over the zero-upsampled
// input with the flipped, transposed kernel.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cmath>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {

namespace {

FailureOr<Value> reshape(NodeContext &n, FailureOr<Value> v,
                         ArrayRef<int64_t> shape) {
  if (failed(v))
    return failure();
  return n.reshape(*v, shape);
}

FailureOr<Value> transpose(NodeContext &n, FailureOr<Value> v,
                           ArrayRef<int64_t> perm) {
  if (failed(v))
    return failure();
  return n.create<mnn::TransposeOp>(*v, perm);
}

FailureOr<Value> broadcastTo(NodeContext &n, Value v, ArrayRef<int64_t> shape) {
  auto type = RankedTensorType::get(shape, eltOf(v));
  return n.createTyped<mnn::BroadcastOp>(type, v);
}

FailureOr<Value> slice(NodeContext &n, Value v, ArrayRef<int64_t> starts,
                       ArrayRef<int64_t> sizes, ArrayRef<int64_t> steps) {
  return n.create<mnn::SliceOp>(v, starts, sizes, steps);
}

FailureOr<Value> pad(NodeContext &n, Value v, StringRef mode,
                     ArrayRef<int64_t> pads, double value) {
  return n.create<mnn::PadOp>(v, mode, pads, APFloat(value));
}

LogicalResult requireF32(NodeContext &n, Value v) {
  if (!eltOf(v).isF32())
    return n.fail("only float32 inputs are supported");
  return success();
}

/// A constant of `shape` filled with `value` (element type `elt`).
Value splat(NodeContext &n, Type elt, ArrayRef<int64_t> shape, double value) {
  auto type = RankedTensorType::get(shape, elt);
  std::vector<double> values(product(shape), value);
  return n.constant(mnn::makeElementsFromDoubles(type, values));
}

/// Copies `node` with the attribute `name` set to `values`.
void setInts(onnx::NodeProto &node, StringRef name, ArrayRef<int64_t> values) {
  onnx::AttributeProto *attr = nullptr;
  for (auto &a : *node.mutable_attribute())
    if (a.name() == name)
      attr = &a;
  if (!attr) {
    attr = node.add_attribute();
    attr->set_name(name.str());
    attr->set_type(onnx::AttributeProto::INTS);
  }
  attr->clear_ints();
  for (int64_t v : values)
    attr->add_ints(v);
}

void setString(onnx::NodeProto &node, StringRef name, StringRef value) {
  for (auto &a : *node.mutable_attribute())
    if (a.name() == name)
      a.set_s(value.str());
}

//===----------------------------------------------------------------------===//
// Pad
//===----------------------------------------------------------------------===//

LogicalResult convertPad(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  int64_t rank = rankOf(*x);
  std::string mode = n.getString("mode", "constant");
  if (mode != "constant" && mode != "reflect" && mode != "edge" &&
      !(mode == "wrap" && n.opset >= 19))
    return n.fail("unknown mode '" + mode + "'");
  Ints given;
  double value = 0;
  Ints axes;
  if (n.opset < 11) {
    auto p = n.getInts(n.opset < 2 ? "paddings" : "pads");
    if (!p)
      return n.fail("missing attribute 'pads'");
    given = *p;
    value = n.getFloat("value", 0.0f);
  } else {
    auto p = n.constInts(1, "pads");
    if (failed(p))
      return failure();
    given = *p;
    if (n.hasInput(2)) {
      auto v = n.constDoubles(2, "constant_value");
      if (failed(v))
        return failure();
      if (v->size() > 1)
        return n.fail("input 'constant_value' must be a scalar");
      if (!v->empty())
        value = v->front();
    }
    if (n.opset >= 18 && n.hasInput(3)) {
      auto a = n.constInts(3, "axes");
      if (failed(a))
        return failure();
      for (int64_t ax : *a) {
        auto norm = n.normalizeAxis(ax, rank, "axes entry");
        if (failed(norm))
          return failure();
        if (llvm::is_contained(axes, *norm))
          return n.fail("axis " + Twine(ax) + " is repeated in 'axes'");
        axes.push_back(*norm);
      }
    }
  }
  if (axes.empty() && !(n.opset >= 18 && n.hasInput(3)))
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  int64_t k = axes.size();
  if ((int64_t)given.size() != 2 * k)
    return n.fail("pads has " + Twine(given.size()) + " entries, expected " +
                  Twine(2 * k));
  Ints pads(2 * rank, 0);
  for (int64_t i = 0; i < k; ++i) {
    pads[axes[i]] = given[i];
    pads[axes[i] + rank] = given[i + k];
  }
  // Negative pads crop; in constant mode cropping and padding commute.
  ArrayRef<int64_t> in = shapeOf(*x);
  Ints starts(rank, 0), sizes(in), steps(rank, 1);
  bool crop = false;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t &b = pads[d], &e = pads[d + rank];
    if (b >= 0 && e >= 0)
      continue;
    if (mode != "constant")
      return n.fail("negative pads are only supported in constant mode, "
                    "not '" +
                    mode + "'");
    crop = true;
    if (b < 0) {
      starts[d] = -b;
      sizes[d] += b;
      b = 0;
    }
    if (e < 0) {
      sizes[d] += e;
      e = 0;
    }
    if (sizes[d] < 0)
      return n.fail("negative pads remove more than dim " + Twine(d) +
                    " holds");
  }
  Value data = *x;
  if (crop) {
    for (int64_t d = 0; d < rank; ++d)
      if (sizes[d] == 0)
        starts[d] = 0;
    auto cropped = slice(n, data, starts, sizes, steps);
    if (failed(cropped))
      return failure();
    data = *cropped;
  }
  if (mode != "constant")
    for (int64_t d = 0; d < rank; ++d)
      if ((pads[d] || pads[d + rank]) &&
          shapeOf(data)[d] < (mode == "reflect" ? 2 : 1))
        return n.fail("cannot pad dim " + Twine(d) + " of size " +
                      Twine(shapeOf(data)[d]) + " in " + mode + " mode");
  return n.setOutput(0, pad(n, data, mode, pads, value));
}

//===----------------------------------------------------------------------===//
// 1-D Conv / pooling, zero Pad folding
//===----------------------------------------------------------------------===//

Converter baseConv, baseMaxPool, baseAveragePool;

/// Runs `base` on a copy of the node with other inputs/attributes and
/// returns its output 0 (failure: the message moves to `n`).
FailureOr<Value> runBase(NodeContext &n, Converter base,
                         const onnx::NodeProto &node,
                         SmallVector<Value> inputs) {
  NodeContext inner(node, n.opset, n.b, n.loc, std::move(inputs));
  if (failed(base(inner))) {
    if (!inner.error.empty())
      return n.fail(inner.error);
    return failure();
  }
  for (size_t i = 1; i < inner.outputs.size(); ++i)
    n.outputs[i] = inner.outputs[i];
  return inner.outputs[0];
}

/// A zero constant Pad on the H/W dims of a 4-D tensor that a Conv (or an
/// AveragePool counting pads) can absorb into its own pads.
mnn::PadOp foldablePad(Value v) {
  auto p = v.getDefiningOp<mnn::PadOp>();
  if (!p || p.getMode() != "constant" || !p.getValue().isZero() ||
      rankOf(v) != 4)
    return nullptr;
  ArrayRef<int64_t> pads = p.getPads();
  if (pads[0] || pads[1] || pads[4] || pads[5])
    return nullptr;
  return p;
}

LogicalResult convertWindowed(NodeContext &n, Converter base, bool isConv,
                              bool isAvg) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  onnx::NodeProto node = n.node;
  SmallVector<Value> inputs(n.inputs);
  int64_t rank = rankOf(*x);
  if (rank == 3) {
    // (N, C, W) -> (N, C, 1, W): a 2-D window of height 1.
    auto extend = [&](StringRef name, int64_t one) {
      if (auto v = n.getInts(name)) {
        if (v->size() != 1)
          return false;
        setInts(node, name, {one, v->front()});
      }
      return true;
    };
    bool ok = extend("kernel_shape", 1) && extend("strides", 1) &&
              extend("dilations", 1);
    if (auto p = n.getInts("pads")) {
      ok &= p->size() == 2;
      if (ok)
        setInts(node, "pads", {0, (*p)[0], 0, (*p)[1]});
    }
    if (!ok)
      return n.fail("a 1-D window needs 1 kernel_shape/strides/dilations "
                    "entry and 2 pads");
    ArrayRef<int64_t> xs = shapeOf(*x);
    auto x4 = n.reshape(*x, {xs[0], xs[1], 1, xs[2]});
    if (failed(x4))
      return failure();
    inputs[0] = *x4;
    if (isConv) {
      auto w = n.input(1, "W");
      if (failed(w))
        return failure();
      ArrayRef<int64_t> ws = shapeOf(*w);
      if (ws.size() != 3)
        return n.fail("a 1-D conv needs a 3-D weight, got " + shapeStr(ws));
      auto w4 = n.reshape(*w, {ws[0], ws[1], 1, ws[2]});
      if (failed(w4))
        return failure();
      inputs[1] = *w4;
    }
    auto y = runBase(n, base, node, inputs);
    if (failed(y))
      return failure();
    ArrayRef<int64_t> ys = shapeOf(*y);
    return n.setOutput(0, n.reshape(*y, {ys[0], ys[1], ys[3]}));
  }
  // Fold a zero Pad of H/W into the window's pads (exported by torchvision,
  // paddle2onnx). MaxPool pads with -inf, not zero, so it keeps the Pad; an
  // AveragePool only where padded elements count (count_include_pad) and
  // ceil_mode does not move the last window.
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  mnn::PadOp p = foldablePad(*x);
  bool canFold = p && (autoPad == "NOTSET" || autoPad == "VALID") &&
                 (isConv || (isAvg && n.getInt("count_include_pad", 0) != 0 &&
                             n.getInt("ceil_mode", 0) == 0));
  if (canFold) {
    Ints own = n.getInts("pads").value_or(Ints{0, 0, 0, 0});
    if (autoPad == "VALID")
      own.assign(4, 0);
    if (own.size() == 4) {
      ArrayRef<int64_t> pp = p.getPads();
      setInts(node, "pads",
              {own[0] + pp[2], own[1] + pp[3], own[2] + pp[6], own[3] + pp[7]});
      setString(node, "auto_pad", "NOTSET");
      inputs[0] = p.getInput();
      auto y = runBase(n, base, node, inputs);
      if (failed(y))
        return failure();
      if (p->use_empty())
        p->erase();
      return n.setOutput(0, *y);
    }
  }
  auto y = runBase(n, base, node, inputs);
  if (failed(y))
    return failure();
  return n.setOutput(0, *y);
}

LogicalResult convertConv(NodeContext &n) {
  return convertWindowed(n, baseConv, true, false);
}
LogicalResult convertMaxPool(NodeContext &n) {
  return convertWindowed(n, baseMaxPool, false, false);
}
LogicalResult convertAveragePool(NodeContext &n) {
  return convertWindowed(n, baseAveragePool, false, true);
}

//===----------------------------------------------------------------------===//
// ConvTranspose
//===----------------------------------------------------------------------===//

LogicalResult convertConvTranspose(NodeContext &n) {
  auto x = n.input(0, "X"), w = n.input(1, "W");
  if (failed(x) || failed(w) || failed(requireF32(n, *x)))
    return failure();
  int64_t rank = rankOf(*x), nsp = rank - 2;
  if (nsp != 1 && nsp != 2)
    return n.fail("only 1-D and 2-D ConvTranspose are supported, got input " +
                  shapeStr(shapeOf(*x)));
  ArrayRef<int64_t> xs = shapeOf(*x), ws = shapeOf(*w);
  if ((int64_t)ws.size() != rank)
    return n.fail("weight " + shapeStr(ws) + " does not match input " +
                  shapeStr(xs));
  int64_t group = n.getInt("group", 1);
  if (group <= 0 || xs[1] % group || ws[0] != xs[1])
    return n.fail("weight " + shapeStr(ws) + " and group " + Twine(group) +
                  " do not match " + Twine(xs[1]) + " input channels");
  int64_t cinG = xs[1] / group, coutG = ws[1], cout = coutG * group;
  Ints kernel(ws.begin() + 2, ws.end());
  if (auto k = n.getInts("kernel_shape"))
    if (*k != kernel)
      return n.fail("kernel_shape does not match the weight " + shapeStr(ws));
  auto attr = [&](StringRef name, int64_t size, int64_t dflt) {
    return n.getInts(name).value_or(Ints(size, dflt));
  };
  Ints strides = attr("strides", nsp, 1), dilations = attr("dilations", nsp, 1);
  Ints pads = attr("pads", 2 * nsp, 0), outPad = attr("output_padding", nsp, 0);
  if ((int64_t)strides.size() != nsp || (int64_t)dilations.size() != nsp ||
      (int64_t)pads.size() != 2 * nsp || (int64_t)outPad.size() != nsp)
    return n.fail("strides, dilations, output_padding need " + Twine(nsp) +
                  " entries and pads " + Twine(2 * nsp));
  for (int64_t i = 0; i < nsp; ++i)
    if (strides[i] <= 0 || dilations[i] <= 0 || pads[i] < 0 ||
        pads[i + nsp] < 0 || outPad[i] < 0)
      return n.fail("strides and dilations must be positive, pads and "
                    "output_padding non-negative");
  std::string autoPad = n.getString("auto_pad", "NOTSET");
  if (autoPad != "NOTSET" && autoPad != "VALID" && autoPad != "SAME_UPPER" &&
      autoPad != "SAME_LOWER")
    return n.fail("unknown auto_pad '" + autoPad + "'");
  std::optional<Ints> outShape = n.getInts("output_shape");
  if (outShape) {
    // output_shape may include N and C.
    if ((int64_t)outShape->size() == rank)
      outShape = Ints(outShape->begin() + 2, outShape->end());
    if ((int64_t)outShape->size() != nsp)
      return n.fail("output_shape needs " + Twine(nsp) + " entries");
  }
  for (int64_t i = 0; i < nsp; ++i) {
    int64_t eff = dilations[i] * (kernel[i] - 1) + 1;
    int64_t natural = strides[i] * (xs[2 + i] - 1) + outPad[i] + eff;
    int64_t target = -1;
    if (outShape)
      target = (*outShape)[i];
    else if (autoPad == "SAME_UPPER" || autoPad == "SAME_LOWER")
      target = xs[2 + i] * strides[i];
    if (target >= 0) {
      int64_t total = natural - target;
      if (total < 0)
        return n.fail("output_shape " + Twine(target) +
                      " is larger than the full output " + Twine(natural) +
                      " (not supported)");
      // Odd totals, as the ONNX spec says: the extra pad goes last for
      // SAME_UPPER, first otherwise.
      bool upper = autoPad == "SAME_UPPER";
      pads[i] = upper ? total / 2 : total - total / 2;
      pads[i + nsp] = total - pads[i];
    } else if (autoPad == "VALID") {
      pads[i] = pads[i + nsp] = 0;
    }
  }
  // Everything in 2-D: a 1-D transposed conv has height 1.
  Ints xs2(xs), k2(kernel), s2(strides), d2(dilations), op2(outPad);
  Ints pb(pads.begin(), pads.begin() + nsp), pe(pads.begin() + nsp, pads.end());
  Value in = *x, filter = *w;
  if (nsp == 1) {
    xs2 = {xs[0], xs[1], 1, xs[2]};
    k2.insert(k2.begin(), 1);
    s2.insert(s2.begin(), 1);
    d2.insert(d2.begin(), 1);
    op2.insert(op2.begin(), 0);
    pb.insert(pb.begin(), 0);
    pe.insert(pe.begin(), 0);
    auto r = n.reshape(in, xs2);
    auto rw = n.reshape(filter, {ws[0], ws[1], 1, ws[2]});
    if (failed(r) || failed(rw))
      return failure();
    in = *r;
    filter = *rw;
  }
  int64_t kh = k2[0], kw = k2[1];
  // Filter [Cin, Cout/g, kh, kw] -> [Cout, Cin/g, kh, kw], spatially flipped.
  auto wt = reshape(n, filter, {group, cinG, coutG, kh, kw});
  wt = transpose(n, wt, {0, 2, 1, 3, 4});
  wt = reshape(n, wt, {cout, cinG, kh, kw});
  if (failed(wt))
    return failure();
  wt = slice(n, *wt, {0, 0, kh - 1, kw - 1}, {cout, cinG, kh, kw},
             {1, 1, -1, -1});
  if (failed(wt))
    return failure();
  // Zero insertion: (N, C, H, W) -> (N, C, H, 1, W, 1) padded to
  // (N, C, H, sh, W, sw) -> (N, C, H*sh, W*sw); the last sh-1 rows (sw-1
  // columns) are zeros past the (H-1)*sh+1 the conv needs.
  int64_t sh = s2[0], sw = s2[1], h = xs2[2], wd = xs2[3];
  if (sh > 1 || sw > 1) {
    auto up = n.reshape(in, {xs2[0], xs2[1], h, 1, wd, 1});
    if (failed(up))
      return failure();
    up = pad(n, *up, "constant", {0, 0, 0, 0, 0, 0, 0, 0, 0, sh - 1, 0, sw - 1},
             0.0);
    up = reshape(n, up, {xs2[0], xs2[1], h * sh, wd * sw});
    if (failed(up))
      return failure();
    in = *up;
  }
  // Conv pads: eff-1-pad at the start, eff-1-pad+output_padding at the end,
  // minus the trailing zeros of the insertion. Negative ones crop the input.
  Ints convPads(4), starts(4, 0), sizes(shapeOf(in)), steps(4, 1);
  bool crop = false;
  for (int i = 0; i < 2; ++i) {
    int64_t eff = d2[i] * (k2[i] - 1) + 1;
    int64_t b = eff - 1 - pb[i];
    int64_t e = eff - 1 - pe[i] + op2[i] - (s2[i] - 1);
    if (b < 0) {
      starts[2 + i] = -b;
      sizes[2 + i] += b;
      b = 0;
      crop = true;
    }
    if (e < 0) {
      sizes[2 + i] += e;
      e = 0;
      crop = true;
    }
    if (sizes[2 + i] <= 0)
      return n.fail("pads leave an empty output");
    convPads[i] = b;
    convPads[i + 2] = e;
  }
  if (crop) {
    auto c = slice(n, in, starts, sizes, steps);
    if (failed(c))
      return failure();
    in = *c;
  }
  Value bias = n.hasInput(2) ? n.inputs[2] : Value();
  auto y = n.create<mnn::Conv2DOp>(in, *wt, bias, Value(), Ints{1, 1}, convPads,
                                   d2, group, "oihw", "none", f32(0), f32(0));
  if (failed(y))
    return failure();
  if (nsp == 1) {
    ArrayRef<int64_t> ys = shapeOf(*y);
    return n.setOutput(0, n.reshape(*y, {ys[0], ys[1], ys[3]}));
  }
  return n.setOutput(0, *y);
}

//===----------------------------------------------------------------------===//
// Resize / Upsample
//===----------------------------------------------------------------------===//

struct ResizeAttrs {
  std::string mode = "nearest";
  std::string coord = "half_pixel";
  std::string nearest = "round_prefer_floor";
  float cubicA = -0.75f;
  bool excludeOutside = false;
  float extrapolation = 0.0f;
  bool legacy = false; // Upsample and Resize-10: ONNX Runtime's rules
};

/// Tap table of one axis: `taps` (index, weight) pairs per output position.
struct Taps {
  int64_t taps = 1;
  Ints indices;
  SmallVector<float> weights;
  bool identity(int64_t len) const {
    for (int64_t o = 0; o < len; ++o)
      for (int64_t t = 0; t < taps; ++t) {
        float w = weights[o * taps + t];
        int64_t i = indices[o * taps + t];
        if (w != 0.0f && (i != o || w != 1.0f))
          return false;
        if (i < 0)
          return false;
      }
    return true;
  }
};

float cubicCoeff(float x, float a) {
  x = std::fabs(x);
  if (x <= 1)
    return ((a + 2) * x - (a + 3)) * x * x + 1;
  if (x < 2)
    return ((a * x - 5 * a) * x + 8 * a) * x - 4 * a;
  return 0;
}

/// Computes the taps of one axis (input length `in`, output `out`, scale
/// `scale`, roi [start, end] for tf_crop_and_resize), in float arithmetic
/// like ONNX Runtime so that nearest rounding ties agree.
Taps axisTaps(const ResizeAttrs &r, int64_t in, int64_t out, float scale,
              float roiStart, float roiEnd) {
  Taps t;
  t.taps = r.mode == "nearest" ? 1 : r.mode == "linear" ? 2 : 4;
  float fin = static_cast<float>(in), fout = static_cast<float>(out);
  for (int64_t o = 0; o < out; ++o) {
    float xr = static_cast<float>(o), x;
    const std::string &c = r.coord;
    if (c == "half_pixel")
      x = (xr + 0.5f) / scale - 0.5f;
    else if (c == "half_pixel_symmetric") {
      float adjustment = fout / (scale * fin);
      float center = fin / 2;
      float offset = center * (1 - adjustment);
      x = offset + (xr + 0.5f) / scale - 0.5f;
    } else if (c == "pytorch_half_pixel")
      x = out > 1 ? (xr + 0.5f) / scale - 0.5f : 0.0f;
    else if (c == "align_corners")
      // The ONNX spec's length_resized is length_original * scale, which is
      // not the (floored) output size when scales do not divide evenly.
      x = out == 1 ? 0.0f : xr * (fin - 1) / (fin * scale - 1);
    else if (c == "asymmetric")
      x = xr / scale;
    else if (c == "tf_half_pixel_for_nn")
      x = (xr + 0.5f) / scale;
    else // tf_crop_and_resize
      x = out > 1 ? roiStart * (fin - 1) +
                        xr * (roiEnd - roiStart) * (fin - 1) / (fout - 1)
                  : 0.5f * (roiStart + roiEnd) * (fin - 1);
    if (c == "tf_crop_and_resize" && (x < 0 || x > fin - 1)) {
      for (int64_t k = 0; k < t.taps; ++k) {
        t.indices.push_back(k == 0 ? -1 : 0);
        t.weights.push_back(0.0f);
      }
      continue;
    }
    auto clampIdx = [&](int64_t i) { return std::clamp<int64_t>(i, 0, in - 1); };
    if (r.mode == "nearest") {
      int64_t i;
      if (r.legacy) {
        // ONNX Runtime's rule before Resize-11: floor when upsampling, ceil
        // when downsampling.
        i = scale < 1 ? (int64_t)std::ceil(x) : (int64_t)x;
      } else if (r.nearest == "floor") {
        i = (int64_t)std::floor(x);
      } else if (r.nearest == "ceil") {
        i = (int64_t)std::ceil(x);
      } else {
        bool tie = x == static_cast<float>(static_cast<int64_t>(x)) + 0.5f;
        if (tie)
          i = r.nearest == "round_prefer_floor" ? (int64_t)std::floor(x)
                                                : (int64_t)std::ceil(x);
        else
          i = (int64_t)std::round(x);
      }
      t.indices.push_back(clampIdx(i));
      t.weights.push_back(1.0f);
    } else if (r.mode == "linear") {
      x = std::clamp(x, 0.0f, fin - 1);
      int64_t i0 = std::min<int64_t>((int64_t)x, in - 1);
      int64_t i1 = std::min<int64_t>(i0 + 1, in - 1);
      float w1 = x - static_cast<float>(i0);
      t.indices.append({i0, i1});
      t.weights.append({1.0f - w1, w1});
    } else { // cubic
      float f = std::floor(x);
      float ratio = x - f;
      int64_t base = (int64_t)f;
      float w[4];
      float sum = 0;
      for (int k = 0; k < 4; ++k) {
        int64_t i = base - 1 + k;
        w[k] = cubicCoeff(ratio - (k - 1), r.cubicA);
        if (r.excludeOutside && (i < 0 || i >= in))
          w[k] = 0;
        sum += w[k];
      }
      for (int k = 0; k < 4; ++k) {
        t.indices.push_back(clampIdx(base - 1 + k));
        t.weights.push_back(r.excludeOutside && sum != 0 ? w[k] / sum : w[k]);
      }
    }
  }
  return t;
}

/// Shared by Resize and Upsample once scales/sizes are known per dim.
LogicalResult resize(NodeContext &n, Value x, const ResizeAttrs &r,
                     ArrayRef<float> scales, ArrayRef<int64_t> outShape,
                     ArrayRef<float> roi) {
  if (r.mode != "nearest" && !eltOf(x).isF32())
    return n.fail("mode '" + r.mode + "' is only supported on float32");
  int64_t rank = rankOf(x);
  ArrayRef<int64_t> in = shapeOf(x);
  Value v = x;
  for (int64_t d = 0; d < rank; ++d) {
    if (outShape[d] <= 0 || in[d] <= 0)
      return n.fail("cannot resize dim " + Twine(d) + " of size " +
                    Twine(in[d]) + " to " + Twine(outShape[d]));
    float start = roi.empty() ? 0.0f : roi[d];
    float end = roi.empty() ? 1.0f : roi[d + rank];
    Taps t = axisTaps(r, in[d], outShape[d], scales[d], start, end);
    if (outShape[d] == in[d] && t.identity(in[d]))
      continue;
    auto y = n.create<mnn::ResampleOp>(v, d, t.taps, t.indices, t.weights,
                                       f32(r.extrapolation));
    if (failed(y))
      return failure();
    v = *y;
  }
  n.outputs[0] = v;
  return success();
}

LogicalResult readResizeMode(NodeContext &n, ResizeAttrs &r) {
  r.mode = n.getString("mode", "nearest");
  if (r.mode == "bilinear") // Upsample-1 spelling
    r.mode = "linear";
  if (r.mode != "nearest" && r.mode != "linear" &&
      !(r.mode == "cubic" && !r.legacy))
    return n.fail("unknown mode '" + r.mode + "'");
  return success();
}

LogicalResult convertUpsample(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  ResizeAttrs r;
  r.legacy = true;
  r.coord = "asymmetric";
  if (failed(readResizeMode(n, r)))
    return failure();
  SmallVector<float> scales;
  if (n.opset < 9) {
    auto a = n.attr("scales");
    if (!a)
      return n.fail("missing attribute 'scales'");
    scales.assign(a->floats().begin(), a->floats().end());
  } else {
    auto s = n.constDoubles(1, "scales");
    if (failed(s))
      return failure();
    for (double v : *s)
      scales.push_back(static_cast<float>(v));
  }
  int64_t rank = rankOf(*x);
  if ((int64_t)scales.size() != rank)
    return n.fail("scales has " + Twine(scales.size()) + " entries for rank " +
                  Twine(rank));
  Ints out;
  for (int64_t d = 0; d < rank; ++d) {
    if (!(scales[d] > 0))
      return n.fail("scales must be positive");
    out.push_back(static_cast<int64_t>(scales[d] * shapeOf(*x)[d]));
  }
  return resize(n, *x, r, scales, out, {});
}

LogicalResult convertResize(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  ResizeAttrs r;
  r.legacy = n.opset < 11;
  if (failed(readResizeMode(n, r)))
    return failure();
  int64_t rank = rankOf(*x);
  ArrayRef<int64_t> in = shapeOf(*x);
  if (!r.legacy) {
    r.coord = n.getString("coordinate_transformation_mode", "half_pixel");
    StringRef c = r.coord;
    if (c != "half_pixel" && c != "pytorch_half_pixel" &&
        c != "align_corners" && c != "asymmetric" &&
        c != "tf_crop_and_resize" &&
        !(c == "tf_half_pixel_for_nn" && n.opset < 13) &&
        !(c == "half_pixel_symmetric" && n.opset >= 18))
      return n.fail("unknown coordinate_transformation_mode '" + r.coord +
                    "'");
    r.nearest = n.getString("nearest_mode", "round_prefer_floor");
    if (r.nearest != "round_prefer_floor" && r.nearest != "round_prefer_ceil" &&
        r.nearest != "floor" && r.nearest != "ceil")
      return n.fail("unknown nearest_mode '" + r.nearest + "'");
    r.cubicA = n.getFloat("cubic_coeff_a", -0.75f);
    r.excludeOutside = n.getInt("exclude_outside", 0) != 0;
    r.extrapolation = n.getFloat("extrapolation_value", 0.0f);
    if (n.getInt("antialias", 0) != 0 && r.mode != "nearest")
      return n.fail("attribute 'antialias' = 1 is not supported with mode '" +
                    r.mode + "'");
  } else {
    r.coord = "asymmetric";
  }
  // Axes (opset 18): scales, sizes and roi cover only these dims.
  Ints axes;
  if (auto a = n.getInts("axes")) {
    for (int64_t ax : *a) {
      auto norm = n.normalizeAxis(ax, rank, "axes entry");
      if (failed(norm))
        return failure();
      if (llvm::is_contained(axes, *norm))
        return n.fail("axis " + Twine(ax) + " is repeated in 'axes'");
      axes.push_back(*norm);
    }
  } else {
    for (int64_t d = 0; d < rank; ++d)
      axes.push_back(d);
  }
  int64_t k = axes.size();
  int scalesInput = r.legacy ? 1 : 2, sizesInput = 3;
  SmallVector<double> scalesIn;
  Ints sizesIn;
  if (n.hasInput(scalesInput)) {
    auto s = n.constDoubles(scalesInput, "scales");
    if (failed(s))
      return failure();
    scalesIn = *s;
  }
  if (!r.legacy && n.hasInput(sizesInput)) {
    auto s = n.constInts(sizesInput, "sizes");
    if (failed(s))
      return failure();
    sizesIn = *s;
  }
  if (scalesIn.empty() == sizesIn.empty())
    return n.fail("exactly one of 'scales' and 'sizes' must be given");
  SmallVector<float> scales(rank, 1.0f);
  Ints out(in);
  if (!scalesIn.empty()) {
    if ((int64_t)scalesIn.size() != k)
      return n.fail("scales has " + Twine(scalesIn.size()) + " entries, " +
                    "expected " + Twine(k));
    for (int64_t i = 0; i < k; ++i) {
      float s = static_cast<float>(scalesIn[i]);
      if (!(s > 0))
        return n.fail("scales must be positive");
      scales[axes[i]] = s;
    }
  } else {
    if ((int64_t)sizesIn.size() != k)
      return n.fail("sizes has " + Twine(sizesIn.size()) + " entries, " +
                    "expected " + Twine(k));
    std::string policy = n.getString("keep_aspect_ratio_policy", "stretch");
    if (policy != "stretch" && policy != "not_larger" &&
        policy != "not_smaller")
      return n.fail("unknown keep_aspect_ratio_policy '" + policy + "'");
    for (int64_t i = 0; i < k; ++i)
      if (sizesIn[i] <= 0)
        return n.fail("sizes must be positive");
    if (policy == "stretch") {
      for (int64_t i = 0; i < k; ++i) {
        int64_t d = axes[i];
        out[d] = sizesIn[i];
        scales[d] = static_cast<float>(out[d]) / static_cast<float>(in[d]);
      }
    } else {
      float s = policy == "not_larger" ? std::numeric_limits<float>::max()
                                       : 0.0f;
      for (int64_t i = 0; i < k; ++i) {
        float si = static_cast<float>(sizesIn[i]) /
                   static_cast<float>(in[axes[i]]);
        s = policy == "not_larger" ? std::min(s, si) : std::max(s, si);
      }
      for (int64_t i = 0; i < k; ++i) {
        int64_t d = axes[i];
        out[d] = static_cast<int64_t>(
            std::round(s * static_cast<float>(in[d])));
        scales[d] = s;
      }
    }
  }
  SmallVector<float> roi;
  if (r.coord == "tf_crop_and_resize") {
    roi.assign(2 * rank, 0.0f);
    for (int64_t d = 0; d < rank; ++d)
      roi[d + rank] = 1.0f;
    if (n.hasInput(1)) {
      auto v = n.constDoubles(1, "roi");
      if (failed(v))
        return failure();
      if (!v->empty()) {
        if ((int64_t)v->size() != 2 * k)
          return n.fail("roi has " + Twine(v->size()) + " entries, expected " +
                        Twine(2 * k));
        for (int64_t i = 0; i < k; ++i) {
          roi[axes[i]] = static_cast<float>((*v)[i]);
          roi[axes[i] + rank] = static_cast<float>((*v)[i + k]);
        }
      }
    }
  }
  // The output size ignores roi (as ONNX Runtime computes it).
  if (!scalesIn.empty())
    for (int64_t d = 0; d < rank; ++d)
      out[d] = static_cast<int64_t>(
          std::floor(static_cast<float>(in[d]) * scales[d]));
  return resize(n, *x, r, scales, out, roi);
}

//===----------------------------------------------------------------------===//
// Expand, Tile, Range, DepthToSpace, SpaceToDepth
//===----------------------------------------------------------------------===//

LogicalResult convertExpand(NodeContext &n) {
  auto x = n.input(0, "input");
  auto shape = n.constInts(1, "shape");
  if (failed(x) || failed(shape))
    return failure();
  for (int64_t d : *shape)
    if (d < 0)
      return n.fail("invalid shape entry " + Twine(d));
  auto out = mnn::broadcastShapes(shapeOf(*x), *shape);
  if (failed(out))
    return n.fail("cannot expand " + shapeStr(shapeOf(*x)) + " to [" +
                  shapeStr(*shape) + "]");
  return n.setOutput(0, broadcastTo(n, *x, *out));
}

LogicalResult convertTile(NodeContext &n) {
  auto x = n.input(0, "input");
  auto repeats = n.constInts(1, "repeats");
  if (failed(x) || failed(repeats))
    return failure();
  ArrayRef<int64_t> in = shapeOf(*x);
  int64_t rank = in.size();
  if ((int64_t)repeats->size() != rank)
    return n.fail("repeats has " + Twine(repeats->size()) +
                  " entries for rank " + Twine(rank));
  // (d0, d1, ..) -> (1, d0, 1, d1, ..) -> (r0, d0, r1, d1, ..) -> (r0*d0, ..)
  Ints split, expanded, out;
  for (int64_t d = 0; d < rank; ++d) {
    int64_t r = (*repeats)[d];
    if (r < 0)
      return n.fail("repeats must be non-negative");
    split.append({1, in[d]});
    expanded.append({r, in[d]});
    out.push_back(r * in[d]);
  }
  auto v = n.reshape(*x, split);
  if (failed(v))
    return failure();
  auto e = broadcastTo(n, *v, expanded);
  return n.setOutput(0, reshape(n, e, out));
}

LogicalResult convertRange(NodeContext &n) {
  auto start = n.input(0, "start");
  if (failed(start))
    return failure();
  Type elt = eltOf(*start);
  SmallVector<double> v[3];
  const char *names[] = {"start", "limit", "delta"};
  for (int i = 0; i < 3; ++i) {
    auto c = n.constDoubles(i, names[i]);
    if (failed(c))
      return failure();
    if (c->size() != 1)
      return n.fail("input '" + Twine(names[i]) + "' must be a scalar");
    v[i] = *c;
  }
  double s = v[0][0], limit = v[1][0], delta = v[2][0];
  if (delta == 0)
    return n.fail("delta is 0");
  double count = std::ceil((limit - s) / delta);
  if (!(count < (1 << 26)))
    return n.fail("the range is too long");
  int64_t len = std::max<int64_t>(0, (int64_t)count);
  std::vector<double> values(len);
  if (isa<FloatType>(elt)) {
    // ONNX Runtime accumulates in the element type.
    float acc = static_cast<float>(s), fd = static_cast<float>(delta);
    for (int64_t i = 0; i < len; ++i, acc += fd)
      values[i] = elt.isF32() ? acc : s + i * delta;
  } else {
    for (int64_t i = 0; i < len; ++i)
      values[i] = s + i * delta;
  }
  auto type = RankedTensorType::get({len}, elt);
  n.outputs[0] = n.constant(mnn::makeElementsFromDoubles(type, values));
  return success();
}

LogicalResult convertDepthToSpace(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> s = shapeOf(*x);
  int64_t b = n.getInt("blocksize", 0);
  if (s.size() != 4)
    return n.fail("expects a 4-D input, got " + shapeStr(s));
  if (b <= 0 || s[1] % (b * b))
    return n.fail("blocksize " + Twine(b) + " does not divide the " +
                  Twine(s[1]) + " channels into blocks");
  std::string mode = n.opset >= 11 ? n.getString("mode", "DCR") : "DCR";
  int64_t c = s[1] / (b * b);
  FailureOr<Value> v = failure();
  if (mode == "DCR") {
    v = n.reshape(*x, {s[0], b, b, c, s[2], s[3]});
    v = transpose(n, v, {0, 3, 4, 1, 5, 2});
  } else if (mode == "CRD") {
    v = n.reshape(*x, {s[0], c, b, b, s[2], s[3]});
    v = transpose(n, v, {0, 1, 4, 2, 5, 3});
  } else {
    return n.fail("unknown mode '" + mode + "'");
  }
  return n.setOutput(0, reshape(n, v, {s[0], c, s[2] * b, s[3] * b}));
}

LogicalResult convertSpaceToDepth(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  ArrayRef<int64_t> s = shapeOf(*x);
  int64_t b = n.getInt("blocksize", 0);
  if (s.size() != 4)
    return n.fail("expects a 4-D input, got " + shapeStr(s));
  if (b <= 0 || s[2] % b || s[3] % b)
    return n.fail("blocksize " + Twine(b) + " does not divide " +
                  shapeStr(s.drop_front(2)));
  auto v = n.reshape(*x, {s[0], s[1], s[2] / b, b, s[3] / b, b});
  v = transpose(n, v, {0, 3, 5, 1, 2, 4});
  return n.setOutput(0, reshape(n, v, {s[0], s[1] * b * b, s[2] / b, s[3] / b}));
}

//===----------------------------------------------------------------------===//
// Normalizations
//===----------------------------------------------------------------------===//

/// x normalized over dims [axis, rank) with unit scale and no bias.
FailureOr<Value> standardize(NodeContext &n, Value x, int64_t axis, float eps) {
  Value ones = splat(n, eltOf(x), shapeOf(x).drop_front(axis), 1.0);
  return n.create<mnn::LayerNormOp>(x, ones, Value(), axis, f32(eps));
}

/// y * scale + bias with per-channel (dim 1) scale and bias of C values.
FailureOr<Value> channelAffine(NodeContext &n, FailureOr<Value> y, Value scale,
                               Value bias) {
  if (failed(y))
    return failure();
  int64_t rank = rankOf(*y), c = shapeOf(*y)[1];
  Ints shape(rank - 1, 1);
  shape[0] = c;
  for (Value p : {scale, bias}) {
    if (product(shapeOf(p)) != c)
      return n.fail("scale and bias need " + Twine(c) + " values, got " +
                    shapeStr(shapeOf(p)));
  }
  auto s = n.reshape(scale, shape);
  if (failed(s))
    return failure();
  y = n.create<mnn::MulOp>(*y, *s);
  auto bb = n.reshape(bias, shape);
  if (failed(y) || failed(bb))
    return failure();
  return n.create<mnn::AddOp>(*y, *bb);
}

LogicalResult convertInstanceNorm(NodeContext &n) {
  auto x = n.input(0, "input"), scale = n.input(1, "scale"),
       bias = n.input(2, "B");
  if (failed(x) || failed(scale) || failed(bias) || failed(requireF32(n, *x)))
    return failure();
  if (rankOf(*x) < 3)
    return n.fail("expects an N x C x spatial input, got " +
                  shapeStr(shapeOf(*x)));
  float eps = n.getFloat("epsilon", 1e-5f);
  return n.setOutput(
      0, channelAffine(n, standardize(n, *x, 2, eps), *scale, *bias));
}

LogicalResult convertGroupNorm(NodeContext &n) {
  auto x = n.input(0, "X"), scale = n.input(1, "scale"),
       bias = n.input(2, "bias");
  if (failed(x) || failed(scale) || failed(bias) || failed(requireF32(n, *x)))
    return failure();
  ArrayRef<int64_t> s = shapeOf(*x);
  if (s.size() < 3)
    return n.fail("expects an N x C x spatial input, got " + shapeStr(s));
  int64_t groups = n.getInt("num_groups", 0), c = s[1];
  if (groups <= 0 || c % groups)
    return n.fail("num_groups " + Twine(groups) + " does not divide " +
                  Twine(c) + " channels");
  float eps = n.getFloat("epsilon", 1e-5f);
  auto y = n.reshape(*x, {s[0], groups, product(s.drop_front(1)) / groups});
  if (failed(y))
    return failure();
  y = standardize(n, *y, 2, eps);
  y = reshape(n, y, s);
  Value sc = *scale, bi = *bias;
  if (n.opset < 21) {
    // GroupNormalization-18: one scale and bias per group.
    for (Value *p : {&sc, &bi}) {
      if (product(shapeOf(*p)) != groups)
        return n.fail("scale and bias need " + Twine(groups) +
                      " values (one per group) before opset 21, got " +
                      shapeStr(shapeOf(*p)));
      auto g = n.reshape(*p, {groups, 1});
      auto e = failed(g) ? g : broadcastTo(n, *g, {groups, c / groups});
      if (failed(e))
        return failure();
      *p = *e;
    }
  }
  return n.setOutput(0, channelAffine(n, y, sc, bi));
}

LogicalResult convertLpNorm(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x) || failed(requireF32(n, *x)))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rankOf(*x));
  if (failed(axis))
    return failure();
  int64_t p = n.getInt("p", 2);
  FailureOr<Value> norm;
  if (p == 2) {
    norm = n.create<mnn::MulOp>(*x, *x);
  } else if (p == 1) {
    // |x| = relu(x) + relu(-x), exactly.
    auto pos = n.create<mnn::ReluOp>(*x);
    auto neg = n.create<mnn::NegOp>(*x);
    if (failed(pos) || failed(neg))
      return failure();
    neg = n.create<mnn::ReluOp>(*neg);
    if (failed(neg))
      return failure();
    norm = n.create<mnn::AddOp>(*pos, *neg);
  } else {
    return n.fail("p = " + Twine(p) + " is not supported (only 1 and 2)");
  }
  if (failed(norm))
    return failure();
  norm = n.create<mnn::ReduceOp>(*norm, "sum", Ints{*axis}, true);
  if (succeeded(norm) && p == 2)
    norm = n.create<mnn::SqrtOp>(*norm);
  if (failed(norm))
    return failure();
  // A zero vector stays zero (0 / FLT_MIN) instead of becoming 0 / 0 = NaN.
  norm = n.create<mnn::ClipOp>(
      *norm, llvm::APFloat(std::numeric_limits<float>::min()),
      llvm::APFloat(std::numeric_limits<float>::infinity()));
  if (failed(norm))
    return failure();
  return n.setOutput(0, n.create<mnn::DivOp>(*x, *norm));
}

LogicalResult convertMeanVarianceNorm(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x) || failed(requireF32(n, *x)))
    return failure();
  int64_t rank = rankOf(*x);
  Ints axes;
  for (int64_t a : n.getInts("axes").value_or(Ints{0, 2, 3})) {
    auto norm = n.normalizeAxis(a, rank, "axes entry");
    if (failed(norm))
      return failure();
    if (llvm::is_contained(axes, *norm))
      return n.fail("axis " + Twine(a) + " is repeated in 'axes'");
    axes.push_back(*norm);
  }
  llvm::sort(axes);
  auto mean = n.create<mnn::ReduceOp>(*x, "mean", axes, true);
  if (failed(mean))
    return failure();
  auto d = n.create<mnn::SubOp>(*x, *mean);
  if (failed(d))
    return failure();
  auto var = n.create<mnn::MulOp>(*d, *d);
  if (failed(var))
    return failure();
  var = n.create<mnn::ReduceOp>(*var, "mean", axes, true);
  if (failed(var))
    return failure();
  var = n.create<mnn::AddOp>(*var, n.scalarConstant(eltOf(*x), 1e-9));
  if (failed(var))
    return failure();
  auto sd = n.create<mnn::SqrtOp>(*var);
  if (failed(sd))
    return failure();
  return n.setOutput(0, n.create<mnn::DivOp>(*d, *sd));
}

} // namespace

void addSpatialConverters(llvm::StringMap<Converter> &table) {
  // The 2-D Conv and pools of OnnxOps.cpp stay the implementation; these
  // wrappers add 1-D inputs and the Pad folding in front of them.
  baseConv = table.lookup("Conv");
  baseMaxPool = table.lookup("MaxPool");
  baseAveragePool = table.lookup("AveragePool");
  if (baseConv)
    table["Conv"] = convertConv;
  if (baseMaxPool)
    table["MaxPool"] = convertMaxPool;
  if (baseAveragePool)
    table["AveragePool"] = convertAveragePool;
  table["Pad"] = convertPad;
  table["ConvTranspose"] = convertConvTranspose;
  table["Resize"] = convertResize;
  table["Upsample"] = convertUpsample;
  table["Expand"] = convertExpand;
  table["Tile"] = convertTile;
  table["Range"] = convertRange;
  table["DepthToSpace"] = convertDepthToSpace;
  table["SpaceToDepth"] = convertSpaceToDepth;
  table["InstanceNormalization"] = convertInstanceNorm;
  table["GroupNormalization"] = convertGroupNorm;
  table["LpNormalization"] = convertLpNorm;
  table["MeanVarianceNormalization"] = convertMeanVarianceNorm;
}

} // namespace mnn::onnx_import
