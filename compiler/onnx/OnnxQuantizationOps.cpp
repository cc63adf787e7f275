//===- OnnxQuantizationOps.cpp - ONNX quantization operators ---------------===//
//
// QuantizeLinear, DequantizeLinear, DynamicQuantizeLinear, MatMulInteger,
// ConvInteger, QLinearMatMul and QLinearConv, decomposed into existing mnn
// ops so that they are exact without kernels of their own:
//
//   quantize:   cast(clip(round_half_even(x / scale) + zp, qmin, qmax))
//   dequantize: (x - zp) * scale, in f32 (f64 with i64 differences for
//               32-bit inputs, so that x - zp is exact)
//   integer ops: cast(x, i32) - zp, then an i32 conv2d/matmul (wrapping
//               integer arithmetic, lowered as plain loops)
//   requantize: the i32 accumulator times (scale_a * scale_b / scale_y) in
//               f64, + zp_y, round half to even, clip, cast
//
// Scales and zero points may be computed at run time (they are ordinary
// broadcasting operands). A per-axis parameter is reshaped to broadcast
// along its axis; a blocked one is expanded with a constant-index gather.
// The quantized element type is a parameter throughout: integer types of 2
// to 16 bits clip to their range, narrow float types (float8/float4) go
// through one saturating cast (castToQuantized).
//
// Rounding follows the ONNX reference: the division runs in x's type (or the
// `precision` type), the requantization of the QLinear ops in f64 with the
// multiplier computed in the scales' type.
//
// A later int8 fast path can match cast(x, i32) - zp feeding an i32
// conv2d/matmul.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "llvm/ADT/APFloat.h"

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

using FV = FailureOr<Value>;

//--- Small builders on possibly failed values ----------------------------------

FV castTo(NodeContext &n, FV v, Type elt) {
  if (failed(v) || eltOf(*v) == elt)
    return v;
  return n.createTyped<mnn::CastOp>(RankedTensorType::get(shapeOf(*v), elt), *v);
}

template <typename OpT> FV binary(NodeContext &n, FV a, FV b) {
  if (failed(a) || failed(b))
    return failure();
  return n.create<OpT>(*a, *b);
}

FV roundHalfEven(NodeContext &n, FV v) {
  if (failed(v))
    return failure();
  return n.create<mnn::UnaryFnOp>(*v, "round", f32(0), f32(0));
}

FV clip(NodeContext &n, FV v, double lo, double hi) {
  if (failed(v))
    return failure();
  return n.create<mnn::ClipOp>(*v, f32(lo), f32(hi));
}

//--- Quantized types -----------------------------------------------------------

/// The [min, max] of an integer quantized type (2 to 32 bits), if it is one.
std::optional<std::pair<double, double>> intRange(Type t) {
  auto it = dyn_cast<IntegerType>(t);
  if (!it || it.getWidth() < 2 || it.getWidth() > 32)
    return std::nullopt;
  unsigned w = it.getWidth();
  if (it.isUnsigned())
    return std::make_pair(0.0, std::ldexp(1.0, w) - 1);
  return std::make_pair(-std::ldexp(1.0, w - 1), std::ldexp(1.0, w - 1) - 1);
}

/// Target types of QuantizeLinear: integers of up to 16 bits (their bounds
/// and every rounded value in range are exact in f32) and floats of up to 8.
bool isQuantizedType(Type t) {
  if (auto it = dyn_cast<IntegerType>(t))
    return it.getWidth() >= 2 && it.getWidth() <= 16;
  if (auto ft = dyn_cast<FloatType>(t))
    return ft.getWidth() <= 8;
  return false;
}

/// The ONNX name of an element type (UINT8, FLOAT16, ...) for messages.
std::string typeName(Type t) {
  for (int32_t id = 1; id <= 32; ++id)
    if (convertElementType(t.getContext(), id) == t)
      return onnxTypeName(id);
  std::string s;
  llvm::raw_string_ostream os(s);
  os << t;
  return s;
}

/// The element type named by a dtype attribute (output_dtype, precision), or
/// null with the error set.
Type attrType(NodeContext &n, StringRef name, int64_t dtype) {
  Type t = convertElementType(n.ctx(), static_cast<int32_t>(dtype));
  if (!t)
    (void)n.fail(name + " " + onnxTypeName(static_cast<int32_t>(dtype)) +
                 " is not supported");
  return t;
}

