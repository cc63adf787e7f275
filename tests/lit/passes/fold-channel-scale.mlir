// RUN: mnn-opt %s --mnn-fold-channel-scale --split-input-file | FileCheck %s
// RUN: mnn-opt %s --mnn-fold-channel-scale --mnn-fold-constants --split-input-file | FileCheck %s --check-prefix=FOLD

// A squeeze-and-excitation gate before a 1x1 conv (hwigo weights, 4 -> 2 on
// 4x4): the conv reads x and its weights are scaled along dim 2 (Cin).
// CHECK-LABEL: func.func @hwigo
// CHECK-SAME:  (%[[X:.*]]: tensor<1x4x4x4xf32>, %[[S:.*]]: tensor<1x4x1x1xf32>)
// CHECK:       %[[R:.*]] = mnn.reshape %[[S]] : (tensor<1x4x1x1xf32>) -> tensor<1x1x4x1x1xf32>
// CHECK:       %[[W:.*]] = mnn.mul %{{.*}}, %[[R]] : (tensor<1x1x4x1x2xf32>, tensor<1x1x4x1x1xf32>) -> tensor<1x1x4x1x2xf32>
// CHECK:       mnn.conv2d %[[X]], %[[W]], %{{.*}} {{.*}}filter_layout = "hwigo"
// CHECK-NOT:   mnn.mul
func.func @hwigo(%x: tensor<1x4x4x4xf32>, %s: tensor<1x4x1x1xf32>) -> tensor<1x2x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x4x1x2xf32>
  %b = mnn.constant dense<0.5> : tensor<2xf32>
  %m = mnn.mul %x, %s : (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %y = mnn.conv2d %m, %w, %b {operandSegmentSizes = array<i32: 1, 1, 1, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "hwigo"} : (tensor<1x4x4x4xf32>, tensor<1x1x4x1x2xf32>, tensor<2xf32>) -> tensor<1x2x4x4xf32>
  return %y : tensor<1x2x4x4xf32>
}

// -----

// Blocked weights (bhwigo: Cin is dim 3), the scale as the mul's lhs, a
// residual and an activation on the conv (both kept).
// CHECK-LABEL: func.func @bhwigo_residual
// CHECK-SAME:  (%[[X:.*]]: tensor<1x4x4x4xf32>, %[[S:.*]]: tensor<1x4x1x1xf32>, %[[RES:.*]]: tensor<1x16x4x4xf32>)
// CHECK:       %[[R:.*]] = mnn.reshape %[[S]] : (tensor<1x4x1x1xf32>) -> tensor<1x1x1x4x1x1xf32>
// CHECK:       %[[W:.*]] = mnn.mul %{{.*}}, %[[R]] : (tensor<2x1x1x4x1x8xf32>, tensor<1x1x1x4x1x1xf32>) -> tensor<2x1x1x4x1x8xf32>
// CHECK:       mnn.conv2d %[[X]], %[[W]], %{{.*}}, %[[RES]] {activation = "relu"{{.*}}filter_layout = "bhwigo"
func.func @bhwigo_residual(%x: tensor<1x4x4x4xf32>, %s: tensor<1x4x1x1xf32>, %r: tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<2x1x1x4x1x8xf32>
  %b = mnn.constant dense<0.5> : tensor<16xf32>
  %m = mnn.mul %s, %x : (tensor<1x4x1x1xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  %y = mnn.conv2d %m, %w, %b, %r {activation = "relu", operandSegmentSizes = array<i32: 1, 1, 1, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "bhwigo"} : (tensor<1x4x4x4xf32>, tensor<2x1x1x4x1x8xf32>, tensor<16xf32>, tensor<1x16x4x4xf32>) -> tensor<1x16x4x4xf32>
  return %y : tensor<1x16x4x4xf32>
}

// -----

// An imported (oihw, Cin dim 1) 3x3 conv over a batch of two: one scale
// for the whole batch still folds.
// CHECK-LABEL: func.func @oihw_batch
// CHECK:       mnn.reshape %{{.*}} : (tensor<1x2x1x1xf32>) -> tensor<1x2x1x1xf32>
// CHECK:       mnn.mul %{{.*}} : (tensor<3x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<3x2x3x3xf32>
// CHECK:       mnn.conv2d %arg0,
func.func @oihw_batch(%x: tensor<2x2x6x6xf32>, %s: tensor<1x2x1x1xf32>, %w: tensor<3x2x3x3xf32>) -> tensor<2x3x4x4xf32> {
  %m = mnn.mul %x, %s : (tensor<2x2x6x6xf32>, tensor<1x2x1x1xf32>) -> tensor<2x2x6x6xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<2x2x6x6xf32>, tensor<3x2x3x3xf32>) -> tensor<2x3x4x4xf32>
  return %y : tensor<2x3x4x4xf32>
}

// -----

