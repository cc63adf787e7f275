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
// matmul: a constant rhs [K, N] is left row-major. The vectorized kernel
// walks it along N, which is already contiguous; panel packing would need the
// tile sizes chosen later by mnn-tile and is not done here.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"

#include <cstring>

namespace mnn {
#define GEN_PASS_DEF_PACKWEIGHTS
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

/// Packs the oihw bytes of `attr` for `group` groups into hwigo, or returns
/// null if the constant cannot be read.
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

struct PackWeightsPass : mnn::impl::PackWeightsBase<PackWeightsPass> {
  using PackWeightsBase::PackWeightsBase;

  void runOnOperation() override {
    // (original filter, group) -> packed filter
    llvm::DenseMap<std::pair<Value, int64_t>, Value> packedFilters;
    auto blockFor = [&](mnn::Conv2DOp conv) -> int64_t {
      int64_t og = conv.getOutputChannels() / conv.getGroup();
      return block > 0 && og % block == 0 ? (int64_t)block : 0;
    };
    getOperation().walk([&](mnn::Conv2DOp conv) {
      if (conv.getFilterLayout() != "oihw")
        return;
      Value filter = conv.getFilter();
      ElementsAttr attr;
      if (!matchPattern(filter, m_Constant(&attr)))
        return;
      int64_t group = conv.getGroup();
      int64_t blk = blockFor(conv);
      // Keyed by group and block: both decide the packed layout.
      Value &packed = packedFilters[{filter, group * 1024 + blk}];
      if (!packed) {
        ElementsAttr packedAttr = packOihw(attr, group, blk);
        if (!packedAttr)
          return;
        // Right after the original constant, so it dominates all its users.
        OpBuilder b(filter.getContext());
        b.setInsertionPointAfterValue(filter);
        packed = b.create<mnn::ConstantOp>(filter.getLoc(),
                                           packedAttr.getType(), packedAttr);
      }
      conv.getFilterMutable().assign(packed);
      conv.setFilterLayout(blk ? "bhwigo" : "hwigo");
    });
    // Drop the oihw constants nobody reads any more.
    llvm::SmallPtrSet<Operation *, 8> originals;
    for (auto &entry : packedFilters)
      originals.insert(entry.first.first.getDefiningOp());
    for (Operation *def : originals)
      if (def && def->use_empty())
        def->erase();
  }
};

} // namespace
