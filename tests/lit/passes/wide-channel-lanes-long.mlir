// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --mnn-pack-weights="block=16" | FileCheck %s --check-prefix=PACK512
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=TILE
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s --check-prefix=TILE512

// Direct convs with a long reduction (64 x 3 x 3 = 576) take the wide
// channel-lane tile too: two vectors of channels. With 16-lane vectors a
// 14- or 7-wide row takes tiles of 7 pixels (14 accumulators). With 8-lane
// vectors the tile is 6 pixels: 14 columns are two tiles and a conv of
// their own for the last 2; 7 columns would leave a one-pixel tile, so that
// conv keeps blocks of 8 and one vector by 7 pixels.
// PACK-LABEL: func.func @main
// PACK: mnn.constant {{.*}} : tensor<2x3x3x64x1x16xf32>
// PACK: mnn.constant {{.*}} : tensor<4x3x3x64x1x8xf32>
// PACK512-LABEL: func.func @main
// PACK512: mnn.constant {{.*}} : tensor<1x3x3x64x1x32xf32>
// PACK512: mnn.constant {{.*}} : tensor<1x3x3x64x1x32xf32>
// TILE-LABEL: func.func @__mnn_main
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32
// TILE-SAME: mnn.lanes = 16 : i64
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x2xf32
// TILE-SAME: mnn.whole_rows
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x8x1x7xf32
// TILE-SAME: mnn.lanes = 8 : i64
// TILE512-LABEL: func.func @__mnn_main
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x7xf32
// TILE512-SAME: mnn.lanes = 32 : i64
// TILE512-NOT: mnn.whole_rows
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x7xf32
// TILE512-SAME: mnn.lanes = 32 : i64
// TILE512-NOT: mnn.whole_rows
func.func @main(%x: tensor<1x64x14x14xf32> {mnn.name = "x"}, %x2: tensor<1x64x7x7xf32> {mnn.name = "x2"}) -> (tensor<1x32x14x14xf32> {mnn.name = "y"}, tensor<1x32x7x7xf32> {mnn.name = "z"}) {
  %w = mnn.constant dense<0.5> : tensor<32x64x3x3xf32>
  %w2 = mnn.constant dense<0.25> : tensor<32x64x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x14x14xf32>, tensor<32x64x3x3xf32>) -> tensor<1x32x14x14xf32>
  %z = mnn.conv2d %x2, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<32x64x3x3xf32>) -> tensor<1x32x7x7xf32>
  return %y, %z : tensor<1x32x14x14xf32>, tensor<1x32x7x7xf32>
}
