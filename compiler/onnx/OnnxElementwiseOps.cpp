//===- OnnxElementwiseOps.cpp - elementwise ONNX operators -> mnn ops -----===//
//
// Arithmetic, activations, math functions, comparisons, logic, bit ops and
// Cast, on every element type the compiler supports (float32/16/64, signed
// and unsigned integers, bool). The frequent activations map to their named
// mnn ops (fused into conv/matmul epilogues); the long tail maps to the
// generic mnn.unary_fn / binary_fn / compare / select / is_class.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"

#include <cmath>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {

namespace {

FailureOr<Value> castTo(NodeContext &n, Value v, Type elt, bool saturate = true) {
  if (eltOf(v) == elt)
    return v;
  return n.createTyped<mnn::CastOp>(RankedTensorType::get(shapeOf(v), elt), v,
                                    n.b.getBoolAttr(saturate));
}

FailureOr<Value> unaryFn(NodeContext &n, Value x, StringRef fn, double alpha = 0,
                         double beta = 0) {
  return n.create<mnn::UnaryFnOp>(x, fn, f32(alpha), f32(beta));
}

//--- Arithmetic -------------------------------------------------------------

template <typename OpTy> LogicalResult convertBinary(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  if (n.opset < 7 && n.getInt("broadcast", 0) != 0)
    return n.fail("the legacy 'broadcast' attribute (opset < 7) is not "
                  "supported");
  return n.setOutput(0, n.create<OpTy>(*a, *b));
}

// Float base: the exponent converts to the base type. Integer base: computed
// in f64 and truncated back, as ONNX Runtime does (std::pow).
LogicalResult convertPow(NodeContext &n) {
  auto a = n.input(0, "X"), b = n.input(1, "Y");
  if (failed(a) || failed(b))
    return failure();
  Type baseElt = eltOf(*a);
  if (isa<FloatType>(baseElt)) {
    auto exponent = castTo(n, *b, baseElt);
    if (failed(exponent))
      return failure();
    return n.setOutput(0, n.create<mnn::PowOp>(*a, *exponent));
  }
  if (baseElt.isInteger(1))
    return n.fail("Pow on bool is not defined");
  Type f64 = n.b.getF64Type();
  auto base = castTo(n, *a, f64), exponent = castTo(n, *b, f64);
  if (failed(base) || failed(exponent))
    return failure();
  auto p = n.create<mnn::PowOp>(*base, *exponent);
  if (failed(p))
    return failure();
  return n.setOutput(0, castTo(n, *p, baseElt));
}

template <typename OpTy> LogicalResult convertUnary(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  return n.setOutput(0, n.create<OpTy>(*x));
}

// Sum, Mean, Max, Min: a chain of broadcasting binary ops.
template <typename Combine>
LogicalResult convertVariadic(NodeContext &n, Combine combine) {
  SmallVector<Value> ins;
  for (size_t i = 0; i < n.inputs.size(); ++i)
    if (n.hasInput(i))
      ins.push_back(n.inputs[i]);
  if (ins.empty())
    return n.fail("needs at least one input");
  Value acc = ins.front();
  for (Value v : llvm::drop_begin(ins)) {
    auto r = combine(acc, v);
    if (failed(r))
      return failure();
    acc = *r;
  }
  n.outputs[0] = acc;
  return success();
}

LogicalResult convertSum(NodeContext &n) {
  return convertVariadic(n, [&](Value a, Value b) { return n.create<mnn::AddOp>(a, b); });
}

LogicalResult convertMean(NodeContext &n) {
  if (failed(convertSum(n)))
    return failure();
  size_t count = llvm::count_if(n.inputs, [](Value v) { return (bool)v; });
  Value sum = n.outputs[0];
  if (!isa<FloatType>(eltOf(sum)))
    return n.fail("Mean needs float inputs");
  if (count == 1)
    return success();
  return n.setOutput(0, n.create<mnn::DivOp>(
                            sum, n.scalarConstant(eltOf(sum), double(count))));
}

template <const char *Fn> LogicalResult convertMaxMin(NodeContext &n) {
  return convertVariadic(n, [&](Value a, Value b) {
    return n.create<mnn::BinaryFnOp>(a, b, Fn);
  });
}
constexpr char kMax[] = "max", kMin[] = "min";

LogicalResult convertMod(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  int64_t fmod = n.getInt("fmod", 0);
  if (fmod != 0 && fmod != 1)
    return n.fail("attribute 'fmod' must be 0 or 1, got " + Twine(fmod));
  if (!fmod && isa<FloatType>(eltOf(*a)))
    return n.fail("attribute 'fmod' must be 1 for float inputs");
  return n.setOutput(0, n.create<mnn::BinaryFnOp>(*a, *b, fmod ? "fmod" : "mod"));
}

//--- Activations and math functions -----------------------------------------

/// One mnn.unary_fn; `alphaAttr`/`betaAttr` name ONNX float attributes.
template <const char *Fn>
LogicalResult convertFn(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  return n.setOutput(0, unaryFn(n, *x, Fn));
}
constexpr char kAbs[] = "abs", kCeil[] = "ceil", kFloor[] = "floor",
               kRound[] = "round", kSign[] = "sign", kLog[] = "log",
               kSin[] = "sin", kCos[] = "cos", kTan[] = "tan", kAsin[] = "asin",
               kAcos[] = "acos", kAtan[] = "atan", kSinh[] = "sinh",
               kCosh[] = "cosh", kAsinh[] = "asinh", kAcosh[] = "acosh",
               kAtanh[] = "atanh", kSoftplus[] = "softplus",
               kSoftsign[] = "softsign", kMish[] = "mish", kNot[] = "not",
               kBitwiseNot[] = "bitwise_not";

/// Relu and Neg are named ops (fusion); on integers they lower too.
LogicalResult convertAlphaFn(NodeContext &n, StringRef fn, float dfltAlpha) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  return n.setOutput(0, unaryFn(n, *x, fn, n.getFloat("alpha", dfltAlpha)));
}
LogicalResult convertElu(NodeContext &n) { return convertAlphaFn(n, "elu", 1.0f); }
LogicalResult convertCelu(NodeContext &n) {
  if (n.getFloat("alpha", 1.0f) == 0.0f)
    return n.fail("attribute 'alpha' must be non-zero");
  return convertAlphaFn(n, "celu", 1.0f);
}
LogicalResult convertLeakyRelu(NodeContext &n) {
  return convertAlphaFn(n, "leaky_relu", 0.01f);
}
LogicalResult convertThresholdedRelu(NodeContext &n) {
  return convertAlphaFn(n, "thresholded_relu", 1.0f);
}
LogicalResult convertSelu(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  return n.setOutput(0, unaryFn(n, *x, "selu",
                                n.getFloat("alpha", 1.67326319217681884765625f),
                                n.getFloat("gamma", 1.05070102214813232421875f)));
}
LogicalResult convertShrink(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  return n.setOutput(0, unaryFn(n, *x, "shrink", n.getFloat("lambd", 0.5f),
                                n.getFloat("bias", 0.0f)));
}

