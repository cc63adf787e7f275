//===- LowerSampling.cpp - mnn.grid_sample to linalg ----------------------===//
//
// One linalg.generic over the output. Each point reads its grid coordinates,
// maps them to input coordinates, and sums the 1 (nearest), 2^dims (linear)
// or 4^dims (cubic) taps around them; each tap resolves its index with the
// padding mode (zeros masks it, border clamps it, reflection mirrors it).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

namespace mnn::lowering {
namespace {

struct Sampler {
  OpBuilder &b;
  Location loc;
  bool alignCorners;
  StringRef padding;

  Value f32(double v) { return f32Const(b, loc, v); }
  Value add(Value x, Value y) { return b.create<arith::AddFOp>(loc, x, y); }
  Value sub(Value x, Value y) { return b.create<arith::SubFOp>(loc, x, y); }
  Value mul(Value x, Value y) { return b.create<arith::MulFOp>(loc, x, y); }
  Value lt(Value x, Value y) {
    return b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OLT, x, y);
  }
  Value select(Value c, Value x, Value y) {
    return b.create<arith::SelectOp>(loc, c, x, y);
  }
  Value clamp(Value x, double lo, double hi) {
    return b.create<arith::MinimumFOp>(
        loc, b.create<arith::MaximumFOp>(loc, x, f32(lo)), f32(hi));
  }

  /// The range that counts as inside for dim length `d`.
  std::pair<double, double> bounds(int64_t d) {
    return alignCorners ? std::make_pair(0.0, double(d - 1))
                        : std::make_pair(-0.5, double(d) - 0.5);
  }

  /// Mirrors x into [lo, hi] (repeatedly, as ONNX's reference does).
  Value reflect(Value x, double lo, double hi) {
    double range = hi - lo;
    if (range <= 0)
      return f32(lo);
    auto fold = [&](Value dx, bool below) {
      Value n = b.create<math::FloorOp>(
          loc, b.create<arith::DivFOp>(loc, dx, f32(range)));
      Value r = sub(dx, mul(n, f32(range)));
      Value half = b.create<math::FloorOp>(loc, mul(n, f32(0.5)));
      Value even = b.create<arith::CmpFOp>(loc, arith::CmpFPredicate::OEQ,
                                           mul(half, f32(2.0)), n);
      Value nearSide = below ? add(f32(lo), r) : sub(f32(hi), r);
      Value farSide = below ? sub(f32(hi), r) : add(f32(lo), r);
      return select(even, nearSide, farSide);
    };
    Value fromBelow = fold(sub(f32(lo), x), true);
    Value fromAbove = fold(sub(x, f32(hi)), false);
    return select(lt(x, f32(lo)), fromBelow,
                  select(lt(f32(hi), x), fromAbove, x));
  }

  /// Input coordinate of a normalized grid value, with the out-of-range
  /// handling of border and reflection applied.
  Value coordinate(Value g, int64_t d, bool nearest) {
    Value v = alignCorners
                  ? mul(add(g, f32(1.0)), f32(0.5 * double(d - 1)))
                  : mul(sub(mul(add(g, f32(1.0)), f32(double(d))), f32(1.0)),
                        f32(0.5));
    if (nearest)
      v = b.create<math::RoundEvenOp>(loc, v);
    auto [lo, hi] = bounds(d);
    Value outside = b.create<arith::OrIOp>(loc, lt(v, f32(lo)), lt(f32(hi), v));
    if (padding == "border")
      v = select(outside, clamp(v, 0.0, double(d - 1)), v);
    else if (padding == "reflection")
      v = select(outside, reflect(v, lo, hi), v);
    return v;
  }

  /// (index, in-bounds) of tap position `i` (integral f32) on a dim of `d`.
  std::pair<Value, Value> tapIndex(Value i, int64_t d) {
    Value valid = b.create<arith::AndIOp>(loc, b.create<arith::CmpFOp>(
                                                   loc, arith::CmpFPredicate::OGE,
                                                   i, f32(0.0)),
                                          lt(i, f32(double(d))));
    if (padding == "reflection") {
      auto [lo, hi] = bounds(d);
      i = reflect(i, lo, hi);
      valid = b.create<arith::ConstantIntOp>(loc, 1, 1);
    } else if (padding == "border") {
      valid = b.create<arith::ConstantIntOp>(loc, 1, 1);
    }
    // Truncation toward zero as the reference's int(); the clamp keeps
    // every load inside the buffer.
    Value idx = b.create<arith::FPToSIOp>(loc, b.getI64Type(),
                                          clamp(i, 0.0, double(d - 1)));
    return {b.create<arith::IndexCastOp>(loc, b.getIndexType(), idx), valid};
  }

