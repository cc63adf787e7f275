//===- LowerElementwise.cpp - elementwise ops and Cast to linalg.generic --===//
//
// Each elementwise op is one linalg.generic over the output with numpy
// broadcasting of its inputs (see Lowering::elementwise).
//
// Element types: buffers hold signless integers (the tensor type keeps the
// ONNX signedness, which picks signed or unsigned division, comparison,
// extension and conversion here), bool as one byte (0/1), f16 as f16. Bodies
// compute on bool as i1 and on f16 in f32 (extended on load, truncated on
// store); f32 and f64 compute in their own type.
//
// Accuracy: exp/tanh/erf/log in f32 use MLIR's polynomial approximations
// (vectorizable, a few ulp); the trigonometric and hyperbolic functions call
// libm (the model .so links -lm), whose f32 versions are accurate over the
// whole range, unlike the approximations' range reduction for large inputs.
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"
#include "NarrowFloat.h"

#include "llvm/ADT/StringSwitch.h"
#include "llvm/ADT/TypeSwitch.h"

#include <cmath>
#include <limits>

namespace mnn::lowering {

Type storageType(Type elt) {
  // bool and sub-byte integers take a byte; bf16/float8 keep their bits in a
  // signless integer (mnn/ElementTypes.h).
  if (auto it = dyn_cast<IntegerType>(elt))
    return IntegerType::get(elt.getContext(), it.getWidth() < 8 ? 8 : it.getWidth());
  if (auto f = narrowFloatFormat(elt))
    return IntegerType::get(elt.getContext(), f->bits());
  return elt;
}

namespace {

/// How the values of one tensor are stored and computed.
struct Elt {
  Type graph, storage, compute;
  std::optional<NarrowFloatFormat> narrow; // bf16, float8: computed in f32
  bool isBool() const { return graph.isInteger(1); }
  bool isSubByte() const { return isSubByteInteger(graph); }
  bool isUnsigned() const { return graph.isUnsignedInteger(); }
  bool isFloat() const { return isa<FloatType>(compute); }
  bool isInt() const { return !isFloat() && !isBool(); }
};

Elt eltInfo(Type tensorType) {
  Elt e;
  e.graph = cast<ShapedType>(tensorType).getElementType();
  e.storage = storageType(e.graph);
  e.compute = e.storage;
  MLIRContext *ctx = e.graph.getContext();
  e.narrow = narrowFloatFormat(e.graph);
  if (e.isBool())
    e.compute = IntegerType::get(ctx, 1);
  else if (e.isSubByte())
    e.compute = IntegerType::get(ctx, e.graph.getIntOrFloatBitWidth());
  else if (e.graph.isF16() || e.narrow)
    e.compute = Float32Type::get(ctx);
  return e;
}

bool supported(const Elt &e) {
  return e.graph.isF32() || e.graph.isF16() || e.graph.isF64() || e.narrow ||
         isa<IntegerType>(e.graph);
}

Value toCompute(OpBuilder &b, Location loc, Value v, const Elt &e) {
  if (e.isBool())
    return b.create<arith::CmpIOp>(loc, arith::CmpIPredicate::ne, v,
                                   b.create<arith::ConstantIntOp>(loc, 0, 8));
  if (e.isSubByte()) // the low bits of the byte
    return b.create<arith::TruncIOp>(loc, e.compute, v);
  if (e.narrow)
    return emitNarrowFloatToF32(b, loc, v, *e.narrow);
  if (v.getType() != e.compute)
    return b.create<arith::ExtFOp>(loc, e.compute, v);
  return v;
}

/// `saturate` applies to float8 results only (ONNX: bf16 never saturates).
Value toStorage(OpBuilder &b, Location loc, Value v, const Elt &e,
                bool saturate = true) {
  if (e.isBool() || e.isSubByte()) // high bits zero, as ml_dtypes stores them
    return b.create<arith::ExtUIOp>(loc, e.storage, v);
  if (e.narrow)
    return emitF32ToNarrowFloat(b, loc, v, *e.narrow,
                                saturate && !e.graph.isBF16());
  if (v.getType() != e.storage)
    return b.create<arith::TruncFOp>(loc, e.storage, v);
  return v;
}

/// A constant of a scalar int or float type.
Value cst(OpBuilder &b, Location loc, Type t, double v) {
  if (isa<FloatType>(t))
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(t, v));
  return b.create<arith::ConstantOp>(loc, b.getIntegerAttr(t, (int64_t)v));
}

using arith::CmpFPredicate;
using arith::CmpIPredicate;

Value selectCmpF(OpBuilder &b, Location l, CmpFPredicate p, Value x, Value y,
                 Value t, Value f) {
  return b.create<arith::SelectOp>(l, b.create<arith::CmpFOp>(l, p, x, y), t, f);
}

} // namespace

