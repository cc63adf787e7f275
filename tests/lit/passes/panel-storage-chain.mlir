// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory | FileCheck %s --check-prefix=PLAN
// RUN: mnn-opt %s --mnn-pack-weights="block=16" --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// Packed-input 1x1 convs with whole-row panels (7 pixels on 7x7) store a
// result that only such convs read, as input or as residual, in the panels:
// %a (read by %b and added by %y) and %b. The first conv copies the function
// input into its scratch; the others read the panels where they are. %y,
// the function's result, is NCHW.
// PLAN-LABEL: func.func @main
// PLAN: mnn.conv2d {{.*}}mnn.packed_input_rows = 7 : i64, mnn.scratch_offset
// PLAN: mnn.conv2d
// PLAN-NOT: mnn.scratch_offset
// PLAN-SAME: mnn.packed_input_rows = 7
// PLAN: mnn.conv2d
// PLAN-NOT: mnn.scratch_offset
// PLAN-SAME: mnn.packed_input_rows = 7
// CHECK-LABEL: func.func @__mnn_main
// CHECK: %[[AFULL:.*]] = memref.view {{.*}} to memref<1x7x64x7xf32>
// CHECK: memref.transpose %[[AFULL]] (d0, d1, d2, d3) -> (d0, d2, d1, d3)
// CHECK: scf.parallel
// CHECK: vector.transfer_write
// The first conv's output tiles: channel stride R = 7, panel stride C x R.
// CHECK: memref.reinterpret_cast {{.*}} sizes: [1, 1, 2, 32, 7, 7], strides: [3136, 3136, 224, 7, 448, 1]
// CHECK: linalg.generic {{.*}}mnn.whole_rows
// CHECK: %[[BFULL:.*]] = memref.view {{.*}} to memref<1x7x64x7xf32>
// CHECK: memref.transpose %[[BFULL]]
// CHECK-NOT: scf.parallel
// CHECK: memref.reinterpret_cast {{.*}} sizes: [1, 1, 64, 1, 1, 7, 7], strides: [3136, 3136, 7, 448, 448, 448, 1]
// CHECK: linalg.generic {{.*}}mnn.whole_rows
// CHECK-NOT: scf.parallel
// The last conv reads %b's panels and adds %a's, and writes NCHW.
// CHECK: memref.reinterpret_cast {{.*}} sizes: [1, 1, 64, 1, 1, 7, 7], strides: [3136, 3136, 7, 448, 448, 448, 1]
// CHECK-DAG: memref.reinterpret_cast {{.*}} sizes: [1, 1, 2, 32, 7, 7], strides: [3136, 3136, 224, 7, 448, 1]
// CHECK-DAG: memref.reinterpret_cast {{.*}} sizes: [1, 1, 2, 32, 7, 7], strides: [3136, 3136, 1568, 49, 7, 1]
// CHECK: linalg.generic {{.*}}mnn.whole_rows
func.func @main(%x: tensor<1x64x7x7xf32> {mnn.name = "x"}) -> (tensor<1x64x7x7xf32> {mnn.name = "y"}) {
  %w = mnn.constant dense<0.25> : tensor<64x64x1x1xf32>
  %w2 = mnn.constant dense<0.125> : tensor<64x64x1x1xf32>
  %w3 = mnn.constant dense<0.5> : tensor<64x64x1x1xf32>
  %a = mnn.conv2d %x, %w {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<64x64x1x1xf32>) -> tensor<1x64x7x7xf32>
  %b = mnn.conv2d %a, %w2 {operandSegmentSizes = array<i32: 1, 1, 0, 0>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<64x64x1x1xf32>) -> tensor<1x64x7x7xf32>
  %y = mnn.conv2d %b, %w3, %a {operandSegmentSizes = array<i32: 1, 1, 0, 1>, strides = array<i64: 1, 1>, pads = array<i64: 0, 0, 0, 0>, dilations = array<i64: 1, 1>, group = 1 : i64} : (tensor<1x64x7x7xf32>, tensor<64x64x1x1xf32>, tensor<1x64x7x7xf32>) -> tensor<1x64x7x7xf32>
  return %y : tensor<1x64x7x7xf32>
}