  /// Keys cubic convolution weights (a = -0.75) for the taps at -1, 0, 1, 2
  /// around a point at fraction t.
  SmallVector<Value> cubicWeights(Value t) {
    const double a = -0.75;
    Value one = f32(1.0), two = f32(2.0);
    auto outer = [&](Value x) { // for |x| in [1, 2]
      return sub(mul(add(mul(sub(mul(f32(a), x), f32(5 * a)), x), f32(8 * a)), x),
                 f32(4 * a));
    };
    auto inner = [&](Value x) { // for |x| in [0, 1]
      return add(mul(sub(mul(f32(a + 2), x), f32(a + 3)), mul(x, x)), one);
    };
    return {outer(add(t, one)), inner(t), inner(sub(one, t)), outer(sub(two, t))};
  }
};

} // namespace

LogicalResult Lowering::lowerGridSample(mnn::GridSampleOp op, Value out) {
  Location loc = op.getLoc();
  Value input = bufferOf(op.getInput()), grid = bufferOf(op.getGrid());
  auto inType = cast<MemRefType>(input.getType());
  int64_t rank = inType.getRank(), dims = rank - 2;
  SmallVector<int64_t> extent(inType.getShape().drop_front(2));
  StringRef mode = op.getMode();
  bool alignCorners = op.getAlignCorners();
  std::string padding = op.getPaddingMode().str();
  SmallVector<utils::IteratorType> its(rank, utils::IteratorType::parallel);
  buildGeneric(
      b, loc, ValueRange{}, {}, out, b.getMultiDimIdentityMap(rank), its,
      [&](OpBuilder &nb, Location nl, ValueRange) -> Value {
        Sampler s{nb, nl, alignCorners, padding};
        SmallVector<Value> at;
        for (int64_t d = 0; d < rank; ++d)
          at.push_back(nb.create<linalg::IndexOp>(nl, d));
        // Grid point [n, out spatial..., j]; j = 0 is x, the last X dim.
        SmallVector<Value> coords(dims);
        for (int64_t j = 0; j < dims; ++j) {
          SmallVector<Value> gi = {at[0]};
          gi.append(at.begin() + 2, at.end());
          gi.push_back(nb.create<arith::ConstantIndexOp>(nl, j));
          Value g = nb.create<memref::LoadOp>(nl, grid, gi);
          int64_t dim = dims - 1 - j;
          coords[dim] = s.coordinate(g, extent[dim], mode == "nearest");
        }
        // Taps per dim: offsets from floor(v) and their weights.
        SmallVector<SmallVector<std::pair<Value, Value>>> taps(dims);
        for (int64_t d = 0; d < dims; ++d) {
          Value v = coords[d];
          if (mode == "nearest") {
            // v is integral unless reflection made it x.5; int() truncates.
            Value t = nb.create<arith::SIToFPOp>(
                nl, nb.getF32Type(),
                nb.create<arith::FPToSIOp>(nl, nb.getI64Type(), v));
            taps[d].push_back({t, s.f32(1.0)});
            continue;
          }
          Value f = nb.create<math::FloorOp>(nl, v);
          Value t = s.sub(v, f);
          if (mode == "linear") {
            taps[d].push_back({f, s.sub(s.f32(1.0), t)});
            taps[d].push_back({s.add(f, s.f32(1.0)), t});
          } else {
            SmallVector<Value> w = s.cubicWeights(t);
            for (int k = 0; k < 4; ++k)
              taps[d].push_back({s.add(f, s.f32(k - 1)), w[k]});
          }
        }
        // Sum over the product of all dims' taps.
        Value sum = s.f32(0.0);
        SmallVector<size_t> pick(dims, 0);
        while (true) {
          SmallVector<Value> idx = {at[0], at[1]};
          Value weight = s.f32(1.0);
          Value valid = nb.create<arith::ConstantIntOp>(nl, 1, 1);
          for (int64_t d = 0; d < dims; ++d) {
            auto [pos, w] = taps[d][pick[d]];
            auto [i, ok] = s.tapIndex(pos, extent[d]);
            idx.push_back(i);
            weight = s.mul(weight, w);
            valid = nb.create<arith::AndIOp>(nl, valid, ok);
          }
          Value v = nb.create<memref::LoadOp>(nl, input, idx);
          v = s.select(valid, v, s.f32(0.0));
          sum = s.add(sum, s.mul(weight, v));
          int64_t d = dims - 1;
          while (d >= 0 && ++pick[d] == taps[d].size())
            pick[d--] = 0;
          if (d < 0)
            break;
        }
        return sum;
      });
  return success();
}

} // namespace mnn::lowering
