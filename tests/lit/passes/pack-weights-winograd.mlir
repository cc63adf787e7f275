// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="winograd=f2" | FileCheck %s --check-prefix=F2
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="winograd=f4 block=8" | FileCheck %s --check-prefix=F4
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="winograd=auto block=8" | FileCheck %s --check-prefix=AUTO
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="winograd=auto block=16" | FileCheck %s --check-prefix=AVX512
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights | FileCheck %s --check-prefix=OFF

// Winograd filter transforms of mnn-pack-weights (Winograd.h): U = G g G^T per
// (ci, co) as [(m+2)^2, Cout/S, Cin, S], S = the matmul lanes (16, or 32 with
// block 16; less when that does not divide Cout).

// All-ones 3x3 filter, 8 -> 8 channels, F(2,3): G g G^T = u u^T with
// u = G [1 1 1]^T = [1, 1.5, 0.5, 1], so U[i*4+j] holds u_i u_j in all 64
// (ci, co) places: 1 1.5 .5 1 / 1.5 2.25 .75 1.5 / .5 .75 .25 .5 / 1 1.5 .5 1
// (f32 little-endian hex after the blob's alignment word). S = 8 (16 does not
// divide Cout). F(4,3) gives [36, 1, 8, 8]; auto leaves 8 channels direct.
// F2-LABEL: func.func @ones_8x8
// F2: %[[U:.*]] = mnn.constant dense_resource<[[BLOB:.*]]> : tensor<16x1x8x8xf32>
// F2: mnn.conv2d %arg0, %[[U]] {{.*}}filter_layout = "winograd2"
// F2-SAME: (tensor<1x8x5x5xf32>, tensor<16x1x8x8xf32>) -> tensor<1x8x5x5xf32>
// F4-LABEL: func.func @ones_8x8
// F4: mnn.conv2d {{.*}}filter_layout = "winograd4"{{.*}}tensor<36x1x8x8xf32>
// AUTO-LABEL: func.func @ones_8x8
// AUTO: mnn.conv2d {{.*}}filter_layout = "bhwigo"
// OFF-LABEL: func.func @ones_8x8
// OFF: mnn.conv2d {{.*}}filter_layout = "hwigo"
// F2: [[BLOB]]: "0x40000000{{(0000803F){64}(0000C03F){64}(0000003F){64}(0000803F){64}(0000C03F){64}(00001040){64}(0000403F){64}(0000C03F){64}(0000003F){64}(0000403F){64}(0000803E){64}(0000003F){64}(0000803F){64}(0000C03F){64}(0000003F){64}(0000803F){63}0000803F}}"
func.func @ones_8x8(%x: tensor<1x8x5x5xf32>) -> tensor<1x8x5x5xf32> {
  %w = mnn.constant dense<1.0> : tensor<8x8x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x8x5x5xf32>, tensor<8x8x3x3xf32>) -> tensor<1x8x5x5xf32>
  return %y : tensor<1x8x5x5xf32>
}

// -----

// auto: F(4,3) from 32 tiles of 4x4 outputs (32x16: 8 x 4 tiles), panels of
// 16 output channels (block 8) or 32 (block 16, AVX-512). With block 16 the
// output transform takes 16-channel vectors (mnn.winograd_output_lanes);
// with block 8 it keeps the transforms' 8 lanes (no attribute).
// AUTO-LABEL: func.func @auto_f4_32_tiles
// AUTO: mnn.conv2d {{.*}}filter_layout = "winograd4"
// AUTO-NOT: mnn.winograd_output_lanes
// AUTO-SAME: tensor<36x2x16x16xf32>
// AVX512-LABEL: func.func @auto_f4_32_tiles
// AVX512: mnn.conv2d {{.*}}filter_layout = "winograd4", group = 1 : i64, mnn.winograd_output_lanes = 16 : i64{{.*}}tensor<36x1x16x32xf32>
func.func @auto_f4_32_tiles(%x: tensor<1x16x32x16xf32>) -> tensor<1x32x32x16xf32> {
  %w = mnn.constant dense<1.0> : tensor<32x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x32x16xf32>, tensor<32x16x3x3xf32>) -> tensor<1x32x32x16xf32>
  return %y : tensor<1x32x32x16xf32>
}

