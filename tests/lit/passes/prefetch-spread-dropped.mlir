// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s --check-prefix=TILE

// A packed-input conv marks its kernel mnn.prefetch_spread = [0, 5]: its
// pixel panels use each channel block's weights one after another and
// split the next block's prefetches (packed-input-conv.mlir). Here 256 -> 8
// on 13x13 (13 panels of one row, 8 KB of weights): mnn-tile puts the
// panels outside the channel blocks (the input outweighs the weights), so
// consecutive tiles read different blocks, and it drops the mark: each
// tile prefetches the next block whole. (A max pool with pads reads the
// conv: stored as whole planes, a Cout of 8 would take pixel lanes.)
// CHECK: linalg.generic
// CHECK-SAME: mnn.prefetch_distance = 2048 : i64
// CHECK-SAME: mnn.prefetch_spread = array<i64: 0, 5>
// TILE: scf.parallel ({{.*}}) = ({{.*}}) to (%c1{{.*}}, %c1{{.*}}, %c13{{.*}}, %c1{{.*}}, %c8{{.*}}) step
// TILE: linalg.generic
// TILE-SAME: mnn.prefetch_distance = 2048 : i64
// TILE-NOT: mnn.prefetch_spread
func.func @main(%x: tensor<1x256x13x13xf32> {mnn.name = "x"}) -> (tensor<1x8x13x13xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<8x256x1x1xf32>
  %c = mnn.conv2d %x, %w {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x13x13xf32>, tensor<8x256x1x1xf32>) -> tensor<1x8x13x13xf32>
  %y = mnn.pool2d %c {count_include_pad = false, counted_pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, kernel = array<i64: 3, 3>, kind = "max", pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x8x13x13xf32>) -> tensor<1x8x13x13xf32>
  return %y : tensor<1x8x13x13xf32>
}
