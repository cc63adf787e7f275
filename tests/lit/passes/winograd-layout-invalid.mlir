// RUN: mnn-opt %s --split-input-file --verify-diagnostics

// A tiles-as-lanes Winograd filter ("winograd2t", [16, Cout/S, Cin, S]) must
// have F(2,3)'s 16 points; F(4,3)'s 36 are rejected with the shapes named.

func.func @wrong_points(%x: tensor<1x16x7x7xf32>, %u: tensor<36x4x16x4xf32>) -> tensor<1x16x7x7xf32> {
  // expected-error @+2 {{conv2d filter of shape 36x4x16x4 does not match filter_layout winograd2t}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd2t"} : (tensor<1x16x7x7xf32>, tensor<36x4x16x4xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// -----

// A 4-D filter under "winograd4t" needs 36 points.
func.func @wrong_points_f4(%x: tensor<1x16x7x7xf32>, %u: tensor<16x4x16x4xf32>) -> tensor<1x16x7x7xf32> {
  // expected-error @+2 {{conv2d filter of shape 16x4x16x4 does not match filter_layout winograd4t}}
  // expected-error @+1 {{failed to infer returned types}}
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd4t"} : (tensor<1x16x7x7xf32>, tensor<16x4x16x4xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}
