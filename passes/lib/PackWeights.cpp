//===- PackWeights.cpp - repack constant weights at compile time ----------===//
//
// conv2d with a constant "oihw" filter W [Cout, Cin/g, KH, KW] gets a new
// constant P [KH, KW, Cin/g, g, Cout/g] and filter_layout = "hwigo", with
//     P[kh][kw][ci][gi][co] = W[gi * Cout/g + co][ci][kh][kw].
// With block = B > 0 and B dividing Cout/g, the output channels are split in
// blocks of B, outermost: P [Cout/g/B, KH, KW, Cin/g, g, B] ("bhwigo"), with
//     P[ob][kh][kw][ci][gi][oi] = W[gi * Cout/g + ob * B + oi][ci][kh][kw],
// so the weights one register tile reads (B output channels) are one
// contiguous run instead of B floats every Cout floats.
// The copy is byte-wise, so any element type works. A filter constant shared
// by several convs with the same group count is packed once. Convs with a
// non-constant filter keep "oihw" (the lowering handles both layouts).
//
// Winograd (option winograd = auto | f2 | f4): an eligible 3x3 conv (see
// winogradTile) gets U = G g G^T per (ci, co) instead, computed in double,
// as [a*a, Cout/S, Cin, S] with filter_layout "winograd4" / "winograd2"
// (Winograd.h; S = the matmul microkernel's lanes, so each register tile's
// K x S panel is contiguous); LowerWinograd computes it as transforms
// around a batched GEMM. Where the tiles exactly fill the GEMM's lanes
// (F(2,3) on a 7x7 or 8x8 map: 16 tiles), the GEMM is transposed instead
// (tiles as lanes, "winograd4t" / "winograd2t", S = 4 output channels):
// with 16 tiles, 4-row tiles re-read each lane panel 4 times, mostly from
// memory since a 512-channel U[e] is 1 MB; as rows, each weight is read once.
//
// A packed-input conv whose Cout its widest tile (one 512-bit vector, or
// two narrower ones) does not divide is first split into a conv over the
// whole tiles and one over the rest, concatenated along the channels
// (splitChannelRemainder): otherwise all its channels take the narrower
// tile (half a vector with 512 bits, one vector of 8 with 256).
//
// matmul (option panel = S): a matrix-vector product's constant rhs [K, N]
// is stored flat as column panels, [N / S, K, S] then the last N % S
// columns as [K, N % S] (rhs_panel = S). Its register tile (S columns, the
// 4 vectors mnn-tile gives one row) then streams one contiguous panel from
// memory; row-major, each step read S columns of a different row, a
// strided walk (N * 4 bytes apart) that the prefetchers and the TLB serve
// poorly: mobilenet_v3_small's 1024x1000 classifier streamed 6.4 GB/s.
// Other matmuls keep a row-major rhs: their tiles reuse it across rows.
//
//===----------------------------------------------------------------------===//
#include "Winograd.h"

#include "mnn/BufferInfo.h"
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>
#include <cstring>

namespace mnn {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

/// Packs the oihw bytes of `attr` for `group` groups into hwigo (block 0) or
/// bhwigo (block B), or returns null if the constant cannot be read.
ElementsAttr packOihw(ElementsAttr attr, int64_t group, int64_t block) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto bytes = mnn::getRawBytes(attr);
  if (!bytes || type.getRank() != 4 || type.getDimSize(0) % group != 0)
    return nullptr;
  int64_t cout = type.getDimSize(0), cin = type.getDimSize(1),
          kh = type.getDimSize(2), kw = type.getDimSize(3);
  int64_t og = cout / group;
  int64_t b = block > 0 ? block : og; // unblocked = one block of all channels
  int64_t w = mnn::elementByteWidth(type.getElementType());
  SmallVector<int64_t> shape = {kh, kw, cin, group, og};
  if (block > 0)
    shape = {og / b, kh, kw, cin, group, b};
  auto packedType = RankedTensorType::get(shape, type.getElementType());
  std::vector<char> packed(bytes->size());
  char *dst = packed.data();
  for (int64_t ob = 0; ob < og / b; ++ob)
    for (int64_t h = 0; h < kh; ++h)
      for (int64_t x = 0; x < kw; ++x)
        for (int64_t ci = 0; ci < cin; ++ci)
          for (int64_t gi = 0; gi < group; ++gi)
            for (int64_t oi = 0; oi < b; ++oi, dst += w) {
              int64_t o = gi * og + ob * b + oi;
              std::memcpy(dst,
                          bytes->data() + (((o * cin + ci) * kh + h) * kw + x) * w, w);
            }
  return mnn::makeElements(packedType, packed);
}

