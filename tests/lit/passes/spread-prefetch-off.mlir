// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" | FileCheck %s --check-prefix=SPREAD
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 spread-prefetch=false" | FileCheck %s --check-prefix=TILE
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 spread-prefetch=false" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// mnn-tile's spread-prefetch=false (mnn-compile's choice for targets with
// vectors narrower than 512 bits) drops a packed-input conv's
// mnn.prefetch_spread: its panels no longer split the next channel block's
// prefetches (packed-input-conv.mlir); each step prefetches one line of the
// next block at its own weight row, without the panel index arithmetic.
// SPREAD: linalg.generic
// SPREAD-SAME: mnn.prefetch_distance = 4096 : i64
// SPREAD-SAME: mnn.prefetch_spread = array<i64: 0, 5>
// TILE: linalg.generic
// TILE-SAME: mnn.prefetch_distance = 4096 : i64
// TILE-NOT: mnn.prefetch_spread
// VEC-LABEL: func.func @__mnn_main
// VEC: scf.for %{{.*}} = %c0 to %c256 step %c1 iter_args
// VEC-NOT: arith.divui
// VEC-NOT: arith.remui
// VEC: memref.prefetch %{{.*}}[%c0], read, locality<2>, data
// VEC-NOT: arith.divui
// VEC: vector.fma
func.func @main(%x: tensor<1x256x7x7xf32> {mnn.name = "x"}) -> (tensor<1x32x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x256x1x1xf32>
  %b = mnn.constant dense<0.25> : tensor<32xf32>
  %y = mnn.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, filter_layout = "oihw", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x256x7x7xf32>, tensor<32x256x1x1xf32>, tensor<32xf32>) -> tensor<1x32x7x7xf32>
  return %y : tensor<1x32x7x7xf32>
}
