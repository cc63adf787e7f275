//===- OnnxControlFlowOps.cpp - ONNX If and Loop -> inlined graphs --------===//
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
    SmallVector<Value> parts;
    for (Value v : scans[k]) {
      SmallVector<int64_t> shape = {1};
      llvm::append_range(shape, NodeContext::typeOf(v).getShape());
      auto r = n.reshape(v, shape);
      if (failed(r))
        return failure();
      parts.push_back(*r);
    }
    Value stacked = parts.front();
    if (parts.size() > 1) {
      auto c = n.create<mnn::ConcatOp>(parts, int64_t(0));
      if (failed(c))
        return failure();
      stacked = *c;
    }
    n.outputs[numCarried + k] = stacked;
  }
  return success();
}

} // namespace

void addControlFlowConverters(llvm::StringMap<Converter> &table) {
  table["If"] = convertIf;
  table["Loop"] = convertLoop;
}

} // namespace mnn::onnx_import
