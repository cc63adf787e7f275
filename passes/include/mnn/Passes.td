//===- Passes.td - mnn compiler passes --------------------------*- tablegen -*-===//
//
// The pipeline, in order (compiler/Pipeline.cpp runs it):
//   graph:      mnn-widen-f16, mnn-fold-constants, mnn-fold-batchnorm,
//               mnn-fuse-epilogue, mnn-pack-weights
//   memory:     mnn-plan-memory, mnn-lower-to-linalg (bufferizes into the arena)
//   loops:      mnn-tile, mnn-vectorize, mnn-outline-parallel
//   llvm:       mnn-lower-to-llvm
//
//===----------------------------------------------------------------------===//
#ifndef MNN_PASSES_TD
#define MNN_PASSES_TD

include "mlir/Pass/PassBase.td"

def WidenF16 : Pass<"mnn-widen-f16", "mlir::func::FuncOp"> {
  let summary = "Compute f16 kernels (conv, matmul, pooling, reductions, "
                "softmax, layer norm, sampling) in f32";
  let description = [{
    Each such op on f16 tensors gets f32 operands through mnn.cast, computes
    in f32 and casts its results back to f16, as ONNX Runtime's CPU kernels
    do. The kernels then only need f32 and f64 versions, and f16 convs and
    matmuls use the f32 microkernel. The casts of constant operands fold.
  }];
  let dependentDialects = ["mnn::MNNDialect"];
}

def FoldConstants : Pass<"mnn-fold-constants", "mlir::func::FuncOp"> {
  let summary = "Evaluate ops whose operands are constants; drop dead ops";
  let description = [{
    Runs the op folders and the canonicalization patterns of the mnn dialect
    to a fixed point, then erases unused pure ops.
  }];
}

def FoldBatchNorm : Pass<"mnn-fold-batchnorm", "mlir::func::FuncOp"> {
  let summary = "Fold batch_norm into the producing conv2d, else into mul+add";
  let description = [{
    conv2d(x, W, b) -> batch_norm(scale, bias, mean, var, eps) becomes
    conv2d(x, W * s, (b - mean) * s + bias) with s = scale / sqrt(var + eps)
    when the conv has no other user. A batch_norm after anything else becomes
    a per-channel mul + add with constant operands.
  }];
  let dependentDialects = ["mnn::MNNDialect"];
}

def FuseEpilogue : Pass<"mnn-fuse-epilogue", "mlir::func::FuncOp"> {
  let summary = "Fuse bias, residual add and activation into conv2d/matmul";
  let description = [{
    Folds into the producing conv2d or matmul, when it has a single user:
    a per-channel (conv) or per-column (matmul) constant add as bias, an add
    of another tensor of the same type as residual, and then relu, clip,
    hard_swish, hard_sigmoid or sigmoid as the activation.
  }];
  let dependentDialects = ["mnn::MNNDialect"];
}

