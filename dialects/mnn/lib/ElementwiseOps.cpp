//===- ElementwiseOps.cpp - unary_fn, binary_fn, compare, select, is_class ===//
//
// Result types, verifiers and constant folders of the generic elementwise ops
// (MNNElementwiseOps.td). Folding matters for shape subgraphs, which compute
// with Equal/Where/Mod/Max on int64 constants.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/MNNDialect.h"

#include "OpUtils.h"

#include "mlir/IR/Diagnostics.h"

#include <cmath>
#include <functional>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using namespace mnn::detail;
using llvm::StringRef;

namespace {

bool isBool(Type t) { return t.isInteger(1); }
bool isInt(Type t) { return isa<IntegerType>(t) && !t.isInteger(1); }
bool isFloat(Type t) { return isa<FloatType>(t); }

/// Broadcast shape of all operands, or an error naming them.
LogicalResult broadcastAll(std::optional<Location> loc, ValueRange operands,
                           SmallVectorImpl<int64_t> &shape) {
  shape.clear();
  for (Value v : operands) {
    auto t = rankedOf(v);
    if (!t)
      return emitOptionalError(loc, "operands must be ranked tensors");
    auto s = mnn::broadcastShapes(shape, t.getShape());
    if (failed(s))
      return emitOptionalError(loc, "shapes ", shapeStr(shape), " and ",
                               shapeStr(t.getShape()),
                               " are not broadcast-compatible");
    shape = *s;
  }
  return success();
}

/// Flat index into a broadcast operand of `shape` for output flat index i.
int64_t sourceIndex(int64_t i, ArrayRef<int64_t> outShape,
                    ArrayRef<int64_t> shape) {
  SmallVector<int64_t> strides = stridesOf(shape);
  int64_t off = 0, lead = outShape.size() - shape.size();
  for (int d = (int)outShape.size() - 1; d >= 0; --d) {
    int64_t idx = outShape[d] ? i % outShape[d] : 0;
    i = outShape[d] ? i / outShape[d] : 0;
    if (d >= lead && shape[d - lead] != 1)
      off += idx * strides[d - lead];
  }
  return off;
}

/// Constant operand values, as doubles (float types) or int64 (integers and
/// bool; unsigned types up to 32 bits zero-extend). Fails for types the
/// folder does not model (f16, ui64).
struct Values {
  std::vector<double> f;
  std::vector<int64_t> i;
  ArrayRef<int64_t> shape;
  bool isFloat = false;
};

std::optional<Values> valuesOf(Attribute a) {
  auto e = dyn_cast_or_null<ElementsAttr>(a);
  if (!e)
    return std::nullopt;
  auto type = cast<ShapedType>(e.getType());
  if (type.getNumElements() > kMaxFoldElements)
    return std::nullopt;
  Type elt = type.getElementType();
  Values v;
  v.shape = type.getShape();
  if (elt.isF32() || elt.isF64()) {
    auto d = mnn::getAsDoubles(e);
    if (!d)
      return std::nullopt;
    v.f = std::move(*d);
    v.isFloat = true;
    return v;
  }
  if (!isa<IntegerType>(elt) || elt.isUnsignedInteger(64))
    return std::nullopt;
  auto i = mnn::getAsInts(e);
  if (!i)
    return std::nullopt;
  v.i = std::move(*i);
  return v;
}

/// Wraps an int64 to the element type's width and signedness (what the
/// generated code computes).
int64_t wrapInt(int64_t v, Type elt) {
  unsigned w = elt.getIntOrFloatBitWidth();
  if (w >= 64)
    return v;
  if (w == 1)
    return v & 1;
  uint64_t mask = (uint64_t(1) << w) - 1;
  uint64_t u = uint64_t(v) & mask;
  if (elt.isUnsignedInteger())
    return int64_t(u);
  if (u >> (w - 1))
    return int64_t(u | ~mask);
  return int64_t(u);
}

ElementsAttr makeFloats(RankedTensorType type, ArrayRef<double> v) {
  return mnn::makeElementsFromDoubles(type, v);
}

ElementsAttr makeInts(RankedTensorType type, ArrayRef<int64_t> v) {
  return mnn::makeElementsFromInts(type, v);
}

// Elu family and the other float functions, shared by folder and docs.
double floatFn(StringRef fn, double x, double alpha, double beta) {
  if (fn == "abs") return std::fabs(x);
  if (fn == "ceil") return std::ceil(x);
  if (fn == "floor") return std::floor(x);
  if (fn == "round") return std::nearbyint(x); // default mode: half to even
  if (fn == "sign") return x > 0 ? 1.0 : x < 0 ? -1.0 : x;
  if (fn == "log") return std::log(x);
  if (fn == "sin") return std::sin(x);
  if (fn == "cos") return std::cos(x);
  if (fn == "tan") return std::tan(x);
  if (fn == "asin") return std::asin(x);
  if (fn == "acos") return std::acos(x);
  if (fn == "atan") return std::atan(x);
  if (fn == "sinh") return std::sinh(x);
  if (fn == "cosh") return std::cosh(x);
  if (fn == "asinh") return std::asinh(x);
  if (fn == "acosh") return std::acosh(x);
  if (fn == "atanh") return std::atanh(x);
  if (fn == "softplus") return std::log1p(std::exp(x));
  if (fn == "softsign") return x / (1 + std::fabs(x));
  if (fn == "mish") return x * std::tanh(std::log1p(std::exp(x)));
  if (fn == "elu") return x < 0 ? alpha * (std::exp(x) - 1) : x;
  if (fn == "selu") return beta * (x <= 0 ? alpha * (std::exp(x) - 1) : x);
  if (fn == "celu") return std::max(0.0, x) + std::min(0.0, alpha * (std::exp(x / alpha) - 1));
  if (fn == "leaky_relu") return x < 0 ? alpha * x : x;
  if (fn == "thresholded_relu") return x > alpha ? x : 0;
  if (fn == "shrink") return x < -alpha ? x + beta : x > alpha ? x - beta : 0;
  return std::numeric_limits<double>::quiet_NaN();
}

const char *const kFloatOnlyFns[] = {
    "ceil", "floor", "round", "log", "sin", "cos", "tan", "asin", "acos",
    "atan", "sinh", "cosh", "asinh", "acosh", "atanh", "softplus", "softsign",
    "mish", "elu", "selu", "celu", "leaky_relu", "thresholded_relu"};

bool isFloatOnlyUnaryFn(StringRef fn) {
  return llvm::is_contained(kFloatOnlyFns, fn);
}

} // namespace

