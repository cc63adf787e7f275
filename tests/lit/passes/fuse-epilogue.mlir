// RUN: mnn-opt %s --mnn-fuse-epilogue --split-input-file | FileCheck %s

// conv -> + [1, C, 1, 1] constant -> + residual -> relu: one conv.
// CHECK-LABEL: func.func @conv_bias_residual_relu
// CHECK:       %[[B:.*]] = mnn.constant dense<[5.000000e-01, -2.000000e+00]> : tensor<2xf32>
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %{{.*}}, %[[B]], %arg1 {activation = "relu", {{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 1>
// CHECK-NOT:   mnn.add
// CHECK-NOT:   mnn.relu
// CHECK:       return %[[Y]]
func.func @conv_bias_residual_relu(%x: tensor<1x2x3x3xf32>, %r: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %c = mnn.constant dense<[[[[0.5]], [[-2.0]]]]> : tensor<1x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %a = mnn.add %y, %c : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %s = mnn.add %r, %a : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.relu %s : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// [C, 1, 1] constant on the left, added to an existing bias; then a
// scalar-shaped constant and a sub: bias = [1, 2] + [0.25, 0.5] + 1 - 0.5.
// CHECK-LABEL: func.func @conv_existing_bias
// CHECK:       %[[B:.*]] = mnn.constant dense<[1.750000e+00, 3.000000e+00]> : tensor<2xf32>
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %{{.*}}, %[[B]] {{{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 0>
// CHECK-NOT:   mnn.add
// CHECK-NOT:   mnn.sub
// CHECK:       return %[[Y]]
func.func @conv_existing_bias(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c = mnn.constant dense<[[[0.25]], [[0.5]]]> : tensor<2x1x1xf32>
  %one = mnn.constant dense<1.0> : tensor<f32>
  %half = mnn.constant dense<0.5> : tensor<1x1x1x1xf32>
  %y = mnn.conv2d %x, %w, %b {operandSegmentSizes = array<i32: 1, 1, 1, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %a = mnn.add %c, %y : (tensor<2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %a2 = mnn.add %a, %one : (tensor<1x2x3x3xf32>, tensor<f32>) -> tensor<1x2x3x3xf32>
  %a3 = mnn.sub %a2, %half : (tensor<1x2x3x3xf32>, tensor<1x1x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %a3 : tensor<1x2x3x3xf32>
}

// -----

// A [C] constant broadcasts along W (numpy rules), not along channels: not a
// bias. It is not a residual either (other type). c - conv is not fused.
// CHECK-LABEL: func.func @conv_not_per_channel
// CHECK:       %[[Y:.*]] = mnn.conv2d {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK:       %[[A:.*]] = mnn.add %[[Y]], %{{.*}} : (tensor<1x2x3x2xf32>, tensor<2xf32>)
// CHECK:       %[[Y2:.*]] = mnn.conv2d {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK:       mnn.sub %{{.*}}, %[[Y2]]
func.func @conv_not_per_channel(%x: tensor<1x2x3x2xf32>) -> (tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>) {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %c = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c4 = mnn.constant dense<[[[[1.0]], [[2.0]]]]> : tensor<1x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x2xf32>
  %a = mnn.add %y, %c : (tensor<1x2x3x2xf32>, tensor<2xf32>) -> tensor<1x2x3x2xf32>
  %y2 = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x2xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x2xf32>
  %s = mnn.sub %c4, %y2 : (tensor<1x2x1x1xf32>, tensor<1x2x3x2xf32>) -> tensor<1x2x3x2xf32>
  return %a, %s : tensor<1x2x3x2xf32>, tensor<1x2x3x2xf32>
}

// -----

// The conv result has two users: nothing is fused.
// CHECK-LABEL: func.func @conv_two_users
// CHECK:       %[[Y:.*]] = mnn.conv2d {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK-NOT:   activation
// CHECK:       mnn.add %[[Y]]
// CHECK:       mnn.relu %[[Y]]
func.func @conv_two_users(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %c = mnn.constant dense<[[[[0.5]], [[-2.0]]]]> : tensor<1x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %a = mnn.add %y, %c : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.relu %y : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %a, %z : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// The residual is computed after the conv: the conv moves down to the add.
// CHECK-LABEL: func.func @residual_defined_later
// CHECK:       %[[R:.*]] = mnn.sigmoid %arg1
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %{{.*}}, %[[R]] {{{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 1>
// CHECK:       return %[[Y]]
func.func @residual_defined_later(%x: tensor<1x2x3x3xf32>, %x2: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %r = mnn.sigmoid %x2 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %s = mnn.add %y, %r : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %s : tensor<1x2x3x3xf32>
}

// -----

// add(conv1, conv2): the later conv takes the earlier one as residual, so
// nothing has to move. Then hard_sigmoid -> clip_min = alpha, clip_max = beta.
// CHECK-LABEL: func.func @two_convs
// CHECK:       %[[Y1:.*]] = mnn.conv2d %arg0, %{{.*}} {dilations
// CHECK:       %[[Y2:.*]] = mnn.conv2d %arg1, %{{.*}}, %[[Y1]] {activation = "hard_sigmoid", clip_max = 5.000000e-01 : f32, clip_min = 2.000000e-01 : f32, {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 1>
// CHECK:       return %[[Y2]]
func.func @two_convs(%x: tensor<1x2x3x3xf32>, %x2: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %y1 = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %y2 = mnn.conv2d %x2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %s = mnn.add %y2, %y1 : (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %h = mnn.hard_sigmoid %s {alpha = 0.2 : f32, beta = 0.5 : f32} : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  return %h : tensor<1x2x3x3xf32>
}

// -----

// Already activated conv: neither a bias, a residual nor another activation.
// A conv with a residual takes no bias (it would change the order), but an
// activation.
// CHECK-LABEL: func.func @no_double_epilogue
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %{{.*}} {activation = "relu"
// CHECK:       %[[S:.*]] = mnn.sigmoid %[[Y]]
// CHECK:       %[[Y2:.*]] = mnn.conv2d %arg0, %{{.*}}, %arg1 {activation = "hard_swish", {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 1>
// CHECK:       mnn.add %[[Y2]], %{{.*}} : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>)
func.func @no_double_epilogue(%x: tensor<1x2x3x3xf32>, %r: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %c = mnn.constant dense<[[[[0.5]], [[-2.0]]]]> : tensor<1x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = "relu"} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %s = mnn.sigmoid %y : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %y2 = mnn.conv2d %x, %w, %r {operandSegmentSizes = array<i32: 1, 1, 0, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %h = mnn.hard_swish %y2 : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %a = mnn.add %h, %c : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %s, %a : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// matmul: + [N] constant -> bias, then clip(0, 6) (clip_min = 0 is the
// default and not printed).
// CHECK-LABEL: func.func @matmul_bias_clip
// CHECK:       %[[B:.*]] = mnn.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK:       %[[Y:.*]] = mnn.matmul %arg0, %arg1, %[[B]] {activation = "clip", clip_max = 6.000000e+00 : f32, operandSegmentSizes = array<i32: 1, 1, 1, 0>}
// CHECK:       return %[[Y]]
func.func @matmul_bias_clip(%a: tensor<4x3xf32>, %b: tensor<3x2xf32>) -> tensor<4x2xf32> {
  %c = mnn.constant dense<[1.0, -1.0]> : tensor<2xf32>
  %y = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<4x3xf32>, tensor<3x2xf32>) -> tensor<4x2xf32>
  %s = mnn.add %y, %c : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  %z = mnn.clip %s {min = 0.0 : f32, max = 6.0 : f32} : (tensor<4x2xf32>) -> tensor<4x2xf32>
  return %z : tensor<4x2xf32>
}

// -----

// Batched matmul with a [1, N] constant and an existing bias; a [M, 1]
// constant varies per row: not a bias, and stays an add.
// CHECK-LABEL: func.func @matmul_batched
// CHECK:       %[[B:.*]] = mnn.constant dense<[1.500000e+00, 2.500000e+00]> : tensor<2xf32>
// CHECK:       %[[Y:.*]] = mnn.matmul %arg0, %arg1, %[[B]] {operandSegmentSizes = array<i32: 1, 1, 1, 0>}
// CHECK:       %[[Y2:.*]] = mnn.matmul %arg0, %arg1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>}
// CHECK:       mnn.add %[[Y2]], %{{.*}} : (tensor<5x4x2xf32>, tensor<4x1xf32>)
func.func @matmul_batched(%a: tensor<5x4x3xf32>, %b: tensor<3x2xf32>) -> (tensor<5x4x2xf32>, tensor<5x4x2xf32>) {
  %bias = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %c = mnn.constant dense<[[0.5, 0.5]]> : tensor<1x2xf32>
  %rows = mnn.constant dense<[[1.0], [2.0], [3.0], [4.0]]> : tensor<4x1xf32>
  %y = mnn.matmul %a, %b, %bias {operandSegmentSizes = array<i32: 1, 1, 1, 0>} : (tensor<5x4x3xf32>, tensor<3x2xf32>, tensor<2xf32>) -> tensor<5x4x2xf32>
  %s = mnn.add %y, %c : (tensor<5x4x2xf32>, tensor<1x2xf32>) -> tensor<5x4x2xf32>
  %y2 = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<5x4x3xf32>, tensor<3x2xf32>) -> tensor<5x4x2xf32>
  %s2 = mnn.add %y2, %rows : (tensor<5x4x2xf32>, tensor<4x1xf32>) -> tensor<5x4x2xf32>
  return %s, %s2 : tensor<5x4x2xf32>, tensor<5x4x2xf32>
}

// -----

// A broadcasting non-constant add is not a residual.
// CHECK-LABEL: func.func @broadcast_not_residual
// CHECK:       %[[Y:.*]] = mnn.conv2d {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK:       mnn.add %[[Y]], %arg1
func.func @broadcast_not_residual(%x: tensor<1x2x3x3xf32>, %r: tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %s = mnn.add %y, %r : (tensor<1x2x3x3xf32>, tensor<1x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  return %s : tensor<1x2x3x3xf32>
}

// -----

// An integer matmul takes a residual (integer add) but no activation: the
// epilogue activations are f32 code.
// CHECK-LABEL: func.func @int_matmul_no_activation
// CHECK:       %[[Y:.*]] = mnn.matmul %arg0, %arg1, %arg2 {{.*}}operandSegmentSizes = array<i32: 1, 1, 0, 1>
// CHECK:       mnn.relu %[[Y]]
func.func @int_matmul_no_activation(%a: tensor<2x4xi32>, %b: tensor<4x3xi32>, %r: tensor<2x3xi32>) -> tensor<2x3xi32> {
  %y = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  %s = mnn.add %y, %r : (tensor<2x3xi32>, tensor<2x3xi32>) -> tensor<2x3xi32>
  %z = mnn.relu %s : (tensor<2x3xi32>) -> tensor<2x3xi32>
  return %z : tensor<2x3xi32>
}