// -----

// auto: 28x16 makes 7 x 4 = 28 tiles of 4x4. With 8-lane blocks (AVX2)
// F(4,3) from 16 tiles; with 512-bit vectors 28 are too few: F(2,3).
// AUTO-LABEL: func.func @auto_28_tiles
// AUTO: mnn.conv2d {{.*}}filter_layout = "winograd4"{{.*}}tensor<36x1x16x16xf32>
// AVX512-LABEL: func.func @auto_28_tiles
// AVX512: mnn.conv2d {{.*}}filter_layout = "winograd2"{{.*}}tensor<16x1x16x16xf32>
func.func @auto_28_tiles(%x: tensor<1x16x28x16xf32>) -> tensor<1x16x28x16xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x28x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x28x16xf32>
  return %y : tensor<1x16x28x16xf32>
}

// -----

// auto: 7x7 makes 4 tiles of 4x4 and 16 of 2x2: F(2,3). 16 tiles fill the
// 16 lanes of the GEMM's register tile, so the tiles are the lanes and U is
// stored in panels of 6 output channels (the tile's rows), the last one
// padded with 4 zero channels: [16, 6, 32, 6], "winograd2t" (the conv still
// has 32 channels). With 512-bit vectors (32 lanes) they do not fill them: lane
// panels of 32 channels. (32 tiles with 32 lanes, above, keep lane panels
// too: more than 16 tiles reuse each panel across row tiles.)
// AUTO-LABEL: func.func @auto_f2_7x7
// AUTO: mnn.conv2d {{.*}}filter_layout = "winograd2t"{{.*}}(tensor<1x32x7x7xf32>, tensor<16x6x32x6xf32>) -> tensor<1x32x7x7xf32>
// AVX512-LABEL: func.func @auto_f2_7x7
// AVX512: mnn.conv2d {{.*}}filter_layout = "winograd2"{{.*}}tensor<16x1x32x32xf32>
func.func @auto_f2_7x7(%x: tensor<1x32x7x7xf32>) -> tensor<1x32x7x7xf32> {
  %w = mnn.constant dense<1.0> : tensor<32x32x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x32x7x7xf32>, tensor<32x32x3x3xf32>) -> tensor<1x32x7x7xf32>
  return %y : tensor<1x32x7x7xf32>
}

// -----

// One filter, two convs: on 7x7 (16 tiles, tiles as lanes) and on 9x9 (25
// tiles, lane panels). Each gets its own packed constant.
// AUTO-LABEL: func.func @shared_filter_two_layouts
// AUTO-DAG: %[[T:.*]] = mnn.constant {{.*}} : tensor<16x3x16x6xf32>
// AUTO-DAG: %[[L:.*]] = mnn.constant {{.*}} : tensor<16x1x16x16xf32>
// AUTO-DAG: mnn.conv2d %arg0, %[[T]] {{.*}}filter_layout = "winograd2t"
// AUTO-DAG: mnn.conv2d %arg1, %[[L]] {{.*}}filter_layout = "winograd2"
func.func @shared_filter_two_layouts(%x: tensor<1x16x7x7xf32>, %z: tensor<1x16x9x9xf32>) -> (tensor<1x16x7x7xf32>, tensor<1x16x9x9xf32>) {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x7x7xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x7x7xf32>
  %v = mnn.conv2d %z, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x9x9xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x9x9xf32>
  return %y, %v : tensor<1x16x7x7xf32>, tensor<1x16x9x9xf32>
}

// -----

