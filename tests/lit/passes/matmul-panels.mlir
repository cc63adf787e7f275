// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="panel=2" | FileCheck %s --check-prefix=PACK
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="panel=2" --mnn-plan-memory --mnn-lower-to-linalg --canonicalize | FileCheck %s --check-prefix=LOWER
// RUN: mnn-opt %s --split-input-file --mnn-pack-weights="panel=64" --mnn-plan-memory --mnn-lower-to-linalg --mnn-tile="vector-bits=256" --canonicalize | FileCheck %s --check-prefix=TILE

// A matrix-vector product's constant rhs [K, N] = [4, 5], W[k][n] = 10 k + n,
// in panels of 2 columns: [2, 4, 2] (columns 0-1, then 2-3), then the last
// column as [4, 1]; the op reads it flat with rhs_panel = 2.
// PACK-LABEL: func.func @classifier
// PACK:       %[[P:.*]] = mnn.constant dense<[0.000000e+00, 1.000000e+00, 1.000000e+01, 1.100000e+01, 2.000000e+01, 2.100000e+01, 3.000000e+01, 3.100000e+01, 2.000000e+00, 3.000000e+00, 1.200000e+01, 1.300000e+01, 2.200000e+01, 2.300000e+01, 3.200000e+01, 3.300000e+01, 4.000000e+00, 1.400000e+01, 2.400000e+01, 3.400000e+01]> : tensor<20xf32>
// PACK-NOT:   tensor<4x5xf32>
// PACK:       mnn.matmul %arg0, %[[P]], %{{.*}} {activation = "relu", {{.*}}rhs_panel = 2 : i64} : (tensor<1x4xf32>, tensor<20xf32>, tensor<5xf32>) -> tensor<1x5xf32>
//
// Lowered: one kernel over the full panels, dims (panel, row, lane | k), the
// output, bias and rhs as strided views; one over the last column, whose rhs
// starts after the panels (offset 2 x 4 x 2) and output at column 4.
// LOWER-DAG:  #[[A:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d3)>
// LOWER-DAG:  #[[B:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d3, d2)>
// LOWER-DAG:  #[[BIAS:.*]] = affine_map<(d0, d1, d2, d3) -> (d0, d2)>
// LOWER-DAG:  #[[OUT:.*]] = affine_map<(d0, d1, d2, d3) -> (d1, d0, d2)>
// LOWER-LABEL: func.func @__mnn_main
// LOWER-DAG:  %[[OUTP:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [1, 2, 2], strides: [5, 2, 1]
// LOWER-DAG:  %[[BIASP:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [2, 2], strides: [2, 1]
// LOWER-DAG:  %[[RHSP:.*]] = memref.reinterpret_cast %{{.*}} to offset: [0], sizes: [2, 4, 2], strides: [8, 2, 1]
// LOWER:      linalg.generic {indexing_maps = [#[[A]], #[[B]], #[[BIAS]], #[[OUT]]], iterator_types = ["parallel", "parallel", "parallel", "reduction"]} ins(%arg0, %[[RHSP]], %[[BIASP]] : {{.*}}) outs(%[[OUTP]] : {{.*}}) attrs = {mnn.activation = "relu", {{.*}}mnn.kernel = "matmul"}
// LOWER-DAG:  %[[OUTT:.*]] = memref.reinterpret_cast %{{.*}} to offset: [4], sizes: [1, 1], strides: [5, 1]
// LOWER-DAG:  %[[BIAST:.*]] = memref.reinterpret_cast %{{.*}} to offset: [4], sizes: [1], strides: [1]
// LOWER-DAG:  %[[RHST:.*]] = memref.reinterpret_cast %{{.*}} to offset: [16], sizes: [4, 1], strides: [1, 1]
// LOWER:      linalg.generic {{.*}} ins(%arg0, %[[RHST]], %[[BIAST]] : {{.*}}) outs(%[[OUTT]] : {{.*}}) attrs = {mnn.activation = "relu", {{.*}}mnn.kernel = "matmul"}
func.func @classifier(%x: tensor<1x4xf32>) -> tensor<1x5xf32> {
  %w = mnn.constant dense<[[0.0, 1.0, 2.0, 3.0, 4.0], [10.0, 11.0, 12.0, 13.0, 14.0], [20.0, 21.0, 22.0, 23.0, 24.0], [30.0, 31.0, 32.0, 33.0, 34.0]]> : tensor<4x5xf32>
  %b = mnn.constant dense<[1.0, 2.0, 3.0, 4.0, 5.0]> : tensor<5xf32>
  %y = mnn.matmul %x, %w, %b {operandSegmentSizes = array<i32: 1, 1, 1, 0>, activation = "relu"} : (tensor<1x4xf32>, tensor<4x5xf32>, tensor<5xf32>) -> tensor<1x5xf32>
  return %y : tensor<1x5xf32>
}

