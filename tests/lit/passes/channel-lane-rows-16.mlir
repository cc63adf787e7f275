// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=AVX2

// A channel-lane tile of one 16-lane vector of channels over a short
// reduction (a 3 -> 16 first conv: 3 x 3 x 3 steps) takes 16 pixels where
// they divide the columns (32 here), 16 accumulators; 20 columns keep 5.
// A long reduction (64 -> 16, 576 steps) keeps 8.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic
// CHECK-SAME: outs({{.*}} : memref<1x1x1x16x1x16xf32
// CHECK-SAME: mnn.lanes = 16 : i64
// CHECK: linalg.generic
// CHECK-SAME: outs({{.*}} : memref<1x1x1x16x1x5xf32
// CHECK: linalg.generic
// CHECK-SAME: outs({{.*}} : memref<1x1x1x16x1x8xf32
// With 8-lane vectors all three take the wide tile (two vectors of
// channels by 6 pixels, the last 2 columns a conv of their own), as before.
// AVX2-LABEL: func.func @__mnn_main
// AVX2: linalg.generic
// AVX2-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32
// AVX2: linalg.generic
// AVX2-SAME: outs({{.*}} : memref<1x1x1x16x1x2xf32
// AVX2-NOT: memref<1x1x1x16x1x16xf32
func.func @main(%x: tensor<1x3x65x65xf32> {mnn.name = "x"}, %x2: tensor<1x3x41x41xf32> {mnn.name = "x2"}, %x3: tensor<1x64x65x65xf32> {mnn.name = "x3"}) -> (tensor<1x16x32x32xf32> {mnn.name = "y"}, tensor<1x16x20x20xf32> {mnn.name = "z"}, tensor<1x16x32x32xf32> {mnn.name = "u"}) {
  %w = mnn.constant dense<0.5> : tensor<16x3x3x3xf32>
  %w3 = mnn.constant dense<0.25> : tensor<16x64x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x65x65xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x32x32xf32>
  %z = mnn.conv2d %x2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x41x41xf32>, tensor<16x3x3x3xf32>) -> tensor<1x16x20x20xf32>
  %u = mnn.conv2d %x3, %w3 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x65x65xf32>, tensor<16x64x3x3xf32>) -> tensor<1x16x32x32xf32>
  return %y, %z, %u : tensor<1x16x32x32xf32>, tensor<1x16x20x20xf32>, tensor<1x16x32x32xf32>
}
