//===- FuseEpilogue.cpp - fuse bias, residual and activation --------------===//
//
// Patterns, applied greedily to a fixed point. P is an mnn.conv2d or
// mnn.matmul whose result has exactly one use (the op being fused) in the same
// block; "channel" is dim 1 of a conv result and the last dim of a matmul
// result.
//
//   add(P, c) / add(c, P) / sub(P, c) -> P with bias (+c / -c)
//       c is a constant whose only non-unit dim lines up (numpy broadcast,
//       right-aligned) with the channel dim, and the add does not change P's
//       type. So [1,C,1,1] and [C,1,1] are conv biases, but [C] is not: it
//       broadcasts along W. [N] and [1,N] are matmul biases; scalars and
//       all-ones shapes are biases of both. P must have no residual and
//       activation none (the epilogue adds bias before both). An existing
//       bias must be constant; the sum is computed in double.
//   add(P, r) / add(r, P) -> P with residual r
//       r has P's type, P has no residual yet and activation none. When r
//       is defined after P, P moves down to just before the add (its own
//       operands stay available; its only user is the add).
//   relu / clip / hard_swish / hard_sigmoid / sigmoid (P) -> P with that
//       activation, when P's activation is none. clip keeps min/max in
//       clip_min/clip_max, hard_sigmoid keeps alpha/beta there.
//
// A bias pattern wins over the residual pattern when both match.
//
//===----------------------------------------------------------------------===//
#include "mnn/ElementsUtils.h"
#include "mnn/Passes.h"

#include "mlir/IR/Matchers.h"
#include "mlir/IR/PatternMatch.h"
#include "mlir/Transforms/GreedyPatternRewriteDriver.h"

namespace mnn {
#define GEN_PASS_DEF_FUSEEPILOGUE
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

/// Uniform access to the epilogue of conv2d and matmul.
struct Producer {
  Operation *op = nullptr;
  int64_t channelDim = 0;

  explicit operator bool() const { return op; }
  Value result() const { return op->getResult(0); }
  RankedTensorType type() const {
    return cast<RankedTensorType>(result().getType());
  }
  int64_t channels() const { return type().getDimSize(channelDim); }

  template <typename Fn> auto visit(Fn &&fn) const {
    if (auto conv = dyn_cast<mnn::Conv2DOp>(op))
      return fn(conv);
    return fn(cast<mnn::MatMulOp>(op));
  }
  Value bias() const { return visit([](auto p) { return p.getBias(); }); }
  Value residual() const {
    return visit([](auto p) { return p.getResidual(); });
  }
  StringRef activation() const {
    return visit([](auto p) { return p.getActivation(); });
  }
  void setBias(Value v) const {
    visit([&](auto p) { p.getBiasMutable().assign(v); });
  }
  void setResidual(Value v) const {
    visit([&](auto p) { p.getResidualMutable().assign(v); });
  }
  void setActivation(StringRef name, double lo, double hi) const {
    visit([&](auto p) {
      p.setActivation(name);
      p.setClipMin(APFloat((float)lo));
      p.setClipMax(APFloat((float)hi));
    });
  }
};

/// The conv2d/matmul producing `v` if `user` is its only use, both are in one
/// block and the producer has no activation yet (callers that add a bias or a
/// residual also require that it has no residual).
Producer fusableProducer(Value v, Operation *user) {
  Operation *def = v.getDefiningOp();
  if (!def || !v.hasOneUse() || def->getBlock() != user->getBlock())
    return {};
  Producer p;
  if (isa<mnn::Conv2DOp>(def)) {
    p = {def, 1};
  } else if (isa<mnn::MatMulOp>(def)) {
    int64_t rank = cast<RankedTensorType>(v.getType()).getRank();
    if (rank == 0)
      return {};
    p = {def, rank - 1};
  } else {
    return {};
  }
  if (p.activation() != "none")
    return {};
  return p;
}

/// Per-channel values of constant `v` added to a result of type `out`, or
/// nullopt if `v` is not a constant that varies only along `channelDim`.
std::optional<std::vector<double>>
perChannelValues(Value v, RankedTensorType out, int64_t channelDim) {
  ElementsAttr attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto type = cast<ShapedType>(attr.getType());
  if (type.getElementType() != out.getElementType() ||
      type.getRank() > out.getRank())
    return std::nullopt;
  int64_t lead = out.getRank() - type.getRank();
  bool variesAlongChannel = false;
  for (int64_t d = 0; d < type.getRank(); ++d) {
    if (type.getDimSize(d) == 1)
      continue;
    if (lead + d != channelDim)
      return std::nullopt;
    variesAlongChannel = true;
  }
  auto values = mnn::getAsDoubles(attr);
  if (!values)
    return std::nullopt;
  int64_t channels = out.getDimSize(channelDim);
  if (variesAlongChannel)
    return values; // exactly `channels` values, checked by the add's type
  return std::vector<double>(channels, (*values)[0]);
}

/// add(P, c), add(c, P), sub(P, c) -> P with bias.
template <typename OpT, bool isSub>
struct FuseBias : OpRewritePattern<OpT> {
  FuseBias(MLIRContext *ctx) : OpRewritePattern<OpT>(ctx, /*benefit=*/2) {}

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    if (succeeded(tryFuse(op, op.getLhs(), op.getRhs(), rewriter)))
      return success();
    if (!isSub)
      return tryFuse(op, op.getRhs(), op.getLhs(), rewriter);
    return failure();
  }

