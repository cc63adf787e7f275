//===- OnnxTransformerOps.cpp - Attention, RMSNorm, RotaryEmbedding -------===//
//
// The opset-23 transformer building blocks, decomposed at import into mnn ops
// (matmul, softmax, reduce, elementwise, slices, concats). Shapes are static,
// so masks (causal, padding of a short attn_mask) become constants and the
// graph passes fuse and plan them like any other subgraph.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mlir/IR/BuiltinAttributes.h"

#include <cmath>
#include <limits>

using namespace mlir;
using llvm::SmallVector;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

using Result = FailureOr<Value>;

/// Chains ops that may fail: every helper takes and returns FailureOr.
struct Builder {
  NodeContext &n;

  Result mul(Result a, Result b) { return binary<mnn::MulOp>(a, b); }
  Result add(Result a, Result b) { return binary<mnn::AddOp>(a, b); }
  Result sub(Result a, Result b) { return binary<mnn::SubOp>(a, b); }
  Result div(Result a, Result b) { return binary<mnn::DivOp>(a, b); }
  template <typename OpTy> Result binary(Result a, Result b) {
    if (failed(a) || failed(b))
      return failure();
    return n.create<OpTy>(*a, *b);
  }
  Result scalar(Result like, double v) {
    if (failed(like))
      return failure();
    return n.scalarConstant(eltOf(*like), v);
  }
  Result reshape(Result v, ArrayRef<int64_t> shape) {
    if (failed(v))
      return failure();
    return n.reshape(*v, shape);
  }
  Result transpose(Result v, ArrayRef<int64_t> perm) {
    if (failed(v))
      return failure();
    return n.create<mnn::TransposeOp>(*v, perm);
  }
  Result matmul(Result a, Result b) {
    if (failed(a) || failed(b))
      return failure();
    return n.create<mnn::MatMulOp>(*a, *b, Value(), Value(), "none", f32(0),
                                   f32(0));
  }
  Result concat(ArrayRef<Value> parts, int64_t axis) {
    return n.create<mnn::ConcatOp>(ValueRange(parts), axis);
  }
  /// Elements [begin, end) of `axis`, every `step`-th.
  Result slice(Result v, int64_t axis, int64_t begin, int64_t end,
               int64_t step = 1) {
    if (failed(v))
      return failure();
    ArrayRef<int64_t> shape = shapeOf(*v);
    Ints starts(shape.size(), 0), sizes(shape), steps(shape.size(), 1);
    starts[axis] = begin;
    sizes[axis] = (end - begin + step - 1) / step;
    steps[axis] = step;
    return n.create<mnn::SliceOp>(*v, starts, sizes, steps);
  }
  Result unsqueezeLast(Result v) {
    if (failed(v))
      return failure();
    Ints shape(shapeOf(*v));
    shape.push_back(1);
    return n.reshape(*v, shape);
  }
};

//===----------------------------------------------------------------------===//
// RMSNormalization: X / sqrt(mean(X^2 over [axis, rank)) + epsilon) * scale
//===----------------------------------------------------------------------===//

LogicalResult convertRMSNorm(NodeContext &n) {
  auto x = n.input(0, "X"), scale = n.input(1, "scale");
  if (failed(x) || failed(scale))
    return failure();
  if (!eltOf(*x).isF32())
    return n.fail("only float32 inputs are supported");
  int64_t rank = rankOf(*x);
  auto axis = n.normalizeAxis(n.getInt("axis", -1), rank);
  if (failed(axis))
    return failure();
  Ints axes;
  for (int64_t d = *axis; d < rank; ++d)
    axes.push_back(d);
  Builder b{n};
  Result sq = b.mul(*x, *x);
  if (failed(sq))
    return failure();
  Result meanSq = n.create<mnn::ReduceOp>(*sq, "mean", axes, true);
  Result rms = b.add(meanSq, b.scalar(*x, n.getFloat("epsilon", 1e-5f)));
  if (failed(rms))
    return failure();
  rms = n.create<mnn::SqrtOp>(*rms);
  return n.setOutput(0, b.mul(b.div(*x, rms), *scale));
}

