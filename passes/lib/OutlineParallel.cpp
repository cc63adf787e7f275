//===- OutlineParallel.cpp - parallel loops to thread-pool tasks -----------===//
//
// The runtime's mnnrt_parallel_for takes a C function pointer and a context,
// which the MLIR func dialect cannot express. So each top-level scf.parallel
// of __mnn_main (or of a top-level scf.if in it) becomes:
//   - @__mnn_task_N(main's args..., begin, end): runs the linearized
//     iterations [begin, end) of the loop body;
//   - a call to the declaration @__mnn_parallel_N(main's args..., count),
//     defined at LLVM level (codegen/ParallelGlue) as a call to
//     mnnrt_parallel_for with a trampoline into the task.
// Passing main's own arguments keeps the context trivial: every buffer the
// body uses is a view of an argument or a constant, and those views are
// rebuilt inside the task.
//
//===----------------------------------------------------------------------===//
#include "mnn/Passes.h"
#include "mnn/TopLevelOps.h"

#include "mlir/IR/IRMapping.h"

namespace mnn {
#define GEN_PASS_DEF_OUTLINEPARALLEL
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;
using llvm::SmallVector;

namespace {

/// Clones `v`'s defining ops into the task (recursively), so that every value
/// the loop body uses is available there.
LogicalResult materialize(Value v, OpBuilder &b, IRMapping &map) {
  if (map.contains(v))
    return success();
  if (isa<BlockArgument>(v))
    return failure(); // arguments of main are mapped up front
  Operation *def = v.getDefiningOp();
  if (!isMemoryEffectFree(def) || def->getNumRegions() != 0)
    return def->emitError("parallel loop uses a value that cannot be "
                          "recomputed in a task");
  for (Value operand : def->getOperands())
    if (failed(materialize(operand, b, map)))
      return failure();
  b.clone(*def, map);
  return success();
}

LogicalResult outline(scf::ParallelOp loop, func::FuncOp main, unsigned id) {
  MLIRContext *ctx = loop.getContext();
  Location loc = loop.getLoc();
  SmallVector<int64_t> lbs, ubs, steps, counts;
  for (auto [lb, ub, st] : llvm::zip(loop.getLowerBound(), loop.getUpperBound(),
                                     loop.getStep())) {
    auto l = getConstantIntValue(lb), u = getConstantIntValue(ub),
         s = getConstantIntValue(st);
    if (!l || !u || !s)
      return loop.emitError("parallel loop bounds must be constants");
    lbs.push_back(*l);
    ubs.push_back(*u);
    steps.push_back(*s);
    counts.push_back((*u - *l + *s - 1) / *s);
  }
  int64_t total = 1;
  for (int64_t c : counts)
    total *= c;

  OpBuilder mb(ctx);
  mb.setInsertionPoint(main);
  SmallVector<Type> taskArgs(main.getArgumentTypes());
  taskArgs.push_back(mb.getIndexType());
  taskArgs.push_back(mb.getIndexType());
  std::string taskName = "__mnn_task_" + std::to_string(id);
  auto task = mb.create<func::FuncOp>(loc, taskName,
                                      FunctionType::get(ctx, taskArgs, {}));
  task.setPrivate();
  SmallVector<Type> parArgs(main.getArgumentTypes());
  parArgs.push_back(mb.getIndexType());
  auto parallel = mb.create<func::FuncOp>(
      loc, "__mnn_parallel_" + std::to_string(id),
      FunctionType::get(ctx, parArgs, {}));
  parallel.setPrivate();

  // Task body: for l in [begin, end): delinearize, then the loop body.
  Block *entry = task.addEntryBlock();
  OpBuilder b = OpBuilder::atBlockBegin(entry);
  IRMapping map;
  unsigned numArgs = main.getNumArguments();
  for (unsigned i = 0; i < numArgs; ++i)
    map.map(main.getArgument(i), entry->getArgument(i));
  b.create<func::ReturnOp>(loc);
  b.setInsertionPointToStart(entry);
  // Values from above used in the body.
  SmallVector<Value> captured;
  loop.getBody()->walk([&](Operation *op) {
    for (Value v : op->getOperands())
      if (!loop->isAncestor(v.getParentBlock()->getParentOp()) &&
          v.getParentRegion() != &loop.getRegion())
        captured.push_back(v);
  });
  for (Value v : captured) {
    if (auto arg = dyn_cast<BlockArgument>(v);
        arg && arg.getOwner()->getParentOp() == main)
      continue;
    if (failed(materialize(v, b, map)))
      return failure();
  }
  Value c1 = b.create<arith::ConstantIndexOp>(loc, 1);
  auto forOp = b.create<scf::ForOp>(loc, entry->getArgument(numArgs),
                                    entry->getArgument(numArgs + 1), c1);
  b.setInsertionPointToStart(forOp.getBody());
  Value linear = forOp.getInductionVar();
  // Last dim varies fastest.
  for (int i = (int)counts.size() - 1; i >= 0; --i) {
    Value cnt = b.create<arith::ConstantIndexOp>(loc, counts[i]);
    Value idx = i == 0 ? linear : b.create<arith::RemUIOp>(loc, linear, cnt).getResult();
    if (i != 0)
      linear = b.create<arith::DivUIOp>(loc, linear, cnt);
    Value iv = b.create<arith::AddIOp>(
        loc, b.create<arith::ConstantIndexOp>(loc, lbs[i]),
        b.create<arith::MulIOp>(loc, idx,
                                b.create<arith::ConstantIndexOp>(loc, steps[i])));
    map.map(loop.getInductionVars()[i], iv);
  }
  for (Operation &op : loop.getBody()->without_terminator())
    b.clone(op, map);

  // The loop becomes one call.
  OpBuilder cb(loop);
  SmallVector<Value> callArgs(main.getArguments());
  callArgs.push_back(cb.create<arith::ConstantIndexOp>(loc, total));
  cb.create<func::CallOp>(loc, parallel, callArgs);
  loop.erase();
  return success();
}

struct OutlineParallelPass
    : mnn::impl::OutlineParallelBase<OutlineParallelPass> {
  void runOnOperation() override {
    ModuleOp module = getOperation();
    auto main = module.lookupSymbol<func::FuncOp>(mnn::kMainFunction);
    if (!main || main.isExternal())
      return;
    // Top-level loops, also those inside a top-level scf.if (a schedule
    // chosen at run time).
    SmallVector<scf::ParallelOp> loops;
    mnn::forEachTopLevelOp(main.front(), [&](Operation &op) {
      if (auto p = dyn_cast<scf::ParallelOp>(op))
        loops.push_back(p);
    });
    unsigned id = 0;
    for (scf::ParallelOp loop : loops)
      if (failed(outline(loop, main, id++)))
        return signalPassFailure();
  }
};

} // namespace
