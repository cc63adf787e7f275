#include "codegen/TargetInfo.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/MC/MCSubtargetInfo.h"
#include "llvm/MC/TargetRegistry.h"
#include "llvm/Support/CodeGen.h"
#include "llvm/Target/TargetMachine.h"
#include "llvm/Target/TargetOptions.h"
#include "llvm/TargetParser/AArch64TargetParser.h"
#include "llvm/TargetParser/Host.h"
#include "llvm/TargetParser/Triple.h"

#include <mutex>

#include <unistd.h>

// Only the two targets we ship code for; declared here instead of pulling in
// llvm/Support/TargetSelect.h, which declares every configured target.
extern "C" {
void LLVMInitializeX86TargetInfo();
void LLVMInitializeX86Target();
void LLVMInitializeX86TargetMC();
void LLVMInitializeX86AsmPrinter();
void LLVMInitializeAArch64TargetInfo();
void LLVMInitializeAArch64Target();
void LLVMInitializeAArch64TargetMC();
void LLVMInitializeAArch64AsmPrinter();
}

namespace mnn::codegen {
namespace {

struct ArchDefaults {
  llvm::StringRef arch;
  llvm::StringRef triple;
  llvm::StringRef cpu;
  llvm::StringRef features;
};

constexpr ArchDefaults kArchs[] = {
    {"x86_64", "x86_64-unknown-linux-gnu", "x86-64-v3", ""},
    {"aarch64", "aarch64-unknown-linux-gnu", "generic", "+neon"},
};

const ArchDefaults *lookupArch(llvm::StringRef arch) {
  for (const ArchDefaults &a : kArchs)
    if (a.arch == arch)
      return &a;
  return nullptr;
}

// " (did you mean 'x'?)" for the closest candidate, or "".
template <typename Range, typename GetName>
std::string suggest(llvm::StringRef name, const Range &candidates,
                    GetName getName) {
  llvm::StringRef best;
  unsigned bestDistance = ~0u;
  for (const auto &c : candidates) {
    llvm::StringRef candidate = getName(c);
    unsigned d = name.edit_distance(candidate, /*AllowReplacements=*/true,
                                    /*MaxEditDistance=*/bestDistance);
    if (d < bestDistance) {
      bestDistance = d;
      best = candidate;
    }
  }
  if (best.empty() || bestDistance > std::max<size_t>(2, name.size() / 3))
    return "";
  return (" (did you mean '" + best + "'?)").str();
}

const llvm::SubtargetFeatureKV *
findFeature(const llvm::MCSubtargetInfo &sti, llvm::StringRef name) {
  for (const llvm::SubtargetFeatureKV &kv : sti.getAllProcessorFeatures())
    if (name == kv.Key)
      return &kv;
  return nullptr;
}

// Turns one user feature ("+dotprod", "-avx512f", "+fp16") into LLVM's
// spelling, accepting AArch64 -march extension names as aliases
// ("fp16" -> "fullfp16"). Errors name the feature.
llvm::Expected<std::string> normalizeFeature(const llvm::MCSubtargetInfo &sti,
                                             llvm::StringRef arch,
                                             llvm::StringRef feature) {
  if (feature.size() < 2 || (feature[0] != '+' && feature[0] != '-'))
    return llvm::createStringError(
        "target feature '" + feature +
        "' must start with '+' (enable) or '-' (disable), e.g. '+" +
        (arch == "aarch64" ? "dotprod" : "avx512f") + "'");
  char sign = feature[0];
  llvm::StringRef name = feature.drop_front();
  if (findFeature(sti, name))
    return (llvm::Twine(sign) + name).str();
  if (arch == "aarch64") {
    if (auto ext = llvm::AArch64::parseArchExtension(name)) {
      llvm::StringRef mapped =
          sign == '+' ? ext->PosTargetFeature : ext->NegTargetFeature;
      if (!mapped.empty() && findFeature(sti, mapped.drop_front()))
        return mapped.str();
    }
  }
  return llvm::createStringError(
      "unknown target feature '" + name + "' for " + arch +
      suggest(name, sti.getAllProcessorFeatures(),
              [](const llvm::SubtargetFeatureKV &kv) {
                return llvm::StringRef(kv.Key);
              }) +
      "; list them with `llc -mtriple=" + lookupArch(arch)->triple +
      " -mattr=help`");
}

} // namespace

void initializeCodegenTargets() {
  static std::once_flag once;
  std::call_once(once, [] {
    LLVMInitializeX86TargetInfo();
    LLVMInitializeX86Target();
    LLVMInitializeX86TargetMC();
    LLVMInitializeX86AsmPrinter();
    LLVMInitializeAArch64TargetInfo();
    LLVMInitializeAArch64Target();
    LLVMInitializeAArch64TargetMC();
    LLVMInitializeAArch64AsmPrinter();
  });
}

llvm::StringRef supportedArchitectures() { return "x86_64, aarch64"; }

TargetInfo::TargetInfo(TargetInfo &&) noexcept = default;
TargetInfo &TargetInfo::operator=(TargetInfo &&) noexcept = default;
TargetInfo::~TargetInfo() = default;

llvm::Expected<TargetInfo> TargetInfo::create(const TargetSpec &spec) {
  initializeCodegenTargets();

  const ArchDefaults *defaults = lookupArch(spec.arch);
  if (!defaults)
    return llvm::createStringError("unknown target architecture '" +
                                   spec.arch + "' (supported: " +
                                   supportedArchitectures() + ")");

  std::string lookupError;
  const llvm::Target *target =
      llvm::TargetRegistry::lookupTarget(defaults->triple.str(), lookupError);
  if (!target)
    return llvm::createStringError("LLVM has no target for " +
                                   defaults->triple + ": " + lookupError);

  // A subtarget for the generic CPU knows every CPU and feature name; using
  // it to validate keeps LLVM from printing its own warnings to stderr.
  std::unique_ptr<llvm::MCSubtargetInfo> probe(
      target->createMCSubtargetInfo(defaults->triple, "", ""));
  if (!probe)
    return llvm::createStringError("cannot create subtarget info for " +
                                   defaults->triple);

  TargetInfo info;
  info.arch_ = spec.arch;
  info.triple_ = llvm::Triple(defaults->triple);
  info.cpu_ = spec.cpu.empty() ? defaults->cpu.str() : spec.cpu;
  // "native": the machine that compiles is the one that runs the model. Its
  // CPU name and the features it reports (a VM may hide some of the CPU's).
  llvm::SmallVector<std::string> hostFeatures;
  if (info.cpu_ == "native") {
    llvm::Triple host(llvm::sys::getProcessTriple());
    if (host.getArch() != llvm::Triple(defaults->triple).getArch())
      return llvm::createStringError(
          "--cpu=native names this machine's CPU, which is " +
          host.getArchName() + ", not the target " + spec.arch +
          "; name the target's CPU instead");
    info.cpu_ = llvm::sys::getHostCPUName().str();
    for (const llvm::StringMapEntry<bool> &f : llvm::sys::getHostCPUFeatures())
      if (findFeature(*probe, f.getKey()))
        hostFeatures.push_back((f.getValue() ? "+" : "-") + f.getKey().str());
    llvm::sort(hostFeatures);
    // And its caches, where the C library can tell (0 or -1 where not).
    long l1 = sysconf(_SC_LEVEL1_DCACHE_SIZE), l2 = sysconf(_SC_LEVEL2_CACHE_SIZE);
    if (l1 > 0)
      info.l1DataCacheBytes_ = static_cast<unsigned>(l1);
    if (l2 > 0)
      info.l2CacheBytes_ = static_cast<unsigned>(l2);
  }
  if (!probe->isCPUStringValid(info.cpu_))
    return llvm::createStringError(
        "unknown CPU '" + info.cpu_ + "' for " + spec.arch +
        suggest(info.cpu_, probe->getAllProcessorDescriptions(),
                [](const llvm::SubtargetSubTypeKV &kv) {
                  return llvm::StringRef(kv.Key);
                }) +
        "; list them with `llc -mtriple=" + defaults->triple + " -mcpu=help`");

  llvm::SmallVector<std::string> features;
  if (!defaults->features.empty())
    features.push_back(defaults->features.str());
  features.append(hostFeatures.begin(), hostFeatures.end());
  llvm::SmallVector<llvm::StringRef> userFeatures;
  llvm::StringRef(spec.features).split(userFeatures, ',', -1, false);
  for (llvm::StringRef f : userFeatures) {
    f = f.trim();
    if (f.empty())
      continue;
    llvm::Expected<std::string> normalized =
        normalizeFeature(*probe, spec.arch, f);
    if (!normalized)
      return normalized.takeError();
    features.push_back(std::move(*normalized));
  }
  info.features_ = llvm::join(features, ",");

  info.subtarget_.reset(target->createMCSubtargetInfo(
      defaults->triple, info.cpu_, info.features_));
  if (!info.subtarget_)
    return llvm::createStringError("cannot create subtarget info for " +
                                   info.cpu_);

  info.target_ = target;
  info.targetMachine_ = info.createTargetMachine();
  if (!info.targetMachine_)
    return llvm::createStringError("cannot create a TargetMachine for " +
                                   defaults->triple + " cpu " + info.cpu_);
  info.dataLayout_ = info.targetMachine_->createDataLayout();
  return std::move(info);
}

std::unique_ptr<llvm::TargetMachine> TargetInfo::createTargetMachine() const {
  llvm::TargetOptions options;
  options.FunctionSections = true; // lets --gc-sections drop dead code
  options.DataSections = true;     // ... and unused weights
  return std::unique_ptr<llvm::TargetMachine>(target_->createTargetMachine(
      triple_.str(), cpu_, features_, options, llvm::Reloc::PIC_,
      /*CM=*/std::nullopt, llvm::CodeGenOptLevel::Aggressive));
}

bool TargetInfo::hasFeature(llvm::StringRef feature) const {
  const llvm::SubtargetFeatureKV *kv = findFeature(*subtarget_, feature);
  return kv && subtarget_->getFeatureBits().test(kv->Value);
}

unsigned TargetInfo::preferredVectorBits() const {
  if (arch_ == "aarch64")
    return 128; // NEON; SVE is not targeted
  if (hasFeature("avx512f"))
    return 512;
  if (hasFeature("avx"))
    return 256;
  return 128;
}

bool TargetInfo::hasFMA() const {
  if (arch_ == "aarch64")
    return hasFeature("neon"); // fmla is part of AdvSIMD
  return hasFeature("fma");
}

unsigned TargetInfo::indexedFMALanes() const {
  return arch_ == "aarch64" && hasFeature("neon") ? 4 : 0;
}

unsigned TargetInfo::evenOddLaneBlock() const {
  return arch_ != "aarch64" && preferredVectorBits() == 256 ? 8 : 0;
}

unsigned TargetInfo::convChannelBlock() const {
  unsigned lanes = preferredVectorBits() / 32;
  return arch_ == "aarch64" ? 2 * lanes : lanes;
}

unsigned TargetInfo::l1DataCacheBytes() const { return l1DataCacheBytes_; }

unsigned TargetInfo::l2CacheBytes() const { return l2CacheBytes_; }

unsigned TargetInfo::numVectorRegisters() const {
  if (arch_ == "aarch64")
    return 32;
  return hasFeature("avx512f") ? 32 : 16;
}

std::string TargetInfo::describe() const {
  static const char *const kX86[] = {"sse4.2", "avx", "avx2", "fma",
                                     "f16c",   "avx512f", "avx512bw",
                                     "avx512vnni"};
  static const char *const kAArch64[] = {"neon", "fullfp16", "dotprod",
                                         "i8mm", "bf16",     "sve"};
  std::string out = arch_ + " (cpu " + cpu_;
  auto list = [&](const auto &names) {
    for (const char *name : names)
      if (hasFeature(name))
        out += std::string(" +") + name;
  };
  if (arch_ == "aarch64")
    list(kAArch64);
  else
    list(kX86);
  out += ", " + std::to_string(preferredVectorBits()) + "-bit vectors, " +
         std::to_string(numVectorRegisters()) + " vector registers)";
  return out;
}

} // namespace mnn::codegen
