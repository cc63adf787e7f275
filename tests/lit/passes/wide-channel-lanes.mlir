// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=TILE
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s --check-prefix=TILE512

// First-layer convs (a short reduction: 3 x 3 x 3) with stride 2 take
// channel lanes. Where 6 pixels fit their columns, the tile is two vectors
// of channels by 6 pixels (12 accumulators): the weights are blocked by 16.
// 10 columns are one tile of 6 and a conv of its own for the last 4 (whole
// rows), 9 columns one of 6 and one of 3. 24 output channels (not a multiple of 16) keep blocks of 8 and
// 8-pixel tiles.
// PACK-LABEL: func.func @main
// PACK: mnn.constant {{.*}} : tensor<2x3x3x3x1x16xf32>
// PACK: mnn.constant {{.*}} : tensor<3x3x3x3x1x8xf32>
// PACK: mnn.conv2d {{.*}}filter_layout = "bhwigo"{{.*}} -> tensor<1x32x10x10xf32>
// PACK: mnn.conv2d {{.*}}filter_layout = "bhwigo"{{.*}} -> tensor<1x24x8x8xf32>
// TILE-LABEL: func.func @__mnn_main
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32
// TILE-SAME: mnn.lanes = 16 : i64
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x4xf32
// TILE-SAME: mnn.lanes = 16 : i64
// TILE-SAME: mnn.whole_rows
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x8x1x8xf32
// TILE-SAME: mnn.lanes = 8 : i64
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32
// TILE: linalg.generic
// TILE-SAME: outs({{.*}} : memref<1x1x1x16x1x3xf32
// TILE-SAME: mnn.lanes = 16 : i64
// TILE-SAME: mnn.whole_rows
// With 16-lane vectors (AVX-512, 32 registers) the wide tile is two
// vectors of channels by 8 pixels (16 accumulators): 10 columns are one
// tile of 8 and a conv of its own for the last 2, 9 columns 8 and 1.
// TILE512-LABEL: func.func @__mnn_main
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x8xf32
// TILE512-SAME: mnn.lanes = 32 : i64
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x2xf32
// TILE512-SAME: mnn.whole_rows
// TILE512: linalg.generic
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x8xf32
// TILE512: linalg.generic
// TILE512-SAME: outs({{.*}} : memref<1x1x1x32x1x1xf32
// TILE512-SAME: mnn.whole_rows
func.func @main(%x: tensor<1x3x20x20xf32> {mnn.name = "x"}, %x2: tensor<1x3x16x16xf32> {mnn.name = "x2"}, %x3: tensor<1x3x18x18xf32> {mnn.name = "x3"}) -> (tensor<1x32x10x10xf32> {mnn.name = "y"}, tensor<1x24x8x8xf32> {mnn.name = "z"}, tensor<1x32x9x9xf32> {mnn.name = "u"}) {
  %w = mnn.constant dense<0.5> : tensor<32x3x3x3xf32>
  %w2 = mnn.constant dense<0.25> : tensor<24x3x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x20x20xf32>, tensor<32x3x3x3xf32>) -> tensor<1x32x10x10xf32>
  %z = mnn.conv2d %x2, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x16x16xf32>, tensor<24x3x3x3xf32>) -> tensor<1x24x8x8xf32>
  %u = mnn.conv2d %x3, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x3x18x18xf32>, tensor<32x3x3x3xf32>) -> tensor<1x32x9x9xf32>
  return %y, %z, %u : tensor<1x32x10x10xf32>, tensor<1x24x8x8xf32>, tensor<1x32x9x9xf32>
}
