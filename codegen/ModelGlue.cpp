#include "codegen/ModelGlue.h"

#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/IR/Constants.h"
#include "llvm/IR/DerivedTypes.h"
#include "llvm/IR/Function.h"
#include "llvm/IR/GlobalVariable.h"
#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"
#include "llvm/TargetParser/Triple.h"

namespace mnn::codegen {
namespace {

constexpr size_t kMaxModelNameLength = 64;

llvm::Error error(const llvm::Twine &message) {
  return llvm::createStringError(message);
}

std::string tensorLabel(const char *kind, size_t index,
                        const TensorSpec &tensor) {
  return std::string(kind) + " " + std::to_string(index) + " ('" +
         tensor.name + "')";
}

llvm::Error validateTensor(const char *kind, size_t index,
                           const TensorSpec &tensor) {
  std::string label = tensorLabel(kind, index, tensor);
  if (dtypeSizeBytes(tensor.dtype) == 0)
    return error(label + " has unsupported dtype " +
                 llvm::Twine(static_cast<int>(tensor.dtype)));
  if (tensor.shape.size() > MNN_MAX_RANK)
    return error(label + " has rank " + llvm::Twine(tensor.shape.size()) +
                 ", more than MNN_MAX_RANK (" + llvm::Twine(MNN_MAX_RANK) +
                 ")");
  uint64_t elements = 1;
  for (int64_t dim : tensor.shape) {
    if (dim < 0)
      return error(label + " has a dynamic or negative dimension (" +
                   llvm::Twine(dim) +
                   "); model interfaces must be static");
    if (dim != 0 && elements > (uint64_t(1) << 56) / uint64_t(dim))
      return error(label + " is too large");
    elements *= uint64_t(dim);
  }
  return llvm::Error::success();
}

// Private NUL-terminated string constant; returns a pointer to it.
llvm::Constant *makeCString(llvm::Module &module, llvm::StringRef text,
                            const llvm::Twine &name) {
  llvm::Constant *init =
      llvm::ConstantDataArray::getString(module.getContext(), text, true);
  auto *gv = new llvm::GlobalVariable(module, init->getType(), true,
                                      llvm::GlobalValue::PrivateLinkage, init,
                                      name);
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  gv->setAlignment(llvm::Align(1));
  return gv;
}

// Private constant array of mnn_tensor_desc, or null for no tensors.
llvm::Constant *makeTensorDescs(llvm::Module &module,
                                llvm::ArrayRef<TensorSpec> tensors,
                                llvm::StringRef kind) {
  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  if (tensors.empty())
    return llvm::ConstantPointerNull::get(ptrTy);

  llvm::StructType *descTy = getTensorDescType(ctx);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *shapeTy = llvm::ArrayType::get(i64, MNN_MAX_RANK);

  llvm::SmallVector<llvm::Constant *> descs;
  for (auto [index, tensor] : llvm::enumerate(tensors)) {
    llvm::SmallVector<llvm::Constant *, MNN_MAX_RANK> dims;
    for (unsigned d = 0; d < MNN_MAX_RANK; ++d)
      dims.push_back(llvm::ConstantInt::get(
          i64, d < tensor.shape.size() ? tensor.shape[d] : 0));
    uint64_t elements = numElements(tensor);
    llvm::Constant *fields[] = {
        makeCString(module, tensor.name,
                    ".mnn." + kind + "." + llvm::Twine(index) + ".name"),
        llvm::ConstantInt::get(i32, tensor.dtype),
        llvm::ConstantInt::get(i32, MNN_LAYOUT_ROW_MAJOR),
        llvm::ConstantInt::get(i32, tensor.shape.size()),
        llvm::ConstantArray::get(shapeTy, dims),
        llvm::ConstantInt::get(i64, elements),
        llvm::ConstantInt::get(i64, elements * dtypeSizeBytes(tensor.dtype)),
    };
    descs.push_back(llvm::ConstantStruct::get(descTy, fields));
  }
  auto *arrayTy = llvm::ArrayType::get(descTy, descs.size());
  auto *gv = new llvm::GlobalVariable(
      module, arrayTy, true, llvm::GlobalValue::PrivateLinkage,
      llvm::ConstantArray::get(arrayTy, descs), ".mnn." + kind + ".descs");
  gv->setUnnamedAddr(llvm::GlobalValue::UnnamedAddr::Global);
  return gv;
}

// Declares a runtime function (hidden: it lives in libmnnrt.a, linked into
// the same .so), or checks an existing declaration has the same type.
llvm::Expected<llvm::Function *> declareRuntimeFunction(
    llvm::Module &module, llvm::StringRef name, llvm::FunctionType *type) {
  if (llvm::Function *existing = module.getFunction(name)) {
    if (existing->getFunctionType() != type)
      return error("the module declares " + name +
                   " with a type that does not match runtime_abi.h");
    if (!existing->isDeclaration())
      return error("the module defines " + name +
                   ", which the runtime provides");
    existing->setVisibility(llvm::GlobalValue::HiddenVisibility);
    return existing;
  }
  llvm::Function *fn = llvm::Function::Create(
      type, llvm::GlobalValue::ExternalLinkage, name, module);
  fn->setVisibility(llvm::GlobalValue::HiddenVisibility);
  return fn;
}

// An exported function whose body is `return tail call callee(args...)`.
llvm::Error addForwarder(llvm::Module &module, llvm::StringRef name,
                         llvm::Function *callee) {
  if (module.getNamedValue(name))
    return error("the module already has a symbol named " + name);
  llvm::Function *fn =
      llvm::Function::Create(callee->getFunctionType(),
                             llvm::GlobalValue::ExternalLinkage, name, module);
  fn->setVisibility(llvm::GlobalValue::DefaultVisibility);
  llvm::IRBuilder<> b(llvm::BasicBlock::Create(module.getContext(), "", fn));
  llvm::SmallVector<llvm::Value *> args;
  for (llvm::Argument &arg : fn->args())
    args.push_back(&arg);
  llvm::CallInst *call = b.CreateCall(callee, args);
  call->setTailCall();
  if (fn->getReturnType()->isVoidTy())
    b.CreateRetVoid();
  else
    b.CreateRet(call);
  return llvm::Error::success();
}

} // namespace

llvm::Error validateModelName(llvm::StringRef name) {
  if (name.empty())
    return error("model name is empty");
  auto isAlpha = [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  auto isDigit = [](char c) { return c >= '0' && c <= '9'; };
  if (!isAlpha(name.front()))
    return error("model name '" + name +
                 "' must start with a letter (it prefixes C symbols such as " +
                 name + "_create)");
  for (char c : name)
    if (!isAlpha(c) && !isDigit(c) && c != '_')
      return error("model name '" + name + "' contains '" + llvm::Twine(c) +
                   "'; use only letters, digits and '_' (a C identifier)");
  if (name.size() > kMaxModelNameLength)
    return error("model name '" + name + "' is longer than " +
                 llvm::Twine(kMaxModelNameLength) + " characters");
  if (name.starts_with("mnn_") || name.starts_with("mnnrt") || name == "mnn")
    return error("model name '" + name +
                 "' would clash with the runtime's mnn_*/mnnrt_* symbols");
  return llvm::Error::success();
}

llvm::Error validateModelInterface(const ModelInterface &model) {
  if (llvm::Error err = validateModelName(model.name))
    return err;
  if (model.arch != "x86_64" && model.arch != "aarch64")
    return error("unknown target architecture '" + model.arch +
                 "' (supported: x86_64, aarch64)");
  if (model.outputs.empty())
    return error("model '" + model.name + "' has no outputs");
  for (auto [i, t] : llvm::enumerate(model.inputs))
    if (llvm::Error err = validateTensor("input", i, t))
      return err;
  for (auto [i, t] : llvm::enumerate(model.outputs))
    if (llvm::Error err = validateTensor("output", i, t))
      return err;
  return llvm::Error::success();
}

unsigned dtypeSizeBytes(mnn_dtype dtype) {
  switch (dtype) {
  case MNN_DTYPE_F32:
  case MNN_DTYPE_I32:
  case MNN_DTYPE_U32:
    return 4;
  case MNN_DTYPE_F16:
  case MNN_DTYPE_I16:
  case MNN_DTYPE_U16:
  case MNN_DTYPE_BF16:
    return 2;
  case MNN_DTYPE_I8:
  case MNN_DTYPE_U8:
  case MNN_DTYPE_BOOL:
  case MNN_DTYPE_F8E4M3FN:
  case MNN_DTYPE_F8E4M3FNUZ:
  case MNN_DTYPE_F8E5M2:
  case MNN_DTYPE_F8E5M2FNUZ:
  case MNN_DTYPE_I4: // sub-byte types: one element per byte
  case MNN_DTYPE_U4:
  case MNN_DTYPE_I2:
  case MNN_DTYPE_U2:
    return 1;
  case MNN_DTYPE_I64:
  case MNN_DTYPE_U64:
  case MNN_DTYPE_F64:
    return 8;
  }
  return 0;
}

llvm::StringRef dtypeEnumName(mnn_dtype dtype) {
  switch (dtype) {
  case MNN_DTYPE_F32:
    return "MNN_DTYPE_F32";
  case MNN_DTYPE_F16:
    return "MNN_DTYPE_F16";
  case MNN_DTYPE_I8:
    return "MNN_DTYPE_I8";
  case MNN_DTYPE_U8:
    return "MNN_DTYPE_U8";
  case MNN_DTYPE_I32:
    return "MNN_DTYPE_I32";
  case MNN_DTYPE_I64:
    return "MNN_DTYPE_I64";
  case MNN_DTYPE_BOOL:
    return "MNN_DTYPE_BOOL";
  case MNN_DTYPE_F64:
    return "MNN_DTYPE_F64";
  case MNN_DTYPE_I16:
    return "MNN_DTYPE_I16";
  case MNN_DTYPE_U16:
    return "MNN_DTYPE_U16";
  case MNN_DTYPE_U32:
    return "MNN_DTYPE_U32";
  case MNN_DTYPE_U64:
    return "MNN_DTYPE_U64";
  case MNN_DTYPE_BF16:
    return "MNN_DTYPE_BF16";
  case MNN_DTYPE_F8E4M3FN:
    return "MNN_DTYPE_F8E4M3FN";
  case MNN_DTYPE_F8E4M3FNUZ:
    return "MNN_DTYPE_F8E4M3FNUZ";
  case MNN_DTYPE_F8E5M2:
    return "MNN_DTYPE_F8E5M2";
  case MNN_DTYPE_F8E5M2FNUZ:
    return "MNN_DTYPE_F8E5M2FNUZ";
  case MNN_DTYPE_I4:
    return "MNN_DTYPE_I4";
  case MNN_DTYPE_U4:
    return "MNN_DTYPE_U4";
  case MNN_DTYPE_I2:
    return "MNN_DTYPE_I2";
  case MNN_DTYPE_U2:
    return "MNN_DTYPE_U2";
  }
  return "";
}

uint64_t numElements(const TensorSpec &tensor) {
  uint64_t n = 1;
  for (int64_t dim : tensor.shape)
    n *= uint64_t(dim);
  return n;
}

std::vector<std::string> exportedSymbols(llvm::StringRef modelName) {
  return {(modelName + "_create").str(), (modelName + "_run").str(),
          (modelName + "_destroy").str(), (modelName + "_descriptor").str(),
          kDescriptorFunctionName.str()};
}

llvm::StructType *getTensorDescType(llvm::LLVMContext &ctx) {
  constexpr llvm::StringLiteral name = "struct.mnn_tensor_desc";
  if (llvm::StructType *existing = llvm::StructType::getTypeByName(ctx, name))
    return existing;
  auto *ptr = llvm::PointerType::get(ctx, 0);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  return llvm::StructType::create(
      ctx,
      {
          ptr,                                   // const char* name
          i32,                                   // mnn_dtype dtype
          i32,                                   // mnn_layout layout
          i32,                                   // int32_t rank
          llvm::ArrayType::get(i64, MNN_MAX_RANK), // int64_t shape[8]
          i64,                                   // uint64_t num_elements
          i64,                                   // uint64_t size_bytes
      },
      name);
}

llvm::StructType *getModelDescType(llvm::LLVMContext &ctx) {
  constexpr llvm::StringLiteral name = "struct.mnn_model_desc";
  if (llvm::StructType *existing = llvm::StructType::getTypeByName(ctx, name))
    return existing;
  auto *ptr = llvm::PointerType::get(ctx, 0);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  return llvm::StructType::create(ctx,
                                  {
                                      i32, // uint32_t abi_version
                                      ptr, // const char* name
                                      ptr, // const char* target
                                      i32, // uint32_t num_inputs
                                      i32, // uint32_t num_outputs
                                      ptr, // const mnn_tensor_desc* inputs
                                      ptr, // const mnn_tensor_desc* outputs
                                      i64, // uint64_t arena_bytes
                                      ptr, // create
                                      ptr, // run
                                      ptr, // destroy
                                      i32, // uint32_t num_ops
                                      ptr, // const char* const* op_names
                                      ptr, // profile
                                  },
                                  name);
}

llvm::Error addModelGlue(llvm::Module &module, const ModelInterface &model) {
  if (llvm::Error err = validateModelInterface(model))
    return err;
  if (module.getDataLayoutStr().empty() || module.getTargetTriple().empty())
    return error("addModelGlue needs the target triple and data layout on the "
                 "module (call prepareModule first)");
  llvm::Triple triple(module.getTargetTriple());
  if (llvm::Triple::getArchTypeName(triple.getArch()) != model.arch)
    return error("module triple " + triple.str() +
                 " does not match the model's arch " + model.arch);

  llvm::LLVMContext &ctx = module.getContext();
  auto *ptrTy = llvm::PointerType::get(ctx, 0);
  auto *i32 = llvm::Type::getInt32Ty(ctx);
  auto *i64 = llvm::Type::getInt64Ty(ctx);
  auto *voidTy = llvm::Type::getVoidTy(ctx);

  // __mnn_main(in..., out..., arena, pool)
  llvm::Function *mainFn = module.getFunction(kMainFunctionName);
  size_t numArgs = model.inputs.size() + model.outputs.size() + 2;
  if (!mainFn || mainFn->isDeclaration())
    return error("the module does not define " + kMainFunctionName);
  if (!mainFn->getReturnType()->isVoidTy() || mainFn->isVarArg() ||
      mainFn->arg_size() != numArgs ||
      llvm::any_of(mainFn->args(), [](const llvm::Argument &a) {
        return !a.getType()->isPointerTy();
      }))
    return error(kMainFunctionName + " must be void(ptr x " +
                 llvm::Twine(numArgs) + ") for " +
                 llvm::Twine(model.inputs.size()) + " inputs and " +
                 llvm::Twine(model.outputs.size()) +
                 " outputs (inputs, outputs, arena, pool)");

  for (llvm::StringRef name : {kEntryFunctionName, kModelDescName, kThreadScratchBytesName})
    if (module.getNamedValue(name))
      return error("the module already has a symbol named " + name);

  // __mnn_entry: unpack the pointer arrays and call __mnn_main.
  auto *entryTy =
      llvm::FunctionType::get(voidTy, {ptrTy, ptrTy, ptrTy, ptrTy}, false);
  llvm::Function *entry = llvm::Function::Create(
      entryTy, llvm::GlobalValue::ExternalLinkage, kEntryFunctionName, module);
  entry->setVisibility(llvm::GlobalValue::HiddenVisibility);
  entry->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::Argument *inputsArg = entry->getArg(0);
  llvm::Argument *outputsArg = entry->getArg(1);
  inputsArg->setName("inputs");
  outputsArg->setName("outputs");
  entry->getArg(2)->setName("arena");
  entry->getArg(3)->setName("pool");
  {
    llvm::IRBuilder<> b(llvm::BasicBlock::Create(ctx, "", entry));
    llvm::Align ptrAlign = module.getDataLayout().getPointerABIAlignment(0);
    llvm::SmallVector<llvm::Value *> args;
    auto loadAll = [&](llvm::Value *array, size_t count, const char *prefix) {
      for (size_t i = 0; i < count; ++i) {
        llvm::Value *slot = b.CreateConstInBoundsGEP1_64(ptrTy, array, i);
        args.push_back(b.CreateAlignedLoad(ptrTy, slot, ptrAlign,
                                           prefix + llvm::Twine(i)));
      }
    };
    loadAll(inputsArg, model.inputs.size(), "in");
    loadAll(outputsArg, model.outputs.size(), "out");
    args.push_back(entry->getArg(2));
    args.push_back(entry->getArg(3));
    b.CreateCall(mainFn, args);
    b.CreateRetVoid();
  }

  // Runtime entry points the descriptor and the wrappers refer to.
  auto *createTy = llvm::FunctionType::get(i32, {ptrTy, ptrTy, ptrTy}, false);
  auto *runTy =
      llvm::FunctionType::get(i32, {ptrTy, ptrTy, ptrTy, ptrTy}, false);
  auto *destroyTy = llvm::FunctionType::get(voidTy, {ptrTy}, false);
  auto rtCreate = declareRuntimeFunction(module, "mnnrt_create", createTy);
  if (!rtCreate)
    return rtCreate.takeError();
  auto rtRun = declareRuntimeFunction(module, "mnnrt_run", runTy);
  if (!rtRun)
    return rtRun.takeError();
  auto rtDestroy = declareRuntimeFunction(module, "mnnrt_destroy", destroyTy);
  if (!rtDestroy)
    return rtDestroy.takeError();
  llvm::Constant *opNames = llvm::ConstantPointerNull::get(ptrTy);
  llvm::Constant *rtProfile = llvm::ConstantPointerNull::get(ptrTy);
  if (!model.opNames.empty()) {
    std::vector<llvm::Constant *> names;
    for (size_t i = 0; i < model.opNames.size(); ++i)
      names.push_back(makeCString(module, model.opNames[i],
                                  ".mnn.op_name." + std::to_string(i)));
    auto *arrayTy = llvm::ArrayType::get(ptrTy, names.size());
    auto *array = new llvm::GlobalVariable(
        module, arrayTy, true, llvm::GlobalValue::PrivateLinkage,
        llvm::ConstantArray::get(arrayTy, names), ".mnn.op_names");
    opNames = array;
    auto *profileTy = llvm::FunctionType::get(i32, {ptrTy, ptrTy, ptrTy}, false);
    auto fn = declareRuntimeFunction(module, "mnnrt_profile", profileTy);
    if (!fn)
      return fn.takeError();
    rtProfile = *fn;
  }

  // __mnn_model_desc
  llvm::StructType *modelDescTy = getModelDescType(ctx);
  llvm::Constant *descFields[] = {
      llvm::ConstantInt::get(i32, MNN_ABI_VERSION),
      makeCString(module, model.name, ".mnn.model_name"),
      makeCString(module, model.arch, ".mnn.target"),
      llvm::ConstantInt::get(i32, model.inputs.size()),
      llvm::ConstantInt::get(i32, model.outputs.size()),
      makeTensorDescs(module, model.inputs, "input"),
      makeTensorDescs(module, model.outputs, "output"),
      llvm::ConstantInt::get(i64, model.arenaBytes),
      *rtCreate,
      *rtRun,
      *rtDestroy,
      llvm::ConstantInt::get(i32, model.opNames.size()),
      opNames,
      rtProfile,
  };
  auto *desc = new llvm::GlobalVariable(
      module, modelDescTy, true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantStruct::get(modelDescTy, descFields), kModelDescName);
  desc->setVisibility(llvm::GlobalValue::HiddenVisibility);
  desc->setAlignment(module.getDataLayout().getABITypeAlign(modelDescTy));

  // __mnn_thread_scratch_bytes
  auto *scratchBytes = new llvm::GlobalVariable(
      module, i64, true, llvm::GlobalValue::ExternalLinkage,
      llvm::ConstantInt::get(i64, model.threadScratchBytes), kThreadScratchBytesName);
  scratchBytes->setVisibility(llvm::GlobalValue::HiddenVisibility);

  // Exported wrappers.
  std::vector<std::string> exported = exportedSymbols(model.name);
  if (llvm::Error err = addForwarder(module, exported[0], *rtCreate))
    return err;
  if (llvm::Error err = addForwarder(module, exported[1], *rtRun))
    return err;
  if (llvm::Error err = addForwarder(module, exported[2], *rtDestroy))
    return err;
  if (module.getNamedValue(exported[3]))
    return error("the module already has a symbol named " + exported[3]);
  llvm::Function *descriptorFn = llvm::Function::Create(
      llvm::FunctionType::get(ptrTy, false),
      llvm::GlobalValue::ExternalLinkage, exported[3], module);
  descriptorFn->addFnAttr(llvm::Attribute::NoUnwind);
  llvm::IRBuilder<>(llvm::BasicBlock::Create(ctx, "", descriptorFn))
      .CreateRet(desc);

  // Everything else defined here is private to the model object.
  llvm::StringSet<> keep;
  for (const std::string &name : exported)
    keep.insert(name);
  keep.insert(kEntryFunctionName);
  keep.insert(kModelDescName);
  keep.insert(kThreadScratchBytesName);
  for (llvm::GlobalValue &gv : module.global_values()) {
    if (gv.isDeclaration()) {
      if (gv.getName().starts_with("mnnrt_"))
        gv.setVisibility(llvm::GlobalValue::HiddenVisibility);
      continue;
    }
    if (gv.hasLocalLinkage() || gv.getName().starts_with("llvm.") ||
        keep.contains(gv.getName()))
      continue;
    gv.setLinkage(llvm::GlobalValue::InternalLinkage);
    gv.setVisibility(llvm::GlobalValue::DefaultVisibility);
    if (auto *object = llvm::dyn_cast<llvm::GlobalObject>(&gv))
      object->setComdat(nullptr);
  }
  return llvm::Error::success();
}

} // namespace mnn::codegen
