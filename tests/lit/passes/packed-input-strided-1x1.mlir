// RUN: mnn-opt %s --mnn-pack-weights="block=16" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s

// A strided 1x1 conv over at least 64 channels reads its input packed in
// pixel panels on any map: the panels hold only the pixels it reads (a
// quarter of the input at stride 2). ResNet-18's 64 -> 128 stride-2
// downsample on 56x56 is packed; the same conv over 32 channels, and a
// stride-2 3x3 conv over 3 channels (a reduction of 27), stay direct.
// CHECK-LABEL: func.func @main
// CHECK: mnn.conv2d {{.*}}mnn.packed_input_rows = {{[0-9]+}} : i64{{.*}} -> tensor<1x128x28x28xf32>
// CHECK: mnn.conv2d
// CHECK-NOT: mnn.packed_input_rows
// CHECK-SAME: -> tensor<1x64x28x28xf32>
// CHECK: mnn.conv2d
// CHECK-NOT: mnn.packed_input_rows
// CHECK-SAME: -> tensor<1x32x28x28xf32>
func.func @main(%x: tensor<1x64x56x56xf32> {mnn.name = "x"}, %x2: tensor<1x32x56x56xf32> {mnn.name = "x2"}, %x3: tensor<1x3x56x56xf32> {mnn.name = "x3"}) -> (tensor<1x128x28x28xf32> {mnn.name = "y"}, tensor<1x64x28x28xf32> {mnn.name = "z"}, tensor<1x32x28x28xf32> {mnn.name = "u"}) {
  %w = mnn.constant dense<0.5> : tensor<128x64x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<64x32x1x1xf32>
  %w3 = mnn.constant dense<0.25> : tensor<32x3x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x56x56xf32>, tensor<128x64x1x1xf32>) -> tensor<1x128x28x28xf32>
  %z = mnn.conv2d %x2, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x32x56x56xf32>, tensor<64x32x1x1xf32>) -> tensor<1x64x28x28xf32>
  %u = mnn.conv2d %x3, %w3 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x56x56xf32>, tensor<32x3x3x3xf32>) -> tensor<1x32x28x28xf32>
  return %y, %z, %u : tensor<1x128x28x28xf32>, tensor<1x64x28x28xf32>, tensor<1x32x28x28xf32>
}
