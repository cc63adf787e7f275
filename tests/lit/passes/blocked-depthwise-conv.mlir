// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=TILE

// A depthwise conv on a 7x7 map (16 channels, two blocks of 8) reads its
// input repacked in channel blocks.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: filter_layout = "hwigo"
// PACK-SAME: mnn.blocked_input_lanes = 8 : i64

// The copy pads as it goes: scratch [1, 2, 9, 9, 8] (5184 bytes); per
// (block, padded row) either a zero row or zero border pixels and the 7
// pixels of 8 channel rows, read masked (a row of 7), transposed (3 x 8
// shuffles) and stored as 7 vectors of 8 channels from pixel 1. The kernel
// reads the blocks through a window view (the channel in the block
// innermost) and writes NCHW through [n, blocks, 1, 8, oh, ow].
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: mnn.arena_bytes = 5184
// CHECK: %[[S:.*]] = memref.view %arg{{.*}}[%c0][] : memref<5184xi8> to memref<1296xf32>
// CHECK: scf.parallel (%[[NB:.*]], %[[Y:.*]]) = ({{.*}}) to (%c2, %c9)
// CHECK: scf.if
// CHECK: scf.for
// CHECK: vector.store %{{.*}}, %[[S]][%{{.*}}] : memref<1296xf32>, vector<8xf32>
// CHECK: scf.for
// CHECK-COUNT-8: vector.transfer_read %{{[a-z_0-9]+}}[%{{.*}}, %{{.*}}, %{{.*}}], %{{[a-z_0-9]+}} : memref<16x7x7xf32>, vector<8xf32>
// CHECK-COUNT-24: vector.shuffle
// CHECK-COUNT-7: vector.store %{{.*}}, %[[S]][%{{.*}}] : memref<1296xf32>, vector<8xf32>
// CHECK-NOT: vector.store
// CHECK: } else {
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c9
// CHECK: vector.store %{{.*}}, %[[S]]
// CHECK: %[[WIN:.*]] = memref.reinterpret_cast %[[S]] to offset: [0], sizes: [1, 2, 1, 3, 3, 7, 7, 8], strides: [1296, 648, 0, 72, 8, 72, 8, 1]
// CHECK: %[[OUT:.*]] = memref.expand_shape %{{.*}} output_shape [1, 2, 1, 8, 7, 7]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[WIN]], %{{[a-z_0-9]*}}, %{{[a-z_0-9]*}} :
// CHECK-SAME: outs(%[[OUT]] :
// CHECK-SAME: mnn.blocked_input
// CHECK-SAME: mnn.channel_lanes = 8
// CHECK-SAME: mnn.epilogue
// CHECK-SAME: mnn.kernel = "conv"

// Register tiles: 7 pixels along ow (rows, dim 5) x the 8 channels of a
// block (lanes, dim 3).
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.for {{.*}} to %c8{{.*}} step %c8
// TILE: scf.for {{.*}} to %c7{{.*}} step %c7
// TILE: linalg.generic
// TILE-SAME: mnn.cols_dim = 3 : i64
// TILE-SAME: mnn.lanes = 8 : i64
// TILE-SAME: mnn.rows_dim = 5 : i64
func.func @main(%x: tensor<1x16x7x7xf32> {mnn.name = "x"}) -> (tensor<1x16x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<16x1x3x3xf32>
  %b = mnn.constant dense<0.25> : tensor<16xf32>
  %y = mnn.conv2d %x, %w, %b {activation = "relu", dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 16 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x16x7x7xf32>, tensor<16x1x3x3xf32>, tensor<16xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}

// -----

// Stride 2 (14x14 -> 7x7): rows of 14 are read unmasked, 8 pixels from
// column min(8 i, 6); the window view steps 2 pixels (16 floats) per output
// pixel and 2 rows (256 floats) per output row.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: mnn.blocked_input_lanes = 8 : i64
// CHECK-LABEL: func.func @__mnn_main
// CHECK: arith.minsi %{{.*}}, %c6
// CHECK-COUNT-8: vector.transfer_read {{.*}} {in_bounds = [true]} : memref<8x14x14xf32>, vector<8xf32>
// CHECK-COUNT-8: vector.store
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 1, 3, 3, 7, 7, 8], strides: [2048, 2048, 0, 128, 8, 256, 16, 1]
// CHECK: mnn.blocked_input
// TILE-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<1x8x14x14xf32> {mnn.name = "x"}) -> (tensor<1x8x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<8x1x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 8 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x8x14x14xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x7x7xf32>
  return %y : tensor<1x8x7x7xf32>
}

// -----

// Not blocked: a wide output (28 columns: pixel lanes fill their vectors)
// and channels that are not a multiple of the lanes (12).
// PACK-LABEL: func.func @main
// PACK-NOT: mnn.blocked_input_lanes
// PACK: return
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: mnn.blocked_input
// CHECK: return
func.func @main(%x: tensor<1x8x28x28xf32> {mnn.name = "x"}, %z: tensor<1x12x7x7xf32> {mnn.name = "z"}) -> (tensor<1x8x28x28xf32> {mnn.name = "y"}, tensor<1x12x7x7xf32> {mnn.name = "v"}) {
  %w = mnn.constant dense<0.5> : tensor<8x1x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 8 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x28x28xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x28x28xf32>
  %w2 = mnn.constant dense<0.5> : tensor<12x1x3x3xf32>
  %v = mnn.conv2d %z, %w2 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 12 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x12x7x7xf32>, tensor<12x1x3x3xf32>) -> tensor<1x12x7x7xf32>
  return %y, %v : tensor<1x8x28x28xf32>, tensor<1x12x7x7xf32>
}

// -----

// A conv whose only reader is a channel-blocked depthwise conv is stored
// plainly (no padded storage: the reader pads while it copies), and the
// reader reads it as [8, 7, 7] with no padded copy.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: memref<1x8x9x9xf32>
// CHECK: vector.transfer_read {{.*}} : memref<8x7x7xf32>, vector<8xf32>
// CHECK-NOT: memref<1x8x9x9xf32>
// CHECK: mnn.blocked_input
// TILE-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<1x8x7x7xf32> {mnn.name = "x"}) -> (tensor<1x8x7x7xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<8x8x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<8x1x3x3xf32>
  %h = mnn.conv2d %x, %w1 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x8x7x7xf32>, tensor<8x8x1x1xf32>) -> tensor<1x8x7x7xf32>
  %y = mnn.conv2d %h, %w2 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 8 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x7x7xf32>, tensor<8x1x3x3xf32>) -> tensor<1x8x7x7xf32>
  return %y : tensor<1x8x7x7xf32>
}
