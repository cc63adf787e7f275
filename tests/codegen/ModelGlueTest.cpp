#include "codegen/ModelGlue.h"
#include "codegen/ObjectEmitter.h"
#include "codegen/TargetInfo.h"

#include "TestSupport.h"

#include "llvm/IR/Constants.h"
#include "llvm/IR/DataLayout.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/IR/Verifier.h"

#include <gtest/gtest.h>

// From layout_probe.c: offsets, size and alignment as the C compiler sees them.
extern "C" const size_t mnn_probe_tensor_desc_layout[9];
extern "C" const size_t mnn_probe_model_desc_layout[13];
extern "C" const size_t mnn_probe_enum_sizes[2];

using namespace mnn::codegen;
using namespace mnn::codegen::test;

namespace {

llvm::DataLayout dataLayoutFor(const char *arch) {
  llvm::Expected<TargetInfo> target = TargetInfo::create({arch, "", ""});
  if (!target) {
    ADD_FAILURE() << errorText(target.takeError());
    return llvm::DataLayout("");
  }
  return target->dataLayout();
}

void expectLayoutMatchesC(const llvm::DataLayout &dl, llvm::StructType *type,
                          const size_t *probe, const char *what) {
  const llvm::StructLayout *layout = dl.getStructLayout(type);
  unsigned n = type->getNumElements();
  for (unsigned i = 0; i < n; ++i)
    EXPECT_EQ(layout->getElementOffset(i), probe[i])
        << what << " field " << i;
  EXPECT_EQ(layout->getSizeInBytes(), probe[n]) << what << " size";
  EXPECT_EQ(dl.getABITypeAlign(type).value(), probe[n + 1])
      << what << " alignment";
}

// x86_64 is the host: layout_probe.c was compiled for it. AArch64 (LP64,
// AAPCS64) lays these structs out the same way; model_loader.c checks that
// for real under qemu in BackendTest.
TEST(ModelGlue, DescriptorLayoutMatchesC) {
  for (const char *arch : {"x86_64", "aarch64"}) {
    llvm::LLVMContext ctx;
    llvm::DataLayout dl = dataLayoutFor(arch);
    expectLayoutMatchesC(dl, getTensorDescType(ctx),
                         mnn_probe_tensor_desc_layout,
                         (std::string(arch) + " mnn_tensor_desc").c_str());
    expectLayoutMatchesC(dl, getModelDescType(ctx),
                         mnn_probe_model_desc_layout,
                         (std::string(arch) + " mnn_model_desc").c_str());
  }
  EXPECT_EQ(mnn_probe_enum_sizes[0], 4u);
  EXPECT_EQ(mnn_probe_enum_sizes[1], 4u);
}

TEST(ModelGlue, ModelNames) {
  for (const char *good : {"digits", "Model_2", "a", "mnist_v1", "mnnx"})
    EXPECT_EQ(errorText(validateModelName(good)), "") << good;

  struct Bad {
    const char *name;
    const char *message;
  } bad[] = {
      {"", "model name is empty"},
      {"2fast", "must start with a letter"},
      {"_x", "must start with a letter"},
      {"my-model", "contains '-'"},
      {"caf\xc3\xa9", "use only letters, digits and '_'"},
      {"mnn_model", "clash"},
      {"mnnrt", "clash"},
      {"mnn", "clash"},
  };
  for (const Bad &b : bad) {
    std::string err = errorText(validateModelName(b.name));
    EXPECT_NE(err.find(b.message), std::string::npos)
        << "'" << b.name << "': " << err;
  }
  std::string longName(65, 'x');
  EXPECT_NE(errorText(validateModelName(longName)).find("longer than 64"),
            std::string::npos);
}

TEST(ModelGlue, InterfaceValidation) {
  ModelInterface ok = vectorAddInterface("vadd", "x86_64");
  EXPECT_EQ(errorText(validateModelInterface(ok)), "");

  ModelInterface m = ok;
  m.inputs[1].shape.assign(9, 1);
  EXPECT_NE(errorText(validateModelInterface(m)).find("input 1 ('b') has rank 9"),
            std::string::npos);

  m = ok;
  m.outputs[0].shape = {1, -1};
  EXPECT_NE(errorText(validateModelInterface(m)).find("dynamic or negative"),
            std::string::npos);

  m = ok;
  m.inputs[0].dtype = static_cast<mnn_dtype>(42);
  EXPECT_NE(errorText(validateModelInterface(m)).find("unsupported dtype 42"),
            std::string::npos);

  m = ok;
  m.outputs.clear();
  EXPECT_NE(errorText(validateModelInterface(m)).find("has no outputs"),
            std::string::npos);

  m = ok;
  m.arch = "mips";
  EXPECT_NE(errorText(validateModelInterface(m)).find("'mips'"),
            std::string::npos);
}

TEST(ModelGlue, DtypeTables) {
  EXPECT_EQ(dtypeSizeBytes(MNN_DTYPE_F32), 4u);
  EXPECT_EQ(dtypeSizeBytes(MNN_DTYPE_F16), 2u);
  EXPECT_EQ(dtypeSizeBytes(MNN_DTYPE_I64), 8u);
  EXPECT_EQ(dtypeSizeBytes(MNN_DTYPE_BOOL), 1u);
  EXPECT_EQ(dtypeEnumName(MNN_DTYPE_U8), "MNN_DTYPE_U8");
  EXPECT_EQ(numElements({"s", MNN_DTYPE_F32, {}}), 1u);
  EXPECT_EQ(numElements({"t", MNN_DTYPE_F32, {2, 3, 4}}), 24u);
  EXPECT_EQ(numElements({"z", MNN_DTYPE_F32, {2, 0}}), 0u);
}

class GlueFixture : public ::testing::Test {
protected:
  void SetUp() override {
    llvm::Expected<TargetInfo> t = TargetInfo::create({"x86_64", "", ""});
    ASSERT_TRUE(bool(t)) << errorText(t.takeError());
    target = std::make_unique<TargetInfo>(std::move(*t));
    module = buildVectorAddModule(ctx);
  }