/// Winograd tiles of `conv`'s output with m x m output tiles.
int64_t winogradTileCount(mnn::Conv2DOp conv, int64_t m) {
  auto outType = cast<RankedTensorType>(conv.getType());
  return outType.getDimSize(0) * ((outType.getDimSize(2) + m - 1) / m) *
         ((outType.getDimSize(3) + m - 1) / m);
}

/// The Winograd output tile m (4 or 2) for `conv` under `mode`, or 0 for a
/// direct conv. Eligible: f32, constant oihw 3x3 filter, stride 1, dilation
/// 1, group 1, Cin and Cout multiples of the transforms' vector lanes. auto
/// also wants 16 channels each way (fewer do not amortize the transforms)
/// and enough tiles: the tiles are the rows of the GEMM, so they are the
/// reuse of each transformed weight, which is streamed from memory once per
/// run. F(4,3) (4x the weights) with at least 32 tiles (ResNet-18's 56x56
/// and 28x28 maps: 2.9x and 2.8x faster than direct), else F(2,3) (1.78x
/// the weights) with at least 16 (14x14: as fast as F(4,3) there with
/// 512-bit vectors, with 2.25x less weight; 7x7: F(4,3) was slower than
/// direct), else direct. With narrower vectors (`block` < 16) the GEMM
/// outweighs the weights' streaming: F(4,3) from 16 tiles (14x14 and 13x13
/// maps). Zen 3 (AVX2), 1 thread: ResNet-18's 256 -> 256 conv on 14x14
/// alone 0.89x the time of F(2,3), resnet18 0.95-0.96x (2 threads
/// 0.93-0.95x), squeezenet1_1 (its 13x13 expansions) 0.97x.
int64_t winogradTile(mnn::Conv2DOp conv, StringRef mode, int64_t block) {
  if (mode == "off")
    return 0;
  auto fType = cast<RankedTensorType>(conv.getFilter().getType());
  if (!fType.getElementType().isF32() || fType.getRank() != 4 ||
      conv.getGroup() != 1 || fType.getDimSize(2) != 3 || fType.getDimSize(3) != 3)
    return 0;
  if (llvm::any_of(conv.getStrides(), [](int64_t v) { return v != 1; }) ||
      llvm::any_of(conv.getDilations(), [](int64_t v) { return v != 1; }))
    return 0;
  int64_t cout = fType.getDimSize(0), cin = fType.getDimSize(1);
  if (cin % mnn::winograd::kLanes || cout % mnn::winograd::kLanes)
    return 0;
  if (mode == "f4")
    return 4;
  if (mode == "f2")
    return 2;
  if (cin < 16 || cout < 16)
    return 0;
  int64_t minF4Tiles = block > 0 && block < 16 ? 16 : 32;
  return winogradTileCount(conv, 4) >= minF4Tiles ? 4
         : winogradTileCount(conv, 2) >= 16 ? 2
                                            : 0;
}

/// Whether the Winograd GEMM of `conv` (tile m) takes the tiles as lanes:
/// its tiles fill exactly the lanes of the matmul register tile (16; with
/// 512-bit vectors, 32) and are at most 16. With more tiles each lane panel
/// is reused by several row tiles anyway (measured: the 16 tiles of
/// ResNet-18's 7x7 maps on AVX2).
bool winogradTilesAsLanes(mnn::Conv2DOp conv, int64_t m, int64_t block) {
  constexpr int64_t kMaxTiles = 16;
  int64_t tiles = winogradTileCount(conv, m);
  return tiles == mnn::matmulLanes(block * 32) && tiles <= kMaxTiles;
}

