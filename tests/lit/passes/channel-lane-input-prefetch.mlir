// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 l2-bytes=524288" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 l2-bytes=4194304" | FileCheck %s --check-prefix=BIGL2
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 l2-bytes=524288" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// 1x1 convs read from their NCHW planes with the wide channel-lane tile
// (16 channels x 6 pixels of one plane per step). 128 -> 16 on 55x55: the
// input (1.55 MB) is larger than half the L2 and the reduction (128) short
// enough that a line per channel and one ahead fit half the L1, so each
// step prefetches its plane a line (16 floats) past the tile's first pixel
// (the tiles two or three on read it). The 1-pixel last column is a conv
// of its own, without. 256 -> 32 on 27x27 (746 KB): the reduction is too
// long, no prefetch.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic
// CHECK-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32, strided<[48400, 48400, 48400, 3025, 3025, 1], offset: ?>>)
// CHECK-SAME: mnn.input_prefetch_distance = 16 : i64
// CHECK: linalg.generic
// CHECK-NOT: mnn.input_prefetch_distance
// CHECK-SAME: mnn.whole_rows
// CHECK: linalg.generic
// CHECK-SAME: outs({{.*}} : memref<1x1x1x16x1x6xf32, strided<[23328, 23328, 11664, 729, 729, 1], offset: ?>>)
// CHECK-NOT: mnn.input_prefetch_distance
// CHECK: return

// An L2 that holds the input: no prefetch.
// BIGL2-LABEL: func.func @__mnn_main
// BIGL2-NOT: mnn.input_prefetch_distance

// The 128-step loop: one prefetch per step, then the 6 pixels' FMAs; the
// 256-step loop has none.
// VEC-LABEL: func.func @__mnn_main
// VEC: scf.for %{{.*}} = %c0 to %c128 step %c1 iter_args
// VEC: memref.prefetch %{{.*}}[%c0], read, locality<3>, data
// VEC-COUNT-6: vector.fma {{.*}} : vector<16xf32>
// VEC: scf.for %{{.*}} = %c0 to %c256 step %c1 iter_args
// VEC-NOT: memref.prefetch
// VEC: scf.yield
func.func @main(%x: tensor<1x128x55x55xf32> {mnn.name = "x"}, %x2: tensor<1x256x27x27xf32> {mnn.name = "x2"}) -> (tensor<1x16x55x55xf32> {mnn.name = "y"}, tensor<1x32x27x27xf32> {mnn.name = "z"}) {
  %w = mnn.constant dense<0.5> : tensor<16x128x1x1xf32>
  %y = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x128x55x55xf32>, tensor<16x128x1x1xf32>) -> tensor<1x16x55x55xf32>
  %w2 = mnn.constant dense<0.5> : tensor<32x256x1x1xf32>
  %z = mnn.conv2d %x2, %w2 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x27x27xf32>, tensor<32x256x1x1xf32>) -> tensor<1x32x27x27xf32>
  return %y, %z : tensor<1x16x55x55xf32>, tensor<1x32x27x27xf32>
}
