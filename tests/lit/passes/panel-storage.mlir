// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory | FileCheck %s --check-prefix=PLAN
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s --check-prefix=AVX2

// A channel-blocked depthwise conv whose only reader is a packed-input 1x1
// conv with panels of whole output rows (7 pixels on 7x7 with 16-lane
// weight blocks) stores its output as [N, H, C, W]: it writes through a
// transposed (NCHW) view, and the 1x1 conv reads its panels from that
// buffer, with no scratch and no packing copy.
// PLAN-LABEL: func.func @main
// PLAN: mnn.conv2d {{.*}}mnn.blocked_input_lanes = 16 : i64, mnn.offset = array<i64: [[OFF:[0-9]+]]>
// PLAN: mnn.conv2d
// PLAN-SAME: mnn.packed_input_rows = 7
// PLAN-NOT: mnn.scratch_offset
// PLAN-SAME: -> tensor<1x32x7x7xf32>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[FULL:.*]] = memref.view %{{.*}} : memref<{{[0-9]+}}xi8> to memref<1x7x64x7xf32>
// CHECK: %[[T:.*]] = memref.transpose %[[FULL]] (d0, d1, d2, d3) -> (d0, d2, d1, d3) : memref<1x7x64x7xf32> to memref<1x64x7x7xf32, strided<[3136, 7, 448, 1]>>
// CHECK: %[[OUT:.*]] = memref.expand_shape %[[T]] {{.*}} into memref<1x4x1x16x7x7xf32, strided<[3136, 112, 112, 7, 448, 1]>>
// CHECK: linalg.generic {{.*}} outs(%[[OUT]] : {{.*}}) attrs = {{.*}}mnn.blocked_input
// CHECK-NOT: scf.parallel
// CHECK: memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 1, 64, 1, 1, 7, 7], strides: [3136, 3136, 7, 448, 448, 448, 1]
// CHECK: linalg.generic {{.*}}mnn.whole_rows
// With 8-lane blocks the panels are 6 pixels: the depthwise conv's output is
// stored plainly and the 1x1 conv copies it into its panels.
// AVX2-LABEL: func.func @__mnn_main
// AVX2-NOT: memref.transpose
// AVX2: mnn.blocked_input
// AVX2: scf.parallel
// AVX2: vector.transfer_write
// AVX2: mnn.whole_rows
func.func @main(%x: tensor<1x64x7x7xf32> {mnn.name = "x"}) -> (tensor<1x32x7x7xf32> {mnn.name = "y"}) {
  %wd = mnn.constant dense<0.5> : tensor<64x1x3x3xf32>
  %w = mnn.constant dense<0.25> : tensor<32x64x1x1xf32>
  %d = mnn.conv2d %x, %wd {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 1, 1, 1, 1>, dilations = array<i64: 1, 1>, group = 64 : i64} : (tensor<1x64x7x7xf32>, tensor<64x1x3x3xf32>) -> tensor<1x64x7x7xf32>
  %y = mnn.conv2d %d, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<32x64x1x1xf32>) -> tensor<1x32x7x7xf32>
  return %y : tensor<1x32x7x7xf32>
}