/// U[i * a + j][co / S][ci][co % S] = sum_kl G[i][k] W[co][ci][k][l] G[j][l],
/// f32 [a*a, ceil(Cout/S), Cin, S] (the last panel zero-padded), or null if
/// the constant cannot be read.
ElementsAttr winogradFilter(ElementsAttr attr, int64_t m, int64_t strip) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto bytes = mnn::getRawBytes(attr);
  const mnn::winograd::Transform *t = mnn::winograd::transformFor(m);
  if (!bytes || !t)
    return nullptr;
  int64_t cout = type.getDimSize(0), cin = type.getDimSize(1), a = t->a;
  // Panels of `strip` channels; the last one zero-padded where strip does
  // not divide Cout (tiles-as-lanes panels, Winograd.h's kRowPanel).
  int64_t panels = (cout + strip - 1) / strip;
  const float *w = reinterpret_cast<const float *>(bytes->data());
  std::vector<float> u(a * a * cin * panels * strip, 0.0f);
  for (int64_t co = 0; co < cout; ++co)
    for (int64_t ci = 0; ci < cin; ++ci) {
      const float *g = w + (co * cin + ci) * 9;
      double gg[6][3]; // G g
      for (int64_t i = 0; i < a; ++i)
        for (int64_t l = 0; l < 3; ++l) {
          gg[i][l] = 0;
          for (int64_t k = 0; k < 3; ++k)
            gg[i][l] += t->g[i * 3 + k] * g[k * 3 + l];
        }
      for (int64_t i = 0; i < a; ++i)
        for (int64_t j = 0; j < a; ++j) {
          double v = 0;
          for (int64_t l = 0; l < 3; ++l)
            v += gg[i][l] * t->g[j * 3 + l];
          u[(((i * a + j) * panels + co / strip) * cin + ci) * strip + co % strip] =
              static_cast<float>(v);
        }
    }
  auto uType = RankedTensorType::get({a * a, panels, cin, strip},
                                     type.getElementType());
  std::vector<char> raw(u.size() * sizeof(float));
  std::memcpy(raw.data(), u.data(), raw.size());
  return mnn::makeElements(uType, raw);
}

/// The [K, N] bytes of `attr` as S-column panels (see rhs_panel), flat, or
/// null if the constant cannot be read.
ElementsAttr packPanels(ElementsAttr attr, int64_t s) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto bytes = mnn::getRawBytes(attr);
  if (!bytes || type.getRank() != 2)
    return nullptr;
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t w = mnn::elementByteWidth(type.getElementType());
  std::vector<char> packed(bytes->size());
  char *dst = packed.data();
  for (int64_t col = 0; col < n; col += s) {
    int64_t width = std::min(s, n - col);
    for (int64_t row = 0; row < k; ++row, dst += width * w)
      std::memcpy(dst, bytes->data() + (row * n + col) * w, width * w);
  }
  return mnn::makeElements(RankedTensorType::get({k * n}, type.getElementType()),
                           packed);
}

/// Whether `op` is an f32 matrix-vector product (one lhs row) with a
/// constant 2-D rhs of at least `panel` columns.
bool panelEligible(mnn::MatMulOp op, int64_t panel) {
  auto lhs = cast<RankedTensorType>(op.getLhs().getType());
  auto rhs = cast<RankedTensorType>(op.getRhs().getType());
  auto out = cast<RankedTensorType>(op.getType());
  if (panel <= 0 || op.getRhsPanel() != 0 || !out.getElementType().isF32() ||
      !rhs.getElementType().isF32() || rhs.getRank() != 2 ||
      rhs.getDimSize(1) < panel || rhs.getDimSize(0) == 0 ||
      !matchPattern(op.getRhs(), m_Constant()))
    return false;
  int64_t rows = 1;
  for (int64_t d : lhs.getShape().drop_back())
    rows *= d;
  return rows == 1;
}

/// Rows [first, first + count) along dim 0 of the constant `v`, as a new
/// constant at `b`'s insertion point, or null if `v` is not readable data.
Value sliceRows(OpBuilder &b, Value v, int64_t first, int64_t count) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return {};
  auto type = cast<RankedTensorType>(attr.getType());
  auto bytes = mnn::getRawBytes(attr);
  if (!bytes || type.getRank() == 0 || type.getDimSize(0) == 0)
    return {};
  int64_t rowBytes = (int64_t)bytes->size() / type.getDimSize(0);
  SmallVector<int64_t> shape(type.getShape());
  shape[0] = count;
  auto sliceType = RankedTensorType::get(shape, type.getElementType());
  ArrayRef<char> rows(bytes->data() + first * rowBytes, count * rowBytes);
  return b.create<mnn::ConstantOp>(v.getLoc(), sliceType,
                                   mnn::makeElements(sliceType, rows));
}