  LogicalResult tryFuse(OpT op, Value accumulator, Value constant,
                        PatternRewriter &rewriter) const {
    Producer p = fusableProducer(accumulator, op);
    if (!p || p.residual() || op.getOutput().getType() != p.type())
      return failure();
    auto elt = p.type().getElementType();
    if (!elt.isF32() && !elt.isF64())
      return failure();
    auto add = perChannelValues(constant, p.type(), p.channelDim);
    if (!add)
      return failure();
    int64_t channels = p.channels();
    std::vector<double> bias(channels, 0.0);
    ShapedType biasType = RankedTensorType::get({channels}, elt);
    if (Value old = p.bias()) {
      ElementsAttr attr;
      if (!matchPattern(old, m_Constant(&attr)))
        return failure();
      auto values = mnn::getAsDoubles(attr);
      if (!values || (int64_t)values->size() != channels)
        return failure();
      bias = std::move(*values);
      biasType = cast<ShapedType>(old.getType());
    }
    for (int64_t c = 0; c < channels; ++c)
      bias[c] += isSub ? -(*add)[c] : (*add)[c];

    rewriter.setInsertionPoint(p.op);
    Value biasValue = rewriter.create<mnn::ConstantOp>(
        op.getLoc(), biasType, mnn::makeElementsFromDoubles(biasType, bias));
    rewriter.modifyOpInPlace(p.op, [&] {
      p.setBias(biasValue);
      p.op->setLoc(rewriter.getFusedLoc({p.op->getLoc(), op.getLoc()}));
    });
    rewriter.replaceOp(op, p.result());
    return success();
  }
};

/// True if `v` can be used by `op` where `op` is now: a block argument of an
/// enclosing block, or a value defined before `op`'s ancestor in its block.
bool availableBefore(Value v, Operation *op) {
  Operation *ancestor = v.getParentBlock()->findAncestorOpInBlock(*op);
  if (!ancestor)
    return false;
  Operation *def = v.getDefiningOp();
  return !def || (def != ancestor && def->isBeforeInBlock(ancestor));
}

/// add(P, r) / add(r, P) -> P with residual r.
struct FuseResidual : OpRewritePattern<mnn::AddOp> {
  FuseResidual(MLIRContext *ctx) : OpRewritePattern(ctx, /*benefit=*/1) {}

