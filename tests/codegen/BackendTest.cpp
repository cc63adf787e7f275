// End-to-end: the vector-add module through the whole back end, for x86_64
// (loaded and run in-process and by C programs) and AArch64 (ELF checks, and
// a run under qemu-aarch64 -cpu cortex-a76 when available).
#include "codegen/Backend.h"

#include "TestSupport.h"

#include "llvm/BinaryFormat/ELF.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Object/ELFObjectFile.h"
#include "llvm/Object/ObjectFile.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/raw_ostream.h"

#include <gtest/gtest.h>

#include <dlfcn.h>

#include <memory>
#include <set>

using namespace mnn::codegen;
using namespace mnn::codegen::test;

namespace {

struct DlCloser {
  void operator()(void *handle) const { dlclose(handle); }
};
using LibraryHandle = std::unique_ptr<void, DlCloser>;

// Compiles TestSupport's vector-add module into dir/lib<name>.so + <name>.h.
llvm::Error buildVectorAdd(const std::string &name, const TargetSpec &spec,
                           const std::string &runtime, const std::string &dir,
                           BackendResult &result,
                           BackendOptions options = {}) {
  llvm::Expected<TargetInfo> target = TargetInfo::create(spec);
  if (!target)
    return target.takeError();
  llvm::LLVMContext ctx;
  std::unique_ptr<llvm::Module> module = buildVectorAddModule(ctx);
  options.outputDir = dir;
  options.runtimeArchive = runtime;
  llvm::Expected<BackendResult> built = buildModelLibrary(
      *module, vectorAddInterface(name, spec.arch), *target, options);
  if (!built)
    return built.takeError();
  result = *built;
  return llvm::Error::success();
}

struct ElfInfo {
  uint16_t machine = 0;
  uint16_t type = 0;
  std::set<std::string> definedDynamicSymbols;
  std::string error;
};

// What `llvm-nm -D --defined-only` and `readelf -h` would show.
ElfInfo readElf(const std::string &path) {
  ElfInfo info;
  auto binary = llvm::object::ObjectFile::createObjectFile(path);
  if (!binary) {
    info.error = errorText(binary.takeError());
    return info;
  }
  auto *elf =
      llvm::dyn_cast<llvm::object::ELFObjectFileBase>(binary->getBinary());
  if (!elf) {
    info.error = "not an ELF file";
    return info;
  }
  info.machine = elf->getEMachine();
  info.type = elf->getEType();
  for (const llvm::object::ELFSymbolRef &sym :
       elf->getDynamicSymbolIterators()) {
    llvm::Expected<uint32_t> flags = sym.getFlags();
    llvm::Expected<llvm::StringRef> name = sym.getName();
    if (!flags || !name) {
      info.error = "unreadable dynamic symbol";
      llvm::consumeError(flags.takeError());
      llvm::consumeError(name.takeError());
      return info;
    }
    if (!(*flags & llvm::object::SymbolRef::SF_Undefined) && !name->empty())
      info.definedDynamicSymbols.insert(name->str());
  }
  return info;
}

std::set<std::string> expectedExports(const std::string &name) {
  std::vector<std::string> v = exportedSymbols(name);
  return {v.begin(), v.end()};
}

void runThroughFunctions(
    int (*create)(const mnn_options *, mnn_model **, mnn_status *),
    int (*run)(mnn_model *, const void *const *, void *const *, mnn_status *),
    void (*destroy)(mnn_model *)) {
  alignas(64) float a[4] = {1, 2, 3, 4};
  alignas(64) float b[4] = {10, 20, 30, 40};
  alignas(64) float sum[4] = {0, 0, 0, 0};
  const void *inputs[] = {a, b};
  void *outputs[] = {sum};
  mnn_options options = MNN_OPTIONS_INIT;
  mnn_status status{};
  mnn_model *model = nullptr;
  ASSERT_EQ(create(&options, &model, &status), MNN_OK) << status.message;
  ASSERT_NE(model, nullptr);
  ASSERT_EQ(run(model, inputs, outputs, &status), MNN_OK) << status.message;
  for (int i = 0; i < 4; ++i)
    EXPECT_FLOAT_EQ(sum[i], a[i] + b[i] + 0.5f) << i;

  // Again with a caller-provided arena.
  alignas(64) uint8_t arena[64];
  options.arena = arena;
  options.arena_size = sizeof(arena);
  mnn_model *model2 = nullptr;
  ASSERT_EQ(create(&options, &model2, &status), MNN_OK) << status.message;
  b[0] = 100;
  ASSERT_EQ(run(model2, inputs, outputs, &status), MNN_OK) << status.message;
  EXPECT_FLOAT_EQ(sum[0], 101.5f);
  destroy(model2);
  destroy(model);
}

/// Loads the vadd library at `path` and runs it through its descriptor.
void runLibrary(const std::string &path) {
  LibraryHandle handle(dlopen(path.c_str(), RTLD_NOW | RTLD_LOCAL));
  ASSERT_NE(handle, nullptr) << dlerror();
  auto descriptorFn = reinterpret_cast<mnn_model_descriptor_fn>(
      dlsym(handle.get(), MNN_MODEL_DESCRIPTOR_SYMBOL));
  ASSERT_NE(descriptorFn, nullptr);
  const mnn_model_desc *desc = descriptorFn();
  runThroughFunctions(desc->create, desc->run, desc->destroy);
}

// ---- x86_64, against the stand-in and the real runtime -------------------

std::string runtimeName(const ::testing::TestParamInfo<const char *> &info) {
  return info.param;
}

class X86EndToEnd : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    bool real = std::string(GetParam()) == "real";
    runtime = real ? realRuntimeArchive("x86_64") : stubRuntimeArchive("x86_64");
    if (runtime.empty()) {
      if (real)
        GTEST_SKIP() << "the real runtime is not built yet (expected at "
                     << MNN_TEST_REAL_RUNTIME_DIR
                     << "/x86_64/libmnnrt.a); only the stand-in was tested";
      FAIL() << "stand-in runtime missing under " MNN_TEST_STUB_RUNTIME_DIR;
    }
    ASSERT_EQ(errorText(buildVectorAdd(name, {"x86_64", "", ""}, runtime,
                                       dir.path(), result)),
              "");
  }

  std::string runtime;
  const std::string name = "vadd";
  TempDir dir;
  BackendResult result;
};

