#include "codegen/TargetInfo.h"

#include "TestSupport.h"

#include "llvm/Target/TargetMachine.h"

#include <gtest/gtest.h>

#include <unistd.h>

using namespace mnn::codegen;
using mnn::codegen::test::errorText;

namespace {

TargetInfo makeTarget(const TargetSpec &spec) {
  llvm::Expected<TargetInfo> target = TargetInfo::create(spec);
  if (!target) {
    ADD_FAILURE() << errorText(target.takeError());
    std::abort();
  }
  return std::move(*target);
}

std::string createError(const TargetSpec &spec) {
  llvm::Expected<TargetInfo> target = TargetInfo::create(spec);
  if (target)
    return "";
  return errorText(target.takeError());
}

TEST(TargetInfo, X86DefaultsToV3) {
  TargetInfo t = makeTarget({"x86_64", "", ""});
  EXPECT_EQ(t.triple().str(), "x86_64-unknown-linux-gnu");
  EXPECT_EQ(t.cpu(), "x86-64-v3");
  EXPECT_TRUE(t.hasFeature("avx2"));
  EXPECT_TRUE(t.hasFMA());
  EXPECT_FALSE(t.hasFeature("avx512f"));
  EXPECT_EQ(t.preferredVectorBits(), 256u);
  EXPECT_EQ(t.numVectorRegisters(), 16u);
  EXPECT_EQ(t.indexedFMALanes(), 0u);
  EXPECT_EQ(t.convChannelBlock(), 8u);
  EXPECT_EQ(t.targetMachine().getRelocationModel(), llvm::Reloc::PIC_);
  EXPECT_EQ(t.targetMachine().getOptLevel(),
            llvm::CodeGenOptLevel::Aggressive);
  EXPECT_TRUE(t.dataLayout().isLittleEndian());
  EXPECT_EQ(t.dataLayout().getPointerSize(), 8u);
}

TEST(TargetInfo, Avx512Cpus) {
  for (const char *cpu : {"skylake-avx512", "znver4"}) {
    TargetInfo t = makeTarget({"x86_64", cpu, ""});
    EXPECT_TRUE(t.hasFeature("avx512f")) << cpu;
    EXPECT_EQ(t.preferredVectorBits(), 512u) << cpu;
    EXPECT_EQ(t.numVectorRegisters(), 32u) << cpu;
    EXPECT_TRUE(t.hasFMA()) << cpu;
  }
}

TEST(TargetInfo, FeaturesCanDisable) {
  TargetInfo t = makeTarget({"x86_64", "skylake-avx512", "-avx512f"});
  EXPECT_FALSE(t.hasFeature("avx512f"));
  EXPECT_EQ(t.preferredVectorBits(), 256u);
  EXPECT_EQ(t.features(), "-avx512f");
}

TEST(TargetInfo, AArch64DefaultsToGenericNeon) {
  TargetInfo t = makeTarget({"aarch64", "", ""});
  EXPECT_EQ(t.triple().str(), "aarch64-unknown-linux-gnu");
  EXPECT_EQ(t.cpu(), "generic");
  EXPECT_EQ(t.features(), "+neon");
  EXPECT_TRUE(t.hasFeature("neon"));
  EXPECT_FALSE(t.hasFeature("dotprod"));
  EXPECT_TRUE(t.hasFMA());
  EXPECT_EQ(t.preferredVectorBits(), 128u);
  EXPECT_EQ(t.numVectorRegisters(), 32u);
  EXPECT_EQ(t.indexedFMALanes(), 4u);
  EXPECT_EQ(t.convChannelBlock(), 8u);
}

TEST(TargetInfo, AArch64CpuAndExtensionNames) {
  TargetInfo a76 = makeTarget({"aarch64", "cortex-a76", ""});
  EXPECT_TRUE(a76.hasFeature("dotprod"));
  EXPECT_TRUE(a76.hasFeature("fullfp16"));

  // "fp16" is the -march extension name of LLVM's "fullfp16".
  TargetInfo t = makeTarget({"aarch64", "", "+dotprod, +fp16"});
  EXPECT_EQ(t.features(), "+neon,+dotprod,+fullfp16");
  EXPECT_TRUE(t.hasFeature("dotprod"));
  EXPECT_TRUE(t.hasFeature("fullfp16"));
  EXPECT_FALSE(t.hasFeature("i8mm"));
}

TEST(TargetInfo, UnknownNamesAreClearErrors) {
  std::string err = createError({"riscv64", "", ""});
  EXPECT_NE(err.find("unknown target architecture 'riscv64'"),
            std::string::npos)
      << err;

  err = createError({"x86_64", "skylake-avx51", ""});
  EXPECT_NE(err.find("unknown CPU 'skylake-avx51'"), std::string::npos) << err;
  EXPECT_NE(err.find("did you mean 'skylake-avx512'"), std::string::npos)
      << err;

  err = createError({"aarch64", "pentium4", ""});
  EXPECT_NE(err.find("unknown CPU 'pentium4' for aarch64"), std::string::npos)
      << err;

  err = createError({"aarch64", "", "+dotprod,+frobnicate"});
  EXPECT_NE(err.find("unknown target feature 'frobnicate' for aarch64"),
            std::string::npos)
      << err;

  err = createError({"x86_64", "", "+avx512q"});
  EXPECT_NE(err.find("unknown target feature 'avx512q' for x86_64"),
            std::string::npos)
      << err;

  err = createError({"x86_64", "", "avx2"});
  EXPECT_NE(err.find("must start with '+'"), std::string::npos) << err;
}

#if defined(__x86_64__)
// --cpu=native: this machine's CPU, with exactly the vector features the
// running process sees (a VM may hide some that its CPU model has).
TEST(TargetInfo, NativeIsTheHostCpu) {
  TargetInfo t = makeTarget({"x86_64", "native", ""});
  EXPECT_NE(t.cpu(), "native");
  EXPECT_EQ(t.hasFeature("avx2"), (bool)__builtin_cpu_supports("avx2"));
  EXPECT_EQ(t.hasFeature("fma"), (bool)__builtin_cpu_supports("fma"));
  EXPECT_EQ(t.hasFeature("avx512f"), (bool)__builtin_cpu_supports("avx512f"));
  EXPECT_EQ(t.preferredVectorBits(),
            __builtin_cpu_supports("avx512f") ? 512u
            : __builtin_cpu_supports("avx")   ? 256u
                                              : 128u);
  // Its caches where the C library knows them, else the defaults.
  long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
  EXPECT_EQ(t.l1DataCacheBytes(), l1 > 0 ? (unsigned)l1 : 32u * 1024);
  EXPECT_EQ(t.l2CacheBytes(), l2 > 0 ? (unsigned)l2 : 512u * 1024);
  TargetInfo v3 = makeTarget({"x86_64", "", ""});
  EXPECT_EQ(v3.l1DataCacheBytes(), 32u * 1024);
  EXPECT_EQ(v3.l2CacheBytes(), 512u * 1024);
  // A user feature still applies on top of the host's.
  EXPECT_FALSE(makeTarget({"x86_64", "native", "-avx512f"}).hasFeature("avx512f"));

  std::string err = createError({"aarch64", "native", ""});
  EXPECT_NE(err.find("--cpu=native names this machine's CPU, which is x86_64, "
                     "not the target aarch64"),
            std::string::npos)
      << err;
}
#endif

TEST(TargetInfo, Describe) {
  EXPECT_EQ(makeTarget({"x86_64", "", ""}).describe(),
            "x86_64 (cpu x86-64-v3 +sse4.2 +avx +avx2 +fma +f16c, 256-bit "
            "vectors, 16 vector registers)");
}

} // namespace