// Left alone: weights larger than the activations (96 x 576 weights, 576
// channels of 7x7), a scale per batch sample, a product with another
// reader, a grouped conv.
// CHECK-LABEL: func.func @weights_larger
// CHECK:       %[[M:.*]] = mnn.mul %arg0, %arg1
// CHECK:       mnn.conv2d %[[M]],
func.func @weights_larger(%x: tensor<1x576x7x7xf32>, %s: tensor<1x576x1x1xf32>) -> tensor<1x96x7x7xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x576x1x96xf32>
  %m = mnn.mul %x, %s : (tensor<1x576x7x7xf32>, tensor<1x576x1x1xf32>) -> tensor<1x576x7x7xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "hwigo"} : (tensor<1x576x7x7xf32>, tensor<1x1x576x1x96xf32>) -> tensor<1x96x7x7xf32>
  return %y : tensor<1x96x7x7xf32>
}

// CHECK-LABEL: func.func @per_sample_scale
// CHECK:       %[[M:.*]] = mnn.mul %arg0, %arg1
// CHECK:       mnn.conv2d %[[M]],
func.func @per_sample_scale(%x: tensor<2x4x4x4xf32>, %s: tensor<2x4x1x1xf32>) -> tensor<2x2x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x4x1x2xf32>
  %m = mnn.mul %x, %s : (tensor<2x4x4x4xf32>, tensor<2x4x1x1xf32>) -> tensor<2x4x4x4xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "hwigo"} : (tensor<2x4x4x4xf32>, tensor<1x1x4x1x2xf32>) -> tensor<2x2x4x4xf32>
  return %y : tensor<2x2x4x4xf32>
}

// CHECK-LABEL: func.func @product_read_twice
// CHECK:       %[[M:.*]] = mnn.mul %arg0, %arg1
// CHECK:       mnn.conv2d %[[M]],
// CHECK:       mnn.add %{{.*}}, %[[M]]
func.func @product_read_twice(%x: tensor<1x4x4x4xf32>, %s: tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x4x1x4xf32>
  %m = mnn.mul %x, %s : (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "hwigo"} : (tensor<1x4x4x4xf32>, tensor<1x1x4x1x4xf32>) -> tensor<1x4x4x4xf32>
  %z = mnn.add %y, %m : (tensor<1x4x4x4xf32>, tensor<1x4x4x4xf32>) -> tensor<1x4x4x4xf32>
  return %z : tensor<1x4x4x4xf32>
}

// CHECK-LABEL: func.func @grouped
// CHECK:       %[[M:.*]] = mnn.mul %arg0, %arg1
// CHECK:       mnn.conv2d %[[M]],
func.func @grouped(%x: tensor<1x4x4x4xf32>, %s: tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32> {
  %w = mnn.constant dense<1.0> : tensor<1x1x2x2x2xf32>
  %m = mnn.mul %x, %s : (tensor<1x4x4x4xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x4x4xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64, filter_layout = "hwigo"} : (tensor<1x4x4x4xf32>, tensor<1x1x2x2x2xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}

// -----

// A constant scale [C, 1, 1] (an input normalization's 1 / std) moves into
// the weights even where they are the larger, and mnn-fold-constants then
// scales them at compile time: W = 1 everywhere, s = [2, 4, 0.5].
// CHECK-LABEL: func.func @constant_scale
// CHECK:       mnn.reshape %{{.*}} : (tensor<3x1x1xf32>) -> tensor<1x3x1x1xf32>
// CHECK:       mnn.conv2d %arg0,
// FOLD-LABEL:  func.func @constant_scale
// FOLD:        %[[W:.*]] = mnn.constant dense<{{\[\[}}{{\[}}[2.000000e+00, 2.000000e+00], [2.000000e+00, 2.000000e+00]], {{\[}}[4.000000e+00, 4.000000e+00], [4.000000e+00, 4.000000e+00]], {{\[}}[5.000000e-01, 5.000000e-01], [5.000000e-01, 5.000000e-01]]]]> : tensor<1x3x2x2xf32>
// FOLD-NOT:    mnn.mul
// FOLD:        mnn.conv2d %arg0, %[[W]]
func.func @constant_scale(%x: tensor<1x3x2x2xf32>) -> tensor<1x1x1x1xf32> {
  %s = mnn.constant dense<[[[2.0]], [[4.0]], [[0.5]]]> : tensor<3x1x1xf32>
  %w = mnn.constant dense<1.0> : tensor<1x3x2x2xf32>
  %m = mnn.mul %x, %s : (tensor<1x3x2x2xf32>, tensor<3x1x1xf32>) -> tensor<1x3x2x2xf32>
  %y = mnn.conv2d %m, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x2x2xf32>, tensor<1x3x2x2xf32>) -> tensor<1x1x1x1xf32>
  return %y : tensor<1x1x1x1xf32>
}