/// f32 values (already divided by the scale and not yet rounded for integer
/// targets: `q` is in the division's type) to the quantized type. The one
/// place that converts to a quantized type, so that a new quantized element
/// type needs nothing here but a lowering of mnn.cast to it.
FV castToQuantized(NodeContext &n, FV q, Value zp, Type target, bool saturate) {
  Type f32Type = n.b.getF32Type();
  if (auto range = intRange(target)) {
    // ONNX: saturate(round(x / scale) + zp): round before adding the zero
    // point, whose sum is exact in f32 for types of up to 16 bits.
    FV r = castTo(n, roundHalfEven(n, q), f32Type);
    if (zp)
      r = binary<mnn::AddOp>(n, r, castTo(n, zp, f32Type));
    return castTo(n, clip(n, r, range->first, range->second), target);
  }
  // Float targets (float8, float4): the zero point is zero, except that the
  // reference adds it for float4; saturation clips to the largest finite
  // value before the rounding cast.
  FV v = castTo(n, q, f32Type);
  auto ft = cast<FloatType>(target);
  if (zp && ft.getWidth() == 4)
    v = binary<mnn::AddOp>(n, v, castTo(n, zp, f32Type));
  if (saturate) {
    double big =
        llvm::APFloat::getLargest(ft.getFloatSemantics()).convertToDouble();
    v = clip(n, v, -big, big);
  }
  return castTo(n, v, target);
}

/// A scale or zero point made broadcastable to `xs`: a single value becomes
/// a scalar, a 1-D per-axis one [1.., C, ..1], a blocked one (block > 0) is
/// repeated `block` times along the axis by a constant-index gather.
FV alignParam(NodeContext &n, Value p, ArrayRef<int64_t> xs, int64_t axis,
              int64_t block, StringRef what) {
  ArrayRef<int64_t> ps = shapeOf(p);
  if (product(ps) == 1)
    return n.reshape(p, {});
  auto a = n.normalizeAxis(axis, xs.size());
  if (failed(a))
    return failure();
  int64_t ax = *a;
  if (block <= 0) {
    if (ps.size() != 1 || ps[0] != xs[ax])
      return n.fail(what + " of shape " + shapeStr(ps) +
                    " must be a single value or have " + Twine(xs[ax]) +
                    " values (dim " + Twine(ax) + " of the input " +
                    shapeStr(xs) + ")");
    Ints shape(xs.size(), 1);
    shape[ax] = ps[0];
    return n.reshape(p, shape);
  }
  bool ok = ps.size() == xs.size();
  for (size_t d = 0; ok && d < xs.size(); ++d)
    ok = (int64_t)d == ax ? ps[d] == (xs[d] + block - 1) / block
                          : ps[d] == xs[d];
  if (!ok)
    return n.fail(what + " of shape " + shapeStr(ps) + " does not match " +
                  "blocks of " + Twine(block) + " along dim " + Twine(ax) +
                  " of the input " + shapeStr(xs));
  Ints idx(xs[ax]);
  for (int64_t i = 0; i < xs[ax]; ++i)
    idx[i] = i / block;
  return n.create<mnn::GatherOp>(p, n.i64Constant(idx, {xs[ax]}), ax);
}

FailureOr<Type> zeroPointType(NodeContext &n, size_t i, Type expected,
                              StringRef what) {
  if (!n.hasInput(i))
    return expected;
  Type t = eltOf(n.inputs[i]);
  if (expected && t != expected)
    return n.fail(what + " has type " + typeName(t) + " but the data has " +
                  typeName(expected));
  return t;
}

//--- QuantizeLinear / DequantizeLinear ----------------------------------------

