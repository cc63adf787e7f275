//===- MNNElementwiseOps.td - the long tail of elementwise ops -*- tablegen -*-===//
//
// Generic elementwise ops named by a string attribute, so that adding a math
// function or a comparison needs no new op. The frequent activations keep
// their own ops (relu, clip, sigmoid, ... in MNNOps.td) because the epilogue
// fusion matches them.
//
// Element types: ONNX signedness stays in the tensor type (ui8, ui16, ...;
// signless integers are signed), bool is i1. The lowering stores every
// integer signless and bool as one byte.
//
//===----------------------------------------------------------------------===//

#ifndef MNN_ELEMENTWISE_OPS_TD
#define MNN_ELEMENTWISE_OPS_TD

def MNN_UnaryFnOp : MNN_InferredOp<"unary_fn"> {
  let summary = "Shape- and type-preserving elementwise function";
  let description = [{
    fn (alpha, beta as noted):
      float: ceil floor round (half to even) log sin cos tan asin acos atan
             sinh cosh asinh acosh atanh softplus softsign mish
             elu (alpha) selu (alpha, beta = gamma) celu (alpha)
             leaky_relu (alpha) thresholded_relu (alpha)
             shrink (alpha = lambd, beta = bias)
      float or integer: abs sign shrink
      integer: bitwise_not
      bool: not
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$fn,
      DefaultValuedAttr<F32Attr, "0.0f">:$alpha,
      DefaultValuedAttr<F32Attr, "0.0f">:$beta);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_BinaryFnOp : MNN_InferredOp<"binary_fn"> {
  let summary = "Numpy-broadcasting binary function, same element types";
  let description = [{
    fn: max min (any numeric), mod (Python-style sign: the divisor's; integers),
    fmod (C fmod: the dividend's sign), prelu (x < 0 ? x * rhs : x),
    and or xor (bool or integer, bitwise), shl shr (unsigned integers; shr is
    logical; shift amounts >= the bit width give 0).
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs, StrAttr:$fn);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_CompareOp : MNN_InferredOp<"compare"> {
  let summary = "Broadcasting comparison with a bool (i1) result";
  let description = [{
    predicate: eq lt gt le ge. Unsigned integer types compare unsigned;
    float comparisons with NaN are false.
  }];
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
      StrAttr:$predicate);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_SelectOp : MNN_InferredOp<"select"> {
  let summary = "ONNX Where: condition ? x : y, all three broadcast";
  let arguments = (ins AnyRankedTensor:$condition, AnyRankedTensor:$x,
      AnyRankedTensor:$y);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def MNN_IsClassOp : MNN_InferredOp<"is_class"> {
  let summary = "Float classification with a bool (i1) result";
  let description = [{
    kind: nan, inf (either sign), pos_inf, neg_inf.
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$kind);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_BitCastOp : MNN_Op<"bitcast", [Pure]> {
  let summary = "Reinterprets each element's bytes as another type of the "
                "same width (ONNX BitCast)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

#endif // MNN_ELEMENTWISE_OPS_TD
