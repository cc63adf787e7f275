// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=AVX2

// SqueezeNet's fire7 squeeze conv, 256 -> 32 on 27x27, reads its NCHW input
// directly (no pixel panels, packed-input-large-map.mlir): a channel-lane
// tile over the flattened map (729 pixels, rows of 9). Its parallel tiles
// split the pixels too, 243 at a time, outside the channel blocks: two
// threads then each read a third or two of the input instead of all of it
// for half the channels (1.57x the time of the packed conv at 2 threads
// in the model, 0.96x with the pixels split).
// Parallel dims: n g ob (ow: 729 by 243) (oi blocks) (oi in the block).
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel ({{.*}}) = ({{.*}}) to (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c729, %c2, %c16{{.*}}) step (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c243{{.*}}, %c1{{.*}}, %c16{{.*}})
// CHECK: scf.for %{{.*}} = %c0{{.*}} to %c243{{.*}} step %c9
// CHECK: linalg.generic
// CHECK-SAME: mnn.channel_lanes = 16 : i64
// With 8-lane blocks the tile is two of them (16 channels) by 6 pixels
// (mnn::wideChannelLaneBlock): 726 pixels in parallel tiles of 66, the
// last 3 columns a conv of their own (whole rows).
// AVX2-LABEL: func.func @__mnn_main
// AVX2: scf.parallel ({{.*}}) = ({{.*}}) to (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c726, %c2, %c16{{.*}}) step (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c66{{.*}}, %c1{{.*}}, %c16{{.*}})
// AVX2: scf.for %{{.*}} = %c0{{.*}} to %c66{{.*}} step %c6
// AVX2: mnn.channel_lanes = 16 : i64
// AVX2: scf.parallel ({{.*}}) = ({{.*}}) to (%c1{{.*}}, %c1{{.*}}, %c1{{.*}}, %c2{{.*}}, %c16{{.*}}) step
// AVX2: mnn.channel_lanes = 16 : i64
// AVX2-SAME: mnn.whole_rows
func.func @main(%x: tensor<1x256x27x27xf32> {mnn.name = "x"}) -> (tensor<1x32x27x27xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x256x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x256x27x27xf32>, tensor<32x256x1x1xf32>) -> tensor<1x32x27x27xf32>
  return %y : tensor<1x32x27x27xf32>
}