// -----

// Not packed: two lhs rows (the row-major rhs is reused across them), a
// non-constant rhs, an rhs narrower than one panel, f64. A constant shared
// with a matrix-vector product stays row-major for the other user.
// PACK-LABEL: func.func @other_matmuls
// PACK-DAG:   %[[W:.*]] = mnn.constant dense<{{.*}}> : tensor<3x2xf32>
// PACK-DAG:   %[[P:.*]] = mnn.constant dense<{{.*}}> : tensor<6xf32>
// PACK-DAG:   mnn.matmul %arg0, %[[W]] {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf32>, tensor<3x2xf32>)
// PACK-DAG:   mnn.matmul %arg1, %[[P]] {operandSegmentSizes = array<i32: 1, 1, 0, 0>, rhs_panel = 2 : i64} : (tensor<1x3xf32>, tensor<6xf32>)
// PACK-DAG:   mnn.matmul %arg1, %arg2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf32>, tensor<3x2xf32>)
// PACK-DAG:   mnn.matmul %arg1, %{{.*}} {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf32>, tensor<3x1xf32>)
// PACK-DAG:   mnn.matmul %arg3, %{{.*}} {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf64>, tensor<3x2xf64>)
// PACK-NOT:   rhs_panel
func.func @other_matmuls(%a2: tensor<2x3xf32>, %a1: tensor<1x3xf32>, %b: tensor<3x2xf32>, %a64: tensor<1x3xf64>)
    -> (tensor<2x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x1xf32>, tensor<1x2xf64>) {
  %w = mnn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf32>
  %narrow = mnn.constant dense<[[1.0], [2.0], [3.0]]> : tensor<3x1xf32>
  %w64 = mnn.constant dense<[[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]]> : tensor<3x2xf64>
  %rows = mnn.matmul %a2, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x3xf32>, tensor<3x2xf32>) -> tensor<2x2xf32>
  %vec = mnn.matmul %a1, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %dyn = mnn.matmul %a1, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf32>, tensor<3x2xf32>) -> tensor<1x2xf32>
  %one = mnn.matmul %a1, %narrow {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf32>, tensor<3x1xf32>) -> tensor<1x1xf32>
  %f64 = mnn.matmul %a64, %w64 {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x3xf64>, tensor<3x2xf64>) -> tensor<1x2xf64>
  return %rows, %vec, %dyn, %one, %f64 : tensor<2x2xf32>, tensor<1x2xf32>, tensor<1x2xf32>, tensor<1x1xf32>, tensor<1x2xf64>
}

// -----

// Tiled for AVX2 (panels of 64 = mnn-tile's 4 x 16-lane matrix-vector tile):
// 136 columns are 2 panels, one parallel tile each, whose register tile is
// the whole panel; the last 8 columns are a kernel of their own.
// PACK-LABEL: func.func @head
// PACK:       mnn.matmul %arg0, %{{.*}} {operandSegmentSizes = array<i32: 1, 1, 0, 0>, rhs_panel = 2 : i64} : (tensor<1x8xf32>, tensor<1088xf32>) -> tensor<1x136xf32>
// TILE-LABEL: func.func @__mnn_main
// TILE:       scf.parallel (%{{.*}}) = (%c0) to (%c2) step (%c1)
// TILE:         linalg.generic {{.*}} ins(%arg0, %{{.*}} : memref<1x8xf32>, memref<1x8x64xf32, strided<[512, 64, 1], offset: ?>>) outs(%{{.*}} : memref<1x1x64xf32, strided<[136, 64, 1], offset: ?>>) {{.*}}mnn.lanes = 64
// TILE:       linalg.generic {{.*}} ins(%arg0, %{{.*}} : memref<1x8xf32>, memref<8x8xf32, strided<[8, 1], offset: 1024>>) outs(%{{.*}} : memref<1x8xf32, strided<[136, 1], offset: 128>>) {{.*}}mnn.lanes = 16
func.func @head(%x: tensor<1x8xf32>) -> tensor<1x136xf32> {
  %w = mnn.constant dense<0.5> : tensor<8x136xf32>
  %y = mnn.matmul %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<1x8xf32>, tensor<8x136xf32>) -> tensor<1x136xf32>
  return %y : tensor<1x136xf32>
}
