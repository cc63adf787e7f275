// RUN: mnn-opt %s --mnn-pack-weights="block=16" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s

// 1x1 convs over long reductions read pixel panels, except on maps of more
// than 512 pixels with at most 64 output channels: those read their NCHW
// rows directly (copying Cin x P inputs into panels would cost as
// much as the conv). SqueezeNet's fire7 squeeze conv, 256 -> 32 on 27x27,
// takes pixel lanes; 256 -> 128 on the same map, and 256 -> 32 on 16x16,
// take panels.
// CHECK-LABEL: func.func @main
// CHECK: mnn.conv2d
// CHECK-NOT: mnn.packed_input_rows
// CHECK-SAME: -> tensor<1x32x27x27xf32>
// CHECK: mnn.conv2d {{.*}}mnn.packed_input_rows = {{[0-9]+}} : i64{{.*}} -> tensor<1x128x27x27xf32>
// CHECK: mnn.conv2d {{.*}}mnn.packed_input_rows = {{[0-9]+}} : i64{{.*}} -> tensor<1x32x16x16xf32>
func.func @main(%x: tensor<1x256x27x27xf32> {mnn.name = "x"}, %x2: tensor<1x256x16x16xf32> {mnn.name = "x2"}) -> (tensor<1x32x27x27xf32> {mnn.name = "y"}, tensor<1x128x27x27xf32> {mnn.name = "z"}, tensor<1x32x16x16xf32> {mnn.name = "u"}) {
  %w = mnn.constant dense<0.5> : tensor<32x256x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<128x256x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x27x27xf32>, tensor<32x256x1x1xf32>) -> tensor<1x32x27x27xf32>
  %z = mnn.conv2d %x, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x27x27xf32>, tensor<128x256x1x1xf32>) -> tensor<1x128x27x27xf32>
  %u = mnn.conv2d %x2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x16x16xf32>, tensor<32x256x1x1xf32>) -> tensor<1x32x16x16xf32>
  return %y, %z, %u : tensor<1x32x27x27xf32>, tensor<1x128x27x27xf32>, tensor<1x32x16x16xf32>
}
