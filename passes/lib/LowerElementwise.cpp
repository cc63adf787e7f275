//===- LowerElementwise.cpp - elementwise ops to linalg.generic -----------===//
//
// Each elementwise op is one linalg.generic over the output with numpy
// broadcasting of its inputs (see Lowering::elementwise).
//
//===----------------------------------------------------------------------===//
#include "Lowering.h"

#include "llvm/ADT/TypeSwitch.h"

#include <cmath>

namespace mnn::lowering {

LogicalResult Lowering::lowerElementwise(Operation *op, Value out) {
  Location loc = op->getLoc();
  auto unary = [&](Value x, BodyFn fn) {
    elementwise(loc, out, {bufferOf(x)}, fn);
    return success();
  };
  auto binary = [&](Value x, Value y, BodyFn fn) {
    elementwise(loc, out, {bufferOf(x), bufferOf(y)}, fn);
    return success();
  };
  auto one = [](OpBuilder &nb, Location nl) { return f32Const(nb, nl, 1.0); };

  return llvm::TypeSwitch<Operation *, LogicalResult>(op)
      .Case([&](mnn::AddOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::AddFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::SubOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::SubFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::MulOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::MulFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::DivOp o) {
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::DivFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::PowOp o) {
        // x^2 (layer-norm decompositions) is exact and cheap as x*x.
        ElementsAttr e;
        if (matchPattern(o.getRhs(), m_Constant(&e))) {
          auto v = mnn::getAsDoubles(e);
          if (v && !v->empty() && llvm::all_of(*v, [](double x) { return x == 2.0; }))
            return unary(o.getLhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
              return nb.create<arith::MulFOp>(nl, a[0], a[0]);
            });
        }
        return binary(o.getLhs(), o.getRhs(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::PowFOp>(nl, a[0], a[1]);
        });
      })
      .Case([&](mnn::NegOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::NegFOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ReluOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "relu", 0, 0);
        });
      })
      .Case([&](mnn::SigmoidOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "sigmoid", 0, 0);
        });
      })
      .Case([&](mnn::HardSwishOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "hard_swish", 0, 0);
        });
      })
      .Case([&](mnn::HardSigmoidOp o) {
        double alpha = o.getAlpha().convertToDouble(), beta = o.getBeta().convertToDouble();
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "hard_sigmoid", alpha, beta);
        });
      })
      .Case([&](mnn::ClipOp o) {
        double lo = o.getMin().convertToDouble(), hi = o.getMax().convertToDouble();
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) {
          return activationBody(nb, nl, a[0], "clip", lo, hi);
        });
      })
      .Case([&](mnn::TanhOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::TanhOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ExpOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::ExpOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::SqrtOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::SqrtOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ErfOp o) {
        return unary(o.getInput(), [](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<math::ErfOp>(nl, a[0]);
        });
      })
      .Case([&](mnn::ReciprocalOp o) {
        return unary(o.getInput(), [&](OpBuilder &nb, Location nl, ValueRange a) {
          return nb.create<arith::DivFOp>(nl, one(nb, nl), a[0]);
        });
      })
      .Case([&](mnn::GeluOp o) {
        bool tanhForm = o.getApproximate() == "tanh";
        return unary(o.getInput(), [=](OpBuilder &nb, Location nl, ValueRange a) -> Value {
          Value x = a[0];
          Value half = nb.create<arith::MulFOp>(nl, x, f32Const(nb, nl, 0.5));
          Value inner;
          if (tanhForm) {
            Value x3 = nb.create<arith::MulFOp>(nl, nb.create<arith::MulFOp>(nl, x, x), x);
            Value t = nb.create<arith::AddFOp>(
                nl, x, nb.create<arith::MulFOp>(nl, x3, f32Const(nb, nl, 0.044715)));
            inner = nb.create<math::TanhOp>(
                nl, nb.create<arith::MulFOp>(nl, t, f32Const(nb, nl, std::sqrt(2.0 / M_PI))));
          } else {
            inner = nb.create<math::ErfOp>(
                nl, nb.create<arith::MulFOp>(nl, x, f32Const(nb, nl, 1.0 / std::sqrt(2.0))));
          }
          return nb.create<arith::MulFOp>(
              nl, half, nb.create<arith::AddFOp>(nl, inner, f32Const(nb, nl, 1.0)));
        });
      })
      .Default([&](Operation *o) {
        return o->emitError("'") << o->getName()
                                 << "' is not supported by code generation";
      });
}

} // namespace mnn::lowering
