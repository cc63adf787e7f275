// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// A padded 3x3 stride-2 conv reading the model input (not stored padded)
// on a 50-wide output: no padded copy of the input. The interior, rows
// 1-9 by columns 16-47 (whole 16-pixel tiles), reads the input in place;
// the top row, the left columns 0-15 and the right columns 48-49 each read
// a zeroed window (3x101, 19x33, 19x5 padded pixels) into which the input
// rows and columns they cover are copied. The scratch holds just the
// three windows (3648 + 7552 + 1152 bytes).
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x3x20x100xf32>
// CHECK-SAME: %[[Y:[a-z0-9]+]]: memref<1x8x10x50xf32>
// CHECK-SAME: mnn.arena_bytes = 12352
// CHECK-NOT: linalg.copy
// CHECK: %[[INNER:.*]] = memref.reinterpret_cast %[[X]] to offset: [131], sizes: [1, 1, 3, 3, 3, 9, 32], strides: [6000, 6000, 2000, 100, 1, 200, 2]
// CHECK: %[[TOP:.*]] = memref.view {{.*}} to memref<1x3x3x101xf32>
// CHECK: linalg.fill {{.*}} outs(%[[TOP]] :
// CHECK: %[[TOPIN:.*]] = memref.subview %[[X]][0, 0, 0, 0] [1, 3, 2, 100]
// CHECK: %[[TOPTO:.*]] = memref.subview %[[TOP]][0, 0, 1, 1] [1, 3, 2, 100]
// CHECK: linalg.copy ins(%[[TOPIN]] {{.*}} outs(%[[TOPTO]]
// CHECK: %[[TOPW:.*]] = memref.reinterpret_cast %[[TOP]] to offset: [0], sizes: [1, 1, 3, 3, 3, 1, 50], strides: [909, 909, 303, 101, 1, 202, 2]
// CHECK: %[[LEFT:.*]] = memref.view {{.*}} to memref<1x3x19x33xf32>
// CHECK: %[[LEFTIN:.*]] = memref.subview %[[X]][0, 0, 1, 0] [1, 3, 19, 32]
// CHECK: %[[LEFTTO:.*]] = memref.subview %[[LEFT]][0, 0, 0, 1] [1, 3, 19, 32]
// CHECK: linalg.copy ins(%[[LEFTIN]] {{.*}} outs(%[[LEFTTO]]
// CHECK: %[[LEFTW:.*]] = memref.reinterpret_cast %[[LEFT]] to offset: [0], sizes: [1, 1, 3, 3, 3, 9, 16], strides: [1881, 1881, 627, 33, 1, 66, 2]
// CHECK: %[[RIGHT:.*]] = memref.view {{.*}} to memref<1x3x19x5xf32>
// CHECK: %[[RIGHTIN:.*]] = memref.subview %[[X]][0, 0, 1, 95] [1, 3, 19, 5]
// CHECK: linalg.copy ins(%[[RIGHTIN]]
// CHECK: %[[RIGHTW:.*]] = memref.reinterpret_cast %[[RIGHT]] to offset: [0], sizes: [1, 1, 3, 3, 3, 9, 2], strides: [285, 285, 95, 5, 1, 10, 2]
// CHECK: %[[OUTIN:.*]] = memref.subview %{{.*}}[0, 0, 0, 0, 1, 16] [1, 1, 1, 8, 9, 32]
// CHECK: linalg.generic {{.*}} ins(%[[INNER]], {{.*}} outs(%[[OUTIN]] :
// CHECK: %[[OUTTOP:.*]] = memref.subview %{{.*}}[0, 0, 0, 0, 0, 0] [1, 1, 1, 8, 1, 50]
// CHECK: linalg.generic {{.*}} ins(%[[TOPW]], {{.*}} outs(%[[OUTTOP]] :
// CHECK: %[[OUTLEFT:.*]] = memref.subview %{{.*}}[0, 0, 0, 0, 1, 0] [1, 1, 1, 8, 9, 16]
// CHECK: linalg.generic {{.*}} ins(%[[LEFTW]], {{.*}} outs(%[[OUTLEFT]] :
// CHECK: %[[OUTRIGHT:.*]] = memref.subview %{{.*}}[0, 0, 0, 0, 1, 48] [1, 1, 1, 8, 9, 2]
// CHECK: linalg.generic {{.*}} ins(%[[RIGHTW]], {{.*}} outs(%[[OUTRIGHT]] :
// CHECK-NOT: linalg.generic
func.func @main(%x: tensor<1x3x20x100xf32> {mnn.name = "x"}) -> (tensor<1x8x10x50xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<3x3x3x1x8xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x3x20x100xf32>, tensor<3x3x3x1x8xf32>) -> tensor<1x8x10x50xf32>
  return %y : tensor<1x8x10x50xf32>
}
