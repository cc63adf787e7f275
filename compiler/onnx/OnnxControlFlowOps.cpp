//===- OnnxControlFlowOps.cpp - ONNX If, Loop, Scan -> inlined graphs -----===//
//
// The compiler has static shapes and no run-time control flow, so control
// flow must resolve at compile time:
//  - If: the condition must fold to a constant; the taken branch is imported
//    inline (its nodes see the enclosing graph's values) and its outputs
//    become the node's outputs. The other branch is never read.
//  - Loop: the trip count must be a constant (or the exit condition must
//    fold to a constant in every iteration); the body is imported once per
//    iteration with the iteration number and condition as constants, so
//    shape arithmetic on them folds. Scan outputs are stacked with a concat.
//    Unrolling is bounded (kMaxLoopIterations) to keep code size sane.
//  - Scan: the sequence length is a static dim, so the body is unrolled
//    the same way: each step gets a slice of every scan input, and the
//    per-step outputs are stacked along the scan output axes.
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/NodeContext.h"

#include "mnn/ElementsUtils.h"

#include "mlir/IR/Matchers.h"

#include <algorithm>

using namespace mlir;
using llvm::SmallVector;
using llvm::StringRef;
using llvm::Twine;

namespace mnn::onnx_import {
namespace {

constexpr int64_t kMaxLoopIterations = 256;

/// The value of a constant boolean (or integer) scalar, or nullopt when it is
/// computed at run time.
std::optional<bool> constantBool(Value v) {
  Attribute attr;
  if (!matchPattern(v, m_Constant(&attr)))
    return std::nullopt;
  auto ints = mnn::getAsInts(cast<ElementsAttr>(attr));
  if (!ints || ints->size() != 1)
    return std::nullopt;
  return ints->front() != 0;
}

const onnx::GraphProto *graphAttr(NodeContext &n, StringRef name) {
  const auto *a = n.attr(name);
  if (!a || !a->has_g())
    return nullptr;
  return &a->g();
}

/// Element `index` of dim `axis` of `v`, with that dim dropped.
FailureOr<Value> takeStep(NodeContext &n, Value v, int64_t axis,
                          int64_t index) {
  ArrayRef<int64_t> shape = shapeOf(v);
  Ints starts(shape.size(), 0), sizes(shape), steps(shape.size(), 1);
  starts[axis] = index;
  sizes[axis] = 1;
  auto s = n.create<mnn::SliceOp>(v, starts, sizes, steps);
  if (failed(s))
    return failure();
  Ints dropped(shape);
  dropped.erase(dropped.begin() + axis);
  return n.reshape(*s, dropped);
}

/// Stacks values of one shape along a new dim `axis`.
FailureOr<Value> stack(NodeContext &n, ArrayRef<Value> parts, int64_t axis) {
  SmallVector<Value> unit;
  for (Value v : parts) {
    Ints shape(shapeOf(v));
    shape.insert(shape.begin() + axis, 1);
    auto r = n.reshape(v, shape);
    if (failed(r))
      return failure();
    unit.push_back(*r);
  }
  if (unit.size() == 1)
    return unit.front();
  return n.create<mnn::ConcatOp>(unit, axis);
}

LogicalResult convertIf(NodeContext &n) {
  auto cond = n.input(0, "cond");
  if (failed(cond))
    return failure();
  std::optional<bool> taken = constantBool(*cond);
  if (!taken)
    return n.fail("condition must fold to a constant at compile time, but it "
                  "is computed at run time (data-dependent control flow is "
                  "not supported)");
  StringRef branchName = *taken ? "then_branch" : "else_branch";
  const onnx::GraphProto *branch = graphAttr(n, branchName);
  if (!branch)
    return n.fail("missing attribute '" + branchName + "'");
  std::string error;
  auto outs = n.importSubgraph(*branch, {}, error);
  if (failed(outs))
    return n.fail("in " + branchName + ": " + error);
  if (outs->size() != n.numOutputs())
    return n.fail(branchName + " has " + Twine(outs->size()) +
                  " outputs but the node has " + Twine(n.numOutputs()));
  for (size_t i = 0; i < outs->size(); ++i)
    n.outputs[i] = (*outs)[i];
  return success();
}

LogicalResult convertLoop(NodeContext &n) {
  const onnx::GraphProto *body = graphAttr(n, "body");
  if (!body)
    return n.fail("missing attribute 'body'");
  size_t numCarried = n.inputs.size() > 2 ? n.inputs.size() - 2 : 0;
  if (body->input_size() != (int)numCarried + 2)
    return n.fail("body has " + Twine(body->input_size()) + " inputs, expected " +
                  Twine(numCarried + 2) +
                  " (iteration number, condition, loop-carried values)");
  if (body->output_size() < (int)numCarried + 1)
    return n.fail("body has " + Twine(body->output_size()) +
                  " outputs, expected at least " + Twine(numCarried + 1));
  size_t numScan = body->output_size() - 1 - numCarried;
  if (n.numOutputs() != numCarried + numScan)
    return n.fail("the node has " + Twine(n.numOutputs()) +
                  " outputs, expected " + Twine(numCarried + numScan));

  std::optional<int64_t> tripCount;
  if (n.hasInput(0)) {
    auto m = n.constInts(0, "M");
    if (failed(m))
      return failure();
    if (m->size() != 1)
      return n.fail("input 'M' must be a scalar");
    tripCount = std::max<int64_t>(0, m->front());
  }
  bool cond = true;
  if (n.hasInput(1)) {
    std::optional<bool> c = constantBool(n.inputs[1]);
    if (!c)
      return n.fail("input 'cond' must fold to a constant at compile time "
                    "(data-dependent loop exit is not supported)");
    cond = *c;
  }
  if (!tripCount && !n.hasInput(1))
    return n.fail("neither a trip count 'M' nor a condition is given (an "
                  "infinite loop)");

  SmallVector<Value> carried;
  for (size_t i = 0; i < numCarried; ++i) {
    auto v = n.input(i + 2);
    if (failed(v))
      return failure();
    carried.push_back(*v);
  }
  SmallVector<SmallVector<Value>> scans(numScan);
  int64_t iter = 0;
  for (; cond && (!tripCount || iter < *tripCount); ++iter) {
    if (iter >= kMaxLoopIterations)
      return n.fail("more than " + Twine(kMaxLoopIterations) +
                    " iterations, which is not supported (loops are unrolled "
                    "at compile time)");
    SmallVector<Value> ins = {
        n.i64Constant({iter}, {}),
        n.constant(DenseElementsAttr::get(
            RankedTensorType::get({}, n.b.getI1Type()), cond))};
    ins.append(carried);
    std::string error;
    auto outs = n.importSubgraph(*body, ins, error);
    if (failed(outs))
      return n.fail("in body (iteration " + Twine(iter) + "): " + error);
    std::optional<bool> next = constantBool((*outs)[0]);
    if (!next)
      return n.fail("the body's condition output must fold to a constant at "
                    "compile time (data-dependent loop exit is not supported)");
    cond = *next;
    for (size_t i = 0; i < numCarried; ++i) {
      Value v = (*outs)[1 + i];
      if (NodeContext::typeOf(v).getShape() !=
          NodeContext::typeOf(carried[i]).getShape())
        return n.fail("loop-carried value " + Twine(i) +
                      " changes shape between iterations, which is not "
                      "supported");
      carried[i] = v;
    }
    for (size_t k = 0; k < numScan; ++k)
      scans[k].push_back((*outs)[1 + numCarried + k]);
  }

  for (size_t i = 0; i < numCarried; ++i)
    n.outputs[i] = carried[i];
  for (size_t k = 0; k < numScan; ++k) {
    if (!n.hasOutput(numCarried + k))
      continue;
    if (scans[k].empty())
      return n.fail("scan output " + Twine(k) +
                    " is empty (the loop runs no iteration), which is not "
                    "supported");
    // Stack the per-iteration values along a new leading dim.
    auto stacked = stack(n, scans[k], 0);
    if (failed(stacked))
      return failure();
    n.outputs[numCarried + k] = *stacked;
  }
  return success();
}

//===----------------------------------------------------------------------===//
// Scan: the body runs once per element of the (static) scan axis, unrolled.
//===----------------------------------------------------------------------===//

/// How one Scan (opset 9+ form) walks its inputs and stacks its outputs.
struct ScanLayout {
  Ints inAxes, inReverse;   // one per scan input, axes already resolved
  Ints outAxes, outReverse; // one per scan output, axes as given
};

/// Unrolls the body over the scan inputs' sequence. Returns the final states
/// followed by the stacked scan outputs.
FailureOr<SmallVector<Value>>
unrollScan(NodeContext &n, const onnx::GraphProto &body,
           ArrayRef<Value> initStates, ArrayRef<Value> scanIns,
           const ScanLayout &layout, size_t numScanOut) {
  int64_t length = shapeOf(scanIns[0])[layout.inAxes[0]];
  for (size_t i = 1; i < scanIns.size(); ++i)
    if (shapeOf(scanIns[i])[layout.inAxes[i]] != length)
      return n.fail("scan input " + Twine(i) + " has " +
                    Twine(shapeOf(scanIns[i])[layout.inAxes[i]]) +
                    " steps along its scan axis, but scan input 0 has " +
                    Twine(length));
  if (length == 0)
    return n.fail("the sequence is empty, which is not supported");
  if (length > kMaxLoopIterations)
    return n.fail("sequence length " + Twine(length) + " exceeds " +
                  Twine(kMaxLoopIterations) +
                  " steps, which is not supported (the body is unrolled at "
                  "compile time)");

  SmallVector<Value> states(initStates);
  SmallVector<SmallVector<Value>> scans(numScanOut);
  for (int64_t t = 0; t < length; ++t) {
    SmallVector<Value> ins(states);
    for (size_t i = 0; i < scanIns.size(); ++i) {
      int64_t at = layout.inReverse[i] ? length - 1 - t : t;
      auto step = takeStep(n, scanIns[i], layout.inAxes[i], at);
      if (failed(step))
        return failure();
      ins.push_back(*step);
    }
    std::string error;
    auto outs = n.importSubgraph(body, ins, error);
    if (failed(outs))
      return n.fail("in body (step " + Twine(t) + "): " + error);
    for (size_t i = 0; i < states.size(); ++i) {
      Value v = (*outs)[i];
      if (NodeContext::typeOf(v) != NodeContext::typeOf(states[i]))
        return n.fail("state variable " + Twine(i) + " changes type from " +
                      shapeStr(shapeOf(states[i])) + " to " +
                      shapeStr(shapeOf(v)) + " (or its element type) in step " +
                      Twine(t) + ", which is not supported");
      states[i] = v;
    }
    for (size_t k = 0; k < numScanOut; ++k) {
      Value v = (*outs)[states.size() + k];
      if (!scans[k].empty() &&
          NodeContext::typeOf(v) != NodeContext::typeOf(scans[k].front()))
        return n.fail("scan output " + Twine(k) + " changes type in step " +
                      Twine(t));
      scans[k].push_back(v);
    }
  }

  SmallVector<Value> results(states);
  for (size_t k = 0; k < numScanOut; ++k) {
    auto axis = n.normalizeAxis(layout.outAxes[k], rankOf(scans[k][0]) + 1,
                                "scan_output_axes value");
    if (failed(axis))
      return failure();
    // A reverse output stores step t at position length - 1 - t.
    if (layout.outReverse[k])
      std::reverse(scans[k].begin(), scans[k].end());
    auto stacked = stack(n, scans[k], *axis);
    if (failed(stacked))
      return failure();
    results.push_back(*stacked);
  }
  return results;
}

/// An INTS attribute of `count` entries (default: zeros), for the per-input
/// or per-output Scan attributes.
FailureOr<Ints> perValueInts(NodeContext &n, StringRef name, size_t count,
                             StringRef what, bool isDirection) {
  auto values = n.getInts(name);
  if (!values)
    return Ints(count, 0);
  if (values->size() != count)
    return n.fail("attribute '" + name + "' has " + Twine(values->size()) +
                  " values, but there are " + Twine(count) + " " + what);
  if (isDirection)
    for (int64_t d : *values)
      if (d != 0 && d != 1)
        return n.fail("attribute '" + name + "' has the value " + Twine(d) +
                      " (0 forward or 1 reverse expected)");
  return *values;
}

LogicalResult convertScan(NodeContext &n) {
  const onnx::GraphProto *body = graphAttr(n, "body");
  if (!body)
    return n.fail("missing attribute 'body'");
  int64_t numScanIn = n.getInt("num_scan_inputs", -1);
  if (numScanIn < 1)
    return n.fail("attribute 'num_scan_inputs' must be given and at least 1");
  // Scan-8 has a leading optional sequence_lens and a batch dim on every
  // input; Scan-9 dropped both.
  bool batched = n.opset < 9;
  size_t first = batched ? 1 : 0;
  if (n.inputs.size() < first + numScanIn)
    return n.fail("the node has " + Twine(n.inputs.size()) +
                  " inputs, fewer than num_scan_inputs = " + Twine(numScanIn));
  size_t numStates = n.inputs.size() - first - numScanIn;
  if (body->input_size() != (int)(numStates + numScanIn))
    return n.fail("body has " + Twine(body->input_size()) +
                  " inputs, expected " + Twine(numStates + numScanIn) + " (" +
                  Twine(numStates) + " state variables, " + Twine(numScanIn) +
                  " scan inputs)");
  if (body->output_size() < (int)numStates)
    return n.fail("body has " + Twine(body->output_size()) +
                  " outputs, fewer than its " + Twine(numStates) +
                  " state variables");
  size_t numScanOut = body->output_size() - numStates;
  if (n.numOutputs() > numStates + numScanOut)
    return n.fail("the node has " + Twine(n.numOutputs()) +
                  " outputs, expected at most " +
                  Twine(numStates + numScanOut));

  SmallVector<Value> states, scanIns;
  for (size_t i = first; i < n.inputs.size(); ++i) {
    auto v = n.input(i);
    if (failed(v))
      return failure();
    (i < first + numStates ? states : scanIns).push_back(*v);
  }

  ScanLayout layout;
  SmallVector<Value> results;
  if (!batched) {
    auto inAxes = perValueInts(n, "scan_input_axes", numScanIn, "scan inputs",
                               false);
    auto inDirs = perValueInts(n, "scan_input_directions", numScanIn,
                               "scan inputs", true);
    auto outAxes = perValueInts(n, "scan_output_axes", numScanOut,
                                "scan outputs", false);
    auto outDirs = perValueInts(n, "scan_output_directions", numScanOut,
                                "scan outputs", true);
    if (failed(inAxes) || failed(inDirs) || failed(outAxes) || failed(outDirs))
      return failure();
    for (int64_t i = 0; i < numScanIn; ++i) {
      auto axis = n.normalizeAxis((*inAxes)[i], rankOf(scanIns[i]),
                                  "scan_input_axes value");
      if (failed(axis))
        return failure();
      layout.inAxes.push_back(*axis);
    }
    layout.inReverse = *inDirs;
    layout.outAxes = *outAxes;
    layout.outReverse = *outDirs;
    auto r = unrollScan(n, *body, states, scanIns, layout, numScanOut);
    if (failed(r))
      return failure();
    results = std::move(*r);
  } else {
    auto dirs =
        perValueInts(n, "directions", numScanIn, "scan inputs", true);
    if (failed(dirs))
      return failure();
    layout.inAxes = Ints(numScanIn, 0);
    layout.inReverse = *dirs;
    layout.outAxes = Ints(numScanOut, 0);
    layout.outReverse = Ints(numScanOut, 0);
    for (Value v : llvm::concat<Value>(states, scanIns))
      if (rankOf(v) < 1)
        return n.fail("every input of an opset-8 Scan needs a batch dim");
    int64_t batch = shapeOf(scanIns[0])[0];
    for (Value v : llvm::concat<Value>(states, scanIns))
      if (shapeOf(v)[0] != batch)
        return n.fail("the inputs disagree on the batch size (dim 0)");
    for (Value v : scanIns)
      if (rankOf(v) < 2)
        return n.fail("every scan input of an opset-8 Scan needs a batch "
                      "and a sequence dim");
    int64_t length = shapeOf(scanIns[0])[1];
    if (n.hasInput(0)) {
      // Per-batch lengths are only supported when they are the full length.
      auto lens = n.constInts(0, "sequence_lens");
      if (failed(lens))
        return failure();
      for (int64_t l : *lens)
        if (l != length)
          return n.fail("sequence_lens value " + Twine(l) +
                        " differs from the sequence length " + Twine(length) +
                        ", which is not supported");
    }
    // Each batch element is an independent scan; stack them again.
    SmallVector<SmallVector<Value>> perBatch(numStates + numScanOut);
    for (int64_t bi = 0; bi < batch; ++bi) {
      SmallVector<Value> st, sc;
      for (Value v : states) {
        auto s = takeStep(n, v, 0, bi);
        if (failed(s))
          return failure();
        st.push_back(*s);
      }
      for (Value v : scanIns) {
        auto s = takeStep(n, v, 0, bi);
        if (failed(s))
          return failure();
        sc.push_back(*s);
      }
      auto r = unrollScan(n, *body, st, sc, layout, numScanOut);
      if (failed(r))
        return failure();
      for (size_t j = 0; j < r->size(); ++j)
        perBatch[j].push_back((*r)[j]);
    }
    for (auto &parts : perBatch) {
      auto s = stack(n, parts, 0);
      if (failed(s))
        return failure();
      results.push_back(*s);
    }
  }
  for (size_t i = 0; i < n.numOutputs(); ++i)
    n.outputs[i] = results[i];
  return success();
}

} // namespace

void addControlFlowConverters(llvm::StringMap<Converter> &table) {
  table["If"] = convertIf;
  table["Loop"] = convertLoop;
  table["Scan"] = convertScan;
}

} // namespace mnn::onnx_import
