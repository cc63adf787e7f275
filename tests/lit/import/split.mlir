// Split -> one mnn.slice per output: sizes from the 'split' input, equal
// parts, and opset 18 num_outputs with a smaller last part.
// RUN: python3 %S/make_models.py %t split split_opset18
// RUN: mnn-import %t/split.onnx | FileCheck %s
// RUN: mnn-import %t/split_opset18.onnx | FileCheck %s --check-prefix=OPSET18

// CHECK-LABEL: func.func @main(%arg0: tensor<2x6x9xf32>
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 2, 9>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>}
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 4, 9>, starts = array<i64: 0, 2, 0>, steps = array<i64: 1, 1, 1>}
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 6, 3>, starts = array<i64: 0, 0, 0>, steps = array<i64: 1, 1, 1>}
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 6, 3>, starts = array<i64: 0, 0, 3>, steps = array<i64: 1, 1, 1>}
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 6, 3>, starts = array<i64: 0, 0, 6>, steps = array<i64: 1, 1, 1>}

// OPSET18: mnn.slice %arg0 {sizes = array<i64: 2, 3>, starts = array<i64: 0, 0>, steps = array<i64: 1, 1>}
// OPSET18: mnn.slice %arg0 {sizes = array<i64: 2, 3>, starts = array<i64: 0, 3>, steps = array<i64: 1, 1>}
// OPSET18: mnn.slice %arg0 {sizes = array<i64: 2, 1>, starts = array<i64: 0, 6>, steps = array<i64: 1, 1>}
