//===- MNNDialect.cpp - dialect registration ------------------------------===//
#include "mnn/MNNDialect.h"

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"

using namespace mlir;

#include "mnn/MNNDialect.cpp.inc"

void mnn::MNNDialect::initialize() {
  addOperations<
#define GET_OP_LIST
#include "mnn/MNNOps.cpp.inc"
      >();
}

Operation *mnn::MNNDialect::materializeConstant(OpBuilder &builder,
                                                Attribute value, Type type,
                                                Location loc) {
  auto elements = dyn_cast<ElementsAttr>(value);
  if (!elements || elements.getType() != type)
    return nullptr;
  return builder.create<ConstantOp>(loc, type, elements);
}
