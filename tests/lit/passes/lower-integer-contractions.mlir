// RUN: mnn-opt %s --split-input-file --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// An i32 conv (ConvInteger, QLinearConv) accumulates with wrapping integer
// ops: the padded scratch is i32 filled with 0, the bias initializes the
// accumulator with addi, and the contraction is not tagged mnn.kernel, so it
// stays plain loops instead of the f32 microkernel.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:       %[[PAD:.*]] = memref.view {{.*}} to memref<1x2x6x6xi32>
// CHECK:       %[[ROW:.*]] = vector.splat %[[ZERO]] : vector<6xi32>
// CHECK:       vector.transfer_write %[[ROW]], %[[PAD]]
// CHECK:       linalg.generic
// CHECK-NOT:   mnn.kernel
// CHECK:       arith.muli
// CHECK-NEXT:  arith.addi
// CHECK-NOT:   arith.mulf
// CHECK:       return
func.func @main(%x: tensor<1x2x4x4xi32> {mnn.name = "x"}) -> (tensor<1x3x4x4xi32> {mnn.name = "y"}) {
  %w = mnn.constant dense<3> : tensor<3x2x3x3xi32>
  %b = mnn.constant dense<[1, 2, 3]> : tensor<3xi32>
  %y = mnn.conv2d %x, %w, %b {dilations = array<i64: 1, 1>, group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 1, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xi32>, tensor<3x2x3x3xi32>, tensor<3xi32>) -> tensor<1x3x4x4xi32>
  return %y : tensor<1x3x4x4xi32>
}

// -----

// An i32 matmul (MatMulInteger, QLinearMatMul): zero-filled i32 accumulator.
// CHECK-LABEL: func.func @__mnn_main
// CHECK:       %[[ZERO:.*]] = arith.constant 0 : i32
// CHECK:       linalg.fill ins(%[[ZERO]] : i32)
// CHECK:       linalg.generic
// CHECK-NOT:   mnn.kernel
// CHECK:       arith.muli
// CHECK-NEXT:  arith.addi
func.func @main(%a: tensor<2x4xi32> {mnn.name = "a"}, %b: tensor<4x3xi32> {mnn.name = "b"}) -> (tensor<2x3xi32> {mnn.name = "y"}) {
  %y = mnn.matmul %a, %b {operandSegmentSizes = array<i32: 1, 1, 0, 0>} : (tensor<2x4xi32>, tensor<4x3xi32>) -> tensor<2x3xi32>
  return %y : tensor<2x3xi32>
}
