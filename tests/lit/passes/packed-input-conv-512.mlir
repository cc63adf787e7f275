// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=LOWER

// With 512-bit vectors (32 registers) a packed-input conv takes 7 to 14
// pixels per panel, the count whose last (overlapping) panel recomputes the
// fewest pixels: 7 on a 7x7 map (6 panels of 12 would compute 60 of 49),
// by two vectors of channels (32) where they divide Cout.
// CHECK-LABEL: func.func @seven
// CHECK: mnn.conv2d
// CHECK-SAME: filter_layout = "bhwigo"
// CHECK-SAME: mnn.packed_input_rows = 7 : i64
// CHECK-SAME: tensor<2x1x1x256x1x32xf32>
func.func @seven(%x: tensor<1x256x7x7xf32>) -> tensor<1x64x7x7xf32> {
  %w = mnn.constant dense<0.5> : tensor<64x256x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x7x7xf32>, tensor<64x256x1x1xf32>) -> tensor<1x64x7x7xf32>
  return %y : tensor<1x64x7x7xf32>
}

// -----

// 13x13 = 169 pixels: 13 panels of 13. One vector (16 channels) where two
// do not divide Cout (48).
// CHECK-LABEL: func.func @thirteen
// CHECK: mnn.conv2d
// CHECK-SAME: mnn.packed_input_rows = 13 : i64
// CHECK-SAME: tensor<3x1x1x512x1x16xf32>
func.func @thirteen(%x: tensor<1x512x13x13xf32>) -> tensor<1x48x13x13xf32> {
  %w = mnn.constant dense<0.5> : tensor<48x512x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x13x13xf32>, tensor<48x512x1x1xf32>) -> tensor<1x48x13x13xf32>
  return %y : tensor<1x48x13x13xf32>
}

// -----

// A Cout of at most 64 that a vector does not divide, on a map of at least
// two vectors' pixels, stored as whole planes: no panels (the pixel-lane
// conv over the flattened map, Tile.cpp), no split. 512 -> 24 on 20x20
// took 0.41-0.51x the time of half-vector panels, 240 -> 40 on 14x14
// 0.55-0.73x that of the 32 + 8 split (single convs, one thread).
// CHECK-LABEL: func.func @direct
// CHECK: mnn.conv2d %arg0
// CHECK-SAME: filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes
// CHECK-SAME: tensor<1x1x512x1x24xf32>
// CHECK-NOT: mnn.concat
// CHECK: mnn.conv2d %arg1
// CHECK-SAME: filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes
// CHECK-SAME: tensor<1x1x240x1x40xf32>, tensor<40xf32>, tensor<1x40x14x14xf32>)
// CHECK-NOT: mnn.concat
// CHECK: return
func.func @direct(%x: tensor<1x512x20x20xf32>, %x2: tensor<1x240x14x14xf32>, %r: tensor<1x40x14x14xf32>) -> (tensor<1x24x20x20xf32>, tensor<1x40x14x14xf32>) {
  %w = mnn.constant dense<0.5> : tensor<24x512x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x20x20xf32>, tensor<24x512x1x1xf32>) -> tensor<1x24x20x20xf32>
  %w2 = mnn.constant dense<0.5> : tensor<40x240x1x1xf32>
  %b2 = mnn.constant dense<0.25> : tensor<40xf32>
  %y2 = mnn.conv2d %x2, %w2, %b2, %r {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x240x14x14xf32>, tensor<40x240x1x1xf32>, tensor<40xf32>, tensor<1x40x14x14xf32>) -> tensor<1x40x14x14xf32>
  return %y, %y2 : tensor<1x24x20x20xf32>, tensor<1x40x14x14xf32>
}

// -----

