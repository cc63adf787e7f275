// RegisterTiledLoops: keeps LLVM's loop unroller off the microkernels that
// mnn-vectorize already register-tiled.
#ifndef MNN_CODEGEN_REGISTERTILEDLOOPS_H
#define MNN_CODEGEN_REGISTERTILEDLOOPS_H

namespace llvm {
class Module;
} // namespace llvm

namespace mnn::codegen {

/// Marks every innermost loop whose vector accumulators (the header's
/// phis of float vectors), one register each, take at least 3/4 of the
/// target's `vectorRegisters` registers of `vectorBits` with
/// llvm.loop.unroll.disable and llvm.loop.interleave.count 1, and returns
/// how many it marked. Such a loop is a register tile with a broadcast per
/// FMA: it has enough independent FMA chains, and unrolled by two the
/// scheduler interleaves the steps' broadcasts until accumulators spill.
/// With znver3's unrolling preferences (--cpu=native on Zen 3) LLVM
/// unrolled SqueezeNet's classifier tile (12 accumulators of 8 lanes) by
/// two and spilled 4 of them: 1.6x the time of the rolled loop, the
/// network 1.13-1.23x.
unsigned keepRegisterTiledLoopsRolled(llvm::Module &module, unsigned vectorBits,
                                      unsigned vectorRegisters);

} // namespace mnn::codegen

#endif // MNN_CODEGEN_REGISTERTILEDLOOPS_H