LogicalResult convertPRelu(NodeContext &n) {
  auto x = n.input(0, "X"), slope = n.input(1, "slope");
  if (failed(x) || failed(slope))
    return failure();
  auto y = n.create<mnn::BinaryFnOp>(*x, *slope, "prelu");
  if (failed(y))
    return failure();
  // The slope broadcasts to X (unidirectionally).
  if (shapeOf(*y) != shapeOf(*x))
    return n.fail("slope of shape [" + shapeStr(shapeOf(*slope)) +
                  "] does not broadcast to X of shape [" + shapeStr(shapeOf(*x)) +
                  "]");
  return n.setOutput(0, y);
}

LogicalResult convertHardSigmoid(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  float alpha = n.getFloat("alpha", 0.2f), beta = n.getFloat("beta", 0.5f);
  return n.setOutput(0,
                     n.create<mnn::HardSigmoidOp>(*x, f32(alpha), f32(beta)));
}

LogicalResult convertGelu(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  std::string approximate = n.getString("approximate", "none");
  if (approximate != "none" && approximate != "tanh")
    return n.fail("unknown approximate '" + approximate + "'");
  return n.setOutput(0, n.create<mnn::GeluOp>(*x, approximate));
}

// Float inputs with constant bounds use mnn.clip (fusable into epilogues);
// integers and run-time bounds use max/min.
LogicalResult convertClip(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  Type elt = eltOf(*x);
  if (elt.isInteger(1))
    return n.fail("Clip on bool is not defined");
  if (n.opset < 11) {
    double lo = n.getFloat("min", std::numeric_limits<float>::lowest());
    double hi = n.getFloat("max", std::numeric_limits<float>::max());
    return n.setOutput(0, n.create<mnn::ClipOp>(*x, f32(lo), f32(hi)));
  }
  bool constBounds = true;
  for (int i = 1; i <= 2; ++i)
    if (n.hasInput(i) && !matchPattern(n.inputs[i], m_Constant()))
      constBounds = false;
  if (isa<FloatType>(elt) && constBounds) {
    double lo = -std::numeric_limits<double>::infinity();
    double hi = std::numeric_limits<double>::infinity();
    for (int i = 1; i <= 2; ++i) {
      if (!n.hasInput(i))
        continue;
      StringRef what = i == 1 ? "min" : "max";
      auto v = n.constDoubles(i, what);
      if (failed(v))
        return failure();
      if (v->size() != 1)
        return n.fail("input '" + what + "' must be a scalar");
      (i == 1 ? lo : hi) = v->front();
    }
    return n.setOutput(0, n.create<mnn::ClipOp>(*x, f32(lo), f32(hi)));
  }
  Value y = *x;
  for (int i = 1; i <= 2; ++i) {
    if (!n.hasInput(i))
      continue;
    Value bound = n.inputs[i];
    if (NodeContext::typeOf(bound).getNumElements() != 1)
      return n.fail(Twine("input '") + (i == 1 ? "min" : "max") +
                    "' must be a scalar");
    auto r = n.create<mnn::BinaryFnOp>(y, bound, i == 1 ? "max" : "min");
    if (failed(r))
      return failure();
    y = *r;
  }
  n.outputs[0] = y;
  return success();
}

