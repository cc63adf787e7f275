// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Elementwise ops run over adjacent dims merged where every operand reads
// them alike (all whole, or all broadcast): a per-channel scale over an
// NCHW map is a [C, H*W] loop with the scale indexed by the channel only,
// so LLVM vectorizes H*W elements instead of W. (Rows of 15 keep the
// scale as a linalg operand; lower-elementwise-row-scalars.mlir has rows
// of 16 or more.)
// CHECK-DAG: #[[ID:.*]] = affine_map<(d0, d1) -> (d0, d1)>
// CHECK-DAG: #[[ROW:.*]] = affine_map<(d0, d1) -> (d0)>
// CHECK-DAG: #[[COL:.*]] = affine_map<(d0, d1) -> (d1)>
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[X:.*]] = memref.collapse_shape %arg0 {{\[\[}}0, 1, 2, 3]] : memref<1x4x3x5xf32> into memref<60xf32>
// CHECK: memref.expand_shape %[[X]] {{\[\[}}0, 1]] output_shape [4, 15] : memref<60xf32> into memref<4x15xf32>
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[ROW]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: memref<4x15xf32>, memref<4xf32>
// CHECK: arith.mulf
// A rank-1 operand broadcast over the leading dims: [2 * 3, 4].
// CHECK: linalg.generic {indexing_maps = [#[[ID]], #[[COL]], #[[ID]]], iterator_types = ["parallel", "parallel"]}
// CHECK-SAME: memref<6x4xf32>, memref<4xf32>
// CHECK: arith.addf
// Broadcast along dims 0 and 2 but not 1: nothing merges (rows of 4).
// CHECK: linalg.generic {{.*}} iterator_types = ["parallel", "parallel", "parallel"]
// CHECK-SAME: memref<2x3x4xf32>, memref<3xf32>
// CHECK: arith.subf
func.func @main(%x: tensor<1x4x3x5xf32> {mnn.name = "x"}, %s: tensor<1x4x1x1xf32> {mnn.name = "s"},
                %y: tensor<2x3x4xf32> {mnn.name = "y"}, %r: tensor<4xf32> {mnn.name = "r"},
                %c: tensor<1x3x1xf32> {mnn.name = "c"})
    -> (tensor<1x4x3x5xf32> {mnn.name = "a"}, tensor<2x3x4xf32> {mnn.name = "b"}, tensor<2x3x4xf32> {mnn.name = "d"}) {
  %a = mnn.mul %x, %s : (tensor<1x4x3x5xf32>, tensor<1x4x1x1xf32>) -> tensor<1x4x3x5xf32>
  %b = mnn.add %y, %r : (tensor<2x3x4xf32>, tensor<4xf32>) -> tensor<2x3x4xf32>
  %d = mnn.sub %y, %c : (tensor<2x3x4xf32>, tensor<1x3x1xf32>) -> tensor<2x3x4xf32>
  return %a, %b, %d : tensor<1x4x3x5xf32>, tensor<2x3x4xf32>, tensor<2x3x4xf32>
}

