//===- MNNSpatialOps.td - padding, broadcast, resampling ---*- tablegen -*-===//
//
// Spatial and shape ops. Included at the end of MNNOps.td. ONNX ops with more
// structure (Resize, ConvTranspose, Tile, DepthToSpace, the normalizations)
// are decomposed by the importer into these and the core ops.
//
//===----------------------------------------------------------------------===//

#ifndef MNN_SPATIAL_OPS_TD
#define MNN_SPATIAL_OPS_TD

def MNN_PadOp : MNN_InferredOp<"pad"> {
  let summary = "Pads every dim: mode = constant | reflect | edge | wrap";
  let description = [{
    pads are [begin of dim 0, ..., begin of dim r-1, end of dim 0, ...], all non-negative
    (the importer turns negative ONNX pads into a slice). value fills the
    border in constant mode (converted to the element type).
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$mode,
      DenseI64ArrayAttr:$pads, DefaultValuedAttr<F64Attr, "0.0">:$value);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_BroadcastOp : MNN_Op<"broadcast", [Pure]> {
  let summary = "Numpy broadcast of the input to the static result shape";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def MNN_ResampleOp : MNN_InferredOp<"resample"> {
  let summary = "Resampling along one axis by a table of taps (Resize)";
  let description = [{
    output[.., o, ..] = sum over t < taps of
        weights[o * taps + t] * input[.., indices[o * taps + t], ..]
    along `axis`; the output has indices.size() / taps entries along it.
    An index of -1 in the first tap marks a position outside the input
    (tf_crop_and_resize): the output there is extrapolation_value. Nearest
    neighbour is one tap of weight 1, linear two taps, cubic four. The
    importer computes the tables from the ONNX Resize attributes, so every
    coordinate transformation and rounding mode is handled there.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis, I64Attr:$taps,
      DenseI64ArrayAttr:$indices, DenseF32ArrayAttr:$weights,
      DefaultValuedAttr<F32Attr, "0.0f">:$extrapolation_value);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    /// One tap of weight 1 and no extrapolation: a pure gather.
    bool isGather();
  }];
}

#endif // MNN_SPATIAL_OPS_TD
