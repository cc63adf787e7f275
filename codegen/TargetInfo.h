// TargetInfo: which CPU a model is compiled for.
//
// Resolves a user-level TargetSpec (arch, optional --cpu, optional feature
// string) into an LLVM triple, CPU and feature set, validates names against
// the target's MCSubtargetInfo, answers the questions tiling/vectorization
// asks (vector width, FMA, register count) and owns the llvm::TargetMachine
// that optimizes and emits the object.
#ifndef MNN_CODEGEN_TARGETINFO_H
#define MNN_CODEGEN_TARGETINFO_H

#include "llvm/ADT/StringRef.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/Support/Error.h"
#include "llvm/TargetParser/Triple.h"

#include <memory>
#include <string>

namespace llvm {
class MCSubtargetInfo;
class Target;
class TargetMachine;
} // namespace llvm

namespace mnn::codegen {

/// What the user asked for. Empty cpu/features mean the defaults:
///   x86_64:  cpu "x86-64-v3" (AVX2 + FMA baseline)
///   aarch64: cpu "generic" with "+neon" (runs on Cortex-A76 and newer)
struct TargetSpec {
  std::string arch;     ///< "x86_64" or "aarch64"
  std::string cpu;      ///< LLVM CPU name, e.g. "skylake-avx512", "cortex-a76"
  std::string features; ///< comma-separated, e.g. "+dotprod,+fp16" or "-avx512f"
};

/// Registers the X86 and AArch64 targets (info, MC, codegen, asm printer)
/// with LLVM. Idempotent and thread-safe; TargetInfo::create calls it.
void initializeCodegenTargets();

/// The architectures the back end supports, for --help texts.
llvm::StringRef supportedArchitectures(); // "x86_64, aarch64"

class TargetInfo {
public:
  /// Validates `spec` and creates the TargetMachine (PIC, -O3 codegen,
  /// function/data sections so the linker can drop unused code and weights).
  /// Errors name the unknown arch, CPU or feature.
  static llvm::Expected<TargetInfo> create(const TargetSpec &spec);

  TargetInfo(TargetInfo &&) noexcept;
  TargetInfo &operator=(TargetInfo &&) noexcept;
  ~TargetInfo();

  const std::string &arch() const { return arch_; }
  const llvm::Triple &triple() const { return triple_; }
  /// Resolved CPU name (the default when the spec left it empty).
  const std::string &cpu() const { return cpu_; }
  /// Resolved feature string given to LLVM (defaults + user features).
  const std::string &features() const { return features_; }
  const llvm::DataLayout &dataLayout() const { return dataLayout_; }
  llvm::TargetMachine &targetMachine() const { return *targetMachine_; }
  /// A new TargetMachine with the same triple, CPU, features and options
  /// (one per code generation thread: a TargetMachine is not thread-safe).
  std::unique_ptr<llvm::TargetMachine> createTargetMachine() const;

  /// Widest vector the generated code should use: 512 when the CPU has
  /// avx512f, 256 with AVX, 128 for SSE-only x86 and for NEON.
  unsigned preferredVectorBits() const;
  /// Fused multiply-add available (x86 "fma", AArch64 NEON always).
  bool hasFMA() const;
  /// f32 lanes a lane-indexed FMA can take its scalar operand from (AArch64
  /// `fmla v.4s, v.4s, v.s[i]`: 4), 0 where there is none (x86 broadcasts).
  unsigned indexedFMALanes() const;
  /// Lanes within which the cheapest pick of the even (or odd) f32 elements
  /// of two vector registers leaves them permuted: 8 with 256-bit AVX
  /// (vshufps works within 128-bit halves; restoring the order takes a
  /// vpermpd more), 0 where the pick keeps the order (NEON uzp1/uzp2,
  /// AVX-512 vpermt2ps, 128-bit shufps).
  unsigned evenOddLaneBlock() const;
  /// Output channels per packed conv weight block (and channel-lane conv
  /// tile): one vector register of f32, two on NEON, where one 4-lane
  /// register times at most 8 pixels leaves the two FMA pipes waiting on the
  /// 4-cycle fmla latency.
  unsigned convChannelBlock() const;
  /// L1 data cache per core, the budget of the conv reduction blocks: 32 KiB
  /// (Zen 3, Skylake, most AArch64 cores; Cortex-A76 has 64 KiB, so this
  /// is conservative there), or the host's with --cpu=native.
  unsigned l1DataCacheBytes() const;
  /// L2 cache per core, which decides whether a conv operand re-read by
  /// every tile of its loop order is re-read from L2: 512 KiB (Zen 3,
  /// Cortex-A76 has 256-512 KiB), or the host's with --cpu=native.
  unsigned l2CacheBytes() const;
  /// Architectural vector registers: 16 (SSE/AVX), 32 (AVX-512, NEON).
  unsigned numVectorRegisters() const;
  /// Whether an LLVM subtarget feature ("avx512f", "dotprod", "i8mm", ...)
  /// is enabled for the resolved CPU + features.
  bool hasFeature(llvm::StringRef feature) const;

  /// One line for logs and --version: "x86_64 (cpu x86-64-v3, +fma ...)".
  std::string describe() const;

private:
  TargetInfo() = default;

  std::string arch_;
  llvm::Triple triple_;
  std::string cpu_;
  std::string features_;
  // Cache sizes per core: the defaults above, or the host's for "native".
  unsigned l1DataCacheBytes_ = 32 * 1024;
  unsigned l2CacheBytes_ = 512 * 1024;
  llvm::DataLayout dataLayout_{""};
  std::unique_ptr<llvm::MCSubtargetInfo> subtarget_;
  const llvm::Target *target_ = nullptr;
  std::unique_ptr<llvm::TargetMachine> targetMachine_;
};

} // namespace mnn::codegen

#endif // MNN_CODEGEN_TARGETINFO_H