  llvm::LLVMContext ctx;
  std::unique_ptr<TargetInfo> target;
  std::unique_ptr<llvm::Module> module;
};

TEST_F(GlueFixture, AddsEntryDescriptorAndWrappers) {
  prepareModule(*module, *target);
  ASSERT_EQ(errorText(addModelGlue(*module, vectorAddInterface("vadd", "x86_64"))),
            "");
  std::string verifyErrors;
  llvm::raw_string_ostream os(verifyErrors);
  EXPECT_FALSE(llvm::verifyModule(*module, &os)) << verifyErrors;

  // The network and its weights are private to the object now.
  EXPECT_TRUE(module->getFunction("__mnn_main")->hasInternalLinkage());
  EXPECT_TRUE(module->getFunction("add_bias")->hasInternalLinkage());
  EXPECT_TRUE(module->getNamedGlobal("bias")->hasInternalLinkage());

  llvm::Function *entry = module->getFunction("__mnn_entry");
  ASSERT_TRUE(entry);
  EXPECT_TRUE(entry->hasExternalLinkage());
  EXPECT_TRUE(entry->hasHiddenVisibility());
  EXPECT_EQ(entry->arg_size(), 4u);

  llvm::GlobalVariable *desc = module->getNamedGlobal("__mnn_model_desc");
  ASSERT_TRUE(desc);
  EXPECT_TRUE(desc->isConstant());
  EXPECT_TRUE(desc->hasHiddenVisibility());
  EXPECT_EQ(desc->getValueType(), getModelDescType(ctx));
  auto *init = llvm::cast<llvm::ConstantStruct>(desc->getInitializer());
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(init->getOperand(0))->getZExtValue(),
            uint64_t(MNN_ABI_VERSION));
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(init->getOperand(3))->getZExtValue(),
            2u);
  EXPECT_EQ(llvm::cast<llvm::ConstantInt>(init->getOperand(7))->getZExtValue(),
            64u);
  EXPECT_EQ(init->getOperand(8), module->getFunction("mnnrt_create"));
  EXPECT_EQ(init->getOperand(9), module->getFunction("mnnrt_run"));
  EXPECT_EQ(init->getOperand(10), module->getFunction("mnnrt_destroy"));

  for (const char *rt : {"mnnrt_create", "mnnrt_run", "mnnrt_destroy"}) {
    llvm::Function *fn = module->getFunction(rt);
    ASSERT_TRUE(fn) << rt;
    EXPECT_TRUE(fn->isDeclaration()) << rt;
    EXPECT_TRUE(fn->hasHiddenVisibility()) << rt;
  }
  for (const std::string &name : exportedSymbols("vadd")) {
    if (name == "mnn_model_descriptor") {
      EXPECT_FALSE(module->getNamedValue(name)) << "provided by the runtime";
      continue;
    }
    llvm::Function *fn = module->getFunction(name);
    ASSERT_TRUE(fn) << name;
    EXPECT_TRUE(fn->hasExternalLinkage()) << name;
    EXPECT_TRUE(fn->hasDefaultVisibility()) << name;
  }
  EXPECT_EQ(module->getFunction("vadd_run")->getReturnType(),
            llvm::Type::getInt32Ty(ctx));
  EXPECT_TRUE(module->getFunction("vadd_destroy")->getReturnType()->isVoidTy());

  // prepareModule tagged the definitions for replay with llc.
  EXPECT_EQ(module->getFunction("add_bias")
                ->getFnAttribute("target-cpu")
                .getValueAsString(),
            "x86-64-v3");
}

TEST_F(GlueFixture, Errors) {
  ModelInterface model = vectorAddInterface("vadd", "x86_64");
  EXPECT_NE(errorText(addModelGlue(*module, model)).find("prepareModule"),
            std::string::npos);

  prepareModule(*module, *target);
  ModelInterface threeInputs = model;
  threeInputs.inputs.push_back({"c", MNN_DTYPE_F32, {4}});
  std::string err = errorText(addModelGlue(*module, threeInputs));
  EXPECT_NE(err.find("__mnn_main must be void(ptr x 6) for 3 inputs and 1 "
                     "outputs"),
            std::string::npos)
      << err;

  ModelInterface aarch64 = vectorAddInterface("vadd", "aarch64");
  EXPECT_NE(errorText(addModelGlue(*module, aarch64)).find("does not match"),
            std::string::npos);

  ModelInterface badName = vectorAddInterface("3d", "x86_64");
  EXPECT_NE(errorText(addModelGlue(*module, badName)).find("start with a letter"),
            std::string::npos);

  llvm::Module empty("empty", ctx);
  prepareModule(empty, *target);
  EXPECT_NE(errorText(addModelGlue(empty, model)).find("does not define __mnn_main"),
            std::string::npos);
}

} // namespace
