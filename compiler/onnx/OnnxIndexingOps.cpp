//===- OnnxIndexingOps.cpp - gathers, scatters, Einsum, losses, ... -------===//
//
// GatherElements, GatherND, ScatterElements (and the older Scatter),
// ScatterND, Trilu, OneHot, Size, Einsum, NegativeLogLikelihoodLoss and
// SoftmaxCrossEntropyLoss. Einsum and the losses are decomposed here into
// transpose/reshape/matmul/reduce/elementwise ops and the indexing ops of
// MNNIndexingOps.td. Values that decide shapes (OneHot's depth, Trilu's k)
// must fold to constants.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"
#include "llvm/ADT/STLExtras.h"
#include "llvm/ADT/StringExtras.h"

#include <map>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

Ints allAxes(int64_t rank) {
  Ints axes;
  for (int64_t i = 0; i < rank; ++i)
    axes.push_back(i);
  return axes;
}

bool isIdentity(ArrayRef<int64_t> perm) {
  for (int64_t i = 0; i < (int64_t)perm.size(); ++i)
    if (perm[i] != i)
      return false;
  return true;
}

LogicalResult requireIntegerIndices(NodeContext &n, Value idx, StringRef what) {
  Type t = eltOf(idx);
  if (!isa<IntegerType>(t) || t.getIntOrFloatBitWidth() == 1)
    return n.fail("input '" + what + "' must be integer indices");
  return success();
}

/// Constant indices are checked against the dim they index: ONNX makes an
/// out-of-range index an error. (Run-time indices are clamped by the kernels.)
LogicalResult checkConstIndices(NodeContext &n, Value idx, int64_t dim,
                                StringRef what) {
  Attribute attr;
  if (!matchPattern(idx, m_Constant(&attr)))
    return success();
  auto values = mnn::getAsInts(cast<ElementsAttr>(attr));
  if (!values)
    return n.fail("input '" + what + "' must be integer indices");
  for (int64_t v : *values)
    if (v < -dim || v >= dim)
      return n.fail("index " + Twine(v) + " in '" + what +
                    "' is out of range for a dim of size " + Twine(dim));
  return success();
}

//===----------------------------------------------------------------------===//
// Gathers and scatters
//===----------------------------------------------------------------------===//

LogicalResult convertGatherElements(NodeContext &n) {
  auto data = n.input(0, "data"), idx = n.input(1, "indices");
  if (failed(data) || failed(idx) ||
      failed(requireIntegerIndices(n, *idx, "indices")))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rankOf(*data));
  if (failed(axis) ||
      failed(checkConstIndices(n, *idx, shapeOf(*data)[*axis], "indices")))
    return failure();
  return n.setOutput(0, n.create<mnn::GatherElementsOp>(*data, *idx, *axis));
}

LogicalResult convertGatherND(NodeContext &n) {
  auto data = n.input(0, "data"), idx = n.input(1, "indices");
  if (failed(data) || failed(idx) ||
      failed(requireIntegerIndices(n, *idx, "indices")))
    return failure();
  return n.setOutput(0, n.create<mnn::GatherNDOp>(*data, *idx,
                                                  n.getInt("batch_dims", 0)));
}

FailureOr<std::string> scatterReduction(NodeContext &n) {
  std::string r = n.getString("reduction", "none");
  bool known = r == "none" || (n.opset >= 16 && (r == "add" || r == "mul")) ||
               (n.opset >= 18 && (r == "max" || r == "min"));
  if (!known)
    return n.fail("reduction '" + r + "' is not supported at opset " +
                  Twine(n.opset));
  return r;
}

LogicalResult convertScatterElements(NodeContext &n) {
  auto data = n.input(0, "data"), idx = n.input(1, "indices"),
       upd = n.input(2, "updates");
  if (failed(data) || failed(idx) || failed(upd) ||
      failed(requireIntegerIndices(n, *idx, "indices")))
    return failure();
  auto axis = n.normalizeAxis(n.getInt("axis", 0), rankOf(*data));
  auto reduction = scatterReduction(n);
  if (failed(axis) || failed(reduction) ||
      failed(checkConstIndices(n, *idx, shapeOf(*data)[*axis], "indices")))
    return failure();
  return n.setOutput(0, n.create<mnn::ScatterElementsOp>(*data, *idx, *upd,
                                                         *axis, *reduction));
}

