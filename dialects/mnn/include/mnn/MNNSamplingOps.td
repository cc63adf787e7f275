//===- MNNSamplingOps.td - sampling at computed coordinates -*- tablegen -*-===//
//
// Included from MNNOps.td.
//
//===----------------------------------------------------------------------===//

def MNN_GridSampleOp : MNN_InferredOp<"grid_sample"> {
  let summary = "ONNX GridSample: samples X at the normalized grid points";
  let description = [{
    X is [N, C, spatial...] with 2 or 3 spatial dims, grid [N, out spatial...,
    dims] with coordinates in [-1, 1] (x first, so reversed against X's
    dims); the result is [N, C, out spatial...]. mode: nearest | linear |
    cubic; padding_mode: zeros | border | reflection.
  }];
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$grid,
      StrAttr:$mode, StrAttr:$padding_mode, BoolAttr:$align_corners);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}
