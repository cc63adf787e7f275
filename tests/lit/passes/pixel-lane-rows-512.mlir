// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=512 channel-lanes=16 l2-bytes=0" | FileCheck %s
// RUN: mnn-opt %s --mnn-pack-weights="block=8" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256 channel-lanes=8 l2-bytes=0" | FileCheck %s --check-prefix=AVX2

// 1x1 convs over 16 input channels on a 28x28 map take pixel lanes (two
// vectors of pixels per row). With 512-bit vectors (32 registers) a Cout
// that 6 does not divide takes 8 output channels as rows (16 accumulators);
// with 256-bit vectors (16 registers) 4. A Cout that 6 divides keeps 6.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}%c96{{.*}}) step ({{.*}}%c6{{.*}})
// CHECK: mnn.kernel = "conv"
// CHECK-SAME: mnn.lanes = 32
// CHECK: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}) step ({{.*}}%c8{{.*}})
// CHECK: mnn.kernel = "conv"
// CHECK-SAME: mnn.lanes = 32
// AVX2-LABEL: func.func @__mnn_main
// AVX2: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}%c96{{.*}}) step ({{.*}}%c6{{.*}})
// AVX2: scf.parallel {{.*}} to ({{.*}}%c784{{.*}}) step ({{.*}}%c4{{.*}})
// AVX2: mnn.kernel = "conv"
// AVX2-SAME: mnn.lanes = 16
func.func @main(%x: tensor<1x16x28x28xf32> {mnn.name = "x"}) -> (tensor<1x96x28x28xf32> {mnn.name = "y"}, tensor<1x64x28x28xf32> {mnn.name = "z"}) {
  %w = mnn.constant dense<0.5> : tensor<96x16x1x1xf32>
  %w2 = mnn.constant dense<0.25> : tensor<64x16x1x1xf32>
  %y = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x28x28xf32>, tensor<96x16x1x1xf32>) -> tensor<1x96x28x28xf32>
  %z = mnn.conv2d %x, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x16x28x28xf32>, tensor<64x16x1x1xf32>) -> tensor<1x64x28x28xf32>
  return %y, %z : tensor<1x96x28x28xf32>, tensor<1x64x28x28xf32>
}
