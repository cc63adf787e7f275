// The torch-style shape subgraph Shape -> Gather -> Unsqueeze -> Concat ->
// Reshape (x.view(x.size(0), x.size(1), -1)) on a symbolic batch folds away
// into one static reshape once --input-shape fixes the batch.
// RUN: python3 %S/make_models.py %t shape_reshape
// RUN: mnn-import %t/shape_reshape.onnx --input-shape x=2x3x4x5 | FileCheck %s
// RUN: not mnn-import %t/shape_reshape.onnx 2>&1 | FileCheck %s --check-prefix=NOSHAPE

// CHECK-LABEL: func.func @main(%arg0: tensor<2x3x4x5xf32> {mnn.name = "x"}) -> (tensor<2x3x20xf32> {mnn.name = "y"})
// CHECK-NEXT:    %[[R:.*]] = mnn.reshape %arg0 : (tensor<2x3x4x5xf32>) -> tensor<2x3x20xf32>
// CHECK-NEXT:    return %[[R]]
// CHECK-NOT:     mnn.

// NOSHAPE: error: input 'x' has unknown dim 'batch': pass --input-shape x=1x3x4x5