// Half a vector (8 channels) where one does not divide Cout and Cout is
// too small to split (below), where the output is not stored as whole
// planes (a padded pool reads it: its 20-pixel rows would be too short
// for pixel lanes). 20x20 = 400 pixels: 10 divides them (8 does too; the
// larger wins the tie).
// CHECK-LABEL: func.func @half
// CHECK: mnn.conv2d
// CHECK-SAME: mnn.packed_input_rows = 10 : i64
// CHECK-SAME: tensor<3x1x1x512x1x8xf32>
// CHECK-NOT: mnn.concat
func.func @half(%x: tensor<1x512x20x20xf32>) -> tensor<1x24x20x20xf32> {
  %w = mnn.constant dense<0.5> : tensor<24x512x1x1xf32>
  %c = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x20x20xf32>, tensor<24x512x1x1xf32>) -> tensor<1x24x20x20xf32>
  %y = mnn.pool2d %c {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x24x20x20xf32>) -> tensor<1x24x20x20xf32>
  return %y : tensor<1x24x20x20xf32>
}

// -----

// A map of fewer than 7 pixels keeps the direct conv.
// CHECK-LABEL: func.func @tiny
// CHECK: mnn.conv2d
// CHECK-SAME: group = 1 : i64, operandSegmentSizes
// CHECK-SAME: tensor<2x1x1x512x1x16xf32>
func.func @tiny(%x: tensor<1x512x2x3xf32>) -> tensor<1x32x2x3xf32> {
  %w = mnn.constant dense<0.5> : tensor<32x512x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x2x3xf32>, tensor<32x512x1x1xf32>) -> tensor<1x32x2x3xf32>
  return %y : tensor<1x32x2x3xf32>
}

// -----

// Cout = 200 (12 x 16 + 8): rather than half-vector tiles for all 200
// channels, a conv over 192 (two-vector tiles) and one over the last 8,
// each with its rows of the filter and bias and the fused ReLU, then a
// concat along the channels (which they write in place). The 8-channel
// part writes its contiguous slice of the concat as whole planes: it takes
// pixel lanes (unblocked weights, no panels; above), not a second copy of
// the input in panels.
// CHECK-LABEL: func.func @remainder
// CHECK: %[[A:.*]] = mnn.conv2d
// CHECK-SAME: activation = "relu"
// CHECK-SAME: mnn.packed_input_rows = 13 : i64
// CHECK-SAME: (tensor<1x256x13x13xf32>, tensor<6x1x1x256x1x32xf32>, tensor<192xf32>) -> tensor<1x192x13x13xf32>
// CHECK: %[[B:.*]] = mnn.conv2d
// CHECK-SAME: activation = "relu"
// CHECK-SAME: filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes
// CHECK-SAME: (tensor<1x256x13x13xf32>, tensor<1x1x256x1x8xf32>, tensor<8xf32>) -> tensor<1x8x13x13xf32>
// CHECK: %[[C:.*]] = mnn.concat %[[A]], %[[B]] {axis = 1 : i64}
// CHECK: mnn.reduce %[[C]]
func.func @remainder(%x: tensor<1x256x13x13xf32>) -> tensor<1x200x1x1xf32> {
  %w = mnn.constant dense<0.5> : tensor<200x256x1x1xf32>
  %b = mnn.constant dense<0.25> : tensor<200xf32>
  %y = mnn.conv2d %x, %w, %b {activation = "relu", dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x13x13xf32>, tensor<200x256x1x1xf32>, tensor<200xf32>) -> tensor<1x200x13x13xf32>
  %r = mnn.reduce %y {axes = array<i64: 2, 3>, keepdims = true, kind = "mean"} : (tensor<1x200x13x13xf32>) -> tensor<1x200x1x1xf32>
  return %r : tensor<1x200x1x1xf32>
}

// -----

