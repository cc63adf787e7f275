// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg --verify-diagnostics

// Winograd output lanes that do not divide Cout are an error, not a wrong conv.
func.func @main(%x: tensor<1x8x10x10xf32> {mnn.name = "x"}) -> (tensor<1x8x8x8xf32> {mnn.name = "y"}) {
  %u = mnn.constant dense<0.5> : tensor<36x1x8x8xf32>
  // expected-error @+1 {{Winograd output lanes must divide Cout}}
  %y = mnn.conv2d %x, %u {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64, filter_layout = "winograd4", mnn.winograd_output_lanes = 16 : i64} : (tensor<1x8x10x10xf32>, tensor<36x1x8x8xf32>) -> tensor<1x8x8x8xf32>
  return %y : tensor<1x8x8x8xf32>
}