//===----------------------------------------------------------------------===//
// unary_fn
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(UnaryFnOp) {
  results.push_back(operands[0].getType());
  return success();
}

LogicalResult mnn::UnaryFnOp::verify() {
  StringRef fn = getFn();
  Type elt = cast<RankedTensorType>(getInput().getType()).getElementType();
  if (isFloatOnlyUnaryFn(fn)) {
    if (!isFloat(elt))
      return emitOpError("'") << fn << "' needs a float element type, got " << elt;
  } else if (fn == "abs" || fn == "sign" || fn == "shrink") {
    if (isBool(elt))
      return emitOpError("'") << fn << "' is not defined on bool";
  } else if (fn == "bitwise_not") {
    if (!isInt(elt))
      return emitOpError("'bitwise_not' needs an integer element type, got ") << elt;
  } else if (fn == "not") {
    if (!isBool(elt))
      return emitOpError("'not' needs a bool element type, got ") << elt;
  } else {
    return emitOpError("unknown function '") << fn << "'";
  }
  if (fn == "celu" && getAlpha().convertToDouble() == 0)
    return emitOpError("celu alpha must be non-zero");
  return success();
}

OpFoldResult mnn::UnaryFnOp::fold(FoldAdaptor a) {
  auto in = valuesOf(a.getInput());
  if (!in)
    return {};
  auto type = cast<RankedTensorType>(getType());
  Type elt = type.getElementType();
  StringRef fn = getFn();
  double alpha = getAlpha().convertToDouble(), beta = getBeta().convertToDouble();
  if (in->isFloat) {
    for (double &x : in->f)
      x = floatFn(fn, x, alpha, beta);
    return makeFloats(type, in->f);
  }
  for (int64_t &x : in->i) {
    if (fn == "abs")
      x = x < 0 ? -x : x;
    else if (fn == "sign")
      x = x > 0 ? 1 : x < 0 ? -1 : 0;
    else if (fn == "bitwise_not" || fn == "not")
      x = ~x;
    else
      return {};
    x = wrapInt(x, elt);
  }
  return makeInts(type, in->i);
}

//===----------------------------------------------------------------------===//
// binary_fn
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(BinaryFnOp) {
  auto a = rankedOf(operands[0]), b = rankedOf(operands[1]);
  if (!a || !b)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             a.getElementType(), " vs ", b.getElementType());
  SmallVector<int64_t> shape;
  if (failed(broadcastAll(loc, operands, shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, a.getElementType()));
  return success();
}

