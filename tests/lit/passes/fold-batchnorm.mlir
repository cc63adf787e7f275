// RUN: mnn-opt %s --mnn-fold-batchnorm --split-input-file | FileCheck %s

// s = scale / sqrt(var + eps) = [4 / 2, 0.5 / 1] = [2, 0.5]
// W' = W * s[o]                 = [[2, 4], [1.5, 2]]
// b' = (b - mean) * s + bias    = [(0.5 - 0.5) * 2 + 1, (-1 - 1) * 0.5 + 0]
//                               = [1, -1]
// CHECK-LABEL: func.func @conv_with_bias
// CHECK-DAG:   %[[W:.*]] = mnn.constant dense<{{\[\[\[\[}}2.000000e+00]], {{\[\[}}4.000000e+00]]], {{\[\[\[}}1.500000e+00]], {{\[\[}}2.000000e+00]]]]> : tensor<2x2x1x1xf32>
// CHECK-DAG:   %[[B:.*]] = mnn.constant dense<[1.000000e+00, -1.000000e+00]> : tensor<2xf32>
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %[[W]], %[[B]] {{.*}}operandSegmentSizes = array<i32: 1, 1, 1, 0>
// CHECK-NOT:   mnn.batch_norm
// CHECK-NOT:   mnn.mul
// CHECK:       return %[[Y]]
func.func @conv_with_bias(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %b = mnn.constant dense<[0.5, -1.0]> : tensor<2xf32>
  %scale = mnn.constant dense<[4.0, 0.5]> : tensor<2xf32>
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w, %b {operandSegmentSizes = array<i32: 1, 1, 1, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.batch_norm %y, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// No conv bias: b' = -mean * s + bias. Depthwise (group 2), 1x2 kernel.
// s = [1 / sqrt(0.25), 3 / sqrt(9)] = [2, 1]; b' = [-1 * 2 + 0.5, -2 * 1 + 0]
// CHECK-LABEL: func.func @conv_no_bias_grouped
// CHECK-DAG:   %[[W:.*]] = mnn.constant dense<{{\[\[\[\[}}2.000000e+00, -4.000000e+00]]], {{\[\[\[}}3.000000e+00, 4.000000e+00]]]]> : tensor<2x1x1x2xf32>
// CHECK-DAG:   %[[B:.*]] = mnn.constant dense<[-1.500000e+00, -2.000000e+00]> : tensor<2xf32>
// CHECK:       mnn.conv2d %arg0, %[[W]], %[[B]] {{.*}}group = 2
// CHECK-NOT:   mnn.batch_norm
func.func @conv_no_bias_grouped(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x2xf32> {
  %w = mnn.constant dense<[[[[1.0, -2.0]]], [[[3.0, 4.0]]]]> : tensor<2x1x1x2xf32>
  %scale = mnn.constant dense<[1.0, 3.0]> : tensor<2xf32>
  %bias = mnn.constant dense<[0.5, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[1.0, 2.0]> : tensor<2xf32>
  %var = mnn.constant dense<[0.25, 9.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x2x3x3xf32>, tensor<2x1x1x2xf32>) -> tensor<1x2x3x2xf32>
  %z = mnn.batch_norm %y, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x3x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x2xf32>
  return %z : tensor<1x2x3x2xf32>
}

// -----

// hwigo filter [1, 1, 1, 2, 1]: output channel o = gi * 1 + co.
// CHECK-LABEL: func.func @conv_hwigo
// CHECK-DAG:   %[[W:.*]] = mnn.constant dense<{{\[\[\[\[\[}}2.000000e+00], [3.000000e+00]]]]]> : tensor<1x1x1x2x1xf32>
// CHECK-DAG:   %[[B:.*]] = mnn.constant dense<[-2.000000e+00, 0.000000e+00]> : tensor<2xf32>
// CHECK:       mnn.conv2d %arg0, %[[W]], %[[B]] {{.*}}filter_layout = "hwigo"
func.func @conv_hwigo(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[[1.0], [3.0]]]]]> : tensor<1x1x1x2x1xf32>
  %scale = mnn.constant dense<[2.0, 1.0]> : tensor<2xf32>
  %bias = mnn.constant dense<[0.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %var = mnn.constant dense<[1.0, 1.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 2 : i64, filter_layout = "hwigo"} : (tensor<1x2x3x3xf32>, tensor<1x1x1x2x1xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.batch_norm %y, %scale, %bias, %mean, %var {epsilon = 0.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// Not after a conv: x * s + t with [C, 1, 1] constants.
// s = [2, 0.5], t = bias - mean * s = [1 - 0.5 * 2, 0 - 1 * 0.5] = [0, -0.5]
// CHECK-LABEL: func.func @after_relu
// CHECK:       %[[R:.*]] = mnn.relu %arg0
// CHECK-DAG:   %[[S:.*]] = mnn.constant dense<{{\[\[\[}}2.000000e+00]], {{\[\[}}5.000000e-01]]]> : tensor<2x1x1xf32>
// CHECK-DAG:   %[[T:.*]] = mnn.constant dense<{{\[\[\[}}0.000000e+00]], {{\[\[}}-5.000000e-01]]]> : tensor<2x1x1xf32>
// CHECK:       %[[M:.*]] = mnn.mul %[[R]], %[[S]] : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK:       %[[A:.*]] = mnn.add %[[M]], %[[T]] : (tensor<1x2x3x3xf32>, tensor<2x1x1xf32>) -> tensor<1x2x3x3xf32>
// CHECK:       return %[[A]]
func.func @after_relu(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %scale = mnn.constant dense<[4.0, 0.5]> : tensor<2xf32>
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %r = mnn.relu %x : (tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.batch_norm %r, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// Rank 2 input [N, C]: the constants are [C].
// CHECK-LABEL: func.func @rank2
// CHECK-DAG:   %[[S:.*]] = mnn.constant dense<[2.000000e+00, 5.000000e-01]> : tensor<2xf32>
// CHECK-DAG:   %[[T:.*]] = mnn.constant dense<[0.000000e+00, -5.000000e-01]> : tensor<2xf32>
// CHECK:       %[[M:.*]] = mnn.mul %arg0, %[[S]] : (tensor<4x2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
// CHECK:       mnn.add %[[M]], %[[T]]
func.func @rank2(%x: tensor<4x2xf32>) -> tensor<4x2xf32> {
  %scale = mnn.constant dense<[4.0, 0.5]> : tensor<2xf32>
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %z = mnn.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<4x2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<4x2xf32>
  return %z : tensor<4x2xf32>
}

// -----

// The conv result has a second user: the conv stays, the batch_norm becomes
// mul + add.
// CHECK-LABEL: func.func @conv_two_users
// CHECK:       %[[W:.*]] = mnn.constant dense<{{\[\[\[\[}}1.000000e+00]], {{\[\[}}2.000000e+00]]], {{\[\[\[}}3.000000e+00]], {{\[\[}}4.000000e+00]]]]>
// CHECK:       %[[Y:.*]] = mnn.conv2d %arg0, %[[W]] {
// CHECK:       %[[M:.*]] = mnn.mul %[[Y]]
// CHECK:       %[[A:.*]] = mnn.add %[[M]]
// CHECK:       return %[[A]], %[[Y]]
func.func @conv_two_users(%x: tensor<1x2x3x3xf32>) -> (tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>) {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %scale = mnn.constant dense<[4.0, 0.5]> : tensor<2xf32>
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.batch_norm %y, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z, %y : tensor<1x2x3x3xf32>, tensor<1x2x3x3xf32>
}

// -----

// A conv with an activation already fused: BN(relu(conv)) is not a conv
// fold; it becomes mul + add after the conv.
// CHECK-LABEL: func.func @conv_with_activation
// CHECK:       %[[Y:.*]] = mnn.conv2d {{.*}}activation = "relu"
// CHECK:       %[[M:.*]] = mnn.mul %[[Y]]
// CHECK:       mnn.add %[[M]]
func.func @conv_with_activation(%x: tensor<1x2x3x3xf32>) -> tensor<1x2x3x3xf32> {
  %w = mnn.constant dense<[[[[1.0]], [[2.0]]], [[[3.0]], [[4.0]]]]> : tensor<2x2x1x1xf32>
  %scale = mnn.constant dense<[4.0, 0.5]> : tensor<2xf32>
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, activation = "relu"} : (tensor<1x2x3x3xf32>, tensor<2x2x1x1xf32>) -> tensor<1x2x3x3xf32>
  %z = mnn.batch_norm %y, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}

// -----

// A non-constant parameter: left alone.
// CHECK-LABEL: func.func @dynamic_scale
// CHECK:       mnn.batch_norm
// CHECK-NOT:   mnn.mul
func.func @dynamic_scale(%x: tensor<1x2x3x3xf32>, %scale: tensor<2xf32>) -> tensor<1x2x3x3xf32> {
  %bias = mnn.constant dense<[1.0, 0.0]> : tensor<2xf32>
  %mean = mnn.constant dense<[0.5, 1.0]> : tensor<2xf32>
  %var = mnn.constant dense<[3.0, 0.0]> : tensor<2xf32>
  %z = mnn.batch_norm %x, %scale, %bias, %mean, %var {epsilon = 1.0 : f32} : (tensor<1x2x3x3xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>, tensor<2xf32>) -> tensor<1x2x3x3xf32>
  return %z : tensor<1x2x3x3xf32>
}