/// With 512-bit vectors, a packed-input conv whose Cout a vector does not
/// divide takes half-vector tiles (choosePackedInputTile), at half the FMA
/// width: SqueezeNet's 1000-class conv ran at 45 GFLOP/s where 992
/// channels run at 85. With narrower vectors, one whose Cout two vectors
/// do not divide takes a one-vector tile. Such a conv (N = 1, group 1,
/// constant weights) becomes a conv over the whole tiles and one over the rest,
/// concatenated along the channels. Both write their slices of the concat's
/// buffer in place (mnn::concatSlice): the only extra work is the second
/// conv's copy of its input panels (and a copy of the output where it is
/// the model's result, whose buffer is the caller's). A residual (with no
/// activation after it) becomes an add after the concat. (A Cout of at most
/// 64 takes no panels where its output is stored as whole planes: pixel
/// lanes beat both, choosePackedInputTile.)
void splitChannelRemainder(mnn::Conv2DOp conv, int64_t block) {
  auto outType = cast<RankedTensorType>(conv.getType());
  // The widest tile's channels: one 512-bit vector, or two narrower ones.
  int64_t wide = block >= 16 ? block : 2 * block;
  int64_t cout = outType.getDimSize(1), rest = block > 0 ? cout % wide : 0;
  mnn::PackedInputTile tile = mnn::choosePackedInputTile(conv, block);
  // A residual is added after the concat (one elementwise add): only where
  // no activation follows it.
  // With narrower vectors the one-vector tile (12 pixels x 8 lanes, a
  // broadcast per FMA) is only 1.3x slower than two vectors': split only
  // where the rest is a few channels of many, since its conv packs its own
  // input panels. Zen 3 (AVX2), 1 thread: SqueezeNet's 512 -> 1000 on
  // 13x13 as 992 + 8 0.82x the time alone, the network 0.93-0.94x;
  // mobilenet_v3_small's 240 -> 40 on 14x14 as 32 + 8 1.03-1.08x.
  bool restTooLarge = block < 16 && cout < 16 * rest;
  if (block <= 0 || restTooLarge || !tile.rows || tile.lanes >= wide || cout < 2 * wide ||
      conv.getGroup() != 1 || conv.getFilterLayout() != "oihw" ||
      outType.getDimSize(0) != 1 || (conv.getResidual() && conv.getActivation() != "none"))
    return;
  OpBuilder b(conv);
  auto part = [&](int64_t first, int64_t count) -> mnn::Conv2DOp {
    Value filter = sliceRows(b, conv.getFilter(), first, count);
    Value bias = conv.getBias() ? sliceRows(b, conv.getBias(), first, count) : Value();
    if (!filter || (conv.getBias() && !bias))
      return {};
    auto c = cast<mnn::Conv2DOp>(b.clone(*conv));
    c.getFilterMutable().assign(filter);
    if (bias)
      c.getBiasMutable().assign(bias);
    c.getResidualMutable().clear();
    SmallVector<int64_t> shape(outType.getShape());
    shape[1] = count;
    c.getResult().setType(RankedTensorType::get(shape, outType.getElementType()));
    return c;
  };
  mnn::Conv2DOp whole = part(0, cout - rest), last = part(cout - rest, rest);
  if (!whole || !last) {
    if (whole)
      whole.erase();
    if (last)
      last.erase();
    return;
  }
  Value result = b.create<mnn::ConcatOp>(conv.getLoc(), outType, ValueRange{whole, last},
                                         b.getI64IntegerAttr(1));
  if (Value residual = conv.getResidual())
    result = b.create<mnn::AddOp>(conv.getLoc(), result, residual);
  conv.replaceAllUsesWith(result);
  conv.erase();
}

struct PackWeightsPass : mnn::impl::PackWeightsBase<PackWeightsPass> {
  using PackWeightsBase::PackWeightsBase;

