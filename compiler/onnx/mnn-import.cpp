//===- mnn-import.cpp - prints the mnn IR of an ONNX model ----------------===//
//
//   mnn-import model.onnx [--input-shape name=1x3x224x224]... [-o out.mlir]
//
// The lit tests of the importer run it; errors go to stderr as one line
// "error: ..." and the exit status is 1. The usual printing options apply
// (--mlir-print-debuginfo shows the node names as locations).
//
//===----------------------------------------------------------------------===//
#include "compiler/onnx/OnnxImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/MLIRContext.h"
#include "mlir/IR/OperationSupport.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/InitLLVM.h"
#include "llvm/Support/ToolOutputFile.h"
#include "llvm/Support/raw_ostream.h"

namespace cl = llvm::cl;

static cl::opt<std::string> inputFile(cl::Positional, cl::desc("<model.onnx>"),
                                      cl::Required);
static cl::opt<std::string> outputFile("o", cl::desc("Output file"),
                                       cl::value_desc("file"), cl::init("-"));
static cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Shape of an input with symbolic dims: name=1x3x8x8"),
                cl::value_desc("name=AxBx..."));
static cl::list<std::string>
    constInputs("const-input",
                cl::desc("Bake an input into the model as a constant: "
                         "name=16000 or name=1,2,3"),
                cl::value_desc("name=v,..."));
static cl::opt<bool>
    elideWeights("elide-weights",
                 cl::desc("Print large constants and weight blobs elided"));

int main(int argc, char **argv) {
  llvm::InitLLVM init(argc, argv);
  // --mlir-print-debuginfo (node names), --mlir-print-op-generic, ...
  mlir::registerAsmPrinterCLOptions();
  mlir::registerMLIRContextCLOptions();
  cl::ParseCommandLineOptions(argc, argv, "ONNX -> mnn dialect importer\n");

  mnn::ImportOptions options;
  for (const std::string &spec : inputShapes) {
    std::string error;
    if (!mnn::parseInputShape(spec, options, error)) {
      llvm::errs() << "error: " << error << "\n";
      return 1;
    }
  }
  for (const std::string &spec : constInputs) {
    std::string error;
    if (!mnn::parseConstInput(spec, options, error)) {
      llvm::errs() << "error: " << error << "\n";
      return 1;
    }
  }

  mlir::MLIRContext context;
  mlir::ScopedDiagnosticHandler handler(&context, [](mlir::Diagnostic &d) {
    llvm::errs() << (d.getSeverity() == mlir::DiagnosticSeverity::Error
                         ? "error: "
                         : "warning: ")
                 << d.str() << "\n";
    return mlir::success();
  });
  mlir::OwningOpRef<mlir::ModuleOp> module =
      mnn::importOnnxFile(context, inputFile, options);
  if (!module)
    return 1;

  std::string error;
  auto out = mlir::openOutputFile(outputFile, &error);
  if (!out) {
    llvm::errs() << "error: " << error << "\n";
    return 1;
  }
  mlir::OpPrintingFlags flags;
  if (elideWeights)
    flags.elideLargeElementsAttrs(16).elideLargeResourceString(64);
  module->print(out->os(), flags);
  out->os() << "\n";
  out->keep();
  return 0;
}
