// Spatial ops at import: a zero Pad on H/W folds into the Conv's pads (not
// into MaxPool, which pads with -inf, and not a reflect Pad); Resize becomes
// one mnn.resample per resized axis with its tap tables; ConvTranspose is a
// zero-inserting pad plus a stride-1 conv2d; 1-D Conv runs as 2-D of height
// 1; Tile is a broadcast between reshapes; Range must fold.
// RUN: python3 %S/make_spatial_models.py %t
// RUN: mnn-import %t/pad_conv_fold.onnx | FileCheck %s --check-prefix=FOLD
// RUN: mnn-import %t/resize_linear.onnx | FileCheck %s --check-prefix=RESIZE
// RUN: mnn-import %t/conv_transpose.onnx | FileCheck %s --check-prefix=DECONV
// RUN: mnn-import %t/conv1d_tile.onnx | FileCheck %s --check-prefix=CONV1D
// RUN: not mnn-import %t/range_runtime.onnx 2>&1 | FileCheck %s --check-prefix=RANGE

// Pad [1, 2 | 1, 0] + Conv pads [1, 0, 0, 1] -> conv pads [2, 2, 1, 1].
// FOLD-LABEL: func.func @main(%arg0: tensor<1x3x8x8xf32>
// FOLD-NOT: mnn.pad %arg0
// FOLD: %[[C:.*]] = mnn.conv2d %arg0, %{{.*}} {{{.*}}pads = array<i64: 2, 2, 1, 1>{{.*}}-> tensor<1x4x9x9xf32>
// FOLD: %[[P:.*]] = mnn.pad %[[C]] {mode = "constant", pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 0>}
// FOLD: %[[M:.*]] = mnn.pool2d %[[P]] {{.*}}kind = "max", pads = array<i64: 0, 0, 0, 0>
// FOLD: mnn.pad %[[M]] {mode = "reflect", pads = array<i64: 0, 0, 1, 2, 0, 0, 1, 0>} : (tensor<1x4x10x10xf32>) -> tensor<1x4x12x12xf32>

// align_corners 2 -> 4 rows: taps (0,1) with weights 1 0, 2/3 1/3, 1/3 2/3,
// then the last row; W is not resized.
// RESIZE: mnn.resample %arg0 {axis = 2 : i64, indices = array<i64: 0, 1, 0, 1, 0, 1, 1, 1>, taps = 2 : i64, weights = array<f32: 1.000000e+00, 0.000000e+00, 0.666666627, 0.333333343, 0.333333313, 0.666666686, 1.000000e+00, 0.000000e+00>} : (tensor<1x1x2x3xf32>) -> tensor<1x1x4x3xf32>
// RESIZE-NEXT: return

// Stride 2, k3, pads 1: rows/columns of zeros after each input row/column,
// the conv pads are k-1-pad at the start and k-1-pad-(stride-1) at the end.
// DECONV: %[[W:.*]] = mnn.constant {{.*}} : tensor<4x2x3x3xf32>
// DECONV: %[[R:.*]] = mnn.reshape %arg0 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x1x3x1xf32>
// DECONV: %[[P:.*]] = mnn.pad %[[R]] {mode = "constant", pads = array<i64: 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0, 1>}
// DECONV: %[[U:.*]] = mnn.reshape %[[P]] : (tensor<1x2x3x2x3x2xf32>) -> tensor<1x2x6x6xf32>
// DECONV: mnn.conv2d %[[U]], %[[W]] {{{.*}}pads = array<i64: 1, 1, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x6x6xf32>, tensor<4x2x3x3xf32>) -> tensor<1x4x5x5xf32>

// CONV1D: mnn.reshape %arg0 : (tensor<1x2x5xf32>) -> tensor<1x2x1x5xf32>
// CONV1D: mnn.conv2d {{.*}}pads = array<i64: 0, 1, 0, 1>{{.*}} -> tensor<1x3x1x5xf32>
// CONV1D: mnn.reshape {{.*}} -> tensor<1x3x5xf32>
// CONV1D: %[[T:.*]] = mnn.reshape {{.*}} -> tensor<1x1x1x3x1x5xf32>
// CONV1D: %[[B:.*]] = mnn.broadcast %[[T]] : (tensor<1x1x1x3x1x5xf32>) -> tensor<1x1x2x3x2x5xf32>
// CONV1D: mnn.reshape %[[B]] : (tensor<1x1x2x3x2x5xf32>) -> tensor<1x6x10xf32>

// RANGE: error: node 'my_range' (Range): input 'limit' must be a constant, but it is computed at run time
