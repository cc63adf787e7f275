// RUN: mnn-opt %s --mnn-pack-weights="block=16" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s

// With 512-bit vectors (16-lane blocks) a depthwise conv on a narrow map
// over channels that 16 does not divide but 8 does (24; mobilenet_v3_small's
// 120) takes half-vector channel blocks: its 5x5 taps read one 8-channel
// vector per pixel. The 1x1 conv before it then writes its output plainly
// (the reader pads while it copies into the blocks) over the flattened map,
// 196 pixels, instead of 14-pixel rows of a padded buffer.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK: mnn.conv2d
// PACK-SAME: mnn.blocked_input_lanes = 8 : i64
// PACK-SAME: tensor<5x5x1x24x1xf32>
//
// The arena: the 1x1 conv's 24x14x14 output (18816 bytes) and the blocks
// [1, 3, 18, 18, 8] (31104 bytes).
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: mnn.arena_bytes = 49920
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : memref<1x1x1x6x1x?xf32, strided<[4704, 4704, 4704, 196, 196, 1], offset: ?>>)
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: linalg.generic
// CHECK-SAME: outs(%{{.*}} : memref<1x1x1x8x1x7xf32, strided<[4704, 1568, 1568, 196, 14, 1], offset: ?>>)
// CHECK-SAME: mnn.kernel = "conv", mnn.lanes = 8
func.func @main(%x: tensor<1x40x14x14xf32> {mnn.name = "x"}) -> (tensor<1x24x14x14xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<24x40x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<24x1x5x5xf32>
  %h = mnn.conv2d %x, %w1 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x40x14x14xf32>, tensor<24x40x1x1xf32>) -> tensor<1x24x14x14xf32>
  %y = mnn.conv2d %h, %w2 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 24 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 2, 2, 2, 2>, strides = array<i64: 1, 1>} : (tensor<1x24x14x14xf32>, tensor<24x1x5x5xf32>) -> tensor<1x24x14x14xf32>
  return %y : tensor<1x24x14x14xf32>
}