def PackWeights : Pass<"mnn-pack-weights", "mlir::func::FuncOp"> {
  let summary = "Choose kernel layouts and repack constant weights for them";
  let description = [{
    Rewrites constant conv2d filters from ONNX oihw to hwigo
    ([KH, KW, Cin/g, g, Cout/g]), the order in which the generated kernel
    walks them, so that the weights it loads together are contiguous. With
    block = B (the target's f32 lanes), output channels are blocked by B
    outermost: bhwigo ([Cout/g/B, KH, KW, Cin/g, g, B]), so one register
    tile's weights are one contiguous run. Done at compile time: no
    repacking happens at run time.

    With winograd = auto, f2 or f4, f32 convs with a constant 3x3 filter,
    stride 1, dilation 1, group 1 and Cin, Cout multiples of 8 (auto: at
    least 16) get the filter transformed for Winograd F(4,3) or F(2,3):
    U = G g G^T, layout "winograd4"/"winograd2" ([(m+2)^2, Cout/S, Cin, S],
    S = the matmul microkernel's lanes, 2 * block or 32 for block 16).
    auto picks F(4,3) (4x the weights) where it makes at least 32 tiles,
    else F(2,3) (1.78x) where that makes at least 16, else a direct conv;
    f2/f4 force one tile size on every eligible conv.

    With panel = S > 0, an f32 matrix-vector product (a matmul whose lhs
    has one row) with a constant 2-D rhs [K, N], N >= S, gets the rhs
    stored flat as column panels of S (rhs_panel = S, see mnn.matmul): its
    register tile of S columns then streams one contiguous panel instead
    of S columns of every row (a strided walk over the whole matrix).
  }];
  let options = [
    Option<"block", "block", "int64_t", "0",
           "Output-channel block (0: no blocking)">,
    Option<"panel", "panel", "int64_t", "0",
           "Column panel of a matrix-vector product's constant rhs "
           "(0: row-major)">,
    Option<"winograd", "winograd", "std::string", "\"off\"",
           "Winograd 3x3 convs: off, auto, f2 or f4">,
  ];
  let dependentDialects = ["mnn::MNNDialect"];
}

def FoldChannelScale : Pass<"mnn-fold-channel-scale", "mlir::func::FuncOp"> {
  let summary = "Move a run-time input-channel scale of a conv into its weights";
  let description = [{
    conv2d(x * s, W) with s [1, C, 1, 1] (a squeeze-and-excitation gate) and
    the product read only by the conv becomes conv2d(x, W * s'), s' the
    scale reshaped along the filter layout's input-channel dim, where the
    filter has no more elements than x or s is a constant (group 1, f32;
    s may also be [C, 1, 1]).
  }];
  let dependentDialects = ["mnn::MNNDialect"];
}

def PlanMemory : Pass<"mnn-plan-memory", "mlir::func::FuncOp"> {
  let summary = "Assign every intermediate tensor an offset in one arena";
  let description = [{
    Computes the live range of each tensor in program order and places the
    buffers greedily by decreasing size, each at the lowest 64-byte aligned
    offset that does not overlap a buffer live at the same time. Annotates each op
    result with `mnn.offset`, the function with `mnn.arena_bytes` and
    `mnn.unplanned_bytes` (the sum of all intermediate tensors, the size
    without reuse). Results that are function results, constants or views of
    another buffer get no offset.
  }];
}

def LowerToLinalg : Pass<"mnn-lower-to-linalg", "mlir::ModuleOp"> {
  let summary = "Bufferize the graph into the arena and lower ops to linalg";
  let description = [{
    The entry function becomes `@__mnn_main(inputs..., outputs..., arena,
    pool)` on memrefs. Each tensor lives at its planned arena offset (or in an
    output buffer when it is returned); constants become memref.global.
    Every mnn op becomes linalg ops on those buffers. Heavy ops carry
    `mnn.kernel` so that tiling can pick their schedule.

    With `profile`, the code of op i is bracketed by calls to the runtime's
    mnnrt_profile_begin(i) / mnnrt_profile_end(i), and the module gets
    `mnn.profile_ops`, the names of the ops in that order.
  }];
  let options = [
    Option<"profile", "profile", "bool", "false",
           "Time every op at run time (runtime profile hooks)">,
  ];
  let dependentDialects = [
    "mlir::linalg::LinalgDialect", "mlir::memref::MemRefDialect",
    "mlir::arith::ArithDialect", "mlir::math::MathDialect",
    "mlir::LLVM::LLVMDialect", "mlir::func::FuncDialect",
    "mlir::scf::SCFDialect", "mlir::vector::VectorDialect"
  ];
}

def Tile : Pass<"mnn-tile", "mlir::func::FuncOp"> {
  let summary = "Tile linalg ops: parallel outer tiles, register tiles inside";
  let description = [{
    Outer tiles become scf.parallel (independent chunks of output for the
    thread pool); inner tiles become scf.for loops whose bodies are
    register-sized linalg ops marked with mnn.rows_dim and mnn.cols_dim.
  }];
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Width of the target's vector registers">,
    Option<"channelLanes", "channel-lanes", "int64_t", "0",
           "Output channels per register tile of the channel-lane conv "
           "schedule (the weight packing block); 0: one register of f32">,
    Option<"cacheBytes", "cache-bytes", "int64_t", "24576",
           "Bytes of L1 data cache a channel-lane conv's reduction block "
           "(its input rows and packed weights) may fill; 0: no reduction "
           "blocking">,
    Option<"l2Bytes", "l2-bytes", "int64_t", "393216",
           "Bytes of L2 an operand re-read by every parallel tile of a conv "
           "may take and still be re-read from L2 (loop order); 0: not "
           "considered">,
    Option<"spreadPrefetch", "spread-prefetch", "bool", "true",
           "Keep mnn.prefetch_spread (row tiles that share a weight panel "
           "split the next panel's prefetches); false: each tile prefetches "
           "lines at its own step">,
  ];
  let dependentDialects = ["mlir::scf::SCFDialect", "mlir::affine::AffineDialect"];
}

def Vectorize : Pass<"mnn-vectorize", "mlir::func::FuncOp"> {
  let summary = "Vectorize register tiles and hoist accumulators";
  let description = [{
    Rewrites each register tile left by mnn-tile (a multiply-accumulate
    linalg.generic marked mnn.rows_dim/mnn.cols_dim) into a microkernel:
    R accumulator vectors loaded once, scf.for loops over the reduction dims
    carrying them, one vector.fma per row and step (the operand that does not
    vary along the lanes is broadcast), masked loads/stores for partial edge
    tiles. Other linalg ops are left to be lowered to loops.
  }];
  let options = [
    Option<"indexedLanes", "indexed-lanes", "int64_t", "0",
           "Lanes of the register a lane-indexed FMA takes its scalar operand "
           "from (4 for AArch64 NEON); per-row operands contiguous along the "
           "rows or the innermost reduction dim are then loaded that many at "
           "a time. 0: one scalar load + broadcast per row">,
    Option<"evenOddLaneBlock", "even-odd-lane-block", "int64_t", "0",
           "8 where the cheapest pick of the even or odd elements of two "
           "registers permutes lanes within blocks of 8 (x86 with 256-bit "
           "vectors: vshufps): tiles reading their lanes with stride 2 then "
           "keep that order and restore it at the store. 0: picks keep the "
           "order (NEON uzp1/uzp2, AVX-512 vpermt2ps)">,
  ];
  let dependentDialects = ["mlir::vector::VectorDialect", "mlir::scf::SCFDialect"];
}

def OutlineParallel : Pass<"mnn-outline-parallel", "mlir::ModuleOp"> {
  let summary = "Turn scf.parallel into tasks for the runtime thread pool";
  let description = [{
    Each top-level scf.parallel becomes a function `@__mnn_task_N(args of main...,
    begin, end)` that runs the linearized iterations [begin, end), and the
    loop is replaced by a call to `@__mnn_parallel_N(args of main..., count)`,
    whose body (emitted at LLVM level) calls mnnrt_parallel_for.
  }];
  let dependentDialects = ["mlir::func::FuncDialect", "mlir::scf::SCFDialect"];
}

def LowerToLLVM : Pass<"mnn-lower-to-llvm", "mlir::ModuleOp"> {
  let summary = "Lower scf/vector/memref/arith/math to the LLVM dialect";
  let options = [
    Option<"vectorBits", "vector-bits", "int64_t", "256",
           "Width of the target's vector registers">,
  ];
  let dependentDialects = [
    "mlir::LLVM::LLVMDialect", "mlir::cf::ControlFlowDialect",
    "mlir::index::IndexDialect", "mlir::vector::VectorDialect",
    "mlir::scf::SCFDialect", "mlir::memref::MemRefDialect",
    "mlir::math::MathDialect", "mlir::arith::ArithDialect"
  ];
}

#endif // MNN_PASSES_TD
