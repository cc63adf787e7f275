// Pooling: ceil_mode adds the bottom/right padding the last window needs to
// `pads`; `counted_pads` keeps the explicit pads (count_include_pad).
// GlobalAveragePool is a keepdims mean over H and W.
// RUN: python3 %S/make_models.py %t pool_ceil
// RUN: mnn-import %t/pool_ceil.onnx | FileCheck %s

// CHECK-LABEL: func.func @main(%arg0: tensor<1x2x10x10xf32>
// 10 + 0 pads, k3 s2 ceil: 5 windows, the last needs one extra row/column.
// CHECK: mnn.pool2d %arg0 {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 0, 0, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x2x10x10xf32>) -> tensor<1x2x5x5xf32>
// CHECK: mnn.pool2d %arg0 {count_include_pad = true, counted_pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "avg", pads = array<i64: 1, 1, 2, 2>, strides = array<i64: 2, 2>} : (tensor<1x2x10x10xf32>) -> tensor<1x2x6x6xf32>
// CHECK: mnn.reduce %arg0 {axes = array<i64: 2, 3>, keepdims = true, kind = "mean"} : (tensor<1x2x10x10xf32>) -> tensor<1x2x1x1xf32>