/// Calls the libm function `name` (the double version; "f" appended for f32),
/// declared in the module on first use.
Value Lowering::libmCall(OpBuilder &nb, Location loc, StringRef name,
                         ValueRange args) {
  Type t = args.front().getType();
  std::string callee = name.str() + (t.isF32() ? "f" : "");
  auto fn = module.lookupSymbol<func::FuncOp>(callee);
  if (!fn) {
    OpBuilder mb(module.getBodyRegion());
    SmallVector<Type> argTypes(args.size(), t);
    fn = mb.create<func::FuncOp>(loc, callee,
                                 FunctionType::get(nb.getContext(), argTypes, {t}));
    fn.setPrivate();
  }
  return nb.create<func::CallOp>(loc, fn, ValueRange(args)).getResult(0);
}

LogicalResult Lowering::lowerElementwise(Operation *op, Value out) {
  Location loc = op->getLoc();
  Elt res = eltInfo(op->getResult(0).getType());
  SmallVector<Elt> ins;
  for (Value v : op->getOperands())
    ins.push_back(eltInfo(v.getType()));
  for (const Elt &e : llvm::concat<const Elt>(ins, ArrayRef<Elt>(res)))
    if (!supported(e))
      return op->emitError("'") << op->getName() << "' on element type "
                                << e.graph << " is not supported by code generation";
  const Elt &in0 = ins.front();
  Type ct = in0.compute;
  bool fl = in0.isFloat(), uns = in0.isUnsigned(), boolean = in0.isBool();
  auto unsupported = [&]() {
    return op->emitError("'") << op->getName() << "' on element type "
                              << in0.graph << " is not supported";
  };

  // Runs `body` on compute-typed values of every operand.
  auto emit = [&](BodyFn body) {
    SmallVector<Value> bufs;
    for (Value v : op->getOperands())
      bufs.push_back(bufferOf(v));
    elementwise(loc, out, bufs, [&](OpBuilder &nb, Location nl, ValueRange a) {
      SmallVector<Value> args;
      for (auto [v, e] : llvm::zip(a, ins))
        args.push_back(toCompute(nb, nl, v, e));
      return toStorage(nb, nl, body(nb, nl, args), res);
    });
    return success();
  };
  auto c = [&](OpBuilder &nb, Location nl, double v) { return cst(nb, nl, ct, v); };
  // Transcendentals: f32 through math ops (approximated later), f64 libm.
  auto tanhOf = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    if (x.getType().isF32())
      return nb.create<math::TanhOp>(nl, x);
    return libmCall(nb, nl, "tanh", x);
  };
  auto erfOf = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    if (x.getType().isF32())
      return nb.create<math::ErfOp>(nl, x);
    return libmCall(nb, nl, "erf", x);
  };
  auto expOf = [](OpBuilder &nb, Location nl, Value x) -> Value {
    return nb.create<math::ExpOp>(nl, x);
  };
  // Relu and clamps propagate NaN but not the sign of a zero result (nsz:
  // one vmaxps/vminps on x86, see KernelEpilogue.cpp).
  auto nsz = arith::FastMathFlags::nsz;
  auto relu = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    if (fl)
      return nb.create<arith::MaximumFOp>(nl, x, c(nb, nl, 0), nsz);
    if (uns)
      return x;
    return nb.create<arith::MaxSIOp>(nl, x, c(nb, nl, 0));
  };
  auto clamp = [&](OpBuilder &nb, Location nl, Value x, double lo, double hi) -> Value {
    return nb.create<arith::MinimumFOp>(
        nl, nb.create<arith::MaximumFOp>(nl, x, c(nb, nl, lo), nsz), c(nb, nl, hi), nsz);
  };
  auto sigmoid = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    Value e = expOf(nb, nl, nb.create<arith::NegFOp>(nl, x));
    return nb.create<arith::DivFOp>(nl, c(nb, nl, 1),
                                    nb.create<arith::AddFOp>(nl, c(nb, nl, 1), e));
  };
  // log(1 + exp(x)) without overflow for large x.
  auto softplus = [&](OpBuilder &nb, Location nl, Value x) -> Value {
    Value ax = nb.create<math::AbsFOp>(nl, x);
    Value l = nb.create<math::Log1pOp>(
        nl, expOf(nb, nl, nb.create<arith::NegFOp>(nl, ax)));
    return nb.create<arith::AddFOp>(nl, relu(nb, nl, x), l);
  };
  // Integer division and remainder: a zero divisor gives the dividend (no
  // trap), and -1 is special-cased (INT_MIN / -1 traps on x86).
  auto safeDivisor = [&](OpBuilder &nb, Location nl, Value d) -> Value {
    Value zero = nb.create<arith::CmpIOp>(nl, CmpIPredicate::eq, d, c(nb, nl, 0));
    Value bad = zero;
    if (!uns)
      bad = nb.create<arith::OrIOp>(
          nl, zero, nb.create<arith::CmpIOp>(nl, CmpIPredicate::eq, d, c(nb, nl, -1)));
    return nb.create<arith::SelectOp>(nl, bad, c(nb, nl, 1), d);
  };
  auto floatOnly = [&](BodyFn fn) -> LogicalResult {
    if (!fl)
      return unsupported();
    return emit(fn);
  };
  auto numeric = [&](BodyFn fn) -> LogicalResult {
    if (boolean)
      return unsupported();
    return emit(fn);
  };

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](mnn::AddOp) {
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl)
            return nb.create<arith::AddFOp>(nl, a[0], a[1]);
          return nb.create<arith::AddIOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::SubOp) {
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl)
            return nb.create<arith::SubFOp>(nl, a[0], a[1]);
          return nb.create<arith::SubIOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::MulOp) {
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl)
            return nb.create<arith::MulFOp>(nl, a[0], a[1]);
          return nb.create<arith::MulIOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::DivOp) {
        // Integer division truncates toward zero (C, ONNX Runtime).
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl)
            return nb.create<arith::DivFOp>(nl, a[0], a[1]);
          Value d = safeDivisor(nb, nl, a[1]);
          if (uns)
            return nb.create<arith::DivUIOp>(nl, a[0], d);
          Value q = nb.create<arith::DivSIOp>(nl, a[0], d);
          Value minusOne = nb.create<arith::CmpIOp>(nl, CmpIPredicate::eq, a[1], c(nb, nl, -1));
          return nb.create<arith::SelectOp>(
              nl, minusOne, nb.create<arith::SubIOp>(nl, c(nb, nl, 0), a[0]), q);
        });
      })
      .Case([&](mnn::PowOp o) {
        // x^2 (layer-norm decompositions) is exact and cheap as x*x.
        ElementsAttr e;
        bool square = false;
        if (matchPattern(o.getRhs(), m_Constant(&e))) {
          auto v = mnn::getAsDoubles(e);
          square = v && !v->empty() &&
                   llvm::all_of(*v, [](double x) { return x == 2.0; });
        }
        if (square && fl) {
          elementwise(loc, out, {bufferOf(o.getLhs())},
                      [&](OpBuilder &nb, Location nl, ValueRange a) {
                        Value x = toCompute(nb, nl, a[0], in0);
                        return toStorage(nb, nl, nb.create<arith::MulFOp>(nl, x, x), res);
                      });
          return success();
        }
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return nb.create<math::PowFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::NegOp) {
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl)
            return nb.create<arith::NegFOp>(nl, a[0]);
          return nb.create<arith::SubIOp>(nl, c(nb, nl, 0), a[0]);
        });
      })
      .Case([&](mnn::ReluOp) {
        return numeric([&](OpBuilder &nb, Location nl, ValueRange a) {
          return relu(nb, nl, a[0]);
        });
      })
      .Case([&](mnn::SigmoidOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) {
          return sigmoid(nb, nl, a[0]);
        });
      })
      .Case([&](mnn::HardSwishOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value y = nb.create<arith::AddFOp>(
              nl, nb.create<arith::MulFOp>(nl, a[0], c(nb, nl, 1.0 / 6)), c(nb, nl, 0.5));
          return nb.create<arith::MulFOp>(nl, a[0], clamp(nb, nl, y, 0, 1));
        });
      })
      .Case([&](mnn::HardSigmoidOp o) {
        double alpha = o.getAlpha().convertToDouble(), beta = o.getBeta().convertToDouble();
        return floatOnly([&, alpha, beta](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value y = nb.create<arith::AddFOp>(
              nl, nb.create<arith::MulFOp>(nl, a[0], c(nb, nl, alpha)), c(nb, nl, beta));
          return clamp(nb, nl, y, 0, 1);
        });
      })
      .Case([&](mnn::ClipOp o) {
        double lo = o.getMin().convertToDouble(), hi = o.getMax().convertToDouble();
        return floatOnly([&, lo, hi](OpBuilder &nb, Location nl, ValueRange a) {
          return clamp(nb, nl, a[0], lo, hi);
        });
      })
      .Case([&](mnn::TanhOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) {
          return tanhOf(nb, nl, a[0]);
        });
      })
      .Case([&](mnn::ExpOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) {
          return expOf(nb, nl, a[0]);
        });
      })
      .Case([&](mnn::SqrtOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return nb.create<math::SqrtOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ErfOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) {
          return erfOf(nb, nl, a[0]);
        });
      })
      .Case([&](mnn::ReciprocalOp) {
        return floatOnly([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return nb.create<arith::DivFOp>(nl, c(nb, nl, 1), a[0]);
        });
      })
      .Case([&](mnn::GeluOp o) {
        bool tanhForm = o.getApproximate() == "tanh";
        return floatOnly([&, tanhForm](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0];
          Value half = nb.create<arith::MulFOp>(nl, x, c(nb, nl, 0.5));
          Value inner;
          if (tanhForm) {
            Value x3 = nb.create<arith::MulFOp>(nl, nb.create<arith::MulFOp>(nl, x, x), x);
            Value t = nb.create<arith::AddFOp>(
                nl, x, nb.create<arith::MulFOp>(nl, x3, c(nb, nl, 0.044715)));
            inner = tanhOf(nb, nl,
                           nb.create<arith::MulFOp>(nl, t, c(nb, nl, std::sqrt(2.0 / M_PI))));
          } else {
            inner = erfOf(nb, nl,
                          nb.create<arith::MulFOp>(nl, x, c(nb, nl, 1.0 / std::sqrt(2.0))));
          }
          return nb.create<arith::MulFOp>(
              nl, half, nb.create<arith::AddFOp>(nl, inner, c(nb, nl, 1.0)));
        });
      })
      .Case([&](mnn::UnaryFnOp o) -> LogicalResult {
        std::string fn = o.getFn().str();
        double alpha = o.getAlpha().convertToDouble(), beta = o.getBeta().convertToDouble();
        static const char *const kLibm[] = {"sin",  "cos",  "tan",   "asin",
                                            "acos", "atan", "sinh",  "cosh",
                                            "asinh", "acosh", "atanh"};
        if (llvm::is_contained(kLibm, fn))
          return floatOnly([&, fn](OpBuilder &nb, Location nl, ValueRange a) {
            return libmCall(nb, nl, fn, a[0]);
          });
        if (fn == "not" || fn == "bitwise_not")
          return emit([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            return nb.create<arith::XOrIOp>(
                nl, a[0], nb.create<arith::ConstantOp>(nl, nb.getIntegerAttr(ct, -1)));
          });
        if (fn == "abs")
          return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            if (fl)
              return nb.create<math::AbsFOp>(nl, a[0]);
            if (uns)
              return a[0];
            return nb.create<math::AbsIOp>(nl, a[0]);
          });
        if (fn == "sign")
          return numeric([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value x = a[0], one = c(nb, nl, 1), zero = c(nb, nl, 0);
            if (fl)
              return selectCmpF(nb, nl, CmpFPredicate::OGT, x, zero, one,
                                selectCmpF(nb, nl, CmpFPredicate::OLT, x, zero,
                                           c(nb, nl, -1), x));
            Value pos = nb.create<arith::CmpIOp>(
                nl, uns ? CmpIPredicate::ugt : CmpIPredicate::sgt, x, zero);
            Value r = nb.create<arith::SelectOp>(nl, pos, one, zero);
            if (uns)
              return r;
            Value neg = nb.create<arith::CmpIOp>(nl, CmpIPredicate::slt, x, zero);
            return nb.create<arith::SelectOp>(nl, neg, c(nb, nl, -1), r);
          });
        if (fn == "shrink") {
          // Integers: computed in f64 and truncated (ONNX Runtime's casts).
          return numeric([&, alpha, beta](OpBuilder &nb, Location nl, ValueRange a) -> Value {
            Value x = a[0];
            Type f = fl ? ct : nb.getF64Type();
            if (!fl)
              x = uns ? nb.create<arith::UIToFPOp>(nl, f, x).getResult()
                      : nb.create<arith::SIToFPOp>(nl, f, x).getResult();
            Value lambd = cst(nb, nl, f, alpha), bias = cst(nb, nl, f, beta);
            Value zero = cst(nb, nl, f, 0);
            Value y = selectCmpF(
                nb, nl, CmpFPredicate::OLT, x, nb.create<arith::NegFOp>(nl, lambd),
                nb.create<arith::AddFOp>(nl, x, bias),
                selectCmpF(nb, nl, CmpFPredicate::OGT, x, lambd,
                           nb.create<arith::SubFOp>(nl, x, bias), zero));
            if (fl)
              return y;
            // Through i64 so that negative results wrap for unsigned types.
            Value i = nb.create<arith::FPToSIOp>(nl, nb.getI64Type(), y);
            return ct.getIntOrFloatBitWidth() < 64
                       ? nb.create<arith::TruncIOp>(nl, ct, i).getResult()
                       : i;
          });
        }
        return floatOnly([&, fn, alpha, beta](OpBuilder &nb, Location nl,
                                              ValueRange a) -> Value {
          Value x = a[0], zero = c(nb, nl, 0), one = c(nb, nl, 1);
          auto mul = [&](Value p, Value q) { return nb.create<arith::MulFOp>(nl, p, q); };
          auto expm1 = [&](Value v) {
            return nb.create<arith::SubFOp>(nl, expOf(nb, nl, v), one);
          };
          if (fn == "ceil")
            return nb.create<math::CeilOp>(nl, x);
          if (fn == "floor")
            return nb.create<math::FloorOp>(nl, x);
          if (fn == "round")
            return nb.create<math::RoundEvenOp>(nl, x);
          if (fn == "log")
            return nb.create<math::LogOp>(nl, x);
          if (fn == "softplus")
            return softplus(nb, nl, x);
          if (fn == "softsign")
            return nb.create<arith::DivFOp>(
                nl, x, nb.create<arith::AddFOp>(nl, one, nb.create<math::AbsFOp>(nl, x)));
          if (fn == "mish")
            return mul(x, tanhOf(nb, nl, softplus(nb, nl, x)));
          if (fn == "elu")
            return selectCmpF(nb, nl, CmpFPredicate::OLT, x, zero,
                              mul(c(nb, nl, alpha), expm1(x)), x);
          if (fn == "selu")
            return mul(c(nb, nl, beta),
                       selectCmpF(nb, nl, CmpFPredicate::OLE, x, zero,
                                  mul(c(nb, nl, alpha), expm1(x)), x));
          if (fn == "celu") {
            Value neg = mul(c(nb, nl, alpha),
                            expm1(nb.create<arith::DivFOp>(nl, x, c(nb, nl, alpha))));
            return nb.create<arith::AddFOp>(
                nl, nb.create<arith::MaximumFOp>(nl, x, zero),
                nb.create<arith::MinimumFOp>(nl, neg, zero));
          }
          if (fn == "leaky_relu")
            return selectCmpF(nb, nl, CmpFPredicate::OLT, x, zero,
                              mul(c(nb, nl, alpha), x), x);
          if (fn == "thresholded_relu")
            return selectCmpF(nb, nl, CmpFPredicate::OGT, x, c(nb, nl, alpha), x, zero);
          llvm_unreachable("unary_fn verifier admitted an unknown function");
        });
      })
      .Case([&](mnn::BinaryFnOp o) -> LogicalResult {
        std::string fn = o.getFn().str();
        unsigned width = ct.getIntOrFloatBitWidth();
        return emit([&, fn, width](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0], y = a[1];
          if (fn == "max")
            return fl ? nb.create<arith::MaximumFOp>(nl, x, y).getResult()
                   : uns ? nb.create<arith::MaxUIOp>(nl, x, y).getResult()
                         : nb.create<arith::MaxSIOp>(nl, x, y).getResult();
          if (fn == "min")
            return fl ? nb.create<arith::MinimumFOp>(nl, x, y).getResult()
                   : uns ? nb.create<arith::MinUIOp>(nl, x, y).getResult()
                         : nb.create<arith::MinSIOp>(nl, x, y).getResult();
          if (fn == "and")
            return nb.create<arith::AndIOp>(nl, x, y);
          if (fn == "or")
            return nb.create<arith::OrIOp>(nl, x, y);
          if (fn == "xor")
            return nb.create<arith::XOrIOp>(nl, x, y);
          if (fn == "prelu") {
            if (fl)
              return selectCmpF(nb, nl, CmpFPredicate::OLT, x, c(nb, nl, 0),
                                nb.create<arith::MulFOp>(nl, x, y), x);
            if (uns)
              return x;
            Value neg = nb.create<arith::CmpIOp>(nl, CmpIPredicate::slt, x, c(nb, nl, 0));
            return nb.create<arith::SelectOp>(nl, neg, nb.create<arith::MulIOp>(nl, x, y), x);
          }
          if (fn == "shl" || fn == "shr") {
            Value sh = fn == "shl" ? nb.create<arith::ShLIOp>(nl, x, y).getResult()
                                   : nb.create<arith::ShRUIOp>(nl, x, y).getResult();
            Value tooFar = nb.create<arith::CmpIOp>(nl, CmpIPredicate::uge, y,
                                                    c(nb, nl, width));
            return nb.create<arith::SelectOp>(nl, tooFar, c(nb, nl, 0), sh);
          }
          // mod / fmod.
          if (fl)
            return nb.create<arith::RemFOp>(nl, x, y);
          Value d = safeDivisor(nb, nl, y);
          if (uns)
            return nb.create<arith::RemUIOp>(nl, x, d);
          Value r = nb.create<arith::RemSIOp>(nl, x, d);
          if (fn == "fmod")
            return r;
          // Python-style: a non-zero remainder takes the divisor's sign.
          Value zero = c(nb, nl, 0);
          Value nonZero = nb.create<arith::CmpIOp>(nl, CmpIPredicate::ne, r, zero);
          Value signDiffers = nb.create<arith::CmpIOp>(
              nl, CmpIPredicate::slt, nb.create<arith::XOrIOp>(nl, r, y), zero);
          Value fix = nb.create<arith::AndIOp>(nl, nonZero, signDiffers);
          return nb.create<arith::SelectOp>(nl, fix, nb.create<arith::AddIOp>(nl, r, y), r);
        });
      })
      .Case([&](mnn::CompareOp o) {
        StringRef p = o.getPredicate();
        return emit([&, p](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          if (fl) {
            auto pred = llvm::StringSwitch<CmpFPredicate>(p)
                            .Case("eq", CmpFPredicate::OEQ)
                            .Case("lt", CmpFPredicate::OLT)
                            .Case("gt", CmpFPredicate::OGT)
                            .Case("le", CmpFPredicate::OLE)
                            .Default(CmpFPredicate::OGE);
            return nb.create<arith::CmpFOp>(nl, pred, a[0], a[1]);
          }
          bool u = uns || boolean;
          auto pred = llvm::StringSwitch<CmpIPredicate>(p)
                          .Case("eq", CmpIPredicate::eq)
                          .Case("lt", u ? CmpIPredicate::ult : CmpIPredicate::slt)
                          .Case("gt", u ? CmpIPredicate::ugt : CmpIPredicate::sgt)
                          .Case("le", u ? CmpIPredicate::ule : CmpIPredicate::sle)
                          .Default(u ? CmpIPredicate::uge : CmpIPredicate::sge);
          return nb.create<arith::CmpIOp>(nl, pred, a[0], a[1]);
        });
      })
      .Case([&](mnn::SelectOp) {
        return emit([&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          return nb.create<arith::SelectOp>(nl, a[0], a[1], a[2]);
        });
      })
      .Case([&](mnn::IsClassOp o) {
        StringRef k = o.getKind();
        return floatOnly([&, k](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0];
          if (k == "nan")
            return nb.create<arith::CmpFOp>(nl, CmpFPredicate::UNO, x, x);
          double inf = std::numeric_limits<double>::infinity();
          if (k == "inf")
            x = nb.create<math::AbsFOp>(nl, x);
          return nb.create<arith::CmpFOp>(nl, CmpFPredicate::OEQ, x,
                                          c(nb, nl, k == "neg_inf" ? -inf : inf));
        });
      })
      .Default([&](Operation *o) {
        return o->emitError("'") << o->getName()
                                 << "' is not supported by code generation";
      });
}