//===----------------------------------------------------------------------===//
// RotaryEmbedding
//===----------------------------------------------------------------------===//

LogicalResult convertRotaryEmbedding(NodeContext &n) {
  auto input = n.input(0, "X"), cosCache = n.input(1, "cos_cache"),
       sinCache = n.input(2, "sin_cache");
  if (failed(input) || failed(cosCache) || failed(sinCache))
    return failure();
  if (!eltOf(*input).isF32())
    return n.fail("only float32 inputs are supported");
  Builder b{n};
  ArrayRef<int64_t> inShape = shapeOf(*input);
  // Work on [batch, seq, heads, head_size].
  Result x = *input;
  int64_t heads = n.getInt("num_heads", 0);
  if (inShape.size() == 4) {
    x = b.transpose(x, {0, 2, 1, 3});
  } else if (inShape.size() == 3) {
    if (heads <= 0 || inShape[2] % heads != 0)
      return n.fail("a 3-D input needs num_heads dividing its hidden size " +
                    Twine(inShape[2]) + " (num_heads = " + Twine(heads) + ")");
    x = b.reshape(x, {inShape[0], inShape[1], heads, inShape[2] / heads});
  } else {
    return n.fail("input must be 3-D or 4-D, got " + shapeStr(inShape));
  }
  if (failed(x))
    return failure();
  Ints shape(shapeOf(*x));
  int64_t headSize = shape[3];
  int64_t rotary = n.getInt("rotary_embedding_dim", 0);
  if (rotary == 0)
    rotary = headSize;
  if (rotary > headSize || rotary % 2 != 0)
    return n.fail("rotary_embedding_dim " + Twine(rotary) +
                  " must be even and at most the head size " +
                  Twine(headSize));
  int64_t half = rotary / 2;

  // cos/sin: [batch, seq, half] (looked up by position_ids when given).
  Value cosV = *cosCache, sinV = *sinCache;
  if (n.hasInput(3)) {
    auto c = n.create<mnn::GatherOp>(cosV, n.inputs[3], 0);
    auto s = n.create<mnn::GatherOp>(sinV, n.inputs[3], 0);
    if (failed(c) || failed(s))
      return failure();
    cosV = *c;
    sinV = *s;
  }
  if (shapeOf(cosV) != ArrayRef<int64_t>{shape[0], shape[1], half} ||
      shapeOf(sinV) != shapeOf(cosV))
    return n.fail("cos/sin caches give " + shapeStr(shapeOf(cosV)) + " and " +
                  shapeStr(shapeOf(sinV)) + ", expected " +
                  shapeStr({shape[0], shape[1], half}));
  Result cosB = b.reshape(cosV, {shape[0], shape[1], 1, half});
  Result sinB = b.reshape(sinV, {shape[0], shape[1], 1, half});

  bool interleaved = n.getInt("interleaved", 0) != 0;
  Result rot = rotary == headSize ? x : b.slice(x, 3, 0, rotary);
  Result x1 = interleaved ? b.slice(rot, 3, 0, rotary, 2) : b.slice(rot, 3, 0, half);
  Result x2 = interleaved ? b.slice(rot, 3, 1, rotary, 2)
                          : b.slice(rot, 3, half, rotary);
  Result real = b.sub(b.mul(cosB, x1), b.mul(sinB, x2));
  Result imag = b.add(b.mul(sinB, x1), b.mul(cosB, x2));
  if (failed(real) || failed(imag))
    return failure();
  Result rotated;
  if (interleaved) {
    Result r = b.unsqueezeLast(real), i = b.unsqueezeLast(imag);
    if (failed(r) || failed(i))
      return failure();
    rotated = b.reshape(b.concat({*r, *i}, 4), {shape[0], shape[1], shape[2], rotary});
  } else {
    rotated = b.concat({*real, *imag}, 3);
  }
  if (failed(rotated))
    return failure();
  Result out = rotated;
  if (rotary < headSize) {
    Result rest = b.slice(x, 3, rotary, headSize);
    if (failed(rest))
      return failure();
    out = b.concat({*rotated, *rest}, 3);
  }
  if (inShape.size() == 4)
    return n.setOutput(0, b.transpose(out, {0, 2, 1, 3}));
  return n.setOutput(0, b.reshape(out, inShape));
}

