//===- FoldConstants.cpp - fold constant subgraphs, drop dead ops ---------===//
//
// Runs the mnn op folders (dialects/mnn/lib/ConstantFolding.cpp), the
// canonicalization patterns registered by the dialect and its ops, and the
// graph simplifications below to a fixed point, then erases unused pure ops.
//
// Simplifications local to this pass (exact, except that x + 0 turns a -0.0
// in x into +0.0, which no consumer here can tell apart):
//   reshape(reshape(x))      -> reshape(x)
//   transpose(transpose(x))  -> transpose(x) with the composed permutation
//                               (the transpose folder removes an identity)
//   x + 0, 0 + x, x - 0      -> x   } only when the result type equals the
//   x * 1, 1 * x, x / 1      -> x   } type of x (no broadcast to a new shape)
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mnn {
#define GEN_PASS_DEF_FOLDCONSTANTS
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

// Constants larger than this are not scanned for an all-equal value.
constexpr int64_t kMaxScanElements = 1 << 16;

/// True if `v` is a constant whose elements all equal `expected`.
bool isConstantEqualTo(Value v, double expected) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return false;
  auto type = cast<ShapedType>(attr.getType());
  if (auto dense = dyn_cast<DenseElementsAttr>(attr); dense && dense.isSplat()) {
    auto one = mnn::getAsDoubles(DenseElementsAttr::get(
        RankedTensorType::get({}, type.getElementType()),
        dense.getSplatValue<Attribute>()));
    return one && (*one)[0] == expected;
  }
  if (type.getNumElements() > kMaxScanElements)
    return false;
  auto values = mnn::getAsDoubles(attr);
  if (!values)
    return false;
  return llvm::all_of(*values, [&](double x) { return x == expected; });
}

struct ReshapeOfReshape : OpRewritePattern<mnn::ReshapeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mnn::ReshapeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<mnn::ReshapeOp>();
    if (!inner)
      return failure();
    rewriter.replaceOpWithNewOp<mnn::ReshapeOp>(op, op.getOutput().getType(),
                                                inner.getInput());
    return success();
  }
};

struct TransposeOfTranspose : OpRewritePattern<mnn::TransposeOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(mnn::TransposeOp op,
                                PatternRewriter &rewriter) const override {
    auto inner = op.getInput().getDefiningOp<mnn::TransposeOp>();
    if (!inner)
      return failure();
    // Output dim i of `op` is dim perm[i] of `inner`, which is dim
    // innerPerm[perm[i]] of the original input.
    ArrayRef<int64_t> perm = op.getPerm(), innerPerm = inner.getPerm();
    SmallVector<int64_t> composed;
    for (int64_t p : perm)
      composed.push_back(innerPerm[p]);
    rewriter.replaceOpWithNewOp<mnn::TransposeOp>(
        op, op.getOutput().getType(), inner.getInput(),
        rewriter.getDenseI64ArrayAttr(composed));
    return success();
  }
};

/// Replaces `op(x, c)` by x when c is a constant of all `neutral` values and
/// the op does not broadcast x to another type. `commutative` also tries
/// `op(c, x)`.
template <typename OpT, bool commutative>
struct DropNeutralOperand : OpRewritePattern<OpT> {
  DropNeutralOperand(MLIRContext *ctx, double neutral)
      : OpRewritePattern<OpT>(ctx), neutral(neutral) {}
  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Type resultType = op.getOutput().getType();
    auto tryDrop = [&](Value keep, Value constant) {
      if (keep.getType() != resultType || !isConstantEqualTo(constant, neutral))
        return false;
      rewriter.replaceOp(op, keep);
      return true;
    };
    if (tryDrop(op.getLhs(), op.getRhs()))
      return success();
    if (commutative && tryDrop(op.getRhs(), op.getLhs()))
      return success();
    return failure();
  }
  double neutral;
};

void populateLocalPatterns(RewritePatternSet &patterns) {
  MLIRContext *ctx = patterns.getContext();
  patterns.add<ReshapeOfReshape, TransposeOfTranspose>(ctx);
  patterns.add<DropNeutralOperand<mnn::AddOp, true>>(ctx, 0.0);
  patterns.add<DropNeutralOperand<mnn::SubOp, false>>(ctx, 0.0);
  patterns.add<DropNeutralOperand<mnn::MulOp, true>>(ctx, 1.0);
  patterns.add<DropNeutralOperand<mnn::DivOp, false>>(ctx, 1.0);
}

/// Erases ops without uses and without side effects, last to first, so that
/// whole dead chains go in one sweep.
void eraseDeadOps(Region &region) {
  for (Block &block : region) {
    for (Operation &op : llvm::make_early_inc_range(llvm::reverse(block))) {
      for (Region &nested : op.getRegions())
        eraseDeadOps(nested);
      if (isOpTriviallyDead(&op))
        op.erase();
    }
  }
}

struct FoldConstantsPass : mnn::impl::FoldConstantsBase<FoldConstantsPass> {
  using FoldConstantsBase::FoldConstantsBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet set(ctx);
    // The dialect's own canonicalizers (none today; picked up when added).
    if (Dialect *dialect = ctx->getLoadedDialect<mnn::MNNDialect>()) {
      dialect->getCanonicalizationPatterns(set);
      for (RegisteredOperationName name : ctx->getRegisteredOperations())
        if (&name.getDialect() == dialect)
          name.getCanonicalizationPatterns(set, ctx);
    }
    populateLocalPatterns(set);
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    func::FuncOp func = getOperation();
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true; // producers fold before consumers
    // Not converging within the iteration limit leaves correct IR; the
    // remaining work is just not done.
    (void)applyPatternsAndFoldGreedily(func, patterns, config);
    eraseDeadOps(func.getBody());
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