LogicalResult convertQuantizeLinear(NodeContext &n) {
  auto x = n.input(0, "x"), scale = n.input(1, "y_scale");
  if (failed(x) || failed(scale))
    return failure();
  if (!isa<FloatType>(eltOf(*x)) || !isa<FloatType>(eltOf(*scale)))
    return n.fail("x and y_scale must be float tensors");
  // Output type: the zero point's, else output_dtype, else uint8.
  Type target = IntegerType::get(n.ctx(), 8, IntegerType::Unsigned);
  if (int64_t dt = n.getInt("output_dtype", 0)) {
    target = attrType(n, "output_dtype", dt);
    if (!target)
      return failure();
  }
  Value zp = n.hasInput(2) ? n.inputs[2] : Value();
  if (zp) {
    if (n.getInt("output_dtype", 0) && eltOf(zp) != target)
      return n.fail("output_dtype " + typeName(target) +
                    " differs from the zero point type " + typeName(eltOf(zp)));
    target = eltOf(zp);
  }
  if (!isQuantizedType(target))
    return n.fail("cannot quantize to " + typeName(target));
  // The division runs in x's type unless `precision` names another.
  Type ct = eltOf(*x);
  if (int64_t p = n.getInt("precision", 0)) {
    ct = attrType(n, "precision", p);
    if (!ct)
      return failure();
    if (!isa<FloatType>(ct))
      return n.fail("precision must be a float type, got " + typeName(ct));
  }
  ArrayRef<int64_t> xs = shapeOf(*x);
  int64_t axis = n.getInt("axis", 1), block = n.getInt("block_size", 0);
  FV s = alignParam(n, *scale, xs, axis, block, "y_scale");
  FV z = zp ? alignParam(n, zp, xs, axis, block, "y_zero_point") : FV(Value());
  if (failed(s) || failed(z))
    return failure();
  FV q = binary<mnn::DivOp>(n, castTo(n, *x, ct), castTo(n, *s, ct));
  return n.setOutput(0, castToQuantized(n, q, *z, target,
                                        n.getInt("saturate", 1) != 0));
}

LogicalResult convertDequantizeLinear(NodeContext &n) {
  auto x = n.input(0, "x"), scale = n.input(1, "x_scale");
  if (failed(x) || failed(scale))
    return failure();
  Type xt = eltOf(*x);
  if (!isa<FloatType>(eltOf(*scale)))
    return n.fail("x_scale must be a float tensor");
  Type outType = eltOf(*scale);
  if (int64_t dt = n.getInt("output_dtype", 0)) {
    outType = attrType(n, "output_dtype", dt);
    if (!outType)
      return failure();
    if (!isa<FloatType>(outType))
      return n.fail("output_dtype must be a float type, got " +
                    typeName(outType));
  }
  ArrayRef<int64_t> xs = shapeOf(*x);
  int64_t axis = n.getInt("axis", 1), block = n.getInt("block_size", 0);
  FV s = alignParam(n, *scale, xs, axis, block, "x_scale");
  if (failed(s))
    return failure();
  Type f32Type = n.b.getF32Type(), ct = f32Type;
  FV d;
  if (auto it = dyn_cast<IntegerType>(xt); it && intRange(xt)) {
    if (failed(zeroPointType(n, 2, xt, "x_zero_point")))
      return failure();
    FV z = n.hasInput(2) ? alignParam(n, n.inputs[2], xs, axis, block,
                                      "x_zero_point")
                         : FV(Value());
    if (failed(z))
      return failure();
    if (it.getWidth() <= 16) {
      // x - zp is exact in f32.
      d = castTo(n, *x, f32Type);
      if (*z)
        d = binary<mnn::SubOp>(n, d, castTo(n, *z, f32Type));
    } else {
      // 32-bit: the difference in i64, then one rounding in f64.
      Type i64 = n.b.getI64Type();
      ct = n.b.getF64Type();
      d = castTo(n, *x, i64);
      if (*z)
        d = binary<mnn::SubOp>(n, d, castTo(n, *z, i64));
      d = castTo(n, d, ct);
    }
  } else if (isa<FloatType>(xt) && cast<FloatType>(xt).getWidth() <= 8) {
    // float8/float4: the zero point must be zero (ONNX), so it is ignored.
    d = castTo(n, *x, f32Type);
  } else {
    return n.fail("cannot dequantize " + typeName(xt));
  }
  FV y = binary<mnn::MulOp>(n, d, castTo(n, *s, ct));
  return n.setOutput(0, castTo(n, y, outType));
}