LogicalResult convertScatterND(NodeContext &n) {
  auto data = n.input(0, "data"), idx = n.input(1, "indices"),
       upd = n.input(2, "updates");
  if (failed(data) || failed(idx) || failed(upd) ||
      failed(requireIntegerIndices(n, *idx, "indices")))
    return failure();
  auto reduction = scatterReduction(n);
  if (failed(reduction))
    return failure();
  return n.setOutput(
      0, n.create<mnn::ScatterNDOp>(*data, *idx, *upd, *reduction));
}

//===----------------------------------------------------------------------===//
// Trilu, OneHot, Size
//===----------------------------------------------------------------------===//

LogicalResult convertTrilu(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  int64_t k = 0;
  if (n.hasInput(1)) {
    auto v = n.constInts(1, "k");
    if (failed(v))
      return failure();
    if (v->size() != 1)
      return n.fail("input 'k' must hold one value");
    k = v->front();
  }
  if (rankOf(*x) < 2)
    return n.fail("the input must have rank >= 2, got " +
                  shapeStr(shapeOf(*x)));
  return n.setOutput(
      0, n.create<mnn::TriluOp>(*x, n.getInt("upper", 1) != 0, k));
}

LogicalResult convertOneHot(NodeContext &n) {
  auto idx = n.input(0, "indices"), values = n.input(2, "values");
  auto depth = n.constDoubles(1, "depth");
  if (failed(idx) || failed(values) || failed(depth))
    return failure();
  if (depth->size() != 1)
    return n.fail("input 'depth' must hold one value");
  int64_t d = static_cast<int64_t>(depth->front());
  if (d <= 0)
    return n.fail("depth must be positive, got " + Twine(d));
  if (NodeContext::typeOf(*values).getNumElements() != 2)
    return n.fail("input 'values' must hold two values [off, on]");
  if (!eltOf(*idx).isIntOrFloat() || eltOf(*idx).isInteger(1))
    return n.fail("input 'indices' must be numeric");
  int64_t rank = rankOf(*idx), axis = n.getInt("axis", -1);
  if (axis < -rank - 1 || axis > rank)
    return n.fail("axis " + Twine(axis) + " is out of range for output rank " +
                  Twine(rank + 1));
  if (axis < 0)
    axis += rank + 1;
  return n.setOutput(0, n.create<mnn::OneHotOp>(*idx, *values, d, axis));
}

LogicalResult convertSize(NodeContext &n) {
  auto x = n.input(0, "data");
  if (failed(x))
    return failure();
  n.outputs[0] = n.i64Constant({product(shapeOf(*x))}, {});
  return success();
}

// ReverseSequence with constant sequence_lens: per batch entry, the first
// len steps reversed (a step -1 slice) followed by the rest, concatenated
// back along the batch axis.
LogicalResult convertReverseSequence(NodeContext &n) {
  auto x = n.input(0, "input");
  auto lens = n.constInts(1, "sequence_lens");
  if (failed(x) || failed(lens))
    return failure();
  Ints shape(shapeOf(*x));
  if (shape.size() < 2)
    return n.fail("input must have rank 2 or more");
  int64_t batchAxis = n.getInt("batch_axis", 1), timeAxis = n.getInt("time_axis", 0);
  if (!((batchAxis == 0 && timeAxis == 1) || (batchAxis == 1 && timeAxis == 0)))
    return n.fail("batch_axis and time_axis must be 0 and 1 in some order");
  int64_t batch = shape[batchAxis], steps = shape[timeAxis];
  if ((int64_t)lens->size() != batch)
    return n.fail("sequence_lens has " + Twine(lens->size()) +
                  " values for a batch of " + Twine(batch));
  if (batch == 0 || steps == 0) // empty: nothing to reverse
    return n.setOutput(0, *x);
  SmallVector<Value> rows;
  for (int64_t bi = 0; bi < batch; ++bi) {
    int64_t len = (*lens)[bi];
    if (len < 0 || len > steps)
      return n.fail("sequence_lens value " + Twine(len) + " is outside [0, " +
                    Twine(steps) + "]");
    SmallVector<Value> parts;
    auto piece = [&](int64_t start, int64_t size, int64_t step) -> LogicalResult {
      if (size == 0)
        return success();
      Ints starts(shape.size(), 0), sizes(shape), strides(shape.size(), 1);
      starts[batchAxis] = bi;
      sizes[batchAxis] = 1;
      starts[timeAxis] = start;
      sizes[timeAxis] = size;
      strides[timeAxis] = step;
      auto part = n.create<mnn::SliceOp>(*x, starts, sizes, strides);
      if (failed(part))
        return failure();
      parts.push_back(*part);
      return success();
    };
    if (failed(piece(len - 1, len, -1)) || failed(piece(len, steps - len, 1)))
      return failure();
    auto row = parts.size() == 1 ? FailureOr<Value>(parts[0])
                                 : n.create<mnn::ConcatOp>(parts, timeAxis);
    if (failed(row))
      return failure();
    rows.push_back(*row);
  }
  return n.setOutput(0, n.create<mnn::ConcatOp>(rows, batchAxis));
}

