//===- OnnxRecurrentOps.cpp - ONNX LSTM, GRU, RNN -> mnn ops --------------===//
//
// The recurrent layers are decomposed at import into ops the back end
// already compiles well:
//  - the input projection of all time steps at once, one matmul
//    [T*B, I] x [I, G*H] with the input biases (and the recurrent biases
//    that add linearly) folded into its bias;
//  - per time step, the recurrent matmul h x R^T with that step's projection
//    as the fused residual, then the gate math as elementwise ops.
// The time loop is unrolled, which is right for the short sequences of the
// models this targets (streaming VAD: one step) and bounded by kMaxSteps
// (steps x directions): each step is ~15 small kernels, so code size grows
// linearly and compile time faster than that (LLVM on one large function:
// 16 steps of H = 64 take ~2 s of CPU, 64 steps ~20 s). Longer sequences get
// a clean error; they need a loop-based lowering.
//
// Supported: directions forward / reverse / bidirectional, layout 0 and 1,
// initial_h / initial_c, LSTM peepholes, clip, activations Sigmoid, Tanh,
// Relu, HardSigmoid, GRU linear_before_reset 0 and 1. sequence_lens must be
// absent or a constant equal to the sequence length for every batch entry;
// LSTM input_forget = 1 is rejected.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

constexpr int64_t kMaxSteps = 64;

enum class Cell { LSTM, GRU, RNN };

struct Activation {
  std::string name;
  float alpha = 0, beta = 0;
};

/// Builds the recurrent cell of one node; every helper returns failure with
/// the message already set on the NodeContext.
class RecurrentBuilder {
public:
  RecurrentBuilder(NodeContext &n, Cell cell) : n(n), cell(cell) {}
  LogicalResult run();

private:
  int64_t gates() const {
    return cell == Cell::LSTM ? 4 : cell == Cell::GRU ? 3 : 1;
  }
  FailureOr<Value> slice(Value v, Ints starts, Ints sizes) {
    return n.create<mnn::SliceOp>(v, starts, sizes, Ints(starts.size(), 1));
  }
  /// Columns [g*H, (g+1)*H) of a [B, k*H] tensor.
  FailureOr<Value> gate(Value v, int64_t g) {
    return slice(v, {0, g * H}, {B, H});
  }
  /// Row d of a [D, ...] weight, without the leading dim.
  FailureOr<Value> perDirection(Value v, int64_t d) {
    auto shape = shapeOf(v);
    Ints starts(shape.size(), 0), sizes(shape.begin(), shape.end());
    starts[0] = d;
    sizes[0] = 1;
    auto s = slice(v, starts, sizes);
    if (failed(s))
      return failure();
    return n.reshape(*s, shape.drop_front());
  }
  FailureOr<Value> add(FailureOr<Value> a, FailureOr<Value> b) {
    if (failed(a) || failed(b))
      return failure();
    return n.create<mnn::AddOp>(*a, *b);
  }
  FailureOr<Value> mul(FailureOr<Value> a, FailureOr<Value> b) {
    if (failed(a) || failed(b))
      return failure();
    return n.create<mnn::MulOp>(*a, *b);
  }
  FailureOr<Value> sub(FailureOr<Value> a, FailureOr<Value> b) {
    if (failed(a) || failed(b))
      return failure();
    return n.create<mnn::SubOp>(*a, *b);
  }
  /// clip (if set and `clipInput`), then the activation.
  FailureOr<Value> activate(FailureOr<Value> x, const Activation &act,
                            bool clipInput = true);
  FailureOr<Value> matmul(Value a, Value b, Value bias, Value residual) {
    return n.create<mnn::MatMulOp>(a, b, bias, residual, "none", f32(0),
                                   f32(0));
  }

  LogicalResult readAttributes();
  LogicalResult readInputs();
  /// Optional [D, B, H] state input (layout 0) or [B, D, H] (layout 1).
  FailureOr<Value> stateInput(size_t i, StringRef what);
  LogicalResult direction(int64_t d, bool reverse, SmallVector<Value> &ys,
                          Value &yh, Value &yc);

  NodeContext &n;
  Cell cell;
  int64_t T = 0, B = 0, I = 0, H = 0, D = 1;
  int64_t layout = 0;
  std::string dir;
  bool linearBeforeReset = false;
  std::optional<float> clip;
  SmallVector<Activation> acts; // per direction, acts.size() / D each
  Value X, W, R, Bias, H0, C0, P;
  Value X2; // X as [T*B, I]
  Type f32Type;
};

