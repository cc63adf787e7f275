// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=TILE
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// A 1x1 conv over 256 input channels on a 7x7 map reads its input repacked
// in panels of 6 pixels: its weights get blocks of 16 (two vectors) and the
// conv is marked with the panel width.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: filter_layout = "bhwigo"
// PACK-SAME: mnn.packed_input_rows = 6 : i64
// PACK-SAME: tensor<2x1x1x256x1x16xf32>

// The 49 pixels make 8 whole panels and a last one holding pixels 43..48.
// They are copied into the scratch ([1, 9, 256, 6], 55296 bytes) by an
// scf.parallel over (n, c), one vector<6> per panel from pixel
// min(6 t, 43); the conv runs as one kernel op over the 8 panels (oh = 8,
// ow = 6) and one over the last, both with bias and residual in their
// epilogue and a channel block of 16.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: mnn.arena_bytes = 55296
// CHECK: %[[X:.*]] = memref.collapse_shape %arg0
// CHECK: %[[S:.*]] = memref.view %arg3[%c0][] : memref<55296xi8> to memref<13824xf32>
// CHECK: scf.parallel ({{.*}}) to ({{.*}}, %c256)
// CHECK: scf.for %[[T:.*]] = %{{.*}} to %c9
// CHECK: %[[FIRST:.*]] = arith.minsi %{{.*}}, %c43
// CHECK: %[[V:.*]] = vector.transfer_read %[[X]][%{{.*}}], %{{.*}} {in_bounds = [true]} : memref<12544xf32>, vector<6xf32>
// CHECK: vector.transfer_write %[[V]], %[[S]][%{{.*}}] {in_bounds = [true]} : vector<6xf32>, memref<13824xf32>
// CHECK: %[[WIN:.*]] = memref.reinterpret_cast %[[S]] to offset: [0], sizes: [1, 1, 256, 1, 1, 8, 6], strides: [13824, 13824, 6, 1536, 1536, 1536, 1]
// CHECK: %[[OUT:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 2, 16, 8, 6], strides: [1568, 1568, 784, 49, 6, 1]
// CHECK: linalg.generic
// CHECK-SAME: ins(%[[WIN]], %{{[a-z_0-9]*}}, %{{[a-z_0-9]*}}, %{{[a-z_0-9]*}} :
// CHECK-SAME: outs(%[[OUT]] :
// CHECK-SAME: mnn.channel_lanes = 16
// CHECK-SAME: mnn.epilogue
// CHECK-SAME: mnn.kernel = "conv"
// CHECK-SAME: mnn.prefetch_distance = 4096
// CHECK-SAME: mnn.prefetch_spread = array<i64: 0, 5>
// CHECK: memref.reinterpret_cast %[[S]] to offset: [12288], sizes: [1, 1, 256, 1, 1, 1, 6]
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [43], sizes: [1, 1, 2, 16, 1, 6]
// CHECK: linalg.generic
// CHECK-SAME: mnn.channel_lanes = 16
// CHECK-SAME: mnn.kernel = "conv"

// Register tiles: 16 channel lanes x 6 pixels; parallel tiles of one
// channel block and one panel.
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel {{.*}} to ({{.*}}%c2, %c16{{.*}}, %c8) step ({{.*}}%c16{{.*}}, %c1{{.*}})
// TILE: linalg.generic
// TILE-SAME: mnn.cols_dim = 3 : i64
// TILE-SAME: mnn.lanes = 16 : i64
// TILE-SAME: mnn.prefetch_spread = array<i64: 0, 5>
// TILE-SAME: mnn.rows_dim = 5 : i64
// The 9 panels of a channel block run one after another and split the
// prefetches of the next block's 256 x 16 weights (4096 floats on): panel
// i = (windows offset mod 13824) / 1536, at weight row k the line at
// (i * 256 + k) * 16 / 9, rounded down to 16 floats.
// VEC-LABEL: func.func @__mnn_main
// VEC: scf.for %[[K:.*]] = %c0 to %c256 step %c1 iter_args
// VEC: %{{.*}}, %[[WOFF:.*]], %{{.*}}:7, %{{.*}}:7 = memref.extract_strided_metadata %{{.*}} : memref<1x1x256x1x1x1x6xf32
// VEC: %[[REM:.*]] = arith.remui %[[WOFF]], %c13824
// VEC: %[[PANEL:.*]] = arith.divui %[[REM]], %c1536
// VEC: %[[P256:.*]] = arith.muli %[[PANEL]], %c256
// VEC: %[[STEP:.*]] = arith.addi %[[P256]], %{{.*}}
// VEC: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:6, %{{.*}}:6 = memref.extract_strided_metadata
// VEC: %[[NEXT:.*]] = arith.addi %[[OFF]], %c4096
// VEC: %[[P:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [%[[NEXT]]], sizes: [4096], strides: [1]
// VEC: %[[S16:.*]] = arith.muli %[[STEP]], %c16
// VEC: %[[FRAC:.*]] = arith.divui %[[S16]], %c9
// VEC: %[[LINE:.*]] = arith.andi %[[FRAC]], %c-16
// VEC: memref.prefetch %[[P]][%[[LINE]]], read, locality<2>, data
func.func @main(%x: tensor<1x256x7x7xf32> {mnn.name = "x"}, %r: tensor<1x32x7x7xf32> {mnn.name = "r"}) -> (tensor<1x32x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x256x1x1xf32>
  %b = mnn.constant dense<0.25> : tensor<32xf32>
  %y = mnn.conv2d %x, %w, %b, %r {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x7x7xf32>, tensor<32x256x1x1xf32>, tensor<32xf32>, tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32>
  return %y : tensor<1x32x7x7xf32>
}

// -----

// Shorter reductions (128 input channels) on larger maps (28x28) read the
// NCHW input directly: no mark, no scratch; blocks of two 8-lane vectors
// for a 16-channel x 6-pixel tile (mnn::wideChannelLaneBlock).
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-NOT: mnn.packed_input_rows
// PACK-SAME: tensor<2x1x1x128x1x16xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: mnn.arena_bytes = 0
// CHECK-NOT: mnn.whole_rows
// TILE-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<1x128x28x28xf32> {mnn.name = "x"}) -> (tensor<1x32x28x28xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x128x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x128x28x28xf32>, tensor<32x128x1x1xf32>) -> tensor<1x32x28x28xf32>
  return %y : tensor<1x32x28x28xf32>
}

