//===- KernelEpilogue.cpp - bias/residual/activation of a kernel op -------===//
#include "KernelEpilogue.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/IR/AffineMap.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/IRMapping.h"

using namespace mlir;

namespace mnn {

static constexpr llvm::StringLiteral kActivationAttr = "mnn.activation";
static constexpr llvm::StringLiteral kClipAttr = "mnn.clip";

std::optional<KernelEpilogue> KernelEpilogue::of(Operation *op) {
  if (!op->hasAttr(kEpilogueAttr))
    return std::nullopt;
  KernelEpilogue e;
  if (auto act = op->getAttrOfType<StringAttr>(kActivationAttr))
    e.activation = act.getValue().str();
  if (auto clip = op->getAttrOfType<DenseF64ArrayAttr>(kClipAttr);
      clip && clip.size() == 2) {
    e.lo = clip[0];
    e.hi = clip[1];
  }
  return e;
}

void KernelEpilogue::attachTo(Operation *op) const {
  Builder b(op->getContext());
  op->setAttr(kEpilogueAttr, b.getUnitAttr());
  if (activation != "none") {
    op->setAttr(kActivationAttr, b.getStringAttr(activation));
    op->setAttr(kClipAttr, b.getDenseF64ArrayAttr({lo, hi}));
  }
}

Value activationBody(OpBuilder &b, Location loc, Value x, StringRef act,
                     double lo, double hi) {
  // Constants in x's type: a float, or a splat of a vector of floats.
  auto c = [&](double v) -> Value {
    if (auto vt = dyn_cast<VectorType>(x.getType()))
      return b.create<arith::ConstantOp>(
          loc, DenseElementsAttr::get(vt, b.getFloatAttr(vt.getElementType(), v)));
    return b.create<arith::ConstantOp>(loc, b.getFloatAttr(x.getType(), v));
  };
  // NaN propagates (maximumf/minimumf); the sign of a zero result may not
  // (nsz): with a constant bound x86 then needs one vmaxps/vminps, the
  // bound first, instead of a max, a compare for NaN and a blend.
  auto nsz = arith::FastMathFlags::nsz;
  auto max = [&](Value v, Value bound) -> Value {
    return b.create<arith::MaximumFOp>(loc, v, bound, nsz);
  };
  auto min = [&](Value v, Value bound) -> Value {
    return b.create<arith::MinimumFOp>(loc, v, bound, nsz);
  };
  if (act == "relu")
    return max(x, c(0));
  if (act == "clip")
    return min(max(x, c(lo)), c(hi));
  if (act == "hard_sigmoid" || act == "hard_swish") {
    double alpha = act == "hard_swish" ? 1.0 / 6 : lo;
    double beta = act == "hard_swish" ? 0.5 : hi;
    Value y = b.create<arith::AddFOp>(
        loc, b.create<arith::MulFOp>(loc, x, c(alpha)), c(beta));
    y = min(max(y, c(0)), c(1));
    return act == "hard_swish" ? b.create<arith::MulFOp>(loc, x, y) : y;
  }
  if (act == "sigmoid") {
    Value e = b.create<math::ExpOp>(loc, b.create<arith::NegFOp>(loc, x));
    return b.create<arith::DivFOp>(loc, c(1),
                                   b.create<arith::AddFOp>(loc, c(1), e));
  }
  return x;
}

linalg::GenericOp materializeEpilogue(OpBuilder &b, linalg::GenericOp op) {
  KernelEpilogue epilogue = *KernelEpilogue::of(op);
  Location loc = op.getLoc();
  OpBuilder::InsertionGuard guard(b);
  b.setInsertionPoint(op);
  SmallVector<AffineMap> maps = op.getIndexingMapsArray();
  Value out = op.getDpsInitOperand(0)->get();
  AffineMap outMap = maps.back();
  unsigned rank = outMap.getNumResults();
  Type elt = cast<MemRefType>(out.getType()).getElementType();
  SmallVector<utils::IteratorType> parallel(rank, utils::IteratorType::parallel);
  AffineMap identity = b.getMultiDimIdentityMap(rank);

  // Init: the sum of the addends, their maps taken from loop dims to the
  // output's dims.
  SmallVector<Value> addends(epilogueAddends(op));
  if (addends.empty()) {
    Value zero = b.create<arith::ConstantOp>(loc, b.getFloatAttr(elt, 0));
    b.create<linalg::FillOp>(loc, zero, out);
  } else {
    AffineMap outToLoops = inverseAndBroadcastProjectedPermutation(outMap);
    SmallVector<AffineMap> initMaps;
    for (size_t i = 0; i < addends.size(); ++i)
      initMaps.push_back(maps[2 + i].compose(outToLoops));
    initMaps.push_back(identity);
    b.create<linalg::GenericOp>(
        loc, TypeRange{}, addends, ValueRange{out}, initMaps, parallel,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          Value sum = args[0];
          for (Value v : args.drop_front().drop_back())
            sum = nb.create<arith::AddFOp>(nl, sum, v);
          nb.create<linalg::YieldOp>(nl, sum);
        });
  }

  // The accumulation alone: the same body, without the addends' arguments
  // (which it does not use).
  SmallVector<Value> operands = {op.getInputs()[0], op.getInputs()[1]};
  Block &body = op.getRegion().front();
  auto accumulate = b.create<linalg::GenericOp>(
      loc, TypeRange{}, operands, ValueRange{out},
      SmallVector<AffineMap>{maps[0], maps[1], outMap},
      op.getIteratorTypesArray(),
      [&](OpBuilder &nb, Location nl, ValueRange args) {
        IRMapping mapping;
        mapping.map(body.getArgument(0), args[0]);
        mapping.map(body.getArgument(1), args[1]);
        mapping.map(body.getArguments().back(), args[2]);
        for (Operation &inner : body)
          nb.clone(inner, mapping);
      });
  for (NamedAttribute attr : op->getDiscardableAttrs())
    if (attr.getName() != kEpilogueAttr && attr.getName() != kActivationAttr &&
        attr.getName() != kClipAttr)
      accumulate->setAttr(attr.getName(), attr.getValue());

  if (epilogue.activation != "none") {
    b.setInsertionPointAfter(accumulate);
    b.create<linalg::GenericOp>(
        loc, TypeRange{}, ValueRange{}, ValueRange{out},
        SmallVector<AffineMap>{identity}, parallel,
        [&](OpBuilder &nb, Location nl, ValueRange args) {
          nb.create<linalg::YieldOp>(
              nl, activationBody(nb, nl, args[0], epilogue.activation,
                                 epilogue.lo, epilogue.hi));
        });
  }
  op.erase();
  return accumulate;
}

} // namespace mnn
