#include "codegen/ParallelGlue.h"

#include "llvm/IR/IRBuilder.h"
#include "llvm/IR/Module.h"

using namespace llvm;

namespace mnn::codegen {

Error addParallelGlue(Module &module) {
  LLVMContext &ctx = module.getContext();
  Type *ptr = PointerType::get(ctx, 0);
  Type *i64 = Type::getInt64Ty(ctx);
  Type *voidTy = Type::getVoidTy(ctx);
  FunctionCallee parallelFor = module.getOrInsertFunction(
      "mnnrt_parallel_for", FunctionType::get(voidTy, {ptr, i64, ptr, ptr}, false));

  SmallVector<Function *> declarations;
  for (Function &f : module)
    if (f.isDeclaration() && f.getName().starts_with("__mnn_parallel_"))
      declarations.push_back(&f);

  for (Function *par : declarations) {
    StringRef id = par->getName().drop_front(strlen("__mnn_parallel_"));
    Function *task = module.getFunction(("__mnn_task_" + id).str());
    if (!task || task->arg_size() != par->arg_size() + 1)
      return createStringError(inconvertibleErrorCode(),
                               "internal error: no task for %s",
                               par->getName().str().c_str());
    unsigned numPtrs = par->arg_size() - 1;

    // Trampoline: (ctx, begin, end) -> task(ctx[0..k-1], begin, end).
    Function *tramp = Function::Create(
        FunctionType::get(voidTy, {ptr, i64, i64}, false),
        GlobalValue::InternalLinkage, "__mnn_trampoline_" + id, module);
    {
      IRBuilder<> b(BasicBlock::Create(ctx, "entry", tramp));
      SmallVector<Value *> args;
      for (unsigned i = 0; i < numPtrs; ++i)
        args.push_back(b.CreateLoad(
            ptr, b.CreateConstGEP1_64(ptr, tramp->getArg(0), i)));
      args.push_back(tramp->getArg(1));
      args.push_back(tramp->getArg(2));
      b.CreateCall(task, args);
      b.CreateRetVoid();
    }

    // The parallel call itself.
    par->setLinkage(GlobalValue::InternalLinkage);
    IRBuilder<> b(BasicBlock::Create(ctx, "entry", par));
    Value *array = b.CreateAlloca(ArrayType::get(ptr, numPtrs));
    for (unsigned i = 0; i < numPtrs; ++i)
      b.CreateStore(par->getArg(i), b.CreateConstGEP1_64(ptr, array, i));
    Value *pool = par->getArg(numPtrs - 1);
    b.CreateCall(parallelFor, {pool, par->getArg(numPtrs), tramp, array});
    b.CreateRetVoid();
  }
  return Error::success();
}

} // namespace mnn::codegen