// DynamicQuantizeLinear: uint8 with scale = (max(x, 0) - min(x, 0)) / 255
// (1/255 for an all-zero x) and zero point round(clip(-min / scale, 0, 255)).
LogicalResult convertDynamicQuantizeLinear(NodeContext &n) {
  auto x = n.input(0, "x");
  if (failed(x))
    return failure();
  if (!eltOf(*x).isF32())
    return n.fail("x must be float32");
  Type f32Type = n.b.getF32Type();
  Ints axes;
  for (int64_t i = 0; i < rankOf(*x); ++i)
    axes.push_back(i);
  Value zero = n.scalarConstant(f32Type, 0);
  FV mx = n.create<mnn::ReduceOp>(*x, "max", axes, false);
  FV mn = n.create<mnn::ReduceOp>(*x, "min", axes, false);
  if (failed(mx) || failed(mn))
    return failure();
  mx = n.create<mnn::BinaryFnOp>(*mx, zero, "max");
  mn = n.create<mnn::BinaryFnOp>(*mn, zero, "min");
  FV range = binary<mnn::SubOp>(n, mx, mn);
  if (failed(range))
    return failure();
  auto isZero = n.create<mnn::CompareOp>(*range, zero, "eq");
  if (failed(isZero))
    return failure();
  range = n.create<mnn::SelectOp>(*isZero, n.scalarConstant(f32Type, 1), *range);
  FV scale =
      binary<mnn::DivOp>(n, range, FV(n.scalarConstant(f32Type, 255)));
  FV zp = binary<mnn::SubOp>(n, FV(zero), binary<mnn::DivOp>(n, mn, scale));
  zp = roundHalfEven(n, clip(n, zp, 0, 255));
  if (failed(scale) || failed(zp))
    return failure();
  Type u8 = IntegerType::get(n.ctx(), 8, IntegerType::Unsigned);
  FV q = binary<mnn::DivOp>(n, FV(*x), scale);
  if (failed(n.setOutput(0, castToQuantized(n, q, *zp, u8, true))))
    return failure();
  n.outputs[1] = *scale;
  return n.setOutput(2, castTo(n, zp, u8));
}

//--- Integer matmul and conv ----------------------------------------------------

/// cast(v, i32) - zp: the exact centered operand of an integer product.
FV centered(NodeContext &n, Value v, FV zp) {
  Type i32 = n.b.getI32Type();
  FV c = castTo(n, v, i32);
  if (failed(zp) || !*zp)
    return failed(zp) ? zp : c;
  return binary<mnn::SubOp>(n, c, castTo(n, zp, i32));
}

LogicalResult requireInt8(NodeContext &n, Value v, StringRef what) {
  auto it = dyn_cast<IntegerType>(eltOf(v));
  if (!it || it.getWidth() > 8 || it.getWidth() < 2)
    return n.fail(what + " must be an integer type of at most 8 bits, got " +
                  typeName(eltOf(v)));
  return success();
}

/// A per-row (lhs, [M] -> [M, 1]) or per-column (rhs, [N]) matmul parameter;
/// a single value becomes a scalar, anything else broadcasts as it is.
FV matmulParam(NodeContext &n, Value p, Value operand, bool lhs) {
  ArrayRef<int64_t> ps = shapeOf(p), os = shapeOf(operand);
  if (product(ps) == 1)
    return n.reshape(p, {});
  if (lhs && ps.size() == 1 && os.size() >= 2 && ps[0] == os[os.size() - 2])
    return n.reshape(p, {ps[0], 1});
  return p;
}

FV optionalMatmulParam(NodeContext &n, size_t i, Value operand, bool lhs) {
  if (!n.hasInput(i))
    return Value();
  return matmulParam(n, n.inputs[i], operand, lhs);
}

FV matmulI32(NodeContext &n, Value a, FV azp, Value b, FV bzp) {
  FV ca = centered(n, a, azp), cb = centered(n, b, bzp);
  if (failed(ca) || failed(cb))
    return failure();
  return n.create<mnn::MatMulOp>(*ca, *cb, Value(), Value(), "none", f32(0),
                                 f32(0));
}