LogicalResult mnn::BinaryFnOp::verify() {
  StringRef fn = getFn();
  Type elt = cast<RankedTensorType>(getLhs().getType()).getElementType();
  if (fn == "max" || fn == "min" || fn == "prelu" || fn == "fmod") {
    if (isBool(elt))
      return emitOpError("'") << fn << "' is not defined on bool";
  } else if (fn == "mod") {
    if (!isInt(elt))
      return emitOpError("'mod' (fmod = 0) needs an integer element type, got ")
             << elt;
  } else if (fn == "and" || fn == "or" || fn == "xor") {
    if (!isa<IntegerType>(elt))
      return emitOpError("'") << fn << "' needs a bool or integer element type, got "
                              << elt;
  } else if (fn == "shl" || fn == "shr") {
    if (!elt.isUnsignedInteger())
      return emitOpError("'") << fn << "' needs an unsigned integer element type, got "
                              << elt;
  } else {
    return emitOpError("unknown function '") << fn << "'";
  }
  return success();
}

OpFoldResult mnn::BinaryFnOp::fold(FoldAdaptor a) {
  auto l = valuesOf(a.getLhs()), r = valuesOf(a.getRhs());
  if (!l || !r)
    return {};
  auto type = cast<RankedTensorType>(getType());
  Type elt = type.getElementType();
  ArrayRef<int64_t> shape = type.getShape();
  int64_t n = type.getNumElements();
  StringRef fn = getFn();
  bool isUnsigned = elt.isUnsignedInteger();
  if (l->isFloat) {
    std::vector<double> out(n);
    for (int64_t i = 0; i < n; ++i) {
      double x = l->f[sourceIndex(i, shape, l->shape)];
      double y = r->f[sourceIndex(i, shape, r->shape)];
      if (fn == "max")
        out[i] = std::isnan(x) || std::isnan(y) ? NAN : std::max(x, y);
      else if (fn == "min")
        out[i] = std::isnan(x) || std::isnan(y) ? NAN : std::min(x, y);
      else if (fn == "fmod")
        out[i] = std::fmod(x, y);
      else if (fn == "prelu")
        out[i] = x < 0 ? x * y : x;
      else
        return {};
    }
    return makeFloats(type, out);
  }
  unsigned width = elt.getIntOrFloatBitWidth();
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i) {
    int64_t x = l->i[sourceIndex(i, shape, l->shape)];
    int64_t y = r->i[sourceIndex(i, shape, r->shape)];
    int64_t v;
    if (fn == "max")
      v = std::max(x, y); // unsigned values up to 32 bits are zero-extended
    else if (fn == "min")
      v = std::min(x, y);
    else if (fn == "prelu")
      v = x < 0 ? x * y : x;
    else if (fn == "mod" || fn == "fmod") {
      if (y == 0 || (y == -1 && x == std::numeric_limits<int64_t>::min()))
        return {}; // leave it to run time
      v = x % y;
      if (fn == "mod" && v != 0 && ((v < 0) != (y < 0)))
        v += y;
    } else if (fn == "and")
      v = x & y;
    else if (fn == "or")
      v = x | y;
    else if (fn == "xor")
      v = x ^ y;
    else if (fn == "shl" || fn == "shr") {
      if (!isUnsigned || y < 0)
        return {};
      uint64_t ux = uint64_t(x);
      v = uint64_t(y) >= width ? 0 : int64_t(fn == "shl" ? ux << y : ux >> y);
    } else
      return {};
    out[i] = wrapInt(v, elt);
  }
  return makeInts(type, out);
}

