// Slice: ONNX starts/ends are clamped and negative steps walk backwards; the
// mnn.slice gets in-range starts, exact sizes and the steps.
//   reverse: x[::-1, 8:0:-2] on 3x10 -> starts [2, 8], sizes [3, 4]
//   clamped: starts [-100, 2], ends [2, 1000] -> starts [0, 2], sizes [2, 8]
// RUN: python3 %S/make_models.py %t slice_negative_steps
// RUN: mnn-import %t/slice_negative_steps.onnx | FileCheck %s

// CHECK-LABEL: func.func @main(%arg0: tensor<3x10xf32>
// CHECK: mnn.slice %arg0 {sizes = array<i64: 3, 4>, starts = array<i64: 2, 8>, steps = array<i64: -1, -2>} : (tensor<3x10xf32>) -> tensor<3x4xf32>
// CHECK: mnn.slice %arg0 {sizes = array<i64: 2, 8>, starts = array<i64: 0, 2>, steps = array<i64: 1, 1>} : (tensor<3x10xf32>) -> tensor<2x8xf32>