TEST_P(X86EndToEnd, WritesExactlyLibraryAndHeader) {
  EXPECT_EQ(result.libraryPath, dir.file("libvadd.so"));
  EXPECT_EQ(result.headerPath, dir.file("vadd.h"));
  EXPECT_EQ(dir.list(), (std::vector<std::string>{"libvadd.so", "vadd.h"}));
}

TEST_P(X86EndToEnd, ExportsOnlyThePublicSymbols) {
  ElfInfo elf = readElf(result.libraryPath);
  ASSERT_EQ(elf.error, "");
  EXPECT_EQ(elf.machine, llvm::ELF::EM_X86_64);
  EXPECT_EQ(elf.type, llvm::ELF::ET_DYN);
  EXPECT_EQ(elf.definedDynamicSymbols, expectedExports(name));
}

TEST_P(X86EndToEnd, RunsThroughDescriptorAndExports) {
  LibraryHandle handle(
      dlopen(result.libraryPath.c_str(), RTLD_NOW | RTLD_LOCAL));
  ASSERT_NE(handle, nullptr) << dlerror();
  void *lib = handle.get();
  auto descriptorFn = reinterpret_cast<mnn_model_descriptor_fn>(
      dlsym(lib, MNN_MODEL_DESCRIPTOR_SYMBOL));
  ASSERT_NE(descriptorFn, nullptr);
  const mnn_model_desc *desc = descriptorFn();
  EXPECT_EQ(desc->abi_version, uint32_t(MNN_ABI_VERSION));
  EXPECT_STREQ(desc->name, "vadd");
  EXPECT_STREQ(desc->target, "x86_64");
  ASSERT_EQ(desc->num_inputs, 2u);
  ASSERT_EQ(desc->num_outputs, 1u);
  EXPECT_EQ(desc->arena_bytes, 64u);
  EXPECT_STREQ(desc->inputs[1].name, "b");
  EXPECT_STREQ(desc->outputs[0].name, "sum");
  EXPECT_EQ(desc->outputs[0].dtype, MNN_DTYPE_F32);
  EXPECT_EQ(desc->outputs[0].layout, MNN_LAYOUT_ROW_MAJOR);
  EXPECT_EQ(desc->outputs[0].rank, 1);
  EXPECT_EQ(desc->outputs[0].shape[0], 4);
  EXPECT_EQ(desc->outputs[0].num_elements, 4u);
  EXPECT_EQ(desc->outputs[0].size_bytes, 16u);
  runThroughFunctions(desc->create, desc->run, desc->destroy);

  using DescriptorFn = const mnn_model_desc *(*)();
  auto vaddDescriptor =
      reinterpret_cast<DescriptorFn>(dlsym(lib, "vadd_descriptor"));
  ASSERT_NE(vaddDescriptor, nullptr);
  EXPECT_EQ(vaddDescriptor(), desc);
  auto create = reinterpret_cast<decltype(desc->create)>(
      dlsym(lib, "vadd_create"));
  auto run = reinterpret_cast<decltype(desc->run)>(dlsym(lib, "vadd_run"));
  auto destroy =
      reinterpret_cast<decltype(desc->destroy)>(dlsym(lib, "vadd_destroy"));
  ASSERT_TRUE(create && run && destroy);
  runThroughFunctions(create, run, destroy);

  EXPECT_EQ(dlsym(lib, "__mnn_entry"), nullptr);
  EXPECT_EQ(dlsym(lib, "__mnn_model_desc"), nullptr);
  EXPECT_EQ(dlsym(lib, "add_bias"), nullptr);
}

