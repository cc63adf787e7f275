//===- NarrowFloat.cpp - bf16/float8 <-> f32 as integer code --------------===//
//
// The same steps as encodeNarrowFloat/decodeNarrowFloat in
// dialects/mnn/lib/ElementTypes.cpp, with selects in place of branches.
//
//===----------------------------------------------------------------------===//
#include "NarrowFloat.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"

#include <cmath>

using namespace mlir;

namespace mnn::lowering {

namespace {

/// Small helper for i32 arithmetic on bits.
struct Bits {
  OpBuilder &b;
  Location loc;
  Type i32 = b.getI32Type();

  Value c(uint32_t v) { return b.create<arith::ConstantIntOp>(loc, (int32_t)v, 32); }
  Value and_(Value x, uint32_t m) { return b.create<arith::AndIOp>(loc, x, c(m)); }
  Value or_(Value x, Value y) { return b.create<arith::OrIOp>(loc, x, y); }
  Value add(Value x, Value y) { return b.create<arith::AddIOp>(loc, x, y); }
  Value sub(Value x, uint32_t y) { return b.create<arith::SubIOp>(loc, x, c(y)); }
  Value shl(Value x, unsigned s) { return s ? b.create<arith::ShLIOp>(loc, x, c(s)) : x; }
  Value shr(Value x, unsigned s) { return s ? b.create<arith::ShRUIOp>(loc, x, c(s)) : x; }
  Value cmp(arith::CmpIPredicate p, Value x, uint32_t y) {
    return b.create<arith::CmpIOp>(loc, p, x, c(y));
  }
  Value sel(Value cond, Value t, Value f) {
    return b.create<arith::SelectOp>(loc, cond, t, f);
  }
};

} // namespace

Value emitNarrowFloatToF32(OpBuilder &b, Location loc, Value bits,
                           const NarrowFloatFormat &f) {
  using P = arith::CmpIPredicate;
  Bits k{b, loc};
  Value v = b.create<arith::ExtUIOp>(loc, k.i32, bits);
  unsigned m = f.mantBits, eb = f.expBits;
  if (eb == 8) // bf16 is the top half of an f32 (NaN payloads kept)
    return b.create<arith::BitcastOp>(loc, b.getF32Type(), k.shl(v, 16));
  uint32_t expMask = (1u << eb) - 1, mantMask = (1u << m) - 1;
  Value sign = k.shl(k.shr(v, eb + m), 31);
  Value e = k.and_(k.shr(v, m), expMask);
  Value mant = k.and_(v, mantMask);
  // Normal: rebias the exponent; inf keeps the all-ones exponent.
  Value e32 = k.add(e, k.c(uint32_t(127 - f.bias)));
  if (f.hasInf())
    e32 = k.sel(k.cmp(P::eq, e, expMask), k.c(255), e32);
  Value normal = k.or_(k.shl(e32, 23), k.shl(mant, 23 - m));
  // Subnormal: mant * 2^(1 - bias - m), exact in f32.
  Value subF = b.create<arith::MulFOp>(
      loc, b.create<arith::UIToFPOp>(loc, b.getF32Type(), mant),
      b.create<arith::ConstantOp>(
          loc, b.getF32FloatAttr(std::ldexp(1.0f, 1 - f.bias - (int)m))));
  Value sub = b.create<arith::BitcastOp>(loc, k.i32, subF);
  Value out = k.or_(sign, k.sel(k.cmp(P::eq, e, 0), sub, normal));
  Value isNan;
  switch (f.nan) {
  case NarrowFloatFormat::Nan::Ieee:
    isNan = b.create<arith::AndIOp>(loc, k.cmp(P::eq, e, expMask),
                                    k.cmp(P::ne, mant, 0));
    break;
  case NarrowFloatFormat::Nan::AllOnes:
    isNan = k.cmp(P::eq, k.and_(v, (expMask << m) | mantMask), (expMask << m) | mantMask);
    break;
  case NarrowFloatFormat::Nan::NegZero:
    isNan = k.cmp(P::eq, v, 1u << (eb + m));
    break;
  }
  out = k.sel(isNan, k.or_(sign, k.c(0x7FC00000u)), out);
  return b.create<arith::BitcastOp>(loc, b.getF32Type(), out);
}

Value emitF32ToNarrowFloat(OpBuilder &b, Location loc, Value x,
                           const NarrowFloatFormat &f, bool saturate) {
  using P = arith::CmpIPredicate;
  Bits k{b, loc};
  unsigned m = f.mantBits, eb = f.expBits, shift = 23 - m;
  Value u = b.create<arith::BitcastOp>(loc, k.i32, x);
  Value negative = k.shr(u, 31);
  Value a = k.and_(u, 0x7FFFFFFFu);
  Value isNan = k.cmp(P::ugt, a, 0x7F800000u);
  // Round the mantissa to m bits, ties to even; a carry bumps the exponent.
  // (No overflow: a <= 0x7FFFFFFF plus less than 2^22 fits in 32 bits.)
  Value rounded = k.shr(k.add(k.add(a, k.c((1u << (shift - 1)) - 1)),
                              k.and_(k.shr(a, shift), 1)),
                        shift);
  Value r = k.sub(rounded, uint32_t(127 - f.bias) << m);
  if (eb < 8) {
    // Below the smallest normal: count steps of the smallest subnormal,
    // rounded to nearest even in f32 (exact: a power-of-two scale).
    Value absX = b.create<arith::BitcastOp>(loc, b.getF32Type(), a);
    Value scaled = b.create<arith::MulFOp>(
        loc, absX,
        b.create<arith::ConstantOp>(
            loc, b.getF32FloatAttr(std::ldexp(1.0f, f.bias + (int)m - 1))));
    Value steps = b.create<arith::FPToSIOp>(
        loc, k.i32, b.create<math::RoundEvenOp>(loc, scaled));
    uint32_t minNormal = uint32_t(127 - f.bias + 1) << 23;
    r = k.sel(k.cmp(P::ult, a, minNormal), steps, r);
  }
  uint32_t maxBits = f.maxFiniteBits(), expMask = (1u << eb) - 1;
  Value overflow = k.cmp(P::ugt, r, maxBits);
  if (saturate)
    r = k.sel(overflow, k.c(maxBits), r);
  else if (f.hasInf())
    r = k.sel(overflow, k.c(expMask << m), r);
  else
    isNan = b.create<arith::OrIOp>(loc, isNan, overflow);
  Value signBit = k.shl(negative, eb + m);
  Value out = k.or_(signBit, r);
  Value nan;
  if (f.nan == NarrowFloatFormat::Nan::NegZero) {
    out = k.sel(k.cmp(P::eq, r, 0), k.c(0), out); // no -0
    nan = k.c(f.quietNanBits(false));
  } else {
    nan = k.or_(signBit, k.c(f.quietNanBits(false)));
  }
  out = k.sel(isNan, nan, out);
  return b.create<arith::TruncIOp>(loc, b.getIntegerType(f.bits()), out);
}

} // namespace mnn::lowering
