#include "TestSupport.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/FileUtilities.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/Program.h"

#include <algorithm>

namespace mnn::codegen::test {

std::unique_ptr<llvm::Module> buildVectorAddModule(llvm::LLVMContext &ctx) {
  auto module = std::make_unique<llvm::Module>("vector_add", ctx);
  auto *f32 = llvm::Type::getFloatTy(ctx);
  auto *vecTy = llvm::FixedVectorType::get(f32, 4);
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  auto *voidTy = llvm::Type::getVoidTy(ctx);

  auto *bias = new llvm::GlobalVariable(
      *module, vecTy, /*isConstant=*/true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantVector::getSplat(llvm::ElementCount::getFixed(4),
                                     llvm::ConstantFP::get(f32, 0.5)),
      "bias");
  bias->setAlignment(llvm::Align(16));

  // void add_bias(ptr dst, ptr src): dst = src + bias
  llvm::Function *addBias = llvm::Function::Create(
      llvm::FunctionType::get(voidTy, {ptrTy, ptrTy}, false),
      llvm::GlobalValue::ExternalLinkage, "add_bias", *module);
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "", addBias));
    llvm::Value *src = b.CreateAlignedLoad(vecTy, addBias->getArg(1),
                                           llvm::Align(4));
    llvm::Value *w = b.CreateAlignedLoad(vecTy, bias, llvm::Align(16));
    b.CreateAlignedStore(b.CreateFAdd(src, w), addBias->getArg(0),
                         llvm::Align(4));
    b.CreateRetVoid();
  }

  // void __mnn_main(ptr a, ptr b, ptr sum, ptr arena, ptr pool)
  llvm::Function *mainFn = llvm::Function::Create(
      llvm::FunctionType::get(voidTy, {ptrTy, ptrTy, ptrTy, ptrTy, ptrTy},
                              false),
      llvm::GlobalValue::ExternalLinkage, kMainFunctionName, *module);
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "", mainFn));
    llvm::Value *a =
        b.CreateAlignedLoad(vecTy, mainFn->getArg(0), llvm::Align(4), "a");
    llvm::Value *c =
        b.CreateAlignedLoad(vecTy, mainFn->getArg(1), llvm::Align(4), "b");
    llvm::Value *arena = mainFn->getArg(3);
    // The intermediate lives in the arena, as real models' tensors do.
    b.CreateAlignedStore(b.CreateFAdd(a, c), arena, llvm::Align(64));
    b.CreateCall(addBias, {mainFn->getArg(2), arena});
    b.CreateRetVoid();
  }
  return module;
}

ModelInterface vectorAddInterface(const std::string &name,
                                  const std::string &arch) {
  ModelInterface model;
  model.name = name;
  model.arch = arch;
  model.inputs = {{"a", MNN_DTYPE_F32, {4}}, {"b", MNN_DTYPE_F32, {4}}};
  model.outputs = {{"sum", MNN_DTYPE_F32, {4}}};
  model.arenaBytes = 64;
  return model;
}

TempDir::TempDir() {
  llvm::SmallString<128> path;
  if (llvm::sys::fs::createUniqueDirectory("mnn-codegen-test", path))
    llvm::report_fatal_error("cannot create a temporary directory");
  path_ = std::string(path);
}

TempDir::~TempDir() { llvm::sys::fs::remove_directories(path_); }

std::string TempDir::file(llvm::StringRef name) const {
  llvm::SmallString<128> path(path_);
  llvm::sys::path::append(path, name);
  return std::string(path);
}

std::vector<std::string> TempDir::list() const {
  std::vector<std::string> names;
  std::error_code ec;
  for (llvm::sys::fs::directory_iterator it(path_, ec), end; !ec && it != end;
       it.increment(ec))
    names.push_back(llvm::sys::path::filename(it->path()).str());
  std::sort(names.begin(), names.end());
  return names;
}

ProcessResult runProgram(llvm::StringRef program,
                         llvm::ArrayRef<std::string> args) {
  ProcessResult result;
  llvm::SmallString<128> logPath;
  if (llvm::sys::fs::createTemporaryFile("mnn-codegen-test", "log", logPath)) {
    result.output = "cannot create a log file";
    return result;
  }
  llvm::FileRemover removeLog(logPath);
  std::vector<llvm::StringRef> argv = {program};
  argv.insert(argv.end(), args.begin(), args.end());
  std::optional<llvm::StringRef> redirects[] = {
      llvm::StringRef(""), llvm::StringRef(logPath), llvm::StringRef(logPath)};
  std::string error;
  result.exitCode = llvm::sys::ExecuteAndWait(program, argv, std::nullopt,
                                              redirects, 120, 0, &error);
  if (auto buffer = llvm::MemoryBuffer::getFile(logPath))
    result.output = (*buffer)->getBuffer().str();
  if (!error.empty())
    result.output += "\n[" + error + "]";
  return result;
}

static std::string archiveIn(llvm::StringRef dir, llvm::StringRef arch) {
  llvm::SmallString<256> path(dir);
  llvm::sys::path::append(path, arch, "libmnnrt.a");
  return llvm::sys::fs::exists(path) ? std::string(path) : std::string();
}

std::string stubRuntimeArchive(llvm::StringRef arch) {
  return archiveIn(MNN_TEST_STUB_RUNTIME_DIR, arch);
}

std::string realRuntimeArchive(llvm::StringRef arch) {
  return archiveIn(MNN_TEST_REAL_RUNTIME_DIR, arch);
}

std::string errorText(llvm::Error err) {
  if (!err)
    return "";
  return llvm::toString(std::move(err));
}

} // namespace mnn::codegen::test