FailureOr<Value> RecurrentBuilder::activate(FailureOr<Value> x,
                                            const Activation &act,
                                            bool clipInput) {
  if (failed(x))
    return failure();
  Value v = *x;
  if (clip && clipInput) {
    auto c = n.create<mnn::ClipOp>(v, f32(-*clip), f32(*clip));
    if (failed(c))
      return failure();
    v = *c;
  }
  if (act.name == "Sigmoid")
    return n.create<mnn::SigmoidOp>(v);
  if (act.name == "Tanh")
    return n.create<mnn::TanhOp>(v);
  if (act.name == "Relu")
    return n.create<mnn::ReluOp>(v);
  // HardSigmoid, the only remaining name readAttributes accepts.
  return n.create<mnn::HardSigmoidOp>(v, f32(act.alpha), f32(act.beta));
}

LogicalResult RecurrentBuilder::readAttributes() {
  dir = n.getString("direction", "forward");
  if (dir != "forward" && dir != "reverse" && dir != "bidirectional")
    return n.fail("unknown direction '" + dir + "' (attribute 'direction')");
  D = dir == "bidirectional" ? 2 : 1;
  layout = n.getInt("layout", 0);
  if (layout != 0 && layout != 1)
    return n.fail("layout " + Twine(layout) +
                  " is not supported (attribute 'layout': 0 or 1)");
  if (n.attr("clip")) {
    float c = n.getFloat("clip", 0);
    if (!(c > 0))
      return n.fail("clip must be positive (attribute 'clip')");
    clip = c;
  }
  if (cell == Cell::LSTM && n.getInt("input_forget", 0) != 0)
    return n.fail("input_forget = 1 is not supported (attribute "
                  "'input_forget')");
  if (cell == Cell::GRU)
    linearBeforeReset = n.getInt("linear_before_reset", 0) != 0;

  SmallVector<std::string> names;
  if (const auto *a = n.attr("activations")) {
    for (const auto &s : a->strings())
      names.push_back(s);
  } else {
    SmallVector<std::string> perDir =
        cell == Cell::LSTM  ? SmallVector<std::string>{"Sigmoid", "Tanh", "Tanh"}
        : cell == Cell::GRU ? SmallVector<std::string>{"Sigmoid", "Tanh"}
                            : SmallVector<std::string>{"Tanh"};
    for (int64_t d = 0; d < D; ++d)
      names.append(perDir);
  }
  size_t perDir = cell == Cell::LSTM ? 3 : cell == Cell::GRU ? 2 : 1;
  if (names.size() != perDir * D)
    return n.fail("expected " + Twine(perDir * D) + " activations, got " +
                  Twine(names.size()) + " (attribute 'activations')");
  SmallVector<float> alphas, betas;
  if (const auto *a = n.attr("activation_alpha"))
    alphas.assign(a->floats().begin(), a->floats().end());
  if (const auto *a = n.attr("activation_beta"))
    betas.assign(a->floats().begin(), a->floats().end());
  size_t next = 0; // alpha/beta are listed for the activations that take them
  for (const std::string &name : names) {
    Activation act{name};
    if (name == "HardSigmoid") {
      act.alpha = next < alphas.size() ? alphas[next] : 0.2f;
      act.beta = next < betas.size() ? betas[next] : 0.5f;
      ++next;
    } else if (name != "Sigmoid" && name != "Tanh" && name != "Relu") {
      return n.fail("activation '" + name +
                    "' is not supported (attribute 'activations'; supported: "
                    "Sigmoid, Tanh, Relu, HardSigmoid)");
    }
    acts.push_back(act);
  }
  return success();
}

FailureOr<Value> RecurrentBuilder::stateInput(size_t i, StringRef what) {
  if (!n.hasInput(i))
    return Value();
  Value v = n.inputs[i];
  Ints expect = layout == 0 ? Ints{D, B, H} : Ints{B, D, H};
  if (shapeOf(v) != ArrayRef<int64_t>(expect) ||
      NodeContext::typeOf(v).getElementType() != f32Type)
    return n.fail("input '" + what + "' must be f32 " + shapeStr(expect) +
                  ", got " + shapeStr(shapeOf(v)));
  if (layout == 1)
    return n.create<mnn::TransposeOp>(v, ArrayRef<int64_t>{1, 0, 2});
  return v;
}