// BitCast: same-width types only (every element keeps its shape position).
LogicalResult convertBitCast(NodeContext &n) {
  auto x = n.input(0, "input");
  if (failed(x))
    return failure();
  if (!n.attr("to"))
    return n.fail("missing attribute 'to'");
  int64_t to = n.getInt("to", 0);
  Type elt = convertElementType(n.ctx(), to);
  if (!elt)
    return n.fail("bitcast to " + onnxTypeName(to) + " is not supported");
  Type from = eltOf(*x);
  if (mnn::elementByteWidth(from) != mnn::elementByteWidth(elt))
    return n.fail("bitcast between types of different widths is not supported");
  return n.setOutput(
      0, n.createTyped<mnn::BitCastOp>(RankedTensorType::get(shapeOf(*x), elt), *x));
}

//===----------------------------------------------------------------------===//
// Einsum
//===----------------------------------------------------------------------===//

// Subscripts become integer labels: letters as themselves, the dims an
// ellipsis covers as 1000 + (position counted from the right), so that
// ellipses of different ranks line up like numpy broadcasting.
using Labels = SmallVector<int64_t>;
constexpr int64_t kEllipsisLabel = 1000;

FailureOr<Labels> parseTerm(NodeContext &n, StringRef term, int64_t rank,
                            int64_t &ellipsisRank) {
  Labels out;
  size_t dots = term.find("...");
  StringRef before = dots == StringRef::npos ? term : term.take_front(dots);
  StringRef after =
      dots == StringRef::npos ? StringRef() : term.drop_front(dots + 3);
  if (after.contains('.'))
    return n.fail("malformed equation term '" + term + "'");
  int64_t letters = before.size() + after.size();
  int64_t covered = dots == StringRef::npos ? 0 : rank - letters;
  if (covered < 0 || (dots == StringRef::npos && letters != rank))
    return n.fail("term '" + term + "' does not match an operand of rank " +
                  Twine(rank));
  ellipsisRank = std::max(ellipsisRank, covered);
  auto addLetters = [&](StringRef s) -> LogicalResult {
    for (char c : s) {
      if (!llvm::isAlpha(c))
        return n.fail("invalid subscript '" + Twine(c) + "' in equation");
      out.push_back(c);
    }
    return success();
  };
  if (failed(addLetters(before)))
    return failure();
  for (int64_t i = covered - 1; i >= 0; --i)
    out.push_back(kEllipsisLabel + i);
  if (failed(addLetters(after)))
    return failure();
  return out;
}

struct Operand {
  Value value;
  Labels labels;
};

/// Sums out the dims of `op` whose labels are not in `keep`.
LogicalResult sumOut(NodeContext &n, Operand &op,
                     llvm::function_ref<bool(int64_t)> keep) {
  Ints axes;
  Labels rest;
  for (auto [i, l] : llvm::enumerate(op.labels)) {
    if (keep(l))
      rest.push_back(l);
    else
      axes.push_back(i);
  }
  if (axes.empty())
    return success();
  auto r = n.create<mnn::ReduceOp>(op.value, "sum", axes, false);
  if (failed(r))
    return failure();
  op = {*r, rest};
  return success();
}