// A C program reads the descriptor through the C compiler's struct layout.
TEST_P(X86EndToEnd, CLoaderAgrees) {
  ProcessResult r = runProgram(MNN_TEST_LOADER, {result.libraryPath, "vadd"});
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("OK"), std::string::npos) << r.output;
}

// The generated header in a real C program linked with -lvadd.
TEST_P(X86EndToEnd, CProgramUsingTheHeader) {
  // header_usage.c also includes other.h; HeaderWriterTest covers its text.
  ModelInterface other;
  other.name = "other";
  other.arch = "x86_64";
  other.inputs = {{"weird \"name\"\\ ?\?= \xc3\xa9\n", MNN_DTYPE_U8, {1, 3, 2, 2}}};
  other.outputs = {{"score", MNN_DTYPE_I64, {}}};
  other.arenaBytes = uint64_t(8) << 30;
  ASSERT_EQ(errorText(writeModelHeader(other, dir.file("other.h"))), "");

  TempDir build;
  std::string app = build.file("app");
  ProcessResult cc = runProgram(
      MNN_TEST_C_COMPILER,
      {"-std=c99", "-pedantic-errors", "-Wall", "-Wextra", "-Werror",
       "-I" + dir.path(), MNN_TEST_SOURCE_DIR "/header_usage.c", "-o", app,
       "-L" + dir.path(), "-lvadd", "-Wl,-rpath," + dir.path()});
  ASSERT_EQ(cc.exitCode, 0) << cc.output;
  ProcessResult r = runProgram(app, {});
  EXPECT_EQ(r.exitCode, 0) << r.output;
  EXPECT_NE(r.output.find("OK"), std::string::npos) << r.output;
}

INSTANTIATE_TEST_SUITE_P(Runtime, X86EndToEnd,
                         ::testing::Values("stub", "real"), runtimeName);

// ---- failures leave nothing behind ---------------------------------------

TEST(BackendFailure, LinkErrorKeepsOutputDirectoryUnchanged) {
  TempDir dir, scratch;
  // An old library from a previous run must survive a failed rebuild.
  {
    std::error_code ec;
    llvm::raw_fd_ostream old(dir.file("libvadd.so"), ec);
    old << "old";
  }
  std::string bogus = scratch.file("libmnnrt.a");
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(bogus, ec);
    os << "this is not an archive\n";
  }
  BackendResult result;
  std::string err = errorText(
      buildVectorAdd("vadd", {"x86_64", "", ""}, bogus, dir.path(), result));
  EXPECT_NE(err.find("linking libvadd.so failed"), std::string::npos) << err;
  EXPECT_NE(err.find("command: "), std::string::npos) << err;
  EXPECT_NE(err.find(bogus), std::string::npos) << err;
  EXPECT_EQ(dir.list(), std::vector<std::string>{"libvadd.so"});
  auto old = llvm::MemoryBuffer::getFile(dir.file("libvadd.so"));
  ASSERT_TRUE(bool(old));
  EXPECT_EQ((*old)->getBuffer(), "old");
}