// auto: 6x6 makes 9 tiles of 2x2: direct.
// AUTO-LABEL: func.func @auto_direct_6x6
// AUTO: mnn.conv2d {{.*}}filter_layout = "bhwigo"
func.func @auto_direct_6x6(%x: tensor<1x16x6x6xf32>) -> tensor<1x16x6x6xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x6x6xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x6x6xf32>
  return %y : tensor<1x16x6x6xf32>
}

// -----

// Not eligible even when forced: stride 2.
// F4-LABEL: func.func @stride2
// F4-NOT: winograd
// F4: return
func.func @stride2(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x8x8xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 2, 2>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %y : tensor<1x16x8x8xf32>
}

// -----

// Not eligible even when forced: dilation 2.
// F4-LABEL: func.func @dilation2
// F4-NOT: winograd
// F4: return
func.func @dilation2(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 2, 2, 2, 2>, dilations = array<i64: 2, 2>, group = 1 : i64} : (tensor<1x16x16x16xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %y : tensor<1x16x16x16xf32>
}

// -----

// Not eligible even when forced: 2 groups.
// F4-LABEL: func.func @group2
// F4-NOT: winograd
// F4: return
func.func @group2(%x: tensor<1x16x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x8x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 2 : i64} : (tensor<1x16x16x16xf32>, tensor<16x8x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %y : tensor<1x16x16x16xf32>
}

// -----

// Not eligible even when forced: 12 input channels (not a multiple of 8).
// F4-LABEL: func.func @cin12
// F4-NOT: winograd
// F4: return
func.func @cin12(%x: tensor<1x12x16x16xf32>) -> tensor<1x16x16x16xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x12x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x12x16x16xf32>, tensor<16x12x3x3xf32>) -> tensor<1x16x16x16xf32>
  return %y : tensor<1x16x16x16xf32>
}

// -----

// Two convs sharing a filter share its transform.
// F4-LABEL: func.func @shared
// F4: %[[U:.*]] = mnn.constant {{.*}}tensor<36x1x16x16xf32>
// F4-NOT: mnn.constant
// F4: mnn.conv2d %arg0, %[[U]] {{.*}}"winograd4"
// F4: mnn.conv2d %arg1, %[[U]] {{.*}}"winograd4"
func.func @shared(%x: tensor<1x16x8x8xf32>, %z: tensor<1x16x8x8xf32>) -> (tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>) {
  %w = mnn.constant dense<0.5> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  %v = mnn.conv2d %z, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x8x8xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x8x8xf32>
  return %y, %v : tensor<1x16x8x8xf32>, tensor<1x16x8x8xf32>
}

// -----

// The padded panel's values: all-ones 16 -> 16 on 7x7 (tiles as lanes),
// three panels of 6 channels. Point e = 0 (u_0 u_0 = 1): two panels of 16
// input channels x 6 ones, the third 16 x (4 ones, 2 zeros); point 1
// (u_0 u_1 = 1.5) follows.
// AUTO-LABEL: func.func @padded_row_panel
// AUTO: %[[U:.*]] = mnn.constant dense_resource<[[BLOB:.*]]> : tensor<16x3x16x6xf32>
// AUTO: mnn.conv2d %arg0, %[[U]] {{.*}}filter_layout = "winograd2t"
// AUTO-SAME: -> tensor<1x16x7x7xf32>
// AUTO: [[BLOB]]: "0x40000000{{(0000803F){192}((0000803F){4}(00000000){2}){16}(0000C03F){192}((0000C03F){4}(00000000){2}){16}0000003F}}
func.func @padded_row_panel(%x: tensor<1x16x7x7xf32>) -> tensor<1x16x7x7xf32> {
  %w = mnn.constant dense<1.0> : tensor<16x16x3x3xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x7x7xf32>, tensor<16x16x3x3xf32>) -> tensor<1x16x7x7xf32>
  return %y : tensor<1x16x7x7xf32>
}
