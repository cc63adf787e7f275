// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// A 1x1 conv whose 1.2 MB output (32x96x96) only a depthwise conv reads,
// right after it, is banded into that conv: no buffer of its own. The
// depthwise conv (3x3, stride 2, pads 1) computes its 48 output rows in two
// bands of 24. Each band reads 49 padded rows from a band buffer (32x49x98,
// the scratch and the whole arena; its pad columns zeroed once) into which
// the 1x1 conv first computes the image rows the band covers: rows 0-47
// into buffer rows 1-48 (row 0, the top padding, is zeroed), then rows
// 47-95 into rows 0-48.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x16x96x96xf32>
// CHECK-SAME: mnn.arena_bytes = 614656
// CHECK: %[[BAND:.*]] = memref.view {{.*}} to memref<1x32x49x98xf32>
// CHECK: %[[LEFT:.*]] = memref.subview %[[BAND]][0, 0, 0, 0] [1, 32, 49, 1]
// CHECK: linalg.fill {{.*}} outs(%[[LEFT]] :
// CHECK: %[[RIGHT:.*]] = memref.subview %[[BAND]][0, 0, 0, 97] [1, 32, 49, 1]
// CHECK: linalg.fill {{.*}} outs(%[[RIGHT]] :
// CHECK: %[[TOP:.*]] = memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 1, 96]
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] :
// CHECK: %[[IN0:.*]] = memref.reinterpret_cast %[[X]] to offset: [0], sizes: [1, 1, 16, 1, 1, 48, 96], strides: [147456, 147456, 9216, 96, 1, 96, 1]
// CHECK: memref.subview %[[BAND]][0, 0, 1, 1] [1, 32, 48, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN0]],
// CHECK-SAME: mnn.kernel = "conv"
// CHECK: %[[WIN0:.*]] = memref.reinterpret_cast %[[BAND]] to offset: [0], sizes: [1, 32, 1, 3, 3, 24, 48], strides: [153664, 4802, 4802, 98, 1, 196, 2]
// CHECK: %[[OUT0:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 0, 0] [1, 32, 1, 1, 24, 48]
// CHECK: linalg.generic {{.*}} ins(%[[WIN0]], {{.*}} outs(%[[OUT0]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK: %[[IN1:.*]] = memref.reinterpret_cast %[[X]] to offset: [4512], sizes: [1, 1, 16, 1, 1, 49, 96]
// CHECK: memref.subview %[[BAND]][0, 0, 0, 1] [1, 32, 49, 96]
// CHECK: linalg.generic {{.*}} ins(%[[IN1]],
// CHECK: %[[OUT1:.*]] = memref.subview {{.*}}[0, 0, 0, 0, 24, 0] [1, 32, 1, 1, 24, 48]
// CHECK: linalg.generic {{.*}} outs(%[[OUT1]] :
// CHECK-SAME: mnn.kernel = "depthwise_conv"
// CHECK-NOT: linalg.generic
func.func @main(%x: tensor<1x16x96x96xf32> {mnn.name = "x"}) -> (tensor<1x32x48x48xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<32x16x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<32x1x3x3xf32>
  %h = mnn.conv2d %x, %w1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x96x96xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x96x96xf32>
  %y = mnn.conv2d %h, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 32 : i64} : (tensor<1x32x96x96xf32>, tensor<32x1x3x3xf32>) -> tensor<1x32x48x48xf32>
  return %y : tensor<1x32x48x48xf32>
}
