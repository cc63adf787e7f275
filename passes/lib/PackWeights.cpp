//===- PackWeights.cpp - repack constant weights at compile time ----------===//
//
// conv2d with a constant "oihw" filter W [Cout, Cin/g, KH, KW] gets a new
// constant P [KH, KW, Cin/g, g, Cout/g] and filter_layout = "hwigo", with
//     P[kh][kw][ci][gi][co] = W[gi * Cout/g + co][ci][kh][kw].
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
ElementsAttr packOihwToHwigo(ElementsAttr attr, int64_t group) {
  auto type = cast<RankedTensorType>(attr.getType());
  auto bytes = mnn::getRawBytes(attr);
  if (!bytes || type.getRank() != 4 || type.getDimSize(0) % group != 0)
    return nullptr;
  int64_t cout = type.getDimSize(0), cin = type.getDimSize(1),
          kh = type.getDimSize(2), kw = type.getDimSize(3);
  int64_t coutPerGroup = cout / group;
  int64_t w = mnn::elementByteWidth(type.getElementType());
  auto packedType = RankedTensorType::get({kh, kw, cin, group, coutPerGroup},
                                          type.getElementType());
  std::vector<char> packed(bytes->size());
  char *dst = packed.data();
  for (int64_t h = 0; h < kh; ++h)
    for (int64_t x = 0; x < kw; ++x)
      for (int64_t ci = 0; ci < cin; ++ci)
        for (int64_t o = 0; o < cout; ++o, dst += w) // o = gi * Cout/g + co
          std::memcpy(dst, bytes->data() + (((o * cin + ci) * kh + h) * kw + x) * w,
                      w);
  return mnn::makeElements(packedType, packed);
}

struct PackWeightsPass : mnn::impl::PackWeightsBase<PackWeightsPass> {
  using PackWeightsBase::PackWeightsBase;

  void runOnOperation() override {
    // (original filter, group) -> packed filter
    llvm::DenseMap<std::pair<Value, int64_t>, Value> packedFilters;
    getOperation().walk([&](mnn::Conv2DOp conv) {
      if (conv.getFilterLayout() != "oihw")
        return;
      Value filter = conv.getFilter();
      ElementsAttr attr;
      if (!matchPattern(filter, m_Constant(&attr)))
        return;
      int64_t group = conv.getGroup();
      Value &packed = packedFilters[{filter, group}];
      if (!packed) {
        ElementsAttr packedAttr = packOihwToHwigo(attr, group);
        if (!packedAttr)
          return;
        // Right after the original constant, so it dominates all its users.
        OpBuilder b(filter.getContext());
        b.setInsertionPointAfterValue(filter);
        packed = b.create<mnn::ConstantOp>(filter.getLoc(),
                                           packedAttr.getType(), packedAttr);
      }
      conv.getFilterMutable().assign(packed);
      conv.setFilterLayout("hwigo");
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