//===----------------------------------------------------------------------===//
// compare
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(CompareOp) {
  auto a = rankedOf(operands[0]), b = rankedOf(operands[1]);
  if (!a || !b)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (a.getElementType() != b.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             a.getElementType(), " vs ", b.getElementType());
  SmallVector<int64_t> shape;
  if (failed(broadcastAll(loc, operands, shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, IntegerType::get(context, 1)));
  return success();
}

LogicalResult mnn::CompareOp::verify() {
  if (!llvm::is_contained({"eq", "lt", "gt", "le", "ge"}, getPredicate()))
    return emitOpError("unknown predicate '") << getPredicate() << "'";
  return success();
}

OpFoldResult mnn::CompareOp::fold(FoldAdaptor a) {
  auto l = valuesOf(a.getLhs()), r = valuesOf(a.getRhs());
  if (!l || !r)
    return {};
  auto type = cast<RankedTensorType>(getType());
  ArrayRef<int64_t> shape = type.getShape();
  StringRef p = getPredicate();
  std::vector<int64_t> out(type.getNumElements());
  auto cmp = [&](auto x, auto y) -> bool {
    if (p == "eq") return x == y;
    if (p == "lt") return x < y;
    if (p == "gt") return x > y;
    if (p == "le") return x <= y;
    return x >= y;
  };
  for (int64_t i = 0; i < (int64_t)out.size(); ++i) {
    int64_t li = sourceIndex(i, shape, l->shape), ri = sourceIndex(i, shape, r->shape);
    out[i] = l->isFloat ? cmp(l->f[li], r->f[ri]) : cmp(l->i[li], r->i[ri]);
  }
  return makeInts(type, out);
}

//===----------------------------------------------------------------------===//
// select
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(SelectOp) {
  auto c = rankedOf(operands[0]), x = rankedOf(operands[1]), y = rankedOf(operands[2]);
  if (!c || !x || !y)
    return emitOptionalError(loc, "operands must be ranked tensors");
  if (!c.getElementType().isInteger(1))
    return emitOptionalError(loc, "condition must be bool, got ",
                             c.getElementType());
  if (x.getElementType() != y.getElementType())
    return emitOptionalError(loc, "operand element types differ: ",
                             x.getElementType(), " vs ", y.getElementType());
  SmallVector<int64_t> shape;
  if (failed(broadcastAll(loc, operands, shape)))
    return failure();
  results.push_back(RankedTensorType::get(shape, x.getElementType()));
  return success();
}

OpFoldResult mnn::SelectOp::fold(FoldAdaptor a) {
  auto c = valuesOf(a.getCondition());
  auto type = cast<RankedTensorType>(getType());
  // A constant all-true/all-false condition picks one side if it has the
  // result's shape.
  if (c && !c->i.empty()) {
    bool allTrue = llvm::all_of(c->i, [](int64_t v) { return v != 0; });
    bool allFalse = llvm::all_of(c->i, [](int64_t v) { return v == 0; });
    if (allTrue && getX().getType() == type)
      return getX();
    if (allFalse && getY().getType() == type)
      return getY();
  }
  auto x = valuesOf(a.getX()), y = valuesOf(a.getY());
  if (!c || !x || !y)
    return {};
  ArrayRef<int64_t> shape = type.getShape();
  int64_t n = type.getNumElements();
  if (x->isFloat) {
    std::vector<double> out(n);
    for (int64_t i = 0; i < n; ++i)
      out[i] = c->i[sourceIndex(i, shape, c->shape)]
                   ? x->f[sourceIndex(i, shape, x->shape)]
                   : y->f[sourceIndex(i, shape, y->shape)];
    return makeFloats(type, out);
  }
  std::vector<int64_t> out(n);
  for (int64_t i = 0; i < n; ++i)
    out[i] = c->i[sourceIndex(i, shape, c->shape)]
                 ? x->i[sourceIndex(i, shape, x->shape)]
                 : y->i[sourceIndex(i, shape, y->shape)];
  return makeInts(type, out);
}

//===----------------------------------------------------------------------===//
// is_class
//===----------------------------------------------------------------------===//

MNN_INFER_SIGNATURE(IsClassOp) {
  auto t = rankedOf(operands[0]);
  if (!t)
    return emitOptionalError(loc, "operand must be a ranked tensor");
  results.push_back(RankedTensorType::get(t.getShape(), IntegerType::get(context, 1)));
  return success();
}

LogicalResult mnn::IsClassOp::verify() {
  if (!llvm::is_contained({"nan", "inf", "pos_inf", "neg_inf"}, getKind()))
    return emitOpError("unknown kind '") << getKind() << "'";
  if (!isFloat(cast<RankedTensorType>(getInput().getType()).getElementType()))
    return emitOpError("needs a float element type");
  return success();
}

OpFoldResult mnn::IsClassOp::fold(FoldAdaptor a) {
  auto in = valuesOf(a.getInput());
  if (!in || !in->isFloat)
    return {};
  StringRef k = getKind();
  std::vector<int64_t> out;
  for (double x : in->f)
    out.push_back(k == "nan"       ? std::isnan(x)
                  : k == "inf"     ? std::isinf(x)
                  : k == "pos_inf" ? (std::isinf(x) && x > 0)
                                   : (std::isinf(x) && x < 0));
  return makeInts(cast<RankedTensorType>(getType()), out);
}

//===----------------------------------------------------------------------===//
// bitcast
//===----------------------------------------------------------------------===//

LogicalResult mnn::BitCastOp::verify() {
  auto in = cast<RankedTensorType>(getInput().getType());
  auto out = cast<RankedTensorType>(getOutput().getType());
  if (in.getShape() != out.getShape())
    return emitOpError("input and result shapes differ");
  // Bools are one byte, as stored.
  if (elementByteWidth(in.getElementType()) !=
      elementByteWidth(out.getElementType()))
    return emitOpError("element types ")
           << in.getElementType() << " and " << out.getElementType()
           << " differ in width";
  return success();
}

OpFoldResult mnn::BitCastOp::fold(FoldAdaptor a) {
  if (getInput().getType() == getOutput().getType())
    return getInput();
  auto in = dyn_cast_or_null<ElementsAttr>(a.getInput());
  if (!in)
    return {};
  auto bytes = getRawBytes(in);
  if (!bytes)
    return {};
  return makeElements(cast<ShapedType>(getOutput().getType()), *bytes);
}