  void runOnOperation() override {
    SmallVector<mnn::Conv2DOp> convs;
    getOperation().walk([&](mnn::Conv2DOp conv) { convs.push_back(conv); });
    for (mnn::Conv2DOp conv : convs)
      splitChannelRemainder(conv, block);
    // (original filter, group) -> packed filter
    llvm::DenseMap<std::pair<Value, int64_t>, Value> packedFilters;
    auto blockFor = [&](mnn::Conv2DOp conv) -> int64_t {
      int64_t og = conv.getOutputChannels() / conv.getGroup();
      // A 1x1 conv producing one pixel is a matrix-vector product (the
      // lowering makes it a matmul): it wants Cout contiguous (hwigo).
      auto outType = cast<RankedTensorType>(conv.getType());
      if (outType.getDimSize(2) == 1 && outType.getDimSize(3) == 1 &&
          conv.getGroup() == 1)
        return 0;
      if (int64_t wide = mnn::wideChannelLaneBlock(conv, block))
        return wide;
      return block > 0 && og % block == 0 ? (int64_t)block : 0;
    };
    // Columns of the Winograd GEMM's B panels: the lanes of mnn-tile's
    // matmul register tile (32 with 512-bit vectors, else 16), or fewer
    // when they do not divide Cout.
    auto winogradStrip = [&](mnn::Conv2DOp conv) -> int64_t {
      int64_t cout = conv.getOutputChannels();
      for (int64_t strip : {mnn::matmulLanes(block * 32), int64_t{16}, int64_t{8}})
        if (cout % strip == 0)
          return strip;
      return cout;
    };
    getOperation().walk([&](mnn::Conv2DOp conv) {
      if (conv.getFilterLayout() != "oihw")
        return;
      Value filter = conv.getFilter();
      ElementsAttr attr;
      if (!matchPattern(filter, m_Constant(&attr)))
        return;
      int64_t group = conv.getGroup();
      int64_t wino = winogradTile(conv, winograd, block);
      // A 1x1 or strided conv over a long reduction reads its input in pixel
      // panels, its weights blocked for that tile (BufferInfo.h).
      mnn::PackedInputTile packedInput =
          wino ? mnn::PackedInputTile{} : mnn::choosePackedInputTile(conv, block);
      // A pixel-lane 1x1 conv over 6k channels keeps them unblocked for
      // its 6-row tile.
      int64_t blk = packedInput.rows                       ? packedInput.lanes
                    : mnn::sixRowPixelLaneConv(conv, block) ? 0
                                                            : blockFor(conv);
      bool tileLanes = wino && winogradTilesAsLanes(conv, wino, block);
      // Keyed by group and block (or Winograd tile): they decide the layout.
      Value &packed = packedFilters[{filter, wino ? -(wino * 2 + tileLanes)
                                                  : group * 1024 + blk}];
      if (!packed) {
        ElementsAttr packedAttr =
            wino ? winogradFilter(attr, wino,
                                  tileLanes ? mnn::winograd::kRowPanel
                                            : winogradStrip(conv))
                 : packOihw(attr, group, blk);
        if (!packedAttr)
          return;
        // Right after the original constant, so it dominates all its users.
        OpBuilder b(filter.getContext());
        b.setInsertionPointAfterValue(filter);
        packed = b.create<mnn::ConstantOp>(filter.getLoc(),
                                           packedAttr.getType(), packedAttr);
      }
      conv.getFilterMutable().assign(packed);
      conv.setFilterLayout(wino == 4   ? (tileLanes ? "winograd4t" : "winograd4")
                           : wino == 2 ? (tileLanes ? "winograd2t" : "winograd2")
                           : blk       ? "bhwigo"
                                       : "hwigo");
      if (packedInput.rows)
        conv->setAttr(mnn::kPackedInputRowsAttr,
                      OpBuilder(conv).getI64IntegerAttr(packedInput.rows));
      // The output transform in whole target vectors where they are wider
      // than the transforms' 8 lanes: in the order LowerWinograd runs its
      // tiles, SqueezeNet's 3x3 expansions took 0.89x the time of the old
      // order with 16 lanes (AVX-512), 0.94x with 8.
      if (wino && block > mnn::winograd::kLanes && conv.getOutputChannels() % block == 0)
        conv->setAttr(mnn::kWinogradOutputLanesAttr, OpBuilder(conv).getI64IntegerAttr(block));
      if (int64_t lanes = wino ? 0 : mnn::chooseBlockedInputLanes(conv, block))
        conv->setAttr(mnn::kBlockedInputLanesAttr, OpBuilder(conv).getI64IntegerAttr(lanes));
    });
    // Matrix-vector products: rhs panels.
    llvm::DenseMap<Value, Value> panelRhs; // row-major rhs -> panels
    getOperation().walk([&](mnn::MatMulOp op) {
      if (!panelEligible(op, panel))
        return;
      Value rhs = op.getRhs();
      Value &packed = panelRhs[rhs];
      if (!packed) {
        ElementsAttr attr;
        matchPattern(rhs, m_Constant(&attr));
        ElementsAttr packedAttr = packPanels(attr, panel);
        if (!packedAttr)
          return;
        OpBuilder b(rhs.getContext());
        b.setInsertionPointAfterValue(rhs);
        packed = b.create<mnn::ConstantOp>(rhs.getLoc(), packedAttr.getType(),
                                           packedAttr);
      }
      op.getRhsMutable().assign(packed);
      op.setRhsPanel(panel);
    });
    // Drop the row-major and oihw constants nobody reads any more.
    llvm::SmallPtrSet<Operation *, 8> originals;
    for (auto &entry : panelRhs)
      originals.insert(entry.first.getDefiningOp());
    for (auto &entry : packedFilters)
      originals.insert(entry.first.first.getDefiningOp());
    for (Operation *def : originals)
      if (def && def->use_empty())
        def->erase();
  }
};

} // namespace
