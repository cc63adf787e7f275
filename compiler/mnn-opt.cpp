//===- mnn-opt.cpp - runs mnn passes on .mlir files ------------------------===//
//
// The lit tests drive every pass through this tool, like mlir-opt.
//
//===----------------------------------------------------------------------===//
#include "mnn/Passes.h"

#include "mlir/Dialect/Bufferization/IR/Bufferization.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mnn::MNNDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::math::MathDialect,
                  mlir::memref::MemRefDialect, mlir::linalg::LinalgDialect,
                  mlir::scf::SCFDialect, mlir::vector::VectorDialect,
                  mlir::affine::AffineDialect, mlir::LLVM::LLVMDialect,
                  mlir::bufferization::BufferizationDialect>();
  mnn::registerMNNPasses();
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "mnn optimizer driver\n", registry));
}