LogicalResult RecurrentBuilder::readInputs() {
  auto x = n.input(0, "X"), w = n.input(1, "W"), r = n.input(2, "R");
  if (failed(x) || failed(w) || failed(r))
    return failure();
  f32Type = n.b.getF32Type();
  for (Value v : {*x, *w, *r})
    if (NodeContext::typeOf(v).getElementType() != f32Type)
      return n.fail("only f32 tensors are supported");
  if (shapeOf(*x).size() != 3)
    return n.fail("input 'X' must be 3-D, got " + shapeStr(shapeOf(*x)));
  X = *x;
  if (layout == 1) { // [B, T, I] -> [T, B, I]
    auto t = n.create<mnn::TransposeOp>(X, ArrayRef<int64_t>{1, 0, 2});
    if (failed(t))
      return failure();
    X = *t;
  }
  T = shapeOf(X)[0];
  B = shapeOf(X)[1];
  I = shapeOf(X)[2];
  W = *w;
  R = *r;
  auto rs = shapeOf(R);
  if (rs.size() != 3)
    return n.fail("input 'R' must be 3-D, got " + shapeStr(rs));
  H = rs[2];
  if (const auto *a = n.attr("hidden_size"); a && a->i() != H)
    return n.fail("hidden_size " + Twine(a->i()) + " does not match R " +
                  shapeStr(rs));
  int64_t G = gates();
  if (shapeOf(W) != ArrayRef<int64_t>{D, G * H, I})
    return n.fail("input 'W' must be " + shapeStr({D, G * H, I}) + ", got " +
                  shapeStr(shapeOf(W)));
  if (rs != ArrayRef<int64_t>{D, G * H, H})
    return n.fail("input 'R' must be " + shapeStr({D, G * H, H}) + ", got " +
                  shapeStr(rs));
  if (T == 0 || B == 0)
    return n.fail("empty input 'X' " + shapeStr(shapeOf(*x)) +
                  " is not supported");
  auto x2 = n.reshape(X, {T * B, I});
  if (failed(x2))
    return failure();
  X2 = *x2;
  if (T * D > kMaxSteps)
    return n.fail("sequence length " + Twine(T) + " x " + Twine(D) +
                  " direction(s) exceeds " + Twine(kMaxSteps) +
                  " steps, which is not supported (the time loop is unrolled "
                  "at compile time)");
  if (n.hasInput(3)) {
    Bias = n.inputs[3];
    if (shapeOf(Bias) != ArrayRef<int64_t>{D, 2 * G * H} ||
        NodeContext::typeOf(Bias).getElementType() != f32Type)
      return n.fail("input 'B' must be f32 " + shapeStr({D, 2 * G * H}) +
                    ", got " + shapeStr(shapeOf(Bias)));
  }
  if (n.hasInput(4)) {
    auto lens = n.constInts(4, "sequence_lens");
    if (failed(lens))
      return n.fail("input 'sequence_lens' must be a constant (variable "
                    "sequence lengths are not supported)");
    if (llvm::any_of(*lens, [&](int64_t l) { return l != T; }))
      return n.fail("input 'sequence_lens' must equal the sequence length " +
                    Twine(T) +
                    " for every batch entry (variable lengths are not "
                    "supported)");
  }
  auto h0 = stateInput(5, "initial_h");
  if (failed(h0))
    return failure();
  H0 = *h0;
  if (cell == Cell::LSTM) {
    auto c0 = stateInput(6, "initial_c");
    if (failed(c0))
      return failure();
    C0 = *c0;
    if (n.hasInput(7)) {
      P = n.inputs[7];
      if (shapeOf(P) != ArrayRef<int64_t>{D, 3 * H})
        return n.fail("input 'P' must be " + shapeStr({D, 3 * H}) + ", got " +
                      shapeStr(shapeOf(P)));
    }
  }
  return success();
}

