#include "codegen/ObjectEmitter.h"
#include "codegen/RegisterTiledLoops.h"
#include "codegen/TargetInfo.h"

#include "TestSupport.h"

#include "llvm/AsmParser/Parser.h"
#include "llvm/IR/Instructions.h"
#include "llvm/IR/IntrinsicInst.h"
#include "llvm/IR/LLVMContext.h"
#include "llvm/IR/Module.h"
#include "llvm/Support/SourceMgr.h"

#include <gtest/gtest.h>

#include <string>

using namespace mnn::codegen;
using mnn::codegen::test::errorText;

namespace {

/// A register tile's reduction loop: `rows` accumulators of <lanes x float>,
/// each step a weight vector times a broadcast per row, 256 steps.
std::string tileLoop(int rows, int lanes) {
  std::string vt = "<" + std::to_string(lanes) + " x float>";
  std::string ir = "define void @tile(ptr %w, ptr %x, ptr %out) {\n"
                   "entry:\n  br label %loop\nloop:\n"
                   "  %k = phi i64 [ 0, %entry ], [ %k1, %loop ]\n";
  for (int r = 0; r < rows; ++r)
    ir += "  %a" + std::to_string(r) + " = phi " + vt + " [ zeroinitializer, %entry ], [ %n" +
          std::to_string(r) + ", %loop ]\n";
  ir += "  %wk = mul i64 %k, " + std::to_string(lanes) + "\n"
        "  %wp = getelementptr float, ptr %w, i64 %wk\n"
        "  %wv = load " + vt + ", ptr %wp, align 4\n"
        "  %xk = mul i64 %k, " + std::to_string(rows) + "\n";
  for (int r = 0; r < rows; ++r) {
    std::string s = std::to_string(r);
    ir += "  %xi" + s + " = add i64 %xk, " + s + "\n"
          "  %xp" + s + " = getelementptr float, ptr %x, i64 %xi" + s + "\n"
          "  %xs" + s + " = load float, ptr %xp" + s + ", align 4\n"
          "  %xe" + s + " = insertelement " + vt + " poison, float %xs" + s + ", i64 0\n"
          "  %xb" + s + " = shufflevector " + vt + " %xe" + s + ", " + vt +
          " poison, <" + std::to_string(lanes) + " x i32> zeroinitializer\n"
          "  %n" + s + " = call " + vt + " @llvm.fmuladd.v" + std::to_string(lanes) +
          "f32(" + vt + " %wv, " + vt + " %xb" + s + ", " + vt + " %a" + s + ")\n";
  }
  ir += "  %k1 = add i64 %k, 1\n  %done = icmp eq i64 %k1, 256\n"
        "  br i1 %done, label %exit, label %loop\nexit:\n";
  for (int r = 0; r < rows; ++r) {
    std::string s = std::to_string(r);
    ir += "  %op" + s + " = getelementptr " + vt + ", ptr %out, i64 " + s + "\n"
          "  store " + vt + " %n" + s + ", ptr %op" + s + ", align 4\n";
  }
  ir += "  ret void\n}\ndeclare " + vt + " @llvm.fmuladd.v" + std::to_string(lanes) + "f32(" +
        vt + ", " + vt + ", " + vt + ")\n";
  return ir;
}

std::unique_ptr<llvm::Module> parse(llvm::LLVMContext &context, const std::string &ir) {
  llvm::SMDiagnostic diagnostic;
  std::unique_ptr<llvm::Module> module = llvm::parseAssemblyString(ir, diagnostic, context);
  if (!module)
    ADD_FAILURE() << diagnostic.getMessage().str() << "\n" << ir;
  return module;
}

unsigned fmaCalls(const llvm::Module &module) {
  unsigned calls = 0;
  for (const llvm::Function &fn : module)
    for (const llvm::BasicBlock &block : fn)
      for (const llvm::Instruction &inst : block)
        if (auto *call = llvm::dyn_cast<llvm::IntrinsicInst>(&inst))
          calls += call->getIntrinsicID() == llvm::Intrinsic::fmuladd;
  return calls;
}

bool latchDisablesUnrolling(const llvm::Module &module) {
  for (const llvm::Function &fn : module)
    for (const llvm::BasicBlock &block : fn)
      if (llvm::MDNode *loopId = block.getTerminator()->getMetadata("llvm.loop"))
        for (const llvm::MDOperand &op : loopId->operands())
          if (auto *node = llvm::dyn_cast<llvm::MDNode>(op.get()))
            if (auto *name = llvm::dyn_cast<llvm::MDString>(node->getOperand(0)))
              if (name->getString() == "llvm.loop.unroll.disable")
                return true;
  return false;
}

TEST(RegisterTiledLoops, MarksOneRegisterPerRowTilesThatFillTheRegisters) {
  llvm::LLVMContext context;
  // 12 accumulators of 8 lanes (AVX2: 12 of 16 registers, a broadcast per
  // FMA): marked.
  std::unique_ptr<llvm::Module> wide = parse(context, tileLoop(12, 8));
  ASSERT_TRUE(wide);
  EXPECT_EQ(keepRegisterTiledLoopsRolled(*wide, 256, 16), 1u);
  EXPECT_TRUE(latchDisablesUnrolling(*wide));
  // 6 rows of 16 lanes (two registers each, a broadcast per two FMAs) and
  // 8 rows of 8 lanes (half the registers): left to LLVM.
  for (auto [rows, lanes] : {std::pair{6, 16}, std::pair{8, 8}}) {
    std::unique_ptr<llvm::Module> other = parse(context, tileLoop(rows, lanes));
    ASSERT_TRUE(other);
    EXPECT_EQ(keepRegisterTiledLoopsRolled(*other, 256, 16), 0u) << rows << "x" << lanes;
    EXPECT_FALSE(latchDisablesUnrolling(*other));
  }
  // With AVX-512's 32 registers of 512 bits 12 accumulators are few.
  std::unique_ptr<llvm::Module> avx512 = parse(context, tileLoop(12, 16));
  ASSERT_TRUE(avx512);
  EXPECT_EQ(keepRegisterTiledLoopsRolled(*avx512, 512, 32), 0u);
}

TEST(RegisterTiledLoops, ZnVer3KeepsTheMarkedTileRolled) {
  // znver3's unrolling preferences unroll such a loop by two (the
  // accumulators then spill); optimizeModule marks it first.
  llvm::Expected<TargetInfo> target = TargetInfo::create({"x86_64", "znver3", ""});
  ASSERT_TRUE(static_cast<bool>(target)) << errorText(target.takeError());
  llvm::LLVMContext context;
  std::unique_ptr<llvm::Module> module = parse(context, tileLoop(12, 8));
  ASSERT_TRUE(module);
  prepareModule(*module, *target);
  llvm::Error err = optimizeModule(*module, *target);
  ASSERT_FALSE(static_cast<bool>(err)) << errorText(std::move(err));
  EXPECT_EQ(fmaCalls(*module), 12u);
  EXPECT_TRUE(latchDisablesUnrolling(*module));
}

} // namespace
