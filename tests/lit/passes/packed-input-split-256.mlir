// RUN: mnn-opt %s --mnn-pack-weights="block=8" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" --canonicalize | FileCheck %s --check-prefix=TILE

// With 8-lane vectors (AVX2) a packed-input conv whose Cout two vectors do
// not divide would take one vector x 12 pixels (a broadcast per FMA). Where
// the rest is a few channels of many (1000 = 62 x 16 + 8) it is split: 992
// channels in 16-channel blocks x 6 pixels, 8 in one vector x 12 pixels,
// concatenated. 120 = 7 x 16 + 8 is not split: the second conv's own copy
// of the input panels would cost more than its tile gains.
// PACK-LABEL: func.func @main
// PACK: mnn.conv2d %arg0
// PACK-SAME: mnn.packed_input_rows = 6 : i64
// PACK-SAME: tensor<62x1x1x512x1x16xf32>, tensor<992xf32>) -> tensor<1x992x13x13xf32>
// PACK: mnn.conv2d %arg0
// PACK-SAME: mnn.packed_input_rows = 12 : i64
// PACK-SAME: tensor<1x1x1x512x1x8xf32>, tensor<8xf32>) -> tensor<1x8x13x13xf32>
// PACK: mnn.concat
// PACK: mnn.conv2d %arg0
// PACK-SAME: mnn.packed_input_rows = 12 : i64
// PACK-SAME: tensor<15x1x1x512x1x8xf32>) -> tensor<1x120x13x13xf32>
// PACK-NOT: mnn.concat
// PACK: return

// A 1x1 conv over pixel panels runs its whole reduction (512 channels) in
// each register tile, one panel per parallel tile: no reduction blocks
// (their transposed store and reload of the accumulators cost more than
// the weights' reuse from L1 gained).
// TILE-LABEL: func.func @__mnn_main
// TILE: scf.parallel (%{{.*}}, %{{.*}}) = (%c0, %c0) to (%c62, %c28) step (%c1, %c1) {
// TILE-NOT: scf.for
// TILE: linalg.generic
// TILE-SAME: ins(%{{.*}}, %{{.*}}, %{{.*}} : memref<1x1x512x1x1x1x6xf32, {{.*}}>, memref<1x1x1x512x1x16xf32, {{.*}}>, memref<1x1x16xf32, {{.*}}>)
// TILE-SAME: mnn.lanes = 16 : i64
func.func @main(%x: tensor<1x512x13x13xf32> {mnn.name = "x"}) -> (tensor<1x1000x13x13xf32> {mnn.name = "y"}, tensor<1x120x13x13xf32> {mnn.name = "z"}) {
  %w = mnn.constant dense<0.5> : tensor<1000x512x1x1xf32>
  %b = mnn.constant dense<0.25> : tensor<1000xf32>
  %y = mnn.conv2d %x, %w, %b {activation = "relu", dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x13x13xf32>, tensor<1000x512x1x1xf32>, tensor<1000xf32>) -> tensor<1x1000x13x13xf32>
  %w2 = mnn.constant dense<0.5> : tensor<120x512x1x1xf32>
  %z = mnn.conv2d %x, %w2 {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x512x13x13xf32>, tensor<120x512x1x1xf32>) -> tensor<1x120x13x13xf32>
  return %y, %z : tensor<1x1000x13x13xf32>, tensor<1x120x13x13xf32>
}
