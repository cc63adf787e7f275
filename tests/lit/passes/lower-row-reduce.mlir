// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// A float mean over the innermost dims (a global average pool) is vector
// code: per row (n, c) in parallel, four 8-lane accumulators over 32
// elements a step, one leftover 8-lane load, a 4-element remainder, one
// horizontal sum and the scale by 1/len (1/44).
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       scf.parallel (%[[ROW:.*]]) = (%{{.*}}) to (%{{.*}}) step
// CHECK:         %[[BASE:.*]] = arith.muli %[[ROW]], %{{.*}}
// CHECK:         scf.for {{.*}} = %{{.*}} to %{{.*}} step %{{.*}} iter_args(%{{.*}} = %[[ZERO:.*]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]], %{{.*}} = %[[ZERO]]) -> (vector<8xf32>, vector<8xf32>, vector<8xf32>, vector<8xf32>)
// CHECK-COUNT-4:   vector.load {{.*}} : memref<176xf32>, vector<8xf32>
// CHECK:           scf.yield
// CHECK:         vector.load {{.*}} : memref<176xf32>, vector<8xf32>
// CHECK:         vector.reduction <add>, %{{.*}} fastmath<reassoc> : vector<8xf32> into f32
// CHECK:         vector.load {{.*}} : memref<176xf32>, vector<4xf32>
// CHECK:         vector.reduction <add>, %{{.*}} fastmath<reassoc> : vector<4xf32> into f32
// CHECK:         arith.mulf %{{.*}}, %{{.*}} : f32
// CHECK:         memref.store %{{.*}}, %{{.*}}[%[[ROW]]] : memref<4xf32>
// CHECK-NOT:   linalg.generic
func.func @main(%x: tensor<1x4x4x11xf32>) -> tensor<1x4x1x1xf32> {
  %y = mnn.reduce %x {kind = "mean", axes = array<i64: 2, 3>, keepdims = true} : (tensor<1x4x4x11xf32>) -> tensor<1x4x1x1xf32>
  return %y : tensor<1x4x1x1xf32>
}

// -----

// A max over rows of 16: two accumulators, combined with the NaN-propagating
// maximumf like the linalg form; no scale.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       scf.parallel
// CHECK:         scf.for {{.*}} -> (vector<8xf32>, vector<8xf32>)
// CHECK:           arith.maximumf {{.*}} : vector<8xf32>
// CHECK:           arith.maximumf {{.*}} : vector<8xf32>
// CHECK:         arith.maximumf {{.*}} : vector<8xf32>
// CHECK:         vector.reduction <maximumf>
// CHECK-NOT:     arith.mulf
// CHECK:         memref.store
func.func @main(%x: tensor<3x16xf32>) -> tensor<3xf32> {
  %y = mnn.reduce %x {kind = "max", axes = array<i64: 1>, keepdims = false} : (tensor<3x16xf32>) -> tensor<3xf32>
  return %y : tensor<3xf32>
}

// -----

// Not over the innermost dims, or too short a row: the linalg form.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-NOT:   vector.reduction
// CHECK:       linalg.generic
// CHECK-NOT:   vector.reduction
// CHECK:       linalg.generic
// CHECK-NOT:   vector.reduction
func.func @main(%x: tensor<16x3xf32>, %z: tensor<3x4xf32>) -> (tensor<3xf32>, tensor<3xf32>) {
  %y = mnn.reduce %x {kind = "sum", axes = array<i64: 0>, keepdims = false} : (tensor<16x3xf32>) -> tensor<3xf32>
  %w = mnn.reduce %z {kind = "sum", axes = array<i64: 1>, keepdims = false} : (tensor<3x4xf32>) -> tensor<3xf32>
  return %y, %w : tensor<3xf32>, tensor<3xf32>
}
