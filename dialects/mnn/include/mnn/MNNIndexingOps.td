//===- MNNIndexingOps.td - indexing, arg/top-k, scans ------*- tablegen -*-===//
//
// Included at the end of MNNOps.td. Ops that pick, scatter or rank elements
// by index, plus the scans and row-wise normalizations that go with them.
// Index inputs are i32 or i64 (any integer type); negative indices wrap once,
// and out-of-range ones are clamped so that no kernel reads or writes outside
// its buffers. Shapes are inferred in dialects/mnn/lib/IndexingOps.cpp.
//
//===----------------------------------------------------------------------===//

#ifndef MNN_INDEXING_OPS_TD
#define MNN_INDEXING_OPS_TD

def MNN_ArgTopKOp : MNN_InferredOp<"arg_top_k"> {
  let summary = "Indices (i64) of the k largest or smallest along axis";
  let description = [{
    The result has the input's shape with dim `axis` replaced by k and holds
    the indices of the selected elements in order: best first. Ties go to
    the lower index, or the higher one with last_index (ArgMax's
    select_last_index). ArgMax/ArgMin are k = 1; TopK's values are a
    gather_elements of the input at these indices.
  }];
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis, I64Attr:$k,
      BoolAttr:$largest, BoolAttr:$last_index);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_GatherElementsOp : MNN_InferredOp<"gather_elements"> {
  let summary = "ONNX GatherElements: out[p] = data[p with p[axis] = idx[p]]";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
      I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_GatherNDOp : MNN_InferredOp<"gather_nd"> {
  let summary = "ONNX GatherND with batch_dims";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
      I64Attr:$batch_dims);
  let results = (outs AnyRankedTensor:$output);
}

// reduction: none | add | mul | max | min. Updates are applied in row-major
// order of `updates`, so with "none" the last duplicate wins.
def MNN_ScatterElementsOp : MNN_InferredOp<"scatter_elements"> {
  let summary = "ONNX ScatterElements: data with updates written at indices";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
      AnyRankedTensor:$updates, I64Attr:$axis, StrAttr:$reduction);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_ScatterNDOp : MNN_InferredOp<"scatter_nd"> {
  let summary = "ONNX ScatterND: data with update slices written at indices";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
      AnyRankedTensor:$updates, StrAttr:$reduction);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_OneHotOp : MNN_InferredOp<"one_hot"> {
  let summary = "values[1] where the index matches, values[0] elsewhere";
  let description = [{
    The output is the indices' shape with a dim of size depth inserted at
    axis. Negative indices count from depth; indices outside [-depth, depth)
    match nothing (ONNX OneHot). values holds [off, on].
  }];
  let arguments = (ins AnyRankedTensor:$indices, AnyRankedTensor:$values,
      I64Attr:$depth, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_TriluOp : MNN_InferredOp<"trilu"> {
  let summary = "Keeps the upper (col - row >= k) or lower (<= k) triangle";
  let arguments = (ins AnyRankedTensor:$input, BoolAttr:$upper, I64Attr:$k);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_CumSumOp : MNN_InferredOp<"cumsum"> {
  let summary = "Running sum (or with `product`, product) along axis "
                "(ONNX CumSum, CumProd)";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis,
      BoolAttr:$exclusive, BoolAttr:$reverse, UnitAttr:$product);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_LogSoftmaxOp : MNN_InferredOp<"log_softmax"> {
  let summary = "x - max - log(sum(exp(x - max))) along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_ClassWeightOp : MNN_InferredOp<"class_weight"> {
  let summary = "Per-target loss weight: weight[t] (or 1), 0 where ignored";
  let description = [{
    For NegativeLogLikelihoodLoss: f32 result of the target's shape. Targets
    equal to ignore_index (when has_ignore) weigh 0; others are clamped to
    [0, classes) before indexing weight.
  }];
  let arguments = (ins AnyRankedTensor:$target,
      Optional<AnyRankedTensor>:$weight, I64Attr:$classes,
      BoolAttr:$has_ignore, I64Attr:$ignore_index);
  let results = (outs AnyRankedTensor:$output);
}

#endif // MNN_INDEXING_OPS_TD
