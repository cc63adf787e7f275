// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 l2-bytes=0" | FileCheck %s --check-prefix=TILE

// 1x1 convs over 16 input channels on a 28x28 map take pixel lanes (a short
// reduction). 16 -> 96 keeps its weights unblocked (hwigo), so its tile
// takes 6 output channels as rows; 16 -> 64 (not a multiple of 6) gets
// blocks of 8 and 4 rows, as does 16 -> 96 on a map narrower than a vector
// of lanes (3x3: channel lanes, 8 x 9 pixels). The 784 pixels of a
// flattened 28x28 map split into 7 equal parallel tiles of 112 (not 256,
// 256, 256 and 16, which would leave one of two threads idle for a third).
// (Without an L2 budget, so that chunks go outermost, as for maps whose
// input exceeds L2: conv-schedule.mlir.)
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d {{.*}}filter_layout = "hwigo"{{.*}} -> tensor<1x96x28x28xf32>
// PACK: mnn.conv2d {{.*}}filter_layout = "bhwigo"{{.*}} -> tensor<1x64x28x28xf32>
// PACK: mnn.conv2d {{.*}}filter_layout = "bhwigo"{{.*}} -> tensor<1x96x3x3xf32>
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}%c96{{.*}}) step ({{.*}}%c112{{.*}}%c6{{.*}})
// TILE: mnn.kernel = "conv"
// TILE: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}) step ({{.*}}%c112{{.*}}%c4{{.*}})
// TILE: mnn.kernel = "conv"
// TILE: scf.parallel {{.*}} to ({{.*}}%c12, %c8{{.*}}) step ({{.*}}%c1{{.*}}, %c8{{.*}})
// TILE: mnn.cols_dim = 3 : i64
// TILE-SAME: mnn.rows_dim = 5 : i64
func.func @main(%x: tensor<1x16x28x28xf32> {mnn.name = "x"}, %x2: tensor<1x16x3x3xf32> {mnn.name = "x2"}) -> (tensor<1x96x28x28xf32> {mnn.name = "y"}, tensor<1x64x28x28xf32> {mnn.name = "z"}, tensor<1x96x3x3xf32> {mnn.name = "u"}) {
  %w = mnn.constant dense<0.5> : tensor<96x16x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<64x16x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x28x28xf32>, tensor<96x16x1x1xf32>) -> tensor<1x96x28x28xf32>
  %z = mnn.conv2d %x, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x28x28xf32>, tensor<64x16x1x1xf32>) -> tensor<1x64x28x28xf32>
  %u = mnn.conv2d %x2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x3x3xf32>, tensor<96x16x1x1xf32>) -> tensor<1x96x3x3xf32>
  return %y, %z, %u : tensor<1x96x28x28xf32>, tensor<1x64x28x28xf32>, tensor<1x96x3x3xf32>
}