//--- Comparisons, logic, bits -------------------------------------------------

template <const char *Pred> LogicalResult convertCompare(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  return n.setOutput(0, n.create<mnn::CompareOp>(*a, *b, Pred));
}
constexpr char kEq[] = "eq", kLt[] = "lt", kGt[] = "gt", kLe[] = "le",
               kGe[] = "ge";

template <const char *Fn> LogicalResult convertBinaryFn(NodeContext &n) {
  auto a = n.input(0, "A"), b = n.input(1, "B");
  if (failed(a) || failed(b))
    return failure();
  return n.setOutput(0, n.create<mnn::BinaryFnOp>(*a, *b, Fn));
}
constexpr char kAnd[] = "and", kOr[] = "or", kXor[] = "xor";

LogicalResult convertBitShift(NodeContext &n) {
  auto x = n.input(0, "X"), y = n.input(1, "Y");
  if (failed(x) || failed(y))
    return failure();
  std::string dir = n.getString("direction", "");
  if (dir != "LEFT" && dir != "RIGHT")
    return n.fail("attribute 'direction' must be LEFT or RIGHT, got '" + dir + "'");
  return n.setOutput(0, n.create<mnn::BinaryFnOp>(*x, *y, dir == "LEFT" ? "shl" : "shr"));
}

LogicalResult convertWhere(NodeContext &n) {
  auto c = n.input(0, "condition"), x = n.input(1, "X"), y = n.input(2, "Y");
  if (failed(c) || failed(x) || failed(y))
    return failure();
  return n.setOutput(0, n.create<mnn::SelectOp>(*c, *x, *y));
}

LogicalResult convertIsNaN(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  return n.setOutput(0, n.create<mnn::IsClassOp>(*x, "nan"));
}

LogicalResult convertIsInf(NodeContext &n) {
  auto x = n.input(0, "X");
  if (failed(x))
    return failure();
  bool neg = n.getInt("detect_negative", 1) != 0;
  bool pos = n.getInt("detect_positive", 1) != 0;
  if (!neg && !pos) {
    // Nothing to detect: all false.
    auto type = RankedTensorType::get(shapeOf(*x), n.b.getI1Type());
    n.outputs[0] = n.constant(DenseElementsAttr::get(type, false));
    return success();
  }
  return n.setOutput(0, n.create<mnn::IsClassOp>(
                            *x, neg && pos ? "inf" : pos ? "pos_inf" : "neg_inf"));
}

//--- Type conversion and pass-through -----------------------------------------

LogicalResult castToOnnxType(NodeContext &n, Value x, int64_t to) {
  Type elt = convertElementType(n.ctx(), to);
  if (!elt)
    return n.fail("cast to " + onnxTypeName(to) + " is not supported");
  // 'saturate' (opset 19, default 1) only affects the float8 targets.
  return n.setOutput(0, castTo(n, x, elt, n.getInt("saturate", 1) != 0));
}

LogicalResult convertCast(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  if (!n.attr("to"))
    return n.fail("missing attribute 'to'");
  return castToOnnxType(n, *x, n.getInt("to", 0));
}

LogicalResult convertCastLike(NodeContext &n) {
  auto x = n.input(0, "input"), like = n.input(1, "target_type");
  if (failed(x) || failed(like))
    return failure();
  return n.setOutput(0, castTo(n, *x, eltOf(*like), n.getInt("saturate", 1) != 0));
}

LogicalResult convertIdentity(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  n.outputs[0] = *x;
  return success();
}