FailureOr<Value> permute(NodeContext &n, Value v, ArrayRef<int64_t> perm) {
  if (isIdentity(perm))
    return v;
  return n.create<mnn::TransposeOp>(v, perm);
}

/// a x b as one batched matmul: batch labels (in both, kept), contracted
/// (in both, not kept), and each side's free labels.
FailureOr<Operand> contract(NodeContext &n, Operand a, Operand b,
                            llvm::function_ref<bool(int64_t)> keep) {
  auto inOther = [](const Operand &o, int64_t l) {
    return llvm::is_contained(o.labels, l);
  };
  if (failed(sumOut(n, a, [&](int64_t l) { return keep(l) || inOther(b, l); })) ||
      failed(sumOut(n, b, [&](int64_t l) { return keep(l) || inOther(a, l); })))
    return failure();
  Labels batch, sum, aFree, bFree;
  for (int64_t l : a.labels) {
    if (!inOther(b, l))
      aFree.push_back(l);
    else if (keep(l))
      batch.push_back(l);
    else
      sum.push_back(l);
  }
  for (int64_t l : b.labels)
    if (!inOther(a, l))
      bFree.push_back(l);
  auto dimOf = [](const Operand &o, int64_t l) {
    return shapeOf(o.value)[llvm::find(o.labels, l) - o.labels.begin()];
  };
  for (int64_t l : llvm::concat<int64_t>(batch, sum))
    if (dimOf(a, l) != dimOf(b, l))
      return n.fail("operands disagree on the size of a subscript (" +
                    Twine(dimOf(a, l)) + " vs " + Twine(dimOf(b, l)) +
                    "); broadcasting is not supported");
  auto positions = [](const Operand &o, ArrayRef<int64_t> ls) {
    Ints p;
    for (int64_t l : ls)
      p.push_back(llvm::find(o.labels, l) - o.labels.begin());
    return p;
  };
  auto sizes = [&](const Operand &o, ArrayRef<int64_t> ls) {
    Ints s;
    for (int64_t l : ls)
      s.push_back(dimOf(o, l));
    return s;
  };
  Ints batchDims = sizes(a, batch), aDims = sizes(a, aFree),
       bDims = sizes(b, bFree), sumDims = sizes(a, sum);
  int64_t bt = product(batchDims), m = product(aDims), k = product(sumDims),
          nn = product(bDims);
  Ints aPerm = positions(a, batch), bPerm = positions(b, batch);
  llvm::append_range(aPerm, positions(a, aFree));
  llvm::append_range(aPerm, positions(a, sum));
  llvm::append_range(bPerm, positions(b, sum));
  llvm::append_range(bPerm, positions(b, bFree));
  auto at = permute(n, a.value, aPerm), btv = permute(n, b.value, bPerm);
  if (failed(at) || failed(btv))
    return failure();
  auto a3 = n.reshape(*at, {bt, m, k}), b3 = n.reshape(*btv, {bt, k, nn});
  if (failed(a3) || failed(b3))
    return failure();
  auto prod = n.create<mnn::MatMulOp>(*a3, *b3, Value(), Value(), "none",
                                      APFloat(0.0f), APFloat(0.0f));
  if (failed(prod))
    return failure();
  Ints outShape = batchDims;
  llvm::append_range(outShape, aDims);
  llvm::append_range(outShape, bDims);
  auto out = n.reshape(*prod, outShape);
  if (failed(out))
    return failure();
  Labels labels = batch;
  llvm::append_range(labels, aFree);
  llvm::append_range(labels, bFree);
  return Operand{*out, labels};
}

