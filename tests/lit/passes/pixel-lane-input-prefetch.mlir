// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=1572864" | FileCheck %s
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=4194304" | FileCheck %s --check-prefix=BIGL2
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=1572864" --mnn-vectorize --canonicalize | FileCheck %s --check-prefix=VEC

// SqueezeNet's fire4 squeeze: 128 -> 16 on 55x55, pixel lanes over the
// flattened map (two vectors per row). Its 1.55 MB input is larger than half
// the L2 budget (1.5 MB): each reduction step prefetches the lanes 64
// elements on (4 lines) into L1, both lines of the 32 lanes. With an L2
// budget of 4 MB the input stays in cache: no prefetch.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: mnn.input_prefetch_distance = 64 : i64, mnn.kernel = "conv"
// BIGL2-LABEL: func.func @__mnn_main
// BIGL2-NOT: mnn.input_prefetch_distance
// VEC-LABEL: func.func @__mnn_main
// In the K loop of the 32-lane tile, before its vector load: the lines at
// the tile's element (the loop's channel's plane, 3025 floats each) + 64
// and + 80.
// VEC: scf.for %[[K:.*]] = %c0 to %c128 step %c1
// VEC: %[[BASE:.*]], %[[OFF:.*]], %{{.*}}:7, %{{.*}}:7 = memref.extract_strided_metadata
// VEC: %[[A0:.*]] = arith.addi %[[OFF]], %c64
// VEC: %[[PLANE0:.*]] = arith.muli %[[K]], %c3025
// VEC: %[[AT0:.*]] = arith.addi %[[A0]], %[[PLANE0]]
// VEC: %[[P0:.*]] = memref.reinterpret_cast %[[BASE]] to offset: [%[[AT0]]], sizes: [1], strides: [1]
// VEC: memref.prefetch %[[P0]][%c0], read, locality<3>, data
// VEC: arith.addi %{{.*}}, %c80
// VEC: memref.prefetch %{{.*}}[%c0], read, locality<3>, data
// VEC-NEXT: vector.transfer_read {{.*}}[%c0, %c0, %[[K]], %c0, %c0, %c0, %c0]{{.*}} vector<32xf32>
// VEC-COUNT-8: vector.fma
func.func @main(%x: tensor<1x128x55x55xf32> {mnn.name = "x"}) -> (tensor<1x16x55x55xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<16x128x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x128x55x55xf32>, tensor<16x128x1x1xf32>) -> tensor<1x16x55x55xf32>
  return %y : tensor<1x16x55x55xf32>
}

// -----

// 64 input channels (SqueezeNet's fire3 squeeze, 774 KB): under half the L2
// budget, no prefetch.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: mnn.input_prefetch_distance
// CHECK: mnn.kernel = "conv"
func.func @main(%x: tensor<1x64x55x55xf32> {mnn.name = "x"}) -> (tensor<1x16x55x55xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<16x64x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x55x55xf32>, tensor<16x64x1x1xf32>) -> tensor<1x16x55x55xf32>
  return %y : tensor<1x16x55x55xf32>
}

// -----

// mobilenet_v2's 32 -> 16 conv on 112x112: a 1.6 MB input over 32 input
// channels is prefetched too (8 rows: 12 only from 128 channels on).
// CHECK-LABEL: func.func @__mnn_main
// CHECK: outs({{.*}} : memref<1x1x1x8x1x32xf32
// CHECK-SAME: mnn.input_prefetch_distance = 64 : i64, mnn.kernel = "conv"
// BIGL2-LABEL: func.func @__mnn_main
// BIGL2-NOT: mnn.input_prefetch_distance
func.func @main(%x: tensor<1x32x112x112xf32> {mnn.name = "x"}) -> (tensor<1x16x112x112xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<16x32x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x32x112x112xf32>, tensor<16x32x1x1xf32>) -> tensor<1x16x112x112xf32>
  return %y : tensor<1x16x112x112xf32>
}

// -----

// 16 input channels from 1.6 MB (16x160x160): too short a reduction, no
// prefetch.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT: mnn.input_prefetch_distance
// CHECK: mnn.kernel = "conv"
func.func @main(%x: tensor<1x16x160x160xf32> {mnn.name = "x"}) -> (tensor<1x32x160x160xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<32x16x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x160x160xf32>, tensor<32x16x1x1xf32>) -> tensor<1x32x160x160xf32>
  return %y : tensor<1x32x160x160xf32>
}

// -----

// mobilenet_v2's 144 -> 24 conv on 56x56 (a 1.8 MB input, prefetched): 12
// output channels per register tile (24 accumulators with 512-bit vectors),
// so that each input vector is read by two tiles instead of four. With the
// input in cache (4 MB budget): 6.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: outs({{.*}} : memref<1x1x1x12x1x32xf32
// CHECK-SAME: mnn.input_prefetch_distance = 64 : i64, mnn.kernel = "conv"
// BIGL2-LABEL: func.func @__mnn_main
// BIGL2: outs({{.*}} : memref<1x1x1x6x1x32xf32
// BIGL2-NOT: mnn.input_prefetch_distance
func.func @main(%x: tensor<1x144x56x56xf32> {mnn.name = "x"}) -> (tensor<1x24x56x56xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.5> : tensor<24x144x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x144x56x56xf32>, tensor<24x144x1x1xf32>) -> tensor<1x24x56x56xf32>
  return %y : tensor<1x24x56x56xf32>
}
