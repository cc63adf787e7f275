// RUN: mnn-opt %s --mnn-widen-f16 | FileCheck %s

// An f16 matmul and softmax compute in f32 between casts; the elementwise
// add keeps f16 (it extends in its body), and so do f32 ops.
// CHECK-LABEL: func.func @main
// CHECK:      %[[A:.*]] = mnn.cast %arg0 : (tensor<2x3xf16>) -> tensor<2x3xf32>
// CHECK-NEXT: %[[B:.*]] = mnn.cast %arg1 : (tensor<3x4xf16>) -> tensor<3x4xf32>
// CHECK-NEXT: %[[M:.*]] = mnn.matmul %[[A]], %[[B]] {{.*}} -> tensor<2x4xf32>
// CHECK-NEXT: %[[MH:.*]] = mnn.cast %[[M]] : (tensor<2x4xf32>) -> tensor<2x4xf16>
// CHECK-NEXT: %[[S:.*]] = mnn.add %[[MH]], %[[MH]] : (tensor<2x4xf16>, tensor<2x4xf16>) -> tensor<2x4xf16>
// CHECK-NEXT: %[[SW:.*]] = mnn.cast %[[S]] : (tensor<2x4xf16>) -> tensor<2x4xf32>
// CHECK-NEXT: %[[SM:.*]] = mnn.softmax %[[SW]] {{.*}} -> tensor<2x4xf32>
// CHECK-NEXT: %[[SH:.*]] = mnn.cast %[[SM]] : (tensor<2x4xf32>) -> tensor<2x4xf16>
// CHECK-NEXT: mnn.softmax %arg2 {{.*}} -> tensor<4xf32>
// CHECK-NEXT: return %[[SH]]
func.func @main(%a: tensor<2x3xf16>, %b: tensor<3x4xf16>, %c: tensor<4xf32>) -> (tensor<2x4xf16>, tensor<4xf32>) {
  %m = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf16>, tensor<3x4xf16>) -> tensor<2x4xf16>
  %s = mnn.add %m, %m : (tensor<2x4xf16>, tensor<2x4xf16>) -> tensor<2x4xf16>
  %y = mnn.softmax %s {axis = 1 : i64} : (tensor<2x4xf16>) -> tensor<2x4xf16>
  %z = mnn.softmax %c {axis = 0 : i64} : (tensor<4xf32>) -> tensor<4xf32>
  return %y, %z : tensor<2x4xf16>, tensor<4xf32>
}
