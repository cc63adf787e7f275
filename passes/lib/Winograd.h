//===- Winograd.h - Winograd F(m, 3) transforms and sizes -------*- C++ -*-===//
//
// Shared by PackWeights (filter transform U = G g G^T at compile time),
// BufferInfo (scratch size) and LowerWinograd (input transform V = B^T d B,
// batched GEMM, output transform Y = A^T M A). Tiles are a x a inputs
// (a = m + 2) giving m x m outputs; m = 4 (F(4,3), a = 6) or m = 2 (F(2,3),
// a = 4). The matrices are Lavin & Gray's, with interpolation points
// 0, +-1, +-2 (F(4,3)) and 0, +-1 (F(2,3)), and infinity.
//
// filter_layout "winograd4" / "winograd2": the filter is [a*a, Cout/S, Cin, S],
// U[i * a + j][co / S][ci][co % S] = (G g[co][ci] G^T)[i][j]: the GEMM's B
// operand in panels of S output channels (the microkernel's lanes), each
// panel contiguous.
//
// "winograd4t" / "winograd2t" (tiles as lanes, for maps of few tiles): the
// same [a*a, ceil(Cout/S), Cin, S] with S = kRowPanel output channels, the rows of
// a transposed GEMM M[e]^T = U[e]^T x V[e]^T whose lanes are the tiles. Its
// broadcast operand U is then read once, in order, by one register tile per
// panel, where the lane-panel GEMM re-reads each panel once per 4 tiles.
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_WINOGRAD_H
#define MNN_PASSES_WINOGRAD_H

#include "mnn/MNNDialect.h"

#include "llvm/ADT/StringRef.h"

#include <algorithm>
#include <cstdint>

