// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=2097152" | FileCheck %s --check-prefix=TILE

// A 1x1 conv whose output a padded 3x3 depthwise conv reads stores it padded
// (64x58x58) and zeroes, after each output row, the row's right pad and the
// next row's left pad (mnn.pad_run = 2): it writes those cache lines anyway.
// The depthwise conv's border fill then covers only the top and bottom rows
// and the first image row's left pad (plane offset 58), not every row's
// columns.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[PADDED:.*]] = memref.view {{.*}} to memref<1x64x58x58xf32>
// CHECK: linalg.generic
// CHECK-SAME: mnn.kernel = "conv", mnn.pad_run = 2 : i64
// CHECK: scf.parallel
// CHECK: vector.transfer_write {{.*}}, %[[PADDED]][%{{.*}}, %{{.*}}, %c0{{.*}}, %c0{{.*}}] {{.*}} : vector<58xf32>
// CHECK: vector.transfer_write {{.*}}, %[[PADDED]][%{{.*}}, %{{.*}}, %c57, %c0{{.*}}] {{.*}} : vector<58xf32>
// CHECK: %[[FLAT:.*]] = memref.collapse_shape %[[PADDED]]
// CHECK: %[[ROW1:.*]] = arith.addi %{{.*}}, %c58
// CHECK: %[[FIRST:.*]] = arith.addi %[[ROW1]], %c0
// CHECK: vector.transfer_write %{{.*}}, %[[FLAT]][%[[FIRST]]] {{.*}} : vector<1xf32>
// CHECK-NOT: vector<2xf32>
// CHECK: scf.reduce
// CHECK: mnn.kernel = "depthwise_conv"
//
// mnn-tile puts the zeroes in each parallel tile of the 1x1 conv (8 channels
// by one row of all 56 columns), after its register tiles: per channel, 2
// floats one past the row's last column.
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to ({{.*}}, %c16, %c56) step ({{.*}}, %c8{{.*}}, %c1{{.*}})
// TILE: %[[OUT:.*]] = memref.subview {{.*}} : memref<1x1x4x16x56x56xf32, strided<[215296, 215296, 53824, 3364, 58, 1], offset: 59>> to memref<1x1x1x8x1x56xf32
// TILE: mnn.kernel = "conv"
// TILE-NOT: mnn.pad_run
// TILE: %[[BASE:.*]], %[[OFF:.*]], %[[SIZES:.*]]:6, %[[STRIDES:.*]]:6 = memref.extract_strided_metadata %[[OUT]]
// TILE: %[[END:.*]] = arith.muli %[[SIZES]]#5, %[[STRIDES]]#5
// TILE: %[[ROW:.*]] = arith.addi %[[OFF]], %[[END]]
// TILE: scf.for %[[C:.*]] = %{{.*}} to %[[SIZES]]#3 step
// TILE: %[[CH:.*]] = arith.muli %[[C]], %[[STRIDES]]#3
// TILE: %[[AT:.*]] = arith.addi %[[ROW]], %[[CH]]
// TILE: %[[PADS:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [%[[AT]]], sizes: [2], strides: [1]
// TILE: vector.transfer_write %{{.*}}, %[[PADS]][%c0{{.*}}] {in_bounds = [true]} : vector<2xf32>
// TILE: scf.reduce
func.func @main(%x: tensor<1x16x56x56xf32> {mnn.name = "x"}) -> (tensor<1x64x56x56xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<64x16x1x1xf32>
  %e = mnn.conv2d %x, %w1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x56x56xf32>, tensor<64x16x1x1xf32>) -> tensor<1x64x56x56xf32>
  %w2 = mnn.constant dense<0.25> : tensor<64x1x3x3xf32>
  %y = mnn.conv2d %e, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 64 : i64} : (tensor<1x64x56x56xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x56x56xf32>
  return %y : tensor<1x64x56x56xf32>
}

// -----

// A one-row map of 4096 pixels: the 1x1 conv's parallel tiles split the row
// (chunks of pixels), so the runs follow the whole parallel loop, one per
// channel row of the full output.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: mnn.pad_run = 2 : i64
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel
// TILE: mnn.kernel = "conv"
// TILE: scf.reduce
// TILE-NEXT: }
// TILE-NEXT: %[[BASE:.*]], %[[OFF:.*]], %[[SIZES:.*]]:6, %[[STRIDES:.*]]:6 = memref.extract_strided_metadata %{{.*}} : memref<1x1x2x16x1x4096xf32
// TILE: scf.for %{{.*}} to %[[SIZES]]#2 step
// TILE: scf.for %{{.*}} to %[[SIZES]]#3 step
// TILE: vector.transfer_write {{.*}} : vector<2xf32>
// TILE: scf.parallel
// TILE: mnn.kernel = "depthwise_conv"
func.func @main(%x: tensor<1x16x1x4096xf32> {mnn.name = "x"}) -> (tensor<1x32x1x4096xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<32x16x1x1xf32>
  %e = mnn.conv2d %x, %w1 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x1x4096xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x1x4096xf32>
  %w2 = mnn.constant dense<0.25> : tensor<32x1x1x3xf32>
  %y = mnn.conv2d %e, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 1, 0, 1>, dilations = array<i64: 1, 1>, group = 32 : i64} : (tensor<1x32x1x4096xf32>, tensor<32x1x1x3xf32>) -> tensor<1x32x1x4096xf32>
  return %y : tensor<1x32x1x4096xf32>
}