LogicalResult convertEinsum(NodeContext &n) {
  std::string eq;
  for (char c : n.getString("equation", ""))
    if (c != ' ')
      eq.push_back(c);
  if (eq.empty())
    return n.fail("missing attribute 'equation'");
  StringRef eqRef(eq);
  size_t arrow = eqRef.find("->");
  StringRef lhs = eqRef.take_front(arrow);
  SmallVector<StringRef> terms;
  lhs.split(terms, ',');
  if (terms.size() != n.inputs.size())
    return n.fail("equation has " + Twine(terms.size()) + " terms for " +
                  Twine(n.inputs.size()) + " inputs");
  SmallVector<Operand> ops;
  int64_t ellipsisRank = 0;
  std::map<int64_t, int64_t> sizeOf, count;
  for (auto [i, term] : llvm::enumerate(terms)) {
    auto v = n.input(i);
    if (failed(v))
      return failure();
    auto labels = parseTerm(n, term, rankOf(*v), ellipsisRank);
    if (failed(labels))
      return failure();
    for (auto [d, l] : llvm::enumerate(*labels)) {
      if (llvm::count(*labels, l) > 1)
        return n.fail("repeated subscript in term '" + term +
                      "' (a diagonal) is not supported");
      ++count[l];
      int64_t size = shapeOf(*v)[d];
      auto [it, inserted] = sizeOf.insert({l, size});
      if (!inserted && it->second != size)
        return n.fail("subscript sizes disagree (" + Twine(it->second) +
                      " vs " + Twine(size) +
                      "); broadcasting is not supported");
    }
    ops.push_back({*v, *labels});
  }
  Labels outLabels;
  if (arrow != StringRef::npos) {
    int64_t dummy = 0;
    StringRef rhs = eqRef.drop_front(arrow + 2);
    if (rhs.contains("...") || rhs.contains('.')) {
      // The output ellipsis covers the widest input ellipsis.
      size_t dots = rhs.find("...");
      if (dots == StringRef::npos)
        return n.fail("malformed output term '" + rhs + "'");
      int64_t letters = rhs.size() - 3;
      auto parsed = parseTerm(n, rhs, letters + ellipsisRank, dummy);
      if (failed(parsed))
        return failure();
      outLabels = *parsed;
    } else {
      auto parsed = parseTerm(n, rhs, rhs.size(), dummy);
      if (failed(parsed))
        return failure();
      outLabels = *parsed;
    }
    for (int64_t l : outLabels) {
      if (llvm::count(outLabels, l) > 1)
        return n.fail("repeated subscript in the output term");
      if (!sizeOf.count(l))
        return n.fail("output subscript '" + Twine((char)l) +
                      "' appears in no input");
    }
  } else {
    // Implicit output: the ellipsis dims, then the letters used once, sorted.
    for (int64_t i = ellipsisRank - 1; i >= 0; --i)
      outLabels.push_back(kEllipsisLabel + i);
    for (auto [l, c] : count)
      if (l < kEllipsisLabel && c == 1)
        outLabels.push_back(l);
    llvm::sort(outLabels.begin() + ellipsisRank, outLabels.end());
  }

  auto inOutput = [&](int64_t l) { return llvm::is_contained(outLabels, l); };
  Operand cur = ops.front();
  for (size_t i = 1; i < ops.size(); ++i) {
    auto keep = [&](int64_t l) {
      if (inOutput(l))
        return true;
      for (size_t j = i + 1; j < ops.size(); ++j)
        if (llvm::is_contained(ops[j].labels, l))
          return true;
      return false;
    };
    auto next = contract(n, cur, ops[i], keep);
    if (failed(next))
      return failure();
    cur = *next;
  }
  if (failed(sumOut(n, cur, inOutput)))
    return failure();
  Ints perm;
  for (int64_t l : outLabels)
    perm.push_back(llvm::find(cur.labels, l) - cur.labels.begin());
  return n.setOutput(0, permute(n, cur.value, perm));
}

//===----------------------------------------------------------------------===//
// Losses
//===----------------------------------------------------------------------===//