TEST(BackendFailure, MissingInputsAndLinker) {
  std::string stub = stubRuntimeArchive("x86_64");
  ASSERT_FALSE(stub.empty());
  TempDir dir;
  BackendResult result;
  std::string err = errorText(buildVectorAdd(
      "vadd", {"x86_64", "", ""}, "/nonexistent/libmnnrt.a", dir.path(), result));
  EXPECT_NE(err.find("runtime archive '/nonexistent/libmnnrt.a' does not exist"),
            std::string::npos)
      << err;

  BackendOptions options;
  options.linkerPath = "/nonexistent/ld.lld";
  err = errorText(buildVectorAdd("vadd", {"x86_64", "", ""}, stub, dir.path(),
                                 result, options));
  EXPECT_NE(err.find("linker '/nonexistent/ld.lld' not found"),
            std::string::npos)
      << err;
  EXPECT_TRUE(dir.list().empty());
}

TEST(Backend, KeepsObjectAndAssemblyOnRequest) {
  std::string stub = stubRuntimeArchive("x86_64");
  ASSERT_FALSE(stub.empty());
  TempDir dir, extra;
  BackendOptions options;
  options.objectPath = extra.file("vadd.o");
  options.assemblyPath = extra.file("vadd.s");
  options.writeHeader = false;
  BackendResult result;
  ASSERT_EQ(errorText(buildVectorAdd("vadd", {"x86_64", "", ""}, stub,
                                     dir.path(), result, options)),
            "");
  EXPECT_EQ(result.headerPath, "");
  EXPECT_EQ(dir.list(), std::vector<std::string>{"libvadd.so"});
  EXPECT_EQ(readElf(options.objectPath).type, llvm::ELF::ET_REL);
  auto asmText = llvm::MemoryBuffer::getFile(options.assemblyPath);
  ASSERT_TRUE(bool(asmText));
  EXPECT_NE((*asmText)->getBuffer().find("vaddps"), llvm::StringRef::npos);
}

// Split into parts on two threads, the library exports and computes the
// same as when built whole (each part is its own object; hidden cross-part
// symbols must not leak into the dynamic symbol table).
TEST(Backend, SplitCodegenBuildsTheSameLibrary) {
  std::string stub = stubRuntimeArchive("x86_64");
  ASSERT_FALSE(stub.empty());
  for (unsigned threads : {1u, 2u, 3u}) {
    TempDir dir;
    BackendOptions options;
    options.codegenThreads = threads;
    BackendResult result;
    ASSERT_EQ(errorText(buildVectorAdd("vadd", {"x86_64", "", ""}, stub,
                                       dir.path(), result, options)),
              "");
    // vadd's kernel, entry and glue functions are enough to split.
    EXPECT_EQ(result.codegenThreads, threads);
    EXPECT_GE(result.codegenParts, threads);
    EXPECT_EQ(dir.list(), (std::vector<std::string>{"libvadd.so", "vadd.h"}));
    ElfInfo elf = readElf(result.libraryPath);
    ASSERT_EQ(elf.error, "");
    EXPECT_EQ(elf.definedDynamicSymbols, expectedExports("vadd"));
    runLibrary(result.libraryPath);
  }
}

TEST(Backend, EveryOptLevelRuns) {
  std::string stub = stubRuntimeArchive("x86_64");
  ASSERT_FALSE(stub.empty());
  for (const char *level : {"O0", "O1", "2", "O3"}) {
    llvm::Expected<OptLevel> parsed = parseOptLevel(level);
    ASSERT_TRUE(bool(parsed)) << errorText(parsed.takeError());
    TempDir dir;
    BackendOptions options;
    options.optimize.level = *parsed;
    options.optimize.loopUnrolling = false;
    BackendResult result;
    ASSERT_EQ(errorText(buildVectorAdd("vadd", {"x86_64", "", ""}, stub,
                                       dir.path(), result, options)),
              "")
        << level;
    runLibrary(result.libraryPath);
  }
  EXPECT_NE(errorText(parseOptLevel("O4").takeError())
                .find("unknown optimization level 'O4'"),
            std::string::npos);
}

TEST(Backend, Avx512CpuBuilds) {
  std::string stub = stubRuntimeArchive("x86_64");
  ASSERT_FALSE(stub.empty());
  TempDir dir;
  BackendResult result;
  ASSERT_EQ(errorText(buildVectorAdd("vadd", {"x86_64", "skylake-avx512", ""},
                                     stub, dir.path(), result)),
            "");
  EXPECT_EQ(readElf(result.libraryPath).machine, llvm::ELF::EM_X86_64);
}

// ---- aarch64 -------------------------------------------------------------

class AArch64EndToEnd : public ::testing::TestWithParam<const char *> {
protected:
  void SetUp() override {
    bool real = std::string(GetParam()) == "real";
    runtime =
        real ? realRuntimeArchive("aarch64") : stubRuntimeArchive("aarch64");
    if (runtime.empty())
      GTEST_SKIP() << "no " << GetParam()
                   << " aarch64 runtime archive (the stand-in needs clang and "
                      "llvm-ar; the real one is the runtime's cross build)";
  }

