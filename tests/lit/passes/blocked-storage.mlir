// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory | FileCheck %s --check-prefix=PLAN
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=AVX2

// A packed-input 1x1 conv whose tiles are whole rows by two vectors of
// channels (7 pixels x 32 on 7x7 with 16-lane blocks), read only by a
// channel-blocked depthwise conv: the depthwise conv takes blocks of 32
// channels, and the 1x1 conv stores each pixel's 32 channels as one vector
// into the depthwise conv's padded blocks [1, 2, 9, 9, 32] (at row and
// column 1), where the depthwise conv only zeroes the border: no scratch,
// no copy.
// PLAN-LABEL: func.func @main
// PLAN: mnn.conv2d {{.*}}mnn.offset = array<i64: 0>{{.*}}mnn.packed_input_rows = 7
// PLAN: mnn.conv2d {{.*}}mnn.blocked_input_lanes = 32 : i64
// PLAN-NOT: mnn.scratch_offset
// PLAN-SAME: -> tensor<1x64x7x7xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: memref.view %{{.*}}[%c0][] : memref<{{[0-9]+}}xi8> to memref<1x2x9x9x32xf32>
// CHECK: memref.reinterpret_cast {{.*}} to offset: [320], sizes: [1, 1, 2, 7, 7, 32], strides: [5184, 5184, 2592, 288, 32, 1]
// CHECK: linalg.generic {{.*}}mnn.whole_rows
// CHECK: scf.parallel
// CHECK-NOT: vector.transfer_read
// CHECK: memref.reinterpret_cast {{.*}} sizes: [1, 2, 1, 3, 3, 7, 7, 32], strides: [5184, 2592, 0, 288, 32, 288, 32, 1]
// CHECK: linalg.generic {{.*}}mnn.blocked_input
// With 8-lane blocks the 1x1 conv's tiles are 6 pixels: it writes NCHW and
// the depthwise conv copies it into its blocks of 8.
// AVX2-LABEL: func.func @__mnn_main
// AVX2-NOT: x32xf32>
// AVX2: vector.transfer_read
// AVX2: mnn.blocked_input
func.func @main(%x: tensor<1x64x7x7xf32> {mnn.name = "x"}) -> (tensor<1x64x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.25> : tensor<64x64x1x1xf32>
  %wd = mnn.constant dense<0.5> : tensor<64x1x3x3xf32>
  %e = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<64x64x1x1xf32>) -> tensor<1x64x7x7xf32>
  %y = mnn.conv2d %e, %wd {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 64 : i64} : (tensor<1x64x7x7xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x7x7xf32>
  return %y : tensor<1x64x7x7xf32>
}