LogicalResult RecurrentBuilder::direction(int64_t d, bool reverse,
                                          SmallVector<Value> &ys, Value &yh,
                                          Value &yc) {
  int64_t G = gates();
  const Activation *act = &acts[d * (acts.size() / D)];
  // Weights of this direction, transposed for x * W^T (folds for constants).
  auto w = perDirection(W, d), r = perDirection(R, d);
  if (failed(w) || failed(r))
    return failure();
  auto wt = n.create<mnn::TransposeOp>(*w, ArrayRef<int64_t>{1, 0});
  auto rt = n.create<mnn::TransposeOp>(*r, ArrayRef<int64_t>{1, 0});
  if (failed(wt) || failed(rt))
    return failure();

  // Input bias: Wb + Rb, except GRU's Rb of the candidate gate under
  // linear_before_reset, which is scaled by the reset gate.
  Value inBias, recBiasH;
  if (Bias) {
    auto b = perDirection(Bias, d);
    if (failed(b))
      return failure();
    auto wb = slice(*b, {0}, {G * H}), rb = slice(*b, {G * H}, {G * H});
    if (failed(wb) || failed(rb))
      return failure();
    Value rbIn = *rb;
    if (cell == Cell::GRU && linearBeforeReset) {
      auto zeros = n.constant(DenseElementsAttr::get(
          RankedTensorType::get({H}, f32Type), 0.0f));
      auto rbh = slice(*rb, {2 * H}, {H});
      if (failed(rbh))
        return failure();
      recBiasH = *rbh;
      auto zr = slice(*rb, {0}, {2 * H});
      if (failed(zr))
        return failure();
      auto cat = n.create<mnn::ConcatOp>(ValueRange{*zr, zeros}, int64_t(0));
      if (failed(cat))
        return failure();
      rbIn = *cat;
    }
    auto sum = add(*wb, rbIn);
    if (failed(sum))
      return failure();
    inBias = *sum;
  }

  // All steps' input projections at once: [T*B, I] x [I, G*H].
  auto proj = matmul(X2, *wt, inBias, Value());
  if (failed(proj))
    return failure();

  Value zerosBH = n.constant(
      DenseElementsAttr::get(RankedTensorType::get({B, H}, f32Type), 0.0f));
  Value h = zerosBH, c = zerosBH;
  // h x R^T, or nothing while h is the zero initial state (saves a matmul
  // per direction when there is no initial_h). Null means zero.
  auto recurrent = [&](Value rt, Value residual) -> FailureOr<Value> {
    if (h == zerosBH)
      return residual ? residual : Value();
    return matmul(h, rt, Value(), residual);
  };
  if (H0) {
    auto v = perDirection(H0, d);
    if (failed(v))
      return failure();
    h = *v;
  }
  if (C0) {
    auto v = perDirection(C0, d);
    if (failed(v))
      return failure();
    c = *v;
  }
  Value pi, po, pf;
  if (P) {
    auto p = perDirection(P, d);
    if (failed(p))
      return failure();
    auto a = slice(*p, {0}, {H}), b = slice(*p, {H}, {H}),
         e = slice(*p, {2 * H}, {H});
    if (failed(a) || failed(b) || failed(e))
      return failure();
    pi = *a, po = *b, pf = *e;
  }
  // GRU without linear_before_reset needs R_h apart: (r . h) x R_h^T.
  Value rtZR, rtH;
  if (cell == Cell::GRU) {
    auto zr = slice(*rt, {0, 0}, {H, 2 * H}), hh = slice(*rt, {0, 2 * H}, {H, H});
    if (failed(zr) || failed(hh))
      return failure();
    rtZR = *zr, rtH = *hh;
  }

  ys.assign(T, Value());
  for (int64_t s = 0; s < T; ++s) {
    int64_t t = reverse ? T - 1 - s : s;
    auto xt = slice(*proj, {t * B, 0}, {B, G * H});
    if (failed(xt))
      return failure();
    if (cell == Cell::RNN) {
      auto hn = activate(recurrent(*rt, *xt), act[0]);
      if (failed(hn))
        return failure();
      h = *hn;
    } else if (cell == Cell::LSTM) {
      // Gate order in W, R, B: input, output, forget, cell.
      auto g = recurrent(*rt, *xt);
      if (failed(g))
        return failure();
      FailureOr<Value> gi = gate(*g, 0), go = gate(*g, 1), gf = gate(*g, 2),
                       gc = gate(*g, 3);
      if (P) {
        gi = add(gi, mul(pi, c));
        gf = add(gf, mul(pf, c));
      }
      auto i = activate(gi, act[0]), f = activate(gf, act[0]),
           cand = activate(gc, act[1]);
      auto cn = add(mul(f, c), mul(i, cand));
      if (failed(cn))
        return failure();
      if (P)
        go = add(go, mul(po, *cn));
      auto o = activate(go, act[0]);
      // clip bounds the gate inputs, not the cell state fed to h.
      auto hn = mul(o, activate(*cn, act[2], /*clipInput=*/false));
      if (failed(hn))
        return failure();
      h = *hn;
      c = *cn;
    } else {
      // Gate order: update z, reset r, candidate.
      auto xzr = slice(*xt, {0, 0}, {B, 2 * H}), xh = gate(*xt, 2);
      if (failed(xzr) || failed(xh))
        return failure();
      FailureOr<Value> z, rg, cand;
      if (linearBeforeReset) {
        auto rec = recurrent(*rt, Value());
        if (failed(rec))
          return failure();
        FailureOr<Value> zr = *xzr, rh = zerosBH;
        if (*rec) {
          zr = add(*xzr, slice(*rec, {0, 0}, {B, 2 * H}));
          rh = gate(*rec, 2);
        }
        if (failed(zr))
          return failure();
        z = activate(gate(*zr, 0), act[0]);
        rg = activate(gate(*zr, 1), act[0]);
        if (recBiasH)
          rh = add(rh, recBiasH);
        cand = activate(add(*xh, mul(rg, rh)), act[1]);
      } else {
        auto zr = recurrent(rtZR, *xzr);
        if (failed(zr))
          return failure();
        z = activate(gate(*zr, 0), act[0]);
        rg = activate(gate(*zr, 1), act[0]);
        if (h == zerosBH) {
          cand = activate(*xh, act[1]);
        } else {
          auto rh = mul(rg, h);
          if (failed(rh))
            return failure();
          cand = activate(matmul(*rh, rtH, Value(), *xh), act[1]);
        }
      }
      // h' = (1 - z) . cand + z . h = cand + z . (h - cand)
      auto hn = add(cand, mul(z, sub(h, cand)));
      if (failed(hn))
        return failure();
      h = *hn;
    }
    ys[t] = h;
  }
  yh = h;
  yc = c;
  return success();
}