  void runUnderQemu(const std::string &library) {
    std::string loader = MNN_TEST_LOADER_AARCH64;
    std::string qemu = MNN_TEST_QEMU_AARCH64;
    if (loader.empty() || qemu.empty() || !llvm::sys::fs::exists(loader))
      GTEST_SKIP() << "needs aarch64-linux-gnu-gcc and qemu-aarch64";
    ProcessResult r = runProgram(qemu, {"-cpu", "cortex-a76", "-L",
                                        "/usr/aarch64-linux-gnu", loader,
                                        library, "vadd"});
    EXPECT_EQ(r.exitCode, 0) << r.output;
    EXPECT_NE(r.output.find("target aarch64"), std::string::npos) << r.output;
    EXPECT_NE(r.output.find("OK"), std::string::npos) << r.output;
  }

  std::string runtime;
};

TEST_P(AArch64EndToEnd, GenericNeonLinksAndRunsOnCortexA76) {
  TempDir dir;
  BackendResult result;
  ASSERT_EQ(errorText(buildVectorAdd("vadd", {"aarch64", "", ""}, runtime,
                                     dir.path(), result)),
            "");
  ElfInfo elf = readElf(result.libraryPath);
  ASSERT_EQ(elf.error, "");
  EXPECT_EQ(elf.machine, llvm::ELF::EM_AARCH64);
  EXPECT_EQ(elf.type, llvm::ELF::ET_DYN);
  EXPECT_EQ(elf.definedDynamicSymbols, expectedExports("vadd"));
  runUnderQemu(result.libraryPath);
}

TEST_P(AArch64EndToEnd, CortexA76WithDotprod) {
  TempDir dir;
  BackendResult result;
  ASSERT_EQ(errorText(buildVectorAdd("vadd",
                                     {"aarch64", "cortex-a76", "+dotprod"},
                                     runtime, dir.path(), result)),
            "");
  EXPECT_EQ(readElf(result.libraryPath).machine, llvm::ELF::EM_AARCH64);
  runUnderQemu(result.libraryPath);
}

INSTANTIATE_TEST_SUITE_P(Runtime, AArch64EndToEnd,
                         ::testing::Values("stub", "real"), runtimeName);

// ---- runtime lookup ------------------------------------------------------

TEST(FindRuntimeArchive, EnvironmentOverride) {
  TempDir dir;
  ASSERT_FALSE(llvm::sys::fs::create_directories(dir.file("x86_64")));
  {
    std::error_code ec;
    llvm::raw_fd_ostream os(dir.file("x86_64/libmnnrt.a"), ec);
  }
  setenv("MNN_RUNTIME_DIR", dir.path().c_str(), 1);
  llvm::Expected<std::string> found = findRuntimeArchive("x86_64", nullptr);
  llvm::Expected<std::string> missing = findRuntimeArchive("aarch64", nullptr);
  unsetenv("MNN_RUNTIME_DIR");
  ASSERT_TRUE(bool(found)) << errorText(found.takeError());
  EXPECT_EQ(*found, dir.file("x86_64/libmnnrt.a"));
  ASSERT_FALSE(bool(missing));
  std::string err = errorText(missing.takeError());
  EXPECT_NE(err.find("MNN_RUNTIME_DIR is set but"), std::string::npos) << err;
  EXPECT_NE(err.find("aarch64/libmnnrt.a"), std::string::npos) << err;
}

TEST(FindRuntimeArchive, RelativeToExecutable) {
  unsetenv("MNN_RUNTIME_DIR");
  // The test binary is not next to a runtime: the error lists where it looked.
  llvm::Expected<std::string> found = findRuntimeArchive("x86_64", nullptr);
  if (found)
    GTEST_SKIP() << "a runtime happens to sit next to the test: " << *found;
  std::string err = errorText(found.takeError());
  EXPECT_NE(err.find("lib/mnn-compiler/runtime/x86_64/libmnnrt.a"),
            std::string::npos)
      << err;
  EXPECT_NE(err.find("MNN_RUNTIME_DIR"), std::string::npos) << err;

  EXPECT_NE(errorText(findRuntimeArchive("sparc", nullptr).takeError())
                .find("unknown architecture 'sparc'"),
            std::string::npos);
}

} // namespace