//===----------------------------------------------------------------------===//
// Attention
//===----------------------------------------------------------------------===//

/// [batch, seq, heads*size] -> [batch, heads, seq, size].
Result splitHeads(Builder &b, Value v, int64_t heads) {
  ArrayRef<int64_t> s = shapeOf(v);
  return b.transpose(b.reshape(v, {s[0], s[1], heads, s[2] / heads}),
                     {0, 2, 1, 3});
}

/// Repeats each of the heads of [b, h, s, d] `reps` times (grouped-query).
Result repeatHeads(Builder &b, Value v, int64_t reps) {
  if (reps == 1)
    return v;
  ArrayRef<int64_t> s = shapeOf(v);
  Result one = b.reshape(v, {s[0], s[1], 1, s[2], s[3]});
  if (failed(one))
    return failure();
  SmallVector<Value> copies(reps, *one);
  return b.reshape(b.concat(copies, 2), {s[0], s[1] * reps, s[2], s[3]});
}

/// The additive bias of the attention scores, [.., q_seq, kv_seq], or a null
/// value when there is none. Boolean masks become 0 / -max (a finite stand-in
/// for -inf, so that 0 * mask stays 0).
Result attentionBias(NodeContext &n, Builder &b, int64_t qSeq, int64_t kvSeq,
                     int64_t pastSeq, bool causal) {
  Result bias = Value();
  if (n.hasInput(3)) {
    Value mask = n.inputs[3];
    ArrayRef<int64_t> ms = shapeOf(mask);
    if (ms.size() < 2 || ms.back() > kvSeq)
      return n.fail("attn_mask of shape " + shapeStr(ms) +
                    " does not fit the scores [..., " + Twine(qSeq) + ", " +
                    Twine(kvSeq) + "]");
    bool isBool = eltOf(mask).isInteger(1);
    if (!isBool && !eltOf(mask).isF32())
      return n.fail("attn_mask must be bool or float32");
    Result m = mask;
    if (isBool) {
      auto f = n.createTyped<mnn::CastOp>(
          RankedTensorType::get(ms, n.b.getF32Type()), mask);
      // keep -> 0, masked -> -max
      m = b.mul(b.sub(f, b.scalar(f, 1.0)),
                b.scalar(f, std::numeric_limits<float>::max()));
    }
    if (ms.back() < kvSeq) {
      // A short mask masks the missing tail positions.
      Ints padShape(ms);
      padShape.back() = kvSeq - ms.back();
      int64_t count = 1;
      for (int64_t d : padShape)
        count *= d;
      SmallVector<float> fill(count, isBool
                                         ? -std::numeric_limits<float>::max()
                                         : -std::numeric_limits<float>::infinity());
      auto type = RankedTensorType::get(padShape, n.b.getF32Type());
      Value pad = n.constant(DenseElementsAttr::get(type, ArrayRef<float>(fill)));
      if (failed(m))
        return failure();
      m = b.concat({*m, pad}, (int64_t)ms.size() - 1);
    }
    bias = m;
  }
  if (causal) {
    // Query i (after pastSeq cached positions) sees keys j <= pastSeq + i.
    SmallVector<float> tri(qSeq * kvSeq, 0.0f);
    for (int64_t i = 0; i < qSeq; ++i)
      for (int64_t j = 0; j < kvSeq; ++j)
        if (j > pastSeq + i)
          tri[i * kvSeq + j] = -std::numeric_limits<float>::infinity();
    auto type = RankedTensorType::get({qSeq, kvSeq}, n.b.getF32Type());
    Value c = n.constant(DenseElementsAttr::get(type, ArrayRef<float>(tri)));
    if (failed(bias))
      return failure();
    bias = *bias ? b.add(*bias, c) : Result(c);
  }
  return bias;
}