LogicalResult convertDropout(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  if (n.opset >= 12 && n.hasInput(2)) {
    auto training = n.constInts(2, "training_mode");
    if (failed(training))
      return failure();
    if (llvm::any_of(*training, [](int64_t v) { return v != 0; }))
      return n.fail("training mode is not supported");
  }
  n.outputs[0] = *x;
  if (n.hasOutput(1)) {
    if (n.opset < 10)
      return n.fail("the mask output is not supported before opset 10");
    // Inference: nothing is dropped, the mask is all true.
    auto type = RankedTensorType::get(shapeOf(*x), n.b.getI1Type());
    n.outputs[1] = n.constant(DenseElementsAttr::get(type, true));
  }
  return success();
}

} // namespace

void addElementwiseConverters(llvm::StringMap<Converter> &table) {
  std::pair<const char *, Converter> entries[] = {
      // Arithmetic.
      {"Add", convertBinary<mnn::AddOp>},
      {"Sub", convertBinary<mnn::SubOp>},
      {"Mul", convertBinary<mnn::MulOp>},
      {"Div", convertBinary<mnn::DivOp>},
      {"Pow", convertPow},
      {"Neg", convertUnary<mnn::NegOp>},
      {"Sum", convertSum},
      {"Mean", convertMean},
      {"Max", convertMaxMin<kMax>},
      {"Min", convertMaxMin<kMin>},
      {"Mod", convertMod},
      // Activations.
      {"Relu", convertUnary<mnn::ReluOp>},
      {"Sigmoid", convertUnary<mnn::SigmoidOp>},
      {"HardSwish", convertUnary<mnn::HardSwishOp>},
      {"HardSigmoid", convertHardSigmoid},
      {"Gelu", convertGelu},
      {"Clip", convertClip},
      {"Elu", convertElu},
      {"Selu", convertSelu},
      {"Celu", convertCelu},
      {"LeakyRelu", convertLeakyRelu},
      {"ThresholdedRelu", convertThresholdedRelu},
      {"PRelu", convertPRelu},
      {"Softplus", convertFn<kSoftplus>},
      {"Softsign", convertFn<kSoftsign>},
      {"Mish", convertFn<kMish>},
      {"Shrink", convertShrink},
      // Math functions.
      {"Tanh", convertUnary<mnn::TanhOp>},
      {"Exp", convertUnary<mnn::ExpOp>},
      {"Sqrt", convertUnary<mnn::SqrtOp>},
      {"Erf", convertUnary<mnn::ErfOp>},
      {"Reciprocal", convertUnary<mnn::ReciprocalOp>},
      {"Abs", convertFn<kAbs>},
      {"Ceil", convertFn<kCeil>},
      {"Floor", convertFn<kFloor>},
      {"Round", convertFn<kRound>},
      {"Sign", convertFn<kSign>},
      {"Log", convertFn<kLog>},
      {"Sin", convertFn<kSin>},
      {"Cos", convertFn<kCos>},
      {"Tan", convertFn<kTan>},
      {"Asin", convertFn<kAsin>},
      {"Acos", convertFn<kAcos>},
      {"Atan", convertFn<kAtan>},
      {"Sinh", convertFn<kSinh>},
      {"Cosh", convertFn<kCosh>},
      {"Asinh", convertFn<kAsinh>},
      {"Acosh", convertFn<kAcosh>},
      {"Atanh", convertFn<kAtanh>},
      {"IsNaN", convertIsNaN},
      {"IsInf", convertIsInf},
      // Comparisons, logic, bits.
      {"Equal", convertCompare<kEq>},
      {"Less", convertCompare<kLt>},
      {"Greater", convertCompare<kGt>},
      {"LessOrEqual", convertCompare<kLe>},
      {"GreaterOrEqual", convertCompare<kGe>},
      {"Where", convertWhere},
      {"Not", convertFn<kNot>},
      {"And", convertBinaryFn<kAnd>},
      {"Or", convertBinaryFn<kOr>},
      {"Xor", convertBinaryFn<kXor>},
      {"BitwiseAnd", convertBinaryFn<kAnd>},
      {"BitwiseOr", convertBinaryFn<kOr>},
      {"BitwiseXor", convertBinaryFn<kXor>},
      {"BitwiseNot", convertFn<kBitwiseNot>},
      {"BitShift", convertBitShift},
      // Types and pass-through.
      {"Cast", convertCast},
      {"CastLike", convertCastLike},
      {"Identity", convertIdentity},
      {"Dropout", convertDropout},
  };
  for (auto &[name, fn] : entries)
    table[name] = fn;
}

} // namespace mnn::onnx_import
