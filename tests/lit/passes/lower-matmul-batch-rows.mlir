// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// f32 matmul with a 2-D rhs shared by all batches: the batches' rows are
// the rows of one product, [16, 1, 64] x [64, 48] as [16, 64] x [64, 48]
// (a register tile then spans rows of several batches instead of each
// batch being a one-row product).
// CHECK-DAG: #[[A:.*]] = affine_map<(d0, d1, d2) -> (d0, d2)>
// CHECK-DAG: #[[B:.*]] = affine_map<(d0, d1, d2) -> (d2, d1)>
// CHECK-DAG: #[[C:.*]] = affine_map<(d0, d1, d2) -> (d0, d1)>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[C]]], iterator_types = ["parallel", "parallel", "reduction"]}
// CHECK-SAME: ins({{.*}} : memref<16x64xf32>, memref<64x48xf32>)
// CHECK-SAME: mnn.kernel = "matmul"
func.func @main(%a: tensor<16x1x64xf32>) -> tensor<16x1x48xf32> {
  %w = mnn.constant dense<0.5> : tensor<64x48xf32>
  %y = mnn.matmul %a, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<16x1x64xf32>, tensor<64x48xf32>) -> tensor<16x1x48xf32>
  return %y : tensor<16x1x48xf32>
}

// -----

// A batched rhs keeps the batch dim.
// CHECK-LABEL: func.func @__mnn_main
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel", "reduction"]
// CHECK-SAME: ins({{.*}} : memref<4x16x8xf32>, memref<4x8x16xf32>)
func.func @main(%a: tensor<4x16x8xf32>, %b: tensor<4x8x16xf32>) -> tensor<4x16x16xf32> {
  %y = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<4x16x8xf32>, tensor<4x8x16xf32>) -> tensor<4x16x16xf32>
  return %y : tensor<4x16x16xf32>
}
