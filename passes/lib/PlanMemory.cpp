//===- PlanMemory.cpp - static arena planning ------------------------------===//
//
// Every intermediate tensor (and every op's scratch space) gets a fixed
// offset in one arena. Live ranges come from program order: a buffer is busy
// from the op that writes it to the last op that reads it or any view of it.
// Placement is greedy by decreasing size, each buffer at the lowest offset
// that does not overlap a buffer whose live range intersects its own; this is
// simple and within a few percent of optimal on CNNs. Concat operands written
// in place (mnn::concatSlice) live inside their concat's buffer.
//
//===----------------------------------------------------------------------===//
#include "mnn/BufferInfo.h"
#include "mnn/Passes.h"

namespace mnn {
#define GEN_PASS_DEF_PLANMEMORY
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {

struct Slot {
  Operation *op;   // writer
  int resultIndex; // -1 for the op's scratch
  int64_t begin, end, size;
  int64_t offset = -1;
};

int64_t alignUp(int64_t v) {
  return (v + mnn::kArenaAlignment - 1) / mnn::kArenaAlignment *
         mnn::kArenaAlignment;
}

/// Greedy-by-size placement; returns the arena size.
int64_t placeSlots(std::vector<Slot> &slots) {
  std::vector<Slot *> order;
  for (Slot &s : slots)
    order.push_back(&s);
  std::stable_sort(order.begin(), order.end(),
                   [](Slot *a, Slot *b) { return a->size > b->size; });
  std::vector<Slot *> placed;
  int64_t arena = 0;
  for (Slot *s : order) {
    std::vector<Slot *> conflicts;
    for (Slot *p : placed)
      if (p->begin <= s->end && s->begin <= p->end)
        conflicts.push_back(p);
    std::sort(conflicts.begin(), conflicts.end(),
              [](Slot *a, Slot *b) { return a->offset < b->offset; });
    int64_t offset = 0;
    for (Slot *c : conflicts) {
      if (c->offset - offset >= s->size)
        break;
      offset = std::max(offset, c->offset + c->size);
    }
    s->offset = offset;
    arena = std::max(arena, offset + s->size);
    placed.push_back(s);
  }
  return arena;
}

struct PlanMemoryPass : mnn::impl::PlanMemoryBase<PlanMemoryPass> {
  void runOnOperation() override {
    func::FuncOp func = getOperation();
    if (func.isExternal())
      return;
    Block &body = func.front();
    DenseMap<Operation *, int64_t> position;
    int64_t index = 0;
    for (Operation &op : body)
      position[&op] = index++;

    // Last reader and number of returns of each buffer (views included).
    DenseMap<Value, int64_t> lastUse;
    DenseMap<Value, int> returns;
    Operation *terminator = body.getTerminator();
    // A pointwise conv banded into its depthwise reader (mnn::bandedReader)
    // reads its operands while that reader runs.
    for (Operation &op : body) {
      int64_t at = position[&op];
      if (op.getNumResults() == 1)
        if (Operation *reader = mnn::bandedReader(op.getResult(0)))
          at = position[reader];
      for (Value operand : op.getOperands()) {
        Value root = mnn::bufferRoot(operand);
        lastUse[root] = std::max(lastUse.lookup(root), at);
        if (&op == terminator)
          ++returns[root];
      }
    }

    // Concat operands written in place (mnn::concatSlice) share their
    // concat's slot, which is then live from the first of them to be
    // written; nested concats chain.
    DenseMap<Value, std::pair<Value, int64_t>> slices;
    for (Operation &op : body)
      for (Value result : op.getResults())
        if (auto slice = mnn::concatSlice(result))
          slices[result] = *slice;
    auto sliceRoot = [&](Value v) {
      int64_t offset = 0;
      while (slices.count(v)) {
        offset += slices[v].second;
        v = slices[v].first;
      }
      return std::make_pair(v, offset);
    };

    std::vector<Slot> slots;
    int64_t threadScratch = 0;
    for (Operation &op : body) {
      threadScratch = std::max(threadScratch, mnn::threadScratchBytes(&op));
      if (&op == terminator || op.hasTrait<OpTrait::ConstantLike>())
        continue;
      int64_t at = position[&op];
      if (int64_t scratch = mnn::scratchBytes(&op))
        slots.push_back({&op, -1, at, at, alignUp(scratch)});
      if (mnn::isViewOp(&op))
        continue;
      for (OpResult result : op.getResults()) {
        if (!isa<RankedTensorType>(result.getType()))
          continue;
        // A buffer returned exactly once is written straight into the
        // caller's output buffer.
        if (returns.lookup(result) == 1 || slices.count(result) ||
            mnn::bandedReader(result))
          continue;
        int64_t end = std::max(at, lastUse.lookup(result));
        slots.push_back({&op, (int)result.getResultNumber(), at, end,
                         alignUp(mnn::storageBytes(result))});
      }
    }

    DenseMap<Value, Slot *> slotOf;
    for (Slot &s : slots)
      if (s.resultIndex >= 0)
        slotOf[s.op->getResult(s.resultIndex)] = &s;
    for (auto &entry : slices) {
      Slot *root = slotOf.lookup(sliceRoot(entry.first).first);
      assert(root && "a concat in place has an arena slot");
      root->begin = std::min(root->begin, position[entry.first.getDefiningOp()]);
    }

    int64_t unplanned = 0;
    for (const Slot &s : slots)
      unplanned += s.size;
    int64_t arena = placeSlots(slots);

    Builder b(func.getContext());
    DenseMap<Operation *, SmallVector<int64_t>> offsets;
    for (const Slot &s : slots) {
      if (s.resultIndex < 0) {
        s.op->setAttr("mnn.scratch_offset", b.getI64IntegerAttr(s.offset));
        continue;
      }
      auto &list = offsets[s.op];
      list.resize(s.op->getNumResults(), -1);
      list[s.resultIndex] = s.offset;
    }
    for (auto &entry : slices) {
      auto [root, offset] = sliceRoot(entry.first);
      OpResult result = cast<OpResult>(entry.first);
      auto &list = offsets[result.getOwner()];
      list.resize(result.getOwner()->getNumResults(), -1);
      list[result.getResultNumber()] = slotOf.lookup(root)->offset + offset;
    }
    for (auto &[op, list] : offsets)
      op->setAttr(mnn::kOffsetAttr, b.getDenseI64ArrayAttr(list));
    func->setAttr(mnn::kArenaBytesAttr, b.getI64IntegerAttr(arena));
    func->setAttr(mnn::kUnplannedBytesAttr, b.getI64IntegerAttr(unplanned));
    if (threadScratch > 0)
      func->setAttr(mnn::kThreadScratchBytesAttr, b.getI64IntegerAttr(threadScratch));
  }
};

} // namespace