LogicalResult convertAttention(NodeContext &n) {
  auto q = n.input(0, "Q"), k = n.input(1, "K"), v = n.input(2, "V");
  if (failed(q) || failed(k) || failed(v))
    return failure();
  for (Value t : {*q, *k, *v})
    if (!eltOf(t).isF32())
      return n.fail("only float32 Q, K, V are supported");
  if (n.hasInput(6))
    return n.fail("the nonpad_kv_seqlen input is not supported");
  if (n.hasInput(4) != n.hasInput(5))
    return n.fail("past_key and past_value must be given together");
  if (n.attr("softmax_precision") &&
      n.getInt("softmax_precision", 1) != 1)
    return n.fail("softmax_precision other than FLOAT is not supported");
  int64_t rank = rankOf(*q);
  if (rankOf(*k) != rank || rankOf(*v) != rank || (rank != 3 && rank != 4))
    return n.fail("Q, K and V must all be 3-D or all 4-D");
  Builder b{n};
  Result Q = *q, K = *k, V = *v;
  int64_t qHeads = n.getInt("q_num_heads", 0);
  int64_t kvHeads = n.getInt("kv_num_heads", 0);
  if (rank == 3) {
    if (qHeads <= 0 || kvHeads <= 0 || shapeOf(*q)[2] % qHeads != 0 ||
        shapeOf(*k)[2] % kvHeads != 0 || shapeOf(*v)[2] % kvHeads != 0)
      return n.fail("3-D inputs need q_num_heads and kv_num_heads dividing "
                    "the hidden sizes");
    Q = splitHeads(b, *q, qHeads);
    K = splitHeads(b, *k, kvHeads);
    V = splitHeads(b, *v, kvHeads);
    if (failed(Q) || failed(K) || failed(V))
      return failure();
  } else {
    qHeads = shapeOf(*q)[1];
    kvHeads = shapeOf(*k)[1];
  }
  int64_t headSize = shapeOf(*Q)[3];
  double scale = 1.0 / std::sqrt((double)headSize);
  if (n.attr("scale"))
    scale = n.getFloat("scale", 1.0f);

  int64_t pastSeq = 0;
  if (n.hasInput(4)) {
    pastSeq = shapeOf(n.inputs[4])[2];
    K = b.concat({n.inputs[4], *K}, 2);
    V = b.concat({n.inputs[5], *V}, 2);
    if (failed(K) || failed(V))
      return failure();
  }
  Value presentK = *K, presentV = *V;
  if (qHeads % kvHeads != 0 || shapeOf(*V)[1] != kvHeads)
    return n.fail("q_num_heads " + Twine(qHeads) +
                  " must be a multiple of kv_num_heads " + Twine(kvHeads));
  K = repeatHeads(b, *K, qHeads / kvHeads);
  V = repeatHeads(b, *V, qHeads / kvHeads);
  int64_t qSeq = shapeOf(*Q)[2], kvSeq = shapeOf(*K)[2];

  // Both sides scaled by sqrt(scale), as the reference does (keeps fp16
  // products in range; identical in exact arithmetic).
  Result rootScale = b.scalar(Q, std::sqrt(scale));
  Result scores =
      b.matmul(b.mul(Q, rootScale), b.mul(b.transpose(K, {0, 1, 3, 2}), rootScale));
  Result rawScores = scores;
  float softcap = n.getFloat("softcap", 0.0f);
  if (softcap > 0.0f) {
    Result t = b.div(scores, b.scalar(scores, softcap));
    if (failed(t))
      return failure();
    scores = b.mul(n.create<mnn::TanhOp>(*t), b.scalar(scores, softcap));
  }
  if (failed(scores))
    return failure();
  Result bias = attentionBias(n, b, qSeq, kvSeq, pastSeq,
                              n.getInt("is_causal", 0) != 0);
  if (failed(bias))
    return failure();
  Result biased = *bias ? b.add(scores, *bias) : scores;
  if (failed(biased))
    return failure();
  Result probs = n.create<mnn::SoftmaxOp>(*biased, 3);
  Result out = b.matmul(probs, V);
  if (failed(out))
    return failure();
  if (rank == 3) {
    ArrayRef<int64_t> os = shapeOf(*out);
    out = b.reshape(b.transpose(out, {0, 2, 1, 3}),
                    {os[0], os[2], os[1] * os[3]});
  }
  if (failed(n.setOutput(0, out)))
    return failure();
  if (n.hasOutput(1))
    n.outputs[1] = presentK;
  if (n.hasOutput(2))
    n.outputs[2] = presentV;
  if (n.hasOutput(3)) {
    int64_t mode = n.getInt("qk_matmul_output_mode", 0);
    if (mode < 0 || mode > 3)
      return n.fail("qk_matmul_output_mode " + Twine(mode) + " is not 0 to 3");
    // 0: Q.K^T, 1: soft-capped, 2: plus the mask, 3: softmax.
    Result qk = mode == 3   ? probs
                : mode == 2 ? biased
                : mode == 1 ? scores
                            : rawScores;
    if (failed(qk))
      return failure();
    n.outputs[3] = *qk;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// FlexAttention (ai.onnx.preview 1): scaled dot-product attention whose
// scores and probabilities pass through optional modifier subgraphs. The
// subgraphs are imported inline on the whole [B, Hq, L, S] tensor; with
// static shapes their index arithmetic (Shape, Range) folds into constants.
//===----------------------------------------------------------------------===//

/// Runs the modifier subgraph attribute `name` (if any) on `x`.
Result applyModifier(NodeContext &n, llvm::StringRef name, Value x) {
  const onnx::AttributeProto *a = n.attr(name);
  if (!a)
    return x;
  if (!a->has_g())
    return n.fail("attribute '" + name + "' must be a graph");
  std::string error;
  auto outs = n.importSubgraph(a->g(), {x}, error);
  if (failed(outs))
    return n.fail("in " + name + ": " + error);
  if (outs->size() != 1)
    return n.fail(name + " has " + Twine(outs->size()) +
                  " outputs, expected 1");
  Value y = outs->front();
  if (y.getType() != x.getType()) {
    std::string from, to;
    llvm::raw_string_ostream(from) << x.getType();
    llvm::raw_string_ostream(to) << y.getType();
    return n.fail(name + " turns " + from + " into " + to +
                  "; it must keep the shape and element type");
  }
  return y;
}

LogicalResult convertFlexAttention(NodeContext &n) {
  auto q = n.input(0, "Q"), k = n.input(1, "K"), v = n.input(2, "V");
  if (failed(q) || failed(k) || failed(v))
    return failure();
  // float16 arrives widened (computeInF32), which is the default softmax
  // precision of float16 inputs; f64 computes in f64.
  Type elt = eltOf(*q);
  if (!elt.isF32() && !elt.isF64())
    return n.fail("only float32, float16 and float64 Q, K, V are supported");
  if (eltOf(*k) != elt || eltOf(*v) != elt)
    return n.fail("Q, K and V must have one element type");
  if (n.attr("softmax_precision")) {
    int64_t p = n.getInt("softmax_precision", 0);
    int64_t natural = elt.isF64() ? onnx::TensorProto::DOUBLE
                                  : onnx::TensorProto::FLOAT;
    if (p != natural)
      return n.fail("softmax_precision " + Twine(p) +
                    " is not supported (only the default precision of the "
                    "inputs' type)");
  }
  if (rankOf(*q) != 4 || rankOf(*k) != 4 || rankOf(*v) != 4)
    return n.fail("Q, K and V must be 4-D");
  ArrayRef<int64_t> qs = shapeOf(*q), ks = shapeOf(*k), vs = shapeOf(*v);
  if (ks[0] != qs[0] || vs[0] != qs[0] || ks[3] != qs[3] || vs[1] != ks[1] ||
      vs[2] != ks[2])
    return n.fail("Q " + shapeStr(qs) + ", K " + shapeStr(ks) + " and V " +
                  shapeStr(vs) + " do not fit together");
  int64_t qHeads = qs[1], kvHeads = ks[1];
  if (kvHeads <= 0 || qHeads % kvHeads != 0)
    return n.fail("q_num_heads " + Twine(qHeads) +
                  " must be a multiple of kv_num_heads " + Twine(kvHeads));
  double scale = 1.0 / std::sqrt((double)qs[3]);
  if (n.attr("scale"))
    scale = n.getFloat("scale", 1.0f);

  Builder b{n};
  Result K = repeatHeads(b, *k, qHeads / kvHeads);
  Result V = repeatHeads(b, *v, qHeads / kvHeads);
  // Both sides scaled by sqrt(scale), as the reference does.
  Result rootScale = b.scalar(*q, std::sqrt((double)(float)scale));
  Result scores = b.matmul(b.mul(*q, rootScale),
                           b.transpose(b.mul(K, rootScale), {0, 1, 3, 2}));
  if (failed(scores))
    return failure();
  scores = applyModifier(n, "score_mod", *scores);
  if (failed(scores))
    return failure();
  Result probs = n.create<mnn::SoftmaxOp>(*scores, 3);
  if (failed(probs))
    return failure();
  probs = applyModifier(n, "prob_mod", *probs);
  return n.setOutput(0, b.matmul(probs, V));
}

//===----------------------------------------------------------------------===//
// LinearAttention (opset 27): the recurrence unrolled over the (static)
// sequence; each step is a few small matmuls on [B, H, d_k, d_v] states.
//===----------------------------------------------------------------------===//

/// Longest sequence unrolled: beyond this the graph would grow too large.
constexpr int64_t kMaxUnrolledSteps = 256;

LogicalResult convertLinearAttention(NodeContext &n) {
  auto q = n.input(0, "query"), k = n.input(1, "key"), v = n.input(2, "value");
  if (failed(q) || failed(k) || failed(v))
    return failure();
  for (Value t : {*q, *k, *v}) {
    if (!eltOf(t).isF32())
      return n.fail("only float32 inputs are supported");
    if (rankOf(t) != 3)
      return n.fail("query, key and value must be 3-D [B, T, H*D]");
  }
  std::string rule = n.getString("update_rule", "gated_delta");
  bool gating = rule == "gated" || rule == "gated_delta";
  bool delta = rule == "delta" || rule == "gated_delta";
  if (!gating && !delta && rule != "linear")
    return n.fail("unknown update_rule '" + rule + "'");
  if (gating != n.hasInput(4))
    return n.fail("update_rule '" + rule + "' " +
                  (gating ? "needs" : "forbids") + " the decay input");
  if (delta != n.hasInput(5))
    return n.fail("update_rule '" + rule + "' " +
                  (delta ? "needs" : "forbids") + " the beta input");
  int64_t qHeads = n.getInt("q_num_heads", 0), kvHeads = n.getInt("kv_num_heads", 0);
  ArrayRef<int64_t> qs = shapeOf(*q), ks = shapeOf(*k), vs = shapeOf(*v);
  if (qHeads <= 0 || kvHeads <= 0 || qHeads % kvHeads != 0 ||
      qs[2] % qHeads != 0 || ks[2] % kvHeads != 0 || vs[2] % kvHeads != 0)
    return n.fail("q_num_heads and kv_num_heads must be positive, divide the "
                  "hidden sizes, and q_num_heads a multiple of kv_num_heads");
  int64_t batch = qs[0], steps = qs[1], dk = qs[2] / qHeads,
          dv = vs[2] / kvHeads;
  if (ks[2] / kvHeads != dk)
    return n.fail("query and key head sizes differ");
  if (steps > kMaxUnrolledSteps)
    return n.fail("sequence length " + Twine(steps) + " is above " +
                  Twine(kMaxUnrolledSteps) + " (the recurrence is unrolled)");
  Builder b{n};
  Result Q = splitHeads(b, *q, qHeads), K = splitHeads(b, *k, kvHeads),
         V = splitHeads(b, *v, kvHeads);
  if (failed(Q) || failed(K) || failed(V))
    return failure();
  // decay: [B, T, Hkv] or [B, T, Hkv*d_k] -> [B, Hkv, T, 1 or d_k];
  // beta: [B, T, Hkv or 1] -> [B, Hkv or 1, T, 1].
  Result decay = Value(), beta = Value();
  if (gating) {
    Value g = n.inputs[4];
    ArrayRef<int64_t> gs = shapeOf(g);
    if (gs.size() != 3 || (gs[2] != kvHeads && gs[2] != kvHeads * dk))
      return n.fail("decay must be [B, T, kv_num_heads] or [B, T, "
                    "kv_num_heads * d_k], got " + shapeStr(gs));
    decay = gs[2] == kvHeads
                ? b.transpose(b.reshape(g, {batch, steps, kvHeads, 1}), {0, 2, 1, 3})
                : splitHeads(b, g, kvHeads);
  }
  if (delta) {
    Value bt = n.inputs[5];
    ArrayRef<int64_t> bs = shapeOf(bt);
    if (bs.size() != 3 || (bs[2] != kvHeads && bs[2] != 1))
      return n.fail("beta must be [B, T, kv_num_heads or 1], got " + shapeStr(bs));
    beta = b.transpose(b.reshape(bt, {batch, steps, bs[2], 1}), {0, 2, 1, 3});
  }
  if (failed(decay) || failed(beta))
    return failure();
  Ints stateShape = {batch, kvHeads, dk, dv};
  Result state = Value();
  if (n.hasInput(3)) {
    if (shapeOf(n.inputs[3]) != ArrayRef<int64_t>(stateShape))
      return n.fail("past_state must be " + shapeStr(stateShape) + ", got " +
                    shapeStr(shapeOf(n.inputs[3])));
    state = n.inputs[3];
  } else {
    auto type = RankedTensorType::get(stateShape, n.b.getF32Type());
    state = n.constant(DenseElementsAttr::get(type, 0.0f));
  }
  double scale = n.getFloat("scale", 0.0f);
  if (scale == 0.0)
    scale = 1.0 / std::sqrt((double)dk);
  Result scaleV = b.scalar(*Q, scale);

  SmallVector<Value> outs;
  for (int64_t t = 0; t < steps; ++t) {
    Result qt = b.slice(Q, 2, t, t + 1);          // [B, Hq, 1, dk]
    Result kt = b.slice(K, 2, t, t + 1);          // [B, Hkv, 1, dk]
    Result vt = b.slice(V, 2, t, t + 1);          // [B, Hkv, 1, dv]
    if (gating) {
      Result g = b.slice(decay, 2, t, t + 1);     // [B, Hkv, 1, 1 or dk]
      if (failed(g))
        return failure();
      int64_t width = shapeOf(*g)[3];
      Result ge = n.create<mnn::ExpOp>(*g);
      state = b.mul(state, b.reshape(ge, {batch, kvHeads, width, 1}));
    }
    if (delta) {
      Result retrieved = b.matmul(kt, state);     // [B, Hkv, 1, dv]
      vt = b.mul(b.slice(beta, 2, t, t + 1), b.sub(vt, retrieved));
    }
    Result ktCol = b.reshape(kt, {batch, kvHeads, dk, 1});
    state = b.add(state, b.matmul(ktCol, vt));
    if (failed(state))
      return failure();
    Result read = repeatHeads(b, *state, qHeads / kvHeads);
    Result ot = b.mul(b.matmul(qt, read), scaleV); // [B, Hq, 1, dv]
    if (failed(ot))
      return failure();
    outs.push_back(*ot);
  }
  Result all = outs.size() == 1 ? Result(outs[0]) : b.concat(outs, 2);
  if (failed(n.setOutput(0, b.reshape(b.transpose(all, {0, 2, 1, 3}),
                                      {batch, steps, qHeads * dv}))))
    return failure();
  if (n.hasOutput(1))
    n.outputs[1] = *state;
  return success();
}

} // namespace

void addTransformerConverters(llvm::StringMap<Converter> &table) {
  table["Attention"] = computeInF32<convertAttention>;
  table["RMSNormalization"] = computeInF32<convertRMSNorm>;
  table["RotaryEmbedding"] = computeInF32<convertRotaryEmbedding>;
  table["LinearAttention"] = computeInF32<convertLinearAttention>;
  table["ai.onnx.preview.FlexAttention"] = computeInF32<convertFlexAttention>;
}

} // namespace mnn::onnx_import
