// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=2097152" | FileCheck %s --check-prefix=TILE

// A 1x1 conv whose 2.4 MB output (32x96x192) only a depthwise conv reads,
// right after it, is banded into that conv: no buffer of its own. The
// depthwise conv (3x3, stride 2, pads 1) computes its 48 output rows in four
// bands of 12. Each band reads 25 padded rows from a band buffer (32x25x194,
// the scratch and the whole arena; its pad columns zeroed once) into which
// the 1x1 conv first computes the image rows the band covers: rows 0-23
// into buffer rows 1-24 (row 0, the top padding, is zeroed), then rows
// 23-47 into rows 0-24, and so on.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x16x96x192xf32>
// CHECK-SAME: mnn.arena_bytes = 620800
// CHECK: %[[BAND:.*]] = memref.view {{.*}} to memref<1x32x25x194xf32>
// CHECK: %[[LEFT:.*]] = memref.subview %[[BAND]][0, 0, 0, 0] [1, 32, 25, 1]
// CHECK: linalg.fill {{.*}} outs(%[[LEFT]] :
// CHECK: %[[RIGHT:.*]] = memref.subview %[[BAND]][0, 0, 0, 193] [1, 32, 25, 1]
// CHECK: linalg.fill {{.*}} outs(%[[RIGHT]] :
// CHECK: %[[TOP:.*]] = memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 1, 192]
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] :
// CHECK: %[[IN0:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 1, 16, 1, 1, 24, 192], strides: [294912, 294912, 18432, 192, 1, 192, 1]
// CHECK: memref.subview %[[BAND]][0, 0, 1, 1] [1, 32, 24, 192]
// CHECK: linalg.generic {{.*}} ins(%[[IN0]],
// CHECK-SAME: mnn.channel_halves
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: %[[WIN0:.*]] = memref.reinterpret_cast %[[BAND]] to offset: [0], sizes: [1, 32, 1, 3, 3, 12, 96], strides: [155200, 4850, 4850, 194, 1, 388, 2]
// CHECK: %[[OUT0:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 0, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic {{.*}} ins(%[[WIN0]], {{.*}} outs(%[[OUT0]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK: %[[IN1:.*]] = memref.reinterpret_cast %[[X]] to offset: [4416], sizes: [1, 1, 16, 1, 1, 25, 192]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 25, 192]
// CHECK: linalg.generic {{.*}} ins(%[[IN1]],
// CHECK: %[[OUT1:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 12, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic {{.*}} outs(%[[OUT1]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 24, 0] [1, 32, 1, 1, 12, 96]
// CHECK: memref.subview {{.*}}[0, 0, 0, 0, 36, 0] [1, 32, 1, 1, 12, 96]
// CHECK: linalg.generic
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK-NOT: linalg.generic
//
// The band's 1x1 conv splits its two blocks of 16 output channels into two
// parallel halves, outermost, by one row each (rows inside), as two threads
// split the depthwise conv's channels.
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to ({{.*}}%c2, %c16{{.*}}, %c24{{.*}}) step ({{.*}}%c1{{.*}}, %c16{{.*}}, %c1{{.*}})
// TILE: mnn.kernel = "conv"
// TILE: scf.parallel {{.*}} to ({{.*}}%c32{{.*}}%c12{{.*}}) step ({{.*}}%c4{{.*}}%c1{{.*}})
// TILE: mnn.kernel = "depthwise_conv"
func.func @main(%x: tensor<1x16x96x192xf32> {mnn.name = "x"}) -> (tensor<1x32x48x96xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<32x16x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<32x1x3x3xf32>
  %h = mnn.conv2d %x, %w1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x96x192xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x96x192xf32>
  %y = mnn.conv2d %h, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64} : (tensor<1x32x96x192xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x48x96xf32>
  return %y : tensor<1x32x48x96xf32>
}