LogicalResult convertMatMulInteger(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b) || failed(requireInt8(n, *a, "A")) ||
      failed(requireInt8(n, *b, "B")) ||
      failed(zeroPointType(n, 2, eltOf(*a), "a_zero_point")) ||
      failed(zeroPointType(n, 3, eltOf(*b), "b_zero_point")))
    return failure();
  return n.setOutput(0, matmulI32(n, *a, optionalMatmulParam(n, 2, *a, true),
                                  *b, optionalMatmulParam(n, 3, *b, false)));
}

/// A weight parameter with one value per output channel, shaped to broadcast
/// along dim 0 of a `rank`-D weight ([Cout, 1, ...]) or dim 1 of the output
/// ([Cout, 1, ...] with rank - 1 dims); a single value becomes a scalar.
FV perChannel(NodeContext &n, Value p, int64_t rank, int64_t cout,
              StringRef what) {
  ArrayRef<int64_t> ps = shapeOf(p);
  if (product(ps) == 1)
    return n.reshape(p, {});
  if (ps.size() != 1 || ps[0] != cout)
    return n.fail(what + " of shape " + shapeStr(ps) +
                  " must be a single value or have one value per output "
                  "channel (" + Twine(cout) + ")");
  Ints shape(rank, 1);
  shape[0] = cout;
  return n.reshape(p, shape);
}

FV scalarParam(NodeContext &n, size_t i, StringRef what) {
  if (!n.hasInput(i))
    return Value();
  Value p = n.inputs[i];
  if (product(shapeOf(p)) != 1)
    return n.fail(what + " must be a single value, got shape " +
                  shapeStr(shapeOf(p)));
  return n.reshape(p, {});
}

/// The ONNX Conv converter (1-D and 2-D, auto_pad, groups) on the centered
/// i32 operands; the node's attributes are Conv's.
FV convI32(NodeContext &n, size_t xi, size_t xzpi, size_t wi, size_t wzpi,
           Value bias) {
  auto x = n.input(xi, "x"), w = n.input(wi, "w");
  if (failed(x) || failed(w) || failed(requireInt8(n, *x, "x")) ||
      failed(requireInt8(n, *w, "w")) ||
      failed(zeroPointType(n, xzpi, eltOf(*x), "x_zero_point")) ||
      failed(zeroPointType(n, wzpi, eltOf(*w), "w_zero_point")))
    return failure();
  if (rankOf(*w) < 3)
    return n.fail("w must have at least 3 dims, got " + shapeStr(shapeOf(*w)));
  FV wzp = n.hasInput(wzpi) ? perChannel(n, n.inputs[wzpi], rankOf(*w),
                                         shapeOf(*w)[0], "w_zero_point")
                            : FV(Value());
  FV cx = centered(n, *x, scalarParam(n, xzpi, "x_zero_point"));
  FV cw = centered(n, *w, wzp);
  if (failed(cx) || failed(cw))
    return failure();
  Converter conv = getConverters().lookup("Conv");
  SmallVector<Value> inputs = {*cx, *cw};
  if (bias)
    inputs.push_back(bias);
  NodeContext inner(n.node, n.opset, n.b, n.loc, std::move(inputs));
  if (failed(conv(inner))) {
    if (inner.error.empty())
      return failure();
    return n.fail(inner.error);
  }
  return inner.outputs[0];
}

LogicalResult convertConvInteger(NodeContext &n) {
  return n.setOutput(0, convI32(n, 0, 2, 1, 3, Value()));
}

/// round_half_even(acc * multiplier + zp) clipped to `target`, in f64 like
/// the ONNX reference (an i32 accumulator times a float scale).
FV requantize(NodeContext &n, FV acc, FV multiplier, Value zp, Type target) {
  auto range = intRange(target);
  if (!range)
    return n.fail("cannot requantize to " + typeName(target));
  Type f64 = n.b.getF64Type();
  FV v = binary<mnn::MulOp>(n, castTo(n, acc, f64), castTo(n, multiplier, f64));
  if (zp)
    v = binary<mnn::AddOp>(n, v, castTo(n, zp, f64));
  return castTo(n, clip(n, roundHalfEven(n, v), range->first, range->second),
                target);
}

