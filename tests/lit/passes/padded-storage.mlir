// RUN: mnn-opt %s --mnn-plan-memory --mnn-lower-to-linalg | FileCheck %s

// %h's only reader is a conv with pads 1: %h is stored padded (1x4x6x6).
// The first conv writes straight into the interior of that buffer, the
// second only fills its border and reads the whole buffer: no padded copy
// and no scratch space.
// CHECK-LABEL: func.func @__mnn_main
// CHECK-SAME: %[[X:[a-z0-9]+]]: memref<1x2x4x4xf32>
// CHECK-SAME: %[[ARENA:[a-z0-9]+]]: memref<576xi8>
// CHECK: %[[FULL:.*]] = memref.view %[[ARENA]]{{.*}} to memref<1x4x6x6xf32>
// CHECK: %[[INNER:.*]] = memref.subview %[[FULL]][0, 0, 1, 1] [1, 4, 4, 4] [1, 1, 1, 1]
// CHECK: %[[OUT1:.*]] = memref.expand_shape %[[INNER]] {{\[\[}}0], [1, 2, 3], [4], [5]]
// CHECK: linalg.generic
// CHECK-SAME: ins(%{{.*}}, %{{.*}} : memref<1x1x2x1x1x4x4xf32
// CHECK-SAME: outs(%[[OUT1]] :
// CHECK-NOT: linalg.copy
// CHECK: scf.parallel
// CHECK: vector.transfer_write %{{.*}}, %[[FULL]][%{{.*}}, %{{.*}}, %c0{{.*}}, %c0{{.*}}] {in_bounds = [true]} : vector<6xf32>
// CHECK-NOT: linalg.copy
// CHECK: memref.reinterpret_cast %[[FULL]] to offset: [0], sizes: [1, 1, 4, 3, 3, 4, 4]
// CHECK: linalg.generic
func.func @main(%x: tensor<1x2x4x4xf32> {mnn.name = "x"}) -> (tensor<1x4x4x4xf32> {mnn.name = "y"}) {
  %w1 = mnn.constant dense<0.5> : tensor<1x1x2x1x4xf32>
  %w2 = mnn.constant dense<0.25> : tensor<3x3x4x1x4xf32>
  %h = mnn.conv2d %x, %w1 {dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 0, 0, 0, 0>, strides = array<i64: 1, 1>} : (tensor<1x2x4x4xf32>, tensor<1x1x2x1x4xf32>) -> tensor<1x4x4x4xf32>
  %y = mnn.conv2d %h, %w2 {dilations = array<i64: 1, 1>, filter_layout = "hwigo", group = 1 : i64, operandSegmentSizes = array<i32: 1, 1, 0, 0>, pads = array<i64: 1, 1, 1, 1>, strides = array<i64: 1, 1>} : (tensor<1x4x4x4xf32>, tensor<3x3x4x1x4xf32>) -> tensor<1x4x4x4xf32>
  return %y : tensor<1x4x4x4xf32>
}