// A residual with no activation after it: both parts without it, and one
// add of the residual after the concat.
// CHECK-LABEL: func.func @remainder_residual
// CHECK: %[[A:.*]] = mnn.conv2d
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK-SAME: tensor<6x1x1x256x1x32xf32>
// CHECK: %[[B:.*]] = mnn.conv2d
// CHECK-SAME: operandSegmentSizes = array<i32: 1, 1, 0, 0>
// CHECK-SAME: tensor<1x1x256x1x8xf32>
// CHECK: %[[C:.*]] = mnn.concat %[[A]], %[[B]] {axis = 1 : i64}
// CHECK: %[[Y:.*]] = mnn.add %[[C]], %arg1
// CHECK: return %[[Y]]
func.func @remainder_residual(%x: tensor<1x256x13x13xf32>, %r: tensor<1x200x13x13xf32>) -> tensor<1x200x13x13xf32> {
  %w = mnn.constant dense<0.5> : tensor<200x256x1x1xf32>
  %y = mnn.conv2d %x, %w, %r {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x13x13xf32>, tensor<200x256x1x1xf32>, tensor<1x200x13x13xf32>) -> tensor<1x200x13x13xf32>
  return %y : tensor<1x200x13x13xf32>
}

// -----

// A residual followed by an activation keeps the half-vector tiles (the
// activation would have to follow the add).
// CHECK-LABEL: func.func @remainder_residual_relu
// CHECK: mnn.conv2d
// CHECK-SAME: tensor<25x1x1x256x1x8xf32>
// CHECK-NOT: mnn.concat
func.func @remainder_residual_relu(%x: tensor<1x256x13x13xf32>, %r: tensor<1x200x13x13xf32>) -> tensor<1x200x13x13xf32> {
  %w = mnn.constant dense<0.5> : tensor<200x256x1x1xf32>
  %y = mnn.conv2d %x, %w, %r {activation = "relu", dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 1>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x13x13xf32>, tensor<200x256x1x1xf32>, tensor<1x200x13x13xf32>) -> tensor<1x200x13x13xf32>
  return %y : tensor<1x200x13x13xf32>
}

// -----

// A stride-2 3x3 conv over 64 channels (reduction 576) on a 28x28 output:
// 14-pixel panels, two per output row. Each panel's inputs for a tap are
// every other element of one padded input row: one 28-element vector read
// per channel and a pick of its even lanes (the vector's last element,
// one past the last tap, is still inside the 58-wide padded row).
// CHECK-LABEL: func.func @stride2_row_panels
// CHECK: mnn.packed_input_rows = 14 : i64
// LOWER-LABEL: func.func @__mnn_main(%arg0: memref<1x64x56x56xf32>
// LOWER: scf.parallel
// LOWER: scf.for
// LOWER: %[[ROW:.*]] = vector.transfer_read %{{.*}}[%{{.*}}], %{{.*}} {in_bounds = [true]} : memref<{{[0-9]+}}xf32>, vector<28xf32>
// LOWER: %[[PICK:.*]] = vector.shuffle %[[ROW]], %[[ROW]] [0, 2, 4, 6, 8, 10, 12, 14, 16, 18, 20, 22, 24, 26] : vector<28xf32>, vector<28xf32>
// LOWER: vector.store %[[PICK]]
// LOWER-NOT: memref.load
// LOWER: linalg.generic
func.func @stride2_row_panels(%x: tensor<1x64x56x56xf32>) -> tensor<1x128x28x28xf32> {
  %w = mnn.constant dense<0.5> : tensor<128x64x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x56x56xf32>, tensor<128x64x3x3xf32>) -> tensor<1x128x28x28xf32>
  return %y : tensor<1x128x28x28xf32>
}

// -----

// A 12x9 output takes 12-pixel panels, which run across row ends: the
// taps stay scalar loads.
// CHECK-LABEL: func.func @stride2_panels_across_rows
// CHECK: mnn.packed_input_rows = 12 : i64
// LOWER-LABEL: func.func @__mnn_main(%arg0: memref<1x64x24x18xf32>
// LOWER: scf.parallel
// LOWER: scf.for
// LOWER-COUNT-12: memref.load
// LOWER: vector.store
func.func @stride2_panels_across_rows(%x: tensor<1x64x24x18xf32>) -> tensor<1x32x12x9xf32> {
  %w = mnn.constant dense<0.5> : tensor<32x64x3x3xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 2, 2>} : (tensor<1x64x24x18xf32>, tensor<32x64x3x3xf32>) -> tensor<1x32x12x9xf32>
  return %y : tensor<1x32x12x9xf32>
}