// -----

// On a small map (14x14 = 196 pixels) 96 input channels suffice. The conv's
// output is stored plainly even though a padded max pool reads it (no
// padded storage: the panels run across row ends); the pool pads a copy in
// its own scratch.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: mnn.packed_input_rows = 6 : i64
// PACK-SAME: tensor<2x1x1x96x1x16xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 2, 16, 32, 6], strides: [6272, 6272, 3136, 196, 6, 1]
// CHECK: mnn.channel_lanes = 16
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [190], sizes: [1, 1, 2, 16, 1, 6]
// CHECK: mnn.channel_lanes = 16
// CHECK: scf.parallel
// CHECK: vector.transfer_write {{.*}} : vector<16xf32>, memref<1x32x16x16xf32>
// TILE-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<1x96x14x14xf32> {mnn.name = "x"}) -> (tensor<1x32x14x14xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x96x1x1xf32>
  %a = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x96x14x14xf32>, tensor<32x96x1x1xf32>) -> tensor<1x32x14x14xf32>
  %y = mnn.pool2d %a {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x32x14x14xf32>) -> tensor<1x32x14x14xf32>
  return %y : tensor<1x32x14x14xf32>
}

// -----

// 24 output channels: two vectors do not divide them, so the tile is one
// vector (8 lanes) x 12 pixels: panels of 12, 4 whole ones and the last at
// pixel 37.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: mnn.packed_input_rows = 12 : i64
// PACK-SAME: tensor<3x1x1x256x1x8xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 3, 8, 4, 12], strides: [1176, 1176, 392, 49, 12, 1]
// CHECK: mnn.channel_lanes = 8
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [37], sizes: [1, 1, 3, 8, 1, 12]
// TILE-LABEL: func.func @__mnn_main
// TILE: linalg.generic
// TILE-SAME: mnn.lanes = 8 : i64
// TILE: scf.for {{.*}} to %c12{{.*}} step %c12
func.func @main(%x: tensor<1x256x7x7xf32> {mnn.name = "x"}) -> (tensor<1x24x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<24x256x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x7x7xf32>, tensor<24x256x1x1xf32>) -> tensor<1x24x7x7xf32>
  return %y : tensor<1x24x7x7xf32>
}

// -----

// A 3x3 stride-2 conv (32 -> 32 channels, 14x14 -> 7x7, reduction 288)
// gathers its windows into the panels [1, 9, 3, 3, 32, 6]: its input (a
// function argument, not stored padded) is first padded in its scratch
// (32768 bytes), the panels follow (62208 bytes). Per (panel, tap) the 6
// pixels' offsets, then per channel 6 scalar loads into one vector<6>.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d
// PACK-SAME: filter_layout = "bhwigo"
// PACK-SAME: mnn.packed_input_rows = 6 : i64
// PACK-SAME: tensor<2x3x3x32x1x16xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: mnn.arena_bytes = 94976
// CHECK: %[[S:.*]] = memref.view %arg{{.*}}[%c32768{{.*}}][] : memref<94976xi8> to memref<15552xf32>
// CHECK: scf.parallel (%{{.*}}, %{{.*}}) = ({{.*}}) to (%c9{{.*}}, %c9{{.*}})
// CHECK-COUNT-6: arith.remui
// CHECK: scf.for {{.*}} to %c32
// CHECK-COUNT-6: memref.load
// CHECK: vector.store %{{.*}}, %[[S]][%{{.*}}] : memref<15552xf32>, vector<6xf32>
// CHECK: memref.reinterpret_cast %[[S]] to offset: [0], sizes: [1, 1, 32, 3, 3, 8, 6], strides: [15552, 15552, 6, 576, 192, 1728, 1]
// CHECK: mnn.channel_lanes = 16
// CHECK: memref.reinterpret_cast %[[S]] to offset: [13824], sizes: [1, 1, 32, 3, 3, 1, 6]
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [43], sizes: [1, 1, 2, 16, 1, 6]
// TILE-LABEL: func.func @__mnn_main
func.func @main(%x: tensor<1x32x14x14xf32> {mnn.name = "x"}) -> (tensor<1x32x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x32x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x32x14x14xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x7x7xf32>
  return %y : tensor<1x32x7x7xf32>
}
