//===- ElementTypes.cpp - narrow float formats and reference conversions --===//
#include "mnn/ElementTypes.h"

#include "mlir/IR/BuiltinTypes.h"

#include <cmath>
#include <cstring>

using namespace mlir;

namespace mnn {

uint32_t NarrowFloatFormat::maxFiniteBits() const {
  uint32_t expMask = (1u << expBits) - 1, mantMask = (1u << mantBits) - 1;
  switch (nan) {
  case Nan::Ieee: // exponent all ones is inf/NaN
    return ((expMask - 1) << mantBits) | mantMask;
  case Nan::AllOnes: // S.1111.111 is NaN
    return ((expMask << mantBits) | mantMask) - 1;
  case Nan::NegZero: // every code but 0x80 is a number
    return (expMask << mantBits) | mantMask;
  }
  return 0;
}

uint32_t NarrowFloatFormat::quietNanBits(bool negative) const {
  uint32_t sign = uint32_t(negative) << (expBits + mantBits);
  uint32_t expMask = (1u << expBits) - 1, mantMask = (1u << mantBits) - 1;
  switch (nan) {
  case Nan::Ieee:
    return sign | (expMask << mantBits) | (1u << (mantBits - 1));
  case Nan::AllOnes:
    return sign | (expMask << mantBits) | mantMask;
  case Nan::NegZero:
    return 1u << (expBits + mantBits);
  }
  return 0;
}

std::optional<NarrowFloatFormat> narrowFloatFormat(Type t) {
  using Nan = NarrowFloatFormat::Nan;
  if (t.isBF16())
    return NarrowFloatFormat{8, 7, 127, Nan::Ieee};
  if (t.isFloat8E4M3FN())
    return NarrowFloatFormat{4, 3, 7, Nan::AllOnes};
  if (t.isFloat8E4M3FNUZ())
    return NarrowFloatFormat{4, 3, 8, Nan::NegZero};
  if (t.isFloat8E5M2())
    return NarrowFloatFormat{5, 2, 15, Nan::Ieee};
  if (t.isFloat8E5M2FNUZ())
    return NarrowFloatFormat{5, 2, 16, Nan::NegZero};
  return std::nullopt;
}

bool isSubByteInteger(Type t) {
  auto it = dyn_cast<IntegerType>(t);
  return it && it.getWidth() > 1 && it.getWidth() < 8;
}

uint32_t encodeNarrowFloat(float x, const NarrowFloatFormat &f, bool saturate) {
  uint32_t u;
  std::memcpy(&u, &x, 4);
  bool negative = u >> 31;
  uint32_t a = u & 0x7FFFFFFFu;
  unsigned m = f.mantBits, shift = 23 - m;
  uint32_t expMask = (1u << f.expBits) - 1;
  uint32_t signBit = uint32_t(negative) << (f.expBits + m);
  if (a > 0x7F800000u) // NaN: the canonical quiet NaN (payloads are dropped)
    return f.quietNanBits(negative);
  uint32_t r;
  uint32_t minNormal = uint32_t(127 - f.bias + 1) << 23;
  if (f.expBits < 8 && a < minNormal) {
    // Subnormal (or zero) in the target: an integer count of its smallest step.
    r = (uint32_t)std::nearbyint(std::ldexp((double)std::fabs(x), f.bias + m - 1));
  } else {
    // Round the mantissa to m bits, ties to even; a carry bumps the exponent.
    uint64_t rounded = ((uint64_t)a + ((1u << (shift - 1)) - 1) + ((a >> shift) & 1)) >> shift;
    r = (uint32_t)(rounded - ((uint64_t)(127 - f.bias) << m));
  }
  if (r > f.maxFiniteBits()) {
    if (saturate)
      r = f.maxFiniteBits();
    else if (f.hasInf())
      r = expMask << m;
    else
      return f.quietNanBits(negative);
  }
  if (f.nan == NarrowFloatFormat::Nan::NegZero && r == 0)
    return 0; // no -0
  return signBit | r;
}

float decodeNarrowFloat(uint32_t bits, const NarrowFloatFormat &f) {
  unsigned m = f.mantBits;
  uint32_t expMask = (1u << f.expBits) - 1, mantMask = (1u << m) - 1;
  bool negative = (bits >> (f.expBits + m)) & 1;
  uint32_t e = (bits >> m) & expMask, mant = bits & mantMask;
  uint32_t out;
  if (f.expBits == 8) {
    out = bits << (31 - f.expBits - m); // bf16: the top half of an f32
  } else if (e == expMask && (f.nan == NarrowFloatFormat::Nan::Ieee
                                  ? mant != 0
                                  : f.nan == NarrowFloatFormat::Nan::AllOnes &&
                                        mant == mantMask)) {
    out = 0x7FC00000u | (uint32_t(negative) << 31); // canonical quiet NaN
  } else if (f.nan == NarrowFloatFormat::Nan::NegZero && negative && e == 0 &&
             mant == 0) {
    out = 0xFFC00000u; // 0x80, the only NaN (ml_dtypes reads it as -NaN)
  } else if (e == 0) {
    float v = std::ldexp((float)mant, 1 - f.bias - (int)m);
    std::memcpy(&out, &v, 4);
    out |= uint32_t(negative) << 31;
  } else {
    uint32_t e32 = e == expMask && f.hasInf() ? 255u : e - f.bias + 127;
    out = (uint32_t(negative) << 31) | (e32 << 23) | (mant << (23 - m));
  }
  float v;
  std::memcpy(&v, &out, 4);
  return v;
}

} // namespace mnn