LogicalResult RecurrentBuilder::run() {
  if (failed(readAttributes()) || failed(readInputs()))
    return failure();
  // Y: [T, D, B, H]; Y_h, Y_c: [D, B, H] (layout 0).
  SmallVector<Value> yParts, hParts, cParts;
  for (int64_t d = 0; d < D; ++d) {
    SmallVector<Value> ys;
    Value yh, yc;
    bool reverse = dir == "reverse" || d == 1;
    if (failed(direction(d, reverse, ys, yh, yc)))
      return failure();
    if (n.hasOutput(0)) {
      SmallVector<Value> steps;
      for (Value y : ys) {
        auto r = n.reshape(y, {1, 1, B, H});
        if (failed(r))
          return failure();
        steps.push_back(*r);
      }
      Value seq = steps.front();
      if (steps.size() > 1) {
        auto cat = n.create<mnn::ConcatOp>(steps, int64_t(0));
        if (failed(cat))
          return failure();
        seq = *cat;
      }
      yParts.push_back(seq);
    }
    auto h3 = n.reshape(yh, {1, B, H}), c3 = n.reshape(yc, {1, B, H});
    if (failed(h3) || failed(c3))
      return failure();
    hParts.push_back(*h3);
    cParts.push_back(*c3);
  }
  auto join = [&](SmallVector<Value> &parts, int64_t axis,
                  ArrayRef<int64_t> perm1) -> FailureOr<Value> {
    Value v = parts.front();
    if (parts.size() > 1) {
      auto cat = n.create<mnn::ConcatOp>(parts, axis);
      if (failed(cat))
        return failure();
      v = *cat;
    }
    if (layout == 1)
      return n.create<mnn::TransposeOp>(v, perm1);
    return v;
  };
  if (n.hasOutput(0) &&
      failed(n.setOutput(0, join(yParts, 1, {2, 0, 1, 3}))))
    return failure();
  if (n.hasOutput(1) && failed(n.setOutput(1, join(hParts, 0, {1, 0, 2}))))
    return failure();
  if (cell == Cell::LSTM) {
    if (n.hasOutput(2) && failed(n.setOutput(2, join(cParts, 0, {1, 0, 2}))))
      return failure();
  } else if (failed(n.onlyOutputsBelow(2, "a third output"))) {
    return failure();
  }
  return success();
}

LogicalResult convertLSTM(NodeContext &n) {
  return RecurrentBuilder(n, Cell::LSTM).run();
}
LogicalResult convertGRU(NodeContext &n) {
  return RecurrentBuilder(n, Cell::GRU).run();
}
LogicalResult convertRNN(NodeContext &n) {
  return RecurrentBuilder(n, Cell::RNN).run();
}

} // namespace

void addRecurrentConverters(llvm::StringMap<Converter> &table) {
  table["LSTM"] = convertLSTM;
  table["GRU"] = convertGRU;
  table["RNN"] = convertRNN;
}

} // namespace mnn::onnx_import