  LogicalResult matchAndRewrite(mnn::AddOp op,
                                PatternRewriter &rewriter) const override {
    // Prefer the order that needs no move: add(conv1, conv2) fuses conv1
    // into the later conv2.
    Value lhs = op.getLhs(), rhs = op.getRhs();
    for (bool allowMove : {false, true}) {
      if (succeeded(tryFuse(op, lhs, rhs, allowMove, rewriter)) ||
          succeeded(tryFuse(op, rhs, lhs, allowMove, rewriter)))
        return success();
    }
    return failure();
  }

  LogicalResult tryFuse(mnn::AddOp op, Value accumulator, Value residual,
                        bool allowMove, PatternRewriter &rewriter) const {
    Producer p = fusableProducer(accumulator, op);
    if (!p || p.residual() || p.type() != op.getOutput().getType() ||
        residual.getType() != p.type())
      return failure();
    bool needsMove = !availableBefore(residual, p.op);
    if (needsMove && !allowMove)
      return failure();
    if (needsMove)
      rewriter.moveOpBefore(p.op, op);
    rewriter.modifyOpInPlace(p.op, [&] {
      p.setResidual(residual);
      p.op->setLoc(rewriter.getFusedLoc({p.op->getLoc(), op.getLoc()}));
    });
    rewriter.replaceOp(op, p.result());
    return success();
  }
};

/// Activation op (x) -> P with that activation; `params` gives the values
/// stored in clip_min/clip_max.
template <typename OpT>
struct FuseActivation : OpRewritePattern<OpT> {
  FuseActivation(MLIRContext *ctx, StringRef name)
      : OpRewritePattern<OpT>(ctx), name(name.str()) {}

  LogicalResult matchAndRewrite(OpT op,
                                PatternRewriter &rewriter) const override {
    Producer p = fusableProducer(op.getInput(), op);
    // The epilogue activations are f32 code (integer convs/matmuls keep
    // their activation as a separate op).
    if (!p || op.getOutput().getType() != p.type() ||
        !p.type().getElementType().isF32())
      return failure();
    auto [lo, hi] = params(op);
    rewriter.modifyOpInPlace(p.op, [&] {
      p.setActivation(name, lo, hi);
      p.op->setLoc(rewriter.getFusedLoc({p.op->getLoc(), op.getLoc()}));
    });
    rewriter.replaceOp(op, p.result());
    return success();
  }

  static std::pair<double, double> params(OpT op) {
    if constexpr (std::is_same_v<OpT, mnn::ClipOp>)
      return {op.getMin().convertToDouble(), op.getMax().convertToDouble()};
    else if constexpr (std::is_same_v<OpT, mnn::HardSigmoidOp>)
      return {op.getAlpha().convertToDouble(), op.getBeta().convertToDouble()};
    else
      return {0.0, 0.0};
  }

  std::string name;
};

struct FuseEpiloguePass : mnn::impl::FuseEpilogueBase<FuseEpiloguePass> {
  using FuseEpilogueBase::FuseEpilogueBase;

  LogicalResult initialize(MLIRContext *ctx) override {
    RewritePatternSet set(ctx);
    set.add<FuseBias<mnn::AddOp, false>, FuseBias<mnn::SubOp, true>,
            FuseResidual>(ctx);
    set.add<FuseActivation<mnn::ReluOp>>(ctx, "relu");
    set.add<FuseActivation<mnn::ClipOp>>(ctx, "clip");
    set.add<FuseActivation<mnn::HardSwishOp>>(ctx, "hard_swish");
    set.add<FuseActivation<mnn::HardSigmoidOp>>(ctx, "hard_sigmoid");
    set.add<FuseActivation<mnn::SigmoidOp>>(ctx, "sigmoid");
    patterns = FrozenRewritePatternSet(std::move(set));
    return success();
  }

  void runOnOperation() override {
    GreedyRewriteConfig config;
    config.useTopDownTraversal = true; // bias before residual before act
    (void)applyPatternsAndFoldGreedily(getOperation(), patterns, config);
  }

  FrozenRewritePatternSet patterns;
};

} // namespace
