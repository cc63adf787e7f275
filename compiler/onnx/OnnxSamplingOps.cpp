//===- OnnxSamplingOps.cpp - GridSample ----------------------------------===//
#include "compiler/onnx/NodeContext.h"

using namespace mlir;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

// Opset 16 names the modes bilinear/bicubic, opset 20 linear/cubic (and adds
// 3-D grids).
LogicalResult convertGridSample(NodeContext &n) {
  auto x = n.input(0, "X"), grid = n.input(1, "grid");
  if (failed(x) || failed(grid))
    return failure();
  if (!NodeContext::typeOf(*x).getElementType().isF32() ||
      !NodeContext::typeOf(*grid).getElementType().isF32())
    return n.fail("only float32 X and grid are supported");
  std::string mode = n.getString("mode", n.opset >= 20 ? "linear" : "bilinear");
  if (mode == "bilinear")
    mode = "linear";
  else if (mode == "bicubic")
    mode = "cubic";
  if (mode != "linear" && mode != "nearest" && mode != "cubic")
    return n.fail("unknown mode '" + mode + "'");
  std::string padding = n.getString("padding_mode", "zeros");
  if (padding != "zeros" && padding != "border" && padding != "reflection")
    return n.fail("unknown padding_mode '" + padding + "'");
  bool align = n.getInt("align_corners", 0) != 0;
  return n.setOutput(0, n.create<mnn::GridSampleOp>(*x, *grid, mode, padding,
                                                    align));
}

} // namespace

void addSamplingConverters(llvm::StringMap<Converter> &table) {
  table["GridSample"] = convertGridSample;
}

} // namespace mnn::onnx_import