/// scale_a * scale_b / scale_y in the type of scale_a (the reference computes
/// the multiplier in the scales' own precision).
FV multiplier(NodeContext &n, FV sa, FV sb, FV sy) {
  if (failed(sa) || failed(sb) || failed(sy))
    return failure();
  Type t = eltOf(*sa);
  if (!isa<FloatType>(t) || !isa<FloatType>(eltOf(*sb)) ||
      !isa<FloatType>(eltOf(*sy)))
    return n.fail("scales must be float tensors");
  return binary<mnn::DivOp>(
      n, binary<mnn::MulOp>(n, sa, castTo(n, sb, t)), castTo(n, sy, t));
}

FailureOr<Type> outputType(NodeContext &n, size_t yzpi, Value x) {
  Type t = n.hasInput(yzpi) ? eltOf(n.inputs[yzpi]) : eltOf(x);
  if (!intRange(t) || cast<IntegerType>(t).getWidth() > 16)
    return n.fail("the output type " + typeName(t) +
                  " is not an integer quantized type");
  return t;
}

// QLinearMatMul: a a_scale a_zero_point b b_scale b_zero_point y_scale
// y_zero_point.
LogicalResult convertQLinearMatMul(NodeContext &n) {
  auto a = n.input(0, "a"), sa = n.input(1, "a_scale"), b = n.input(3, "b"),
       sb = n.input(4, "b_scale"), sy = n.input(6, "y_scale");
  if (failed(a) || failed(sa) || failed(b) || failed(sb) || failed(sy) ||
      failed(requireInt8(n, *a, "a")) || failed(requireInt8(n, *b, "b")) ||
      failed(zeroPointType(n, 2, eltOf(*a), "a_zero_point")) ||
      failed(zeroPointType(n, 5, eltOf(*b), "b_zero_point")))
    return failure();
  auto target = outputType(n, 7, *a);
  if (failed(target))
    return failure();
  FV acc = matmulI32(n, *a, optionalMatmulParam(n, 2, *a, true), *b,
                     optionalMatmulParam(n, 5, *b, false));
  FV m = multiplier(n, matmulParam(n, *sa, *a, true),
                    matmulParam(n, *sb, *b, false), scalarParam(n, 6, "y_scale"));
  FV yzp = scalarParam(n, 7, "y_zero_point");
  if (failed(yzp))
    return failure();
  return n.setOutput(0, requantize(n, acc, m, *yzp, *target));
}

// QLinearConv: x x_scale x_zero_point w w_scale w_zero_point y_scale
// y_zero_point [B]; B is the i32 bias of the accumulator.
LogicalResult convertQLinearConv(NodeContext &n) {
  auto x = n.input(0, "x"), sx = n.input(1, "x_scale"), w = n.input(3, "w"),
       sw = n.input(4, "w_scale"), sy = n.input(6, "y_scale");
  if (failed(x) || failed(sx) || failed(w) || failed(sw) || failed(sy))
    return failure();
  Value bias = n.hasInput(8) ? n.inputs[8] : Value();
  if (bias && !eltOf(bias).isInteger(32))
    return n.fail("B must be int32, got " + typeName(eltOf(bias)));
  auto target = outputType(n, 7, *x);
  if (failed(target))
    return failure();
  FV acc = convI32(n, 0, 2, 3, 5, bias);
  if (failed(acc))
    return failure();
  int64_t cout = shapeOf(*acc)[1];
  FV m = multiplier(n, scalarParam(n, 1, "x_scale"),
                    perChannel(n, *sw, rankOf(*acc) - 1, cout, "w_scale"),
                    scalarParam(n, 6, "y_scale"));
  FV yzp = scalarParam(n, 7, "y_zero_point");
  if (failed(yzp))
    return failure();
  return n.setOutput(0, requantize(n, acc, m, *yzp, *target));
}

} // namespace

void addQuantizationConverters(llvm::StringMap<Converter> &table) {
  table["QuantizeLinear"] = convertQuantizeLinear;
  table["DequantizeLinear"] = convertDequantizeLinear;
  table["DynamicQuantizeLinear"] = convertDynamicQuantizeLinear;
  table["MatMulInteger"] = convertMatMulInteger;
  table["ConvInteger"] = convertConvInteger;
  table["QLinearMatMul"] = convertQLinearMatMul;
  table["QLinearConv"] = convertQLinearConv;
}

} // namespace mnn::onnx_import
