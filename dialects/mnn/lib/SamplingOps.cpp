//===- SamplingOps.cpp - shapes and checks of mnn.grid_sample -------------===//
#include "mnn/MNNDialect.h"

#include "mlir/IR/Diagnostics.h"

using namespace mlir;
using llvm::SmallVector;

LogicalResult mnn::GridSampleOp::inferReturnTypes(
    MLIRContext *, std::optional<Location> loc, ValueRange operands,
    DictionaryAttr attributes, OpaqueProperties properties, RegionRange regions,
    SmallVectorImpl<Type> &results) {
  Adaptor adaptor(operands, attributes, properties, regions);
  auto x = dyn_cast<RankedTensorType>(adaptor.getInput().getType());
  auto grid = dyn_cast<RankedTensorType>(adaptor.getGrid().getType());
  if (!x || !grid)
    return emitOptionalError(loc, "operands must be ranked tensors");
  int64_t dims = x.getRank() - 2;
  if ((dims != 2 && dims != 3) || grid.getRank() != x.getRank() ||
      grid.getDimSize(0) != x.getDimSize(0) ||
      grid.getShape().back() != dims)
    return emitOptionalError(
        loc, "X must be [N, C, H, W] or [N, C, D, H, W] and grid [N, ..., ",
        dims, "] with the same batch and rank");
  SmallVector<int64_t> out = {x.getDimSize(0), x.getDimSize(1)};
  for (int64_t d = 1; d <= dims; ++d)
    out.push_back(grid.getDimSize(d));
  results.push_back(RankedTensorType::get(out, x.getElementType()));
  return success();
}

LogicalResult mnn::GridSampleOp::verify() {
  StringRef mode = getMode(), padding = getPaddingMode();
  if (mode != "nearest" && mode != "linear" && mode != "cubic")
    return emitOpError("unknown mode '") << mode << "'";
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return emitOpError("unknown padding_mode '") << padding << "'";
  if (cast<RankedTensorType>(getGrid().getType()).getElementType() !=
      cast<RankedTensorType>(getInput().getType()).getElementType())
    return emitOpError("X and grid must have the same element type");
  return success();
}