/// NegativeLogLikelihoodLoss of log-probabilities `logp` [N, C, d...] and
/// integer targets [N, d...]: -logp[n, t, d...] * weight[t], with the
/// none / sum / mean (weighted) reductions.
FailureOr<Value> nllLoss(NodeContext &n, Value logp, Value target,
                         Value weight) {
  if (failed(requireIntegerIndices(n, target, "target")))
    return failure();
  ArrayRef<int64_t> in = shapeOf(logp), ts = shapeOf(target);
  if (in.size() < 2)
    return n.fail("the input must be [N, C, d1, ...], got " + shapeStr(in));
  Ints want = {in[0]};
  llvm::append_range(want, in.drop_front(2));
  if (ts != ArrayRef<int64_t>(want))
    return n.fail("target " + shapeStr(ts) + " should be " + shapeStr(want) +
                  " for input " + shapeStr(in));
  std::string reduction = n.getString("reduction", "mean");
  if (reduction != "none" && reduction != "sum" && reduction != "mean")
    return n.fail("unknown reduction '" + reduction + "'");
  if (!eltOf(logp).isF32())
    return n.fail("only f32 inputs are supported");
  Ints unsq(ts);
  unsq.insert(unsq.begin() + 1, 1);
  auto t1 = n.reshape(target, unsq);
  if (failed(t1))
    return failure();
  // Ignored targets may lie outside [0, C): gather_elements clamps them and
  // their weight is 0.
  auto picked = n.create<mnn::GatherElementsOp>(logp, *t1, 1);
  if (failed(picked))
    return failure();
  auto flat = n.reshape(*picked, ts);
  bool hasIgnore = n.attr("ignore_index") != nullptr;
  auto w = n.create<mnn::ClassWeightOp>(target, weight, in[1], hasIgnore,
                                        n.getInt("ignore_index", 0));
  if (failed(flat) || failed(w))
    return failure();
  auto weighted = n.create<mnn::MulOp>(*flat, *w);
  if (failed(weighted))
    return failure();
  auto loss = n.create<mnn::NegOp>(*weighted);
  if (failed(loss) || reduction == "none")
    return loss;
  auto total = n.create<mnn::ReduceOp>(*loss, "sum", allAxes(ts.size()), false);
  if (failed(total) || reduction == "sum")
    return total;
  auto norm = n.create<mnn::ReduceOp>(*w, "sum", allAxes(ts.size()), false);
  if (failed(norm))
    return failure();
  return n.create<mnn::DivOp>(*total, *norm);
}

LogicalResult convertNLLLoss(NodeContext &n) {
  auto x = n.input(0, "input"), t = n.input(1, "target");
  if (failed(x) || failed(t))
    return failure();
  Value w = n.hasInput(2) ? n.inputs[2] : Value();
  return n.setOutput(0, nllLoss(n, *x, *t, w));
}

LogicalResult convertSoftmaxCrossEntropyLoss(NodeContext &n) {
  auto x = n.input(0, "scores"), t = n.input(1, "labels");
  if (failed(x) || failed(t))
    return failure();
  if (rankOf(*x) < 2)
    return n.fail("scores must be [N, C, d1, ...], got " +
                  shapeStr(shapeOf(*x)));
  auto logp = n.create<mnn::LogSoftmaxOp>(*x, 1);
  if (failed(logp))
    return failure();
  Value w = n.hasInput(2) ? n.inputs[2] : Value();
  if (failed(n.setOutput(0, nllLoss(n, *logp, *t, w))))
    return failure();
  if (n.hasOutput(1))
    n.outputs[1] = *logp;
  return success();
}

} // namespace

void addIndexingConverters(llvm::StringMap<Converter> &table) {
  table["GatherElements"] = convertGatherElements;
  table["GatherND"] = convertGatherND;
  table["ScatterElements"] = convertScatterElements;
  // Scatter (opsets 9-10) is ScatterElements under its old name.
  table["Scatter"] = convertScatterElements;
  table["ScatterND"] = convertScatterND;
  table["Trilu"] = convertTrilu;
  table["OneHot"] = convertOneHot;
  table["Size"] = convertSize;
  table["BitCast"] = convertBitCast;
  table["ReverseSequence"] = convertReverseSequence;
  table["Einsum"] = convertEinsum;
  table["NegativeLogLikelihoodLoss"] = convertNLLLoss;
  table["SoftmaxCrossEntropyLoss"] = convertSoftmaxCrossEntropyLoss;
}

} // namespace mnn::onnx_import