/// ONNX Cast. Float to integer truncates toward zero; narrow integer targets
/// go through i32/i64 and wrap, as a C cast does on the common targets
/// (ONNX Runtime's behaviour on x86 and ARM for out-of-range values). To
/// bool is `!= 0` (NaN is true).
LogicalResult Lowering::lowerBitCast(mnn::BitCastOp op, Value out) {
  Type from = storageType(cast<ShapedType>(op.getInput().getType()).getElementType());
  Type to = storageType(cast<ShapedType>(op.getType()).getElementType());
  // Same storage (i8 <-> ui8, bool <-> ui8): a copy.
  if (from == to) {
    copy(op.getLoc(), bufferOf(op.getInput()), out);
    return success();
  }
  elementwise(op.getLoc(), out, {bufferOf(op.getInput())},
              [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                return nb.create<arith::BitcastOp>(nl, to, a[0]);
              });
  return success();
}

LogicalResult Lowering::lowerCast(mnn::CastOp op, Value out) {
  Elt from = eltInfo(op.getInput().getType()), to = eltInfo(op.getType());
  for (const Elt &e : {from, to})
    if (!supported(e))
      return op.emitError("cast with element type ")
             << e.graph << " is not supported by code generation";
  elementwise(op.getLoc(), out, {bufferOf(op.getInput())},
              [&](OpBuilder &nb, Location nl, ValueRange a) -> Value {
                Value x = toCompute(nb, nl, a[0], from);
                Type ft = from.compute, tt = to.compute;
                Value y;
                if (to.isBool()) {
                  y = from.isFloat()
                          ? nb.create<arith::CmpFOp>(nl, CmpFPredicate::UNE, x,
                                                     cst(nb, nl, ft, 0)).getResult()
                          : nb.create<arith::CmpIOp>(nl, CmpIPredicate::ne, x,
                                                     cst(nb, nl, ft, 0)).getResult();
                } else if (from.isFloat() && to.isFloat()) {
                  unsigned fw = ft.getIntOrFloatBitWidth(), tw = tt.getIntOrFloatBitWidth();
                  y = fw == tw ? x
                      : fw < tw ? nb.create<arith::ExtFOp>(nl, tt, x).getResult()
                                : nb.create<arith::TruncFOp>(nl, tt, x).getResult();
                } else if (from.isFloat()) {
                  unsigned tw = tt.getIntOrFloatBitWidth();
                  if (to.isUnsigned() && tw == 64) {
                    y = nb.create<arith::FPToUIOp>(nl, tt, x);
                  } else {
                    // Via a wide signed int: unsigned and narrow targets wrap.
                    unsigned via = (tw == 64 || (to.isUnsigned() && tw == 32)) ? 64 : 32;
                    Type wide = nb.getIntegerType(via);
                    y = nb.create<arith::FPToSIOp>(nl, wide, x);
                    if (tw < via)
                      y = nb.create<arith::TruncIOp>(nl, tt, y);
                  }
                } else if (to.isFloat()) {
                  bool u = from.isUnsigned() || from.isBool();
                  y = u ? nb.create<arith::UIToFPOp>(nl, tt, x).getResult()
                        : nb.create<arith::SIToFPOp>(nl, tt, x).getResult();
                } else {
                  unsigned fw = ft.getIntOrFloatBitWidth(), tw = tt.getIntOrFloatBitWidth();
                  bool u = from.isUnsigned() || from.isBool();
                  y = fw == tw ? x
                      : fw > tw ? nb.create<arith::TruncIOp>(nl, tt, x).getResult()
                      : u       ? nb.create<arith::ExtUIOp>(nl, tt, x).getResult()
                                : nb.create<arith::ExtSIOp>(nl, tt, x).getResult();
                }
                return toStorage(nb, nl, y, to, op.getSaturate());
              });
  return success();
}

} // namespace mnn::lowering
