//===- MNNOps.td - the mnn graph dialect ------------------------*- tablegen -*-===//
//
// Graph-level ops imported from ONNX. All tensors have static shapes; the
// importer resolves every symbolic dim. Each op infers its result type, so the
// verifier checks shapes for free, and small constant subgraphs (shape
// arithmetic) fold away through the op folders.
//
//===----------------------------------------------------------------------===//

#ifndef MNN_OPS_TD
#define MNN_OPS_TD

include "mlir/IR/OpBase.td"
include "mlir/Interfaces/InferTypeOpInterface.td"
include "mlir/Interfaces/SideEffectInterfaces.td"

def MNN_Dialect : Dialect {
  let name = "mnn";
  let cppNamespace = "::mnn";
  let summary = "Graph dialect of the mnn ahead-of-time compiler";
  let description = [{
    Ops mirror ONNX operators after import: static shapes, attributes
    normalized (pads as [top, left, bottom, right], negative axes resolved).
    Conv and matmul carry a fused epilogue (bias, residual add, activation)
    filled in by the fusion passes.
  }];
  let hasConstantMaterializer = 1;
}

class MNN_Op<string mnemonic, list<Trait> traits = []>
    : Op<MNN_Dialect, mnemonic, traits>;

// Shared declarations: inferReturnTypes is implemented by a free function of
// ShapeInference.cpp named after the op class.
class MNN_InferredOp<string mnemonic, list<Trait> traits = []>
    : MNN_Op<mnemonic, traits # [Pure,
          DeclareOpInterfaceMethods<InferTypeOpInterface>]> {
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Constants
//===----------------------------------------------------------------------===//

def MNN_ConstantOp : MNN_InferredOp<"constant", [ConstantLike]> {
  let summary = "A constant tensor (weights, folded shapes)";
  let arguments = (ins ElementsAttr:$value);
  let results = (outs AnyStaticShapeTensor:$output);
  let hasFolder = 1;
  let assemblyFormat = "attr-dict $value";
}

//===----------------------------------------------------------------------===//
// Elementwise
//===----------------------------------------------------------------------===//

// Numpy-broadcasting binary ops.
class MNN_BinaryOp<string mnemonic, list<Trait> traits = []>
    : MNN_InferredOp<mnemonic, traits> {
  let arguments = (ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def MNN_AddOp : MNN_BinaryOp<"add", [Commutative]> { let summary = "lhs + rhs"; }
def MNN_SubOp : MNN_BinaryOp<"sub"> { let summary = "lhs - rhs"; }
def MNN_MulOp : MNN_BinaryOp<"mul", [Commutative]> { let summary = "lhs * rhs"; }
def MNN_DivOp : MNN_BinaryOp<"div"> { let summary = "lhs / rhs"; }
def MNN_PowOp : MNN_BinaryOp<"pow"> { let summary = "lhs ^ rhs"; }

// Shape-preserving unary ops.
class MNN_UnaryOp<string mnemonic, dag attrs = (ins)>
    : MNN_InferredOp<mnemonic> {
  let arguments = !con((ins AnyRankedTensor:$input), attrs);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def MNN_NegOp : MNN_UnaryOp<"neg"> { let summary = "-x"; }
def MNN_ReluOp : MNN_UnaryOp<"relu"> { let summary = "max(x, 0)"; }
def MNN_SigmoidOp : MNN_UnaryOp<"sigmoid"> { let summary = "1 / (1 + exp(-x))"; }
def MNN_TanhOp : MNN_UnaryOp<"tanh"> { let summary = "tanh(x)"; }
def MNN_ExpOp : MNN_UnaryOp<"exp"> { let summary = "exp(x)"; }
def MNN_SqrtOp : MNN_UnaryOp<"sqrt"> { let summary = "sqrt(x)"; }
def MNN_ErfOp : MNN_UnaryOp<"erf"> { let summary = "erf(x)"; }
def MNN_ReciprocalOp : MNN_UnaryOp<"reciprocal"> { let summary = "1 / x"; }
def MNN_HardSwishOp : MNN_UnaryOp<"hard_swish"> {
  let summary = "x * clip(x / 6 + 0.5, 0, 1)";
}
def MNN_GeluOp : MNN_UnaryOp<"gelu",
    (ins DefaultValuedStrAttr<StrAttr, "none">:$approximate)> {
  let summary = "Gelu; approximate = none (erf form) or tanh";
}
def MNN_HardSigmoidOp : MNN_UnaryOp<"hard_sigmoid",
    (ins F32Attr:$alpha, F32Attr:$beta)> {
  let summary = "clip(alpha * x + beta, 0, 1)";
}
def MNN_ClipOp : MNN_UnaryOp<"clip", (ins F32Attr:$min, F32Attr:$max)> {
  let summary = "min(max(x, min), max)";
}

def MNN_CastOp : MNN_Op<"cast", [Pure]> {
  let summary = "Element type conversion (ONNX Cast)";
  let description = [{
    Float targets round to nearest even. `saturate` (ONNX's attribute, used
    for the float8 targets only) clamps out-of-range values and infinities to
    the largest finite value; without it they become inf or NaN.
  }];
  let arguments = (ins AnyRankedTensor:$input,
                   DefaultValuedAttr<BoolAttr, "true">:$saturate);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

//===----------------------------------------------------------------------===//
// Compute-heavy ops with a fused epilogue
//===----------------------------------------------------------------------===//

// Epilogue, applied in this order to the accumulator:
//   + bias (broadcast per output channel / last dim), + residual, activation.
// activation: none | relu | clip (clip_min, clip_max) | hard_swish |
//             hard_sigmoid (alpha = clip_min, beta = clip_max) | sigmoid
defvar MNN_EpilogueAttrs = (ins
    DefaultValuedStrAttr<StrAttr, "none">:$activation,
    DefaultValuedAttr<F32Attr, "0.0f">:$clip_min,
    DefaultValuedAttr<F32Attr, "0.0f">:$clip_max);

def MNN_Conv2DOp : MNN_InferredOp<"conv2d", [AttrSizedOperandSegments]> {
  let summary = "2-D convolution, NCHW activations, optionally grouped";
  let description = [{
    filter_layout is "oihw" as imported ([Cout, Cin/group, KH, KW]) or, after
    layout selection, "hwigo": [KH, KW, Cin/group, group, Cout/group], the
    order in which the generated kernel reads it, or "bhwigo":
    [Cout/group/B, KH, KW, Cin/group, group, B], the same with output
    channels blocked by B outermost, or "winograd4" / "winograd2": a 3x3
    stride-1 filter (group 1) transformed for Winograd F(4,3) / F(2,3),
    [(m+2)^2, Cout/S, Cin, S] with U[i*(m+2)+j][co/S][ci][co%S] =
    (G g G^T)[i][j] (panels of S output channels), or "winograd4t" /
    "winograd2t": the same with S = 4, for the tiles-as-lanes GEMM.
    pads: [top, left, bottom, right].
  }];
  let arguments = !con((ins AnyRankedTensor:$input, AnyRankedTensor:$filter,
      Optional<AnyRankedTensor>:$bias, Optional<AnyRankedTensor>:$residual,
      DenseI64ArrayAttr:$strides, DenseI64ArrayAttr:$pads,
      DenseI64ArrayAttr:$dilations, I64Attr:$group,
      DefaultValuedStrAttr<StrAttr, "oihw">:$filter_layout),
      MNN_EpilogueAttrs);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
  let extraClassDeclaration = [{
    int64_t getOutputChannels();
    int64_t getKernelH();
    int64_t getKernelW();
  }];
}

def MNN_MatMulOp : MNN_InferredOp<"matmul", [AttrSizedOperandSegments]> {
  let summary = "Numpy matmul with broadcast batch dims and a fused epilogue";
  let description = [{
    rhs_panel = 0: rhs as imported. rhs_panel = S > 0 (after weight
    packing): rhs is a 2-D [K, N] matrix (K = the lhs's last dim) stored
    flat, [K * N], as column panels of S: the full panels [N / S, K, S],
    then the last N % S columns as [K, N % S]. A matrix-vector product
    then streams each panel in order instead of S columns of every row.
  }];
  let arguments = !con((ins AnyRankedTensor:$lhs, AnyRankedTensor:$rhs,
      Optional<AnyRankedTensor>:$bias, Optional<AnyRankedTensor>:$residual),
      MNN_EpilogueAttrs, (ins DefaultValuedAttr<I64Attr, "0">:$rhs_panel));
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

def MNN_BatchNormOp : MNN_InferredOp<"batch_norm"> {
  let summary = "Inference batch normalization over dim 1";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
      AnyRankedTensor:$bias, AnyRankedTensor:$mean, AnyRankedTensor:$variance,
      F32Attr:$epsilon);
  let results = (outs AnyRankedTensor:$output);
}

//===----------------------------------------------------------------------===//
// Normalizations and reductions
//===----------------------------------------------------------------------===//

def MNN_SoftmaxOp : MNN_InferredOp<"softmax"> {
  let summary = "Softmax along one axis";
  let arguments = (ins AnyRankedTensor:$input, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_LayerNormOp : MNN_InferredOp<"layer_norm"> {
  let summary = "Normalizes over dims [axis, rank); scale and bias broadcast";
  let arguments = (ins AnyRankedTensor:$input, AnyRankedTensor:$scale,
      Optional<AnyRankedTensor>:$bias, I64Attr:$axis, F32Attr:$epsilon);
  let results = (outs AnyRankedTensor:$output);
}

def MNN_ReduceOp : MNN_InferredOp<"reduce"> {
  let summary = "Reduction over axes";
  let description = [{
    kind: sum | mean | max | min | prod | l1 (sum |x|) | l2 (sqrt of the sum
    of squares) | sum_square | log_sum (log of the sum).
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$kind,
      DenseI64ArrayAttr:$axes, BoolAttr:$keepdims);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

def MNN_Pool2DOp : MNN_InferredOp<"pool2d"> {
  let summary = "Max or average pooling over NCHW";
  let description = [{
    pads are [top, left, bottom, right] and already include the extra bottom
    and right padding that ceil_mode adds. For average pooling with
    count_include_pad = false, only the in-bounds elements are counted, and
    with true the explicit pads (not the ceil_mode extension) are counted.
  }];
  let arguments = (ins AnyRankedTensor:$input, StrAttr:$kind,
      DenseI64ArrayAttr:$kernel, DenseI64ArrayAttr:$strides,
      DenseI64ArrayAttr:$pads, DenseI64ArrayAttr:$dilations,
      BoolAttr:$count_include_pad,
      DenseI64ArrayAttr:$counted_pads);
  let results = (outs AnyRankedTensor:$output);
  let hasVerifier = 1;
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

def MNN_TransposeOp : MNN_InferredOp<"transpose"> {
  let summary = "Permutes dims: output dim i is input dim perm[i]";
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$perm);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_ReshapeOp : MNN_Op<"reshape", [Pure]> {
  let summary = "Reshape to the static result type (same element count)";
  let arguments = (ins AnyRankedTensor:$input);
  let results = (outs AnyStaticShapeTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
  let assemblyFormat =
      "operands attr-dict `:` functional-type(operands, results)";
}

def MNN_ConcatOp : MNN_InferredOp<"concat"> {
  let summary = "Concatenation along axis";
  let arguments = (ins Variadic<AnyRankedTensor>:$inputs, I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
}

def MNN_SliceOp : MNN_InferredOp<"slice"> {
  let summary = "Strided slice with static, normalized starts and steps";
  let description = [{
    For every dim: output[i] = input[starts[d] + i * steps[d]], sizes[d]
    elements. starts are in range and steps non-zero (negative steps walk
    backwards).
  }];
  let arguments = (ins AnyRankedTensor:$input, DenseI64ArrayAttr:$starts,
      DenseI64ArrayAttr:$sizes, DenseI64ArrayAttr:$steps);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

def MNN_GatherOp : MNN_InferredOp<"gather"> {
  let summary = "ONNX Gather: takes slices of data along axis at indices";
  let arguments = (ins AnyRankedTensor:$data, AnyRankedTensor:$indices,
      I64Attr:$axis);
  let results = (outs AnyRankedTensor:$output);
  let hasFolder = 1;
  let hasVerifier = 1;
}

include "mnn/MNNSamplingOps.td"
include "mnn/MNNElementwiseOps.td"
include "mnn/MNNIndexingOps.td"
include "mnn/MNNSpatialOps.td"

#endif // MNN_OPS_TD