namespace mnn::winograd {

struct Transform {
  int64_t m, a;
  const double *bt; // a x a: V = BT d BT^T
  const double *g;  // a x 3: U = G g G^T
  const double *at; // m x a: Y = AT M AT^T
};

inline const Transform *transformFor(int64_t m) {
  static const double bt4[36] = {4, 0, -5, 0,  1, 0, //
                                 0, -4, -4, 1, 1, 0, //
                                 0, 4, -4, -1, 1, 0, //
                                 0, -2, -1, 2, 1, 0, //
                                 0, 2, -1, -2, 1, 0, //
                                 0, 4, 0, -5, 0, 1};
  static const double g4[18] = {1.0 / 4,   0,         0,         //
                                -1.0 / 6,  -1.0 / 6,  -1.0 / 6,  //
                                -1.0 / 6,  1.0 / 6,   -1.0 / 6,  //
                                1.0 / 24,  1.0 / 12,  1.0 / 6,   //
                                1.0 / 24,  -1.0 / 12, 1.0 / 6,   //
                                0,         0,         1};
  static const double at4[24] = {1, 1, 1,  1, 1,  0, //
                                 0, 1, -1, 2, -2, 0, //
                                 0, 1, 1,  4, 4,  0, //
                                 0, 1, -1, 8, -8, 1};
  static const double bt2[16] = {1, 0, -1, 0, //
                                 0, 1, 1, 0,  //
                                 0, -1, 1, 0, //
                                 0, 1, 0, -1};
  static const double g2[12] = {1, 0, 0, 0.5, 0.5, 0.5, 0.5, -0.5, 0.5, 0, 0, 1};
  static const double at2[8] = {1, 1, 1, 0, 0, 1, -1, -1};
  static const Transform f4{4, 6, bt4, g4, at4};
  static const Transform f2{2, 4, bt2, g2, at2};
  return m == 4 ? &f4 : m == 2 ? &f2 : nullptr;
}

/// m of a Winograd filter layout ("winograd4" -> 4), 0 for other layouts.
inline int64_t outputTile(llvm::StringRef layout) {
  return layout == "winograd4" || layout == "winograd4t"   ? 4
         : layout == "winograd2" || layout == "winograd2t" ? 2
                                                           : 0;
}

/// Whether a Winograd layout puts the tiles in the GEMM's lanes.
inline bool tilesAsLanes(llvm::StringRef layout) {
  return layout == "winograd4t" || layout == "winograd2t";
}

/// Output channels per panel of a tiles-as-lanes filter: the rows of its
/// register tile (6 x 16 lanes: 12 accumulators, with the two V vectors and
/// a broadcast the 16 registers of AVX2). Where 6 does not divide Cout the
/// last panel is padded with zero channels (computed into M, never read);
/// Cout is then the multiple of kLanes just below the panels' channels
/// (mnn.conv2d's shape inference). Zen 3 (AVX2), one thread: a 512 -> 528
/// conv on 7x7 took 0.88x the time of 4-row panels (8 accumulators, at the
/// FMA latency).
constexpr int64_t kRowPanel = 6;

/// Channels per vector in the transforms (they require Cin, Cout % lanes == 0).
constexpr int64_t kLanes = 8;

/// Sizes of a Winograd conv and the offsets of its scratch buffers, in f32
/// elements from the op's scratch offset:
///   padded  [N, HP, WP, Cin]   the input, zero-padded to whole tiles, HWC
///   gemmOut [a*a, TP, CM]      M, over the padded input (dead by then);
///                              CM = the filter panels' channels (>= Cout)
///   gemmIn  [a*a, TP, Cin]     V ([a*a, Cin, TP] with tiles as lanes)
/// T = N * TH * TW tiles, TP = T rounded up to the GEMM's 6- or 4-row register tile,
/// or to kLanes with tiles as lanes (tiles T..TP of V are zero).
struct Shape {
  int64_t m = 0, a = 0, n = 0, cin = 0, cout = 0, h = 0, w = 0, oh = 0, ow = 0;
  int64_t th = 0, tw = 0, t = 0, tp = 0, hp = 0, wp = 0;
  int64_t cm = 0;
  int64_t paddedOffset = 0, gemmOutOffset = 0, gemmInOffset = 0, totalElements = 0;
};

inline Shape shapeOf(Conv2DOp op) {
  Shape s;
  s.m = outputTile(op.getFilterLayout());
  s.a = s.m + 2;
  auto in = llvm::cast<mlir::RankedTensorType>(op.getInput().getType());
  auto out = llvm::cast<mlir::RankedTensorType>(op.getType());
  s.n = in.getDimSize(0);
  s.cin = in.getDimSize(1);
  s.h = in.getDimSize(2);
  s.w = in.getDimSize(3);
  s.cout = out.getDimSize(1);
  // [a*a, panels, Cin, S]: panels x S channels, Cout and the last panel's pad.
  auto filter = llvm::cast<mlir::RankedTensorType>(op.getFilter().getType());
  s.cm = filter.getRank() == 4 ? filter.getDimSize(1) * filter.getDimSize(3) : s.cout;
  s.oh = out.getDimSize(2);
  s.ow = out.getDimSize(3);
  s.th = (s.oh + s.m - 1) / s.m;
  s.tw = (s.ow + s.m - 1) / s.m;
  s.t = s.n * s.th * s.tw;
  // The GEMM's rows in whole register tiles: 6 rows (12 accumulators) where
  // that pads at most 1/16 more rows than 4 would (16 tiles stay 16 rows
  // of 4, not 18 of 6).
  int64_t six = (s.t + 5) / 6 * 6, four = (s.t + 3) / 4 * 4;
  s.tp = six * 16 <= four * 17 ? six : four;
  if (tilesAsLanes(op.getFilterLayout()))
    s.tp = (s.t + kLanes - 1) / kLanes * kLanes;
  s.hp = s.th * s.m + 2;
  s.wp = s.tw * s.m + 2;
  auto align = [](int64_t elements) { return (elements + 15) / 16 * 16; };
  int64_t padded = s.n * s.hp * s.wp * s.cin;
  int64_t gemmOut = s.a * s.a * s.tp * s.cm;
  s.paddedOffset = 0;
  s.gemmOutOffset = 0;
  s.gemmInOffset = align(std::max(padded, gemmOut));
  s.totalElements = s.gemmInOffset + s.a * s.a * s.tp * s.cin;
  return s;
}

} // namespace mnn::winograd

#endif // MNN_PASSES_WINOGRAD_H
