//===- Vectorize.cpp ---------------------------------------------------------===//
#include "mnn/Passes.h"

namespace mnn {
#define GEN_PASS_DEF_VECTORIZE
#include "mnn/Passes.h.inc"
} // namespace mnn

using namespace mlir;

namespace {
struct VectorizePass : mnn::impl::VectorizeBase<VectorizePass> {
  using VectorizeBase::VectorizeBase;
  void runOnOperation() override {}
};
} // namespace
