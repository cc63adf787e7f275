// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8" --mnn-vectorize="even-odd-lane-block=8" --canonicalize --cse | FileCheck %s

// A 3x3 stride-2 depthwise conv with a fused residual and ReLU, on AVX2:
// its tile keeps vshufps's lane order (vectorize-even-odd-order.mlir), so
// each residual row is permuted once as it is read (it starts the
// accumulator) and each result row once before its store, after the ReLU.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       %[[R:.*]] = vector.transfer_read %{{.*}} : memref<1x4x1x1x1x16xf32, {{.*}}>, vector<16xf32>
// CHECK-NEXT:  %[[RP:.*]] = vector.shuffle %[[R]], %[[R]] [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]
// CHECK:       scf.for {{.*}} iter_args(%[[ACC:.*]] = %[[RP]],
// CHECK:       vector.shuffle {{.*}} [0, 2, 8, 10, 4, 6, 12, 14, 16, 18, 24, 26, 20, 22, 28, 30] : vector<32xf32>
// CHECK:       %[[RELU:.*]] = arith.maximumf
// CHECK:       %[[OUT:.*]] = vector.shuffle %[[RELU]], %[[RELU]] [0, 1, 4, 5, 2, 3, 6, 7, 8, 9, 12, 13, 10, 11, 14, 15]
// CHECK-NEXT:  vector.transfer_write %[[OUT]]
func.func @dw_residual(%x: tensor<1x8x34x34xf32>, %r: tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32> {
  %w = mnn.constant dense<0.5> : tensor<8x1x3x3xf32>
  %y = mnn.conv2d %x, %w, %r {operandSegmentSizes = array<i32: 1, 1, 0, 1>, strides = array<i64: 2, 2>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 8 : i64, activation = "relu"} : (tensor<1x8x34x34xf32>, tensor<8x1x3x3xf32>, tensor<1x8x16x16xf32>) -> tensor<1x8x16x16xf32>
  return %y : tensor<1x8x16x16xf32>
}
